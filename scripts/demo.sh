#!/usr/bin/env bash
# Sets everything up, then opens JupyterLab with the extension on the demo notebook.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
extra=()
if [ "$(id -u)" = 0 ]; then extra+=(--allow-root); fi
exec jupyter lab "${extra[@]}" examples/demo.ipynb "$@"
