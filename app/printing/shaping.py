"""Complex-script shaping (Devanagari) for xhtml2pdf, through ReportLab's HarfBuzz shaper.

xhtml2pdf lays paragraphs out with its own copy of an old ReportLab Paragraph, which
measures text with pdfmetrics.stringWidth and draws it with a PDFTextObject, one
character per glyph: matras land on the wrong side and conjuncts fall apart.

Two pieces fix that, and neither touches xhtml2pdf's line breaking:

* ShapingTTFont measures text as HarfBuzz shapes it. Every width xhtml2pdf takes
  (line breaking, table column widths, alignment, where an underline or an inline
  image goes) comes from the font object, so they all agree with what is drawn.
* ShapingTextObject draws text as HarfBuzz shapes it: the text is turned into a
  ReportLab ShapedStr, which PDFTextObject already knows how to write as positioned
  glyphs. Paragraph.beginText is the one hook xhtml2pdf has for choosing the text
  object, and install() points it here.

Shaping happens at draw time, on the text each fragment of a line holds, rather than
on xhtml2pdf's frag words when it breaks lines (which is what ReportLab's own
Paragraph does). The reason: xhtml2pdf's copy rebuilds paragraphs from their broken
lines' text -- the second half of a paragraph split across pages is re-broken from
it, and overflow-wrap and text-overflow cut it character by character. Shaped text
stored there would be shaped a second time (pre-base matras moved again, private-use
glyph codes HarfBuzz cannot read) or lose its glyph positions when sliced. Keeping the
text logical until it is drawn leaves all of that working as it was.

Text is shaped word by word (split at white space) and, inside a word, script run by
script run, and each result is cached on the font for the life of the process: the
same labels recur on every slip, so most words are shaped once per worker.
"""
from __future__ import annotations

import logging
import re
import threading

import xhtml2pdf
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont, shapeFragWord, uharfbuzz
from reportlab.pdfgen.textobject import PDFTextObject
from xhtml2pdf import reportlab_paragraph

log = logging.getLogger(__name__)

#: The xhtml2pdf release install() was written against (requirements.txt pins it).
XHTML2PDF_TESTED = "0.2.28"

# What ReportLab itself puts in a ShapedStr for a character it did not shape (its
# private ttfonts._sdSimple): no adjustment, so the glyph is drawn at its own width.
_PLAIN = ShapeData(0x7FFFFFFF, 0, 0, 0, 0, 0)

# White space separates what is shaped. Spaces are drawn as plain glyphs, so PDF word
# spacing (Tw, used for justified lines) still applies to them.
_WORDS = re.compile(r"(\s+)")

# Devanagari, Devanagari Extended, Vedic Extensions, and the joiners that steer
# conjunct formation. A word mixing scripts ("Dr.राम") is shaped one script at a time,
# as a browser does, so each run gets its own script's features (Latin kerning is
# registered under 'latn', Devanagari reordering under 'dev2').
_DEVANAGARI = re.compile(r"[\u0900-\u097F\uA8E0-\uA8FF\u1CD0-\u1CFF\u200C\u200D]")
_LETTER = re.compile(r"[^\W\d_]")


def _script_runs(word: str) -> list[str]:
    """`word` cut where it changes between Devanagari and other letters; digits and
    punctuation stay with the run they sit in."""
    if word.isascii() or not _DEVANAGARI.search(word):
        return [word]
    if not any(_LETTER.match(c) and not _DEVANAGARI.match(c) for c in word):
        return [word]
    runs: list[str] = []
    current = ""
    kind = None
    for char in word:
        if _DEVANAGARI.match(char):
            k = "deva"
        elif _LETTER.match(char):
            k = "other"
        else:
            k = kind  # neutral: digits, punctuation, marks of no script
        if current and k is not None and kind is not None and k != kind:
            runs.append(current)
            current = ""
        current += char
        kind = k if k is not None else kind
    runs.append(current)
    return runs


