"""One process against two training the same run together (Accelerate, gloo on a CPU), in one script: the recipe with
`--subset` faces per class for `--epochs` one-cycle epochs, first in this process with batch `--bs` (the baseline), then in
2 processes with batch bs/2 each: the same global batch, the same faces seen, the same steps. Each process of the two
gets half of the CPU's cores. Prints seconds per epoch, their ratio, and both validation accuracies (the cut valid
split, PublicTest when FER2013_PATH is set); the run folders stay under --out.
Run: python benchmarks/processes.py [--recipe cpu-1h] [--subset 300] [--epochs 3] [--bs 128] [--out runs/processes-benchmark]"""
import argparse, json, shutil
from pathlib import Path
import pandas as pd
from fer_fastai.train import train

def run(out:Path, processes:int, **recipe)->dict:
    "Train in `processes` processes; the summary and the mean seconds of an epoch (the first, with start-up costs, too)"
    shutil.rmtree(out, ignore_errors=True)
    summary = train(out=out, processes=processes, **recipe)
    secs = pd.read_csv(out/'log.csv').seconds
    return dict(summary, epoch_seconds=float(secs.mean()), first_epoch_seconds=float(secs.iloc[0]))

def main(recipe:str, subset:int, epochs:int, bs:int, lr:float, out:Path):
    common = dict(recipe=recipe, subset=subset, stages=f'{epochs}@{lr}', lr_find=False)
    one = run(out/'one-process', 1, bs=bs, **common)
    two = run(out/'two-processes', 2, bs=bs//2, **common)
    rows = [dict(run=name, processes=s['processes'], bs=s['bs'], global_bs=s['global_bs'], epochs=s['epochs'],
                 epoch_seconds=round(s['epoch_seconds'], 1), accuracy=round(s['accuracy'], 4), f1_macro=round(s['f1_macro'], 4),
                 valid_split=s['valid_split'], n_train=s['n_train'], n_valid=s['n_valid']) for name, s in (('one process', one), ('two processes', two))]
    table = pd.DataFrame(rows)
    print(table.to_markdown(index=False))
    print(f"epoch time ratio (two processes / one): {two['epoch_seconds']/one['epoch_seconds']:.2f}x; "
          f"accuracy difference (two - one): {100*(two['accuracy']-one['accuracy']):+.1f} points")
    (out/'table.md').write_text(table.to_markdown(index=False) + '\n')
    (out/'table.json').write_text(json.dumps(rows, indent=2))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--recipe', default='cpu-1h', help='recipe to train')
    p.add_argument('--subset', type=int, default=300, help='faces per class and split')
    p.add_argument('--epochs', type=int, default=3, help='one-cycle epochs')
    p.add_argument('--bs', type=int, default=128, help='global batch (one process: all of it; two: half each)')
    p.add_argument('--lr', type=float, default=3e-3, help='peak learning rate')
    p.add_argument('--out', type=Path, default=Path('runs/processes-benchmark'), help='folder for the two run folders and the table')
    main(**vars(p.parse_args()))
