"The package's layout: modules import each other in notebook order (no cycle), prediction loads no training code, and the command line's help no torch"
import json, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).parents[1]

def module_order()->list:
    "Module names in the order of their notebooks' numbers"
    nbs = sorted(ROOT.glob('nbs/[0-9][0-9]_*.ipynb'))
    return [re.match(r'#\| default_exp (\w+)', ''.join(json.loads(nb.read_text())['cells'][0]['source'])).group(1) for nb in nbs]

def imports_of(mod:str)->set:
    "The package modules `fer_fastai/<mod>.py` imports"
    return set(re.findall(r'^from \.(\w+) import', (ROOT/'fer_fastai'/f'{mod}.py').read_text(), flags=re.M))

def test_modules_import_only_earlier_modules():
    order = module_order()
    assert order[:4] == ['core', 'synthetic', 'data', 'loaders'], order
    for i, mod in enumerate(order):
        later = imports_of(mod) - set(order[:i])
        assert not later, f"{mod} imports {sorted(later)}, which come after it (or are itself): a cycle waiting to happen"

def loaded_by(stmt:str)->set:
    "The modules a fresh interpreter has loaded after running `stmt`"
    code = f"import sys, warnings; warnings.simplefilter('ignore'); {stmt}; print(sorted(sys.modules))"
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    return set(eval(out.strip().splitlines()[-1]))

def test_predict_loads_no_training_colorization_or_evaluation():
    loaded = {m for m in loaded_by('import fer_fastai.predict') if m.startswith('fer_fastai.')}
    assert not loaded & {'fer_fastai.train', 'fer_fastai.colorize', 'fer_fastai.evaluate', 'fer_fastai.cli'}, sorted(loaded)
    assert 'fer_fastai.export' in loaded

def test_cli_help_loads_no_torch():
    "`fer-fastai --help`, `train --help` or a mistyped option only builds the parser: it must answer at once, not after torch's seconds of imports"
    loaded = loaded_by("from fer_fastai.cli import parser; parser().parse_known_args(['train', '--arch', 'resnet_fer'])")
    assert not loaded & {'torch', 'fastai', 'torchvision', 'cv2', 'matplotlib', 'fer_fastai.train', 'fer_fastai.models'}, sorted(m for m in loaded if '.' not in m)

def test_every_package_file_comes_from_a_notebook():
    mods = {p.stem for p in (ROOT/'fer_fastai').glob('*.py')} - {'__init__', '_modidx'}
    assert mods == set(module_order()), mods ^ set(module_order())
