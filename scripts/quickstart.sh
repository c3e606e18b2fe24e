#!/usr/bin/env bash
# Set up, then run the main job on FER-2013 (FER2013_PATH) or, without it, the synthetic faces:
# a data summary with a sample grid; a training run of the cpu-5min recipe (runs/quickstart-TIME: above 55% on
# PublicTest in under 5 minutes on 2 CPU cores); its evaluation on the whole validation split with flip TTA; a
# shareable model folder (+ ONNX); the same evaluation of the model shipped in the package (no training needed); and,
# when FER2013_PATH holds test_images.zip, the id,label predictions of both models for it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
fer=.venv/bin/fer-fastai
run="runs/quickstart-$(date +%Y%m%d-%H%M%S)"
shipped=$(.venv/bin/python -c "from fer_fastai.export import DEFAULT_MODEL; print(DEFAULT_MODEL)")
$fer data summary --png fer_samples.png "$@"
$fer train --recipe cpu-5min --out "$run"
$fer evaluate "$run" --tta
$fer export "$run" --out "$run/model" --onnx
$fer evaluate "$shipped" --tta --out "$run/shipped-model"
if [ -n "${FER2013_PATH:-}" ] && [ -f "$FER2013_PATH/test_images.zip" ]; then
  $fer predict --model "$run/model" "$FER2013_PATH/test_images.zip" --tta --out "$run/test_predictions.csv"
  $fer predict "$FER2013_PATH/test_images.zip" --tta --out "$run/shipped-model/test_predictions.csv"
fi
