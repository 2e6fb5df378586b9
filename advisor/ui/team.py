"""Team plans: the workspace's saved plans (list, open, copy, rename, delete with undo, compare)
and the controls that save a plan or reopen one from its `?plan=<id>` link.

Settings come from Streamlit secrets, else the environment: `DATABASE_URL` (else the SQLite
file of `advisor.store`), `TEAM_PASSPHRASE` (absent: an open workspace), `ADVISOR_DB_TIMEOUT`
and `ADVISOR_TRUSTED_PROXIES` (the proxies whose `X-Forwarded-For` is believed). Without the
passphrase the page lists nothing, and wrong guesses are slowed down per client and in total, by
a throttle every replica shares through the database. A plan's link is the capability to read
that plan; saving needs the workspace (passphrase), and updating a plan names the version it
edits, so a concurrent save is reported instead of overwritten. A save that timed out can be
pressed again: the form's token makes the store return the plan the first press created.

Names and authors are user text: shown through `display_text` (Markdown-inert in captions and
alerts, bidi controls removed everywhere).
"""

from __future__ import annotations

import hashlib
import math
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st
from babel import Locale
from babel.dates import format_date, format_time

from advisor.advice.plan import Plan
from advisor.creators.ingest import CreatorLoad
from advisor.locale.formatting import compact, money, percent, signed_percent
from advisor.locale.i18n import t
from advisor.locale.text import display_text
from advisor.present.compare import comparison_figure, comparison_rows
from advisor.store import (
    ConflictError,
    PlanSummary,
    SavedPlan,
    Store,
    StoreError,
    default_url,
    open_store,
)
from advisor.store.access import Gate, SharedThrottle, client_address, trusted_networks
from advisor.ui import state

UNLOCKED_KEY = "team.unlocked"  # digest of the passphrase this session entered
OPENED_KEY = "team.opened"  # (plan id, version, name) this session opened or saved
OPENED_PLAN_KEY = "team.opened_plan"  # the SavedPlan of `?plan=<id>`, loaded once per session
DELETED_KEY = "team.deleted"  # (plan id, name) for the undo bar
CONFIRM_KEY = "team.confirm_delete"  # plan id awaiting confirmation
NOTICE_KEY = "team.notice"  # a success message to show once after a rerun
RECOMPUTED_KEY = "team.recomputed"  # {(id, version): (plan json, change)}
OPENED_DIGEST_KEY = "team.opened_digest"  # brief and figures of the plan opened or saved
PENDING_SAVE_KEY = "team.pending_save"  # a save waiting for an explicit answer
PENDING_RENAME_KEY = "team.pending_rename"  # (id, name, version) waiting for an answer
PICK_NEXT_KEY = "team.pick_next"  # plan id to select on the next run (a fresh copy)
SEEN_KEY = "team.seen_versions"  # {id: version} as the list was last shown
PICK_KEY = "team.pick"
COMPARE_MAX = 3
SAVE_TOKEN = "{key}.save_token"  # (token, digest of the save it is for or None) of the Save form
SAVE_UNKNOWN = "{key}.save_unknown"  # digest of the save a timeout left unknown


# --- settings, store, access ---------------------------------------------------------------


def secret(name: str) -> str | None:
    """A Streamlit secret, else the environment variable of the same name."""
    try:
        value = st.secrets.get(name)
    except Exception:  # no secrets.toml at all
        value = None
    return str(value) if value else (os.environ.get(name) or None)


def _timeout() -> float | None:
    try:
        value = float(secret("ADVISOR_DB_TIMEOUT") or 0)
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


@st.cache_resource(show_spinner=False)
def _open(url: str, timeout: float | None) -> Store:
    return open_store(url, timeout=timeout)


def plans_store() -> Store:
    """The process's store (one engine and pool shared by every session). Raises StoreError."""
    return _open(secret("DATABASE_URL") or default_url(), _timeout())


