"""The Host/Origin policy, table-driven over ASGI scopes (no sockets)."""

from __future__ import annotations

from typing import Any

import pytest

from dreamverse.runtime.guard import RequestPolicy, normalize_origin

PORT = 8009


def scope(
    kind: str = "websocket",
    *,
    host: str = f"127.0.0.1:{PORT}",
    origin: str | None = None,
    method: str = "GET",
    client: str = "127.0.0.1",
    scheme: str | None = None,
) -> dict[str, Any]:
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    result: dict[str, Any] = {
        "type": kind,
        "headers": headers,
        "client": (client, 50000),
        "scheme": scheme or ("ws" if kind == "websocket" else "http"),
        "path": "/ws",
    }
    if kind == "http":
        result["method"] = method
    return result


def loopback_policy(**kwargs: Any) -> RequestPolicy:
    values: dict[str, Any] = {"bind_host": "127.0.0.1", "port": PORT, "hosts": [], "origins": [], **kwargs}
    values.setdefault("has_token", False)
    return RequestPolicy.build(**values)


@pytest.mark.parametrize(
    ("request_scope", "refusal"),
    [
        # cross-site websocket hijacking: a foreign page's Origin
        (scope(origin="https://evil.example"), "origin_not_allowed"),
        (scope(origin="null"), "origin_not_allowed"),
        (scope(origin=f"http://127.0.0.1:{PORT + 1}"), "origin_not_allowed"),
        # DNS rebinding: the attacker's name resolves to us, and the page is "same-origin" with it
        (scope(host=f"evil.example:{PORT}", origin=f"http://evil.example:{PORT}"), "host_not_allowed"),
        (scope("http", host="evil.example"), "host_not_allowed"),
        (scope("http", host=""), "host_not_allowed"),
        (scope("http", method="POST", origin="https://evil.example"), "origin_not_allowed"),
        (scope("http", method="PUT", origin="http://localhost:1"), "origin_not_allowed"),
        # no Origin (a script) from another machine, and no token configured
        (scope(client="10.1.2.3"), "origin_required"),
        (scope("http", method="POST", client="10.1.2.3"), "origin_required"),
        # allowed: the server's own origins, same-origin, scripts on loopback, safe methods
        (scope(origin=f"http://127.0.0.1:{PORT}"), None),
        (scope(origin=f"http://localhost:{PORT}", host=f"localhost:{PORT}"), None),
        (scope(origin=f"http://[::1]:{PORT}", host=f"[::1]:{PORT}"), None),
        (scope(origin=f"HTTP://LOCALHOST:{PORT}/"), None),
        (scope(), None),
        (scope("http", origin="https://evil.example"), None),  # a GET: CORS keeps the answer from it
        (scope("http", method="POST", origin=f"http://127.0.0.1:{PORT}"), None),
        (scope("http", method="POST"), None),
    ],
)
def test_loopback_default_policy(request_scope: dict[str, Any], refusal: str | None) -> None:
    result = loopback_policy().check(request_scope)
    assert (result.code if result else None) == refusal


def test_listed_origins_and_hosts() -> None:
    policy = loopback_policy(origins=["https://app.example"], hosts=["dv.example"])
    assert policy.check(scope(host="dv.example", origin="https://app.example")) is None
    assert policy.check(scope(host="dv.example:443", origin="https://app.example:443")) is None
    # listing origins replaces the loopback defaults, but same-origin always works
    assert policy.check(scope(host="dv.example", origin="https://dv.example", scheme="wss")) is None
    assert policy.check(scope(host=f"localhost:{PORT}")) is None  # loopback names always, for health checks
    refused = policy.check(scope(host="127.0.0.1.nip.example"))
    assert refused is not None and refused.code == "host_not_allowed"
    refused = policy.check(scope(host="dv.example", origin="https://app.example.evil"))
    assert refused is not None and refused.code == "origin_not_allowed"


def test_wildcard_bind_accepts_any_host_and_token_admits_scripts() -> None:
    policy = RequestPolicy.build(bind_host="0.0.0.0", port=PORT, hosts=[], origins=[], has_token=True)
    assert policy.check(scope(host="10.0.0.5:8009", client="10.1.2.3")) is None  # the route checks the token
    refused = policy.check(scope(host="10.0.0.5:8009", origin="https://evil.example", client="10.1.2.3"))
    assert refused is not None and refused.code == "origin_not_allowed"
    assert policy.check(scope(host="10.0.0.5:8009", origin="http://10.0.0.5:8009")) is None


def test_bind_host_is_allowed_by_default() -> None:
    policy = RequestPolicy.build(bind_host="192.168.1.7", port=PORT, hosts=[], origins=[], has_token=True)
    assert policy.check(scope(host="192.168.1.7:8009", origin="http://192.168.1.7:8009")) is None
    refused = policy.check(scope(host="rebound.example:8009"))
    assert refused is not None and refused.code == "host_not_allowed"


@pytest.mark.parametrize(
    ("origin", "normalized"),
    [
        ("https://App.Example", "https://app.example"),
        ("https://app.example:443/", "https://app.example"),
        ("http://app.example:80", "http://app.example"),
        ("http://[::1]:8009", "http://[::1]:8009"),
    ],
)
def test_normalize_origin(origin: str, normalized: str) -> None:
    assert normalize_origin(origin) == normalized


@pytest.mark.parametrize(
    "bad", ["*", "null", "app.example", "ftp://app.example", "https://app.example/path", "http://a:b"]
)
def test_normalize_origin_refuses_non_origins(bad: str) -> None:
    with pytest.raises(ValueError):
        normalize_origin(bad)
