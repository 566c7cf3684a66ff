"""PDF printing: Devanagari is shaped in what is drawn, English is drawn, codes encode.

The shaping tests read the PDF itself: each character code a text operator shows is
mapped back, through the font's ToUnicode map and the registered font's cmap, to
the glyph it draws, and the sequence is compared with what uharfbuzz makes of the
same text with the same font file. Each has a negative control that renders with
xhtml2pdf's own (unshaped) text drawing, to show the check can fail.
"""
from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest
import uharfbuzz as hb
from PIL import Image, ImageChops
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfbase import pdfmetrics
from xhtml2pdf import reportlab_paragraph

from app.printing import codes
from app.printing.bench import sample_slip_html
from app.printing.fonts import register_fonts
from app.printing.pdf import FONT_FAMILY, code128_data_uri, qr_data_uri, render_pdf
from tests.conftest import needs_scanner, scan_codes

PHRASE = "क्षेत्रीय चिकित्सालय"
MIXED = "राम कुमार पुत्र श्री कृष्ण लाल, 45 वर्ष / पुरुष Ram Kumar s/o Krishan Lal"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def unshaped(monkeypatch):
    """xhtml2pdf's own drawing, as it was before shaping was installed."""
    render_pdf("<p>x</p>")  # make sure install() has run, so the undo sticks
    monkeypatch.setattr(reportlab_paragraph.Paragraph, "beginText",
                        lambda self, x, y: self.canv.beginText(x, y))


# --- reading glyphs back out of the PDF -------------------------------------------

def _fonts_by_postscript_name() -> dict[str, object]:
    register_fonts()
    fonts = {}
    for name in ("Hind", "Hind-Medium", "Hind-SemiBold", "Hind-Bold"):
        font = pdfmetrics.getFont(name)
        ps = font.face.name.decode() if isinstance(font.face.name, bytes) else font.face.name
        fonts[ps] = font
    return fonts


def _to_unicode(font_dict) -> dict[int, str]:
    cmap = font_dict["/ToUnicode"].get_object().get_data().decode("latin-1")
    mapping = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = chr(int(uni, 16))
    return mapping


def drawn_glyphs(pdf: bytes, pages=None) -> list[tuple[str, int]]:
    """(PostScript font name, glyph id in the original font file) for every glyph the
    PDF's text operators show, in stream order."""
    fonts = _fonts_by_postscript_name()
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for number, page in enumerate(reader.pages):
        if pages is not None and number not in pages:
            continue
        resources = page["/Resources"]["/Font"]
        current = None
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                current = resources[operands[0]].get_object()
            elif op in (b"Tj", b"TJ"):
                items = operands[0] if op == b"TJ" else [operands[0]]
                ps = str(current["/BaseFont"]).split("+", 1)[-1]
                font = fonts[ps]  # only Hind may draw text in these documents
                to_uni = _to_unicode(current)
                for item in items:
                    if isinstance(item, (str, bytes)):
                        # the raw string bytes, not pypdf's PDFDocEncoding reading of them
                        data = bytes(getattr(item, "original_bytes", item))
                        # ToUnicode gives the character ReportLab encoded the glyph
                        # as (a private-use one for conjuncts), the font's cmap the glyph.
                        out += [(ps, font.face.charToGlyph[ord(to_uni[c])]) for c in data]
    return out


def _hb_font(face_name: str) -> hb.Font:
    path = register_fonts()[face_name]
    return hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))


def harfbuzz_glyphs(text: str, face_name: str = "Hind", by_word: bool = True) -> list[int]:
    """Glyph ids uharfbuzz gives for `text`, shaped a word at a time (which is how
    text is laid out: a line can break at any space), spaces as the space glyph."""
    font = _hb_font(face_name)
    gids = []
    for piece in re.split(r"( )", text) if by_word else [text]:
        if not piece:
            continue
        buf = hb.Buffer()
        buf.add_str(piece)
        buf.guess_segment_properties()
        hb.shape(font, buf, {"kern": True, "liga": True})
        gids += [info.codepoint for info in buf.glyph_infos]
    return gids


def cmap_glyphs(text: str, face_name: str = "Hind") -> list[int]:
    """One glyph per character, straight from the cmap: what unshaped drawing shows."""
    font = _hb_font(face_name)
    return [font.get_nominal_glyph(ord(c)) for c in text]


