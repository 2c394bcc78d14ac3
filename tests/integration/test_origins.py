"""Cross-site websocket hijacking and DNS rebinding are refused over real sockets; own and listed origins
work."""

from __future__ import annotations

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.support.server import RunningServer, run_server
from tests.support.wsclient import Client

EVIL = "https://evil.example"


async def handshake_status(url: str, headers: dict[str, str]) -> int:
    """The HTTP status of a refused handshake (a browser sees only close 1006)."""
    with pytest.raises(InvalidStatus) as refused:
        await websockets.connect(url, additional_headers=headers, open_timeout=10)
    return refused.value.response.status_code


async def test_foreign_origin_cannot_open_the_websocket(server: RunningServer) -> None:
    assert await handshake_status(server.ws, {"Origin": EVIL}) == 403
    assert await handshake_status(server.ws, {"Origin": "null"}) == 403
    assert server.get("/status").json()["sessions_started"] == 0  # refused before any session exists


async def test_dns_rebinding_host_is_refused(server: RunningServer) -> None:
    port = server.settings.server.port
    rebound = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
    assert await handshake_status(server.ws, rebound) == 403
    response = server.get("/status", headers={"Host": f"evil.example:{port}"})
    assert response.status_code == 400
    assert response.json()["error_code"] == "host_not_allowed"


async def test_same_origin_and_scripts_without_origin_stream(server: RunningServer) -> None:
    own = {"Origin": f"http://localhost:{server.settings.server.port}"}
    browser = Client(await websockets.connect(server.ws, additional_headers=own, max_size=None))
    assert (await browser.next_event())["type"] == "session_ready"
    await browser.send({"type": "session_init_v2", "curated_prompts": ["same origin"]})
    await browser.until("media_init")
    await browser.close()
    script = await Client.connect(server.ws)  # no Origin header, from loopback
    assert (await script.next_event())["type"] == "session_ready"
    await script.close()


async def test_state_changing_http_needs_an_allowed_origin(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.http) as http:
        refused = await http.post("/export", content=b"x", headers={"Origin": EVIL})
        assert refused.status_code == 403 and refused.json()["error_code"] == "origin_not_allowed"
        put = await http.put("/prompt-system-config", content=b"{}", headers={"Origin": EVIL})
        assert put.status_code == 403
        own = await http.post("/export", content=b"x", headers={"Origin": server.http})
        assert own.status_code == 422  # reached the route: not an MP4
        read = await http.get("/readyz", headers={"Origin": EVIL})
        assert read.status_code == 200 and "access-control-allow-origin" not in read.headers


async def test_listed_origin_gets_the_websocket_and_cors_with_a_token() -> None:
    app = "https://app.example"
    with run_server(allowed_origins=app, auth_token="s3cret-token") as server:
        server.wait_ready()
        url = server.ws + "?token=s3cret-token"
        listed = await websockets.connect(url, additional_headers={"Origin": app})
        assert '"session_ready"' in str(await listed.recv())
        await listed.close()
        assert await handshake_status(url, {"Origin": EVIL}) == 403  # the token does not excuse the origin
        async with httpx.AsyncClient(base_url=server.http) as http:
            preflight = await http.options(
                "/export", headers={"Origin": app, "Access-Control-Request-Method": "POST"}
            )
            evil = await http.options(
                "/export", headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"}
            )
        assert preflight.headers["access-control-allow-origin"] == app
        assert "access-control-allow-credentials" not in preflight.headers
        assert "access-control-allow-origin" not in evil.headers
        # a script with no Origin still needs the token
        no_token = Client(await websockets.connect(server.ws))
        error = await no_token.until("error")
        assert error["code"] == "unauthorized"
        await no_token.close()
