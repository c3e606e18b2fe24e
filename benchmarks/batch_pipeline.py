"""Images/s that `fer_dataloaders` delivers to a model at 160 px with `aug_transforms`: batch transforms on the CPU
(baseline) and, when there is one, on the GPU, in the same process; prints both and the ratio.
Run: FER2013_PATH=... python benchmarks/batch_pipeline.py [--batches 50] [--bs 64]"""
import argparse, time, torch
from fer_fastai.data import load_fer
from fer_fastai.loaders import fer_dataloaders

def sync(device):
    if device.startswith('cuda'): torch.cuda.synchronize()

def images_per_s(dls, n_batches:int, device:str)->float:
    "Training images per second over `n_batches` batches, after one warm-up batch"
    it = iter(dls.train); next(it); sync(device)
    t0, n = time.perf_counter(), 0
    for _, (xb, _) in zip(range(n_batches), it): n += len(xb)
    sync(device)
    assert xb.device.type == device.split(':')[0] and xb.shape[1:] == (3, 160, 160)
    return n/(time.perf_counter()-t0)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--batches', type=int, default=50)
    p.add_argument('--bs', type=int, default=64)
    args = p.parse_args()
    data = load_fer()
    print(f"data: {data.source}, {len(data)} images; torch {torch.__version__}, threads {torch.get_num_threads()}")
    rates = {}
    for device in ['cpu'] + (['cuda'] if torch.cuda.is_available() else []):
        dls = fer_dataloaders(data, size=160, bs=args.bs, device=device)
        rates[device] = images_per_s(dls, args.batches, device)
        print(f"{device:4}: {rates[device]:8.0f} img/s (bs {args.bs}, 160 px, aug_transforms)")
    if 'cuda' in rates: print(f"ratio cuda/cpu: {rates['cuda']/rates['cpu']:.1f}x ({torch.cuda.get_device_name()})")
