"""The brief form, shared by every page: it reads the brief from the URL and writes a submitted
brief back to it, so all pages read and edit the same brief.

Nothing typed is lost: a submit applies every valid field and names each field it could not
apply, next to the field and at the top of the main area; the refused text stays in its field.
Help is a caption under each field (not a tooltip button), so Tab goes from field to field
straight to "Build the plan".
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from advisor import CampaignBrief, Currency, Goal, Platform, Region
from advisor.locale.formatting import number
from advisor.locale.i18n import t
from advisor.sharing.links import (
    INTEGER_FIELDS,
    Problem,
    brief_errors,
    exact_number,
    problem_of,
    read_amount,
)
from advisor.ui import state

ERRORS_KEY = "brief_errors"  # this session's problems of the last submit (list[Problem])
SCROLL_KEY = "brief_submitted"  # set by a submit: the page then brings the plan into view


def _key(field: str, lang: str) -> str:
    return f"brief.{field}.{lang}"  # re-labelled (a new widget) when the language changes


def edit_brief(lang: str) -> tuple[CampaignBrief, list[Problem]]:
    """The brief in force and the problems of the URL's values. Draws the form in the sidebar;
    a submit (handled before the page runs, see `_submit`) has already written the URL."""
    brief, problems = state.read_brief_from_url()
    draw_brief_form(brief, lang)
    return brief, problems


def draw_brief_form(
    brief: CampaignBrief, lang: str, box: st.delta_generator.DeltaGenerator | None = None
) -> None:
    """The brief form in the sidebar, or in `box` (a place kept in the sidebar, so that a page
    can draw its plan first and the form after it)."""
    with box if box is not None else st.sidebar:
        brief_form(brief, lang)
        submits = st.session_state.pop(SCROLL_KEY, 0)
        if submits:
            st.html(_SHOW_PLAN.replace("SUBMIT", str(submits)), unsafe_allow_javascript=True)


# After "Build the plan": on a phone (Streamlit's side panel covers the page below 768 px) the
# panel closes, and the page scrolls to the plan's headline card (`st-key-headline`) once drawn.
# Our own markup, no user text; the submit number makes each submit's script a new element.
_SHOW_PLAN = """<script>
/* submit SUBMIT */
(() => {
  const doc = window.parent === window ? document : window.parent.document;
  if (window.matchMedia("(max-width: 767.98px)").matches) {
    const close = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (close && close.offsetParent !== null) close.click();
  }
  let tries = 0;
  const timer = setInterval(() => {
    const card = doc.querySelector(".st-key-headline");
    if (card || ++tries > 150) {
      clearInterval(timer);
      if (card) card.scrollIntoView({block: "start"});
    }
  }, 100);
})();
</script>"""


def form_problems() -> list[Problem]:
    return list(st.session_state.get(ERRORS_KEY) or [])


def show_form_errors(lang: str) -> None:
    """The last submit's refused fields, at the top of the main area, where the user looks."""
    problems = form_problems()
    if problems:
        st.error(
            t("form.rejected", lang) + "\n\n" + "\n".join(f"- {p.message(lang)}" for p in problems),
            icon=":material/error:",
        )


def show_link_problems(problems: list[Problem], bad_assumptions: list[str], lang: str) -> None:
    """Values of the link that could not be used: each one, why, and its parameter."""
    if not problems and not bad_assumptions:
        return
    lines = [f"- {p.message(lang)} {t('url.param', lang, param=p.field)}" for p in problems] + [
        f"- {t('url.param', lang, param=name)}" for name in bad_assumptions
    ]
    st.warning(t("url.bad_fields", lang) + "\n\n" + "\n".join(lines), icon=":material/warning:")


def _field_error(field: str, lang: str) -> None:
    for problem in form_problems():
        if problem.field == field:
            st.error(problem.message(lang), icon=":material/error:")


def _help(field: str, lang: str) -> None:
    st.caption(t(f"help.{field}", lang))


