"""Failed logins are slowed down: after a few from one place, that place waits."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient
from webrig import Served, make_settings  # type: ignore[import-not-found]

from procountor_export.store import access
from procountor_export.store.db import Store
from procountor_export.web import create_app
from procountor_export.web.throttle import LoginThrottle, minutes


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_failures_for_a_user_make_that_address_wait_out_the_window() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(4):
        throttle.failed("10.0.0.1", "clerk")
    assert throttle.wait("10.0.0.1", "clerk") == 0
    throttle.failed("10.0.0.1", "clerk")
    assert throttle.wait("10.0.0.1", "clerk") == 15 * 60
    assert throttle.wait("10.0.0.2", "clerk") == 0  # another place is not held up
    assert throttle.wait("10.0.0.1", "other") == 0  # nor another user from the same place
    clock.now += 15 * 60
    assert throttle.wait("10.0.0.1", "clerk") == 0


def test_the_wait_is_told_in_whole_minutes() -> None:
    assert [minutes(s) for s in (1, 60, 61, 900)] == [
        "1 minute",
        "1 minute",
        "2 minutes",
        "15 minutes",
    ]


def test_one_address_trying_many_names_waits_too() -> None:
    throttle = LoginThrottle(clock=Clock())
    for index in range(20):
        throttle.failed("10.0.0.1", f"user{index}")
    assert throttle.wait("10.0.0.1", "someone-new") > 0
    assert throttle.wait("10.0.0.9", "someone-new") == 0


def test_a_right_password_forgets_that_users_failures() -> None:
    throttle = LoginThrottle(clock=Clock())
    for _ in range(4):
        throttle.failed("10.0.0.1", "clerk")
    throttle.succeeded("10.0.0.1", "clerk")
    for _ in range(4):
        throttle.failed("10.0.0.1", "clerk")
    assert throttle.wait("10.0.0.1", "clerk") == 0


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def test_the_login_page_refuses_even_the_right_password_while_the_address_waits(
    served: Served,
) -> None:
    clock = Clock()
    served.app.state.web.throttle = LoginThrottle(clock=clock)
    with served.store.session() as session:
        access.set_user(session, "clerk", "a long password")
    with TestClient(served.app, base_url="http://127.0.0.1") as client:
        csrf = _csrf(client.get("/login").text)

        def log_in(password: str) -> int:
            form = {"csrf_token": csrf, "name": "clerk", "password": password}
            return client.post("/login", data=form, follow_redirects=False).status_code

        assert [log_in("guess") for _ in range(5)] == [401] * 5
        refused = client.post(
            "/login", data={"csrf_token": csrf, "name": "clerk", "password": "a long password"}
        )
        assert refused.status_code == 429
        assert "Too many failed logins from here. Try again in 15 minutes." in refused.text
        clock.now += 15 * 60
        assert log_in("a long password") == 303


def _wrong_password(client: TestClient, csrf: str, forwarded_for: str) -> int:
    form = {"csrf_token": csrf, "name": "clerk", "password": "guess"}
    answer = client.post("/login", data=form, headers={"X-Forwarded-For": forwarded_for})
    return answer.status_code


def test_behind_a_trusted_proxy_each_real_client_is_counted_apart(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    store = Store.open(settings.database_url)
    with store.session() as session:
        access.set_user(session, "clerk", "a long password")
    try:
        # The test client's own address is "testclient": first as the proxy, then as a client
        # that sends the header itself, hoping to be counted as someone else each time.
        for trusted, expected in ((["testclient"], 401), ([], 429)):
            app = create_app(settings, store=store, trusted_proxies=trusted)
            with TestClient(app, base_url="http://127.0.0.1") as client:
                csrf = _csrf(client.get("/login").text)
                tries = [_wrong_password(client, csrf, "203.0.113.7") for _ in range(6)]
                assert tries == [401] * 5 + [429]
                assert _wrong_password(client, csrf, "198.51.100.2") == expected
    finally:
        store.close()
