"""The built documentation site, as a reader sees it in headless Chromium: titles, sidebar, links and anchors, images,
outputs without errors, search, the home page's feature list; screenshots of the home page and a tutorial.

Build the site first (`bash scripts/docs.sh`), then: `pytest tests/browser` (`.ci/run` does both).
`SITE_DIR` (default `_docs`) and `SITE_SCREENSHOTS` (default `_docs_screenshots`) change where things are; the browser:
`conftest.py`."""
import json, os, re, threading
from functools import partial
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse
import pytest

ROOT = Path(__file__).parent.parent.parent
SITE = Path(os.environ.get('SITE_DIR', ROOT/'_docs'))

def notebook_headings()->dict:
    "{notebook file name: (its `# Title`, its `> subtitle`)}, in sidebar order"
    names = re.findall(r'-\s*(\S+\.ipynb)', (ROOT/'nbs'/'sidebar.yml').read_text())
    def heading(nb):
        md = next(s for c in json.loads((ROOT/'nbs'/nb).read_text())['cells']
                  if c['cell_type']=='markdown' and (s := ''.join(c['source'])).startswith('# '))
        return md.splitlines()[0][2:].strip(), ' '.join(l[1:].strip() for l in md.splitlines() if l.startswith('>'))
    return {nb: heading(nb) for nb in names}

class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

