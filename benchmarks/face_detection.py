"""How the Haar cascade of `Predictor.faces` sees FER-2013 crops: PublicTest faces scaled to 192 px and pasted on a
gray canvas; prints, for each search setting (min_size 40, 60; full-size or downscaled search; cascade scale step
1.1, 1.2, 1.3; min_neighbors 3, 5), the share found exactly once, the median box relative to the crop (which sets `margin`) and the
milliseconds per canvas, with the ratio to the default setting (min_size 40, full size, step 1.1, min_neighbors 5) in the same process.
With --model, also how often the face pipeline (detect, crop, predict) gives the label of predicting the crop itself.
Run: FER2013_PATH=... python benchmarks/face_detection.py [--n 400] [--model MODEL]"""
import argparse, itertools, time
import numpy as np, cv2
from fer_fastai.data import load_fer
from fer_fastai.predict import Predictor, detect_faces

def pasted(face:np.ndarray, side:int=192, at:tuple=(80, 100))->np.ndarray:
    "`face` scaled to `side` on a 400x400 gray canvas at (x, y) = `at`"
    canvas = np.full((400, 400), 128, np.uint8); x, y = at
    canvas[y:y+side, x:x+side] = cv2.resize(face, (side, side), interpolation=cv2.INTER_CUBIC)
    return canvas

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--n', type=int, default=400); p.add_argument('--model')
    args = p.parse_args()
    valid = load_fer().split('valid')
    print(valid.source)
    picks = np.random.default_rng(0).choice(len(valid), args.n, replace=False)
    base = None
    for min_size, downscale, step, neighbors in itertools.product((40, 60), (False, True), (1.1, 1.2, 1.3), (5, 3)):
        t0 = time.perf_counter()
        boxes = {i: detect_faces(pasted(valid.images[i]), min_size=min_size, downscale=downscale, scale_factor=step,
                                 min_neighbors=neighbors) for i in picks}
        ms, once = 1000*(time.perf_counter() - t0)/args.n, [i for i in picks if len(boxes[i]) == 1]
        base = base or ms
        rel = np.array([((x-80)/192, (y-100)/192, w/192, h/192) for i in once for x,y,w,h in boxes[i]])
        print(f"min_size {min_size}, {'downscaled' if downscale else 'full size '}, step {step}, neighbors {neighbors}: {len(once)/args.n:6.1%} "
              f"found exactly once; median box x {np.median(rel[:,0]):+.3f}, y {np.median(rel[:,1]):+.3f}, "
              f"side {np.median(rel[:,2]):.3f} of the crop; {ms:5.2f} ms per 400x400 canvas ({base/ms:.1f}x faster)", flush=True)
    if args.model:
        once = [i for i in picks if len(detect_faces(pasted(valid.images[i]))) == 1]
        pred = Predictor(args.model)
        direct = pred(valid.images[once]).label.tolist()
        via_faces = [pred.faces(pasted(valid.images[i]))[0]['label'] for i in once]
        print(f"face pipeline label = crop label for {np.mean(np.array(direct) == np.array(via_faces)):.1%} of those")
