"""Single-image CPU latency of `Predictor` (and its ONNX backend) vs fastai's `learn.predict`, for the same model, in
the same process; prints medians and the ratios. Weights do not change the cost, so the models are untrained.
Run: python benchmarks/predict_latency.py [--arch keras_cnn1 --size 48 --rgb false] [--n 50]"""
import argparse, statistics, tempfile, time, warnings
from pathlib import Path
import torch
from PIL import Image
from fer_fastai.synthetic import synthetic_fer
from fer_fastai.loaders import fer_dataloaders
from fer_fastai.models import fer_learner
from fer_fastai.export import learner_net, export_onnx, OnnxNet
from fer_fastai.predict import Predictor

def median_ms(fn, faces:list)->float:
    "Median milliseconds of `fn(face)` over `faces`, after two warm-up calls"
    fn(faces[0]); fn(faces[1])
    times = []
    for f in faces:
        t0 = time.perf_counter(); fn(f); times.append(time.perf_counter() - t0)
    return 1000*statistics.median(times)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--arch', default='resnet34'); p.add_argument('--size', type=int, default=160)
    p.add_argument('--rgb', default='true'); p.add_argument('--n', type=int, default=50)
    args = p.parse_args()
    warnings.filterwarnings('ignore')
    data = synthetic_fer(20, 10)
    learn = fer_learner(fer_dataloaders(data, size=args.size, bs=16, rgb=args.rgb=='true', device='cpu'), args.arch, pretrained=False)
    faces = [Image.fromarray(a) for a in data.split('valid').images[:args.n]]
    pred = Predictor(learner_net(learn), device='cpu')
    onnx = Predictor(OnnxNet(export_onnx(learner_net(learn), Path(tempfile.mkdtemp())/'model.onnx')))
    with learn.no_bar(), learn.no_logging():
        base = median_ms(lambda f: learn.predict(f, rm_type_tfms=0), faces)
    ours, ours_onnx = median_ms(lambda f: pred([f]), faces), median_ms(lambda f: onnx([f]), faces)
    print(f"{args.arch} at {args.size} px, CPU, {torch.get_num_threads()} threads, median of {args.n} single images")
    print(f"learn.predict:      {base:8.2f} ms")
    print(f"Predictor (torch):  {ours:8.2f} ms   {base/ours:5.1f}x faster")
    print(f"Predictor (ONNX):   {ours_onnx:8.2f} ms   {base/ours_onnx:5.1f}x faster")
