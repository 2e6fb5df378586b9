"""Every language has every message, with the same placeholders."""

import string

import pytest

from advisor.locale.i18n import LANGUAGES, catalog, t


def _fields(text):
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("lang", [x for x in LANGUAGES if x != "en"])
def test_catalogs_match_english(lang):
    en, other = catalog("en"), catalog(lang)
    assert set(en) == set(other)
    for key in en:
        assert _fields(en[key]) == _fields(other[key]), key


def test_unknown_key_is_an_error_not_a_silent_blank():
    with pytest.raises(KeyError):
        t("no.such.message")


def test_french_is_french():
    assert t("strategy.ambassador", "fr") == "Relations durables"
    assert t("goal.event", "xx") == t("goal.event", "en")  # unknown language falls back to English
