"""The contract run's tally, printed at the end of the pytest run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ._exchange import PRISM_MULTIPART_ARRAYS, REJECTED_MOCK, Outcome


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    prism_version: str = "?"

    def add(self, *outcomes: Outcome) -> None:
        self.outcomes.extend(outcomes)

    @property
    def exercised(self) -> set[str]:
        """Operations that reached Prism and got an answer in at least one call."""
        return {o.operation_id for o in self.outcomes if o.status is not None}

    @property
    def violations(self) -> int:
        return sum(len(o.request_violations) + len(o.response_violations) for o in self.outcomes)

    def headline(self) -> str:
        modes = sorted({o.mode for o in self.outcomes}, key=lambda m: (m != "static", m))
        flavours = sorted({o.flavour for o in self.outcomes}, reverse=True)
        decode = sum(1 for o in self.outcomes if o.decode_error)
        known = sum(1 for o in self.outcomes if not o.ok and o.known_issue)
        failed = sum(1 for o in self.outcomes if not o.ok and not o.known_issue)
        return (
            f"contract: {len(self.exercised)} operations exercised, {self.violations} violations "
            f"({len(self.outcomes)} {' and '.join(flavours)} calls through Prism "
            f"{self.prism_version}: {', '.join(modes)}; {decode} decode failures, "
            f"{known} known-issue failures, {failed} other failures)"
        )

    def lines(self) -> list[str]:
        if not self.outcomes:
            return []
        lines = [self.headline()]
        tolerated = _by_operation(o for o in self.outcomes if o.prism_limitations)
        if tolerated:
            lines.append(f"  tolerated, {PRISM_MULTIPART_ARRAYS}:")
            lines += [f"    {op}: {n} calls" for op, n in tolerated.items()]
        artifacts = _by_operation(o for o in self.outcomes if o.mock_artifacts)
        if artifacts:
            lines.append(
                "  not counted, Prism's mock cut a recursive schema short with a stub ({} or "
                "the schema's annotations):"
            )
            lines += [f"    {op}: {n} responses" for op, n in artifacts.items()]
        rejected = _by_operation(
            o for o in self.outcomes if any(n.startswith(REJECTED_MOCK) for n in o.notes)
        )
        if rejected:
            lines.append(f"  the client {REJECTED_MOCK} (ResponseValidationError, as it should):")
            lines += [f"    {op}: {n} responses" for op, n in rejected.items()]
        redirects = _by_operation(
            o for o in self.outcomes if any(n.startswith("redirect") for n in o.notes)
        )
        if redirects:
            lines.append("  documented redirects, raised as APIStatusError (not followed):")
            lines += [f"    {op}: {n} calls" for op, n in redirects.items()]
        known: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for o in self.outcomes:
            if not o.ok and o.known_issue:
                known[o.known_issue][o.operation_id] += 1
        for issue, operations in known.items():
            lines.append(f"  expected failures (xfail), {issue}:")
            lines += [f"    {op}: {n} calls" for op, n in sorted(operations.items())]
        failing = [o for o in self.outcomes if not o.ok and not o.known_issue]
        if failing:
            lines.append("  calls not ok:")
            lines += ["    " + o.describe().replace("\n", "\n    ") for o in failing]
        return lines


def _by_operation(outcomes: Iterable[Outcome]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for outcome in outcomes:
        counts[outcome.operation_id] += 1
    return dict(sorted(counts.items()))
