"""`recommend(brief)`: the advisor's single entry point from brief to explained, projected plan."""

from __future__ import annotations

import numpy as np
import pandas as pd

from advisor.allocation import (
    AmbassadorAllocation,
    InfluencerAllocation,
    allocate_ambassadors,
    allocate_influencers,
    prepare_creators,
)
from advisor.benchmarks import TIERS, Benchmarks, load_benchmarks
from advisor.brief import CampaignBrief, Currency, Goal, Platform
from advisor.checklist import checklist, disclosure
from advisor.decision import Decision, classify, confidence, decide
from advisor.formatting import money, percent
from advisor.i18n import t
from advisor.plan import (
    AmbassadorPlan,
    Direction,
    Factor,
    InfluencerPlan,
    Language,
    Plan,
    Strategy,
    TierAllocation,
    WhatIf,
)
from advisor.projection import SAMPLES, SEED, Projection, Vehicles, project_vehicles
from advisor.shortlist import Shortlist

WEEK_STEPS = (1, 2, 4, 6, 8, 12, 16, 20, 26, 39, 52, 78, 104)
BUDGET_STEPS = (0.25, 0.5, 2.0, 4.0, 10.0)
ADVOCATE_STEPS = (0, 10, 25, 50, 100, 250, 500, 1000, 5000)
CreatorInput = object


def _prepared(creators: object, bench: Benchmarks) -> tuple[pd.DataFrame | None, str]:
    """Accept a canonical DataFrame, a `CreatorLoad` or a `Shortlist` (whose rows are all used)."""
    if creators is None:
        return None, "benchmarks"
    table = getattr(creators, "table", creators)
    if not isinstance(table, pd.DataFrame):
        raise TypeError("creators must be a DataFrame in the canonical layout or a CreatorLoad")
    label = getattr(creators, "label", None) or f"creators:{len(table)}"
    if isinstance(creators, Shortlist):
        label = f"shortlist:{len(table)}"
    prepared = prepare_creators(table, bench)
    prepared.attrs["use_all"] = isinstance(creators, Shortlist)
    return prepared, label


def _allocate(
    brief: CampaignBrief, share: float, bench: Benchmarks, table: pd.DataFrame | None
) -> tuple[InfluencerAllocation, AmbassadorAllocation]:
    budget = brief.budget_usd
    use_all = bool(table is not None and table.attrs.get("use_all"))
    inf = allocate_influencers(brief, budget * share, bench, table, use_all)
    amb = allocate_ambassadors(brief, budget * (1 - share), bench, table, use_all)
    return inf, amb


def project(
    brief: CampaignBrief,
    creators: CreatorInput = None,
    influencer_share: float | None = None,
    samples: int = SAMPLES,
) -> Projection:
    """Weekly projection for influencer-only, ambassador-only and the recommended split."""
    bench = load_benchmarks()
    table, _ = _prepared(creators, bench)
    share = decide(brief, bench).influencer_share if influencer_share is None else influencer_share
    return _projection(brief, bench, table, share, samples)


def _projection(
    brief: CampaignBrief,
    bench: Benchmarks,
    table: pd.DataFrame | None,
    share: float,
    samples: int = SAMPLES,
    chosen: tuple[InfluencerAllocation, AmbassadorAllocation] | None = None,
) -> Projection:
    fx = bench.per_usd(brief.currency)
    series = []
    for name, s in (("influencer", 1.0), ("ambassador", 0.0), ("recommended", share)):
        inf, amb = (
            chosen if (name == "recommended" and chosen) else _allocate(brief, s, bench, table)
        )
        vehicles = Vehicles.concat([inf.vehicles, amb.vehicles])
        series.append(
            project_vehicles(vehicles, brief.audience, brief.weeks, name, fx, samples, bench)
        )
    return Projection(
        audience=brief.audience,
        weeks=brief.weeks,
        samples=samples,
        seed=SEED,
        currency=brief.currency.value,
        series=series,
    )


