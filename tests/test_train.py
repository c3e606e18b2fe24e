"End-to-end training: every shipped recipe on a small subset of FER-2013 (or synthetic files), SIGTERM then --resume, offline weights, lr-find"
import json, os, signal, subprocess, sys, time
from pathlib import Path
import pandas as pd, pytest, torch
from fer_fastai.cli import main
from fer_fastai.data import load_fer
from fer_fastai.core import FER_CLASSES
from fer_fastai.runs import list_recipes, load_recipe
from fer_fastai.train import train, signals_held, sigterm_as_interrupt
from fer_fastai.testing import run_main

@pytest.fixture(scope='module')
def fer_data(fer_files):
    "FER-2013 train + valid (real, or synthetic files of the same layout), decoded once for the module"
    return load_fer(fer_files.path/'train.zip', fer_files.path/'valid.zip', cache=False)

def test_recipes_are_shipped():
    assert {'fastai-vgg16_bn', 'fastai-vgg19_bn', 'fastai-resnet34', 'resnet18-adafactor', 'resnet50-adafactor',
            'mobilenet_v2', 'cnn4-6class', 'keras-cnn', 'fastai-vgg16_bn-colorized'} <= set(list_recipes())
    for name in list_recipes(): assert load_recipe(name).doc, f"{name} has no doc"

