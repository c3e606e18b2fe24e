"""Images/s delivered to a model over one epoch of FER-2013 Training at 160 px with `aug_transforms`, on the CPU:
(a) the naive fastai way, `ImageDataLoaders.from_folder(..., item_tfms=Resize(160), batch_tfms=aug_transforms())` on the
Kaggle folder layout (train.zip and valid.zip extracted to a temporary folder), and (b) ours, `fer_dataloaders(pipeline='batch')` (whole batches
from the in-memory uint8 faces, fastai's `aug_transforms` at 48 px, then one resize to 160), in the same process.
Prints both rates and the ratio b/a, per-batch only and with (b)'s loading of the zips from an empty cache counted too.
Run: FER2013_PATH=... python benchmarks/data_pipeline.py [--bs 64] [--batches N (default: one epoch)]"""
import argparse, os, tempfile, time, zipfile
import torch
from pathlib import Path
from fastai.vision.all import ImageDataLoaders, Resize, aug_transforms
from fastprogress.fastprogress import progress_bar
from fer_fastai.data import fer2013_path, load_fer
from fer_fastai.loaders import fer_dataloaders

def images_per_s(dl, n_batches:int)->tuple:
    "(images/s over `n_batches` training batches after one warm-up batch, last batch) of `dl`"
    it = iter(dl); next(it)
    t0, n = time.perf_counter(), 0
    for _, (xb, _) in progress_bar(zip(range(n_batches), it), total=n_batches): n += len(xb)
    return n/(time.perf_counter()-t0), xb

def naive_dls(root:Path, bs:int):
    "The naive fastai way, on the Kaggle folder layout `root/{train,valid}/<class>/*.jpg`"
    return ImageDataLoaders.from_folder(root, train='train', valid='valid', item_tfms=Resize(160),
                                        batch_tfms=aug_transforms(), bs=bs, device='cpu', seed=42)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--bs', type=int, default=64)
    p.add_argument('--batches', type=int, help='batches to time (default: one epoch of the training images)')
    args = p.parse_args()
    root = fer2013_path()
    if root is None: raise SystemExit("set FER2013_PATH to the folder holding train.zip and valid.zip")
    os.environ['FER_FASTAI_CACHE'] = tempfile.mkdtemp()  # (b) decodes the zips, as on a fresh machine
    t0 = time.perf_counter(); data = load_fer(root/'train.zip', root/'valid.zip'); t_load = time.perf_counter()-t0
    n_train = int((data.splits=='train').sum())
    n_batches = args.batches or n_train//args.bs
    with tempfile.TemporaryDirectory() as tmp:
        for name in ('train.zip', 'valid.zip'):
            with zipfile.ZipFile(root/name) as z: z.extractall(tmp)
        naive = naive_dls(Path(tmp), args.bs)
        ours = fer_dataloaders(data, size=160, bs=args.bs, device='cpu', pipeline='batch')
        n_batches = min(n_batches, len(naive.train)-1, len(ours.train)-1)  # (the first batch warms up)
        print(f"{n_batches} batches of {args.bs} ({n_batches*args.bs} images of FER-2013 Training), 160 px, aug_transforms, "
              f"CPU threads: {torch.get_num_threads()}", flush=True)
        rate_a, xa = images_per_s(naive.train, n_batches)
        rate_b, xb = images_per_s(ours.train, n_batches)
    assert xa.shape[1:] == xb.shape[1:] == (3, 160, 160), (xa.shape, xb.shape)
    n = n_batches*args.bs
    rate_b_load = n/(n/rate_b + t_load)
    print(f"\n(a) naive ImageDataLoaders.from_folder: {rate_a:6.0f} img/s")
    print(f"(b) fer_dataloaders(pipeline='batch'):  {rate_b:6.0f} img/s; counting its {t_load:.1f}s load of the zips: {rate_b_load:.0f} img/s")
    print(f"ratio b/a: {rate_b/rate_a:.1f}x (counting the load: {rate_b_load/rate_a:.1f}x)")
