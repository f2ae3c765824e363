"""Logging: the service's event log (what the Opter article sends to the Windows Event Log).

Every Procountor request (method, path, status, duration, Procountor ids; never a secret) is
logged on ``procountor_export.api``, and every invoice outcome on ``procountor_export.export``.
The CLI turns it on with ``PROCOUNTOR_EXPORT_LOG_FILE`` / ``PROCOUNTOR_EXPORT_LOG_LEVEL``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from procountor_export.procountor import RequestRecord

API_LOG = logging.getLogger("procountor_export.api")
EXPORT_LOG = logging.getLogger("procountor_export.export")
WEB_LOG = logging.getLogger("procountor_export.web")  # logins refused, pages that failed
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def log_request(record: RequestRecord) -> None:
    """A client hook: one line per Procountor request, a warning when it failed."""
    ids = ",".join(str(i) for i in record.ids)
    status = record.status if record.status is not None else "no response"
    text = f"{record.method} {record.path} -> {status} in {record.duration_ms:.0f} ms"
    if ids:
        text += f" ids={ids}"
    if record.error:
        text += f" ({record.error})"
    failed = record.status is None or record.status >= 400
    API_LOG.log(logging.WARNING if failed else logging.INFO, text)


def configure(log_file: Path | None, level: str) -> None:
    """Send the service's log to ``log_file`` (appending) at ``level``; nothing if no file."""
    root = logging.getLogger("procountor_export")
    for old in [h for h in root.handlers if getattr(h, "_procountor_export", False)]:
        root.removeHandler(old)  # configured again (tests run many commands in one process)
        old.close()
    if log_file is None:
        return
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._procountor_export = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
