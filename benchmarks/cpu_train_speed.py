"""Training images/s of the `cpu-30min` net (`vgg_fer_small`, 48 px gray, batch 128) in a fastai `Learner` on this CPU,
for each speed lever of the recipe, against the plain setup (fp32, DataBlock pipeline) in the same process:
data pipeline (`fer_dataloaders` with `pipeline='datablock'` vs `'batch'`), channels-last, bf16 autocast (`speed_cbs`), and
optionally `torch.compile`. Prints img/s, seconds per FER-2013 epoch (28,709 images) and the ratio to the baseline.
`--archs` also times other architectures with the recipe's levers (batch pipeline, bf16, channels-last), as ratios to
`vgg_fer_small` with the same levers; `--sizes` times `vgg_fer_small` with those levers at other input sizes.
Run: FER2013_PATH=... python benchmarks/cpu_train_speed.py [--batches 30] [--compile] [--archs resnet_fer,se_resnet_fer]
     [--sizes 40,36]"""
import argparse, time
import torch
from fastai.vision.all import Callback, CancelFitException
from fer_fastai.data import load_fer
from fer_fastai.loaders import fer_dataloaders
from fer_fastai.models import fer_learner
from fer_fastai.train import speed_cbs

class TimeBatches(Callback):
    "Time `n` training batches after `warmup` ones, then stop"
    def __init__(self, n:int, warmup:int=5): self.n,self.warmup = n,warmup
    def after_batch(self):
        if self.iter == self.warmup: self.t0 = time.perf_counter()
        if self.iter == self.warmup + self.n:
            self.rate = self.n*self.dls.bs/(time.perf_counter()-self.t0); raise CancelFitException

def train_rate(data, pipeline:str, precision:str, channels_last:bool, compile:bool=False, n:int=30, bs:int=128,
               arch:str='vgg_fer_small', size:int=48)->float:
    "Training images/s of `arch` at `size` px with these levers"
    learn = fer_learner(fer_dataloaders(data, size=size, bs=bs, rgb=False, device='cpu', pipeline=pipeline), arch,
                        cbs=speed_cbs(precision, channels_last), label_smoothing=0.1)
    if compile: learn.model = torch.compile(learn.model)
    timer = TimeBatches(n, warmup=10 if compile else 5)
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3, cbs=timer)
    return timer.rate

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--batches', type=int, default=30)
    p.add_argument('--compile', action='store_true', help='also time torch.compile (compiling takes ~30 s)')
    p.add_argument('--archs', type=lambda s: s.split(','), default=[], help='also time these architectures (comma-separated)')
    p.add_argument('--sizes', type=lambda s: [int(o) for o in s.split(',')], default=[],
                   help='also time vgg_fer_small at these input sizes (comma-separated px)')
    args = p.parse_args()
    data = load_fer()
    print(f"data: {data.source}; torch {torch.__version__}, {torch.get_num_threads()} threads; batch 128, 48 px, {args.batches} batches each")
    configs = [('datablock', 'fp32', False), ('batch', 'fp32', False), ('batch', 'fp32', True), ('batch', 'bf16', False),
               ('batch', 'bf16', True), *([('batch', 'bf16', True, True)] if args.compile else [])]
    base, rates = None, {}
    for cfg in configs:
        rates[cfg] = rate = train_rate(data, *cfg, n=args.batches)
        base = base or rate
        name = f"{cfg[0]:9} {cfg[1]} {'channels-last' if cfg[2] else 'contiguous   '}{' compiled' if len(cfg)>3 else ''}"
        print(f"{name:45} {rate:6.0f} img/s  {28709/rate:5.0f} s/epoch  {rate/base:4.1f}x", flush=True)
    variants = [(arch, dict(arch=arch), 'vgg_fer_small') for arch in args.archs] + [(f'{size} px', dict(size=size), '48 px') for size in args.sizes]
    for name, change, against in variants:
        rate = train_rate(data, 'batch', 'bf16', True, n=args.batches, **change)
        print(f"{name + ', batch bf16 channels-last':45} {rate:6.0f} img/s  {28709/rate:5.0f} s/epoch  "
              f"{rate/rates['batch', 'bf16', True]:4.2f}x {against}", flush=True)
