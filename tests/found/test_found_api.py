"""The found-elder page end to end through HTTP, on SQLite and PostgreSQL: a passer-by's
report raises one found_wandering alert a day, told to the family at once; forged, revoked and
switched-off cards raise nothing; five reports an hour per card; the thread shows no number;
the family's switch is audited."""

from canteen.alerts.models import Alert, Notification
from canteen.audit.models import AuditEntry
from canteen.found.models import FoundReport, FoundScan
from tests.found.conftest import ELDER, FAMILY_PHONE, ID_NUMBER, open_form, report

SECRETS = (
    ELDER["name"],
    ID_NUMBER,
    ID_NUMBER[-4:],
    ELDER["phone"],
    ELDER["address"],
    "和平里",
    FAMILY_PHONE,
)
"""What the found page must never show: full name, ID (or its last 4), the elder's phone,
address, the canteen, and the family's number."""


def reveals(html: str) -> list[str]:
    return [secret for secret in SECRETS if secret in html]


async def test_the_page_shows_the_surname_and_honorific_only(client, elder):
    page, token = await open_form(client, elder.payload)
    assert page.status_code == 200 and token
    assert "王奶奶" in page.text and "我可能走失了" in page.text
    assert reveals(page.text) == []
    assert "geolocation=(self)" in page.headers["permissions-policy"]
    assert '<meta name="robots" content="noindex, nofollow">' in page.text
    home = await client.get("/login")
    assert "geolocation=()" in home.headers["permissions-policy"]
    english = await client.get(f"/q/{elder.payload}?lang=en")
    assert "I may be lost" in english.text and reveals(english.text) == []


async def test_a_report_raises_one_alert_told_to_the_family_and_opens_a_thread(client, elder):
    r = await report(client, elder.payload, where="人民路地铁站 B 口", lat="39.95123", lon="116.40")
    assert r.status_code == 303, r.text
    thread_url = r.headers["location"]
    assert thread_url.startswith("/found/") and thread_url.endswith("?told=1")
    page = await client.get(thread_url)
    assert page.status_code == 200
    assert "家人和社区志愿者已收到通知" in page.text and "王奶奶" in page.text
    assert reveals(page.text) == [] and "13800138000" not in page.text

    alerts = (await elder.family.get("/alerts")).json()["items"]
    assert [(a["kind"], a["status"]) for a in alerts] == [("found_wandering", "open")]
    detail = alerts[0]["detail"]
    assert detail["finder_phone"] == "13800138000" and detail["where"] == "人民路地铁站 B 口"
    assert (detail["lat"], detail["lon"]) == (39.95123, 116.4)
    alert = await Alert.get(id=alerts[0]["id"])
    assert alert.reported_at is not None, "told at once, not at the periodic task's next run"
    told = await Notification.filter(alert_id=alert.id, recipient_id=elder.family.actor.user_id)
    assert told and all(n.status == "sent" for n in told)
    assert "13800138000" in told[0].payload["text_zh"]

    # A second finder the same day attaches to the same alert, with a thread of their own.
    r = await report(client, elder.payload, finder_phone="020-8888 6666")
    assert r.status_code == 303
    assert await Alert.filter(kind="found_wandering").count() == 1
    reports = await FoundReport.filter(alert_id=alert.id).order_by("id")
    assert [x.finder_phone for x in reports] == ["13800138000", "02088886666"]
    assert (await Alert.get(id=alert.id)).detail["finder_phone"] == "13800138000"


async def test_finder_and_family_write_to_each_other_without_numbers(client, elder):
    r = await report(client, elder.payload)
    thread_url = r.headers["location"].split("?")[0]
    page = await client.get(thread_url)
    token = page.text.split('name="form_token" value="')[1].split('"')[0]
    r = await client.post(
        thread_url, data={"body": "老人在我店里<b>喝水</b>，很安全", "form_token": token}
    )
    assert r.status_code == 303
    report_id = (await FoundReport.get()).id
    thread = (await elder.family.get(f"/found-reports/{report_id}")).json()
    assert [(m["author"], m["body"]) for m in thread["messages"]] == [
        ("finder", "老人在我店里<b>喝水</b>，很安全")
    ]
    assert "finder_phone" not in thread
    r = await elder.family.post(
        f"/found-reports/{report_id}/messages", {"body": "谢谢！我十分钟后到"}
    )
    assert r.status_code == 201 and r.json()["author"] == "family"
    page = await client.get(thread_url)
    assert "谢谢！我十分钟后到" in page.text
    assert "&lt;b&gt;喝水&lt;/b&gt;" in page.text and "<b>喝水" not in page.text
    assert reveals(page.text) == [] and "13800138000" not in page.text

    stranger = await elder.admin.client.get("/found/not-a-real-token")
    assert stranger.status_code == 404 and "此二维码未启用" in stranger.text
    r = await elder.family.post(f"/found-reports/{report_id}/messages", {"body": "x" * 501})
    assert r.status_code == 422


async def test_a_stale_or_foreign_form_token_is_refused_and_raises_nothing(client, elder):
    _, token = await open_form(client, elder.payload)
    data = {"finder_phone": "13800138000"}
    r = await client.post(f"/q/{elder.payload}", data={**data, "form_token": token + "0"})
    assert r.status_code == 403 and "页面已过期" in r.text
    client.cookies.clear()  # another site's form: it has no nonce cookie of ours
    r = await client.post(f"/q/{elder.payload}", data={**data, "form_token": token})
    assert r.status_code == 403
    assert await Alert.all().count() == 0
    assert await FoundScan.filter(result="refused").count() == 2


