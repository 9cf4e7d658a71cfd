#!/usr/bin/env bash
# Sets up everything on a fresh machine: a Python venv (.venv) with JupyterLab,
# ipykernel and CPU torch, the npm packages, the built extension installed into
# the venv. Safe to run again: it only does what is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
# Where the default package index is slow to answer, pip retries for minutes.
export PIP_RETRIES="${PIP_RETRIES:-1}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y nodejs npm
  else
    echo "Node.js 20 or newer and npm are needed; install them and run this again." >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
# torch is pinned to the CPU build: an open range pulls a CUDA build of several GB.
pip install -q "jupyterlab==4.6.4" "ipykernel>=6" "torch==2.13.0" \
  "hatchling>=1.5.0" "hatch-nodejs-version>=0.3.2" "hatch-jupyter-builder>=0.5" editables

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build:prod
pip install -q --no-build-isolation -e .
jupyter labextension develop --overwrite . >/dev/null
jupyter labextension list 2>&1 | grep -q "jupyterlab-ascend-profiler.*enabled.*OK" || {
  echo "The extension is not listed as enabled and OK by 'jupyter labextension list'." >&2
  jupyter labextension list >&2
  exit 1
}
echo "Setup done: .venv holds JupyterLab with jupyterlab-ascend-profiler."
