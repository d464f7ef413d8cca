# ruff: noqa: F401
from . import complaint_approval_wizard
