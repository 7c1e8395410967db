# ketencheck: every CI step is a target here. `make demo` and `make test` set everything up on a fresh clone.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
OPA_VERSION := v1.22.3
TOOLS := .tools
OPA := $(TOOLS)/opa-$(OPA_VERSION)/opa
SARIF_MULTITOOL_VERSION := 5.7.0
SARIF_MULTITOOL := $(TOOLS)/sarif-multitool-$(SARIF_MULTITOOL_VERSION)/node_modules/.bin/sarif-multitool
CONFTEST_VERSION := v0.71.1
CONFTEST := $(TOOLS)/conftest-$(CONFTEST_VERSION)/conftest
VEGETA_VERSION := v12.13.0
VEGETA := $(TOOLS)/vegeta-$(VEGETA_VERSION)/vegeta
ACTIONLINT_VERSION := v1.7.12
ACTIONLINT := $(TOOLS)/actionlint-$(ACTIONLINT_VERSION)/actionlint
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The tools built from their Go module need Go >= 1.26 (the pinned OPA's module requires it). Without Go, say what
# is missing and how to get it, not `go: command not found`.
REQUIRE_GO = command -v go >/dev/null 2>&1 || { \
	echo "make: $@ is built from its Go module, which needs Go >= 1.26, and there is no 'go' on PATH." >&2; \
	echo "  Install Go 1.26 or later from https://go.dev/dl/ (or your package manager) and run make again." >&2; \
	exit 1; }

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# The pinned OPA: an `opa` on PATH at exactly this version is reused, otherwise it is built once from its
# Go module (CGO_ENABLED=0) into .tools/, and linked into the venv so that .venv/bin/ketencheck finds it.
$(OPA):
	@mkdir -p $(dir $@)
	@if command -v opa >/dev/null 2>&1 && [ "$$(opa version 2>/dev/null | sed -n 1p)" = "Version: $(OPA_VERSION:v%=%)" ]; then \
		echo "using opa $(OPA_VERSION) from PATH"; ln -sf "$$(command -v opa)" $@; \
	elif ! command -v go >/dev/null 2>&1; then \
		echo "make: the pinned opa $(OPA_VERSION) is not on PATH, and Go (>= 1.26) to build it is not either." >&2; \
		echo "  Either put the official opa $(OPA_VERSION) release binary on PATH as 'opa':" >&2; \
		echo "    https://github.com/open-policy-agent/opa/releases/tag/$(OPA_VERSION) (e.g. opa_linux_amd64_static)" >&2; \
		echo "  or install Go 1.26 or later from https://go.dev/dl/ and run make again." >&2; \
		exit 1; \
	else \
		echo "building opa $(OPA_VERSION) from its Go module (once)"; \
		CGO_ENABLED=0 GOBIN="$(abspath $(dir $@))" GOFLAGS=-mod=mod \
			go install github.com/open-policy-agent/opa@$(OPA_VERSION); \
	fi
	@# sed, not head: head exits after one line and, under pipefail, opa's SIGPIPE (exit 141) fails the build.
	@$@ version | sed -n 1p

# The official SARIF validator (Microsoft's SARIF Multitool, from the npm registry): the tests validate every
# SARIF ketencheck writes against the SARIF 2.1.0 schema with it. npm no longer runs the package's postinstall,
# which only marks the binary executable, so that is done here.
$(SARIF_MULTITOOL):
	@mkdir -p $(TOOLS)/sarif-multitool-$(SARIF_MULTITOOL_VERSION)
	npm install --loglevel=error --no-audit --no-fund --prefix $(TOOLS)/sarif-multitool-$(SARIF_MULTITOOL_VERSION) \
		@microsoft/sarif-multitool@$(SARIF_MULTITOOL_VERSION)
	chmod u+x $(TOOLS)/sarif-multitool-$(SARIF_MULTITOOL_VERSION)/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
	@$@ --version 2>/dev/null | sed -n 1p || true

# Debian's Chromium renders the audit report in a test (screenshot and DOM). Installed once, as the test needs it.
.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get install -y -q chromium >/dev/null || { $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }; }
	@chromium --version

# The package declares ranges (pyproject.toml); the dev environment is exactly constraints.txt, so every
# developer and CI test the same versions. A change to either reinstalls.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

.PHONY: setup
setup: $(STAMP) $(OPA) ## create .venv, install ketencheck and the pinned OPA
	@ln -sf "$(abspath $(OPA))" $(BIN)/opa

