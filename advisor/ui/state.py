"""Page state: the language, the brief and edited assumptions from the URL, cached plans.

The URL is the single source of truth for the brief, so a copied link reproduces the plan.
Plans hold no text, so they are cached without the language: switching language re-renders.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from typing import Literal

import streamlit as st
from pydantic import BaseModel

from advisor import Assumptions, CampaignBrief, Plan, recommend
from advisor.advice import jobs
from advisor.advice.curves import ResponseCurves
from advisor.advice.whatif import WhatIfGrid, what_if_grid
from advisor.creators.ingest import CreatorLoad, load_creators
from advisor.locale.i18n import LANGUAGES, Language
from advisor.model.data import SAMPLE_CREATORS
from advisor.present import charts
from advisor.sharing.links import (
    ASSUMPTION_PREFIX,
    QUERY_FIELDS,
    assumptions_from_query,
    assumptions_to_query,
    brief_from_query,
    brief_to_query,
    read_brief_query,
)
from advisor.sharing.links import Problem as BriefProblem

# plotly's toolbar covers legends on phones and is noise for marketers
CHART_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def language() -> Language:
    """`lang` from the URL; English when missing or unknown."""
    value = st.query_params.get("lang", "en")
    return value if value in LANGUAGES else "en"  # type: ignore[return-value]


def _params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


CreatorSource = Literal["archetypes", "sample", "upload"]
CREATOR_SOURCES: tuple[CreatorSource, ...] = ("archetypes", "sample", "upload")
SAMPLE_PATH = SAMPLE_CREATORS
UPLOAD_KEY = "creator_load"  # this session's uploaded list (set by the creator-lists page)
UPLOAD_SIGNATURE_KEY = "creator_signature"
_PLANS_KEY = "plans_with_upload"  # this session's plans built on its uploaded list
PAGES: dict[str, st.Page] = {}  # the app's pages by name, registered by `advisor.ui.page`


def shared_query() -> dict[str, list[str]]:
    """What the links between pages carry: the whole shareable state of the address bar."""
    return _params()


def brief_in_url() -> bool:
    """False on a first visit: the plan shown is then the example brief's."""
    return any(field in st.query_params for field in QUERY_FIELDS)


def creator_source() -> CreatorSource:
    """`creators` from the URL: benchmark archetypes (default), the bundled sample, or the list
    uploaded in this session (archetypes when this session has none)."""
    value = st.query_params.get("creators", "archetypes")
    if value == "upload" and uploaded_list() is None:
        return "archetypes"
    return value if value in CREATOR_SOURCES else "archetypes"  # type: ignore[return-value]


def set_creator_source(source: CreatorSource) -> None:
    if source == "archetypes":
        if "creators" in st.query_params:
            del st.query_params["creators"]
    else:
        st.query_params["creators"] = source


def uploaded_list() -> CreatorLoad | None:
    return st.session_state.get(UPLOAD_KEY)


@st.cache_resource(max_entries=1, show_spinner=False)
def sample_list() -> CreatorLoad:
    """The bundled sample (`advisor/data/creators.csv`), parsed once per server."""
    return load_creators(SAMPLE_PATH, label="sample")


def creators_for(source: CreatorSource) -> CreatorLoad | None:
    if source == "sample":
        return sample_list()
    if source == "upload":
        return uploaded_list()
    return None


def brief_from_url() -> tuple[CampaignBrief, list[str]]:
    return brief_from_query(_params())


def read_brief_from_url() -> tuple[CampaignBrief, list[BriefProblem]]:
    """The URL's brief, with why each value it could not use was refused."""
    return read_brief_query(_params())


def assumptions_from_url() -> tuple[Assumptions, list[str]]:
    return assumptions_from_query(_params())


def write_brief_to_url(brief: CampaignBrief) -> None:
    """Replace the brief parameters in the address bar, keeping the others (language, page)."""
    if brief.order_value is None and "order_value" in st.query_params:
        del st.query_params["order_value"]
    st.query_params.update(brief_to_query(brief))


def write_assumptions_to_url(assumptions: Assumptions, draft: bool = True) -> None:
    """Edited assumptions in the address bar. An edit (`draft`) leaves a saved plan's link: the
    page then shows a draft built from the edited figures, which can be saved as a copy."""
    if draft and "plan" in st.query_params:
        del st.query_params["plan"]
    for name in [k for k in st.query_params if k.startswith(ASSUMPTION_PREFIX)]:
        del st.query_params[name]
    st.query_params.update(assumptions_to_query(assumptions))


