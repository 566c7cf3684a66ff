"""HTML + CSS -> PDF for slips and receipts, with Devanagari shaped.

    from app.printing.pdf import render_pdf, code128_data_uri, qr_data_uri
    pdf_bytes = render_pdf(html)

The HTML is what xhtml2pdf understands: @page { size: a5 } or a thermal roll
(size: 80mm 200mm), tables, font-size, <b>/<strong>. Text is in the Hind family
(FONT_FAMILY) unless the HTML says otherwise; Hind has Latin and Devanagari, so
mixed Hindi/English lines need nothing special. Images must be data: URIs
(code128_data_uri, qr_data_uri): a slip never fetches anything, from the network or
from disk, whatever its HTML says.
"""
from __future__ import annotations

import io
import threading

from xhtml2pdf import default as x2p_default
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from . import shaping
from .codes import code128_data_uri, qr_data_uri
from .fonts import FONT_FAMILY, css_families, register_fonts

__all__ = ["FONT_FAMILY", "PdfRenderError", "code128_data_uri", "qr_data_uri", "render_pdf"]

# xhtml2pdf's user-agent stylesheet with our family as the default for everything.
# It is the lowest layer of the cascade, so any font-family in the HTML still wins.
# Monospaced elements keep Courier for Latin and fall back to Hind, character by
# character, for Devanagari (Courier has none, and would leave it blank).
DEFAULT_CSS = x2p_default.DEFAULT_CSS + f"""
html {{ font-family: {FONT_FAMILY}; }}
pre, code, kbd, samp, tt {{ font-family: "Courier New", {FONT_FAMILY}; }}
"""

# No network, no local files (base_dir None denies them): the only resources a slip
# has are the data: URIs in its HTML. Limits as for untrusted HTML, since patient-
# entered text ends up in it.
POLICY = ResourceAccessPolicy.server(base_dir=None, allow_remote=False)


class PdfRenderError(RuntimeError):
    """xhtml2pdf counted errors while rendering. (An image it cannot load is only a
    logged warning: the slip prints without it.)"""


_ready = False
_ready_lock = threading.Lock()


def _setup() -> None:
    """Once per process: register the fonts, tell xhtml2pdf their CSS names, and
    route its paragraph drawing through the shaper."""
    global _ready
    if _ready:
        return
    with _ready_lock:
        if _ready:
            return
        register_fonts()
        # Every document's font table starts as a copy of DEFAULT_FONT, so adding our
        # families there once is what makes "font-family: Hind" resolve without an
        # @font-face (which would parse and register the TTF again for every PDF).
        x2p_default.DEFAULT_FONT.update(css_families())
        shaping.install()
        _ready = True


def render_pdf(html: str) -> bytes:
    """Render `html` to PDF bytes. Raises PdfRenderError if xhtml2pdf reports errors."""
    _setup()
    out = io.BytesIO()
    context = pisa.pisaDocument(html, dest=out, default_css=DEFAULT_CSS,
                                resource_policy=POLICY, encoding="utf-8")
    if context.err:
        messages = [str(entry) for entry in getattr(context, "log", [])][-5:]
        raise PdfRenderError(f"{context.err} error(s) rendering PDF: {messages}")
    return out.getvalue()


MM = 72 / 25.4


def trim_to_content(data: bytes, margin_mm: float = 4) -> bytes:
    """A roll paper's page cut just below its last line (xhtml2pdf lays out fixed-height
    pages: a slip would otherwise feed tens of millimetres of blank paper)."""
    from pypdf import PdfReader, PdfWriter
    reader, writer = PdfReader(io.BytesIO(data)), PdfWriter()
    for page in reader.pages:
        lowest = [float(page.mediabox.top)]

        def seen(text, cm, tm, _font, size, lowest=lowest):
            if text.strip():  # the baseline in page space, less the font's descent
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                lowest[0] = min(lowest[0], y - 0.3 * (size or 0) * abs(cm[3] or 1))
        page.extract_text(visitor_text=seen)
        bottom = max(float(page.mediabox.bottom), lowest[0] - margin_mm * MM)
        page.mediabox.lower_left = (page.mediabox.left, bottom)
        page.cropbox.lower_left = (page.cropbox.left, bottom)
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
