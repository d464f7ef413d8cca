"""The addon suite: installs our Odoo modules into a fresh PostgreSQL database and
runs their own tests (TransactionCase, Form, HttpCase tours) with Odoo's runner.

Odoo only loads tests from ``odoo.addons.<module>.tests``, so the addon tests live
inside the addons; this file is the bridge that lets the README's one test command
run them. It runs where ``import odoo`` works (Odoo 18.0) and skips with one line
otherwise. PostgreSQL is reached through the usual libpq variables (PGHOST, PGPORT,
PGUSER; defaults 127.0.0.1, 5432 and the current user, ``root`` here).
"""

from __future__ import annotations

import getpass
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDONS = REPO / "odoo_addon"
SUMMARY_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
# Odoo log line: "2026-11-26 15:01:02,345 1234 ERROR dbname logger: message"
LOG_LEVEL_RE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
SKIPPED_RE = re.compile(r" skipped (\S+) : (.*)$", re.M)
BROWSER_SKIP_RE = re.compile(r"chrome|websocket|browser", re.I)

if importlib.util.find_spec("odoo") is None:
    pytest.skip(
        "Odoo 18 is not importable here: addon tests skipped "
        "(README, 'The ERP part', says how to make it importable)",
        allow_module_level=True,
    )

import odoo.release  # noqa: E402

if odoo.release.version_info[0] != 18:
    pytest.skip(
        f"Odoo {odoo.release.version} is importable, the addon needs 18.0: addon tests skipped",
        allow_module_level=True,
    )


def _modules() -> list[str]:
    return sorted(p.parent.name for p in ADDONS.glob("*/__manifest__.py"))


def _db_settings() -> dict[str, str]:
    return {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": os.environ.get("PGPORT", "5432"),
        "user": os.environ.get("PGUSER") or getpass.getuser(),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _odoo_addons_path() -> str:
    import odoo.addons

    return ",".join([*(str(Path(p)) for p in odoo.addons.__path__), str(ADDONS)])


def _dropdb(db: dict[str, str], name: str) -> None:
    subprocess.run(
        ["dropdb", "--if-exists", "-h", db["host"], "-p", db["port"], "-U", db["user"], name],
        check=False,
        capture_output=True,
    )


def test_addon_suite_on_real_odoo(tmp_path, request):
    """Install every module under odoo_addon/ with demo data into a new database,
    run their tests, and fail on any failed test, error or ERROR log line."""
    modules = _modules()
    assert modules, f"no Odoo module found under {ADDONS}"
    db = _db_settings()
    with socket.socket() as s:
        if s.connect_ex((db["host"], int(db["port"]))) != 0:
            pytest.fail(
                f"PostgreSQL is not reachable at {db['host']}:{db['port']} (start it; "
                "README, 'The ERP part')"
            )
    name = f"cc_test_{uuid.uuid4().hex[:8]}"
    log = tmp_path / "odoo.log"
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={_odoo_addons_path()}",
        f"--db_host={db['host']}",
        f"--db_port={db['port']}",
        f"--db_user={db['user']}",
        "-d",
        name,
        "-i",
        ",".join(modules),
        "--test-enable",
        "--test-tags",
        ",".join(f"/{m}" for m in modules),
        "--stop-after-init",
        "--http-interface=127.0.0.1",
        f"--http-port={_free_port()}",
        "--log-level=test",
        f"--logfile={log}",
        "--max-cron-threads=0",
    ]
    env = {**os.environ, "TZ": "UTC"}
    try:
        proc = subprocess.run(
            cmd, env=env, cwd=tmp_path, timeout=3000, check=False, capture_output=True, text=True
        )
    finally:
        if not os.environ.get("KEEP_TEST_DB"):
            _dropdb(db, name)
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    text += proc.stdout + proc.stderr
    problems = [line for line in text.splitlines() if LOG_LEVEL_RE.match(line)]
    found = SUMMARY_RE.findall(text)
    summary = None
    if found:
        failed, errors, total = map(int, found[-1])
        skipped = SKIPPED_RE.findall(text)
        summary = f"{failed} failed, {errors} error(s) of {total} tests, {len(skipped)} skipped"
        request.node.user_properties.append(
            ("odoo_summary", f"Odoo addon suite ({', '.join(modules)}): {summary}")
        )
    tail = "\n".join(text.splitlines()[-60:])
    assert proc.returncode == 0 and not problems, (
        f"odoo exited {proc.returncode}; {summary or 'no test summary'}\n"
        + "\n".join(problems[:40])
        + f"\n--- log tail ---\n{tail}"
    )
    assert summary is not None, f"Odoo printed no test summary\n{tail}"
    assert total > 0, "Odoo ran no addon test"
    assert failed == 0 and errors == 0, summary
    if shutil.which("chromium") or shutil.which("google-chrome"):
        # a browser is here, so a tour skipped for want of one hides a broken setup
        browser_skips = [f"{t}: {why}" for t, why in skipped if BROWSER_SKIP_RE.search(why)]
        assert not browser_skips, "browser tours skipped:\n" + "\n".join(browser_skips)
