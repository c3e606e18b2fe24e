#!/usr/bin/env bash
# Set up .venv with fer-fastai (editable) and its dev tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
. .venv/bin/activate
# torchvision ships no CPU-only build: the regular torch/torchvision wheels (CUDA builds) also run on a CPU.
python -c "import torchvision.ops" 2>/dev/null || pip install -q "torch==2.14.1" "torchvision==0.29.1"
pip install -q -e ".[dev]"
