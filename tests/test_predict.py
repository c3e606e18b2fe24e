"Evaluation, model files and prediction from the shell: a run on FER-2013 (or synthetic files), its export, test-set predictions, bad model files"
import json, os, zipfile
from pathlib import Path
import numpy as np, pandas as pd, pytest
from safetensors.torch import load_file, save_file
from fer_fastai.testing import run_cli, run_main
from fer_fastai.core import FER_CLASSES
FER_CLASSES = list(FER_CLASSES)

def ok(*args):
    "Run `fer-fastai` in a subprocess, which must succeed; its stdout"
    res = run_cli(*args)
    assert res.returncode == 0, res.stderr
    return res.stdout

def main_ok(*args)->str:
    "`ok` in this process (saves the import time of a new one)"
    res = run_main(*args)
    assert res.returncode == 0, res.stderr
    return res.stdout

@pytest.fixture(scope='module')
def model_dir(tmp_path_factory, fer_files):
    "A model folder exported from a tiny run on FER-2013 (or the synthetic files)"
    tmp = tmp_path_factory.mktemp('model')
    ok('train', '--recipe', 'keras-cnn', '--subset', '20', '--stages', '1@3e-3', '--bs', '32', '--lr-find', 'false', '--out', tmp/'run')
    ok('export', tmp/'run', '--out', tmp/'model', '--onnx')
    return tmp/'model'

def test_export_writes_safe_files(model_dir):
    assert sorted(p.name for p in model_dir.iterdir()) == ['model.json', 'model.onnx', 'model.safetensors']
    config = json.loads((model_dir/'model.json').read_text())
    assert (config['arch'], config['size'], config['n_in'], config['classes']) == ('keras_cnn1', 48, 1, FER_CLASSES)

def test_predict_test_images_zip(model_dir, tmp_path):
    fer = Path(os.environ['FER2013_PATH'])
    out = ok('predict', model_dir, fer/'test_images.zip', '--out', tmp_path/'preds.csv')
    preds = pd.read_csv(tmp_path/'preds.csv')
    with zipfile.ZipFile(fer/'test_images.zip') as zf: ids = sorted(Path(n).stem for n in zf.namelist() if n.endswith('.jpg'))
    assert preds.columns[:2].tolist() == ['id', 'label'] and sorted(preds.id.astype(str)) == ids
    assert set(preds.label) <= set(FER_CLASSES) and np.allclose(preds[FER_CLASSES].sum(axis=1), 1, atol=1e-4)
    assert f'wrote {len(ids)} predictions' in out

def test_onnx_predicts_like_torch(model_dir, tmp_path):
    fer = Path(os.environ['FER2013_PATH'])
    main_ok('predict', model_dir, fer/'valid.zip', '--out', tmp_path/'torch.csv')
    main_ok('predict', model_dir/'model.onnx', fer/'valid.zip', '--out', tmp_path/'onnx.csv')
    a, b = pd.read_csv(tmp_path/'torch.csv'), pd.read_csv(tmp_path/'onnx.csv')
    assert (a.label == b.label).all() and np.abs(a[FER_CLASSES].values - b[FER_CLASSES].values).max() <= 1e-4

def test_evaluate_on_whole_publictest(model_dir, tmp_path, fer_files):
    out = main_ok('evaluate', model_dir, '--data', fer_files.path/'valid.zip', '--tta', '--out', tmp_path)
    report = json.loads((tmp_path/'eval-valid-tta.json').read_text())
    n_valid = sum(fer_files.valid_counts)
    assert report['n'] == n_valid and sum(map(sum, report['confusion'])) == n_valid
    assert f"accuracy {report['accuracy']:.4f}" in out and 'macro avg' in out
    assert (tmp_path/'confusion-valid-tta.png').stat().st_size > 10_000

def broken_copy(model_dir:Path, dest:Path)->Path:
    "A copy of the model folder (without ONNX), to break"
    dest.mkdir()
    for f in ('model.json', 'model.safetensors'): (dest/f).write_bytes((model_dir/f).read_bytes())
    return dest

def test_bad_model_files_fail_clearly(model_dir, tmp_path):
    faces = model_dir.parent/'faces'; faces.mkdir(exist_ok=True)
    junk = broken_copy(model_dir, tmp_path/'junk'); (junk/'model.safetensors').write_text('not weights')
    unknown = broken_copy(model_dir, tmp_path/'unknown')
    (unknown/'model.json').write_text(json.dumps({**json.loads((model_dir/'model.json').read_text()), 'arch': 'alexnet'}))
    partial = broken_copy(model_dir, tmp_path/'partial')
    state = load_file(partial/'model.safetensors'); first = next(iter(state)); state.pop(first)
    save_file(state, partial/'model.safetensors')
    cases = {junk: 'junk/model.safetensors: not a safetensors file', unknown: "unknown arch 'alexnet'",
             partial: f'1 weights missing for keras_cnn1 (first: {first})', tmp_path/'nowhere': 'nowhere: no such model folder'}
    for model, message in cases.items(): assert message in run_main('predict', model, faces).stderr, model
    res = run_cli('predict', junk, faces)  # and as a user sees it: one line, no traceback
    last = res.stderr.strip().splitlines()[-1]
    assert res.returncode == 1 and last.startswith('fer-fastai: error:') and cases[junk] in last and 'Traceback' not in res.stderr, res.stderr
