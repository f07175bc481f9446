"""Resident ID numbers that nothing in clear can rebuild, bound to their rows, under a key ring.

Before: ``region_code``, ``birth_date`` and ``id_last4`` were clear columns that together are
the number. After: ``region_code`` and ``id_last4`` are gone, ``id_last4_hash`` (HMAC-SHA256
of the last four under a key derived from the secret) serves the search by last four, and each
cipher text is re-sealed with the diner's id as associated data, so a copy on another row
fails to open. ``id_number_key`` holds the key versions a rotation adds (``canteen keys
rotate``); version 1 is the derived key every existing row already uses.

The carry-over needs the secret key, which SQL cannot reach, so ``upgrade`` runs a Python
step in the migration's transaction: it opens each row's old cipher text (associated data
``diner.id_number``), writes the bound one and the hash of its last four, and only then returns
the SQL that drops the old columns. A wrong ``CANTEEN_SECRET_KEY`` fails the step (nothing is
changed) rather than writing hashes nobody can match. The crypto is spelt out here, not
imported from ``canteen.diners.pii``: a migration keeps doing what it did when it was written.
SQLite drops the columns in place (3.35+), after the index on ``id_last4``.
"""

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from tortoise import BaseDBAsyncClient

from canteen.config import derive_key

RUN_IN_TRANSACTION = True

ADD = {
    "sqlite": """
ALTER TABLE "diner" ADD COLUMN "id_last4_hash" VARCHAR(64) NOT NULL DEFAULT '';
CREATE TABLE "id_number_key" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" INT NOT NULL UNIQUE,
    "wrapped" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
""",
    "postgres": """
ALTER TABLE "diner" ADD COLUMN "id_last4_hash" VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE "diner" ALTER COLUMN "id_last4_hash" DROP DEFAULT;
CREATE TABLE "id_number_key" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INT NOT NULL UNIQUE,
    "wrapped" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
""",
}

DROP = """
DROP INDEX IF EXISTS "idx_diner_id_last_31817c";
ALTER TABLE "diner" DROP COLUMN "id_last4";
ALTER TABLE "diner" DROP COLUMN "region_code";
CREATE INDEX "idx_diner_id_last_8baad8" ON "diner" ("id_last4_hash");
"""

UPDATE = {
    "sqlite": 'UPDATE "diner" SET "id_number_cipher" = ?, "id_last4_hash" = ? WHERE "id" = ?',
    "postgres": 'UPDATE "diner" SET "id_number_cipher" = $1, "id_last4_hash" = $2 WHERE "id" = $3',
}

DOWNGRADE = """
DROP TABLE IF EXISTS "id_number_key";
"""


def _rebound(cipher: str, diner_id: int, key: bytes) -> tuple[str, str]:
    """The row's number re-sealed with its id as associated data, and its last four."""
    version, _, payload = cipher.partition(".")
    if version != "v1":
        raise ValueError(f"diner {diner_id}: unknown cipher version {version!r}")
    raw = base64.b64decode(payload)
    number = AESGCM(key).decrypt(raw[:12], raw[12:], b"diner.id_number")
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, number, f"diner:{diner_id}:id_number".encode())
    return "v1." + base64.b64encode(nonce + sealed).decode(), number.decode()[-4:]


async def _carry_diners_across(db: BaseDBAsyncClient) -> None:
    key = derive_key("diner-id/encrypt/v1")
    last4_key = derive_key("diner-id/last4/v1")
    rows = await db.execute_query_dict('SELECT "id", "id_number_cipher" FROM "diner"')
    for row in rows:
        cipher, last4 = _rebound(row["id_number_cipher"], int(row["id"]), key)
        last4_hash = hmac.new(last4_key, last4.upper().encode(), hashlib.sha256).hexdigest()
        await db.execute_query(
            UPDATE[db.capabilities.dialect], [cipher, last4_hash, int(row["id"])]
        )


