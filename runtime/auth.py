"""The one reader of client credentials, for HTTP routes and websockets alike.

A token comes as `Authorization: Bearer <token>` (scheme case-insensitive) or, for the client token only,
as `?token=` (browsers cannot set headers on a websocket). Comparisons are constant-time.
"""

from __future__ import annotations

import hmac

from starlette.requests import HTTPConnection


def bearer_token(connection: HTTPConnection) -> str:
    """The token of an `Authorization: Bearer …` header; empty for none or another scheme."""
    scheme, _, value = connection.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def token_accepted(connection: HTTPConnection, token: str | None) -> bool:
    """True without a configured token; else a token must be given (bearer header or `?token=`), and every
    token given must match."""
    if not token:
        return True
    given = [value for value in (bearer_token(connection), connection.query_params.get("token", "")) if value]
    return bool(given) and all(_matches(value, token) for value in given)


def admin_accepted(connection: HTTPConnection, admin_token: str) -> bool:
    """True when the bearer header carries `admin_token` (never taken from the URL, where logs keep it)."""
    given = bearer_token(connection)
    return bool(given) and _matches(given, admin_token)
