"""Team plans page and the save controls, without a browser (`AppTest.from_function`).

Why: with a passphrase set and not given, nothing may be listed, and guessing must slow down;
rename, copy, delete (confirmed, undoable) and comparison must act on the right plan; a save
gives the `/?plan=<id>` link; a concurrent save is reported and the page stays as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from advisor import CampaignBrief, recommend, t
from advisor.locale.formatting import compact
from advisor.locale.text import WORD_JOINER, display_text
from advisor.store import Store, StoreError, open_store
from advisor.store import plans as plans_module
from tests.test_text import TEXT_PLUGINS, rendered


def t_compact(value: float) -> str:
    return compact(value, "en")


TIMEOUT = 60
pytestmark = pytest.mark.timeout(300)


def team_app() -> None:
    from advisor.ui.team import render_team_page

    render_team_page()


def save_app() -> None:
    import streamlit as st

    from advisor import CampaignBrief, recommend
    from advisor.ui.team import opened_plan, save_controls

    opened = opened_plan("en")
    plan = opened[1] if opened else recommend(CampaignBrief(goal="event", weeks=6), samples=20)
    st.session_state["shown_budget"] = plan.brief.budget
    save_controls(plan, None, "en")


@pytest.fixture
def store(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("TEAM_PASSPHRASE", raising=False)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path))
    st.cache_resource.clear()  # a fresh throttle and store per test
    opened = open_store()
    yield opened
    opened.dispose()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def plans():
    return [
        recommend(CampaignBrief(goal="event", budget=20_000, weeks=6), samples=20),
        recommend(CampaignBrief(goal="contest", budget=8_000, weeks=4), samples=20),
        recommend(CampaignBrief(goal="product_launch", budget=50_000, weeks=10), samples=20),
    ]


def run(app, secrets: dict[str, str] | None = None, query: dict[str, str] | None = None):
    at = AppTest.from_function(app, default_timeout=TIMEOUT)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def listed(at: AppTest) -> list[str]:
    if not at.dataframe:
        return []
    return at.dataframe[0].value[t("team.col.name", "en")].tolist()


def button(at: AppTest, label_key: str, **params):
    label = t(label_key, "en", **params)
    found = [b for b in at.button if b.label == label]
    assert found, [b.label for b in at.button]
    return found[0]


def test_an_open_workspace_lists_its_plans(store, plans) -> None:
    store.save(plans[0], "Spring event", author="Ana")
    store.save(plans[1], "Contest")
    at = ok(run(team_app))
    assert listed(at) == ["Contest", "Spring event"]
    table = at.dataframe[0].value
    assert table[t("team.col.author", "en")].tolist() == ["", "Ana"]
    assert table[t("team.col.budget", "en")].tolist() == ["$8K", "$20K"]


def test_an_empty_workspace_says_so(store) -> None:
    at = ok(run(team_app))
    assert [i.value for i in at.info] == [t("team.empty", "en")]


def test_with_a_passphrase_nothing_is_listed_until_it_is_given(store, plans) -> None:
    store.save(plans[0], "Secret plan")
    secrets = {"TEAM_PASSPHRASE": "correct horse battery"}
    at = ok(run(team_app, secrets))
    assert listed(at) == [] and t("team.locked", "en") in [i.value for i in at.info]
    assert not any("Secret plan" in m.value for m in at.markdown)

    at.text_input[0].set_value("wrong guess")
    at.button[0].click().run()
    ok(at)
    assert listed(at) == [] and [e.value for e in at.error] == [t("team.wrong", "en")]

    at.text_input[0].set_value("correct horse battery")
    at.button[0].click().run()
    ok(at)
    assert listed(at) == ["Secret plan"]


def test_repeated_wrong_passphrases_are_slowed_down(store) -> None:
    from advisor.ui import team

    team.throttle().base_delay = 60.0  # the process's throttle, shared with the app runs
    at = ok(run(team_app, {"TEAM_PASSPHRASE": "right"}))
    for _ in range(4):  # three free failures, the fourth imposes a delay
        at.text_input[0].set_value("wrong")
        at.button[0].click().run()
    at.text_input[0].set_value("right")
    at.button[0].click().run()  # refused while throttled, even the right one
    ok(at)
    assert listed(at) == []
    # the wait is counted down on the wall clock: a slow machine may have spent some of it
    waits = [s for s in range(30, 61) if at.error[0].value == t("team.throttled", "en", seconds=s)]
    assert waits, at.error[0].value
    assert team.throttle().failures("127.0.0.1") == 4  # kept in the database, not the process


def test_rename_duplicate_delete_and_undo(store, plans) -> None:
    plan_id = store.save(plans[0], "Draft")
    at = ok(run(team_app))

    at.text_input[0].set_value("Final")
    button(at, "team.rename_submit").click().run()
    ok(at)
    assert listed(at) == ["Final"] and store.load(plan_id).name == "Final"

    button(at, "team.duplicate").click().run()
    ok(at)
    assert sorted(listed(at)) == ["Copy of Final", "Final"]

    at.selectbox[0].select(plan_id).run()
    button(at, "team.delete").click().run()
    ok(at)
    assert at.warning[0].value == t("team.delete_confirm", "en", name="Final")
    assert len(listed(at)) == 2  # nothing deleted before confirming
    button(at, "team.delete_yes").click().run()
    ok(at)
    assert listed(at) == ["Copy of Final"]
    button(at, "team.undo").click().run()
    ok(at)
    assert sorted(listed(at)) == ["Copy of Final", "Final"]
    assert store.load(plan_id).plan == plans[0]


def test_two_or_three_plans_compare_on_one_chart(store, plans) -> None:
    ids = [store.save(plan, name) for plan, name in zip(plans, ["A", "B", "C"], strict=True)]
    at = ok(run(team_app))
    at.multiselect[0].select(ids[0]).run()
    assert t("team.compare_hint", "en") in [c.value for c in at.caption]
    at.multiselect[0].select(ids[1]).select(ids[2]).run()
    ok(at)
    comparison = at.dataframe[1].value
    assert comparison[t("compare.col.plan", "en")].tolist() == ["A", "B", "C"]
    chart = at.get("plotly_chart")
    assert len(chart) == 1
    import json

    figure = json.loads(chart[0].proto.spec)
    bars = figure["data"]
    assert len(bars) == 2 and all(b["error_y"]["symmetric"] is False for b in bars)
    assert bars[0]["y"] == [p.recommended.objective_p50 for p in plans]
    # one number format: the axis is written like the table and the bars (20K, not 20k)
    axis = figure["layout"]["yaxis"]
    assert axis["ticktext"] == [t_compact(v) for v in axis["tickvals"]]


def test_saving_gives_the_plan_link(store) -> None:
    at = ok(run(save_app))
    at.text_input[1].set_value("Ana")
    at.button[0].click().run()
    ok(at)
    (summary,) = store.list()
    assert summary.author == "Ana" and summary.name == "Event, $20K"
    assert at.code[0].value == f"/?plan={summary.id}"
    # the name is user text: shown as typed, its Markdown characters escaped ("$" starts maths)
    assert at.success[0].value.startswith("Saved “Event\\, \\$20K”")


def test_a_concurrent_save_is_reported_and_the_page_kept(store, plans) -> None:
    plan_id = store.save(plans[0], "Shared")
    at = ok(run(save_app, query={"plan": plan_id}))
    assert at.session_state["shown_budget"] == 20_000
    store.update(plan_id, plans[1], expected_version=1)  # a colleague saves first
    button(at, "save.update", name="Shared").click().run()
    ok(at)
    assert at.error[0].value == t("save.conflict", "en", name="Shared", current=2)
    assert store.load(plan_id).plan == plans[1]  # their save is intact
    assert at.session_state["shown_budget"] == 20_000  # our plan is still on the page
    button(at, "save.new").click().run()  # and can be kept as a new plan
    ok(at)
    assert at.warning[0].value == t("save.name_taken", "en", name="Shared")  # same name: asked
    assert len(store.list()) == 1
    button(at, "save.name_anyway", name="Shared").click().run()
    ok(at)
    assert len(store.list()) == 2


def test_an_unknown_link_is_a_clear_message(store) -> None:
    at = ok(run(save_app, query={"plan": "x" * 24}))
    assert at.error[0].value == t("store.error.not_found", "en")


def test_a_plan_saved_with_older_benchmarks_is_recomputed_and_says_so(
    store, plans, monkeypatch
) -> None:
    plan_id = store.save(plans[0], "Old")
    monkeypatch.setattr(plans_module, "benchmarks_fingerprint", lambda: "new benchmarks")
    at = ok(run(save_app, query={"plan": plan_id}))
    assert at.info[0].value == t("open.recomputed", "en", change="+0%")


def test_a_locked_workspace_does_not_save(store) -> None:
    at = ok(run(save_app, {"TEAM_PASSPHRASE": "s3cret"}))
    assert t("save.locked", "en") in [c.value for c in at.caption]
    assert not at.button


# --- user text, failures in words, safe retries --------------------------------------------

NAMES = [
    "[Reset password](https://evil.example/login)",
    ":material/warning: urgent",
    "&lt;b&gt; entity",
    "**bold** plan",
    "<b>x</b> tag",
    "\u202eevil\u202c txt.exe",
    '=HYPERLINK("https://evil.example","click")',
]


def as_typed(text: str) -> str:
    return display_text(text, markdown=False)  # what the reader sees: bidi controls dropped


def reads_as(markdown: str) -> str:
    """What Streamlit's Markdown shows for `markdown` (model in tests/test_text.py)."""
    page, text = rendered(markdown)
    assert re.fullmatch(r"<p>[^<]*</p>\n?", page), page  # no link, emphasis, tag...
    assert not any(pattern.search(text) for pattern in TEXT_PLUGINS), text  # ...nor icon
    return text.replace(WORD_JOINER, "")


