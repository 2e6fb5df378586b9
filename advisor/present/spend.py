"""How much to spend, in words: sentences rendered from the response curves and the flexible
budget answers (`advisor.advice.curves`), per language. Numbers only come in; no sentence is
stored."""

from __future__ import annotations

from advisor.advice.budgets import BudgetAnswer
from advisor.advice.curves import ResponseCurves
from advisor.advice.plan import Plan
from advisor.locale.formatting import compact, money, percent
from advisor.locale.i18n import t
from advisor.present.explain import objective_label


def family_name(family: str, lang: str) -> str:
    return t(f"spend.family.{family}", lang)


def _label(plan: Plan, lang: str) -> str:
    return objective_label(plan, lang).lower()


def curve_sentences(curves: ResponseCurves, plan: Plan, lang: str) -> list[str]:
    """What the recommended curve says at the brief's budget, and where its knee is."""
    cur = plan.brief.currency
    rec = curves.recommended
    own = next(p for p in rec.points if p.budget == curves.budget)
    out = [
        t(
            "spend.summary",
            lang,
            budget=money(curves.budget, cur, lang),
            p50=compact(own.p50, lang),
            p10=compact(own.p10, lang),
            p90=compact(own.p90, lang),
            label=_label(plan, lang),
        )
    ]
    if rec.knee is None:
        out.append(t("spend.knee.none", lang, high=money(rec.budgets[-1], cur, lang)))
    else:
        out.append(t("spend.knee.at", lang, knee=money(rec.knee, cur, lang)))
    return out


def _mix(answer: BudgetAnswer, lang: str) -> str:
    parts = [
        t(f"spend.part.{f}", lang, share=percent(share, lang))
        for f, share in sorted(answer.shares.items(), key=lambda kv: -kv[1])
    ]
    return t("spend.mix", lang, mix=", ".join(parts)) if parts else ""


def answer_text(answer: BudgetAnswer, plan: Plan, lang: str) -> str:
    """The flexible-budget answer in a sentence or two, from its numbers."""
    cur = plan.brief.currency
    label = _label(plan, lang)
    limit = money(answer.limit, cur, lang)
    if answer.question == "target":
        asked = dict(
            target=compact(answer.target, lang),
            probability=percent(answer.probability, lang),
            label=label,
        )
        if not answer.found:
            return t("spend.target.beyond", lang, limit=limit, **asked)
        text = t(
            "spend.target.found",
            lang,
            budget=money(answer.budget, cur, lang),
            p50=compact(answer.p50, lang),
            p10=compact(answer.p10, lang),
            p90=compact(answer.p90, lang),
            quantile=compact(answer.quantile, lang),
            spend=money(answer.spend, cur, lang),
            **asked,
        )
        return f"{text} {_mix(answer, lang)}".strip()
    cost = money(answer.max_cost, cur, lang, precise=True)
    if answer.status == "beyond_limit":
        return t("spend.cost.beyond", lang, limit=limit, cost=cost)
    if answer.status == "below_floor":
        floor = money(answer.floor, cur, lang)
        return t("spend.cost.below", lang, floor=floor, limit=limit, cost=cost)
    text = t(
        "spend.cost.found",
        lang,
        budget=money(answer.budget, cur, lang),
        cost=cost,
        marginal=money(answer.marginal_cost, cur, lang, precise=True),
        p50=compact(answer.p50, lang),
        p10=compact(answer.p10, lang),
        p90=compact(answer.p90, lang),
        label=label,
    )
    return f"{text} {_mix(answer, lang)}".strip()
