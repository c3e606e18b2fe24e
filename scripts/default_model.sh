#!/usr/bin/env bash
# Re-create the model shipped in the package, fer_fastai/default_model (safetensors + JSON + model card), and its
# results in results/default-model (log, summary, plots, PublicTest evaluations, test-set `id,label` predictions):
# the cpu-tiny recipe end to end (scripts/cpu_30min.sh with RECIPE=cpu-tiny: 13 minutes of training on 2 CPU cores with AVX-512, about 40 without),
# then the model folder.
# Usage: FER2013_PATH=/path/to/fer2013 bash scripts/default_model.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export RECIPE=cpu-tiny RUN=${RUNS_DIR:-runs}/default-model-$(date +%Y%m%d-%H%M%S)
bash scripts/cpu_30min.sh results/default-model
fer-fastai export "$RUN" --out fer_fastai/default_model --recreate "FER2013_PATH=/path/to/fer2013 bash scripts/default_model.sh"
