# spheron-api-client pipeline. Every target runs from the repo root with the project venv.
# Document flow: fetch-spec -> openapi/spheron-api.yaml (pinned) -> generate -> spheron_api_client/
#                -> overrides/spheron/ (hand-written) -> tests, demo, bench.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
SPEC_URL ?= https://api-v2.spheron.network/docs/rest-api/

.DEFAULT_GOAL := help
.PHONY: help install generate sync-gen check-generated test-httpx-range validate-spec fetch-spec diff-spec update-spec test test-only \
        lint demo bench dist release-check clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(BIN)/activate: pyproject.toml package.json
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,testing,bench,cli]'
	@if [ -f package.json ] && command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; fi
	touch $(BIN)/activate

install: $(BIN)/activate ## Create .venv and install the package with the dev, testing, bench and cli extras

validate-spec: install ## Validate the pinned OpenAPI document
	$(PY) -m openapi_spec_validator openapi/spheron-api.yaml

generate: install ## Regenerate spheron_api_client/ (from the document), the namespaces (from overrides/namespaces/) and _sync/ (from _async/)
	$(PY) -m scripts.generate
	$(PY) -m scripts.namespaces
	$(PY) -m scripts.unasync_sync
	$(PY) -m scripts.reexports

sync-gen: install ## Regenerate the namespaces, overrides/spheron/_sync/ from _async/ and the spheron.resources re-exports
	$(PY) -m scripts.namespaces
	$(PY) -m scripts.unasync_sync
	$(PY) -m scripts.reexports

check-generated: install ## Fail if spheron_api_client/, the namespaces or overrides/spheron/_sync/ differ from a fresh generation
	$(PY) -m scripts.generate --check
	$(PY) -m scripts.namespaces --check
	$(PY) -m scripts.unasync_sync --check
	$(PY) -m scripts.reexports --check

fetch-spec: install ## Download the published document into openapi/fetched/ (SPEC_URL=...)
	$(PY) -m scripts.fetch_spec --url '$(SPEC_URL)'

diff-spec: install ## Compare two documents: make diff-spec OLD=a.yaml NEW=b.yaml [MD=1] [FAIL_ON_BREAKING=1]
	@$(PY) -m scripts.diff_spec '$(OLD)' '$(NEW)' $(if $(MD),--markdown) $(if $(filter 1 yes true,$(FAIL_ON_BREAKING)),--fail-on-breaking)

update-spec: install ## Fetch, review, pin, bump version, regenerate, changelog, test (YES=1, SKIP_TESTS=1)
	$(PY) -m scripts.update_spec --url '$(SPEC_URL)' $(if $(filter 1 yes true,$(YES)),--yes) $(if $(filter 1 yes true,$(SKIP_TESTS)),--skip-tests)

lint: install ## ruff on hand-written code, mypy --strict on overrides/spheron and scripts, mypy on tests/
	$(BIN)/ruff check overrides scripts tests bench examples
	$(BIN)/ruff format --check overrides scripts tests bench examples
	$(BIN)/mypy
	$(BIN)/mypy --config-file tests/mypy.ini tests

test-only: install ## Run the test suite only
	$(BIN)/pytest -q

STAGE = $(PY) -m scripts.stage

test: install ## Everything CI checks, one summary line per stage (full logs in .logs/)
	@$(STAGE) validate-spec -- $(PY) -m openapi_spec_validator openapi/spheron-api.yaml
	@$(STAGE) check-generated -- $(MAKE) --no-print-directory check-generated
	@$(STAGE) lint -- $(MAKE) --no-print-directory lint
	@$(STAGE) release-check -- $(MAKE) --no-print-directory release-check
	@$(STAGE) pytest --summary -- $(BIN)/pytest -q

HTTPX_LOWEST ?= 0.27.*
test-httpx-range: install ## Unit and resource suites against the lowest allowed httpx (.venv-httpx-lowest; the main .venv has the newest)
	@if [ ! -x .venv-httpx-lowest/bin/python ]; then \
	  rm -rf .venv-httpx-lowest.tmp && $(PYTHON) -m venv .venv-httpx-lowest.tmp && \
	  .venv-httpx-lowest.tmp/bin/python -m pip install --quiet -e '.[dev,testing]' 'httpx[http2]==$(HTTPX_LOWEST)' && \
	  mv .venv-httpx-lowest.tmp .venv-httpx-lowest; fi
	.venv-httpx-lowest/bin/python -c 'import httpx; print("httpx", httpx.__version__)'
	.venv-httpx-lowest/bin/python -m pytest -q -p no:cacheprovider tests/unit tests/resources


# The demo needs only the runtime, the testing extra and the cli extra (it ends with the spheron
# command): no dev or bench tools, no npm.
$(VENV)/.demo-ready: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[testing,cli]'
	touch $@

demo: $(VENV)/.demo-ready ## Run the demo (embedded local server unless SPHERON_TOKEN is set)
	@$(PY) examples/demo.py

bench: install ## Benchmarks against raw httpx (results in .bench/; UPDATE=1 writes bench/results/)
	BENCH_OUT=$(if $(filter 1 yes true,$(UPDATE)),bench/results,$(or $(BENCH_OUT),.bench)) $(PY) -m bench

dist: install ## Build sdist and wheel into dist/
	rm -rf dist && $(PY) -m build --outdir dist .

release-check: dist ## Install the wheel into a fresh venv outside the tree and smoke-test it
	$(PY) -m scripts.release_check dist

clean: ## Remove build outputs and caches
	rm -rf dist build .pytest_cache .mypy_cache .ruff_cache .logs .bench
