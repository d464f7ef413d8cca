from . import test_sale  # noqa: F401
