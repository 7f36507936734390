# speechbot: the Telegram bot in a container. Build and run with compose (README, "Deploy"):
#   cp .env.example .env   # set TELEGRAM_BOT_TOKEN, and PROXY / ALLOWED_USERS as needed
#   docker compose up -d --build
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/data \
    STATE_DIR=/state

# A user of its own: the bot never runs as root.
RUN groupadd --gid 10001 speechbot \
    && useradd --create-home --uid 10001 --gid 10001 --shell /usr/sbin/nologin speechbot

WORKDIR /app

# Dependencies in a layer of their own, from pyproject.toml alone: editing the code does not
# reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code and the word lists (retrieval reads data/rules/ next to the code: hence -e).
COPY README.md ./
COPY bot/ bot/
COPY retrieval/ retrieval/
COPY cli/ cli/
COPY data/rules/ data/rules/
# The sample document; a new named volume mounted on /data starts with it.
COPY data/*.txt /data/
RUN pip install --no-deps -e . \
    # Our modules compiled once here: PYTHONDONTWRITEBYTECODE would otherwise have every start
    # (and every healthcheck) compile them from source, ~0.03 s each time.
    && python -m compileall -q bot cli retrieval \
    # jieba's dictionary cache (/tmp/jieba.cache), built once here instead of at every start,
    # by answering one question through the command line (the stable interface).
    && speechbot ask --data /data 2022年基础配套有哪些任务 > /dev/null \
    && chmod a+r /tmp/jieba.cache \
    && mkdir -p /state && chown -R 10001:10001 /data /state
VOLUME ["/data", "/state"]

USER 10001:10001

# Settings, documents and getMe through the configured proxy; exit 0 or 1 (bot/check.py).
HEALTHCHECK --interval=2m --timeout=60s --start-period=60s --retries=3 CMD ["speechbot", "check"]

# Webhook mode only (WEBHOOK_URL set): the webhook and GET /healthz.
EXPOSE 8443

# SIGTERM (docker stop) drains within SHUTDOWN_TIMEOUT (8 s); compose gives it 15 s.
CMD ["speechbot", "run"]
