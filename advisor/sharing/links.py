"""Briefs to and from shareable URLs, and validation messages a marketer understands.

URL values are untrusted strings: each parameter is validated on its own through
`CampaignBrief`, and a bad one falls back to its default while the others are kept.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from advisor.locale.i18n import t
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
    defaults = CampaignBrief()
    accepted: dict[str, object] = {}
    bad: list[str] = []
    for field in QUERY_FIELDS:
        if field not in params:
            continue
        raw = params[field]
        if isinstance(raw, list | tuple):
            raw = (
                ",".join(str(x) for x in raw) if field == "platforms" else (raw[-1] if raw else "")
            )
        candidate = _clean(field, str(raw))
        try:
            CampaignBrief.model_validate({**defaults.model_dump(), field: candidate})
        except (ValidationError, ValueError):
            bad.append(field)
            continue
        accepted[field] = candidate
    return CampaignBrief.model_validate({**defaults.model_dump(), **accepted}), bad


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
