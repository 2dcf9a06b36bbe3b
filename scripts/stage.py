"""``python -m scripts.stage NAME [--summary] -- COMMAND...``: one quiet stage of ``make test``.

Runs COMMAND with its output captured to ``.logs/NAME.log``. On success prints one line: the
stage, its time and the command's last output line; ``--summary`` prints that last line again
on a line of its own (pytest's closing summary, as CI reads it). On failure prints the whole log,
then exits with the command's status.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

LOG_DIR = Path(".logs")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    summary = "--summary" in args[:2]
    if summary:
        args.remove("--summary")
    if len(args) < 3 or args[1] != "--":
        print("usage: python -m scripts.stage NAME [--summary] -- COMMAND...", file=sys.stderr)
        return 2
    name, command = args[0], args[2:]
    LOG_DIR.mkdir(exist_ok=True)
    log = LOG_DIR / f"{name}.log"
    began = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        status = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT).returncode
    took = time.monotonic() - began
    text = log.read_text(encoding="utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if status == 0:
        print(f"{name:<16} ok    {took:6.1f}s  {last}", flush=True)
        if summary:
            print(last, flush=True)
        return 0
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    print(f"{name:<16} FAILED ({status}) after {took:.1f}s; full log: {log}", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
