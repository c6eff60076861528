# No `# syntax=` line: the Dockerfile frontend built into Docker 20.10+ (BuildKit)
# knows RUN --mount, and a syntax image would have to be pulled from a registry.
# Two stages: the builder installs exactly the hash-checked runtime lock
# (requirements/base.txt) into /opt/venv and prepares translations and static files;
# the runtime stage copies the result and runs as an unprivileged user.
#
# Behind a TLS-inspecting proxy, pass its CA bundle as a BuildKit secret:
#   docker build --secret id=ca,src=/path/to/ca-bundle.crt .
# pip then uses it (PIP_CERT); without the secret pip uses the image's own CAs.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv

WORKDIR /app
# Dependencies first, so this layer is rebuilt only when the lock changes. Wheels only:
# no dependency runs setup code at build time.
COPY requirements/base.txt requirements/base.txt
RUN --mount=type=secret,id=ca,required=false \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi \
    && pip install --require-hashes --only-binary :all: -r requirements/base.txt

COPY pyproject.toml README.md manage.py ./
COPY portal portal
COPY home home
COPY stories stories
COPY awards awards
COPY events events
COPY locale locale
# The project alone: every dependency is already installed from the lock.
RUN --mount=type=secret,id=ca,required=false \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi \
    && pip install --no-deps . \
    && rm -rf build *.egg-info

# Build-time only values: collectstatic and compilemessages need production settings to
# load, and those refuse weak values; this random key lives only in this build step.
RUN export SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
        ALLOWED_HOSTS=build WAGTAILADMIN_BASE_URL=https://build.invalid \
        DJANGO_SETTINGS_MODULE=portal.settings.production \
    && python manage.py compilemessages -v 0 \
    && python manage.py collectstatic --noinput -v 0


FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORT=8000

RUN apt-get update \
    && apt-get install -y --no-install-recommends libjpeg62-turbo zlib1g postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home portal

COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
WORKDIR /app
RUN mkdir -p /app/media && chown portal /app/media

USER portal
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn portal.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
