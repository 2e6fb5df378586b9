"""The planner page: brief form -> recommendation, why, results, budget, checklist, what-ifs,
assumptions and downloads. Collects input, calls the core, draws: nothing is computed here."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from advisor import Assumptions, Currency, Plan
from advisor.locale.formatting import compact, money, number, percent, signed_percent
from advisor.locale.i18n import t
from advisor.model.currency import convert
from advisor.model.projection import Band
from advisor.present import explain as ex
from advisor.present.charts import (
    ambassador_lines,
    budget_chart,
    candidates_chart,
    factors_chart,
    platform_name,
    reach_chart,
    relationship_name,
    tier_chart,
    tier_name,
    what_if_chart,
    what_if_table,
)
from advisor.ui import actuals, state, team
from advisor.ui.brief import draw_brief_form, show_form_errors, show_link_problems

CHART_CONFIG = state.CHART_CONFIG


def render() -> None:
    lang = state.language()
    brief, bad = state.read_brief_from_url()
    # The form's place at the top of the side panel, filled once the plan is on screen: on a
    # first visit and after a submit the plan's headline is not behind the form's widgets.
    form = st.sidebar.container()
    assumptions, bad_assumptions = state.assumptions_from_url()
    source = state.creator_source()

    st.title(t("app.title", lang))
    st.caption(t("app.tagline", lang))
    show_form_errors(lang)
    if not state.brief_in_url():
        st.info(t("plan.example", lang), icon=":material/lightbulb:")
    show_link_problems(bad, bad_assumptions, lang)

    try:
        opened = team.opened_plan(lang) if "plan" in st.query_params else None
        if opened is not None:
            saved, plan = opened
            if (brief, assumptions) != (plan.brief, plan.assumptions):
                # show the saved brief in the form and in the address bar, then draw it
                state.write_brief_to_url(plan.brief)
                state.write_assumptions_to_url(plan.assumptions, draft=False)
                st.rerun()
            creators = saved.creators
        else:
            with st.spinner(t("plan.computing", lang)):
                plan = state.plan_for(brief, assumptions, source, state.keep_flagged())
            creators = state.creators_for(source)
    except Exception:
        draw_brief_form(brief, lang, form)  # no plan: the form, to change the brief, still is
        raise
    # The headline and the reach chart first; sections a visitor opens (the factors, the
    # calendar, what-ifs, response curves, assumptions) cost nothing until they are opened.
    headline(plan, lang, source)
    results(plan, lang)
    actual_results(opened, plan, lang)
    draw_brief_form(brief, lang, form)
    if opened is None:  # below the plan: the plan is what fits the first screen
        creator_source_picker(source, lang)
    named_creators(plan, lang)
    with st.expander(t("save.section", lang), icon=":material/save:"):
        team.save_controls(plan, creators, lang)
    choice(plan, lang)
    reasons(plan, lang)
    budget(plan, lang)
    posting_calendar(plan, lang)
    checklist(plan, lang)
    what_would_change(plan, lang)
    how_much_to_spend(plan, creators, lang)
    assumptions_panel(plan, lang)
    downloads(plan, lang)


# --- the plan ----------------------------------------------------------------------------


OPEN_KEYS = {  # the session-state keys of the sections shown on request (tests open them)
    "choice": "open.choice",
    "why": "open.why",
    "calendar": "open.calendar",
    "spend": "open.spend",
    "assumptions": "open.assumptions",
}


def _on_request(
    section: str, label: str, icon: str, expanded: bool = False
) -> st.delta_generator.DeltaGenerator | None:
    """A collapsed expander whose content is computed only while it is open: the container to
    draw into, or None when closed. Opening it reruns only the fragment it sits in."""
    box = st.expander(label, expanded, key=OPEN_KEYS[section], icon=icon, on_change="rerun")
    return box if box.open else None


def _metric(
    box: st.delta_generator.DeltaGenerator, label: str, value: str, note: str, **kw
) -> None:
    box.metric(label, value, note, delta_color="off", delta_arrow="off", width=170, **kw)


def creator_source_picker(source: state.CreatorSource, lang: str) -> None:
    """Plan with benchmark archetypes, the bundled sample, or this session's uploaded list."""
    options = list(state.CREATOR_SOURCES)
    has_upload = state.uploaded_list() is not None
    if not has_upload:
        options.remove("upload")
    chosen = st.segmented_control(
        t("source.label", lang),
        options,
        default=source,
        format_func=lambda s: t(f"source.{s}", lang),
        help=t("source.help", lang),
        key=f"creator_source.{lang}",
    )
    if not has_upload:
        st.caption(t("source.no_upload", lang))
    if source != "archetypes":
        st.toggle(
            t("source.keep_flagged", lang),
            key=state.KEEP_FLAGGED_KEY,
            help=t("source.keep_flagged_help", lang),
        )
    if chosen and chosen != source:
        state.set_creator_source(chosen)
        st.rerun()


