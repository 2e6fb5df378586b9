"""Creator lists page: upload, validate, audit, map columns, and build an optimal shortlist.

What the analyst entered is never lost: a failed upload shows its message and leaves the last
good list, the mapping and the shortlist exactly as they were.

Memory: a parsed list lives in this session's state only (one list per session, replaced by the
next upload, freed when the session ends), never in a cache shared across sessions; uploads
are capped at `MAX_UPLOAD_MB` (also `server.maxUploadSize`), checked here too.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import re
import threading
import time

import pandas as pd
import streamlit as st

from advisor import CampaignBrief, Plan, Platform, recommend
from advisor.creators.ingest import (
    FIELDS,
    CreatorLoad,
    IngestError,
    guess_field,
    load_creators,
    read_header,
)
from advisor.creators.shortlist import Shortlist, ShortlistRules, optimise_shortlist
from advisor.locale.formatting import compact, money, number
from advisor.locale.i18n import t
from advisor.model.currency import Currency
from advisor.model.data import SAMPLE_CREATORS
from advisor.present import explain
from advisor.present.charts import audit_chart, reach_chart
from advisor.present.exports import problems_frame, template_csv, to_csv_bytes
from advisor.ui import state
from advisor.ui.brief import edit_brief, show_form_errors
from advisor.ui.planner import named_creators

SAMPLE_PATH = SAMPLE_CREATORS
LOAD_KEY, MAPPING_KEY, SHORTLIST_KEY, FILE_KEY, SIGNATURE_KEY = (
    "creator_load",
    "creator_mapping",  # {file signature: {header: field, or None to ignore it}}
    "shortlist",
    "creator_file",  # ((signature, mapping), error message or None) of the last upload tried
    "creator_signature",  # signature of the file behind LOAD_KEY
)
CURRENCY_KEY = "creator_currency"  # the analyst's currency for costs the file does not name
CURRENCY_CHOICES = ("", "USD", "EUR", "GBP")  # "": detect from the file (else US dollars)
RESCUE_KEY = "creator_rescue"  # (signature, headers) of a file that failed for a missing column
# A million-row list in the canonical layout is ~82 MB; loading it peaks near 0.7 GB for a few
# seconds, then the session keeps ~0.15 GB. 100 MB lets one analyst load a million creators
# while a 2-core / 24 GiB server still serves dozens of sessions. Keep `server.maxUploadSize`
# in `.streamlit/config.toml` equal.
MAX_UPLOAD_MB = 100
IGNORE = "—"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def _plain(text: str) -> str:
    """File names and column headers shown in Markdown (captions, alerts, labels) as typed."""
    return _MARKDOWN.sub(r"\\\1", text)


def _load(
    data: bytes,
    mapping: dict[int, str | None],
    lang: str,
    label: str,
    progress=None,
    currency: str | None = None,
) -> CreatorLoad:
    """Not cached: the result goes to this session's state (see the module docstring).
    `currency`: the analyst's currency for costs the file does not name (None: detect)."""
    load = load_creators(
        data, mapping=mapping or None, lang=lang, progress=progress, currency=currency
    )
    return load.model_copy(update={"label": label})


@st.cache_data(max_entries=2, show_spinner=False)  # the bundled 800-row sample, per language
def _sample(lang: str) -> CreatorLoad:
    return _load(SAMPLE_PATH.read_bytes(), {}, lang, "sample")


