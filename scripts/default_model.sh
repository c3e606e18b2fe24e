#!/usr/bin/env bash
# Re-create the model shipped in the package, fer_fastai/default_model (safetensors + JSON + model card), and its
# results in results/default-model (log, summary, plots, PublicTest evaluations with flip and ten-crop TTA, test-set
# `id,label` predictions with both): the cpu-2h recipe (seed 42, random 40 px windows of the faces) end to end with
# ten-crop TTA (scripts/cpu_2h.sh with CROPS=1: about 100 minutes on 2 CPU cores with AVX-512), then the model folder.
# Usage: FER2013_PATH=/path/to/fer2013 bash scripts/default_model.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CROPS=1 RUN=${RUNS_DIR:-runs}/default-model-$(date +%Y%m%d-%H%M%S)
bash scripts/cpu_2h.sh results/default-model
fer-fastai export "$RUN" --out fer_fastai/default_model --recreate "FER2013_PATH=/path/to/fer2013 bash scripts/default_model.sh"
