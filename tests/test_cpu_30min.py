"The 30-minute CPU recipe's script, end to end on a small subset of FER-2013 or the synthetic files (the full run: results/cpu-30min)"
import json, os, subprocess
from pathlib import Path
import pandas as pd
from fer_fastai.core import FER_CLASSES
from fer_fastai.data import read_unlabelled
from fer_fastai.runs import load_recipe

REPO = Path(__file__).parents[1]

def test_recipe_is_cpu_from_scratch():
    r = load_recipe('cpu-30min')
    assert (r.pretrained, r.size, r.rgb, r.pipeline, r.precision, r.channels_last) == (False, 48, False, 'batch', 'bf16', True)
    assert r.weights_path is None and not r.colorize  # nothing downloaded, nothing pretrained

def test_script_trains_evaluates_and_predicts(synthetic_fer_files, tmp_path):
    fer_files = synthetic_fer_files  # the script evaluates and predicts whole splits: the real 7,178 faces would cost minutes
    env = {**os.environ, 'RUNS_DIR': str(tmp_path/'runs'), 'FER2013_PATH': str(fer_files.path)}
    res = subprocess.run(['bash', 'scripts/cpu_30min.sh', str(tmp_path/'res'), '--subset', '12', '--bs', '32', '--stages', '2@3e-3'],
                         cwd=REPO, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
    out = tmp_path/'res'
    assert sorted(p.name for p in out.iterdir()) == ['config.json', 'confusion-valid-tta.png', 'curves.png', 'eval-valid-tta.json',
                                                    'eval-valid.json', 'log.csv', 'summary.json', 'test_predictions.csv']
    log, summary = pd.read_csv(out/'log.csv'), json.loads((out/'summary.json').read_text())
    assert log.epoch.tolist() == [0, 1] and (log.seconds > 0).all()
    assert (summary['recipe'], summary['n_train'], summary['n_valid'], summary['valid_split']) == ('cpu-30min', 7*12, 7*12, 'valid')
    report = json.loads((out/'eval-valid-tta.json').read_text())
    assert report['n'] == sum(fer_files.valid_counts) and report['tta']  # all of PublicTest, not the training subset's valid part
    preds, test = pd.read_csv(out/'test_predictions.csv'), read_unlabelled(fer_files.path/'test_images.zip')
    assert list(preds.columns) == ['id', 'label'] and preds.id.tolist() == list(test.ids)
    assert set(preds.label) <= set(FER_CLASSES)
    assert 'wall time, start to test predictions:' in res.stdout
    card = next((tmp_path/'runs').glob('cpu-30min-*/model/README.md')).read_text()  # the model card holds both evaluations
    assert f"| `valid` | {report['n']} | flip | {report['accuracy']:.2%} |" in card and f"| `valid` | {report['n']} | none |" in card
