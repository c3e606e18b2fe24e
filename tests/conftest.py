"Shared fixtures: a private cache per test, the shared FER-2013 folder, and makers of small bad inputs"
import os, zipfile
from pathlib import Path
import numpy as np, pytest
from PIL import Image

@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    "Each test gets its own dataset cache, so none reads another's"
    monkeypatch.setenv('FER_FASTAI_CACHE', str(tmp_path/'cache'))
    return tmp_path/'cache'

@pytest.fixture
def fer_path():
    "The FER-2013 folder named by FER2013_PATH (CI sets it); the test is skipped without it"
    p = os.environ.get('FER2013_PATH')
    if not p or not Path(p).exists(): pytest.skip('FER2013_PATH is not set')
    return Path(p)

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
    from fer_fastai.colorize import DeOldifyGenerator, recipe_state_dict, save_like_release
    model = DeOldifyGenerator('artistic')
    model.load_state_dict(recipe_state_dict(model.state_dict()))
    return save_like_release(model, tmp_path_factory.mktemp('deoldify')/'ColorizeArtistic_gen.pth')
