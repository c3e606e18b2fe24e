"scripts/cpu_budget.py: the accuracy-for-a-CPU-budget table and plot, from result folders written here"
import importlib.util, itertools, json, subprocess, sys
from pathlib import Path
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import pandas as pd, torch
from PIL import Image
from fer_fastai.core import FER_CLASSES
from fer_fastai.export import probs_table
from fer_fastai.runs import load_recipe

SCRIPT = Path(__file__).parent.parent/'scripts'/'cpu_budget.py'

def result_folder(folder:Path, recipe:str, seconds:float, acc:float, acc_tta:float, epochs:int=3, arch:str=None)->Path:
    "A result folder as `scripts/cpu_30min.sh` leaves it: summary.json and the two evaluations"
    folder.mkdir(parents=True)
    (folder/'summary.json').write_text(json.dumps(dict(recipe=recipe, arch=arch or f'{recipe}-net', epochs=epochs, train_seconds=seconds)))
    for name, a in (('eval-valid.json', acc), ('eval-valid-tta.json', acc_tta)): (folder/name).write_text(json.dumps(dict(accuracy=a)))
    return folder

def budget_table(tmp_path, *args)->pd.DataFrame:
    "table.csv of scripts/cpu_budget.py run with `args`"
    res = subprocess.run([sys.executable, SCRIPT, *args, '--out', tmp_path/'out'], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return pd.read_csv(tmp_path/'out'/'table.csv')

def test_table_and_plot_of_singles_and_an_ensemble(tmp_path):
    a = result_folder(tmp_path/'a', 'fast', 600, .60, .61)
    b = result_folder(tmp_path/'b', 'slow', 1800, .65, .66, epochs=9)
    ab = tmp_path/'ab'; ab.mkdir()
    for name, acc in (('eval-valid.json', .655), ('eval-valid-tta.json', .67)): (ab/name).write_text(json.dumps(dict(accuracy=acc)))
    df = budget_table(tmp_path, '--single', b, a, '--ensemble', f'{ab}={a}+{b}')
    assert list(df.name) == ['fast, 3 epochs', 'slow, 9 epochs', 'fast, 3 epochs + slow, 9 epochs'] and list(df.kind) == ['single', 'single', 'ensemble']  # by minutes
    assert list(df.minutes) == [10, 30, 40] and list(df.epochs) == [3, 9, 12]
    assert list(df.accuracy_tta) == [.61, .66, .67] and list(df.accuracy) == [.60, .65, .655]
    assert '| fast, 3 epochs + slow, 9 epochs' in (tmp_path/'out'/'table.md').read_text()
    w, h = Image.open(tmp_path/'out'/'accuracy_vs_time.png').size
    assert w > 600 and h > 400

def probs_file(fname:Path, rows:list):
    "A probs-*.csv as `fer-fastai evaluate` writes it (`probs_table` with the targets), from (target, {class: probability}) rows"
    probs = torch.tensor([[p.get(c, 0.) for c in FER_CLASSES] for _, p in rows])
    table = probs_table([f'face{i}' for i in range(len(rows))], probs, FER_CLASSES)
    table.insert(1, 'target', [t for t, _ in rows]); table.to_csv(fname, index=False)

def two_members(tmp_path)->tuple:
    "Runs a (10 min) and b (30 min) whose flip-TTA tables are each right on half of four faces, and together (averaged) on three"
    a = result_folder(tmp_path/'a', 'fast', 600, .60, .50)
    b = result_folder(tmp_path/'b', 'slow', 1800, .65, .50)
    probs_file(a/'probs-valid-tta.csv', [('happy', dict(happy=.9, angry=.1)), ('sad', dict(sad=.4, neutral=.6)),
                                         ('angry', dict(angry=.8, fear=.2)), ('fear', dict(fear=.3, neutral=.7))])  # right on faces 0 and 2
    probs_file(b/'probs-valid-tta.csv', [('happy', dict(happy=.4, angry=.6)), ('sad', dict(sad=.9, neutral=.1)),
                                         ('angry', dict(angry=.1, fear=.9)), ('fear', dict(fear=.8, neutral=.2))])  # right on faces 1 and 3
    return a, b

def test_an_ensemble_without_evaluations_is_scored_from_its_members_tables(tmp_path):
    "A blend of saved tables (no evaluation folder): its flip-TTA accuracy is that of the averaged tables, where each member gets half the faces"
    a, b = two_members(tmp_path)
    (a/'eval-valid-tta-crops.json').write_text(json.dumps(dict(accuracy=.52)))
    df = budget_table(tmp_path, '--single', a, b, '--ensemble', f'{tmp_path/"blend"}={a}+{b}')
    blend = df[df.kind == 'ensemble'].iloc[0]
    assert blend.accuracy_tta == .75 and blend.minutes == 40, blend  # the average is right on faces 0, 1 and 3
    assert pd.isna(blend.accuracy) and pd.isna(blend.accuracy_crops)  # no member saved those tables
    assert list(df[df.kind == 'single'].accuracy_crops.fillna(-1)) == [.52, -1]  # a single's ten-crop figure, where it was evaluated

def test_a_teacher_outside_the_blend_adds_its_time_not_its_votes(tmp_path):
    "A member distilled from a run that is not in the blend: that run's 20 minutes count, its table (wrong on every face) does not vote"
    a, b = two_members(tmp_path)
    teacher = result_folder(tmp_path/'teacher', 'teach', 1200, .70, .70, epochs=5)
    probs_file(teacher/'probs-valid-tta.csv', [(t, dict(surprise=1.)) for t in ('happy', 'sad', 'angry', 'fear')])
    blend = budget_table(tmp_path, '--ensemble', f'{tmp_path/"blend"}={a}+{b}+teacher:{teacher}').iloc[0]
    assert blend.accuracy_tta == .75 and blend.minutes == 60 and blend.epochs == 11, blend
    assert blend.label == '2 nets' and blend['name'] == 'fast, 3 epochs + slow, 3 epochs (teacher: teach, 5 epochs)', blend

def test_a_run_that_changed_its_recipes_arch_says_so(tmp_path):
    "Two runs of the shipped `cpu-30min`: its own net is named by the recipe, one with `--arch resnet_fer` also by the arch"
    own_arch = load_recipe('cpu-30min').arch
    assert own_arch != 'resnet_fer'
    own = result_folder(tmp_path/'own', 'cpu-30min', 1440, .654, .662, epochs=27, arch=own_arch)
    other = result_folder(tmp_path/'other', 'cpu-30min', 1420, .652, .667, epochs=27, arch='resnet_fer')
    df = budget_table(tmp_path, '--single', own, other)
    assert list(df.name) == ['cpu-30min, 27 epochs, resnet_fer', 'cpu-30min, 27 epochs'], df
    assert list(df.label) == ['resnet_fer x27', 'cpu-30min x27'], df  # the plot's labels: short, the architecture when it changed

def test_a_run_that_changed_its_recipes_input_says_so(tmp_path):
    "Runs of the shipped `cpu-2h` with their config.json: as shipped, resized to 36 px, on 36 px windows, and at 36 px with a config from before `crop`; the changed ones say how"
    recipe = load_recipe('cpu-2h')
    shapes = {'own': (recipe.size, recipe.crop), 'resized': (36, False), 'windows': (36, True)}
    runs = [result_folder(tmp_path/name, 'cpu-2h', 6000 + i, .68, .69, epochs=120, arch=recipe.arch) for i, name in enumerate(shapes)]
    for folder, (size, crop) in zip(runs, shapes.values()): (folder/'config.json').write_text(json.dumps(dict(size=size, crop=crop)))
    old = result_folder(tmp_path/'old', 'cpu-2h', 6003, .68, .69, epochs=120, arch=recipe.arch)  # a config from before `crop`: whole faces
    (old/'config.json').write_text(json.dumps(dict(size=36))); runs.append(old)
    df = budget_table(tmp_path, '--single', *runs)
    assert list(df.label) == ['cpu-2h x120', 'cpu-2h x120, 36 px', 'cpu-2h x120, 36 px windows', 'cpu-2h x120, 36 px'], df
    assert list(df.name) == ['cpu-2h, 120 epochs', 'cpu-2h, 120 epochs, 36 px', 'cpu-2h, 120 epochs, 36 px windows', 'cpu-2h, 120 epochs, 36 px'], df

def load_script():
    "scripts/cpu_budget.py as a module"
    spec = importlib.util.spec_from_file_location('cpu_budget', SCRIPT); module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module); return module

