"Every image a user has: the formats Pillow reads, turned, transparent, 16-bit, CMYK and palette images, and files that are no image"
import numpy as np, pytest
from PIL import Image
from fer_fastai.data import read_unlabelled
from fer_fastai.export import build_net, net_config, save_net
from fer_fastai.core import FER_CLASSES
from fer_fastai.testing import run_main

FACE = np.add.outer(np.arange(48), np.arange(48)).astype(np.uint8)*2 + 20  # a gradient: any turn or clip shows

def exif_turned(path):
    "FACE stored turned a quarter, with the EXIF tag (orientation 6) that turns it back for display"
    exif = Image.Exif(); exif[0x0112] = 6
    Image.fromarray(FACE).transpose(Image.Transpose.ROTATE_90).save(path, exif=exif)

def transparent_corner(path):
    "FACE with its top-left 10x10 transparent (and black under the transparency)"
    rgba = np.dstack([FACE]*3 + [np.full_like(FACE, 255)]); rgba[:10, :10] = 0
    Image.fromarray(rgba, 'RGBA').save(path)

WRITERS = {  # file name: (writer, largest pixel difference allowed)
    'a.png': (lambda p: Image.fromarray(FACE).save(p), 0),
    'b.jpg': (lambda p: Image.fromarray(FACE).save(p, quality=100), 3),
    'c.tif': (lambda p: Image.fromarray(FACE).save(p), 0),
    'd.tiff': (lambda p: Image.fromarray(FACE).convert('RGB').save(p, compression='tiff_lzw'), 0),
    'e.webp': (lambda p: Image.fromarray(FACE).convert('RGB').save(p, lossless=True), 0),
    'f.bmp': (lambda p: Image.fromarray(FACE).save(p), 0),
    'g.gif': (lambda p: Image.fromarray(FACE).save(p), 0),
    'h.png': (lambda p: Image.fromarray(FACE.astype(np.uint16)*257).save(p), 0),  # 16-bit
    'i.jpg': (lambda p: Image.fromarray(FACE).convert('CMYK').save(p, quality=100), 3),
    'j.png': (lambda p: Image.fromarray(FACE).convert('RGB').quantize(256).save(p), 4),  # palette
    'k.png': (exif_turned, 0),
}

def test_every_format_reads_as_the_same_face(tmp_path):
    for name, (write, _) in WRITERS.items(): write(tmp_path/name)
    data = read_unlabelled(tmp_path)
    assert list(data.ids) == [n.split('.')[0] for n in WRITERS] and not data.skipped
    for name, face in zip(WRITERS, data.images):
        assert np.abs(face.astype(int) - FACE).max() <= WRITERS[name][1], name
    assert any('k.png: EXIF orientation applied' in c for c in data.converted)

def test_transparent_pixels_become_white(tmp_path):
    transparent_corner(tmp_path/'t.png')
    face = read_unlabelled(tmp_path).images[0]
    assert (face[:10, :10] == 255).all() and np.array_equal(face[10:, 10:], FACE[10:, 10:])

def test_files_that_are_no_image_are_reported_not_dropped(tmp_path):
    Image.fromarray(FACE).save(tmp_path/'a.png'); (tmp_path/'notes.txt').write_text('taken on holiday')
    (tmp_path/'.DS_Store').write_bytes(b'\0')  # hidden: the system's, not the user's
    with pytest.warns(UserWarning, match='notes.txt: not an image file'): data = read_unlabelled(tmp_path, on_bad='skip')
    assert list(data.ids) == ['a'] and len(data.skipped) == 1 and 'notes.txt: not an image file (.txt' in data.skipped[0]

def test_a_folder_of_tif_photos_is_read(tmp_path):
    model = save_net(build_net(net_config('keras_cnn1', FER_CLASSES, 48, n_in=1)), tmp_path/'model')
    (tmp_path/'photos').mkdir()
    Image.fromarray(np.full((300, 400), 90, np.uint8)).save(tmp_path/'photos'/'portrait.tif')
    (tmp_path/'photos'/'notes.txt').write_text('x')
    res = run_main('predict', '--model', model, '--faces', tmp_path/'photos')
    assert 'portrait.tif: no face found' in res.stderr and 'notes.txt: not an image file' in res.stderr, res.stderr
    res = run_main('predict', '--model', model, tmp_path/'photos'/'notes.txt')
    assert res.returncode == 1 and 'notes.txt: not a readable image' in res.stderr, res.stderr

def test_a_crop_too_small_for_a_face_is_named(tmp_path):
    Image.fromarray(FACE).save(tmp_path/'a.png'); Image.new('L', (1, 1), 100).save(tmp_path/'dot.png')
    with pytest.warns(UserWarning, match=r'dot.png: 1x1 pixels, too small to hold a face \(at least 16x16\)'):
        data = read_unlabelled(tmp_path, on_bad='skip')
    assert list(data.ids) == ['a']
