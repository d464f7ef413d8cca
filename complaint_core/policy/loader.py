"""Building a `Policy` from a mapping (a YAML/TOML file, or the records the
Odoo adapter reads): every value checked, *every* problem collected with its
key path and a stable code, and raised at once as one `PolicyError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import InputError, PolicyError, Problem
from ..model import Channel, Duration, Kind, Role, State, Unit
from .types import (
    ACTION_ROLE_DEFAULTS,
    AUTHORITY_LIMIT,
    DEFAULT_PERSONAL_TEXT_FIELDS,
    DISSATISFIED_RESPONSES,
    MAX_CLOCK_SKEW,
    MAX_LIMIT,
    MAX_RETENTION_YEARS,
    NOTICE_STATES,
    RESETS,
    START_EVENTS,
    WEEKDAYS,
    WORKFLOW_ACTIONS,
    AuthorityLevel,
    AuthorityPolicy,
    CalendarSpec,
    Category,
    Condition,
    CustomerPolicy,
    EscalationStep,
    IntakePolicy,
    MilestoneRule,
    MilestoneSpec,
    NumberingPolicy,
    Policy,
    RetentionPolicy,
    SatisfactionPolicy,
    ScalePoint,
    SeverityPolicy,
    SlaPolicy,
    WorkflowPolicy,
)

_SPAN_RE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_SKEW_RE = re.compile(r"^\s*(\d{1,4})\s*(m|h)\s*$")
_FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class _Loader:
    """Builds a Policy, collecting every problem instead of stopping at the first."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def err(self, path: str, msg: str, code: str = "invalid", **params) -> None:
        self.problems.append(Problem(path, msg, code, params))

    # typed getters: each returns a usable fallback after recording a problem
    def get(self, d: Mapping, key: str, path: str, kind=None, default=..., allow_none=False):
        where = f"{path}.{key}" if path else key
        if not isinstance(d, Mapping) or key not in d:
            if default is ...:
                self.err(where, "missing", "missing")
                return None
            return default
        value = d[key]
        if value is None and allow_none:
            return None
        if kind is not None and not _is(value, kind):
            self.type_err(where, _kind_name(kind), value)
            return None if default is ... else default
        return value

    def type_err(self, where: str, expected: str, value) -> None:
        self.err(
            where,
            f"expected {expected}, got {value!r}",
            "type_invalid",
            expected=expected,
            value=repr(value),
        )

    def too_small(self, where: str, minimum, value) -> None:
        self.err(
            where,
            f"must be at least {minimum}, got {value}",
            "too_small",
            minimum=minimum,
            value=value,
        )

    def too_large(self, where: str, maximum, value) -> None:
        self.err(
            where,
            f"must be at most {maximum}, got {value}",
            "too_large",
            maximum=maximum,
            value=value,
        )

    def unknown(self, where: str, what: str, value, allowed) -> None:
        allowed = ", ".join(str(a) for a in allowed)
        self.err(
            where,
            f"unknown {what} {value!r}; use {allowed}",
            "value_unknown",
            value=value,
            allowed=allowed,
        )

    def category_unknown(self, where: str, value) -> None:
        self.err(where, f"unknown category {value!r}", "category_unknown", value=value)

    def texts(self, values, where: str) -> list[str]:
        """The text items of a list; any other item is a problem (and dropped)."""
        out = []
        for i, v in enumerate(values):
            if isinstance(v, str):
                out.append(v)
            else:
                self.type_err(f"{where}[{i}]", "a text", v)
        return out

    def mapping(self, d, key, path, default=...):
        return self.get(d, key, path, Mapping, default=default) or {}

    def integer(self, d, key, path, minimum=None, maximum=None, default=...):
        v = self.get(d, key, path, int, default=default)
        where = f"{path}.{key}"
        if v is None:
            return 0
        if minimum is not None and v < minimum:
            self.too_small(where, minimum, v)
            return minimum
        if maximum is not None and v > maximum:
            self.too_large(where, maximum, v)
            return maximum
        return v

    def decimal(self, value, where, allow_none=False, minimum=Decimal(0)):
        if value is None and allow_none:
            return None
        if value is None and self.problems and self.problems[-1].location == where:
            return Decimal(0)  # already reported (missing, or of the wrong type)
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
                raise InvalidOperation
            d = Decimal(str(value).strip())
            if not d.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.err(
                where, f"expected a number, got {value!r}", "number_invalid", value=repr(value)
            )
            return Decimal(0)
        if d < minimum:
            self.too_small(where, minimum, value)
            return Decimal(minimum)
        return d

    def duration(self, value, where) -> Duration | None:
        if not isinstance(value, str | Duration):
            self.err(
                where,
                f"expected a duration such as 2wh, 3wd, 24h or 15d, got {value!r}",
                "duration_invalid",
                value=repr(value),
            )
            return None
        try:
            d = Duration.parse(value)
        except InputError as e:
            self.err(where, e.message, "duration_invalid", value=repr(value))
            return None
        maximum = MAX_LIMIT[d.unit]
        if d.amount > maximum:
            self.err(
                where,
                f"a limit of {d} is beyond any use; at most {maximum}{d.unit.value}",
                "too_large",
                maximum=f"{maximum}{d.unit.value}",
                value=str(d),
            )
            return None
        return d

    def load(self, data: Any) -> Policy:
        if not isinstance(data, Mapping):
            raise PolicyError(
                [
                    Problem(
                        "",
                        "a policy must be a mapping of sections",
                        "type_invalid",
                        {"expected": "a mapping of sections", "value": repr(data)[:200]},
                    )
                ],
                self.source,
            )
        known = {
            "version",
            "name",
            "currency",
            "categories",
            "calendar",
            "severity",
            "sla",
            "authority",
            "workflow",
            "satisfaction",
            "numbering",
            "retention",
            "intake",
            "customers",
        }
        for key in data:
            if key not in known:
                self.err(str(key), "unknown section", "section_unknown", section=key)
        categories = self.categories(self.mapping(data, "categories", ""))
        policy = Policy(
            version=str(self.get(data, "version", "", default="0")),
            name=str(self.get(data, "name", "", default="policy")),
            currency=str(self.get(data, "currency", "", str, default="CNY")),
            categories=categories,
            calendar=self.calendar(self.mapping(data, "calendar", "")),
            severity=self.severity(self.mapping(data, "severity", ""), categories),
            sla=self.sla(self.mapping(data, "sla", ""), categories),
            authority=self.authority(self.mapping(data, "authority", ""), categories),
            workflow=self.workflow(self.mapping(data, "workflow", "")),
            satisfaction=self.satisfaction(self.mapping(data, "satisfaction", "")),
            numbering=self.numbering(self.mapping(data, "numbering", "")),
            retention=self.retention(self.mapping(data, "retention", "")),
            intake=self.intake(self.mapping(data, "intake", "", default={})),
        )
        # the promised date names a milestone: read after the milestones
        policy = replace(
            policy,
            customers=self.customers(self.mapping(data, "customers", "", default={}), policy.sla),
        )
        if self.problems:
            raise PolicyError(self.problems, self.source)
        return policy

    def categories(self, d: Mapping) -> dict[str, Category]:
        out: dict[str, Category] = {}
        if not d:
            self.err("categories", "at least one category is required", "empty")
        for code, spec in d.items():
            path = f"categories.{code}"
            if not isinstance(spec, Mapping):
                self.type_err(path, "a mapping", spec)
                continue
            out[str(code)] = Category(
                code=str(code),
                name=str(self.get(spec, "name", path, str) or code),
                name_zh=str(self.get(spec, "name_zh", path, str, default="")),
                parent=self.get(spec, "parent", path, str, default=None, allow_none=True),
                department=self.get(spec, "department", path, str, default=None, allow_none=True),
            )
        for code, cat in out.items():
            if cat.parent is not None and cat.parent not in out:
                self.category_unknown(f"categories.{code}.parent", cat.parent)
            seen, cur = {code}, cat.parent
            while cur in out:
                if cur in seen:
                    self.err(
                        f"categories.{code}.parent",
                        "the category tree has a cycle",
                        "category_cycle",
                    )
                    break
                seen.add(cur)
                cur = out[cur].parent
        return out

    def calendar(self, d: Mapping) -> CalendarSpec:
        tz = self.get(d, "timezone", "calendar", str, default="Asia/Shanghai")
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
            self.err("calendar.timezone", f"unknown time zone {tz!r}", "timezone_unknown", value=tz)
            tz = "UTC"
        country = self.get(d, "holidays", "calendar", str, default=None, allow_none=True)
        if country is not None:
            import holidays as _holidays  # imported late: a slow import, needed only here

            if country not in _holidays.list_supported_countries():
                self.err(
                    "calendar.holidays",
                    f"unknown holiday country {country!r} (a country "
                    "code of the holidays library, e.g. CN, or null for none)",
                    "holidays_country_unknown",
                    value=country,
                )
                country = None
        hours_d = self.mapping(d, "hours", "calendar")
        hours: dict[int, tuple[tuple[int, int], ...]] = {}
        for key in hours_d:
            if key not in WEEKDAYS:
                self.unknown(f"calendar.hours.{key}", "weekday", key, WEEKDAYS)
        for i, wd in enumerate(WEEKDAYS):
            spans = hours_d.get(wd) or []
            path = f"calendar.hours.{wd}"
            if not isinstance(spans, list):
                self.type_err(path, "a list of HH:MM-HH:MM spans", spans)
                spans = []
            parsed: list[tuple[int, int, int, str]] = []
            for j, span in enumerate(spans):
                m = _SPAN_RE.match(span.replace(" ", "")) if isinstance(span, str) else None
                if not m:
                    self.err(
                        f"{path}[{j}]",
                        f"expected a span HH:MM-HH:MM, got {span!r}",
                        "span_invalid",
                        value=repr(span),
                    )
                    continue
                h1, m1, h2, m2 = map(int, m.groups())
                a, b = h1 * 60 + m1, h2 * 60 + m2
                if m1 > 59 or m2 > 59 or not (0 <= a <= 1440 and 0 <= b <= 1440):
                    self.err(
                        f"{path}[{j}]",
                        f"span {span!r} is not within 00:00-24:00",
                        "span_out_of_day",
                        value=span,
                    )
                    continue
                if a >= b:
                    self.err(
                        f"{path}[{j}]",
                        f"span {span!r} must start before it ends",
                        "span_order",
                        value=span,
                    )
                    continue
                parsed.append((a, b, j, span))
            kept: list[tuple[int, int, int, str]] = []
            for a, b, j, span in sorted(parsed):
                if kept and a < kept[-1][1]:
                    other = kept[-1][3]
                    self.err(
                        f"{path}[{j}]",
                        f"span {span!r} overlaps the span {other!r}",
                        "hours_overlap",
                        value=span,
                        other=other,
                    )
                    continue
                kept.append((a, b, j, span))
            hours[i] = tuple((a, b) for a, b, _, _ in kept)
        if hours_d and not any(hours.values()):
            self.err("calendar.hours", "no working time on any weekday", "calendar_empty")
        if not hours_d:
            self.err("calendar.hours", "missing", "missing")
        return CalendarSpec(
            timezone=tz,
            holidays=country,
            hours=hours,
            extra_holidays=self.dates(d, "extra_holidays"),
            extra_workdays=self.dates(d, "extra_workdays"),
        )

    def dates(self, d, key) -> frozenset[date]:
        out = set()
        values = self.get(d, key, "calendar", list, default=[])
        for i, v in enumerate(values or []):
            if isinstance(v, date):
                out.add(v)
                continue
            try:
                if not isinstance(v, str):
                    raise ValueError
                out.add(date.fromisoformat(v.strip()))
            except ValueError:
                self.err(
                    f"calendar.{key}[{i}]",
                    f"expected a date YYYY-MM-DD, got {v!r}",
                    "date_invalid",
                    value=repr(v),
                )
        return frozenset(out)

    def level(self, value, where) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4:
            self.err(
                where,
                f"severity level must be 1, 2, 3 or 4, got {value!r}",
                "level_invalid",
                value=repr(value),
            )
            return 4
        return value

    def severity(self, d: Mapping, categories) -> SeverityPolicy:
        p = "severity"
        cluster = self.mapping(d, "repeat_cluster", p)
        steps = []
        for i, s in enumerate(self.get(d, "escalation", p, list, default=[]) or []):
            where = f"{p}.escalation[{i}]"
            if not isinstance(s, Mapping):
                self.type_err(where, "{after, level}", s)
                continue
            after = self.duration(self.get(s, "after", where), f"{where}.after")
            if after is not None and after.unit in (Unit.WORKING_DAYS, Unit.WORKING_HOURS):
                # SPEC §2 states escalation in clock days; working units are allowed too.
                pass
            steps.append(
                EscalationStep(
                    after or Duration.parse("15d"),
                    self.level(self.get(s, "level", where), f"{where}.level"),
                )
            )
        l4 = self.texts(
            self.get(d, "level4_categories", p, list, default=[]) or [], f"{p}.level4_categories"
        )
        for i, c in enumerate(l4):
            if c not in categories:
                self.category_unknown(f"{p}.level4_categories[{i}]", c)
        window = self.duration(
            self.get(cluster, "window", f"{p}.repeat_cluster", default="30d"),
            f"{p}.repeat_cluster.window",
        )
        return SeverityPolicy(
            major_loss=self.decimal(self.get(d, "major_loss", p), f"{p}.major_loss"),
            departments_level1=self.integer(d, "departments_level1", p, minimum=1),
            departments_level2=self.integer(d, "departments_level2", p, minimum=1),
            repeated_complaints=self.integer(d, "repeated_complaints", p, minimum=1, default=2),
            cluster_customers=self.integer(cluster, "customers", f"{p}.repeat_cluster", minimum=2),
            cluster_window=window or Duration.parse("30d"),
            level4_categories=frozenset(l4),
            default_level=self.level(
                self.get(d, "default_level", p, default=4), f"{p}.default_level"
            ),
            vip_uplift=self.integer(d, "vip_uplift", p, minimum=0, maximum=3, default=1),
            escalation=tuple(sorted(steps, key=lambda s: (s.after.unit, s.after.amount))),
        )

    def condition(self, d, where) -> Condition:
        if d is None:
            return Condition()
        if not isinstance(d, Mapping):
            self.type_err(where, "a mapping of conditions", d)
            return Condition()
        known = {"kinds", "categories", "channels", "levels", "transferred", "escalated"}
        for k in d:
            if k not in known:
                self.unknown(f"{where}.{k}", "condition", k, sorted(known))

        def enum_set(key, enum):
            vals = d.get(key)
            if vals is None:
                return None
            return self.enum_items(
                vals if isinstance(vals, list) else [vals], f"{where}.{key}", enum, "value"
            )

        levels = d.get("levels")
        if levels is not None:
            levels = frozenset(
                self.level(v, f"{where}.levels[{i}]")
                for i, v in enumerate(levels if isinstance(levels, list) else [levels])
            )
        cats = d.get("categories")
        if cats is not None:
            cats = frozenset(
                self.texts(cats if isinstance(cats, list) else [cats], f"{where}.categories")
            )
            for c in sorted(cats):
                if c not in self._categories:
                    self.category_unknown(f"{where}.categories", c)
        for flag in ("transferred", "escalated"):
            if flag in d and not isinstance(d[flag], bool):
                self.type_err(f"{where}.{flag}", "true or false", d[flag])
        return Condition(
            kinds=enum_set("kinds", Kind),
            categories=cats,
            channels=enum_set("channels", Channel),
            levels=levels,
            transferred=d.get("transferred") if isinstance(d.get("transferred"), bool) else None,
            escalated=d.get("escalated") if isinstance(d.get("escalated"), bool) else None,
        )

    def sla(self, d: Mapping, categories) -> SlaPolicy:
        self._categories = categories
        before = len(self.problems)
        ratio = self.decimal(
            self.get(d, "warning_ratio", "sla", default="0.8"), "sla.warning_ratio"
        )
        if len(self.problems) > before:
            ratio = Decimal("0.8")
        elif not Decimal(0) < ratio < Decimal(1):
            self.err(
                "sla.warning_ratio",
                f"must be between 0 and 1 (both excluded), got {ratio}",
                "ratio_out_of_range",
                value=ratio,
            )
            ratio = Decimal("0.8")
        out, seen = [], set()
        for i, m in enumerate(self.get(d, "milestones", "sla", list) or []):
            where = f"sla.milestones[{i}]"
            if not isinstance(m, Mapping):
                self.type_err(where, "a milestone mapping", m)
                continue
            code = self.get(m, "code", where, str) or f"milestone{i}"
            where = f"sla.milestones[{i}]({code})"
            if code in seen:
                self.err(where, f"duplicate milestone code {code!r}", "duplicate", value=code)
            seen.add(code)
            start = self.get(m, "start", where, str, default="registered")
            if start not in START_EVENTS:
                self.unknown(f"{where}.start", "start event", start, START_EVENTS)
            rules = []
            raw_rules = self.get(m, "rules", where, list) or []
            if not raw_rules:
                self.err(f"{where}.rules", "at least one rule with a limit is required", "empty")
            for j, r in enumerate(raw_rules):
                rw = f"{where}.rules[{j}]"
                if not isinstance(r, Mapping):
                    self.type_err(rw, "{limit, when}", r)
                    continue
                raw = self.get(r, "limit", rw)
                limit = None if raw == AUTHORITY_LIMIT else self.duration(raw, f"{rw}.limit")
                rules.append(MilestoneRule(limit, self.condition(r.get("when"), f"{rw}.when")))
            out.append(
                MilestoneSpec(
                    code=code,
                    name=str(self.get(m, "name", where, str, default=code)),
                    name_zh=str(self.get(m, "name_zh", where, str, default="")),
                    start=start,
                    rules=tuple(rules),
                    when=self.condition(m.get("when"), f"{where}.when"),
                )
            )
        return SlaPolicy(ratio, tuple(out))

    def authority(self, d: Mapping, categories) -> AuthorityPolicy:
        p = "authority"
        levels: list[AuthorityLevel] = []
        raw = self.get(d, "levels", p, list) or []
        if not raw:
            self.err(f"{p}.levels", "at least one authority level is required", "empty")
        for i, lv in enumerate(raw):
            where = f"{p}.levels[{i}]"
            if not isinstance(lv, Mapping):
                self.type_err(where, "{code, name, up_to}", lv)
                continue
            up_to = self.decimal(
                self.get(lv, "up_to", where, default=None, allow_none=True),
                f"{where}.up_to",
                allow_none=True,
            )
            levels.append(
                AuthorityLevel(
                    code=str(self.get(lv, "code", where, str) or f"level{i}"),
                    name=str(self.get(lv, "name", where, str, default=lv.get("code", ""))),
                    up_to=up_to,
                    name_zh=str(self.get(lv, "name_zh", where, str, default="")),
                )
            )
        codes = [lv.code for lv in levels]
        if len(set(codes)) != len(codes):
            dup = sorted({c for c in codes if codes.count(c) > 1})
            self.err(
                f"{p}.levels",
                f"authority level codes must be unique ({', '.join(dup)})",
                "duplicate",
                value=", ".join(dup),
            )
        limits = [lv.up_to for lv in levels]
        for i, (a, b) in enumerate(zip(limits, limits[1:], strict=False)):
            if a is None:
                self.err(
                    f"{p}.levels[{i}].up_to",
                    "only the highest level may be unlimited",
                    "unlimited_not_highest",
                )
            elif b is not None and b <= a:
                self.err(
                    f"{p}.levels[{i + 1}].up_to",
                    f"limits must rise from level to level ({b} after {a})",
                    "limits_not_rising",
                    value=b,
                    previous=a,
                )
        if limits and limits[-1] is not None:
            self.err(
                f"{p}.levels[{len(limits) - 1}].up_to",
                "the highest level must be unlimited (null), so every cost has an approver",
                "highest_limited",
            )
        l1 = self.get(d, "level1_requires", p, str, default=codes[-1] if codes else "")
        inv = self.get(d, "investigation_level", p, str, default=codes[0] if codes else "")
        for key, code in (("level1_requires", l1), ("investigation_level", inv)):
            if codes and code not in codes:
                self.err(
                    f"{p}.{key}",
                    f"unknown authority level {code!r}",
                    "authority_level_unknown",
                    value=code,
                )
        two = self.texts(
            self.get(d, "two_stage_categories", p, list, default=[]) or [],
            f"{p}.two_stage_categories",
        )
        for i, c in enumerate(two):
            if c not in categories:
                self.category_unknown(f"{p}.two_stage_categories[{i}]", c)
        return AuthorityPolicy(
            levels=tuple(levels),
            level1_requires=l1,
            two_stage_categories=frozenset(two),
            investigation_level=inv,
            cash_requires_reason=bool(self.get(d, "cash_requires_reason", p, bool, default=True)),
        )

    def roles(self, values, where) -> frozenset[Role]:
        if not isinstance(values, list):
            self.type_err(where, "a list of roles", values)
            return frozenset()
        return self.enum_items(values, where, Role, "role")

    def enum_items(self, values: list, where: str, enum, what: str, allowed=None) -> frozenset:
        """The members of ``enum`` named in ``values`` (among ``allowed`` names when
        given); each other value is a problem at ``where[i]``."""
        names = list(allowed) if allowed is not None else [e.value for e in enum]
        out = set()
        for i, v in enumerate(values):
            if v in names:
                out.add(enum(v))
            else:
                self.unknown(f"{where}[{i}]", what, v, names)
        return frozenset(out)

    def workflow(self, d: Mapping) -> WorkflowPolicy:
        p = "workflow"
        roles_d = self.mapping(d, "roles", p)
        roles = {}
        for action in roles_d:
            if action not in WORKFLOW_ACTIONS:
                self.unknown(f"{p}.roles.{action}", "workflow action", action, WORKFLOW_ACTIONS)
        for action in WORKFLOW_ACTIONS:
            source = action
            if action not in roles_d and ACTION_ROLE_DEFAULTS.get(action) in roles_d:
                source = ACTION_ROLE_DEFAULTS[action]
            if source not in roles_d:
                self.err(f"{p}.roles.{action}", "missing", "missing")
                continue
            roles[action] = self.roles(roles_d[source], f"{p}.roles.{source}")
        return WorkflowPolicy(
            roles=roles,
            quality_signoff_roles=self.roles(
                self.get(d, "quality_signoff_roles", p, default=["quality"]),
                f"{p}.quality_signoff_roles",
            ),
            lower_severity_roles=self.roles(
                self.get(d, "lower_severity_roles", p, default=["manager"]),
                f"{p}.lower_severity_roles",
            ),
            dissatisfied_close_roles=self.roles(
                self.get(d, "dissatisfied_close_roles", p, default=["manager"]),
                f"{p}.dissatisfied_close_roles",
            ),
        )

    def satisfaction(self, d: Mapping) -> SatisfactionPolicy:
        p = "satisfaction"
        scale = []
        for i, s in enumerate(self.get(d, "scale", p, list) or []):
            where = f"{p}.scale[{i}]"
            if not isinstance(s, Mapping):
                self.type_err(where, "{value, code, name}", s)
                continue
            scale.append(
                ScalePoint(
                    value=self.integer(s, "value", where),
                    code=str(self.get(s, "code", where, str) or f"point{i}"),
                    name=str(self.get(s, "name", where, str) or ""),
                    name_zh=str(self.get(s, "name_zh", where, str, default="")),
                )
            )
        values = {s.value for s in scale}
        if len(values) != len(scale):
            self.err(
                f"{p}.scale",
                "scale values must be unique",
                "duplicate",
                value=", ".join(
                    str(v)
                    for v in sorted(
                        {s.value for s in scale if [t.value for t in scale].count(s.value) > 1}
                    )
                ),
            )
        sets = {}
        for key in ("satisfied", "dissatisfied"):
            vals = self.get(d, key, p, list) or []
            ok = []
            for i, v in enumerate(vals):
                if not _is(v, int):
                    self.type_err(f"{p}.{key}[{i}]", "a whole number", v)
                elif v not in values:
                    self.err(
                        f"{p}.{key}[{i}]",
                        f"{v!r} is not a value of the scale",
                        "not_on_scale",
                        value=v,
                    )
                else:
                    ok.append(v)
            sets[key] = frozenset(ok)
        both = sets["satisfied"] & sets["dissatisfied"]
        if both:
            self.err(
                p,
                "a value cannot be both satisfied and dissatisfied "
                f"({', '.join(str(v) for v in sorted(both))})",
                "satisfied_and_dissatisfied",
                value=", ".join(str(v) for v in sorted(both)),
            )
        return SatisfactionPolicy(tuple(scale), sets["satisfied"], sets["dissatisfied"])

    def numbering(self, d: Mapping) -> NumberingPolicy:
        # imported here: complaint_core.numbering imports this package (a cycle)
        from ..numbering import validate_pattern

        pattern = self.get(d, "pattern", "numbering", str, default="{yy}{mm}{dd}{seq:03d}")
        for msg in validate_pattern(pattern or ""):
            self.err("numbering.pattern", msg, "pattern_invalid", detail=msg)
        reset = self.get(d, "reset", "numbering", str, default="yearly")
        if reset not in RESETS:
            self.unknown("numbering.reset", "reset", reset, RESETS)
        return NumberingPolicy(pattern or "", reset)

    def intake(self, d: Mapping) -> IntakePolicy:
        for key in d:
            if key != "clock_skew":
                self.unknown(f"intake.{key}", "setting", key, ["clock_skew"])
        raw = self.get(d, "clock_skew", "intake", str, default="5m")
        m = _SKEW_RE.match(raw or "")
        if not m:
            self.err(
                "intake.clock_skew",
                f"expected minutes or hours such as 5m or 1h, got {raw!r}",
                "duration_invalid",
                value=repr(raw),
            )
            return IntakePolicy()
        n, unit = int(m.group(1)), m.group(2)
        skew = timedelta(minutes=n) if unit == "m" else timedelta(hours=n)
        if skew > MAX_CLOCK_SKEW:
            self.too_large("intake.clock_skew", "24h", raw)
            return IntakePolicy()
        return IntakePolicy(skew)

    def customers(self, d: Mapping, sla: SlaPolicy) -> CustomerPolicy:
        p = "customers"
        keys = ("acknowledge_channels", "promise_milestone", "notify_states", "dissatisfied")
        for key in d:
            if key not in keys:
                self.unknown(f"{p}.{key}", "setting", key, keys)
        default = CustomerPolicy()
        channels = self.choices(
            d, "acknowledge_channels", p, Channel, [c.value for c in Channel], "channel"
        )
        states = self.choices(d, "notify_states", p, State, list(NOTICE_STATES), "state")
        promise = self.get(d, "promise_milestone", p, str, default=default.promise_milestone)
        codes = [m.code for m in sla.milestones]
        if promise is not None and sla.milestones and promise not in codes:
            self.unknown(f"{p}.promise_milestone", "milestone", promise, codes)
        response = self.get(d, "dissatisfied", p, str, default=default.dissatisfied)
        if response not in DISSATISFIED_RESPONSES:
            self.unknown(f"{p}.dissatisfied", "response", response, DISSATISFIED_RESPONSES)
            response = default.dissatisfied
        return CustomerPolicy(
            acknowledge_channels=default.acknowledge_channels if channels is None else channels,
            promise_milestone=promise or default.promise_milestone,
            notify_states=default.notify_states if states is None else states,
            dissatisfied=response,
        )

    def choices(self, d: Mapping, key: str, path: str, kind, allowed, what: str):
        """A list of values of the enum ``kind`` among ``allowed``; None when absent."""
        if key not in d:
            return None
        values = self.get(d, key, path, list)
        if values is None:
            return frozenset()
        return self.enum_items(values, f"{path}.{key}", kind, what, allowed)

    def retention(self, d: Mapping) -> RetentionPolicy:
        before = len(self.problems)
        years = self.integer(
            d, "years", "retention", minimum=1, maximum=MAX_RETENTION_YEARS, default=3
        )
        important = self.integer(
            d, "important_years", "retention", minimum=1, maximum=MAX_RETENTION_YEARS, default=years
        )
        if important < years and len(self.problems) == before:
            self.err(
                "retention.important_years",
                f"important complaints are kept at least as long as the others ({years} years)",
                "too_small",
                minimum=years,
                value=important,
            )
        return RetentionPolicy(years, important, self.personal_fields(d))

    def personal_fields(self, d: Mapping) -> tuple[str, ...]:
        """``retention.personal_fields``: the free-text fields anonymisation blanks
        besides the contact details. Field names (lower case, digits, ``_``), each
        once, and never a field the statistics read (SPEC §6 "keeping the
        statistics": blanking one would change the figures of a past month)."""
        where = "retention.personal_fields"
        values = self.get(d, "personal_fields", "retention", list, default=None)
        if values is None:
            return DEFAULT_PERSONAL_TEXT_FIELDS if "personal_fields" not in d else ()
        # imported here: retention (and the statistics it asks) import the policy
        from ..retention import statistics_fields

        kept: list[str] = []
        for i, name in enumerate(self.texts(values, where)):
            at = f"{where}[{i}]"
            if not _FIELD_NAME_RE.match(name):
                self.err(
                    at,
                    f"expected a field name (lower case letters, digits and _), got {name!r}",
                    "field_name_invalid",
                    value=name,
                )
            elif name in statistics_fields():
                self.err(
                    at,
                    f"{name!r} is read by the statistics; anonymising keeps it",
                    "statistics_field",
                    value=name,
                )
            elif name in kept:
                self.err(at, f"{name!r} is named twice", "duplicate", value=name)
            else:
                kept.append(name)
        return tuple(kept)


def _is(value, kind) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _kind_name(kind) -> str:
    return {
        Mapping: "a mapping",
        list: "a list",
        str: "a text",
        int: "a whole number",
        bool: "true or false",
    }.get(kind, getattr(kind, "__name__", str(kind)))