def brief_form(brief: CampaignBrief, lang: str) -> None:
    """The brief as a form; "Build the plan" runs `_submit` before the page is drawn again."""
    st.header(t("form.title", lang))
    # enter_to_submit=False: no "Press Enter to submit form" (English only) under the fields
    with st.form("brief", border=False, enter_to_submit=False):
        st.selectbox(
            t("field.goal", lang),
            list(Goal),
            index=list(Goal).index(brief.goal),
            format_func=lambda g: t(f"goal.{g.value}", lang),
            key=_key("goal", lang),
        )
        _help("goal", lang)
        col1, col2 = st.columns([3, 2])
        with col1:
            st.text_input(
                t("field.budget", lang),
                value=number(brief.budget, lang, 0 if brief.budget == int(brief.budget) else 2),
                key=_key("budget", lang),
            )
        with col2:
            st.selectbox(
                t("field.currency", lang),
                list(Currency),
                index=list(Currency).index(brief.currency),
                format_func=lambda c: c.value,
                key=_key("currency", lang),
            )
        _field_error("budget", lang)
        _help("budget", lang)
        # a number, not a whole-number box: "2.5" reaches the check and is answered in words
        st.number_input(
            t("field.weeks", lang),
            value=float(brief.weeks),
            step=1.0,
            format="%g",
            key=_key("weeks", lang),
        )
        _field_error("weeks", lang)
        _help("weeks", lang)
        st.text_input(
            t("field.audience", lang),
            value=number(brief.audience, lang),
            key=_key("audience", lang),
        )
        _field_error("audience", lang)
        _help("audience", lang)
        st.multiselect(
            t("field.platforms", lang),
            list(Platform),
            default=list(brief.platforms),
            format_func=lambda p: t(f"platform.{p.value}", lang),
            placeholder=t("field.platforms_placeholder", lang),
            select_all=False,  # Streamlit words its "Select all" in English only
            key=_key("platforms", lang),
        )
        _field_error("platforms", lang)
        _help("platforms", lang)
        st.number_input(
            t("field.advocates", lang),
            min_value=0,
            max_value=100_000_000,
            value=int(brief.advocates),
            step=10,
            key=_key("advocates", lang),
        )
        _field_error("advocates", lang)
        _help("advocates", lang)
        st.number_input(
            t("field.order_value", lang),
            min_value=0.0,
            value=float(brief.order_value) if brief.order_value else None,
            step=5.0,
            format="%.2f",
            key=_key("order_value", lang),
        )
        _field_error("order_value", lang)
        _help("order_value", lang)
        st.toggle(
            t("field.accounts_ready", lang),
            value=brief.accounts_ready,
            key=_key("accounts_ready", lang),
        )
        _help("accounts_ready", lang)
        st.selectbox(
            t("field.region", lang),
            list(Region),
            index=list(Region).index(brief.region),
            format_func=lambda r: t(f"region.{r.value}", lang),
            key=_key("region", lang),
        )
        _help("region", lang)
        st.form_submit_button(
            t("form.submit", lang),
            type="primary",
            width="stretch",
            on_click=_submit,
            args=(lang,),
        )


def read_form(lang: str) -> tuple[dict[str, object], list[Problem]]:
    """The submitted values, field by field: the valid ones, and why each other one is not."""
    accepted: dict[str, object] = {}
    problems: list[Problem] = []
    for field in _FIELDS:
        raw = st.session_state.get(_key(field, lang))
        shown = _shown(raw, lang)
        if field in ("budget", "audience"):
            shown = str(raw or "").strip()[:40]
            raw, problem = read_amount(field, shown, lang)
            if problem is not None:
                problems.append(problem)
                continue
        if _numeric(raw) and field in INTEGER_FIELDS and float(raw) == int(raw):
            raw = int(raw)
        if field == "order_value" and not raw:
            accepted[field] = None
            continue
        problem = Problem(field, "invalid") if raw is None else problem_of(field, raw, shown)
        if problem is not None:
            problems.append(problem)
        else:
            accepted[field] = raw
    return accepted, problems


def _shown(value: object, lang: str) -> str:
    """A number as the person sees it in the field: 2.5 -> "2.5" / "2,5", 8.0 -> "8"."""
    if not _numeric(value):
        return ""
    decimals = exact_number(float(value)).partition(".")[2]  # type: ignore[arg-type]
    return number(value, lang, len(decimals))  # type: ignore[arg-type]


_FIELDS = (
    "goal",
    "budget",
    "currency",
    "weeks",
    "audience",
    "platforms",
    "advocates",
    "order_value",
    "accounts_ready",
    "region",
)


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _submit(lang: str) -> None:
    """Apply every valid field of the submit; keep the others' messages for the page."""
    current, _ = state.read_brief_from_url()
    accepted, problems = read_form(lang)
    try:
        new = CampaignBrief.model_validate({**current.model_dump(), **accepted})
    except ValidationError as error:  # fields valid alone, not together: say which
        problems += [
            Problem(field, "invalid") for field in brief_errors(error, lang) if field in _FIELDS
        ]
        new = current
    st.session_state[ERRORS_KEY] = problems
    st.session_state[SCROLL_KEY] = st.session_state.get("brief_submits", 0) + 1
    st.session_state["brief_submits"] = st.session_state[SCROLL_KEY]
    if new != current or not state.brief_in_url() or not problems:
        state.write_brief_to_url(new)
        if "plan" in st.query_params:  # a saved plan's link reads; an edited brief is a draft
            del st.query_params["plan"]
