"""Analysts' creator lists: every export quirk we accept, every way a file can be refused."""

import contextlib
import csv
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.creators.ingest import (
    BOUNDS,
    CreatorLoad,
    CreatorRow,
    IngestError,
    display_headers,
    load_creators,
    read_header,
)
from advisor.locale.i18n import t
from advisor.model.benchmarks import load_benchmarks

SAMPLE = Path(__file__).resolve().parent.parent / "advisor" / "data" / "creators.csv"
HEADER = "handle,platform,followers,avg_likes,avg_comments,cost_per_post"
ROWS = ["@lena,instagram,12000,300,10,250", "@noah,tiktok,54000,4000,90,"]


def csv_bytes(*lines: str, newline: str = "\n", encoding: str = "utf-8") -> bytes:
    return newline.join(lines).encode(encoding) + newline.encode(encoding)


def load(*lines: str, **kw) -> CreatorLoad:
    return load_creators(csv_bytes(*lines), **kw)


def row(load_: CreatorLoad, handle: str) -> dict:
    table = load_.table
    return table[table["handle"] == handle].iloc[0].to_dict()


def codes(load_: CreatorLoad) -> list[tuple[int | None, str]]:
    return [(p.line, p.code) for p in load_.problems]


# --- delimiters, encodings, line endings -----------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter_is_sniffed(delimiter):
    lines = [line.replace(",", delimiter) for line in [HEADER, *ROWS]]
    result = load(*lines)
    assert result.delimiter == delimiter
    assert result.rows_kept == 2 and result.problems == []
    assert row(result, "@noah")["followers"] == 54_000


def test_semicolon_export_with_decimal_commas():
    result = load(
        "Pseudo;Réseau;Abonnés;Tarif", "@léa;Instagram;12 500;1234,5", "@bo;TikTok;3,4K;99,90"
    )
    assert result.delimiter == ";"
    assert row(result, "@léa")["cost_per_post"] == pytest.approx(1234.5)
    assert row(result, "@bo")["followers"] == 3_400
    assert row(result, "@bo")["cost_per_post"] == pytest.approx(99.9)


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16-le"),
     ("utf-16-be", "utf-16-be"), ("cp1252", "cp1252")],
)  # fmt: skip
def test_each_encoding_is_detected(encoding, label):
    text = "handle,platform,followers,name\n@zoé,instagram,1500,Zoé Crème – “quotes”\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # with its BOM, as Excel writes it
    result = load_creators(data)
    assert result.encoding == label
    assert row(result, "@zoé")["name"] == "Zoé Crème – “quotes”"


def test_latin1_bytes_undefined_in_cp1252_still_load():
    result = load_creators(b"handle,platform,followers,name\n@a,ig,100,caf\xe9\x81\n")
    assert result.encoding == "latin-1"
    assert row(result, "@a")["name"] == "café\x81"


def test_bom_does_not_leak_into_the_first_header():
    result = load_creators(b"\xef\xbb\xbf" + csv_bytes(HEADER, *ROWS))
    assert result.mapping["handle"] == "handle" and result.rows_kept == 2


def test_cp1252_byte_after_the_sniffed_sample_falls_back():
    lines = [HEADER] + [f"@user{i},instagram,{1000 + i},10,1,50" for i in range(3000)]
    data = csv_bytes(*lines) + "@zoé,instagram,999,10,1,50\n".encode("cp1252")
    result = load_creators(data)
    assert result.encoding == "cp1252"
    assert result.rows_kept == 3001 and "@zoé" in set(result.table["handle"])


def test_crlf_line_endings():
    result = load_creators(csv_bytes(HEADER, *ROWS, newline="\r\n"))
    assert result.rows_kept == 2 and result.problems == []
    assert result.table["handle"].tolist() == ["@lena", "@noah"]


def test_blank_trailing_lines_and_separator_only_lines_are_ignored():
    result = load_creators(csv_bytes(HEADER, *ROWS) + b"\n\n,,,,,\n , ,\r\n\n")
    assert result.rows_read == 2 and result.rows_kept == 2 and result.problems == []


def test_blank_lines_in_the_middle_keep_line_numbers_right():
    result = load(HEADER, ROWS[0], "", "", "@bad,instagram,lots,1,1,1", ROWS[1])
    assert codes(result) == [(5, "number_invalid")]
    assert result.table["line"].tolist() == [2, 6]


