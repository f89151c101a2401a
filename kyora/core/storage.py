"""File storage behind one small interface (save, open, delete, url).

`LocalStorage` keeps files under `UPLOAD_DIR` (the embedded default); `S3Storage` keeps
them in an S3-compatible bucket shared by every app server (`STORAGE_BACKEND=s3`).
Either way files are served from `/uploads/<key>` by Kyora itself, so a photo uploaded
through one server is served by any other, with the same cache and security headers.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.orm import Session


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


class S3Storage:
    """Files in an S3-compatible bucket (AWS S3, MinIO, R2, ...), through boto3."""

    def __init__(self, client, bucket: str):
        self.client = client
        self.bucket = bucket

    @staticmethod
    def _check(key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError("not a storage key")
        return key

    def save(self, data: bytes, folder: str, extension: str) -> str:
        key = f"{folder.strip('/')}/{secrets.token_urlsafe(12)}.{extension.lstrip('.')}"
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data)
        return key

    def open(self, key: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._check(key))
        except ClientError as error:
            raise FileNotFoundError(key) from error
        return answer["Body"].read()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._check(key))

    def url(self, key: str) -> str:
        return url_for("core.upload", key=key)


def _s3_client(config):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=config["S3_ENDPOINT_URL"],
        region_name=config["S3_REGION"],
        aws_access_key_id=config["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=config["S3_SECRET_ACCESS_KEY"],
        config=Config(connect_timeout=5, read_timeout=20, retries={"max_attempts": 3}),
    )


def get_storage() -> Storage:
    """The configured storage backend (one S3 client per app, reused)."""
    config = current_app.config
    if config["STORAGE_BACKEND"] == "s3":
        client = current_app.extensions.get("kyora_s3")
        if client is None:
            client = current_app.extensions["kyora_s3"] = _s3_client(config)
        return S3Storage(client, config["S3_BUCKET"])
    return LocalStorage(config["UPLOAD_DIR"])


# --- Files written during a transaction ------------------------------------------------

_NEW_FILES = "kyora_new_files"


def save_in_transaction(session, data: bytes, folder: str, extension: str) -> str:
    """Store `data` now, and delete it again if `session`'s transaction does not commit
    (a refused save never leaves an orphan file behind)."""
    key = get_storage().save(data, folder, extension)
    session.info.setdefault(_NEW_FILES, []).append(key)
    return key


@sa.event.listens_for(Session, "after_commit")
def _keep_new_files(session):
    session.info.pop(_NEW_FILES, None)


@sa.event.listens_for(Session, "after_transaction_end")
def _drop_new_files(session, transaction):
    # Only the outermost transaction decides; it ended without a commit.
    if transaction.parent is not None or transaction.nested:
        return
    keys = session.info.pop(_NEW_FILES, None)
    if keys:
        storage = get_storage()
        for key in keys:
            storage.delete(key)
