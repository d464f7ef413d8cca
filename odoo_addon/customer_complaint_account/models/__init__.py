# ruff: noqa: F401
from . import account_move, complaint_remedy, customer_complaint
