#!/usr/bin/env bash
# One device call (scripts/device/README.md): the seed recipe at full size, then vgg-fer-fast in the time left, both on
# the `batch` pipeline. Run it there again, while the machine is warm, to resume what did not finish: the seed recipe's
# 40 epochs take about 16 s each on an H200 (results/gpu-2026-12-04-2), more than one 10-minute call holds.
# The pipeline benchmark is its own step (README step 3), measured on both pipelines in results/gpu-2026-12-04-2.
# Everything lands in $OUT: log.txt, RUN.tar.gz (a finished run), RUN-partial.tar.gz (one stopped by the clock).
# Usage there: bash scripts/device/all.sh [SECONDS: be done within this many, default 560] [VGG16_MINUTES, default 8.5]
set -o pipefail
T0=$(date +%s); END=$(( T0 + ${1:-560} ))
left() { echo $(( END - $(date +%s) )); }
OUT=${OUT:-device_out}; mkdir -p $OUT; exec > >(tee -a $OUT/log.txt) 2>&1
python3 -m pip install -q --no-index --no-deps --no-compile --upgrade --target /tmp/site .device/whl/*.whl || exit 1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
nvidia-smi -L; python3 -c "import torch, fastai; print('torch', torch.__version__, 'fastai', fastai.__version__)"
train() {  # RUN MINUTES RECIPE-OPTIONS...: train (or resume) a run that has not finished, then evaluate it and predict
    local run=$1 minutes=$2; shift 2
    [ -f runs/$run/summary.json ] && return
    echo "== $run: train for at most $minutes min ($(left) s left)"
    python3 scripts/device/run.py --out runs/$run --stop-minutes $minutes --crops "$@" \
        || tar czf $OUT/$run-partial.tar.gz --exclude='*.pth' runs/$run
}
train fastai-vgg16_bn ${2:-8.5} --recipe fastai-vgg16_bn --pretrained false --pipeline batch
minutes=$(( ($(left) - 60) / 60 ))
[ $minutes -ge 1 ] && train vgg-fer-fast $minutes --recipe vgg-fer-fast --pipeline batch
echo "== done in $(( $(date +%s) - T0 )) s"; ls -la $OUT
