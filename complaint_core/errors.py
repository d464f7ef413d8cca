"""Typed errors of the complaint core.

One base (`ComplaintError`) with named children, so a shell (the CLI, the Odoo
addon) can map each to its own kind of error with a translated message.
Every error carries a stable ``code`` and the ``params`` used in its message,
so the addon can translate the message instead of showing the English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


class ComplaintError(Exception):
    """Base of every error the core raises on purpose."""

    code = "complaint_error"

    def __init__(self, message: str, *, code: str | None = None, **params):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.params = params

    def __str__(self) -> str:
        return self.message


class _Params(dict):
    """A read-only dict (unlike a mappingproxy it can be copied and pickled)."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("a problem's params are read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self):
        return (_Params, (dict(self),))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


@dataclass(frozen=True)
class Problem:
    """One problem found in a policy or an input: where, and what is wrong.

    ``location`` is the key path (policy) or field name (input); ``message`` the
    English text; ``code`` a stable key and ``params`` the values the message
    uses (as texts), so a shell can translate it. ``params`` is a read-only
    mapping left out of the hash, so a Problem stays frozen and hashable.
    """

    location: str
    message: str
    code: str = "invalid"
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self):
        object.__setattr__(
            self, "params", _Params({str(k): str(v) for k, v in dict(self.params).items()})
        )

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class PolicyError(ComplaintError):
    """A policy failed validation; ``problems`` lists every problem found."""

    code = "policy_invalid"

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], source: str = ""):
        self.problems = tuple(problems)
        self.source = source
        head = f"invalid policy{f' {source}' if source else ''}"
        body = "; ".join(str(p) for p in self.problems)
        super().__init__(f"{head}: {body}", count=len(self.problems))


class InputError(ComplaintError):
    """Facts handed to the core are malformed (bad date, unknown unit, ...)."""

    code = "input_invalid"


class FactsError(InputError):
    """Facts failed a check; ``problems`` lists every problem found, each with
    the caller's field name as its location (see ``complaint_core.intake``)."""

    code = "facts_invalid"

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        body = "; ".join(str(p) for p in self.problems)
        super().__init__(f"invalid facts: {body}", count=len(self.problems))


class CalendarError(ComplaintError):
    """A calendar cannot answer (no working time at all, date out of range)."""

    code = "calendar_error"


class TransitionError(ComplaintError):
    """A workflow transition was refused; ``code`` says which guard refused it."""

    code = "transition_refused"


# The name the rulebook's readers look for.
TransitionRefused = TransitionError


class AuthorityError(ComplaintError):
    """The actor lacks the role, the authority limit or is recused."""

    code = "authority"


class RecusalError(AuthorityError):
    """SPEC §4 recusal: the person complained about (or their sole report)."""

    code = "recusal"


class ApprovalError(ComplaintError):
    """An approval decision cannot be taken (already decided, frozen, ...)."""

    code = "approval"
