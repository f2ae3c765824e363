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


def _said(result: Any) -> str:
    return " ".join(result.output.split())  # as one line, whatever the terminal's width


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short", "it is too short: 5 characters, at least 12 are needed"),
        (" " * 10, "it is empty or only spaces"),
        (" " * 14, "it is empty or only spaces"),
        ("correct horse", "it is the user's name"),
        ("Q1W2E3R4T5Y6", "it is one of the most common passwords"),
        ("  qwerty123456 ", "it is one of the most common passwords"),
    ],
)
def test_a_weak_password_is_refused_saying_which_rule(url: str, password: str, rule: str) -> None:
    name = "correct horse" if "user's name" in rule else "anna"
    result = run("users", "add", name, "--password-stdin", stdin=password + "\n")
    assert result.exit_code == 1, result.output
    assert f"User {name!r}: the password is not accepted: " in _said(result)
    assert rule in _said(result)
    assert "Traceback" not in result.output
    store = Store.open(url)
    try:
        with store.session() as session:
            assert access.list_users(session) == []
    finally:
        store.close()


def test_the_prompt_says_the_rules_first(url: str) -> None:
    result = run("users", "add", "anna", stdin="short\nshort\n")
    assert result.exit_code == 1
    assert "At least 12 characters, not only spaces" in _said(result)
    assert "it is too short" in _said(result)


def test_a_new_password_and_users_logout_end_the_users_sessions(url: str) -> None:
    password = "correct horse battery\n"
    assert run("users", "add", "anna", "--password-stdin", stdin=password).exit_code == 0
    assert run("users", "add", "bert", "--password-stdin", stdin=password).exit_code == 0
    store = Store.open(url)
    try:
        with store.session() as session:
            tokens = [access.start_session(session, "anna", address="10.0.0.1") for _ in "ab"]
            bert = access.start_session(session, "bert")
        listed = _said(run("users", "sessions"))
        assert listed.count("anna") == 2
        assert "10.0.0.1" in listed
        assert "bert" in listed
        assert "bert" not in _said(run("users", "sessions", "anna"))
        result = run("users", "logout", "anna")
        assert result.exit_code == 0, result.output
        assert "User anna logged out everywhere: 2 sessions ended." in _said(result)
        with store.session() as session:
            assert [access.session_user(session, token) for token in tokens] == [None, None]
            assert access.session_user(session, bert) == "bert"
        assert run("users", "logout", "nobody").exit_code == 1
        result = run("users", "add", "bert", "--password-stdin", stdin="a newer long password\n")
        assert "User bert has a new password; their sessions ended." in _said(result)
        with store.session() as session:
            assert access.session_user(session, bert) is None
    finally:
        store.close()


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


@pytest.mark.parametrize(
    ("options", "where"),
    [
        (["--trusted-proxy", "127.0.0.1", "--secure-cookies"], "behind a proxy"),
        (["--host", "0.0.0.0"], "another address than 127.0.0.1"),
    ],
)
def test_serve_without_a_user_behind_a_proxy_says_to_create_one(
    url: str, monkeypatch: pytest.MonkeyPatch, options: list[str], where: str
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    result = run("serve", *options)
    assert result.exit_code == 0, result.output
    assert f"Serving {where} needs a user: create one with" in _said(result)
    assert "'procountor-export users add NAME'" in _said(result)


def test_the_common_passwords_are_the_vendored_list_named_in_its_notice() -> None:
    import hashlib

    from procountor_export.store.passwords import COMMON_PASSWORDS, common_passwords

    notice = COMMON_PASSWORDS.with_name("common-passwords.NOTICE.txt").read_text()
    assert hashlib.sha256(COMMON_PASSWORDS.read_bytes()).hexdigest() in notice
    assert "BSD-3-Clause" in notice
    assert len(common_passwords()) == 19_640
    assert {"password", "qwerty123456", "1q2w3e4r5t6y"} <= common_passwords()
