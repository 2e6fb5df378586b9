"""Shared benchmark fixtures: large creator lists from the seeded sample generator."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def generated_csv() -> Callable[[Path, int], Path]:
    """`generated_csv(path, rows)` writes `rows` canonical creators with
    `data/generate_creators.py` (skips the benchmark when the generator is missing)."""
    script = ROOT / "data" / "generate_creators.py"
    if not script.exists():
        pytest.skip("data/generate_creators.py is missing")
    spec = importlib.util.spec_from_file_location("generate_creators", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def write(path: Path, rows: int) -> Path:
        module.main(["--rows", str(rows), "--out", str(path)])
        return path

    return write
