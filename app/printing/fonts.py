"""The print font: Hind (Latin + Devanagari in one face), registered once per process.

One face for both scripts, so that an English word in a Hindi line is never drawn
from a font without Latin glyphs (Noto Sans Devanagari, for one, has none).
Fonts come from installed packages (fontpkg-hind), never from the network.
"""
from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile

from .shaping import ShapingTTFont

#: The CSS font-family (and ReportLab family) name of the print font.
FONT_FAMILY = "Hind"

#: ReportLab font name -> CSS weight. xhtml2pdf's bold is on/off (<b>, <strong>,
#: font-weight 500-900 all mean bold), so Medium and SemiBold are reachable only as
#: families of their own: font-family: "Hind SemiBold".
FACES = {
    "Hind": 400,
    "Hind-Medium": 500,
    "Hind-SemiBold": 600,
    "Hind-Bold": 700,
}

# Used only if fontpkg-hind is missing: system faces that have both scripts, tried in
# order. Each must cover the probe characters below, or it is passed over.
_FALLBACKS = [
    ("/usr/share/fonts/truetype/freefont/FreeSans.ttf",
     "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf"),
    ("/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf", None),
]
_PROBE = "AZaz09क्षि।"

# CSS family -> (regular face, bold face); see register_fonts for why in this order.
_FAMILIES = {
    "Hind Medium": ("Hind-Medium", "Hind-Bold"),
    "Hind SemiBold": ("Hind-SemiBold", "Hind-Bold"),
    FONT_FAMILY: ("Hind", "Hind-Bold"),
}

_lock = threading.Lock()
_paths: dict[str, Path] | None = None


def _hind_paths() -> dict[str, Path] | None:
    try:
        import fontpkg
    except ImportError:
        return None
    try:
        return {name: fontpkg.path(FONT_FAMILY, weight) for name, weight in FACES.items()}
    except fontpkg.FontpkgError:
        return None


def _covers(path: str) -> bool:
    try:
        cmap = TTFontFile(path).charToGlyph
    except Exception:  # unreadable or not a TrueType font: not a candidate
        return False
    return all(ord(c) in cmap for c in _PROBE)


def _fallback_paths() -> dict[str, Path] | None:
    for regular, bold in _FALLBACKS:
        if Path(regular).is_file() and _covers(regular):
            bold = bold if bold and Path(bold).is_file() else regular
            return {"Hind": Path(regular), "Hind-Medium": Path(regular),
                    "Hind-SemiBold": Path(bold), "Hind-Bold": Path(bold)}
    return None


def register_fonts() -> dict[str, Path]:
    """Register the faces with ReportLab and map the family's bold/italic; returns the
    file of each face. Cheap after the first call (fonts are parsed once per process)."""
    global _paths
    if _paths is not None:
        return _paths
    with _lock:
        if _paths is not None:
            return _paths
        paths = _hind_paths() or _fallback_paths()
        if paths is None:
            raise RuntimeError(
                "No font with Latin and Devanagari found: install fontpkg-hind "
                "(requirements.txt)")
        for name, path in paths.items():
            pdfmetrics.registerFont(ShapingTTFont(name, str(path)))
        # Family -> (regular, bold). Hind has no italic: italic text keeps the upright
        # face rather than falling back to a font without Devanagari. The plain family
        # goes last and upright last, because addMapping also records the reverse
        # lookup (font -> family, bold, italic) that xhtml2pdf uses to know what an
        # element's font is, and the last mapping of a font name wins.
        for family, (regular, bold) in _FAMILIES.items():
            for italic in (1, 0):
                addMapping(family, 0, italic, regular)
                addMapping(family, 1, italic, bold)
        _paths = paths
        return paths


def css_families() -> dict[str, str]:
    """CSS family name (lower case, as xhtml2pdf looks them up) -> ReportLab font."""
    return {family.lower(): regular for family, (regular, _bold) in _FAMILIES.items()}
