#!/usr/bin/env bash
# Set up, then run the main job on FER-2013 (FER2013_PATH) or, without it, the synthetic faces:
# a data summary with a sample grid, a short training run of the keras-cnn recipe (runs/quickstart-TIME),
# its evaluation on the whole validation split with flip TTA, a shareable model folder (+ ONNX), and, when
# FER2013_PATH holds test_images.zip, the id,label predictions for it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
fer=.venv/bin/fer-fastai
run="runs/quickstart-$(date +%Y%m%d-%H%M%S)"
$fer data summary --png fer_samples.png "$@"
$fer train --recipe keras-cnn --subset 300 --stages 5@3e-3 --bs 32 --out "$run"
$fer evaluate "$run" --tta
$fer export "$run" --out "$run/model" --onnx
if [ -n "${FER2013_PATH:-}" ] && [ -f "$FER2013_PATH/test_images.zip" ]; then
  $fer predict "$run/model" "$FER2013_PATH/test_images.zip" --tta --out "$run/test_predictions.csv"
fi
