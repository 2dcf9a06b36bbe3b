"""CLI: ``python -m scripts.diff_spec OLD NEW [--markdown] [--fail-on-breaking]``.

Reports API changes; ``--fail-on-breaking`` exits 1 when any change is breaking, so downstream CI
can gate on it (``make diff-spec OLD=... NEW=... FAIL_ON_BREAKING=1``).
"""

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
    parser.add_argument("old", nargs="?", default="", help="the previous document")
    parser.add_argument("new", nargs="?", default="", help="the new document")
    parser.add_argument(
        "--markdown", action="store_true", help="print a changelog-ready Markdown section"
    )
    parser.add_argument("--title", default="API changes", help="Markdown section title")
    parser.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="exit 1 when a change is breaking (after printing the report)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report; exit 0 on success, 1 on breaking changes with ``--fail-on-breaking``,
    2 when a document is missing or cannot be loaded."""
    args = build_parser().parse_args(argv)
    if not args.old or not args.new:
        print(
            "diff-spec: error: give the two documents to compare: "
            "make diff-spec OLD=old.yaml NEW=new.yaml [MD=1] [FAIL_ON_BREAKING=1] "
            "(or python -m scripts.diff_spec OLD NEW [--markdown] [--fail-on-breaking])",
            file=sys.stderr,
        )
        return 2
    try:
        old, new = load_openapi3(Path(args.old)), load_openapi3(Path(args.new))
    except SpecError as exc:
        print(f"diff-spec: error: {exc}", file=sys.stderr)
        return 2
    changes = diff_documents(old, new)
    out = render_markdown(changes, title=args.title) if args.markdown else render_text(changes)
    sys.stdout.write(out)
    if args.fail_on_breaking and any(change.breaking for change in changes):
        print("diff-spec: breaking changes found (--fail-on-breaking)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
