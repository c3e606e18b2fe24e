"Hostile and careless data, as a user hands it to the command line: each case builds its own files"
import io, os, subprocess, zipfile
from pathlib import Path
import numpy as np
from PIL import Image
from fer_fastai.data import read_source, MAX_IMAGE_BYTES

def png(arr:np.ndarray)->bytes:
    buf = io.BytesIO(); Image.fromarray(arr).save(buf, format='PNG'); return buf.getvalue()

FACE = png(np.full((48, 48), 120, np.uint8))

def fer_fastai(*args, env=None):
    return subprocess.run(['fer-fastai', *map(str, args)], capture_output=True, text=True, env={**os.environ, **(env or {})})

def test_zip_member_outside_the_archive_writes_nothing(tmp_path):
    with zipfile.ZipFile(tmp_path/'evil.zip', 'w') as zf:
        zf.writestr('train/happy/a.png', FACE); zf.writestr('../angry/x.png', FACE)
    out = tmp_path/'work'/'out'; out.parent.mkdir()
    res = fer_fastai('data', 'convert', tmp_path/'evil.zip', '--to', 'folders', '--out', out)
    assert res.returncode == 1 and 'Traceback' not in res.stderr, res.stderr
    assert "member '../angry/x.png' points outside the archive" in res.stderr
    assert sorted(p.name for p in (tmp_path/'work').iterdir()) == [] and not (tmp_path/'angry').exists()

def test_zip_bomb_is_refused_before_it_is_read(tmp_path):
    with zipfile.ZipFile(tmp_path/'bomb.zip', 'w', zipfile.ZIP_DEFLATED) as zf:
        zf.writestr('train/happy/a.png', FACE)
        with zf.open('train/happy/big.png', 'w', force_zip64=True) as w:
            for _ in range(MAX_IMAGE_BYTES//2**20 + 1): w.write(bytes(2**20))
    assert (tmp_path/'bomb.zip').stat().st_size < 2**20  # a small file...
    res = fer_fastai('data', 'summary', tmp_path/'bomb.zip', '--png', tmp_path/'s.png')
    assert res.returncode == 1 and 'big.png inflates to 65 MB, more than any face image' in res.stderr, res.stderr
    res = fer_fastai('data', 'summary', tmp_path/'bomb.zip', '--png', tmp_path/'s.png', '--on-bad', 'skip')
    assert res.returncode == 0 and 'skipped: 1' in res.stdout, res.stderr

def test_16_bit_images_are_scaled_not_clipped(tmp_path):
    grad = (np.arange(48*48).reshape(48, 48) * 65535 // (48*48 - 1)).astype(np.uint16)
    (tmp_path/'fer/train/happy').mkdir(parents=True)
    Image.fromarray(grad).save(tmp_path/'fer/train/happy/grad.png')
    Image.fromarray(np.zeros((48, 48), np.uint8)).save(tmp_path/'fer/train/happy/zero.png')
    data = read_source(tmp_path/'fer')
    face = data.images[list(data.ids).index('grad')]
    assert face.min() == 0 and face.max() == 255 and np.array_equal(face, (grad/257).round().astype(np.uint8))

def test_a_cut_cache_file_is_rebuilt(tmp_path):
    with zipfile.ZipFile(tmp_path/'faces.zip', 'w') as zf:
        for i in range(3): zf.writestr(f'train/happy/{i}.png', FACE)
    env = {'FER_FASTAI_CACHE': str(tmp_path/'cache')}
    assert fer_fastai('data', 'summary', tmp_path/'faces.zip', '--png', tmp_path/'s.png', env=env).returncode == 0
    cache = next((tmp_path/'cache').glob('*.npz'))
    full = cache.read_bytes(); cache.write_bytes(full[:len(full)//2])       # a load killed while writing the cache
    res = fer_fastai('data', 'summary', tmp_path/'faces.zip', '--png', tmp_path/'s.png', env=env)
    assert res.returncode == 0 and 'not a readable FER cache file' in res.stderr and 'rebuilding it' in res.stderr, res.stderr
    assert cache.read_bytes() == full and not list((tmp_path/'cache').glob('*.tmp'))

def test_fer2013_path_to_a_missing_folder_says_so(tmp_path):
    res = fer_fastai('data', 'summary', '--png', tmp_path/'s.png', env={'FER2013_PATH': str(tmp_path/'nowhere')})
    assert res.returncode == 1 and f"FER2013_PATH={tmp_path/'nowhere'}: no such folder" in res.stderr, res.stderr
    assert 'SYNTHETIC' not in res.stdout
