# Stance Tracker: `make run` serves the app with a worker, `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-quick lint check-deploy bench-extract score train evaluate evaluate-unlisted clean bench drills

install: $(STAMP)

# Python packages pinned with hashes; chart library and map geometry from npm
# (package-lock.json), copied and converted into static/vendor/ (not committed).
$(STAMP): requirements-pip.lock requirements.lock package-lock.json
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-pip.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) manage.py vendor_assets
	@touch $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ensure_demo_admin
	$(PY) manage.py load_seeds
	$(PY) manage.py serve 127.0.0.1:8000

test: install
	$(PY) -m pytest

# The suite without the browser and real-worker tests: a minute or two while working.
test-quick: install
	$(PY) -m pytest -m "not browser and not services"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The deployment checklist with production settings (what docker-compose runs).
check-deploy: install
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=stancetracker.example $(PY) manage.py check --deploy --fail-level WARNING

# Development-set figures of the extractor, scored by ../shared/eval/score.py.
score: install
	$(PY) manage.py migrate --noinput >/dev/null
	$(PY) manage.py extract_stances seeds --format jsonl > var/dev-predictions.jsonl
	python3 ../shared/eval/score.py ../shared/eval/dev-gold.jsonl var/dev-predictions.jsonl --files seeds

# The shipped decision model, trained on the seeds and the development corpus (needs
# ../shared/eval); the articles named in FRESH are scored by a model that never saw them.
EVAL := ../shared/eval
SETS := --set $(EVAL)/dev-gold.jsonl ../shared/seeds --set $(EVAL)/corpus/gold.jsonl $(EVAL)/corpus
FRESH := 110.txt 130.txt 140.txt 144.txt 150.txt 155.txt 158.txt
train: install
	$(PY) -m articles.nlp.train $(SETS) --evaluate --cue-folds --hold-out $(FRESH) \
		> var/train-report.json
	@cat var/train-report.json

# Cross-validated and fresh figures without writing a model.
evaluate: install
	$(PY) -m articles.nlp.train $(SETS) --evaluate --cue-folds --no-save --hold-out $(FRESH) \
		--predictions var/cv-predictions.jsonl

# The same figures with the people of the gold records left out of the actor list, as
# articles from other outlets name people the list does not know.
evaluate-unlisted: install
	$(PY) -m articles.nlp.train $(SETS) --evaluate --no-save --hold-out $(FRESH) --unlisted-people

# Words per second of the full extraction next to bare spaCy, on 100,000+ words.
bench-extract: install
	$(PY) manage.py migrate --noinput >/dev/null
	$(PY) manage.py bench_extract seeds --words 100000

clean:
	rm -rf var/db.sqlite3* var/test-*.sqlite3* var/celery var/static static/vendor

# Page times against a trivial view, from BENCH_SMALL to BENCH_LARGE (ARTICLES:STANCES) of
# demo data in a PostgreSQL database of its own, served by gunicorn; then ingest throughput
# through a real Celery worker. Report in var/bench-report.json (see README, "Benchmark").
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/stancetracker_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/7
BENCH_SMALL ?= 1000:10000
BENCH_LARGE ?= 100000:1000000
BENCH_REQUESTS ?= 20
BENCH_TIMEOUT ?= 60
BENCH_INGEST_FILES ?= 500
bench: install
	$(PY) -m stancetracker.bench --sizes $(BENCH_SMALL) $(BENCH_LARGE) \
		--database-url $(BENCH_DATABASE_URL) --redis-url $(BENCH_REDIS_URL) \
		--requests $(BENCH_REQUESTS) --timeout $(BENCH_TIMEOUT) --ingest-files $(BENCH_INGEST_FILES)

# Bad input, concurrent decisions and every URL as every role, against gunicorn (DEBUG off),
# a real Celery worker, PostgreSQL and Redis, in a database of its own made afresh.
DRILLS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/stancetracker_drills
DRILLS_REDIS_URL ?= redis://127.0.0.1:6379/8
DRILLS_ROUNDS ?= 100
drills: install
	$(PY) -m stancetracker.drills --database-url $(DRILLS_DATABASE_URL) \
		--redis-url $(DRILLS_REDIS_URL) --rounds $(DRILLS_ROUNDS)
