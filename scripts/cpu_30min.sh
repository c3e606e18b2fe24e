#!/usr/bin/env bash
# The `cpu-30min` recipe end to end on this machine, timed from start to finish: load FER-2013, train from scratch,
# evaluate on PublicTest (`valid`) with flip TTA, predict test_images.zip (CSV `id,label`). The probability tables of both
# (probs-valid-tta.csv, test_predictions_probs.csv) let `fer-fastai blend` join the run to an ensemble after its weights are gone.
# Usage: FER2013_PATH=/path/to/fer2013 bash scripts/cpu_30min.sh [RESULTS_DIR [TRAIN OPTIONS...]]
#   RESULTS_DIR (default results/cpu-30min) gets the small files: log, summary, plots, predictions; the run folder
#   (weights, and the exported model in model/) is $RUN (default: $RUNS_DIR/cpu-30min-TIME, RUNS_DIR default runs/).
#   TRAIN OPTIONS change the recipe, e.g. `--subset 20 --stages 1@3e-3` for a quick check (CI does that);
#   $RECIPE runs another recipe the same way (scripts/cpu_2h.sh: cpu-2h); CROPS=1 adds ten-crop TTA (`--tta --crops`) to the
#   evaluation (before the export, so the model card lists it) and to the test predictions (scripts/default_model.sh).
set -euo pipefail
: "${FER2013_PATH:?set FER2013_PATH to the folder with train.zip, valid.zip and test_images.zip}"
results=${1:-results/cpu-30min}
recipe=${RECIPE:-cpu-30min}
run=${RUN:-${RUNS_DIR:-runs}/$recipe-$(date +%Y%m%d-%H%M%S)}
start=$(date +%s)
mkdir -p "$results"
fer-fastai train --recipe "$recipe" --out "$run" "${@:2}"
fer-fastai evaluate "$run"
fer-fastai evaluate "$run" --tta
if [ -n "${CROPS:-}" ]; then fer-fastai evaluate "$run" --tta --crops; fi
fer-fastai export "$run" --out "$run/model"
fer-fastai predict --model "$run/model" "$FER2013_PATH/test_images.zip" --tta --out "$run/test_predictions_probs.csv"
cut -d, -f1,2 "$run/test_predictions_probs.csv" > "$results/test_predictions.csv"
if [ -n "${CROPS:-}" ]; then
  fer-fastai predict --model "$run/model" "$FER2013_PATH/test_images.zip" --tta --crops --out "$run/test_predictions_tencrop_probs.csv"
  cut -d, -f1,2 "$run/test_predictions_tencrop_probs.csv" > "$results/test_predictions_tencrop.csv"
fi
echo "wall time, start to test predictions: $(( $(date +%s) - start )) s"
cp "$run"/{config.json,log.csv,summary.json,curves.png,eval-valid.json,eval-valid-tta.json,confusion-valid-tta.png,probs-valid-tta.csv,test_predictions_probs.csv} "$results/"
if [ -n "${CROPS:-}" ]; then cp "$run"/{eval-valid-tta-crops.json,confusion-valid-tta-crops.png,probs-valid-tta-crops.csv,test_predictions_tencrop_probs.csv} "$results/"; fi
