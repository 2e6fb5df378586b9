"""Seeded generator for ``advisor/data/creators.csv``, the synthetic sample creator list.

Why: the advisor needs a realistic creator pool to demo and test against without shipping
anyone's real data. Every figure below follows published benchmarks roughly (tiers per
Later x Fohr; engagement, view and rate ranges per platform), so audits, projections and
the optimiser behave on the sample the way they would on a real analyst's list.

Determinism: one ``numpy.random.default_rng(SEED)`` drives everything and the CSV is
written with fixed formatting, so ``python data/generate_creators.py`` always rewrites
the identical file. ``--rows N --out PATH`` makes large files in the same layout for
benchmarks; all numbers and strings are built with vectorised array operations.

Planted (deliberately unlabelled) suspicious influencer accounts, for the audit to find:

  Bought-follower pattern: 200k-1.2M followers, engagement rate < 0.1 %
    @glowvault.daily  @fitfuel.empire  @luxe.wanderlist  @trendhaus.mode
    @gadgetpulse.hq   @chefvibes.global  @cryptomaxgains  @petpals.universe
  Bought-like pattern: absurd likes-to-comments ratio (thousands of likes, 1-2 comments)
    @dailyglam.studio  @streetfeast.co  @gamerzone.elite

``planted_suspicious_handles()`` and ``planted_comment_anomaly_handles()`` return them.
"""

import argparse
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from itertools import product
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

SEED = 20261123
DEFAULT_ROWS = 800
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "advisor" / "data" / "creators.csv"

COLUMNS = [
    "handle", "name", "platform", "followers", "avg_likes", "avg_comments", "avg_views",
    "cost_per_post", "relationship", "ambassador_kind", "niche", "country", "language",
]  # fmt: skip

PLATFORMS = ["instagram", "tiktok", "youtube", "x", "linkedin", "blog"]
NICHES = [
    "beauty", "fitness", "food", "travel", "tech", "gaming",
    "fashion", "parenting", "finance", "outdoor", "home", "pets",
]  # fmt: skip
COUNTRIES = ["US", "GB", "FR", "DE", "ES", "CA", "IT", "BR", "MX", "other"]
LANGUAGES = ["en", "fr", "es", "de", "it", "pt"]
TIERS = ["nano", "micro", "mid", "macro", "mega"]

# Tier follower bounds (Later x Fohr); mega is capped at 15M for the log-uniform draw.
TIER_EDGES = np.array([1_000, 10_000, 100_000, 500_000, 1_000_000, 15_000_000], dtype=float)

# Shares of the population (influencer tier mix per brief; ~30 % ambassadors).
AMBASSADOR_SHARE = 0.30
CUSTOMER_SHARE_OF_AMBASSADORS = 0.75
TIER_SHARES = np.array([0.45, 0.35, 0.13, 0.05, 0.02])

# Platform mix: instagram and tiktok dominate influencer marketing; employees skew LinkedIn.
PLATFORM_P_INFLUENCER = np.array([0.37, 0.30, 0.14, 0.07, 0.05, 0.07])
PLATFORM_P_CUSTOMER = np.array([0.45, 0.30, 0.05, 0.07, 0.05, 0.08])
PLATFORM_P_EMPLOYEE = np.array([0.30, 0.12, 0.03, 0.12, 0.40, 0.03])

# Niche weights per platform (rows: PLATFORMS, cols: NICHES); normalised at use.
NICHE_W = np.array(
    [
        # bea  fit  food trav tech game fash par  fin  out  home pets
        [1.6, 1.3, 1.3, 1.2, 0.5, 0.4, 1.6, 1.0, 0.4, 0.8, 1.1, 1.0],  # instagram
        [1.3, 1.2, 1.3, 0.9, 0.7, 1.2, 1.3, 0.9, 0.6, 0.6, 0.7, 1.3],  # tiktok
        [0.8, 1.0, 1.0, 1.0, 1.6, 1.8, 0.6, 0.7, 1.0, 0.9, 0.8, 0.6],  # youtube
        [0.2, 0.4, 0.4, 0.5, 1.8, 1.4, 0.3, 0.4, 1.8, 0.4, 0.2, 0.3],  # x
        [0.2, 0.4, 0.3, 0.4, 2.2, 0.3, 0.3, 0.6, 2.4, 0.3, 0.4, 0.1],  # linkedin
        [0.6, 0.7, 1.6, 1.5, 1.0, 0.3, 0.6, 1.2, 1.2, 0.8, 1.4, 0.5],  # blog
    ]
)

