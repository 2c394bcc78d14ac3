"""Checks an `initial_image` data URL: base64, declared type, magic bytes, byte and pixel limits."""

from __future__ import annotations

import base64
import binascii
import io
import warnings

from PIL import Image

from dreamverse.runtime.errors import InvalidImage
from dreamverse.runtime.protocol.client import InitialImage

_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}


def decode_initial_image(image: InitialImage, *, max_bytes: int, max_pixels: int) -> bytes:
    """Return the image's bytes, or raise `InvalidImage` saying what is wrong. CPU work: call off-loop."""
    header, _, payload = image.data_url.partition(",")
    if header.removeprefix("data:").removesuffix(";base64") != image.mime_type:
        raise InvalidImage(f"data URL type {header!r} does not match mime_type {image.mime_type!r}")
    if len(payload) > (max_bytes * 4) // 3 + 4:
        raise InvalidImage(f"image is larger than {max_bytes} bytes")
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidImage("image data is not valid base64") from exc
    if not data:
        raise InvalidImage("image is empty")
    if len(data) > max_bytes:
        raise InvalidImage(f"image is {len(data)} bytes; the limit is {max_bytes}")
    _check_pixels(data, _FORMATS[image.mime_type], max_pixels)
    return data


def _check_pixels(data: bytes, expected_format: str, max_pixels: int) -> None:
    """Format and size come from the header, checked before `verify` reads the rest of the file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                if img.format != expected_format:
                    raise InvalidImage(f"image content is {img.format}, but mime_type says {expected_format}")
                if width * height > max_pixels:
                    raise InvalidImage(f"image is {width}x{height} pixels; the limit is {max_pixels} pixels")
                img.verify()
    except InvalidImage:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise InvalidImage(f"image has too many pixels; the limit is {max_pixels} pixels") from exc
    except Exception as exc:  # Pillow's parsers raise many types on hostile bytes (IndexError, struct.error…)
        raise InvalidImage(f"not a readable {expected_format} image") from exc
