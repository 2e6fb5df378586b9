"""The deployment files keep the pieces the README promises (Docker is not run in CI).

Why: the image must install with the Makefile's own commands (so `make test` in CI exercises
them), run as a non-root user, keep SQLite in a volume and report health where Streamlit
serves it; compose must wire the app to a health-checked PostgreSQL.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def instructions(text: str) -> list[tuple[str, str]]:
    """Dockerfile instructions (continuation lines joined, comments dropped)."""
    joined = re.sub(r"\\\n", " ", text)
    lines = [line.strip() for line in joined.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def test_dockerfile() -> None:
    steps = instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    kinds = [k for k, _ in steps]
    args = dict(steps)  # the last of each kind
    assert re.fullmatch(r"python:3\.1[1-9]-slim", steps[0][1]), steps[0]
    users = [v for k, v in steps if k == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert kinds.index("USER") < kinds.index("CMD")
    assert "/data" in args["VOLUME"] and "ADVISOR_DATA_DIR=/data" in " ".join(
        v for k, v in steps if k == "ENV"
    )
    assert "/_stcore/health" in args["HEALTHCHECK"] and "urllib" in args["HEALTHCHECK"]
    assert "streamlit" in args["CMD"] and "0.0.0.0" in args["CMD"] and "app.py" in args["CMD"]
    runs = " ".join(v for k, v in steps if k == "RUN")
    stamp = re.search(r"^STAMP\s*:=\s*\$\(VENV\)/(\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert stamp is not None
    assert f"make .venv/{stamp.group(1)}" in runs  # the Makefile's own install target


def test_dockerignore_keeps_local_state_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".git", ".venv", "var", ".streamlit/secrets.toml"):
        assert entry in ignored


def test_compose_wires_the_app_to_a_healthy_postgres() -> None:
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    assert re.search(r"^\s+image: postgres:16\s*$", text, re.M)
    assert "DATABASE_URL: postgresql://" in text and "@db:5432/" in text
    assert "condition: service_healthy" in text and "pg_isready" in text
    assert re.search(r"^volumes:\n\s+plans:", text, re.M)
    assert "- plans:/var/lib/postgresql/data" in text
