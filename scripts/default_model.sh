#!/usr/bin/env bash
# Re-create the model shipped in the package, fer_fastai/default_model (safetensors + JSON + model card), and its
# results in results/default-model (log, summary, plots, PublicTest evaluations with flip and ten-crop TTA, test-set
# `id,label` predictions with both): the cpu-2h recipe end to end (scripts/cpu_2h.sh: about 2 hours of training on 2
# CPU cores with AVX-512), its ten-crop evaluation and test predictions, then the model folder.
# Usage: FER2013_PATH=/path/to/fer2013 bash scripts/default_model.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export RUN=${RUNS_DIR:-runs}/default-model-$(date +%Y%m%d-%H%M%S)
results=results/default-model
bash scripts/cpu_2h.sh "$results"
fer-fastai evaluate "$RUN" --tta --crops
fer-fastai predict --model "$RUN/model" "$FER2013_PATH/test_images.zip" --tta --crops --out "$RUN/test_predictions_tencrop_probs.csv"
cut -d, -f1,2 "$RUN/test_predictions_tencrop_probs.csv" > "$results/test_predictions_tencrop.csv"
cp "$RUN"/{eval-valid-tta-crops.json,confusion-valid-tta-crops.png,probs-valid-tta-crops.csv,test_predictions_tencrop_probs.csv} "$results/"
fer-fastai export "$RUN" --out fer_fastai/default_model --recreate "FER2013_PATH=/path/to/fer2013 bash scripts/default_model.sh"