async def test_a_bad_phone_shows_the_form_again_and_raises_nothing(client, elder):
    r = await report(client, elder.payload, finder_phone="12345")
    assert r.status_code == 422 and "请填写正确的手机号" in r.text
    assert 'value="12345"' in r.text and reveals(r.text) == []
    r = await report(client, elder.payload, where="南门\x00口")  # PostgreSQL keeps no NUL
    assert r.status_code == 422 and "地点最多 200 个字，只写文字" in r.text
    assert await Alert.all().count() == 0


async def test_forged_revoked_and_switched_off_cards_show_one_neutral_page(client, elder):
    forged = elder.payload[:-1] + ("A" if elder.payload[-1] != "A" else "B")
    neutral = await client.get(f"/q/{forged}")
    assert neutral.status_code == 404 and "此二维码未启用" in neutral.text
    r = await report(client, forged)
    assert r.status_code == 404

    r = await elder.family.request(
        "PUT", f"/diners/{elder.diner_id}/found-page", json={"enabled": False}
    )
    assert r.status_code == 200 and r.json()["enabled"] is False
    off = await client.get(f"/q/{elder.payload}")
    assert (off.status_code, off.text) == (404, neutral.text)
    r = await client.post(f"/q/{elder.payload}", data={"finder_phone": "13800138000"})
    assert r.status_code == 404
    r = await elder.family.request(
        "PUT", f"/diners/{elder.diner_id}/found-page", json={"enabled": True}
    )
    assert r.json()["enabled"] is True
    assert (await client.get(f"/q/{elder.payload}")).status_code == 200
    switched = await AuditEntry.filter(action="found_page.switch").order_by("id")
    assert [(e.before, e.after) for e in switched] == [
        ({"enabled": True}, {"enabled": False}),
        ({"enabled": False}, {"enabled": True}),
    ]

    await elder.admin.post(f"/cards/{elder.card_id}/revoke", {"reason": "lost"})
    revoked = await client.get(f"/q/{elder.payload}")
    assert (revoked.status_code, revoked.text) == (404, neutral.text)
    assert (await report(client, elder.payload)).status_code == 404

    assert await Alert.all().count() == 0
    results = await FoundScan.all().order_by("id").values_list("card_id", "result")
    assert (None, "not_live") in results and (elder.card_id, "not_live") in results
    assert results.count((elder.card_id, "shown")) == 1


async def test_five_reports_an_hour_then_a_clear_page(client, elder):
    for _ in range(5):
        assert (await report(client, elder.payload)).status_code == 303
    r = await report(client, elder.payload)
    assert r.status_code == 429 and "家人已收到多次通知" in r.text
    assert await FoundReport.all().count() == 5
    assert await FoundScan.filter(result="limited").count() == 1


async def test_the_switch_is_for_the_linked_family_and_the_office(elder, as_role):
    url = f"/diners/{elder.diner_id}/found-page"
    assert (await elder.family.get(url)).json() == {
        "diner_id": elder.diner_id,
        "enabled": True,
        "changed_at": None,
    }
    stranger = await as_role("family")
    r = await stranger.request("PUT", url, json={"enabled": False})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    cashier = await as_role("cashier", canteen_id=1)
    r = await cashier.request("PUT", url, json={"enabled": False})
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    staff = await as_role("staff")
    assert (await staff.request("PUT", url, json={"enabled": False})).status_code == 200
    r = await elder.family.request("PUT", url, json={"enabled": "no"})
    assert r.status_code == 422


async def test_a_json_report_as_api_md_writes_it(client, elder):
    url = f"/q/{elder.payload}"
    r = await client.post(url, json={"finder_phone": "12345"})
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")
    assert r.json()["errors"][0]["field"] == "finder_phone"
    r = await client.post(url, json={"finder_phone": "13800138000", "name": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name"
    r = await client.post(url, json={"finder_phone": "13800138000", "lat": "north"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lat"
    r = await client.post(url, content=b"[1]", headers={"content-type": "application/json"})
    assert (r.status_code, r.json()["code"]) == (400, "malformed_json")
    assert await Alert.all().count() == 0

    r = await client.post(url, json={"finder_phone": "13800138000", "lat": 23.1, "lon": 113.2})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "told" and r.json()["thread_url"].startswith("/found/")
    assert reveals(r.text) == []
    page = await client.get(r.json()["thread_url"])
    assert page.status_code == 200 and reveals(page.text) == []
    alert = await Alert.get(kind="found_wandering")
    assert (alert.detail["lat"], alert.detail["lon"]) == (23.1, 113.2)

    forged = elder.payload[:-1] + ("A" if elder.payload[-1] != "A" else "B")
    r = await client.post(f"/q/{forged}", json={"finder_phone": "13800138000"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    for _ in range(4):
        assert (await client.post(url, json={"finder_phone": "13800138000"})).status_code == 201
    r = await client.post(url, json={"finder_phone": "13800138000"})
    assert (r.status_code, r.json()["code"]) == (429, "too_many_reports")
    assert r.json()["retry_after"] > 0