COUNTRY_P = np.array([0.30, 0.10, 0.09, 0.08, 0.08, 0.06, 0.07, 0.08, 0.07, 0.07])
# Posting language per country (rows: COUNTRIES, cols: LANGUAGES); some post in English.
LANGUAGE_P = np.array(
    [
        # en    fr    es    de    it    pt
        [0.93, 0.00, 0.07, 0.00, 0.00, 0.00],  # US
        [1.00, 0.00, 0.00, 0.00, 0.00, 0.00],  # GB
        [0.10, 0.90, 0.00, 0.00, 0.00, 0.00],  # FR
        [0.12, 0.00, 0.00, 0.88, 0.00, 0.00],  # DE
        [0.08, 0.00, 0.92, 0.00, 0.00, 0.00],  # ES
        [0.78, 0.22, 0.00, 0.00, 0.00, 0.00],  # CA
        [0.08, 0.00, 0.00, 0.00, 0.92, 0.00],  # IT
        [0.06, 0.00, 0.00, 0.00, 0.00, 0.94],  # BR
        [0.06, 0.00, 0.94, 0.00, 0.00, 0.00],  # MX
        [0.60, 0.10, 0.14, 0.05, 0.03, 0.08],  # other
    ]
)
HANDLE_REGION = np.array(["usa", "uk", "fr", "de", "es", "ca", "it", "br", "mx", ""], dtype=object)
HANDLE_SEPS = [".", "_", ""]
# Handle shapes: first.tag, stem_region, first<sep>stem, stem<sep>first, firsttag.
HANDLE_PATTERN_P = [0.30, 0.15, 0.20, 0.15, 0.20]

# Median engagement rate (likes+comments)/followers, interpolated in log10(followers)
# between tier anchors; it falls as audiences grow.
ER_ANCHOR_LOG10 = np.array([3.5, 4.5, 5.35, 5.85, 6.5])
ER_ANCHORS = np.array(
    [
        [0.024, 0.010, 0.0065, 0.0045, 0.0035],  # instagram: nano 1.8-3 %, mega ~0.35 %
        [0.100, 0.070, 0.050, 0.040, 0.030],  # tiktok: nano 8-12 %, micro ~7 %, mega ~3 %
        [0.016, 0.012, 0.009, 0.007, 0.005],  # youtube: 0.5-1.6 %
        [0.0055, 0.0045, 0.0040, 0.0035, 0.0030],  # x: ~0.4 %
        [0.020, 0.016, 0.013, 0.011, 0.010],  # linkedin: 1-2 %
        [0.0070, 0.0055, 0.0050, 0.0045, 0.0040],  # blog: ~0.5 %
    ]
)
AMBASSADOR_ER_LIFT = 1.15  # ambassadors engage a bit above the nano average
ER_SIGMA = 0.35
ER_FLOOR = 0.0015  # organic accounts never drop into the planted "< 0.1 %" band

# avg_views as a share of followers: (median, sigma, lo, hi, share of rows reporting it).
VIEWS = {
    "instagram": (0.17, 0.40, 0.05, 0.60, 0.70),  # reels; feed-only accounts report none
    "tiktok": (0.35, 0.55, 0.08, 3.00, 1.00),  # For You reach: sometimes above 100 %
    "youtube": (0.17, 0.40, 0.05, 0.80, 1.00),
    "x": (0.08, 0.50, 0.02, 0.40, 0.50),
    "linkedin": (0.12, 0.50, 0.03, 0.60, 0.40),
    "blog": (0.25, 0.50, 0.05, 1.00, 0.50),
}

# USD per post, (low, high) per tier for the three priced platforms; the rest use
# Instagram x 0.6.
COST = {
    "instagram": [(10, 100), (100, 500), (500, 5_000), (5_000, 10_000), (10_000, 30_000)],
    "tiktok": [(5, 25), (25, 125), (125, 1_200), (1_200, 2_500), (2_500, 8_000)],
    "youtube": [(20, 200), (200, 1_000), (1_000, 8_000), (8_000, 20_000), (20_000, 60_000)],
}
TEXT_PLATFORM_COST_FACTOR = 0.6

# Word lists. First names are common given names only (paired with invented surnames),
# so no row names a real person.
FIRST_NAMES = {
    "en": [
        "Lena", "Maya", "Noah", "Ella", "Owen", "Ruby", "Theo", "Iris", "Jade", "Milo",
        "Nora", "Eli", "Ava", "Finn", "Cora", "Leo", "Hazel", "Jude", "Tessa", "Kai",
    ],
    "fr": [
        "Léa", "Chloé", "Hugo", "Manon", "Louis", "Camille", "Inès", "Jules", "Zoé", "Théo",
        "Anaïs", "Lucas", "Margaux", "Noé", "Élise", "Bastien",
    ],
    "es": [
        "Lucía", "Mateo", "Sofía", "Diego", "Valeria", "Pablo", "Carmen", "Iker", "Ximena",
        "Andrés", "Paula", "Bruno", "Elena", "Tomás", "Marisol", "Raúl",
    ],
    "de": [
        "Lena", "Jonas", "Mia", "Felix", "Hanna", "Lukas", "Greta", "Paul", "Frieda", "Emil",
        "Jana", "Moritz", "Clara", "Anton",
    ],
    "it": [
        "Giulia", "Marco", "Chiara", "Luca", "Alessia", "Matteo", "Sara", "Davide", "Elisa",
        "Pietro", "Martina", "Enzo", "Bianca", "Nico",
    ],
    "pt": [
        "Ana", "João", "Beatriz", "Rafael", "Larissa", "Thiago", "Camila", "Gabriel", "Júlia",
        "Felipe", "Mariana", "Caio", "Helena", "Davi",
    ],
}  # fmt: skip
SURNAME_HEADS = [
    "Bel", "Cor", "Dal", "Fen", "Gar", "Hal", "Lor", "Mar", "Nor", "Pel", "Quin", "Ros",
    "Sal", "Tor", "Val", "Wen", "Ald", "Bren", "Cas", "Dov", "Ester", "Ivo", "Kest", "Orl",
]  # fmt: skip
SURNAME_TAILS = [
    "ano", "ette", "wick", "mont", "ard", "eny", "ora", "ini", "sson", "ez", "ier",
    "berg", "ford", "elli", "ado", "ow", "ine", "ster", "aro", "ulin",
]  # fmt: skip

