"""Where ``spheron login`` keeps tokens: the system keyring when there is one, else a file.

One login per API base URL, so a token stored for one server is never sent to another.

- File: ``credentials.json`` in the config directory (``SPHERON_CONFIG_DIR``, else
  ``$XDG_CONFIG_HOME/spheron``, else ``~/.config/spheron``), mode 0600 in a 0700 directory.
- Keyring: used when the optional ``keyring`` module imports and its backend is usable (not the
  "fail"/"null" backends); the file then records only that the token is in the keyring.
  ``SPHERON_NO_KEYRING=1`` or ``login --no-keyring`` keeps to the file.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_DIR_ENV = "SPHERON_CONFIG_DIR"
NO_KEYRING_ENV = "SPHERON_NO_KEYRING"
KEYRING_SERVICE = "spheron-api-client"
FILE_NAME = "credentials.json"


def config_dir() -> Path:
    explicit = os.environ.get(CONFIG_DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".config"
    return base / "spheron"


def normalize_url(base_url: str) -> str:
    return base_url.strip().rstrip("/")


@dataclass(frozen=True)
class StoredLogin:
    base_url: str
    token: str
    where: str  # "keyring" or the file's path


def _keyring() -> Any | None:
    """The keyring module when it is installed and has a usable backend, else None."""
    if os.environ.get(NO_KEYRING_ENV, "").strip().lower() in ("1", "true", "yes"):
        return None
    try:
        keyring = importlib.import_module("keyring")
        fail = importlib.import_module("keyring.backends.fail")
    except Exception:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    name = type(backend).__module__ + "." + type(backend).__name__
    if isinstance(backend, fail.Keyring) or name.endswith("null.Keyring"):
        return None
    if getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


class AuthStore:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or config_dir()
        self.path = self.directory / FILE_NAME

    # -- file ------------------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"logins": {}}
        except (OSError, ValueError):
            return {"logins": {}}
        if not isinstance(data, dict) or not isinstance(data.get("logins"), dict):
            return {"logins": {}}
        return data

    def _write(self, data: dict[str, Any]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".credentials-", dir=self.directory)
        try:
            os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        os.chmod(self.path, stat.S_IRUSR | stat.S_IWUSR)

    # -- public ----------------------------------------------------------------------------

    def save(self, base_url: str, token: str, *, use_keyring: bool = True) -> str:
        """Store ``token`` for ``base_url``; returns where ("keyring" or the file path)."""
        url = normalize_url(base_url)
        data = self._read()
        ring = _keyring() if use_keyring else None
        if ring is not None:
            try:
                ring.set_password(KEYRING_SERVICE, url, token)
            except Exception:
                ring = None
        if ring is not None:
            data["logins"][url] = {"storage": "keyring"}
            self._write(data)
            return "keyring"
        data["logins"][url] = {"storage": "file", "token": token}
        self._write(data)
        return str(self.path)

    def load(self, base_url: str) -> StoredLogin | None:
        url = normalize_url(base_url)
        entry = self._read()["logins"].get(url)
        if not isinstance(entry, dict):
            return None
        if entry.get("storage") == "keyring":
            ring = _keyring()
            if ring is None:
                return None
            try:
                token = ring.get_password(KEYRING_SERVICE, url)
            except Exception:
                return None
            return StoredLogin(url, token, "keyring") if token else None
        token = entry.get("token")
        if isinstance(token, str) and token:
            return StoredLogin(url, token, str(self.path))
        return None

    def delete(self, base_url: str) -> bool:
        """Forget the login for ``base_url``; True if there was one."""
        url = normalize_url(base_url)
        data = self._read()
        entry = data["logins"].pop(url, None)
        if entry is None:
            return False
        if isinstance(entry, dict) and entry.get("storage") == "keyring":
            ring = _keyring()
            if ring is not None:
                with contextlib.suppress(Exception):
                    ring.delete_password(KEYRING_SERVICE, url)
        self._write(data)
        return True

    def file_tokens(self) -> list[str]:
        """Tokens kept in the file (to blank them in error output)."""
        entries = self._read()["logins"].values()
        return [
            e["token"] for e in entries if isinstance(e, dict) and isinstance(e.get("token"), str)
        ]

    def urls(self) -> list[str]:
        return sorted(self._read()["logins"])
