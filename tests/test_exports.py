"""Downloads open safely in a spreadsheet: no formula runs, accents survive, numbers stay."""

import csv
import io
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.creators.ingest import CANONICAL, load_creators
from advisor.present.exports import (
    IGNORABLE,
    neutral_text,
    neutralise_formulas,
    problems_frame,
    template_csv,
    to_csv_bytes,
)

ATTACKS = ['=HYPERLINK("http://evil.example","click")', "+1", "-2+3", "@SUM(A1:A9)", "\tx", "\rx",
           "=1+1", "-cmd|' /C calc'!A0"]  # fmt: skip


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


@pytest.mark.parametrize("cell", ATTACKS)
def test_formula_cells_are_neutralised_in_csv_bytes(cell):
    rows = parse(to_csv_bytes(pd.DataFrame({"handle": [cell], "followers": [10]})))
    assert rows[1] == ["'" + cell, "10"]


def test_plain_negative_numbers_stay_numbers():
    frame = pd.DataFrame({"n": [-5, 3], "x": [-2.5, np.nan], "text": ["-7", "-1.5"]})
    rows = parse(to_csv_bytes(frame))
    assert rows[1:] == [["-5", "-2.5", "-7"], ["3", "", "-1.5"]]
    assert neutralise_formulas(frame)["n"].dtype == frame["n"].dtype


def test_object_columns_with_numbers_and_text():
    frame = pd.DataFrame({"mixed": [-3, "=evil()", None, 2.5, "ok"]}, dtype=object)
    out = neutralise_formulas(frame)["mixed"].tolist()
    assert out[0] == -3 and out[1] == "'=evil()" and out[3] == 2.5 and out[4] == "ok"


def test_headers_and_categorical_cells_are_neutralised_and_input_untouched():
    frame = pd.DataFrame({"=bad": pd.Categorical(["@x", "y"]), "ok": ["a", "b"]})
    out = neutralise_formulas(frame)
    assert list(out.columns) == ["'=bad", "ok"] and out["'=bad"].tolist() == ["'@x", "y"]
    assert frame["=bad"].tolist() == ["@x", "y"]


def test_bytes_have_a_bom_and_keep_accents():
    data = to_csv_bytes(pd.DataFrame({"name": ["Zoé Crème", "Łukasz"]}))
    assert data.startswith(b"\xef\xbb\xbf") and "Zoé Crème".encode() in data


def test_problems_frame_lists_every_problem_in_order():
    load = load_creators(b"handle,platform,followers\n@a,myspace,1\n,ig,2\n@c,ig,=1+1\n")
    frame = problems_frame(load)
    assert list(frame.columns) == ["line", "column", "value", "message"]
    assert frame["line"].tolist() == [2, 3, 4]
    assert frame["value"].tolist() == ["myspace", "", "=1+1"]
    assert parse(to_csv_bytes(frame))[3][2] == "'=1+1"
    assert list(problems_frame(load, "fr").columns) == ["Ligne", "Colonne", "Valeur", "Problème"]


def test_problems_frame_of_a_clean_load_is_empty():
    assert problems_frame(load_creators(template_csv())).empty


def test_template_has_the_canonical_header_and_three_rows_that_load_cleanly():
    rows = parse(template_csv())
    assert rows[0] == list(CANONICAL) and len(rows) == 4
    load = load_creators(template_csv())
    assert load.problems == [] and load.rows_kept == 3
    assert load.table["cost_estimated"].tolist() == [False, True, True]
    assert load.table["relationship"].tolist() == ["influencer", "influencer", "ambassador"]


def test_an_exported_table_loads_back_with_the_same_handles():
    load = load_creators(b"handle,platform,followers\n@a,ig,100\n@b,tiktok,2000\n")
    again = load_creators(to_csv_bytes(load.table))
    assert again.problems == []
    assert again.table["handle"].tolist() == ["@a", "@b"]


# --- every export, read back by a spreadsheet that splits on `,`, `;` or tab ----------------


# Handles and values an attacker would type, including the issue's `;`-split payload.
HOSTILE = (
    "a;=cmd|' /C calc'!A0;b", "x,=1+1,y", "x\t@SUM(A1)", "  =1+1", "\u200b=1+1", "\ufeff+1",
    "\u00a0-2+3", '"=1"', "a; \u200b @x", "ok\n=1", "ok\r+1", "\t=1", "=\t=1", "-1+2", "@",
    "name;-cmd", 'x;"=y"', "a\u2028=1", "a,\u3000=1", "e;\x0b=1", "-", "-5,=6",
)  # fmt: skip
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?")
# A negative number in a numeric column, seen by a reader that does not split on our comma.
NUMBER_FIELD = re.compile(r"-[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?,")
STRIP = '"' + IGNORABLE  # what a reader may skip before the first character


