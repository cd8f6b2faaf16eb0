# The course's commands. `make lab` and `make test` are all a newcomer needs: each sets up first.
# PYTHON=/path/to/python3.x picks the interpreter; by default tools/find_python.sh picks the newest
# supported one on PATH, or says in one sentence what to install.
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
# Written once the venv holds the learner's packages (requirements.txt) and the course's kernel;
# READY once it also holds the test-only ones (requirements-test.txt).
READY_LAB := $(VENV)/.ready-lab
READY := $(VENV)/.ready
KERNEL := embedding-matrix
NBVAL := -p no:cacheprovider --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg
INSTALL_FAILED := echo "Installing the course's packages into $(VENV) failed (pip says why above): check the connection to PyPI and the free disk space (about 2 GB), then run make again." >&2; exit 1

.PHONY: setup setup-lab lab test test-all lint format test-fast test-notebooks test-grader notebooks execute \
        test-browser chromium axe bubblewrap screenshots grade merge bench bench-tests gradescope otter release bench-memory lock clean

setup: $(READY)
setup-lab: $(READY_LAB)

$(BIN)/python:
	@python=$$(sh tools/find_python.sh $(PYTHON)) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV) || { rm -rf $(VENV); echo "$$python could not create $(VENV) (on Debian or Ubuntu: sudo apt install python3-venv)." >&2; exit 1; }

$(READY_LAB): $(BIN)/python requirements.txt constraints.txt pyproject.toml
	@echo "Installing requirements.txt into $(VENV) (the first time: a few minutes)"
	@$(BIN)/python -m pip install -r requirements.txt || { $(INSTALL_FAILED); }
	@$(BIN)/python -m pip install --quiet --no-deps -e . || { $(INSTALL_FAILED); }
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Embedding Matrix (TF 2.21)"
	touch $@

$(READY): $(READY_LAB) requirements-test.txt
	@echo "Installing requirements-test.txt into $(VENV)"
	@$(BIN)/python -m pip install -r requirements-test.txt || { $(INSTALL_FAILED); }
	touch $@

lab: setup-lab
	$(BIN)/jupyter lab notebooks/

# make test: the style, every pytest test, nbval and the browser test (about 16 minutes on 2 cores);
# make test-all adds the fresh machine (test-fresh), as CI does. JOBS: how many test files run at once
# (pytest-xdist, a whole file to a worker; JOBS=1 runs them one after another, in one process).
JOBS ?= auto
PARALLEL := $(if $(filter 1,$(JOBS)),,-n $(JOBS) --dist loadfile)
test: setup bubblewrap lint
	$(BIN)/python -m pytest -p no:cacheprovider $(PARALLEL) tests/
	$(BIN)/python -m pytest $(NBVAL) $(PARALLEL) solutions/
	$(MAKE) --no-print-directory test-browser

test-all: test test-fresh

# The style of every Python file (ruff, configured in pyproject.toml): `make format` rewrites them to it.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The parts of `make test`, for a quicker loop while authoring. test-fast: every test but the slow ones
# (those that run the grader, install packages or build and run whole copies); see pyproject.toml's markers.
test-fast: setup
	$(BIN)/python -m pytest -p no:cacheprovider $(PARALLEL) -m "not slow" tests/

test-notebooks: setup
	$(BIN)/python -m pytest $(NBVAL) solutions/$(if $(NB),$(NB).ipynb,)

test-grader: setup bubblewrap
	$(BIN)/python -m pytest -p no:cacheprovider $(PARALLEL) tests/test_grade_*.py

# Every notebook of solutions/ and notebooks/ opened and run in JupyterLab in headless Chromium, as a
# learner would; a screenshot of each in build/screenshots/ (CI keeps it), and an accessibility audit
# (axe-core) of each page and of a class report in build/accessibility/.
# Its tests are spread one by one over the workers (each worker starts its own JupyterLab and Chromium).
test-browser: setup chromium axe
	$(BIN)/python -m pytest -p no:cacheprovider $(if $(filter 1,$(JOBS)),,-n $(JOBS) --dist load) tests/browser

