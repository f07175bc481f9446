"""The words of the points pages (``canteen/web/points.py``): the volunteer's ``/points`` and the
office's ``/staff/points``. Keys starting with ``points_js_`` go to ``points.js`` too."""

STRINGS: dict[str, tuple[str, str]] = {
    # The volunteer's page (/points).
    "points_title": ("我的积分", "My points"),
    "points_balance": ("可用积分", "Points held"),
    "points_earned": ("累计获得", "Earned in all"),
    "points_redeemed": ("累计兑换", "Exchanged in all"),
    "points_how": (
        "每送达一户得 {delivery} 分，每处理一条提醒得 {alert} 分；积分可在任一食堂找店长兑换物品。",
        "Each meal delivered earns {delivery} points and each alert you handle {alert}; exchange"
        " them for goods with the manager at any canteen.",
    ),
    "points_entries": ("积分明细", "Entries"),
    "points_none": (
        "还没有积分。送餐送达或处理提醒后，积分会记在这里。",
        "No points yet. Deliver a meal or handle an alert and they are written here.",
    ),
    "points_kind_delivery": ("送餐送达", "Meal delivered"),
    "points_kind_alert": ("处理提醒", "Alert handled"),
    "points_kind_redeem": ("兑换", "Exchanged"),
    "points_meal_breakfast": ("早餐", "breakfast"),
    "points_meal_lunch": ("午餐", "lunch"),
    "points_meal_dinner": ("晚餐", "dinner"),
    "points_alert_missed_meal": ("未按时就餐", "missed meal"),
    "points_alert_not_home": ("送餐无人应门", "no one at home"),
    "points_alert_low_balance": ("余额不足", "low balance"),
    "points_alert_found_wandering": ("走失老人被发现", "found wandering"),
    "points_at_canteen": ("在{canteen}", "at {canteen}"),
    "points_unit": ("分", "pts"),
    # The office's page (/staff/points).
    "points_nav": ("志愿者积分", "Volunteers' points"),
    "points_office_title": ("红马甲志愿者积分", "Red-vest volunteers' points"),
    "points_office_hint": (
        "每月各志愿者获得与兑换的积分，以及当前可用积分。积分只能由送餐送达和处理提醒获得，不能手工添加。",
        "Each volunteer's points earned and exchanged in the month, and held now. Points come"
        " only from meals delivered and alerts handled; none can be added by hand.",
    ),
    "points_month": ("月份", "Month"),
    "points_show": ("查看", "Show"),
    "points_col_volunteer": ("志愿者", "Volunteer"),
    "points_col_earned": ("本月获得", "Earned this month"),
    "points_col_redeemed": ("本月兑换", "Exchanged this month"),
    "points_col_balance": ("当前可用", "Held now"),
    "points_disabled": ("已停用", "disabled"),
    "points_no_volunteers": ("还没有志愿者账号。", "No volunteer accounts yet."),
    "points_totals": ("合计", "Total"),
    "points_redeem": ("兑换物品", "Exchange points for goods"),
    "points_redeem_who": ("志愿者", "Volunteer"),
    "points_redeem_points": ("扣减积分", "Points"),
    "points_redeem_item": ("兑换物品", "Item"),
    "points_redeem_item_hint": ("如：大米 5 斤", "e.g. 5 jin of rice"),
    "points_redeem_go": ("确认兑换", "Record the exchange"),
    # Said by points.js.
    "points_js_working": ("正在提交…", "Sending…"),
    "points_js_done": (
        "已兑换 {points} 分：{item}。剩余 {balance} 分。",
        "Exchanged {points} points for {item}. {balance} left.",
    ),
    "points_js_insufficient_points": (
        "积分不足：只有 {balance} 分。",
        "Not enough points: {balance} held.",
    ),
    "points_js_bad_points": (
        "请填写 1 到 100000 的整数积分",
        "Points: a whole number, 1 to 100000",
    ),
    "points_js_bad_item": ("请填写兑换的物品", "Say what was given"),
    "points_js_pick": ("请选择志愿者", "Choose a volunteer"),
    "points_js_not_found": ("找不到这位志愿者", "No such volunteer"),
    "points_js_network": (
        "网络不通，请稍后再点一次（不会重复扣分）",
        "No connection: tap again later (nothing is taken twice)",
    ),
    "points_js_failed": ("没有成功：{detail}", "Not done: {detail}"),
}
