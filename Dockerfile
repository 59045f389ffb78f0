# briefbot: one image for every process (`briefbot serve`, `slack --http`, `discord`, `digest --serve`).
# Builds with nothing but the package registry: the pinned versions of constraints.txt, wheels only.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ONLY_BINARY=:all:

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin briefbot
WORKDIR /app

# Dependencies first, in their own layer: a code change does not reinstall them.
COPY pyproject.toml constraints.txt README.md ./
RUN mkdir bot && touch bot/__init__.py \
    && pip install -c constraints.txt . \
    && pip uninstall --yes briefbot \
    && rm -rf bot

COPY bot ./bot
RUN pip install --no-deps -c constraints.txt . && rm -rf build ./*.egg-info

# The articles and prompts the bot reads (the working directory is briefbot's home); var/ holds
# the SQLite file when no BRIEFBOT_DATABASE_URL is given. `ingest` writes new articles: writable.
COPY knowledge ./knowledge
COPY prompts ./prompts
RUN mkdir var && chown -R briefbot:briefbot knowledge var

USER briefbot

# Every process serves /healthz on this port (Slack HTTP also on its own --port).
ENV BRIEFBOT_HEALTH_PORT=8081
EXPOSE 3000 8081
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"BRIEFBOT_HEALTH_PORT\", \"8081\")}/healthz', timeout=4)"

CMD ["briefbot", "serve"]