# Per niche: "tags" follow a first name (@lena.bakes), "stems" stand alone (@trailrunner_mx).
NICHE_TAGS = {
    "beauty": ["glows", "beauty", "makeup", "lashes", "skin", "blush", "gloss"],
    "fitness": ["lifts", "runs", "fit", "trains", "moves", "sweats", "strong"],
    "food": ["bakes", "cooks", "eats", "kitchen", "plates", "feasts", "brunch"],
    "travel": ["travels", "roams", "wanders", "abroad", "explores", "journeys", "passport"],
    "tech": ["codes", "builds", "tech", "bytes", "hacks", "devlog", "unboxes"],
    "gaming": ["plays", "games", "streams", "speedruns", "respawns", "clutch", "quests"],
    "fashion": ["styles", "wears", "outfits", "thrifts", "fits", "closet", "lookbook"],
    "parenting": ["mama", "papa", "family", "littles", "raising", "parents", "athome"],
    "finance": ["saves", "invests", "money", "budgets", "finance", "wealth", "numbers"],
    "outdoor": ["hikes", "climbs", "camps", "trails", "paddles", "outdoors", "summits"],
    "home": ["decor", "nests", "diy", "renovates", "interiors", "plants", "home"],
    "pets": ["pets", "pups", "cats", "paws", "woofs", "critters", "purrs"],
}
NICHE_STEMS = {
    "beauty": ["glowlab", "skinnotes", "lashdiary", "blushhour", "beautybench", "glossroom"],
    "fitness": ["trailrunner", "liftclub", "corecoach", "sweatsession", "stridelog", "kbcrew"],
    "food": ["pastapilgrim", "crumbdiary", "spicedrawer", "brunchclub", "sourdough", "platepoet"],
    "travel": ["carryonly", "slowtravel", "mapjournal", "stampbook", "wanderdesk", "backroads"],
    "tech": ["gadgetdesk", "codecoffee", "pixelbench", "techtinker", "bytesized", "setupdiary"],
    "gaming": ["pixelquest", "respawnroom", "lootgoblin", "speedrunlog", "padcafe", "bossrush"],
    "fashion": ["thriftedthreads", "styleledger", "closetedit", "denimdiary", "capsulecloset",
                "fitcheck"],
    "parenting": ["tinyhumans", "nurserynotes", "momlifelog", "dadnotes", "lunchboxideas",
                  "bedtimestories"],
    "finance": ["budgetbites", "frugalfolio", "indexfundfan", "moneymindful", "savingsjar",
                "ledgerlife"],
    "outdoor": ["trailmix", "summitseeker", "campfirecoffee", "paddlepath", "ridgeline",
                "basecamp"],
    "home": ["cozycorner", "plantshelf", "diyden", "tinyflat", "renoreel", "linenandoak"],
    "pets": ["pawprints", "catnapclub", "muddypaws", "tailwagging", "petpantry", "furfamily"],
}  # fmt: skip

REL_LABELS = ["influencer", "ambassador", "ambassador"]  # by rel_kind 0 / 1 / 2
KIND_LABELS = ["", "customer", "employee"]
MISSING = -1  # sentinel for empty avg_views / cost_per_post cells


class PlantedRow(NamedTuple):
    """One hand-written suspicious influencer (unlabelled in the CSV)."""

    handle: str
    name: str
    platform: str
    followers: int
    avg_likes: int
    avg_comments: int
    avg_views: int  # MISSING when not reported
    cost_per_post: int
    niche: str
    country: str
    language: str


