"""Time `fer-fastai --help` (the parser alone: `Recipe` and the command functions, no torch) against importing every
module a command may need (what `--help` loaded before each command imported its own modules), in fresh processes.
Prints the median of each, and their ratio. Run: python benchmarks/cli_startup.py [--n 7]"""
import argparse, statistics, subprocess, sys, time

CASES = {
    'bare interpreter (floor)': [sys.executable, '-c', 'pass'],
    'all modules a command may need (baseline)': [sys.executable, '-c',
        'import fer_fastai.data, fer_fastai.train, fer_fastai.export, fer_fastai.evaluate, fer_fastai.predict, fer_fastai.cli'],
    'fer-fastai --help': [sys.executable, '-m', 'fer_fastai.cli', '--help'],
    'fer-fastai train --help': [sys.executable, '-m', 'fer_fastai.cli', 'train', '--help'],
}

def seconds(cmd:list)->float:
    "Wall time of one run of `cmd`, which must succeed"
    t0 = time.perf_counter(); subprocess.run(cmd, check=True, capture_output=True); return time.perf_counter() - t0

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__); p.add_argument('--n', type=int, default=7, help='runs of each, interleaved')
    args = p.parse_args()
    times = {name: [] for name in CASES}
    for _ in range(args.n):  # interleaved, so a busy moment hits every case alike
        for name, cmd in CASES.items(): times[name].append(seconds(cmd))
    med = {name: statistics.median(t) for name, t in times.items()}
    base = med['all modules a command may need (baseline)']
    print(f"{'':45s} {'median':>8s}  baseline / this")
    for name, m in med.items(): print(f"{name:45s} {m:6.2f} s  {base/m:6.1f}x")
