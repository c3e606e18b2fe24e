"Evaluation, model files and prediction from the shell: a run on FER-2013 (or synthetic files), its export, test-set predictions, bad model files"
import json, os, zipfile
from pathlib import Path
import numpy as np, pandas as pd, pytest, cv2
from safetensors.torch import load_file, save_file
from fer_fastai.testing import run_cli, run_main, face_video
from fer_fastai.data import read_source
from fer_fastai.export import DEFAULT_MODEL
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
    main_ok('train', '--recipe', 'keras-cnn', '--arch', 'vgg_fer_tiny', '--subset', '20', '--stages', '1@3e-3', '--bs', '32', '--lr-find', 'false',
            '--out', tmp/'run')
    main_ok('export', tmp/'run', '--out', tmp/'model', '--onnx')
    return tmp/'model'

def test_export_writes_safe_files(model_dir):
    assert sorted(p.name for p in model_dir.iterdir()) == ['README.md', 'model.json', 'model.onnx', 'model.safetensors']
    config = json.loads((model_dir/'model.json').read_text())
    assert (config['arch'], config['size'], config['n_in'], config['classes']) == ('vgg_fer_tiny', 48, 1, FER_CLASSES)

def test_predict_test_images_zip(model_dir, tmp_path):
    fer = Path(os.environ['FER2013_PATH'])
    out = ok('predict', '--model', model_dir, fer/'test_images.zip', '--out', tmp_path/'preds.csv')
    preds = pd.read_csv(tmp_path/'preds.csv')
    with zipfile.ZipFile(fer/'test_images.zip') as zf: ids = sorted(Path(n).stem for n in zf.namelist() if n.endswith('.jpg'))
    assert preds.columns[:2].tolist() == ['id', 'label'] and sorted(preds.id.astype(str)) == ids
    assert set(preds.label) <= set(FER_CLASSES) and np.allclose(preds[FER_CLASSES].sum(axis=1), 1, atol=1e-4)
    assert f'wrote {len(ids)} predictions' in out

def test_onnx_predicts_like_torch(model_dir, tmp_path, few_valid_faces):
    main_ok('predict', '--model', model_dir, few_valid_faces, '--out', tmp_path/'torch.csv')
    main_ok('predict', '--model', model_dir/'model.onnx', few_valid_faces, '--out', tmp_path/'onnx.csv')
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
             partial: f'1 weights missing for vgg_fer_tiny (first: {first})', tmp_path/'nowhere': 'nowhere: no such model folder'}
    for model, message in cases.items(): assert message in run_main('predict', '--model', model, faces).stderr, model
    res = run_cli('predict', '--model', junk, faces)  # and as a user sees it: one line, no traceback
    last = res.stderr.strip().splitlines()[-1]
    assert res.returncode == 1 and last.startswith('fer-fastai: error:') and cases[junk] in last and 'Traceback' not in res.stderr, res.stderr

def test_shipped_model_predicts_without_a_model_argument(tmp_path, fer_files):
    "`fer-fastai predict IMAGES` uses the model in the package; on real PublicTest faces it gets most of them right"
    valid = read_source(fer_files.path/'valid.zip')
    out = main_ok('predict', fer_files.path/'valid.zip', '--out', tmp_path/'p.csv')
    preds = pd.read_csv(tmp_path/'p.csv')
    assert f'wrote {len(valid)} predictions' in out and len(preds) == len(valid)
    if fer_files.real:  # the model card's figure, from the same files
        card = json.loads((DEFAULT_MODEL/'model.json').read_text())
        no_tta = next(e for e in card['evaluations'] if not e['tta'])
        truth = [valid.classes[l] for l in valid.labels]
        assert abs((preds.label == truth).mean() - no_tta['accuracy']) < 1e-6

