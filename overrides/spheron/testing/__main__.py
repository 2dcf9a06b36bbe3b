"""``python -m spheron.testing``: run the fake Spheron API on 127.0.0.1 until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from .._constants import BASE_URL_ENV, TOKEN_ENV
from . import DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN, Clock, FakeSpheron


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m spheron.testing", description="Run the fake Spheron API locally."
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (0 picks a free one)")
    parser.add_argument(
        "--http2", action="store_true", help="serve HTTP/2 over TLS (hypercorn, throwaway CA)"
    )
    parser.add_argument("--tls", action="store_true", help="serve HTTP/1.1 over TLS")
    parser.add_argument(
        "--clock-speed",
        type=float,
        default=1.0,
        help="fake seconds per real second (default 1; 0 freezes deployments)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    with (
        FakeSpheron(clock=Clock(speed=args.clock_speed)) as fake,
        fake.serve(args.host, args.port, http2=args.http2, tls=args.tls or args.http2) as url,
    ):
        print(f"Fake Spheron API listening on {url}", flush=True)
        print(f"{BASE_URL_ENV}={url}", flush=True)
        print(f"{TOKEN_ENV}={DEFAULT_TOKEN}", flush=True)
        print(f"organization: {DEFAULT_ORGANIZATION_ID}", flush=True)
        if args.http2 or args.tls:
            print(f"CA certificate: {fake.ca_path}", flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
