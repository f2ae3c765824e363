"""Logging: the service's event log (what the Opter article sends to the Windows Event Log).

Every Procountor request (method, path, status, duration, Procountor ids; never a secret) is
logged on ``procountor_export.api``, and every invoice outcome on ``procountor_export.export``.
The CLI turns it on with ``PROCOUNTOR_EXPORT_LOG_FILE`` / ``PROCOUNTOR_EXPORT_LOG_LEVEL``.

The retry library's own lines (``stamina.retry_scheduled``, one per retry of a request) belong
to the log file too, never to the console: without a handler of their own they would reach
Python's last-resort handler, which prints them on stderr between the command's own words.
"""

from __future__ import annotations

import logging
from pathlib import Path

from procountor_export.procountor import RequestRecord

API_LOG = logging.getLogger("procountor_export.api")
EXPORT_LOG = logging.getLogger("procountor_export.export")
WEB_LOG = logging.getLogger("procountor_export.web")  # logins refused, pages that failed
RETRY_LOG = logging.getLogger("stamina")  # stamina logs each scheduled retry here
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


def quiet_retries() -> None:
    """Keep the retry library's lines off the console (idempotent).

    A handler that drops them stops the last-resort handler; an application that configures
    logging itself still receives them through propagation.
    """
    if not any(isinstance(h, logging.NullHandler) for h in RETRY_LOG.handlers):
        RETRY_LOG.addHandler(logging.NullHandler())


def configure(log_file: Path | None, level: str) -> None:
    """Send the service's log, retries included, to ``log_file`` (appending) at ``level``.

    Without a file nothing is logged, and the retries stay off the console all the same.
    """
    quiet_retries()
    root = logging.getLogger("procountor_export")
    for logger in (root, RETRY_LOG):
        for old in [h for h in logger.handlers if getattr(h, "_procountor_export", False)]:
            logger.removeHandler(old)  # configured again (tests run many commands in one process)
            if logger is root:
                old.close()
    if log_file is None:
        return
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._procountor_export = True  # type: ignore[attr-defined]
    for logger in (root, RETRY_LOG):
        logger.addHandler(handler)
        logger.setLevel(level.upper())
