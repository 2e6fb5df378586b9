"""Creator lists page: upload, validate, audit, map columns, and build an optimal shortlist.

What the analyst entered is never lost: a failed upload shows its message and leaves the last
good list, the mapping and the shortlist exactly as they were.

Memory: a parsed list lives in this session's state only (`st.session_state`: one list per
session, replaced by the next upload, freed with the session), never in a cache shared across
sessions; uploads are capped at `MAX_UPLOAD_MB` (also `server.maxUploadSize`), checked here too,
and at `MAX_COLUMNS` columns, refused before any mapping widget is drawn. Public APIs only: the
allocator is chosen once per server process (pyarrow's `set_memory_pool`), nothing reaches
into Streamlit's sessions; glibc's side is configured where the server starts (`make run` and
the image set `MALLOC_MMAP_THRESHOLD_`, see the README's Deploy section).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import re

import pandas as pd
import streamlit as st

from advisor import CampaignBrief, Plan, recommend
from advisor.creators.csvread import MAX_COLUMNS
from advisor.creators.ingest import (
    FIELDS,
    CreatorLoad,
    IngestError,
    guess_field,
    load_creators,
    read_header,
)
from advisor.creators.shortlist import Shortlist, ShortlistRules, keep_of, optimise_shortlist
from advisor.locale.formatting import compact, money_exact, number, percent
from advisor.locale.i18n import t
from advisor.model.currency import Currency
from advisor.model.data import SAMPLE_CREATORS
from advisor.present import explain
from advisor.present.charts import audit_chart, platform_name, reach_chart
from advisor.present.creators import (
    amounts_frame,
    compact_reach,
    creators_frame,
    flagged_frame,
    rate_text,
)
from advisor.present.exports import problems_frame, template_csv, to_csv_bytes
from advisor.ui import state
from advisor.ui.brief import edit_brief, show_form_errors, show_link_problems

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
NO_COLUMN = -1  # the mapping form's "—": no column holds this field
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
    else the system's malloc.

    pyarrow's default pool, mimalloc, keeps a heap per thread. Streamlit runs each script
    run on a new thread, so the heap of a thread that loaded a list is abandoned when the run
    ends: measured in this server, ten 50 MB uploads left +233 MB resident after every list
    had been freed (with jemalloc, within a few tens of MB of the start). Public pyarrow API,
    called once per server process when this page module is first imported (the library keeps
    pyarrow's default); arrays already made keep the pool that made them."""
    with contextlib.suppress(Exception):
        import pyarrow as pa

        if "jemalloc" in pa.supported_memory_backends():
            pa.set_memory_pool(pa.jemalloc_memory_pool())
            pa.jemalloc_set_decay_ms(0)  # hand freed pages back at once, not after 10 s
        else:
            pa.set_memory_pool(pa.system_memory_pool())


_arrow_pool_that_gives_back()  # module import: once per process


def _give_back_memory() -> None:
    """After a large load: collect the previous list's cycles and let pyarrow's pool return
    what it no longer uses (public APIs; the allocator above returns pages without delay)."""
    gc.collect()
    with contextlib.suppress(Exception):
        import pyarrow as pa

        pa.default_memory_pool().release_unused()


def render() -> None:
    lang = state.language()
    brief, bad = edit_brief(lang)
    st.title(t("creators.title", lang))
    st.caption(t("creators.caption", lang))
    show_form_errors(lang)
    show_link_problems(bad, [], lang)
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
    button_text = 'button[data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]'
    words = f"{zone} {button_text}"
    rules = '[data-testid="stFileUploaderDropzoneInstructions"]'
    size = '[data-testid="stFileChip"] div:has(> [data-testid="stFileChipName"]) > div'
    # display:none (not font-size:0) takes the English words out of what screen readers read;
    # the file's size ("64.9KB", English units) is hidden: the page states the limit in words
    st.html(
        "<style>"
        f"{words} p {{display:none}}"
        f'{words}::after {{content:"{button}";font-size:0.875rem}}'
        f"{rules} span {{display:none}}"
        f'{rules} > div::after {{content:"{limit}";font-size:0.875rem}}'
        f'{size}:not([data-testid="stFileChipName"]) {{display:none}}'
        "</style>"
    )
    # Chromium names the button by the ::after words, but not every reader does (axe-core
    # does not): name it in the page's language too. Our catalog string only, JSON-quoted.
    with st.sidebar:
        st.html(
            _NAME_UPLOAD_BUTTON.replace("NAME", json.dumps(t("ingest.upload.button", lang))),
            unsafe_allow_javascript=True,
        )


