# Council: every set-up step on a fresh machine with only python3.
#   make run    the app on SQLite with demo data at http://127.0.0.1:5000
#   make test   lint + the whole test suite (SQLite)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CATALOGS := $(patsubst %.po,%.mo,$(wildcard council/translations/*/LC_MESSAGES/messages.po))
POSTGRES_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test test-postgres lint translations extract-messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes (new dependency, new extra).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $@

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

translations: $(CATALOGS)

run: $(STAMP) translations
	$(BIN)/flask --app council init-db
	$(BIN)/flask --app council demo --if-empty
	$(BIN)/flask --app council run --host 127.0.0.1 --port 5000

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) translations lint
	$(BIN)/python -m pytest

# The same suite on PostgreSQL, in a schema of its own (dropped afterwards).
test-postgres: $(STAMP) translations
	COUNCIL_TEST_DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/python -m pytest

# After changing user-facing text: refresh the template and the catalogs, then translate.
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --omit-header \
		-o council/translations/messages.pot .
	$(BIN)/pybabel update -i council/translations/messages.pot -d council/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(CATALOGS)
