"""The creator list's schema: canonical columns, plausible bounds, the row and load models,
the one documented error."""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from advisor.creators import csvread
from advisor.locale.i18n import DEFAULT_LANGUAGE, t
from advisor.model.brief import Platform
from advisor.model.currency import Currency

PLATFORMS: tuple[str, ...] = tuple(p.value for p in Platform)
CANONICAL: tuple[str, ...] = (
    "handle", "platform", "followers", "avg_likes", "avg_comments", "avg_views",
    "cost_per_post", "relationship",
)  # fmt: skip
EXTRAS: tuple[str, ...] = (
    "name",
    "niche",
    "country",
    "language",
    "ambassador_kind",
    "engagement_rate",
)
FIELDS: tuple[str, ...] = CANONICAL + EXTRAS
REQUIRED: tuple[str, ...] = ("handle", "platform", "followers")
COUNTS: tuple[str, ...] = ("followers", "avg_likes", "avg_comments", "avg_views")
NUMERIC: tuple[str, ...] = (*COUNTS, "cost_per_post", "engagement_rate")
KINDS: dict[str, csvread.Kind] = {
    **{f: "text" for f in FIELDS},
    **{f: "number" for f in NUMERIC},
    "platform": "category",
    "relationship": "category",
    "ambassador_kind": "category",
}
OUTPUT_COLUMNS: tuple[str, ...] = (
    "line", "handle", "name", "platform", "followers", "avg_likes", "avg_comments", "avg_views",
    "cost_per_post", "relationship", "ambassador_kind", "niche", "country", "language", "tier",
    "engagement_rate", "cost_estimated", "flags", "flag_reasons",
)  # fmt: skip

CURRENCIES: tuple[str, ...] = tuple(c.value for c in Currency)
# Plausible values, checked after scaling (`12.5K`), percent and currency conversion: a cell
# outside is reported, never kept (a cast would turn `1e19` followers into a negative int64).
# The largest accounts have under a billion followers; no creator charges 100M a post.
BOUNDS: dict[str, tuple[float, float]] = {
    "followers": (1, 5e9),
    "avg_likes": (0, 5e9),
    "avg_comments": (0, 5e9),
    "avg_views": (0, 5e10),
    "cost_per_post": (0, 1e8),  # in the file's currency (`CreatorLoad.currency`)
    "engagement_rate": (0, 1),  # a fraction of followers
}


class CreatorRow(BaseModel):
    """One row of `CreatorLoad.table` (documentation and JSON schema; not used to validate)."""

    line: int = Field(ge=1, description="Line of the source file the row came from.")
    handle: str = Field(min_length=1, description="Account handle as written (e.g. @lena.bakes).")
    platform: Platform
    followers: int = Field(gt=0)
    avg_likes: float | None = Field(None, ge=0, description="Average likes per post.")
    avg_comments: float | None = Field(None, ge=0, description="Average comments per post.")
    avg_views: float | None = Field(None, ge=0, description="Average views per post.")
    cost_per_post: float = Field(
        ge=0,
        description="Cost per post in the file's currency (`CreatorLoad.currency`), as the file "
        "gives it; a cost named in another currency than most is converted (and reported).",
    )
    relationship: Literal["influencer", "ambassador"] = "influencer"
    name: str | None = None
    niche: str | None = None
    country: str | None = None
    language: str | None = None
    ambassador_kind: str | None = Field(None, description="customer or employee, for ambassadors.")
    tier: Literal["nano", "micro", "mid", "macro", "mega"]
    engagement_rate: float | None = Field(
        None, ge=0, description="(likes + comments) / followers, else the file's own rate."
    )
    cost_estimated: bool = Field(description="Cost missing: the benchmark planning cost is used.")
    flags: str = Field("", description="Audit reason codes separated by ';' ('' = clean).")
    flag_reasons: str = Field("", description="The audit reasons as sentences.")


class Problem(BaseModel):
    """A cell or row that was skipped or merged, in the analyst's terms."""

    model_config = ConfigDict(frozen=True)

    line: int | None = Field(description="Line in the file as an editor shows it (header = 1).")
    column: str | None = Field(description="The file's own column header.")
    value: str = ""
    message: str
    code: str = Field(description="Machine-readable reason, e.g. number_invalid, duplicate.")
    field: str | None = Field(None, description="Canonical column the cell was read into.")


class CreatorLoad(BaseModel):
    """A loaded creator list: the clean table plus everything the analyst should know.

    `table` has the `CreatorRow` columns in that order (name, niche, country, language and
    ambassador_kind only when the file had them). platform, relationship, tier and
    ambassador_kind are categoricals (a few values over many rows); text is `str`; `line`
    is the row's line in the file. Read flags as `table["flags"]`: `table.flags` is pandas'
    own attribute."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    table: pd.DataFrame
    problems: list[Problem] = Field(default_factory=list)
    rows_read: int = 0
    rows_kept: int = 0
    duplicates_merged: int = 0
    unmapped_columns: list[str] = Field(default_factory=list)
    mapping: dict[str, str] = Field(default_factory=dict)
    columns: list[str] = Field(
        default_factory=list,
        description="The file's column headers as shown to the analyst, one per position: an "
        "empty header becomes `column 3`, a repeated one `foo (column 4)`.",
    )
    fields: dict[int, str] = Field(
        default_factory=dict, description="Column position (0-based) -> canonical column."
    )
    encoding: str = "utf-8"
    delimiter: str = ","
    label: str = "creators"
    currency: str = Field(
        "USD",
        description="ISO code of `cost_per_post`: the file's own currency, from its cost header "
        "(`Coût (€)`, `price GBP`) or cell symbols (€, £, $), else the `currency` the caller "
        "chose, else USD. Costs stay in it; the model converts to dollars once.",
    )

    def summary(self) -> dict[str, object]:
        """Counts for a status line or a log record."""
        flagged = int(self.table["flags"].ne("").sum()) if "flags" in self.table else 0
        estimated = int(self.table["cost_estimated"].sum()) if len(self.table) else 0
        return {
            "label": self.label,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_skipped": self.rows_read - self.rows_kept - self.duplicates_merged,
            "duplicates_merged": self.duplicates_merged,
            "problems": len(self.problems),
            "flagged": flagged,
            "cost_estimated": estimated,
            "unmapped_columns": list(self.unmapped_columns),
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "currency": self.currency,
        }

    def describe(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """One translated sentence summarising the load."""
        s = self.summary()
        counts = {"kept": s["rows_kept"], "read": s["rows_read"], "problems": s["problems"],
                  "merged": s["duplicates_merged"], "flagged": s["flagged"]}  # fmt: skip
        currency = t("ingest.summary_currency", lang, currency=self.currency,
                     symbol=Currency(self.currency).symbol)  # fmt: skip
        return f"{t('ingest.summary', lang, **counts)} {currency}"


class IngestError(Exception):
    """The file cannot be used at all; `message` is translated and says what to do."""

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    @classmethod
    def of(cls, code: str, lang: str, **params: object) -> IngestError:
        return cls(t(f"ingest.error.{code}", lang, **params), code)
