# ruff: noqa: F401
from . import (
    test_approval_concurrency,
    test_approval_flow,
    test_approval_rules,
    test_approval_tour,
    test_cron,
    test_demo,
    test_i18n,
    test_numbering,
    test_policy,
    test_registration,
    test_security,
    test_tour_sales_rep,
    test_workflow,
)