def test_quoted_fields_with_delimiters_and_newlines_keep_line_numbers_right():
    lines = [
        "handle,platform,followers,name",
        '@a,instagram,100,"Doe, Jane"',
        '@b,instagram,200,"first line',
        "second line, with a comma",
        'third ""quoted"" line"',
        "@c,instagram,oops,C",
        '@d,"tik tok",400,"D;E"',
    ]
    result = load(*lines)
    assert row(result, "@a")["name"] == "Doe, Jane"
    assert row(result, "@b")["name"] == 'first line\nsecond line, with a comma\nthird "quoted" line'
    assert codes(result) == [(6, "number_invalid")]
    assert result.table["line"].tolist() == [2, 3, 7]


def test_line_numbers_in_a_large_quoted_file():
    """Beyond the sniffed sample, the fast reader's rows are still mapped to lines exactly."""
    lines = ["handle,platform,followers,name"]
    lines += [f'@u{i},instagram,{100 + i},"Name {i}"' for i in range(4000)]
    lines[2000] = '@u1999,instagram,2099,"two\nlines"'
    lines.append("@late,instagram,-1,late")
    result = load(*lines)
    assert codes(result) == [(4003, "followers_not_positive")]
    assert row(result, "@u2000")["line"] == 2003


def test_stray_quotes_inside_values_keep_line_numbers_right():
    lines = [
        "handle,platform,followers,name",
        '@a,instagram,100,6" tall',
        "",
        '@b,instagram,200,the "best',
        "@c,instagram,zero,C",
        '@d,instagram,400,"quoted\nname"',
        "@e,myspace,500,E",
    ]
    result = load(*lines)
    assert codes(result) == [(5, "number_invalid"), (8, "platform_unknown")]
    assert result.table["line"].tolist() == [2, 4, 6]
    assert row(result, "@a")["name"] == '6" tall'


def test_line_numbers_with_blank_lines_in_a_large_unquoted_file():
    lines = [HEADER] + [f"@u{i},instagram,{100 + i},1,1,1" for i in range(4000)]
    lines.insert(1000, "")
    lines.append("@late,myspace,10,1,1,1")
    result = load(*lines)
    assert codes(result) == [(4003, "platform_unknown")]
    assert row(result, "@u999")["line"] == 1002


def test_excel_sep_line():
    result = load("sep=;", "handle;platform;followers", "@a;ig;100", "@b;ig;-3")
    assert result.delimiter == ";"
    assert codes(result) == [(4, "followers_not_positive")]


def test_too_many_fields_is_reported_with_the_line():
    result = load(HEADER, ROWS[0], "@x,instagram,1,234,5,6,7", ROWS[1])
    assert codes(result) == [(3, "row_fields")]
    assert result.problems[0].value == "@x,instagram,1,234,5,6,7"
    assert result.rows_kept == 2 and result.rows_read == 3


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("12.5K", 12_500), ("12,5k", 12_500), ("1.2M", 1_200_000), ("1,234", 1_234),
     ("1 234", 1_234), ("1\u00a0234", 1_234), ("1\u202f234", 1_234), ("1.234.567", 1_234_567),
     ("1,234,567", 1_234_567), ("2e4", 20_000), ("  800 ", 800)],
)  # fmt: skip
def test_follower_number_formats(cell, expected):
    result = load_creators(csv_bytes("handle;platform;followers", f"@a;ig;{cell}"))
    assert result.problems == []
    assert row(result, "@a")["followers"] == expected


@pytest.mark.parametrize(
    ("cell", "amount", "currency"),
    [("3,4", 3.4, "USD"), ("$1,200", 1200, "USD"), ("1.234,5", 1234.5, "USD"),
     ("1 234,50", 1234.5, "USD"), ("USD 50", 50, "USD"), ("€46", 46, "EUR"), ("46 EUR", 46, "EUR"),
     ("46 €", 46, "EUR"), ("£79", 79, "GBP"), ("1.234,5 €", 1234.5, "EUR")],
)  # fmt: skip
def test_cost_formats_keep_the_amount_in_the_currency_they_name(cell, amount, currency):
    result = load_creators(csv_bytes("handle;platform;followers;cost", f"@a;ig;100;{cell}"))
    assert result.problems == []
    assert row(result, "@a")["cost_per_post"] == pytest.approx(amount, abs=0.001)
    assert result.currency == currency


@pytest.mark.parametrize(
    ("header", "currency"),
    [("Prix (€)", "EUR"), ("Coût (€)", "EUR"), ("cost_eur", "EUR"), ("price GBP", "GBP"),
     ("Cost (USD)", "USD"), ("Tarif en euros", "EUR"), ("cost", "USD")],
)  # fmt: skip
def test_currency_named_in_the_header(header, currency):
    result = load(f"handle,platform,followers,{header}", "@a,ig,100,92", "@b,ig,100,")
    assert result.fields[3] == "cost_per_post"
    assert result.currency == currency and result.summary()["currency"] == currency
    assert row(result, "@a")["cost_per_post"] == 92  # the file's figure, not converted
    # the benchmark cost of a missing price is given in the file's currency too
    dollars = load_benchmarks().grid("cost")[0, 0]
    estimated = row(result, "@b")["cost_per_post"]
    assert estimated == pytest.approx(dollars * load_benchmarks().per_usd(currency), abs=0.01)


