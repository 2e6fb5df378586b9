"""Links are untrusted: generated query strings never raise, and always give a valid brief.

Bounded here (`make test`); `FUZZ_CASES=50000 pytest tests/test_fuzz_links.py` runs more.
"""

from __future__ import annotations

import os
import string
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import Assumptions, CampaignBrief
from advisor.model.assumptions import default_figures
from advisor.sharing.links import QUERY_FIELDS, assumptions_from_query, brief_from_query

CASES = int(os.environ.get("FUZZ_CASES", "300"))
KEYS = list(default_figures())

# values a link may carry: plausible ones, near-misses and hostile text
SAMPLES = [
    "event",
    "contest",
    "brand_awareness",
    "product_launch",
    "EUR",
    "usd",
    "gbp",
    "FR",
    "uk",
    "other",
    "true",
    "false",
    "oui",
    "non",
    "instagram,tiktok",
    "x/twitter",
    "1e308",
    "-0",
    "0.004",
    "1_000",
    "1,234.5",
    "NaN",
    "inf",
    "",
    "IG, YT",
    "2 000 000",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
]
plausible = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(SAMPLES),
)
hostile = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from([*string.punctuation, "\x00", "\n", "\r", "\t", "\u202e"]),
    max_size=40,
)
values = st.lists(st.one_of(plausible, hostile), min_size=1, max_size=3)
names = st.one_of(
    st.sampled_from(QUERY_FIELDS),
    st.sampled_from(KEYS).map(lambda k: f"a.{k}"),
    st.text(max_size=12),
)


@settings(max_examples=CASES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(names, values, max_size=12))
def test_any_link_gives_a_valid_brief_and_names_what_it_dropped(params):
    start = time.perf_counter()
    brief, bad = brief_from_query(params)
    assumptions, bad_assumptions = assumptions_from_query(params)
    assert time.perf_counter() - start < 1.0
    assert isinstance(brief, CampaignBrief) and isinstance(assumptions, Assumptions)
    assert set(bad) <= set(QUERY_FIELDS) and set(bad) <= set(params)
    assert all(name.startswith("a.") for name in bad_assumptions)
    # a field that was given and not refused is the brief's value (kept, never silently lost)
    CampaignBrief.model_validate(brief.model_dump())  # still valid after a round trip
    for key, value in assumptions.overrides.items():
        assert f"a.{key}" in params and value == value  # finite, not NaN
