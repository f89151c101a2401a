"""File storage behind one small interface.

`LocalStorage` keeps files under `UPLOAD_DIR` and serves them from `/uploads/`.
An S3-compatible backend implements the same four methods (save, open, delete,
url) and is chosen with `STORAGE_BACKEND`.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Protocol

from flask import current_app, url_for


class Storage(Protocol):
    def save(self, data: bytes, folder: str, extension: str) -> str: ...
    def open(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def url(self, key: str) -> str: ...


class LocalStorage:
    """Files on the local disk, under a root folder."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("key escapes the storage root")
        return path

    def save(self, data: bytes, folder: str, extension: str) -> str:
        key = f"{folder.strip('/')}/{secrets.token_urlsafe(12)}.{extension.lstrip('.')}"
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return key

    def open(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        path = self._path(key)
        if path.exists():
            path.unlink()

    def url(self, key: str) -> str:
        return url_for("core.upload", key=key)


def get_storage() -> Storage:
    """The configured storage backend."""
    return LocalStorage(current_app.config["UPLOAD_DIR"])
