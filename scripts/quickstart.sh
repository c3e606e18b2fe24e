#!/usr/bin/env bash
# Set up, then run the main job on FER-2013 (FER2013_PATH) or, without it, the synthetic faces:
# a data summary with a sample grid, then a short training run of the keras-cnn recipe (runs/quickstart).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/fer-fastai data summary --png fer_samples.png "$@"
.venv/bin/fer-fastai train --recipe keras-cnn --subset 300 --stages 5@3e-3 --bs 32 --out "runs/quickstart-$(date +%Y%m%d-%H%M%S)"
