FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORT=8000

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libjpeg62-turbo zlib1g \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY portal portal
COPY home home
COPY stories stories
COPY awards awards
COPY locale locale
COPY manage.py ./
RUN pip install --no-cache-dir .

# Build-time only values: collectstatic and compilemessages need production settings to
# load, and those refuse weak values; this random key lives only in this build step.
RUN export SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
        ALLOWED_HOSTS=build WAGTAILADMIN_BASE_URL=https://build.invalid \
    && python manage.py compilemessages -v 0 \
    && python manage.py collectstatic --noinput -v 0

RUN useradd --create-home portal && mkdir -p /app/media && chown portal /app/media
USER portal
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn portal.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
