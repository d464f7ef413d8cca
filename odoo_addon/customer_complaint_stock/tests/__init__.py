from . import test_stock  # noqa: F401
