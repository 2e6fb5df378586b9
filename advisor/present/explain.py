"""Sentences from a plan's numbers, in one language: headline, objective, confidence, reasons,
notes and checklist. The plan holds no text, so each sentence is written from the very figures
the tables show, and switching language only re-renders.
"""

from __future__ import annotations

from advisor.advice.plan import (
    FACTOR_THRESHOLD,
    FactorEffect,
    Note,
    Plan,
    Strategy,
    Unfunded,
    strategy_of,
)
from advisor.locale.formatting import (
    compact,
    money,
    number,
    percent,
    signed_percent,
    small_percent,
)
from advisor.locale.i18n import t
from advisor.model.brief import Currency
from advisor.model.currency import per_usd


def weeks_text(weeks: int, lang: str) -> str:
    return t("unit.week" if weeks == 1 else "unit.weeks", lang, weeks=number(weeks, lang))


def objective_label(plan: Plan, lang: str) -> str:
    """'People reached 3+ times', 'Expected entries'..."""
    return t(f"objective.{plan.objective.key.value}", lang)


def objective_definition(plan: Plan, lang: str) -> str:
    return t(f"objective.{plan.objective.key.value}.definition", lang, cycle=plan.cycle_weeks)


def objective_value(value: float, plan: Plan, lang: str) -> str:
    return compact(value, lang)


def split_phrase(influencer_share: float, lang: str) -> str:
    """'100% influencers', '70% influencers / 30% ambassadors', '100% ambassadors'."""
    kind = strategy_of(influencer_share)
    if kind is Strategy.INFLUENCER:
        return t("split.influencer", lang)
    if kind is Strategy.AMBASSADOR:
        return t("split.ambassador", lang)
    return t(
        "split.mix",
        lang,
        influencer=percent(influencer_share, lang),
        ambassador=percent(1 - influencer_share, lang),
    )


ALL_OF_IT = 0.95  # "all of your budget" only from 95% spent


def spend_parts(plan: Plan, lang: str) -> str:
    """'€21K on short-burst influencers, €19K on long-term paid creators and €21K on an
    advocate programme' (the programme's fixed cost included), from the plan's lines."""
    cur = plan.brief.currency
    money_by: dict[str, float] = {}
    for line in plan.lines:
        money_by[line.relationship] = money_by.get(line.relationship, 0.0) + line.spend
    if "advocate" in money_by:
        money_by["advocate"] += plan.ambassador.setup + plan.ambassador.platform
    parts = [
        t("relationship.part", lang, money=money(money_by[r], cur, lang),
          name=t(f"relationship.name.{r}", lang))
        for r in plan.funded
    ]  # fmt: skip
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + t("relationship.and", lang) + parts[-1]


def headline(plan: Plan, lang: str) -> str:
    """What to do, in one sentence true to the plan: who is funded, with how much of the
    budget ('all of your' only when 95% or more is spent), and what it buys."""
    r = plan.recommended
    cur = plan.brief.currency
    values = {
        "budget": money(plan.brief.budget, cur, lang),
        "weeks": weeks_text(plan.brief.weeks, lang),
        "objective": compact(r.objective_p50, lang),
        "low": compact(r.objective_p10, lang),
        "high": compact(r.objective_p90, lang),
        "label": objective_label(plan, lang).lower(),
    }
    if not plan.lines:
        return t("headline.plan.none", lang, **values)
    spent = plan.brief.budget - plan.reserve
    kind = "one" if len(plan.funded) == 1 else "mix"
    part = "all" if plan.spent_share >= ALL_OF_IT else "part"
    return t(
        f"headline.{kind}.{part}",
        lang,
        title=t(f"relationship.title.{plan.funded[0]}", lang),
        parts=spend_parts(plan, lang),
        spent=money(spent, cur, lang),
        reserve=money(plan.reserve, cur, lang),
        **values,
    )


