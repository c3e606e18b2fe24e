#!/usr/bin/env bash
# The `cpu-2h` recipe end to end, timed (about 2 hours on 2 cores with AVX-512): scripts/cpu_30min.sh with RECIPE=cpu-2h.
# Usage: FER2013_PATH=/path/to/fer2013 bash scripts/cpu_2h.sh [RESULTS_DIR [TRAIN OPTIONS...]]
#   RESULTS_DIR defaults to results/cpu-2h; the run folder is $RUN (default: $RUNS_DIR/cpu-2h-TIME, RUNS_DIR default runs/).
RECIPE=cpu-2h exec bash "$(dirname "$0")/cpu_30min.sh" "${1:-results/cpu-2h}" "${@:2}"
