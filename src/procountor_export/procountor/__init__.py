"""A client for the parts of the Procountor REST API the TMS invoice export needs.

A library: it imports nothing from the rest of ``procountor_export``.

    from procountor_export.procountor import ProcountorClient

    with ProcountorClient(base_url=PRODUCTION_BASE_URL, client_id="…", client_secret="…",
                          api_key="…") as client:
        print(client.company.get().name)
        for invoice in client.invoices.search(status=InvoiceStatus.SENT): ...
"""

from procountor_export.procountor.auth import CREDENTIALS_REFUSED, ProcountorAuth
from procountor_export.procountor.base import MAX_IDS, PRODUCTION_BASE_URL, TEST_BASE_URL
from procountor_export.procountor.client import ProcountorClient
from procountor_export.procountor.enums import (
    InvoiceChannel,
    InvoiceStatus,
    InvoiceType,
    Language,
    PartnerType,
    PaymentEventType,
    PaymentMethod,
    ProductType,
    TransactionType,
    Unit,
)
from procountor_export.procountor.errors import (
    ApiErrorDetail,
    AuthenticationError,
    ConfigurationError,
    FatalError,
    NotFound,
    OutcomeUnknown,
    PermissionDenied,
    ProcountorError,
    RejectedError,
    RetryableError,
    SentRequest,
)
from procountor_export.procountor.models import *  # noqa: F403 - the payload models
from procountor_export.procountor.models import __all__ as _models
from procountor_export.procountor.pacing import (
    LocalRateLimiter,
    PostgresRateLimiter,
    RateLimiter,
    RedisRateLimiter,
    limiter_from_url,
    shared_limiter,
)
from procountor_export.procountor.rights import REQUIRED_RIGHTS, RequiredRight, UserRights
from procountor_export.procountor.transport import PacedTransport, RequestRecord

__all__ = [
    "CREDENTIALS_REFUSED",
    "MAX_IDS",
    "PRODUCTION_BASE_URL",
    "REQUIRED_RIGHTS",
    "TEST_BASE_URL",
    "ApiErrorDetail",
    "AuthenticationError",
    "ConfigurationError",
    "FatalError",
    "InvoiceChannel",
    "InvoiceStatus",
    "InvoiceType",
    "Language",
    "LocalRateLimiter",
    "NotFound",
    "PacedTransport",
    "PartnerType",
    "PaymentEventType",
    "PaymentMethod",
    "OutcomeUnknown",
    "PermissionDenied",
    "PostgresRateLimiter",
    "ProcountorAuth",
    "ProcountorClient",
    "ProcountorError",
    "ProductType",
    "RateLimiter",
    "RedisRateLimiter",
    "RejectedError",
    "RequestRecord",
    "RequiredRight",
    "RetryableError",
    "SentRequest",
    "TransactionType",
    "Unit",
    "UserRights",
    "limiter_from_url",
    "shared_limiter",
    *_models,
]
