# Two commands on a fresh machine with only Python ≥ 3.11 and make: `make run`, `make test`.
# The first Python ≥ 3.11 on PATH is used (python3.13, python3.12, python3.11, then python3);
# choose another with `make PYTHON=/path/to/python3.12 …`. A .venv made by an older Python is
# rebuilt. `make clean` removes .venv.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NO_PYTHON := 需要 Python 3.11 或更新版本，但在 PATH 中没有找到（试过 python3.13、python3.12、python3.11、python3）。\
请先安装，例如 Debian/Ubuntu：sudo apt install python3.11 python3.11-venv；或指定：make PYTHON=/path/to/python3.11

.PHONY: install run test lint bench clean python

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "$(NO_PYTHON)" >&2; exit 1; }
	@if [ -e $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; \
	then echo ".venv 由旧版本（或已失效）的 Python 创建：用 $(PYTHON) 重建" >&2; rm -rf $(VENV); fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The virtual environment only (servers: README, "Deploy").
install: $(STAMP)

run: $(STAMP)
	$(BIN)/speechbot start

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_retrieval.py

# Which Python the venv would be built with (or the reason there is none).
python:
	@test -n "$(PYTHON)" || { echo "$(NO_PYTHON)" >&2; exit 1; }
	@echo "$(PYTHON)"

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
