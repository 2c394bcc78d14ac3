"""Small defects found by attacking the server, reproduced without sockets."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from dreamverse.runtime.errors import InvalidImage
from dreamverse.runtime.logs import RedactTokens
from dreamverse.runtime.protocol.client import InitialImage
from dreamverse.runtime.protocol.errors import to_error_event
from dreamverse.runtime.protocol.images import decode_initial_image
from dreamverse.runtime.settings import Settings
from tests.support.hostile import data_url, png_bomb, png_header_only


def test_internal_errors_are_not_retryable() -> None:
    event = to_error_event(RuntimeError("a bug"))
    assert (event.code, event.retryable) == ("internal", False)
    assert "a bug" not in event.message


@pytest.mark.parametrize("token", [" ", "\t\n", ""])
@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_blank_auth_token_is_refused(token: str, host: str) -> None:
    with pytest.raises(ValidationError, match="blank"):
        Settings.from_flat({"auth_token": token, "host": host})


def test_allowed_origins_and_hosts_take_comma_separated_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DREAMVERSE_ALLOWED_ORIGINS", "https://App.example, http://localhost:5173")
    settings = Settings.from_flat({"allowed_hosts": "dv.example,localhost"})
    assert settings.server.allowed_origins == ["https://app.example", "http://localhost:5173"]
    assert settings.server.allowed_hosts == ["dv.example", "localhost"]
    with pytest.raises(ValidationError, match="not an origin"):
        Settings.from_flat({"allowed_origins": "*"})


@pytest.mark.parametrize(
    ("image", "message"),
    [(png_header_only(), "not a readable PNG"), (png_bomb(), "too many pixels"), (png_bomb(5000), "pixels")],
    ids=["45-byte-png", "bomb-over-pillow-limit", "over-our-pixel-limit"],
)
def test_hostile_pngs_are_invalid_images(image: bytes, message: str) -> None:
    with pytest.raises(InvalidImage, match=message):
        decode_initial_image(InitialImage(**data_url(image)), max_bytes=2**20, max_pixels=4096 * 4096)


def test_tokens_in_urls_are_redacted_from_log_records() -> None:
    record = logging.LogRecord(
        "uvicorn.error",
        logging.INFO,
        __file__,
        1,
        '%s - "WebSocket %s" [accepted]',
        ("127.0.0.1:5", "/ws?x=1&token=abc.DEF-123&y=2"),
        None,
    )
    assert RedactTokens().filter(record)
    assert record.getMessage() == '127.0.0.1:5 - "WebSocket /ws?x=1&token=***&y=2" [accepted]'
