# ruff: noqa: F401
from . import (
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
