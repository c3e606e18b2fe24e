"Careless prediction from the shell: bad files among good ones, names that repeat, stdout piped, a full disk"
import io, os, stat, threading, zipfile
import numpy as np, pandas as pd, pytest
from PIL import Image
from fer_fastai.core import FER_CLASSES
from fer_fastai.export import build_net, net_config, save_net
from fer_fastai.testing import run_cli, run_main, tiny_disk

@pytest.fixture(scope='module')
def model(tmp_path_factory):
    "An untrained gray 48 px model folder (the small VGG: these tests are about files and streams, not the network)"
    return save_net(build_net(net_config('vgg_fer_tiny', FER_CLASSES, 48, n_in=1)), tmp_path_factory.mktemp('model')/'model')

def face(path, value=120, size=48):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((size, size), value, np.uint8)).save(path)
    return path

def test_a_bad_file_is_skipped_and_named_the_rest_predicted(model, tmp_path):
    face(tmp_path/'crops/a.png'); (tmp_path/'crops/b.png').write_text('not an image'); face(tmp_path/'crops/c.png', 200)
    res = run_cli('predict', '--model', model, tmp_path/'crops', '--out', tmp_path/'p.csv')
    assert res.returncode == 0 and 'b.png: not a readable image' in res.stderr and 'Traceback' not in res.stderr, res.stderr
    assert pd.read_csv(tmp_path/'p.csv').id.tolist() == ['a', 'c'] and '1 unreadable file skipped' in res.stdout
    res = run_main('predict', '--model', model, tmp_path/'crops', '--on-bad', 'raise', '--out', tmp_path/'q.csv')
    assert res.returncode == 1 and 'b.png: not a readable image' in res.stderr and not (tmp_path/'q.csv').exists(), res.stderr

def test_photos_a_bad_file_is_skipped_and_only_bad_files_fail(model, tmp_path):
    face(tmp_path/'photos/wall.png', size=200); (tmp_path/'photos/cut.jpg').write_bytes(b'\xff\xd8 cut short')
    res = run_main('predict', '--model', model, '--faces', tmp_path/'photos/cut.jpg', tmp_path/'photos/wall.png')
    assert res.returncode == 1 and 'cut.jpg: not a readable image' in res.stderr and 'wall.png: no face found' in res.stderr, res.stderr
    assert 'no predictions: 1 unreadable file skipped' in res.stderr and 'Traceback' not in res.stderr

def test_same_name_in_two_folders_gets_two_ids_and_two_drawings(model, tmp_path):
    face(tmp_path/'day1/x.png', 60); face(tmp_path/'day2/x.png', 200)
    res = run_main('predict', '--model', model, tmp_path/'day1', tmp_path/'day2')
    assert res.returncode == 0 and pd.read_csv(io.StringIO(res.stdout)).id.tolist() == ['day1/x', 'day2/x'], res.stderr
    face(tmp_path/'photos/a/p.png', 60, 200); face(tmp_path/'photos/b/p.png', 200, 200)
    res = run_main('predict', '--model', model, '--faces', tmp_path/'photos', '--draw', tmp_path/'drawn')
    assert res.returncode == 0, res.stderr
    drawn = [np.asarray(Image.open(tmp_path/'drawn'/d/'p.png'))[0, 0, 0] for d in 'ab']
    assert drawn == [60, 200]  # two pictures, neither overwritten

def test_stdout_holds_only_the_table(model, tmp_path):
    buf = io.BytesIO(); Image.fromarray(np.full((48, 48), 120, np.uint8)).save(buf, format='PNG')
    with zipfile.ZipFile(tmp_path/'many.zip', 'w') as zf:
        for i in range(1100): zf.writestr(f'{i}.png', buf.getvalue())  # enough faces for a progress bar
    res = run_cli('predict', '--model', model, tmp_path/'many.zip')  # a real process: its stdout is what a pipe gets
    table = pd.read_csv(io.StringIO(res.stdout))
    assert res.returncode == 0 and table.shape == (1100, 2 + len(FER_CLASSES)) and '\r' not in res.stdout + res.stderr, res.stderr
    quiet = run_cli('predict', '--model', model, tmp_path/'many.zip', '--quiet')
    assert quiet.stdout == res.stdout and quiet.stderr == ''

def test_out_to_a_pipe_writes_into_the_pipe(model, tmp_path):
    face(tmp_path/'a.png'); pipe = tmp_path/'pipe'; pipe.parent.mkdir(exist_ok=True)
    os.mkfifo(pipe)
    got = []; reader = threading.Thread(target=lambda: got.append(pipe.read_text()), daemon=True); reader.start()
    res = run_main('predict', '--model', model, tmp_path/'a.png', '--out', pipe)
    reader.join(10)
    assert res.returncode == 0 and stat.S_ISFIFO(pipe.stat().st_mode) and got and got[0].startswith('id,label'), res.stderr

def test_full_disk_names_the_file_and_leaves_no_half_table(model, tmp_path):
    for i in range(400): face(tmp_path/'crops'/f'{i:03d}.png', i % 256)
    with tiny_disk(tmp_path/'disk', '16k') as grow:
        if grow is None: pytest.skip('mounting a small disk needs root')
        res = run_main('predict', '--model', model, tmp_path/'crops', '--out', tmp_path/'disk/p.csv')
        assert res.returncode == 1 and 'Traceback' not in res.stderr, res.stderr
        assert f"{tmp_path/'disk/p.csv'}: could not be written (no space left on device)" in res.stderr
        assert list((tmp_path/'disk').iterdir()) == []
