"""Phase 4, reporting: progress as it happens, the run's summary, the status view, and the
JSON shapes the CLI and the REST API share."""
