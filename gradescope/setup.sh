#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (Ubuntu). It installs
# Python 3.11 (the course's; its stored outputs and constraints.txt were made with it) and the
# course's pinned packages into a venv that run_autograder uses, makes the course's `checks` and
# `grader` packages importable in it, and installs bubblewrap, the grader's sandbox.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"          # this zip, extracted
VENV="$ROOT/venv"
export DEBIAN_FRONTEND=noninteractive

apt-get update
if ! command -v python3.11 >/dev/null 2>&1; then
  if ! apt-get install -y --no-install-recommends python3.11 python3.11-venv; then
    # Not in this Ubuntu's archive (22.04, 24.04): the deadsnakes archive has it.
    apt-get install -y --no-install-recommends software-properties-common gpg-agent
    add-apt-repository -y ppa:deadsnakes/ppa
    apt-get update
    apt-get install -y --no-install-recommends python3.11 python3.11-venv
  fi
fi
apt-get install -y --no-install-recommends python3.11-venv || true
apt-get install -y --no-install-recommends bubblewrap

python3.11 -m venv "$VENV"
"$VENV/bin/python" -m pip install --upgrade pip
if [ -f "$SOURCE/constraints.txt" ]; then  # every package at the version the course was tested with
  "$VENV/bin/python" -m pip install -r "$SOURCE/requirements.txt" -c "$SOURCE/constraints.txt"
else
  "$VENV/bin/python" -m pip install -r "$SOURCE/requirements.txt"
fi
"$VENV/bin/python" - "$SOURCE" <<'PY'
import pathlib, site, sys
pathlib.Path(site.getsitepackages()[0], "course_checks.pth").write_text(sys.argv[1] + "\n")
PY
# Fail the image build now, not at the first submission, if anything is missing.
"$VENV/bin/python" -c 'import grader.gradescope, tensorflow as tf; print("autograder ready: TensorFlow", tf.__version__)'
