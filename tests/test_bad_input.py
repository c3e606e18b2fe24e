"Bad input: every error names the file or row and what is wrong, and nothing good is lost"
import subprocess, warnings
import numpy as np, pytest
from fer_fastai.data import read_source, load_fer, read_unlabelled
from fer_fastai.core import FERDataError
from conftest import gray, make_tree, zip_folder, write_csv, PIXELS

def test_truncated_csv_names_row_and_pixel_count(fer_path):
    with pytest.raises(FERDataError, match=r'fer2013_head_truncated.csv: row 33 has 114 pixels, expected 2304'):
        read_source(fer_path/'fer2013_head_truncated.csv')

def test_truncated_csv_skip_keeps_good_rows_and_reports_bad(fer_path):
    with pytest.warns(UserWarning, match='row 33 has 114 pixels'):
        data = read_source(fer_path/'fer2013_head_truncated.csv', on_bad='skip')
    assert len(data) == 31 and data.images.shape == (31, 48, 48)
    assert len(data.skipped) == 1 and 'row 33' in data.skipped[0]

@pytest.mark.parametrize('row,msg', [
    (f'3,{PIXELS[:-3]}1x0,Training', 'row 2: pixels are not all integers'),
    (f'7,{PIXELS},Training', "row 2: emotion '7' is not a label 0..6"),
    (f'-1,{PIXELS},Training', "row 2: emotion '-1' is not a label 0..6"),
    (f'3,{PIXELS},Validation', "row 2: Usage 'Validation' is not one of"),
    (f'3,{PIXELS} 300,Training', 'row 2 has 2305 pixels'),
    (f'3,{PIXELS.replace("100", "300", 1)},Training', 'row 2: pixel values must be in 0..255'),
])
def test_bad_csv_rows(tmp_path, row, msg):
    with pytest.raises(FERDataError, match=msg): read_source(write_csv(tmp_path/'fer.csv', [row]))

def test_csv_without_fer_columns(tmp_path):
    with pytest.raises(FERDataError, match=r"not a FER-2013 CSV, columns \['Usage', 'emotion'\] missing"):
        read_source(write_csv(tmp_path/'x.csv', ['1,2'], header='label,pixels'))

def test_bad_row_in_the_middle_skipped_and_reported(tmp_path):
    rows = [f'3,{PIXELS},Training', f'9,{PIXELS},Training', f'4,{PIXELS},PublicTest']
    with pytest.warns(UserWarning, match='1 item skipped'):
        data = read_source(write_csv(tmp_path/'fer.csv', rows), on_bad='skip')
    assert list(data.labels) == [3, 4] and list(data.ids) == ['row2', 'row4']
    assert 'row 3' in data.skipped[0]

def test_empty_class_folder(tmp_path):
    root = make_tree(tmp_path/'fer', {'train/happy/a.png': gray()})
    (root/'train'/'fear').mkdir()
    with pytest.raises(FERDataError, match='class folder train/fear/ has no images'): read_source(root)

def test_empty_class_folder_in_zip(tmp_path):
    root = make_tree(tmp_path/'fer', {'train/happy/a.png': gray()})
    (root/'train'/'sad').mkdir()
    with pytest.raises(FERDataError, match='fer.zip: class folder train/sad/ has no images'):
        read_source(zip_folder(root, tmp_path/'fer.zip'))

def test_corrupt_image_named_and_others_kept(tmp_path):
    root = make_tree(tmp_path/'fer', {'train/happy/a.png': gray(), 'valid/sad/b.png': gray(9)})
    (root/'train'/'happy'/'broken.jpg').write_bytes(b'\xff\xd8\xff not really a jpeg')
    with pytest.raises(FERDataError, match=r'train/happy/broken.jpg: not a readable image'): read_source(root)
    with pytest.warns(UserWarning, match='broken.jpg'): data = read_source(root, on_bad='skip')
    assert sorted(data.ids) == ['a', 'b'] and len(data.skipped) == 1