def recommend(brief: CampaignBrief, creators: CreatorInput = None, lang: Language = "en") -> Plan:
    """Recommend influencer, ambassador or a mix for `brief`, explained and projected.

    `creators`: an optional creator list (canonical DataFrame or `CreatorLoad`); without it the
    plan is built from benchmark archetypes of each tier.
    """
    bench = load_benchmarks()
    table, data_source = _prepared(creators, bench)
    decision = decide(brief, bench)
    share = decision.influencer_share
    inf, amb = _allocate(brief, share, bench, table)
    projection = _projection(brief, bench, table, share, chosen=(inf, amb))
    fx = bench.per_usd(brief.currency)
    strategy = Strategy(decision.strategy)
    split = {"influencer": share, "ambassador": round(1 - share, 4)}
    reserve = max(0.0, brief.budget - (inf.spend_usd + amb.spend_usd) * fx)
    conf = confidence(decision, brief)
    return Plan(
        brief=brief,
        language=lang,
        strategy=strategy,
        split=split,
        headline=_headline(brief, strategy, split, lang),
        score=round(decision.score, 6),
        combination_pull=decision.combination_pull,
        confidence=conf,
        confidence_label="high" if conf >= 0.75 else "medium" if conf >= 0.55 else "low",
        influencer=_influencer_plan(brief, bench, inf, share, fx),
        ambassador=_ambassador_plan(brief, bench, amb, share, fx),
        reserve=round(reserve, 2),
        rationale=_rationale(decision, brief, bench, lang),
        caveats=_caveats(brief, bench, decision, inf, amb, reserve, lang)
        + _saturation_caveat(brief, projection, lang),
        what_if=what_if(brief, decision.strategy, lang),
        checklist=checklist(brief, share, lang),
        disclosure=disclosure(brief.region, lang),
        projection=projection,
        data_source=data_source,
    )


def _headline(brief: CampaignBrief, strategy: Strategy, split: dict[str, float], lang: str) -> str:
    return t(
        f"headline.{strategy.value}",
        lang,
        influencer=percent(split["influencer"], lang),
        ambassador=percent(split["ambassador"], lang),
        budget=money(brief.budget, brief.currency, lang),
        weeks=brief.weeks,
    )


def _influencer_plan(
    brief: CampaignBrief, bench: Benchmarks, inf: InfluencerAllocation, share: float, fx: float
) -> InfluencerPlan:
    mix = bench.tier_mix[brief.goal].shares
    posts = int(bench.value("influencer_posts_per_creator"))
    tiers = [
        TierAllocation(
            tier=tier,
            creators=int(inf.creators_by_tier[i]),
            posts=int(inf.creators_by_tier[i]) * posts,
            spend=round(float(inf.spend_by_tier_usd[i]) * fx, 2),
            share=mix[tier],
        )
        for i, tier in enumerate(TIERS)
    ]
    return InfluencerPlan(
        budget=round(brief.budget * share, 2),
        spend=round(inf.spend_usd * fx, 2),
        creators=int(inf.creators_by_tier.sum()),
        posts=int(inf.creators_by_tier.sum()) * posts,
        posts_per_creator=posts,
        tiers=tiers,
        handles=inf.handles,
    )


def _ambassador_plan(
    brief: CampaignBrief, bench: Benchmarks, amb: AmbassadorAllocation, share: float, fx: float
) -> AmbassadorPlan:
    return AmbassadorPlan(
        budget=round(brief.budget * (1 - share), 2),
        spend=round(amb.spend_usd * fx, 2),
        ambassadors=amb.ambassadors,
        available=amb.available,
        posts_per_week=bench.value("ambassador_posts_per_week"),
        posts=round(amb.posts, 2),
        perks=round(amb.perks_usd * fx, 2),
        commissions=round(amb.commissions_usd * fx, 2),
        management=round(amb.management_usd * fx, 2),
        extras=round(amb.extras_usd * fx, 2),
        brand_faces=amb.brand_faces,
        brand_faces_spend=round(amb.brand_faces_usd * fx, 2),
        handles=amb.handles,
    )


def _rationale(
    decision: Decision, brief: CampaignBrief, bench: Benchmarks, lang: str
) -> list[Factor]:
    out = []
    for f in decision.factors:
        direction = (
            Direction.NEUTRAL
            if abs(f.lean) < 0.05
            else (Direction.INFLUENCER if f.lean > 0 else Direction.AMBASSADOR)
        )
        out.append(
            Factor(
                key=f.key,
                label=t(f"factor.{f.key}", lang),
                direction=direction,
                weight=f.weight,
                lean=round(f.lean, 4),
                contribution=round(f.weight * f.lean, 4),
                sentence=_factor_sentence(f.key, f.lean, brief, bench, lang, f.detail),
                source_id=bench.factor_weights[f.key].source_id,
            )
        )
    return sorted(out, key=lambda x: -abs(x.contribution))


def _factor_sentence(
    key: str, lean: float, brief: CampaignBrief, bench: Benchmarks, lang: str, detail: dict
) -> str:
    side = "inf" if lean > 0.05 else "amb" if lean < -0.05 else "neutral"
    params: dict[str, object] = {
        "goal": t(f"goal.{brief.goal.value}", lang).lower(),
        "weeks": brief.weeks,
        "advocates": brief.advocates,
        "audience": f"{brief.audience:,}".replace(",", " " if lang == "fr" else ","),
        "coverage": percent(float(detail.get("coverage", 0)), lang),
        "weekly": money(brief.budget / brief.weeks, brief.currency, lang),
        "platforms": ", ".join(t(f"platform.{p.value}", lang) for p in brief.platforms),
    }
    return t(f"why.{key}.{side}", lang, **params)