class ShapingTTFont(TTFont):
    """A TrueType font whose widths, and whose text as drawn by ShapingTextObject, are
    HarfBuzz's. Register it (pdfmetrics.registerFont) before use: ReportLab's shaper
    finds the font by name. Only worth it for fonts with OpenType layout tables
    (GSUB/GPOS), as Indic fonts have."""

    #: Words remembered per font; past this the cache starts over (a bound, not a tune).
    CACHE_MAX = 50_000

    def __init__(self, name: str, filename: str):
        if uharfbuzz is None:
            # Without it ReportLab silently draws unshaped text: a patient's name
            # printed wrong is worse than no slip, so refuse to start.
            raise RuntimeError("uharfbuzz is not importable; Devanagari cannot be shaped")
        super().__init__(name, filename)
        # word -> (text to draw: ShapedStr or the word itself, advance in 1/1000 em)
        self._words: dict[str, tuple[str, float]] = {}
        self._space = TTFont.stringWidth(self, " ", 1000)
        # ReportLab's shaper adds private-use code points to the face for glyphs no
        # character maps to (conjuncts, half forms); xhtml2pdf renders one document
        # at a time, but a lock keeps two threads measuring at once from racing there.
        self._lock = threading.Lock()

    def _shape_word(self, word: str) -> tuple[str, float]:
        hit = self._words.get(word)
        if hit is not None:
            return hit
        with self._lock:
            parts: list[str] = []
            data: list = []
            advance = 0.0
            shaped_any = False
            for run in _script_runs(word):
                # fontSize 1000 makes the width shapeFragWord returns come out in 1/1000 em.
                shaped = shapeFragWord([0, (ABag(fontName=self.fontName, fontSize=1000), run)])
                text = shaped[1][1] if len(shaped) == 2 else run
                if isinstance(text, ShapedStr):
                    parts.append(text)
                    data.extend(text.__shapeData__)
                    advance += shaped[0]
                    shaped_any = True
                else:  # HarfBuzz changed nothing: draw and measure it as plain text
                    parts.append(run)
                    data.extend([_PLAIN] * len(run))
                    advance += TTFont.stringWidth(self, run, 1000)
            drawn = ShapedStr("".join(parts), shapeData=data) if shaped_any else word
            if len(self._words) >= self.CACHE_MAX:
                self._words.clear()
            self._words[word] = hit = (drawn, advance)
        return hit

    def shape(self, text: str | bytes) -> str:
        """`text` as it is to be drawn: a ShapedStr where shaping changed anything."""
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if not text or isinstance(text, ShapedStr):
            return text
        pieces = []
        data: list = []
        shaped_any = False
        for piece in _WORDS.split(text):
            if not piece:
                continue
            if piece[0].isspace():
                pieces.append(piece)
                data.extend([_PLAIN] * len(piece))
                continue
            drawn, _ = self._shape_word(piece)
            pieces.append(drawn)
            if isinstance(drawn, ShapedStr):
                data.extend(drawn.__shapeData__)
                shaped_any = True
            else:
                data.extend([_PLAIN] * len(drawn))
        if not shaped_any:
            return text
        return ShapedStr("".join(pieces), shapeData=data)

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 (ReportLab's name)
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if not text:
            return 0.0
        if isinstance(text, ShapedStr):
            # Already shaped (ReportLab's own shaping Paragraph draws these): its
            # advances are in the shape data, and plain entries take the glyph width.
            widths = self.face.charWidths
            total = 0.0
            for char, sd in zip(text, text.__shapeData__):
                total += widths.get(ord(char), 0) if sd.cluster == _PLAIN.cluster else sd.x_advance
            return total * size / 1000
        total = 0.0
        for piece in _WORDS.split(text):
            if not piece:
                continue
            if piece[0].isspace():
                total += TTFont.stringWidth(self, piece, 1000) if piece != " " else self._space
            else:
                total += self._shape_word(piece)[1]
        return total * size / 1000


class ShapingTextObject(PDFTextObject):
    """A text object that shapes what it draws when the current font is a ShapingTTFont.

    _formatText is where every textOut/textLine/_textOut turns text into PDF
    operators; ReportLab's own code there writes a ShapedStr as positioned glyphs.
    """

    def _formatText(self, text):  # noqa: N802 (ReportLab's name)
        font = pdfmetrics.getFont(self._fontname)
        if isinstance(font, ShapingTTFont):
            text = font.shape(text)
        return super()._formatText(text)


def _shaping_begin_text(self, x, y):
    # Replaces xhtml2pdf's Paragraph.beginText, which is `self.canv.beginText(x, y)`.
    return ShapingTextObject(self.canv, x, y)


_installed = False
_install_lock = threading.Lock()


def install() -> None:
    """Make xhtml2pdf's paragraphs (body text, table cells, everything but list
    bullets and the table-of-contents leader) draw through ShapingTextObject.
    Idempotent; the only change made to xhtml2pdf."""
    global _installed
    with _install_lock:
        if _installed:
            return
        if xhtml2pdf.__version__ != XHTML2PDF_TESTED:
            log.warning(
                "xhtml2pdf %s, not %s: check that Devanagari is still shaped "
                "(tests/unit/printing)", xhtml2pdf.__version__, XHTML2PDF_TESTED)
        reportlab_paragraph.Paragraph.beginText = _shaping_begin_text
        _installed = True
