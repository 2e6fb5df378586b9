"""Results against the plan, and the team's learnt figures, as tables in the page's language.

Text only: numbers through Babel (`advisor.locale.formatting`), labels through the catalogs.
"""

from __future__ import annotations

import pandas as pd

from advisor.advice.actuals import TABLE, Comparison, Coverage
from advisor.advice.calibration import Calibration
from advisor.advice.plan import Plan
from advisor.creators.results import ResultsLoad
from advisor.locale.formatting import money, number, percent, signed_percent
from advisor.locale.i18n import t
from advisor.locale.text import display_text
from advisor.model.assumptions import default_figures
from advisor.present.explain import assumption_label


def _value(key: str, value: float | None, plan: Plan, lang: str) -> str:
    if value is None:
        return "–"
    if key == "spend":
        return money(value, plan.brief.currency, lang)
    return number(value, lang)


def actuals_table(comparison: Comparison, plan: Plan, lang: str) -> pd.DataFrame:
    """One row per figure: the results' value, the plan's p10, p50, p90, and the verdict."""
    rows = []
    for key in TABLE:
        f = comparison.figure(key)
        rows.append(
            {
                t("actuals.table.figure", lang): t(f"actuals.figure.{key}", lang),
                t("actuals.table.actual", lang): _value(key, f.actual, plan, lang),
                t("actuals.table.p10", lang): _value(key, f.p10, plan, lang),
                t("actuals.table.p50", lang): _value(key, f.p50, plan, lang),
                t("actuals.table.p90", lang): _value(key, f.p90, plan, lang),
                t("actuals.table.verdict", lang): t(f"actuals.verdict.{f.verdict}", lang),
            }
        )
    return pd.DataFrame(rows)


def problems_table(results: ResultsLoad, lang: str) -> pd.DataFrame:
    """The lines of an upload that were not used: line, column, value (as typed) and why."""
    return pd.DataFrame(
        [
            {
                t("actuals.problem_col.line", lang): p.line,
                t("actuals.problem_col.column", lang): display_text(p.column or "", markdown=False),
                t("actuals.problem_col.value", lang): display_text(p.value, markdown=False),
                t("actuals.problem_col.reason", lang): p.message,
            }
            for p in results.problems
        ]
    )


def coverage_sentence(coverage: Coverage, lang: str, key: str = "actuals.coverage") -> str:
    """`inside` of `total` figures inside the band, as a sentence ("" when none has a band)."""
    if not coverage.total:
        return ""
    return t(
        key,
        lang,
        inside=number(coverage.inside, lang),
        total=number(coverage.total, lang),
        share=percent(coverage.share, lang),
    )


def _figure_value(key: str, value: float, lang: str) -> str:
    unit = default_figures()[key].unit
    if unit == "USD":
        return money(value, "USD", lang, precise=value < 100)
    if unit in ("share", "share of sales", "clicks per engagement", "orders per visit"):
        return percent(value, lang, digits=2 if value < 0.1 else 1)
    return number(value, lang, digits=2)


def calibration_table(calibration: Calibration, lang: str) -> pd.DataFrame:
    """The learnt figures beside their benchmark defaults, with their evidence."""
    rows = []
    for f in calibration.figures:
        rows.append(
            {
                t("calibration.col.figure", lang): assumption_label(f.key, lang),
                t("calibration.col.default", lang): _figure_value(f.key, f.default, lang),
                t("calibration.col.team", lang): _figure_value(f.key, f.value, lang),
                t("calibration.col.change", lang): signed_percent(f.change, lang),
                t("calibration.col.campaigns", lang): number(f.campaigns, lang),
                t("calibration.col.posts", lang): number(f.posts, lang),
            }
        )
    return pd.DataFrame(rows)


__all__ = ["actuals_table", "calibration_table", "coverage_sentence", "problems_table"]
