"""Bad input gets a typed error (or a documented close code); the server keeps serving everyone else."""

from __future__ import annotations

import base64
import io
import json

import pytest
import websockets
from PIL import Image

from tests.support.server import RunningServer, run_server
from tests.support.wsclient import Client


def png_data_url(width: int, height: int) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


BAD_FRAMES = [
    ("not json", "invalid_message"),
    (json.dumps([1, 2]), "invalid_message"),
    (json.dumps({"prompt": "no type"}), "invalid_message"),
    (json.dumps({"type": "teleport"}), "unknown_message_type"),
    (json.dumps({"type": "append_prompt"}), "invalid_message"),
    (json.dumps({"type": "append_prompt", "prompt": 42}), "invalid_message"),
    (json.dumps({"type": "set_enhancement", "enabled": "maybe"}), "invalid_message"),
    (json.dumps({"type": "append_prompt", "prompt": "x" * 3000}), "prompt_too_long"),
    (b"\x00\x01binary", "binary_not_accepted"),
    (json.dumps({"type": "append_prompt", "prompt": "too early"}), "unexpected_message"),
]


@pytest.mark.parametrize(
    ("frame", "code"), BAD_FRAMES, ids=[code + str(i) for i, (_, code) in enumerate(BAD_FRAMES)]
)
async def test_bad_frame_gets_typed_error_and_socket_stays_usable(
    server: RunningServer, frame: str | bytes, code: str
) -> None:
    client = await Client.connect(server.ws)
    await client.next_event()
    await client.send(frame)
    error = await client.until("error")
    assert error["code"] == code and isinstance(error["retryable"], bool) and error["message"]
    await client.send(
        {"type": "session_init_v2", "curated_prompts": ["still works"], "enhancement_enabled": False}
    )
    assert (await client.until("ltx2_segment_start"))["prompt"] == "still works"
    await client.close()


async def test_oversized_message_is_refused_and_others_keep_streaming() -> None:
    with run_server(max_message_bytes=4096) as server:
        server.wait_ready()
        bystander = await Client.connect(server.ws)
        await bystander.next_event()
        await bystander.send(
            {"type": "session_init_v2", "curated_prompts": ["bystander"], "enhancement_enabled": False}
        )
        await bystander.until("ltx2_segment_start")

        abuser = await Client.connect(server.ws)
        await abuser.next_event()
        await abuser.send(json.dumps({"type": "append_prompt", "prompt": "y" * 10_000}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await abuser.until("error")
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009  # documented: message too big
        await bystander.until("ltx2_segment_complete")
        await bystander.close()


async def test_invalid_initial_image_closes_with_1003(server: RunningServer) -> None:
    cases = [
        {"data_url": "data:image/png;base64,!!!not-base64", "mime_type": "image/png", "name": "a.png"},
        {
            "data_url": "data:image/png;base64," + base64.b64encode(b"plain text").decode(),
            "mime_type": "image/png",
        },
        {"data_url": png_data_url(8, 8), "mime_type": "image/jpeg"},
    ]
    for image in cases:
        client = await Client.connect(server.ws)
        await client.next_event()
        await client.send(
            {"type": "session_init_v2", "curated_prompts": ["with an image"], "initial_image": image}
        )
        error = await client.until("error")
        assert error["code"] in {"invalid_image", "invalid_message"}
        if error["code"] == "invalid_image":
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await client.next_event()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1003


async def test_image_over_the_pixel_limit_is_refused() -> None:
    with run_server(max_image_pixels=32 * 32) as server:
        server.wait_ready()
        client = await Client.connect(server.ws)
        await client.next_event()
        image = {"data_url": png_data_url(64, 64), "mime_type": "image/png", "name": "big.png"}
        await client.send({"type": "session_init_v2", "curated_prompts": ["x"], "initial_image": image})
        error = await client.until("error")
        assert error["code"] == "invalid_image" and "pixels" in error["message"]


async def test_valid_initial_image_is_accepted(server: RunningServer) -> None:
    client = await Client.connect(server.ws)
    await client.next_event()
    image = {"data_url": png_data_url(16, 16), "mime_type": "image/png", "name": "ok.png"}
    await client.send(
        {"type": "session_init_v2", "curated_prompts": ["from an image"], "initial_image": image}
    )
    await client.until("ltx2_segment_complete")
    await client.close()


async def test_blocked_first_prompt_closes_with_1008(server: RunningServer) -> None:
    client = await Client.connect(server.ws)
    await client.next_event()
    await client.send(
        {"type": "session_init_v2", "curated_prompts": ["explicit hardcore porn with naked bodies"]}
    )
    error = await client.until("error")
    assert (error["code"], error["category"]) == ("prompt_blocked", "sexual")
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await client.next_event()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def test_blocked_appended_prompt_is_not_generated_and_session_continues(server: RunningServer) -> None:
    client = await Client.connect(server.ws)
    await client.next_event()
    await client.send(
        {"type": "session_init_v2", "curated_prompts": ["a calm lake"], "enhancement_enabled": False}
    )
    await client.until("prompt_sources_blocked")
    await client.send(
        {"type": "append_prompt", "prompt": "explicit hardcore porn with naked bodies", "prompt_id": "bad"}
    )
    error = await client.until("error")
    assert (error["code"], error["prompt_id"]) == ("prompt_blocked", "bad")
    await client.send(
        {"type": "append_prompt", "prompt": "a swan glides across the lake", "prompt_id": "good"}
    )
    start = await client.until("ltx2_segment_start")
    assert start["prompt"] == "a swan glides across the lake"
    assert all(e.get("prompt") != "explicit hardcore porn with naked bodies" for e in client.events)
    await client.close()


async def test_rate_limit_gives_retryable_error() -> None:
    with run_server(rate_limit_per_s=2) as server:
        server.wait_ready()
        client = await Client.connect(server.ws)
        await client.next_event()
        for _ in range(10):
            await client.send({"type": "leave_not"})
        codes = set()
        for _ in range(10):
            codes.add((await client.until("error"))["code"])
        assert "rate_limited" in codes


async def test_unauthorized_socket_is_closed_with_1008() -> None:
    with run_server(auth_token="s3cret") as server:
        server.wait_ready()
        client = await Client.connect(server.ws)
        error = await client.next_event()
        assert error["code"] == "unauthorized"
        with pytest.raises(websockets.ConnectionClosed):
            await client.next_event()
        ok = await Client.connect(server.ws + "?token=s3cret")
        assert (await ok.next_event())["type"] == "session_ready"
        await ok.close()
        assert server.get("/status").status_code == 401
        assert server.get("/status", headers={"Authorization": "Bearer s3cret"}).status_code == 200
