"""CLI commands for who may use the web UI and the REST API: ``users`` and ``tokens``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from procountor_export.cli.common import out
from procountor_export.cli.configure_views import settings_session
from procountor_export.store import access
from procountor_export.store.passwords import password_rules

users_app = typer.Typer(no_args_is_help=True, help="Users of the web UI (passwords stored hashed).")
tokens_app = typer.Typer(
    no_args_is_help=True, help="Bearer tokens of the REST API (stored hashed)."
)

NameArgument = Annotated[str, typer.Argument(help="The user's name.")]
TokenArgument = Annotated[str, typer.Argument(help="The token's name (who or what uses it).")]


@users_app.command("add")
def users_add(
    name: NameArgument,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin (scripts).")
    ] = False,
) -> None:
    """Create a user of the web UI, or give an existing one a new password.

    The password is asked for twice (hidden) unless --password-stdin; it is stored as an
    Argon2 hash only. It needs 12 characters or more, not only spaces, not the user's name and
    not one of the 20,000 most common passwords. A new password ends the user's sessions. Once
    any user exists, the web UI asks everyone to log in.
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        out.print(password_rules(), highlight=False)
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with settings_session() as session:
        created = access.set_user(session, name, password)
    if created:
        out.print(f"User {name} created.", highlight=False)
    else:
        out.print(f"User {name} has a new password; their sessions ended.", highlight=False)


@users_app.command("list")
def users_list() -> None:
    """List the users of the web UI."""
    with settings_session() as session:
        rows = [(u.name, u.created_at, u.last_login_at) for u in access.list_users(session)]
    table = Table("user", "created", "last login")
    for name, created, last in rows:
        table.add_row(name, f"{created:%Y-%m-%d %H:%M}", f"{last:%Y-%m-%d %H:%M}" if last else "-")
    out.print(table)


@users_app.command("remove")
def users_remove(name: NameArgument) -> None:
    """Delete a user of the web UI (its sessions end with it)."""
    with settings_session() as session:
        access.remove_user(session, name)
    out.print(f"User {name} removed.", highlight=False)


@users_app.command("logout")
def users_logout(name: NameArgument) -> None:
    """Log a user out everywhere: every session of theirs ends at its next request.

    For a lost or shared computer; the password stays (give a new one with 'users add NAME').
    """
    with settings_session() as session:
        ended = access.end_sessions(session, name)
    out.print(
        f"User {name} logged out everywhere: {ended} session{'' if ended == 1 else 's'} ended.",
        highlight=False,
    )


@users_app.command("sessions")
def users_sessions(
    name: Annotated[str | None, typer.Argument(help="Only this user's sessions.")] = None,
) -> None:
    """List the live web UI sessions: who, since when, from where, until when (UTC)."""
    with settings_session() as session:
        rows = access.list_sessions(session, name)
    table = Table("user", "logged in", "from", "last used", "ends")
    for row in rows:
        table.add_row(
            row.user,
            f"{row.created_at:%Y-%m-%d %H:%M}",
            row.address or "-",
            f"{row.last_seen_at:%Y-%m-%d %H:%M}",
            f"{row.ends_at:%Y-%m-%d %H:%M}",
        )
    out.print(table)


@tokens_app.command("create")
def tokens_create(name: TokenArgument) -> None:
    """Create a REST API bearer token and print it: it is shown this once, never again."""
    with settings_session() as session:
        token = access.create_token(session, name)
    out.print(f"Token {name} created. Send it as 'Authorization: Bearer <token>':", highlight=False)
    sys.stdout.write(token + "\n")


@tokens_app.command("list")
def tokens_list() -> None:
    """List the REST API tokens (their first characters, never the tokens)."""
    with settings_session() as session:
        rows = access.list_tokens(session)
    table = Table("token", "starts with", "created", "last used")
    for row in rows:
        last = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "-"
        table.add_row(row.name, row.prefix + "…", f"{row.created_at:%Y-%m-%d %H:%M}", last)
    out.print(table)


@tokens_app.command("revoke")
def tokens_revoke(name: TokenArgument) -> None:
    """Revoke a REST API token: requests carrying it are refused from now on."""
    with settings_session() as session:
        access.revoke_token(session, name)
    out.print(f"Token {name} revoked.", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``users`` and ``tokens`` to ``app``."""
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
