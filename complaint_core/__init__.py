"""complaint_core: the rules of customer-complaint handling (shared/SPEC.md), pure Python.

No Odoo, no database, no clock: facts and a policy in, typed decisions out.
"""

from .errors import (
    ApprovalError,
    AuthorityError,
    CalendarError,
    ComplaintError,
    InputError,
    PolicyError,
    Problem,
    RecusalError,
    TransitionError,
    TransitionRefused,
)
from .policy import Policy, default_policy, load_policy

__version__ = "0.1.0"

__all__ = [
    "ApprovalError",
    "AuthorityError",
    "CalendarError",
    "ComplaintError",
    "InputError",
    "Policy",
    "PolicyError",
    "Problem",
    "RecusalError",
    "TransitionError",
    "TransitionRefused",
    "default_policy",
    "load_policy",
]
