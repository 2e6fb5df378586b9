"""Where a plan's creators come from: benchmark archetypes, an analyst's list, or a shortlist
bought as it is (`Search.of` takes any of them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import pandas as pd

from advisor.creators.ingest import CreatorLoad
from advisor.creators.shortlist import Shortlist
from advisor.creators.table import CreatorTable, creator_table
from advisor.model.assumptions import ModelFigures

Creators: TypeAlias = CreatorLoad | CreatorTable | Shortlist | pd.DataFrame | None


@dataclass(frozen=True)
class Source:
    """A creator list as given: its table (None: benchmark archetypes), its label, and whether
    flagged creators may be paid (a `Shortlist` is used as the analyst chose it)."""

    table: CreatorTable | None
    label: str
    keep_flagged: bool = False
    use_all: bool = False  # a Shortlist: every row is bought as it is

    @classmethod
    def of(cls, creators: Creators, fig: ModelFigures, keep_flagged: bool = False) -> Source:
        if creators is None:
            return cls(None, "benchmarks", keep_flagged)
        if isinstance(creators, Shortlist):
            table = creators.creators
            return cls(table, f"shortlist:{len(table)}:{table.label}", True, True)
        if not isinstance(creators, CreatorLoad | CreatorTable | pd.DataFrame):
            raise TypeError(
                "creators must be a CreatorLoad, a CreatorTable, a Shortlist or a DataFrame in "
                f"the canonical layout, not {type(creators).__name__}"
            )
        table = creator_table(creators, fig)
        return cls(table, table.label, keep_flagged)
