"""The brief validates every field with a message a marketer understands."""

import pytest
from pydantic import ValidationError

from advisor import CampaignBrief, Goal, Platform
from advisor.sharing.links import brief_errors, brief_from_query, brief_to_query


def test_defaults_are_a_usable_brief():
    brief = CampaignBrief()
    assert brief.goal is Goal.PRODUCT_LAUNCH
    assert brief.budget > 0 and 1 <= brief.weeks <= 104 and brief.audience >= 1000


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("budget", 0),
        ("budget", -5),
        ("weeks", 0),
        ("weeks", 105),
        ("goal", "banana"),
        ("currency", "JPY"),
        ("audience", 10),
        ("advocates", -1),
        ("platforms", []),
        ("platforms", "myspace"),
        ("region", "mars"),
        ("budget", float("nan")),
    ],
)
def test_bad_values_get_a_plain_message_naming_the_field(field, value):
    with pytest.raises(ValidationError) as err:
        CampaignBrief(**{field: value})
    messages = brief_errors(err.value)
    assert list(messages) == [field]
    assert "Input should" not in messages[field]  # not pydantic's developer wording
    assert brief_errors(err.value, "fr")[field] != messages[field]


def test_platform_aliases_and_duplicates_are_normalised():
    brief = CampaignBrief(platforms="IG, insta, Twitter, yt")
    assert brief.platforms == (Platform.INSTAGRAM, Platform.YOUTUBE, Platform.X)


def test_the_brief_is_immutable():
    with pytest.raises(ValidationError):
        CampaignBrief().budget = 5  # type: ignore[misc]


def test_query_round_trip_reproduces_the_brief():
    brief = CampaignBrief(
        goal="contest",
        budget=12345.5,
        currency="GBP",
        weeks=3,
        audience=80_000,
        platforms=["youtube", "blog"],
        advocates=42,
        accounts_ready=False,
        region="UK",
    )
    again, bad = brief_from_query(brief_to_query(brief))
    assert bad == [] and again == brief


def test_bad_url_values_fall_back_alone_and_are_named():
    brief, bad = brief_from_query(
        {"goal": "banana", "budget": "-5", "weeks": "abc", "currency": "EUR"}
    )
    assert sorted(bad) == ["budget", "goal", "weeks"]
    default = CampaignBrief()
    assert (brief.goal, brief.budget, brief.weeks) == (default.goal, default.budget, default.weeks)
    assert brief.currency.value == "EUR"  # the good field is kept


def test_url_values_tolerate_human_formatting():
    brief, bad = brief_from_query(
        {"budget": "20,000", "accounts_ready": "no", "region": "fr", "platforms": ["ig", "tiktok"]}
    )
    assert bad == []
    assert brief.budget == 20_000 and brief.accounts_ready is False and brief.region.value == "FR"
