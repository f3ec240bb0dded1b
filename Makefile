# Netra — every step a fresh machine needs is here. Only python3 (3.11+) and make are assumed.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.netra-installed
NETRA := $(VENV)/bin/netra

.PHONY: install test lint demo demo-reset serve bench bench-scale bench-startup chaos clean

install: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Re-synced only when the dependency files change: a second `make install` does nothing.
# --compile-bytecode: the libraries' .pyc are written once here. Where Python may not write them
# itself (PYTHONDONTWRITEBYTECODE, a read-only venv) every command would otherwise compile
# SQLAlchemy, pydantic, typer... from source again: about 0.5-1 s of each command's start-up.
$(STAMP): pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --quiet --compile-bytecode
	touch $(STAMP)

test: install
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

demo: install
	$(NETRA) demo

# Prefect UI on http://127.0.0.1:4200 with every stage as a deployment; Ctrl-C stops it.
serve: install
	$(NETRA) serve

# Start the demo over: removes the embedded database, letters and saved mail under var/.
demo-reset:
	rm -rf var/

bench: install
	$(VENV)/bin/python -m benchmarks.run
	$(VENV)/bin/python -m benchmarks.pipeline
	$(VENV)/bin/python -m benchmarks.publishing
	$(VENV)/bin/python -m benchmarks.letters
	$(VENV)/bin/python -m benchmarks.audit
	$(VENV)/bin/python -m benchmarks.desk
	$(VENV)/bin/python -m benchmarks.batch_intake

bench-scale: install
	$(VENV)/bin/python -m benchmarks.scale
	$(VENV)/bin/python -m benchmarks.statistics

# Start-up of the reading commands against `python -c pass`, and against main's code in the same run.
bench-startup: install
	$(VENV)/bin/python -m benchmarks.startup --against main

# The long campaigns: malformed reports (tests/fuzz; `make test` runs 60 examples each) and
# `netra process` SIGKILLed at random moments then resumed (`make test` kills 6 and 4 times).
chaos: install
	NETRA_FUZZ_EXAMPLES=$${NETRA_FUZZ_EXAMPLES:-5000} $(VENV)/bin/pytest tests/fuzz -q
	NETRA_CHAOS_KILLS=$${NETRA_CHAOS_KILLS:-120} $(VENV)/bin/pytest tests/flows/test_chaos_kills.py -q

clean:
	rm -rf $(VENV) $(TOOLS) var/ .pytest_cache .mypy_cache .ruff_cache