def formula_cells(data: bytes) -> list[tuple[str, str]]:
    """Cells that start a formula when the export is split on `,`, `;` or tab (or any line
    break), after stripping quotes, spaces, zero-width characters and the BOM."""
    found = []
    for line in data.decode("utf-8-sig").splitlines():
        for separator in (",", ";", "\t"):
            for cell in line.split(separator):
                text = cell.strip().lstrip(STRIP).strip()
                if not text or text[0] not in "=+-@":
                    continue
                if PLAIN_NUMBER.fullmatch(text.rstrip(STRIP)) or NUMBER_FIELD.match(text):
                    continue  # a negative number is data
                found.append((separator, cell))
    return found


def test_the_checker_finds_formulas_in_an_unneutralised_file():
    raw = pd.DataFrame({"h": list(HOSTILE)}).to_csv(index=False).encode()
    assert len(formula_cells(raw)) >= len(HOSTILE) - 2


@pytest.mark.parametrize("cell", HOSTILE)
def test_no_piece_of_a_hostile_cell_starts_a_formula(cell):
    data = to_csv_bytes(pd.DataFrame({"handle": [cell], "followers": [10], "delta": [-4.5]}))
    assert formula_cells(data) == []
    rows = parse(data)
    assert rows[1][1:] == ["10", "-4.5"]  # numbers stay numbers, negatives included
    assert rows[1][0].replace("'", "") == cell.replace("'", "")  # only apostrophes added


def test_every_text_field_is_quoted_and_numbers_are_bare():
    frame = pd.DataFrame({"handle": ["a", "12"], "n": [1, -2], "x": [0.5, None]})
    lines = to_csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert lines == ['"handle","n","x"', '"a",1,0.5', '"12",-2,""']


def test_the_issue_payload_is_split_safely():
    out = neutral_text("a;=cmd|' /C calc'!A0;b")
    assert out == "a;'=cmd|' /C calc'!A0;b"
    assert neutral_text("\t=1") == "'\t'=1" and neutral_text("-12.5") == "-12.5"
    assert neutral_text(" \u200b@x") == " \u200b'@x" and neutral_text("-1+2") == "'-1+2"


@given(
    st.text(alphabet=st.sampled_from(list("=+-@\t\r\n,;\" '\u200b\ufeff\u00a0ab1.")), max_size=20)
)
def test_neutral_text_only_adds_apostrophes_and_leaves_no_formula(text):
    out = neutral_text(text)
    assert out.replace("'", "") == text.replace("'", "")
    data = to_csv_bytes(pd.DataFrame({"text": [text], "n": [-1]}))
    assert formula_cells(data) == []
    assert parse(data)[1] == [out, "-1"]


HOSTILE_FILE = "\n".join(
    ["handle;platform;followers;likes;niche;name"]
    + [f'"{h.replace(chr(34), chr(34) * 2)}";instagram;{1000 + i};10;"{h}";"=2+{i}"'
       for i, h in enumerate(h for h in HOSTILE if "\n" not in h and "\r" not in h)]
    + ['"bad;=1";instagram;=1+1;10;x;y', '"@ok";myspace;12;1;"-1+2";z']
).encode()  # fmt: skip


def test_every_export_of_a_hostile_file_is_safe_in_every_split():
    load = load_creators(HOSTILE_FILE)
    assert load.rows_kept >= len(HOSTILE) - 5 and len(load.problems) >= 2  # preconditions
    exports = {
        "table": to_csv_bytes(load.table),
        "problems": to_csv_bytes(problems_frame(load)),
        "problems_fr": to_csv_bytes(problems_frame(load, "fr")),
        "template": template_csv(),
    }
    for name, data in exports.items():
        assert formula_cells(data) == [], name


def test_the_weekly_plan_export_is_safe():
    from advisor import CampaignBrief, recommend

    frame = recommend(CampaignBrief(goal="brand_awareness", budget=20_000, weeks=8)).projection
    assert formula_cells(to_csv_bytes(frame.to_frame())) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize("separators", ["44", "59", "9", "44/59/9"])
