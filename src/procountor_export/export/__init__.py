"""The export engine's front door: everything a face (CLI, web UI, REST API, jobs, benchmark,
demo) may use of it, and nothing else.

A face builds one :class:`Exporter` per store and asks it to ``check``, ``plan`` or
``export`` a :class:`Scope`, or where invoices stand (``status``, ``history``); the value
types below are what those calls take and give back, and the few functions beside them are
what the faces show (the JSON shapes, the PDF copy) or what the job back-ends need to split a
run (``resolve``, the memo, the run's record). ``messages`` is the problems' catalogue, so
``from procountor_export.export import messages as m`` names a message by its constant.

Everything else in ``export/`` (reading, planning, sending, reporting, the runner) is the
engine's inside, private to it: faces import only the names of this module (a test holds
them to it), so the inside may be rearranged without touching a face. This module imports
the engine's submodules only; no submodule imports a name from here (no import circle).
"""

from procountor_export.export import messages
from procountor_export.export.exporter import Exporter
from procountor_export.export.messages import Face, Messages
from procountor_export.export.options import ExportOptions, MakeClient
from procountor_export.export.planning.plan import RunPlan
from procountor_export.export.problems import Problem
from procountor_export.export.reading.memo import MasterMemo, StoredMemo, forget_run
from procountor_export.export.reading.pdf_copy import (
    UnknownInvoice,
    exported_procountor_number,
    file_name,
    pdf_invoice_by_number,
)
from procountor_export.export.reading.scope import Scope, ScopeError, resolve
from procountor_export.export.reading.source import export_config
from procountor_export.export.reporting.analysis import Analysis
from procountor_export.export.reporting.progress import (
    InvoiceOutcome,
    ProgressListener,
    RunSummary,
    is_interruption,
    run_outcome,
)
from procountor_export.export.reporting.run_record import DatabaseProgress
from procountor_export.export.reporting.shapes import analysis_json, invoice_json, summary_json
from procountor_export.export.reporting.status import HistoryEvent, StatusRow

__all__ = [
    "Analysis",
    "DatabaseProgress",
    "ExportOptions",
    "Exporter",
    "Face",
    "HistoryEvent",
    "InvoiceOutcome",
    "MakeClient",
    "MasterMemo",
    "Messages",
    "Problem",
    "ProgressListener",
    "RunPlan",
    "RunSummary",
    "Scope",
    "ScopeError",
    "StatusRow",
    "StoredMemo",
    "UnknownInvoice",
    "analysis_json",
    "export_config",
    "exported_procountor_number",
    "file_name",
    "forget_run",
    "invoice_json",
    "is_interruption",
    "messages",
    "pdf_invoice_by_number",
    "resolve",
    "run_outcome",
    "summary_json",
]
