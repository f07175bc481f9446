"""Words of the kitchen page (``/kitchen``) and the waste panel of ``/staff/sustainability``.
Keys starting with ``kitchen_js_`` also go to ``kitchen.js``. The kitchen count's ``basis``
(``kitchen_basis_*``, ``kitchen_weekday_*``) stays in ``canteen.web.i18n`` beside the API's
other words."""

STRINGS: dict[str, tuple[str, str]] = {
    "kitchen_title": ("厨房备餐", "Kitchen"),
    "kitchen_canteen": ("食堂", "Canteen"),
    "kitchen_date": ("日期", "Date"),
    "kitchen_meal": ("餐次", "Meal"),
    "kitchen_meal_breakfast": ("早餐", "Breakfast"),
    "kitchen_meal_lunch": ("午餐", "Lunch"),
    "kitchen_meal_dinner": ("晚餐", "Dinner"),
    "kitchen_show": ("查看", "Show"),
    "kitchen_for": ("{date}（{weekday}）{meal}", "{meal}, {weekday} {date}"),
    "kitchen_today": ("今天", "today"),
    "kitchen_summary": ("备餐概况", "Summary"),
    "kitchen_eat_in": ("预订堂食", "Ordered, eat in"),
    "kitchen_eat_in_one": ("堂食", "Eat in"),
    "kitchen_delivery": ("送餐上门", "Delivered"),
    "kitchen_walk_ins": ("预计散客", "Walk-ins expected"),
    "kitchen_to_cook": ("需备份数", "To cook"),
    "kitchen_cooked": ("实做份数", "Cooked"),
    "kitchen_sold": ("已售份数", "Sold"),
    "kitchen_left_over": ("剩余份数", "Left over"),
    "kitchen_of_cooked": ("占实做 {pct}%", "{pct}% of cooked"),
    "kitchen_by_dish": ("每道菜", "By dish"),
    "kitchen_dish": ("菜品", "Dish"),
    "kitchen_no_dishes": (
        "这一餐没有菜单，也没有预订和往期销售，无从计算。",
        "No menu, orders or past sales for this meal: nothing to count.",
    ),
    "kitchen_how": ("怎么算的", "How this was worked out"),
    "kitchen_method": (
        "需备份数 = 预订堂食 + 送餐上门 + 预计散客。预计散客取前几周同一个星期几的散客"
        "（没有预订、直接来吃的）人数平均，有 3 周以上时再加上近期趋势的四分之一；"
        "按各菜品以往散客所占比例分到每道菜。",
        "To cook = ordered to eat in + delivered + walk-ins expected. The walk-ins (meals not"
        " ordered ahead) are the average of the same weekday in recent weeks, plus a quarter of"
        " the recent trend once there are 3 weeks or more, shared among the dishes by what"
        " walk-ins chose before.",
    ),
    "kitchen_record_title": ("餐后登记实做份数", "After the meal: portions cooked"),
    "kitchen_after_meal": (
        "这一餐 {end} 结束后，在这里登记每道菜实际做了多少份，就能看到剩余和浪费。",
        "Once this meal is over ({end}), record here how many portions of each dish were"
        " cooked, to see what was left over.",
    ),
    "kitchen_record_hint": (
        "已按需备份数预填，请改成实际做的份数。",
        "Filled in with what was to cook: change it to what was cooked.",
    ),
    "kitchen_record_again": (
        "已登记过；改动后再保存会替换原来的份数。",
        "Already recorded; saving again replaces it.",
    ),
    "kitchen_portions": ("份", "portions"),
    "kitchen_record": ("保存实做份数", "Save portions cooked"),
    "kitchen_orders": ("当餐预订（{n}）", "Orders for this meal ({n})"),
    "kitchen_no_orders": ("这一餐没有预订。", "No orders for this meal."),
    "kitchen_diner": ("老人", "Elder"),
    "kitchen_how_served": ("方式", "How"),
    "kitchen_status": ("状态", "Status"),
    "kitchen_note": ("饮食 / 备注", "Diet / note"),
    "kitchen_status_placed": ("待取餐", "To collect"),
    "kitchen_status_fulfilled": ("已取餐", "Collected"),
    "kitchen_status_missed": ("未取", "Missed"),
    "kitchen_js_saving": ("正在保存…", "Saving…"),
    "kitchen_js_saved": ("已保存", "Saved"),
    "kitchen_js_failed": ("保存失败，请重试", "Could not save; try again"),
    "kitchen_js_network": ("网络不通，未保存，请重试", "No connection: not saved, try again"),
    "kitchen_js_validation_error": (
        "份数须为 0 到 5000 的整数，日期不能晚于今天",
        "Portions must be whole numbers from 0 to 5000, and the day not after today",
    ),
    "kitchen_js_unknown_offering": (
        "有菜品不在本食堂这一餐的价目表上",
        "A dish is not on this canteen's price list for this meal",
    ),
    "kitchen_js_forbidden": ("您的账号不能登记实做份数", "Your account cannot record this"),
    "kitchen_js_not_found": ("找不到这个食堂", "Canteen not found"),
    # The waste panel of /staff/sustainability (reports.sustainability.waste).
    "kitchen_waste_title": ("剩餐浪费", "Food left over"),
    "kitchen_waste_none": (
        "这段时间厨房没有登记实做份数。在“厨房备餐”页面餐后登记后，这里会显示剩余份数、浪费率和成本。",
        "No portions cooked were recorded in this span. Once the kitchen records them after"
        " each meal (on the Kitchen page), the portions left over, the waste rate and their"
        " cost show here.",
    ),
    "kitchen_waste_rate": ("浪费率", "Waste rate"),
    "kitchen_waste_cost": ("浪费成本", "Cost of waste"),
    "kitchen_waste_per_portion": ("每份食材成本", "Food cost a portion"),
    "kitchen_waste_days": ("登记天数", "Days recorded"),
    "kitchen_waste_month": ("月份", "Month"),
    "kitchen_waste_how": (
        "浪费率 = 剩余份数 ÷ 实做份数（只算登记了的菜和餐次）。每份食材成本 = 当月食材支出 ÷"
        " 当月做的全部份数（售出的餐 + 剩余份数）；浪费成本 = 剩余份数 × 每份食材成本。"
        "没有登记的餐次按没有剩余计。",
        "Waste rate = portions left over ÷ portions cooked (of the dishes and meals recorded)."
        " A portion's food cost = the month's ingredients ÷ every portion cooked that month"
        " (meals sold + portions left over); cost of waste = portions left over × that cost."
        " A meal without a record counts as nothing left over.",
    ),
}
