"The docs build runs some cells on their own (exports, imports, show_doc): none of ours may need the cells before it"
import json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT/'tools'))
from docs_cells import unsafe_cells

def write_nb(path:Path, *sources)->Path:
    "A notebook at `path` with one code cell per source"
    cells = [dict(cell_type='code', source=s, metadata={}, outputs=[], execution_count=None) for s in sources]
    path.write_text(json.dumps(dict(cells=cells, metadata={}, nbformat=4, nbformat_minor=5)))
    return path

def test_every_notebook_is_safe_for_the_docs_build():
    bad = [m for f in sorted((ROOT/'nbs').glob('*.ipynb')) for m in unsafe_cells(f)]
    assert not bad, bad

def test_a_cell_mixing_imports_and_code_is_named(tmp_path):
    nb = write_nb(tmp_path/'bad.ipynb', '#| export\nimport os\ndef f(): return 1',   # export: fine
                  'import json\nfrom pathlib import Path',                          # imports only: fine
                  'show_doc(f)',                                                     # fine
                  'x = f()',                                                         # not run by the docs build
                  'import time\nt = tmp/"a"',                                        # run alone: NameError
                  'def g():\n    import math\n    return math.pi\ng()')              # an import anywhere makes it run
    assert unsafe_cells(nb) == ['bad.ipynb, cell 4: import time', 'bad.ipynb, cell 5: def g():']

def test_the_check_fails_the_command_naming_notebook_and_cell(tmp_path):
    write_nb(tmp_path/'good.ipynb', 'import os')
    write_nb(tmp_path/'bad.ipynb', 'import os\nos.environ["A"] = str(tmp)')
    res = subprocess.run([sys.executable, ROOT/'tools'/'docs_cells.py', tmp_path], capture_output=True, text=True)
    assert res.returncode == 1 and 'bad.ipynb, cell 0: import os' in res.stderr and 'good.ipynb' not in res.stderr, res.stderr
