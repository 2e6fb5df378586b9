"""Red flags in a creator list: audiences that do not behave like real ones.

Seed article 000 tells marketers to audit before paying: "an account with 400,000 followers
and about 2 comments a post is a red flag". Bought followers never engage or comment, bought
likes come without comments, bot-inflated accounts get few views, and made-up figures are
round. Each rule below is one of those patterns, judged against the benchmark for the
creator's platform and tier where one applies, so a mega account is not held to a nano
account's engagement.

Rules live in `RULES`, a registry: each names the columns it needs (a rule whose columns the
file does not have is skipped, so a list with comments alone, likes alone, views alone or an
engagement-rate column is still audited by every rule it can feed), the assumption keys of its
thresholds (rows of `assumptions.csv`, so `Assumptions(overrides={...})` moves them and the
reason sentences quote the edited values), and a vectorised check over the whole table.

Flags are warnings for a human to check, not verdicts: the default thresholds are set so that
organic accounts are rarely flagged (the sample list: every planted account, under 5% of the
rest). A flagged creator is never paid by default (`CreatorTable.flagged`). Everything is
vectorised: a million creators are audited in a few tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa

from advisor.locale.formatting import compact, number, percent
from advisor.locale.i18n import DEFAULT_LANGUAGE, t
from advisor.model.assumptions import Assumptions, default_figures
from advisor.model.benchmarks import TIERS, load_benchmarks
from advisor.model.brief import Platform

# --- thresholds: assumption keys (defaults, units and sources in assumptions.csv) ----------
# Engagement under a quarter of the platform-and-tier benchmark. Organic rates spread about
# +/-50% around the benchmark (log-sd 0.4, `engagement_rate_uncertainty`), so a quarter is
# three and a half standard deviations down: real audiences almost never sit there.
LOW_ENGAGEMENT_SHARE = "audit_low_engagement_share"
# Below 1,000 followers a handful of likes swings the rate: too noisy to judge.
MIN_FOLLOWERS_FOR_RATE = "audit_min_followers_for_rate"
# Seed 000: 400,000 followers and about 2 comments a post (one per 200,000) is a red flag.
# Real accounts get one comment per 1,000 to 20,000 followers (engagement 0.3-2%, 15 to 70
# likes per comment); fewer than one per 50,000 is far outside. Judged from 50,000 followers
# (below that the threshold is under one comment, and a quiet post is no evidence).
FOLLOWERS_PER_COMMENT = "audit_max_followers_per_comment"
MIN_FOLLOWERS_FOR_COMMENTS = "audit_min_followers_for_comments"
# Real posts get roughly 15 to 70 likes per comment; bought likes come without comments
# (> 200 per comment), comment pods and giveaways bring more comments than half the likes.
# A post without comments counts as one comment, so quiet small accounts are not flagged.
MAX_LIKES_PER_COMMENT = "audit_max_likes_per_comment"
MIN_LIKES_PER_COMMENT = "audit_min_likes_per_comment"
MIN_LIKES_FOR_RATIO = 50  # fewer likes than this and the ratio is noise
# A real audience watches: under 1% of followers viewing a post means the followers are not
# real or not there any more (organic views run 5-60% of followers). Small accounts are noisy.
MIN_VIEWS_SHARE = "audit_min_views_share"
MIN_FOLLOWERS_FOR_VIEWS = "audit_min_followers_for_views"
# Exact multiples of 10,000 followers together with likes in whole hundreds happen by chance
# about once in a million accounts: typed-in figures, not measured ones. Figures written as
# `12.5K` are rounded by the export itself and are exempt (`approximate`).
ROUND_FOLLOWERS_STEP = "audit_round_followers_step"
ROUND_LIKES_STEP = 100
SEED_EXAMPLE = (400_000, 2)  # seed 000's followers and comments a post, quoted in the reason

_PLATFORMS: tuple[str, ...] = tuple(p.value for p in Platform)


@dataclass(frozen=True)
class Facts:
    """The table's numbers as float arrays (NaN where a cell or the whole column is missing)."""

    columns: frozenset[str]
    followers: np.ndarray
    likes: np.ndarray
    comments: np.ndarray
    views: np.ndarray
    rate: np.ndarray  # engagements per follower: the file's rate, else likes (+ comments)
    platform: np.ndarray  # index into Platform, -1 unknown
    tier: np.ndarray  # index into TIERS
    approximate: np.ndarray | None


Thresholds = Mapping[str, float]


