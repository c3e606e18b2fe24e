"Hostile and careless model files, as a user hands them to the command line: each case writes its own model folder"
import json, os, subprocess
import numpy as np, pytest
from PIL import Image
from fer_fastai.core import FER_CLASSES
from fer_fastai.export import build_net, net_config, save_net

@pytest.fixture
def model_dir(tmp_path):
    "An untrained gray 48 px model folder and one face to predict"
    save_net(build_net(net_config('keras_cnn1', FER_CLASSES, 48, n_in=1)), tmp_path/'model')
    Image.fromarray(np.full((48, 48), 120, np.uint8)).save(tmp_path/'face.png')
    return tmp_path/'model'

def predict(model_dir):
    return subprocess.run(['fer-fastai', 'predict', str(model_dir), str(model_dir.parent/'face.png')], capture_output=True, text=True)

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
