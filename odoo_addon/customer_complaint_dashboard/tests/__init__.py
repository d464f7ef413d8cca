# ruff: noqa: F401
from . import test_dashboard, test_dashboard_tour, test_i18n
