"""Speed and memory of `load_creators` on a million-row list, against a bare pandas read.

Run by `make bench` (not by `make test`). Prints the figures; asserts the generous bounds of
the issue: load + validate + audit within 2x `pandas.read_csv(path, engine="pyarrow")` (best
of 3 each, interleaved in the same run so machine load hits both alike) and a peak resident
memory under 1.5 GB for a process that only loads.
"""

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from advisor.ingest import load_creators

ROOT = Path(__file__).resolve().parents[2]
ROWS = 1_000_000
MAX_RATIO = 2.0
MAX_PEAK_BYTES = 1.5 * 1024**3
# VmHWM is the peak of the child's own address space. (ru_maxrss would not do: Linux carries
# it across exec, so it includes the forked copy of this test process and its big tables.)
CHILD = """import resource, sys
{load}
try:
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(kb * 1024)
"""


@pytest.fixture(scope="module")
def million_rows(tmp_path_factory) -> Path:
    """The canonical layout, written by the seeded generator another engineer maintains."""
    script = ROOT / "data" / "generate_creators.py"
    if not script.exists():
        pytest.skip("data/generate_creators.py is missing")
    spec = importlib.util.spec_from_file_location("generate_creators", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("bench") / "creators_1m.csv"
    module.main(["--rows", str(ROWS), "--out", str(out)])
    return out


def _best_of_three(path: Path) -> tuple[float, float]:
    """Interleaved timings after one warm-up of each (imports, caches, thread pools)."""
    pd.read_csv(path, engine="pyarrow")
    load_creators(path)
    bare, ours = [], []
    for _ in range(3):
        start = time.perf_counter()
        pd.read_csv(path, engine="pyarrow")
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        load_creators(path)
        ours.append(time.perf_counter() - start)
    return min(bare), min(ours)


def _peak_bytes(load_statement: str, path: Path) -> int:
    """Peak resident memory of a fresh child process that does nothing but this one load."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(load=load_statement), str(path)],
        capture_output=True, text=True, check=True, cwd=ROOT, env=env,
    )  # fmt: skip
    return int(result.stdout.strip().splitlines()[-1])


def test_load_creators_speed_and_memory(million_rows):
    result = load_creators(million_rows)
    assert result.rows_kept == ROWS and result.problems == []
    bare, ours = _best_of_three(million_rows)
    peak = _peak_bytes(
        "from advisor.ingest import load_creators; load_creators(sys.argv[1])", million_rows
    )
    bare_peak = _peak_bytes(
        "import pandas as pd; pd.read_csv(sys.argv[1], engine='pyarrow')", million_rows
    )
    ratio = ours / bare
    print(
        f"\ningest {ROWS:,} rows: pandas.read_csv(pyarrow) {bare:.3f} s, load_creators "
        f"{ours:.3f} s, ratio {ratio:.2f} (bound {MAX_RATIO}); peak RSS load_creators "
        f"{peak / 2**20:.0f} MB vs bare read {bare_peak / 2**20:.0f} MB "
        f"(bound {MAX_PEAK_BYTES / 2**20:.0f} MB); flagged {result.summary()['flagged']}"
    )
    assert ratio <= MAX_RATIO
    assert peak < MAX_PEAK_BYTES