def query_with(assumptions: Assumptions) -> dict[str, list[str] | str]:
    """The query of a new plan: the brief the address bar holds (the one the user is working
    on, or the opened saved plan's, which the planner writes there) with `assumptions` in place
    of its edited figures, keeping the language and creator source; not the saved plan's
    `plan` id, since the figures make it another plan."""
    brief, _ = brief_from_url()
    kept = {
        name: values
        for name, values in _params().items()
        if name != "plan" and name not in QUERY_FIELDS and not name.startswith(ASSUMPTION_PREFIX)
    }
    return {**kept, **brief_to_query(brief), **assumptions_to_query(assumptions)}


def share_link(
    brief: CampaignBrief, assumptions: Assumptions, lang: str, source: CreatorSource = "archetypes"
) -> str:
    """Absolute link when the server knows its address, otherwise the query string. A plan on
    this session's upload cannot travel in a link (saving it can); its link names no list."""
    from urllib.parse import urlencode

    extra = {"creators": source} if source == "sample" else {}
    query = urlencode(
        {**brief_to_query(brief), **assumptions_to_query(assumptions), **extra, "lang": lang},
        safe=",.",
    )
    try:
        base = (st.context.url or "").split("?")[0]
    except Exception:
        base = ""
    return f"{base}?{query}"


# --- plans computed in worker processes ----------------------------------------------------

WORKERS_ENV = "ADVISOR_PLAN_WORKERS"  # worker processes for plans; 0: compute in the script thread
_log = logging.getLogger(__name__)


def plan_workers() -> int:
    """`ADVISOR_PLAN_WORKERS`, else the cores this process may use."""
    try:
        return max(0, int(os.environ.get(WORKERS_ENV, "")))
    except ValueError:
        if hasattr(os, "sched_getaffinity"):
            return len(os.sched_getaffinity(0))
        return os.cpu_count() or 1


@st.cache_resource(show_spinner=False)
def plan_pool() -> ProcessPoolExecutor | None:
    """One pool of worker processes per server (None: plans are computed in the script thread).
    Workers are started with `forkserver` (never a fork of the threaded server) and warmed up
    at once, so the first visitor does not wait for them to import the engine."""
    workers = plan_workers()
    if workers < 1:
        return None
    try:
        methods = multiprocessing.get_all_start_methods()
        method = "forkserver" if "forkserver" in methods else "spawn"
        context = multiprocessing.get_context(method)
        pool = ProcessPoolExecutor(workers, context, initializer=jobs.worker_started)
        with _neutral_main():
            for _ in range(workers):  # each submit starts a worker while one is missing
                pool.submit(jobs.ready)
    except (OSError, RuntimeError, ValueError, ImportError, NotImplementedError):
        _log.warning("no worker processes for plans: computing them in the script thread")
        return None
    return pool


_MAIN_LOCK = threading.Lock()


@contextlib.contextmanager
def _neutral_main() -> Iterator[None]:
    """While workers start, `__main__` is an empty module: a new worker re-imports the main
    module, which during a script run is the page itself (or a test's script), and must not
    run it."""
    with _MAIN_LOCK:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main


def in_pool(function: Callable[..., str], *args: object) -> str:
    """`function(*args)` in the server's worker pool; in this thread when there is no pool or
    it broke (a worker killed, the pool shut down: the next call starts a new pool). The
    engine's own exceptions come through unchanged."""
    pool = plan_pool()
    if pool is None:
        return function(*args)
    try:
        future = pool.submit(function, *args)
    except (BrokenExecutor, RuntimeError, OSError) as error:  # broken, shut down, cannot start
        return _without_pool(pool, error, function, *args)
    try:
        return future.result()
    except BrokenExecutor as error:  # the worker died under this computation
        return _without_pool(pool, error, function, *args)


def _without_pool(
    pool: ProcessPoolExecutor, error: BaseException, function: Callable[..., str], *args: object
) -> str:
    _log.warning("plan worker pool failed (%r): computing in the script thread", error)
    if plan_pool() is pool:  # not a new pool another session already started
        plan_pool.clear()
    pool.shutdown(wait=False, cancel_futures=True)
    return function(*args)


