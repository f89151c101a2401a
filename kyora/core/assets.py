"""Static files: content-hashed names, precompressed, a year of immutable caching.

At app creation every file under `static/` is copied once into the data folder under a
name that carries a hash of its content (`css/app.3f2a1b9c0d4e.css`), with gzip and
brotli versions beside it. WhiteNoise serves that folder in front of Flask, so static
responses never touch the session (no cookie, no `Vary: Cookie`), pick the smallest
encoding the browser accepts, and may be cached for a year: a changed file gets a new
name. `url_for("static", filename="css/app.css")` builds the hashed URL by itself.

htmx (52 KB) loads only on pages that carry an `hx-` attribute: the base layout renders
the page body first and asks `uses_htmx` about it. Every other page saves the download
and the parse; its links and forms work as they always do without JavaScript.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from pathlib import Path

import brotli
from whitenoise import WhiteNoise

ONE_YEAR = 365 * 24 * 3600
COMPRESSIBLE = {".css", ".js", ".svg", ".txt", ".json", ".map", ".xml"}
# An htmx attribute in markup: ` hx-get=`, ` data-hx-target=`, ...
HTMX_ATTRIBUTE = re.compile(r"\s(?:data-)?hx-[a-z]")


def uses_htmx(html: str) -> bool:
    """True when `html` has an htmx attribute, so its page needs the htmx script.

    Text that merely looks like one (a product named " hx-x") errs on the safe side:
    the page loads htmx it does not need.
    """
    return HTMX_ATTRIBUTE.search(str(html)) is not None


def hashed_name(relative: str, content: bytes) -> str:
    """`css/app.css` + content -> `css/app.<12 hex>.css`."""
    path = Path(relative)
    digest = hashlib.sha256(content).hexdigest()[:12]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def _write_once(target: Path, data: bytes) -> None:
    """Write `target` unless it exists; atomic, so parallel workers never see half a file."""
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)


def build(source: Path, target: Path) -> dict[str, str]:
    """Copy `source` into `target` under hashed names (+ .gz/.br); the manifest maps
    each original relative name to its hashed one."""
    manifest = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        relative = path.relative_to(source).as_posix()
        content = path.read_bytes()
        name = hashed_name(relative, content)
        manifest[relative] = name
        destination = target / name
        _write_once(destination, content)
        if path.suffix in COMPRESSIBLE and len(content) > 256:
            _write_once(destination.with_name(destination.name + ".gz"), gzip.compress(content, 9))
            _write_once(
                destination.with_name(destination.name + ".br"),
                brotli.compress(content, quality=11),
            )
    return manifest


def init_app(app) -> None:
    """Build the hashed copies and put WhiteNoise in front of the app."""
    source = Path(app.static_folder)
    target = Path(app.config["KYORA_DATA_DIR"]) / "static-build"
    manifest = build(source, target)
    app.extensions["kyora_assets"] = manifest
    app.jinja_env.globals["uses_htmx"] = uses_htmx

    @app.url_defaults
    def _hashed_static(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.get(values["filename"], values["filename"])

    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=str(target),
        prefix=app.static_url_path.strip("/") + "/",
        max_age=ONE_YEAR,
        # Every file it serves is named by its content.
        immutable_file_test=lambda path, url: True,
        autorefresh=False,
    )
