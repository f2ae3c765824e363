"""CLI command of the web part: ``procountor-export serve``."""

from __future__ import annotations

from typing import Annotated

import typer

from procountor_export.cli import common
from procountor_export.store.secrets import ensure_key_file


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""

    @app.command()
    def serve(
        host: Annotated[
            str,
            typer.Option(
                "--host",
                help="Address to listen on. The UI asks for a user and password on any address "
                "but 127.0.0.1 (or localhost), and there too once a user exists or for anything "
                "that did not come straight from this machine.",
            ),
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8080,
        max_document_mb: Annotated[
            int,
            typer.Option(
                "--max-document-mb", min=1, help="Largest TMS document POST /documents takes."
            ),
        ] = 256,
        secure_cookies: Annotated[
            bool,
            typer.Option(
                "--secure-cookies",
                envvar="PROCOUNTOR_EXPORT_SECURE_COOKIES",
                help="Mark the session cookie Secure (sent over HTTPS only): set it when a TLS "
                "proxy serves the UI. The UI then always asks for a user.",
            ),
        ] = False,
        trusted_proxy: Annotated[
            list[str] | None,
            typer.Option(
                "--trusted-proxy",
                help="Address of a reverse proxy whose X-Forwarded-For is believed (repeat for "
                "several), so that failed logins are counted per real client. The UI then always "
                "asks for a user.",
            ),
        ] = None,
    ) -> None:
        """Start the web UI and the REST API (/api/v1, described at /openapi.json and /docs).

        One process: the pages, the API and the export runs it starts in the background. The
        UI asks for a user (create one with 'users add') for every request but one straight
        from this machine to a server on 127.0.0.1 without --trusted-proxy or
        --secure-cookies while no user exists; with no user yet it only says how to create
        one. The API takes bearer tokens ('tokens create').
        """
        import uvicorn

        from procountor_export.web import create_app

        config = common.settings()
        if config.secret_key is None:
            ensure_key_file(config.key_file)  # signs the session cookies; encrypts API keys
        store = common.open_store(config)
        with store.session() as session:
            from procountor_export.store import access

            users = access.has_users(session)
        exposed = host not in ("127.0.0.1", "localhost", "::1")
        if (exposed or trusted_proxy or secure_cookies) and not users:
            where = "another address than 127.0.0.1" if exposed else "behind a proxy"
            common.err.print(
                f"Serving {where} needs a user: create one with "
                "'procountor-export users add NAME' (until then the UI only says so).",
                highlight=False,
            )
        app = create_app(
            config,
            store=store,
            host=host,
            document_limit=max_document_mb * 1024 * 1024,
            secure_cookies=secure_cookies,
            trusted_proxies=trusted_proxy or (),
        )
        common.err.print(f"Serving on http://{host}:{port}/ (Ctrl+C stops)", highlight=False)
        try:
            uvicorn.run(
                app,
                host=host,
                port=port,
                log_level="warning",
                server_header=False,
                proxy_headers=False,
            )
        finally:
            store.close()
