"""Pack what a run on the lent GPU machine needs into `.device/` (git-ignored): FER-2013 train + valid (and the test
images) as lzma-compressed arrays, which fit the 64 MiB a call may carry where the zips plus the code do not, and the
wheels of fastai and the packages the machine lacks (for its Python 3.12). See scripts/device/README.md.
Run here: FER2013_PATH=... python scripts/device/pack.py [--subset N] [--no-wheels]"""
import argparse, io, lzma, os, subprocess, sys
from pathlib import Path
import numpy as np
from fer_fastai.data import load_fer, read_unlabelled
from fer_fastai.data import subset_per_class
from fer_fastai.core import FERData

DEVICE = Path('.device')
# what fastai 2.8.12 needs that the machine's image lacks (its package list: the device tool's KINDS.md); fastprogress
# 1.0.3, not 1.1.x: 1.1 imports python-fasthtml, whose web-server dependencies the machine lacks (1.0.3 trains fine here);
# httpx2, which fer_fastai.export imports for huggingface_hub's errors, and the two it needs
WHEELS = ['fastai==2.8.12', 'fastcore==2.2.39', 'fastprogress==1.0.3', 'fasttransform==0.0.5', 'fastdownload==0.0.8',
          'plum-dispatch==2.9.0', 'beartype', 'httpx2==2.16.2', 'httpcore2==2.16.2', 'truststore==0.10.5']

def save_xz(path:Path, **arrays):
    "Write `arrays` as an .npz compressed with lzma, each byte of `images` as its difference to the row above (3% smaller)"
    buf = io.BytesIO(); np.savez(buf, **arrays)
    rows_above = {'id': lzma.FILTER_DELTA, 'dist': arrays['images'].shape[-1]}
    path.write_bytes(lzma.compress(buf.getvalue(), filters=[rows_above, {'id': lzma.FILTER_LZMA2, 'preset': 9|lzma.PRESET_EXTREME}]))

def load_xz(path:Path)->dict:
    "The arrays `save_xz` wrote"
    with np.load(io.BytesIO(lzma.decompress(Path(path).read_bytes())), allow_pickle=False) as z: return dict(z)

def device_data(path:Path)->FERData:
    "The labelled data `pack_data` wrote"
    a = load_xz(path)
    return FERData(a['images'], a['labels'], a['splits'], a['ids'], list(a['classes']), source=f'{path} (FER-2013 train + valid)')

def pack_data(subset:int=None):
    "Labelled train + valid into .device/fer.npz.xz, the test images into .device/test.npz.xz"
    data = load_fer()
    if subset: data = subset_per_class(data, subset)
    save_xz(DEVICE/'fer.npz.xz', images=data.images, labels=data.labels, splits=data.splits, ids=data.ids, classes=np.array(data.classes))
    test = Path(os.environ.get('FER2013_PATH', '.'))/'test_images.zip'
    if test.is_file():
        t = read_unlabelled(test)
        save_xz(DEVICE/'test.npz.xz', images=t.images[:subset] if subset else t.images, ids=t.ids[:subset] if subset else t.ids)

def download_wheels():
    "Wheels for the machine's Python 3.12 into .device/whl"
    subprocess.run([sys.executable, '-m', 'pip', 'download', '-q', '--no-deps', '--only-binary=:all:', '--python-version', '3.12',
                    '--implementation', 'cp', '--platform', 'manylinux2014_x86_64', '-d', str(DEVICE/'whl'), *WHEELS], check=True)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--subset', type=int, help='at most this many images per class and split (to try the kit)')
    p.add_argument('--no-wheels', action='store_true')
    args = p.parse_args()
    DEVICE.mkdir(exist_ok=True)
    pack_data(args.subset)
    if not args.no_wheels: download_wheels()
    for f in sorted(DEVICE.rglob('*')):
        if f.is_file(): print(f"{f.stat().st_size/2**20:8.2f} MiB  {f}")
