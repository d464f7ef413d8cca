"""The `complaints` command: the core's headless face (the imperative shell).

Bad input never shows a traceback: it prints one line on stderr and exits 2.
`policy check` exits 1 with every problem listed when a policy is invalid.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import click

from . import approval, numbering, sla, stats, workflow
from .calendar import BusinessCalendar
from .errors import ComplaintError, InputError, PolicyError
from .facts import Facts, facts_from_json, parse_instant
from .model import (
    Channel,
    Complaint,
    Customer,
    Duration,
    Finding,
    Kind,
    PriorComplaint,
    Remedy,
    RemedyType,
    Role,
    State,
)
from .policy import Policy, default_policy, load_policy
from .severity import assess_severity, escalation_schedule

EXIT_BAD_INPUT = 2
EXIT_INVALID_POLICY = 1


def _policy(path: str | None) -> Policy:
    return load_policy(path) if path else default_policy()


policy_option = click.option(
    "--policy",
    "policy_path",
    type=click.Path(dir_okay=False),
    help="Policy file (YAML or TOML); default: SPEC's defaults.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="complaint_core")
def cli():
    """Customer-complaint rules: severity, deadlines, approvals, statistics."""


# -- deadline -------------------------------------------------------------


@cli.command()
@click.argument("start")
@click.argument("duration")
@policy_option
def deadline(start, duration, policy_path):
    """Print the due time of DURATION (2wh, 3wd, 24h, 15d) from START.

    START is an ISO-8601 date-time with an offset; the answer keeps that offset.
    """
    t = parse_instant(start, "START")
    d = Duration.parse(duration)
    cal = BusinessCalendar.from_policy(_policy(policy_path))
    try:
        due = cal.add(t, d)
    except OverflowError:  # the calendar's clock-time path does not check its range itself
        raise InputError(
            f"DURATION: {d} from {t.isoformat()} is beyond the last date",
            code="datetime_out_of_range",
            field="DURATION",
            value=str(d),
        ) from None
    click.echo(due.isoformat())


# -- assess ---------------------------------------------------------------


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


def assess_one(facts: Facts, policy: Policy, cal: BusinessCalendar, at: datetime) -> dict:
    """Everything the rules say about one complaint at instant ``at``."""
    c = facts.complaint
    sev = assess_severity(c, policy, now=at, calendar=cal)
    milestones = sla.plan_milestones(
        c,
        policy,
        cal,
        level=sev.level,
        escalated=sev.escalated,
        events=facts.events,
        done=facts.done,
    )
    out = {
        "number": c.number or None,
        "severity": {
            "level": sev.level,
            "computed_level": sev.computed_level,
            "escalated": sev.escalated,
            "reasons": [
                {"code": r.code, "level": r.level, "detail": r.detail} for r in sev.reasons
            ],
            "repeat_cluster": None
            if sev.cluster is None
            else {
                "by": sev.cluster.key,
                "value": sev.cluster.value,
                "customers": sorted(sev.cluster.customers),
            },
        },
        "milestones": [
            {
                "code": m.code,
                "name": m.name,
                "limit": str(m.limit) if m.limit else None,
                "start": _iso(m.start),
                "due": _iso(m.due),
                "done": _iso(m.done),
                "status": str(sla.milestone_status(m, at, policy, cal, paused=c.paused)),
            }
            for m in milestones
        ],
        "escalation": [
            {
                "level": e.level,
                "after": str(e.after),
                "at": _iso(e.at),
                "reached": e.at <= at and (c.closed_at is None or c.closed_at > at),
            }
            for e in escalation_schedule(c, policy, cal)
        ],
        "remedies": None,
    }
    if c.remedies:
        approval.check_remedies(c.remedies, policy)

        def route(remedies):
            r = approval.approval_route(c.category, sev.level, remedies, policy)
            return {
                "cost": str(r.cost),
                "route": [{"stage": s.code, "level": s.level} for s in r.stages],
            }

        out["remedies"] = {
            **route(c.remedies),
            "lines": [
                {"type": str(r.type), "amount": str(r.amount), **route((r,))} for r in c.remedies
            ],
        }
    return out


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@policy_option
@click.option("--at", "at_text", help="Instant to assess at (ISO-8601 with offset); default: now.")
def assess(file, policy_path, at_text):
    """Assess a complaint (or a list of them) given as JSON: severity with reasons,
    milestones with due times and status, escalation, approval routes."""
    policy = _policy(policy_path)
    cal = BusinessCalendar.from_policy(policy)
    at = parse_instant(at_text, "--at") if at_text is not None else datetime.now(UTC)
    data = _read_json(file)
    items = data if isinstance(data, list) else [data]
    results = []
    for i, item in enumerate(items):
        where = f"complaint[{i}]" if isinstance(data, list) else "complaint"
        results.append(assess_one(facts_from_json(item, policy, where), policy, cal, at))
    click.echo(
        json.dumps(results if isinstance(data, list) else results[0], ensure_ascii=False, indent=2)
    )


def _read_json(file: str):
    try:
        text = Path(file).read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{file}: cannot read: {e.strerror}", code="file_unreadable") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{file}: not UTF-8 text (byte {e.start})", code="file_not_utf8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{file}:{e.lineno}:{e.colno}: malformed JSON: {e.msg}", code="json_invalid"
        ) from None
    except ValueError as e:  # e.g. an integer with more digits than Python reads
        raise InputError(
            f"{file}: malformed JSON: {str(e).splitlines()[0]}", code="json_invalid"
        ) from None
    except RecursionError:
        raise InputError(
            f"{file}: malformed JSON: nested too deeply", code="json_invalid"
        ) from None


# -- policy check -----------------------------------------------------------


@cli.group()
def policy():
    """Work with policy files."""


@policy.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def policy_check(file):
    """Validate a policy file; exit 1 listing every problem."""
    try:
        p = load_policy(file)
    except PolicyError as e:
        click.echo(f"{file}: {len(e.problems)} problem(s)", err=True)
        for problem in e.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(EXIT_INVALID_POLICY)
    click.echo(
        f"{file}: valid policy {p.name!r} version {p.version} "
        f"({len(p.categories)} categories, {len(p.sla.milestones)} milestones, "
        f"{len(p.authority.levels)} authority levels)"
    )


# -- stats ------------------------------------------------------------------


_format_option = click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(list(stats.FORMATS)),
)


def _period(file: str, records, month: str | None, period: str | None, policy: Policy):
    """(label, start, end) of ``--period`` (or ``--month``); default: the month
    of the latest complaint in the file."""
    if month and period:
        raise click.UsageError("give --period or --month, not both")
    if month:
        start, end = stats.month_bounds(month, policy)
        return month.strip(), start, end
    if not period:
        if not records:
            raise InputError(f"{file}: no complaints in the file; give --period", code="no_records")
        tz = BusinessCalendar.from_policy(policy).tz
        period = max(r.received_at for r in records).astimezone(tz).strftime("%Y-%m")
    start, end = stats.period_bounds(period, policy)
    return stats.period_label(period), start, end


@cli.command("stats")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--period",
    help="2026-11 (month), 2026-W48 (ISO week) or 2026-Q4 (quarter); "
    "default: the month of the latest complaint.",
)
@click.option("--month", help="YYYY-MM (the same as --period YYYY-MM).")
@click.option("--by", default="category", show_default=True, type=click.Choice(stats.GROUPINGS))
@_format_option
@policy_option
def stats_cmd(file, period, month, by, fmt, policy_path):
    """The complaint statistics table (客户投诉月统计表) of a month, week or
    quarter from an export."""
    policy = _policy(policy_path)
    records = stats.read_records(file, policy)
    label, start, end = _period(file, records, month, period, policy)
    table = stats.period_table(records, start, end, policy, by=by, period=label)
    out = stats.render(table, fmt)
    click.echo(out, nl=not out.endswith("\n"))


@cli.command("summary")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--period",
    help="2026-11 (month), 2026-W48 (ISO week) or 2026-Q4 (quarter); "
    "default: the month of the latest complaint.",
)
@_format_option
@policy_option
def summary_cmd(file, period, fmt, policy_path):
    """The complaint handling summary (投诉处理总结表) of a month, week or
    quarter from an export."""
    policy = _policy(policy_path)
    records = stats.read_records(file, policy)
    label, start, end = _period(file, records, None, period, policy)
    out = stats.render(stats.summary(records, start, end, policy, period=label), fmt)
    click.echo(out, nl=not out.endswith("\n"))


# -- demo -------------------------------------------------------------------


@cli.command()
@policy_option
def demo(policy_path):
    """Walk one product-quality complaint through its whole life, step by step."""
    policy = _policy(policy_path)
    _Demo(policy).run()


class _Demo:
    """A scripted case; each step asks the core and prints its answer.

    `run` plays the stages in order; each stage moves the clock (``self.t``)
    and the case on, and prints what the core decided."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.cal = BusinessCalendar.from_policy(policy)
        self.tz = self.cal.tz
        self.step = 0
        self.t0 = self.t = datetime(2026, 9, 30, 16, 30, tzinfo=self.tz)
        self.rep = workflow.Actor("wang.rep", frozenset({Role.SALES_REP}))
        self.manager = workflow.Actor("li.manager", frozenset({Role.MANAGER}), department="quality")
        self.handler = workflow.Actor(
            "zhao.handler",
            frozenset({Role.HANDLER}),
            department="quality",
            reports_to=("li.manager",),
        )
        self.quality = workflow.Actor(
            "chen.quality", frozenset({Role.QUALITY}), department="quality"
        )
        self.audit = []

    def say(self, when: datetime, title: str, *lines: str):
        self.step += 1
        click.secho(f"\n{self.step:>2}. {title}", bold=True)
        click.echo(f"    at {when.astimezone(self.tz):%Y-%m-%d %H:%M %Z}")
        for line in lines:
            click.echo(f"    {line}")

    def go(self, actor, action, reason="", **changes):
        """One workflow transition at ``self.t``; the case takes its new state."""
        self.case = _replace(self.case, **changes)
        res = workflow.transition(self.case, action, actor, self.policy, self.t, reason=reason)
        self.case = _replace(self.case, state=res.state)
        self.audit.append(res.audit)
        return res

    def run(self):
        p = self.policy
        click.secho(
            f"complaints demo: one complaint, policy {p.name!r} "
            f"({p.calendar.timezone}, holidays {p.calendar.holidays or 'none'})",
            bold=True,
        )
        self.register()
        self.triage()
        self.investigate()
        self.propose()
        self.approve()
        self.reply_and_remedy()
        self.follow_up_and_close()

    def _kettle_complaint(self, number: str) -> Complaint:
        """The case: a leaking kettle, the customer's third complaint about it."""
        t0 = self.t0
        priors = (
            PriorComplaint("C-204", "KX-200 kettle", "product_quality", t0 - timedelta(days=12)),
            PriorComplaint("C-377", "KX-200 kettle", "product_quality", t0 - timedelta(days=3)),
        )
        return Complaint(
            received_at=t0,
            number=number,
            kind=Kind.COMPLAINT,
            channel=Channel.PHONE,
            category="product_quality",
            customer=Customer("C-118", vip=False, name="Hangzhou Lianhua Foods"),
            product="KX-200 kettle",
            departments=("quality",),
            prior_complaints=priors,
            customer_loss=Decimal("1800"),
        )

    def register(self):
        """Number the complaint, assess its severity, plan its milestones."""
        p, t0 = self.policy, self.t0
        number = numbering.format_number(p.numbering, t0.date(), 7)
        self.complaint = self._kettle_complaint(number)
        sev = self.sev = assess_severity(self.complaint, p, now=t0, calendar=self.cal)
        ms = sla.plan_milestones(
            self.complaint, p, self.cal, level=sev.level, escalated=sev.escalated
        )
        self.say(
            t0,
            f"Registered {number} (sequence 7 of {numbering.reset_key(p.numbering, t0)})",
            "customer Hangzhou Lianhua Foods, KX-200 kettle leaks; by phone",
            f"severity level {sev.level}: " + "; ".join(f"{r.detail}" for r in sev.reasons),
            *[
                f"milestone {m.code:<15} due {m.due.astimezone(self.tz):%Y-%m-%d %H:%M}"
                for m in ms
                if m.due is not None
            ],
        )
        self.case = workflow.CaseFacts(
            state=State.REGISTERED,
            kind=Kind.COMPLAINT,
            category="product_quality",
            level=sev.level,
            complained_about=("wang.rep",),
        )

    def triage(self):
        """The rep may not triage a complaint about himself; the manager does."""
        p = self.policy
        self.t = self.t0 + timedelta(hours=1)
        try:
            workflow.transition(
                _replace(self.case, handler_id="wang.rep", department="quality"),
                "triage",
                self.rep,
                p,
                self.t,
            )
        except ComplaintError as e:
            self.say(self.t, "The rep tries to triage it himself: refused", f"core says: {e}")
        department = p.department_for("product_quality")
        self.go(self.manager, "triage", handler_id="zhao.handler", department=department)
        self.say(
            self.t,
            "Triaged by the quality manager",
            f"category product_quality -> department {department}, handler zhao.handler",
        )

    def investigate(self):
        """Investigation, then responsibility signed off by quality."""
        self.t = self.cal.add(self.t, "1wh")
        self.go(self.handler, "start_investigation", investigation_started=True)
        self.say(self.t, "Investigation: site visit, sample of batch 2609-A taken")
        self.t = self.cal.add(self.t, "4wh")
        self.go(
            self.quality,
            "determine",
            finding=Finding.QUALITY,
            quality_signoff_by="chen.quality",
            responsible_departments=("production",),
        )
        self.say(
            self.t,
            "Responsibility determined: quality problem",
            "signed off by chen.quality (quality department); responsible: production",
        )

    def propose(self):
        """A remedy is proposed and routed for approval."""
        p = self.policy
        self.remedies = (
            Remedy(RemedyType.EXCHANGE, Decimal("260"), description="replace kettle"),
            Remedy(RemedyType.CREDIT, Decimal("1200"), reason="two lost work days"),
        )
        self.go(self.handler, "propose_remedy", remedies=self.remedies, proposed_by="zhao.handler")
        self.route = approval.approval_route(self.case.category, self.sev.level, self.remedies, p)
        self.say(
            self.t,
            "Remedy proposed: exchange + 1,200 credit",
            f"cost to the company {self.route.cost} {p.currency}",
            "approval route: " + " -> ".join(f"{s.code} by {s.level}" for s in self.route.stages),
        )

    def _decide(self, decisions, stage_code, actor, level, reason):
        return approval.decide(
            self.route,
            decisions,
            stage_code,
            actor,
            level,
            True,
            reason,
            proposed_by="zhao.handler",
            complained_about=self.case.complained_about,
            now=self.t,
            policy=self.policy,
        )

    def refuse_self_approval(self, decisions):
        """The proposer may not approve his own proposal: the core refuses."""
        lowest = self.policy.authority.levels[0].code
        try:
            self._decide(decisions, self.route.stages[0].code, self.handler, lowest, "")
        except ComplaintError as e:
            self.say(
                self.t, "The handler tries to approve his own proposal: refused", f"core says: {e}"
            )

    def approve(self):
        """The manager approves every stage; the milestones started by it are planned."""
        p, sev = self.policy, self.sev
        decisions = []
        self.refuse_self_approval(decisions)
        for stage in self.route.stages:
            self.t = self.cal.add(self.t, "2wh")
            decisions.append(
                self._decide(decisions, stage.code, self.manager, stage.level, "agreed")
            )
            self.say(self.t, f"Approved stage {stage.code} by li.manager ({stage.level})")
        complete = approval.route_complete(self.route, decisions)
        self.go(self.manager, "approve", approvals_complete=complete)
        started = sla.plan_milestones(
            self.complaint,
            p,
            self.cal,
            level=sev.level,
            escalated=sev.escalated,
            events={"approved": self.t},
        )
        self.say(
            self.t,
            "Remedy approved and frozen",
            f"fingerprint {approval.remedy_fingerprint(self.remedies)[:12]}",
            *[
                f"milestone {m.code:<15} now due {m.due.astimezone(self.tz):%Y-%m-%d %H:%M}"
                for m in started
                if m.start == self.t and m.due is not None
            ],
        )

    def reply_and_remedy(self):
        self.t = self.cal.add(self.t, "0.5wh")
        self.go(self.rep, "reply")
        self.say(self.t, "Replied to the customer; the customer accepts")
        self.t = self.cal.add(self.t, "1wd")
        self.go(self.handler, "remedy_done", customer_accepted=True)
        self.say(self.t, "Remedy carried out: kettle exchanged, credit note issued")

    def follow_up_and_close(self):
        """回访: the satisfaction answers, then the closing and its audit trail."""
        self.t = self.cal.add(self.t, "3wd")
        self.go(self.rep, "follow_up")
        answers = [4, 5, 4]
        rate = stats.satisfaction_rate(answers, self.policy)
        self.say(
            self.t, "Follow-up call (回访)", f"answers {answers}: satisfaction rate {rate:.0%}"
        )
        self.go(self.handler, "close", satisfaction=min(answers))
        self.say(
            self.t,
            f"Closed after {(self.t - self.t0).days} days, {len(self.audit)} audit entries:",
            *[
                f"{a.at.astimezone(self.tz):%m-%d %H:%M} {a.actor_id:<13} {a.action:<20} "
                f"{a.from_state} -> {a.to_state}"
                for a in self.audit
            ],
        )


