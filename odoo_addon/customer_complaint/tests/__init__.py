# ruff: noqa: F401
from . import (
    test_approval_activity,
    test_approval_concurrency,
    test_approval_flow,
    test_approval_rules,
    test_approval_tour,
    test_company_rules,
    test_cron,
    test_customer_loop,
    test_demo,
    test_figures,
    test_i18n,
    test_integrity,
    test_integrity_replay,
    test_integrity_rpc,
    test_management_outputs,
    test_mail_intake,
    test_numbering,
    test_policy,
    test_portal,
    test_registration,
    test_retention,
    test_security,
    test_tour_sales_rep,
    test_workflow,
)
from . import test_stats_report
from . import test_forms
from . import test_evidence
from . import test_partner_button
from . import test_buttons
from . import test_dissatisfied_manual
