"""The web demo under load, in one process: the app (`make_app` with the shipped model, or `--model`) served on a local
port and called through `gradio_client` (one `Client` per visitor, made before timing) with a 640x480 photo of two FER faces: `analyse_photo` called directly, and one client at a time (the
baselines) against `--clients` clients at once. Prints p50/p95 latency of each, their ratio, photos per second, and whether
every answer had the right faces. Run: python benchmarks/demo_load.py [--clients 20] [--concurrency 2] [--model M]"""
import argparse, socket, statistics, tempfile, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import numpy as np
from PIL import Image
from gradio_client import Client, handle_file
from fer_fastai.data import load_fer
from fer_fastai.predict import Predictor
from fer_fastai.testing import paste_faces, faces_found_right
from fer_fastai.demo import make_app, analyse_photo

def timed_call(client:Client, photo:Path)->tuple:
    "(seconds, labels) of one `/faces` request: the upload, the queue, the analysis and the answer"
    t0 = time.perf_counter()
    _, _, table, _ = client.predict(handle_file(str(photo)), api_name='/faces')
    return time.perf_counter() - t0, [row[table['headers'].index('label')] for row in table['data']]

def percentiles(seconds:list)->str:
    q = statistics.quantiles(seconds, n=20)
    return f"p50 {1000*statistics.median(seconds):.0f} ms, p95 {1000*q[18]:.0f} ms"

def main(clients:int, concurrency:int, model:str):
    pred, valid = Predictor(model), load_fer().split('valid')
    chosen = faces_found_right(pred, valid, n=2)
    labels = [valid.classes[valid.labels[i]] for i in chosen]
    canvas = np.full((480, 640), 110, np.uint8); canvas[105:375, 80:560] = paste_faces(valid.images[chosen])[0]
    Image.fromarray(canvas).convert('RGB').save(photo := Path(tempfile.mkdtemp())/'two_faces.jpg', quality=90)
    direct = []
    for _ in range(clients + 1):
        t0 = time.perf_counter(); analyse_photo(pred, photo); direct.append(time.perf_counter() - t0)
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    app = make_app(pred, concurrency=concurrency)
    _, url, _ = app.launch(prevent_thread_lock=True, server_port=port, quiet=True)
    try:
        users = [Client(url, verbose=False) for _ in range(clients)]  # each visitor's page, open before the clock starts
        timed_call(users[0], photo)  # warm-up
        alone = [timed_call(u, photo) for u in users]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool: together = list(pool.map(lambda u: timed_call(u, photo), users))
        wall = time.perf_counter() - t0
    finally: app.close()
    right = sum(l == labels for _, l in together)
    a, t = [s for s, _ in alone], [s for s, _ in together]
    print(f"analyse_photo in this process, no server ({clients} calls): {percentiles(direct[1:])}")
    print(f"one client at a time ({clients} requests): {percentiles(a)}")
    print(f"{clients} clients at once (concurrency {concurrency}): {percentiles(t)}; all answered in {wall:.2f} s "
          f"({clients/wall:.1f} photos/s); right faces and labels: {right}/{clients}")
    print(f"p50 ratio (at once / alone): {statistics.median(t)/statistics.median(a):.1f}x")

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--clients', type=int, default=20, help='clients at once')
    p.add_argument('--concurrency', type=int, default=2, help="photos the app analyses at once (make_app's concurrency)")
    p.add_argument('--model', default=None, help='model to serve (default: the shipped one)')
    main(**vars(p.parse_args()))