_NAME_UPLOAD_BUTTON = """<script>
(() => {
  window.advisorUploadName = NAME;
  const name = () => document.querySelectorAll(
    '[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]'
  ).forEach(b => {
    if (b.getAttribute("aria-label") !== window.advisorUploadName) {
      b.setAttribute("aria-label", window.advisorUploadName);
    }
  });
  name();
  if (!window.advisorUploadNamer) {
    window.advisorUploadNamer = new MutationObserver(name);
    window.advisorUploadNamer.observe(document.body, {childList: true, subtree: true});
  }
})();
</script>"""


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
        columns = t("ingest.upload.columns_limit", lang, limit=number(MAX_COLUMNS, lang))
        st.caption(f"{t('ingest.upload.limit', lang, limit=limit)} {columns}")
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
    cols[0].metric(t("creators.rows_read", lang), number(load.rows_read, lang))
    cols[1].metric(t("creators.rows_kept", lang), number(load.rows_kept, lang))
    cols[2].metric(t("creators.problems", lang), number(len(load.problems), lang))
    cols[3].metric(t("creators.duplicates", lang), number(load.duplicates_merged, lang))
    cols[4].metric(t("creators.flagged", lang), number(flagged, lang))


def mapping_section(load: CreatorLoad, lang: str) -> None:
    if load.label == "sample" and not load.unmapped_columns:
        return
    signature = st.session_state.get(SIGNATURE_KEY)
    saved = st.session_state.get(MAPPING_KEY, {}).get(signature, {})
    ignored = {load.columns[p] for p in saved if isinstance(p, int) and p < len(load.columns)}
    unknown = [c for c in load.unmapped_columns if c not in ignored]  # not ignored on purpose
    with st.expander(t("creators.mapping", lang), expanded=bool(unknown)):
        if unknown:
            st.warning(t("creators.unmapped", lang, columns=_column_list(unknown, lang)))
        current = {**load.fields, **saved}
        mapping_form(signature, dict(enumerate(load.columns)), current, lang, "mapping")


SHOWN_COLUMNS = 20  # unknown columns named in the warning; the rest are counted


def _column_list(columns: list[str], lang: str) -> str:
    shown = ", ".join(_plain(c) for c in columns[:SHOWN_COLUMNS])
    if len(columns) <= SHOWN_COLUMNS:
        return shown
    more = number(len(columns) - SHOWN_COLUMNS, lang)
    return t("creators.mapping_more", lang, shown=shown, count=more)


def rescue_form(signature: str, saved: dict, lang: str) -> None:
    """Mapping for a file that failed for a missing column: recognised columns pre-filled."""
    headers = dict(enumerate(st.session_state[RESCUE_KEY][1]))
    guessed = {p: guess_field(h) for p, h in headers.items()}
    current = {**{p: f for p, f in guessed.items() if f}, **saved}
    mapping_form(signature, headers, current, lang, "rescue")


def mapping_form(
    signature: str | None, headers: dict[int, str], current: dict, lang: str, name: str
) -> None:
    """One select box per creator-list field (handle, platform, followers...), each offering
    the file's columns: the decisions to make, so the widgets do not grow with the file's
    width. Applying stores the mapping for this file ({column position: field}, None for
    every column left out, ignored on purpose) and reloads it.

    Columns are keyed by position, in the options and in the stored mapping: header text can
    repeat (`foo,foo`) or be empty (Excel's trailing `;;`), and must never build a key."""
    column_of = {f: p for p, f in current.items() if f and p in headers}
    options = [NO_COLUMN, *headers]  # not None: a select box reads None as "nothing chosen"
    with st.form(name, border=False):
        chosen: dict[str, int] = {}
        for field in FIELDS:
            value = column_of.get(field)
            chosen[field] = st.selectbox(
                t(f"ingest.column.{field}", lang),
                options,
                index=options.index(value) if value in headers else 0,
                format_func=lambda p: headers.get(p, IGNORE),
                help=t("creators.mapping_field_help", lang),
                key=f"{name}::{signature}::{field}",
            )
        if not st.form_submit_button(t("creators.apply_mapping", lang), type="primary"):
            return
    fields: dict[int, str] = {}
    for field, position in chosen.items():
        if position == NO_COLUMN:
            continue
        if position in fields:
            first, second = (t(f"ingest.column.{f}", lang) for f in (fields[position], field))
            twice = t("creators.mapping_twice", lang, column=_plain(headers[position]),
                      first=first, second=second)  # fmt: skip
            st.error(twice, icon=":material/error:")
            return
        fields[position] = field
    mappings = st.session_state.setdefault(MAPPING_KEY, {})
    mappings[signature] = {p: fields.get(p) for p in headers}
    st.session_state.pop(FILE_KEY, None)
    st.rerun()


def problems_section(load: CreatorLoad, lang: str) -> None:
    if not load.problems:
        return
    with st.expander(t("creators.problems_title", lang, count=len(load.problems)), expanded=False):
        translated = problems_frame(load, lang)  # headers in the page's language
        st.dataframe(translated, hide_index=True, width="stretch")
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
        st.dataframe(flagged_frame(load.table, lang), hide_index=True, width="stretch")


