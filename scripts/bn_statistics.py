"""Measure the test-time batch-norm statistics lever: the accuracy of trained models on PublicTest (`valid`) with the
running means and variances they learnt during training (on augmented, perhaps mixed-up faces), against the same
models with those statistics recomputed in one pass (PyTorch's `update_bn`) over
- `train`: the training faces without augmentation (what inference sees), or
- `valid`: the evaluated faces themselves, without their labels (transductive, as AdaBN does).
Usage: FER2013_PATH=... python scripts/bn_statistics.py MODEL... [--crops] [--out results/x/bn_statistics.csv]"""
import argparse, copy
from pathlib import Path
import pandas as pd
from torch.optim.swa_utils import update_bn
from fer_fastai.loaders import channels_first
from fer_fastai.data import load_fer
from fer_fastai.evaluate import evaluate
from fer_fastai.export import load_model

def recomputed(net, images, bs:int=256):
    "A copy of `net` whose batch-norm statistics are the plain averages over `images` (uint8 faces)"
    net = copy.deepcopy(net)
    update_bn((channels_first(images[i:i+bs]) for i in range(0, len(images), bs)), net)
    return net

def accuracies(net, data, crops:bool)->dict:
    "Accuracy of `net` on the `valid` split of `data`: plain, flip TTA and (with `crops`) ten-crop TTA"
    views = dict(plain=dict(), flip=dict(tta=True), **(dict(ten_crop=dict(tta=True, crops=True)) if crops else {}))
    return {k: evaluate(net, data, 'valid', **kw)['accuracy'] for k,kw in views.items()}

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('models', nargs='+', help='run or model folders')
    p.add_argument('--crops', action='store_true', help='also ten-crop TTA')
    p.add_argument('--out', type=Path, help='CSV for the table')
    a = p.parse_args()
    data = load_fer()
    train, valid = data.split('train').images, data.split('valid').images
    rows = []
    for m in a.models:
        net = load_model(m)
        for stats, n in [('training', net), ('train', recomputed(net, train)), ('valid', recomputed(net, valid))]:
            rows.append(dict(model=m, bn_statistics=stats, **accuracies(n, data, a.crops)))
            print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    print(table.to_markdown(index=False, floatfmt='.4f'))
    if a.out: table.to_csv(a.out, index=False)

if __name__ == '__main__': main()
