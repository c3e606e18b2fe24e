"""Bulk prediction with ten-crop TTA on this CPU, in one process: `predict_probs(..., tta=True, crops=True)` over
PublicTest (from FER2013_PATH; synthetic faces without it) with the shipped model (or `--model`). The baseline is
what it did before: 256 faces a batch with glibc's default `malloc` (freed blocks handed back to the system); against
it, freed memory held (`held_memory`), 64 faces a batch, and both (the default now), in turn. Prints faces/s, minor
page faults and CPU seconds in the kernel for each, with the ratio to the baseline.
Run: python benchmarks/tta_speed.py [--model MODEL] [--faces 3589] [--repeats 2]"""
import argparse, resource, statistics, time
import torch
from fer_fastai.data import fer2013_path, read_source
from fer_fastai.export import load_model, predict_probs, ready_net
from fer_fastai.synthetic import synthetic_fer

SETTINGS = {"256 a batch, glibc's defaults (baseline)": (256, False), '256 a batch, memory held': (256, True),
            "64 a batch, glibc's defaults": (64, False), '64 a batch, memory held (default)': (64, True)}

def public_test_faces():
    "PublicTest's faces, or synthetic ones where FER-2013 is not here"
    root = fer2013_path()
    return read_source(root/'valid.zip').images if root is not None else synthetic_fer(1, 500, seed=0).split('valid').images

def timed(net, faces, bs:int, hold:bool)->tuple:
    "(faces/s, minor page faults, kernel CPU s) of one ten-crop TTA pass over `faces`"
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    predict_probs(net, faces, bs=bs, tta=True, crops=True, progress=False, hold_memory=hold)
    seconds, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF)
    return len(faces)/seconds, r1.ru_minflt - r0.ru_minflt, r1.ru_stime - r0.ru_stime

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--model', help='model folder, run folder or hf-hub:owner/name (default: the shipped model)')
    p.add_argument('--faces', type=int, default=3589, help='PublicTest faces to predict')
    p.add_argument('--repeats', type=int, default=2, help='passes of each setting, in turn')
    args = p.parse_args()
    net, faces = ready_net(load_model(args.model)), public_test_faces()[:args.faces]
    print(f"{len(faces)} faces, 12 views each, torch threads {torch.get_num_threads()}, CPU {torch.backends.cpu.get_cpu_capability()}")
    timed(net, faces[:256], 64, True)  # warm-up
    runs = {name: [] for name in SETTINGS}
    for _ in range(args.repeats):
        for name, (bs, hold) in SETTINGS.items(): runs[name].append(timed(net, faces, bs, hold))
    medians = {name: [statistics.median(r[i] for r in rs) for i in range(3)] for name, rs in runs.items()}
    base = medians[next(iter(SETTINGS))][0]
    for name, (speed, faults, kernel) in medians.items():
        print(f"{name:42s} {speed:5.0f} faces/s ({speed/base:.2f}x)  {faults:10,.0f} page faults  {kernel:6.1f} s in the kernel")
    print(f"(median of {args.repeats} passes each)")
