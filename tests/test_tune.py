"""Hyper-parameter search from the command line: `fer-fastai overfit`, and `fer-fastai tune` with two worker processes
sharing one study (in a real PostgreSQL server where one is installed), a tuner killed mid-trial and run again, and bad
search files. Trials train the Keras-style CNN for a few epochs on a few faces of the synthetic files laid out like FER-2013:
these tests are about the tuner's processes, and each worker would decode the real zips (about 10 s) for its 20 faces."""
import contextlib, os, re, shutil, signal, socket, subprocess, tempfile, textwrap, time
from pathlib import Path
import optuna, pandas as pd, pytest
from fer_fastai.core import FERError
from fer_fastai.synthetic import synthetic_fer
from fer_fastai.testing import run_main
from fer_fastai.tune import tune

@pytest.fixture(autouse=True)
def synthetic_fer2013(synthetic_fer_files, monkeypatch):
    "The synthetic files as `FER2013_PATH`, for this process and the workers it starts"
    monkeypatch.setenv('FER2013_PATH', str(synthetic_fer_files.path))

def search_file(folder:Path, epochs:int=2, name:str='tiny')->Path:
    "A small search: the Keras-style CNN recipe with the small VGG, `epochs` epochs on 20 faces per class; learning rate and batch size"
    (f := Path(folder)/f'{name}.toml').write_text(textwrap.dedent(f'''
        recipe = "keras-cnn"
        sampler = "random"
        [fixed]
        arch = "vgg_fer_tiny"
        stages = "{epochs}@{{lr}}"
        subset = 20
        lr_find = false
        [params]
        lr = {{low = 1e-3, high = 1e-2, log = true}}
        bs = [16, 32]
        '''))
    return f

def study_trials(storage:str, name:str='tiny')->list:
    return optuna.load_study(study_name=name, storage=storage).get_trials()

def ok(*args)->str:
    "`fer-fastai ARGS` in this process (the workers it starts are processes all the same), which must succeed; its stdout"
    res = run_main(*args)
    messages = [l for l in res.stderr.replace('\r', '\n').splitlines() if l.strip(' █') and not re.search(r'\d% \[\d+/\d+', l)]
    assert res.returncode == 0, '\n'.join(messages)[-3000:]  # without the progress bars, which would fill it
    return res.stdout

def test_overfit_learns_a_few_faces(tmp_path):
    out = run_main('overfit', '--recipe', 'keras-cnn', '--n', 32, '--max-epochs', 80, '--png', tmp_path/'o.png')
    assert out.returncode == 0 and 'learned all 32 faces in' in out.stdout, out.stdout + out.stderr[-2000:]
    assert out.stdout.split('accuracy by epoch: ')[1].splitlines()[0].split()[-1] == '1.00' and (tmp_path/'o.png').stat().st_size > 10_000

@contextlib.contextmanager
def postgres_server():
    "A PostgreSQL server of Debian's `postgresql` package in a new folder, on a free port (as the `postgres` user under root); yields its URL"
    bins = sorted(Path('/usr/lib/postgresql').glob('*/bin'))
    if not bins: yield None; return  # not installed (Debian: apt-get install postgresql; .ci/run does)
    as_pg = ['runuser', '-u', 'postgres', '--'] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix='fer-fastai-pg-'))  # in /tmp: pytest's tmp_path is closed to other users
    if as_pg: shutil.chown(folder, 'postgres')
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    run = lambda *cmd: subprocess.run([*as_pg, *map(str, cmd)], check=True, capture_output=True, text=True)
    run(bins[-1]/'initdb', '-D', folder/'data', '-U', 'postgres', '--auth=trust')
    run(bins[-1]/'pg_ctl', '-D', folder/'data', '-o', f'-p {port} -k {folder} -c listen_addresses=127.0.0.1', '-l', folder/'log', '-w', 'start')
    try:
        run(bins[-1]/'createdb', '-h', '127.0.0.1', '-p', port, '-U', 'postgres', 'fer')
        yield f"postgresql://postgres@127.0.0.1:{port}/fer"
    finally: run(bins[-1]/'pg_ctl', '-D', folder/'data', '-m', 'fast', 'stop'); shutil.rmtree(folder, ignore_errors=True)

def test_two_workers_share_one_study(tmp_path):
    "Two worker processes fill one study: in a real PostgreSQL server where one is installed (as on CI), else the default SQLite file"
    with postgres_server() as url:
        storage = url or f"sqlite:///{tmp_path/'studies'/'tiny'/'study.db'}"
        out = ok('tune', '--space', search_file(tmp_path), '--trials', 4, '--jobs', 2, '--pruner', 'none', '--storage', storage,
                 '--out', tmp_path/'studies')
        trials = study_trials(storage)
        print(f"{storage}: {[(t.number, t.state.name) for t in trials]}")
    assert (tmp_path/'studies'/'tiny'/'study.db').exists() == (url is None)  # the server holds the study, not a file
    done = [t for t in trials if t.state == optuna.trial.TrialState.COMPLETE]
    assert 4 <= len(done) <= 5 and len({t.number for t in done}) == len(done), out   # a worker may start one more as the 4th ends
    assert len({t.user_attrs['pid'] for t in done}) == 2                              # both workers ran trials
    assert len({t.user_attrs['run'] for t in done}) == len(done) and all((Path(t.user_attrs['run'])/'summary.json').is_file() for t in done)
    table = pd.read_csv(tmp_path/'studies'/'tiny'/'trials.csv')
    assert list(table.trial) == [t.number for t in trials] and f"{len(done)} complete" in out

