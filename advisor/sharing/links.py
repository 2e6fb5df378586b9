"""Briefs to and from shareable URLs, and validation messages a marketer understands.

URL values are untrusted strings: each parameter is validated on its own through
`CampaignBrief`, and a bad one falls back to its default while the others are kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from advisor.locale.formatting import AmbiguousNumber, number, parse_number
from advisor.locale.i18n import t
from advisor.locale.text import display_text
from advisor.model.assumptions import Assumptions, check_value
from advisor.model.brief import CampaignBrief

QUERY_FIELDS: tuple[str, ...] = (
    "goal",
    "budget",
    "currency",
    "weeks",
    "audience",
    "platforms",
    "advocates",
    "accounts_ready",
    "region",
    "order_value",
)
ASSUMPTION_PREFIX = "a."
_TRUE = {"1", "true", "yes", "on", "y", "oui"}
_FALSE = {"0", "false", "no", "off", "n", "non"}


def field_message(field: str, lang: str = "en") -> str:
    """What a marketer should read when `field` is invalid."""
    return t(f"error.{field}", lang)


def brief_errors(error: ValidationError, lang: str = "en") -> dict[str, str]:
    """Map a pydantic error to {field: plain message}, one per field."""
    out: dict[str, str] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item.get("loc") else "brief"
        if field in QUERY_FIELDS:
            out.setdefault(field, field_message(field, lang))
        else:
            out.setdefault(field, t("error.unknown_field", lang, field=field))
    return out


INTEGER_FIELDS = ("weeks", "audience", "advocates")


@dataclass(frozen=True)
class Problem:
    """Why one value of a brief (typed in the form or read from a link) was not used.

    `kind`: "invalid" (the field's own message), "not_a_number", "ambiguous" (two readings,
    in `readings`), "fraction" (weeks, people: whole numbers), "too_small" / "not_positive"
    / "too_large" (with `limit`). `value` is the text as given; the message is made in the
    page's language when shown, so a language switch re-words it."""

    field: str
    kind: str
    value: str = ""
    limit: float | None = None
    readings: tuple[float, ...] = ()

    def message(self, lang: str = "en") -> str:
        if self.kind == "invalid" or self.field not in QUERY_FIELDS:
            return (
                field_message(self.field, lang)
                if self.field in QUERY_FIELDS
                else t("error.unknown_field", lang, field=self.field)
            )
        values: dict[str, str] = {
            "field": t(f"field.{self.field}", lang),
            "value": display_text(self.value),
        }
        if self.limit is not None:
            values["limit"] = number(self.limit, lang)
        if self.readings:
            values["first"], values["second"] = (_reading(r, lang) for r in self.readings[:2])
        return t(f"problem.{self.kind}", lang, **values)


def _reading(value: float, lang: str) -> str:
    """1.5 -> "1.5" / "1,5", 1500 -> "1,500" / "1 500": as many decimals as the value has."""
    decimals = exact_number(value).partition(".")[2]
    return number(value, lang, len(decimals))


def problem_of(field: str, candidate: object, raw: str = "") -> Problem | None:
    """None when `candidate` is a valid value of `field`, otherwise why not, in words."""
    defaults = CampaignBrief().model_dump()
    try:
        CampaignBrief.model_validate({**defaults, field: candidate})
    except (ValidationError, ValueError) as error:
        items = error.errors() if isinstance(error, ValidationError) else []
        return _classify(field, candidate, raw or str(candidate), items)
    return None


def _classify(field: str, candidate: object, raw: str, items: list) -> Problem:
    kind, limit = "invalid", None
    item = items[0] if items else {}
    ctx = item.get("ctx") or {}
    kind_of = {
        "greater_than": ("not_positive", "gt"),
        "greater_than_equal": ("too_small", "ge"),
        "less_than_equal": ("too_large", "le"),
        "less_than": ("too_large", "lt"),
    }
    error_type = item.get("type", "")
    if error_type in kind_of:
        kind, bound = kind_of[error_type]
        limit = float(ctx[bound]) if bound in ctx else None
    elif error_type in ("int_from_float", "int_parsing", "float_parsing", "finite_number"):
        try:
            value = float(str(candidate))
        except ValueError:
            kind = "not_a_number"
        else:
            whole = field in INTEGER_FIELDS and math.isfinite(value)
            kind = "fraction" if whole else "not_a_number"
    return Problem(field, kind, raw, limit)


