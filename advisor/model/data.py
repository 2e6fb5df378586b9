"""Where the bundled data lives: `advisor/data/`, shipped inside the package.

Read through `importlib.resources`, so an installed `campaign-advisor` (a wheel, `pip install .`)
finds the same files as a checkout. `DATA_DIR` is a real folder: wheels install to the file
system; a zipped install is extracted once for the life of the process.
"""

from __future__ import annotations

import atexit
import contextlib
from importlib.resources import as_file, files
from pathlib import Path


def _data_dir() -> Path:
    resource = files("advisor") / "data"
    if isinstance(resource, Path):
        return resource
    stack = contextlib.ExitStack()  # not on the file system (zip): a temporary copy
    atexit.register(stack.close)
    return Path(stack.enter_context(as_file(resource)))


DATA_DIR: Path = _data_dir()
"""The bundled data folder: `benchmarks/` and `creators.csv`."""
BENCHMARK_DIR: Path = DATA_DIR / "benchmarks"
SAMPLE_CREATORS: Path = DATA_DIR / "creators.csv"
"""The synthetic sample creator list (made by `data/generate_creators.py` in the checkout)."""
