"""``python -m spheron.testing``: run the fake Spheron API on 127.0.0.1 until interrupted.

Prints ``export`` lines to paste into a shell. The simulated clock runs fast by default (60 fake
seconds per real second, plus a fake minute per request), so a deployment or instance waited on
by a client is done at its first poll; ``--clock-speed 1 --clock-step 0`` gives real time.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from .._constants import BASE_URL_ENV, TOKEN_ENV
from . import DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN, Clock, FakeSpheron
from ._fake import is_loopback

DEFAULT_CLOCK_SPEED = 60.0
DEFAULT_CLOCK_STEP = 60.0


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
        default=DEFAULT_CLOCK_SPEED,
        help=f"fake seconds per real second (default {DEFAULT_CLOCK_SPEED:g}; 1 is real time, "
        "0 freezes deployments)",
    )
    parser.add_argument(
        "--clock-step",
        type=float,
        default=DEFAULT_CLOCK_STEP,
        help=f"fake seconds added by every request (default {DEFAULT_CLOCK_STEP:g}): a wait "
        "sees a deployment finish at its first poll",
    )
    return parser


def _announce(url: str, ca_path: object | None) -> None:
    print(f"# Fake Spheron API listening on {url} (organization {DEFAULT_ORGANIZATION_ID})")
    print(f"export {BASE_URL_ENV}={url}")
    print(f"export {TOKEN_ENV}={DEFAULT_TOKEN}")
    if ca_path is not None:
        # httpx (and so Spheron) trusts SSL_CERT_FILE; or pass verify=<path> to an http_client.
        print(f"export SSL_CERT_FILE={ca_path}")
    print("# Press Ctrl+C to stop.", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    if not is_loopback(args.host):
        print(
            f"WARNING: serving the fake Spheron API on {args.host}, reachable from other "
            f"machines, with the fixed public token {TOKEN_ENV} shown below. Anyone who can "
            "reach this port can use it. Bind to 127.0.0.1 unless you mean this.",
            file=sys.stderr,
            flush=True,
        )
    clock = Clock(speed=args.clock_speed, step=args.clock_step)
    try:
        with (
            FakeSpheron(clock=clock) as fake,
            fake.serve(args.host, args.port, http2=args.http2, tls=args.tls or args.http2) as url,
        ):
            _announce(url, fake.ca_path if args.http2 or args.tls else None)
            while not stop.wait(0.5):
                pass
    except OSError as exc:
        print(
            f"python -m spheron.testing: cannot listen on {args.host}:{args.port}: "
            f"{exc.strerror or exc} (pass --port 0 for a free port)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
