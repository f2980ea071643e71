"""The staff console's words, in Chinese and English: one table, so a page cannot be half done."""

from __future__ import annotations

LANGUAGES = ("zh_CN", "en")

WORDS: dict[str, tuple[str, str]] = {
    "console": ("营业基站服务中心", "Base-station service center"),
    "sign_in": ("登录", "Sign in"),
    "login": ("账号", "Login"),
    "password": ("密码", "Password"),
    "wrong": ("账号或密码不正确。", "Wrong login or password."),
    "locked": (
        "连续输错密码次数过多，账号已锁定，请于 {until} 后再试。",
        "Too many wrong passwords: the account is locked until {until}.",
    ),
    "expired": ("页面已过期，请重新提交。", "This form has expired. Please send it again."),
    "sign_out": ("退出登录", "Sign out"),
    "sign_out_everywhere": ("退出所有设备上的登录", "Sign out everywhere"),
    "signed_in_as": ("当前登录：{name}（{role}）", "Signed in as {name} ({role})"),
    "home": ("首页", "Home"),
    "kiosks": ("自助终端", "Kiosks"),
    "audit": ("操作记录", "Audit trail"),
    "callbacks": ("回电请求", "Call-back requests"),
    "phone": ("电话", "Phone"),
    "language": ("语言", "Language"),
    "asked_at": ("请求时间（UTC）", "Asked at (UTC)"),
    "called_back": ("已回电", "Called back"),
    "mark_called": ("标记为已回电", "Mark as called back"),
    "no_callbacks": ("暂无回电请求。", "No call-back requests."),
    "action_call_back_done": ("已回电", "called back"),
    "your_activity": ("您最近的操作", "Your recent activity"),
    "nothing_yet": ("暂无记录。", "Nothing yet."),
    "when": ("时间（UTC）", "When (UTC)"),
    "who": ("人员", "Who"),
    "what": ("操作", "What"),
    "kiosk": ("终端", "Kiosk"),
    "detail": ("说明", "Detail"),
    "last_seen": ("最近心跳", "Last heartbeat"),
    "queue": ("待发事件", "Events waiting"),
    "devices": ("设备", "Devices"),
    "locked_kiosk": ("已锁定", "Locked"),
    "pending": ("待执行指令", "Pending commands"),
    "no_kiosks": ("尚未收到任何终端的心跳。", "No kiosk has reported yet."),
    "not_allowed": ("您的角色无权查看此页面。", "Your role may not open this page."),
    "role_agent": ("坐席", "agent"),
    "role_reviewer": ("审核员", "reviewer"),
    "role_operator": ("运维", "operator"),
    "role_admin": ("管理员", "admin"),
    "other_language": ("English", "中文"),
    "action_login": ("登录", "signed in"),
    "action_login_failed": ("密码错误", "wrong password"),
    "action_login_unknown": ("未知账号尝试登录", "unknown login tried"),
    "action_login_while_locked": ("锁定期间尝试登录", "tried while locked"),
    "action_locked": ("账号锁定", "account locked"),
    "action_logout": ("退出登录", "signed out"),
    "action_logout_everywhere": ("退出所有登录", "signed out everywhere"),
    "action_staff_added": ("新增人员账号", "staff account added"),
}


def words_in(language: str) -> dict[str, str]:
    index = 1 if language == "en" else 0
    return {key: pair[index] for key, pair in WORDS.items()}
