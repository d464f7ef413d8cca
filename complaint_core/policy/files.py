"""Reading policy files (YAML or TOML) and the shipped default policy: the
only file I/O of the policy.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import PolicyError, Problem
from .types import Policy


def read_policy_data(path: str | Path) -> Any:
    """Read a YAML or TOML policy file; syntax errors become a PolicyError."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise PolicyError(
            [
                Problem(
                    str(p), f"cannot read: {e.strerror}", "file_unreadable", {"detail": e.strerror}
                )
            ],
            str(p),
        ) from None
    try:
        if p.suffix.lower() == ".toml":
            return tomllib.loads(text)
        return yaml.safe_load(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{p}:{mark.line + 1}:{mark.column + 1}" if mark else str(p)
        detail = str(getattr(e, "problem", None) or e)
        raise PolicyError(
            [Problem(where, f"syntax error: {detail}", "syntax_error", {"detail": detail})], str(p)
        ) from None


def load_policy(path: str | Path) -> Policy:
    return Policy.from_dict(read_policy_data(path), source=str(path))


def data_file(name: str) -> Path:
    """A file of the shared data/ folder: installed as ``complaint_core.data``,
    or beside the package in a source checkout."""
    try:
        found = resources.files("complaint_core.data").joinpath(name)
        if found.is_file():
            return Path(str(found))
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "data" / name


def default_policy_data() -> Any:
    return read_policy_data(data_file("default_policy.yaml"))


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """SPEC's defaults, shipped as data/default_policy.yaml."""
    return Policy.from_dict(default_policy_data(), source="default_policy.yaml")