async def upgrade(db: BaseDBAsyncClient) -> str:
    await db.execute_script(ADD[db.capabilities.dialect])
    await _carry_diners_across(db)
    return DROP


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS_STATE = (
    "eJztXWtz27jV/isYf1l7Ruvaip2kSaczTjbpunWSbex92+m6I0EkZKGmCJUg7ajt/vf3HP"
    "AiXiVQoiSKiy+JTOKA5IPbuZ//Hk2FzRx5ehX4kzvxyNyjN+S/Ry6dMvhRvNkjR3Q2W9zC"
    "Cz4dOao1hWYDP2k3kr5HLR/ujKkjGVyymbQ8PvO5wMccXZERox7ziKJ5S4TrzAn3Jbn98e"
    "r7/uVLwiWRvvCY3SNSEEosMZsTMSb+hBGbwnOpZMQRD5K4AqgZ4e4pPtoWFjybuw9bfUrg"
    "8n8HDD74gUFTD571yz/hMndt9o3J+M/Z42DMmWNncOU2dqCuD/z5TF27dv2PqiF+wGhgCS"
    "eYuovGs7k/EW7Smrs+Xn1gLvOoz7B73wsQZDdwnGhEYtzDN100CV8xRWOzMQ0cHCqkDl9g"
    "ce1oMPj85W5w++FuMDgqDGNMkcI8umQJF6cAvKpUX/+Ar/B9//zi1cXrFy8vXkMT9ZrJlV"
    "e/ho9eABMSKng+3x39qu7DkIQtFMYLUNX4DiZUTorgvp9QrxzdLFUOZXj9PMoxpu2FeUq/"
    "DRzmPvgT+PPlxRJM/+/q6/sfr74ev7w4wQcKWK7hSv4c3emrWwj7AmbLYwjFgPpFmH+AOz"
    "6fsnKos5Q5qO2I9DT+sQ7w8YUF8outZwfQL4H67vrTh9u7q08/YfdTKf/tKLyu7j7gnb66"
    "Os9dPX6ZG5akE/K367sfCf5J/vHl8wcFp5D+g6eeuGh3948jfCfYmMXAFc8DaqcxiS/Hlz"
    "LDzL7NOHS3xjBnKc0wt3qYPfYEG+A6qzlL2cAwR5ukGeXmRzmQzBvUYjpSFKs5jwNYs00w"
    "H8jOjR9LeQ+Eq4juR+Aq+YP7FzZXIF/DG1HXYiWgRoz2z1E3Bwbur/Hsia8uVrNHnxP+Nz"
    "2p4Nvhi5mvvv4rTPCv1+8BY4R4RK3HZ+rZgwzWeEf0Re5K0rZ4a9qf5q9Qlz4odPAz8KUj"
    "2G/EA3fvJp7wfYVvQQDKNugtE4IcbDrw021XCkLvAThmBT5/YtCEO8wmqhtJxsJTIgcih+"
    "9Ejh9hjbsELrvCPyHUtcnzhLkg0JApnQPqc0IfaJkctK2HbCAGxQ+sw6+naQy3XsGtVwtJ"
    "OPIBniz6R0GaZHdnwVmLD4L00eoIC7mgwPW5U5eFytMaJqptTFThyN/PAaX4gpJzKeYXqo"
    "+jmDFZfQjdiinDU+B5IkJtF3ffEGpPudsjFn/izvd0DFuBh9oy+AUXqeszOBXCt/bwgpxw"
    "5uG5MaZT7syLh9C2HmJ0ce3SxZmTfet6uBmV8lnAzlJX41kgbAbsfQt4Gbj7l5caeEOrSs"
    "DVvSzinnBqTei4fQfxPX+pAe95/rReoIu3suDaXM4cOh/U3TXydLsD++hoN1CfnelgfXZW"
    "DTbey20egFEtmBOCzuH7oq8B74t+Jbp4KwsusFkgZBfRfSdgQ6BuOcALohzCI6DaFsTxeb"
    "hbzv/dly83Gab/3fVdDt2fP737AJNagQ6NeKgnKkpfxhi1zgAchOiVGeZQCqinws4SraW5"
    "aJk0vWUldgRYA3rs94ueDgthXU12dm7VVmbnnBZKtHHvIrqPf/nKHKo+oxLtjHvOYe5SBc"
    "BzvCF808Dh7uOGSH1UGoMb6KirUPliFszkwGMWA3aiZLusA9cddtadRZxl0gKb+wPmQldl"
    "2vB66w+6+gA9zTuKFbfZdCZ85lpznFnCszdE7HrR4VfVX1eX40w43Np4gv2EvXR1clkAgh"
    "xwKYNNt6v3VGsiHSJIUwavNJDC2RCiT9BPV9daiNGTgN1qNygd4kRS/MEAbjKk2pw7uFY9"
    "dXVKUYd5vhyMheOIZ7TUzjbkFLC/js6sCKsJdW1n0wXYZZxc4fMxtxQCG67Az6muOorWmL"
    "uoamiGUf8YdtZlVt1yKJ/KAZ3NPLGx/PceO+s2ULZHx77BaSVOU+qhq9KMlqlgDVYZrGQw"
    "mnLfzKocUtt0kIoVziU+UilddLWbVEr1rRO3aInpFPD257F/0lsyHNockbH84fB3wyH8ZA"
    "x+EptZIJCQ5wm3JsQRFnUIzA/JbTjNCLyQM8dAQ4+VBS5u6zHGW6pd3lJ1fR527+uwO8eS"
    "bXg7UNv2mCxhHqshTpF0zuOhr4VxfwnG/SLG8bZUB+Q0TedQbt7jL9zs6wC8oDDwroQX/T"
    "z+U9MtKk3Twd24eZBRSTt4ho8TzyX78Z9vv3wuBzpPl3fYgV2E/I84sKEcIOhLQEZEsOfE"
    "SycG9/jT1d/zuL+/+fJOgZNyv8EO3hmvqd+K11SNgJX0wULH482EVc3I1UORVdOrRYzHDH"
    "vZUPn4JermcBfFcpgmYsoGylNnQ6B+wD46OpeUjdKYcJfbkIztqI3WkIOcUKFG1uhhl+Iz"
    "sOm8CYx+oJ2aR9vUVyfMQInCOs0oVGusRbqVhsra5nKCQbOS+QRPISJczHUX6pW/k2TmcY"
    "spAapME12T2iiYjYK5NQt8BwpmpZ1QKNUAOUPURaQbjxFVu8xgXBai8o4/VO4SGbIuZbP6"
    "fb//4sWr/tmLl68vL169unx9lmwcxVvLdpB313/CTSQzEMVgO5+WycDVOru4/e51dUd/GA"
    "euhaiSUcAdn7vyFJ/3x23ppnetwTMhpibEdP/b0KErS9sQYtq2Me1gjGnbIN55kOnutI6H"
    "ogPZpmwf6q9LBPtEsV0t1dtJk9UivUuY6wkHEznCezGvRG4vNLl37927CSOwcXKbuT65/g"
    "Fefzpi3iINfpghn7mWN5/BQJPj4ZDbg7DVwOIzEOiHwx4ZicC1iS+IPwFSTzy/uXeHw2jO"
    "noaGgNMZ58PhCXnm/oRQ8sjm0B+mHcp2ilewGSaiDKeOy6TsqcSTEdW9q8jEWKXud6j0oX"
    "XgRf3g3xdJNyNm0UAylcDfgrf0GSouqGdNmCQj5Qg3PSWfBby4+0A4QALnDfUAFGQWbQmP"
    "eKOIR9yD98YDmlAH05Y5MEGkukXhbIfObaZeUjJ8Z8t41xnlR8vOmm37c+R3hjpAl9F2EP"
    "Tz/msdRUj/dbUmBO9V4V43/VuR0iTb05nmizOmJtpZwm1N8C6hrc7dAZ675SJ3OdRZqmXi"
    "9gFuKUsgRvE5ByB8nF1vL15QdHAH1tl/q3ffwt7bvuR5hcV/uLnzjKu+cdU/fF9y46q/3R"
    "pkAMSDKHeBqrZHZamMVapxqxRsEnTEHe7PYfCfWEk9hNspdZxKjUYZfYfyNr7ov3qZKDfw"
    "j2V6jdtPVzc3RWuUzZlPQ3893WmfIjFzvvE5L33qB7X4lQXFDnf6he33EB0/jA12nfl+cD"
    "bYYGavOcxZSjPMrR5mFSmylr29hLJD/MG2bO5p1Ipgm+TOvZzdvWSWbWB8D6sUmezFFeDn"
    "5LqNU8tqJgE9SHgcPuX+IJCbRv7cYD8/ywM+B02U3QbwmBygbY1JPEiA9pfQ8mDgquVulv"
    "byVu5L1Zh+cdmdgH80ZuCiq24wbb/W9MpLMU8lrnlZ1qraPy/FzKmGGoF3IYkqrqzKXmIF"
    "ZclCvzHYiUkwCz3olMccOb4PLtjZGf7bp/fB67Ozc/w9gt+XL9j4Pnj56uz38Pv353DlYn"
    "xhw+/R6CX8a12yk7LQvZ0/v8T/7ZekDmno4PhP4xC3R4c4L7Vb6CotveodpgseAs0bso3K"
    "ctWW3gldVliaqNY2lSYxISMlEVd4VtSDNEVhEF2tEIwP4w0VgZo5n9oGrq4aMDWpKtR/hY"
    "2gAVB1sx8dKqrp3a+2VnWbYTvX9mflFg1DdVQiIaRvLxURFv7Vj1FTDSHhiXkSbeTH/R55"
    "0SOnp6cnGOuCkSbQC/xP/TgiR5YE78geBrhgmM9oHkbMlAgCjT/jHl1GscocGXtiqjqSDL"
    "gXH2++TZ53jqFFcUvuS+aMlfDhCj+KODJhMy2UEqLhq4FsiqKZU7gD+C7wfPZgz2AlM7Va"
    "6EqRdFDm2kpcjBG7Vp3QByt2FRja/fAJsSa1hEdIKVmr+YOUUlcvbxdMsu8kwfDTmcewAE"
    "uYgSvqpzxblwaNOW/bdd6OqKNyO9ZOb5Qj3J0AfLZdpHec3ciBHWjtMSgh3t049M/OujUU"
    "5hDv7CHeOt3pwZ8pNdiiBfSNJBC+YfYD8zqdP1i5yjThI9NpgIwvUS3fj5VK49itY9sq47"
    "3ufdtSGG8k3KW3tBIBL7fjVQt5jmqo8rRr6oBhuMlUPLEpKl3FGH67bE64S6gbi21vicue"
    "mEeiYIde9GeIiF0UBJvpcrWc+Ess00ajBP/+s5bsuIyz7pj4uBNOulrIfISPr6OBjNt3Uf"
    "3YeJQanapFUFt4zNJ1yYC9Y7kxlsCxpLO3viIlQ26GY+3hqC++G7H9AMT27GGvKbhnibq0"
    "qBozEKp6AHXZoxRRhyIhd53YPhRi68znNEmHgN+Wx1llJENt/yj9QIa27Re6Am92q9RwPf"
    "NjBdOG0Ooqqlo2dXVxTS9ZDVSnUQTghqB2K3F2HtPU8dMqZ75wKpdocJI5Xq27SZbTaqXN"
    "J6VRUfZ1wEikFCtvCPUzCaiPLSonPQCRunLMvBOspiVch7usqLhprltj5G+Xkd+oCPbM6k"
    "1hHYhaKrAFhVGCaSjBPAbbEIuORP3oshRR5/IfbsXR0ShXjHLFKFe0lSsesxgGIAxG83rY"
    "FgmNuG/E/X2K+6kZ2QDAmkF8LZu/uuAWV+8Gmbz24DR1ILCvm+CEJ94+5YDq5zep5zx0SL"
    "DWCU0IbO5XOq+k7vaWBihgu7quK5K5kmOKWUJVtt+35NnjPgwH+puoyEB4mVBNETYgNCqk"
    "Ff4VxgWW+7A02LeOM4sY/YtZfjjBcFqHfxqnltY6tRhRqKOiUN0kNQuKDqpqmq+ikNvodF"
    "HOkXUQ6uazAS0OkfpAlx4WXYB5C4XD2BjknyLG1cURFhQb1UZoJ0NZhut2ytGjx1wd2BMC"
    "g/oGqFu+qBk/lSYxeiwNPRbAZZQsKzVYi0nVKi+Aa5tNZwIERWv+lVnCywptlY16y9P7JM"
    "0H3qL9SiEZq26PuSd9IgPLYlKOA4eAxPrMPCyifYzZpnqYOOekpyPeYhVsNh4Df1CUmbf7"
    "qKXpPTHz0EbJPY3UvCupOUoSpR0JwsoqSHWBDe1fXmrwodCqusYi3suezWN4PvNmHi9Tb1"
    "ajnCPrINrbqLVYXoFrea25yipcB20vbaLE3EjYterLxe13X1yuQ7y8SXmxzlAcnE7TpLY1"
    "qW1bILGtTm27H4HtJ+Fwq9R4Gd3pLRPNZos2WjbLOEFplARVBiPJ7TnxAofJHkpEY+FZLE"
    "xuOhyGIhB/YgO8MBySwPW5oyhd9s3HZGvl5svtPMZ4drfLs1v9X4PTj9t3kMXfStH67Loo"
    "Z5LKkS5SLmOS1kG/DXlUyqBGlidfP1pYwbTU52ZJAekUjWHyDZNvmPzlTH48WHVdjQt0xk"
    "Kzkt9fYGbMNCuY/sL02sAVdncVNg8E7HoesDXFIlXTtkQoimvdVotEFtW1T12FGaKR4JRc"
    "+5L89SuZ0bkjqJ2u36CkFLQIcTusIKeKPniYNOyRzeP8YamyDrnU1Nt5iI5bZ5JHrp4bpx"
    "GMNhSMYOB4WSR9tWi0oGhGONovvDnRSEsyWiIY5eUiLmWwFkuZITQcZas5So89ice1RjlL"
    "2cAwt/M87tAoD4BNk3WLc+YI19o3Wzay2w5Ub0X28X1j3HCUbXSm1BV882RG7l0p95pyg3"
    "pCr0b26NIJbLQJK4DNr1mjTDgQZcINn3If5uZRWX7z+F5vaXJzbDUIomZ64aGOUCnIqTJ7"
    "fgeiPsWi9MLDpOT+BH6qTnvEp4/MxQqTWLsKJ0ZFSOj6/d279y56yIaTgByrHaKn+umRGY"
    "iewu6p/k9QJfGMVTGn0Ikk/rOI025JIi3quvBCql/UZxDq37uJCy1Xu4MPD0HQ0Ot2JPyJ"
    "ehulzXCo8s5FSzCXLKzO9SauoClczPsFu4cPz3McDnj27l3Uh0gKnXGszomR6KFyxGPfzz"
    "xuMfuUXJEnwe0oe3sYAosdAzz4PbJHxh5j+NLqFRCgao/e5IBBYNTCU9DgL+ys4OX7S5IL"
    "zoTJttPhNx5IbakiHvjuWagvdNQwF9VqmIuCGmaxOnThXVB0EOBzHYDPqwE+LwCsNp0CvC"
    "t8fCOaLslqTXj4GtG3I9m7WwrqDg46IxpXDsKWROPd5kM+VFDbmhBZwV4i8cXDUS3txeOu"
    "WcIK7btSODbKPCgbqVn2RllzlZjSA5FKhLmNUbbqJQbe0HsXfoLAFQo0hJcEN27rITomZJ"
    "D5fMbcaHwdYcFYK59BaPlLZj2l7xlxqJXikFqpdXOfZIi6yLc3bmZRq6x+wusMmeGNas76"
    "lNgURhvUH4AcoRmCtYdgRteAP0VkoF8bejFDjIQ3WHsZVPWwu0HpVml3mNfl4QdLFGULkg"
    "6euDqp4asTwxfSwqcYzwLE1SEyWaqmw2PaIbppBsiYZJKd9K0CwTiAKV7ft6pA2D3fqubT"
    "HaIZci13xQyh8VZs84rCoVpjPeXIureathL9mtU86caTZYi6JEY0ZrVBz426oCYUxk3RmB"
    "Z3gakYjxk+sB6sOSozWUuEUWUNqAdrhsaAWqJxFE59D/AskdkFSnCNWOO6yObJzJRdHVMe"
    "8k0NGLvfL3o6sNmrHVSe4TE13AiMd4YesDW9M+JA740nbNjNYe0H+pM14d01II0ZqAZg/Z"
    "LqqpvQ5rhNDXgX2do2BHeRGq6b0GY4Tg1gI16qAWQ7ngUxy3RqIJvwUrvD9kDnbJ7rNFUX"
    "twB61vAXB2VtilQqBKwj6z6Hk7spRLehK8AN9NRVlCyH8umA2v8KpI/G9w0Re4/dXSW9dQ"
    "m1bTrtpidaie9ubh5Wu/DGvitO3FLLlTeKrJQT6jGMtYwjKN+EQZHKh3YcwHB4RDxjKttH"
    "NvOJFIQSNX0IyIZkxDBAMUrsVO7Nu6Xn6Dj0mpDFNngHmZBFDbNi8yGL8N2sVl6uhKCD8J"
    "5rWW3Pl1htz4tW23DXqgPxgqKLGDfuXE6nGI9f36szS9clc8Pu3TlLWMOlvpxlNXe6MLsb"
    "duQ08aRtiSc1gY+tCnysFlKrZVQQM+4E/LMNSfVQlEU1Zc87MQtmsNEw1UNB9kzf7i2TPX"
    "1sOOCLlhqZiMd0itl8pmw6Yh6IhsfCU9GbYjzmFsiKJ+SZywkGf8J5ghl/2JzAE1AiVGYz"
    "IKGWStUDwiQKvWWZiJt/SJxZaEQd3AqA5olJvDkHSZaFBTZnnnjitqKWsH0wm7jC5/BEGp"
    "bb9FCAlW/CepxUlXu5d9MFObGTEE3iB54ryXCoqnwym9nDITkGoVi4Nse21CE//4S+omFC"
    "ZZCSxQxeI6x8dxLHxN678WdwSSyPAS281TP3J/Clw6EaP+gY1bBzcjwFYVrYcD385uGwB3"
    "L3mHkMPzj7gSfVyYXiRmodRr8H0E9JVqFFnT72bcY9JtE52KRw3mkKZ8Nm75vNTq0XbVY7"
    "vca6x243H7RQVUd0SaLyqhqiWwT4CLZwO3IlOESRHQNbA6+W3ilFskOcdwPwpZbe6XKJ3u"
    "myqHfKHKlrbBkxXfeCM5qvPmxqOlVC36VopxTzWXOYs5RmmFs9zJgyaI0xTpGZoMU2j28k"
    "6tZzoc8SdUmMaS6Obq8l77qOrgmqax7TSC9ZB9M0SSNhNAevNFpiNTFxHnp2k5pxHtFZ1A"
    "CwV4ueOgpt9tzWCaLZQzHRQwV382qiRatfbncuDkJsx9Mcgru4l0Pal3UHIH0a6WC/kSfq"
    "lcO8UjtgeKO3zAJIkyYrTX+3Au1LWKGCjkTgo8kKXo95oS1Mwl10DpUTETg2eQQmP8zsqv"
    "xEn6kkNt4OSctyxzbffal16xEmjnp2fHTls8GW1yXtFVPKLk8467GZ8CINkrGI7dQiFg+x"
    "rmY1bt9BQ0zzJgKTw27DHHYHYslCb4RDNWPZzKe8xIr159svnysk8oQiPze55ZP/EYfLrT"
    "HjR38YB27oPzIKuONzV57iY/+4LfiXwI0IZdSFMczHn67+nh+B9zdf3uX1gNjBu7ynNTD6"
    "6yhu03RGNd9q1W2a26k5yjlSo6Jv8zhPgOV21hrmLKUZ5TaPsivKuLtqBiVubxxAdBxAxs"
    "JxxDMshWC21qGYpzZrqc1rKRwvHK26q6pIadaXzvraVzrWli0iY+dsP6bpzbyudb6U1kzc"
    "Isgx51kX4AKdAdcYlvdjWN5H0suWTVxt02fdnJeLZd4AvN1OHFbYETXgzR5TBuIVEJee6h"
    "skaEsHMG6YJ+pzqqvuDMBWc0RlICsx0OchrbbTu/mWmgVfpYQ3wzhZ6JE/MY8cqzDawB+J"
    "bydvyLPHfZ+5GNFKSSqStUckBrGO5pjHCZa9yxwC84N5VTVfG38OxusOhx6z+IxDk+EQI2"
    "Cxzyg0OIBtgHAVFzsW3lvCpjN/jj9Vo+gUwEBen47Hyn6DdWe5NQnDaodDRzxAp/FD8QWZ"
    "xA9AcrhHjkNKj1EVics9onwlJKE+GQ7/9OGO/C68MBxWBtMuCZh12Td/QAEUeG/lIxA6DU"
    "SfGy18zH6F19WDTC6sfcd8GpeDvZhzozVaB98UiYFYL/DTEbRkClebzFMku7eZ70f5vBXr"
    "+IH4gxx4ZHN00pbgfDuljlMdXpSi60xZ2Rf9Vy+T4xH/WHYg3n66urkpatXy/EsB1+VmrB"
    "Jy4+LRakOWQ6U/YJ4naiW6yFJ1zoD1QsuA9WKJAetFiQHLRK3/FhYUSr5rjHGKzFj+2zy+"
    "idBeGOBqbiNFYqxNxga9C0zzOidNXPNkZrquNI4msVabBofG/RwWutqRoalN0NSs25fJOV"
    "nfxmS3Atj8TrjdDLs1LVAfuYtjExZXKrFAZe73llmgxmHLAUuaapmgLOCqCKbgIcJT1UMe"
    "POr6BEBjWA0kMv2E5poewSyrRAWLEWRiy61Nm3WJhqUPYdkqooqaYApY+GwGs8zGFK1TDv"
    "P5kamMq8KDXv24T2WZipKtYuwp+zZzYGLAbe4S7st7Fz01T94qG5IMoBvAbMQd7s9JGOYA"
    "V6fKjDXFHpNP1DEdVYebmujSXUaXmgDIDQMgja1sW2UJLMDhQXglXjZLLGUpmg4i3HwmWp"
    "Nvec/5lk10UjS3+1rK5/4S5XPfKJ9/o8rJfQXJtG1Mu5VrsWUS9Jb1afvwim/b/N2aW/w+"
    "0q21bPruM9tacxogVTTpqET1E97oLdP5WEkTLV1PWCDxOxmVfh1H6pmpcP1JL/kzmoqovM"
    "FL1HGwsCzqRMrVPRv3ihqfj/whgOOTHA+HWAxLDofk9JQMh6pPGDtgy7FcznDoiWf06FWq"
    "odCn+HnCHYaFhTw69pVf81zdtcR0FsC437vo8RyW7Bl74j/wEpiwLBhNuZSADj5GWmLGQh"
    "/m4RDeDX4WPJW53cPCuYvKQsfxJyoA4CZ2chJX1I3ePNRfCVh+1TnPVD9qGScVLFVfhYRn"
    "RpO0S03SYlg0JZmEoIOC+jIoY1HmVaUg88pUd92xQ2W4gdTANyEw8OrAexhewepM3I2241"
    "xHk3derck7L2jyFCNQ41xL2hvZrCj4Ar8juT2vrxfNEXYI2x3rRRe1VtdQThdozTisOw4p"
    "kaLeIOQIzQisOwIowxWhrw5littvFMfUMuR3HcZk7AbrDMXB2Q2UWsNfb6DztMZ9vc0jTW"
    "dYcXKtgc6RmnFu8ziH5fHWdGooITZsy7psiwJTlIxAtVtZimRDn7KWjUA9l7Jkw6lrdi0S"
    "dmj6NmfUNhk1twKr8RXYHrhqZ/SYJTx7DYgrqA3QpYq/iKuvC3IJpQG4lV4vLUPYOL20AF"
    "tNp5eqrcIAvALgkt1RpwTpgqE1CK8KNC0w/xoA5zkDg/IKlCtYqQ1ymi6MVRtmNFUecFdJ"
    "b90Zg6w1hHKJurj9odZShfxuc8HmYavyyMwiu8I3MzWqqvVKN80rEtnbicNdhi6SNPEkPA"
    "69F09C10ryzP2JDUvZjeJeVQjsk+B20U2zkV7RTfOrmqsYTou+kXj5O5nOF0voA4yX9MNM"
    "sKGzZegWqtwmVUlppPfv3ePhUIrAs9hANRgOT97G/p6hI2bo3QkE3Am7i/1MMTdZ1Cs0S8"
    "5hdPC8dy3qqdBh7p8S9E5VHwzNwoHAVj58qfSXumQat8s9ul0a18At+655gVPLMzBu30Fw"
    "L3Qi9C6qA/QuCvF5Mzqv5RYYt+8guA1HT5vA3n277TAqy8xfS3aOhGKHPq/IlRwd6NZsvH"
    "Qqoe+STT+UDeoZlVIkRgtf3JzQ+bsU0WVHQ4rInAtrnwtpMa6mhalI2aVxaGxyoxBbe3Kn"
    "iJoBtQ1S5w6m9hLbHu4XDSiUP0XdHNis1tUop3ZVHaNTag9owmga99NRcEu2TB3D6Y7RbR"
    "mzoW00XY1qnSQB2Q28CP8Xl90J+EcT/NtQh3sT9XVQ27fuCKQOLZ0B2Fzj/wMtzbuZ3Out"
    "1vHbVDPf5t+i1AEENWqohRdJ+oQwX2Z0O8mV4Ko/4+SY8x4RWLpNVUDjT1jWDZ5T1PZv5z"
    "Fhwbc4OYPS5IcF39SlUL8/oU+YiSE2MvgTLtVLnJIr1UxZF4hk0D38gc1k9H73bvSCx8JL"
    "GoSX5En8NFTZo+1hOAzvDOK3OVZJG+I/T97gJymTAfekf+/CIziQh88D+uM4YwO+W4+gCu"
    "6EoP3TOyW3AnOATgHK4mMULHRhiMC4pHs3gQIASG4pkp7KObHoLvWOaQBD24wyrERk7BvM"
    "I2denTEi5WSUy3eZqMITrS0qGPOJJH4pJzPl69pZvs7kNN3QAd3YlIxNydiUOgBuwzal3a"
    "aYWAvaLdeaa0xHleaVaiCaJzPAFvJGxFxjDVQzNAbSViVDaSOyu07BYbLbdjUUpW0QNxqL"
    "Ukf515ye6op53JoclWipoju9ZToqumizSkFVDarxkWyXj+QT8ySv54uTIumgXNC/vNSQDK"
    "BVda59vFcIW6+DcNS8g+iea1UyOF9SyeC8pJKBgB23rH5ZdSKoFImpaV8zGVSBT9jlYfbr"
    "/wMx744a"
)