@pytest.fixture(scope='module')
def site_url():
    "The built site, served on a free localhost port"
    if not (SITE/'index.html').is_file(): pytest.fail(f"{SITE}/index.html not found: build the site first with `bash scripts/docs.sh`")
    server = ThreadingHTTPServer(('127.0.0.1', 0), partial(QuietHandler, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()

@pytest.fixture(scope='module')
def pages(site_url, browser):
    "{url: facts a reader sees} for every page of the sidebar, visited from the home page"
    page = browser.new_page(viewport=dict(width=1280, height=900))
    page.goto(site_url); page.wait_for_load_state('load')
    urls = [urljoin(site_url, h) for h in page.eval_on_selector_all('#quarto-sidebar a.sidebar-link[href]', 'as => as.map(a => a.getAttribute("href"))')]
    facts = {url: visit(page, url) for url in urls}
    page.close()
    return facts

LOOK = """async () => {
  const imgs = Array.from(document.images);
  await Promise.all(imgs.map(i => i.decode().catch(() => null)));
  return {
    title: document.title,
    subtitle: (document.querySelector('.description') || {innerText: ''}).innerText.trim(),
    sidebar: Array.from(document.querySelectorAll('#quarto-sidebar a.sidebar-link[href]')).map(a => a.innerText.trim()),
    sections: Array.from(document.querySelectorAll('#quarto-sidebar a.sidebar-link:not([href])')).map(a => a.innerText.trim()),
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
    images: imgs.map(i => [i.currentSrc || i.src, i.naturalWidth]),
    outputs: Array.from(document.querySelectorAll('.cell-output')).map(o => o.innerText),
    errors: document.querySelectorAll('.cell-output-error').length,
  };
}"""

def visit(page, url:str)->dict:
    "What `url` shows: title, sidebar, links, anchors, images (with their natural width), cell outputs"
    page.goto(url); page.wait_for_load_state('load')
    page.evaluate('window.scrollTo(0, document.body.scrollHeight)')  # lazy images load too
    return page.evaluate(LOOK)

def test_every_notebook_is_a_page_with_its_title_and_the_whole_sidebar(pages):
    headings = list(notebook_headings().values())
    sections = re.findall(r'section:\s*(.+)', (ROOT/'nbs'/'sidebar.yml').read_text())
    titles = [t for t,_ in headings]
    assert len(pages) == len(titles), f"sidebar has {len(pages)} pages, nbs/sidebar.yml lists {len(titles)}"
    for (url, facts), (title, subtitle) in zip(pages.items(), headings):
        assert facts['title'].startswith(title), (url, facts['title'], title)
        assert facts['sidebar'] == titles, (url, facts['sidebar'])
        assert facts['sections'] == sections, (url, facts['sections'])  # tutorials apart from module pages
        plain = re.sub(r'[`*]', '', subtitle)  # the markdown of the subtitle, as text
        shown = facts['subtitle'].replace('\u2019', "'")  # Quarto's typographic apostrophes
        assert shown == plain, (url, shown, plain)  # whole, not cut at its first line
    print(f"{len(pages)} pages: {', '.join(titles)}")

def test_internal_links_and_anchors_resolve(pages, site_url, browser):
    ids = {urldefrag(u)[0]: set(f['ids']) for u,f in pages.items()}
    links = {l for f in pages.values() for l in f['links'] if l.startswith(site_url)}
    request = browser.new_context().request
    broken, checked = [], 0
    for link in sorted(links):
        target, anchor = urldefrag(link)
        if target not in ids: ids[target] = None if request.get(target).status != 200 else set()
        if ids[target] is None: broken.append(f"{link}: not found")
        elif anchor and target.endswith('.html') and anchor not in (ids[target] or page_ids(browser, target, ids)):
            broken.append(f"{link}: no element with id {anchor!r}")
        checked += 1
    assert not broken, broken
    print(f"{checked} internal links checked ({sum('#' in l for l in links)} with anchors), all resolve")

def page_ids(browser, url:str, cache:dict)->set:
    "Element ids of a page that is not in the sidebar (kept in `cache`)"
    page = browser.new_page(); page.goto(url)
    cache[url] = set(page.eval_on_selector_all('[id]', 'es => es.map(e => e.id)')); page.close()
    return cache[url]

def test_every_image_loads(pages):
    bad = [(u, src) for u,f in pages.items() for src,width in f['images'] if width == 0]
    assert not bad, bad
    n = sum(len(f['images']) for f in pages.values())
    assert n >= 10, f"only {n} images on the whole site"  # plots of the tutorials: batches, curves, confusion matrices
    print(f"{n} images, all loaded (natural width > 0)")

def test_no_errors_in_cell_outputs(pages):
    error_line = re.compile(r'Traceback|^\w*(Error|Exception): ', re.M)
    bad = [(u, o[:300]) for u,f in pages.items() for o in f['outputs'] if error_line.search(o)]
    assert not bad and not any(f['errors'] for f in pages.values()), bad
    print(f"{sum(len(f['outputs']) for f in pages.values())} cell outputs, none with an error")

def test_search_finds_lr_find(site_url, browser):
    page = browser.new_page(viewport=dict(width=1280, height=900))
    page.goto(site_url)
    page.click('#quarto-search button, #quarto-search')
    page.keyboard.type('lr_find')
    page.wait_for_selector('.aa-Item', timeout=10_000)
    hits = page.eval_on_selector_all('.aa-Item a', 'as => as.map(a => a.href)')
    assert any(urlparse(h).path.endswith('/train.html') for h in hits), hits
    print(f"search 'lr_find': {len(hits)} results, e.g. {hits[0]}")
    page.close()

def test_home_page_feature_list_is_a_list(site_url, browser):
    page = browser.new_page()
    page.goto(site_url)
    items = page.evaluate("""() => {
      const p = Array.from(document.querySelectorAll('main p')).find(p => p.innerText.startsWith('What works today'));
      const ul = p && p.nextElementSibling;
      return ul && ul.tagName === 'UL' ? Array.from(ul.children).map(li => li.innerText) : null;
    }""")
    assert items and len(items) >= 10 and items[0].startswith('Reads FER-2013'), items
    page.close()

@pytest.mark.parametrize('name,scroll_to', [('index', None), ('tutorials/cpu_30min', 'main img'), ('cli', '#fer-fastai-train-and-fer-fastai-lr-find')])
def test_screenshots(site_url, browser, shots, name, scroll_to):
    "Screenshots of the home page and of a tutorial page at its first plot, for a person to look at"
    page = browser.new_page(viewport=dict(width=1280, height=900))
    page.goto(urljoin(site_url, f'{name}.html')); page.wait_for_load_state('load')
    if scroll_to: page.locator(scroll_to).first.scroll_into_view_if_needed()
    shot = shots/f"{name.replace('/', '_')}.png"
    page.screenshot(path=shot)
    assert shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")
    page.close()