def confidence_sentence(plan: Plan, lang: str) -> str:
    """The confidence in words: a probability over scenarios, against the best other plan."""
    other_name = t(f"strategy.phrase.{plan.best_other.value}", lang)
    if plan.margin is None:
        return t("confidence.only_plan", lang, other=other_name)
    return t(
        "confidence.sentence",
        lang,
        share=percent(plan.confidence, lang),
        other=other_name,
        margin=signed_percent(plan.margin, lang, small=True),
    )


def factor_label(factor: FactorEffect, lang: str) -> str:
    return t(f"factor.{factor.key}", lang)


def _fact_value(key: str, raw: str, plan: Plan, lang: str) -> str:
    if key == "budget":
        return money(float(raw), plan.brief.currency, lang)
    if key == "platforms":
        return ", ".join(t(f"platform.{p}", lang) for p in raw.split(",") if p)
    if key == "weeks":
        return weeks_text(int(raw), lang)
    return number(int(raw), lang)


def factor_sentence(factor: FactorEffect, plan: Plan, lang: str) -> str:
    """'With 0 advocates instead of 200, the best plan would be 100% influencers, with 41k
    people reached 3+ times: your 200 advocates add 27%.'"""
    change = factor.change
    return t(
        "factor.sentence",
        lang,
        neutral=_fact_value(factor.key, factor.neutral, plan, lang),
        actual=_fact_value(factor.key, factor.actual, plan, lang),
        split=split_phrase(factor.best_share_neutral, lang),
        objective=compact(factor.objective_neutral, lang),
        label=objective_label(plan, lang).lower(),
        effect=(
            t("factor.effect.none", lang)
            if change is None
            else t("factor.effect", lang, change=signed_percent(change, lang))
        ),
    )


def _note_value(name: str, value: float | int | str, plan: Plan, lang: str) -> str:
    cur: Currency = plan.brief.currency
    if isinstance(value, str):
        if name in ("other",):
            return t(f"strategy.phrase.{value}", lang)
        if name == "platform":
            return t(f"platform.{value}", lang)
        return value
    if name.endswith("money"):
        return money(float(value), cur, lang)
    if name == "margin":  # a near-tie's gap: never "ahead by 0%"
        return small_percent(float(value), lang)
    if name in ("share", "seed_share"):
        if name == "seed_share":
            return split_phrase(float(value), lang)
        return percent(float(value), lang)
    if name in ("objective", "seed_objective", "with_objective"):
        return compact(float(value), lang)
    if name in ("rate", "posts"):
        return number(float(value), lang, digits=2)
    if name == "activation":
        return percent(float(value), lang)
    if name in ("weeks", "min_weeks", "ramp"):
        return weeks_text(int(value), lang)
    return number(value, lang)


def note_text(note: Note, plan: Plan, lang: str) -> str:
    values = {k: _note_value(k, v, plan, lang) for k, v in note.values.items()}
    key = f"note.{note.key}"
    if note.key == "seed_disagrees":
        key = f"note.seed_disagrees.{note.values['rule']}"
        values["label"] = objective_label(plan, lang).lower()
    if note.key == "near_tie" and float(note.values.get("margin", 1.0)) == 0:
        key = "note.near_tie.even"  # no gap at all: a tie, not "ahead by 0%"
    if note.key == "burst_weeks":  # which weeks, and whether long-term relationships go on
        long_term = ".long_term" if note.values.get("end") else ""
        key = f"note.burst_weeks.{note.values['shape']}{long_term}"
    return t(key, lang, **values)


def notes(plan: Plan, lang: str) -> list[str]:
    return [note_text(n, plan, lang) for n in plan.notes]


def checklist_text(key: str, plan: Plan, lang: str) -> str:
    region = plan.brief.region.value
    per_region = {"disclosure", "contracts", "fake_signals", "banned"}
    return t(f"check.{key}.{region}" if key in per_region else f"check.{key}", lang)


