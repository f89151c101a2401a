"""What the static build publishes: minified files under hashed names, the bundles, and
no build scripts."""

from __future__ import annotations

import brotli

from kyora.core import assets


def _source(tmp_path):
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "vendor").mkdir()
    (source / "js").mkdir()
    (source / "vendor" / "pico-2.1.1.jade.trimmed.min.css").write_text(
        "/*! Pico licence */\n:root { --pico-color: #123; }\n"
    )
    (source / "css" / "app.css").write_text(
        "/* The page's own rules. */\n.card  {\n  padding : 1rem ;\n}\n" + ".x{color:red}\n" * 40
    )
    (source / "js" / "app.js").write_text("// A comment.\nvar  answer = 42;\n")
    (source / "vendor" / "lib.min.js").write_text("/* as shipped */ var a=1;\n")
    (source / "vendor" / "trim.cjs").write_text("console.log('build only');\n")
    return source


def test_build_minifies_bundles_and_skips_build_scripts(tmp_path):
    target = tmp_path / "build"
    manifest = assets.build(_source(tmp_path), target)

    assert "vendor/trim.cjs" not in manifest
    assert not list(target.rglob("trim*"))
    app_css = (target / manifest["css/app.css"]).read_text()
    assert app_css.startswith(".card{padding:1rem}") and "The page's own rules" not in app_css
    assert (target / manifest["js/app.js"]).read_text() == "var answer=42;"
    # A vendor's minified script is published as shipped.
    assert (target / manifest["vendor/lib.min.js"]).read_text() == "/* as shipped */ var a=1;\n"
    # The bundle: Pico first (licence kept), then the app's rules, precompressed.
    bundle = target / manifest["css/kyora.css"]
    assert bundle.read_text() == "/*! Pico licence */:root{--pico-color:#123}\n" + app_css
    assert brotli.decompress((bundle.parent / (bundle.name + ".br")).read_bytes()) == (
        bundle.read_bytes()
    )


def test_a_changed_source_gets_a_new_name_and_the_same_source_the_same_name(tmp_path):
    source = _source(tmp_path)
    first = assets.build(source, tmp_path / "one")
    again = assets.build(source, tmp_path / "two")
    assert first == again
    (source / "css" / "app.css").write_text(".card{padding:2rem}")
    changed = assets.build(source, tmp_path / "three")
    assert changed["css/app.css"] != first["css/app.css"]
    assert changed["css/kyora.css"] != first["css/kyora.css"]
    assert changed["js/app.js"] == first["js/app.js"]
