"""A first-frame image for `start(image=…)`: bytes → the protocol's `InitialImage` data URL."""

from __future__ import annotations

import base64

from dreamverse.runtime.protocol.client import InitialImage

_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def initial_image(data: bytes, name: str = "") -> InitialImage:
    """Wrap PNG, JPEG or WebP bytes; other formats raise `ValueError` (the server accepts only these)."""
    mime = _mime_of(data)
    encoded = base64.b64encode(data).decode("ascii")
    return InitialImage(data_url=f"data:{mime};base64,{encoded}", mime_type=mime, name=name)


def _mime_of(data: bytes) -> str:
    for magic, mime in _MAGIC.items():
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise ValueError("the image must be PNG, JPEG or WebP")