# Priced on follower count, which is exactly the trap an audit has to catch.
_PLANTED_LOW_ENGAGEMENT = [
    PlantedRow("@glowvault.daily", "Glow Vault Daily", "instagram", 412_000, 148, 2, MISSING,
               3_800, "beauty", "US", "en"),
    PlantedRow("@fitfuel.empire", "FitFuel Empire", "instagram", 865_000, 310, 4, 9_400,
               7_450, "fitness", "GB", "en"),
    PlantedRow("@luxe.wanderlist", "Luxe Wanderlist", "instagram", 1_180_000, 420, 6, MISSING,
               14_500, "travel", "other", "en"),
    PlantedRow("@trendhaus.mode", "Trendhaus Mode", "tiktok", 620_000, 290, 3, 4_100,
               1_650, "fashion", "FR", "fr"),
    PlantedRow("@gadgetpulse.hq", "GadgetPulse HQ", "youtube", 238_000, 96, 2, 1_900,
               2_400, "tech", "DE", "de"),
    PlantedRow("@chefvibes.global", "Chef Vibes Global", "instagram", 305_000, 122, 1, MISSING,
               2_300, "food", "ES", "es"),
    PlantedRow("@cryptomaxgains", "CryptoMax Gains", "x", 540_000, 85, 3, MISSING,
               3_300, "finance", "other", "en"),
    PlantedRow("@petpals.universe", "PetPals Universe", "tiktok", 455_000, 260, 4, 3_800,
               1_400, "pets", "BR", "pt"),
]  # fmt: skip
_PLANTED_COMMENT_ANOMALY = [
    PlantedRow("@dailyglam.studio", "Daily Glam Studio", "instagram", 356_000, 20_400, 1,
               61_000, 3_600, "beauty", "US", "en"),
    PlantedRow("@streetfeast.co", "Street Feast Co", "tiktok", 212_000, 18_700, 1, 96_000,
               700, "food", "MX", "es"),
    PlantedRow("@gamerzone.elite", "GamerZone Elite", "youtube", 289_000, 14_900, 2, 71_000,
               4_200, "gaming", "CA", "en"),
]  # fmt: skip

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]
BytesArray = npt.NDArray[np.bytes_]


def planted_suspicious_handles() -> list[str]:
    """Handles planted with 200k-1.2M followers and engagement < 0.1 % (bought followers)."""
    return [row.handle for row in _PLANTED_LOW_ENGAGEMENT]


def planted_comment_anomaly_handles() -> list[str]:
    """Handles planted with an absurd likes-to-comments ratio (bought likes)."""
    return [row.handle for row in _PLANTED_COMMENT_ANOMALY]


@dataclass(frozen=True)
class CreatorColumns:
    """Creator table as arrays: strings live once in small vocabularies and rows hold
    integer codes, so a million rows stay cheap to build and write."""

    handle_vocab: ObjArray  # base handles; a row's handle is base + optional number
    handle_code: IntArray
    handle_suffix: IntArray  # 0 = no numeric suffix
    name_vocab: ObjArray
    name_code: IntArray
    platform: IntArray  # index into PLATFORMS
    rel_kind: IntArray  # 0 influencer, 1 customer ambassador, 2 employee ambassador
    niche: IntArray
    country: IntArray
    language: IntArray
    followers: IntArray
    avg_likes: IntArray
    avg_comments: IntArray
    avg_views: IntArray  # MISSING = empty cell
    cost_per_post: IntArray  # MISSING = empty cell

    @property
    def rows(self) -> int:
        """Number of creators."""
        return int(self.followers.shape[0])

    def row_arrays(self) -> dict[str, IntArray]:
        """The per-row arrays (everything except the vocabularies)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("handle_vocab", "name_vocab")
        }

    def handles(self) -> ObjArray:
        """Full handle strings (base + suffix)."""
        suffix = np.where(self.handle_suffix > 0, self.handle_suffix.astype(str), "")
        return self.handle_vocab[self.handle_code] + suffix.astype(object)

    def to_frame(self) -> pd.DataFrame:
        """Canonical-layout DataFrame; empty cells become <NA>."""

        def nullable(values: IntArray) -> pd.arrays.IntegerArray:
            return pd.arrays.IntegerArray(values.copy(), values == MISSING)

        def label(vocab: Sequence[str], codes: IntArray) -> ObjArray:
            return np.array(vocab, dtype=object)[codes]

        kind = label(KIND_LABELS, self.rel_kind)
        return pd.DataFrame(
            {
                "handle": self.handles(),
                "name": self.name_vocab[self.name_code],
                "platform": label(PLATFORMS, self.platform),
                "followers": self.followers,
                "avg_likes": self.avg_likes,
                "avg_comments": self.avg_comments,
                "avg_views": nullable(self.avg_views),
                "cost_per_post": nullable(self.cost_per_post),
                "relationship": label(REL_LABELS, self.rel_kind),
                "ambassador_kind": np.where(kind == "", None, kind),
                "niche": label(NICHES, self.niche),
                "country": label(COUNTRIES, self.country),
                "language": label(LANGUAGES, self.language),
            },
            columns=COLUMNS,
        )


def _ascii_lower(text: str) -> str:
    """Strip accents so display names can feed handles (Léa -> lea)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _quota_labels(rng: np.random.Generator, n: int, shares: Sequence[float]) -> IntArray:
    """Shuffled labels hitting the shares exactly (largest remainder), so even small
    files show every tier and kind in the intended proportions."""
    raw = np.asarray(shares, dtype=float) / float(np.sum(shares)) * n
    counts = np.floor(raw).astype(np.int64)
    counts[np.argsort(-(raw - counts), kind="stable")[: n - int(counts.sum())]] += 1
    return rng.permutation(np.repeat(np.arange(len(counts), dtype=np.int64), counts))