def _arrow_pool_that_gives_back() -> None:
    """Point pyarrow at an allocator that returns freed pages: jemalloc with no decay delay,
    else the system's malloc (trimmed by `_give_back_memory`).

    pyarrow's default pool, mimalloc, keeps a heap per thread. Streamlit runs each script
    run on a new thread, so the heap of a thread that loaded a list is abandoned when the run
    ends, and `release_unused()` on another thread cannot return it: measured in this
    server, ten 50 MB uploads left +233 MB resident after every list had been freed (with
    jemalloc or the system pool, within a few MB of the start). Set once, in the server only
    (the library keeps pyarrow's default). Arrays already made keep the pool that made them."""
    with contextlib.suppress(Exception):
        import pyarrow as pa

        if "jemalloc" in pa.supported_memory_backends():
            pa.set_memory_pool(pa.jemalloc_memory_pool())
            pa.jemalloc_set_decay_ms(0)  # hand freed pages back at once, not after 10 s
        else:
            pa.set_memory_pool(pa.system_memory_pool())


_arrow_pool_that_gives_back()


def _give_back_memory() -> None:
    """Return freed memory to the system after a large load (pyarrow's pool and glibc keep
    freed pages otherwise, so a server's resident memory would only ever grow)."""
    gc.collect()
    with contextlib.suppress(Exception):
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


TRIM_EVERY_S = 20.0
_trimmer_lock = threading.Lock()
_trimmer: list[threading.Thread] = []
# session id -> that session's state, until the session ends and its state is cleared.
_states: dict[str, object] = {}


def _track_session() -> None:
    """Remember this session's state so `_drop_ended_sessions` can find it later."""
    with contextlib.suppress(Exception):
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is not None:
            _states[ctx.session_id] = getattr(ctx.session_state, "_state", ctx.session_state)


def _drop_ended_sessions() -> None:
    """Drop the lists of sessions Streamlit no longer knows (neither connected nor kept for a
    reconnect). Their state can outlive them: an ended session's object stays referenced by
    a finished websocket task for a while, and its state with it, list included."""
    with contextlib.suppress(Exception):
        from streamlit.runtime import Runtime

        manager = Runtime.instance()._session_mgr
        for session_id, session_state in list(_states.items()):
            if manager.get_session_info(session_id) is not None:
                continue
            with contextlib.suppress(Exception):
                session_state.clear()  # the session is over: nothing in it is used again
            _states.pop(session_id, None)


def _keep_memory_trimmed() -> None:
    """One daemon thread per server process gives memory back every `TRIM_EVERY_S` seconds:
    when a session ends (`server.disconnectedSessionTTL` after its tab closed) its list is
    freed, but no script runs then to hand the pages back to the system."""
    with _trimmer_lock:
        if _trimmer:
            return
        thread = threading.Thread(target=_trim_forever, name="advisor-memory-trim", daemon=True)
        _trimmer.append(thread)
        thread.start()


def _trim_forever() -> None:
    while True:
        time.sleep(TRIM_EVERY_S)
        _reap_ended_sessions()
        _drop_ended_sessions()
        _give_back_memory()


def _reap_ended_sessions() -> None:
    """Streamlit keeps a closed tab's session for `server.disconnectedSessionTTL` seconds, but
    only drops it once expired when another session disconnects (its TTL cache reaps on
    writes), and then without shutting it down, so its uploaded file stays in memory. Reap
    and shut down here so an ended session's list and upload are freed. Private attributes:
    if a Streamlit release renames them, this does nothing and the next disconnect reaps."""
    with contextlib.suppress(Exception):
        from streamlit.runtime import Runtime

        expired = Runtime.instance()._session_mgr._session_storage._cache.expire()
        for _, info in expired:  # reaping alone leaves the uploaded file and media behind
            with contextlib.suppress(Exception):
                info.session.shutdown()


def render() -> None:
    _keep_memory_trimmed()
    _track_session()
    lang = state.language()
    brief, _ = edit_brief(lang)
    st.title(t("creators.title", lang))
    st.caption(t("creators.caption", lang))
    show_form_errors(lang)
    loaded = upload_section(lang)
    load: CreatorLoad = st.session_state.get(LOAD_KEY) or _sample(lang)
    summary_section(load, lang)
    mapping_section(load, lang)
    problems_section(load, lang)
    audit_section(load, lang)
    shortlist_section(load, brief, lang)
    if loaded:  # the previous list, its plans and this run's working copies are garbage now
        _give_back_memory()


