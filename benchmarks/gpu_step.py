"""Training throughput of the full pipeline (`fer_dataloaders` -> `fer_learner`, augmentation on the batch) against
the model-bound ceiling (the same training step on random tensors already on the device), in the same process, for
each pipeline and precision (each the best of a few rounds of both); prints both and the ratio (issue: >= 90% of the
ceiling on the GPU).
Run: FER2013_PATH=... python benchmarks/gpu_step.py [--arch vgg16_bn --size 160 --bs 64 --steps 50 --repeats 3 --precisions fp32,bf16
     --pipelines datablock,batch]
On the lent GPU machine, which has no zips: --data .device/fer.npz.xz (scripts/device/README.md)"""
import argparse, itertools, sys, time, warnings
from pathlib import Path
import torch
from fastai.vision.all import Callback, CancelFitException, TensorImage
from fer_fastai.data import load_fer
from fer_fastai.loaders import fer_dataloaders
from fer_fastai.models import fer_learner
from fer_fastai.train import speed_cbs
sys.path.insert(0, str(Path(__file__).parents[1]/'scripts/device'))
from pack import device_data

def sync():
    if torch.cuda.is_available(): torch.cuda.synchronize()

class Timer(Callback):
    "Images per second over training batches `warm`..`warm+steps` of a fit, which it then stops"
    def __init__(self, warm:int, steps:int): self.warm, self.steps, self.n, self.rate = warm, steps, 0, None
    def before_batch(self):
        if self.training and self.iter == self.warm: sync(); self.t0 = time.perf_counter()
    def after_batch(self):
        if not self.training: return
        if self.iter >= self.warm: self.n += len(self.yb[0])
        if self.iter == self.warm + self.steps - 1:
            sync(); self.rate = self.n/(time.perf_counter() - self.t0); raise CancelFitException()

def pipeline_rate(learn, steps:int, warm:int=3)->float:
    "Training images/s of `learn.fit` on its DataLoaders"
    timer = Timer(warm, steps)
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-4, cbs=timer)
    if timer.rate is None: sys.exit(f"the training set has fewer than {warm + steps} batches of {learn.dls.bs}: lower --steps or --bs")
    return timer.rate

def ceiling_rate(learn, steps:int, warm:int=3)->float:
    "Training images/s of the same learner (model, loss, optimiser, precision) on one batch of random tensors on the device"
    xb, yb = learn.dls.one_batch()
    batch = (TensorImage(torch.randn_like(xb)), torch.randint(0, learn.dls.c, yb.shape, device=yb.device))
    train = learn.dls.loaders[0]
    learn.dls.loaders[0] = [batch]*(warm + steps)  # `fit` iterates this list: no loading, no augmentation
    try: return pipeline_rate(learn, steps, warm)
    finally: learn.dls.loaders[0] = train

def best_rates(learn, steps:int, repeats:int)->tuple:
    "The best ceiling and pipeline rates over `repeats` rounds that measure both: warm-up and other work only slow a round down"
    rounds = [(ceiling_rate(learn, steps), pipeline_rate(learn, steps)) for _ in range(repeats)]
    return tuple(map(max, zip(*rounds)))

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--arch', default='vgg16_bn'); p.add_argument('--size', type=int, default=160)
    p.add_argument('--bs', type=int, default=64); p.add_argument('--steps', type=int, default=50)
    p.add_argument('--repeats', type=int, default=3, help='rounds of both measurements; each rate is the best round')
    p.add_argument('--precisions', default='fp32,bf16')
    p.add_argument('--pipelines', default='datablock,batch', help='`fer_dataloaders` pipelines to measure')
    p.add_argument('--data', type=Path, help='the arrays scripts/device/pack.py wrote (default: the data at FER2013_PATH)')
    args = p.parse_args()
    warnings.filterwarnings('ignore')
    data = device_data(args.data) if args.data else load_fer()
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    print(f"{args.arch}, {args.size} px, bs {args.bs}, {args.steps} steps, {torch.cuda.get_device_name() if device=='cuda' else 'CPU'}")
    for pipeline, precision in itertools.product(args.pipelines.split(','), args.precisions.split(',')):
        dls = fer_dataloaders(data, size=args.size, bs=args.bs, pipeline=pipeline, device=device)
        learn = fer_learner(dls, args.arch, pretrained=False, cbs=speed_cbs(precision))
        ceiling, full = best_rates(learn, args.steps, args.repeats)
        mem = f", peak GPU memory {torch.cuda.max_memory_allocated()/2**30:.1f} GiB" if device=='cuda' else ''
        print(f"{pipeline:>9} {precision}: ceiling {ceiling:8.0f} img/s, pipeline {full:8.0f} img/s, pipeline/ceiling {full/ceiling:.2f}{mem}")