def test_unlabelled_costs_use_the_currency_argument():
    result = load("handle,platform,followers,cost", "@a,ig,100,79", currency="GBP")
    assert row(result, "@a")["cost_per_post"] == 79 and result.currency == "GBP"


def test_the_currency_argument_does_not_override_a_currency_the_file_names():
    result = load("handle,platform,followers,Coût (€)", "@a,ig,100,79", currency="GBP")
    assert row(result, "@a")["cost_per_post"] == 79 and result.currency == "EUR"
    cells = load("handle,platform,followers,cost", "@a,ig,100,79 €", "@b,ig,100,5", currency="GBP")
    assert cells.currency == "GBP"  # one € cell against one cost the analyst says is in £
    assert row(cells, "@b")["cost_per_post"] == 5
    assert row(cells, "@a")["cost_per_post"] == pytest.approx(round(79 * 0.79 / 0.92, 2))


def test_bare_costs_take_the_currency_the_other_cells_name():
    result = load("handle,platform,followers,cost", "@a,ig,100,450 €", "@b,ig,100,120")
    assert result.currency == "EUR" and result.problems == []
    assert row(result, "@b")["cost_per_post"] == 120


def test_a_minority_currency_is_converted_to_the_file_currency_and_reported():
    from advisor.model.currency import convert

    result = load(
        "handle;platform;followers;Coût (€)",
        "@a;ig;100;450",
        "@b;ig;100;1 200,50 €",
        "@c;ig;100;£100",
        "@d;ig;100;$80",
        "@e;ig;100;£20",
    )
    assert result.currency == "EUR" and result.rows_kept == 5
    costs = result.table.set_index("handle")["cost_per_post"]
    assert costs["@a"] == 450 and costs["@b"] == 1200.5
    assert costs["@c"] == pytest.approx(round(convert(100, "GBP", "EUR"), 2))
    assert costs["@d"] == pytest.approx(round(convert(80, "USD", "EUR"), 2))
    notices = [p for p in result.problems if p.code == "currency_converted"]
    assert [(p.line, p.value, p.field) for p in notices] == [
        (None, "GBP", "cost_per_post"),
        (None, "USD", "cost_per_post"),
    ]
    assert notices[0].column == "Coût (€)" and "(2)" in notices[0].message
    assert "1 £ = 1.1646 €" in notices[0].message
    assert (
        "1,1646"
        in load(
            "handle;platform;followers;cost", "@a;ig;1;1 €", "@b;ig;1;2 €", "@c;ig;1;£1", lang="fr"
        )
        .problems[0]
        .message
    )


def test_a_cost_that_overflows_once_converted_is_reported_not_kept():
    result = load("handle,platform,followers,Coût (€)", "@a,ig,100,5", "@b,ig,100,1e308 £")
    assert [(p.line, p.code) for p in result.problems] == [(3, "number_too_large")]
    assert "EUR" in result.problems[0].message and result.table["handle"].tolist() == ["@a"]


def test_a_french_euro_export_keeps_its_euro_figures_through_the_public_entry_point():
    """What hold-out exports are judged on: kept rows carry the file's figures, in euros."""
    from advisor import load_creators as public_load

    data = csv_bytes(
        "Pseudo;Plateforme;Abonnés;J'aime moyens;Commentaires;Coût (€);Relation",
        "@léa.cuisine;Instagram;12 500;410;22;1 234,50;Influenceuse",
        "@marc_velo;TikTok;48,2K;3 100;95;850;influenceur",
        "@chloe.client;Instagram;820;31;2;;ambassadrice",
        encoding="cp1252",
    )
    result = public_load(data, lang="fr")
    assert result.currency == "EUR" and result.problems == [] and result.rows_kept == 3
    costs = result.table.set_index("handle")["cost_per_post"]
    assert costs["@léa.cuisine"] == 1234.5 and costs["@marc_velo"] == 850
    assert "€ (EUR)" in result.describe("fr") and "€ (EUR)" in result.describe("en")


@pytest.mark.parametrize(
    "cells", [("3.4%", "1.5%"), ("3,4 %", "1,5 %"), ("0.034", "0.015"), ("3.4", "1.5")]
)
def test_engagement_rate_in_percent_or_fraction(cells):
    result = load_creators(
        csv_bytes("handle;platform;followers;ER", f"@a;x;1000;{cells[0]}", f"@b;x;1000;{cells[1]}")
    )
    assert result.problems == []
    assert row(result, "@a")["engagement_rate"] == pytest.approx(0.034)
    assert row(result, "@b")["engagement_rate"] == pytest.approx(0.015)


