# ruff: noqa: F401
from . import test_i18n, test_survey
