"""The creator-lists page's tables, in the page's language: shown and downloaded.

Every amount is the plan's own figure (`Plan.influencer`, `Plan.ambassador`, `Plan.reserve`,
`Plan.lines`, `Plan.creators`), in the brief's currency: nothing is recomputed here, so what the
page says a creator or a side costs is what the plan spends. Shown tables hold text written by
Babel (`advisor.locale.formatting`: "12 500", "1 674,68 €", "3,61 %", "Oui"); downloads hold
numbers rounded to what they mean (people whole, money to the cent), written by
`advisor.present.exports.to_csv_bytes` with the language's delimiter and decimal mark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from advisor.locale.formatting import compact, money_exact, number, percent
from advisor.locale.i18n import t
from advisor.model.currency import convert
from advisor.present.charts import platform_name, relationship_name, tier_name

if TYPE_CHECKING:
    from advisor.advice.plan import Plan


def yes_no(value: object, lang: str) -> str:
    return t("common.yes" if bool(value) else "common.no", lang)


def rate_text(source: str, target: str, lang: str) -> str | None:
    """ "Prices converted at 1 USD = 0.92 EUR." when a list's prices are in another currency
    than the brief's; None when they are not."""
    if str(source) == str(target):
        return None
    rate = number(convert(1.0, source, target), lang, 2)
    return t("creators.rate", lang, source=source, target=target, rate=rate)


def amounts_frame(plan: Plan, lang: str, download: bool = False) -> pd.DataFrame:
    """Where the plan's money goes: spent, reserve, each side, each tier (short-burst) and each
    long-term line kind, as the plan holds them."""
    cur = plan.brief.currency.value
    inf, amb = plan.influencer, plan.ambassador
    rows: list[tuple[str, float]] = [
        (t("creators.amount.spent", lang), inf.spend + amb.spend),
        (t("creators.amount.reserve", lang), plan.reserve),
        (t("creators.amount.influencer", lang), inf.spend),
    ]
    short = relationship_name("influencer", lang)
    for tier in inf.tiers:
        if tier.spend > 0:
            size = tier_name(tier.tier, lang)
            rows.append(
                (t("creators.amount.tier", lang, relationship=short, tier=size), tier.spend)
            )
    rows.append((t("creators.amount.long_term", lang), amb.spend))
    if amb.setup + amb.platform > 0:
        rows.append((t("creators.amount.programme", lang), amb.setup + amb.platform))
    long_term: dict[tuple[str, str], float] = {}
    for line in plan.lines:
        if line.relationship != "influencer":
            key = (line.relationship, line.tier or "")
            long_term[key] = long_term.get(key, 0.0) + line.spend
    for (rel, tier), spend in long_term.items():
        name = relationship_name(rel, lang)
        if tier:
            name = t("creators.amount.tier", lang, relationship=name, tier=tier_name(tier, lang))
        rows.append((name, spend))
    value = [round(v, 2) + 0.0 for _, v in rows]
    return pd.DataFrame(
        {
            t("creators.amount.item", lang): [name for name, _ in rows],
            t("creators.amount.value", lang, currency=cur): value
            if download
            else [money_exact(v, cur, lang) for v in value],
        }
    )


def creators_frame(plan: Plan, lang: str, download: bool = False) -> pd.DataFrame:
    """The listed creators a plan buys: who, where, what each costs (brief currency) and
    reaches, as the plan holds them."""
    rows = plan.creators
    cur = plan.brief.currency.value

    def col(name: str) -> str:
        return t(f"creators.col.{name}", lang, currency=cur)

    posts = [round(r.posts, 2) + 0.0 for r in rows]
    cost = [round(r.cost, 2) + 0.0 for r in rows]
    reach = [round(r.reach) for r in rows]
    return pd.DataFrame(
        {
            col("handle"): [r.handle for r in rows],
            col("platform"): [platform_name(r.platform, lang) for r in rows],
            col("tier"): [tier_name(r.tier, lang) for r in rows],
            col("relationship"): [relationship_name(r.relationship, lang) for r in rows],
            col("posts"): posts
            if download
            else [number(p, lang, 0 if p == int(p) else 1) for p in posts],
            col("cost"): cost if download else [money_exact(c, cur, lang) for c in cost],
            col("reach"): pd.array(reach, dtype="Int64")
            if download
            else [number(r, lang) for r in reach],
            col("cost_estimated"): [yes_no(r.cost_estimated, lang) for r in rows],
            col("flags"): [", ".join(t(f"audit.flag.{f}", lang) for f in r.flags) for r in rows],
        }
    )


def flagged_frame(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The audit's flagged creators, shown: handle, platform, followers, engagement rate, why."""
    flagged = table[table["flags"].astype(str) != ""]

    def col(name: str) -> str:
        return t(f"creators.col.{name}", lang)

    out = pd.DataFrame(index=flagged.index)
    out[col("handle")] = flagged["handle"].astype(str)
    out[col("platform")] = [platform_name(p, lang) for p in flagged["platform"]]
    out[col("followers")] = [number(f, lang) for f in flagged["followers"]]
    if "engagement_rate" in flagged:
        out[col("engagement_rate")] = [percent(r, lang, 2) for r in flagged["engagement_rate"]]
    if "flag_reasons" in flagged:
        out[col("flag_reasons")] = flagged["flag_reasons"].astype(str)
    return out.reset_index(drop=True)


def compact_reach(plan: Plan, lang: str) -> str:
    return compact(plan.projection.get("recommended").final_reach, lang)
