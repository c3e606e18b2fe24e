"The GPU run kit (scripts/device), at tiny scale on the CPU: pack, a run cut by its deadline and resumed, the results tarball"
import os, subprocess, sys, tarfile
from pathlib import Path
import pandas as pd

ROOT = Path(__file__).parent.parent

def script(*args, cwd, env_extra=None):
    "Run a Python script of the repo in `cwd`; the finished process"
    env = {**os.environ, 'PYTHONPATH': str(ROOT), **(env_extra or {})}
    return subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env)

def test_pack_run_deadline_resume_and_results(tmp_path, fer_files):
    res = script(ROOT/'scripts/device/pack.py', '--subset', '8', '--no-wheels', cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path/'.device/fer.npz.xz').is_file() and (tmp_path/'.device/test.npz.xz').is_file()
    run = [ROOT/'scripts/device/run.py', '--recipe', 'keras-cnn', '--arch', 'vgg_fer_tiny', '--stages', '2@3e-3', '--bs', '16', '--lr-find', 'false', '--out', 'runs/k']
    env = {'OUT': str(tmp_path/'out')}
    cut = script(*run, '--stop-minutes', '0', cwd=tmp_path, env_extra=env)
    assert cut.returncode == 1 and 'run the same command again to resume' in cut.stderr, cut.stderr
    assert pd.read_csv(tmp_path/'runs/k/log.csv').epoch.tolist() == [0]
    done = script(*run, cwd=tmp_path, env_extra=env)
    assert done.returncode == 0, done.stderr
    assert pd.read_csv(tmp_path/'runs/k/log.csv').epoch.tolist() == [0, 1]
    with tarfile.open(tmp_path/'out/k.tar.gz') as tar: names = {Path(n).name for n in tar.getnames()}
    assert {'config.json', 'summary.json', 'log.csv', 'curves.png', 'eval-valid-tta.json', 'test_predictions.csv'} <= names
    assert not any(n.endswith('.pth') for n in names)
    preds = pd.read_csv(tmp_path/'runs/k/test_predictions.csv')
    assert preds.columns[:2].tolist() == ['id', 'label'] and len(preds) == 8

def test_gpu_step_benchmark_runs_on_cpu_on_packed_data(tmp_path, fer_files):
    assert script(ROOT/'scripts/device/pack.py', '--subset', '8', '--no-wheels', cwd=tmp_path).returncode == 0
    res = script(ROOT/'benchmarks/gpu_step.py', '--data', '.device/fer.npz.xz', '--arch', 'resnet18', '--size', '32', '--bs', '8',
                 '--steps', '2', '--precisions', 'fp32', cwd=tmp_path, env_extra={'FER2013_PATH': ''})
    assert res.returncode == 0, res.stderr
    lines = {l.split()[0]: l for l in res.stdout.splitlines() if ' fp32: ceiling' in l}
    assert set(lines) == {'datablock', 'batch'}, res.stdout
    for line in lines.values():
        ceiling, pipeline, ratio = (float(line.split(w)[1].split()[0]) for w in ('ceiling', 'pipeline', 'pipeline/ceiling'))
        rounding = 0.005 + 0.5/ceiling + 0.5*pipeline/ceiling**2  # the printed figures are rounded (img/s to 1, the ratio to 0.01)
        assert ceiling > 0 and pipeline > 0 and abs(ratio - pipeline/ceiling) <= rounding, line
        assert ratio < 2, line  # loading can only slow the same training steps down (timed on training batches alone)
