"""What the office's record of an elder needs from the API: the family links listed, and a
status change kept in the audit trail with its reason."""

from tests.diners.test_diners_api import enrolment


async def test_a_status_change_keeps_its_reason_in_the_audit_trail(admin):
    diner = (await admin.post("/diners", enrolment())).json()["id"]
    r = await admin.patch(f"/diners/{diner}", {"status": "suspended", "reason": "住院三个月"})
    assert r.status_code == 200 and r.json()["status"] == "suspended"
    assert "reason" not in r.json()
    audit = (
        await admin.get("/audit", params={"object_type": "diner", "object_id": str(diner)})
    ).json()["items"]
    assert audit[0]["after"] == {"status": "suspended", "reason": "住院三个月"}
    r = await admin.patch(f"/diners/{diner}", {"status": "active", "reason": ""})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"


async def test_the_family_links_of_an_elder_are_listed_oldest_first(admin, as_role):
    diner = (await admin.post("/diners", enrolment())).json()["id"]
    assert (await admin.get(f"/diners/{diner}/family")).json()["items"] == []
    daughter, son = await as_role("family"), await as_role("family")
    for who, relation in ((daughter, "女儿"), (son, "儿子")):
        body = {"username": who.actor.username, "relation": relation}
        assert (await admin.post(f"/diners/{diner}/family", body)).status_code == 201
    r = await admin.get(f"/diners/{diner}/family")
    assert r.status_code == 200
    assert [(x["username"], x["relation"]) for x in r.json()["items"]] == [
        (daughter.actor.username, "女儿"),
        (son.actor.username, "儿子"),
    ]
    assert (await daughter.get(f"/diners/{diner}/family")).status_code == 403
    assert (await admin.get("/diners/99999/family")).status_code == 404
