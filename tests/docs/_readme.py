"""The Python blocks of README.md, as the tests in this folder read them.

A block is every fence whose info string is ``python``. The line right before a block may be
``<!-- not-tested: reason -->``: that block is neither run nor type-checked, and
``test_readme.py`` pins the list of such blocks (they must stay rare).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

_NOT_TESTED = re.compile(r"^<!--\s*not-tested:\s*(?P<reason>.+?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    line: int  # 1-based line of the opening fence
    code: str
    heading: str
    not_tested: str | None  # the reason given in the mark, if any

    @property
    def name(self) -> str:
        """A file and test id: the line and the section it is in."""
        slug = re.sub(r"[^a-z0-9]+", "_", self.heading.lower()).strip("_")[:40]
        return f"line{self.line:04d}_{slug}"

    @property
    def is_pytest_module(self) -> bool:
        """A downstream test file: ``test_*`` functions and nothing to run at import."""
        tree = ast.parse(self.code)
        definitions = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef)
        tests = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name[:5] == "test_"]
        rest = [n for n in tree.body if not isinstance(n, definitions)]
        return bool(tests) and not rest


def readme_blocks(path: Path = README) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    blocks = []
    heading = ""
    for token in MarkdownIt().parse(text):
        if token.type == "inline" and token.map and lines[token.map[0]].startswith("#"):
            heading = token.content
        if token.type != "fence" or token.info.strip() != "python" or token.map is None:
            continue
        start = token.map[0]
        previous = lines[start - 1] if start > 0 else ""
        mark = _NOT_TESTED.match(previous.strip())
        blocks.append(
            Block(
                line=start + 1,
                code=token.content,
                heading=heading,
                not_tested=mark.group("reason") if mark else None,
            )
        )
    return blocks


def not_tested_marks(path: Path = README) -> list[tuple[int, str]]:
    """Every ``not-tested`` mark, with the line it is on (whatever follows it)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        (number, match.group("reason"))
        for number, line in enumerate(lines, start=1)
        if (match := _NOT_TESTED.match(line.strip()))
    ]
