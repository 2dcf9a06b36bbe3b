"""Results: the JSON file, the Markdown table and the PNG chart of the ratios."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._common import Figure

__all__ = ["chart", "markdown_table", "read_json", "title_of", "write_json"]

TIMES = "\N{MULTIPLICATION SIGN}"


def write_json(path: Path, figures: Sequence[Figure], meta: dict[str, Any]) -> None:
    data = {"meta": meta, "figures": [f.as_json() for f in figures]}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: Path) -> tuple[list[Figure], dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    names = set(Figure.__dataclass_fields__)
    figures = [Figure(**{k: v for k, v in f.items() if k in names}) for f in data["figures"]]
    return figures, data["meta"]


def title_of(meta: dict[str, Any]) -> str:
    return (
        f"spheron vs raw httpx, {meta['started'][:10]}, Python {meta['python']}, "
        f"{meta['cpu_count']} CPUs{' (QUICK)' if meta['quick'] else ''}"
    )


def _fmt(value: float, unit: str) -> str:
    if unit in ("us/call", "req/s", "ms") and abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:,.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit.replace('us', 'µs')}"


def markdown_table(figures: Sequence[Figure]) -> str:
    lines = [
        "| figure | ours | raw httpx | ratio | target | met? |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for f in figures:
        target = "—" if f.target is None else f"{'≤' if f.target_op == '<=' else '≥'} {f.target:g}"
        met = {True: "yes", False: "**no**", None: "—"}[f.met]
        ratio = f"{f.ratio:.2f}{TIMES}"
        if f.ratio_of != "ours / raw httpx":
            ratio += f" ({f.ratio_of})"
        lines.append(
            f"| {f.label} | {_fmt(f.ours, f.unit)} | {_fmt(f.raw, f.unit)} | {ratio} "
            f"| {target} | {met} |"
        )
    return "\n".join(lines)


def chart(path: Path, figures: Sequence[Figure], title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = list(reversed(figures))
    colors = {True: "#3a923a", False: "#c8372d", None: "#9a9a9a"}
    fig, ax = plt.subplots(figsize=(9, 0.36 * len(shown) + 1.6), dpi=90)
    ys = range(len(shown))
    ax.barh(ys, [f.ratio for f in shown], color=[colors[f.met] for f in shown], height=0.62)
    for y, f in zip(ys, shown, strict=True):
        near = f.target is not None and 0 <= f.target - f.ratio < 0.15
        ax.text(f.target if near else f.ratio, y, f"  {f.ratio:.2f}", va="center", fontsize=8)
        if f.target is not None:
            ax.plot([f.target, f.target], [y - 0.4, y + 0.4], color="black", linewidth=1.6)
    ax.axvline(1.0, color="#555555", linewidth=0.8, linestyle="--")
    labels = [f"{f.label} *" if f.ratio_of.startswith("ours:") else f.label for f in shown]
    ax.set_yticks(list(ys), labels, fontsize=8)
    ax.set_xlabel(
        "ratio = ours / raw (httpx; json.loads for decoding), lower is better except "
        "throughput; black tick = target",
        fontsize=8,
    )
    ax.set_xlim(0, max(max(f.ratio for f in shown), max(f.target or 0 for f in shown)) * 1.12)
    ax.set_title(title, fontsize=9)
    fig.text(
        0.01,
        0.01,
        "* memory flatness: our client compared with itself (see the table)",
        fontsize=7,
        color="#555555",
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    tmp = path.with_suffix(".png.tmp")
    fig.savefig(tmp, format="png")
    plt.close(fig)
    os.replace(tmp, path)