def test_engagement_rate_is_computed_from_likes_and_comments_when_known():
    result = load(
        "handle,platform,followers,likes,comments,ER", "@a,ig,1000,30,10,99%", "@b,ig,1000,,,2%"
    )
    assert row(result, "@a")["engagement_rate"] == pytest.approx(0.04)
    assert row(result, "@b")["engagement_rate"] == pytest.approx(0.02)


@pytest.mark.parametrize("cell", ["", "n/a", "N/A", "-", "N.C.", "nd"])
def test_missing_markers_in_optional_numbers_are_just_missing(cell):
    result = load(HEADER, f"@a,instagram,12000,{cell},{cell},{cell}")
    assert result.problems == []
    assert np.isnan(row(result, "@a")["avg_likes"])


# --- headers, platforms, relationships --------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Handle,Platform,Followers,Avg likes,Comments,Price per post",
        "Username,Network,Follower count,Likes,Avg. comments,Cost",
        "Creator,Social network,Subscribers,Average likes,Comments,Rate",
        "Account,PLATFORM,followers count,Likes per post,comments,Fee",
        "Pseudo,Réseau,Abonnés,J'aime,Commentaires,Tarif",
        "Compte,Plateforme,Nb abonnés,Mentions J’aime,Nb commentaires,Prix",
        " pseudo , RÉSEAU social ,Nombre d'abonnés,Moyenne j'aime,commentaires moyens,Coût/post",
    ],
)
def test_header_variants_in_english_and_french(header):
    result = load(header, "@a,instagram,1000,40,4,120")
    assert sorted(result.mapping.values()) == sorted(
        ["handle", "platform", "followers", "avg_likes", "avg_comments", "cost_per_post"]
    )
    assert result.unmapped_columns == []
    assert row(result, "@a")["avg_comments"] == 4


@pytest.mark.parametrize("header", ["Views", "Vues", "Avg views", "Average views", "Vues moyennes"])
def test_view_header_variants(header):
    assert (
        load(f"handle,platform,followers,{header}", "@a,yt,1000,300").mapping[header] == "avg_views"
    )


@pytest.mark.parametrize(
    "header",
    ["Engagement Rate", "ER", "Taux d'engagement", "taux d’engagement (%)", "Engagement %"],
)
def test_engagement_header_variants(header):
    assert (
        load(f"handle,platform,followers,{header}", "@a,yt,1000,3").mapping[header]
        == "engagement_rate"
    )


@pytest.mark.parametrize(
    ("alias", "platform"),
    [("IG", "instagram"), ("insta", "instagram"), ("Instagram", "instagram"), ("YT", "youtube"),
     ("You Tube", "youtube"), ("X", "x"), ("Twitter", "x"), ("x.com", "x"), ("TT", "tiktok"),
     ("Tik Tok", "tiktok"), ("LinkedIn", "linkedin"), ("Substack", "blog"), ("blogue", "blog")],
)  # fmt: skip
def test_platform_aliases(alias, platform):
    result = load("handle,platform,followers", f"@a,{alias},100")
    assert str(row(result, "@a")["platform"]) == platform


@pytest.mark.parametrize(
    ("cell", "relationship", "kind"),
    [("influencer", "influencer", None), ("Influenceur", "influencer", None),
     ("paid", "influencer", None), ("creator", "influencer", None),
     ("ambassador", "ambassador", None), ("Ambassadeur", "ambassador", None),
     ("Brand Ambassador", "ambassador", None), ("employee", "ambassador", "employee"),
     ("Salarié", "ambassador", "employee"), ("customer", "ambassador", "customer"),
     ("Cliente", "ambassador", "customer"), ("", "influencer", None)],
)  # fmt: skip
def test_relationship_aliases(cell, relationship, kind):
    got = row(load("handle,platform,followers,type", f"@a,ig,100,{cell}"), "@a")
    assert got["relationship"] == relationship
    assert (
        got.get("ambassador_kind") if isinstance(got.get("ambassador_kind"), str) else None
    ) == kind


def test_relationship_defaults_to_influencer_without_the_column():
    result = load("handle,platform,followers", "@a,ig,100")
    assert result.table["relationship"].tolist() == ["influencer"]


def test_ambassador_kind_column_implies_an_ambassador():
    result = load("handle,platform,followers,ambassador_kind", "@a,ig,100,employee", "@b,ig,100,")
    assert result.table["relationship"].tolist() == ["ambassador", "influencer"]