def test_names_and_authors_are_shown_as_typed_everywhere(store, plans) -> None:
    ids = [store.save(plans[0], name, author=name) for name in NAMES]
    at = ok(run(team_app))
    table = at.dataframe[0].value
    assert table[t("team.col.name", "en")].tolist() == [as_typed(n) for n in reversed(NAMES)]
    assert table[t("team.col.author", "en")].tolist() == [as_typed(n) for n in reversed(NAMES)]
    labels = at.selectbox[0].options  # picker options are plain text: no escapes in them
    assert [label.split(" · ")[0] for label in labels] == [as_typed(n) for n in reversed(NAMES)]

    for plan_id, name in zip(ids, NAMES, strict=True):
        at.selectbox[0].select(plan_id).run()
        button(at, "team.delete").click().run()
        ok(at)
        warning = at.warning[0].value
        assert warning == t("team.delete_confirm", "en", name=display_text(name))
        assert reads_as(warning) == reads_as(t("team.delete_confirm", "en", name="N")).replace(
            "N", as_typed(name), 1
        )
        button(at, "team.delete_no").click().run()

    opened = ok(run(save_app, query={"plan": ids[0]}))  # the planner's "Opened…" caption
    caption = next(c.value for c in opened.caption if "Opened" in c.value)
    shown = reads_as(caption)
    assert f"“{as_typed(NAMES[0])}” by {as_typed(NAMES[0])}," in shown


