"""Default configuration records, created from the core's validated default
Policy (data/default_policy.yaml read by the core's own loader): SPEC's defaults
become editable records. The mapping back (records -> policy data) is each
configuration model's `_spec_data()`; the round trip is tested
(tests/test_policy.py: the records reproduce the default Policy)."""

from datetime import date

from complaint_core.model import Kind
from complaint_core.policy import default_policy


def _load(env, model, xmlid, values):
    """Create a record with an XML id (noupdate), so demo data and other
    modules can refer to it."""
    return env[model]._load_records(
        [{"xml_id": f"customer_complaint.{xmlid}", "values": values, "noupdate": True}]
    )


def _department_name(code):
    return code.replace("_", " ").capitalize()


def _milestone_values(spec, categories):
    """A typed MilestoneSpec as a complaint.sla.milestone record: the rule for
    levels 1-2 / escalated is the severe limit, the rule for requests the
    request limit, the unconditional one the limit (None: the authority's)."""
    kinds = spec.when.kinds
    only = sorted(spec.when.categories or ())
    vals = {
        "code": spec.code,
        "name": spec.name,
        "start_event": spec.start,
        "apply_complaint": not kinds or Kind.COMPLAINT in kinds,
        "apply_request": not kinds or Kind.REQUEST in kinds,
        "apply_suggestion": not kinds or Kind.SUGGESTION in kinds,
        "transferred_only": bool(spec.when.transferred),
        "category_ids": [(6, 0, [categories[c].id for c in only if c in categories])],
    }
    for rule in spec.rules:
        limit = str(rule.limit) if rule.limit is not None else "authority"
        if rule.when.levels or rule.when.escalated:
            vals["limit_severe"] = limit
        elif rule.when.kinds:
            vals["limit_request"] = limit
        else:
            vals["limit"] = limit
    vals.setdefault("limit", vals.get("limit_severe") or "3wd")
    return vals


def _hour(minutes):
    return minutes / 60


def post_init_hook(env):
    policy = default_policy()
    company = env.ref("base.main_company", raise_if_not_found=False) or env.company
    zh = bool(env["res.lang"]._lang_get("zh_CN"))

    departments = {}
    for cat in policy.categories.values():
        code = cat.department
        if code and code not in departments:
            departments[code] = _load(
                env,
                "complaint.department",
                f"complaint_department_{code}",
                {"code": code, "name": _department_name(code), "company_id": company.id},
            )
    categories = {}
    pending = list(policy.categories.values())
    while pending:  # parents before their children
        cat = next(c for c in pending if not c.parent or c.parent in categories)
        pending.remove(cat)
        categories[cat.code] = _load(
            env,
            "complaint.category",
            f"complaint_category_{cat.code}",
            {
                "code": cat.code,
                "name": cat.name,
                "parent_id": categories[cat.parent].id if cat.parent else False,
                "department_id": departments[cat.department].id if cat.department else False,
            },
        )
        if cat.name_zh and zh:
            categories[cat.code].with_context(lang="zh_CN").name = cat.name_zh

    cal = policy.calendar
    hours = [
        (0, 0, {"weekday": str(weekday), "hour_from": _hour(a), "hour_to": _hour(b)})
        for weekday, spans in sorted(cal.hours.items())
        for a, b in spans
    ]
    calendar = _load(
        env,
        "complaint.calendar",
        "complaint_calendar_china",
        {
            "name": "China (Mon-Fri 09:00-12:00, 13:00-18:00)",
            "timezone": cal.timezone,
            "holidays_country": cal.holidays or False,
            "company_id": company.id,
            "hour_ids": hours,
        },
    )

    for seq, spec in enumerate(policy.sla.milestones, start=1):
        _load(
            env,
            "complaint.sla.milestone",
            f"complaint_sla_milestone_{spec.code}",
            {**_milestone_values(spec, categories), "sequence": seq * 10, "company_id": company.id},
        )

    levels = {}
    for seq, lv in enumerate(policy.authority.levels, start=1):
        levels[lv.code] = _load(
            env,
            "complaint.authority.level",
            f"complaint_authority_level_{lv.code}",
            {
                "code": lv.code,
                "name": lv.name,
                "sequence": seq * 10,
                "up_to": float(lv.up_to) if lv.up_to is not None else 0.0,
                "unlimited": lv.up_to is None,
                "company_id": company.id,
            },
        )

    sev, auth = policy.severity, policy.authority
    steps = {s.level: str(s.after) for s in sev.escalation}
    _load(
        env,
        "complaint.policy",
        "complaint_policy_main",
        {
            "company_id": company.id,
            "calendar_id": calendar.id,
            "warning_ratio": float(policy.sla.warning_ratio),
            "major_loss": float(sev.major_loss),
            "departments_level1": sev.departments_level1,
            "departments_level2": sev.departments_level2,
            "repeated_complaints": sev.repeated_complaints,
            "cluster_customers": sev.cluster_customers,
            "cluster_window": str(sev.cluster_window),
            "level4_category_ids": [
                (6, 0, [categories[c].id for c in sorted(sev.level4_categories)])
            ],
            "default_level": str(sev.default_level),
            "vip_uplift": sev.vip_uplift,
            "escalation_level2_after": steps.get(2, False),
            "escalation_level1_after": steps.get(1, False),
            "level1_requires_id": levels[auth.level1_requires].id,
            "investigation_level_id": levels[auth.investigation_level].id,
            "two_stage_category_ids": [
                (6, 0, [categories[c].id for c in sorted(auth.two_stage_categories)])
            ],
            "cash_requires_reason": auth.cash_requires_reason,
            "numbering_pattern": policy.numbering.pattern,
            "numbering_reset": policy.numbering.reset,
            "retention_years": policy.retention.years,
            "retention_important_years": policy.retention.important_years,
        },
    )
    env["complaint.policy"]._invalidate_policy_cache()
    env["complaint.policy"]._complaint_calendar(company)  # the core validates what was made
    _year_range(env)
    _translate_records(env)


def _translate_records(env):
    """Odoo loads i18n/*.po before this hook runs, so the records made above
    (departments, milestones, authority levels, calendar) would stay English
    for languages installed before the module: load their terms again now."""
    langs = [code for code, _name in env["res.lang"].get_installed() if code != "en_US"]
    if langs:
        env["ir.module.module"]._load_module_terms(["customer_complaint"], langs)


def _year_range(env):
    """The numbering sequence's range for this year, made at install, so the
    first registrations of the year never race to create it."""
    sequence = env.ref("customer_complaint.seq_customer_complaint", raise_if_not_found=False)
    if not sequence:
        return
    today = date.today()
    if not env["ir.sequence.date_range"].search_count(
        [("sequence_id", "=", sequence.id), ("date_from", "<=", today), ("date_to", ">=", today)]
    ):
        env["ir.sequence.date_range"].create(
            {
                "sequence_id": sequence.id,
                "date_from": date(today.year, 1, 1),
                "date_to": date(today.year, 12, 31),
            }
        )
