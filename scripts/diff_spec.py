"""CLI: ``python -m scripts.diff_spec OLD NEW [--markdown]`` -- report API changes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from scripts.spec_diff import diff_documents, render_markdown, render_text
from scripts.spec_io import SpecError, load_openapi3


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface definition."""
    parser = argparse.ArgumentParser(
        prog="python -m scripts.diff_spec",
        description="Compare two OpenAPI 3 documents (YAML or JSON) and classify the changes "
        "as breaking or non-breaking for a client.",
    )
    parser.add_argument("old", type=Path, help="the previous document")
    parser.add_argument("new", type=Path, help="the new document")
    parser.add_argument(
        "--markdown", action="store_true", help="print a changelog-ready Markdown section"
    )
    parser.add_argument("--title", default="API changes", help="Markdown section title")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report; exit 0 on success, 2 when a document cannot be loaded."""
    args = build_parser().parse_args(argv)
    try:
        old, new = load_openapi3(args.old), load_openapi3(args.new)
    except SpecError as exc:
        print(f"diff-spec: error: {exc}", file=sys.stderr)
        return 2
    changes = diff_documents(old, new)
    out = render_markdown(changes, title=args.title) if args.markdown else render_text(changes)
    sys.stdout.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
