# The course's commands. `make lab` and `make test` are all a newcomer needs: each sets up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Written once the venv holds everything in requirements.txt and the course's kernel.
READY := $(VENV)/.ready
KERNEL := embedding-matrix
NBVAL := -p no:cacheprovider --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: setup lab test test-checks test-notebooks test-grader notebooks execute \
        test-browser chromium bubblewrap screenshots grade bench gradescope release bench-memory lock clean

setup: $(READY)

$(READY): requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -r requirements.txt -c constraints.txt
	$(BIN)/pip install --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Embedding Matrix (TF 2.21)"
	touch $@

lab: setup
	$(BIN)/jupyter lab notebooks/

test: setup
	$(BIN)/python -m pytest -p no:cacheprovider tests/
	$(BIN)/python -m pytest $(NBVAL) solutions/
	$(MAKE) --no-print-directory test-browser

# The parts of `make test`, for a quicker loop while authoring.
test-checks: setup
	$(BIN)/python -m pytest -p no:cacheprovider tests/ -k "not learner_notebooks and not grade"

test-notebooks: setup
	$(BIN)/python -m pytest $(NBVAL) solutions/$(if $(NB),$(NB).ipynb,)

test-grader: setup bubblewrap
	$(BIN)/python -m pytest -p no:cacheprovider tests/test_grade_*.py

# Every notebook of solutions/ and notebooks/ opened and run in JupyterLab in headless Chromium, as a
# learner would; a screenshot of each in build/screenshots/ (CI keeps it).
test-browser: setup chromium
	$(BIN)/python -m pytest -p no:cacheprovider tests/browser

# Re-take the README's screenshots, docs/screenshots/<notebook>.png, with the browser test.
screenshots: setup chromium
	$(BIN)/python -m pytest -p no:cacheprovider tests/browser -k solutions --readme-screenshots

# Debian's Chromium for the browser test, installed with apt when missing (nothing downloads a browser).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

# Debian's bubblewrap, the grader's sandbox, installed with apt when missing (as Chromium is).
bubblewrap:
	@command -v bwrap >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y bubblewrap; }

# Authoring: format solutions/ and regenerate notebooks/; or first re-run solution notebooks (NB=name).
notebooks: setup
	$(BIN)/python -m tools.notebooks generate

execute: setup
	$(BIN)/python -m tools.notebooks execute $(NB)

# Grade learners' notebooks: make grade SUBMISSIONS=<folder or notebook> [OUT=build/grades] [GRADE_FLAGS=...]
OUT ?= build/grades
grade: setup bubblewrap
	@test -n "$(SUBMISSIONS)" || { echo "Usage: make grade SUBMISSIONS=<folder or notebook> [OUT=build/grades]" >&2; exit 2; }
	$(BIN)/python -m grader "$(SUBMISSIONS)" --out "$(OUT)" $(GRADE_FLAGS)

# The grader against one fresh kernel per notebook, side by side: make bench [N=50]
N ?= 50
bench: setup bubblewrap
	$(BIN)/python benchmarks/grading.py --n $(N)

# What learners get: build/release/<course>-<version>/ and its zip, with no solution code in it
# (classroom.toml declares what is withheld). SOLUTIONS=published: every solution in, after grading.
# SOURCE_URL=<where you host the zip>: what a notebook opened in Colab fetches, not the public repository.
release: setup
	$(BIN)/python -m tools.release learners --out build/release $(if $(SOLUTIONS),--solutions $(SOLUTIONS),) $(if $(SOURCE_URL),--source-url "$(SOURCE_URL)",)

# build/autograder.zip, to upload to Gradescope: make gradescope SECRET_FILE=<file outside the repo>
# (or GRADE_SECRET=...); the secret draws the hidden cases. Without one, only the public cases.
gradescope: setup
	$(BIN)/python -m tools.release gradescope --out build/autograder.zip $(if $(SECRET_FILE),--secret-file "$(SECRET_FILE)",)

# The grader's peak memory (PSS over its processes) grading one submission, as on Gradescope.
bench-memory: setup bubblewrap
	$(BIN)/python benchmarks/gradescope_memory.py

# Re-pin every installed package after a change to requirements.txt (then re-execute the notebooks).
lock:
	rm -rf $(VENV).lock && $(PYTHON) -m venv $(VENV).lock
	$(VENV).lock/bin/pip install -r requirements.txt
	{ sed -n '1,2p' constraints.txt; $(VENV).lock/bin/pip freeze; } > constraints.new && mv constraints.new constraints.txt
	rm -rf $(VENV).lock

clean:
	rm -rf $(VENV) build
