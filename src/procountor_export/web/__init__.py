"""The web face: the invoice export window in a browser and the REST API for the TMS.

One FastAPI app (:func:`~.app.create_app`) serves the HTML pages (Jinja2 templates, a little
plain JavaScript from the package, no CDN) and the REST API under ``/api/v1``. Routes are thin:
they call the same library functions as the CLI; export runs go through :mod:`procountor_export.
jobs`, so they run in the background and their progress lives in the database.
"""

from procountor_export.web.app import create_app

__all__ = ["create_app"]
