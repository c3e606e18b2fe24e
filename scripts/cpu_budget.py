"""Accuracy against training time: which CPU budget buys what. Reads committed result folders (summary.json with
`train_seconds`, eval-valid.json and eval-valid-tta.json from `fer-fastai evaluate`) and writes a table (markdown and
CSV) and a PNG of PublicTest accuracy (flip TTA, and without) against training minutes, single networks and ensembles.
An ensemble is given as EVAL_FOLDER=MEMBER+MEMBER...: its accuracy from `fer-fastai evaluate A,B --out EVAL_FOLDER`,
its time the sum of its members' training times.
Run: python scripts/cpu_budget.py --single results/a results/b --ensemble results/ab=results/a+results/b --out results/cpu-budget"""
import argparse
from pathlib import Path
import pandas as pd
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
from matplotlib.transforms import Bbox
from fer_fastai.core import read_json
from fer_fastai.runs import list_recipes, load_recipe

def scores(folder:Path)->dict:
    "PublicTest accuracy without and with flip TTA from `folder`'s evaluations"
    return dict(accuracy=read_json(folder/'eval-valid.json')['accuracy'], accuracy_tta=read_json(folder/'eval-valid-tta.json')['accuracy'])

def arch_change(s:dict)->str:
    "', ARCH' when the run of summary `s` changed its shipped recipe's architecture, else ''"
    return f", {s['arch']}" if s['recipe'] in list_recipes() and load_recipe(s['recipe']).arch != s['arch'] else ''

def single_row(folder:Path)->dict:
    "One network's row: its recipe (and architecture, when changed) and epochs, training minutes and scores; labelled by the architecture when changed"
    s = read_json(folder/'summary.json'); arch = arch_change(s)
    return dict(kind='single', name=f"{s['recipe']}, {s['epochs']} epochs{arch}", label=f"{s['arch'] if arch else s['recipe']} x{s['epochs']}", arch=s['arch'],
                epochs=s['epochs'], minutes=s['train_seconds']/60, folder=str(folder), **scores(folder))

def ensemble_row(spec:str)->dict:
    "An ensemble's row from 'EVAL_FOLDER=MEMBER+MEMBER': the members' recipes, their summed minutes, its scores"
    folder, members = spec.split('=', 1)
    rows = [single_row(Path(m)) for m in members.split('+')]
    return dict(kind='ensemble', name=' + '.join(r['name'] for r in rows), label=f"{len(rows)} nets",
                arch=' + '.join(r['arch'] for r in rows), epochs=sum(r['epochs'] for r in rows), minutes=sum(r['minutes'] for r in rows), folder=folder,
                **scores(Path(folder)))

LABEL_PLACES = [(0, 8, 'center'), (0, -14, 'center'), (8, -3, 'left'), (-8, -3, 'right'), (0, 18, 'center'), (0, -24, 'center'),
                (8, 7, 'left'), (-8, 7, 'right'), (8, -13, 'left'), (-8, -13, 'right')]  # offset from the marker in points, alignment: tried in turn

def place_labels(ax, points:list, markers:list):
    "Annotate each (x, y, text) of `points` at the first of `LABEL_PLACES` where it overlaps none of the (x, y) `markers` and no label placed before"
    ax.figure.canvas.draw(); renderer = ax.figure.canvas.get_renderer()
    taken = [Bbox.from_bounds(*(ax.transData.transform(xy) - 5), 10, 10) for xy in markers]
    for x, y, text in points:
        for dx, dy, ha in LABEL_PLACES:
            label = ax.annotate(text, (x, y), textcoords='offset points', xytext=(dx, dy), ha=ha, fontsize=8)
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(t) for t in taken) or (dx, dy, ha) == LABEL_PLACES[-1]: break
            label.remove()
        taken.append(box)

def plot_budget(df:pd.DataFrame, fname:Path, title:str):
    "Accuracy (TTA solid, none hollow) against minutes, one colour per kind, each point labelled where no other label is (recipe or changed architecture x epochs; an ensemble: its number of nets)"
    fig, ax = plt.subplots(figsize=(8, 5.5))
    for (kind, rows), colour in zip(df.groupby('kind', sort=False), ('tab:blue', 'tab:orange')):
        ax.scatter(rows.minutes, 100*rows.accuracy_tta, color=colour, label=f'{kind}, flip TTA', zorder=3)
        ax.scatter(rows.minutes, 100*rows.accuracy, facecolors='none', edgecolors=colour, label=f'{kind}, no TTA', zorder=3)
    ax.axhline(65, color='gray', ls=':', label='estimated human, 65%')
    ax.axhline(70.2, color='gray', ls='--', label='fastai VGG16_bn, 160 px, GPU: 70.2%')
    ax.set(xscale='log', xticks=[1, 5, 15, 30, 60, 120, 240], xlim=(0.8, max(160, 1.25*df.minutes.max())), xlabel='training time, minutes (log scale)',
           ylabel='PublicTest accuracy, %', title=title)
    ax.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax.grid(alpha=.3); ax.legend(fontsize=8, loc='lower right'); fig.tight_layout()
    place_labels(ax, [(r.minutes, 100*max(r.accuracy, r.accuracy_tta), r.label) for r in df.itertuples()],
                 [(r.minutes, 100*a) for r in df.itertuples() for a in (r.accuracy, r.accuracy_tta)])
    fig.savefig(fname, dpi=110)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--single', nargs='*', default=[], type=Path, help='result folders of single networks')
    p.add_argument('--ensemble', nargs='*', default=[], help='EVAL_FOLDER=MEMBER+MEMBER...')
    p.add_argument('--title', default='FER-2013 from scratch on 2 CPU cores')
    p.add_argument('--out', type=Path, required=True, help='folder for table.md, table.csv and accuracy_vs_time.png')
    args = p.parse_args()
    df = pd.DataFrame([single_row(f) for f in args.single] + [ensemble_row(s) for s in args.ensemble]).sort_values('minutes')
    args.out.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out/'table.csv', index=False)
    (args.out/'table.md').write_text(df.round(4).to_markdown(index=False) + '\n')
    plot_budget(df, args.out/'accuracy_vs_time.png', args.title)
    print(df.round(4).to_string(index=False)); print(f"wrote {args.out}/table.md, table.csv, accuracy_vs_time.png")