def _choice_by_group(rng: np.random.Generator, probs: FloatArray, group: IntArray) -> IntArray:
    """Vectorised categorical draw where each row's distribution depends on its group."""
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(group.shape[0])
    idx = np.empty(group.shape[0], dtype=np.int64)
    for g in range(probs.shape[0]):  # loops over groups (<= 10), not rows
        in_g = group == g
        idx[in_g] = np.searchsorted(cum[g], u[in_g], side="right")
    return np.minimum(idx, probs.shape[1] - 1)


def _choice(rng: np.random.Generator, probs: Sequence[float], n: int) -> IntArray:
    """Vectorised categorical draw with one distribution for every row."""
    return _choice_by_group(rng, np.asarray([probs], dtype=float), np.zeros(n, dtype=np.int64))


def _pick_in_group(
    rng: np.random.Generator, groups: Sequence[Sequence[str]], group: IntArray
) -> tuple[ObjArray, IntArray]:
    """Pick one word per row from its group's list; returns the flat list and row indices."""
    flat = np.array([w for g in groups for w in g], dtype=object)
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    idx = offsets[group] + (rng.random(group.shape[0]) * sizes[group]).astype(np.int64)
    return flat, idx


def _lognormal_factor(rng: np.random.Generator, n: int, sigma: float, clip: float) -> FloatArray:
    """Multiplicative noise with median 1, z clipped to +/- ``clip`` to avoid absurd tails."""
    return np.exp(sigma * np.clip(rng.standard_normal(n), -clip, clip))


def _strings_from_combos(
    combo: IntArray, build: Callable[[IntArray], ObjArray]
) -> tuple[ObjArray, IntArray]:
    """Build strings only for distinct combination codes, then dedupe the strings.

    Why: a million rows hold a few tens of thousands of distinct handle/name stems, so
    concatenating per distinct combo (not per row) keeps string work tiny."""
    uniq, inverse = np.unique(combo, return_inverse=True)
    vocab, string_code = np.unique(build(uniq).astype(str), return_inverse=True)
    return vocab.astype(object), string_code[inverse].astype(np.int64)


def _round_cost(rng: np.random.Generator, cost: FloatArray) -> IntArray:
    """Round to steps people actually quote (5/10/50/250), a quarter of creators quoting a
    ten-times coarser round figure, so prices look human but not all round thousands."""
    step = np.select([cost < 200, cost < 2_000, cost < 20_000], [5.0, 10.0, 50.0], 250.0)
    step = np.where(rng.random(cost.shape[0]) < 0.25, step * 10, step)
    rounded = np.round(cost / step) * step
    rounded = np.where(rounded <= 0, np.round(cost / 5) * 5, rounded)
    return np.maximum(rounded, 5).astype(np.int64)


def _occurrence_rank(code: IntArray) -> IntArray:
    """0 for the first row with a given code, 1 for the second, ... (vectorised cumcount)."""
    n = code.shape[0]
    order = np.argsort(code, kind="stable")
    sorted_code = code[order]
    starts = np.concatenate([[True], sorted_code[1:] != sorted_code[:-1]])
    group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - group_start
    return rank