@pytest.mark.parametrize('name', [n for n in list_recipes() if not load_recipe(n).colorize])  # that one: tests/test_colorize.py, from the CLI
def test_recipe_end_to_end_on_a_subset(name, fer_data, fer_files, tmp_path):
    recipe, local = load_recipe(name), {}
    if recipe.downsample and not fer_files.real:  # the synthetic files have fewer faces than the recipe removes
        local['downsample'] = {c: fer_files.train_counts[FER_CLASSES.index(c)]//2 for c in recipe.downsample}
    summary = train(name, tmp_path/name, data=fer_data, subset=8, bs=16, size=32, pretrained=False, epoch_cap=1, lr_find=False, **local)
    n_stages = len(recipe.stages.split(','))
    log = pd.read_csv(tmp_path/name/'log.csv')
    assert log.epoch.tolist() == list(range(n_stages)) and summary['epochs'] == n_stages
    assert summary['valid_split'] == 'valid' and summary['arch'] == recipe.arch and 0 <= summary['accuracy'] <= 1
    n_classes = 6 if recipe.merge else 7
    assert len(summary['classes']) == n_classes and summary['n_valid'] == 8*(n_classes-1) + 8
    for f in ('best.pth', 'checkpoint.pth', 'curves.png', 'summary.json', 'config.json'): assert (tmp_path/name/f).exists()

def fer_fastai(*args, env=None, **kw):
    "Start the `fer-fastai` console script"
    return subprocess.Popen([sys.executable, '-c', 'from fer_fastai.cli import main; main()', *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, **kw)

def synthetic_env(tmp_path):
    "Environment for a CLI run on the synthetic faces, with a private cache"
    env = {k:v for k,v in os.environ.items() if k!='FER2013_PATH'}
    return {**env, 'FER_FASTAI_CACHE': str(tmp_path/'cache')}

QUICK = ['--recipe', 'keras-cnn', '--arch', 'vgg_fer_tiny', '--stages', '3@3e-3,1@1e-3:flat', '--subset', '40', '--bs', '32', '--lr-find', 'false']

def wait_for_epochs(log:Path, n:int, proc, timeout=300):
    "Wait until `log` has `n` rows"
    t0 = time.time()
    while time.time()-t0 < timeout and proc.poll() is None:
        if log.exists() and len(pd.read_csv(log)) >= n: return
        time.sleep(0.2)
    raise AssertionError(f"no {n} epochs in {log}: {proc.communicate()}")

def test_sigterm_then_resume_loses_no_epoch(tmp_path, monkeypatch):
    env = synthetic_env(tmp_path)
    proc = fer_fastai('train', *QUICK, '--out', tmp_path/'run', env=env)
    wait_for_epochs(tmp_path/'run'/'log.csv', 1, proc)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and 'interrupted' in err and f"--resume {tmp_path/'run'}" in err, err
    done = json.loads((tmp_path/'run'/'progress.json').read_text())['epochs_done']
    assert 1 <= done < 4 and len(pd.read_csv(tmp_path/'run'/'log.csv')) == done
    whole = fer_fastai('train', *QUICK, '--out', tmp_path/'whole', env=env)  # the uncut run, while this process resumes the cut one
    monkeypatch.delenv('FER2013_PATH', raising=False)  # as in `env`: the synthetic faces (and the same private cache)
    resumed = run_main('train', '--resume', tmp_path/'run')
    out, err = whole.communicate(timeout=600)
    assert resumed.returncode == 0 and whole.returncode == 0, resumed.stderr + err
    cut, ref = (pd.read_csv(tmp_path/r/'log.csv') for r in ('run', 'whole'))
    same = ['epoch', 'valid_loss', 'accuracy', 'f1_score', 'lr']
    assert cut.epoch.tolist() == [0, 1, 2, 3]
    pd.testing.assert_frame_equal(cut[same], ref[same])

def test_time_budget_ends_the_run_and_holds_across_resume(tmp_path):
    "A budget too small for a second epoch: the run ends after one, says so, and `--resume` trains no more"
    env = synthetic_env(tmp_path)
    out, err = fer_fastai('train', *QUICK, '--stages', '4@3e-3', '--minutes', '0.0001', '--out', tmp_path/'run', env=env).communicate(timeout=300)
    assert 'time budget: 1 of 4 epochs fit in 0.0001 minutes' in err and 'Traceback' not in err, (out, err)  # progress goes to stderr
    progress = json.loads((tmp_path/'run'/'progress.json').read_text())
    assert progress['epochs_done'] == 1 and progress['stage_epochs'] == [1] and progress['train_seconds'] > 0
    assert json.loads((tmp_path/'run'/'summary.json').read_text())['epochs'] == 1
    out, err = fer_fastai('train', '--resume', tmp_path/'run', env=env).communicate(timeout=300)
    assert len(pd.read_csv(tmp_path/'run'/'log.csv')) == 1 and '"epochs": 1' in out, (out, err)

def test_distillation_says_what_its_teacher_does_in_a_log(tmp_path):
    "Progress bars are silent where stderr is not a terminal: the teacher's prediction is announced on a line of its own"
    env, lines = synthetic_env(tmp_path), {}
    for run, extra in (('teacher', []), ('student', ['--teacher', tmp_path/'teacher', '--pipeline', 'batch']),
                       ('student2', ['--teacher', tmp_path/'teacher', '--pipeline', 'batch'])):
        out, err = fer_fastai('train', *QUICK, '--stages', '1@3e-3', '--out', tmp_path/run, *extra, env=env).communicate(timeout=300)
        lines[run] = [l for l in err.splitlines() if l.startswith(f"teacher {tmp_path/'teacher'}: ")]
        assert '█' not in err and 'Traceback' not in err, err
    n = len(torch.load(tmp_path/'student'/'teacher.pt'))
    assert lines['teacher'] == [] and len(lines['student']) == len(lines['student2']) == 1, lines
    assert lines['student'][0].startswith(f"teacher {tmp_path/'teacher'}: predicting {n:,} faces with flip TTA"), lines
    assert lines['student2'][0].startswith(f"teacher {tmp_path/'teacher'}: probabilities of {n:,} faces from the cache"), lines

def test_pretrained_offline_without_weights_fails_fast(tmp_path):
    env = {**synthetic_env(tmp_path), 'TORCH_HOME': str(tmp_path/'torch')}
    p = fer_fastai('train', '--arch', 'resnet18', '--pretrained', 'true', '--subset', '10', '--bs', '8', '--out', tmp_path/'run', env=env)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 1 and 'Traceback' not in err, err
    assert 'resnet18: no ImageNet weights at' in err and str(tmp_path/'torch') in err and 'pretrained=False' in err, err

def test_lr_find_cli_saves_plot_and_suggestions(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv('FER2013_PATH', raising=False)
    main(['lr-find', '--recipe', 'keras-cnn', '--arch', 'vgg_fer_tiny', '--subset', '20', '--bs', '16', '--png', str(tmp_path/'lr.png')])
    out = capsys.readouterr().out
    for k in ('valley', 'slide', 'minimum', 'steep'): assert f"{k}: " in out
    assert (tmp_path/'lr.png').stat().st_size > 10_000

def test_bad_stage_and_field_values_are_cli_errors(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv('FER2013_PATH', raising=False)
    for argv, msg in [(['train', '--stages', '30x1e-3'], 'expected EPOCHS@LR'),
                      (['train', '--opt', 'lbfgs'], "opt 'lbfgs'"),
                      (['train', '--size', 'big'], "invalid int value: 'big'"),
                      (['train', '--minutes', '0'], 'minutes 0.0: must be a finite number > 0'),
                      (['train', '--recipe', 'keras-cnn', '--drop', 'boredom', '--out', str(tmp_path/'r')], "unknown class 'boredom'")]:
        with pytest.raises(SystemExit) as e: main(argv)
        said = f"{e.value.code} {capsys.readouterr().err}"  # our errors are the exit message; argparse's go to stderr
        assert msg in said and 'Traceback' not in said, (argv, said)

def test_signal_waits_until_the_epoch_is_saved():
    "SIGTERM (and Ctrl-C) during `signals_held` act only after the block: no epoch is half saved"
    events = []
    with sigterm_as_interrupt():
        try:
            with signals_held():
                os.kill(os.getpid(), signal.SIGTERM); time.sleep(0.2); events.append('epoch saved')
            time.sleep(0.2)
        except KeyboardInterrupt: events.append('interrupted')
    assert events == ['epoch saved', 'interrupted']
