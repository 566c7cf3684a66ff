"""Code 128 and QR codes as PNG data URIs, for <img src="..."> in HTML given to render_pdf.

PNG rather than SVG: xhtml2pdf draws raster images reliably, and a 1-bit PNG of a
code is a few hundred bytes. Both are drawn at a whole number of pixels per module,
so that every bar and every QR module is exactly as wide as the symbology says;
the template scales the image (width in mm), and the ratios survive scaling.
"""
from __future__ import annotations

import base64
import io
from functools import lru_cache

import qrcode
from barcode.codex import Code128
from barcode.errors import BarcodeError
from PIL import Image

#: Code 128 needs at least 10 modules of white on each side to scan.
CODE128_QUIET_MODULES = 10


def code128_modules(value: str) -> str:
    """The bars of `value` as python-barcode encodes them: "1" black module, "0" white,
    start and stop codes and check symbol included, quiet zones not.
    ValueError for what Code 128 cannot carry (anything outside ASCII)."""
    # Code128 picks code sets A/B/C to make the shortest symbol; build() returns
    # one string of modules.
    try:
        return Code128(value).build()[0]
    except BarcodeError as exc:
        raise ValueError(str(exc)) from exc


def _png_data_uri(image: Image.Image) -> str:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


@lru_cache(maxsize=256)
def code128_data_uri(value: str, module_px: int = 2, height_px: int = 60) -> str:
    """A Code 128 barcode of `value`, no text under it, quiet zones included.

    Each module is `module_px` pixels wide. Size it in the template by width, e.g.
    <img src="..." width="60mm" height="12mm">: on a 203 dpi thermal head a module
    of 0.25 mm or more (2 dots) scans reliably.
    """
    if not value:
        raise ValueError("empty barcode value")
    bars = ("0" * CODE128_QUIET_MODULES) + code128_modules(value) + ("0" * CODE128_QUIET_MODULES)
    row = bytes(0 if m == "1" else 255 for m in bars for _ in range(module_px))
    # Mode "L" then "1": a 1-bit PNG, the smallest and sharpest there is.
    image = Image.frombytes("L", (len(row), 1), row).resize((len(row), height_px), Image.NEAREST)
    return _png_data_uri(image.convert("1", dither=Image.Dither.NONE))


@lru_cache(maxsize=256)
def qr_data_uri(value: str, box_px: int = 4, border: int = 4) -> str:
    """A QR code of `value` (error correction M, 15% of it may be damaged), with the
    4-module quiet zone the standard asks for; `box_px` pixels per module."""
    if not value:
        raise ValueError("empty QR value")
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                       box_size=box_px, border=border)
    qr.add_data(value)
    qr.make(fit=True)
    return _png_data_uri(qr.make_image().get_image().convert("1", dither=Image.Dither.NONE))
