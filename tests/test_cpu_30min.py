"The CPU recipes' scripts, end to end on a small subset of the synthetic files (the full runs: results/cpu-30min, results/cpu-2h)"
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

def run_script(script, fer_files, tmp_path, *train_opts, **env_vars):
    "Run `scripts/SCRIPT` on `fer_files` with runs and results in `tmp_path` and `env_vars` set: (its result, the results folder)"
    env = {**os.environ, 'RUNS_DIR': str(tmp_path/'runs'), 'FER2013_PATH': str(fer_files.path), **env_vars}
    res = subprocess.run(['bash', f'scripts/{script}', str(tmp_path/'res'), '--subset', '12', '--bs', '32', *train_opts],
                         cwd=REPO, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
    return res, tmp_path/'res'

def test_script_trains_evaluates_and_predicts(synthetic_fer_files, tmp_path):
    "cpu_2h.sh is cpu_30min.sh with RECIPE=cpu-2h: one run checks both scripts (each CLI step costs seconds of imports), with CROPS=1 as default_model.sh runs it"
    fer_files = synthetic_fer_files  # the script evaluates and predicts whole splits: the real 7,178 faces would cost minutes
    res, out = run_script('cpu_2h.sh', fer_files, tmp_path, '--stages', '2@3e-3', CROPS='1')
    assert sorted(p.name for p in out.iterdir()) == ['config.json', 'confusion-valid-tta-crops.png', 'confusion-valid-tta.png', 'curves.png',
                                                    'eval-valid-tta-crops.json', 'eval-valid-tta.json', 'eval-valid.json', 'log.csv',
                                                    'probs-valid-tta-crops.csv', 'probs-valid-tta.csv', 'summary.json', 'test_predictions.csv',
                                                    'test_predictions_probs.csv', 'test_predictions_tencrop.csv', 'test_predictions_tencrop_probs.csv']
    config, log, summary = (json.loads((out/'config.json').read_text()), pd.read_csv(out/'log.csv'),
                            json.loads((out/'summary.json').read_text()))
    assert (config['name'], config['mixup'], config['arch']) == ('cpu-2h', 0.2, 'vgg_fer_small')  # the recipe cpu_2h.sh names
    assert log.epoch.tolist() == [0, 1] and (log.seconds > 0).all()
    assert (summary['recipe'], summary['n_train'], summary['n_valid'], summary['valid_split']) == ('cpu-2h', 7*12, 7*12, 'valid')
    report = json.loads((out/'eval-valid-tta.json').read_text())
    assert report['n'] == sum(fer_files.valid_counts) and report['tta']  # all of PublicTest, not the training subset's valid part
    preds, test = pd.read_csv(out/'test_predictions.csv'), read_unlabelled(fer_files.path/'test_images.zip')
    assert list(preds.columns) == ['id', 'label'] and preds.id.tolist() == list(test.ids)
    assert set(preds.label) <= set(FER_CLASSES)
    probs, valid = pd.read_csv(out/'test_predictions_probs.csv'), pd.read_csv(out/'probs-valid-tta.csv')  # for `blend` later
    assert probs[['id', 'label']].equals(preds) and list(probs.columns[2:]) == list(FER_CLASSES)
    assert len(valid) == report['n'] and (valid.label == valid.target).mean() == report['accuracy']
    assert 'wall time, start to test predictions:' in res.stdout
    crops = json.loads((out/'eval-valid-tta-crops.json').read_text())
    tencrop = pd.read_csv(out/'test_predictions_tencrop.csv')
    assert crops['n'] == report['n'] and tencrop.id.tolist() == preds.id.tolist() and set(tencrop.label) <= set(FER_CLASSES)
    card = next((tmp_path/'runs').glob('cpu-2h-*/model/README.md')).read_text()  # the model card holds the three evaluations
    assert f"| `valid` | {report['n']} | flip | {report['accuracy']:.2%} |" in card and f"| `valid` | {report['n']} | none |" in card
    assert f"| `valid` | {report['n']} | flip + 5 crops | {crops['accuracy']:.2%} |" in card
