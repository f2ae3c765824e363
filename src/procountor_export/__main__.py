"""``python -m procountor_export``: the same as the ``procountor-export`` command."""

from procountor_export.cli import main

main()
