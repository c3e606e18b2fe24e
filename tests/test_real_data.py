"FER-2013 from the shared files (or synthetic files of the same layout): counts, cache, test images and batches"
import time
import numpy as np, pytest, torch
from fastai.vision.all import imagenet_stats
from fer_fastai.data import load_fer, fer_sources, read_unlabelled
from fer_fastai.loaders import fer_dataloaders, fer_test_dl
from fer_fastai.core import FER_CLASSES

@pytest.fixture(scope='module')
def fer(fer_files):
    "train.zip + valid.zip, loaded once for this module"
    return load_fer(*fer_sources(), cache=False)

def test_counts_match_the_files(fer, fer_files):
    "The published split sizes (28,709 train, 3,589 PublicTest) on the real data"
    c = fer.counts()
    n_train, n_valid = sum(fer_files.train_counts), sum(fer_files.valid_counts)
    assert c.loc['train', 'total'] == n_train and c.loc['valid', 'total'] == n_valid
    assert c.loc['train', list(FER_CLASSES)].tolist() == fer_files.train_counts
    assert fer.images.dtype == np.uint8 and fer.images.shape == (n_train + n_valid, 48, 48)
    assert not fer.skipped and not fer.converted
    if fer_files.real: assert (n_train, n_valid) == (28709, 3589)

def test_cached_load_is_identical(fer_path):
    t0 = time.perf_counter(); first = load_fer(fer_path/'valid.zip'); t_first = time.perf_counter()-t0
    t0 = time.perf_counter(); again = load_fer(fer_path/'valid.zip'); t_again = time.perf_counter()-t0
    for a in ('images', 'labels', 'splits', 'ids'): np.testing.assert_array_equal(getattr(first, a), getattr(again, a))
    print(f"valid.zip: first load {t_first:.2f}s, cached {t_again:.3f}s")

def test_test_images_load_with_ids(fer_files):
    t = read_unlabelled(fer_files.path/'test_images.zip')
    assert len(t) == fer_files.n_test and len(set(t.ids)) == fer_files.n_test and (t.labels == -1).all()
    assert t.ids[0] == fer_files.first_test_id

def test_batches_160_normalised(fer, fer_files):
    dls = fer_dataloaders(fer, bs=64, device='cpu')
    xb, yb = dls.one_batch()
    assert xb.shape == (64, 3, 160, 160) and yb.shape == (64,)
    assert abs(xb.mean().item()) < 1 and 0.5 < xb.std().item() < 1.5
    mean, std = torch.tensor(imagenet_stats[0]).view(1, 3, 1, 1), torch.tensor(imagenet_stats[1]).view(1, 3, 1, 1)
    pix = xb.cpu()*std + mean  # undo Normalize: the 3 channels must hold the same gray image
    torch.testing.assert_close(pix[:, 0], pix[:, 2], atol=1e-5, rtol=0)
    assert dls.vocab == list(FER_CLASSES)
    assert len(dls.train_ds) == sum(fer_files.train_counts) and len(dls.valid_ds) == sum(fer_files.valid_counts)

def test_test_dl_matches_validation_transforms(fer, fer_path):
    dls = fer_dataloaders(fer, bs=8, device='cpu')
    valid = fer.split('valid')[np.arange(8)]
    xb, = fer_test_dl(dls, valid).one_batch()
    torch.testing.assert_close(xb, dls.valid.one_batch()[0])
