"""Train a recipe on the lent GPU machine within one command's time, then evaluate it and predict the test images.
Data from .device/fer.npz.xz (pack.py writes it, `device_data` reads it). The run stops cleanly before `--stop-minutes`
(`Deadline`); while the machine is still warm, the same command resumes it. A finished run is evaluated on PublicTest (flip TTA, ten crops with
--crops), predicts .device/test.npz.xz as `id,label`, and its folder minus the weights is packed into $OUT/RUN.tar.gz.
Run there: python3 scripts/device/run.py --recipe NAME --out runs/NAME [--stop-minutes 9] [--crops] [--FIELD VALUE ...]"""
import argparse, os, sys, tarfile
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from pack import DEVICE, device_data, load_xz
from fer_fastai.cli import add_recipe_options, recipe_changes
from fer_fastai.runs import load_recipe
from fer_fastai.core import FERData
from fer_fastai.train import Deadline, resume
from fer_fastai.runs import new_run_dir
from fer_fastai.evaluate import evaluate_run
from fer_fastai.export import net_from_run
from fer_fastai.predict import Predictor

def finish(run_dir:Path, data:FERData, crops:bool, out:Path):
    "Evaluate the finished run, predict the test images, pack the folder without weights into `out`"
    for tta_crops in ([False, True] if crops else [False]): evaluate_run(run_dir, data, tta=True, crops=tta_crops)
    if (DEVICE/'test.npz.xz').is_file():
        t = load_xz(DEVICE/'test.npz.xz')
        df = Predictor(net_from_run(run_dir))(t['images'], ids=list(t['ids']), tta=True)
        df.to_csv(run_dir/'test_predictions.csv', index=False)
    out.mkdir(parents=True, exist_ok=True)
    with tarfile.open(out/f'{run_dir.name}.tar.gz', 'w:gz') as tar:
        for f in sorted(run_dir.iterdir()):
            if f.suffix != '.pth': tar.add(f, arcname=f'{run_dir.name}/{f.name}')

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--out', type=Path, required=True, help='the run folder (resumed when it holds a run)')
    p.add_argument('--stop-minutes', type=float, default=8., help='stop training before this many minutes of this command (leave time to evaluate); not the recipe'"'"'s `--minutes` budget, which shortens the run instead')
    p.add_argument('--crops', action='store_true', help='also evaluate with ten-crop TTA')
    p.add_argument('--recipe', help='a shipped recipe name or a TOML file (default: the Recipe defaults)')
    add_recipe_options(p)
    args = p.parse_args()
    data = device_data(DEVICE/'fer.npz.xz')
    run_dir = args.out if (args.out/'config.json').is_file() else new_run_dir(load_recipe(args.recipe, **recipe_changes(args)), args.out)
    print(f"{run_dir}: {torch.cuda.get_device_name() if torch.cuda.is_available() else 'CPU'}, {len(data)} images", flush=True)
    try: summary = resume(run_dir, data, cbs=[Deadline(args.stop_minutes*60)])
    except KeyboardInterrupt as e: sys.exit(f"{run_dir}: stopped ({e}); run the same command again to resume")
    finish(run_dir, data, args.crops, Path(os.environ.get('OUT', 'device_out')))
    print({k: summary[k] for k in ('recipe', 'epochs', 'accuracy', 'f1_macro', 'train_seconds', 'device')})
