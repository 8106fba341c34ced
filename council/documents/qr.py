"""QR codes for the verification URL printed on every decision (segno: pure Python)."""

from __future__ import annotations

import io

import segno

__all__ = ["qr_code", "qr_modules", "qr_png", "qr_svg"]


def qr_code(url: str) -> segno.QRCode:
    """A full-size QR code (never Micro QR) for ``url``, error correction M or better."""
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, scale: int = 3) -> str:
    """An inline ``<svg>`` element (no XML declaration, no style attribute) for an HTML page."""
    return qr_code(url).svg_inline(scale=scale, border=2, title="QR", svgclass="qr")


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """A black-on-white PNG of the code, ``scale`` pixels a module, with a 2-module quiet zone."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_modules(url: str) -> list[tuple[int, int, int]]:
    """The dark modules as horizontal runs ``(row, first column, length)``, for vector drawing."""
    runs: list[tuple[int, int, int]] = []
    for y, row in enumerate(qr_code(url).matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return runs
