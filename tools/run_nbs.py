"Execute notebooks in place and keep their outputs for the docs, minus the text progress bars a captured run prints"
import re, sys
from pathlib import Path
from execnb.shell import CaptureShell
from fastcore.nbio import read_nb, write_nb

NO_EVAL = re.compile(r'^#\|\s*eval:\s*false\s*$', re.M)  # cells nbdev-test and the docs build leave out
BAR = re.compile(r'\|[█-]{10,}\||^\s*█?\s*$|^Epoch \d+/\d+ :')

def clean_text(text:str)->str:
    "Keep what a terminal shows last on each line (text after the last carriage return), minus progress bars"
    lines = [l.split('\r')[-1] for l in text.split('\n')]
    return '\n'.join(l for l in lines if not BAR.search(l))

def clean_outputs(nb):
    "Drop progress-bar residue from the stream outputs of `nb`"
    for c in nb.cells:
        outs = c.get('outputs', [])
        for o in outs:
            if o.get('output_type')=='stream': o['text'] = clean_text(''.join(o['text'])).splitlines(True)
        c['outputs'] = [o for o in outs if o.get('output_type')!='stream' or ''.join(o['text']).strip()]

if __name__=='__main__':
    for f in map(Path, sys.argv[1:]):
        ids = [c.get('id') for c in read_nb(f).cells]
        CaptureShell().execute(f, f, exc_stop=True, preproc=lambda cell: bool(NO_EVAL.search(cell.source)))
        nb = read_nb(f); clean_outputs(nb)
        for c,i in zip(nb.cells, ids): c['id'] = i  # keep cell ids stable across runs: no churn in git diffs
        write_nb(nb, f)
        print('executed', f, file=sys.stderr)