def test_a_name_with_a_nul_is_refused_in_words(store) -> None:
    at = ok(run(save_app))
    at.text_input[0].set_value("Plan\x00B")
    at.button[0].click().run()
    ok(at)
    reason = t("store.error.bad_character", "en", char="U+0000")
    assert [e.value for e in at.error] == [t("save.failed", "en", reason=reason)]
    assert store.list() == []


def test_a_rename_after_someone_changed_the_plan_is_reported(store, plans) -> None:
    plan_id = store.save(plans[0], "Listed")
    at = ok(run(team_app))
    store.rename(plan_id, "Their name")  # a colleague renames it after our list was drawn
    at.text_input[0].set_value("Our name")
    button(at, "team.rename_submit").click().run()
    ok(at)
    refused = t("team.rename_conflict", "en", name="Their name", current=2)
    assert [e.value for e in at.error] == [refused]
    assert store.load(plan_id).name == "Their name"


def test_a_database_failure_is_words_not_a_trace(store, plans) -> None:
    from advisor.ui import team

    store.save(plans[0], "Fine")
    engine = team.plans_store().engine  # the page's own store

    def fail(*_args) -> None:  # type: ignore[no-untyped-def]
        raise OperationalError("SELECT", {}, ConnectionResetError("server gone"))

    event.listen(engine, "before_cursor_execute", fail)
    try:
        at = ok(run(team_app))
    finally:
        event.remove(engine, "before_cursor_execute", fail)
    assert [e.value for e in at.error] == [t("store.error.unavailable", "en")]


