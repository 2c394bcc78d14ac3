"""Host and Origin checks in front of every route: no cross-site websocket hijacking, no DNS rebinding.

Any web page the user visits can open `ws://127.0.0.1:8009/ws` from the user's browser; the browser sends
the page's `Origin`, which only the server can check. A rebinding DNS name (`evil.example` → 127.0.0.1)
makes our server "same-origin" with the attacker's page, but its requests then carry `Host: evil.example`.
So, for every request:

- `Host` must name this server: a loopback name or one of `--allowed-hosts` (default: the bind address;
  a wildcard bind accepts any host, since a token is then required anyway). Refused with HTTP 400
  (`host_not_allowed`); a websocket is refused at the handshake (HTTP 403, the browser sees close 1006).
- The websocket and state-changing HTTP methods need an allowed `Origin`: one of `--allowed-origins`
  (default: the server's own loopback origins) or the request's own origin (same scheme and `Host`, which
  was just checked). No `Origin` (a script, not a browser) is allowed from loopback or when a token is
  configured (the route then checks the token). Refused with HTTP 403 (`origin_not_allowed`).

CORS headers go only to the listed origins (`runtime.app`), never `*`.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from dreamverse.runtime.protocol.codes import ErrorCode
from dreamverse.runtime.protocol.errors import error_body

logger = logging.getLogger(__name__)

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
_WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class RequestPolicy:
    """Which hosts and origins this server answers. `allowed_hosts` None means any host."""

    allowed_hosts: frozenset[str] | None
    allowed_origins: frozenset[str]
    has_token: bool

    @classmethod
    def build(
        cls, *, bind_host: str, port: int, hosts: list[str], origins: list[str], has_token: bool
    ) -> RequestPolicy:
        # Loopback names are always served: a browser sends them only for a page that is on this machine,
        # and health checks and local tools use them.
        if "*" in hosts or (not hosts and bind_host in _WILDCARD_BINDS):
            allowed_hosts = None
        else:
            allowed_hosts = frozenset({*_LOOPBACK_NAMES, *(h.lower() for h in hosts or [bind_host])})
        if not origins:
            origins = [f"http://{_bracketed(name)}:{port}" for name in _LOOPBACK_NAMES]
        return cls(allowed_hosts, frozenset(normalize_origin(o) for o in origins), has_token)

    def check(self, scope: Scope) -> Refusal | None:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if self.allowed_hosts is not None and _hostname(host) not in self.allowed_hosts:
            return Refusal(400, "host_not_allowed", f"Host {host[:100]!r} is not served here")
        if scope["type"] == "http" and scope["method"] in _SAFE_METHODS:
            return None
        origin = headers.get("origin")
        if origin is None:
            if self.has_token or _is_loopback_client(scope):
                return None
            return Refusal(403, "origin_required", "an Origin header or a token is required")
        if self._origin_allowed(origin, host, scope):
            return None
        return Refusal(403, "origin_not_allowed", f"Origin {origin[:100]!r} is not allowed")

    def _origin_allowed(self, origin: str, host: str, scope: Scope) -> bool:
        try:
            normalized = normalize_origin(origin)
        except ValueError:
            return False
        if normalized in self.allowed_origins:
            return True
        scheme = "https" if scope.get("scheme") in ("https", "wss") else "http"
        try:
            return normalized == normalize_origin(f"{scheme}://{host}")
        except ValueError:
            return False


class RequestGuard:
    """ASGI middleware applying a `RequestPolicy` to every HTTP request and websocket handshake."""

    def __init__(self, app: ASGIApp, policy: RequestPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refusal = self.policy.check(scope)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        logger.info("refused %s %s: %s", scope["type"], scope.get("path", ""), refusal.message)
        if scope["type"] == "websocket":
            # Closing before accepting makes the server answer the handshake with HTTP 403.
            await send({"type": "websocket.close", "code": 1008, "reason": refusal.code})
            return
        body = error_body(ErrorCode(refusal.code), refusal.message)
        await JSONResponse(body, status_code=refusal.status)(scope, receive, send)


def normalize_origin(origin: str) -> str:
    """`scheme://host[:port]` in lower case, default ports dropped; ValueError for anything else."""
    parts = urlsplit(origin.strip().lower())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
    port = parts.port  # ValueError for a port that is not a number
    default_port = 443 if parts.scheme == "https" else 80
    netloc = _bracketed(parts.hostname) + (f":{port}" if port not in (None, default_port) else "")
    return f"{parts.scheme}://{netloc}"


def _hostname(host: str) -> str:
    """The name part of a `Host` header: `[::1]:8009` → `::1`, `Example.com:80` → `example.com`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def _bracketed(hostname: str) -> str:
    return f"[{hostname}]" if ":" in hostname else hostname


def _is_loopback_client(scope: Scope) -> bool:
    client = scope.get("client")
    if not client:
        return False
    try:
        return ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return False
