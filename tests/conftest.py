"""Shared pytest hooks: the addon suite's own summary line (Odoo's "N failed, N
error(s) of N tests") is repeated at the end of the run, where a reader looks."""

from __future__ import annotations

_SUMMARIES: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        _SUMMARIES.extend(value for name, value in report.user_properties if name == "odoo_summary")


def pytest_terminal_summary(terminalreporter):
    for line in _SUMMARIES:
        terminalreporter.write_line(line)
