"""Time loading FER-2013 (train.zip + valid.zip): the first load decodes every image, the second reads the cache.
Prints both times and their ratio. Run: FER2013_PATH=... python benchmarks/load_data.py"""
import os, tempfile, time
from fer_fastai.data import load_fer, fer_sources

def timed(f):
    "(result, seconds) of `f()`"
    t0 = time.perf_counter(); res = f(); return res, time.perf_counter()-t0

if __name__=='__main__':
    os.environ['FER_FASTAI_CACHE'] = tempfile.mkdtemp()  # start with an empty cache
    srcs = fer_sources()
    if not srcs: raise SystemExit("set FER2013_PATH to the folder holding train.zip and valid.zip")
    first, t_first = timed(lambda: load_fer(*srcs))
    cached, t_cached = timed(lambda: load_fer(*srcs))
    print(f"images: {len(first)} ({', '.join(str(s.name) for s in srcs)})")
    print(f"first load (decode + write cache): {t_first:.2f}s = {len(first)/t_first:.0f} img/s")
    print(f"cached load:                       {t_cached:.3f}s")
    print(f"ratio first/cached:                {t_first/t_cached:.0f}x")