def _replace(obj, **changes):
    return replace(obj, **changes) if changes else obj


_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click >= 8.2


def _one_line(text: str) -> str:
    """A message as one line: line breaks and other control characters in it
    (from the user's own input) are shown escaped."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)


def main(argv=None) -> int:
    """Entry point: one line on stderr and exit 2 for bad input, never a traceback."""
    if not (sys.argv[1:] if argv is None else list(argv)):
        # bare `complaints`: the help on stderr and exit 2, whatever click's version does
        with click.Context(cli, info_name="complaints") as ctx:
            click.echo(ctx.get_help(), err=True)
        return EXIT_BAD_INPUT
    try:
        cli.main(args=argv, prog_name="complaints", standalone_mode=False)
    except PolicyError as e:
        click.echo(f"complaints: {_one_line(str(e))}", err=True)
        return EXIT_BAD_INPUT
    except ComplaintError as e:
        click.echo(f"complaints: {_one_line(str(e))}", err=True)
        return EXIT_BAD_INPUT
    except _NO_ARGS as e:  # bare `complaints`: the help, as click itself would show it
        e.show()
        return EXIT_BAD_INPUT
    except click.exceptions.Abort:
        click.echo("complaints: aborted", err=True)
        return 1
    except click.ClickException as e:
        click.echo(f"complaints: {_one_line(e.format_message())} (see complaints --help)", err=True)
        return EXIT_BAD_INPUT
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
