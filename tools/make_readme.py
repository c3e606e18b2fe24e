"Render README.md from nbs/index.ipynb without Quarto (which `nbdev-readme` needs): markdown as is, shown code fenced"
import json, re, sys
from pathlib import Path

def shown(cell)->bool:
    "Is `cell` shown in the docs (not `#| hide`)?"
    return not re.search(r'^#\|\s*hide\b', ''.join(cell['source']), re.M)

def render(nb_path:Path)->str:
    "GitHub markdown for the shown cells of the notebook at `nb_path`"
    parts = []
    for c in json.loads(Path(nb_path).read_text())['cells']:
        src = ''.join(c['source']).strip()
        if not src or not shown(c): continue
        parts.append(src if c['cell_type']=='markdown' else f"```python\n{src}\n```")
    return '\n\n'.join(parts) + '\n'

if __name__=='__main__':
    root = Path(__file__).parent.parent
    (root/'README.md').write_text(render(root/'nbs'/'index.ipynb'))
    print('wrote README.md', file=sys.stderr)
