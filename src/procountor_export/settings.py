"""Service settings, read from the environment (and an optional ``.env`` file).

Built by :func:`load_settings`, never at import time, so tests and the CLI can build their own.
Every variable is listed on the documentation's Configuration page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_FILE = "procountor-export.sqlite"
DEFAULT_KEY_FILE = "procountor-export.key"
PRODUCTION_BASE_URL = "https://api.procountor.com/api"
TEST_BASE_URL = "https://pts-api.procountor.com/api"
EMULATOR_BASE_URL = "http://127.0.0.1:8765/api"


class Settings(BaseSettings):
    """Everything the service reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DATABASE_FILE}",
        validation_alias="PROCOUNTOR_EXPORT_DATABASE_URL",
        description="SQLAlchemy URL of the store (SQLite file or PostgreSQL).",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        validation_alias="PROCOUNTOR_EXPORT_SECRET_KEY",
        description="Fernet key that encrypts stored API keys.",
    )
    key_file: Path = Field(
        default=Path(DEFAULT_KEY_FILE),
        validation_alias="PROCOUNTOR_EXPORT_KEY_FILE",
        description="File holding the Fernet key when PROCOUNTOR_EXPORT_SECRET_KEY is unset.",
    )
    source_system: str = Field(
        default="Opter",
        validation_alias="PROCOUNTOR_EXPORT_SOURCE_SYSTEM",
        description="Name of the TMS used in error messages.",
    )
    base_url: str = Field(
        default=EMULATOR_BASE_URL,
        validation_alias="PROCOUNTOR_BASE_URL",
        description="Procountor API root, e.g. https://api.procountor.com/api.",
    )
    client_id: str = Field(default="demo-client", validation_alias="PROCOUNTOR_CLIENT_ID")
    client_secret: SecretStr = Field(
        default=SecretStr("demo-secret"), validation_alias="PROCOUNTOR_CLIENT_SECRET"
    )
    api_key: SecretStr | None = Field(default=None, validation_alias="PROCOUNTOR_API_KEY")
    rate_limit: float = Field(
        # 90 % of Procountor's documented 20/s: why, in docs/operations/pacing.md (issue 12).
        default=18.0,
        gt=0,
        validation_alias="PROCOUNTOR_RATE_LIMIT",
        description="Requests per second per Procountor client id.",
    )
    limiter_url: str | None = Field(
        default=None,
        validation_alias="PROCOUNTOR_LIMITER_URL",
        description="redis:// or postgresql:// URL of a limiter shared by several workers.",
    )
    timeout: float = Field(default=30.0, gt=0, validation_alias="PROCOUNTOR_TIMEOUT")
    log_file: Path | None = Field(
        default=None,
        validation_alias="PROCOUNTOR_EXPORT_LOG_FILE",
        description="Event log: every Procountor request and every invoice outcome.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", validation_alias="PROCOUNTOR_EXPORT_LOG_LEVEL"
    )
    procountor_invoice_url: str | None = Field(
        default=None,
        validation_alias="PROCOUNTOR_INVOICE_URL",
        description="Address of an invoice in the company's Procountor UI, with {id} where "
        "the Procountor invoice id goes: the invoice list links each exported invoice there.",
    )

    @field_validator("procountor_invoice_url")
    @classmethod
    def _invoice_url_has_id(cls, value: str | None) -> str | None:
        """An http(s) address with ``{id}`` in it (empty: no links)."""
        if not value:
            return None
        if not value.startswith(("https://", "http://")) or "{id}" not in value:
            raise ValueError(
                f"PROCOUNTOR_INVOICE_URL {value!r} must be an http(s) address with {{id}} "
                "where the Procountor invoice id goes, e.g. "
                "https://procountor.example/invoices/{id}"
            )
        return value

    def procountor_invoice_link(self, procountor_id: int | None) -> str | None:
        """The address of the Procountor invoice ``procountor_id`` in the Procountor UI
        (``None``: no address configured, or the invoice is not in Procountor)."""
        if self.procountor_invoice_url is None or procountor_id is None:
            return None
        return self.procountor_invoice_url.replace("{id}", str(procountor_id))


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment; keyword overrides win (used by tests)."""
    return Settings(**overrides)  # type: ignore[arg-type]
