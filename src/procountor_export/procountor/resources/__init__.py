"""Thin resource methods over :class:`~procountor_export.procountor.base.BaseClient`."""
