#!/bin/sh
# Prints the path of a Python that can run the course, or says in one sentence why there is none.
#
#   sh tools/find_python.sh            # tries python3.13, python3.12, python3.11, python3.10, python3 on PATH
#   sh tools/find_python.sh /some/python3.12   # only that one (the Makefile passes PYTHON=...)
#
# Supported: final releases of CPython 3.10 to 3.13 (TensorFlow 2.21's wheels; constraints.txt is
# resolved for all four; Ubuntu 22.04 ships 3.10, Debian 12 3.11), never an alpha, beta or release
# candidate (Ubuntu 22.04's python3.11 package is 3.11.0rc1), with a working `venv` (Debian and Ubuntu
# ship ensurepip separately, in python3-venv), on Linux x86-64 or aarch64 or macOS on Apple silicon.
# Where uv is installed, a Python that uv has already installed counts too. POSIX sh: runs under
# dash, bash 3.2 and zsh.

SUPPORTED="CPython 3.10 to 3.13"

# "version machine venv" for a working interpreter, nothing for anything else.
probe() {
    "$1" -c '
import platform, sys
try:
    import ensurepip, venv
    has_venv = "venv"
except ImportError:
    has_venv = "no-venv"
impl = "cpython" if platform.python_implementation() == "CPython" else "other"
level = {"alpha": "a", "beta": "b", "candidate": "rc"}.get(sys.version_info.releaselevel, "")
pre = level and "%s%d" % (level, sys.version_info.serial)  # 3.11.0rc1; nothing for a final release
print("%d.%d.%d%s %s %s %s %s" % (sys.version_info[:3] + (pre, sys.platform, platform.machine(), has_venv, impl)))
' 2>/dev/null
}

# Why this probe's Python cannot run the course, or nothing when it can.
unfit() {
    set -- $1
    version=$1 os=$2 machine=$3 venv=$4 impl=$5
    major=${version%%.*} rest=${version#*.}
    minor=${rest%%.*} patch=${rest#*.}
    if [ "$impl" != cpython ]; then
        echo "is not CPython"
    elif [ "$major" -ne 3 ] || [ "$minor" -lt 10 ]; then
        echo "is too old"
    elif [ "$minor" -gt 13 ]; then
        echo "is too new for TensorFlow 2.21"
    elif case $patch in *[!0-9]*) true;; *) false;; esac; then
        echo "is a pre-release, not a final release"
    elif [ "$os" = darwin ] && [ "$machine" = x86_64 ]; then
        echo "runs on an Intel Mac, for which TensorFlow 2.21 has no wheel; use Colab or Binder, see README"
    elif ! { [ "$os" = linux ] && { [ "$machine" = x86_64 ] || [ "$machine" = aarch64 ]; }; } \
        && ! { [ "$os" = darwin ] && [ "$machine" = arm64 ]; }; then
        echo "runs on $os $machine, for which TensorFlow 2.21 has no wheel"
    elif [ "$venv" != venv ]; then
        echo "has no venv module; on Debian or Ubuntu: sudo apt install python3-venv"
    fi
}

found=""
try() {
    path=$(command -v "$1" 2>/dev/null) || return 1
    info=$(probe "$path")
    if [ -z "$info" ]; then
        found="$found${found:+, }$1 (does not start)"
        return 1
    fi
    why=$(unfit "$info")
    if [ -z "$why" ]; then
        echo "$path"
        return 0
    fi
    found="$found${found:+, }$1 ${info%% *} ($why)"
    return 1
}

if [ -n "$1" ]; then
    try "$1" && exit 0
    [ -n "$found" ] || found="no $1"
    echo "PYTHON=$1 cannot run the course: found $found; supported: $SUPPORTED with venv; name another with make PYTHON=/path/to/python3.12." >&2
    exit 1
fi

# python3.14 can never fit; it is tried only so that the sentence names it.
for candidate in python3.13 python3.12 python3.11 python3.10 python3 python3.14; do
    try "$candidate" && exit 0
done
if command -v uv >/dev/null 2>&1; then
    from_uv=$(uv python find --no-project '>=3.10,<3.14' 2>/dev/null) && try "$from_uv" && exit 0
    install="run \`uv python install 3.12\` (uv is here), or install Python 3.12 with your system's packages"
else
    install="install Python 3.12 (Debian/Ubuntu: sudo apt install python3 python3-venv; macOS: brew install python@3.12)"
fi
[ -n "$found" ] || found="no python3 on PATH"
echo "No Python here can run the course: found $found; supported: $SUPPORTED with venv on Linux x86-64/aarch64 or Apple-silicon macOS; $install and run make again, or name one with make PYTHON=/path/to/python3." >&2
exit 1
