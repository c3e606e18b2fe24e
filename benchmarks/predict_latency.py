"""Prediction speed on this CPU, in one process: single-face latency of a model (default: the shipped one) through
`Predictor` (torch and ONNX) against fastai's `learn.predict` on the same weights; a 640x480 photo with one face
through `Predictor.faces` (JPEG decoding and Haar detection included) with the default full-size search against the
fast one (`FAST_DETECT`: downscaled, `min_size=60`, `min_neighbors=3`); and video frames per second at 640x480, faces searched in every frame.
Prints medians and ratios. Run: python benchmarks/predict_latency.py [--model MODEL] [--n 100] [--frames 100]"""
import argparse, statistics, tempfile, time, warnings
from pathlib import Path
import numpy as np, torch
from PIL import Image
from fer_fastai.synthetic import synthetic_fer
from fer_fastai.loaders import fer_dataloaders
from fer_fastai.models import fer_learner
from fer_fastai.export import load_model, export_onnx, OnnxNet
from fer_fastai.predict import FAST_DETECT, Predictor
from fer_fastai.testing import paste_faces, face_video

def median_ms(fn, items:list)->float:
    "Median milliseconds of `fn(item)` over `items`, after two warm-up calls"
    fn(items[0]); fn(items[1])
    times = []
    for item in items:
        t0 = time.perf_counter(); fn(item); times.append(time.perf_counter() - t0)
    return 1000*statistics.median(times)

def same_learner(net, data):
    "A fastai `Learner` with the architecture and weights of the `FERNet` `net`"
    c = net.config
    dls = fer_dataloaders(data, size=c['size'], bs=16, rgb=c['n_in']==3, device='cpu')
    learn = fer_learner(dls, c['arch'], pretrained=False)
    learn.model.load_state_dict(net.model.state_dict())
    return learn

def photo_files(faces:list, folder:Path)->list:
    "640x480 JPEG photos, each with one face of `faces` (160 px) on a gray background"
    files = []
    for i, face in enumerate(faces):
        canvas = np.full((480, 640), 110, np.uint8)
        canvas[100:340, 200:440] = paste_faces([face], side=160, gap=40)[0]
        Image.fromarray(canvas).convert('RGB').save(f := folder/f'photo{i}.jpg', quality=90); files.append(f)
    return files

def video_fps(pred:Predictor, video:Path, n:int, **kwargs)->tuple:
    "(frames per second, faces found) of `pred.video` on the first `n` frames of `video`"
    t0 = time.perf_counter(); df = pred.video(video, max_frames=n, **kwargs)
    return n/(time.perf_counter() - t0), len(df)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--model', help='model folder, run folder or hf-hub:owner/name (default: the shipped model)')
    p.add_argument('--n', type=int, default=100); p.add_argument('--frames', type=int, default=100)
    args = p.parse_args()
    warnings.filterwarnings('ignore')
    tmp, data = Path(tempfile.mkdtemp()), synthetic_fer(20, 20)
    faces = list(data.split('valid').images[:args.n])
    net = load_model(args.model); learn = same_learner(net, data)
    pred, onnx = Predictor(net, device='cpu'), Predictor(OnnxNet(export_onnx(net, tmp/'model.onnx')))
    c = net.config
    print(f"{c.get('recipe', '')} ({c['arch']}, {c['size']} px), CPU ({torch.backends.cpu.get_cpu_capability()}), "
          f"{torch.get_num_threads()} threads; medians of {args.n} faces / photos, {args.frames} video frames")
    pil = [Image.fromarray(f) for f in faces]
    with learn.no_bar(), learn.no_logging(): base = median_ms(lambda f: learn.predict(f, rm_type_tfms=0), pil)
    ours, ours_onnx = median_ms(lambda f: pred([f]), pil), median_ms(lambda f: onnx([f]), pil)
    print(f"one face      learn.predict       {base:7.2f} ms")
    print(f"one face      Predictor (torch)   {ours:7.2f} ms   {base/ours:5.1f}x faster   (target <= 2 ms)")
    print(f"one face      Predictor (ONNX)    {ours_onnx:7.2f} ms   {base/ours_onnx:5.1f}x faster")
    photos = photo_files(faces, tmp)
    fast = FAST_DETECT
    full = median_ms(pred.faces, photos)
    small, small_onnx = median_ms(lambda f: pred.faces(f, **fast), photos), median_ms(lambda f: onnx.faces(f, **fast), photos)
    found = np.mean([len(pred.faces(f, **fast)) == 1 for f in photos]), np.mean([len(pred.faces(f)) == 1 for f in photos])
    print(f"640x480 photo full-size search    {full:7.2f} ms   one face found in {found[1]:.0%}")
    print(f"640x480 photo FAST_DETECT search  {small:7.2f} ms   {full/small:5.1f}x faster   one face found in {found[0]:.0%}   (target <= 15 ms)")
    print(f"640x480 photo FAST_DETECT, ONNX   {small_onnx:7.2f} ms   {full/small_onnx:5.1f}x faster")
    face_video(video := tmp/'clip.mp4', faces[:max(args.frames//20, 1)], frames_each=20, fps=25)
    for name, model, kws in [('full-size search', pred, {}), ('FAST_DETECT search', pred, fast),
                             ('FAST_DETECT, ONNX', onnx, fast), ('FAST_DETECT, every 3rd frame', pred, dict(every=3, **fast))]:
        fps, n = video_fps(model, video, args.frames, **kws)
        print(f"video 640x480 {name:28s} {fps:6.1f} frames/s   {n} faces in {args.frames} frames   (target >= 50)")
