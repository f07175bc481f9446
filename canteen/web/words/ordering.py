"""The words of ordering meals ahead: the family portal's and the office's order section, the
canteen page's menus, cut-offs and delivery fee, and the counter's menu of the day.

Keys starting with ``order_js_`` go to ``ordering.js`` too, ``menu_js_`` to ``menus.js``.
"""

STRINGS: dict[str, tuple[str, str]] = {
    # The order section (family portal and the office's elder page).
    "order_title": ("预订餐食", "Order meals ahead"),
    "order_where": ("在{canteen}用餐或送餐上门", "At {canteen}, to eat in or brought home"),
    "order_no_canteen": (
        "这位长者还没有登记常去的食堂，不能预订。",
        "This elder has no home canteen yet, so nothing can be ordered.",
    ),
    "order_inactive": (
        "这位长者的状态是「{status}」，不能预订。",
        "This elder is {status}: no meal can be ordered.",
    ),
    "order_no_menu": (
        "食堂还没有公布这几天的菜单。",
        "The canteen has not published a menu for these days yet.",
    ),
    "order_menu_week": ("本周菜单", "This week's menu"),
    "order_today": ("今天", "today"),
    "order_tomorrow": ("明天", "tomorrow"),
    "order_weekday_0": ("周一", "Mon"),
    "order_weekday_1": ("周二", "Tue"),
    "order_weekday_2": ("周三", "Wed"),
    "order_weekday_3": ("周四", "Thu"),
    "order_weekday_4": ("周五", "Fri"),
    "order_weekday_5": ("周六", "Sat"),
    "order_weekday_6": ("周日", "Sun"),
    "order_day": ("{month}月{day}日 {weekday}", "{weekday} {day}/{month}"),
    "order_price": ("¥{price}", "¥{price}"),
    "order_closes": ("{at} 截止预订", "orders close {at}"),
    "order_closed": ("已截止预订（{at}）", "ordering closed ({at})"),
    "order_eat_in": ("到店吃", "Eat in"),
    "order_deliver": ("送餐上门", "Bring it home"),
    "order_deliver_fee": ("送餐上门 +¥{fee}", "Bring it home +¥{fee}"),
    "order_fee_note": (
        "送餐费 ¥{fee}；补贴和自付金额在预订后显示，取餐或送到时才扣款。",
        "Delivery fee ¥{fee}; the subsidy and what to pay show once ordered, and the money is"
        " taken only when the meal is handed over.",
    ),
    "order_no_fee_note": (
        "送餐不收费；补贴和自付金额在预订后显示，取餐或送到时才扣款。",
        "Delivery is free; the subsidy and what to pay show once ordered, and the money is taken"
        " only when the meal is handed over.",
    ),
    "order_dishes": ("菜品：{dishes}", "Dishes: {dishes}"),
    "order_allergens": ("含：{allergens}", "Contains: {allergens}"),
    "order_clash_allergen": ("⚠ 含{x}，长者对此过敏", "⚠ Contains {x}: the elder is allergic"),
    "order_clash_diet": ("⚠ 不是{diet}", "⚠ Not {diet}"),
    "order_note": ("给食堂的备注（可不填）", "A note for the canteen (optional)"),
    "order_open": ("已预订", "Ordered"),
    "order_none_open": ("没有待取的预订", "No orders waiting"),
    "order_status_placed": ("待取餐", "waiting"),
    "order_status_cancelled": ("已取消", "cancelled"),
    "order_status_fulfilled": ("已取餐", "handed over"),
    "order_status_missed": ("未取餐", "not collected"),
    "order_way_eat_in": ("到店吃", "eat in"),
    "order_way_delivery": ("送餐上门", "brought home"),
    "order_pay_estimate": ("预计自付 ¥{pay}", "about ¥{pay} to pay"),
    "order_cancel": ("取消预订", "Cancel"),
    "order_cancel_until": ("{at} 前可取消", "can be cancelled until {at}"),
    "order_cancel_closed": (
        "已过截止时间，如需取消请联系食堂",
        "Past the cut-off: ask the canteen",
    ),
    "order_js_working": ("正在处理…", "Working…"),
    "order_js_pay": ("预计自付 ¥{pay}", "about ¥{pay} to pay"),
    "order_js_cancel": ("取消预订", "Cancel"),
    "order_js_cancel_until": ("{at} 前可取消", "can be cancelled until {at}"),
    "order_js_placed": (
        "已预订 {day} {meal}「{dish}」，{way}。价格 ¥{price}，补贴 ¥{subsidy}，送餐费 ¥{fee}，"
        "预计自付 ¥{pay}。",
        "Ordered {meal} on {day}, {dish}, {way}. Price ¥{price}, subsidy ¥{subsidy}, delivery"
        " ¥{fee}: about ¥{pay} to pay.",
    ),
    "order_js_placed_eat_in": (
        "已预订 {day} {meal}「{dish}」，{way}。价格 ¥{price}，补贴 ¥{subsidy}，预计自付 ¥{pay}。",
        "Ordered {meal} on {day}, {dish}, {way}. Price ¥{price}, subsidy ¥{subsidy}: about ¥{pay}"
        " to pay.",
    ),
    "order_js_cancelled": ("已取消，不收费", "Cancelled, at no cost"),
    "order_js_order_cutoff_passed": (
        "已过预订截止时间（{at}），不能再预订或取消这一餐。",
        "Ordering for this meal closed at {at}: it can no longer be ordered or cancelled.",
    ),
    "order_js_not_on_menu": (
        "这道菜不在当天的菜单上了，请刷新页面看最新菜单。",
        "That dish is no longer on the day's menu: reload the page for the latest menu.",
    ),
    "order_js_diner_inactive": (
        "这位长者的账户已停用，不能预订。",
        "This elder's account is not active: no meal can be ordered.",
    ),
    "order_js_insufficient_balance": (
        "余额不够：加上其他待取的预订，还差 ¥{short}。请先充值。",
        "The balance is not enough: with the other orders waiting, ¥{short} is missing."
        " Please top up first.",
    ),
    "order_js_order_exists": (
        "这一餐已经预订过了，可以在下面的「已预订」里查看或取消。",
        "This meal is already ordered: see or cancel it under Ordered below.",
    ),
    "order_js_order_not_open": (
        "这份预订已经取餐、取消或过期，请刷新页面。",
        "This order was already handed over, cancelled or missed: reload the page.",
    ),
    "order_js_validation_error": (
        "填写的内容不对：{detail}，请刷新页面再试。",
        "Something in the order is not right: {detail}. Reload the page and try again.",
    ),
    "order_js_not_found": ("找不到这条记录，请刷新页面", "Not found: reload the page"),
    "order_js_forbidden": ("您的账号不能这样做", "Your account may not do this"),
    "order_js_network": ("网络故障，请重试", "Network problem, please try again"),
    "order_js_failed": ("出错了：{detail}", "Something went wrong: {detail}"),
    # The canteen page (staff_canteen.html): menus, cut-offs and the delivery fee.
    "menu_title": ("菜单", "Menus"),
    "menu_hint": (
        "每天每餐勾选供应的菜品，写上菜名和过敏原（用逗号或顿号分开）；只有菜单上的才能预订。",
        "Tick what each meal serves, and write its dishes and allergens (separated by commas);"
        " only what is on the menu can be ordered.",
    ),
    "menu_week_of": ("{start} 至 {end}", "{start} to {end}"),
    "menu_prev": ("← 上一周", "← Previous week"),
    "menu_next": ("下一周 →", "Next week →"),
    "menu_serve": ("供应", "Served"),
    "menu_dishes": ("菜名", "Dishes"),
    "menu_allergens": ("过敏原", "Allergens"),
    "menu_dishes_example": ("如：红烧鱼、炒青菜", "e.g. braised fish, greens"),
    "menu_save_day": ("保存这天的菜单", "Save this day's menu"),
    "menu_nothing": ("价目表上还没有在售的菜品", "No dish on sale on the price list yet"),
    "menu_empty_day": ("未设菜单", "no menu"),
    "menu_orders_title": ("预订与送餐", "Orders ahead and delivery"),
    "menu_cutoff": ("预订截止", "Orders close"),
    "menu_cutoff_time": ("时间", "Time"),
    "menu_day_before": ("前一天", "the day before"),
    "menu_same_day": ("当天", "the same day"),
    "menu_delivery_fee": ("送餐费（元，0 到 10）", "Delivery fee (yuan, 0 to 10)"),
    "menu_save_orders": ("保存截止时间和送餐费", "Save the cut-offs and delivery fee"),
    "menu_js_saved": ("已保存", "Saved"),
    "menu_js_working": ("正在保存…", "Saving…"),
    "menu_js_bad_fee": ("送餐费是 0 到 10 元", "The delivery fee is 0 to 10 yuan"),
    "menu_js_bad_time": ("请填写时间", "Enter a time"),
    "menu_js_unknown_offering": (
        "有菜品已下架或不属于这一餐，请刷新页面",
        "A dish is off sale or not for this meal: reload the page",
    ),
    "menu_js_validation_error": ("请修改：{detail}", "Fix: {detail}"),
    "menu_js_forbidden": ("您的账号不能这样做", "Your account may not do this"),
    "menu_js_network": ("网络故障，请重试", "Network problem, please try again"),
    "menu_js_failed": ("出错了：{detail}", "Something went wrong: {detail}"),
    # The counter's panel of today's menu (counter.html).
    "order_counter_menu": ("今日菜单", "Today's menu"),
    "order_counter_no_menu": ("今天没有设菜单", "No menu set for today"),
}
