"""Accuracy against training time: which CPU budget buys what. Reads committed result folders (summary.json with
`train_seconds`, and the evaluations of `fer-fastai evaluate`: eval-valid.json, eval-valid-tta.json, and
eval-valid-tta-crops.json where ten-crop TTA was run) and writes a table (markdown and CSV) and a PNG of PublicTest
accuracy (without TTA, with flip TTA, with ten-crop TTA) against training minutes, single networks and ensembles, with
a line through the runs that are the best for their budget (more accurate than every run that took no longer), the
only ones labelled.
An ensemble is given as FOLDER=MEMBER+MEMBER...: its accuracy from `fer-fastai evaluate A,B --out FOLDER`, or, for
what FOLDER has no evaluation of, from its members' saved probability tables averaged as `fer-fastai blend` does
(probs-valid-tta.csv, probs-valid-tta-crops.csv); its time is the sum of its members' training times, and of any run
named +teacher:RUN, which taught a member without being one (its time counts, its votes do not).
Run: python scripts/cpu_budget.py --single results/a results/b --ensemble results/ab=results/a+results/b --out results/cpu-budget"""
import argparse
from pathlib import Path
import numpy as np, pandas as pd
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
from matplotlib.transforms import Bbox
from fer_fastai.core import read_json
from fer_fastai.evaluate import blend_report, blend_tables, percent_down
from fer_fastai.runs import list_recipes, load_recipe

VIEWS = {'accuracy': 'valid', 'accuracy_tta': 'valid-tta', 'accuracy_crops': 'valid-tta-crops'}  # column: its evaluation's name (no TTA, flip, ten-crop)

def accuracy(folder:Path, view:str, members:list=())->float:
    "PublicTest accuracy of evaluation `view` from `folder`'s eval-VIEW.json, else from the `members`' probs-VIEW.csv averaged, else NaN"
    if (folder/f'eval-{view}.json').is_file(): return read_json(folder/f'eval-{view}.json')['accuracy']
    tables = [Path(m)/f'probs-{view}.csv' for m in members]
    return blend_report(blend_tables(tables))['accuracy'] if tables and all(t.is_file() for t in tables) else float('nan')

def scores(folder:Path, members:list=())->dict:
    "The three accuracies of `folder` (an ensemble's from its `members`' tables where `folder` has no evaluation)"
    return {col: accuracy(Path(folder), view, members) for col, view in VIEWS.items()}

def recipe_changes(folder:Path, s:dict)->tuple:
    "(', ARCH', ', N px' or ', N px windows'): what the run in `folder` (summary `s`, its config.json) changed of its shipped recipe's architecture and input size or windows (`crop`); '' for what it kept, or for a recipe not shipped"
    if s['recipe'] not in list_recipes(): return '', ''
    recipe = load_recipe(s['recipe'])
    arch = f", {s['arch']}" if recipe.arch != s['arch'] else ''
    if not (folder/'config.json').is_file(): return arch, ''
    run = read_json(folder/'config.json')
    shape = (run['size'], run.get('crop', False))  # a config from before `crop` existed trained on whole faces
    return arch, '' if shape == (recipe.size, recipe.crop) else f", {shape[0]} px" + (' windows' if shape[1] else '')

def single_row(folder:Path)->dict:
    "One network's row: its recipe (and architecture or input, when changed) and epochs, training minutes and scores; labelled by the architecture when changed"
    s = read_json(folder/'summary.json'); arch, shape = recipe_changes(folder, s)
    return dict(kind='single', name=f"{s['recipe']}, {s['epochs']} epochs{arch}{shape}", label=f"{s['arch'] if arch else s['recipe']} x{s['epochs']}{shape}",
                arch=s['arch'], epochs=s['epochs'], minutes=s['train_seconds']/60, folder=str(folder), **scores(folder))

TEACHER = 'teacher:'  # marks a run in an ensemble's spec that only taught a member: its time counts, its votes do not

def ensemble_row(spec:str)->dict:
    "An ensemble's row from 'FOLDER=MEMBER+MEMBER[+teacher:RUN]': the members' recipes, their summed minutes (and those of teachers outside the blend), its scores"
    folder, parts = spec.split('=', 1)
    members = [p for p in parts.split('+') if not p.startswith(TEACHER)]
    teachers = [single_row(Path(p.removeprefix(TEACHER))) for p in parts.split('+') if p.startswith(TEACHER)]
    rows = [single_row(Path(m)) for m in members]
    return dict(kind='ensemble', name=' + '.join(r['name'] for r in rows) + ''.join(f" (teacher: {t['name']})" for t in teachers),
                label=f"{len(rows)} nets", arch=' + '.join(r['arch'] for r in rows), epochs=sum(r['epochs'] for r in rows + teachers),
                minutes=sum(r['minutes'] for r in rows + teachers), folder=folder, **scores(folder, members))

def mark_best_for_budget(df:pd.DataFrame)->pd.DataFrame:
    "`df` (sorted by minutes) with each run's `best` accuracy (its best evaluation) and whether it is `best_for_budget`: more accurate than every run that took no longer"
    best = df[list(VIEWS)].max(axis=1)
    return df.assign(best=best, best_for_budget=best > best.cummax().shift(fill_value=0))

