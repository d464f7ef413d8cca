# ruff: noqa: F401
from . import test_account, test_end_to_end