def _caveats(
    brief: CampaignBrief,
    bench: Benchmarks,
    decision: Decision,
    inf: InfluencerAllocation,
    amb: AmbassadorAllocation,
    reserve: float,
    lang: str,
) -> list[str]:
    out = []
    if not brief.accounts_ready:
        out.append(t("caveat.accounts", lang))
    if brief.advocates == 0 and brief.goal is Goal.BRAND_AWARENESS:
        out.append(t("caveat.no_base", lang))
    if amb.brand_faces:
        out.append(t("caveat.brand_faces", lang, available=amb.available, faces=amb.brand_faces))
    share = decision.influencer_share
    if share > 0 and inf.creators_by_tier.sum() == 0:
        out.append(t("caveat.influencer_budget_small", lang))
    elif share > 0:
        wanted = np.array([bench.tier_mix[brief.goal].shares[x] for x in TIERS]) > 0
        missing = [
            t(f"tier.{x}", lang)
            for i, x in enumerate(TIERS)
            if wanted[i] and inf.creators_by_tier[i] == 0
        ]
        if missing:
            out.append(t("caveat.tiers_unaffordable", lang, tiers=", ".join(missing)))
    if share < 1 and amb.ambassadors == 0 and brief.advocates > 0:
        out.append(t("caveat.programme_budget_small", lang))
    if share < 1:
        out.append(t("caveat.ambassador_assumptions", lang))
    if reserve > 0.05 * brief.budget:
        out.append(t("caveat.reserve", lang, reserve=money(reserve, brief.currency, lang)))
    if brief.currency is not Currency.USD:
        out.append(
            t("caveat.fx", lang, rate=bench.per_usd(brief.currency), currency=brief.currency.value)
        )
    if any(p in brief.platforms for p in (Platform.X, Platform.LINKEDIN, Platform.BLOG)):
        out.append(t("caveat.platform_assumptions", lang))
    out.append(t("caveat.audience_overlap", lang))
    return out


def _saturation_caveat(brief: CampaignBrief, projection: Projection, lang: str) -> list[str]:
    """Warn when the plan reaches nearly everyone: extra money then buys repetition, not people."""
    reach = projection.get("recommended").final_reach
    if reach > 0.8 * brief.audience:
        return [t("caveat.saturation", lang, share=percent(reach / brief.audience, lang))]
    return []


def _strategy_for(brief: CampaignBrief, bench: Benchmarks, **change: object) -> str:
    return classify(decide(brief.model_copy(update=change), bench).influencer_share)


def what_if(brief: CampaignBrief, current: str, lang: str) -> list[WhatIf]:
    """The smallest nearby changes to the brief that change the recommendation."""
    bench = load_benchmarks()
    out: list[WhatIf] = []

    def first_change(dimension: str, values: list, fmt, way: str = "") -> None:
        for value in values:
            strategy = _strategy_for(brief, bench, **{dimension: value})
            if strategy != current:
                key = ".none" if (dimension, value) == ("advocates", 0) else way
                out.append(
                    WhatIf(
                        dimension=dimension,
                        value=str(value),
                        strategy=Strategy(strategy),
                        sentence=t(
                            f"whatif.{dimension}{key}",
                            lang,
                            value=fmt(value),
                            strategy=t(f"strategy.phrase.{strategy}", lang),
                        ),
                    )
                )
                return

    longer = [w for w in WEEK_STEPS if w > brief.weeks]
    shorter = [w for w in reversed(WEEK_STEPS) if w < brief.weeks]
    first_change("weeks", longer, str, ".more")
    first_change("weeks", shorter, str, ".less")
    budgets = [round(brief.budget * m, 2) for m in BUDGET_STEPS]
    first_change(
        "budget",
        [b for b in budgets if b > brief.budget],
        lambda v: money(v, brief.currency, lang),
        ".more",
    )
    first_change(
        "budget",
        [b for b in reversed(budgets) if b < brief.budget],
        lambda v: money(v, brief.currency, lang),
        ".less",
    )
    first_change("advocates", [a for a in ADVOCATE_STEPS if a > brief.advocates], str, ".more")
    first_change(
        "advocates", [a for a in reversed(ADVOCATE_STEPS) if a < brief.advocates], str, ".less"
    )
    first_change(
        "goal",
        [g for g in Goal if g is not brief.goal],
        lambda g: t(f"goal.{g.value}", lang).lower(),
    )
    return out