LABEL_PLACES = [(0, 8, 'center'), (0, -14, 'center'), (8, -3, 'left'), (-8, -3, 'right'), (0, 18, 'center'), (0, -24, 'center'),
                (8, 7, 'left'), (-8, 7, 'right'), (8, -13, 'left'), (-8, -13, 'right'), (0, 28, 'center'), (0, -34, 'center'),
                (14, 17, 'left'), (-14, 17, 'right'), (14, -23, 'left'), (-14, -23, 'right')]  # offset from the marker in points, alignment: tried in turn

LEADER_FROM = 20  # a label placed further than this (|dx| + |dy|, points) from its marker gets a line to it

def place_labels(ax, points:list, markers:list):
    "Annotate each (x, y, text) of `points` at the first of `LABEL_PLACES` inside the axes where it overlaps none of the (x, y) `markers` and no label placed before; far ones with a leader line"
    ax.figure.canvas.draw(); renderer = ax.figure.canvas.get_renderer()
    taken = [Bbox.from_bounds(*(ax.transData.transform(xy) - 5), 10, 10) for xy in markers]
    for x, y, text in points:
        for dx, dy, ha in LABEL_PLACES:
            label = ax.annotate(text, (x, y), textcoords='offset points', xytext=(dx, dy), ha=ha, fontsize=8)
            box = label.get_window_extent(renderer)
            inside = ax.bbox.contains(*box.p0) and ax.bbox.contains(*box.p1)
            if inside and not any(box.overlaps(t) for t in taken) or (dx, dy, ha) == LABEL_PLACES[-1]: break
            label.remove()
        taken.append(box)
        if abs(dx) + abs(dy) > LEADER_FROM: leader_line(ax, (x, y), box)

def leader_line(ax, xy:tuple, box:Bbox):
    "A thin gray line, under the markers, from data point `xy` to the nearest point of a label's display `box`"
    end = ax.transData.inverted().transform(np.clip(ax.transData.transform(xy), box.p0, box.p1))
    ax.plot([xy[0], end[0]], [xy[1], end[1]], color='gray', lw=.6, zorder=1, scalex=False, scaley=False)

def readable(df:pd.DataFrame)->pd.DataFrame:
    "`df` for reading: accuracies as percentages rounded down (`percent_down`), minutes to one decimal"
    return df.assign(**{col: df[col].map(percent_down) for col in [*VIEWS, 'best']}, minutes=df.minutes.round(1))

MARKERS = {'accuracy': ('o', 'no TTA', False), 'accuracy_tta': ('o', 'flip TTA', True), 'accuracy_crops': ('*', 'ten-crop TTA', True)}  # column: marker, legend, filled

def plot_budget(df:pd.DataFrame, fname:Path, title:str):
    "Accuracy (none hollow, flip TTA solid, ten-crop TTA a star) against minutes, one colour per kind; a step line through the runs best for their budget, each labelled where no other label is (recipe or changed architecture x epochs, or an ensemble's number of nets; its best accuracy)"
    fig, ax = plt.subplots(figsize=(9, 6))
    for (kind, rows), colour in zip(df.groupby('kind', sort=False), ('tab:blue', 'tab:orange')):
        for col, (marker, view, filled) in MARKERS.items():
            ax.scatter(rows.minutes, 100*rows[col], marker=marker, s=90 if marker == '*' else 36, facecolors=colour if filled else 'none',
                       edgecolors=colour, label=f'{kind}, {view}', zorder=3)
    front = df[df.best_for_budget]
    ax.step(front.minutes, 100*front.best, where='post', color='black', alpha=.5, lw=1, label='best for the budget', zorder=2)
    ax.axhline(65, color='gray', ls=':', label='estimated human, 65%')
    ax.axhline(70.2, color='gray', ls='--', label='fastai VGG16_bn, 160 px, GPU: 70.2%')
    ax.set(xscale='log', xticks=[1, 5, 15, 30, 60, 120, 240, 480], xlim=(0.8, max(160, 1.25*df.minutes.max())), xlabel='training time, minutes (log scale)', ylim=(None, 100*df.best.max() + 2),
           ylabel='PublicTest accuracy, %', title=title)
    ax.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax.grid(alpha=.3); ax.legend(fontsize=8, loc='lower right', ncol=2); fig.tight_layout()
    place_labels(ax, [(m, 100*a, f'{text}: {percent_down(a)}') for m, a, text in zip(front.minutes, front.best, front.label)],
                 [(m, a) for m, row in zip(df.minutes, 100*df[list(MARKERS)].to_numpy()) for a in row if pd.notna(a)])
    fig.savefig(fname, dpi=110)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--single', nargs='*', default=[], type=Path, help='result folders of single networks')
    p.add_argument('--ensemble', nargs='*', default=[], help='FOLDER=MEMBER+MEMBER...[+teacher:RUN]')
    p.add_argument('--title', default='FER-2013 from scratch on 2 CPU cores')
    p.add_argument('--out', type=Path, required=True, help='folder for table.md, table.csv and accuracy_vs_time.png')
    args = p.parse_args()
    df = mark_best_for_budget(pd.DataFrame([single_row(f) for f in args.single] + [ensemble_row(s) for s in args.ensemble]).sort_values('minutes'))
    args.out.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out/'table.csv', index=False)
    (args.out/'table.md').write_text(readable(df).to_markdown(index=False) + '\n')
    plot_budget(df, args.out/'accuracy_vs_time.png', args.title)
    print(readable(df).to_string(index=False)); print(f"wrote {args.out}/table.md, table.csv, accuracy_vs_time.png")
