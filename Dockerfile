# Production image: gunicorn serves the portal, whitenoise serves the static files.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/app/var
WORKDIR /app

RUN useradd --create-home --uid 1000 portal
COPY pyproject.toml README.md ./
COPY portal portal
COPY plans plans
COPY investments investments
COPY events events
RUN pip install --no-cache-dir -e .
COPY . .

# collectstatic needs production settings (manifest storage); the key is used for nothing else.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-secret-key-0123456789abcdef \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media && chown -R portal:portal /app/var

USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