def _organic(rng: np.random.Generator, n: int) -> CreatorColumns:
    """Draw ``n`` organic creators (influencers and ambassadors), fully vectorised."""
    amb = AMBASSADOR_SHARE
    cust = CUSTOMER_SHARE_OF_AMBASSADORS
    rel_kind = _quota_labels(rng, n, [1 - amb, amb * cust, amb * (1 - cust)])
    is_amb = rel_kind > 0
    n_inf = int((~is_amb).sum())
    n_amb = n - n_inf

    # Followers: influencers log-uniform within a quota-assigned tier; ambassadors
    # log-normal around 700, out-of-range draws redrawn once, then clipped to 150-8,000.
    followers_f = np.empty(n, dtype=float)
    tier = _quota_labels(rng, n_inf, TIER_SHARES)
    lo, hi = np.log(TIER_EDGES[tier]), np.log(TIER_EDGES[tier + 1])
    followers_f[~is_amb] = np.exp(lo + rng.random(n_inf) * (hi - lo))
    amb_f = np.exp(np.log(700) + 0.8 * rng.standard_normal(n_amb))
    redraw = np.exp(np.log(700) + 0.8 * rng.standard_normal(n_amb))
    amb_f = np.where((amb_f < 150) | (amb_f > 8_000), redraw, amb_f)
    followers_f[is_amb] = np.clip(amb_f, 150, 8_000)
    followers = np.floor(followers_f).astype(np.int64)
    tier_all = np.searchsorted(TIER_EDGES[1:5], followers, side="right").astype(np.int64)

    platform_p = np.stack([PLATFORM_P_INFLUENCER, PLATFORM_P_CUSTOMER, PLATFORM_P_EMPLOYEE])
    platform = _choice_by_group(rng, platform_p, rel_kind)
    niche = _choice_by_group(rng, NICHE_W, platform)
    country = _choice(rng, COUNTRY_P, n)
    language = _choice_by_group(rng, LANGUAGE_P, country)

    # Engagement: per-platform curve over log10(followers), log-normal noise, a floor.
    log10_f = np.log10(followers)
    er_mean = np.empty(n, dtype=float)
    for p in range(len(PLATFORMS)):  # loops over 6 platforms, not rows
        on_p = platform == p
        er_mean[on_p] = np.interp(log10_f[on_p], ER_ANCHOR_LOG10, ER_ANCHORS[p])
    er_mean = np.where(is_amb, er_mean * AMBASSADOR_ER_LIFT, er_mean)
    er_noise = _lognormal_factor(rng, n, ER_SIGMA, 2.0)
    engagement = followers * np.maximum(er_mean * er_noise, ER_FLOOR)
    comment_share = np.clip(0.032 * _lognormal_factor(rng, n, 0.30, 3.0), 0.015, 0.07)
    likes = np.maximum(np.round(engagement / (1 + comment_share)), 1).astype(np.int64)
    comments = np.round(likes * comment_share).astype(np.int64)

    # Views: share of followers by platform, never under 3x the engagement; some rows
    # (feed-only Instagram, many X / LinkedIn / blog) leave it empty.
    views = np.full(n, MISSING, dtype=np.int64)
    view_u = rng.random(n)
    view_z = rng.standard_normal(n)
    for p, pname in enumerate(PLATFORMS):
        med, sigma, vlo, vhi, reporting = VIEWS[pname]
        on_p = (platform == p) & (view_u < reporting)
        share = np.clip(med * np.exp(sigma * view_z[on_p]), vlo, vhi)
        floor = 3 * (likes[on_p] + comments[on_p])
        views[on_p] = np.round(np.maximum(followers[on_p] * share, floor)).astype(np.int64)

    # Cost: log-interpolated across the tier's price band by position in the tier,
    # nudged by engagement quality and noise; ambassadors are not paid per post.
    bands = np.array(
        [
            np.array(COST.get(pname, COST["instagram"]), dtype=float)
            * (1.0 if pname in COST else TEXT_PLATFORM_COST_FACTOR)
            for pname in PLATFORMS
        ]
    )  # (platform, tier, lo/hi)
    cost_lo = bands[platform, tier_all, 0]
    cost_hi = bands[platform, tier_all, 1]
    t_lo, t_hi = np.log(TIER_EDGES[tier_all]), np.log(TIER_EDGES[tier_all + 1])
    frac = np.clip((np.log(followers) - t_lo) / (t_hi - t_lo), 0, 1)
    log_cost = np.log(cost_lo) + frac * (np.log(cost_hi) - np.log(cost_lo))
    log_cost += 0.25 * np.log(er_noise) + 0.2 * np.clip(rng.standard_normal(n), -2, 2)
    cost = _round_cost(rng, np.clip(np.exp(log_cost), cost_lo * 0.85, cost_hi * 1.15))
    cost = np.where(is_amb, MISSING, cost)

    # Display names: language-matched first name + invented surname (or its initial).
    lang_groups = [FIRST_NAMES[lang] for lang in LANGUAGES]
    first_flat, first_idx = _pick_in_group(rng, lang_groups, language)
    first_ascii = np.array([_ascii_lower(w) for w in first_flat], dtype=object)
    n_heads, n_tails = len(SURNAME_HEADS), len(SURNAME_TAILS)
    head = rng.integers(0, n_heads, n)
    tail = np.where(rng.random(n) < 0.2, n_tails, rng.integers(0, n_tails, n))  # n_tails = "X."
    heads = np.array(SURNAME_HEADS, dtype=object)
    tails = np.array([*SURNAME_TAILS, ""], dtype=object)

    def build_name(c: IntArray) -> ObjArray:
        f, h, t = c // ((n_tails + 1) * n_heads), c // (n_tails + 1) % n_heads, c % (n_tails + 1)
        initial = np.array([s[0] + "." for s in SURNAME_HEADS], dtype=object)
        return first_flat[f] + " " + np.where(t == n_tails, initial[h], heads[h] + tails[t])

    name_vocab, name_code = _strings_from_combos(
        (first_idx * n_heads + head) * (n_tails + 1) + tail, build_name
    )

    # Handles from niche word lists; irrelevant parts are zeroed per pattern so the
    # combination code maps to few distinct strings.
    tag_flat, tag_idx = _pick_in_group(rng, [NICHE_TAGS[x] for x in NICHES], niche)
    stem_flat, stem_idx = _pick_in_group(rng, [NICHE_STEMS[x] for x in NICHES], niche)
    sep_idx = rng.integers(0, len(HANDLE_SEPS), n)
    pattern = _choice(rng, HANDLE_PATTERN_P, n)
    pattern = np.where((pattern == 1) & (country == COUNTRIES.index("other")), 2, pattern)
    uses_first = pattern != 1
    uses_tag = (pattern == 0) | (pattern == 4)
    uses_stem = ~uses_tag
    uses_sep = (pattern == 2) | (pattern == 3)
    dims = [
        (pattern, len(HANDLE_PATTERN_P)),
        (np.where(uses_first, first_idx, 0), len(first_flat)),
        (np.where(uses_tag, tag_idx, 0), len(tag_flat)),
        (np.where(uses_stem, stem_idx, 0), len(stem_flat)),
        (np.where(uses_sep, sep_idx, 0), len(HANDLE_SEPS)),
        (np.where(pattern == 1, country, 0), len(COUNTRIES)),
    ]
    combo = np.zeros(n, dtype=np.int64)
    for values, size in dims:  # mixed-radix code over 6 parts
        combo = combo * size + values

    def build_handle(c: IntArray) -> ObjArray:
        parts = []
        for _, size in reversed(dims):
            parts.append(c % size)
            c = c // size
        ctry, sep, stem, tag, first, pat = parts
        f, t, s = first_ascii[first], tag_flat[tag], stem_flat[stem]
        sp, region = np.array(HANDLE_SEPS, dtype=object)[sep], HANDLE_REGION[ctry]
        body = np.select(
            [pat == 0, pat == 1, pat == 2, pat == 3],
            [f + "." + t, s + "_" + region, f + sp + s, s + sp + f],
            f + t,
        )
        return "@" + body

    handle_vocab, handle_code = _strings_from_combos(combo, build_handle)

    return CreatorColumns(
        handle_vocab=handle_vocab,
        handle_code=handle_code,
        handle_suffix=np.zeros(n, dtype=np.int64),
        name_vocab=name_vocab,
        name_code=name_code,
        platform=platform,
        rel_kind=rel_kind,
        niche=niche,
        country=country,
        language=language,
        followers=followers,
        avg_likes=likes,
        avg_comments=comments,
        avg_views=views,
        cost_per_post=cost,
    )


