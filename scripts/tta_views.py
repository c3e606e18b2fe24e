"""Which test-time views pay: PublicTest accuracy of each model under several TTA view sets, from one pass per view.
The shipped ten-crop TTA (`--tta --crops`: the face and five 90% crops, each with its mirror image: 12 views) against
the mirror images' crops cut from the mirrored face (the centre crop then sits 1 px to the other side: 12 views) and
against crops at three scales (95, 90, 85% of the side: 32 views). Every choice here is made on PublicTest itself.
Run: FER2013_PATH=... python scripts/tta_views.py MODEL [MODEL ...] --out results/tta-views/views.csv"""
import argparse
from pathlib import Path
import pandas as pd, torch
from fer_fastai.data import fer2013_path, read_source
from fer_fastai.export import crop_views, load_model, predict_probs, ready_net

def view_probs(net, views:list)->list:
    "Class probabilities of each Bx1x48x48 batch of `views`"
    return [predict_probs(net, v[:, 0].numpy(), progress=False) for v in views]

def accuracies(net, part)->dict:
    "PublicTest accuracy (%) of `net` under each view set"
    y = torch.tensor([net.classes.index(part.classes[l]) for l in part.labels])
    faces = torch.from_numpy(part.images)[:, None]
    full = view_probs(net, [faces, faces.flip(-1)])
    crops = {f: view_probs(net, (c := crop_views(faces, f)) + [v.flip(-1) for v in c]) for f in (0.95, 0.9, 0.85)}
    crops_of_mirror = view_probs(net, crop_views(faces.flip(-1), 0.9))
    def acc(views): return round(100*(torch.stack(views).mean(0).argmax(1) == y).float().mean().item(), 2)
    return {'flip (2 views)': acc(full), 'ten-crop, shipped (12)': acc(full + crops[0.9]),
            "ten-crop, mirror's crops (12)": acc(full + crops[0.9][:5] + crops_of_mirror),
            'three scales 95/90/85% (32)': acc(full + crops[0.95] + crops[0.9] + crops[0.85])}

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('models', nargs='+', help='model or run folders'); p.add_argument('--out', type=Path, help='CSV to write')
    args = p.parse_args()
    part = read_source(fer2013_path()/'valid.zip')
    rows = []
    for m in args.models:
        rows.append({'model': m, **accuracies(ready_net(load_model(m)), part)}); print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False)); print('mean', table.drop(columns='model').mean().round(2).to_dict())
    if args.out: args.out.parent.mkdir(parents=True, exist_ok=True); table.to_csv(args.out, index=False)
