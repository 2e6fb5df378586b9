"""Checks on the committed sample creator list and its seeded generator.

Why: the demo, audits and optimiser tests lean on ``advisor/data/creators.csv`` being realistic,
reproducible and carrying the planted suspicious accounts, so guard all three here.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "data" / "generate_creators.py"
CSV = ROOT / "advisor" / "data" / "creators.csv"

PLATFORMS = {"instagram", "tiktok", "youtube", "x", "linkedin", "blog"}
TIER_EDGES = [0, 10_000, 100_000, 500_000, 1_000_000, np.inf]
TIERS = ["nano", "micro", "mid", "macro", "mega"]


def _load_generator() -> ModuleType:
    """Import the script by path: ``data/`` is not a package."""
    spec = importlib.util.spec_from_file_location("generate_creators", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _load_generator()


@pytest.fixture(scope="module")
def creators() -> pd.DataFrame:
    df = pd.read_csv(CSV)
    df["er"] = (df["avg_likes"] + df["avg_comments"]) / df["followers"]
    df["tier"] = pd.cut(df["followers"], TIER_EDGES, right=False, labels=TIERS)
    return df


def test_layout_and_size(gen: ModuleType, creators: pd.DataFrame) -> None:
    assert list(creators.columns[:13]) == gen.COLUMNS
    assert len(creators) >= 500
    assert creators["handle"].is_unique
    assert creators["handle"].str.startswith("@").all()


def test_categories_present(creators: pd.DataFrame) -> None:
    assert set(creators["platform"]) == PLATFORMS
    assert set(creators["relationship"]) == {"influencer", "ambassador"}
    influencers = creators[creators["relationship"] == "influencer"]
    assert set(influencers["tier"].dropna()) == set(TIERS)
    ambassadors = creators[creators["relationship"] == "ambassador"]
    assert set(ambassadors["ambassador_kind"]) == {"customer", "employee"}
    assert influencers["ambassador_kind"].isna().all()
    # Ambassadors are not paid per post; influencers always carry a rate.
    assert ambassadors["cost_per_post"].isna().all()
    assert influencers["cost_per_post"].notna().all()
    # Some rows leave views empty to exercise optional data.
    assert creators["avg_views"].isna().any() and creators["avg_views"].notna().any()


def test_regenerates_byte_identical(gen: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "creators.csv"
    assert gen.main(["--out", str(out)]) == 0
    assert out.read_bytes() == CSV.read_bytes()


def test_rows_option_keeps_layout(gen: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "big.csv"
    gen.main(["--rows", "3000", "--out", str(out)])
    df = pd.read_csv(out)
    assert len(df) == 3000
    assert list(df.columns) == gen.COLUMNS
    assert df["handle"].is_unique
    # The fast writer emits exactly what pandas would for the same table.
    frame = gen.generate_creators(3000)
    assert frame.to_csv(index=False, lineterminator="\n").encode() == out.read_bytes()


def test_instagram_engagement_falls_with_tier(gen: ModuleType, creators: pd.DataFrame) -> None:
    planted = set(gen.planted_suspicious_handles()) | set(gen.planted_comment_anomaly_handles())
    organic = creators[~creators["handle"].isin(planted)]
    insta = organic[
        (organic["platform"] == "instagram") & (organic["relationship"] == "influencer")
    ]
    medians = insta.groupby("tier", observed=True)["er"].median().reindex(TIERS)
    assert medians.notna().all()
    assert medians.is_monotonic_decreasing and medians.is_unique, medians


def test_planted_suspicious_accounts(gen: ModuleType, creators: pd.DataFrame) -> None:
    low = gen.planted_suspicious_handles()
    assert len(low) == 8
    rows = creators.set_index("handle").loc[low]
    assert (rows["relationship"] == "influencer").all()
    assert rows["followers"].between(200_000, 1_200_000).all()
    assert (rows["er"] < 0.001).all()

    odd = gen.planted_comment_anomaly_handles()
    assert len(odd) == 3
    odd_rows = creators.set_index("handle").loc[odd]
    assert (odd_rows["avg_likes"] / odd_rows["avg_comments"].clip(lower=1) > 1_000).all()

    # Only the planted accounts look like this, so an audit's hits are exactly them.
    organic = creators[~creators["handle"].isin(low + odd)]
    assert (organic["er"] >= 0.001).all()
    assert (organic["avg_likes"] / organic["avg_comments"].clip(lower=1) < 200).all()