def _with_planted(organic: CreatorColumns, at: IntArray, order: IntArray) -> CreatorColumns:
    """Insert the planted rows (in ``order``) before organic row indices ``at`` (sorted),
    extending the vocabularies."""
    planted = [(_PLANTED_LOW_ENGAGEMENT + _PLANTED_COMMENT_ANOMALY)[i] for i in order]
    clash = set(organic.handle_vocab.tolist()) & {row.handle for row in planted}
    if clash:
        raise RuntimeError(f"organic vocabulary produces planted handles: {sorted(clash)}")
    k = len(planted)

    def col(attr: str) -> IntArray:
        return np.array([getattr(row, attr) for row in planted], dtype=np.int64)

    def codes(attr: str, vocab: Sequence[str]) -> IntArray:
        return np.array([vocab.index(getattr(row, attr)) for row in planted], dtype=np.int64)

    extra = {
        "handle_code": len(organic.handle_vocab) + np.arange(k, dtype=np.int64),
        "handle_suffix": np.zeros(k, dtype=np.int64),
        "name_code": len(organic.name_vocab) + np.arange(k, dtype=np.int64),
        "platform": codes("platform", PLATFORMS),
        "rel_kind": np.zeros(k, dtype=np.int64),
        "niche": codes("niche", NICHES),
        "country": codes("country", COUNTRIES),
        "language": codes("language", LANGUAGES),
        **{a: col(a) for a in ("followers", "avg_likes", "avg_comments", "avg_views")},
        "cost_per_post": col("cost_per_post"),
    }
    joined = {
        name: np.insert(values, at, extra[name]) for name, values in organic.row_arrays().items()
    }
    return CreatorColumns(
        handle_vocab=np.concatenate([organic.handle_vocab, [r.handle for r in planted]]),
        name_vocab=np.concatenate([organic.name_vocab, [r.name for r in planted]]),
        **joined,
    )


def generate_columns(rows: int = DEFAULT_ROWS, seed: int = SEED) -> CreatorColumns:
    """Organic rows with the planted ones at random positions; repeated handles numbered."""
    n_planted = len(_PLANTED_LOW_ENGAGEMENT) + len(_PLANTED_COMMENT_ANOMALY)
    if rows < n_planted + 20:
        raise ValueError(f"rows must be at least {n_planted + 20}")
    rng = np.random.default_rng(seed)
    organic = _organic(rng, rows - n_planted)
    # Organic rows are already in random order; drop the planted ones in at random slots.
    slots = np.sort(rng.choice(rows, n_planted, replace=False))
    cols = _with_planted(organic, slots - np.arange(n_planted), rng.permutation(n_planted))
    # Bases never end in a digit, so base + number cannot collide with another base.
    rank = _occurrence_rank(cols.handle_code)
    return replace(cols, handle_suffix=np.where(rank > 0, rank + 1, 0))


def generate_creators(rows: int = DEFAULT_ROWS, seed: int = SEED) -> pd.DataFrame:
    """The creator table as a DataFrame in canonical column order."""
    return generate_columns(rows, seed).to_frame()


