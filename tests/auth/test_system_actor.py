"""The system actor (the command line, the server's own work) as the audit log and the users
API see it: its entries read as the system, and no user can pass for it."""

from canteen.diners import service as diners
from canteen.roles import SYSTEM
from tests.factories import id_number


async def test_what_the_system_enrols_reads_as_the_system_in_the_audit_log(admin):
    diner = await diners.enrol(SYSTEM, name="周", id_number=id_number("19440404"))
    r = await admin.get("/audit", params={"actor": "system", "object_type": "diner"})
    assert r.status_code == 200, r.text
    entries = [(e["action"], e["object_id"], e["actor"]) for e in r.json()["items"]]
    assert entries == [("diner.enrol", str(diner.id), None)], "no user, the system"
    mine = await admin.get("/audit", params={"actor": admin.actor.username})
    assert mine.json()["items"] == [], "nothing the system did is put on a user"


async def test_no_user_may_be_named_system_or_hold_its_role(admin):
    for name in ("system", "System"):
        r = await admin.post(
            "/users", {"username": name, "password": "long enough", "role": "staff"}
        )
        assert (r.status_code, r.json()["code"]) == (409, "username_taken"), name
    r = await admin.post(
        "/users", {"username": "sys.op", "password": "long enough", "role": "system"}
    )
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")
    assert r.json()["errors"][0]["field"] == "role"