def test_labels_of_close_points_do_not_overlap(tmp_path):
    "Three runs of about 25 minutes and two of about 50, as on our plot: every label stays clear of the others and of every marker"
    place_labels = load_script().place_labels
    points = [(23.6, 66.7, 'resnet_fer x27'), (24.1, 66.2, 'cpu-30min x27'), (25.6, 66.8, 'se_resnet_fer x27'),
              (47.6, 67.6, '2 nets'), (48.7, 68.3, 'cpu-30min x60'), (51.5, 67.3, 'se_resnet_fer x45')]
    fig, ax = plt.subplots(figsize=(8, 5.5))
    ax.scatter(*zip(*[(x, y) for x, y, _ in points])); ax.set(xscale='log', xlim=(0.8, 240), ylim=(55, 71)); fig.tight_layout()
    place_labels(ax, points, [(x, y) for x, y, _ in points])
    renderer = fig.canvas.get_renderer()
    boxes = {t.get_text(): t.get_window_extent(renderer) for t in ax.texts}
    assert sorted(boxes) == sorted(text for *_, text in points)
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2): assert not box_a.overlaps(box_b), (a, b)
    for x, y, text in points:
        cx, cy = ax.transData.transform((x, y))
        assert boxes[text].x0 - 40 < cx < boxes[text].x1 + 40 and abs(cy - (boxes[text].y0 + boxes[text].y1)/2) < 60, text  # beside its own point
        for px, py, _ in points: assert not boxes[text].overlaps(type(boxes[text]).from_bounds(*(ax.transData.transform((px, py)) - 5), 10, 10)), (text, px)
    plt.close(fig)

