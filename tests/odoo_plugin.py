"""pytest plugin for the addon run: the guarantees Odoo's own runner bridge gave, kept
under pytest-odoo. ``scripts/test`` loads it next to pytest-odoo
(``pytest -p odoo -p tests.odoo_plugin --odoo-config=... odoo_addon``); the core run
never does (it imports nothing from Odoo itself, but only makes sense there).

- An ERROR or CRITICAL log record fails the test phase (setup, call, teardown) in which
  it was emitted, with the records in the report; one emitted outside any test (while
  collecting, or after the last test) fails the session. Odoo's ``mute_logger`` takes a
  logger's records away from the root logger, so what a test mutes on purpose does not
  count.
- ``odoo.modules.module.current_test`` names the running test, as under Odoo's runner.
- Where Chromium is installed, a test skipped for want of a browser (Odoo's "Chrome
  executable not found", "websocket-client module is not installed", a devtools
  connection that fails, pytest-odoo's "HttpCase and --odoo-http is not set") fails: a
  tour that cannot start hides a broken setup.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading

import pytest

BROWSER_SKIP_RE = re.compile(r"chrome|websocket|browser|devtools|--odoo-http", re.I)


class _ErrorRecords(logging.Handler):
    """Keeps every ERROR/CRITICAL record that reaches the root logger, from any thread
    (the HTTP server's workers log there too during a tour)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self._lock = threading.Lock()
        self._lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # a broken record must still count
            line = f"{record.levelname} {record.name}: {record.msg!r}"
        with self._lock:
            self._lines.append(line)

    def take(self) -> list[str]:
        with self._lock:
            lines, self._lines = self._lines, []
        return lines


def _quiet_test_framework_import() -> None:
    """pytest-odoo imports ``odoo.tests`` right after parsing Odoo's configuration,
    before it turns ``test_enable`` on, and Odoo logs an ERROR for that import ("avoid
    importing from business modules"). Import it once, just after the configuration is
    parsed, with ``test_enable`` on, as Odoo's own runner has it."""
    import odoo.tools

    config = odoo.tools.config
    parse = config.parse_config

    def parse_config(*args, **kwargs):
        parse(*args, **kwargs)
        saved = config["test_enable"]
        config["test_enable"] = True
        try:
            import odoo.tests  # noqa: F401
        finally:
            config["test_enable"] = saved

    config.parse_config = parse_config


_quiet_test_framework_import()
_HANDLER = _ErrorRecords()
_OUTSIDE: list[str] = []


def _browser_here() -> bool:
    return bool(shutil.which("chromium") or shutil.which("google-chrome"))


def pytest_configure(config):
    # Odoo 18 itself calls Werkzeug 2.3's deprecated URL helpers (Odoo pins that version)
    config.addinivalue_line("filterwarnings", "ignore:'werkzeug.urls.:DeprecationWarning")
    logging.getLogger().addHandler(_HANDLER)


def pytest_unconfigure(config):
    logging.getLogger().removeHandler(_HANDLER)


def pytest_collection_finish(session):
    _OUTSIDE.extend(_HANDLER.take())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Odoo's runner names the running test in ``odoo.modules.module.current_test`` (code
    asks it, e.g. not to commit inside a test; the test cursor checks it); pytest-odoo
    2.3.0 does so only from Odoo 19 on, so do it here for 18."""
    from odoo.modules import module
    from odoo.tests.common import BaseCase

    instance = getattr(item, "instance", None)
    if isinstance(instance, BaseCase):
        module.current_test = instance


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        from odoo.modules import module

        module.current_test = False


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr or "")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    lines = _HANDLER.take()
    if lines:
        text = "\n".join(lines)
        if report.failed:
            report.sections.append((f"Odoo ERROR/CRITICAL log ({report.when})", text))
        else:
            report.outcome = "failed"
            report.longrepr = (
                f"Odoo logged {len(lines)} ERROR/CRITICAL line(s) during {report.when} "
                f"(wrap a deliberate one in odoo.tools.mute_logger):\n{text}"
            )
    if report.skipped and _browser_here():
        reason = _skip_reason(report)
        if BROWSER_SKIP_RE.search(reason):
            report.outcome = "failed"
            report.longrepr = (
                f"skipped for want of a browser although Chromium is installed: {reason}"
            )
    return report


def pytest_sessionfinish(session, exitstatus):
    _OUTSIDE.extend(_HANDLER.take())
    if _OUTSIDE and session.exitstatus in (0, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _OUTSIDE:
        terminalreporter.section("Odoo ERROR/CRITICAL log outside any test", red=True)
        for line in _OUTSIDE:
            terminalreporter.write_line(line)
