"scripts/cpu_budget.py: the accuracy-for-a-CPU-budget table and plot, from result folders written here"
import json, subprocess, sys
from pathlib import Path
import pandas as pd
from PIL import Image

SCRIPT = Path(__file__).parent.parent/'scripts'/'cpu_budget.py'

def result_folder(folder:Path, recipe:str, seconds:float, acc:float, acc_tta:float, epochs:int=3, arch:str=None)->Path:
    "A result folder as `scripts/cpu_30min.sh` leaves it: summary.json and the two evaluations"
    folder.mkdir(parents=True)
    (folder/'summary.json').write_text(json.dumps(dict(recipe=recipe, arch=arch or f'{recipe}-net', epochs=epochs, train_seconds=seconds)))
    for name, a in (('eval-valid.json', acc), ('eval-valid-tta.json', acc_tta)): (folder/name).write_text(json.dumps(dict(accuracy=a)))
    return folder

def test_table_and_plot_of_singles_and_an_ensemble(tmp_path):
    a = result_folder(tmp_path/'a', 'fast', 600, .60, .61)
    b = result_folder(tmp_path/'b', 'slow', 1800, .65, .66, epochs=9)
    ab = tmp_path/'ab'; ab.mkdir()
    for name, acc in (('eval-valid.json', .655), ('eval-valid-tta.json', .67)): (ab/name).write_text(json.dumps(dict(accuracy=acc)))
    res = subprocess.run([sys.executable, SCRIPT, '--single', b, a, '--ensemble', f'{ab}={a}+{b}', '--out', tmp_path/'out'],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    df = pd.read_csv(tmp_path/'out'/'table.csv')
    assert list(df.name) == ['fast, 3 epochs', 'slow, 9 epochs', 'fast, 3 epochs + slow, 9 epochs'] and list(df.kind) == ['single', 'single', 'ensemble']  # by minutes
    assert list(df.minutes) == [10, 30, 40] and list(df.epochs) == [3, 9, 12]
    assert list(df.accuracy_tta) == [.61, .66, .67] and list(df.accuracy) == [.60, .65, .655]
    assert '| fast, 3 epochs + slow, 9 epochs' in (tmp_path/'out'/'table.md').read_text()
    w, h = Image.open(tmp_path/'out'/'accuracy_vs_time.png').size
    assert w > 600 and h > 400

def test_a_run_that_changed_its_recipes_arch_says_so(tmp_path):
    "Two runs of the shipped `cpu-30min`: its own net is named by the recipe, one with `--arch resnet_fer` also by the arch"
    own = result_folder(tmp_path/'own', 'cpu-30min', 1440, .654, .662, epochs=27, arch='vgg_fer_small')
    other = result_folder(tmp_path/'other', 'cpu-30min', 1420, .652, .667, epochs=27, arch='resnet_fer')
    res = subprocess.run([sys.executable, SCRIPT, '--single', own, other, '--out', tmp_path/'out'], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    df = pd.read_csv(tmp_path/'out'/'table.csv')
    assert list(df.name) == ['cpu-30min, 27 epochs, resnet_fer', 'cpu-30min, 27 epochs'], df
    assert list(df.label) == ['cpu-30min x27, resnet_fer', 'cpu-30min x27'], df
