# ruff: noqa: F401
from . import complaint_remedy, customer_complaint, stock_picking