@dataclass(frozen=True)
class Rule:
    """One red flag: `check` returns a bool per row; it runs only when the table has, for
    each group of `needs`, at least one of the group's columns."""

    code: str
    needs: tuple[tuple[str, ...], ...]
    thresholds: tuple[str, ...]
    check: Callable[[Facts, Thresholds], np.ndarray]
    params: Callable[[Thresholds, str], dict[str, str]]

    def applies(self, columns: frozenset[str] | set[str]) -> bool:
        return all(any(c in columns for c in group) for group in self.needs)


# --- the checks ------------------------------------------------------------------------------


def _low_engagement(f: Facts, th: Thresholds) -> np.ndarray:
    """Engagements per follower against the platform-and-tier benchmark (per follower)."""
    benchmark = load_benchmarks().grid("engagement")[np.maximum(f.platform, 0), f.tier]
    known = (f.platform >= 0) & (f.followers >= th[MIN_FOLLOWERS_FOR_RATE])
    return known & (f.rate < th[LOW_ENGAGEMENT_SHARE] * benchmark)


def _few_comments(f: Facts, th: Thresholds) -> np.ndarray:
    judged = f.followers >= th[MIN_FOLLOWERS_FOR_COMMENTS]
    return judged & (f.comments * th[FOLLOWERS_PER_COMMENT] < f.followers)


def _like_comment_ratio(f: Facts, th: Thresholds) -> np.ndarray:
    judged = (f.likes >= MIN_LIKES_FOR_RATIO) & ~np.isnan(f.comments)
    bought_likes = f.likes > th[MAX_LIKES_PER_COMMENT] * np.maximum(f.comments, 1)
    pods = f.likes < th[MIN_LIKES_PER_COMMENT] * f.comments
    return judged & (bought_likes | pods)


def _low_views(f: Facts, th: Thresholds) -> np.ndarray:
    judged = f.followers >= th[MIN_FOLLOWERS_FOR_VIEWS]
    return judged & (f.views < th[MIN_VIEWS_SHARE] * f.followers)


def _round_figures(f: Facts, th: Thresholds) -> np.ndarray:
    """`x / step` is a whole number exactly when x is a multiple (float modulo is slower)."""
    step = th[ROUND_FOLLOWERS_STEP]
    fl, lk = f.followers / step, f.likes / ROUND_LIKES_STEP
    hit = (f.followers >= step) & (f.likes >= ROUND_LIKES_STEP)
    hit &= (np.floor(fl) == fl) & (np.floor(lk) == lk)
    return hit & ~f.approximate if f.approximate is not None else hit


# The order is the bit order of `flag_bits` (append new rules: saved codes stay valid).
RULES: tuple[Rule, ...] = (
    Rule(
        "low_engagement",
        (("followers",), ("platform",), ("engagement_rate", "avg_likes")),
        (LOW_ENGAGEMENT_SHARE, MIN_FOLLOWERS_FOR_RATE),
        _low_engagement,
        lambda th, lang: {
            "share": percent(th[LOW_ENGAGEMENT_SHARE], lang),
            "min": number(th[MIN_FOLLOWERS_FOR_RATE], lang),
        },
    ),
    Rule(
        "like_comment_ratio",
        (("avg_likes",), ("avg_comments",)),
        (MAX_LIKES_PER_COMMENT, MIN_LIKES_PER_COMMENT),
        _like_comment_ratio,
        lambda th, lang: {
            "high": number(th[MAX_LIKES_PER_COMMENT], lang),
            "low": number(th[MIN_LIKES_PER_COMMENT], lang),
        },
    ),
    Rule(
        "low_views",
        (("followers",), ("avg_views",)),
        (MIN_VIEWS_SHARE, MIN_FOLLOWERS_FOR_VIEWS),
        _low_views,
        lambda th, lang: {
            "share": percent(th[MIN_VIEWS_SHARE], lang),
            "min": number(th[MIN_FOLLOWERS_FOR_VIEWS], lang),
        },
    ),
    Rule(
        "round_figures",
        (("followers",), ("avg_likes",)),
        (ROUND_FOLLOWERS_STEP,),
        _round_figures,
        lambda th, lang: {"step": compact(th[ROUND_FOLLOWERS_STEP], lang)},
    ),
    Rule(
        "few_comments",
        (("followers",), ("avg_comments",)),
        (FOLLOWERS_PER_COMMENT, MIN_FOLLOWERS_FOR_COMMENTS),
        _few_comments,
        lambda th, lang: {
            "followers": number(th[FOLLOWERS_PER_COMMENT], lang),
            "min": number(th[MIN_FOLLOWERS_FOR_COMMENTS], lang),
            "example": number(SEED_EXAMPLE[0], lang),
            "comments": number(SEED_EXAMPLE[1], lang),
        },
    ),
)
REASONS: tuple[str, ...] = tuple(rule.code for rule in RULES)
RULE_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
THRESHOLD_KEYS: tuple[str, ...] = tuple(k for rule in RULES for k in rule.thresholds)


