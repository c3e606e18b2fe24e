"""The web demo's page in headless Chromium, as a user uses it: a file that is no image, a broken JPEG, then a photo of
FER-2013 faces (synthetic ones without `FER2013_PATH`) through the page's file input; the labelled photo, the chart
and the table appear; a click on a table row charts that face. Then a photo taken with the page's webcam button, from
Chromium's fake camera playing a video of the same faces. Screenshots are saved for a person to look at."""
import socket
from pathlib import Path
import cv2, numpy as np, pytest
from PIL import Image
from fer_fastai.data import load_fer
from fer_fastai.predict import Predictor
from fer_fastai.testing import paste_faces, faces_found_right
from fer_fastai.demo import make_app

@pytest.fixture(scope='module')
def demo(fer_files):
    "The app with the shipped model on a free local port; its URL and the labels of the two faces of `photo.png`"
    pred, valid = Predictor(), load_fer(fer_files.path/'valid.zip').split('valid')
    chosen = faces_found_right(pred, valid, n=2)
    app = make_app(pred)
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    _, url, _ = app.launch(prevent_thread_lock=True, server_port=port, quiet=True)
    yield url, valid.images[chosen], [valid.classes[valid.labels[i]] for i in chosen], pred
    app.close()

def upload(page, fname:Path):
    "Choose `fname` in the photo's file input, as a user's file dialog does (after removing the photo shown, if any)"
    if page.get_by_role('button', name='Remove Image').count(): page.get_by_role('button', name='Remove Image').first.click()
    page.locator('input[type=file][accept="image/*"]').set_input_files(fname)

def table_rows(page)->tuple:
    "The `All faces` table below its header: (its rows, the texts of their cells)"
    rows = page.get_by_role('row').filter(has=page.get_by_role('gridcell'))
    return rows, [rows.nth(i).get_by_role('gridcell').all_inner_texts() for i in range(rows.count())]

def test_bad_files_then_a_photo_in_the_page(demo, browser, shots, tmp_path):
    url, faces, labels, _ = demo
    Image.fromarray(paste_faces(faces)[0]).save(tmp_path/'photo.png')
    (tmp_path/'notes.txt').write_text('not a photo')
    (tmp_path/'broken.jpg').write_bytes(b'\xff\xd8 not really a JPEG')
    page = browser.new_page(viewport=dict(width=1280, height=1100))
    page.goto(url); page.wait_for_load_state('networkidle')
    upload(page, tmp_path/'notes.txt')   # refused by the page itself
    page.get_by_text('Invalid file type: notes.txt').wait_for(timeout=10_000)
    upload(page, tmp_path/'broken.jpg')  # an image by its name: refused by the app, with the file's name
    page.get_by_text("broken.jpg: not a readable image").wait_for(timeout=20_000)
    upload(page, tmp_path/'photo.png')
    page.get_by_text('2 faces in photo.png.').wait_for(timeout=30_000)
    rows, table = table_rows(page)
    assert [r[5].strip() for r in table] == labels, table
    assert page.locator('img[alt]').evaluate_all("is => is.filter(i => i.naturalWidth > 300).length") >= 2  # the photo, and the drawing
    rows.nth(0).get_by_role('gridcell').nth(5).click()  # the first face: the chart shows it
    page.get_by_text('The chart shows face 1.').wait_for(timeout=10_000)
    for toast in ('Invalid file type', 'broken.jpg: not'): page.get_by_text(toast).wait_for(state='hidden', timeout=30_000)  # toasts leave by themselves
    page.screenshot(path=shots/'demo.png', full_page=True)
    print(f"screenshot: {shots/'demo.png'}")

def write_y4m(
    frame:np.ndarray,      # a gray frame, even width and height
    fname:Path,            # the `.y4m` video to write, as Chromium's fake camera plays it (in a loop)
    n_frames:int=10,       # how many times the frame is repeated
)->Path:
    "A raw YUV 4:2:0 video of `frame` standing still"
    height, width = frame.shape
    yuv = cv2.cvtColor(cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB), cv2.COLOR_RGB2YUV_I420).tobytes()
    fname.write_bytes(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + (b'FRAME\n' + yuv)*n_frames)
    return fname

def test_a_webcam_photo_in_the_page(demo, launch_chromium, shots, tmp_path):
    url, faces, _, pred = demo
    photo, _ = paste_faces(faces)
    frame = np.full((480, 640), 110, np.uint8)
    frame[105:105 + photo.shape[0], 80:80 + photo.shape[1]] = photo
    camera = launch_chromium('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',  # allow it, no dialog
                             f"--use-file-for-fake-video-capture={write_y4m(frame, tmp_path/'faces.y4m')}")
    page = camera.new_page(viewport=dict(width=1280, height=1100))
    page.goto(url); page.wait_for_load_state('networkidle')
    page.get_by_role('button', name='Capture from camera').click()
    page.get_by_role('button', name='Click to Access Webcam').click()
    page.wait_for_function("() => document.querySelector('video')?.videoWidth > 0", timeout=20_000)  # the camera plays
    page.get_by_role('button', name='capture photo').click()
    page.get_by_text(f'{len(faces)} faces in the photo.').wait_for(timeout=30_000)  # not Gradio's name for the shot, image.png
    seen = pred.faces(np.fliplr(frame))  # Gradio mirrors the webcam, as a mirror shows a user's face
    expected = sorted((f['box'][0], f['label']) for f in seen)
    got = sorted((int(cells[1]), cells[5].strip()) for cells in table_rows(page)[1])  # (x, label) of each face
    assert [label for _, label in got] == [label for _, label in expected], (got, expected)
    assert all(abs(x - x_seen) <= 8 for (x, _), (x_seen, _) in zip(got, expected)), (got, expected)
    page.screenshot(path=shots/'demo-webcam.png', full_page=True)
    print(f"screenshot: {shots/'demo-webcam.png'}")
