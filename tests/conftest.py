"""Shared fixtures: a private cache per test, the FER-2013 folder, and makers of small bad inputs.

Every test runs with or without the real data: `FER2013_PATH` names the shared FER-2013 folder when there is one;
without it the session writes a folder of the same layout from synthetic faces and points `FER2013_PATH` at it.
`fer_files` says which it is and what the files hold, so real-data checks are added when the real files are there."""
import os, shutil, zipfile
from dataclasses import dataclass
from pathlib import Path
import numpy as np, pytest
from PIL import Image
from fer_fastai.core import FER_CLASSES
from fer_fastai.synthetic import synthetic_fer
from fer_fastai.data import to_csv

# The test files that take longest, longest first (seconds of tests per file, `pytest --durations=0` on 2 cores, Dec 2026:
# 141, 122, 114, 108, 78, 74, 71, 59; the other 14 files take 0-36 s). `scripts/test.sh` runs 2 workers that take whole
# files in collection order (`--dist loadfile --no-loadscope-reorder`): with these first, no long file starts last
# while the other worker has nothing left to do (xdist's own order, by number of tests, left one idle for 67 s).
SLOWEST_FILES = ['test_train.py', 'test_processes.py', 'test_tune.py', 'test_predict.py', 'test_demo.py', 'test_cpu_30min.py',
                 'test_colorize.py', 'test_device_kit.py']

def pytest_collection_modifyitems(items):
    "The files of `SLOWEST_FILES` first, in its order; the others after them, in their own order"
    rank = {name: i for i, name in enumerate(SLOWEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))

@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    "Each test gets its own dataset cache, so none reads another's"
    monkeypatch.setenv('FER_FASTAI_CACHE', str(tmp_path/'cache'))
    return tmp_path/'cache'

@dataclass
class FERFiles:
    "A folder laid out like the shared FER-2013 one, and what its files hold"
    path:Path            # train.zip, valid.zip, test_images.zip, fer2013_head_truncated.csv
    real:bool            # the real FER-2013, or synthetic faces written by the tests
    train_counts:list    # images per class in train.zip, in `FER_CLASSES` order
    valid_counts:list    # the same for valid.zip
    n_test:int           # images in test_images.zip
    first_test_id:str    # id of the first image in test_images.zip

REAL_FER = dict(real=True, train_counts=[3995, 436, 4097, 7215, 4830, 3171, 4965], valid_counts=[467, 56, 496, 895, 653, 415, 607],
                n_test=3589, first_test_id='0030e7e7adfc')
SYNTHETIC_PER_CLASS = dict(train=40, valid=12, test=5)

def zip_split(root:Path, split:str, dest:Path)->Path:
    "Zip `root/split` as `split/...` into `dest`, as the Kaggle folder version is zipped"
    with zipfile.ZipFile(dest, 'w') as zf:
        for p in sorted((root/split).rglob('*.jpg')): zf.write(p, p.relative_to(root).as_posix())
    return dest

def write_fer_files(root:Path)->FERFiles:
    "The shared folder's four files, made of synthetic faces: JPEGs in zips, and a Kaggle CSV head cut in row 33"
    n = SYNTHETIC_PER_CLASS
    data = synthetic_fer(n['train'], n['valid'] + n['test'], seed=1)
    valid = data.split('valid')
    is_test = np.zeros(len(valid), bool)
    for c in range(len(FER_CLASSES)): is_test[np.flatnonzero(valid.labels == c)[:n['test']]] = True
    test_ids = [f'{i:012x}' for i in np.random.default_rng(1).integers(0, 16**12, is_test.sum())]
    items = [(img, f"{split}/{FER_CLASSES[lbl]}/{id_}.jpg") for img,lbl,split,id_ in
             zip(data.images, data.labels, data.splits, data.ids) if split=='train']
    items += [(img, f"valid/{FER_CLASSES[lbl]}/{id_}.jpg") for img,lbl,id_ in zip(valid.images[~is_test], valid.labels[~is_test], valid.ids[~is_test])]
    items += [(img, f"test/{id_}.jpg") for img,id_ in zip(valid.images[is_test], test_ids)]
    for img,rel in items: save_image(root/'files'/rel, img)
    for split,name in (('train', 'train.zip'), ('valid', 'valid.zip'), ('test', 'test_images.zip')): zip_split(root/'files', split, root/name)
    shutil.rmtree(root/'files')
    write_truncated_csv(data[np.arange(32)], root/'fer2013_head_truncated.csv')
    with zipfile.ZipFile(root/'test_images.zip') as zf: first = Path(sorted(zf.namelist())[0]).stem
    return FERFiles(root, False, [n['train']]*7, [n['valid']]*7, int(is_test.sum()), first)

