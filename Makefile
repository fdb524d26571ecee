# Quick start: `make demo` serves the demo; `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: demo test venv bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -U pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP)

demo: venv
	scripts/system-deps.sh
	$(VENV)/bin/kyodo migrate --verbosity 0
	$(VENV)/bin/kyodo demo
	@echo "Serving http://127.0.0.1:8000  (Ctrl+C to stop)"
	$(VENV)/bin/kyodo runserver 127.0.0.1:8000 --noreload

test: venv
	scripts/test.sh

bench: venv
	bench/run.sh

clean:
	rm -rf $(VENV) var
