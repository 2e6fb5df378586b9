"""After the campaign: a saved plan's real results against its bands (planner), and the
team's own figures learnt from every campaign with results (team page).

Reads the upload with the core's reader, saves it with the store, compares and calibrates
with the core, draws with `advisor.present`: nothing is computed here.
"""

from __future__ import annotations

import streamlit as st

from advisor.advice.actuals import compare, coverage
from advisor.advice.calibration import calibrate
from advisor.advice.plan import Plan
from advisor.creators.results import read_results, template_csv
from advisor.creators.schema import IngestError
from advisor.locale.formatting import number
from advisor.locale.i18n import t
from advisor.present.actuals import (
    actuals_table,
    calibration_table,
    coverage_sentence,
    problems_table,
)
from advisor.present.charts import reach_chart
from advisor.store import ConflictError, SavedPlan, Store, StoreError
from advisor.ui import state
from advisor.ui.team import passphrase_form, plans_store, store_error_text

DONE_KEY = "actuals.done"  # {plan id: upload signature} already saved this session


def plan_results(saved: SavedPlan, plan: Plan, lang: str) -> None:
    """An opened plan's results: upload (saved against the version opened), then the actual
    reach on the chart's bands and each figure against its p10–p50–p90."""
    st.header(t("actuals.heading", lang))
    st.caption(t("actuals.caption", lang, version=number(saved.version, lang)))
    st.download_button(
        t("actuals.template", lang),
        template_csv(),
        file_name="results-template.csv",
        mime="text/csv",
        key=f"actuals.template.{saved.id}",
    )
    try:
        store = plans_store()
        # a link opens a new session: a private workspace asks for its passphrase here,
        # where the upload will be, and the plan stays on screen once it is given
        if passphrase_form(
            lang, key=f"actuals.unlock.{saved.id}", reason="actuals.locked", submit="actuals.unlock"
        ):
            _upload(store, saved, lang)
        stored = store.load_results(saved.id)
    except StoreError as error:
        st.error(
            t("actuals.store_failed", lang, message=store_error_text(error, lang)),
            icon=":material/error:",
        )
        return
    if stored is None:
        return
    shown = stored.plan if stored.plan_version != saved.version else plan
    results = stored.results
    st.caption(
        t(
            "actuals.stored",
            lang,
            version=number(stored.plan_version, lang),
            rows=number(results.rows_kept, lang),
            weeks=number(results.weeks, lang),
        )
    )
    if stored.plan_version != saved.version:
        st.info(
            t(
                "actuals.stale",
                lang,
                version=number(stored.plan_version, lang),
                current=number(saved.version, lang),
            ),
            icon=":material/history:",
        )
    comparison = compare(shown, results)
    st.plotly_chart(
        reach_chart(shown, lang, comparison),
        width="stretch",
        config=state.CHART_CONFIG,
        key=f"actuals.chart.{saved.id}",
    )
    st.dataframe(actuals_table(comparison, shown, lang), width="stretch", hide_index=True)
    sentence = coverage_sentence(coverage([comparison]), lang)
    if sentence:
        st.caption(sentence)
    if results.problems:
        with st.expander(t("actuals.problems", lang, count=number(len(results.problems), lang))):
            st.dataframe(problems_table(results, lang), width="stretch", hide_index=True)


def _upload(store: Store, saved: SavedPlan, lang: str) -> None:
    upload = st.file_uploader(
        t("actuals.upload", lang), type=["csv", "txt", "tsv"], key=f"actuals.file.{saved.id}"
    )
    if upload is None:
        return
    data = upload.getvalue()
    signature = f"{upload.name}:{len(data)}:{hash(data)}"
    done = st.session_state.setdefault(DONE_KEY, {})
    if done.get(saved.id) == signature:
        return
    try:
        results = read_results(data, lang=lang)
    except IngestError as error:
        st.error(t("actuals.unreadable", lang, message=error.message), icon=":material/error:")
        return
    try:
        version = store.save_results(saved.id, results, saved.version)
    except ConflictError as error:
        st.warning(
            t("actuals.conflict", lang, current=number(error.current, lang)),
            icon=":material/sync_problem:",
        )
        return
    done[saved.id] = signature
    st.success(
        t(
            "actuals.saved",
            lang,
            version=number(version, lang),
            rows=number(results.rows_kept, lang),
        ),
        icon=":material/check:",
    )


def team_figures(store: Store, lang: str) -> None:
    """The team's own figures from every campaign with results, beside the benchmarks, with
    the bands' calibration; saved as the workspace's assumptions on request."""
    st.header(t("calibration.heading", lang))
    campaigns = store.campaigns_with_results()
    if not campaigns:
        st.caption(t("calibration.none", lang))
        return
    calibration = calibrate([(c.plan, c.results) for c in campaigns])
    st.caption(t("calibration.caption", lang, campaigns=number(calibration.campaigns, lang)))
    sentence = coverage_sentence(calibration.coverage, lang, "calibration.coverage")
    if sentence:
        st.caption(sentence)
    if calibration.figures:
        st.dataframe(calibration_table(calibration, lang), width="stretch", hide_index=True)
    if st.button(t("calibration.save", lang), key="calibration.save"):
        try:
            store.save_team_assumptions(calibration)
        except StoreError as error:
            st.error(
                t("calibration.store_failed", lang, message=store_error_text(error, lang)),
                icon=":material/error:",
            )
        else:
            st.success(t("calibration.saved", lang), icon=":material/check:")
    team = store.load_team_assumptions()
    if team is not None and team.overrides:
        st.caption(t("calibration.current", lang, count=number(len(team.overrides), lang)))
        if "plan" in state.PAGES:  # in this tab, like the app's other links
            st.page_link(
                state.PAGES["plan"],
                label=t("calibration.use", lang),
                icon=":material/arrow_forward:",
                query_params=state.query_with(team.assumptions()),
            )


__all__ = ["plan_results", "team_figures"]
