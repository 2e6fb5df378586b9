# The advisor as a container: slim Python, a non-root user, the Makefile's own install commands.
#   docker build -t campaign-advisor .
#   docker run -p 8501:8501 -v advisor-data:/data campaign-advisor        # SQLite in the volume
#   docker run -p 8501:8501 -e DATABASE_URL=postgresql://u:p@host/db campaign-advisor
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    ADVISOR_DATA_DIR=/data \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    MALLOC_MMAP_THRESHOLD_=131072

# make: the image installs with `make`'s own recipe (the one `make run` and `make test` use)
RUN apt-get update \
    && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 --user-group advisor \
    && mkdir -p /data \
    && chown advisor:advisor /data

WORKDIR /app

# Dependencies first (a cached layer while requirements.lock is unchanged): the Makefile's
# venv and lock-file install, run by the same commands...
COPY requirements.lock pyproject.toml ./
RUN python -m venv .venv \
    && .venv/bin/python -m pip install --quiet --upgrade pip \
    && .venv/bin/python -m pip install --quiet -r requirements.lock

# ...then the source, installed by the Makefile's target itself (`make run` minus the run)
COPY . .
RUN make .venv/.installed PYTHON=python3

USER advisor
VOLUME ["/data"]
EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/app/.venv/bin/python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

CMD [".venv/bin/python", "-m", "streamlit", "run", "app.py", \
     "--server.address", "0.0.0.0", "--server.port", "8501", "--server.headless", "true"]
