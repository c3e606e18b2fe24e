"Training runs that go wrong: a loss that becomes NaN, a damaged or tampered run folder on --resume, a disk that fills up"
import json
import pandas as pd, pytest, torch
from fer_fastai.testing import run_main, tiny_disk

QUICK = ['--recipe', 'keras-cnn', '--arch', 'vgg_fer_tiny', '--subset', '10', '--bs', '16', '--lr-find', 'false']

@pytest.fixture(autouse=True)
def synthetic_faces(monkeypatch):
    "These runs train on the synthetic faces: quick, and the same with or without FER-2013"
    monkeypatch.setenv('FER2013_PATH', '')

@pytest.fixture(scope='module')
def half_run(tmp_path_factory):
    "A two-epoch run stopped after its first epoch, as Ctrl-C leaves it"
    run = tmp_path_factory.mktemp('runs')/'run'
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv('FER2013_PATH', '')
        assert run_main('train', *QUICK, '--stages', '2@3e-3', '--out', run).returncode == 0
    (run/'progress.json').write_text(json.dumps({'epochs_done': 1, 'best': 0.0, 'best_epoch': 0}))
    return run

def copy_run(run, dest):
    dest.mkdir()
    for f in run.iterdir(): (dest/f.name).write_bytes(f.read_bytes())
    return dest

def test_loss_turning_nan_stops_the_run_and_keeps_the_good_epoch(tmp_path):
    res = run_main('train', *QUICK, '--stages', '1@3e-3,1@1e30', '--out', tmp_path/'run')
    assert res.returncode == 1 and f"{tmp_path/'run'}: the training loss became" in res.stderr, res.stderr
    assert 'in epoch 1 (stage 2): the learning rate is too high' in res.stderr and 'the run keeps its 1 finished epochs' in res.stderr
    log = pd.read_csv(tmp_path/'run'/'log.csv')
    assert log.epoch.tolist() == [0] and log.notna().all().all()  # no NaN row
    assert json.loads((tmp_path/'run'/'progress.json').read_text())['epochs_done'] == 1 and (tmp_path/'run'/'best.pth').is_file()
    assert not (tmp_path/'run'/'summary.json').exists()

def test_damaged_config_on_resume_is_named(half_run, tmp_path):
    run = copy_run(half_run, tmp_path/'run')
    (run/'config.json').write_text('{"arch": ')
    res = run_main('train', '--resume', run)
    assert res.returncode == 1 and f"{run/'config.json'}: not valid JSON" in res.stderr, res.stderr
    (run/'config.json').write_text(json.dumps({**json.loads((half_run/'config.json').read_text()), 'bs': 0}))
    res = run_main('train', '--resume', run)
    assert res.returncode == 1 and f"{run/'config.json'}: bs 0: must be a whole number >= 1" in res.stderr, res.stderr

class Payload:
    "What a tampered checkpoint hides: unpickling it would create `marker`"
    def __init__(self, marker): self.marker = marker
    def __reduce__(self): return (open, (str(self.marker), 'w'))

@pytest.mark.parametrize('tamper', ['payload', 'cut'])
def test_tampered_checkpoint_is_refused_without_running_it(half_run, tmp_path, tamper):
    run = copy_run(half_run, tmp_path/'run')
    if tamper == 'payload': torch.save({'model': Payload(tmp_path/'pwned')}, run/'checkpoint.pth')
    else: (run/'checkpoint.pth').write_bytes((half_run/'checkpoint.pth').read_bytes()[:1000])
    res = run_main('train', '--resume', run)
    assert res.returncode == 1 and f"{run/'checkpoint.pth'}: cannot resume from it" in res.stderr, res.stderr
    assert 'weights_only' not in res.stderr and not (tmp_path/'pwned').exists()

def test_full_disk_keeps_finished_epochs_and_resumes(tmp_path):
    with tiny_disk(tmp_path/'disk', '8m') as grow:  # room for the best weights (6 MB), not the checkpoint (18 MB)
        if grow is None: pytest.skip('mounting a small disk needs root')
        run = tmp_path/'disk'/'run'
        res = run_main('train', *QUICK, '--stages', '2@3e-3', '--out', run)
        assert res.returncode == 1 and f"{run/'checkpoint.pth'}: could not be written (no space left on device)" in res.stderr, res.stderr
        assert f"free some disk space, then `fer-fastai train --resume {run}`" in res.stderr
        assert json.loads((run/'progress.json').read_text())['epochs_done'] == 0 and not list(run.glob('.*tmp*'))
        assert grow('64m')
        res = run_main('train', '--resume', run)
        assert res.returncode == 0 and json.loads((run/'summary.json').read_text())['epochs'] == 2, res.stderr
