"""The kiosk-center protocol, version 1: the schemas both ends share."""

from sync.protocol.schemas import (
    PROTOCOL_VERSION,
    AccountBill,
    AccountList,
    AccountSummary,
    BillLine,
    ErrorBody,
    ErrorDetail,
    EventAck,
    EventBatch,
    EventBatchResult,
    EventEnvelope,
    IdNumberQuery,
    TierCharge,
    UnpaidBill,
    UsageMonth,
    Utility,
)

__all__ = [
    "PROTOCOL_VERSION",
    "AccountBill",
    "AccountList",
    "AccountSummary",
    "BillLine",
    "ErrorBody",
    "ErrorDetail",
    "EventAck",
    "EventBatch",
    "EventBatchResult",
    "EventEnvelope",
    "IdNumberQuery",
    "TierCharge",
    "UnpaidBill",
    "UsageMonth",
    "Utility",
]