# Re-take the README's screenshots, docs/screenshots/<notebook>.png, with the browser test.
screenshots: setup chromium axe
	$(BIN)/python -m pytest -p no:cacheprovider tests/browser -k solutions --readme-screenshots

# Debian's Chromium for the browser test, installed with apt when missing (nothing downloads a browser).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# Playwright's own driver (a bundled Node.js) needs libatomic.so.1, which a minimal Debian lacks.
chromium:
	@command -v chromium >/dev/null && /sbin/ldconfig -p | grep -q 'libatomic\.so\.1 ' || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium libatomic1; }

# The README's setup and notebook 04 on a fresh Debian 12 root (python3, python3-venv, make, git only),
# as a learner, and Gradescope's setup.sh there; the root is made once with mmdebstrap and cached in
# build/fresh-machine/. Needs root. Also the grader's tests and notebook 04 on CPython 3.10, where the
# machine has one (a venv of it cached in build/python310/).
.PHONY: test-fresh mmdebstrap
test-fresh: setup mmdebstrap
	$(BIN)/python -m pytest -p no:cacheprovider $(PARALLEL) -m fresh_machine tests/fresh_machine

mmdebstrap:
	@command -v mmdebstrap >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y mmdebstrap; }

# axe-core, the accessibility audit the browser test injects into each page: the version that
# tests/browser/package-lock.json pins, from the npm registry with `npm ci` (Debian's npm when missing).
AXE := tests/browser/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y npm; }
	cd tests/browser && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

# Debian's bubblewrap, the grader's sandbox, installed with apt when missing (as Chromium is).
bubblewrap:
	@command -v bwrap >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y bubblewrap; }

# Authoring: regenerate everything made from solutions/ and the registry (tools/generate.py); or first
# re-run solution notebooks (NB=name, or all).
notebooks: setup
	$(BIN)/python -m tools.generate

execute: setup
	$(BIN)/python -m tools.generate --execute $(NB)

# Grade learners' notebooks: make grade SUBMISSIONS=<folder or notebook> [OUT=build/grades] [GRADE_FLAGS=...]
#   [NOTEBOOK=<the notebook whose assignment this download is: a file that is another notebook is flagged>]
#   [ROSTER=<the LMS's gradebook export or grading worksheet> [ASSIGNMENT=<Canvas assignment name or id>]]
#   [SHARD=i/N: part i (0 to N-1) of N, into OUT/parts/<i>-of-<N>/; then make merge OUT=... puts them together]
OUT ?= build/grades
PART = $(if $(SHARD),$(OUT)/parts/$(subst /,-of-,$(SHARD)),$(OUT))
LMS = $(if $(ROSTER),$(BIN)/python -m grader.commands.lms "$(ROSTER)" --results "$(OUT)/results.json" --out "$(OUT)" $(if $(ASSIGNMENT),--assignment "$(ASSIGNMENT)") $(if $(NOTEBOOK),--notebook "$(NOTEBOOK)"))
grade: setup bubblewrap
	@test -n "$(SUBMISSIONS)" || { echo "Usage: make grade SUBMISSIONS=<folder or notebook> [OUT=build/grades]" >&2; exit 2; }
	$(BIN)/python -m grader "$(SUBMISSIONS)" --out "$(PART)" $(if $(NOTEBOOK),--handed-in-to "$(NOTEBOOK)") $(if $(SHARD),--shard "$(SHARD)") $(GRADE_FLAGS)
	$(if $(SHARD),@echo "Part $(SHARD) written to $(PART); then make merge OUT=$(OUT) once every part is",$(BIN)/python -m grader.commands.report "$(OUT)")
	$(if $(SHARD),,$(LMS))

