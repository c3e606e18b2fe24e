"Training in several processes with Accelerate, tested on this CPU (gloo): one run folder, the same weights in every process, SIGTERM then --resume"
import json, os, signal, subprocess, sys, textwrap, time
from pathlib import Path
import pandas as pd, pytest, torch

QUICK = ['--recipe', 'keras-cnn', '--arch', 'vgg_fer_tiny', '--subset', '40', '--lr-find', 'false']  # 280 synthetic faces per split

def synthetic_env(tmp_path:Path)->dict:
    "Environment for runs on the synthetic faces, with a private cache"
    return {**{k:v for k,v in os.environ.items() if k!='FER2013_PATH'}, 'FER_FASTAI_CACHE': str(tmp_path/'cache')}

def start(*args, env:dict, cwd:Path=None)->subprocess.Popen:
    "Start `python ARGS` with Ctrl-C and SIGTERM acting as in a terminal (pytest-xdist workers ignore Ctrl-C)"
    return subprocess.Popen([sys.executable, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

def finish(proc:subprocess.Popen, timeout=600)->str:
    "Wait for `proc` to succeed; its stdout"
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return out

def log_epochs(run:Path)->list: return pd.read_csv(run/'log.csv').epoch.tolist()

def wait_for_log(run:Path, proc:subprocess.Popen, timeout=300):
    "Wait until the run has logged an epoch"
    t0 = time.time()
    while time.time()-t0 < timeout and proc.poll() is None:
        if (run/'log.csv').exists() and log_epochs(run): return
        time.sleep(0.2)
    raise AssertionError(f"no epoch logged in {run}: {proc.communicate()}")

def training_processes(run:Path)->list:
    "Process ids of the `fer_fastai.cli` processes training `run`"
    return [p.name for p in Path('/proc').iterdir() if p.name.isdigit() and str(run) in (p/'cmdline').read_bytes().decode(errors='ignore')
            if (p/'cmdline').exists()]

def test_cli_processes_sigterm_then_resume(tmp_path):
    env, run = synthetic_env(tmp_path), tmp_path/'run'
    proc = start('-m', 'fer_fastai.cli', 'train', *QUICK, '--stages', '6@3e-3', '--bs', '16', '--processes', '2', '--out', run, env=env)
    wait_for_log(run, proc)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    # 1 is our exit; one CI run (torch 2.14.1) got 143, 128 + SIGTERM, with the same output: a cause not found in 17 tries here
    assert proc.returncode in (1, 128+signal.SIGTERM) and 'Traceback' not in err, (proc.returncode, err)
    assert err.count(f'interrupted; finished epochs are kept. Resume with: fer-fastai train --resume {run}') == 1, err
    assert not training_processes(run), "a training process outlived the launcher"
    done = json.loads((run/'progress.json').read_text())['epochs_done']
    assert 1 <= done < 6 and log_epochs(run) == list(range(done))
    assert len(torch.load(run/'rng.pth', weights_only=True)) == 2, "a finished epoch keeps the random states of both processes"
    out = finish(start('-m', 'fer_fastai.cli', 'train', '--resume', run, env=env))
    summary = json.loads(out[out.index('{'):])  # printed once, by the main process
    assert (summary['processes'], summary['bs'], summary['global_bs'], summary['epochs']) == (2, 16, 32, 6)
    assert log_epochs(run) == list(range(6)), "each epoch is logged once, by the main process"
    assert json.loads((run/'config.json').read_text())['processes'] == 2
    states = [saved['torch'] for saved in torch.load(run/'rng.pth', weights_only=True)]
    assert len(states) == 2 and not torch.equal(*states), "each process keeps its own random states"
    seed = json.loads((run/'config.json').read_text())['seed']
    assert [state[:8].view(torch.int64).item() for state in states] == [seed, seed+1], "each resumed from its own (seeded seed + rank)"

NOTEBOOK_CELL = '''
import sys, torch
from pathlib import Path
from accelerate import notebook_launcher
from fastai.callback.core import Callback
from fastai.torch_core import get_model, rank_distrib
from fer_fastai.train import train
out = Path(sys.argv[1])
class SaveWeights(Callback):
    "Each process saves its random state when training starts, and its model's weights and buffers when training ends"
    order = 100
    def before_fit(self): torch.save(torch.get_rng_state(), out/f'rng{rank_distrib()}.pth')
    def after_fit(self): torch.save(get_model(self.model).state_dict(), out/f'rank{rank_distrib()}.pth')
def train_together(): train('keras-cnn', out/'run', cbs=[SaveWeights()], arch='vgg_fer_tiny', subset=40, bs=16, stages='2@3e-3', lr_find=False)
notebook_launcher(train_together, num_processes=2)
'''

def test_notebook_launcher_trains_the_same_weights_in_every_process(tmp_path):
    "Accelerate's `notebook_launcher` (what a Jupyter or Colab cell runs) forks 2 processes that train `train` together, each augmenting with its own random numbers"
    finish(start('-c', textwrap.dedent(NOTEBOOK_CELL), tmp_path, env=synthetic_env(tmp_path)))
    ranks = [torch.load(tmp_path/f'rank{r}.pth') for r in (0, 1)]
    saved = torch.load(tmp_path/'run'/'checkpoint.pth', weights_only=False)['model']  # made by this test: it holds fastcore's `L` (optimiser state)
    assert ranks[0].keys() == ranks[1].keys() == saved.keys()
    for k in saved: assert torch.equal(ranks[0][k], ranks[1][k]) and torch.equal(ranks[0][k], saved[k]), k
    assert any('running_mean' in k for k in saved), "batch-norm statistics are compared too"
    assert not torch.equal(torch.load(tmp_path/'rng0.pth'), torch.load(tmp_path/'rng1.pth')), "both processes would draw the same augmentation"
    assert log_epochs(tmp_path/'run') == [0, 1]
    assert json.loads((tmp_path/'run'/'summary.json').read_text())['global_bs'] == 32

def test_accelerate_launch_without_out_makes_one_run_folder(tmp_path):
    "The documented `accelerate launch -m fer_fastai.cli train ...`: the main process names the run folder for all"
    out = finish(start('-m', 'accelerate.commands.launch', '--multi_gpu', '--num_processes', '2', '--num_machines', '1', '--mixed_precision', 'no',
                       '--dynamo_backend', 'no', '--main_process_port', '0', '-m', 'fer_fastai.cli', 'train', *QUICK, '--stages', '1@3e-3',
                       '--bs', '16', env={**synthetic_env(tmp_path), 'ACCELERATE_USE_CPU': 'true'}, cwd=tmp_path))
    runs = list((tmp_path/'runs').iterdir())
    assert len(runs) == 1 and log_epochs(runs[0]) == [0] and out.count('"global_bs": 32') == 1, (runs, out)
    assert json.loads((runs[0]/'config.json').read_text())['processes'] == 2