def test_libreoffice_evaluates_no_formula_in_our_export(tmp_path, separators):
    """LibreOffice Calc imports the export with formulas evaluated (token 13), split on
    `separators`; the flat ODS it writes must hold no formula. The same import of the raw
    cells must find formulas, so a broken harness cannot pass."""
    cells = pd.DataFrame({"handle": list(HOSTILE), "n": range(len(HOSTILE))})
    options = f"{separators},34,76,1,,0,false,true,false,false,false,-1,true"

    def formulas(data: bytes, stem: str) -> int:
        source = tmp_path / f"{stem}.csv"
        source.write_bytes(data)
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
             f"--infilter=CSV:{options}", "--convert-to", "fods", "--outdir", str(tmp_path),
             str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        return (tmp_path / f"{stem}.fods").read_text(encoding="utf-8").count("table:formula=")

    raw = cells.to_csv(index=False).encode()
    assert formulas(raw, "raw") > 0
    assert formulas(to_csv_bytes(cells), "safe") == 0


# --- downloads in the user's language: delimiter, decimal mark, headers ------------------------


def parse_fr(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=";"))


def test_french_csv_splits_on_semicolons_with_decimal_commas_and_bare_numbers():
    frame = pd.DataFrame({"nom": ["a;b", "12,5"], "n": [1, -2], "x": [0.5, -0.0]})
    frame["y"] = [None, 3.25]
    lines = to_csv_bytes(frame, "fr").decode("utf-8-sig").splitlines()
    assert lines == ['"nom";"n";"x";"y"', '"a;b";1;0,5;""', '"12,5";-2;0,0;3,25']
    assert parse_fr(to_csv_bytes(frame, "fr"))[1] == ["a;b", "1", "0,5", ""]
    assert to_csv_bytes(frame, "en") == to_csv_bytes(frame)  # English: `,` and `.`


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("cell", HOSTILE)
def test_hostile_cells_and_headers_are_neutral_in_every_language(cell, lang):
    data = to_csv_bytes(pd.DataFrame({cell: [cell], "followers": [10], "delta": [-4.5]}), lang)
    assert formula_cells(data) == []
    rows = parse_fr(data) if lang == "fr" else parse(data)
    assert rows[1][1:] == (["10", "-4,5"] if lang == "fr" else ["10", "-4.5"])
    assert rows[0][0].replace("'", "") == rows[1][0].replace("'", "") == cell.replace("'", "")


@pytest.fixture(scope="module")
def awareness_plan():
    from advisor import CampaignBrief, recommend

    return recommend(CampaignBrief(goal="brand_awareness", budget=20_000, currency="EUR", weeks=8))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_weekly_csv_is_rounded_translated_and_explained(awareness_plan, lang):
    from advisor.locale.i18n import t
    from advisor.present.exports import WEEKLY_COLUMNS, weekly_csv

    data = weekly_csv(awareness_plan, lang)
    rows = parse_fr(data) if lang == "fr" else parse(data)
    header, body = rows[0], rows[1:]
    assert header == [t(f"export.weekly.{name}", lang, currency="EUR") for name in WEEKLY_COLUMNS]
    assert "(p50)" in header[3] and "EUR" in header[-1]
    assert len(body) == len(awareness_plan.projection.to_frame())
    strategies = {t(f"strategy.{s.strategy}", lang) for s in awareness_plan.projection.series}
    assert {row[0] for row in body} == strategies
    for row in body:
        assert all(re.fullmatch(r"[0-9]+", cell) for cell in row[1:-1]), row  # whole people
        assert re.fullmatch(r"[0-9]+([.,][0-9]{1,2})?", row[-1]), row  # spend to the cent
        assert not row[-1].startswith("-")
        assert ("." not in row[-1]) if lang == "fr" else ("," not in row[-1])
    assert formula_cells(data) == []
    assert b"-0.0" not in data and b"-0,0" not in data


def test_booleans_are_written_in_the_download_s_language():
    frame = pd.DataFrame({"x": [True, False], "y": [1.5, 2.0]})
    assert to_csv_bytes(frame, "fr").decode("utf-8-sig").split("\r\n")[1:3] == [
        '"Oui";1,5',
        '"Non";2,0',
    ]
    assert to_csv_bytes(frame, "en").decode("utf-8-sig").split("\r\n")[1] == '"Yes",1.5'
    assert to_csv_bytes(frame).decode("utf-8-sig").split("\r\n")[1] == "True,1.5"
