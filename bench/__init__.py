"""Benchmarks of ``spheron`` against raw ``httpx`` doing the same HTTP work.

``python -m bench`` (``make bench``) runs everything in one run on loopback against the embedded
server (``spheron.testing``, in a child process so this process's CPU time is the client's),
prints each figure as a ratio against raw httpx with the absolute numbers, then writes
``bench/results/latest.json`` and ``bench/results/ratios.png`` and prints a Markdown table.

Options: ``--quick`` (or ``BENCH_QUICK=1``) runs everything with small counts (a smoke test,
not a measurement); ``--out DIR`` (or ``BENCH_OUT``) writes the results elsewhere; ``--only
overhead,decoding`` runs some groups (``overhead``, ``concurrency``, ``decoding``, ``upload``,
``memory``, ``import``); ``--replot`` redraws the chart and reprints the table from
an existing ``latest.json`` without measuring anything.

Needs the ``bench`` extra (matplotlib, psutil, pydantic) and the ``testing`` extra.
"""
