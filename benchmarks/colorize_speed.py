"""Time to colorize FER-2013 faces on this machine with DeOldify's Artistic generator, per render factor, against
DeOldify's default (render factor 35, one image at a time) in the same process; prints seconds, images/s and ratios.
Weights do not change the cost: the generator gets the parity recipe's deterministic weights (no download).
Uses PublicTest faces from $FER2013_PATH (else the synthetic set).
Run: python benchmarks/colorize_speed.py [--n 1000] [--factors 3 6 10]  (default 3 6: 10 takes a quarter hour) [--bs 64] [--n_default 10]"""
import argparse, time, warnings
import torch
from fastprogress.fastprogress import progress_bar
from fer_fastai.data import load_fer
from fer_fastai.colorize import DeOldifyGenerator, colorize
from fer_fastai.testing import parity_state_dict

def seconds(faces:torch.Tensor, model, render_factor:int, bs:int)->float:
    "Wall seconds to colorize `faces` (uint8 Nx1x48x48) in batches of `bs`, with the FER post-processing"
    colorize(faces[:2], model, render_factor)  # warm-up
    t0 = time.perf_counter()
    for i in progress_bar(range(0, len(faces), bs), leave=False): colorize(faces[i:i+bs], model, render_factor, exact_luminance=True)
    return time.perf_counter() - t0

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--n', type=int, default=1000); p.add_argument('--factors', type=int, nargs='+', default=[3, 6])
    p.add_argument('--bs', type=int, default=64); p.add_argument('--n_default', type=int, default=10)
    args = p.parse_args()
    warnings.filterwarnings('ignore')
    data = load_fer()
    faces = torch.from_numpy(data.split('valid' if 'valid' in set(data.splits) else 'test').images[:args.n])[:, None]
    model = DeOldifyGenerator('artistic'); model.load_state_dict(parity_state_dict(model.state_dict())); model.eval()
    base = seconds(faces[:args.n_default], model, 35, 1) / args.n_default
    print(f"DeOldify Artistic, CPU, {torch.get_num_threads()} threads, {len(faces)} FER faces (48x48) from {data.source}")
    print(f"baseline, render factor 35 (560 px), one at a time: {base*1000:7.0f} ms/face -> {base*len(faces)/60:6.1f} min for {len(faces)}", flush=True)
    for rf in args.factors:
        s = seconds(faces, model, rf, args.bs)
        print(f"render factor {rf:2d} ({rf*16:3d} px), batches of {args.bs}: {s:6.1f} s for {len(faces)} = {len(faces)/s:6.1f} faces/s, "
              f"{base*len(faces)/s:6.1f}x faster than the baseline", flush=True)
