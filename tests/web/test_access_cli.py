"""The ``users`` and ``tokens`` commands: created, listed and removed; stored hashed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from procountor_export.cli import app
from procountor_export.store import access
from procountor_export.store.db import Store

runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    database = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("PROCOUNTOR_EXPORT_DATABASE_URL", database)
    monkeypatch.setenv("PROCOUNTOR_EXPORT_KEY_FILE", str(tmp_path / "secret.key"))
    return database


def run(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=stdin)


def test_a_user_is_created_with_a_hashed_password(url: str) -> None:
    result = run("users", "add", "anna", "--password-stdin", stdin="correct horse battery\n")
    assert result.exit_code == 0, result.output
    assert "User anna created" in result.output
    store = Store.open(url)
    try:
        with store.session() as session:
            [user] = access.list_users(session)
            assert user.password_hash.startswith("$argon2")
            assert "correct horse" not in user.password_hash
            assert access.check_password(session, "anna", "correct horse battery")
            assert not access.check_password(session, "anna", "wrong password!")
            assert not access.check_password(session, "nobody", "correct horse battery")
    finally:
        store.close()
    assert "anna" in run("users", "list").output
    assert run("users", "remove", "anna").exit_code == 0
    assert run("users", "remove", "anna").exit_code == 1


def test_a_short_password_is_refused(url: str) -> None:
    result = run("users", "add", "anna", "--password-stdin", stdin="short\n")
    assert result.exit_code == 1
    assert "10 characters" in result.output


def test_a_token_is_shown_once_and_can_be_revoked(url: str) -> None:
    result = run("tokens", "create", "tms")
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith(access.TOKEN_PREFIX)
    store = Store.open(url)
    try:
        with store.session() as session:
            assert access.token_owner(session, token) == "tms"
        listed = run("tokens", "list").output
        assert token not in listed
        assert token[:10] in listed
        assert run("tokens", "create", "tms").exit_code == 1  # names are unique
        assert run("tokens", "revoke", "tms").exit_code == 0
        with store.session() as session:
            assert access.token_owner(session, token) is None
    finally:
        store.close()


def test_serve_has_help() -> None:
    result = run("serve", "--help")
    assert result.exit_code == 0
    assert "--host" in result.output
