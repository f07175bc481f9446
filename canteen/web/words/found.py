"""The found-elder page (``/q/<qr_payload>``), the finder's thread, and the found_wandering
alert, its thread and the switch on the family portal."""

STRINGS: dict[str, tuple[str, str]] = {
    "found_title": ("我可能走失了", "I may be lost"),
    "found_intro": (
        "您好，我是{who}，可能走失了。请帮我联系家人：留下您的电话，家人会马上收到通知并联系您。",
        "Hello, I am {who} and I may be lost. Please help me reach my family: leave your phone"
        " number and they will be told at once and call you.",
    ),
    "found_urgent": (
        "如老人身体不适或有危险，请先拨打 120 或 110。",
        "If they are unwell or in danger, call 120 (ambulance) or 110 (police) first.",
    ),
    "found_phone": ("您的电话（必填）", "Your phone number (required)"),
    "found_phone_hint": (
        "只告诉老人的家人和社区志愿者，不会显示在任何页面上。",
        "Given only to the family and the community's volunteers; shown on no page.",
    ),
    "found_where": ("在哪里发现的（选填）", "Where are you? (optional)"),
    "found_where_hint": ("例如：人民路地铁站 B 口", "For example: Renmin Rd metro, exit B"),
    "found_locate": ("附上我现在的位置", "Add my current location"),
    "found_js_locating": ("正在获取位置……", "Finding your location…"),
    "found_js_located": ("已附上位置 ✓", "Location added ✓"),
    "found_js_locate_failed": (
        "没能获取位置，请在上面写下地点。",
        "Your location could not be found; please write where you are above.",
    ),
    "found_send": ("通知家人", "Tell the family"),
    "found_js_sending": ("正在通知……", "Telling them…"),
    "found_error_finder_phone": (
        "请填写正确的手机号（11 位）或带区号的固话。",
        "Please give a mobile number (11 digits) or a landline with its area code.",
    ),
    "found_error_where": (
        "地点最多 200 个字，只写文字。",
        "Where: plain text, at most 200 characters.",
    ),
    "found_error_lat": ("位置无效，请重新获取或不附位置。", "The location was not valid."),
    "found_error_form": (
        "页面已过期，请再点一次“通知家人”。",
        "This page expired; please press “Tell the family” again.",
    ),
    "found_limited_title": ("家人已收到多次通知", "The family has already been told"),
    "found_limited_text": (
        "这张卡一小时内已收到多次报告，家人和社区志愿者都已收到通知，请稍后再试。"
        "如情况紧急，请拨打 110。",
        "This card has been reported several times this hour; the family and the community's"
        " volunteers have been told. Please try again later, or call 110 if it is urgent.",
    ),
    "found_neutral_title": ("此二维码未启用", "This code is not in use"),
    "found_neutral_text": (
        "这个二维码没有可显示的信息。如遇老人需要帮助，请拨打 110。",
        "There is nothing to show for this code. If an elder needs help, please call 110.",
    ),
    "found_told": (
        "谢谢您！家人和社区志愿者已收到通知，会尽快联系您。",
        "Thank you! The family and the community's volunteers have been told and will call you.",
    ),
    "found_keep_link": (
        "请保留本页链接：家人可以在这里给您留言，您也可以在这里回复。双方都看不到对方的电话号码。",
        "Keep this page's link: the family can write to you here and you can answer. Neither"
        " side sees the other's phone number.",
    ),
    "found_thread_title": ("与{who}家人的留言", "Messages with {who}'s family"),
    "found_no_messages": ("还没有留言。", "No messages yet."),
    "found_from_finder": ("发现人", "Finder"),
    "found_from_family": ("家人", "Family"),
    "found_you": ("您", "You"),
    "found_write": ("留言", "Message"),
    "found_write_send": ("发送", "Send"),
    "found_refresh": ("刷新看新留言", "Refresh for new messages"),
    "found_error_body": ("留言请写 1 到 500 个字。", "A message is 1 to 500 characters."),
    "found_reported_at": ("{time} 报告", "Reported {time}"),
    "found_map": ("在地图上查看", "See on a map"),
    # The family portal: the alert, its threads, the switch.
    "family_alert_found_wandering": ("有人发现老人可能走失", "Found, may be lost"),
    "family_alert_found_text": (
        "{date} 有人扫了老人的卡，报告老人可能走失。请尽快联系发现人。",
        "On {date} someone scanned the card and reported that they may be lost. Please call"
        " the finder.",
    ),
    "found_family_phone": ("发现人电话：", "Finder's phone: "),
    "found_family_where": ("地点：", "Where: "),
    "found_family_thread": ("与发现人的留言", "Messages with the finder"),
    "found_family_js_send": ("发送", "Send"),
    "found_family_js_working": ("正在发送……", "Sending…"),
    "found_family_js_empty": ("请写下要说的话。", "Please write your message."),
    "found_family_js_failed": ("没有发送成功：{detail}", "Not sent: {detail}"),
    "found_family_js_on": (
        "已开启：路人扫卡可以通知您。",
        "On: a passer-by who scans the card can tell you.",
    ),
    "found_family_js_off": (
        "已关闭：扫卡只会看到“此二维码未启用”。",
        "Off: scanning the card shows only “This code is not in use”.",
    ),
    "found_switch_title": ("走失求助页", "Found-elder page"),
    "found_switch_text": (
        "老人卡上的二维码用手机扫描后，会打开一个只显示姓氏称呼（如“王奶奶”）的求助页，"
        "发现人留下电话后您会马上收到通知。",
        "The QR code on the card opens, on any phone, a help page that shows only how to address"
        " them (e.g. 王奶奶); when a finder leaves a number you are told at once.",
    ),
    "found_family_js_turn_on": ("开启求助页", "Switch on"),
    "found_family_js_turn_off": ("关闭求助页", "Switch off"),
}
