#!/usr/bin/env bash
# Build the documentation site (Quarto, through nbdev-docs) into _docs/. Needs `quarto` on PATH: https://quarto.org/docs/get-started/
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v quarto >/dev/null; then
  echo "quarto is not on PATH: install it (https://quarto.org/docs/get-started/), then run this again" >&2
  exit 1
fi
[ -x .venv/bin/python ] || bash scripts/setup.sh
. .venv/bin/activate
nbdev-docs
echo "built $(find _docs -name '*.html' | wc -l) pages in _docs/ (open _docs/index.html, or: python -m http.server -d _docs)" >&2