def test_ensemble_of_two_models_averages_their_probabilities(model_dir, tmp_path, few_valid_faces, fer_files):
    "Two models joined by a comma: `predict` gives the mean of their probabilities, `evaluate` scores that ensemble; `blend` of their saved tables agrees"
    valid, both = few_valid_faces, f'{model_dir},{DEFAULT_MODEL}'
    assert len(read_source(valid).labels) == sum(min(n, 20) for n in fer_files.valid_counts)  # 3,589 faces cost minutes here
    main_ok('predict', '--model', model_dir, valid, '--out', tmp_path/'a.csv')
    main_ok('predict', valid, '--out', tmp_path/'b.csv')
    main_ok('predict', '--model', both, valid, '--out', tmp_path/'ab.csv')
    a, b, ab = (pd.read_csv(tmp_path/f'{n}.csv') for n in ('a', 'b', 'ab'))
    assert np.abs((a[FER_CLASSES].values + b[FER_CLASSES].values)/2 - ab[FER_CLASSES].values).max() <= 2e-6
    main_ok('evaluate', both, '--data', valid, '--out', tmp_path/'eval')
    report = json.loads((tmp_path/'eval'/'eval-valid.json').read_text())
    truth = read_source(valid)
    assert abs(report['accuracy'] - (ab.label == [truth.classes[l] for l in truth.labels]).mean()) < 1e-6
    main_ok('blend', tmp_path/'a.csv', tmp_path/'b.csv', '--out', tmp_path/'blend.csv')  # the same ensemble from the saved tables
    blend = pd.read_csv(tmp_path/'blend.csv')
    assert (blend.id == ab.id).all() and np.abs(blend[FER_CLASSES].values - ab[FER_CLASSES].values).max() <= 2e-6
    for name, model in (('eval_a', model_dir), ('eval_b', DEFAULT_MODEL)): main_ok('evaluate', model, '--data', valid, '--out', tmp_path/name)
    scored = main_ok('blend', tmp_path/'eval_a'/'probs-valid.csv', tmp_path/'eval_b'/'probs-valid.csv', '--out', tmp_path/'scored.csv')
    assert f"accuracy {report['accuracy']:.4f}" in scored, scored

def test_blend_refuses_bad_tables_from_the_shell(tmp_path):
    "`fer-fastai blend` with tables that do not fit: one line naming the file and what is wrong, no traceback, nothing written"
    good = tmp_path/'good.csv'
    rows = pd.DataFrame({'id': ['a', 'b'], 'label': ['happy', 'sad'], **{c: [1/7]*2 for c in FER_CLASSES}})
    rows.to_csv(good, index=False)
    rows.iloc[:1].to_csv(tmp_path/'short.csv', index=False)
    (tmp_path/'notes.txt').write_text('nothing to see\n')
    cases = {tmp_path/'short.csv': "short.csv: no line for 1 face(s) of", tmp_path/'notes.txt': 'notes.txt: not a table of predictions',
             tmp_path/'nowhere.csv': 'nowhere.csv: no such file'}
    for i, (table, message) in enumerate(cases.items()):
        run = run_cli if i == 0 else run_main  # one from a shell, as a user runs it; the others in this process (no new imports)
        res = run('blend', good, table, '--out', tmp_path/'blend.csv')
        assert res.returncode == 1 and message in res.stderr and 'Traceback' not in res.stderr, res.stderr
    assert not (tmp_path/'blend.csv').exists()

def test_video_from_the_shell(tmp_path, fer_files):
    "`predict --video`: the table, the drawn video and the emotion-over-time plot; a face found in most frames"
    valid = read_source(fer_files.path/'valid.zip')
    truth = face_video(tmp_path/'clip.mp4', list(valid.images[:2]), frames_each=8)
    out = main_ok('predict', '--video', tmp_path/'clip.mp4', '--out', tmp_path/'clip.csv', '--draw', tmp_path/'drawn.mp4', '--every', '2')
    df = pd.read_csv(tmp_path/'clip.csv')
    assert set(df.frame) <= set(range(0, len(truth), 2)) and len(df) >= 0.75*len(truth)/2, df
    assert f'plot: {tmp_path/"clip.png"}' in out and (tmp_path/'clip.png').stat().st_size > 10_000
    cap = cv2.VideoCapture(str(tmp_path/'drawn.mp4'))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == len(truth); cap.release()

