"""Service settings, read from the environment (and an optional ``.env`` file).

Built by :func:`load_settings`, never at import time, so tests and the CLI can build their own.
Every variable is listed on the documentation's Configuration page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
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


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment; keyword overrides win (used by tests)."""
    return Settings(**overrides)  # type: ignore[arg-type]