@st.cache_resource(show_spinner=False)
def _throttle(url: str, timeout: float | None) -> SharedThrottle:
    return SharedThrottle(_open(url, timeout))


def throttle() -> SharedThrottle:
    """The passphrase throttle, in the plans database (shared by replicas). Raises StoreError."""
    return _throttle(secret("DATABASE_URL") or default_url(), _timeout())


def gate() -> Gate:
    return Gate(secret("TEAM_PASSPHRASE"), throttle())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def client_key() -> str:
    """Who is guessing: the socket's peer address; behind a trusted proxy, the right-most
    untrusted `X-Forwarded-For` address (`advisor.store.access.client_address`)."""
    try:
        peer = st.context.ip_address
        forwarded = st.context.headers.get_all("X-Forwarded-For")
    except Exception:  # no request context (a bare script run)
        peer, forwarded = None, []
    peer = peer if isinstance(peer, str) else None  # None: loopback
    forwarded = [value for value in forwarded or [] if isinstance(value, str)]
    return client_address(peer, forwarded, trusted_networks(secret("ADVISOR_TRUSTED_PROXIES")))


def unlocked() -> bool:
    """The workspace is open, or this session gave the current passphrase."""
    expected = secret("TEAM_PASSPHRASE") or ""
    return not expected or st.session_state.get(UNLOCKED_KEY) == _digest(expected)


def store_error_text(error: StoreError, lang: str) -> str:
    try:
        return t(f"store.error.{error.code}", lang, **error.params)
    except (KeyError, IndexError):
        return t("store.error.error", lang)


def plan_link(plan_id: str, lang: str = "en") -> str:
    """The absolute `/?plan=<id>` link when the server knows its address."""
    query = f"?plan={plan_id}" + (f"&lang={lang}" if lang != "en" else "")
    try:
        parts = urlsplit(st.context.url or "")
    except Exception:
        return f"/{query}"
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}/{query}"
    return f"/{query}"


# --- the page --------------------------------------------------------------------------------


def render_team_page() -> None:
    lang = state.language()
    st.title(t("team.title", lang))
    st.caption(t("team.caption", lang))
    try:
        store = plans_store()
    except StoreError as error:
        st.error(store_error_text(error, lang), icon=":material/error:")
        return
    try:
        if not passphrase_form(lang):
            return
        notice = st.session_state.pop(NOTICE_KEY, None)
        if notice:
            st.success(notice, icon=":material/check:")
        undo_bar(store, lang)
        summaries = store.list()
        if not summaries:
            st.info(t("team.empty", lang), icon=":material/inbox:")
            return
        seen = st.session_state.get(SEEN_KEY, {})
        st.session_state[SEEN_KEY] = {s.id: s.version for s in summaries}
        plans_table(summaries, lang)
        actions(store, summaries, lang, seen)
        compare(store, summaries, lang)
        from advisor.ui.actuals import team_figures  # it draws on this module's helpers

        team_figures(store, lang)
    except StoreError as error:
        st.error(store_error_text(error, lang), icon=":material/error:")


def passphrase_form(
    lang: str,
    *,
    key: str = "team.passphrase_form",
    reason: str = "team.locked",
    submit: str = "team.unlock",
) -> bool:
    """True when the workspace is open to this session; otherwise shows why (`reason`, a
    catalog key) and the passphrase form, and returns False. Every form (the Team page's, a
    saved plan's upload) checks the passphrase here, through the shared throttle; a right one
    unlocks the session and reruns the page it is on."""
    if unlocked():
        return True
    st.info(t(reason, lang), icon=":material/lock:")
    with st.form(key):
        given = st.text_input(t("team.passphrase", lang), type="password", key=f"{key}.given")
        submitted = st.form_submit_button(t(submit, lang), type="primary")
    if submitted:
        g = gate()
        verdict = g.attempt(client_key(), given)
        if verdict.allowed:
            st.session_state[UNLOCKED_KEY] = _digest(g.expected)
            st.rerun()
        elif verdict.throttled:
            seconds = max(1, math.ceil(verdict.retry_after))
            st.error(t("team.throttled", lang, seconds=seconds), icon=":material/timer:")
        else:
            st.error(t("team.wrong", lang), icon=":material/error:")
    return False


