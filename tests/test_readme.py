"""The README's notebook example runs as written (an analyst copies it into a notebook)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_notebook_example_runs():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using the core from a notebook", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    plan = namespace["plan"]
    assert plan.objective.key == "effective_reach"  # type: ignore[attr-defined]
    assert len(plan.candidates) == 3  # type: ignore[attr-defined]
    curves = namespace["curves"]
    assert curves.recommended.family == "recommended"  # type: ignore[attr-defined]
    assert namespace["reach"].question == "target"  # type: ignore[attr-defined]


def test_the_results_example_runs():
    text = README.read_text(encoding="utf-8")
    section = text.split("### After the campaign", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    results = namespace["results"]
    assert [(p.line, p.code) for p in results.problems] == [(4, "number_invalid")]  # type: ignore[attr-defined]
    learnt = namespace["learnt"]
    assert learnt.campaigns == 1 and learnt.figures  # type: ignore[attr-defined]
