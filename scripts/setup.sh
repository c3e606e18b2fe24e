#!/usr/bin/env bash
# Set up .venv with fer-fastai (editable) and its dev tools. Safe to run again: when pyproject.toml has not changed
# since the last install (the stamp .venv/.pyproject.sha1), the install is skipped (it takes 30 s even when nothing is new).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
. .venv/bin/activate
# torchvision ships no CPU-only build: the regular torch/torchvision wheels (CUDA builds) also run on a CPU.
python -c "import importlib.util as u, sys; sys.exit(not (u.find_spec('torch') and u.find_spec('torchvision')))" || pip install -q "torch==2.14.1" "torchvision==0.29.1"
stamp=.venv/.pyproject.sha1
if [ "$(cat "$stamp" 2>/dev/null)" != "$(sha1sum pyproject.toml)" ] || ! pip show -q fer-fastai 2>/dev/null; then
  pip install -q -e ".[dev]"
  sha1sum pyproject.toml > "$stamp"
fi
