#!/usr/bin/env bash
# The GPU proof in one command (see bench/gpu_check.py); --dry-run checks it on the CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
exec "$PY" bench/gpu_check.py "$@"
