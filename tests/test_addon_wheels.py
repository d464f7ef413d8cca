"""Each addon builds as a wheel the way OCA ships addons (whool, its pyproject.toml):
named odoo-addon-<module>, versioned by the manifest, requiring the Python packages of
its external_dependencies (complaint_core) and the addons it depends on. Builds every
addon's wheel into a temporary directory, a few seconds; skipped where whool is not installed
(it is in the test extra) or outside a git checkout (whool packages what git tracks)."""

from __future__ import annotations

import ast
import email.parser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("whool", reason="whool not installed (pip install -e '.[test]')")

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "odoo_addon"
MODULES = sorted(p.parent for p in ADDONS.glob("*/__manifest__.py"))

if not (shutil.which("git") and (ROOT / ".git").exists()):
    pytest.skip("not a git checkout: whool packages the files git tracks", allow_module_level=True)


def _manifest(module: Path) -> dict:
    return ast.literal_eval((module / "__manifest__.py").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(out),
            *map(str, MODULES),
        ],
        check=True,
        cwd=ROOT,
    )
    return out


def test_every_addon_has_a_whool_pyproject():
    for module in MODULES:
        text = (module / "pyproject.toml").read_text(encoding="utf-8")
        assert 'build-backend = "whool.buildapi"' in text, module.name


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_wheel_name_version_and_requirements(wheels, module):
    manifest = _manifest(module)
    wheel = wheels / f"odoo_addon_{module.name}-{manifest['version']}-py3-none-any.whl"
    assert wheel.is_file(), sorted(p.name for p in wheels.iterdir())
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        raw = archive.read(metadata).decode()
    meta = email.parser.Parser().parsestr(raw)
    assert f"odoo/addons/{module.name}/__manifest__.py" in names
    assert meta["Name"] == f"odoo-addon-{module.name}"
    assert meta["Version"] == manifest["version"]
    requires = meta.get_all("Requires-Dist")
    for package in manifest.get("external_dependencies", {}).get("python", []):
        assert f"Requires-Dist: {package}" in raw.splitlines(), requires
    ours = {m.name for m in MODULES}
    for addon in set(manifest["depends"]) & ours:
        assert f"odoo-addon-{addon}==18.0.*" in requires, requires


def test_the_main_addon_requires_the_core():
    manifest = _manifest(ADDONS / "customer_complaint")
    assert manifest["external_dependencies"]["python"] == ["complaint_core"]