@st.cache_data(max_entries=128, ttl=3600, show_spinner=False)
def cached_plan(brief_json: str, assumptions_json: str) -> str:
    """Plans are pure functions of (brief, assumptions): cache their JSON, for every session.
    A miss is computed in the worker pool."""
    return in_pool(jobs.plan_json, brief_json, assumptions_json, "archetypes", False)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def cached_sample_plan(brief_json: str, assumptions_json: str, keep_flagged: bool = False) -> str:
    return in_pool(jobs.plan_json, brief_json, assumptions_json, "sample", keep_flagged)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def cached_curves(brief_json: str, assumptions_json: str, source: jobs.Source) -> str:
    return in_pool(jobs.curves_json, brief_json, assumptions_json, source)


def curves_for(
    brief: CampaignBrief, assumptions: Assumptions, creators: object = None
) -> ResponseCurves:
    """The response curves of a brief: cached across sessions and computed in the worker pool
    on archetypes or the bundled sample; on any other list (an upload, a saved plan's list), in
    this thread."""
    from advisor import response_curves

    key = (brief.model_dump_json(), assumptions.model_dump_json())
    if creators is None or creators is sample_list():
        source: jobs.Source = "archetypes" if creators is None else "sample"
        return ResponseCurves.model_validate_json(cached_curves(*key, source))
    return response_curves(brief, creators, assumptions)  # type: ignore[arg-type]


KEEP_FLAGGED_KEY = "creators.keep_flagged"


def keep_flagged() -> bool:
    """Whether the analyst chose to let the plan pay creators the audit flagged (off)."""
    return bool(st.session_state.get(KEEP_FLAGGED_KEY, False))


def plan_for(
    brief: CampaignBrief,
    assumptions: Assumptions,
    source: CreatorSource = "archetypes",
    keep_flagged: bool = False,
) -> Plan:
    """The plan for a brief on a creator source. Archetype and sample plans are cached across
    sessions (pure functions of their inputs); plans on an uploaded list stay in its session.
    Flagged creators are paid only when `keep_flagged`."""
    key = (brief.model_dump_json(), assumptions.model_dump_json())
    if source == "sample":
        return Plan.model_validate_json(cached_sample_plan(*key, keep_flagged))
    load = uploaded_list() if source == "upload" else None
    if load is None:
        return Plan.model_validate_json(cached_plan(*key))
    plans: OrderedDict = st.session_state.setdefault(_PLANS_KEY, OrderedDict())
    session_key = (*key, st.session_state.get(UPLOAD_SIGNATURE_KEY, id(load)), keep_flagged)
    if session_key not in plans:
        plans[session_key] = recommend(
            brief, creators=load, assumptions=assumptions, keep_flagged=keep_flagged
        )
        while len(plans) > 4:
            plans.popitem(last=False)
    plans.move_to_end(session_key)
    return plans[session_key]


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def cached_grid(brief_json: str, assumptions_json: str) -> str:
    grid = what_if_grid(
        CampaignBrief.model_validate_json(brief_json),
        Assumptions.model_validate_json(assumptions_json),
    )
    return grid.model_dump_json()


def _json(model: BaseModel) -> str:
    return model.model_dump_json()


@st.cache_resource(
    max_entries=256,
    ttl=3600,
    show_spinner=False,
    hash_funcs={Plan: _json, ResponseCurves: _json, WhatIfGrid: _json},
)
def _figure(name: str, *args: object) -> object:
    return getattr(charts, name)(*args)


def figure(build: Callable[..., object], *args: object) -> object:
    """`build(*args)` for a chart of `advisor.present.charts`, kept for every session of the
    process (the same plan and language give the same figure: building one costs more than
    planning). The figure is shared: it is only read (`st.plotly_chart` copies it)."""
    if getattr(charts, build.__name__, None) is not build:
        raise ValueError(f"{build.__name__} is not a chart of advisor.present.charts")
    return _figure(build.__name__, *args)


def grid_for(brief: CampaignBrief, assumptions: Assumptions) -> WhatIfGrid:
    return WhatIfGrid.model_validate_json(
        cached_grid(brief.model_dump_json(), assumptions.model_dump_json())
    )
