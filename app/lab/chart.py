"""A patient's values of one test over time as a small line chart (PNG), for the
cumulative report on screen and in the PDF alike (xhtml2pdf draws no SVG): the reference
range shaded, each result a point, dates under the axis."""
import base64
import io
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont

from app.printing.fonts import register_fonts

WIDTH, HEIGHT = 900, 300
LEFT, RIGHT, TOP, BOTTOM, INSET = 70, 20, 24, 50, 45


def _font(size: int):
    paths = register_fonts()
    return ImageFont.truetype(str(next(iter(paths.values()))), size)


def chart_data_uri(points: list[tuple[str, Decimal, str]], low=None, high=None) -> str | None:
    """points: (label under the axis, value, the value as reported) oldest first; None when
    nothing to plot."""
    values = [float(v) for _label, v, _text in points if v is not None]
    if not values:
        return None
    bounds = values + [float(b) for b in (low, high) if b is not None]
    top, bottom = max(bounds), min(bounds)
    pad = (top - bottom) * 0.1 or max(abs(top) * 0.1, 1.0)
    top, bottom = top + pad, bottom - pad

    def y(value: float) -> float:
        return TOP + (top - value) / (top - bottom) * (HEIGHT - TOP - BOTTOM)

    inner = WIDTH - LEFT - RIGHT - 2 * INSET  # the first and last points clear the edges
    step = inner / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + INSET + (i * step if len(points) > 1 else inner / 2)

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    small, label = _font(14), _font(15)
    if low is not None or high is not None:  # the reference range, shaded
        band_top = y(float(high)) if high is not None else TOP
        band_bottom = y(float(low)) if low is not None else HEIGHT - BOTTOM
        draw.rectangle([LEFT, band_top, WIDTH - RIGHT, band_bottom], fill=(222, 240, 222))
    draw.line([LEFT, TOP, LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM],
              fill="black", width=2)
    ticks = {float(b) for b in (low, high) if b is not None} or {min(values), max(values)}
    for tick in sorted(ticks):
        draw.text((LEFT - 8, y(tick)), f"{tick:.4g}", fill="black", font=small, anchor="rm")
        draw.line([LEFT - 4, y(tick), LEFT, y(tick)], fill="black")
    drawn = [(x(i), y(float(v))) for i, (_l, v, _t) in enumerate(points) if v is not None]
    if len(drawn) > 1:
        draw.line(drawn, fill=(20, 60, 160), width=3)
    every = max(1, len(points) // 10)  # at most about ten dates under the axis
    for i, (text, value, reported) in enumerate(points):
        if value is not None:
            cx, cy = x(i), y(float(value))
            draw.ellipse([cx - 5, cy - 5, cx + 5, cy + 5], fill=(20, 60, 160))
            draw.text((cx, cy - 9), reported, fill="black", font=label, anchor="mb")
        if i % every == 0 or i == len(points) - 1:
            draw.text((x(i), HEIGHT - BOTTOM + 8), text, fill="black", font=small, anchor="mt")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
