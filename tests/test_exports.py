"""Downloads open safely in a spreadsheet: no formula runs, accents survive, numbers stay."""

import csv
import io

import numpy as np
import pandas as pd
import pytest

from advisor.exports import neutralise_formulas, problems_frame, template_csv, to_csv_bytes
from advisor.ingest import CANONICAL, load_creators

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
