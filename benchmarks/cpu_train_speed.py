"""Training images/s of the `cpu-30min` net (`vgg_fer_small`, 48 px gray, batch 128) in a fastai `Learner` on this CPU,
for each speed lever of the recipe, against the plain setup (fp32, DataBlock pipeline) in the same process:
data pipeline (`fer_dataloaders` with `pipeline='datablock'` vs `'batch'`), channels-last, bf16 autocast, freed memory
held by glibc (`HoldFreedMemory`; all three from `speed_cbs`), and optionally `torch.compile`. Prints img/s, seconds
per FER-2013 epoch (28,709 images), page faults per training step and the ratio to the baseline.
`--archs` also times other architectures with the recipe's levers, as ratios to `vgg_fer_small` with the same levers;
`--sizes` times `vgg_fer_small` with those levers at other input sizes, `--batch-sizes` at other batch sizes.
Run: FER2013_PATH=... python benchmarks/cpu_train_speed.py [--batches 30] [--compile] [--archs resnet_fer,se_resnet_fer]
     [--sizes 40,36] [--batch-sizes 64,256]"""
import argparse, resource, time
import torch
from fastai.vision.all import Callback, CancelFitException
from fer_fastai.data import load_fer
from fer_fastai.loaders import fer_dataloaders
from fer_fastai.models import fer_learner
from fer_fastai.train import speed_cbs

def int_list(text:str)->list: return [int(o) for o in text.split(',')]  # "40,36" -> [40, 36]

def page_faults()->int: return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

class TimeBatches(Callback):
    "Time `n` training batches after `warmup` ones (and count their page faults), then stop"
    def __init__(self, n:int, warmup:int=5): self.n,self.warmup = n,warmup
    def after_batch(self):
        if self.iter == self.warmup: self.t0, self.f0 = time.perf_counter(), page_faults()
        if self.iter == self.warmup + self.n:
            self.rate = self.n*self.dls.bs/(time.perf_counter()-self.t0)
            self.faults = (page_faults()-self.f0)/self.n; raise CancelFitException

def train_rate(data, pipeline:str='batch', precision:str='bf16', channels_last:bool=True, hold_memory:bool=True,
               compile:bool=False, n:int=30, bs:int=128, arch:str='vgg_fer_small', size:int=48)->tuple:
    "Training images/s and page faults a step of `arch` at `size` px with these levers (default: the recipe's)"
    learn = fer_learner(fer_dataloaders(data, size=size, bs=bs, rgb=False, device='cpu', pipeline=pipeline), arch,
                        cbs=speed_cbs(precision, channels_last, hold_memory), label_smoothing=0.1)
    if compile: learn.model = torch.compile(learn.model)
    timer = TimeBatches(n, warmup=10 if compile else 5)
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3, cbs=timer)
    return timer.rate, timer.faults

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--batches', type=int, default=30)
    p.add_argument('--compile', action='store_true', help='also time torch.compile (compiling takes ~30 s)')
    p.add_argument('--archs', type=lambda s: s.split(','), default=[], help='also time these architectures (comma-separated)')
    p.add_argument('--sizes', type=int_list, default=[],
                   help='also time vgg_fer_small at these input sizes (comma-separated px)')
    p.add_argument('--batch-sizes', type=int_list, default=[],
                   help='also time vgg_fer_small at these batch sizes (comma-separated)')
    args = p.parse_args()
    data = load_fer()
    print(f"data: {data.source}; torch {torch.__version__}, {torch.get_num_threads()} threads; batch 128, 48 px, {args.batches} batches each")
    configs = {'datablock fp32 contiguous': dict(pipeline='datablock', precision='fp32', channels_last=False, hold_memory=False),
               'batch     fp32 contiguous': dict(precision='fp32', channels_last=False, hold_memory=False),
               'batch     fp32 channels-last': dict(precision='fp32', hold_memory=False),
               'batch     bf16 contiguous': dict(channels_last=False, hold_memory=False),
               'batch     bf16 channels-last': dict(hold_memory=False),
               '+ freed memory held (the recipe)': {},
               **({'+ torch.compile': dict(compile=True)} if args.compile else {})}
    variants = {**{arch: dict(arch=arch) for arch in args.archs}, **{f'{size} px': dict(size=size) for size in args.sizes},
                **{f'batch {bs}': dict(bs=bs) for bs in args.batch_sizes}}
    rates = {}
    for name, change in {**configs, **variants}.items():
        rates[name], faults = train_rate(data, n=args.batches, **change)
        against = 'datablock fp32 contiguous' if name in configs else '+ freed memory held (the recipe)'
        print(f"{name:34} {rates[name]:6.0f} img/s  {28709/rates[name]:5.0f} s/epoch  {faults:8.0f} page faults/step  "
              f"{rates[name]/rates[against]:4.2f}x {'plain' if name in configs else 'the recipe'}", flush=True)
