"""What an SMS or a WeChat subscription message says: short, in Chinese, from an alert's payload.

Both carry the same four things (the elder, what happened, the day, what to do); the template
registered with each provider words them around: e.g. the SMS template
``您的家人${name}${date}${event}，请尽快联系确认。`` Providers limit a variable's length (an SMS
variable to 35 characters, a WeChat ``thing`` to 20, a ``name`` to 10), so each is cut to fit.
"""

from typing import Any

EVENTS = {
    "missed_meal": "未按时来食堂吃饭",
    "not_home": "送餐上门时无人应门",
    "low_balance": "餐费余额不足",
    "found_wandering": "被路人发现可能走失",
}
ADVICE = {"low_balance": "请及时充值"}
DEFAULT_ADVICE = "请尽快联系确认老人平安"


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parts(kind: str, payload: dict[str, Any]) -> dict[str, str]:
    """``name``, ``event``, ``date`` and ``advice`` of one notification."""
    return {
        "name": str(payload.get("diner_name", "")),
        "event": EVENTS.get(kind, kind),
        "date": str(payload.get("local_date", "")),
        "advice": ADVICE.get(kind, DEFAULT_ADVICE),
    }
