"""The business screens' words for the catalogue's ids: businesses, documents, fields, choices.

The domain keeps ids only (kiosk/domain/applications.py); these tables say them in both
languages, as the utility's words are said (`in_language`). The business names are the slip's,
so screen and paper never call one business by two names.
"""

from __future__ import annotations

from kiosk.services.receipt import BUSINESS_NAMES
from kiosk.ui.translations import in_language
from rules.utility_words import Said

DOCUMENTS = {
    "ownership-proof": Said("房屋产权证明", "Proof of ownership"),
    "household-register": Said("户口簿", "Household register"),
    "parking-proof": Said("车位产权证明或租赁合同", "Parking space proof or lease"),
    "property-consent": Said("物业同意安装证明", "Property manager's consent"),
    "roof-consent": Said("屋顶使用同意证明", "Consent to use the roof"),
    "fault-photo": Said("故障处照片", "Photo of the fault"),
}

FIELDS = {
    "phone": Said("手机号码（接收进度短信）", "Mobile number (for progress SMS)"),
    "members": Said("户籍人口数", "Registered household members"),
    "capacity_kw": Said("申请容量（千瓦）", "Capacity wanted (kW)"),
    "reason": Said("您发现的问题", "What seems wrong"),
    "charger_kw": Said("充电桩功率（千瓦）", "Charger power (kW)"),
    "parking_space": Said("车位编号", "Parking space number"),
    "pv_kw": Said("光伏容量（千瓦）", "Solar capacity (kW)"),
    "pv_mode": Said("消纳方式", "How the power is used"),
    "fault": Said("故障情况", "What is wrong"),
    "location": Said("故障位置", "Where"),
}

CHOICES = {
    "too_fast": Said("电表走得快", "The meter runs fast"),
    "too_slow": Said("电表走得慢", "The meter runs slow"),
    "display": Said("显示异常", "The display is wrong"),
    "surplus_to_grid": Said("自发自用、余电上网", "Use it, sell the rest"),
    "all_to_grid": Said("全额上网", "Sell all of it"),
    "no_power": Said("停电", "No power"),
    "flicker": Said("电压不稳、灯闪", "Flickering lights"),
    "meter": Said("电表故障", "Meter fault"),
    "wire": Said("线路故障", "Wiring fault"),
    "other": Said("其他", "Something else"),
    "home": Said("家中", "At home"),
    "building": Said("楼道或小区", "In the building or estate"),
    "street": Said("街道", "In the street"),
}

STAGES = {
    "received": Said("已受理", "Received"),
    "under_review": Said("审核中", "Under review"),
    "more_documents": Said("需补充材料", "More documents wanted"),
    "site_visit": Said("已预约现场勘查", "Site visit booked"),
    "approved": Said("已通过", "Approved"),
    "done": Said("已办结", "Done"),
    "rejected": Said("未通过", "Rejected"),
}

PROBLEMS = {
    "required": Said("请填写", "Please fill this in"),
    "not_a_choice": Said("请从选项中选择", "Please pick one"),
    "not_a_number": Said("请输入数字", "Please type a number"),
    "too_small": Said("数值太小", "Too small"),
    "too_large": Said("数值太大", "Too large"),
    "too_long": Said("太长", "Too long"),
    "not_a_phone": Said("不是有效的手机号码", "Not a mobile number"),
}


def business_name(kind: str) -> str:
    chinese, english = BUSINESS_NAMES.get(kind, (kind, kind))
    return in_language(Said(chinese, english))


def said(table: dict[str, Said], key: str) -> str:
    """The words for `key`, or the key itself when the table has none (never an empty line)."""
    words = table.get(key)
    return in_language(words) if words is not None else key
