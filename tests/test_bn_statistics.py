"scripts/bn_statistics.py: batch-norm statistics recomputed over given faces, and its table from the shell"
import importlib.util, os, subprocess, sys
from pathlib import Path
import numpy as np, pandas as pd, torch
from fer_fastai.loaders import channels_first
from fer_fastai.export import DEFAULT_MODEL, load_model

SCRIPT = Path(__file__).parent.parent/'scripts'/'bn_statistics.py'
spec = importlib.util.spec_from_file_location('bn_statistics', SCRIPT)
bn_statistics = importlib.util.module_from_spec(spec); spec.loader.exec_module(bn_statistics)

def first_bn(net)->torch.nn.BatchNorm2d: return next(m for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d))

def test_recomputed_means_are_those_of_the_faces():
    "The first batch norm's running mean becomes the mean of its inputs over the faces; the given net keeps its statistics"
    net = load_model()  # the shipped model
    faces = np.random.default_rng(0).integers(0, 256, (64, 48, 48), dtype=np.uint8)
    before = first_bn(net).running_mean.clone()
    seen = []
    hook = first_bn(net).register_forward_hook(lambda m, inp, out: seen.append(inp[0].detach()))
    net.probs(channels_first(faces)); hook.remove()
    new = bn_statistics.recomputed(net, faces, bs=16)  # four batches of 16
    assert torch.equal(first_bn(net).running_mean, before)
    torch.testing.assert_close(first_bn(new).running_mean, seen[0].mean((0, 2, 3)), atol=1e-4, rtol=1e-4)
    assert not torch.allclose(first_bn(new).running_mean, before, atol=1e-2)

def test_table_from_the_shell(tmp_path, synthetic_fer_files):
    "One row per model and statistics (training, train, valid), accuracies between 0 and 1, the CSV written"
    res = subprocess.run([sys.executable, SCRIPT, DEFAULT_MODEL, '--out', tmp_path/'bn.csv'],
                         capture_output=True, text=True, env={**os.environ, 'FER2013_PATH': str(synthetic_fer_files.path)})
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(tmp_path/'bn.csv')
    assert list(table.bn_statistics) == ['training', 'train', 'valid'] and table[['plain', 'flip']].stack().between(0, 1).all()
    assert '| model' in res.stdout  # the markdown table