def _clean(field: str, raw: str) -> object:
    value = raw.strip()
    if field in ("currency", "region"):
        return value.upper() if value.lower() != "other" else "other"
    if field == "goal":
        return value.lower()
    if field == "accounts_ready":
        low = value.lower()
        return True if low in _TRUE else False if low in _FALSE else value
    if field in ("weeks", "audience", "advocates"):
        compact = value.replace(",", "").replace("_", "").replace(" ", "")
        return compact
    if field in ("budget", "order_value"):
        return value.replace(",", "").replace("_", "").replace(" ", "")
    return value


def brief_from_query(params: Mapping[str, object]) -> tuple[CampaignBrief, list[str]]:
    """Build a brief from query parameters; return it with the names of the fields that were bad.

    Unknown parameters are ignored (other parts of the page may use them).
    """
    brief, problems = read_brief_query(params)
    return brief, [p.field for p in problems]


def read_brief_query(params: Mapping[str, object]) -> tuple[CampaignBrief, list[Problem]]:
    """`brief_from_query` with, for each bad field, why it could not be used."""
    defaults = CampaignBrief()
    accepted: dict[str, object] = {}
    bad: list[Problem] = []
    for field in QUERY_FIELDS:
        if field not in params:
            continue
        raw = params[field]
        if isinstance(raw, list | tuple):
            raw = (
                ",".join(str(x) for x in raw) if field == "platforms" else (raw[-1] if raw else "")
            )
        candidate = _clean(field, str(raw))
        problem = problem_of(field, candidate, str(raw).strip()[:40])
        if problem is not None:
            bad.append(problem)
            continue
        accepted[field] = candidate
    return CampaignBrief.model_validate({**defaults.model_dump(), **accepted}), bad


def read_amount(field: str, text: str, lang: str) -> tuple[float | None, Problem | None]:
    """A number typed in the form, in the page's language: the value, or why it was refused."""
    shown = str(text).strip()[:40]
    try:
        return parse_number(text, lang), None
    except AmbiguousNumber as doubt:
        return None, Problem(field, "ambiguous", shown, readings=doubt.readings)
    except ValueError:
        return None, Problem(field, "not_a_number", shown)


def exact_number(value: float) -> str:
    """The shortest text that reads back as exactly `value` (12.5, 0.004, 20000)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def brief_to_query(brief: CampaignBrief) -> dict[str, str]:
    """The brief as query parameters (every field, so a link never depends on changing defaults)."""
    query = {
        "goal": brief.goal.value,
        "budget": exact_number(brief.budget),
        "currency": brief.currency.value,
        "weeks": str(brief.weeks),
        "audience": str(brief.audience),
        "platforms": ",".join(p.value for p in brief.platforms),
        "advocates": str(brief.advocates),
        "accounts_ready": "true" if brief.accounts_ready else "false",
        "region": brief.region.value,
    }
    if brief.order_value is not None:
        query["order_value"] = exact_number(brief.order_value)
    return query


def assumptions_from_query(params: Mapping[str, object]) -> tuple[Assumptions, list[str]]:
    """Edited figures from `a.<key>=<value>` parameters; bad ones are named and ignored."""
    edits: dict[str, float] = {}
    bad: list[str] = []
    for name, raw in params.items():
        if not name.startswith(ASSUMPTION_PREFIX):
            continue
        key = name[len(ASSUMPTION_PREFIX) :]
        text = raw[-1] if isinstance(raw, list | tuple) and raw else raw
        try:
            value = float(str(text).strip().replace(",", "."))
        except ValueError:
            bad.append(name)
            continue
        if check_value(key, value) is not None:
            bad.append(name)
            continue
        edits[key] = value
    return Assumptions(overrides=edits), bad


def assumptions_to_query(assumptions: Assumptions) -> dict[str, str]:
    """Only the edited figures travel in a link."""
    return {
        f"{ASSUMPTION_PREFIX}{k}": exact_number(v) for k, v in sorted(assumptions.overrides.items())
    }