def headline(plan: Plan, lang: str, source: state.CreatorSource = "archetypes") -> None:
    cur = plan.brief.currency
    r = plan.recommended
    with st.container(border=True, key="headline"):
        st.subheader(t(f"plan.title.{plan.strategy.value}", lang), anchor=False)
        st.markdown(f"**{ex.headline(plan, lang)}**")
        facts = ex.deciding_facts(plan, lang)
        if facts:  # what decided it, in the plan's own numbers (plain text: no markup)
            st.caption("\n".join(f"- {fact}" for fact in facts))
        row = st.container(horizontal=True, horizontal_alignment="distribute", gap="small")
        _metric(
            row,
            t("strategy.influencer", lang),
            money(plan.influencer.spend, cur, lang),
            percent(plan.influencer.spend / plan.brief.budget, lang),
        )
        _metric(
            row,
            t("strategy.ambassador", lang),
            money(plan.ambassador.spend, cur, lang),
            percent(plan.ambassador.spend / plan.brief.budget, lang),
        )
        _metric(
            row,
            ex.objective_label(plan, lang),
            compact(r.objective_p50, lang),
            t(
                "plan.range",
                lang,
                low=compact(r.objective_p10, lang),
                high=compact(r.objective_p90, lang),
            ),
            help=ex.objective_definition(plan, lang),
        )
        _metric(
            row,
            t("plan.confidence", lang),
            t(f"confidence.{plan.confidence_label}", lang).capitalize(),
            percent(plan.confidence, lang),
            help=t("help.confidence", lang),
        )
        st.caption(ex.confidence_sentence(plan, lang))
        st.caption(_programme_summary(plan, lang))
        with st.popover(t("share.button", lang), icon=":material/link:"):
            st.caption(t("share.caption", lang))
            if source == "upload":
                st.warning(t("share.upload_not_in_link", lang), icon=":material/info:")
            st.code(
                state.share_link(plan.brief, plan.assumptions, lang, source),
                language=None,
                wrap_lines=True,
            )


