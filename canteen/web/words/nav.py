"""The words of the site's menu (``canteen/web/nav.py``, shown in ``base.html``'s header). The
office's pages keep the words of their tabs (``staff_nav_*`` and their areas' own)."""

STRINGS: dict[str, tuple[str, str]] = {
    "nav_menu": ("功能", "Pages"),
    "nav_counter": ("收银台", "Counter"),
    "nav_reconciliation": ("离线对账", "Offline reconciliation"),
    "nav_kitchen": ("厨房备餐", "Kitchen"),
    "nav_deliver": ("今日送餐", "Today's deliveries"),
    "nav_deliver_plan": ("送餐安排", "Delivery runs"),
    "nav_watch": ("我看护的老人", "Elders I watch over"),
    "nav_points": ("我的积分", "My points"),
    "nav_family": ("我的家人", "My family"),
}
