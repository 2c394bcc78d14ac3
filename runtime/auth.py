"""The one check of the client token, for HTTP routes and websockets alike."""

from __future__ import annotations

import hmac

from starlette.requests import HTTPConnection


def token_accepted(connection: HTTPConnection, token: str | None) -> bool:
    """True without a configured token; else a token must be given (`Authorization: Bearer` or `?token=`), and
    every token given must match."""
    if not token:
        return True
    bearer = connection.headers.get("authorization", "").removeprefix("Bearer ")
    query = connection.query_params.get("token", "")
    given = [value for value in (bearer, query) if value]
    return bool(given) and all(hmac.compare_digest(value.encode(), token.encode()) for value in given)