CASES = {
    "paragraph": (f"<p>{PHRASE}</p>", "Hind-Regular", PHRASE),
    "table cell": (f"<table><tr><td>{PHRASE}</td></tr></table>", "Hind-Regular", PHRASE),
    "bold": (f"<p><b>{PHRASE}</b></p>", "Hind-Bold", PHRASE),
    "big heading": (f"<h1>{PHRASE}</h1>", "Hind-Bold", PHRASE),
    "mixed Hindi and English": (f"<p>{MIXED}</p>", "Hind-Regular", MIXED),
    "thermal roll": ("<html><head><style>@page { size: 80mm 200mm; margin: 3mm }</style>"
                     f"</head><body><p>{PHRASE}</p></body></html>", "Hind-Regular", PHRASE),
}
FACE_OF = {"Hind-Regular": "Hind", "Hind-Bold": "Hind-Bold"}


@pytest.mark.parametrize("html,ps_name,text", CASES.values(), ids=CASES.keys())
def test_drawn_glyphs_are_harfbuzz_shaping(html, ps_name, text):
    drawn = drawn_glyphs(render_pdf(html))
    assert {ps for ps, _ in drawn} == {ps_name}
    expected = harfbuzz_glyphs(text, FACE_OF[ps_name])
    assert [gid for _, gid in drawn] == expected
    if text == PHRASE:  # word by word is no different from the phrase in one go
        assert expected == harfbuzz_glyphs(text, FACE_OF[ps_name], by_word=False)


def test_word_mixing_scripts_is_shaped_a_script_at_a_time():
    drawn = [gid for _, gid in drawn_glyphs(render_pdf("<p>Dr.क्षेत्रपाल</p>"))]
    assert drawn == harfbuzz_glyphs("Dr.") + harfbuzz_glyphs("क्षेत्रपाल")


def test_negative_control_unshaped_sequence_differs(unshaped):
    expected = harfbuzz_glyphs(PHRASE)
    plain = cmap_glyphs(PHRASE)
    # Shaping changes this phrase (conjuncts, pre-base i-matra), so an unshaped
    # sequence cannot pass the test above ...
    assert plain != expected
    assert len(plain) > len(expected)
    # ... and what xhtml2pdf draws on its own is exactly that unshaped sequence,
    # which the same reading of the PDF sees.
    drawn = [gid for _, gid in drawn_glyphs(render_pdf(f"<p>{PHRASE}</p>"))]
    assert drawn == plain
    assert drawn != expected


def test_paragraph_split_across_pages_stays_shaped():
    # The second part of a split paragraph is laid out again from its text; that
    # text must still be logical Unicode, shaped once when drawn.
    words = (PHRASE + " कृष्ण पिता Zonal ") * 40
    html = ("<html><head><style>@page { size: 80mm 80mm; margin: 4mm }</style></head>"
            f"<body><p style='text-align: justify'>{words}</p></body></html>")
    pdf = render_pdf(html)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    space = harfbuzz_glyphs(" ")[0]
    drawn = [gid for _, gid in drawn_glyphs(pdf) if gid != space]
    expected = [gid for gid in harfbuzz_glyphs(words.strip()) if gid != space]
    assert drawn == expected
    later = [gid for _, gid in drawn_glyphs(pdf, pages=range(1, 99))]
    assert later and cmap_glyphs("्")[0] not in later  # no bare halant after the break


def test_widths_are_shaped_widths():
    # Layout (line breaks, alignment, underline and inline image positions) uses the
    # font's stringWidth; it must measure what is drawn, not the characters.
    render_pdf("<p>x</p>")
    font = pdfmetrics.getFont("Hind")
    hbf = _hb_font("Hind")
    upem = hbf.face.upem
    for word in ("क्षेत्रीय", "चिकित्सालय", "Hospital"):
        buf = hb.Buffer()
        buf.add_str(word)
        buf.guess_segment_properties()
        hb.shape(hbf, buf, {"kern": True, "liga": True})
        advance = sum(p.x_advance for p in buf.glyph_positions) * 10 / upem
        assert font.stringWidth(word, 10) == pytest.approx(advance, abs=0.01)


# --- pixels: our output against ReportLab's own shaping Paragraph ---------------

_REFERENCE = r"""
import sys
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
font_file, size, text, out = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
pdfmetrics.registerFont(TTFont("Reference", font_file))
canvas = Canvas(out, pagesize=A5)
para = Paragraph(text, ParagraphStyle("r", fontName="Reference", fontSize=size,
                                      leading=1.5 * size, shaping=1))
w, h = para.wrap(A5[0] - 72, A5[1])
para.drawOn(canvas, 36, A5[1] - 72 - h)
canvas.save()
"""

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                    reason="pdftoppm (poppler-utils) is not installed")


def _reference_pdf(text: str, size: float) -> bytes:
    # In a separate interpreter: a plain TTFont of the same file, and nothing of
    # app.printing loaded, so the reference owes nothing to the code under test.
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "reference.pdf")
        subprocess.run([sys.executable, "-c", _REFERENCE, str(register_fonts()["Hind"]),
                        str(size), text, out], check=True, timeout=60)
        with open(out, "rb") as fh:
            return fh.read()


