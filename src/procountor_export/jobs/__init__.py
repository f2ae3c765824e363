"""Export runs started outside the request that asks for them: the ``jobs`` part.

A face (the web UI, the REST API) asks a :class:`~.base.Jobs` to start an export and gets the
run's id at once; the run goes on in the background and writes its progress and results to the
database (the ``export_runs`` row and the journal), so a reload, a second browser or the CLI's
``status`` see the same run. Starting a run for a Procountor company whose run is still going
raises :class:`~.base.Busy`: a second click never starts a second run.

:func:`~.queue.jobs_for` picks the implementation by the database:
:class:`~.inprocess.InProcessJobs` runs exports in threads of the serving process (the embedded
SQLite default); on PostgreSQL, :class:`~.queue.QueueJobs` defers them to a job queue
(procrastinate: ``procountor-export worker`` processes on any machine, one lock per company),
the same :class:`~.base.Jobs` protocol. The journal's claims stay the last guard against two
runs sending one invoice either way.
"""

from procountor_export.jobs.base import Busy, Jobs
from procountor_export.jobs.inprocess import InProcessJobs
from procountor_export.jobs.runs import RunInvoice, RunView, list_runs, read_run

__all__ = ["Busy", "InProcessJobs", "Jobs", "RunInvoice", "RunView", "list_runs", "read_run"]