def test_a_save_that_timed_out_can_be_pressed_again_without_a_copy(
    store, plans, monkeypatch
) -> None:
    real_save = Store.save
    keys: list[str | None] = []

    def save_then_time_out(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        keys.append(kwargs.get("save_key"))
        plan_id = real_save(self, *args, **kwargs)
        if len(keys) == 1:  # saved, but the answer never came back
            raise StoreError("no answer in time", code="timeout")
        return plan_id

    monkeypatch.setattr(Store, "save", save_then_time_out)
    at = ok(run(save_app))
    at.button[0].click().run()
    ok(at)
    assert [w.value for w in at.warning] == [t("save.unknown", "en")]
    at.button[0].click().run()  # pressed again: the same save
    ok(at)
    (summary,) = store.list()
    assert at.code[0].value == f"/?plan={summary.id}"
    assert keys[0] is not None and keys[1] == keys[0]
    at.button[0].click().run()  # after a success, pressing again is a new save...
    ok(at)
    button(at, "save.name_anyway", name=display_text(summary.name)).click().run()
    ok(at)  # ...of a name now in use, so questioned first (issue 15)
    assert len(store.list()) == 2 and keys[2] != keys[0]


def test_the_page_keys_guesses_on_the_peer_unless_it_is_a_trusted_proxy(monkeypatch) -> None:
    from types import SimpleNamespace

    from advisor.ui import team

    class Headers:
        def __init__(self, forwarded: str) -> None:
            self.forwarded = forwarded

        def get_all(self, name: str) -> list[str]:
            return [self.forwarded] if name.lower() == "x-forwarded-for" else []

    def keys() -> set[str]:
        found = set()
        for n in range(20):  # a client rotating the header it sends
            context = SimpleNamespace(ip_address="203.0.113.7", headers=Headers(f"10.0.{n}.1"))
            monkeypatch.setattr(st, "context", context)
            found.add(team.client_key())
        return found

    monkeypatch.delenv("ADVISOR_TRUSTED_PROXIES", raising=False)
    assert keys() == {"203.0.113.7"}  # the header counts for nothing
    monkeypatch.setenv("ADVISOR_TRUSTED_PROXIES", "203.0.113.0/24")  # now the peer is our proxy
    assert keys() == {f"10.0.{n}.1" for n in range(20)}  # and what it forwards is believed


# --- saving follows the plan on screen (issue 15) ------------------------------------------


def edited_app() -> None:
    """A saved plan opened from its link, then (session state `budget`) its brief edited."""
    import streamlit as st

    from advisor import CampaignBrief, recommend
    from advisor.ui.team import opened_plan, save_controls

    opened = opened_plan("en")
    budget = st.session_state.get("budget")
    plan = (
        recommend(CampaignBrief(goal="contest", budget=budget, weeks=4), samples=20)
        if budget
        else opened[1]
    )
    st.session_state["shown_budget"] = plan.brief.budget
    save_controls(plan, None, "en")


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_after_a_brief_change_the_form_saves_a_new_plan_by_default(store, plans) -> None:
    plan_id = store.save(plans[0], "Giveaway June")
    at = ok(run(edited_app, query={"plan": plan_id}))
    assert t("save.update", "en", name="Giveaway June") in labels(at)  # unchanged: update
    at.session_state["budget"] = 9_000
    at.run()
    ok(at)
    assert at.info[-1].value == t("save.changed", "en", name="Giveaway June")
    assert t("save.update", "en", name="Giveaway June") not in labels(at)
    assert t("save.replace", "en", name="Giveaway June") in labels(at)
    assert at.text_input[0].value == "Contest, $9K"  # the new plan's own default name
    button(at, "save.new").click().run()  # the primary action: a new plan, original intact
    ok(at)
    assert len(store.list()) == 2 and store.load(plan_id).plan == plans[0]
    assert store.load(plan_id).version == 1


def test_replacing_the_original_needs_an_explicit_confirmed_choice(store, plans) -> None:
    plan_id = store.save(plans[0], "Giveaway June")
    at = ok(run(edited_app, query={"plan": plan_id}))
    at.session_state["budget"] = 9_000
    at.run()
    button(at, "save.replace", name="Giveaway June").click().run()
    ok(at)
    assert at.warning[0].value == t("save.replace_confirm", "en", name="Giveaway June", version=1)
    assert store.load(plan_id).version == 1  # nothing written before the answer
    button(at, "save.cancel").click().run()
    ok(at)
    assert not at.warning and store.load(plan_id).version == 1
    button(at, "save.replace", name="Giveaway June").click().run()
    button(at, "save.replace_yes", name="Giveaway June").click().run()
    ok(at)
    saved = store.load(plan_id)
    assert saved.version == 2 and saved.plan.brief.budget == 9_000 and len(store.list()) == 1


def test_a_name_already_in_use_is_questioned(store, plans) -> None:
    store.save(plans[1], "Event, $20K")  # the default name of save_app's plan
    at = ok(run(save_app))
    button(at, "save.new").click().run()
    ok(at)
    assert at.warning[0].value == t("save.name_taken", "en", name=display_text("Event, $20K"))
    assert len(store.list()) == 1
    at.text_input[0].set_value("Event, second try")
    button(at, "save.new").click().run()  # a free name saves at once
    ok(at)
    assert sorted(s.name for s in store.list()) == ["Event, $20K", "Event, second try"]


def test_a_copy_becomes_the_selected_plan(store, plans) -> None:
    store.save(plans[0], "Older")
    store.save(plans[1], "Giveaway June")
    at = ok(run(team_app))
    at.selectbox[0].select_index(1).run()  # "Older" (the list is newest first)
    button(at, "team.duplicate").click().run()
    ok(at)
    copy = next(s for s in store.list() if s.name == "Copy of Older")
    assert at.selectbox[0].value == copy.id
    button(at, "team.duplicate").click().run()  # a second copy gets a name of its own
    ok(at)
    assert "Copy of Copy of Older" in [s.name for s in store.list()]
    store.save(plans[0], "Copy of Giveaway June")
    at.selectbox[0].select(next(s.id for s in store.list() if s.name == "Giveaway June")).run()
    button(at, "team.duplicate").click().run()
    ok(at)
    assert "Copy of Giveaway June (2)" in [s.name for s in store.list()]


def test_renaming_a_plan_changed_since_it_was_listed_is_a_conflict(store, plans) -> None:
    plan_id = store.save(plans[0], "Draft")
    at = ok(run(team_app))
    store.rename(plan_id, "Colleague's name")  # someone renames it after the list was shown
    at.text_input[0].set_value("My name")
    button(at, "team.rename_submit").click().run()
    ok(at)
    theirs = display_text("Colleague's name")  # shown Markdown-inert: "Colleague\\'s name"
    assert at.error[0].value == t("team.rename_conflict", "en", name=theirs, current=2)
    assert store.load(plan_id).name == "Colleague's name"  # theirs stands
    at.text_input[0].set_value("My name")  # now the list shows the latest: renaming works
    button(at, "team.rename_submit").click().run()
    ok(at)
    assert store.load(plan_id).name == "My name"


def test_renaming_to_a_name_in_use_is_questioned(store, plans) -> None:
    store.save(plans[1], "Taken")
    plan_id = store.save(plans[0], "Draft")
    at = ok(run(team_app))
    at.selectbox[0].select(plan_id).run()
    at.text_input[0].set_value("taken ")
    button(at, "team.rename_submit").click().run()
    ok(at)
    assert at.warning[0].value == t("team.rename_name_taken", "en", name="taken")
    assert store.load(plan_id).name == "Draft"
    button(at, "team.rename_anyway", name="taken").click().run()
    ok(at)
    assert store.load(plan_id).name == "taken"


def test_compare_shows_times_and_says_when_only_three_are_kept(store, plans) -> None:
    names = ["A", "B", "C", "D"]
    ids = [store.save(plans[i % 3], n) for i, n in enumerate(names)]
    at = ok(run(team_app))
    at.multiselect[0].set_value(ids).run()  # as Streamlit's "Select all" does
    ok(at)
    kept = [t("compare.col.plan", "en")]
    comparison = at.dataframe[1].value
    assert comparison[kept[0]].tolist() == ["A", "B", "C"]
    assert at.info[0].value == t("team.compare_kept", "en", count=4, names="“A”, “B”, “C”")
    saved = comparison[t("compare.col.saved", "en")].tolist()
    import re

    assert all(re.search(r"\d{1,2}:\d{2}\s?[AP]M UTC$", s) for s in saved), saved
    listed_times = at.dataframe[0].value[t("team.col.updated", "en")].tolist()
    assert all(re.search(r"\d{1,2}:\d{2}", s) for s in listed_times)


def test_store_name_taken_ignores_case_spaces_the_plan_itself_and_deleted_plans(
    store, plans
) -> None:
    plan_id = store.save(plans[0], "Été  Launch")
    assert store.name_taken(" été launch ") == plan_id
    assert store.name_taken("Été Launch", except_id=plan_id) is None
    assert store.name_taken("Other") is None and store.name_taken("   ") is None
    store.delete(plan_id)
    assert store.name_taken("Été Launch") is None


def test_a_confirmed_replace_that_timed_out_is_repeated_without_asking_again(
    store, plans, monkeypatch
) -> None:
    real_update = Store.update
    keys: list[str | None] = []

    def update_then_time_out(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        keys.append(kwargs.get("save_key"))
        version = real_update(self, *args, **kwargs)
        if len(keys) == 1:  # replaced, but the answer never came back
            raise StoreError("no answer in time", code="timeout")
        return version

    monkeypatch.setattr(Store, "update", update_then_time_out)
    plan_id = store.save(plans[0], "Giveaway June")
    at = ok(run(edited_app, query={"plan": plan_id}))
    at.session_state["budget"] = 9_000
    at.run()
    button(at, "save.replace", name="Giveaway June").click().run()
    button(at, "save.replace_yes", name="Giveaway June").click().run()
    ok(at)
    assert [w.value for w in at.warning] == [t("save.unknown", "en")]
    button(at, "save.replace", name="Giveaway June").click().run()  # pressed again
    ok(at)
    assert not at.warning  # answered already: not asked a second time
    assert keys[1] == keys[0] is not None
    saved = store.load(plan_id)
    assert saved.version == 2 and saved.plan.brief.budget == 9_000 and len(store.list()) == 1
    assert at.code[0].value == f"/?plan={plan_id}"
