"""Red flags in a creator list: audiences that do not behave like real ones.

Seed article 000 tells marketers to audit before paying: "an account with 400,000 followers
and about 2 comments a post is a red flag". Bought followers never engage, bought likes come
without comments, bot-inflated video accounts get few views, and made-up figures are round.
Each rule below is one of those patterns, judged against the benchmark for the creator's
platform and tier, so a mega account is not held to a nano account's engagement.

Flags are warnings for a human to check, not verdicts: the thresholds are set so that organic
accounts are rarely flagged (the sample list: every planted account, under 5% of the rest).
Everything is vectorised: a million creators are audited in a few tens of milliseconds.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa

from advisor.locale.formatting import compact, percent
from advisor.locale.i18n import DEFAULT_LANGUAGE, t
from advisor.model.benchmarks import TIERS, load_benchmarks
from advisor.model.brief import Platform

# --- thresholds ----------------------------------------------------------------------------
# Engagement under a fifth of the platform-and-tier benchmark. Organic rates spread about
# +/-50% around the benchmark (log-sd 0.4, `engagement_rate_uncertainty`), so a fifth is four
# standard deviations down: real audiences almost never sit there, bought ones always do.
LOW_ENGAGEMENT_SHARE = 0.20
# Below 1,000 followers a handful of likes swings the rate: too noisy to judge.
MIN_FOLLOWERS_FOR_RATE = 1_000
# Real posts get roughly 15 to 70 likes per comment; bought likes come without comments
# (> 200 per comment), comment pods and giveaways bring more comments than half the likes.
# A post without comments counts as one comment, so quiet small accounts are not flagged.
MAX_LIKES_PER_COMMENT = 200
MIN_LIKES_PER_COMMENT = 2
MIN_LIKES_FOR_RATIO = 50  # fewer likes than this and the ratio is noise
# On video-first platforms a real audience watches: under 1% of followers viewing a video
# means the followers are not real or not there any more. Small accounts are too noisy.
VIEW_PLATFORMS: tuple[str, ...] = (Platform.TIKTOK.value, Platform.YOUTUBE.value)
MIN_VIEWS_SHARE = 0.01
MIN_FOLLOWERS_FOR_VIEWS = 10_000
# Exact multiples of 10,000 followers together with likes in whole hundreds happen by chance
# about once in a million accounts: typed-in figures, not measured ones. Figures written as
# `12.5K` are rounded by the export itself and are exempt (`approximate`).
ROUND_FOLLOWERS_STEP = 10_000
ROUND_LIKES_STEP = 100
MIN_FOLLOWERS_FOR_ROUND = 10_000

REASONS: tuple[str, ...] = ("low_engagement", "like_comment_ratio", "low_views", "round_figures")
_PLATFORMS: tuple[str, ...] = tuple(p.value for p in Platform)


def audit(
    table: pd.DataFrame, lang: str = DEFAULT_LANGUAGE, *, approximate: np.ndarray | None = None
) -> pd.DataFrame:
    """The table with `flags` (reason codes joined by ';', '' when clean) and `flag_reasons`
    (the same reasons as translated sentences), both categoricals whose codes are the rule
    bits of `flag_bits`; `table["flags"].astype(str)` gives the text. `approximate` marks
    rows whose follower or like figures were abbreviated in the source, which exempts them
    from the round-figure rule."""
    bits = flag_bits(table, approximate)
    flags, reasons = _labels(bits, lang)
    return table.assign(
        flags=flags.set_axis(table.index), flag_reasons=reasons.set_axis(table.index)
    )


def flag_bits(table: pd.DataFrame, approximate: np.ndarray | None = None) -> np.ndarray:
    """One bit per rule (bit i = REASONS[i]), vectorised over the whole table."""
    followers = _numbers(table, "followers")
    likes, comments = _numbers(table, "avg_likes"), _numbers(table, "avg_comments")
    platform = _platform_codes(table["platform"])
    rules = (
        _low_engagement(table, followers, likes, comments, platform),
        _like_comment_ratio(likes, comments),
        _low_views(followers, _numbers(table, "avg_views"), platform),
        _round_figures(followers, likes, approximate),
    )
    bits = np.zeros(len(table), dtype=np.uint8)
    for i, hit in enumerate(rules):
        bits |= hit.astype(np.uint8) << i
    return bits


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


def _low_engagement(
    table: pd.DataFrame, followers: np.ndarray, likes: np.ndarray, comments: np.ndarray,
    platform: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Rate from the table's `engagement_rate` (ingest derives it), else from likes and
    comments, compared with the platform-and-tier benchmark."""
    bench = load_benchmarks()
    if "engagement_rate" in table:
        rate = _numbers(table, "engagement_rate")
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = (likes + np.nan_to_num(comments)) / followers
    tier = _tier_codes(table, followers)
    benchmark = bench.grid("engagement")[np.maximum(platform, 0), tier]
    known = (platform >= 0) & (followers >= MIN_FOLLOWERS_FOR_RATE)
    return known & (rate < LOW_ENGAGEMENT_SHARE * benchmark)


