#!/usr/bin/env bash
# One device call (scripts/device/README.md): the GPU pipeline benchmark (bf16, both pipelines), the seed recipe at full
# size, then vgg-fer-fast in the time left, both on the `batch` pipeline (the `datablock` one fed an H200 only 1,465 img/s
# on 2026-12-04: results/gpu-2026-12-04). Run it there again, while the machine is warm, to resume what did not finish.
# Everything lands in $OUT: log.txt, RUN.tar.gz (a finished run), RUN-partial.tar.gz (one stopped by the clock).
# Usage there: bash scripts/device/all.sh [SECONDS: be done within this many, default 560] [VGG16_MINUTES, default 7]
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
    python3 scripts/device/run.py --out runs/$run --minutes $minutes --crops "$@" \
        || tar czf $OUT/$run-partial.tar.gz --exclude='*.pth' runs/$run
}
if [ ! -d runs ]; then
    echo "== benchmark ($(left) s left)"
    timeout 90 python3 benchmarks/gpu_step.py --data .device/fer.npz.xz --steps 30 --precisions bf16
fi
train fastai-vgg16_bn ${2:-7} --recipe fastai-vgg16_bn --pretrained false --pipeline batch
minutes=$(( ($(left) - 60) / 60 ))
[ $minutes -ge 1 ] && train vgg-fer-fast $minutes --recipe vgg-fer-fast --pipeline batch
echo "== done in $(( $(date +%s) - T0 )) s"; ls -la $OUT
