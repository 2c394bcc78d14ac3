"""The websocket transport: media goes out as it is encoded, without permessage-deflate (H.264/AAC does not
compress; deflating it cost a third of a replica's CPU in `benchmarks/load.py`)."""

from __future__ import annotations

import websockets

from tests.support.server import run_server


async def test_the_server_declines_permessage_deflate_that_a_client_offers() -> None:
    with run_server() as server:
        async with websockets.connect(server.ws) as conn:  # offers permessage-deflate, as browsers do
            offered = conn.request.headers.get("Sec-WebSocket-Extensions") if conn.request else None
            assert offered is not None and "permessage-deflate" in offered
            assert conn.response is not None
            assert conn.response.headers.get("Sec-WebSocket-Extensions") is None
            assert "session_ready" in str(await conn.recv())
