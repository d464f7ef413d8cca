"""Default configuration records, created from the core's default policy
(data/default_policy.yaml): SPEC's defaults become editable records."""

from complaint_core.policy import WEEKDAYS, default_policy_data


def _load(env, model, xmlid, values):
    """Create a record with an XML id (noupdate), so demo data and other
    modules can refer to it."""
    return env[model]._load_records(
        [{"xml_id": f"customer_complaint.{xmlid}", "values": values, "noupdate": True}]
    )


def _department_name(code):
    return code.replace("_", " ").capitalize()


def _span(text):
    start, end = text.split("-")
    h1, m1 = start.split(":")
    h2, m2 = end.split(":")
    return int(h1) + int(m1) / 60, int(h2) + int(m2) / 60


def _milestone_values(spec, categories):
    """A milestone of the policy data as a complaint.sla.milestone record."""
    when = spec.get("when") or {}
    kinds = when.get("kinds")
    vals = {
        "code": spec["code"],
        "name": spec.get("name", spec["code"]),
        "start_event": spec.get("start", "registered"),
        "apply_complaint": not kinds or "complaint" in kinds,
        "apply_request": not kinds or "request" in kinds,
        "apply_suggestion": not kinds or "suggestion" in kinds,
        "transferred_only": bool(when.get("transferred")),
        "category_ids": [
            (6, 0, [categories[c].id for c in when.get("categories", []) if c in categories])
        ],
    }
    for rule in spec.get("rules", []):
        rule_when = rule.get("when") or {}
        limit = str(rule["limit"])
        if "levels" in rule_when or "escalated" in rule_when:
            vals["limit_severe"] = limit
        elif "kinds" in rule_when:
            vals["limit_request"] = limit
        else:
            vals["limit"] = limit
    vals.setdefault("limit", vals.get("limit_severe") or "3wd")
    return vals


def post_init_hook(env):
    data = default_policy_data()
    company = env.ref("base.main_company", raise_if_not_found=False) or env.company

    departments = {}
    for cat in data["categories"].values():
        code = cat.get("department")
        if code and code not in departments:
            departments[code] = _load(
                env,
                "complaint.department",
                f"complaint_department_{code}",
                {"code": code, "name": _department_name(code), "company_id": company.id},
            )
    categories = {}
    for code, cat in data["categories"].items():  # parents first in the default data
        categories[code] = _load(
            env,
            "complaint.category",
            f"complaint_category_{code}",
            {
                "code": code,
                "name": cat.get("name", code),
                "parent_id": categories[cat["parent"]].id
                if cat.get("parent") in categories
                else False,
                "department_id": departments[cat["department"]].id
                if cat.get("department")
                else False,
            },
        )
        if cat.get("name_zh") and env["res.lang"]._lang_get("zh_CN"):
            categories[code].with_context(lang="zh_CN").name = cat["name_zh"]

    cal = data["calendar"]
    hours = []
    for i, wd in enumerate(WEEKDAYS):
        for span in cal["hours"].get(wd) or []:
            start, end = _span(span)
            hours.append((0, 0, {"weekday": str(i), "hour_from": start, "hour_to": end}))
    calendar = _load(
        env,
        "complaint.calendar",
        "complaint_calendar_china",
        {
            "name": "China (Mon-Fri 09:00-12:00, 13:00-18:00)",
            "timezone": cal["timezone"],
            "holidays_country": cal.get("holidays") or False,
            "company_id": company.id,
            "hour_ids": hours,
        },
    )

    for seq, spec in enumerate(data["sla"]["milestones"], start=1):
        _load(
            env,
            "complaint.sla.milestone",
            f"complaint_sla_milestone_{spec['code']}",
            {
                **_milestone_values(spec, categories),
                "sequence": seq * 10,
                "company_id": company.id,
            },
        )

    levels = {}
    for seq, lv in enumerate(data["authority"]["levels"], start=1):
        levels[lv["code"]] = _load(
            env,
            "complaint.authority.level",
            f"complaint_authority_level_{lv['code']}",
            {
                "code": lv["code"],
                "name": lv.get("name", lv["code"]),
                "sequence": seq * 10,
                "up_to": float(lv["up_to"]) if lv.get("up_to") is not None else 0.0,
                "unlimited": lv.get("up_to") is None,
                "company_id": company.id,
            },
        )

    sev, auth, sla = data["severity"], data["authority"], data["sla"]
    steps = {s["level"]: s["after"] for s in sev.get("escalation", [])}
    _load(
        env,
        "complaint.policy",
        "complaint_policy_main",
        {
            "company_id": company.id,
            "calendar_id": calendar.id,
            "warning_ratio": float(sla["warning_ratio"]),
            "major_loss": float(sev["major_loss"]),
            "departments_level1": sev["departments_level1"],
            "departments_level2": sev["departments_level2"],
            "repeated_complaints": sev.get("repeated_complaints", 2),
            "cluster_customers": sev["repeat_cluster"]["customers"],
            "cluster_window": sev["repeat_cluster"]["window"],
            "level4_category_ids": [(6, 0, [categories[c].id for c in sev["level4_categories"]])],
            "default_level": str(sev.get("default_level", 4)),
            "vip_uplift": sev.get("vip_uplift", 1),
            "escalation_level2_after": steps.get(2, False),
            "escalation_level1_after": steps.get(1, False),
            "level1_requires_id": levels[auth["level1_requires"]].id,
            "investigation_level_id": levels[auth["investigation_level"]].id,
            "two_stage_category_ids": [
                (6, 0, [categories[c].id for c in auth["two_stage_categories"]])
            ],
            "cash_requires_reason": auth.get("cash_requires_reason", True),
            "numbering_pattern": data["numbering"]["pattern"],
            "numbering_reset": data["numbering"]["reset"],
            "retention_years": data["retention"]["years"],
            "retention_important_years": data["retention"]["important_years"],
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
    from datetime import date

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