def write_truncated_csv(data, path:Path):
    "`data` (32 faces) as a Kaggle CSV whose last row is cut after 114 pixels, as a broken download is"
    to_csv(data, path)
    text = path.read_text().rstrip('\n')
    head, last = text.rsplit('\n', 1)
    label, pixels = last.split(',', 1)
    path.write_text(f"{head}\n{label},{' '.join(pixels.split()[:114])}")

@pytest.fixture(scope='session', autouse=True)
def fer_files(tmp_path_factory)->FERFiles:
    "The real FER-2013 folder of `FER2013_PATH`, or (without it) synthetic files of the same layout, set as `FER2013_PATH`"
    p = os.environ.get('FER2013_PATH')
    if p and Path(p).exists(): yield FERFiles(Path(p), **REAL_FER); return
    files = write_fer_files(tmp_path_factory.mktemp('fer2013'))
    os.environ['FER2013_PATH'] = str(files.path)
    yield files
    os.environ.pop('FER2013_PATH', None)

@pytest.fixture(scope='session')
def synthetic_fer_files(tmp_path_factory)->FERFiles:
    "Synthetic files laid out like FER-2013, even when the real data is there: for end-to-end runs whose cost grows with the data"
    return write_fer_files(tmp_path_factory.mktemp('synthetic_fer2013'))

@pytest.fixture(scope='session')
def few_valid_faces(fer_files, tmp_path_factory)->Path:
    "A zip of the first 20 faces of each class of `valid.zip` (real or synthetic), laid out like it: for tests whose point is not the size"
    dest = tmp_path_factory.mktemp('few_valid')/'valid.zip'
    with zipfile.ZipFile(fer_files.path/'valid.zip') as src, zipfile.ZipFile(dest, 'w') as zf:
        by_class = {}
        for name in sorted(n for n in src.namelist() if not n.endswith('/')): by_class.setdefault(Path(name).parent, []).append(name)
        for names in by_class.values():
            for name in names[:20]: zf.writestr(name, src.read(name))
    return dest

@pytest.fixture
def fer_path(fer_files)->Path:
    "The FER-2013 folder: the real one, or synthetic files of the same layout"
    return fer_files.path

def save_image(path:Path, arr:np.ndarray):
    "Write `arr` as an image file at `path`, making folders"
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr).save(path)

def gray(value:int=128, size:int=48)->np.ndarray: return np.full((size, size), value, np.uint8)

def make_tree(root:Path, files:dict)->Path:
    "Folder `root` with image files {relative path: array}"
    for rel,arr in files.items(): save_image(root/rel, arr)
    return root

def zip_folder(folder:Path, dest:Path)->Path:
    "Zip `folder`'s contents (folders included, so empty ones stay) into `dest`"
    with zipfile.ZipFile(dest, 'w') as zf:
        for p in sorted(folder.rglob('*')): zf.write(p, p.relative_to(folder).as_posix() + ('/' if p.is_dir() else ''))
    return dest

PIXELS = ' '.join(['100']*2304)

def write_csv(path:Path, rows:list, header:str='emotion,pixels,Usage')->Path:
    "A Kaggle-style CSV at `path` with `header` and `rows` (strings)"
    path.write_text('\n'.join([header, *rows]) + '\n')
    return path

@pytest.fixture(scope='session')
def deoldify_file(tmp_path_factory)->Path:
    "An Artistic DeOldify generator file in the released format (pickled state_dict), with the parity recipe's weights"
    from fer_fastai.colorize import DeOldifyGenerator
    from fer_fastai.testing import parity_state_dict, save_like_release
    model = DeOldifyGenerator('artistic')
    model.load_state_dict(parity_state_dict(model.state_dict()))
    return save_like_release(model, tmp_path_factory.mktemp('deoldify')/'ColorizeArtistic_gen.pth')