def _like_comment_ratio(likes: np.ndarray, comments: np.ndarray) -> np.ndarray:
    judged = (likes >= MIN_LIKES_FOR_RATIO) & ~np.isnan(comments)
    bought_likes = likes > MAX_LIKES_PER_COMMENT * np.maximum(comments, 1)
    pods = likes < MIN_LIKES_PER_COMMENT * comments
    return judged & (bought_likes | pods)


def _low_views(followers: np.ndarray, views: np.ndarray, platform: np.ndarray) -> np.ndarray:
    video = np.zeros(platform.shape[0], dtype=bool)
    for name in VIEW_PLATFORMS:
        video |= platform == _PLATFORMS.index(name)
    judged = video & (followers >= MIN_FOLLOWERS_FOR_VIEWS) & ~np.isnan(views)
    return judged & (views < MIN_VIEWS_SHARE * followers)


def _round_figures(
    followers: np.ndarray, likes: np.ndarray, approximate: np.ndarray | None
) -> np.ndarray:
    """`x / step` is a whole number exactly when x is a multiple (float modulo is slower)."""
    f, lk = followers / ROUND_FOLLOWERS_STEP, likes / ROUND_LIKES_STEP
    hit = (followers >= MIN_FOLLOWERS_FOR_ROUND) & (likes >= ROUND_LIKES_STEP)
    hit &= (np.floor(f) == f) & (np.floor(lk) == lk)
    return hit & ~approximate if approximate is not None else hit


def reason_sentence(reason: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The translated sentence for one reason code, with its threshold filled in."""
    params = {
        "low_engagement": {"share": percent(LOW_ENGAGEMENT_SHARE, lang)},
        "like_comment_ratio": {"high": MAX_LIKES_PER_COMMENT, "low": MIN_LIKES_PER_COMMENT},
        "low_views": {"share": percent(MIN_VIEWS_SHARE, lang)},
        "round_figures": {"step": compact(ROUND_FOLLOWERS_STEP, lang)},
    }[reason]
    return t(f"audit.reason.{reason}", lang, **params)


@lru_cache(maxsize=8)
def _label_texts(lang: str) -> tuple[list[str], list[str]]:
    """Flag codes and reason sentences of the 16 combinations (made once per language: the
    sentences format their thresholds with Babel)."""
    combos = range(1 << len(REASONS))
    codes = [[r for i, r in enumerate(REASONS) if combo >> i & 1] for combo in combos]
    flags = [";".join(c) for c in codes]
    reasons = [" ".join(reason_sentence(r, lang) for r in c) for c in codes]
    return flags, reasons


def _labels(bits: np.ndarray, lang: str) -> tuple[pd.Series, pd.Series]:
    """Categoricals over the 16 possible combinations, the rule bits being the codes: no
    per-row text is built (a million rows cost one int8 array each)."""
    flags, reasons = (list(texts) for texts in _label_texts(lang))
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
