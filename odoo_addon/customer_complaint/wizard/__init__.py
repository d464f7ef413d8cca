# ruff: noqa: F401
from . import complaint_approval_wizard
from . import complaint_stats_wizard
from . import complaint_anonymise_wizard
