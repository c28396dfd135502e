# Production image: gunicorn serves the portal, whitenoise serves the static files.
# Pango, HarfBuzz and DejaVu are for WeasyPrint (the half-year report as PDF).
# Debian trixie: its postgresql-client (17) dumps and restores the PostgreSQL 16 of docker-compose.yml
# (pg_dump must be as new as the server or newer).
FROM python:3.11-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/app/var PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 portal
# The pinned versions, each checked against its hash (the lock file; see `make lock`).
# pip first, from its own hashed lock: an older pip misreads the extras in the lock (Makefile).
COPY requirements-pip.txt requirements.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements-pip.txt \
 && pip install --no-cache-dir --require-hashes -r requirements.txt
COPY pyproject.toml README.md ./
COPY portal portal
COPY plans plans
COPY investments investments
COPY events events
RUN pip install --no-cache-dir --no-deps -e .
COPY . .

# collectstatic needs production settings (manifest storage); the key is used for nothing else.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-secret-key-0123456789abcdef \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media /app/var/backups && chown -R portal:portal /app/var

USER portal
EXPOSE 8000
# The portal writes one line per request itself (no query strings, user id only): no access log.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