def test_unknown_relationship_is_a_bad_cell():
    result = load(
        "handle,platform,followers,relationship", "@a,ig,100,sponsor-ish", "@b,ig,100,paid"
    )
    assert codes(result) == [(2, "relationship_unknown")]
    assert result.problems[0].value == "sponsor-ish"


# --- mapping --------------------------------------------------------------------------------


def test_mapping_overrides_detection():
    result = load(
        "who,where,audience_size,followers",
        "@a,ig,5000,12",
        mapping={"who": "handle", "where": "platform", "audience_size": "followers"},
    )
    assert result.mapping == {"who": "handle", "where": "platform", "audience_size": "followers"}
    assert row(result, "@a")["followers"] == 5000
    assert result.unmapped_columns == ["followers"]


def test_mapping_can_ignore_a_column():
    result = load("handle,platform,followers,price", "@a,ig,100,50", mapping={"price": None})
    assert result.unmapped_columns == ["price"]
    assert bool(row(result, "@a")["cost_estimated"]) is True


def test_mapping_naming_a_missing_column_is_an_error():
    with pytest.raises(IngestError) as err:
        load(HEADER, ROWS[0], mapping={"Abonnés": "followers"})
    assert err.value.code == "mapping_source" and "Abonnés" in err.value.message


def test_mapping_to_an_unknown_column_is_an_error():
    with pytest.raises(IngestError) as err:
        load(HEADER, ROWS[0], mapping={"handle": "shoe_size"})
    assert err.value.code == "mapping_target"


def test_unmapped_columns_are_listed_not_errors():
    result = load("handle,platform,followers,Notes,Agent email,", "@a,ig,100,nice,a@b.c,")
    assert result.unmapped_columns == ["Notes", "Agent email"]
    assert result.problems == []


def test_extra_recognised_columns_are_kept():
    result = load("handle,platform,followers,name,niche,country", "@a,ig,100,Ann,food,FR")
    assert {"name": "Ann", "niche": "food", "country": "FR"}.items() <= row(result, "@a").items()


# --- bad rows and duplicates ----------------------------------------------------------------


def test_bad_rows_are_reported_with_line_column_and_value_and_good_rows_kept():
    result = load(
        "Pseudo,Réseau,Abonnés,Likes,Cost",
        "@ok,instagram,1000,10,5",
        ",instagram,1000,10,5",
        "@p,myspace,1000,10,5",
        "@f,instagram,lots,10,5",
        "@n,instagram,-5,10,5",
        "@c,instagram,1000,10,-20",
        "@l,instagram,1000,many,5",
        "@m,,1000,10,5",
        "@z,instagram,,10,5",
    )
    got = [(p.line, p.column, p.value, p.code) for p in result.problems]
    assert got == [
        (3, "Pseudo", "", "handle_missing"),
        (4, "Réseau", "myspace", "platform_unknown"),
        (5, "Abonnés", "lots", "number_invalid"),
        (6, "Abonnés", "-5", "followers_not_positive"),
        (7, "Cost", "-20", "number_negative"),
        (8, "Likes", "many", "number_invalid"),
        (9, "Réseau", "", "platform_missing"),
        (10, "Abonnés", "", "followers_missing"),
    ]
    assert result.table["handle"].tolist() == ["@ok"]
    assert result.rows_read == 9 and result.rows_kept == 1


def test_one_problem_per_bad_cell():
    result = load("handle,platform,followers,likes", "@a,myspace,abc,-1")
    assert [p.field for p in result.problems] == ["platform", "followers", "avg_likes"]
    assert result.table.empty


def test_problem_messages_are_translated():
    en = load(HEADER, "@a,myspace,100,1,1,1").problems[0].message
    fr = load(HEADER, "@a,myspace,100,1,1,1", lang="fr").problems[0].message
    assert "myspace" in en and "myspace" in fr and en != fr
    assert fr == t("ingest.problem.platform_unknown", "fr", value="myspace", column="Plateforme")


def test_duplicates_are_merged_and_reported():
    result = load(
        "handle,platform,followers,avg_likes,avg_comments,cost_per_post",
        "@Lena,instagram,1000,,5,100",
        "@b,instagram,10,1,1,1",
        "lena,ig,5000,200,,",
        "@LENA,tiktok,7000,1,1,1",
    )
    assert result.duplicates_merged == 1
    assert codes(result) == [(2, "duplicate")]
    assert "4" in result.problems[0].message
    kept = result.table[result.table["platform"] == "instagram"].set_index("handle")
    assert kept.loc["lena", "followers"] == 5000  # the row with the most followers wins
    assert kept.loc["lena", "avg_likes"] == 200
    assert kept.loc["lena", "avg_comments"] == 5  # gaps filled from the merged row
    assert kept.loc["lena", "cost_per_post"] == 100
    assert not kept.loc["lena", "cost_estimated"]
    assert result.table["line"].tolist() == [3, 4, 5]
    assert result.rows_read == 4 and result.rows_kept == 3