def named_creators(plan: Plan, lang: str) -> None:
    """The creators a list-based plan hires, by name, with what each costs and brings."""
    rows = getattr(plan, "creators", None) or []
    if not rows:
        return
    cur = plan.brief.currency
    st.header(t("section.named", lang))
    st.caption(t("named.caption", lang, count=number(len(rows), lang)))
    source_currency = rows[0].list_currency
    if source_currency != cur.value:
        rate = convert(1.0, source_currency, cur.value)
        st.caption(
            t(
                "named.converted",
                lang,
                source=source_currency,
                target=cur.value,
                rate=compact(rate, lang),
            )
        )
    frame = pd.DataFrame(
        {
            t("col.handle", lang): [r.handle for r in rows],
            t("col.platform", lang): [platform_name(r.platform, lang) for r in rows],
            t("col.tier", lang): [tier_name(r.tier, lang) for r in rows],
            t("col.relationship", lang): [relationship_name(r.relationship, lang) for r in rows],
            t("col.posts", lang): [number(r.posts, lang, 1 if r.posts % 1 else 0) for r in rows],
            t("col.cost", lang, currency=cur.value): [money(r.cost, cur, lang) for r in rows],
            t("col.projected_reach", lang): [compact(r.reach, lang) for r in rows],
            t("col.cost_estimated", lang): [bool(r.cost_estimated) for r in rows],
            t("col.flags", lang): [
                ", ".join(t(f"audit.flag.{f}", lang) for f in r.flags) for r in rows
            ],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")

    def table() -> bytes:
        from advisor.present.exports import to_csv_bytes

        exported = frame.copy()
        exported[t("col.posts", lang)] = [round(r.posts, 2) for r in rows]
        exported[t("col.cost", lang, currency=cur.value)] = [round(r.cost, 2) for r in rows]
        exported[t("col.projected_reach", lang)] = [round(r.reach) for r in rows]
        return to_csv_bytes(exported, lang)

    st.download_button(
        t("named.download", lang),
        table,
        f"plan-creators-{plan.brief.goal.value}.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def _programme_summary(plan: Plan, lang: str) -> str:
    cur = plan.brief.currency
    parts = []
    if plan.influencer.creators:
        parts.append(
            t(
                "plan.influencer_summary",
                lang,
                creators=number(plan.influencer.creators, lang),
                posts=number(plan.influencer.posts, lang),
                spend=money(plan.influencer.spend, cur, lang),
            )
        )
    a = plan.ambassador
    if a.ambassadors:
        parts.append(
            t(
                "plan.ambassador_summary",
                lang,
                ambassadors=number(a.ambassadors, lang),
                posts=compact(a.posts, lang),
                spend=money(a.spend - a.brand_faces_spend, cur, lang),
            )
        )
    if a.brand_faces:
        parts.append(
            t(
                "plan.faces_summary",
                lang,
                faces=number(a.brand_faces, lang),
                spend=money(a.brand_faces_spend, cur, lang),
            )
        )
    return " · ".join(parts) or t("plan.nothing_affordable", lang)


@st.fragment
def choice(plan: Plan, lang: str) -> None:
    """How the split was chosen: the objective and the notes that weigh the choice in words;
    every candidate's objective as a chart when asked for (the headline states the result)."""
    st.header(t("section.choice", lang))
    st.caption(ex.objective_definition(plan, lang))
    for note in plan.notes:
        if note.key in ("near_tie", "seed_disagrees"):
            st.info(ex.note_text(note, plan, lang), icon=":material/balance:")
    box = _on_request("choice", t("lazy.choice", lang), ":material/bar_chart:")
    if box is None:
        return
    left, right = box.columns([3, 2], gap="large")
    with left:
        st.plotly_chart(
            state.figure(candidates_chart, plan, lang), width="stretch", config=CHART_CONFIG
        )
    with right:
        st.markdown(t("choice.explainer", lang))


@st.fragment
def reasons(plan: Plan, lang: str) -> None:
    """The factors behind the choice, drawn when asked for (the headline states the deciding
    facts already)."""
    st.header(t("section.why", lang))
    if not plan.factors:
        st.caption(ex.why_without_factors(plan, lang))
        return
    box = _on_request("why", t("lazy.why", lang), ":material/insights:")
    if box is None:
        return
    left, right = box.columns([2, 3], gap="large")
    with left:
        st.plotly_chart(
            state.figure(factors_chart, plan, lang), width="stretch", config=CHART_CONFIG
        )
    with right:
        lines = [
            f"**{ex.factor_label(f, lang)}**  \n{ex.factor_sentence(f, plan, lang)}"
            for f in plan.factors
        ]
        st.markdown("\n\n".join(lines))


def _band(b: Band | None, lang: str, fmt=compact) -> str:
    if b is None:
        return "–"
    return f"{fmt(b.p50, lang)} ({fmt(b.p10, lang)}–{fmt(b.p90, lang)})"


def results(plan: Plan, lang: str) -> None:
    cur = plan.brief.currency
    st.header(t("section.reach", lang))
    st.caption(t("reach.caption", lang, samples=plan.projection.samples))
    st.plotly_chart(state.figure(reach_chart, plan, lang), width="stretch", config=CHART_CONFIG)
    rows = {}
    for s in plan.projection.series:
        rows[t(f"strategy.{s.strategy}", lang)] = {
            ex.objective_label(plan, lang): (
                f"{compact(s.objective_p50, lang)} "
                f"({compact(s.objective_p10, lang)}–{compact(s.objective_p90, lang)})"
            ),
            t("table.reach", lang): (
                f"{compact(s.reach_p50[-1], lang)} "
                f"({compact(s.reach_p10[-1], lang)}–{compact(s.reach_p90[-1], lang)})"
            ),
            t("table.impressions", lang): _band(s.impressions, lang),
            t("table.clicks", lang): _band(s.clicks, lang),
            t("table.sales", lang): _band(s.sales, lang),
            t("table.revenue", lang): _band(s.revenue, lang, lambda v, lg: money(v, cur, lg)),
            t("table.roas", lang): _band(s.return_on_spend, lang, lambda v, lg: number(v, lg, 2)),
            t("table.spend", lang): money(s.total_spend, cur, lang),
            t("table.cost_per_result", lang): _money_or_dash(s.cost_per_result, cur, lang),
            t("table.cpm", lang): _money_or_dash(s.cost_per_thousand_impressions, cur, lang),
        }
    table = pd.DataFrame(rows)
    if plan.brief.order_value is None:
        table = table.drop(index=[t("table.revenue", lang), t("table.roas", lang)])
    st.dataframe(table, width="stretch")
    st.caption(t("results.caption", lang))


def actual_results(opened: tuple[object, Plan] | None, plan: Plan, lang: str) -> None:
    """An opened saved plan's campaign results against its bands (`advisor.ui.actuals`)."""
    if opened is not None:
        actuals.plan_results(opened[0], plan, lang)  # type: ignore[arg-type]


def _money_or_dash(value: float | None, cur: Currency, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    if value < 100:
        return money(value, cur, lang, precise=True)
    return money(value, cur, lang)


def budget(plan: Plan, lang: str) -> None:
    cur = plan.brief.currency
    st.header(t("section.budget", lang))
    left, right = st.columns(2, gap="large")
    with left:
        st.plotly_chart(
            state.figure(budget_chart, plan, lang), width="stretch", config=CHART_CONFIG
        )
    with right:
        if plan.influencer.creators:
            st.markdown(f"**{t('budget.by_tier', lang)}**")
            st.plotly_chart(
                state.figure(tier_chart, plan, lang), width="stretch", config=CHART_CONFIG
            )
        if plan.ambassador.spend > 0:
            a = plan.ambassador
            st.markdown(f"**{t('budget.programme', lang)}**")
            rows = [
                (
                    t("budget.ambassadors", lang),
                    f"{number(a.ambassadors, lang)} / {number(a.available, lang)}",
                )
            ]
            if a.appearances:
                rows.append((t("budget.appearance_count", lang), number(a.appearances, lang)))
            if a.brand_faces:
                rows.append((t("budget.face_count", lang), number(a.brand_faces, lang)))
            rows += [
                (t(f"budget.{k}", lang), money(v, cur, lang)) for k, v in ambassador_lines(plan)
            ]
            st.dataframe(
                pd.DataFrame(rows, columns=[t("table.item", lang), t("table.value", lang)]),
                hide_index=True,
                width="stretch",
            )

    lines(plan, lang)


def lines(plan: Plan, lang: str) -> None:
    """What the plan buys, line by line: the same figures as the headline and the charts."""
    if not plan.lines:
        return
    cur = plan.brief.currency
    st.markdown(f"**{t('budget.lines', lang)}**")
    frame = pd.DataFrame(
        {
            t("lines.col.relationship", lang): [
                t(f"relationship.title.{x.relationship}", lang) for x in plan.lines
            ],
            t("lines.col.platform", lang): [
                t(f"platform.{x.platform}", lang) if x.platform else "" for x in plan.lines
            ],
            t("lines.col.tier", lang): [
                t(f"tier.{x.tier}", lang) if x.tier else "" for x in plan.lines
            ],
            t("lines.col.handle", lang): [x.handle or "" for x in plan.lines],
            t("lines.col.units", lang): [number(round(x.units, 1), lang) for x in plan.lines],
            t("lines.col.posts", lang): [number(round(x.posts), lang) for x in plan.lines],
            t("lines.col.spend", lang): [money(x.spend, cur, lang) for x in plan.lines],
            t("lines.col.reach", lang): [compact(x.reach, lang) for x in plan.lines],
        }
    )
    if not any(x.handle for x in plan.lines):
        frame = frame.drop(columns=t("lines.col.handle", lang))
    st.dataframe(frame, hide_index=True, width="stretch")
    for u in plan.unfunded:
        st.caption(ex.unfunded_text(u, plan, lang))


@st.fragment
def posting_calendar(plan: Plan, lang: str) -> None:
    """Who posts what and when, from the plan's calendar, with its CSV and .ics downloads
    (built when clicked) from the chosen start date; drawn when asked for."""
    st.header(t("section.calendar", lang))
    if not plan.calendar:  # nothing bought, or a plan saved before calendars existed
        st.caption(t("calendar.missing" if plan.lines else "calendar.empty", lang))
        return
    box = _on_request("calendar", t("lazy.calendar", lang), ":material/calendar_month:")
    if box is not None:
        with box:
            _calendar_body(plan, lang)


def _calendar_body(plan: Plan, lang: str) -> None:
    from advisor.present.calendar import calendar_csv, calendar_frame, calendar_ics, next_monday

    start = st.date_input(
        t("calendar.start", lang),
        value=next_monday(),
        help=t("calendar.start.help", lang),
        format="DD/MM/YYYY" if lang == "fr" else "YYYY/MM/DD",
        key="calendar_start",
    )
    st.caption(t("calendar.caption", lang))
    st.dataframe(calendar_frame(plan, lang, start, display=True), hide_index=True, width="stretch")
    stem = f"calendar-{plan.brief.goal.value}-{plan.brief.weeks}w-{start.isoformat()}"
    c1, c2 = st.columns(2)
    c1.download_button(
        t("download.calendar_csv", lang),
        lambda: calendar_csv(plan, lang, start),
        f"{stem}.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/table_view:",
        width="stretch",
    )
    c2.download_button(
        t("download.calendar_ics", lang),
        lambda: calendar_ics(plan, lang, start),
        f"{stem}.ics",
        "text/calendar",
        on_click="ignore",
        icon=":material/calendar_month:",
        width="stretch",
    )


def checklist(plan: Plan, lang: str) -> None:
    st.header(t("section.checklist", lang))
    left, right = st.columns([3, 2], gap="large")
    items = []
    for item in plan.checklist:
        if item.done:
            mark = ":material/check_circle:"
        elif item.blocking:
            mark = ":red[:material/error:]"
        else:
            mark = ":material/radio_button_unchecked:"
        tag = f" — *{t('check.blocking', lang)}*" if item.blocking and not item.done else ""
        items.append(f"{mark} {ex.checklist_text(item.key, plan, lang)}{tag}")
    with left:  # one element each (paragraphs, a list): fewer messages on every run
        st.markdown("\n\n".join(items))
    with right:
        st.info(ex.disclosure(plan, lang), icon=":material/gavel:")
        with st.expander(t("section.caveats", lang), expanded=True):
            notes = ex.notes(plan, lang)
            if notes:
                st.markdown("\n".join(f"- {text}" for text in notes))


@st.fragment
def what_would_change(plan: Plan, lang: str) -> None:
    """Computed on request: 45 full searches take a moment and most visits do not need them."""
    st.header(t("section.what_if", lang))
    st.caption(t("what_if.caption", lang))
    if not st.toggle(t("what_if.show", lang), key=f"what_if.show.{lang}"):
        return
    with st.spinner(t("what_if.computing", lang)):
        grid = state.grid_for(plan.brief, plan.assumptions)
    level = st.segmented_control(
        t("field.advocates", lang),
        grid.advocates,
        default=plan.brief.advocates,
        format_func=lambda a: number(a, lang),
        key=f"what_if.advocates.{lang}",
    )
    level = plan.brief.advocates if level is None else level
    chart, table = st.tabs([t("what_if.as_chart", lang), t("what_if.as_table", lang)])
    with chart:
        st.plotly_chart(
            state.figure(what_if_chart, grid, plan, lang, level),
            width="stretch",
            config=CHART_CONFIG,
        )
    with table:
        st.dataframe(what_if_table(grid, plan, lang, level), hide_index=True, width="stretch")
    changes = grid.changes()[:4]
    if not changes:
        st.caption(t("what_if.none", lang))
    for c in changes:
        st.markdown(
            "- "
            + t(
                "what_if.cell",
                lang,
                budget=money(c.budget, plan.brief.currency, lang),
                weeks=ex.weeks_text(c.weeks, lang),
                advocates=number(c.advocates, lang),
                split=ex.split_phrase(c.influencer_share, lang),
                change="–" if c.change is None else signed_percent(c.change, lang),
                label=ex.objective_label(plan, lang).lower(),
            )
        )


@st.fragment
def how_much_to_spend(plan: Plan, creators: object, lang: str) -> None:
    """The best plan from a quarter to four times the budget (response curves, computed by the
    core once per brief in the session), and the two questions the other way round: the budget
    that reaches a target with some probability, and the budget up to which a further result
    costs at most so much. A fragment: its forms rerun only this section; computed when the
    section is opened."""
    st.header(t("section.spend", lang))
    st.caption(t("spend.caption", lang))
    box = _on_request("spend", t("lazy.spend", lang), ":material/trending_up:")
    if box is not None:
        with box:
            _spend_body(plan, creators, lang)


def _spend_body(plan: Plan, creators: object, lang: str) -> None:
    from advisor import budget_for_cost, budget_for_target
    from advisor.present.charts import spend_curve_chart
    from advisor.present.exports import curves_csv
    from advisor.present.spend import answer_text, curve_sentences

    cur = plan.brief.currency
    key = (plan.brief.model_dump_json(), plan.assumptions.model_dump_json(), plan.data_source)
    store: dict = st.session_state.setdefault("spend.curves", {})
    if key not in store:
        with st.spinner(t("spend.computing", lang)):
            store.clear()  # one brief at a time: the curves of the plan on screen
            st.session_state["spend.answers"] = {}
            store[key] = state.curves_for(plan.brief, plan.assumptions, creators)
    curves = store[key]
    st.plotly_chart(
        state.figure(spend_curve_chart, curves, plan, lang), width="stretch", config=CHART_CONFIG
    )
    st.markdown("  \n".join(curve_sentences(curves, plan, lang)))
    st.download_button(
        t("spend.download", lang),
        curves_csv(curves, plan, lang),
        f"how-much-to-spend-{plan.brief.goal.value}.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    st.subheader(t("spend.ask", lang))
    answers: dict = st.session_state.setdefault("spend.answers", {})
    label = ex.objective_label(plan, lang).lower()
    own = next(p for p in curves.recommended.points if p.budget == curves.budget)
    left, right = st.columns(2, gap="large")
    with left, st.form(f"spend.target.{lang}"):
        st.markdown(f"**{t('spend.target.title', lang)}**")
        target = st.number_input(
            t("spend.target.label", lang, label=label),
            min_value=1.0,
            value=float(max(round(own.p50 * 1.5, -2), 100.0)),
            step=100.0,
            format="%.0f",
        )
        chance = st.number_input(
            t("spend.target.probability", lang), min_value=1, max_value=99, value=80, step=5
        )
        if st.form_submit_button(t("spend.target.submit", lang)):
            with st.spinner(t("spend.solving", lang)):
                answers[(key, "target")] = budget_for_target(
                    plan.brief, target, chance / 100, creators, plan.assumptions
                )
    with right, st.form(f"spend.cost.{lang}"):
        st.markdown(f"**{t('spend.cost.title', lang)}**")
        average = curves.budget / own.p50 if own.p50 > 0 else 1.0
        cost = st.number_input(
            t("spend.cost.label", lang, currency=cur.value),
            min_value=0.0001,
            value=float(f"{2 * average:.2g}"),
            format="%.4g",
        )
        if st.form_submit_button(t("spend.cost.submit", lang)):
            with st.spinner(t("spend.solving", lang)):
                answers[(key, "cost")] = budget_for_cost(
                    plan.brief, cost, creators, plan.assumptions
                )
    for box, kind in ((left, "target"), (right, "cost")):
        answer = answers.get((key, kind))
        if answer is not None:
            box.info(answer_text(answer, plan, lang), icon=":material/savings:")


@st.fragment
def assumptions_panel(plan: Plan, lang: str) -> None:
    """Every figure behind the plan, with its source; edits rebuild the plan and travel in links.
    The table is built when the panel is open (it opens itself when figures were edited)."""
    st.header(t("section.assumptions", lang))
    box = _on_request(
        "assumptions",
        t("assumptions.title", lang, edited=number(len(plan.assumptions.overrides), lang)),
        ":material/tune:",
        expanded=bool(plan.assumptions.overrides),
    )
    if box is not None:
        with box:
            _assumptions_body(plan, lang)


def _assumptions_body(plan: Plan, lang: str) -> None:
    from advisor.model.benchmarks import load_benchmarks

    sources = load_benchmarks().sources
    figures = plan.assumptions.figures()
    st.caption(t("assumptions.caption", lang))
    groups = sorted({f.group for f in figures}, key=[f.group for f in figures].index)
    group = st.selectbox(
        t("assumptions.group", lang),
        groups,
        format_func=lambda g: ex.assumption_group(g, lang),
        key=f"assumptions.group.{lang}",
    )
    shown = [f for f in figures if f.group == group]
    frame = pd.DataFrame(
        {
            "key": [f.key for f in shown],
            t("assumptions.figure", lang): [ex.assumption_label(f.key, lang) for f in shown],
            t("assumptions.value", lang): [f.value for f in shown],
            t("assumptions.unit", lang): [f.unit for f in shown],
            t("assumptions.default", lang): [f.default for f in shown],
            t("assumptions.source", lang): [
                sources[f.source_id].publisher if f.source_id in sources else f.source_id
                for f in shown
            ],
            t("assumptions.edited", lang): [f.edited for f in shown],
        }
    )
    with st.form(f"assumptions.{group}", border=False):
        edited = st.data_editor(
            frame,
            hide_index=True,
            width="stretch",
            disabled=[c for c in frame.columns if c != t("assumptions.value", lang)],
            column_config={"key": None},
            key=f"assumptions.editor.{group}.{lang}",
        )
        c1, c2 = st.columns(2)
        apply = c1.form_submit_button(t("assumptions.apply", lang), type="primary")
        reset = c2.form_submit_button(t("assumptions.reset", lang))
    if reset:
        state.write_assumptions_to_url(Assumptions())
        st.rerun()
    if apply:
        values = dict(zip(edited["key"], edited[t("assumptions.value", lang)], strict=True))
        changes = {k: float(v) for k, v in values.items() if pd.notna(v)}
        try:
            new = plan.assumptions.with_values(**changes)
        except (ValidationError, ValueError):
            st.error(t("assumptions.invalid", lang))
        else:
            state.write_assumptions_to_url(new)
            st.rerun()


def downloads(plan: Plan, lang: str) -> None:
    """Files are built when clicked (deferred data), not on every rerun of the page."""
    from advisor.present.exports import weekly_csv
    from advisor.present.report import plan_report_pdf

    st.header(t("section.downloads", lang))
    stem = f"plan-{plan.brief.goal.value}-{plan.brief.weeks}w"
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        t("download.json", lang),
        lambda: plan.model_dump_json(indent=2),
        f"{stem}.json",
        "application/json",
        on_click="ignore",
        icon=":material/data_object:",
        width="stretch",
    )
    c2.download_button(
        t("download.csv", lang),
        lambda: weekly_csv(plan, lang),
        f"{stem}-weekly.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/table_view:",
        width="stretch",
    )
    c3.download_button(
        t("download.pdf", lang),
        lambda: plan_report_pdf(plan, lang),
        f"{stem}.pdf",
        "application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        width="stretch",
    )
