"""The words of the family portal's choice of channels (``family_channels.html``). Keys
starting with ``notify_js_`` go to ``notify.js`` too."""

STRINGS: dict[str, tuple[str, str]] = {
    "notify_title": ("提醒方式", "How you are told"),
    "notify_hint": (
        "所有提醒都显示在本页。还可以选择同时用短信或微信通知您。",
        "Every alert is shown on this page. You can also be told by SMS or WeChat.",
    ),
    "notify_sms": ("短信", "SMS"),
    "notify_wechat": ("微信", "WeChat"),
    "notify_off": ("本服务暂未开通", "not offered by this service yet"),
    "notify_wechat_unbound": (
        "请先在微信小程序中登录，绑定后即可选择",
        "log in through the WeChat mini program to bind it first",
    ),
    "notify_phone": ("接收短信的手机号", "Mobile number for SMS"),
    "notify_phone_hint": ("不填则用账号登记的手机号", "Empty: the number on your account"),
    "notify_save": ("保存提醒方式", "Save"),
    "notify_js_saved": ("已保存", "Saved"),
    "notify_js_working": ("正在保存…", "Saving…"),
    "notify_js_bad_phone": ("请填写 11 位手机号", "An 11-digit mobile number, please"),
    "notify_js_need_phone": (
        "选择短信需要一个手机号",
        "SMS needs a mobile number",
    ),
    "notify_js_network": ("网络不通，请稍后再试", "No connection; try again later"),
    "notify_js_failed": ("没有保存成功：{detail}", "Not saved: {detail}"),
}
