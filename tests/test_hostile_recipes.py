"Careless recipe options on the command line, and mis-scaled faces in Python: refused with a message, not trained or predicted on"
import numpy as np, pytest
from fer_fastai.core import FER_CLASSES
from fer_fastai.export import build_net, net_config
from fer_fastai.predict import Predictor
from fer_fastai.testing import run_main

@pytest.mark.parametrize('option,message', [
    (['--stages', '1@nan'], "stage '1@nan': needs at least 1 epoch and a finite lr > 0"),
    (['--subset', '0'], 'subset 0: must be a whole number >= 1'),
    (['--subset', '-1'], 'subset -1: must be a whole number >= 1'),
    (['--epoch-cap', '0'], 'epoch_cap 0: must be a whole number >= 1'),
    (['--bs', '0'], 'bs 0: must be a whole number >= 1'),
    (['--monitor', 'acc'], "monitor 'acc': use one of accuracy, f1_score, valid_loss"),
    (['--distill', '1.5'], 'distill 1.5: must be a number from 0 to 1'),
    (['--temperature', '0'], 'temperature 0.0: must be a finite number > 0'),
    (['--teacher', 'runs/big'], "teacher ['runs/big']: distillation needs pipeline = 'batch' and processes = 1")])
def test_nonsense_option_stops_before_any_work(tmp_path, option, message):
    res = run_main('train', '--recipe', 'keras-cnn', *option, '--out', tmp_path/'run')  # in this process: 8 s of imports less per case
    assert res.returncode == 1 and 'Traceback' not in res.stderr and message in res.stderr, res.stderr
    assert not (tmp_path/'run').exists()  # no run folder left behind

@pytest.mark.parametrize('option,message', [
    (['--aug', 'max_rotate=30'], "argument --aug: expected a table such as '{max_rotate = 30}'"),
    (['--merge', '{negative: [angry]}'], "argument --merge: expected a table such as"),
    (['--colorize', 'maybe'], "argument --colorize: expected true or false, not 'maybe'")])
def test_unreadable_option_value_is_named_by_the_parser(tmp_path, option, message):
    res = run_main('train', '--recipe', 'keras-cnn', *option, '--out', tmp_path/'run')
    assert res.returncode == 2 and 'Traceback' not in res.stderr and message in res.stderr, res.stderr
    assert not (tmp_path/'run').exists()

def test_float_faces_are_refused_not_mispredicted():
    pred = Predictor(build_net(net_config('keras_cnn1', FER_CLASSES, 48, n_in=1)))
    faces = np.random.default_rng(0).integers(0, 256, (4, 48, 48)).astype(np.uint8)
    assert len(pred(faces)) == 4
    with pytest.raises(TypeError, match='faces of float64: pass uint8 pixels 0-255'): pred(faces/255.)
