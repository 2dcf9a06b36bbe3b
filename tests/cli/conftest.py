"""Drive the installed ``spheron`` console script in subprocesses against the embedded server.

One :class:`FakeSpheron` per test module, served over loopback HTTP; every run gets its own
config directory and never touches the user's keyring. Every run's stdout and stderr are checked
for every token the module knows (``Cli.tokens``), whatever the test asserts besides.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from spheron import Spheron
from spheron.testing import DEFAULT_TOKEN, Clock, FakeSpheron


def console_script() -> Path:
    """The ``spheron`` script installed beside this interpreter (``make install`` puts it there)."""
    candidates = [
        Path(sys.executable).parent / "spheron",
        Path(sysconfig.get_path("scripts")) / "spheron",
    ]
    found = shutil.which("spheron", path=os.pathsep.join(str(c.parent) for c in candidates))
    if found is None:
        pytest.fail(
            "the spheron console script is not installed next to "
            f"{sys.executable}: run `make install` (the cli extra)"
        )
    return Path(found)


@dataclass
class Result:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"Result({' '.join(self.args)!r}, code={self.code})"


@dataclass
class Cli:
    """Runs the console script against ``url`` with ``token`` (``SPHERON_TOKEN``)."""

    script: Path
    url: str
    config_dir: Path
    pycache: Path
    token: str = field(default=DEFAULT_TOKEN, repr=False)
    tokens: set[str] = field(default_factory=lambda: {DEFAULT_TOKEN}, repr=False)

    def env(self, extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SPHERON_")}
        env.update(
            SPHERON_BASE_URL=self.url,
            SPHERON_TOKEN=self.token,
            SPHERON_CONFIG_DIR=str(self.config_dir),
            SPHERON_NO_KEYRING="1",
            PYTHONUNBUFFERED="1",
        )
        env.pop("COLUMNS", None)
        # CI runs with PYTHONDONTWRITEBYTECODE=1, which would make every run compile the whole
        # package again (~0.5 s each); keep the bytecode in a temporary cache instead.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        for key, value in (extra or {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def __call__(
        self,
        *args: str,
        code: int = 0,
        env: Mapping[str, str | None] | None = None,
        input: str | None = None,
        timeout: float = 60,
        allow_token: bool = False,
    ) -> Result:
        proc = subprocess.run(
            [str(self.script), *args],
            env=self.env(env),
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
        result = Result(args, proc.returncode, proc.stdout, proc.stderr)
        if not allow_token:
            self.assert_no_token(result)
        assert result.code == code, (
            f"{result!r}: expected exit {code}\nstdout: {self.redact(result.stdout)[-3000:]}\n"
            f"stderr: {self.redact(result.stderr)[-3000:]}"
        )
        if "Traceback" in result.stderr and "--debug" not in args:
            pytest.fail(f"{result!r} printed a traceback without --debug")
        return result

    def json(self, *args: str, code: int = 0, **kwargs: Any) -> Any:
        """Run with ``--json``: stdout must be exactly one JSON document."""
        result = self("--json", *args, code=code, **kwargs)
        return result.json()

    def redact(self, text: str) -> str:
        for token in self.tokens:
            text = text.replace(token, "***")
        return text

    def assert_no_token(self, result: Result) -> None:
        for token in self.tokens:
            assert token not in result.stdout, f"{result!r} printed a token on stdout"
            assert token not in result.stderr, f"{result!r} printed a token on stderr"

    def client(self) -> Spheron:
        return Spheron(self.token, base_url=self.url)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSpheron]:
    # Every request moves the fake clock 2 s: deployments and instances progress while a
    # command polls, without real waiting.
    with FakeSpheron(clock=Clock(step=2.0)) as instance:
        instance.state.deploy_queue_seconds = 2
        instance.state.deploy_build_seconds = 6
        instance.state.instance_start_seconds = 4
        yield instance


@pytest.fixture(scope="module")
def url(fake: FakeSpheron) -> Iterator[str]:
    with fake.serve() as served:
        yield served


@pytest.fixture(scope="session")
def pycache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pycache")


@pytest.fixture(scope="module")
def cli(url: str, pycache: Path, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    return Cli(console_script(), url, tmp_path_factory.mktemp("spheron-config"), pycache)