def _zone() -> tuple[tzinfo, bool]:
    """The reader's time zone (from the browser) and whether it is known (else UTC)."""
    try:
        name = st.context.timezone
    except Exception:
        name = None
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name), True
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return UTC, False


def when(moment: datetime, lang: str) -> str:
    """Date and time in the reader's zone, the locale's way ('Dec 6, 2026, 6:39 PM'; in UTC,
    said so, when the browser gave no zone)."""
    zone, known = _zone()
    local = moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(zone)
    date = format_date(local, format="medium", locale=lang)
    time = format_time(local, format="short", tzinfo=zone, locale=lang)
    pattern = str(Locale.parse(lang).datetime_formats["medium"])
    text = pattern.replace("{1}", date).replace("{0}", time).replace("'", "")
    return text if known else t("team.time_utc", lang, when=text)


def _date(summary: PlanSummary, lang: str) -> str:
    return when(summary.updated, lang)


def _split(share: float, lang: str) -> str:
    return t(
        "compare.split", lang, influencer=percent(share, lang), ambassador=percent(1 - share, lang)
    )


def plans_table(summaries: list[PlanSummary], lang: str) -> None:
    rows = [
        {
            t("team.col.name", lang): display_text(s.name, markdown=False),
            t("team.col.author", lang): display_text(s.author, markdown=False),
            t("team.col.updated", lang): _date(s, lang),
            t("team.col.goal", lang): t(f"goal.{s.goal}", lang),
            t("team.col.budget", lang): money(s.budget, s.currency, lang),
            t("team.col.split", lang): _split(s.influencer_share, lang),
            t("team.col.objective", lang): (
                f"{compact(s.objective_p50, lang)} · {t(f'objective.{s.objective_key}', lang)}"
            ),
        }
        for s in summaries
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _labeller(summaries: list[PlanSummary], lang: str) -> Callable[[str], str]:
    by_id = {s.id: s for s in summaries}

    def label(plan_id: str) -> str:
        s = by_id[plan_id]  # options are shown as plain text: no Markdown escapes
        who = f" · {display_text(s.author, markdown=False)}" if s.author else ""
        return f"{display_text(s.name, markdown=False)}{who} · {_date(s, lang)}"

    return label


def free_name(store: Store, name: str) -> str:
    """`name`, or `name (2)`, `name (3)`... : the first not used by another plan here."""
    candidate, n = name, 1
    while store.name_taken(candidate) and n < 100:
        n += 1
        candidate = f"{name} ({n})"
    return candidate


def actions(
    store: Store, summaries: list[PlanSummary], lang: str, seen: dict[str, int] | None = None
) -> None:
    """Open, copy, delete and rename the picked plan. `seen` holds the versions the list
    showed before this run: a rename names that version, so a plan someone changed since it
    was listed is reported, not silently renamed over."""
    by_id = {s.id: s for s in summaries}
    picked = st.session_state.pop(PICK_NEXT_KEY, None)
    if picked in by_id:  # a fresh copy becomes the selected plan
        st.session_state[PICK_KEY] = picked
    chosen = st.selectbox(
        t("team.pick", lang), list(by_id), format_func=_labeller(summaries, lang), key=PICK_KEY
    )
    if chosen is None:
        return
    summary = by_id[chosen]
    c1, c2, c3 = st.columns(3)
    c1.link_button(t("team.open", lang), plan_link(chosen, lang), icon=":material/open_in_new:")
    if c2.button(t("team.duplicate", lang), key="team.duplicate", icon=":material/content_copy:"):
        name = free_name(store, t("team.copy_name", lang, name=summary.name))
        st.session_state[PICK_NEXT_KEY] = store.duplicate(chosen, name=name)
        st.session_state[NOTICE_KEY] = t("team.duplicated", lang, name=display_text(name))
        st.rerun()
    if c3.button(t("team.delete", lang), key="team.delete", icon=":material/delete:"):
        st.session_state[CONFIRM_KEY] = chosen
    if st.session_state.get(CONFIRM_KEY) == chosen:
        name = display_text(summary.name)
        st.warning(t("team.delete_confirm", lang, name=name), icon=":material/warning:")
        yes, no = st.columns(2)
        if yes.button(t("team.delete_yes", lang), key="team.delete_yes", type="primary"):
            store.delete(chosen)
            st.session_state.pop(CONFIRM_KEY, None)
            st.session_state[DELETED_KEY] = (chosen, summary.name)
            st.rerun()
        if no.button(t("team.delete_no", lang), key="team.delete_no"):
            st.session_state.pop(CONFIRM_KEY, None)
            st.rerun()
    rename_form(store, summary, lang, (seen or {}).get(chosen, summary.version))


def rename_form(store: Store, summary: PlanSummary, lang: str, expected: int) -> None:
    """Rename `summary` if it is still at `expected` (the version the list showed); a name
    another plan already has is questioned and needs an explicit 'rename anyway'."""
    with st.form("team.rename_form"):
        new_name = st.text_input(t("team.rename", lang), value=summary.name)
        submitted = st.form_submit_button(t("team.rename_submit", lang))
    pending = st.session_state.get(PENDING_RENAME_KEY)
    if submitted:
        clean = " ".join(new_name.split())
        pending = None
        st.session_state.pop(PENDING_RENAME_KEY, None)
        if clean and store.name_taken(clean, except_id=summary.id):
            pending = (summary.id, clean, expected)
            st.session_state[PENDING_RENAME_KEY] = pending
        else:
            _rename(store, summary, clean, expected, lang)
            return
    if not pending or pending[0] != summary.id:
        return
    _, clean, version = pending
    st.warning(
        t("team.rename_name_taken", lang, name=display_text(clean)), icon=":material/warning:"
    )
    yes, no = st.columns(2)
    if yes.button(
        t("team.rename_anyway", lang, name=display_text(clean)), key="team.rename_anyway"
    ):
        st.session_state.pop(PENDING_RENAME_KEY, None)
        _rename(store, summary, clean, version, lang)
    if no.button(t("save.cancel", lang), key="team.rename_cancel"):
        st.session_state.pop(PENDING_RENAME_KEY, None)
        st.rerun()


def _rename(store: Store, summary: PlanSummary, name: str, expected: int, lang: str) -> None:
    try:
        store.rename(summary.id, name, expected_version=expected)
    except ConflictError as error:
        st.error(
            t("team.rename_conflict", lang, name=display_text(summary.name), current=error.current),
            icon=":material/sync_problem:",
        )
    except StoreError as error:
        st.error(store_error_text(error, lang), icon=":material/error:")
    else:
        st.session_state[NOTICE_KEY] = t("team.renamed", lang, name=display_text(name))
        st.rerun()


def undo_bar(store: Store, lang: str) -> None:
    deleted = st.session_state.get(DELETED_KEY)
    if not deleted:
        return
    plan_id, name = deleted
    c1, c2 = st.columns([4, 1])
    c1.info(t("team.deleted", lang, name=display_text(name)), icon=":material/delete:")
    if c2.button(t("team.undo", lang), key="team.undo", icon=":material/undo:"):
        store.restore(plan_id)
        st.session_state.pop(DELETED_KEY, None)
        st.session_state[NOTICE_KEY] = t("team.restored", lang, name=display_text(name))
        st.rerun()


def compare(store: Store, summaries: list[PlanSummary], lang: str) -> None:
    """Two or three plans side by side. More can be picked: the first three are compared and
    the page says so."""
    st.subheader(t("team.compare", lang))
    by_id = {s.id: s for s in summaries}
    chosen = st.multiselect(
        t("team.compare_pick", lang),
        list(by_id),
        format_func=_labeller(summaries, lang),
        placeholder=t("team.compare_placeholder", lang),
        select_all=False,  # Streamlit words its "Select all" in English only
        key="team.compare_ids",
    )
    chosen = [i for i in chosen if i in by_id]
    if len(chosen) < 2:
        st.caption(t("team.compare_hint", lang))
        return
    if len(chosen) > COMPARE_MAX:
        kept = chosen[:COMPARE_MAX]
        names = ", ".join(f"“{display_text(by_id[i].name)}”" for i in kept)
        st.info(
            t("team.compare_kept", lang, count=len(chosen), names=names), icon=":material/info:"
        )
        chosen = kept
    loaded = [store.load(i) for i in chosen]
    plans = [(display_text(saved.name, markdown=False), saved.plan) for saved in loaded]
    rows = comparison_rows(plans, lang)
    saved_col = t("compare.col.saved", lang)
    plan_col = t("compare.col.plan", lang)
    rows = [
        {plan_col: row[plan_col], saved_col: when(saved.summary.updated, lang), **row}
        for row, saved in zip(rows, loaded, strict=True)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.plotly_chart(comparison_figure(plans, lang), config=state.CHART_CONFIG)


# --- opening and saving, for the planner ---------------------------------------------------


def opened_plan(lang: str) -> tuple[SavedPlan, Plan] | None:
    """The saved plan named by `?plan=<id>` and the plan to show (recomputed, with a message
    saying by how much the objective moved, when the benchmark files changed since it was
    saved); None without `plan` in the URL or when it cannot be opened (the reason is shown).

    Loaded once per session: reruns keep what the session opened, so a colleague's later save
    is not silently taken over, and saving changes over it is reported as a conflict."""
    plan_id = st.query_params.get("plan")
    if not plan_id:
        return None
    kept = st.session_state.get(OPENED_PLAN_KEY)
    if kept is not None and kept.id == plan_id:
        saved = kept  # as this session first opened it: its version is the one edits name
    else:
        try:
            saved = plans_store().load(plan_id)
        except StoreError as error:
            st.error(store_error_text(error, lang), icon=":material/link_off:")
            return None
        st.session_state[OPENED_PLAN_KEY] = saved
        st.session_state[OPENED_KEY] = (saved.id, saved.version, saved.name)
        st.session_state[OPENED_DIGEST_KEY] = plan_digest(saved.plan)
    date = format_date(saved.updated, format="medium", locale=lang)
    if saved.author:
        name, author = display_text(saved.name), display_text(saved.author)
        st.caption(t("open.from_link", lang, name=name, author=author, date=date))
    else:
        st.caption(t("open.from_link_anonymous", lang, name=display_text(saved.name), date=date))
    if not saved.stale:
        return saved, saved.plan
    cache = st.session_state.setdefault(RECOMPUTED_KEY, {})
    key = (saved.id, saved.version)
    if key not in cache:
        try:
            result = saved.recompute()
        except StoreError as error:
            st.info(store_error_text(error, lang), icon=":material/history:")
            return saved, saved.plan
        cache[key] = (result.plan.model_dump_json(), result.change)
    plan_json, change = cache[key]
    if change is None:
        st.info(t("open.stale", lang), icon=":material/history:")
        return saved, saved.plan
    st.info(
        t("open.recomputed", lang, change=signed_percent(change, lang)), icon=":material/update:"
    )
    return saved, Plan.model_validate_json(plan_json)


def _default_name(plan: Plan, lang: str) -> str:
    budget = money(plan.brief.budget, str(plan.brief.currency), lang)
    goal = t(f"goal.{plan.brief.goal.value}", lang)
    return t("save.default_name", lang, goal=goal, budget=budget)


def plan_digest(plan: Plan) -> str:
    """What makes the plan on screen a different plan: its brief and its figures."""
    text = plan.brief.model_dump_json() + plan.assumptions.model_dump_json()
    return _digest(text)


def save_controls(
    plan: Plan,
    creators: object,
    lang: str,
    *,
    shortlist: object = None,
    rules: object = None,
    key: str = "save",
) -> str | None:
    """A form to save `plan` with its creator list (a `CreatorLoad` or canonical DataFrame;
    anything else is not stored), shortlist and rules, under a name and an author.

    The form follows the plan on screen. While it is the plan this session opened or saved,
    it offers to save changes to it (refused with a message when someone saved it meanwhile)
    or a new plan. Once the brief or figures changed, it saves a new plan by default, under
    a new default name; replacing the original takes a button that names it and a
    confirmation. A name another plan of the workspace has is questioned: save anyway, or
    change it. A failed save says why and leaves the page as it was. Returns the id saved, if
    any; the `/?plan=<id>` link is shown."""
    st.subheader(t("save.title", lang))
    if not unlocked():
        st.caption(t("save.locked", lang))
        return None
    opened = st.session_state.get(OPENED_KEY)
    digest = plan_digest(plan)
    same = bool(opened) and st.session_state.get(OPENED_DIGEST_KEY) == digest
    if opened and not same:
        st.info(t("save.changed", lang, name=display_text(opened[2])), icon=":material/difference:")
    with st.form(f"{key}.form"):
        name = st.text_input(
            t("save.name", lang),
            value=opened[2] if same and opened else _default_name(plan, lang),
            key=f"{key}.name.{digest[:12]}",
        )
        author = st.text_input(t("save.author", lang), key=f"{key}.author")
        cols = st.columns(2 if opened else 1)
        as_new = cols[0].form_submit_button(t("save.new", lang), type="primary")
        over = False
        if opened:
            label = "save.update" if same else "save.replace"
            over = cols[-1].form_submit_button(t(label, lang, name=display_text(opened[2])))
    try:
        store = plans_store()
        if as_new or over:
            request = {
                "action": "new" if as_new else ("update" if same else "replace"),
                "name": " ".join(name.split()),
                "author": author,
                "digest": digest,
                "target": opened if over else None,
            }
            request["token"], request["what"] = _token(key, plan, request)
            if st.session_state.get(SAVE_UNKNOWN.format(key=key)) == request["what"]:
                # pressed again after a timeout: its questions were answered the first time
                request["replace_ok"] = request["name_ok"] = True
            st.session_state[PENDING_SAVE_KEY] = request
        request = st.session_state.get(PENDING_SAVE_KEY)
        if not request:
            return None
        if request["digest"] != digest:  # the plan on screen changed: the question is moot
            st.session_state.pop(PENDING_SAVE_KEY, None)
            return None
        if not _answered(store, request, lang, key):
            return None
        st.session_state.pop(PENDING_SAVE_KEY, None)
        return _save(store, request, plan, creators, shortlist, rules, lang, key)
    except StoreError as error:
        st.session_state.pop(PENDING_SAVE_KEY, None)
        reason = store_error_text(error, lang)
        st.error(t("save.failed", lang, reason=reason), icon=":material/error:")
        return None


def _token(key: str, plan: Plan, request: dict[str, Any]) -> tuple[str, str]:
    """The save token for this request, and the digest of the save it stands for.

    The token says "this save": pressing Save again after a timeout repeats it (the store
    returns the plan, or the version, the first press made), but saving something else
    (another plan, name, author, action or target) is a new save with a new token."""
    target = request["target"]
    what = hashlib.sha256(
        "\0".join(
            [
                plan.model_dump_json(),
                request["name"],
                request["author"],
                request["action"],
                f"{target[0]}@{target[1]}" if target else "",
            ]
        ).encode("utf-8", "surrogatepass")
    ).hexdigest()
    token_key = SAVE_TOKEN.format(key=key)
    token, meant = st.session_state.get(token_key) or (secrets.token_urlsafe(24), None)
    if meant not in (None, what):
        token = secrets.token_urlsafe(24)
    st.session_state[token_key] = (token, what)
    return token, what


def _answered(store: Store, request: dict[str, Any], lang: str, key: str) -> bool:
    """True when the save may go ahead; else asks (replace the original? a name in use?)."""
    target = request["target"]
    if request["action"] == "replace" and not request.get("replace_ok"):
        st.warning(
            t("save.replace_confirm", lang, name=display_text(target[2]), version=target[1]),
            icon=":material/warning:",
        )
        label = t("save.replace_yes", lang, name=display_text(target[2]))
        return _ask(request, "replace_ok", label, lang, key)
    taken = request["name"] and store.name_taken(
        request["name"], except_id=target[0] if target else None
    )
    if taken and not request.get("name_ok"):
        st.warning(
            t("save.name_taken", lang, name=display_text(request["name"])), icon=":material/help:"
        )
        label = t("save.name_anyway", lang, name=display_text(request["name"]))
        return _ask(request, "name_ok", label, lang, key)
    return True


def _ask(request: dict[str, Any], answer: str, label: str, lang: str, key: str) -> bool:
    yes, no = st.columns(2)
    if yes.button(label, key=f"{key}.{answer}", type="primary"):
        request[answer] = True
        st.session_state[PENDING_SAVE_KEY] = request
        st.rerun()
    if no.button(t("save.cancel", lang), key=f"{key}.{answer}.cancel"):
        st.session_state.pop(PENDING_SAVE_KEY, None)
        st.rerun()
    return False


def _save(
    store: Store,
    request: dict[str, Any],
    plan: Plan,
    creators: object,
    shortlist: object,
    rules: object,
    lang: str,
    key: str,
) -> str | None:
    listed = creators if isinstance(creators, CreatorLoad | pd.DataFrame) else None
    name, author, target = request["name"], request["author"], request["target"]
    try:
        if target:
            version = store.update(
                target[0],
                plan,
                target[1],
                name=name,
                author=author or None,
                creators=listed,
                shortlist=shortlist,
                rules=rules,
                save_key=request["token"],
            )
            plan_id = target[0]
            st.session_state[OPENED_KEY] = (plan_id, version, _clean(name))
            st.success(t("save.updated", lang, name=display_text(_clean(name)), version=version))
        else:
            plan_id = store.save(
                plan,
                name,
                author=author,
                creators=listed,
                shortlist=shortlist,  # type: ignore[arg-type]
                rules=rules,  # type: ignore[arg-type]
                save_key=request["token"],
            )
            st.session_state[OPENED_KEY] = (plan_id, 1, _clean(name))
            st.success(t("save.saved", lang, name=display_text(_clean(name))))
        st.session_state[OPENED_DIGEST_KEY] = request["digest"]
    except ConflictError as error:
        _forget_token(key)  # the store answered: whatever is pressed next is a new save
        shown = target[2] if target else _clean(name)
        st.error(
            t("save.conflict", lang, name=display_text(shown), current=error.current),
            icon=":material/sync_problem:",
        )
        return None
    except StoreError as error:
        if error.code != "timeout":
            raise
        # It may have happened: pressing again repeats this save (same token), safely.
        st.session_state[SAVE_UNKNOWN.format(key=key)] = request["what"]
        st.warning(t("save.unknown", lang), icon=":material/sync_problem:")
        return None
    _forget_token(key)  # done: the next press is a new save
    st.code(plan_link(plan_id, lang), language=None)
    return plan_id


def _forget_token(key: str) -> None:
    st.session_state[SAVE_TOKEN.format(key=key)] = (secrets.token_urlsafe(24), None)
    st.session_state.pop(SAVE_UNKNOWN.format(key=key), None)


def _clean(name: str) -> str:
    return " ".join(name.split())
