"""Rendering a `StatsTable` or a `Summary` as text (aligned columns), CSV,
JSON or HTML. Formatting only: every figure is computed in `stats.figures`.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..errors import InputError
from .figures import NONE_KEY, Figures, OnTime, Problem, StatsTable, Summary

FORMATS = ("text", "csv", "json", "html")
TITLE_ZH = "客户投诉月统计表"
TITLE_EN = "Monthly complaint statistics"
PERIOD_TITLE_ZH = "客户投诉统计表"  # a week, a quarter, any other period
PERIOD_TITLE_EN = "Complaint statistics"
SUMMARY_TITLE_ZH = "投诉处理总结表"
SUMMARY_TITLE_EN = "Complaint handling summary"
PROCESS_LINK_LABELS = {
    "transport": "运输 Transport",
    "processing": "加工 Processing",
    "management": "管理 Management",
    "other": "其他 Other",
}
_MONTH_RE = re.compile(r"^\d{4}-\d{2}$")
_DURATIONS = ("mean_days_to_close", "p90_days_to_close", "mean_working_hours_to_close")


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
        ("mean_working_hours_to_close", "平均工时 Mean working hours"),
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
    for k in _DURATIONS:
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
    for k in _DURATIONS:
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


def _titles(table: StatsTable) -> tuple[str, str]:
    """The monthly table's name for a month, the statistics table's otherwise."""
    if _MONTH_RE.match(table.period):
        return TITLE_ZH, TITLE_EN
    return PERIOD_TITLE_ZH, PERIOD_TITLE_EN


def _title(table: StatsTable) -> str:
    zh, en = _titles(table)
    return (
        f"{zh} / {en} {table.period} (by {table.by}, {table.timezone}, amounts in {table.currency})"
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
        "title": " / ".join(_titles(table)),
        "month": table.period,
        "period": table.period,
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


_NONE_ZH = "（无）(none)"


def _problem_text(p: Problem) -> str:
    """``problem ×2 (261101, 261102): countermeasure; countermeasure``."""
    name = _NONE_ZH if p.problem == NONE_KEY else p.problem
    measures = "; ".join(p.countermeasures) or "—"
    return f"{name} ×{p.complaints} ({', '.join(p.numbers)}): {measures}"


def _problem_value(p: Problem) -> dict[str, Any]:
    return {
        "problem": None if p.problem == NONE_KEY else p.problem,
        "complaints": p.complaints,
        "numbers": list(p.numbers),
        "countermeasures": list(p.countermeasures),
    }


def _summary_items(s: Summary) -> list[tuple[str, list[str]]]:
    """(bilingual label, display lines) of every item, in the form's order:
    the form's own items, the figures of the table, the intake, the problems."""
    f = s.figures
    cells = _cells(f, s.milestones)
    period = f"{s.start.isoformat()} .. {s.end.isoformat()} ({s.timezone})"
    items = [
        ("期间 Period", [f"{s.period} {period}" if s.period else period]),
        ("天数 Days", [str(s.days)]),
        ("受理 Received", [cells["received"]]),
        ("每天投诉次数 Complaints per day", ["—" if s.per_day is None else str(s.per_day)]),
        ("已解决投诉次数 Resolved complaints", [str(s.resolved)]),
        ("解决比例 Resolution ratio", [cells["resolution_rate"]]),
        ("涉及产品质量的次数 Product-quality complaints", [str(s.quality)]),
    ]
    shown = {"received", "resolution_rate"}
    items += [(h, [cells[k]]) for k, h in _columns(s.milestones) if k not in shown]
    for name, counts in (
        ("按分类 By category", s.by_category),
        ("按等级 By severity", s.by_severity),
        ("按渠道 By channel", s.by_channel),
    ):
        items.append((name, [", ".join(f"{k} {v}" for k, v in counts.items()) or "—"]))
    items.append(
        (
            "主要质量问题及对策 Main quality problems and countermeasures",
            [_problem_text(p) for p in s.quality_problems] or ["—"],
        )
    )
    items.append(
        (
            "按环节 By process link",
            [
                ", ".join(
                    f"{PROCESS_LINK_LABELS.get(x.link, x.link)} {x.complaints}"
                    for x in s.by_process_link
                )
                or "—"
            ],
        )
    )
    for link in s.by_process_link:
        zh, _, en = PROCESS_LINK_LABELS.get(link.link, link.link).partition(" ")
        items.append(
            (
                f"{zh}环节问题及对策 {en} problems and countermeasures",
                [_problem_text(p) for p in link.problems] or ["—"],
            )
        )
    return items


def _summary_lines(s: Summary) -> list[tuple[str, str]]:
    """One (label, value) per line; an item of several lines repeats its label."""
    return [(k, v) for k, values in _summary_items(s) for v in values]


def _summary_json(s: Summary, title: str) -> str:
    doc = {
        "title": title,
        "period": s.period,
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "timezone": s.timezone,
        "currency": s.currency,
        "days": s.days,
        "per_day": None if s.per_day is None else str(s.per_day),
        "resolved": s.resolved,
        "quality": s.quality,
        **_values(s.figures, s.milestones),
        "by_category": dict(s.by_category),
        "by_severity": dict(s.by_severity),
        "by_channel": dict(s.by_channel),
        "quality_problems": [_problem_value(p) for p in s.quality_problems],
        "by_process_link": {
            link.link: {
                "label": PROCESS_LINK_LABELS.get(link.link, link.link),
                "complaints": link.complaints,
                "problems": [_problem_value(p) for p in link.problems],
            }
            for link in s.by_process_link
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _render_summary(s: Summary, fmt: str) -> str:
    title = f"{SUMMARY_TITLE_ZH} / {SUMMARY_TITLE_EN}"
    if s.period:
        title += f" {s.period}"
    title += f" (amounts in {s.currency})"
    if fmt == "json":
        return _summary_json(s, title)
    lines = _summary_lines(s)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["item", "value"])
        writer.writerows(lines)
        return buf.getvalue()
    if fmt == "html":
        e = html.escape

        def cell(values):
            if len(values) == 1:
                return e(values[0])
            return "<ul>" + "".join(f"<li>{e(v)}</li>" for v in values) + "</ul>"

        body = "\n".join(
            f'<tr><th scope="row">{e(k)}</th><td>{cell(v)}</td></tr>' for k, v in _summary_items(s)
        )
        return (
            f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{e(title)}</title><style>{_CSS}</style></head><body>\n<table>\n"
            f"<caption>{e(title)}</caption>\n<tbody>\n{body}\n</tbody>\n</table>\n"
            "</body></html>\n"
        )
    width = max(_width(k) for k, _ in lines)
    out, last = [title], None
    for k, v in lines:
        label = k if k != last else ""
        out.append(label + " " * (width - _width(label)) + "  " + v)
        last = k
    return "\n".join(out) + "\n"


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