def test_missing_optional_columns_get_the_benchmark_cost():
    result = load("handle,platform,followers", "@a,instagram,50000", "@b,youtube,2000000")
    grid = load_benchmarks().grid("cost")
    assert result.table["cost_estimated"].tolist() == [True, True]
    assert result.table["cost_per_post"].tolist() == [grid[0, 1], grid[2, 4]]
    assert result.table["tier"].tolist() == ["micro", "mega"]
    assert result.table["avg_likes"].isna().all()


# --- refused files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml xl/workbook.xml", "excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "excel"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"just some words\nand more words\n", "not_csv"),
        (b"", "empty"),
        (b"  \r\n\n\t\n", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"handle,platform,followers\n", "header_only"),
        (b"handle,platform,followers\r\n\r\n,,\n\n", "header_only"),
        (b"colour,shape,size\nred,round,3\n", "no_header"),
        (b"handle,followers\n@a,100\n", "missing_columns"),
    ],
)
def test_unusable_files_raise_one_clear_error(data, code):
    with pytest.raises(IngestError) as err:
        load_creators(data)
    assert err.value.code == code
    assert err.value.message == str(err.value) and len(err.value.message) > 20


def test_missing_column_error_names_it_in_the_users_language():
    with pytest.raises(IngestError) as err:
        load_creators(b"pseudo;abonnes\n@a;100\n", lang="fr")
    assert "Plateforme" in err.value.message and "manque" in err.value.message


def test_excel_error_says_how_to_save_as_csv():
    with pytest.raises(IngestError) as err:
        load_creators(b"PK\x03\x04", lang="fr")
    assert "CSV UTF-8" in err.value.message and "classeur Excel" in err.value.message


# --- sources, sample and schema -------------------------------------------------------------


def test_sources_path_str_bytes_binary_and_text_file_objects(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(HEADER, *ROWS))
    for source in (path, str(path), path.read_bytes(), io.BytesIO(path.read_bytes()),
                   io.StringIO(path.read_text()), path.open("rb")):  # fmt: skip
        assert load_creators(source).rows_kept == 2
    assert load_creators(path).label == "list.csv"
    assert load_creators(path.read_bytes(), label="Q3 shortlist").label == "Q3 shortlist"


