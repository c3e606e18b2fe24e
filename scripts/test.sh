#!/usr/bin/env bash
# Set up, check that notebooks, package and README are in sync, then run all tests: nbdev-test and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
pip check   # the dev install (with Gradio's pillow<13) resolves with no conflict
sums() { sha1sum nbs/*.ipynb nbs/tutorials/*.ipynb nbs/llms.txt fer_fastai/*.py README.md; }
before=$(sums)
nbdev-clean
nbdev-export
python tools/make_readme.py
if [ "$before" != "$(sums)" ]; then
  echo "nbdev-clean, nbdev-export or tools/make_readme.py changed files: run them and commit the result" >&2
  diff <(echo "$before") <(sums) >&2 || true
  exit 1
fi
# One torch/OpenMP thread per test process: nbdev-test and pytest each run two at once on CI's 2 cores, and two
# processes of 2 threads each oversubscribe them (pytest took 815 s with 2 threads each, 433 s with 1)
export OMP_NUM_THREADS=1
nbdev-test ${NBDEV_TEST_FLAGS:+--flags "$NBDEV_TEST_FLAGS"}   # flagged cells (`#| slow`) run when NBDEV_TEST_FLAGS=slow
pytest -q -n 2 --dist loadfile --no-loadscope-reorder tests --ignore=tests/browser   # 2 workers, a test file each, the slowest first (tests/conftest.py); tests/browser needs the built site: see .ci/run
