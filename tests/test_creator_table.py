"""The creator table: built once from an ingested list, used as it is up to the shortlist."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from advisor import Assumptions, CampaignBrief, load_creators, optimise_shortlist, recommend
from advisor.creators.shortlist import ShortlistRules
from advisor.creators.table import COLUMNS, CreatorTable, creator_table
from advisor.model.currency import per_usd
from advisor.present.exports import template_csv


@pytest.fixture(scope="module")
def template():
    return load_creators(template_csv(), label="template.csv")


def test_cost_estimated_from_upload_to_shortlist(template):
    """Issue 8: `trailrunner_ca` has no price in the template; it stays estimated after the
    shortlist (the second derivation used to reset it to False)."""
    assert template.table.set_index("handle").loc["trailrunner_ca", "cost_estimated"]
    table = creator_table(template)
    row = table.frame.set_index("handle").loc["trailrunner_ca"]
    assert (
        row["cost_estimated"]
        and not table.frame.set_index("handle").loc["lena.bakes"]["cost_estimated"]
    )
    brief = CampaignBrief(goal="product_launch", budget=20_000, weeks=8)
    shortlist = optimise_shortlist(brief, table, 1.0, ShortlistRules(max_share_per_creator=1.0))
    chosen = shortlist.table.set_index("handle")
    assert "trailrunner_ca" in chosen.index
    assert chosen.loc["trailrunner_ca", "cost_estimated"]
    assert not chosen.loc["lena.bakes", "cost_estimated"]
    assert shortlist.creators.frame.set_index("handle").loc["trailrunner_ca", "cost_estimated"]
    # and in the plan built from the upload itself
    plan = recommend(brief, creators=template)
    named = {c.handle: c for c in plan.creators}
    assert named["trailrunner_ca"].cost_estimated and not named["lena.bakes"].cost_estimated


def test_the_table_is_typed_and_built_once(template):
    table = CreatorTable.build(template)
    assert tuple(table.frame.columns) == COLUMNS
    assert table.label == "template.csv" and table.currency == "USD"
    assert creator_table(table) is table  # a built table passes through as it is
    assert table.frame.attrs == {}  # nothing stashed on the DataFrame
    amb = table.ambassadors
    assert amb.handles == ["maya.customer"] and amb.frame["relationship_idx"].eq(1).all()
    assert (table.frame["line"] == [2, 3, 4]).all()


def test_costs_in_the_lists_currency_and_in_dollars_converted_once():
    frame = pd.DataFrame(
        {
            "handle": ["a", "b"],
            "platform": ["instagram", "tiktok"],
            "followers": [20_000, 15_000],
            "cost_per_post": [460.0, np.nan],
            "relationship": ["influencer", "influencer"],
        }
    )
    fig = Assumptions().model()
    table = CreatorTable.build(frame, fig, currency="EUR")
    a, b = table.frame.iloc[0], table.frame.iloc[1]
    assert a["cost_per_post"] == 460.0 and a["cost_usd"] == pytest.approx(460 / per_usd("EUR"))
    assert b["cost_estimated"] and b["cost_per_post"] == pytest.approx(
        b["cost_usd"] * per_usd("EUR")
    )
    # the load's own currency when it has one (CreatorLoad.currency)
    load = SimpleNamespace(table=frame, currency="GBP", label="uk.csv")
    from_load = CreatorTable.build(load, fig)  # type: ignore[arg-type]
    assert from_load.currency == "GBP" and from_load.label == "uk.csv"
    assert from_load.frame["cost_usd"].iat[0] == pytest.approx(460 / per_usd("GBP"))


def test_estimated_costs_follow_edited_assumptions(template):
    cheap = Assumptions(overrides={"cost.tiktok.micro": 111})
    table = CreatorTable.build(template, cheap.model())
    row = table.frame.set_index("handle").loc["trailrunner_ca"]
    assert row["tier"] == "micro" and row["cost_usd"] == pytest.approx(111)
    listed = table.frame.set_index("handle").loc["lena.bakes"]
    assert listed["cost_usd"] == pytest.approx(450)


def test_flags_travel_with_the_rows():
    load = load_creators("advisor/data/creators.csv")
    table = creator_table(load)
    flagged = table.frame[table.frame["flagged"]]
    assert len(flagged) > 0
    assert (flagged["flags"].str.len() > 0).all()
    assert set(flagged["handle"]) == set(
        load.table.loc[load.table["flags"].astype(str) != "", "handle"]
    )


def test_a_load_is_built_once_until_it_changes(template):
    """Planning the same load again reuses its table (plans, factors and curves each asked
    for it); an edit in place, other figures or a copy are built anew."""
    load = template.model_copy(deep=True)
    first = creator_table(load)
    assert creator_table(load) is first
    edited = Assumptions(overrides={"cost.instagram.micro": 999.0}).model()
    assert creator_table(load, edited) is not first
    load.table.loc[0, "followers"] = int(load.table.loc[0, "followers"]) * 3 + 1
    rebuilt = creator_table(load)
    assert rebuilt is not first
    assert rebuilt.frame.loc[0, "followers"] == load.table.loc[0, "followers"]
    assert creator_table(load.model_copy(deep=True)) is not rebuilt


@pytest.mark.parametrize("row", [0, 1, -1])
def test_any_edit_in_place_changes_the_loads_mark(template, row) -> None:
    """The mark that tells an edited load from the one built already changes with any value
    of any column (numbers, text, categories, flags), and not with a copy."""
    from advisor.creators.table import content_mark

    table = template.table
    mark = content_mark(table)
    assert content_mark(table.copy()) == mark
    assert content_mark(table.iloc[1:]) != mark
    label = table.index[row]
    for name in table.columns:
        edited = table.copy()
        value = edited.at[label, name]
        column = edited[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            others = [c for c in column.cat.categories if c != value]
            if not others:
                continue
            edited.at[label, name] = others[0]
        elif column.dtype.kind == "b":
            edited.at[label, name] = not value
        elif column.dtype.kind in "iuf":
            edited.at[label, name] = 7 if pd.isna(value) else value + 1
        else:
            edited.at[label, name] = f"{value}x"
        assert content_mark(edited) != mark, name
