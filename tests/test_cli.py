"The `fer-fastai data` command, run as a user runs it"
from PIL import Image
from fer_fastai.data import read_source
from fer_fastai.testing import run_cli, run_main as cli  # `cli` runs in this process; `run_cli` starts one, as a shell does

def test_summary_on_synthetic_says_so(tmp_path):
    res = run_cli('data', 'summary', '--png', tmp_path/'grid.png', env={'FER2013_PATH': None})
    assert res.returncode == 0, res.stderr
    assert 'using SYNTHETIC drawn faces, not FER-2013' in res.stderr and 'source: SYNTHETIC' in res.stdout  # the note is not part of the result
    assert Image.open(tmp_path/'grid.png').size[0] > 500

def test_summary_counts_the_zips(fer_files, tmp_path):
    res = cli('data', 'summary', fer_files.path/'train.zip', fer_files.path/'valid.zip', '--png', tmp_path/'grid.png')
    assert res.returncode == 0, res.stderr
    lines = {l.split()[0]: l.split()[1:] for l in res.stdout.splitlines() if l.split()}
    for split, counts in (('train', fer_files.train_counts), ('valid', fer_files.valid_counts)):
        assert lines[split] == [str(n) for n in (*counts, sum(counts))]
    assert 'SYNTHETIC' not in res.stdout

def test_convert_truncated_csv_to_folders_and_back(fer_path, tmp_path):
    res = cli('data', 'convert', fer_path/'fer2013_head_truncated.csv', '--on-bad', 'skip', '--to', 'folders', '--out', tmp_path/'imgs')
    assert res.returncode == 0, res.stderr
    assert 'wrote 31 images' in res.stdout and 'row 33' in res.stderr  # the broken row is reported, not dropped silently
    assert len(list((tmp_path/'imgs').rglob('*.png'))) == 31
    res = cli('data', 'convert', tmp_path/'imgs', '--to', 'csv', '--out', tmp_path/'back.csv')
    assert res.returncode == 0, res.stderr
    orig, back = read_source(fer_path/'fer2013_head_truncated.csv', on_bad='skip'), read_source(tmp_path/'back.csv')
    assert sorted(map(bytes, orig.images)) == sorted(map(bytes, back.images))

def test_convert_needs_a_target(tmp_path):
    res = cli('data', 'convert', '--out', tmp_path/'x.csv')
    assert res.returncode == 2 and '--to' in res.stderr

def test_train_help_lists_every_recipe_field_with_its_comment_and_default():
    from dataclasses import fields, MISSING
    from fastcore.docments import docments
    from fer_fastai.runs import Recipe
    out = cli('train', '--help')
    assert out.returncode == 0, out.stderr
    text, docs = ' '.join(out.stdout.split()), docments(Recipe)
    for f in fields(Recipe):
        if f.name in ('name', 'doc'): continue
        default = f.default_factory() if f.default is MISSING else f.default
        assert f"--{f.name.replace('_', '-')}" in text and f"{' '.join(docs[f.name].split())} (default: {default})" in text, f.name
    assert '--lr_find' not in text and '--resume' in text and '--recipe' in text
