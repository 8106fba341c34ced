"""How long printing a decision with a 500-dossier award list takes, as PDF, DOCX and XLSX.

Run from the project folder::

    .venv/bin/python benchmarks/decision_pdf.py [--rows 500] [--baseline-rows 50] [--repeats 5]

It builds a synthetic decision (:func:`council.documents.model.example_document`: Vietnamese
titles, units and names, three award tiers) with ``--rows`` dossiers and, as the baseline in the
same run, one with ``--baseline-rows``; renders each ``--repeats`` times in every format (after
one warm-up render that loads the fonts) and prints markdown: the median seconds of each, the
ratio of the two, the time per dossier, the pages and the size of the file. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader

from council.documents import render_docx, render_pdf, render_xlsx
from council.documents.model import DecisionDocument, example_document
from council.documents.pdf import resolve_fonts

RENDERERS: dict[str, Callable[[DecisionDocument], bytes]] = {
    "PDF (fpdf2)": render_pdf,
    "DOCX (python-docx)": render_docx,
    "XLSX (openpyxl)": render_xlsx,
}


def median_time(
    render: Callable[[DecisionDocument], bytes], doc: DecisionDocument, repeats: int
) -> tuple[float, bytes]:
    """The median seconds of ``repeats`` renders, and the last output."""
    times, output = [], b""
    for _ in range(repeats):
        start = time.perf_counter()
        output = render(doc)
        times.append(time.perf_counter() - start)
    return statistics.median(times), output


def pages(label: str, output: bytes) -> str:
    return str(len(PdfReader(io.BytesIO(output)).pages)) if label.startswith("PDF") else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=500, help="dossiers in the award list (default 500)")
    parser.add_argument("--baseline-rows", type=int, default=50, help="dossiers in the baseline (default 50)")
    parser.add_argument("--repeats", type=int, default=5, help="renders per format and size (default 5)")
    args = parser.parse_args()
    print(f"`{' '.join([Path(sys.executable).name, *sys.argv])}`\n")
    print(
        f"Python {platform.python_version()} on {platform.machine()}, font: {resolve_fonts().name}; "
        f"median of {args.repeats} renders after a warm-up.\n"
    )
    small, large = example_document(args.baseline_rows), example_document(args.rows)
    print(
        f"| Format | {args.baseline_rows} hồ sơ (s) | {args.rows} hồ sơ (s) | × | ms / hồ sơ | trang | KiB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, render in RENDERERS.items():
        render(small)  # warm-up: fonts parsed, modules imported
        base, _ = median_time(render, small, args.repeats)
        seconds, output = median_time(render, large, args.repeats)
        per_row = 1000 * seconds / args.rows
        print(
            f"| {label} | {base:.3f} | {seconds:.3f} | {seconds / base:.1f} | {per_row:.2f} "
            f"| {pages(label, output)} | {len(output) / 1024:.0f} |"
        )


if __name__ == "__main__":
    main()
