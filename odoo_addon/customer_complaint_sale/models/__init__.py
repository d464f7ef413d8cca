# ruff: noqa: F401
from . import customer_complaint, sale_order
