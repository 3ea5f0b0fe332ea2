# Two commands set everything up on a fresh machine that has python3:
#   make run    create .venv, install, run the main job on the bundled data
#   make test   create .venv if needed, run the whole test suite
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export MPLBACKEND := Agg

.PHONY: run test lint nuts-reference bench bench-generations bench-batch bench-europe bench-relatedness bench-survey bench-linkages mutation lab summary clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,dask]"
	touch $(STAMP)

# The main job: the cluster area PL-NE and the 16 voivodeships x 6 notebooks; prints the path of
# reports/index.html.
run: $(STAMP)
	$(BIN)/clusterlib run --all

# Unit tests, batch/fault/Dask tests, the docstring examples of the package (doctests), and nbval
# re-executing the committed notebooks.
test: $(STAMP)
	$(BIN)/python -m pytest -q --nbval --nbval-sanitize-with notebooks/sanitize.cfg --doctest-modules tests notebooks clusterlib

lint: $(STAMP)
	$(BIN)/ruff check clusterlib tests benchmarks
	$(BIN)/ruff format --check clusterlib tests benchmarks

# Rebuild clusterlib/reference/nuts_versions.csv and nuts_pieces.csv from data/raw/nuts/.
nuts-reference: $(STAMP)
	$(BIN)/python scripts/build_nuts_versions.py

# Speed and memory against baselines timed in the same process; writes benchmarks/RESULTS.md,
# RELATEDNESS.md, SURVEY.md and LINKAGES.md. Includes make run + make test on a fresh clone (BENCH_WALL=0 skips).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,dask,bench]"
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.relatedness
	$(BIN)/python -m benchmarks.survey
	$(BIN)/python -m benchmarks.linkages

# Regional input-output tables (FLQ + Leontief inverse) for every EU NUTS2 region against a pymrio
# loop (writes benchmarks/LINKAGES.md).
bench-linkages: $(STAMP)
	$(BIN)/python -m benchmarks.linkages

# Mutation testing of the core modules (long; not part of make test): writes benchmarks/MUTATION.md.
# One module: make mutation ONLY="clusterlib.segmentation.gower*"
mutation: $(STAMP)
	$(BIN)/python -m benchmarks.mutation $(ONLY)

# Only the reader of both Eurostat file generations (issue 26), its section of RESULTS.md in place.
bench-generations: $(STAMP)
	$(BIN)/python -m benchmarks.generations

# Profile of one run per notebook (kernel start, imports, cells, figures, HTML export) and the
# batch against a serial papermill loop on 4 regions; writes benchmarks/BATCH.md. More steps:
# python -m benchmarks.batch_ratio runall nuts2 (see benchmarks/batch_ratio.py).
bench-batch: $(STAMP)
	$(BIN)/python -m benchmarks.batch_ratio

# Star tables, series and peer distances for all European regions (writes benchmarks/EUROPE.md).
bench-europe: $(STAMP)
	$(BIN)/python -m benchmarks.europe

# Relatedness and complexity of every European region x division x year, against ecomplexity
# (writes benchmarks/RELATEDNESS.md).
bench-relatedness: $(STAMP)
	$(BIN)/python -m benchmarks.relatedness

# Raking 100,000 firms and reading a 100,000-row XLSX questionnaire (writes benchmarks/SURVEY.md).
bench-survey: $(STAMP)
	$(BIN)/python -m benchmarks.survey

summary: $(STAMP)
	$(BIN)/clusterlib summary

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) reports/*.tmp .pytest_cache
