"""Rendering a `StatsTable` or a `Summary` as text (aligned columns), CSV,
JSON or HTML. Formatting only: every figure is computed in `stats.figures`.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..errors import InputError
from .figures import Figures, OnTime, StatsTable, Summary

FORMATS = ("text", "csv", "json", "html")
TITLE_ZH = "客户投诉月统计表"
TITLE_EN = "Monthly complaint statistics"
SUMMARY_TITLE_ZH = "投诉处理总结表"
SUMMARY_TITLE_EN = "Complaint handling summary"


def _pct(rate: Decimal | None) -> str:
    if rate is None:
        return "—"
    return f"{(rate * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _rate_value(rate: Decimal | None) -> str | None:
    return None if rate is None else str(rate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _columns(milestones) -> list[tuple[str, str]]:
    """(machine key, bilingual header) of every column after the group."""
    cols = [
        ("received", "受理 Received"),
        ("closed", "结案 Closed"),
        ("open", "未结 Open"),
        ("resolution_rate", "解决率 Resolved"),
    ]
    cols += [(f"on_time_{code}", f"{zh} {code} on time".strip()) for code, _, zh in milestones]
    cols += [
        ("mean_days_to_close", "平均天数 Mean days"),
        ("p90_days_to_close", "P90 days"),
        ("loss_amount", "损失 Loss"),
        ("remedy_cost", "处理费用 Remedy cost"),
        ("valid", "有效 Valid"),
        ("not_valid", "无效 Not valid"),
        ("recomplaints", "二次投诉 Re-complaints"),
        ("clusters", "重复 Clusters"),
        ("satisfaction_rate", "满意率 Satisfied"),
        ("defect_rate", "不良率 Defect rate"),
    ]
    return cols


def _cells(fig: Figures, milestones) -> dict[str, str]:
    """Display text of each column (text and HTML)."""
    out = {
        "received": str(fig.received),
        "closed": str(fig.closed),
        "open": str(fig.open),
        "resolution_rate": _pct(fig.resolution_rate),
    }
    for code, _, _ in milestones:
        o = fig.on_time.get(code, OnTime(0, 0))
        out[f"on_time_{code}"] = f"{o.on_time}/{o.counted} {_pct(o.rate)}" if o.counted else "—"
    for k in ("mean_days_to_close", "p90_days_to_close"):
        v = getattr(fig, k)
        out[k] = "—" if v is None else str(v)
    out.update(
        loss_amount=f"{fig.loss_amount:,.2f}",
        remedy_cost=f"{fig.remedy_cost:,.2f}",
        valid=str(fig.valid),
        not_valid=str(fig.not_valid),
        recomplaints=str(fig.recomplaints),
        clusters=str(fig.clusters),
        satisfaction_rate=_pct(fig.satisfaction_rate),
        defect_rate=_pct(fig.defect_rate),
    )
    return out


def _values(fig: Figures, milestones) -> dict[str, Any]:
    """Machine values of each column (CSV and JSON): ints, decimal texts, None."""
    out: dict[str, Any] = {
        "received": fig.received,
        "closed": fig.closed,
        "open": fig.open,
        "resolution_rate": _rate_value(fig.resolution_rate),
    }
    for code, _, _ in milestones:
        o = fig.on_time.get(code, OnTime(0, 0))
        out[f"on_time_{code}"] = {
            "on_time": o.on_time,
            "counted": o.counted,
            "rate": _rate_value(o.rate),
        }
    for k in ("mean_days_to_close", "p90_days_to_close"):
        v = getattr(fig, k)
        out[k] = None if v is None else str(v)
    out.update(
        loss_amount=str(fig.loss_amount),
        remedy_cost=str(fig.remedy_cost),
        valid=fig.valid,
        not_valid=fig.not_valid,
        recomplaints=fig.recomplaints,
        clusters=fig.clusters,
        satisfaction_rate=_rate_value(fig.satisfaction_rate),
        defect_rate=_rate_value(fig.defect_rate),
    )
    return out


def _title(table: StatsTable) -> str:
    return (
        f"{TITLE_ZH} / {TITLE_EN} {table.period} "
        f"(by {table.by}, {table.timezone}, amounts in {table.currency})"
    )


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) >= 0x1100 and not 0x2000 <= ord(ch) <= 0x206F else 1 for ch in text)


def _render_text(table: StatsTable) -> str:
    cols = _columns(table.milestones)
    head = [table.by] + [h for _, h in cols]
    body = [
        [f.label] + [_cells(f, table.milestones)[k] for k, _ in cols]
        for f in (*table.rows, table.total)
    ]
    widths = [max(_width(row[i]) for row in [head, *body]) for i in range(len(head))]

    def line(row):
        parts = [row[0] + " " * (widths[0] - _width(row[0]))]
        parts += [" " * (w - _width(c)) + c for c, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    rule = "-" * len(line(head))
    lines = [
        _title(table),
        rule,
        line(head),
        rule,
        *(line(r) for r in body[:-1]),
        rule,
        line(body[-1]),
    ]
    return "\n".join(lines) + "\n"


def _flat(values: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in values.items():
        if isinstance(v, Mapping):
            out[f"{k}_count"] = v["counted"]
            out[f"{k}_done"] = v["on_time"]
            out[f"{k}_rate"] = v["rate"]
        else:
            out[k] = v
    return out


def _render_csv(table: StatsTable) -> str:
    buf = io.StringIO()
    rows = [
        {"group": f.key, "label": f.label, **_flat(_values(f, table.milestones))}
        for f in (*table.rows, table.total)
    ]
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buf.getvalue()


def _render_json(table: StatsTable) -> str:
    def fig(f):
        return {"group": f.key, "label": f.label, **_values(f, table.milestones)}

    doc = {
        "title": f"{TITLE_ZH} / {TITLE_EN}",
        "month": table.period,
        "by": table.by,
        "timezone": table.timezone,
        "start": table.start.isoformat(),
        "end": table.end.isoformat(),
        "currency": table.currency,
        "milestones": [{"code": c, "name": n, "name_zh": z} for c, n, z in table.milestones],
        "rows": [fig(f) for f in table.rows],
        "total": fig(table.total),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_CSS = (
    "body{font-family:sans-serif}table{border-collapse:collapse;font-size:10pt}"
    "th,td{border:1px solid #444;padding:2px 6px}td.n{text-align:right}"
    "tfoot td{font-weight:bold}@page{size:A4 landscape;margin:1cm}"
)


def _render_html(table: StatsTable) -> str:
    e = html.escape
    cols = _columns(table.milestones)
    head = "".join(f"<th>{e(h)}</th>" for h in [table.by] + [h for _, h in cols])

    def row(f):
        cells = _cells(f, table.milestones)
        return (
            '<tr><th scope="row">'
            + e(f.label)
            + "</th>"
            + "".join(f'<td class="n">{e(cells[k])}</td>' for k, _ in cols)
            + "</tr>"
        )

    title = e(_title(table))
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>\n"
        f"<table>\n<caption>{title}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(row(f) for f in table.rows)
        + f"\n</tbody>\n<tfoot>{row(table.total)}</tfoot>\n</table>\n</body></html>\n"
    )


def _summary_lines(s: Summary) -> list[tuple[str, str]]:
    f = s.figures
    cells = _cells(f, s.milestones)
    lines = [("期间 Period", f"{s.start.isoformat()} .. {s.end.isoformat()} ({s.timezone})")]
    lines += [(h, cells[k]) for k, h in _columns(s.milestones)]
    for name, counts in (
        ("按分类 By category", s.by_category),
        ("按等级 By severity", s.by_severity),
        ("按渠道 By channel", s.by_channel),
    ):
        lines.append((name, ", ".join(f"{k} {v}" for k, v in counts.items()) or "—"))
    return lines


def _render_summary(s: Summary, fmt: str) -> str:
    title = f"{SUMMARY_TITLE_ZH} / {SUMMARY_TITLE_EN} (amounts in {s.currency})"
    lines = _summary_lines(s)
    if fmt == "json":
        doc = {
            "title": title,
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
            "timezone": s.timezone,
            "currency": s.currency,
            **_values(s.figures, s.milestones),
            "by_category": dict(s.by_category),
            "by_severity": dict(s.by_severity),
            "by_channel": dict(s.by_channel),
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["item", "value"])
        writer.writerows(lines)
        return buf.getvalue()
    if fmt == "html":
        e = html.escape
        body = "\n".join(f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>' for k, v in lines)
        return (
            f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{e(title)}</title><style>{_CSS}</style></head><body>\n<table>\n"
            f"<caption>{e(title)}</caption>\n<tbody>\n{body}\n</tbody>\n</table>\n"
            "</body></html>\n"
        )
    width = max(_width(k) for k, _ in lines)
    return "\n".join([title] + [k + " " * (width - _width(k)) + "  " + v for k, v in lines]) + "\n"


def render(table: StatsTable | Summary, fmt: str = "text") -> str:
    """A table (or a summary) as ``text`` (aligned columns), ``csv``, ``json``
    or ``html`` (escaped, a printable page)."""
    if fmt not in FORMATS:
        raise InputError(
            f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}",
            code="format_unknown",
            value=str(fmt),
        )
    if isinstance(table, Summary):
        return _render_summary(table, fmt)
    return {"text": _render_text, "csv": _render_csv, "json": _render_json, "html": _render_html}[
        fmt
    ](table)
