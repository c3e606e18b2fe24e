"README.md is rendered from nbs/index.ipynb"
import sys
from pathlib import Path
root = Path(__file__).parent.parent
sys.path.insert(0, str(root/'tools'))
from make_readme import render

def test_readme_in_sync_with_index():
    assert (root/'README.md').read_text() == render(root/'nbs'/'index.ipynb'), "run: python tools/make_readme.py"
