"""The checkout installs as a library: a wheel, installed into a fresh virtual environment
outside the checkout, runs the README's notebook examples and the `campaign-advisor` command
from an empty folder (the data ships inside the package).

Slow (a wheel build, ~20 s) but part of `make test`. The new environment has no dependencies
of its own: a `.pth` file lets it see the project environment's site-packages (a path line only,
so that environment's own editable install of the checkout is not loaded).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

pytestmark = pytest.mark.slow


def notebook_examples() -> str:
    """Every Python block of the README's notebook section, in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using the core from a notebook", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) >= 3
    return "\n".join(blocks)


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("install")
    source = base / "src"  # a copy: building in the checkout would leave build/ and egg-info
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "advisor", source / "advisor",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(base / "dist"),
          str(source)], base, env)  # fmt: skip
    (wheel,) = (base / "dist").glob("campaign_advisor-*.whl")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], base, env)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
          "--no-deps", str(wheel)], base, env)  # fmt: skip
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                   base, env).stdout.strip()  # fmt: skip
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib) / "project_deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    work = base / "work"  # an empty folder: no checkout, no data/ next to it
    work.mkdir()
    env["ADVISOR_DATA_DIR"] = str(base / "var")  # the README's store example saves a plan
    env.pop("DATABASE_URL", None)
    return venv, env | {"HOME": str(base)}


def test_the_wheel_holds_the_data_and_the_package_is_the_installed_one(installed):
    venv, env = installed
    work = venv.parent / "work"
    code = (
        "import advisor, json; from advisor.model.data import DATA_DIR; "
        "print(json.dumps([advisor.__file__, str(DATA_DIR), sorted(p.name for p in "
        "(DATA_DIR / 'benchmarks').glob('*.csv')), (DATA_DIR / 'creators.csv').is_file(), "
        "advisor.t('strategy.ambassador', 'fr')]))"
    )
    out = json.loads(_run([str(venv / "bin" / "python"), "-c", code], work, env).stdout)
    assert Path(out[0]).is_relative_to(venv) and Path(out[1]).is_relative_to(venv)
    assert "fx_rates.csv" in out[2] and "sources.csv" in out[2] and out[3]
    assert out[4] == "Relations durables"
    assert (Path(out[0]).parent / "py.typed").is_file()
    assert (Path(out[0]).parent / "store" / "migrations" / "script.py.mako").is_file()


def test_the_readme_notebook_examples_run_from_anywhere(installed):
    venv, env = installed
    work = venv.parent / "work"
    script = work / "examples.py"
    script.write_text(notebook_examples(), encoding="utf-8")
    _run([str(venv / "bin" / "python"), str(script)], work, env)


def test_the_command_writes_a_pdf_and_a_json_plan(installed):
    venv, env = installed
    work = venv.parent / "work"
    command = str(venv / "bin" / "campaign-advisor")
    _run([command, "--goal", "event", "--budget", "8000", "--weeks", "6", "-o", "plan.pdf"],
         work, env)  # fmt: skip
    assert (work / "plan.pdf").read_bytes().startswith(b"%PDF")
    _run([command, "--goal", "event", "--budget", "8000", "--weeks", "6", "-o", "plan.json"],
         work, env)  # fmt: skip
    plan = json.loads((work / "plan.json").read_text(encoding="utf-8"))
    assert plan["brief"]["goal"] == "event" and plan["brief"]["budget"] == 8000
    bad = subprocess.run([command, "--weeks", "0"], cwd=work, env=env, capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