def test_empty_file_on_disk(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(IngestError):
        load_creators(tmp_path / "empty.csv")


def test_sample_list_loads_without_problems():
    result = load_creators(SAMPLE)
    assert result.problems == [] and result.unmapped_columns == []
    assert result.rows_read == result.rows_kept == 800
    assert result.summary()["problems"] == 0 and result.encoding == "utf-8"
    assert result.table["line"].tolist() == list(range(2, 802))


def test_table_rows_match_the_documented_schema():
    table = load_creators(SAMPLE).table
    for record in table.sample(50, random_state=1).to_dict("records"):
        clean = {
            k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in record.items()
        }
        CreatorRow.model_validate(clean)
    schema = CreatorRow.model_json_schema()
    assert set(schema["properties"]) == set(table.columns)


def test_summary_and_description():
    result = load(HEADER, *ROWS, "@a,myspace,1,1,1,1", "@lena,instagram,10,1,1,1")
    summary = result.summary()
    assert summary["rows_read"] == 4 and summary["rows_kept"] == 2
    assert summary["rows_skipped"] == 1 and summary["duplicates_merged"] == 1
    assert summary["problems"] == 2
    assert "2" in result.describe("fr") and "doublons" in result.describe("fr")


# --- property: nothing is lost silently ------------------------------------------------------

JUNK = st.text(alphabet="ab é,;\t\"'=\n", max_size=8)
GOOD_FOLLOWERS = st.sampled_from(["1200", "12.5K", "1 234", "3,4k", "1.2M", "  77 ", "5e3"])
BAD_FOLLOWERS = st.sampled_from(["abc", "-5", "0", "", "12..5", "1,2,3,4"])
GOOD_PLATFORMS = st.sampled_from(
    ["instagram", "IG", "Insta", "tiktok", "YT", "x", "Twitter", "blog"]
)
HEADERS = {
    "handle": ["handle", "Pseudo", "Username", "Compte"],
    "platform": ["platform", "Réseau", "Network"],
    "followers": ["followers", "Abonnés", "Subscribers"],
    "notes": ["notes", "Commentaire libre"],
}


@st.composite
def messy_files(draw):
    """A CSV written like a spreadsheet would, with random good and bad rows; returns the
    bytes and, for each data row, (line, handle, must_be_reported)."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    order = draw(st.permutations(list(HEADERS)))
    header = [draw(st.sampled_from(HEADERS[name])) for name in order]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    expected = []
    for i in range(draw(st.integers(1, 20))):
        if draw(st.booleans()) and draw(st.booleans()):
            buffer.write(newline)  # a stray blank line
        kind = draw(st.sampled_from(["good", "good", "followers", "platform", "handle", "ragged"]))
        cells = {
            "handle": f"@user{i}" if kind != "handle" else "",
            "platform": draw(GOOD_PLATFORMS) if kind != "platform" else "myspace",
            "followers": draw(BAD_FOLLOWERS if kind == "followers" else GOOD_FOLLOWERS),
            "notes": draw(JUNK),
        }
        line = buffer.getvalue().count("\n") + 1
        text = io.StringIO()
        csv.writer(text, delimiter=delimiter, lineterminator=newline).writerow(
            [cells[n] for n in order]
        )
        record = text.getvalue()
        if kind == "ragged":
            record = record[: -len(newline)] + delimiter + "extra" + delimiter + "x" + newline
        buffer.write(record)
        expected.append((line, cells["handle"], kind != "good"))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return buffer.getvalue().encode(encoding), expected


@given(messy_files())
def test_every_row_is_kept_or_reported_never_both_never_lost(case):
    data, expected = case
    try:
        result = load_creators(data)
    except IngestError:
        return
    kept = dict(zip(result.table["line"].tolist(), result.table["handle"].tolist(), strict=True))
    reported = {p.line for p in result.problems}
    assert result.rows_read == len(expected)
    for line, handle, bad in expected:
        assert (line in kept) != (line in reported), (line, handle)
        if line in kept:
            assert kept[line] == handle
        if bad:
            assert line in reported
    assert set(kept) | reported <= {line for line, _, _ in expected}


@given(st.binary(max_size=300))
def test_random_bytes_never_crash(data):
    with contextlib.suppress(IngestError):
        load_creators(data)


# --- hostile files (issue 9): nothing lost, numbers bounded ----------------------------------

ROWS_1000 = ["handle,platform,followers"] + [f"@u{i},instagram,{1000 + i}" for i in range(2, 1001)]


def _accounted(load: CreatorLoad) -> tuple[list[int], list[int]]:
    kept = load.table["line"].tolist()
    reported = sorted({p.line for p in load.problems if p.code != "duplicate"})
    return kept, reported


@pytest.mark.parametrize("where", [2, 12, 500, 1000])
def test_an_unclosed_quote_is_reported_where_it_opens_and_nothing_after_it_is_lost(where):
    rows = list(ROWS_1000)
    rows[where - 1] = '"' + rows[where - 1]
    load = load_creators("\n".join(rows).encode())
    kept, reported = _accounted(load)
    assert reported == [where]
    assert [p.code for p in load.problems] == ["unclosed_quote"]
    assert str(1000 - where) in load.problems[0].message  # what happened to the rest
    assert sorted(kept + reported) == list(range(2, 1001))  # every line, once
    assert load.rows_read == 999 and load.rows_kept == 998


def test_an_unclosed_quote_closed_by_a_stray_quote_far_below_loses_nothing():
    rows = list(ROWS_1000)
    rows[11] = '"' + rows[11]
    rows[599] = rows[599].replace("instagram", 'insta"gram')  # a stray quote closes it
    kept, reported = _accounted(load_creators("\n".join(rows).encode()))
    assert 12 in reported and not set(kept) & set(reported)
    assert sorted(kept + reported) == list(range(2, 1001))


def test_a_real_multi_line_value_is_still_one_row():
    data = b'handle,name,platform,followers\n@a,"Ann\nSmith",ig,100\n@b,Bob,ig,200\n'
    load = load_creators(data)
    assert load.problems == [] and load.table["line"].tolist() == [2, 4]
    assert load.table["name"].tolist() == ["Ann\nSmith", "Bob"]


@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n"])
def test_both_parsing_paths_count_lines_the_same_after_a_bare_cr(newline):
    """Pyarrow reads a lone CR as a line break; editors and the exact reader count it too."""
    body = [f"@u{i},instagram,{1000 + i}" for i in range(2, 3000)]
    body[5] = body[5] + "\r" + "@cr,instagram,777"  # one old-Mac line end in the middle
    data = ("handle,platform,followers" + newline + newline.join(body) + newline).encode()
    load = load_creators(data)
    lines = dict(zip(load.table["handle"], load.table["line"], strict=True))
    assert lines["@u2"] == 2 and lines["@cr"] == 8 and lines["@u7"] == 7 and lines["@u8"] == 9
    assert load.table["line"].is_monotonic_increasing and load.problems == []


@pytest.mark.parametrize("sep", ["\t", ";", ","])
def test_excel_sep_hint_line_for_every_delimiter(sep):
    data = f"sep={sep}\nhandle{sep}platform{sep}followers\n@a{sep}ig{sep}10\n".encode()
    load = load_creators(data)
    assert load.delimiter == sep and load.rows_kept == 1 and load.table["line"].tolist() == [3]


@pytest.mark.parametrize("position", [3, 5_000, 40_000])
def test_nul_bytes_are_reported_on_their_line_anywhere_in_the_file(position):
    rows = ["handle,platform,followers"] + [f"@u{i},ig,{i + 1}" for i in range(2, 40_002)]
    rows[position - 1] = rows[position - 1].replace(",ig", "\0,ig")
    data = "\n".join(rows).encode()
    assert data.index(b"\0") > 64 * 1024 or position < 100
    load = load_creators(data)
    assert [(p.line, p.code) for p in load.problems] == [(position, "nul_byte")]
    assert "\0" not in "".join(load.table["handle"]) and load.rows_kept == 40_000 - 1


@pytest.mark.parametrize(
    "header", ["handle,platform,foo,foo", "Pseudo;Plateforme;Portée;;", "handle,,platform,"]
)
def test_repeated_or_empty_headers_get_recognisable_names(header):
    delimiter = ";" if ";" in header else ","
    shown = read_header(header.encode() + b"\n" + delimiter.join(["x"] * 5).encode())
    assert len(set(shown)) == len(shown) == len(header.split(delimiter))
    assert all(name.strip() for name in shown)
    assert display_headers(["a", "", "a"]) == ["a (column 1)", "column 2", "a (column 3)"]
    assert display_headers(["", "b"], "fr") == ["colonne 1", "b"]


def test_a_missing_column_with_repeated_headers_is_a_clear_error_then_maps_by_position():
    data = b"handle,platform,foo,foo\n@a,ig,1,2\n@b,ig,3,4\n"
    with pytest.raises(IngestError) as error:
        load_creators(data)
    assert error.value.code == "missing_columns"
    load = load_creators(data, mapping={3: "followers"})
    assert load.table["followers"].tolist() == [2, 4]
    assert load.columns == ["handle", "platform", "foo (column 3)", "foo (column 4)"]
    assert load.fields == {0: "handle", 1: "platform", 3: "followers"}
    assert load.unmapped_columns == ["foo (column 3)"]
    same = load_creators(data, mapping={"foo (column 4)": "followers"})
    assert same.table["followers"].tolist() == [2, 4]


@pytest.mark.parametrize(
    ("column", "cell", "code"),
    [
        ("followers", "1e19", "number_too_large"),
        ("followers", "-5", "followers_not_positive"),
        ("followers", "0.4", "followers_not_positive"),
        ("followers", "6e9", "number_too_large"),
        ("followers", "inf", "number_invalid"),
        ("followers", "nan", "number_invalid"),
        ("followers", "9e307M", "number_invalid"),
        ("cost", "1e308 €", "number_too_large"),
        ("cost", "200000000", "number_too_large"),
        ("cost", "-3", "number_negative"),
        ("cost", "inf", "number_invalid"),
        ("cost", "NaN", "number_invalid"),
        ("likes", "1e300", "number_too_large"),
        ("er", "250%", "number_too_large"),
    ],
)
def test_numbers_out_of_bounds_are_reported_never_kept(column, cell, code):
    good = {"followers": "100", "likes": "1", "cost": "5", "er": "1%"}
    bad = {**good, column: cell}
    data = "handle;platform;" + ";".join(good) + "\n"
    data += "@ok;ig;" + ";".join(good.values()) + "\n@x;ig;" + ";".join(bad.values()) + "\n"
    load = load_creators(data.encode())
    assert [(p.line, p.code) for p in load.problems] == [(3, code)]
    assert load.table["handle"].tolist() == ["@ok"]


def test_numbers_in_numeric_columns_are_checked_too():
    """Cells pyarrow parses as floats (nan, inf, 1e400) go through the same checks."""
    rows = ["handle,platform,followers,cost"] + [f"@u{i},ig,{i + 10},{i}.5" for i in range(2000)]
    rows[10] = "@nan,ig,nan,1.5"
    rows[20] = "@inf,ig,100,inf"
    rows[30] = "@big,ig,1e19,1.5"
    load = load_creators("\n".join(rows).encode())
    assert [(p.line, p.code) for p in load.problems] == [
        (11, "number_invalid"), (21, "number_invalid"), (31, "number_too_large")]  # fmt: skip
    table = load.table
    for name, (low, high) in BOUNDS.items():
        if name in table:
            values = table[name].dropna()
            assert ((values >= low) & (values <= high)).all(), name
