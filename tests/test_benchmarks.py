"""Benchmarks load, validate, and every figure names its source."""

import shutil

import numpy as np
import pytest
from pydantic import ValidationError

from advisor.model.benchmarks import DATA_DIR, TIERS, load_benchmarks, read_benchmarks


def test_every_figure_has_a_known_source_with_a_year():
    bench = load_benchmarks()
    for table in (bench.engagement, bench.reach, bench.cost):
        for row in table.values():
            assert bench.sources[row.source_id].year >= 1950
    assert all(a.source_id in bench.sources for a in bench.assumptions.values())


def test_tiers_follow_the_named_table():
    bench = load_benchmarks()
    assert [t.tier for t in bench.tiers] == list(TIERS)
    assert bench.tier_of(np.array([500, 10_000, 99_999, 100_000, 999_999, 5e6])).tolist() == [
        0,
        1,
        1,
        2,
        3,
        4,
    ]


def test_engagement_falls_with_tier_on_instagram_and_tiktok():
    grid = load_benchmarks().grid("engagement")
    for row in grid[:2]:
        assert all(np.diff(row) <= 0)


def test_a_broken_figure_is_refused_at_start_up(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data", ignore=shutil.ignore_patterns("creators.csv"))
    path = tmp_path / "data" / "benchmarks" / "engagement_rates.csv"
    path.write_text(path.read_text().replace("instagram,nano,0.0178", "instagram,nano,-3"))
    with pytest.raises(ValidationError):
        read_benchmarks(tmp_path / "data")


def test_an_unknown_source_is_refused(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data", ignore=shutil.ignore_patterns("creators.csv"))
    path = tmp_path / "data" / "benchmarks" / "cost_per_post.csv"
    path.write_text(path.read_text().replace(",wordontheblock,", ",someblog,", 1))
    with pytest.raises(ValidationError, match="unknown source"):
        read_benchmarks(tmp_path / "data")


def _copy(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data", ignore=shutil.ignore_patterns("creators.csv"))
    return tmp_path / "data" / "benchmarks"


def test_engagement_falls_with_tier_on_every_platform_once_converted():
    grid = load_benchmarks().grid("engagement")  # per follower, per-view rows converted
    assert np.all(np.diff(grid, axis=1) <= 1e-12)
    assert np.all(grid <= load_benchmarks().grid("reach"))  # never more engagements than reached


def test_engagement_rising_with_tier_is_refused(tmp_path):
    path = _copy(tmp_path) / "engagement_rates.csv"
    path.write_text(path.read_text().replace("instagram,mega,0.0033", "instagram,mega,0.0160"))
    with pytest.raises(ValidationError, match="rises with tier on instagram"):
        read_benchmarks(tmp_path / "data")


def test_more_engagements_than_people_reached_is_refused(tmp_path):
    path = _copy(tmp_path) / "engagement_rates.csv"
    text = path.read_text().replace("x,nano,0.0039", "x,nano,0.2000")
    path.write_text(text)
    with pytest.raises(ValidationError, match="more engagements than people reached on x"):
        read_benchmarks(tmp_path / "data")


def test_a_price_far_from_the_published_cpm_is_refused(tmp_path):
    path = _copy(tmp_path) / "cost_per_post.csv"
    lines = path.read_text().splitlines()
    lines = [
        ",".join([*line.split(",")[:4], "9000", *line.split(",")[5:]])
        if line.startswith("youtube,micro")
        else line
        for line in lines
    ]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValidationError, match="youtube/micro costs"):
        read_benchmarks(tmp_path / "data")


def test_every_tier_cpm_sits_within_twice_the_published_range():
    bench = load_benchmarks()
    followers = bench.archetype_followers()
    cpm = (
        bench.grid("cost")
        / (followers * bench.grid("reach") * bench.grid("impressions_per_reach"))
        * 1000
    )
    for i, platform in enumerate(("instagram", "tiktok", "youtube")):
        low, high = bench.published_cpm_range(platform)
        assert np.all(cpm[i] >= low / 2) and np.all(cpm[i] <= high * 2), (platform, cpm[i])
