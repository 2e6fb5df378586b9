"""`campaign-advisor`: a brief from flags or a JSON file in, a plan out as JSON, CSV or PDF;
a bad request is one line on stderr and exit code 2."""

from __future__ import annotations

import json

import pytest

from advisor import CampaignBrief, Plan, recommend
from advisor.cli import main
from advisor.model.data import SAMPLE_CREATORS


def test_flags_make_the_same_plan_as_the_library(tmp_path):
    out = tmp_path / "plan.json"
    argv = ["--goal", "event", "--budget", "8,000", "--currency", "eur", "--weeks", "6",
            "--platforms", "ig,tiktok", "--advocates", "40", "--region", "FR",
            "--order-value", "35", "-o", str(out)]  # fmt: skip
    assert main(argv) == 0
    plan = Plan.model_validate_json(out.read_text(encoding="utf-8"))
    brief = CampaignBrief(goal="event", budget=8000, currency="EUR", weeks=6,
                          platforms=("instagram", "tiktok"), advocates=40, region="FR",
                          order_value=35)  # fmt: skip
    assert plan.brief == brief
    assert plan.split == recommend(brief).split


def test_a_brief_file_with_flags_overriding_it(tmp_path):
    (tmp_path / "brief.json").write_text(json.dumps({"goal": "contest", "budget": 5000}))
    out = tmp_path / "plan.json"
    assert main(["--brief", str(tmp_path / "brief.json"), "--weeks", "3", "-o", str(out)]) == 0
    brief = Plan.model_validate_json(out.read_bytes()).brief
    assert (brief.goal, brief.budget, brief.weeks) == ("contest", 5000, 3)


def test_pdf_and_french_csv_by_extension_or_format(tmp_path, capsysbinary):
    assert main(["--goal", "event", "--budget", "8000", "-o", str(tmp_path / "p.pdf")]) == 0
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    assert main(["--budget", "8000", "--format", "csv", "--lang", "fr"]) == 0
    text = capsysbinary.readouterr().out.decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"Stratégie";"Semaine"')


def test_a_creator_list_is_planned_with(tmp_path):
    out = tmp_path / "plan.json"
    assert main(["--goal", "event", "--budget", "20000", "--creators", str(SAMPLE_CREATORS),
                 "-o", str(out)]) == 0  # fmt: skip
    assert Plan.model_validate_json(out.read_bytes()).creators


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--goal", "party"], "Goal: choose"),
        (["--budget", "-3"], "Budget: enter an amount greater than zero"),
        (["--bogus"], "unrecognized arguments"),
        (["-o", "plan.txt"], "Cannot tell the format from plan.txt"),
        (["--format", "pdf"], "A PDF needs an output file"),
        (["--creators", "no-such.csv"], "No creator list at no-such.csv"),
        (["--brief", "no-such.json"], "Cannot read no-such.json"),
        (["--goal", "fête", "--lang", "fr"], "Objectif"),
    ],
)
def test_a_bad_request_is_one_line_and_exit_code_2(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_an_unreadable_creator_list_is_named(tmp_path, capsys):
    bad = tmp_path / "list.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert main(["--creators", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(str(bad)) and err.count("\n") == 1
