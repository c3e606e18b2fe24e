"Cells the docs build (nbdev's `exec_show_docs`) would execute that are not exports, `show_doc` calls or pure imports"
import ast, sys
from pathlib import Path
from nbdev.process import NBProcessor
from nbdev.processors import _do_eval  # the rule nbdev-docs uses to pick the cells it executes

SHOWN_DIRECTIVES = {'export', 'exports', 'exporti', 'exec_doc'}

def is_safe(cell)->bool:
    "Executing `cell` alone, without the cells before it, is what its author meant: an export, imports, or `show_doc`"
    if cell.directives_.keys() & SHOWN_DIRECTIVES: return True
    body = cell.parsed_()
    if all(isinstance(t, (ast.Import, ast.ImportFrom)) for t in body): return True
    return all(isinstance(t, ast.Expr) and isinstance(t.value, ast.Call) and getattr(t.value.func, 'id', '')=='show_doc' for t in body)

def unsafe_cells(nb_path:Path)->list:
    "'notebook, cell N: first line' for each cell of `nb_path` that the docs build would run out of context"
    cells = NBProcessor(nb_path).nb.cells
    return [f"{Path(nb_path).name}, cell {c.idx_}: {c.source.strip().splitlines()[0]}"
            for c in cells if c.cell_type=='code' and _do_eval(c) and not is_safe(c)]

if __name__=='__main__':
    bad = [msg for f in sorted(Path(sys.argv[1] if len(sys.argv)>1 else 'nbs').rglob('[!.]*.ipynb')) for msg in unsafe_cells(f)]
    for msg in bad: print(msg, file=sys.stderr)
    if bad: sys.exit(f"{len(bad)} cells mix imports with other code: the docs build runs them without the cells before "
                     "them. Move their imports to the notebook's import cell.")
    print('every cell the docs build executes is an export, an import or a show_doc', file=sys.stderr)
