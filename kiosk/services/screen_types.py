"""The types the screens are given by the use cases, as the UI knows them.

The UI's one way into the rest of the kiosk is `kiosk.services`: what a use case returns (an
account's bill, the reference data) is named from here, not from the protocol's schemas.
"""

from sync.protocol import AccountBill, AccountSummary, PaymentPurpose, UsageMonth, Utility
from sync.protocol.business import ApplicationProgress
from sync.protocol.history import Channel, Delivery, PastPayment
from sync.protocol.reference import Article, BusinessGuide, ReferenceKind, TariffInfo, Text

__all__ = [
    "AccountBill",
    "AccountSummary",
    "ApplicationProgress",
    "Article",
    "BusinessGuide",
    "Channel",
    "Delivery",
    "PastPayment",
    "PaymentPurpose",
    "ReferenceKind",
    "TariffInfo",
    "Text",
    "UsageMonth",
    "Utility",
]
