#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image. It finds (or builds) a
# Python 3.11 or newer and installs the grader's dependencies, torch, numpy and pytest, into
# /autograder/venv. Verified on Gradescope's Ubuntu 22.04 and 24.04 base images:
#   24.04: the image's own python3 (3.12), with python3.12-venv from apt;
#   22.04: its python3 is 3.10 and apt's python3.11 a release candidate that torch cannot run on,
#          so CPython is built from the source tarball in Debian's archive (a few minutes, once).
# Elsewhere it needs either a Python 3.11+ (a final release, with venv) or apt and a C compiler;
# set PYTHON to choose an interpreter yourself.
#
# Settings, from the environment:
#   TORCH_SPEC       the PyTorch requirement (default @TORCH_SPEC@)
#   TORCH_INDEX      the pip index PyTorch comes from (default: PyTorch's CPU wheels; empty: PyPI's
#                    default index, which has the CUDA build, about 3 GB)
#   PYTHON           the interpreter to use, instead of looking for one
#   PYTHON_VERSIONS  the Python versions to accept, in order of preference (default "3.13 3.12 3.11")
#   AUTOGRADER_ROOT  where Gradescope's /autograder is (default /autograder)
# pip's own settings (PIP_FIND_LINKS, PIP_INDEX_URL, ...) apply as usual.
#
#   setup.sh --find-python   only find (or install, or build) the interpreter and print it
set -euo pipefail
shopt -s inherit_errexit

TORCH_SPEC="${TORCH_SPEC:-@TORCH_SPEC@}"
TORCH_INDEX="${TORCH_INDEX-@TORCH_INDEX@}"
PYTHON_VERSIONS="${PYTHON_VERSIONS:-3.13 3.12 3.11}"
ROOT="${AUTOGRADER_ROOT:-/autograder}"
VENV="$ROOT/venv"
SOURCE_URL="@PYTHON_SOURCE_URL@"
SOURCE_SHA256="@PYTHON_SOURCE_SHA256@"
SOURCE_PREFIX=/opt/autograder-python
export DEBIAN_FRONTEND=noninteractive

say() { printf 'setup.sh: %s\n' "$*"; }
fail() {
  printf 'setup.sh: error: %s\n' "$*" >&2
  exit 1
}

# A usable interpreter: one of PYTHON_VERSIONS, a final release (22.04's 3.11.0rc1 is not: torch
# needs sys.get_int_max_str_digits), with the venv module.
usable() {
  local found
  found="$("$1" -c 'import sys; v = sys.version_info
if v.releaselevel == "final" and hasattr(sys, "get_int_max_str_digits"): print(f"{v.major}.{v.minor}")' 2>/dev/null)" ||
    return 1
  [[ " $PYTHON_VERSIONS " == *" $found "* ]]
}

installed_python() {
  local version candidate
  for version in $PYTHON_VERSIONS; do
    for candidate in "$SOURCE_PREFIX/bin/python$version" "python$version"; do
      if command -v "$candidate" >/dev/null && usable "$candidate"; then
        command -v "$candidate"
        return 0
      fi
    done
  done
  if command -v python3 >/dev/null && usable python3; then
    command -v python3
    return 0
  fi
  return 1
}

# The first apt package among python3 and python3.X whose candidate is a final release of an
# accepted version (apt's version strings mark pre-releases with "~": 3.11.0~rc1-1~22.04).
apt_python() {
  local version package candidate
  for version in $PYTHON_VERSIONS; do
    for package in python3 "python$version"; do
      candidate="$(apt-cache policy "$package" 2>/dev/null | awk '/Candidate:/ {print $2}')"
      if [[ -n "$candidate" && "$candidate" != "(none)" && "${candidate%%-*}" != *"~"* &&
        "$candidate" == "$version".* ]]; then
        echo "$package"
        return 0
      fi
    done
  done
  return 1
}

build_python() {
  local work
  say "building CPython from $SOURCE_URL (no packaged Python fits: this takes a few minutes, once)"
  apt-get install -y --no-install-recommends build-essential ca-certificates curl libbz2-dev libffi-dev \
    liblzma-dev libsqlite3-dev libssl-dev pkg-config xz-utils zlib1g-dev >/dev/null
  work="$(mktemp -d)"
  curl --fail --silent --show-error --location --retry 3 --output "$work/python.tar.gz" "$SOURCE_URL"
  echo "$SOURCE_SHA256  $work/python.tar.gz" | sha256sum --check --quiet
  tar -xzf "$work/python.tar.gz" -C "$work" --strip-components 1
  (
    cd "$work"
    ./configure --prefix="$SOURCE_PREFIX" --disable-test-modules >"$work/build.log" 2>&1 &&
      make -j"$(nproc)" >>"$work/build.log" 2>&1 &&
      make altinstall >>"$work/build.log" 2>&1
  ) || {
    tail -n 40 "$work/build.log" >&2
    fail "building CPython failed (the end of its log is above)"
  }
  rm -rf "$work"
}

find_python() {
  local found package
  if [[ -n "${PYTHON:-}" ]]; then
    usable "$PYTHON" || fail "PYTHON=$PYTHON is not a final release of Python $PYTHON_VERSIONS"
    command -v "$PYTHON"
    return 0
  fi
  found="$(installed_python)" && {
    echo "$found"
    return 0
  }
  command -v apt-get >/dev/null ||
    fail "no Python ${PYTHON_VERSIONS// / or } here, and no apt-get to install one: set PYTHON=/path/to/python3.11 (or newer)"
  apt-get update >/dev/null
  if package="$(apt_python)"; then
    say "installing $package from apt" >&2
    apt-get install -y --no-install-recommends "$package" >/dev/null
  else
    build_python >&2
  fi
  found="$(installed_python)" || fail "no usable Python after installing one: set PYTHON=/path/to/python3.11 (or newer)"
  echo "$found"
}

make_venv() {
  local python="$1" minor
  if "$python" -m venv "$VENV" 2>/dev/null; then
    return 0
  fi
  command -v apt-get >/dev/null || fail "$python has no working venv module"
  minor="$("$python" -c 'import sys; print(f"{sys.version_info.major}.{sys.version_info.minor}")')"
  say "installing python$minor-venv from apt"
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends "python$minor-venv" >/dev/null
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
}

PYTHON="$(find_python)"
say "Python: $PYTHON ($("$PYTHON" -VV | head -n 1))"
if [[ "${1:-}" == "--find-python" ]]; then
  exit 0
fi
make_venv "$PYTHON"
if [[ -n "$TORCH_INDEX" ]]; then
  say "installing $TORCH_SPEC from $TORCH_INDEX"
  "$VENV/bin/python" -m pip install --no-input --index-url "$TORCH_INDEX" "$TORCH_SPEC"
else
  say "installing $TORCH_SPEC from pip's default index"
  "$VENV/bin/python" -m pip install --no-input "$TORCH_SPEC"
fi
"$VENV/bin/python" -m pip install --no-input numpy pytest
"$VENV/bin/python" -c 'import numpy, pytest, torch; print("setup.sh: torch", torch.__version__, "numpy", numpy.__version__)'
