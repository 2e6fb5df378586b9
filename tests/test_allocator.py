"""`advisor.model.allocator`: glibc's allocator set for the processes that compute plans."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from advisor.model import allocator

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not GLIBC, reason="glibc only")
def test_glibc_takes_the_setting_and_plans_stay_the_same() -> None:
    script = (
        "import sys; from advisor import CampaignBrief, recommend; "
        "from advisor.model import allocator; "
        "tuned = sys.argv[1] == '1' and allocator.for_plans(); "
        "b = CampaignBrief(goal='brand_awareness', budget=60_000, weeks=52, advocates=500); "
        "print(tuned, recommend(b).model_dump_json())"
    )
    out = {}
    for flag in ("0", "1"):
        done = subprocess.run(
            [sys.executable, "-c", script, flag], capture_output=True, text=True, check=True
        )
        tuned, plan = done.stdout.strip().split(" ", 1)
        out[flag] = (tuned, plan)
    assert out["1"][0] == "True"  # glibc took both parameters
    assert out["0"][0] == "False"
    assert out["0"][1] == out["1"][1]  # where arrays live changes no figure


def test_elsewhere_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator.for_plans() is False