.PHONY: demo
demo: setup ## check the bundled examples: the seed's integral flows, their extracts, and a chain with waivers
	@echo "$$ ketencheck check --waivers examples/waivers/gemeente.waivers.yaml examples/"
	@$(BIN)/ketencheck check --no-color --waivers examples/waivers/gemeente.waivers.yaml examples/ || test $$? -eq 1
	@echo
	@echo "$$ ketencheck explain coa-gemeente-signaal examples/"
	@$(BIN)/ketencheck explain coa-gemeente-signaal examples/ || test $$? -eq 1
	@echo
	@echo "$$ ketencheck audit --waivers examples/waivers/gemeente.waivers.yaml --out out/audit examples/"
	@$(BIN)/ketencheck audit --waivers examples/waivers/gemeente.waivers.yaml --out out/audit examples/ || test $$? -eq 1

.PHONY: lint
lint: setup ## ruff and mypy (strict) on the Python code
	$(BIN)/ruff format --check checker tests
	$(BIN)/ruff check checker tests
	$(BIN)/mypy

.PHONY: policy
policy: setup ## opa fmt, opa check --strict, opa test with coverage, and the pack's invariants (policy verify)
	$(OPA) fmt --list --fail policies deploy/opa
	$(OPA) check --strict policies
	$(OPA) check --strict deploy/opa
	$(OPA) test --timeout 120s --fail-on-empty policies
	$(OPA) test --timeout 120s --coverage --threshold 90 policies > /dev/null
	$(BIN)/ketencheck policy verify --policies policies

.PHONY: docs
docs: setup ## regenerate docs/rules.md and the README's table of rules from the rules' METADATA
	@# The committed page is English whatever the maintainer's locale (policy docs follows the language in use).
	LANGUAGE= LC_ALL=C.UTF-8 $(BIN)/ketencheck policy docs -o docs/rules.md
	$(BIN)/ketencheck policy docs --readme README.md

# gettext: every checker/locale/<lang>/LC_MESSAGES/<domain>.po compiled into the .mo that gettext reads at run time.
# The .mo files are committed (a wheel and a fresh clone need no compile step); tests/test_i18n.py keeps them in step.
.PHONY: locale
locale: setup ## compile the translation catalogues (checker/locale/**/*.po) after editing them
	@for po in checker/locale/*/LC_MESSAGES/*.po; do $(BIN)/pybabel compile --statistics -i "$$po" -o "$${po%.po}.mo"; done

.PHONY: test
test: lint policy $(SARIF_MULTITOOL) $(VEGETA) $(ACTIONLINT) chromium ## everything CI runs: lint, policy tests, pytest (real OPA, SARIF validator, vegeta, actionlint, pre-commit, Chromium)
	KETENCHECK_SARIF_MULTITOOL="$(abspath $(SARIF_MULTITOOL))" KETENCHECK_VEGETA="$(abspath $(VEGETA))" \
		KETENCHECK_ACTIONLINT="$(abspath $(ACTIONLINT))" $(BIN)/pytest

# conftest, the peer a user would pick instead, for the benchmark only (built once from its Go module).
$(CONFTEST):
	@$(REQUIRE_GO)
	@mkdir -p $(dir $@)
	CGO_ENABLED=0 GOBIN="$(abspath $(dir $@))" GOFLAGS=-mod=mod go install github.com/open-policy-agent/conftest@$(CONFTEST_VERSION)

# vegeta, the load generator for the decision benchmark (a constant request rate against `opa run --server`), for
# the benchmark and its test in `make test` (built once from its Go module).
$(VEGETA):
	@$(REQUIRE_GO)
	@mkdir -p $(dir $@)
	CGO_ENABLED=0 GOBIN="$(abspath $(dir $@))" GOFLAGS=-mod=mod go install github.com/tsenart/vegeta/v12@$(VEGETA_VERSION)

# actionlint lints the GitHub Actions workflow of docs/ci.md in a test (built once from its Go module).
$(ACTIONLINT):
	@$(REQUIRE_GO)
	@mkdir -p $(dir $@)
	CGO_ENABLED=0 GOBIN="$(abspath $(dir $@))" GOFLAGS=-mod=mod go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)

.PHONY: bench
bench: setup $(CONFTEST) $(VEGETA) ## ketencheck vs bare opa eval and conftest at 1k-100k flows; decisions: opa bench, server under load
	CONFTEST="$(abspath $(CONFTEST))" VEGETA="$(abspath $(VEGETA))" $(BIN)/python bench/run.py $(BENCH_ARGS)

.PHONY: mutate
mutate: setup ## mutation testing of the policy pack: kill rate and surviving mutants (MUTATE_ARGS=--limit N)
	$(BIN)/python tests/mutate.py $(MUTATE_ARGS)

.PHONY: clean
clean: ## remove the venv and build output (keeps the OPA build)
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