def _rasterise(pdf: bytes, dpi: int = 100) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "page.pdf")
        with open(path, "wb") as fh:
            fh.write(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1",
                        path, os.path.join(tmp, "page")], check=True, timeout=60)
        png = next(f for f in os.listdir(tmp) if f.endswith(".png"))
        with Image.open(os.path.join(tmp, png)) as img:
            return img.convert("L")


def _ink(img: Image.Image) -> Image.Image:
    """The text's ink, cropped to its bounding box, as a 1-bit image (ink = 1)."""
    ink = ImageChops.invert(img).point(lambda v: 255 if v > 96 else 0).convert("1")
    box = ink.getbbox()
    assert box, "nothing drawn"
    return ink.crop(box)


def _count(img: Image.Image) -> int:
    return img.convert("L").histogram()[255]


def _similarity(a: Image.Image, b: Image.Image) -> float:
    """Intersection over union of two inks, best over a one-pixel shift either way
    (the two renderings place the text at different sub-pixel offsets)."""
    width, height = max(a.width, b.width) + 2, max(a.height, b.height) + 2
    base = Image.new("1", (width, height))
    base.paste(a, (1, 1))
    best = 0.0
    for dx in (0, 1, 2):
        for dy in (0, 1, 2):
            other = Image.new("1", (width, height))
            other.paste(b, (dx, dy))
            union = _count(ImageChops.logical_or(base, other))
            best = max(best, _count(ImageChops.logical_and(base, other)) / union)
    return best


def _looks_like(ours: Image.Image, reference: Image.Image) -> bool:
    return (abs(ours.width - reference.width) <= 2 and abs(ours.height - reference.height) <= 2
            and _similarity(ours, reference) >= 0.75)


@needs_pdftoppm
def test_rendered_phrase_matches_reportlab_shaping_paragraph():
    size = 24
    reference = _ink(_rasterise(_reference_pdf(PHRASE, size)))
    ours = _ink(_rasterise(render_pdf(f'<p style="font-size: {size}pt">{PHRASE}</p>')))
    assert _looks_like(ours, reference), (ours.size, reference.size, _similarity(ours, reference))


@needs_pdftoppm
def test_rendered_negative_control_unshaped_does_not_match(unshaped):
    size = 24
    reference = _ink(_rasterise(_reference_pdf(PHRASE, size)))
    ours = _ink(_rasterise(render_pdf(f'<p style="font-size: {size}pt">{PHRASE}</p>')))
    assert not _looks_like(ours, reference), (ours.size, reference.size)


# --- English ----------------------------------------------------------------------

def test_english_words_are_drawn():
    pdf = render_pdf(sample_slip_html())
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for words in ("Zonal Hospital Dharamshala", "Patient", "General Medicine",
                  "DHR-26-0000123", "Please wait for your turn"):
        assert words in text
    # All of it in Hind: an English word never falls back to a face without it.
    fonts = {ps for ps, _ in drawn_glyphs(pdf)}
    assert fonts == {"Hind-Regular", "Hind-Bold"}


def test_page_sizes():
    def mediabox(css):
        pdf = render_pdf(f"<html><head><style>@page {{ {css} }}</style></head><body><p>x</p></body></html>")
        box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
        return round(float(box.width), 1), round(float(box.height), 1)

    assert mediabox("size: a5") == (419.5, 595.3)
    assert mediabox("size: 80mm 200mm") == (226.8, 566.9)


def test_family_name():
    assert FONT_FAMILY == "Hind"
    pdf = render_pdf(f'<p style="font-family: {FONT_FAMILY}">Hind <b>Bold</b></p>'
                     '<p style="font-family: \'Hind SemiBold\'">SemiBold</p>')
    assert {ps for ps, _ in drawn_glyphs(pdf)} == {"Hind-Regular", "Hind-Bold", "Hind-SemiBold"}


# --- codes --------------------------------------------------------------------------

def _png(data_uri: str) -> Image.Image:
    prefix = "data:image/png;base64,"
    assert data_uri.startswith(prefix)
    raw = base64.b64decode(data_uri[len(prefix):], validate=True)
    assert raw.startswith(PNG_SIGNATURE)
    img = Image.open(io.BytesIO(raw))
    img.load()
    assert img.format == "PNG"
    return img.convert("L")


# Code 128 by the symbology, to read the bars back without python-barcode's encoder:
# the 107 bar patterns (values 0-106), then the code sets.
_STOP = "1100011101011"


