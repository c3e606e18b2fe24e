"Hostile and careless model files, as a user hands them to the command line: each case writes its own model folder"
import json
import numpy as np, pytest
from PIL import Image
from fer_fastai.core import FER_CLASSES
from fer_fastai.export import build_net, export_onnx, net_config, save_net
from fer_fastai.testing import run_cli, run_main

@pytest.fixture
def model_dir(tmp_path):
    "An untrained gray 48 px model folder and one face to predict"
    save_net(build_net(net_config('keras_cnn1', FER_CLASSES, 48, n_in=1)), tmp_path/'model')
    Image.fromarray(np.full((48, 48), 120, np.uint8)).save(tmp_path/'face.png')
    return tmp_path/'model'

def predict(model_dir):
    return run_main('predict', '--model', model_dir, model_dir.parent/'face.png')

def test_the_untouched_model_folder_predicts(model_dir):
    res = predict(model_dir)
    assert res.returncode == 0 and res.stdout.splitlines()[0].startswith('id,label,angry'), res.stderr

@pytest.mark.parametrize('change,message', [
    (dict(std=[0.0]), 'std [0.0] must be > 0'),
    (dict(size=100000), 'size 100000 must be an integer from 16 to 1024'),
    (dict(mean=[0.5, 0.5, 0.5]), 'mean [0.5, 0.5, 0.5] must be 1 finite number(s)'),
    (dict(n_in=2), 'n_in 2 must be 1 or 3')])
def test_nonsense_model_config_is_refused_not_predicted(model_dir, change, message):
    config = json.loads((model_dir/'model.json').read_text())
    (model_dir/'model.json').write_text(json.dumps({**config, **change}))
    res = predict(model_dir)
    assert res.returncode == 1 and 'Traceback' not in res.stderr and not res.stdout, res.stderr
    assert f"{model_dir/'model.json'}: {message}" in res.stderr, res.stderr

def test_onnx_whose_classes_disagree_with_model_json(model_dir, tmp_path):
    net = build_net(net_config('keras_cnn1', FER_CLASSES, 48, n_in=1))
    export_onnx(net, tmp_path/'onnx'/'model.onnx')
    config = json.loads((tmp_path/'onnx'/'model.json').read_text())
    (tmp_path/'onnx'/'model.json').write_text(json.dumps({**config, 'classes': ['happy', 'sad']}))  # the model.json of another export
    res = run_main('predict', '--model', tmp_path/'onnx'/'model.onnx', model_dir.parent/'face.png')
    assert res.returncode == 1 and not res.stdout, res.stderr
    assert f"{tmp_path/'onnx'/'model.onnx'}: gives 7 class probabilities, but {tmp_path/'onnx'/'model.json'} names 2 classes" in res.stderr

def test_push_without_a_token_says_how_to_log_in(model_dir, tmp_path):
    res = run_cli('push', model_dir, 'me/fer-model', env={'HF_TOKEN': None, 'HF_HOME': str(tmp_path/'hf')})
    assert res.returncode == 1 and 'Traceback' not in res.stderr, res.stderr
    assert 'me/fer-model: no Hugging Face token to push with: log in with `hf auth login`, or set HF_TOKEN' in res.stderr

def test_push_without_a_network_says_nothing_was_pushed(model_dir, monkeypatch):
    monkeypatch.setenv('HF_TOKEN', 'hf_' + 'x'*34); monkeypatch.setenv('HF_ENDPOINT', 'http://127.0.0.1:9')  # a port nothing listens on
    res = run_main('push', model_dir, 'me/fer-model')
    assert res.returncode == 1 and 'me/fer-model: could not reach the Hugging Face Hub' in res.stderr and 'nothing was pushed' in res.stderr, res.stderr
