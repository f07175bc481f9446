"""The words of the offline counter (``static/counter/offline.js``) and of the manager's
reconciliation list. Keys starting with ``counter_`` go to the counter's script too."""

STRINGS: dict[str, tuple[str, str]] = {
    # The counter's status line and quote.
    "counter_offline_now": (
        "离线：连不上服务器，按本机快照售餐",
        "Offline: selling from this counter's snapshot",
    ),
    "counter_offline_waiting": ("{n} 笔待上传", "{n} sales waiting to be sent"),
    "counter_offline_stuck": (
        "待上传的销售被服务器拒收（{code}），请告诉店长",
        "The server refused the waiting sales ({code}); tell the manager",
    ),
    "counter_offline_sold": (
        "离线售出，联网后自动上传",
        "Sold offline: sent when the server is back",
    ),
    "counter_offline_priced": (
        "离线：按本机快照计价",
        "Offline: priced from this counter's snapshot",
    ),
    "counter_offline_cash_only": ("离线：只能收现金", "Offline: cash only"),
    # Why a scan or an account sale cannot be made offline.
    "counter_err_offline_no_snapshot": (
        "离线，且本机没有快照：无法识别卡片。请按价目表收现金。",
        "Offline, and this counter holds no snapshot: the card cannot be read. Take cash at the"
        " listed price.",
    ),
    "counter_err_offline_unknown_card": (
        "这张卡不在本机的离线名单里（不是本店的老人，或卡无效），离线时不能售餐记账。",
        "This card is not in the counter's offline list (not this canteen's elder, or not a"
        " valid card): no account sale offline.",
    ),
    "counter_err_offline_card_only": (
        "离线时只能扫卡售餐。",
        "Offline, a sale needs the card scanned.",
    ),
    "counter_err_offline_expired": (
        "离线快照已过期：只能收现金。",
        "The offline snapshot has expired: cash only.",
    ),
    "counter_err_offline_sale_cap": (
        "离线时单笔记账超过上限：请收现金。",
        "Offline, one account sale may not be this much: take cash.",
    ),
    "counter_err_offline_day_cap": (
        "离线时这位老人今天的记账已到上限：请收现金。",
        "Offline, this elder's account has paid its most for today: take cash.",
    ),
    # The manager's reconciliation list (/counter/reconciliation).
    "offline_title": ("离线对账", "Offline reconciliation"),
    "offline_intro": (
        "离线售出、但服务器没能按收银台当时的价格入账的销售。差额由运营方承担，不向财政申领，也不让余额变负。",
        "Sales made offline that the server could not apply as the counter priced them. The"
        " operator bears the difference: it is claimed from no funder and no balance goes below"
        " zero.",
    ),
    "offline_none": ("没有需要对账的离线销售。", "No offline sale to reconcile."),
    "offline_made_at": ("售出时间", "Made at"),
    "offline_diner": ("老人", "Elder"),
    "offline_outcome": ("处理", "Outcome"),
    "offline_reason": ("原因", "Reason"),
    "offline_price": ("价格", "Price"),
    "offline_told": ("当时应付", "Told to pay"),
    "offline_paid": ("实付", "Paid"),
    "offline_operator": ("运营方承担", "Operator bears"),
    "offline_seller": ("收银员", "Cashier"),
    "offline_outcome_reconciled": ("已入账，有差额", "Recorded, with a difference"),
    "offline_outcome_refused": ("未入账", "Not recorded"),
    "offline_reason_limit_used": ("补贴次数已被别处用掉", "Subsidy limit used elsewhere"),
    "offline_reason_balance_short": ("余额已在别处花掉", "Balance spent elsewhere"),
    "offline_reason_priced_differently": ("价格与服务器不同", "Priced differently"),
    "offline_reason_card_revoked": ("卡已挂失/注销", "Card revoked"),
    "offline_reason_card_invalid": ("卡无效", "Card not valid"),
    "offline_reason_diner_inactive": ("老人已停用", "Elder no longer active"),
    "offline_reason_snapshot_expired": (
        "快照已过期仍记账",
        "Account sale past the snapshot's expiry",
    ),
    "offline_reason_snapshot_invalid": ("快照签名不符", "Snapshot signature does not match"),
    "offline_reason_made_at_invalid": ("售出时间不合理", "Sale time out of range"),
    "offline_reason_unknown_offering": ("菜品已下架", "Dish no longer listed"),
    "offline_total": ("运营方共承担 {amount} 元", "The operator bears {amount} yuan in all"),
    "offline_link": ("离线对账", "Offline reconciliation"),
}