def test_video_bad_input_is_one_line(tmp_path):
    (tmp_path/'notes.mp4').write_text('not a video')
    cases = {(tmp_path/'notes.mp4',): 'notes.mp4: not a video OpenCV can read', (tmp_path/'missing.mp4',): 'missing.mp4: no such video file',
             (tmp_path/'notes.mp4', '--every', '0'): 'every 0: must be a whole number >= 1'}
    for args, message in cases.items():
        res = run_main('predict', '--video', *args)
        assert res.returncode == 1 and message in res.stderr and 'Traceback' not in res.stderr, res.stderr
    res = run_main('predict', tmp_path/'notes.mp4', '--video', tmp_path/'notes.mp4')
    assert res.returncode == 1 and 'give image files, folders or zips, or --video, not both' in res.stderr

def test_fast_face_search_from_the_shell(tmp_path, fer_files):
    "`predict --video --fast` searches the downscaled frames (`FAST_DETECT`): most of the same faces, boxes a little apart, same labels"
    valid = read_source(fer_files.path/'valid.zip')
    five_each = [i for c in range(len(valid.classes)) for i in np.flatnonzero(valid.labels == c)[:5]]
    face_video(tmp_path/'clip.mp4', list(valid.images[five_each]), frames_each=2)
    main_ok('predict', '--video', tmp_path/'clip.mp4', '--out', tmp_path/'full.csv')
    main_ok('predict', '--video', tmp_path/'clip.mp4', '--fast', '--out', tmp_path/'fast.csv')
    full, fast = (pd.read_csv(tmp_path/f'{n}.csv').drop_duplicates('frame', keep=False).set_index('frame') for n in ('full', 'fast'))
    both = full.merge(fast, left_index=True, right_index=True, suffixes=('', '_fast'))
    assert len(both) >= 0.6*len(full) > 0, (full, fast)  # a few faces fewer or more: benchmarks/face_detection.py measures how many
    boxes, fast_boxes = both[['x', 'y', 'w', 'h']].values, both[['x_fast', 'y_fast', 'w_fast', 'h_fast']].values
    assert (boxes != fast_boxes).any(), 'the same boxes: --fast did not change the search'
    centres = fast_boxes[:, :2] + fast_boxes[:, 2:]/2
    assert ((boxes[:, :2] <= centres) & (centres <= boxes[:, :2] + boxes[:, 2:])).all()
    # measured on 140 PublicTest faces (20 a class, 215 frames): 88% of the labels agree, with `cpu-tiny` as with `cpu-2h`;
    # synthetic faces, which the model never learnt, flip more (75% here)
    assert (both.label == both.label_fast).mean() >= (0.75 if fer_files.real else 0.6)

def test_ten_crop_predictions_from_the_shell(tmp_path, synthetic_fer_files):
    "`predict --tta --crops` gives the probabilities `evaluate --tta --crops` scores; `--crops` with --faces is one clear line"
    valid = synthetic_fer_files.path/'valid.zip'   # the same check on the real split reads 3,589 faces three times (minutes)
    main_ok('predict', valid, '--tta', '--out', tmp_path/'flip.csv')
    main_ok('predict', valid, '--tta', '--crops', '--out', tmp_path/'ten.csv')
    main_ok('evaluate', DEFAULT_MODEL, '--data', valid, '--tta', '--crops', '--out', tmp_path/'eval')
    flip, ten, truth = pd.read_csv(tmp_path/'flip.csv'), pd.read_csv(tmp_path/'ten.csv'), read_source(valid)
    assert np.abs(flip[FER_CLASSES].values - ten[FER_CLASSES].values).max() > 0.01  # the crops change the probabilities
    report = json.loads((tmp_path/'eval'/'eval-valid-tta-crops.json').read_text())
    assert abs(report['accuracy'] - (ten.label == [truth.classes[l] for l in truth.labels]).mean()) < 1e-6
    res = run_main('predict', valid, '--faces', '--crops')
    assert res.returncode == 1 and '--crops is for face crops, not with --faces or --video' in res.stderr and 'Traceback' not in res.stderr
