#!/usr/bin/env bash
# Set up, then run the main job: summarise FER-2013 (FER2013_PATH) or, without it, the synthetic faces.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/fer-fastai data summary --png fer_samples.png "$@"
