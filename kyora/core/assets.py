"""Static files: minified, bundled, content-hashed, precompressed, cached for a year.

At app creation every file under `static/` is copied once into the data folder under a
name that carries a hash of its content (`css/app.3f2a1b9c0d4e.css`), with gzip and
brotli versions beside it. CSS and JavaScript are minified on the way (rCSSmin and
rJSmin, so the sources keep their comments), and the app's stylesheet is served as one
bundle with the trimmed Pico it builds on (`BUNDLES`): one render-blocking request
instead of two, and brotli compresses the pair better than each alone. Each domain's
own rules live in a stylesheet of their own (`DOMAIN_STYLESHEETS`), which a page links
when it belongs to that domain or its markup uses the domain's classes (an order list
on a customer's page): the orders list does not download the money pages' CSS. WhiteNoise serves
that folder in front of Flask, so static responses never touch the session (no cookie,
no `Vary: Cookie`), pick the smallest encoding the browser accepts, and may be cached
for a year: a changed file gets a new name. `url_for("static", filename="css/app.css")`
builds the hashed URL by itself.

htmx (52 KB) loads only on pages that carry an `hx-` attribute: the base layout renders
the page body first and asks `uses_htmx` about it. Every other page saves the download
and the parse; its links and forms work as they always do without JavaScript. Where it
is needed, `app.js` fetches it once the page has loaded, so it never competes with the
stylesheet and the page's own content for the first paint; until then, links and forms
work the plain way.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from pathlib import Path

import brotli
import rcssmin
import rjsmin
from whitenoise import WhiteNoise

ONE_YEAR = 365 * 24 * 3600
COMPRESSIBLE = {".css", ".js", ".svg", ".txt", ".json", ".map", ".xml"}
# Served files made of several sources, in order: name -> source names.
BUNDLES = {
    "css/kyora.css": ("vendor/pico-2.1.1.jade.trimmed.min.css", "css/app.css"),
}
# A domain's stylesheet (in cascade order): the blueprints whose pages always link it
# (htmx may swap in its markup later) and the class prefixes that call for it elsewhere.
DOMAIN_STYLESHEETS = {
    "css/customers.css": ({"customers"}, ("cust",)),
    "css/inventory.css": ({"inventory"}, ("inv",)),
    "css/orders.css": ({"orders", "order_settings", "order_status"}, ("ord",)),
    "css/money.css": ({"accounting"}, ("money",)),
    "css/insights.css": (
        {"insights", "business", "overview"},
        ("chart", "analytics", "insights", "insight", "overview"),
    ),
    "css/billing.css": ({"billing"}, ("billing",)),
}
# A class of one of those domains in markup: `class="card ord-list"` -> "ord".
DOMAIN_CLASS = re.compile(
    r"(?<=[\s\"'])("
    + "|".join(sorted({p for _, prefixes in DOMAIN_STYLESHEETS.values() for p in prefixes}))
    + r")-[a-z]"
)
# Build scripts that live beside what they build and are never sent to a browser.
NOT_SERVED = {".cjs"}
# An htmx attribute in markup: ` hx-get=`, ` data-hx-target=`, ...
HTMX_ATTRIBUTE = re.compile(r"\s(?:data-)?hx-[a-z]")


def uses_htmx(html: str) -> bool:
    """True when `html` has an htmx attribute, so its page needs the htmx script.

    Text that merely looks like one (a product named " hx-x") errs on the safe side:
    the page loads htmx it does not need.
    """
    return HTMX_ATTRIBUTE.search(str(html)) is not None


def domain_stylesheets(html: str, blueprint: str | None) -> list[str]:
    """The domain stylesheets a page needs: its own domain's, and those whose classes its
    markup uses (words in text that look like one cost a stylesheet, never a style)."""
    prefixes = set(DOMAIN_CLASS.findall(str(html)))
    return [
        name
        for name, (blueprints, wanted) in DOMAIN_STYLESHEETS.items()
        if blueprint in blueprints or prefixes.intersection(wanted)
    ]


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


def minified(relative: str, content: bytes) -> bytes:
    """CSS and JavaScript without comments and spare whitespace; other files as they are.

    `/*! ... */` comments stay: they carry the licences of vendored code. Vendored
    `.min.js` files are left alone: they are minified already, by their makers.
    """
    if relative.endswith(".css"):
        css = rcssmin.cssmin(content.decode("utf-8"), keep_bang_comments=True)
        return css.encode("utf-8")
    if relative.endswith(".js") and not relative.endswith(".min.js"):
        return rjsmin.jsmin(content.decode("utf-8"), keep_bang_comments=True).encode("utf-8")
    return content


def _publish(target: Path, relative: str, content: bytes) -> str:
    """Write `content` under its hashed name (+ .gz/.br) and return that name."""
    name = hashed_name(relative, content)
    destination = target / name
    _write_once(destination, content)
    if Path(relative).suffix in COMPRESSIBLE and len(content) > 256:
        _write_once(destination.with_name(destination.name + ".gz"), gzip.compress(content, 9))
        _write_once(
            destination.with_name(destination.name + ".br"), brotli.compress(content, quality=11)
        )
    return name


def build(source: Path, target: Path) -> dict[str, str]:
    """Copy `source` into `target`, minified, under hashed names (+ .gz/.br), and add the
    bundles; the manifest maps each original (or bundle) name to its hashed one."""
    manifest = {}
    served = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or path.suffix in NOT_SERVED:
            continue
        relative = path.relative_to(source).as_posix()
        served[relative] = minified(relative, path.read_bytes())
        manifest[relative] = _publish(target, relative, served[relative])
    for bundle, parts in BUNDLES.items():
        manifest[bundle] = _publish(target, bundle, b"\n".join(served[part] for part in parts))
    return manifest


def init_app(app) -> None:
    """Build the hashed copies and put WhiteNoise in front of the app."""
    source = Path(app.static_folder)
    target = Path(app.config["KYORA_DATA_DIR"]) / "static-build"
    manifest = build(source, target)
    app.extensions["kyora_assets"] = manifest
    app.jinja_env.globals["uses_htmx"] = uses_htmx
    app.jinja_env.globals["domain_stylesheets"] = domain_stylesheets

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