def test_colour_and_odd_size_images_converted_with_their_names(tmp_path):
    colour = np.zeros((48, 48, 3), np.uint8); colour[..., 0] = 255
    root = make_tree(tmp_path/'fer', {'train/happy/rgb.png': colour, 'train/sad/big.png': gray(50, size=96)})
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always'); data = read_source(root)
    msg = str(w[0].message)
    assert 'train/happy/rgb.png: RGB converted to gray' in msg and 'train/sad/big.png: 96x96 resized to 48x48' in msg
    assert data.images.shape == (2, 48, 48) and len(data.converted) == 2
    assert data.images[list(data.ids).index('rgb')].mean() == pytest.approx(76, abs=1)  # 0.299*255: luminance of red

def test_missing_path():
    with pytest.raises(FileNotFoundError, match='/no/such/fer.zip: no such file or folder'): load_fer('/no/such/fer.zip')

def test_zip_without_expected_layout(tmp_path):
    root = make_tree(tmp_path/'flat', {'img1.png': gray(), 'img2.png': gray()})
    with pytest.raises(FERDataError, match=r'flat.zip: img1.png is not in a <split>/<class>/ folder'):
        read_source(zip_folder(root, tmp_path/'flat.zip'))

def test_unknown_class_folder(tmp_path):
    root = make_tree(tmp_path/'fer', {'train/bored/a.png': gray()})
    with pytest.raises(FERDataError, match=r'train/bored/a.png is not in a <split>/<class>/ folder'): read_source(root)

def test_zip_with_no_images(tmp_path):
    (tmp_path/'docs').mkdir(); (tmp_path/'docs'/'readme.txt').write_text('hi')
    with pytest.raises(FERDataError, match='no images found'): read_source(zip_folder(tmp_path/'docs', tmp_path/'docs.zip'))

def test_not_a_zip(tmp_path):
    (tmp_path/'data.bin').write_bytes(b'nothing')
    with pytest.raises(FERDataError, match='data.bin: not a CSV, folder or zip file'): read_source(tmp_path/'data.bin')

def test_unlabelled_duplicate_names_keep_their_folders(tmp_path):
    root = make_tree(tmp_path/'imgs', {'a/x.png': gray(10), 'b/x.png': gray(200), 'b/y.png': gray()})
    data = read_unlabelled(root)
    assert list(data.ids) == ['a/x', 'b/x', 'b/y'] and [int(i[0, 0]) for i in data.images] == [10, 200, 128]

def test_failed_load_caches_nothing_and_fixed_source_loads(tmp_path, private_cache):
    root = make_tree(tmp_path/'fer', {'train/happy/a.png': gray(), 'valid/sad/b.png': gray()})
    (root/'train'/'happy'/'bad.png').write_bytes(b'garbage')
    with pytest.raises(FERDataError): load_fer(root)
    assert not list(private_cache.glob('*.npz'))
    (root/'train'/'happy'/'bad.png').unlink()
    assert len(load_fer(root)) == 2 and len(list(private_cache.glob('*.npz'))) == 1

def test_skip_report_survives_the_cache(tmp_path):
    root = make_tree(tmp_path/'fer', {'train/happy/a.png': gray(), 'valid/sad/b.png': gray()})
    (root/'valid'/'sad'/'bad.png').write_bytes(b'garbage')
    with pytest.warns(UserWarning, match='bad.png'): load_fer(root, on_bad='skip')
    with pytest.warns(UserWarning, match='bad.png'): cached = load_fer(root, on_bad='skip')
    assert len(cached) == 2 and 'bad.png' in cached.skipped[0]

def test_cli_reports_bad_input_without_traceback(tmp_path):
    root = make_tree(tmp_path/'flat', {'img1.png': gray()})
    res = subprocess.run(['fer-fastai', 'data', 'summary', str(root)], capture_output=True, text=True)
    assert res.returncode == 1
    assert 'fer-fastai: error:' in res.stderr and 'img1.png is not in a <split>/<class>/ folder' in res.stderr
    assert 'Traceback' not in res.stderr
