#!/usr/bin/env bash
# Re-create the model shipped in the package, fer_fastai/default_model (safetensors + JSON + model card), and its
# results in results/default-model (log, summary, plots, PublicTest evaluations, test-set `id,label` predictions):
# the cpu-1h recipe end to end (scripts/cpu_30min.sh with RECIPE=cpu-1h: about an hour on 2 CPU cores without AVX-512),
# then the model folder.
# Usage: FER2013_PATH=/path/to/fer2013 bash scripts/default_model.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export RECIPE=cpu-1h RUN=${RUNS_DIR:-runs}/default-model-$(date +%Y%m%d-%H%M%S)
bash scripts/cpu_30min.sh results/default-model
fer-fastai export "$RUN" --out fer_fastai/default_model --recreate "FER2013_PATH=/path/to/fer2013 bash scripts/default_model.sh"
