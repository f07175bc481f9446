"""Subsidy policies and QR meal cards.

Hand-written beside Tortoise's schema: CHECK constraints, and a partial unique index that
lets a diner hold at most one live (unrevoked) card.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

_CARD_CHECKS = """
    CONSTRAINT "ck_card_revoke_reason" CHECK ("revoke_reason" IN ('lost', 'damaged', 'withdrawn', 'other', 'reissued')),
    CONSTRAINT "ck_card_revoked_with_reason" CHECK (("revoked_at" IS NULL) = ("revoke_reason" IS NULL))"""

UPGRADE = {
    "sqlite": f"""
CREATE TABLE "policy" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "effective_from" DATE NOT NULL UNIQUE,
    "document" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "created_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT
);
CREATE TABLE "card" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "serial" VARCHAR(20) NOT NULL UNIQUE,
    "issued_at" TIMESTAMP NOT NULL,
    "revoked_at" TIMESTAMP,
    "revoke_reason" VARCHAR(16),
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "issued_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,{_CARD_CHECKS}
);
CREATE UNIQUE INDEX "uq_card_one_live_per_diner" ON "card" ("diner_id") WHERE "revoked_at" IS NULL;
CREATE INDEX "idx_card_diner_i_e04d26" ON "card" ("diner_id");
""",
    "postgres": f"""
