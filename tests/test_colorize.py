"End to end: a DeOldify generator file laid out as in the Hub cache, loaded offline, colorizing FER-2013 faces; the colorized recipe from the CLI"
import json
import cv2, numpy as np, pandas as pd, pytest, torch
from fer_fastai.data import load_fer
from fer_fastai.testing import hub_cache_layout, run_main
from fer_fastai.data import subset_per_class
from fer_fastai.colorize import load_colorizer, colorize, colorize_data, colorized_cache_file, DeOldifyGenerator
from fer_fastai.testing import save_like_release

REPO, FILE = 'spensercai/DeOldify', 'ColorizeArtistic_gen.pth'

def luma(rgb:np.ndarray)->np.ndarray:
    "Y of OpenCV's YUV for uint8 (...,H,W,3) RGB images"
    return cv2.cvtColor(np.ascontiguousarray(rgb).reshape(-1, rgb.shape[-2], 3), cv2.COLOR_RGB2YUV)[..., 0].reshape(rgb.shape[:-1])

@pytest.fixture
def hub_cache(tmp_path, deoldify_file):
    "A Hub cache holding the generator file as spensercai/DeOldify's ColorizeArtistic_gen.pth"
    hub_cache_layout(tmp_path/'hub', REPO, {FILE: deoldify_file})
    return tmp_path/'hub'

def test_hub_cache_offline_to_colour_fer_faces(hub_cache, deoldify_file, monkeypatch):
    monkeypatch.setenv('HF_HUB_OFFLINE', '1')
    model = load_colorizer(REPO, FILE, cache_dir=hub_cache, device='cpu')
    ref = torch.load(deoldify_file, weights_only=True)
    assert model.kind == 'artistic' and all(torch.equal(ref[k], v) for k,v in model.state_dict().items())
    faces = torch.from_numpy(load_fer().images[:4])[:, None]            # real FER-2013 when FER2013_PATH is set
    out = colorize(faces, model, render_factor=6, exact_luminance=True)
    assert out.shape == (4, 3, 48, 48) and out.dtype == torch.uint8
    rgb = out.permute(0, 2, 3, 1).numpy()
    assert np.array_equal(luma(rgb), faces[:, 0].numpy())               # the Y channel is the original face, exactly
    assert (rgb[..., 0] != rgb[..., 2]).mean() > 0.5                     # and it is in colour

def test_released_opt_format_and_revision(tmp_path, deoldify_file):
    model = DeOldifyGenerator('artistic')
    model.load_state_dict(torch.load(deoldify_file, weights_only=True))
    save_like_release(model, tmp_path/'with_opt.pth', with_opt=True)    # {'model', 'opt'} with a slice in it
    hub_cache_layout(tmp_path/'hub', REPO, {FILE: tmp_path/'with_opt.pth'}, commit='1'*40, revision='v1')
    loaded = load_colorizer(REPO, FILE, revision='v1', cache_dir=tmp_path/'hub', local_files_only=True, device='cpu')
    assert all(torch.equal(a, b) for a,b in zip(model.state_dict().values(), loaded.state_dict().values()))

def test_offline_without_the_file_names_repo_and_file(hub_cache):
    with pytest.raises(FileNotFoundError, match=r'spensercai/DeOldify/ColorizeStable_gen.pth \(revision main\): not in the Hub cache'):
        load_colorizer(REPO, 'ColorizeStable_gen.pth', cache_dir=hub_cache, local_files_only=True)
    with pytest.raises(FileNotFoundError, match=r'someone/nothing/x.pth \(revision v9\)'):
        load_colorizer('someone/nothing', 'x.pth', revision='v9', cache_dir=hub_cache, local_files_only=True)

def test_bad_weight_files_are_named(tmp_path):
    (tmp_path/'cut.pth').write_bytes(b'PK\x03\x04 truncated')
    with pytest.raises(ValueError, match='cut.pth: not a PyTorch weights file that loads safely'): load_colorizer(path=tmp_path/'cut.pth')
    torch.save({'layers.0.weight': torch.zeros(3)}, tmp_path/'tiny.pth')
    with pytest.raises(ValueError, match='tiny.pth: not a DeOldify generator state_dict'): load_colorizer(path=tmp_path/'tiny.pth')

def test_colour_cache_resumes_after_interrupt(tmp_path, deoldify_file, monkeypatch):
    model = load_colorizer(path=deoldify_file, device='cpu')
    data = subset_per_class(load_fer(), 1)                               # 14 faces: 4 batches of 4 (the last of 2)
    calls = []
    def counted(*args, **kw):
        if len(calls) == 2: raise KeyboardInterrupt                     # Ctrl-C during the third batch
        calls.append(1); return colorize(*args, **kw)
    monkeypatch.setattr('fer_fastai.colorize.colorize', counted)
    with pytest.raises(KeyboardInterrupt): colorize_data(data, model, render_factor=3, bs=4)      # render factor 3: the cheapest
    assert colorized_cache_file(data, model, 3).with_suffix('.done').read_text() == '8'   # the two finished batches are kept
    calls.clear(); monkeypatch.setattr('fer_fastai.colorize.colorize', lambda *a, **kw: calls.append(1) or colorize(*a, **kw))
    resumed = np.asarray(colorize_data(data, model, render_factor=3, bs=4).images)
    assert len(calls) == 2                                              # only the 2 missing batches are colorized
    monkeypatch.setenv('FER_FASTAI_CACHE', str(tmp_path/'fresh'))
    assert np.array_equal(resumed, np.asarray(colorize_data(data, model, render_factor=3, bs=4).images))

def test_colorized_recipe_from_the_cli(tmp_path, fer_path, deoldify_file, private_cache):
    res = run_main('train', '--recipe', 'fastai-vgg16_bn-colorized', '--colorizer', deoldify_file, '--render-factor', 3, '--subset', 4,
                   '--bs', 8, '--size', 32, '--pretrained', 'false', '--epoch-cap', 1, '--lr-find', 'false', '--out', tmp_path/'run')
    assert res.returncode == 0, res.stderr
    config = json.loads((tmp_path/'run'/'config.json').read_text())
    assert config['colorize'] and config['colorizer'] == str(deoldify_file) and config['render_factor'] == 3
    assert len(pd.read_csv(tmp_path/'run'/'log.csv')) == 2
    cached = list((private_cache/'colour').glob('artistic-*-rf3-*.npy'))
    assert len(cached) == 1 and np.load(cached[0]).shape == (4*7*2, 48, 48, 3)
