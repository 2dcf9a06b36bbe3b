"""Where logins are stored: file permissions, one login per base URL, the optional keyring."""

from __future__ import annotations

import json
import stat
import sys
import types
from pathlib import Path

import pytest

from spheron.cli import _auth_store
from spheron.cli._auth_store import AuthStore, config_dir

TOKEN = "spheron-store-test-token-1"


def test_config_dir_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPHERON_CONFIG_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_dir() == tmp_path / "explicit"
    monkeypatch.delenv("SPHERON_CONFIG_DIR")
    assert config_dir() == tmp_path / "xdg" / "spheron"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config_dir() == tmp_path / "home" / ".config" / "spheron"


def test_file_store_is_private_and_per_base_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SPHERON_NO_KEYRING", "1")
    store = AuthStore(tmp_path / "cfg")
    where = store.save("https://api.example/", TOKEN)
    assert where == str(store.path)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.directory.stat().st_mode) == 0o700
    login = store.load("https://api.example")
    assert login is not None and login.token == TOKEN
    assert store.load("https://other.example") is None
    assert store.delete("https://api.example") is True
    assert store.load("https://api.example") is None
    assert store.delete("https://api.example") is False


def test_a_broken_file_counts_as_no_login(tmp_path: Path) -> None:
    store = AuthStore(tmp_path)
    store.path.write_text("{not json")
    assert store.load("https://api.example") is None


class MemoryKeyring:
    priority = 1

    def __init__(self) -> None:
        self.saved: dict[tuple[str, str], str] = {}


@pytest.fixture
def keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """A stand-in ``keyring`` module with a usable backend."""
    backend = MemoryKeyring()
    module = types.ModuleType("keyring")
    fail_module = types.ModuleType("keyring.backends.fail")

    class FailKeyring:
        pass

    fail_module.Keyring = FailKeyring  # type: ignore[attr-defined]
    module.get_keyring = lambda: backend  # type: ignore[attr-defined]

    def set_password(service: str, user: str, password: str) -> None:
        backend.saved[(service, user)] = password

    module.set_password = set_password  # type: ignore[attr-defined]
    module.get_password = lambda s, u: backend.saved.get((s, u))  # type: ignore[attr-defined]
    module.delete_password = lambda s, u: backend.saved.pop((s, u))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", module)
    monkeypatch.setitem(sys.modules, "keyring.backends", types.ModuleType("keyring.backends"))
    monkeypatch.setitem(sys.modules, "keyring.backends.fail", fail_module)
    monkeypatch.delenv("SPHERON_NO_KEYRING", raising=False)
    return backend


def test_keyring_keeps_the_token_out_of_the_file(keyring: MemoryKeyring, tmp_path: Path) -> None:
    store = AuthStore(tmp_path)
    assert store.save("https://api.example", TOKEN) == "keyring"
    assert keyring.saved == {(_auth_store.KEYRING_SERVICE, "https://api.example"): TOKEN}
    assert TOKEN not in store.path.read_text()
    assert json.loads(store.path.read_text())["logins"] == {
        "https://api.example": {"storage": "keyring"}
    }
    login = store.load("https://api.example")
    assert login is not None and (login.token, login.where) == (TOKEN, "keyring")
    assert store.delete("https://api.example")
    assert keyring.saved == {}


def test_no_keyring_flag_and_unusable_backends_use_the_file(
    keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = AuthStore(tmp_path)
    assert store.save("https://a.example", TOKEN, use_keyring=False) == str(store.path)
    monkeypatch.setenv("SPHERON_NO_KEYRING", "1")
    assert store.save("https://b.example", TOKEN) == str(store.path)
    monkeypatch.delenv("SPHERON_NO_KEYRING")
    keyring.priority = 0  # e.g. keyring's chainer with no real backend
    assert store.save("https://c.example", TOKEN) == str(store.path)
    assert keyring.saved == {}