CREATE TABLE "policy" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "effective_from" DATE NOT NULL UNIQUE,
    "document" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "created_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT
);
CREATE TABLE "card" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "serial" VARCHAR(20) NOT NULL UNIQUE,
    "issued_at" TIMESTAMPTZ NOT NULL,
    "revoked_at" TIMESTAMPTZ,
    "revoke_reason" VARCHAR(16),
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "issued_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,{_CARD_CHECKS}
);
CREATE UNIQUE INDEX "uq_card_one_live_per_diner" ON "card" ("diner_id") WHERE "revoked_at" IS NULL;
CREATE INDEX "idx_card_diner_i_e04d26" ON "card" ("diner_id");
""",
}

DOWNGRADE = """
DROP TABLE IF EXISTS "card";
DROP TABLE IF EXISTS "policy";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS_STATE = (
    "eJztXW1z47YR/isYf4lvxneV5dfkOp2xnbvGje+c2krbSZyhIBKSUJMAQ4DWqen99y5IUX"
    "yXSL2ZYvHFI5NYkHzwts/uYvHHgcMtYot3V74c9/gzYQffoT8OGHYI/MjfPEIH2HXjW+qC"
    "xAM7KI2hmCHn5QZCetiUcGeIbUHgkkWE6VFXUq4ec3CFBgR7xEOBzHvEmT1FVAr0+MPV2+"
    "7ZOaICCck9Yh0hwRFGJneniA+RHBNkYXguFgTZfCQQ4yBNEGXv1KMtbsKzKRtt9Sk+o7/7"
    "BD54RKCoB8/69Te4TJlFvhAR/es+G0NKbCuFK7VUBcF1Q07d4Notkx+DguoDBobJbd9hcW"
    "F3KseczUtTJtXVEWHEw5Ko6qXnK5CZb9uzFolwD980LhK+YkLGIkPs26qplHT4AvG1A8P4"
    "fN8zHj/0DOMg14yRRALz2SWTM9UF4FVF8PUj9Qpvu8enF6eXJ+enl1AkeM35lYuv4aNjYE"
    "LBAJ7PvYOvwX1okrBEgHEMatC+xhiLcR7cmzH2itFNS2VQhtfPohxh2lyYHfzFsAkbyTH8"
    "e366ANN/XD3c/HD1cHh++kY9kMNwDUfy59mdbnBLwR7DbHpEQWFgmYf5e7gjqUOKoU5LZq"
    "C2ZqLvoh+rAB9diJGPp54dQL8A6t7tpw+PvatPP6nqHSF+twO8rnof1J1ucHWauXp4nmmW"
    "eSXon7e9H5D6F/1y//lDACcXcuQFT4zL9X45UO8EEzM3GJ8Y2EpiEl2OLqWamXxxKVS3Qj"
    "OnJXUzN7qZPfICE+AqozktuYFmnk2SupU338q+IJ5RS+lISCzXPPZgzG5C+VDq3PC5UPdQ"
    "cOXR/QhaJR2xH8k0APkW3ggzkxSAOlO0f55Vs2fgfo16T3Q1Hs0ensz132Sngm+HLyYy+P"
    "oH6OAPtzeAsYJ4gM3nCfYsI4W1usO7PHNlXjZ/y+k62SuY4VGAjvoM9dIz2O/4iLLe2ONS"
    "BvjmCFC6wNEiEmSrooZMll1KhG4AOGL6kr4QKEJtYqGgGoGG3Asoh0JOvRM6fIYxzhBcZl"
    "y+QZhZaDImDAgNcvAUUJ8iPMJFPGhbD1mDBkUPrKOvJ2W0tl6irZeTJNXyvlpZqi8FSZHd"
    "rQWdBi8EyaXV5qbSgnwmqV1XhcrKaiWqaUpUbsl/nQUq0AsK1qVIXyhfjiLFZPki9Mgdol"
    "aByZiH1i7KvkPYcig7QiZ9ofZbPISpwFPWMvgFFzGTBFaF8K09dUGMKfHUujHEDrWn+UVo"
    "Ww/Rtrhm2eL0yr51O5yLhZhwmFnqWjxzgpsB+7UJXgru7tlZBbyhVCngwb004h63a3XoqH"
    "wL8T0+rwDvcXa1jtFVt9LgWlS4Np4adWeNrNzuwD442A3UnU4VrDudcrDVvczkARjVgnku"
    "0Dp8T7oV4D3plqKrbqXBBTULSHYe3WsOEwJmxQDHQhmEByC1LYij9XC3mv/1/f1dSum/vu"
    "1l0P350/UH6NQB6FCIhnaiPPvSzqhVGmAvqFeqmUMWUM+EnRZayXLRMDa9ZSP2DLAN2LFv"
    "4pr2C+Gqlux036ptzM4ELRRY465nch9/fCA2Dj6jFO1UeM5+zlI5wDO6IXyTYVP2vCZSHw"
    "OLwR1U1FaoJHd9VxgeMQmoEwXTZR24eqqy9gzitJLmW1QahEFVRdbweuMPqvoANU1bihW1"
    "iONySZg5VT2Le9aaiN3GFT4E9bV1OLrcpubaHewnVUtbO5cJIAiDCuGvO13d4EodaV9A2q"
    "ZDIVLQCnwKCd2t3K2QUBWrxPma3HEAbzmN7PnvUb9vUYWMKfv9P/X78JMQ+IksYsJ0gyZj"
    "ao6RzU1sI+EPBLVgFCF4IXuqAnM9UhTou63HaO9Cs7wLdW2Eu7cN7s4Quw3rIDBzIO8Fi1"
    "Y5xAmR1lkIu5Uw7i7AuJvHOJqWatq65zKtQ3nzHrJwsq8DcCyh4V0Kr7KL/qemGyEp08LZ"
    "ePMgOwTbxgQ+jk8K5uO/Pd5/LgY6K5c1cMMsgv6LbJhQ9hD0BSArRFJW7Qjcw09X/8rifn"
    "N3f501V6sKrrWX4f/Fy1AjwCu5sODhcD2uWjHSe1+4anK08OGQqFrWNHrcz6rZ30GxGKYx"
    "d4gRWLbXBOp7VUeL+tI27R7zTlVg+Eh2uHLLB0+WqmD6AJ19rIIVBZFILcqIM7XHOLRPfC"
    "OQCwo9CRbiIotGTWltqNCGisYM8B0YKgItN0CpBsgpoTYivfHYvGCWMYZFoQHXdFQ6S6TE"
    "2rSL8Ntu9+Tkots5Ob88O724OLvszCeO/K1FM8j17V/VJJJqiHyQk8RFulQ594vK757zHf"
    "x56DNToYoGPrUlZeKdet5ftmXj2DUT1KF9OrTv9aehfSfdTQjta1qbtjC2r2kQ7yi4b5v8"
    "NeT6BeR1bgQoZ67WvMhy2soQYR631SZxeC/iFXDTXJEn9sR6Y4JgcqAWYRLdfg+v7wyIF6"
    "fYCrNvEWZ6Uxf6DTrs96llhKUMk7pAWvv9N2hC5Rh47jOZQhm1TemJpUqqS6qc2rke9i5G"
    "hAg2qtucP7/13fdBii8bCwmFfA+ZQAfgk4kHpTwCNbsSYRd78okNiIl9QYJ8Xyb3oe0V38"
    "aeOSYCDYI4ACeoWhVwsHiGd4IHO0iM+UREt6cTrLciag7esClv2+6p7OCtA3SRbAtBP+5e"
    "VuHj3ctyQq7uleFed/dnXlLvta3SzdVScloT6LnMtrr162FcBeJyhHMAe2QErwPoWfV22K"
    "bFWjh7VLHllZvycpa8AfXk2FDUt5hUF8OcllpEqPcQ7wUAK4KcARA+zqq3zMUSLeyeVZa2"
    "8oUtt6w1b1tybobd313JOqhTB3Xuf9ShDurcbnZnAGLEi/fElXuc0lLa77RxvxNMEnhAbS"
    "qn0PgvpCDT3KODbbvUWFQk36Id8Sfdi/O53Uj9s8hk9Pjp6u4u72+yKJE43MJZtdsnRHSf"
    "33ifFxJLv5a+EkvscKaPvbv7GNqhvayr9Pe987L6rrViM6cldTM3upmDmOKVPOoFki3SD7"
    "blVU+ilgdbp805ynjWC3rZGrlzwvyvOi9MCfj5LAvrgVQxvcLewFMrTiMZAhgECZRjec9I"
    "j8OfColj4qraMd6/1gxnSYy7gpiW9KgsD2xJzANBwQq7MkKR4MSDIBe1OtZAEBKGeXAX+S"
    "6SYypQEDODDp/8U9LpqL9d/ORfdjrH6vcAfp+dkOGTf37R+RZ+f3sMV06Hpxb8HgzO4a95"
    "Rt4U7evY+fMLolJ+nScHDyODftNhKq8YpuIlZovq7s/SGaYNzqXN+0A02102pbeCBoX5Am"
    "tNU0kRHU9cEI6vjxDTR4g1gEEuP0IsNxFsANSqW6z3FdXk7NeoePeIIRWwgwR5WnAkdaJQ"
    "pc3agMM3IjgNzfWIi6kVbrue1VO8RbuCjA4Kb5a2PcC2GvH197RmBFtzHtqOt7TaoNCt3A"
    "YFwrtrh26n066m0Jxo2fKpOdGmBtjerykrpYvaSJLxO2KNiFc1y3hDR1KV3PXrwVQ1Zf3e"
    "AJTXrpfSm8gBsW1y86qjeVvUZr2DpBODtICyZMbwgkOkg4LB6QTTatwFmhs5/IU4auMtH8"
    "JvRqaIMoRZRETeI0ZeiIdmER1Hs39DRKw8tdlMlcuZz68RS5u1Evz9rRYbWqQrtowQ7UQ3"
    "LKdNz/DxdRwUUfkWOic2H4qHnWAQ1KZDabk2mVp3zIQiTomHEibflU0DKXHdHCs3R31Cqo"
    "noHhDR9GJfkYqmhdo0qDbmoAvYUz1UkyI62nOph6408qu2P6l64FfTem1V2pUesBVcdTIi"
    "7mtC27Iz67K4Jodsozx1Ie4FpHfeIOV0d972y3nup4CEBk42AIknuOh3CMtUDqdDE4vxEa"
    "CImRgS743Ko8yZTVnB2VGbq1Z7+prl6dOs6pXVeAfGAa9lNYgltN2ggt3AIzANkdmiWD10"
    "NCHUun3xW8m5pfmo5qOaj1bmo9ER1MZgWg/bvKDmppqbviY3TfTIDQDcrqOfsuDmR+8aOz"
    "xfIXJiT2Df6ilJiQPtiwJvU8fdL4i9VeXq+rAFYYKqhBoIB7lN3qOJR6UkTDmeFQ0X8DIh"
    "+Q4LIBykYJ4VV1mfiT0sdmZvsO4qXm0++DcxZdgbVWOF/2rvdmO921rBb6mCX3dfZSzRQg"
    "PE5nPGZSa6qihnxFoI9eY3sMaLSH2gCxeLNsC8+R49IEPQ6vMYl6eCiyXWygTXTO2zCNft"
    "HK+lQmfqwD4X0KivdagZr7k1ICmirTMVrDMAlzYdLLXLxJ2qUb7tW4s4LgeiaE4fiMm9NG"
    "krLXS0iB3TuLjhxeWXkmR1wtKQekIi4ZsmEWLo2wgY64R4SHJ0qDZIH6mTk94cVaG36pQk"
    "MhyCfpDnzNt91MKMNFDpevloNGveFWtWTVVDGZ0Vb6Ea2j07q6CHQqnyjPLqXnptHsLzie"
    "d6tMi2X45yRqyFaG8js3xxvuHFmbVLcw7vtRdwEwm1B9yqlU07Kr/7VNot0uX1bu5VmmLv"
    "bJo6G5POxtQAxrY8G9PrELafuE3NQufl7M7RImrmxmUq+SxfiCcUx+HDkPv4A0GtKfJ8m4"
    "gjxYiG3DOBSnncQf1+SIHoCzHUhX4f+UxSO5Bk5ItUeYSK3ZfbeYyOV25WvLI+rna7R3Sl"
    "x0WxklSMdF5y0ychNiGhQhHUBecgQn2+SgxQR8FPymglXyv5WslfrORHjVU3gDYnpz00S/"
    "X9GDPtplmi9Oe6V6NU/+CUigLFPzq9olztN3FVH8xVmOBTCbxDt1Kgvz8gF09tji2kkvYT"
    "T0XAhpq48npQK0zsr7R24qkMOc9kGiXLERK6V0H6nW09pEro4jxpUr1QRa38r6n8Q8NRXH"
    "C444Ij7+YSmyEArwtvRv2vpP0vUP6zuj8Vwl9JbUoJaq2p0VqTR17480qtnJbcQDM3c4Fv"
    "USsboIqIumemZARXmjcb1rLb3mLciOSxr43xhvdHztaUuuQuK6a53VJup0+BqEbsKqRKLe"
    "zAmjEvATY7ZhtFmK+AQZjjg6KNfuGdo4Wb/OIyy2hzOazaB9UsGjrzNNZRqxIibfREbSO0"
    "Tw2qGgjPircQ3eNKfr7jBX6+47yfD54oa/qnEiLaPVXTPZVTv3a5mH39H4oOh3I="
)
