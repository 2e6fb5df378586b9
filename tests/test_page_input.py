"""Nothing typed is lost: the brief form and the link, value by value (AppTest, no browser).

Why: a submit with one bad field used to throw the good fields away in silence, "15.000" in
French became 15, a budget of 1e12 was refused as "not greater than zero" and a bad link value
on the creator lists page was replaced without a word. Each case has its own message, next to
the field and at the top of the page, and the valid fields of the same submit are applied.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from advisor import t
from advisor.locale.formatting import AmbiguousNumber, parse_number
from advisor.sharing.links import Problem, read_brief_query
from tests.test_page import (
    TIMEOUT,
    assert_no_exception,
    run_app,
    sidebar_widget,
    submit_button,
)

pytestmark = pytest.mark.timeout(300)

EVENT = {"goal": "event", "budget": "20000", "currency": "EUR", "weeks": "6"}


def submit(at: AppTest, lang: str = "en", **typed: object) -> AppTest:
    kinds = {"budget": "text_input", "audience": "text_input", "weeks": "number_input"}
    for field, value in typed.items():
        sidebar_widget(at, kinds.get(field, "number_input"), t(f"field.{field}", lang)).set_value(
            value
        )
    submit_button(at, lang).click().run()
    assert_no_exception(at)
    return at


def shown(markdown: str) -> str:
    """What the reader sees: user text is Markdown-escaped (`display_text`), spaces plain."""
    return markdown.replace("\\", "").replace("\u202f", " ").replace("\xa0", " ")


def field_errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.sidebar.error]


def top_error(at: AppTest) -> str:
    errors = [shown(e.value) for e in at.main.error]
    assert len(errors) == 1, errors
    return errors[0]


def test_valid_fields_of_a_submit_are_applied_and_the_bad_one_is_named() -> None:
    at = run_app(EVENT)
    submit(at, budget="lots", weeks=12, advocates=40)
    # the good fields took effect: the link holds them
    assert at.query_params["weeks"] == "12" and at.query_params["advocates"] == "40"
    assert at.query_params["budget"] == "20000"  # the refused field keeps its previous value
    expected = shown(Problem("budget", "not_a_number", "lots").message("en"))
    assert field_errors(at) == [expected]  # next to the field...
    top = top_error(at)  # ...and at the top, saying what was and was not applied
    assert top.startswith(t("form.rejected", "en")) and expected in top
    assert "previous value" in top
    # the text typed stays in its field, to be corrected
    assert sidebar_widget(at, "text_input", t("field.budget", "en")).value == "lots"
    # the next valid submit clears the messages
    submit(at, budget="25000")
    assert at.query_params["budget"] == "25000"
    assert field_errors(at) == [] and not at.main.error


@pytest.mark.parametrize(
    ("lang", "typed"), [("fr", "15.000"), ("fr", "15,000"), ("en", "15.000")], ids=str
)
def test_an_ambiguous_amount_is_questioned_never_read_as_15(lang: str, typed: str) -> None:
    at = run_app({**EVENT, "lang": lang})
    submit(at, lang, budget=typed)
    assert at.query_params["budget"] == "20000"  # not 15
    message = field_errors(at)[0]
    assert typed in message
    if lang == "fr":
        assert "15 000" in message
        assert "peut se lire" in message
    else:
        assert "15,000" in message and "could be read as 15 or as 15,000" in message
    assert message in top_error(at)


def test_english_thousands_are_read_the_english_way() -> None:
    at = run_app(EVENT)
    submit(at, budget="15,000")
    assert at.query_params["budget"] == "15000"
    assert not at.main.error


def test_fractional_weeks_are_refused_in_words() -> None:
    at = run_app(EVENT)
    submit(at, weeks=2.5, advocates=20)
    assert at.query_params["weeks"] == "6" and at.query_params["advocates"] == "20"
    message = field_errors(at)[0]
    assert message == "Duration (weeks): “2.5” is not a whole number. Type a whole number."


def test_a_huge_budget_is_refused_as_too_large_not_as_too_small() -> None:
    at = run_app(EVENT)
    submit(at, budget="1e12")
    message = field_errors(at)[0]
    assert "maximum of 1,000,000,000" in message and "1e12" in message
    assert "zero" not in message
    at = run_app({**EVENT, "lang": "fr"})
    submit(at, "fr", budget="1000000000000")
    assert "dépasse le maximum de 1" in field_errors(at)[0]


def test_a_zero_budget_and_a_small_audience_each_say_their_limit() -> None:
    at = run_app(EVENT)
    submit(at, budget="0", audience="500")
    messages = field_errors(at)
    assert messages[0] == "Budget: “0” is too small: enter more than 0."
    assert messages[1] == "Target audience (people): “500” is below the minimum of 1,000."


def test_a_bad_link_value_is_named_with_its_reason() -> None:
    at = run_app({"budget": "abc", "weeks": "2.5"})
    warnings = [shown(w.value) for w in at.main.warning]
    assert len(warnings) == 1, warnings
    assert "“abc” is not a number" in warnings[0] and "`budget`" in warnings[0]
    assert "“2.5” is not a whole number" in warnings[0] and "`weeks`" in warnings[0]


def creators_page() -> None:  # the script AppTest runs (its body only)
    from advisor.ui import creators

    creators.render()


def test_the_creator_lists_page_warns_about_bad_link_values() -> None:
    """The creator lists page used to replace `budget=abc` by the default without a word."""
    at = AppTest.from_function(creators_page, default_timeout=TIMEOUT)
    at.query_params.update({"budget": "abc", "weeks": "200"})
    at.run()
    assert_no_exception(at)
    warnings = [shown(w.value) for w in at.main.warning]
    assert any(
        "“abc” is not a number" in w and "“200” is above the maximum of 104" in w for w in warnings
    ), warnings


def test_link_problems_say_why() -> None:
    _, problems = read_brief_query(
        {"budget": "1e12", "weeks": "2.5", "audience": "10", "goal": "x", "platforms": "myspace"}
    )
    kinds = {p.field: p.kind for p in problems}
    assert kinds == {
        "budget": "too_large",
        "weeks": "fraction",
        "audience": "too_small",
        "goal": "invalid",
        "platforms": "invalid",
    }


def test_parse_number_questions_a_lone_mark_before_three_digits() -> None:
    with pytest.raises(AmbiguousNumber) as doubt:
        parse_number("15.000", "fr")
    assert doubt.value.readings == (15.0, 15_000.0)
    assert parse_number("15,000", "en") == 15_000
    assert parse_number("0.125", "en") == 0.125  # no thousands reading starts with 0
    assert parse_number("15,5", "fr") == 15.5
    assert parse_number("15 000,50", "fr") == 15_000.5