def test_far_labels_get_a_leader_line():
    "Nine points on top of each other: the labels pushed away from their point get a line that ends at their box, the near ones none"
    script = load_script()
    fig, ax = plt.subplots(figsize=(8, 5.5))
    points = [(100, 70, f'net {i}') for i in range(9)]
    ax.scatter([100], [70]); ax.set(xscale='log', xlim=(0.8, 400), ylim=(55, 75)); fig.tight_layout()
    script.place_labels(ax, points, [(100, 70)])
    offsets = [abs(t.xyann[0]) + abs(t.xyann[1]) for t in ax.texts]
    far = [t for t, o in zip(ax.texts, offsets) if o > script.LEADER_FROM]
    assert 0 < len(far) < len(points) and len(ax.lines) == len(far), (offsets, len(ax.lines))
    renderer = fig.canvas.get_renderer()
    for line, label in zip(ax.lines, far):
        end = ax.transData.transform(line.get_xydata()[-1]); box = label.get_window_extent(renderer)
        assert box.x0 - 1 <= end[0] <= box.x1 + 1 and box.y0 - 1 <= end[1] <= box.y1 + 1, (end, box)
    plt.close(fig)

def test_table_md_rounds_percentages_down(tmp_path):
    "A run one face short of 72.5% must not read 72.50% (or 0.7250) in table.md; table.csv keeps the exact fraction"
    near = result_folder(tmp_path/'near', 'near', 600, 2602/3589, .7)
    df = budget_table(tmp_path, '--single', near)
    md = (tmp_path/'out'/'table.md').read_text()
    assert '72.49%' in md and '70.00%' in md and '72.50%' not in md and '0.725' not in md, md
    assert df.accuracy[0] == 2602/3589

def test_the_runs_best_for_their_budget_are_marked(tmp_path):
    "A run is best for its budget when it beats every run that took no longer, by its best evaluation (ten-crop where run)"
    a = result_folder(tmp_path/'a', 'fast', 600, .60, .61)
    slow_worse = result_folder(tmp_path/'b', 'slow', 1800, .58, .60)
    c = result_folder(tmp_path/'c', 'long', 3600, .60, .60)
    (c/'eval-valid-tta-crops.json').write_text(json.dumps(dict(accuracy=.64)))
    df = budget_table(tmp_path, '--single', c, slow_worse, a)
    assert list(df.best) == [.61, .60, .64] and list(df.best_for_budget) == [True, False, True], df

def test_a_label_at_the_edge_stays_inside_the_axes():
    "The longest ensemble sits at the right edge: its label goes where it can be read, not past the frame"
    place_labels = load_script().place_labels
    fig, ax = plt.subplots(figsize=(8, 5.5))
    ax.scatter([380], [71.9]); ax.set(xscale='log', xlim=(0.8, 400), ylim=(55, 72)); fig.tight_layout()
    place_labels(ax, [(380, 71.9, '3 nets: 71.9%')], [(380, 71.9)])
    box = ax.texts[0].get_window_extent(fig.canvas.get_renderer())
    assert ax.bbox.x0 <= box.x0 and box.x1 <= ax.bbox.x1 and ax.bbox.y0 <= box.y0 and box.y1 <= ax.bbox.y1, (box, ax.bbox)
    plt.close(fig)