def test_a_failing_worker_names_its_error(tmp_path):
    "Both workers fail on every trial with an error that is not ours: the tuner's error gives their exit codes and that error"
    bad = synthetic_fer(30, 10, seed=0); bad.labels[bad.labels == 3] = 9   # label 9 of 7 classes: an IndexError in training
    with pytest.raises(FERError) as e: tune(str(search_file(tmp_path)), study='broken', trials=2, jobs=2, out=tmp_path, data=bad, pruner='none')
    assert 'broken: 2 of 2 workers stopped (exit codes [1, 1]: IndexError: tuple index out of range)' in str(e.value), e.value

def test_killed_tuner_goes_on_where_it_was(tmp_path):
    "SIGKILL during trial 1, then the same command: trial 1 failed (interrupted), a new trial goes on in its folder"
    args = ['tune', '--space', search_file(tmp_path, epochs=6), '--trials', 2, '--pruner', 'none', '--out', tmp_path/'studies']
    proc = subprocess.Popen(['fer-fastai', *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = tmp_path/'studies'/'tiny'/'trial-001'/'log.csv'
    for _ in range(1200):
        if log.is_file() and len(pd.read_csv(log)) >= 2: break
        time.sleep(0.25)
    else: pytest.fail('trial 1 never got 2 epochs in')
    proc.kill(); proc.wait()
    epochs_before = len(pd.read_csv(log))
    out = ok(*args)
    trials = study_trials(f"sqlite:///{tmp_path/'studies'/'tiny'/'study.db'}")
    states = [t.state.name for t in trials]
    assert states == ['COMPLETE', 'FAIL', 'COMPLETE'], states                  # not lost, not counted as complete
    assert trials[2].user_attrs['resumes'] == 1 and trials[2].params == trials[1].params
    assert list(pd.read_csv(log).epoch) == list(range(6)) and epochs_before < 6   # went on from its epochs, none twice
    table = pd.read_csv(tmp_path/'studies'/'tiny'/'trials.csv')
    assert table.note[1] == 'interrupted, went on as trial 2' and table.note[2] == 'goes on with trial 1', table

def test_a_search_that_cannot_train_stops_with_its_error(tmp_path):
    "Every trial fails with the same recipe error (batch size 256 > 140 faces): three failed trials, the error once, no traceback"
    (f := search_file(tmp_path)).write_text(f.read_text().replace('bs = [16, 32]', 'bs = [256]'))
    def hangs(*_): raise TimeoutError('the tuner went on starting trials for 2 minutes')
    before = signal.signal(signal.SIGALRM, hangs); signal.alarm(120)  # before the fix, it ran on for ever
    try: res = run_main('tune', '--space', f, '--trials', 1, '--out', tmp_path/'studies')
    finally: signal.alarm(0); signal.signal(signal.SIGALRM, before)
    error = 'batch size 256 is more than the 140 training images: lower bs'
    assert res.returncode == 1 and 'Traceback' not in res.stderr, res.stderr
    assert res.stderr.splitlines()[-1] == f"fer-fastai: error: tiny: trials 0, 1, 2 failed in a row ({error}); the tuner stops here: " \
        "fix the search or its recipe, then the same command goes on (failed trials do not count)", res.stderr
    assert [l for l in res.stderr.splitlines() if l.startswith('trial ')] == [f"trial {i} failed: {error}" for i in range(3)], res.stderr
    assert [t.state.name for t in study_trials(f"sqlite:///{tmp_path/'studies'/'tiny'/'study.db'}")] == ['FAIL'] * 3

def test_bad_search_files_name_the_field(tmp_path):
    cases = {'epochs = 3': "unknown field 'epochs'", '[params]\nlr = []': 'params.lr: empty choice list',
             '[params]\nwd = {low = 0.1, high = 0.01}': 'params.wd: low 0.1 > high 0.01'}
    for text, message in cases.items():
        (f := tmp_path/'bad.toml').write_text(f'recipe = "keras-cnn"\n{text}\n')
        res = run_main('tune', '--space', f)
        assert res.returncode == 1 and f'bad.toml: {message}' in res.stderr and 'Traceback' not in res.stderr, res.stderr
    res = run_main('tune', '--space', 'no-such-search')
    assert res.returncode == 1 and "no search 'no-such-search'" in res.stderr
    res = run_main('tune', '--space', search_file(tmp_path), '--storage', 'nosuch://db')
    assert res.returncode == 1 and 'storage nosuch://db: cannot use it' in res.stderr and 'Traceback' not in res.stderr, res.stderr
