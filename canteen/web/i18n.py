"""Words on the pages, Chinese first and English on request (``?lang=en``, kept in a cookie)."""

from collections.abc import Callable

from starlette.requests import Request

LANGUAGES = ("zh", "en")
LANG_COOKIE = "canteen_lang"

STRINGS: dict[str, tuple[str, str]] = {
    # key: (中文, English)
    "app_name": ("长者食堂", "Community canteen"),
    "login": ("登录", "Log in"),
    "logout": ("退出", "Log out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "invalid_credentials": ("用户名或密码不对", "Wrong username or password"),
    "too_many_attempts": (
        "尝试次数过多，请 {seconds} 秒后再试",
        "Too many attempts; try again in {seconds} s",
    ),
    "csrf_failed": ("页面已过期，请刷新后重试", "This page expired; reload it and try again"),
    "switch_language": ("English", "中文"),
    "forbidden_page": ("您的账号不能使用此页面。", "Your account cannot use this page."),
}


def language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh"
    return chosen if chosen in LANGUAGES else "zh"


def translator(lang: str) -> Callable[..., str]:
    """``t("key", name=value)`` in the page's language; an unknown key shows itself."""
    index = LANGUAGES.index(lang)

    def t(key: str, **values: object) -> str:
        text = STRINGS[key][index] if key in STRINGS else key
        return text.format(**values) if values else text

    return t
