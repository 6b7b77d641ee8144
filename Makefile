# `make run` for a first look on a bare machine, `make test` for the whole suite.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
CHROMIUM ?= /usr/bin/chromium
PORT      ?= 5000
MAIL_PORT ?= 1025

.PHONY: run test worker scheduler mail demo clean deploy-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=25.1"

$(VENV)/.app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --group app
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --group test
	touch $@

# PDF status reports also need Pango (libpango-1.0-0, libpangoft2-1.0-0): `make $(PANGO)` installs it.
# `make run PORT=8000` serves elsewhere.
run: $(VENV)/.app
	$(FLASK) db upgrade
	$(FLASK) demo load --port $(PORT)
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

worker: $(VENV)/.app
	$(FLASK) worker

# The one scheduler (rq cron, schedule in workers/schedule.py): run exactly one beside the workers.
scheduler: $(VENV)/.app
	$(FLASK) scheduler

# A local SMTP server that prints every mail the app sends (MAIL_SERVER=127.0.0.1, MAIL_PORT=1025; `make mail
# MAIL_PORT=2525` listens elsewhere: give the app the same MAIL_PORT).
mail: $(VENV)/.app
	$(BIN)/python -m aiosmtpd --nosetuid --debug --listen 127.0.0.1:$(MAIL_PORT)

# Chromium comes from Debian's packages; Playwright never downloads a browser.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null

# WeasyPrint (status reports as PDF) draws text with the system's Pango, from Debian's packages.
PANGO := /usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0
$(PANGO):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null

# The status report tests look at every PDF page as an image: poppler's pdftoppm, from Debian's packages.
PDFTOPPM := /usr/bin/pdftoppm
$(PDFTOPPM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils >/dev/null

# Two test processes (pytest-xdist), each with its own database and Redis db (tests/per_process.py); a file's
# tests stay in one process, so what a module builds once (the isolation matrix's world, a live server) is built once.
TEST_PROCESSES ?= 2
test: $(VENV)/.test $(CHROMIUM) $(PANGO) $(PDFTOPPM)
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

# The production stack on this machine (gunicorn.conf.py, a worker, a scratch PostgreSQL database, a Redis db),
# smoke-tested through HTTP, then stopped: see deploy/check.py for its settings.
deploy-check: $(VENV)/.app
	$(BIN)/python deploy/check.py

clean:
	rm -rf $(VENV) instance/*.db .pytest_cache
