FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
RUN DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 stancetracker && mkdir -p /app/var && chown -R stancetracker /app/var
USER stancetracker

EXPOSE 8000
CMD ["gunicorn", "stancetracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