def _css_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")


def _translate_uploader(lang: str) -> None:
    """Streamlit's uploader writes its button and limit in English: show ours instead (CSS on
    our own catalog strings; the visible words change, the widget does not)."""
    button = _css_text(t("ingest.upload.button", lang))
    limit = _css_text(
        t(
            "ingest.upload.instructions",
            lang,
            limit=number(MAX_UPLOAD_MB, lang),
            types="CSV, TSV, TXT",
        )
    )
    zone = '[data-testid="stFileUploaderDropzone"]'
    st.html(
        "<style>"
        f'{zone} button[data-testid="stBaseButton-secondary"] p {{font-size:0}}'
        f'{zone} button[data-testid="stBaseButton-secondary"] p::after'
        f'{{content:"{button}";font-size:0.875rem}}'
        '[data-testid="stFileUploaderDropzoneInstructions"] span {font-size:0}'
        '[data-testid="stFileUploaderDropzoneInstructions"] span::after'
        f'{{content:"{limit}";font-size:0.875rem}}'
        "</style>"
    )


def upload_section(lang: str) -> bool:
    """The uploader, the template and the load of a new file; True when one was loaded."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        uploaded = st.file_uploader(
            t("creators.upload", lang),
            type=["csv", "tsv", "txt"],
            help=t("creators.upload_help", lang),
            max_upload_size=MAX_UPLOAD_MB,
        )
        limit = t("unit.megabytes", lang, n=number(MAX_UPLOAD_MB, lang))
        st.caption(t("ingest.upload.limit", lang, limit=limit))
        _translate_uploader(lang)
        chosen = st.selectbox(
            t("ingest.upload.currency", lang),
            CURRENCY_CHOICES,
            format_func=lambda code: (
                t("ingest.upload.currency_detect", lang) if code == "" else code
            ),
            help=t("ingest.upload.currency_help", lang),
            key=CURRENCY_KEY,
        )
        currency = chosen or None
    with right:
        st.download_button(
            t("creators.template", lang),
            template_csv(),
            "creators-template.csv",
            "text/csv",
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )
    # One slot whether or not a status or an error is shown, so the elements below keep their
    # place between runs (otherwise the run after an upload re-creates, and closes, expanders).
    feedback = st.container()
    if uploaded is None:
        return False
    if uploaded.size > MAX_UPLOAD_MB * 1_000_000:  # the server refuses these; never parse one
        size = t("unit.megabytes", lang, n=number(uploaded.size / 1e6, lang))
        limit = t("unit.megabytes", lang, n=number(MAX_UPLOAD_MB, lang))
        feedback.error(
            t("ingest.error.too_large", lang, size=size, limit=limit), icon=":material/error:"
        )
        return False
    data = uploaded.getvalue()
    signature = hashlib.sha256(data).hexdigest()
    mapping = st.session_state.get(MAPPING_KEY, {}).get(signature, {})
    key = (signature, tuple(sorted(mapping.items())), currency)
    tried, message = st.session_state.get(FILE_KEY, (None, None))
    if tried == key:
        if message:  # the file still in the uploader cannot be used: keep saying so
            feedback.error(message, icon=":material/error:")
            if st.session_state.get(RESCUE_KEY, (None,))[0] == signature:
                with feedback:
                    rescue_form(signature, mapping, lang)
        return False  # already loaded: keep the results (and any shortlist) as they are
    name = _plain(uploaded.name)
    with feedback.status(t("creators.reading", lang, name=name), expanded=True) as status:
        bar = st.progress(0, text=t("ingest.progress.start", lang, percent=0))

        def progress(share: float, step: str) -> None:
            percent = round(100 * share)
            bar.progress(percent, text=t(f"ingest.progress.{step}", lang, percent=percent))

        try:
            status.update(label=t("creators.validating", lang, size=compact(len(data), lang)))
            load = _load(data, mapping, lang, uploaded.name, progress, currency)
        except IngestError as error:
            status.update(label=t("creators.failed", lang), state="error", expanded=True)
            st.error(_plain(error.message), icon=":material/error:")
            st.session_state[FILE_KEY] = (key, _plain(error.message))
            if error.code == "missing_columns":  # a column named in an unknown way: let them map it
                st.session_state[RESCUE_KEY] = (signature, read_header(data, lang))
                rescue_form(signature, mapping, lang)
            return False
        finally:
            del data
            _give_back_memory()
        bar.empty()
        status.update(
            label=t("creators.loaded", lang, rows=load.rows_kept), state="complete", expanded=False
        )
    st.session_state[LOAD_KEY] = load
    st.session_state[SIGNATURE_KEY] = signature
    st.session_state[FILE_KEY] = (key, None)
    st.session_state.pop(SHORTLIST_KEY, None)
    return True


def _symbol(load: CreatorLoad) -> str:
    return Currency(load.currency).symbol if load.currency in set(Currency) else load.currency


def summary_section(load: CreatorLoad, lang: str) -> None:
    source = t("creators.sample_source", lang) if load.label == "sample" else _plain(load.label)
    st.subheader(t("creators.summary", lang))
    st.caption(t("creators.source", lang, source=source))
    st.caption(t("ingest.summary_currency", lang, currency=load.currency, symbol=_symbol(load)))
    flagged = load.summary()["flagged"]
    cols = st.columns(5)
    cols[0].metric(t("creators.rows_read", lang), f"{load.rows_read:,}")
    cols[1].metric(t("creators.rows_kept", lang), f"{load.rows_kept:,}")
    cols[2].metric(t("creators.problems", lang), f"{len(load.problems):,}")
    cols[3].metric(t("creators.duplicates", lang), f"{load.duplicates_merged:,}")
    cols[4].metric(t("creators.flagged", lang), f"{flagged:,}")


def mapping_section(load: CreatorLoad, lang: str) -> None:
    if load.label == "sample" and not load.unmapped_columns:
        return
    signature = st.session_state.get(SIGNATURE_KEY)
    saved = st.session_state.get(MAPPING_KEY, {}).get(signature, {})
    ignored = {load.columns[p] for p in saved if isinstance(p, int) and p < len(load.columns)}
    unknown = [c for c in load.unmapped_columns if c not in ignored]  # not ignored on purpose
    with st.expander(t("creators.mapping", lang), expanded=bool(unknown)):
        if unknown:
            columns = ", ".join(_plain(c) for c in unknown)
            st.warning(t("creators.unmapped", lang, columns=columns))
        current = {**load.fields, **saved}
        unmapped = set(load.unmapped_columns)
        headers = {p: h for p, h in enumerate(load.columns) if p in load.fields or h in unmapped}
        mapping_form(signature, headers, current, lang, "mapping")


def rescue_form(signature: str, saved: dict, lang: str) -> None:
    """Mapping for a file that failed for a missing column: recognised columns pre-filled."""
    headers = dict(enumerate(st.session_state[RESCUE_KEY][1]))
    guessed = {p: guess_field(h) for p, h in headers.items()}
    current = {**{p: f for p, f in guessed.items() if f}, **saved}
    mapping_form(signature, headers, current, lang, "rescue")


def mapping_form(
    signature: str | None, headers: dict[int, str], current: dict, lang: str, name: str
) -> None:
    """One selectbox per file column; applying stores the mapping for this file and reloads it.

    Columns are keyed by position, in widget keys and in the stored mapping: header text can
    repeat (`foo,foo`) or be empty (Excel's trailing `;;`), and must never build a key."""
    options = [IGNORE, *FIELDS]
    with st.form(name, border=False):
        chosen = {}
        for position, header in headers.items():
            value = current.get(position, IGNORE)
            chosen[position] = st.selectbox(
                _plain(header),
                options,
                index=options.index(value) if value in options else 0,
                key=f"{name}::{signature}::{position}",
            )
        if st.form_submit_button(t("creators.apply_mapping", lang), type="primary"):
            # "—" must reach load_creators as None (ignore it), or auto-detection takes it back
            mappings = st.session_state.setdefault(MAPPING_KEY, {})
            mappings[signature] = {p: None if c == IGNORE else c for p, c in chosen.items()}
            st.session_state.pop(FILE_KEY, None)
            st.rerun()


def problems_section(load: CreatorLoad, lang: str) -> None:
    if not load.problems:
        return
    with st.expander(t("creators.problems_title", lang, count=len(load.problems)), expanded=False):
        frame = problems_frame(load)
        translated = problems_frame(load, lang)  # same table, headers in the page's language
        labels = dict(zip(frame.columns, translated.columns, strict=True))
        st.dataframe(frame, hide_index=True, width="stretch", column_config=labels)
        st.download_button(
            t("creators.problems_download", lang),
            to_csv_bytes(translated, lang),
            "creator-problems.csv",
            "text/csv",
            on_click="ignore",
            icon=":material/download:",
        )


def audit_section(load: CreatorLoad, lang: str) -> None:
    if load.table.empty:
        return
    st.subheader(t("creators.audit", lang))
    st.caption(t("creators.audit_caption", lang))
    st.plotly_chart(audit_chart(load.table, lang), width="stretch", config=state.CHART_CONFIG)
    flagged = load.table[load.table["flags"].astype(str) != ""]
    if len(flagged):
        columns = [
            c
            for c in ("handle", "platform", "followers", "engagement_rate", "flag_reasons")
            if c in flagged
        ]
        st.dataframe(
            flagged[columns],
            hide_index=True,
            width="stretch",
            column_config=_labels(lang),
        )


def shortlist_section(load: CreatorLoad, brief: CampaignBrief, lang: str) -> None:
    if load.table.empty:
        return
    st.subheader(t("creators.shortlist", lang))
    assumptions, _ = state.assumptions_from_url()
    # the planner's own plan on this list: the same brief, the same named creators
    source: state.CreatorSource = "upload" if state.uploaded_list() is not None else "sample"
    with st.spinner(t("plan.computing", lang)):
        plan = state.plan_for(brief, assumptions, source)
    st.caption(t("creators.shortlist_caption", lang, headline=explain.headline(plan, lang)))
    for note in plan.notes:
        if note.key.startswith("list_") or note.key.startswith("reserve"):
            st.info(explain.note_text(note, plan, lang), icon=":material/info:")
    if "plan" in state.PAGES:
        st.page_link(
            state.PAGES["plan"],
            label=t("creators.open_in_planner", lang),
            icon=":material/arrow_forward:",
            query_params={**state.shared_query(), "creators": source},
        )
    named_creators(plan, lang)
    st.markdown(f"**{t('creators.refine', lang)}**")
    st.caption(t("creators.refine_caption", lang))
    with st.form("rules"):
        c1, c2, c3 = st.columns(3)
        max_share = c1.slider(
            t("rules.max_share", lang), 0.05, 1.0, 0.25, 0.05, help=t("rules.max_share_help", lang)
        )
        min_amb = c2.number_input(
            t("rules.min_ambassadors", lang),
            0,
            10_000,
            0,
            help=t("rules.min_ambassadors_help", lang),
        )
        exclude = c3.toggle(t("rules.exclude_flagged", lang), True)
        limits = pd.DataFrame(
            {
                "platform": [p.value for p in Platform],
                "min": 0,
                "max": pd.Series([None] * len(Platform), dtype="Int64"),
            }
        )
        edited = st.data_editor(
            limits,
            hide_index=True,
            disabled=["platform"],
            width="stretch",
            key="platform_limits",
            column_config={
                "platform": t("rules.platform", lang),
                "min": t("rules.min", lang),
                "max": t("rules.max", lang),
            },
        )
        go = st.form_submit_button(t("rules.run", lang), type="primary")
    if go:
        rules = ShortlistRules(
            max_share_per_creator=max_share,
            exclude_flagged=exclude,
            min_ambassadors=int(min_amb),
            min_per_platform={
                Platform(r.platform): int(r.min)
                for r in edited.itertuples()
                if pd.notna(r.min) and r.min > 0
            },
            max_per_platform={
                Platform(r.platform): int(r.max) for r in edited.itertuples() if pd.notna(r.max)
            },
        )
        with st.spinner(t("rules.solving", lang)):
            shortlist = optimise_shortlist(brief, load.table, plan.split["influencer"], rules)
            st.session_state[SHORTLIST_KEY] = (
                shortlist,
                recommend(brief, creators=shortlist, assumptions=assumptions),
            )
    if SHORTLIST_KEY in st.session_state:
        shortlist, short_plan = st.session_state[SHORTLIST_KEY]
        show_shortlist(shortlist, short_plan, lang)


def show_shortlist(shortlist: Shortlist, plan: Plan, lang: str) -> None:
    cur = plan.brief.currency
    if shortlist.status == "infeasible":
        st.error(t("rules.infeasible", lang))
        return
    fx = plan.brief.budget / plan.brief.budget_usd
    reach = plan.projection.get("recommended")
    cols = st.columns(4)
    cols[0].metric(t("shortlist.creators", lang), f"{len(shortlist.table):,}")
    cols[1].metric(
        t("shortlist.cost", lang),
        money((shortlist.influencer_cost_usd + shortlist.ambassador_cost_usd) * fx, cur, lang),
    )
    cols[2].metric(t("table.reach", lang), compact(reach.final_reach, lang))
    cols[3].metric(
        t("shortlist.status", lang),
        t(f"shortlist.status.{shortlist.status}", lang),
        help=t("shortlist.status_help", lang),
    )
    if shortlist.bound_gap is not None:
        st.caption(t("shortlist.gap", lang, gap=f"{shortlist.bound_gap:.2%}"))
    table = shortlist.table
    columns = [
        c
        for c in (
            "handle",
            "platform",
            "relationship",
            "followers",
            "campaign_cost_usd",
            "expected_reach",
            "cost_estimated",
        )
        if c in table
    ]
    shown = table[columns].copy()
    if "campaign_cost_usd" in shown:
        shown["campaign_cost_usd"] = shown["campaign_cost_usd"] * fx
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=_labels(lang, cur.value),
    )
    st.plotly_chart(reach_chart(plan, lang), width="stretch", config=state.CHART_CONFIG)
    st.download_button(
        t("shortlist.download", lang),
        to_csv_bytes(shown, lang),
        "shortlist.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def _labels(lang: str, currency: str = "USD") -> dict[str, object]:
    """Readable, translated column headers for creator tables (values stay plain text)."""
    number = st.column_config.NumberColumn
    return {
        "handle": st.column_config.TextColumn(t("col.handle", lang)),
        "platform": st.column_config.TextColumn(t("field.platforms", lang)),
        "relationship": st.column_config.TextColumn(t("col.relationship", lang)),
        "followers": number(t("col.followers", lang), format="localized"),
        "engagement_rate": number(t("col.engagement_rate", lang), format="percent"),
        "flag_reasons": st.column_config.TextColumn(t("col.flag_reasons", lang), width="large"),
        "campaign_cost_usd": number(t("col.cost", lang, currency=currency), format="localized"),
        "expected_reach": number(t("table.reach", lang), format="localized"),
        "cost_estimated": st.column_config.CheckboxColumn(t("col.cost_estimated", lang)),
    }
