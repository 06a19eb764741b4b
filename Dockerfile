# Callsheet: one image for web (gunicorn), worker and beat (celery).
FROM python:3.11-slim

# The code runs from /app (PYTHONPATH): settings find templates/ and static/ beside it.
ENV DEBUG=false \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=studio.settings \
    STATIC_ROOT=/app/staticfiles \
    PRIVATE_MEDIA_ROOT=/var/lib/callsheet/private

WORKDIR /app

# Dependencies first, from pyproject.toml alone: with no packages copied yet
# `pip install .` installs just the dependencies, and this layer is reused
# until pyproject.toml changes.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# Static files are built into the image and served by whitenoise. The key is a
# placeholder for this one command; the running container must be given its own.
RUN SECRET_KEY=collectstatic-only-not-a-secret SITE_URL=http://collectstatic.invalid \
    ALLOWED_HOSTS=collectstatic.invalid DEBUG=false \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home callsheet \
    && mkdir -p "$PRIVATE_MEDIA_ROOT" \
    && chown -R callsheet:callsheet /var/lib/callsheet
USER callsheet

EXPOSE 8000
# Workers: $WEB_CONCURRENCY (gunicorn reads it), default 1 per container; scale with replicas.
CMD ["gunicorn", "studio.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