def thresholds(assumptions: Assumptions | None = None) -> dict[str, float]:
    """Every rule's thresholds: the user's edits, else the defaults of `assumptions.csv`."""
    if assumptions is None:
        figures = default_figures()
        return {key: figures[key].default for key in THRESHOLD_KEYS}
    return {key: assumptions.value(key) for key in THRESHOLD_KEYS}


# --- running the rules -----------------------------------------------------------------------


def audit(
    table: pd.DataFrame,
    lang: str = DEFAULT_LANGUAGE,
    *,
    approximate: np.ndarray | None = None,
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """The table with `flags` (reason codes joined by ';', '' when clean) and `flag_reasons`
    (the same reasons as translated sentences quoting their thresholds), both categoricals
    whose codes are the rule bits of `flag_bits`; `table["flags"].astype(str)` gives the
    text. `approximate` marks rows whose follower or like figures were abbreviated in the
    source, which exempts them from the round-figure rule. `assumptions` carries edited
    thresholds (default: those of `assumptions.csv`)."""
    limits = thresholds(assumptions)
    bits = flag_bits(table, approximate, limits)
    flags, reasons = _labels(bits, lang, tuple(limits.items()))
    return table.assign(
        flags=flags.set_axis(table.index), flag_reasons=reasons.set_axis(table.index)
    )


def rules_for(columns: set[str] | frozenset[str]) -> tuple[Rule, ...]:
    """The rules a table with these columns can run (the others are skipped)."""
    return tuple(rule for rule in RULES if rule.applies(columns))


def flag_bits(
    table: pd.DataFrame,
    approximate: np.ndarray | None = None,
    limits: Thresholds | None = None,
) -> np.ndarray:
    """One bit per rule (bit i = REASONS[i]), vectorised over the whole table; rules whose
    columns the table lacks leave their bit at 0."""
    limits = limits if limits is not None else thresholds()
    columns = frozenset(str(c) for c in table.columns)
    bits = np.zeros(len(table), dtype=np.uint8)
    runnable = rules_for(columns)
    if not runnable:
        return bits
    facts = _facts(table, columns, approximate)
    for rule in runnable:
        bits |= np.asarray(rule.check(facts, limits), dtype=np.uint8) << REASONS.index(rule.code)
    return bits


def flag_codes(bits: np.ndarray) -> np.ndarray:
    """The `flags` text of each row (reason codes joined by ';', '' when clean) for rule bits
    from `flag_bits`, as an object array (one lookup per distinct combination)."""
    texts = np.array(_label_texts(DEFAULT_LANGUAGE, tuple(thresholds().items()))[0], dtype=object)
    return texts[np.asarray(bits, dtype=np.int64)]


def edited_thresholds(values: Mapping[str, float]) -> dict[str, float] | None:
    """The audit thresholds among `values` (e.g. `ModelFigures.scalars`) when any differs from
    its default, else None (the list's own audit stands)."""
    limits = thresholds()
    edited = {key: float(values.get(key, default)) for key, default in limits.items()}
    return edited if edited != limits else None


def _facts(table: pd.DataFrame, columns: frozenset[str], approximate: np.ndarray | None) -> Facts:
    followers = _numbers(table, "followers")
    likes, comments = _numbers(table, "avg_likes"), _numbers(table, "avg_comments")
    with np.errstate(invalid="ignore", divide="ignore"):
        own = (likes + np.nan_to_num(comments)) / followers
    rate = _numbers(table, "engagement_rate") if "engagement_rate" in columns else own
    rate = np.where(np.isnan(rate), own, rate)
    platform = (
        _platform_codes(table["platform"])
        if "platform" in columns
        else np.full(len(table), -1, dtype=np.int64)
    )
    return Facts(
        columns=columns,
        followers=followers,
        likes=likes,
        comments=comments,
        views=_numbers(table, "avg_views"),
        rate=rate,
        platform=platform,
        tier=_tier_codes(table, followers),
        approximate=approximate,
    )


def _numbers(table: pd.DataFrame, name: str) -> np.ndarray:
    if name not in table:
        return np.full(len(table), np.nan)
    column = table[name]
    if not pd.api.types.is_numeric_dtype(column.dtype):
        column = pd.to_numeric(column, errors="coerce")
    return column.to_numpy(dtype=float, na_value=np.nan)


def _platform_codes(platform: pd.Series) -> np.ndarray:
    """Index into `Platform` (-1 unknown); free for the categorical column ingest writes."""
    if isinstance(platform.dtype, pd.CategoricalDtype) and list(platform.cat.categories) == list(
        _PLATFORMS
    ):
        return platform.cat.codes.to_numpy().astype(np.int64)
    return pd.Categorical(platform.astype("str"), categories=_PLATFORMS).codes.astype(np.int64)


def _tier_codes(table: pd.DataFrame, followers: np.ndarray) -> np.ndarray:
    """Tier index; free for the categorical `tier` column ingest writes."""
    tier = table.get("tier")
    if (
        tier is not None
        and isinstance(tier.dtype, pd.CategoricalDtype)
        and list(tier.cat.categories) == list(TIERS)
    ):
        return tier.cat.codes.to_numpy().astype(np.int64)
    return load_benchmarks().tier_of(np.nan_to_num(followers))


def reason_sentence(
    reason: str, lang: str = DEFAULT_LANGUAGE, assumptions: Assumptions | None = None
) -> str:
    """The translated sentence for one reason code, with its thresholds filled in."""
    return _sentence(reason, lang, thresholds(assumptions))


def _sentence(reason: str, lang: str, limits: Thresholds) -> str:
    return t(f"audit.reason.{reason}", lang, **RULE_BY_CODE[reason].params(limits, lang))


@lru_cache(maxsize=16)
def _label_texts(lang: str, limits: tuple[tuple[str, float], ...]) -> tuple[list[str], list[str]]:
    """Flag codes and reason sentences of every combination of rules (made once per language
    and thresholds: the sentences format their thresholds with Babel)."""
    values = dict(limits)
    sentences = {r: _sentence(r, lang, values) for r in REASONS}
    combos = range(1 << len(REASONS))
    codes = [[r for i, r in enumerate(REASONS) if combo >> i & 1] for combo in combos]
    flags = [";".join(c) for c in codes]
    reasons = [" ".join(sentences[r] for r in c) for c in codes]
    return flags, reasons


def _labels(
    bits: np.ndarray, lang: str, limits: tuple[tuple[str, float], ...]
) -> tuple[pd.Series, pd.Series]:
    """Categoricals over the possible combinations, the rule bits being the codes: no per-row
    text is built (a million rows cost one int8 array each)."""
    flags, reasons = (list(texts) for texts in _label_texts(lang, limits))
    small = bits.astype(np.int8)
    return (
        pd.Series(pd.Categorical.from_codes(small, categories=flags)),
        pd.Series(pd.Categorical.from_codes(small, categories=reasons)),
    )


def spread_text(texts: list[str | None], codes: np.ndarray) -> pd.Series:
    """`texts[codes]` as a string column (None = missing), straight from arrow buffers.

    When most rows get "" (clean rows), building offsets with numpy costs a fraction of a
    gather, because the work is proportional to the bytes written, not to the rows."""
    encoded = [(text or "").encode("utf-8") for text in texts]
    sizes = np.array([len(b) for b in encoded], dtype=np.int64)
    lengths = sizes[codes]
    rows = np.flatnonzero(lengths)
    if rows.size > codes.shape[0] // 8:
        return pa.array(texts, pa.large_string()).take(pa.array(codes)).to_pandas()
    offsets = np.zeros(codes.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    pool = np.frombuffer(b"".join(encoded) or b"\0", dtype=np.uint8)
    firsts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    within = np.arange(offsets[-1]) - np.repeat(offsets[rows], lengths[rows])
    data = pool[np.repeat(firsts[codes[rows]], lengths[rows]) + within]
    known = np.array([text is not None for text in texts])
    valid = None if known.all() else pa.py_buffer(np.packbits(known[codes], bitorder="little"))
    array = pa.LargeStringArray.from_buffers(
        codes.shape[0], pa.py_buffer(offsets), pa.py_buffer(data.tobytes()), valid
    )
    return array.to_pandas()
