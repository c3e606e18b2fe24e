"Hostile and careless data, as a user hands it to the command line: each case builds its own files"
import io, zipfile
from pathlib import Path
import numpy as np, pytest
from PIL import Image
from fer_fastai.data import read_source, MAX_IMAGE_BYTES
from fer_fastai.testing import run_cli, run_main

def png(arr:np.ndarray)->bytes:
    buf = io.BytesIO(); Image.fromarray(arr).save(buf, format='PNG'); return buf.getvalue()

FACE = png(np.full((48, 48), 120, np.uint8))

def test_zip_member_outside_the_archive_writes_nothing(tmp_path):
    with zipfile.ZipFile(tmp_path/'evil.zip', 'w') as zf:
        zf.writestr('train/happy/a.png', FACE); zf.writestr('../angry/x.png', FACE)
    out = tmp_path/'work'/'out'; out.parent.mkdir()
    res = run_cli('data', 'convert', tmp_path/'evil.zip', '--to', 'folders', '--out', out)
    assert res.returncode == 1 and 'Traceback' not in res.stderr, res.stderr
    assert "member '../angry/x.png' points outside the archive" in res.stderr
    assert sorted(p.name for p in (tmp_path/'work').iterdir()) == [] and not (tmp_path/'angry').exists()

def test_zip_bomb_is_refused_before_it_is_read(tmp_path):
    with zipfile.ZipFile(tmp_path/'bomb.zip', 'w', zipfile.ZIP_DEFLATED) as zf:
        zf.writestr('train/happy/a.png', FACE)
        with zf.open('train/happy/big.png', 'w', force_zip64=True) as w:
            for _ in range(MAX_IMAGE_BYTES//2**20 + 1): w.write(bytes(2**20))
    assert (tmp_path/'bomb.zip').stat().st_size < 2**20  # a small file...
    res = run_main('data', 'summary', tmp_path/'bomb.zip', '--png', tmp_path/'s.png')
    assert res.returncode == 1 and 'big.png inflates to 65 MB, more than any face image' in res.stderr, res.stderr
    res = run_main('data', 'summary', tmp_path/'bomb.zip', '--png', tmp_path/'s.png', '--on-bad', 'skip')
    assert res.returncode == 0 and 'skipped: 1' in res.stdout, res.stderr

def test_16_bit_images_are_scaled_not_clipped(tmp_path):
    grad = (np.arange(48*48).reshape(48, 48) * 65535 // (48*48 - 1)).astype(np.uint16)
    (tmp_path/'fer/train/happy').mkdir(parents=True)
    Image.fromarray(grad).save(tmp_path/'fer/train/happy/grad.png')
    Image.fromarray(np.zeros((48, 48), np.uint8)).save(tmp_path/'fer/train/happy/zero.png')
    data = read_source(tmp_path/'fer')
    face = data.images[list(data.ids).index('grad')]
    assert face.min() == 0 and face.max() == 255 and np.array_equal(face, (grad/257).round().astype(np.uint8))

def test_a_cut_cache_file_is_rebuilt(tmp_path, private_cache):
    with zipfile.ZipFile(tmp_path/'faces.zip', 'w') as zf:
        for i in range(3): zf.writestr(f'train/happy/{i}.png', FACE)
    assert run_main('data', 'summary', tmp_path/'faces.zip', '--png', tmp_path/'s.png').returncode == 0
    cache = next(private_cache.glob('*.npz'))
    full = cache.read_bytes(); cache.write_bytes(full[:len(full)//2])       # a load killed while writing the cache
    res = run_main('data', 'summary', tmp_path/'faces.zip', '--png', tmp_path/'s.png')
    assert res.returncode == 0 and 'not a readable FER cache file' in res.stderr and 'rebuilding it' in res.stderr, res.stderr
    assert cache.read_bytes() == full and [p.name for p in private_cache.iterdir()] == [cache.name]  # no temporary file left

def test_fer2013_path_to_a_missing_folder_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv('FER2013_PATH', str(tmp_path/'nowhere'))
    res = run_main('data', 'summary', '--png', tmp_path/'s.png')
    assert res.returncode == 1 and f"FER2013_PATH={tmp_path/'nowhere'}: no such folder" in res.stderr, res.stderr
    assert 'SYNTHETIC' not in res.stdout

PIXELS = ' '.join(['100']*2304)
HEAD = 'emotion,pixels,Usage\n'

@pytest.mark.parametrize('content,message', [
    ((HEAD + f'3,"{PIXELS},Training\n4,{PIXELS},Training\n').encode(), 'line 2: unexpected end of data (a quote that is never closed?)'),
    (HEAD.encode() + f'3,{PIXELS},Training\u00e9\n'.encode('latin-1'), 'line 2 is not UTF-8 text (byte 0xe9): save the file as UTF-8'),
    ((HEAD + f'heureux\u00e9,{PIXELS},Training\n').encode(), "row 2: emotion 'heureux\u00e9' is not a label 0..6")])
def test_broken_csv_is_named_by_line(tmp_path, content, message):
    (tmp_path/'fer.csv').write_bytes(content)
    res = run_main('data', 'summary', tmp_path/'fer.csv', '--png', tmp_path/'s.png')
    assert res.returncode == 1 and f"{tmp_path/'fer.csv'}: {message}" in res.stderr, res.stderr

def test_excel_csv_with_bom_and_blank_lines_loads(tmp_path):
    (tmp_path/'fer.csv').write_text('\ufeff' + HEAD + f'3,{PIXELS},Training\r\n6,{PIXELS},PublicTest\r\n\r\n\r\n', encoding='utf-8')
    data = read_source(tmp_path/'fer.csv')
    assert list(data.labels) == [3, 6] and list(data.splits) == ['train', 'valid']

def damage_first_member(zip_path:Path):
    "Flip a byte inside the first member's data, as a broken download does (the CRC no longer matches)"
    raw = bytearray(zip_path.read_bytes()); i = raw.find(b'IDAT'); raw[i + 6] ^= 0xff; zip_path.write_bytes(bytes(raw))

def mark_encrypted(zip_path:Path):
    "Set the 'encrypted' flag of the first member (local and central headers), as `zip -e` writes it"
    raw = bytearray(zip_path.read_bytes()); raw[6] |= 1; raw[raw.find(b'PK\x01\x02') + 8] |= 1; zip_path.write_bytes(bytes(raw))

@pytest.mark.parametrize('damage,message', [(damage_first_member, 'is damaged (Bad CRC-32'), (mark_encrypted, 'is encrypted: unzip it with its password')])
def test_damaged_or_encrypted_zip_member_is_named_and_skippable(tmp_path, damage, message):
    with zipfile.ZipFile(tmp_path/'fer.zip', 'w') as zf:
        zf.writestr('train/happy/a.png', FACE); zf.writestr('train/happy/b.png', FACE)
    damage(tmp_path/'fer.zip')
    res = run_main('data', 'summary', tmp_path/'fer.zip', '--png', tmp_path/'s.png')
    assert res.returncode == 1 and f"{tmp_path/'fer.zip'}: train/happy/a.png {message}" in res.stderr, res.stderr
    res = run_main('data', 'summary', tmp_path/'fer.zip', '--png', tmp_path/'s.png', '--on-bad', 'skip')
    assert res.returncode == 0 and 'skipped: 1' in res.stdout, res.stderr

@pytest.mark.parametrize('side,message', [(5000, '5000x5000 pixels, too large for a face image (at most 16 megapixels)'),
                                          (20000, 'far too large for a face image')])
def test_enormous_image_is_refused_before_it_is_decoded(tmp_path, side, message):
    (tmp_path/'fer/train/happy').mkdir(parents=True)
    Image.new('L', (side, side)).save(tmp_path/'fer/train/happy/big.png')
    res = run_main('data', 'summary', tmp_path/'fer', '--png', tmp_path/'s.png')
    assert res.returncode == 1 and f"{tmp_path/'fer'}: train/happy/big.png: {message}" in res.stderr, res.stderr
