"""Hostile inputs shared by the defect tests and the fuzzer: images that have crashed image checks."""

from __future__ import annotations

import base64
import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int = 16, height: int = 16) -> bytes:
    """A PNG with a valid header and no image data: 45 bytes (signature, IHDR, IEND)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return PNG_SIGNATURE + png_chunk(b"IHDR", ihdr) + png_chunk(b"IEND", b"")


def png_bomb(side: int = 20000) -> bytes:
    """A tiny PNG whose header claims `side`x`side` pixels (a decompression bomb by its size)."""
    return png_header_only(side, side)


def data_url(data: bytes, mime: str = "image/png") -> dict[str, str]:
    """An `initial_image` object for `data`."""
    return {"data_url": f"data:{mime};base64," + base64.b64encode(data).decode(), "mime_type": mime}
