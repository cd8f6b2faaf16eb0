#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (Ubuntu 18.04, 20.04,
# 22.04 or 24.04; Debian 12 works too). Nothing here asks a question.
#
# It makes $ROOT/venv with a RELEASED CPython 3.10 to 3.13 (constraints.txt pins packages for each)
# and installs there only what the grader needs (requirements-grader.txt: TensorFlow CPU, NumPy,
# nbformat, IPython), plus bubblewrap, the grader's sandbox. Where the Python comes from:
#   - the image's own python3 (then python3.13 ... python3.10), if it is a final CPython 3.10 to 3.13:
#     Ubuntu 22.04's python3 is 3.10, Ubuntu 24.04's 3.12, Debian 12's 3.11. Nothing is downloaded
#     but packages from PyPI and Ubuntu's own. Never a release candidate: Ubuntu 22.04's "python3.11"
#     package is 3.11.0rc1, and is refused here;
#   - only where the image has none (Ubuntu 18.04's python3 is 3.6, 20.04's 3.8), uv's CPython 3.11
#     (python-build-standalone), which `uv python install` downloads from GitHub (Gradescope's builders
#     reach it; set UV_PYTHON_INSTALL_MIRROR to use a mirror). No PPA: deadsnakes drops builds for
#     end-of-life Ubuntu releases.
# uv itself comes from PyPI (its wheel holds one static binary), fetched with the image's python3,
# so no pip and no python3-venv are needed either (Ubuntu 18.04's pip is too old for uv's wheel tags).
#
# AUTOGRADER_PYTHON_ROUTE=auto|system|uv picks the route (default auto: system if it qualifies, else
# uv); AUTOGRADER_ROOT moves /autograder (the course's tests use a temporary folder);
# AUTOGRADER_PYPI is the package index (default https://pypi.org/simple), for uv and for uv's wheel.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"                 # this zip, extracted
VENV="$ROOT/venv"
TOOLS="$ROOT/tools"                   # uv, and the CPython it installs when the image has none
ROUTE="${AUTOGRADER_PYTHON_ROUTE:-auto}"
PYPI="${AUTOGRADER_PYPI:-https://pypi.org/simple}"
PYTHON_VERSION=3.11                   # what the uv route installs
UV_VERSION=0.13.8
export DEBIAN_FRONTEND=noninteractive UV_CACHE_DIR="$TOOLS/cache" UV_LINK_MODE=copy UV_NO_PROGRESS=1
# The system's certificate store (ca-certificates), so a site's own TLS proxy works as well as the public roots.
export UV_DEFAULT_INDEX="$PYPI" UV_PYTHON_INSTALL_DIR="$TOOLS/python" UV_SYSTEM_CERTS=1

say() { echo "setup.sh: $*"; }
case "$ROUTE" in auto|system|uv) ;; *) say "AUTOGRADER_PYTHON_ROUTE must be auto, system or uv, not '$ROUTE'"; exit 2;; esac

apt-get update -q
# bubblewrap: the sandbox; python3: to fetch uv (already on every Gradescope image); certificates for https.
apt-get install -y -q --no-install-recommends --no-upgrade bubblewrap ca-certificates python3

# uv from its PyPI wheel: the manylinux wheel for this machine, checked against the index's sha256.
mkdir -p "$TOOLS"
UV="$TOOLS/uv"
if [ ! -x "$UV" ]; then
  python3 - "$PYPI" "$UV_VERSION" "$UV" <<'PY'
import hashlib, io, json, os, platform, sys, urllib.request, zipfile
index, version, target = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
request = urllib.request.Request(index + "/uv/", headers={"Accept": "application/vnd.pypi.simple.v1+json"})
files = json.load(urllib.request.urlopen(request, timeout=120))["files"]
arch = platform.machine()
wheels = [f for f in files if f["filename"].startswith("uv-%s-py3-none-manylinux" % version)
          and f["filename"].endswith("_%s.whl" % arch)]
if not wheels:
    sys.exit("setup.sh: no uv %s wheel for %s on %s" % (version, arch, index))
wheel = wheels[0]
data = urllib.request.urlopen(wheel["url"], timeout=300).read()
if hashlib.sha256(data).hexdigest() != wheel["hashes"]["sha256"]:
    sys.exit("setup.sh: %s does not match its sha256 on %s" % (wheel["filename"], index))
with zipfile.ZipFile(io.BytesIO(data)) as archive:
    binary = archive.read("uv-%s.data/scripts/uv" % version)
with open(target, "wb") as out:
    out.write(binary)
os.chmod(target, 0o755)
print("setup.sh: uv %s from %s" % (version, wheel["filename"]))
PY
fi

supported() {  # a final CPython 3.10 to 3.13, not an alpha, beta or release candidate
  "$1" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 13) and sys.version_info.releaselevel == "final" and sys.implementation.name == "cpython" else 1)' 2>/dev/null
}
PYTHON=""
if [ "$ROUTE" != uv ]; then
  for candidate in python3 python3.13 python3.12 python3.11 python3.10; do
    found="$(command -v "$candidate" || true)"
    if [ -n "$found" ] && supported "$found"; then PYTHON="$found"; break; fi
  done
  if [ -z "$PYTHON" ] && [ "$ROUTE" = system ]; then
    say "this image has no released CPython 3.10 to 3.13 (python3 is $(python3 -V 2>&1)); use AUTOGRADER_PYTHON_ROUTE=uv"
    exit 1
  fi
fi
if [ -n "$PYTHON" ]; then
  route=system
else
  route=uv
  "$UV" python install "$PYTHON_VERSION"
  PYTHON="$("$UV" python find --python-preference only-managed "$PYTHON_VERSION")"
  supported "$PYTHON" || { say "uv installed $("$PYTHON" -V 2>&1), not a released $PYTHON_VERSION"; exit 1; }
fi
say "Python ($route route): $PYTHON ($("$PYTHON" -V 2>&1))"

rm -rf "$VENV"
"$UV" venv --python "$PYTHON" "$VENV"
"$UV" pip install --python "$VENV/bin/python" -r "$SOURCE/requirements-grader.txt" -c "$SOURCE/constraints.txt"
# The source folder (checks/, grader/) on the venv's path, whatever the current folder.
"$VENV/bin/python" - "$SOURCE" <<'PY'
import pathlib, sys, sysconfig
pathlib.Path(sysconfig.get_paths()["purelib"], "course_source.pth").write_text(sys.argv[1] + "\n")
PY
rm -rf "$UV_CACHE_DIR"  # a smaller image; nothing reads the cache again
# Fail the image build now, not at the first submission, if anything is missing (from /, so only the
# venv's own path counts, not whatever folder this script was started in).
cd /
TF_CPP_MIN_LOG_LEVEL=3 "$VENV/bin/python" -c 'import grader.commands.gradescope, tensorflow as tf, sys; print("autograder ready: Python", sys.version.split()[0], "TensorFlow", tf.__version__)'