def hired_share(plan: Plan) -> float:
    """Share of the plan's spend on hired creators (short-burst and long-term paid): the budget
    side of the shortlist that holds the creators the plan pays, so refining can keep them."""
    spent = plan.influencer.spend + plan.ambassador.spend
    if spent <= 0:
        return plan.split.get("influencer", 1.0)
    hired = sum(x.spend for x in plan.lines if x.relationship in ("influencer", "face"))
    return min(1.0, max(0.0, hired / spent))


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
    if plan.creators:
        st.caption(t("named.caption", lang, count=number(len(plan.creators), lang)))
    rate = rate_text(load.currency, brief.currency.value, lang)
    if rate:  # said once: every cost on the page is in the brief's currency
        st.caption(rate)
    plan_tables(plan, lang, "plan")
    st.markdown(f"**{t('creators.refine', lang)}**")
    platforms = ", ".join(platform_name(p, lang) for p in brief.platforms)
    count = number(len(plan.creators), lang)
    st.caption(t("creators.refine_start", lang, count=count, platforms=platforms))
    with st.form("rules"):
        c1, c2, c3 = st.columns(3)
        max_share = c1.slider(
            t("rules.max_share_pct", lang), 5, 100, 100, 5, help=t("rules.max_share_help", lang)
        )
        min_amb = c2.number_input(
            t("rules.min_ambassadors", lang),
            0,
            10_000,
            0,
            help=t("rules.min_ambassadors_help", lang),
        )
        exclude = c3.toggle(t("rules.exclude_flagged", lang), True)
        name_col, min_col, max_col = (
            t("rules.platform", lang),
            t("rules.min", lang),
            t("rules.max", lang),
        )
        limits = pd.DataFrame(
            {
                name_col: [platform_name(p, lang) for p in brief.platforms],
                min_col: 0,
                max_col: pd.Series([None] * len(brief.platforms), dtype="Int64"),
            }
        )
        edited = st.data_editor(
            limits, hide_index=True, disabled=[name_col], width="stretch", key="platform_limits"
        )
        go = st.form_submit_button(t("rules.run", lang), type="primary")
    if go:
        platform_of = dict(zip(limits[name_col], brief.platforms, strict=True))
        low = dict(zip(edited[name_col], edited[min_col], strict=True))
        high = dict(zip(edited[name_col], edited[max_col], strict=True))
        rules = ShortlistRules(
            max_share_per_creator=max_share / 100,
            exclude_flagged=exclude,
            min_ambassadors=int(min_amb),
            min_per_platform={
                platform_of[n]: int(v) for n, v in low.items() if pd.notna(v) and v > 0
            },
            max_per_platform={platform_of[n]: int(v) for n, v in high.items() if pd.notna(v)},
        )
        with st.spinner(t("rules.solving", lang)):
            shortlist = optimise_shortlist(
                brief,
                load.table,
                hired_share(plan),
                rules,
                assumptions,
                keep=keep_of(plan.creators),
            )
            refined = None
            if shortlist.status != "infeasible":
                refined = recommend(brief, creators=shortlist, assumptions=assumptions)
            st.session_state[SHORTLIST_KEY] = (shortlist, refined, keep_of(plan.creators))
    if SHORTLIST_KEY in st.session_state:
        shortlist, refined, started = st.session_state[SHORTLIST_KEY]
        show_shortlist(shortlist, refined, started, lang)


def plan_tables(plan: Plan, lang: str, name: str) -> None:
    """A plan's money and its listed creators, in the page's language and the brief's currency;
    the creators' CSV download."""
    st.markdown(f"**{t('creators.amounts', lang)}**")
    st.dataframe(amounts_frame(plan, lang), hide_index=True, width="stretch")
    if not plan.creators:
        return
    st.dataframe(creators_frame(plan, lang), hide_index=True, width="stretch")
    label = t("named.download" if name == "plan" else "creators.refined_download", lang)
    st.download_button(
        label,
        to_csv_bytes(creators_frame(plan, lang, download=True), lang),
        f"{name}-creators.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def show_shortlist(
    shortlist: Shortlist,
    plan: Plan | None,
    started: list[tuple[str, str]],
    lang: str,
) -> None:
    if shortlist.status == "infeasible" or plan is None:
        st.error(t("rules.infeasible", lang))
        return
    st.markdown(f"**{t('creators.refined', lang)}**")
    cur = plan.brief.currency.value
    cols = st.columns(5)
    cols[0].metric(t("shortlist.creators", lang), number(len(plan.creators), lang))
    spent = plan.influencer.spend + plan.ambassador.spend
    cols[1].metric(t("shortlist.spent", lang), money_exact(spent, cur, lang))
    cols[2].metric(t("shortlist.reserve", lang), money_exact(plan.reserve, cur, lang))
    cols[3].metric(t("table.reach", lang), compact_reach(plan, lang))
    cols[4].metric(
        t("shortlist.status", lang),
        t(f"shortlist.status.{shortlist.status}", lang),
        help=t("shortlist.status_help", lang),
    )
    if shortlist.bound_gap is not None:
        st.caption(t("shortlist.gap", lang, gap=percent(shortlist.bound_gap, lang, 2)))
    chosen = set(keep_of(plan.creators))
    dropped = [h for h, p in started if (h, p) not in chosen]
    if dropped:
        st.caption(t("creators.dropped", lang, handles=", ".join(_plain(h) for h in dropped)))
    plan_tables(plan, lang, "shortlist")
    st.plotly_chart(reach_chart(plan, lang), width="stretch", config=state.CHART_CONFIG)