def _decode_code128(modules: str) -> str:
    from barcode.charsets.code128 import CODES  # the standard's pattern table

    assert modules.endswith(_STOP), "no stop pattern"
    body = modules[: -len(_STOP)]
    assert len(body) % 11 == 0
    values = [CODES.index(body[i:i + 11]) for i in range(0, len(body), 11)]
    start, *data, check = values
    assert (start + sum(i * v for i, v in enumerate(data, 1))) % 103 == check, "bad check symbol"
    charset = {103: "A", 104: "B", 105: "C"}[start]
    out = ""
    for v in data:
        if charset == "C":
            if v < 100:
                out += f"{v:02d}"
                continue
            charset = {100: "B", 101: "A"}[v]
        elif v == 99:
            charset = "C"
        elif v in (100, 101) and {"A": 100, "B": 101}[charset] == v:
            charset = "B" if v == 100 else "A"
        elif charset == "B":
            out += chr(v + 32)
        else:
            out += chr(v + 32) if v < 64 else chr(v - 64)
    return out


def _modules_of(img: Image.Image, module_px: int) -> str:
    row = [img.getpixel((x, img.height // 2)) for x in range(img.width)]
    assert len(row) % module_px == 0
    modules = ""
    for i in range(0, len(row), module_px):
        cell = set(row[i:i + module_px])
        assert len(cell) == 1, "a module is not one solid colour"
        modules += "1" if cell.pop() < 128 else "0"
    # every row is the same: bars run the full height
    for y in (0, img.height - 1):
        assert [img.getpixel((x, y)) for x in range(img.width)] == row
    return modules


@pytest.mark.parametrize("value", ["DHR-26-0000123", "1234567890", "OPD/2026/kangra-07", "A"])
def test_code128_png_decodes_to_value(value):
    img = _png(code128_data_uri(value))
    assert 40 <= img.height <= 200
    modules = _modules_of(img, module_px=2)
    quiet = codes.CODE128_QUIET_MODULES
    assert quiet >= 10
    assert modules[:quiet] == "0" * quiet and modules[-quiet:] == "0" * quiet
    symbol = modules[quiet:-quiet]
    assert symbol[0] == "1" and symbol[-1] == "1"
    assert _decode_code128(symbol) == value
    # and it is the symbol python-barcode encodes for the value
    assert symbol == codes.code128_modules(value)


def test_code128_png_is_small_and_refuses_what_code128_cannot_carry():
    uri = code128_data_uri("DHR-26-0000123")
    assert len(uri) < 4000
    for bad in ("", "राम"):
        with pytest.raises(ValueError):
            code128_data_uri(bad)


def test_code128_decoder_rejects_a_wrong_symbol():
    # The decoder above is what the bar test relies on; it must catch a misprinted
    # symbol (one valid pattern swapped for another) by the check symbol.
    from barcode.charsets.code128 import CODES

    symbol = codes.code128_modules("DHR-26-0000123")
    third = symbol[22:33]
    other = CODES[(CODES.index(third) + 1) % 100]
    with pytest.raises(AssertionError, match="bad check symbol"):
        _decode_code128(symbol[:22] + other + symbol[33:])


def test_qr_png_is_the_qr_matrix():
    import qrcode

    value = "DHR-26-0000123"
    img = _png(qr_data_uri(value))
    assert img.width == img.height
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(value)
    qr.make(fit=True)
    matrix = qr.get_matrix()  # includes the 4-module quiet zone
    box = img.width // len(matrix)
    assert box * len(matrix) == img.width and box >= 2
    assert 21 + 8 <= len(matrix) <= 57 + 8  # versions 1-10: sensible for a slip
    sampled = [[img.getpixel((x * box + box // 2, y * box + box // 2)) < 128
                for x in range(len(matrix))] for y in range(len(matrix))]
    assert sampled == matrix
    assert not any(sampled[0]) and not any(row[0] for row in sampled)  # quiet zone


@needs_scanner
def test_codes_scan_from_the_printed_slip():
    codes = scan_codes(render_pdf(sample_slip_html(uhid="DHR-26-0000123")))
    assert "CODE-128:DHR-26-0000123" in codes
    assert "QR-Code:DHR-26-0000123" in codes


# --- the sample slip, as printed ---------------------------------------------------

def test_sample_slip_renders_and_is_shaped():
    pdf = render_pdf(sample_slip_html())
    assert pdf.startswith(b"%PDF-")
    drawn = [gid for ps, gid in drawn_glyphs(pdf) if ps == "Hind-Regular"]
    # The patient line, as HarfBuzz shapes it, is in the stream as one run.
    assert _contains(drawn, harfbuzz_glyphs("राम कुमार पुत्र श्री कृष्ण लाल, 45 वर्ष / पुरुष"))


def _contains(seq: list[int], sub: list[int]) -> bool:
    return any(seq[i:i + len(sub)] == sub for i in range(len(seq) - len(sub) + 1))