def _csv_safe(values: Sequence[str]) -> Sequence[str]:
    """Refuse values that would need CSV quoting, so unquoted output stays valid."""
    if any(ch in "\x00".join(values) for ch in ',"\n\r'):
        bad = [v for v in values if any(ch in v for ch in ',"\n\r')]
        raise ValueError(f"values need CSV quoting: {bad[:3]}")
    return values


def _bytes_vocab(values: Sequence[str], end: str) -> BytesArray:
    """UTF-8 encode a (checked) vocabulary, each entry followed by ``end``."""
    return np.array([(v + end).encode() for v in _csv_safe(values)], dtype=np.bytes_)


_POW10 = 10 ** np.arange(1, 19, dtype=np.int64)


def _int_field(values: IntArray, end: bytes = b",") -> BytesArray:
    """Decimal digits + ``end`` per row (just ``end`` for MISSING), as a bytes array.

    Why: digits are written into a zero-padded uint8 matrix viewed as fixed-width bytes
    (numpy drops trailing NULs); it is faster than ``astype("S")`` plus a separate add."""
    n = values.shape[0]
    present = values >= 0
    v = np.where(present, values, 0)
    ndig = np.where(present, np.searchsorted(_POW10, v, side="right") + 1, 0)
    width = int(ndig.max(initial=0)) + len(end)
    mat = np.zeros((n, width), dtype=np.uint8)
    for k in range(width - len(end)):  # loops over digit positions (<= 19), not rows
        exp = ndig - 1 - k
        digit = (v // 10 ** np.maximum(exp, 0)) % 10 + ord("0")
        mat[:, k] = np.where(exp >= 0, digit, 0)
    for i, byte in enumerate(end):
        mat[np.arange(n), ndig + i] = byte
    return mat.view(f"S{width}").ravel()


def _concat(parts: list[BytesArray]) -> BytesArray:
    """Row-wise concatenation of bytes arrays, pairwise so long prefixes are copied less."""
    while len(parts) > 1:
        paired = [np.strings.add(a, b) for a, b in zip(parts[::2], parts[1::2], strict=False)]
        parts = paired + ([parts[-1]] if len(parts) % 2 else [])
    return parts[0]


def write_creators(cols: CreatorColumns, out: Path, chunk_rows: int = 250_000) -> None:
    """Write the CSV (UTF-8, LF, no quoting needed, empty = missing) byte-stably.

    Why not ``DataFrame.to_csv``: it takes ~4-5 s per million rows here; concatenating byte
    arrays takes about one, and the bytes are what ``to_csv`` would write for this data."""
    handle_b = _bytes_vocab(cols.handle_vocab.tolist(), "")
    name_b = _bytes_vocab(cols.name_vocab.tolist(), ",")
    platform_b = _bytes_vocab(PLATFORMS, ",")
    # relationship, ambassador_kind, niche, country, language as one combined vocabulary.
    for labels in (REL_LABELS, KIND_LABELS, NICHES, COUNTRIES, LANGUAGES):
        _csv_safe(labels)
    sizes = (len(REL_LABELS), len(NICHES), len(COUNTRIES), len(LANGUAGES))
    tail_b = np.array(
        [
            f"{REL_LABELS[r]},{KIND_LABELS[r]},{ni},{c},{la}\n".encode()
            for r, ni, c, la in product(range(sizes[0]), NICHES, COUNTRIES, LANGUAGES)
        ],
        dtype=np.bytes_,
    )  # mixed-radix order matching tail_code below
    tail_code = cols.rel_kind
    for values, size in zip((cols.niche, cols.country, cols.language), sizes[1:], strict=True):
        tail_code = tail_code * size + values
    suffix = np.where(cols.handle_suffix > 0, cols.handle_suffix, MISSING)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        fh.write((",".join(COLUMNS) + "\n").encode())
        for start in range(0, cols.rows, chunk_rows):  # chunks of rows, bounded memory
            s = slice(start, start + chunk_rows)
            line = _concat(
                [
                    handle_b[cols.handle_code[s]],
                    _int_field(suffix[s]),  # "2," for a repeated handle, else ","
                    name_b[cols.name_code[s]],
                    platform_b[cols.platform[s]],
                    _int_field(cols.followers[s]),
                    _int_field(cols.avg_likes[s]),
                    _int_field(cols.avg_comments[s]),
                    _int_field(cols.avg_views[s]),
                    _int_field(cols.cost_per_post[s]),
                    tail_b[tail_code[s]],
                ]
            )
            fh.write(b"".join(line.tolist()))


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: regenerate the canonical sample, or a large file for benchmarks."""
    parser = argparse.ArgumentParser(description="Generate the synthetic creators CSV.")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="number of creators")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output CSV path")
    parser.add_argument("--seed", type=int, default=SEED, help="RNG seed (keep the default)")
    args = parser.parse_args(argv)
    cols = generate_columns(args.rows, args.seed)
    write_creators(cols, args.out)
    print(f"wrote {cols.rows:,} creators to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