# The parts of make grade SHARD=i/N (OUT/parts/*/, or PARTS="<folder> ...") into OUT, as one run would
# have written it; then the class report and, with ROSTER=, the LMS's file.
merge: setup
	$(BIN)/python -m grader.commands.merge "$(OUT)" $(PARTS) $(MERGE_FLAGS)
	$(BIN)/python -m grader.commands.report "$(OUT)"
	$(LMS)

# The grader against one fresh kernel per notebook, side by side, per submission at N (1000) submissions,
# the fresh kernels run on SAMPLE (10) of them and scaled: make bench [N=1000] [SAMPLE=10] (about 4 minutes)
N ?= 1000
SAMPLE ?= 10
bench: setup bubblewrap
	$(BIN)/python benchmarks/grading.py --n $(N) --sample $(SAMPLE)

# Some of the slow test files run one at a time, then on every core as make test runs them: the ratio.
bench-tests: setup bubblewrap
	$(BIN)/python benchmarks/test_suite.py

# What learners get: build/release/<course>-<version>/ and its zip, with no solution code in it
# (classroom.toml declares what is withheld). SOLUTIONS=published: every solution in, after grading.
# SOURCE_URL=<where you host the zip>: what a notebook opened in Colab fetches, not the public repository.
# TEMPLATE=github: also a GitHub Classroom template repository per assignment, with its autograding workflow.
release: setup
	$(BIN)/python -m tools.release learners --out build/release $(if $(SOLUTIONS),--solutions $(SOLUTIONS),) $(if $(SOURCE_URL),--source-url "$(SOURCE_URL)",) $(if $(TEMPLATE),--template $(TEMPLATE),)

# build/gradescope/<assignment>.zip, each to upload to Gradescope: make gradescope SECRET_FILE=<file outside the repo>
# (or GRADE_SECRET=...); the secret draws the hidden cases. Without one, only the public cases.
gradescope: setup
	$(BIN)/python -m tools.release gradescope --out build/gradescope $(if $(SECRET_FILE),--secret-file "$(SECRET_FILE)",) $(if $(ASSIGNMENT),--assignment "$(ASSIGNMENT)",)

# build/otter/<notebook>/ for each graded notebook: what `otter generate` is handed (docs/otter.md).
otter: setup
	$(BIN)/python -m tools.release otter --out build/otter

# The grader's peak memory (PSS over its processes) grading one submission, as on Gradescope.
bench-memory: setup bubblewrap
	$(BIN)/python benchmarks/gradescope_memory.py

# Re-resolve constraints.txt, one lock for every supported platform and Python, with uv (installed into a
# throwaway venv; learners never need it). Versions already locked are kept where they still fit.
# LOCK_CAPS: releases that need a newer Python patch than a supported system ships (soupsieve 3.0.2
# and later need 3.11.5; Debian 12 has 3.11.2). Then re-execute the notebooks if a printed version changed.
LOCK_CAPS := soupsieve<3.0.2
# LOCK_PYTHON: the oldest supported Python. uv resolves for it and every newer one, and forks a package
# (python_full_version < '3.11') only where its locked release needs 3.11 (NumPy, matplotlib, IPython).
LOCK_PYTHON := 3.10
LOCK := build/lock
lock:
	rm -rf $(LOCK) && mkdir -p $(LOCK)
	python=$$(sh tools/find_python.sh $(PYTHON)) && "$$python" -m venv $(LOCK)/venv
	$(LOCK)/venv/bin/python -m pip install --quiet uv
	grep -v '^-c ' requirements.txt > $(LOCK)/requirements.txt
	cp requirements-test.txt $(LOCK)/ && printf '%s\n' '$(LOCK_CAPS)' > $(LOCK)/caps.txt
	cp constraints.txt $(LOCK)/constraints.txt
	cd $(LOCK) && venv/bin/uv pip compile --quiet --universal --python-version $(LOCK_PYTHON) \
	    --custom-compile-command "make lock" -c caps.txt -o constraints.txt requirements-test.txt
	mv $(LOCK)/constraints.txt constraints.txt && rm -rf $(LOCK)

clean:
	rm -rf $(VENV) build tests/browser/node_modules
