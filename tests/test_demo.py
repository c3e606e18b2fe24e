"""The web demo served as its users run it: `fer-fastai demo` and the Hugging Face Space's `app.py` in their own
processes, called through `gradio_client` with photos of FER-2013 faces (synthetic ones without `FER2013_PATH`):
the right faces and labels, bad uploads answered with a message while the app goes on serving, 20 clients at once,
Ctrl-C, a port in use, and no Gradio installed. The page in a real browser: `tests/browser/test_demo_page.py`."""
import contextlib, os, shutil, signal, socket, subprocess, sys, time, json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import numpy as np, pytest
from PIL import Image
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
import gradio
from packaging.requirements import Requirement
from fer_fastai.data import load_fer
from fer_fastai.export import DEFAULT_MODEL
from fer_fastai.predict import Predictor
from fer_fastai.testing import paste_faces, faces_found_right, run_main
from fer_fastai.demo import make_app

ROOT = Path(__file__).parent.parent

def free_port()->int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

@contextlib.contextmanager
def served(cmd:list, port:int, env:dict=None, cwd=None):
    "Run `cmd` (a Gradio server on `port`) until its page answers; yields the process; Ctrl-C (SIGINT) at the end"
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
                            env={**os.environ, 'GRADIO_ANALYTICS_ENABLED': 'False', **(env or {})},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # pytest-xdist workers ignore Ctrl-C
    try:
        for _ in range(300):
            if proc.poll() is not None: pytest.fail(f"{cmd} ended: {proc.communicate()}")
            with contextlib.suppress(OSError), socket.create_connection(('127.0.0.1', port), timeout=1):
                with contextlib.suppress(Exception): Client(f"http://127.0.0.1:{port}/", verbose=False); break
            time.sleep(0.2)
        else: pytest.fail(f"{cmd}: nothing served on port {port} after 60 s")
        yield proc
    finally:
        if proc.poll() is None: proc.send_signal(signal.SIGINT)
        try: proc.wait(timeout=30)
        except subprocess.TimeoutExpired: proc.kill(); raise

@pytest.fixture(scope='module')
def faces_photo(tmp_path_factory, fer_files):
    "A PNG of three PublicTest faces of different classes that the shipped model labels right, and their labels"
    valid, pred = load_fer(fer_files.path/'valid.zip').split('valid'), Predictor()
    chosen = faces_found_right(pred, valid, n=3)
    fname = tmp_path_factory.mktemp('photo')/'three faces.png'
    Image.fromarray(paste_faces(valid.images[chosen])[0]).save(fname)
    return fname, [valid.classes[valid.labels[i]] for i in chosen]

def analyse(url:str, photo:Path)->tuple:
    "What the app's `/faces` endpoint gives for `photo`: drawing, chart, table, message"
    return Client(url, verbose=False).predict(handle_file(str(photo)), api_name='/faces')

def check_answer(answer:tuple, photo:Path, labels:list):
    "The app found the faces of `photo` with `labels`, drew them on a picture of its size, and charted the largest"
    shown, chart, table, message = answer
    assert [row[table['headers'].index('label')] for row in table['data']] == labels, table
    assert Image.open(shown).size == Image.open(photo).size
    assert chart['label'] in labels and len(chart['confidences']) == 7
    assert message.startswith(f"{len(labels)} faces in {photo.name}."), message

def test_cli_demo_serves_the_shipped_model_and_survives_bad_uploads(faces_photo, tmp_path):
    photo, labels = faces_photo
    (tmp_path/'notes.txt').write_text('not a photo')
    Image.new('L', (15000, 15000)).save(tmp_path/'huge.png')
    Image.new('L', (640, 480), 128).save(tmp_path/'wall.png')
    port = free_port()
    with served(['fer-fastai', 'demo', '--port', str(port)], port) as proc:
        url = f"http://127.0.0.1:{port}/"
        check_answer(analyse(url, photo), photo, labels)
        for bad, message in (('notes.txt', 'notes.txt: not a readable image'), ('huge.png', 'huge.png: too large to open safely')):
            with pytest.raises(AppError, match=message): analyse(url, tmp_path/bad)
        shown, chart, table, message = analyse(url, tmp_path/'wall.png')
        assert not chart and table['data'] == [] and message.startswith('No face found in wall.png'), message
        check_answer(analyse(url, photo), photo, labels)  # still serving
    out, err = proc.communicate()
    assert proc.returncode == 0 and out.strip() == 'demo stopped' and 'Traceback' not in err, err

def test_space_app_runs_unchanged_with_its_model_folder(faces_photo, tmp_path):
    "space/app.py as a Space runs it (`python app.py`, port from the environment); its `model/` folder is the model served"
    photo, labels = faces_photo
    shutil.copy(ROOT/'space'/'app.py', tmp_path/'app.py')
    shutil.copytree(DEFAULT_MODEL, tmp_path/'model')
    card = json.loads((tmp_path/'model'/'model.json').read_text())
    card['classes'] = [c.upper() for c in card['classes']]  # the same weights, its own class names
    (tmp_path/'model'/'model.json').write_text(json.dumps(card))
    port = free_port()
    with served([sys.executable, 'app.py'], port, env={'GRADIO_SERVER_PORT': str(port)}, cwd=tmp_path):
        check_answer(analyse(f"http://127.0.0.1:{port}/", photo), photo, [l.upper() for l in labels])

def test_space_files_are_what_a_space_reads():
    reqs = [Requirement(l) for l in (ROOT/'space'/'requirements.txt').read_text().splitlines() if l and not l.startswith(('#', '-'))]
    assert [(r.name, r.extras) for r in reqs] == [('fer-fastai', {'demo'})]
    head = (ROOT/'space'/'README.md').read_text().split('---')[1]
    fields = dict(line.split(': ', 1) for line in head.strip().splitlines())
    assert (fields['sdk'], fields['sdk_version'], fields['app_file']) == ('gradio', gradio.__version__, 'app.py')

def test_twenty_clients_at_once_all_answered_right(faces_photo):
    photo, labels = faces_photo
    app = make_app(Predictor())
    _, url, _ = app.launch(prevent_thread_lock=True, server_port=free_port(), quiet=True)
    try:
        with ThreadPoolExecutor(20) as pool: answers = list(pool.map(lambda _: analyse(url, photo), range(20)))
    finally: app.close()
    for a in answers: check_answer(a, photo, labels)

def test_port_in_use_and_missing_gradio_are_one_line(tmp_path):
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); s.listen(); port = s.getsockname()[1]
        res = run_main('demo', '--port', port)
    assert res.returncode == 1 and f"{port}" in res.stderr and 'Traceback' not in res.stderr, res.stderr
    no_gradio = "import sys; sys.modules['gradio'] = None; from fer_fastai.cli import main; main(['demo'])"
    res = subprocess.run([sys.executable, '-c', no_gradio], capture_output=True, text=True)
    assert res.returncode == 1 and res.stderr.strip() == "fer-fastai: error: the demo needs Gradio: pip install 'fer-fastai[demo]'", res.stderr
    res = run_main('demo', tmp_path/'no-model')
    assert res.returncode == 1 and 'no-model' in res.stderr and 'Traceback' not in res.stderr, res.stderr
