# Chart library and map geometry, pinned in package-lock.json.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements-pip.lock requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements-pip.lock
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN python manage.py vendor_assets && rm -rf node_modules
RUN DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 stancetracker && mkdir -p /app/var && chown -R stancetracker /app/var
USER stancetracker

EXPOSE 8000
CMD ["gunicorn", "stancetracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