def disclosure(plan: Plan, lang: str) -> str:
    return t(f"disclosure.{plan.brief.region.value}", lang)


def assumption_label(key: str, lang: str) -> str:
    """'Cost per post · Instagram · Micro', or the scalar's own label."""
    parts = key.split(".")
    if len(parts) == 3:
        table, platform, tier = parts
        return " · ".join(
            (
                t(f"assumption.table.{table}", lang),
                t(f"platform.{platform}", lang),
                t(f"tier.{tier}", lang),
            )
        )
    return t(f"assumption.{key}", lang)


def assumption_group(group: str, lang: str) -> str:
    return t(f"assumption.group.{group}", lang)


def unfunded_text(u: Unfunded, plan: Plan, lang: str) -> str:
    """Why a ticked platform or a relationship got nothing, with the numbers."""
    cur = plan.brief.currency
    name = (
        t(f"platform.{u.name}", lang)
        if u.kind == "platform"
        else t(f"relationship.title.{u.name}", lang)
    )
    return t(
        f"unfunded.{u.reason}",
        lang,
        name=name,
        value=compact(u.value_per_1000, lang),
        plan_value=compact(u.plan_value_per_1000, lang),
        per=money(1000, cur, lang),
        label=objective_label(plan, lang).lower(),
        min_weeks=weeks_text(int(plan.assumptions.value("ambassador_min_weeks")), lang),
        fixed=money(u.fixed_cost, cur, lang),
    )


MAX_REASONS = 2


def why_without_factors(plan: Plan, lang: str) -> str:
    """Why no fact of the brief is shown as a reason: every fact is at its neutral value, or
    those that are not change the best plan's result by less than the threshold."""
    if not plan.facts_without_effect:
        return t("why.none", lang)
    facts = ", ".join(t(f"factor.{k}", lang).lower() for k in plan.facts_without_effect)
    return t("why.no_effect", lang, facts=facts, threshold=small_percent(FACTOR_THRESHOLD, lang))


def deciding_facts(plan: Plan, lang: str) -> list[str]:
    """The one or two facts that decided the plan, each with its numbers: a relationship the
    campaign is too short for, what the next money would buy elsewhere against the plan's
    weakest line, and the fact of the brief that moves the result most."""
    out: list[str] = []
    short = [u for u in plan.unfunded if u.kind == "relationship" and u.reason == "too_short"]
    if short:
        out.append(
            t(
                "why.too_short",
                lang,
                min_weeks=weeks_text(int(plan.assumptions.value("ambassador_min_weeks")), lang),
                weeks=weeks_text(plan.brief.weeks, lang),
            )
        )
    weaker = [
        u
        for u in plan.unfunded
        if u.reason in ("weaker", "fixed_cost") and u.kind == "relationship"
    ]
    if weaker and len(out) < MAX_REASONS:
        u = max(weaker, key=lambda x: x.value_per_1000)
        out.append(unfunded_text(u, plan, lang))
    if plan.factors and len(out) < MAX_REASONS:
        f = plan.factors[0]
        if f.change is not None:
            out.append(
                t(
                    "why.factor",
                    lang,
                    fact=factor_label(f, lang).lower(),
                    actual=_fact_value(f.key, f.actual, plan, lang),
                    neutral=_fact_value(f.key, f.neutral, plan, lang),
                    change=signed_percent(f.change, lang),
                    label=objective_label(plan, lang).lower(),
                )
            )
    if plan.programme and len(out) < MAX_REASONS:
        out.append(
            t(
                "why.programme",
                lang,
                active=number(plan.ambassador.ambassadors, lang),
                perks=money(
                    plan.assumptions.value("ambassador_perks_per_month")
                    * per_usd(plan.brief.currency),
                    plan.brief.currency,
                    lang,
                    precise=True,
                ),
            )
        )
    return out[:MAX_REASONS]
