# ruff: noqa: F401
from . import test_account, test_e2e_tour, test_end_to_end
