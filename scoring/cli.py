"""``python -m scoring``: the statistics on CSV files, without the app.

Sub-commands register themselves: each module has ``register(subparsers)``, which adds its
parser and sets ``func`` to a ``run(args) -> int``. Bad input raises
:class:`scoring.csvio.CsvError` (or ``ValueError``), reported in one line with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from scoring import assignment_cli, ranking_cli

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scoring", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in (assignment_cli, ranking_cli):
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ValueError as exc:  # CsvError included: input the command cannot use
        print(f"python -m scoring {args.command}: error: {exc}", file=sys.stderr)
        return 2
