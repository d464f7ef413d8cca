"""Static checks of the Odoo modules that need no Odoo, so they run everywhere
(ARCHITECTURE.md, "Running Odoo here"): manifests, the files they list, XML that
parses, and every test file registered where Odoo will find it."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

ADDONS = Path(__file__).resolve().parent.parent / "odoo_addon"
MODULES = sorted(p.parent for p in ADDONS.glob("*/__manifest__.py"))


def _manifest(module: Path) -> dict:
    return ast.literal_eval((module / "__manifest__.py").read_text(encoding="utf-8"))


def test_there_are_modules():
    assert [m.name for m in MODULES][:1] == ["customer_complaint"]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_manifest(module):
    manifest = _manifest(module)
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"]), manifest["version"]
    assert manifest["license"] in {"LGPL-3", "AGPL-3", "OPL-1"}
    assert manifest.get("installable", True)
    for key in ("data", "demo"):
        for name in manifest.get(key, []):
            assert (module / name).is_file(), f"{module.name}: {key} lists missing {name}"
    for bundle, files in manifest.get("assets", {}).items():
        for pattern in files:
            pattern = pattern if isinstance(pattern, str) else pattern[-1]
            rel = pattern.split("/", 1)[1] if pattern.startswith(module.name + "/") else None
            assert rel and list(module.glob(rel)), f"{module.name}: {bundle} lists {pattern}"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_xml_files_parse(module):
    files = list(module.rglob("*.xml"))
    assert files, f"{module.name} has no XML"
    for path in files:
        ElementTree.parse(path)  # our own files: raises on malformed XML


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_every_test_file_is_registered(module):
    """Odoo runs only the test modules imported by ``tests/__init__.py``: a test
    file left out there would silently never run."""
    tests = module / "tests"
    files = sorted(p.stem for p in tests.glob("test_*.py"))
    assert files, f"{module.name} has no tests"
    init = ast.parse((tests / "__init__.py").read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(init)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module
        for alias in node.names
    }
    assert set(files) <= imported, f"{module.name}: not imported: {set(files) - imported}"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_zh_cn_translation_exists(module):
    po = module / "i18n" / "zh_CN.po"
    assert po.is_file(), f"{module.name} has no i18n/zh_CN.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in text.split("\n\n", 1)[1], f"{module.name}: empty msgstr"


# OCA writes a module's documentation as readme/ fragments and generates README.rst
# from them (pylint-odoo's missing-readme wants a README, oca-checks-odoo-module an .rst
# one); `python tests/test_addon_static.py` writes ours, this test says when one is stale.
README_FRAGMENTS = (
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
)


def _rst_title(text: str, char: str) -> str:
    return f"{text}\n{char * len(text)}"


def _md_to_rst(text: str) -> str:
    """The little Markdown the fragments use: *emphasis* and numbered lists are the
    same in reStructuredText, `code` becomes ``code``."""
    return re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", text.strip())


def addon_readme(module: Path) -> str:
    manifest = _manifest(module)
    parts = [
        ".. generated from readme/*.md by `python tests/test_addon_static.py`; edit those",
        _rst_title(manifest["name"], "="),
        f"``{module.name}`` {manifest['version']}, {manifest['license']}: {manifest['summary']}.",
    ]
    for name, title in README_FRAGMENTS:
        if title:
            parts.append(_rst_title(title, "-"))
        parts.append(_md_to_rst((module / "readme" / name).read_text(encoding="utf-8")))
    parts += [
        _rst_title("Credits", "-"),
        f"Authors: {manifest['author']}. Maintainers: {', '.join(manifest['maintainers'])}."
        f" {manifest['website']}",
    ]
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_readme_fragments_and_generated_readme(module):
    for name, _title in README_FRAGMENTS:
        assert (module / "readme" / name).read_text(encoding="utf-8").strip(), name
    readme = module / "README.rst"
    assert readme.is_file() and readme.read_text(encoding="utf-8") == addon_readme(module), (
        f"{readme} is stale: run `python tests/test_addon_static.py`"
    )


if __name__ == "__main__":
    for module in MODULES:
        (module / "README.rst").write_text(addon_readme(module), encoding="utf-8")
