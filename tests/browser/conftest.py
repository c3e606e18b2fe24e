"""Headless Chromium for the browser tests: `CHROMIUM`, else Debian's `chromium` on PATH, else Playwright's own download.
Screenshots go to `SITE_SCREENSHOTS` (default `_docs_screenshots`)."""
import os, shutil
from pathlib import Path
import pytest
from playwright.sync_api import sync_playwright

# Chromium's own connections to Google fail on a closed network; these flags keep it quiet and fast
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync']

@pytest.fixture(scope='module')
def launch_chromium():
    """A function that starts headless Chromium with `CHROMIUM_ARGS` and more flags: `CHROMIUM`, else `chromium` on PATH
    (Debian's package), else Playwright's own download; all it started close after the module"""
    exe, started = os.environ.get('CHROMIUM') or shutil.which('chromium'), []
    with sync_playwright() as p:
        def launch(*flags:str):
            try: started.append(p.chromium.launch(executable_path=exe, args=[*CHROMIUM_ARGS, *flags]))
            except Exception as e: pytest.fail(f"no Chromium ({e}): install Debian's `chromium`, set CHROMIUM to a Chromium binary, "
                                               "or run `playwright install chromium`")
            return started[-1]
        yield launch
        for b in started: b.close()

@pytest.fixture(scope='module')
def browser(launch_chromium):
    "Headless Chromium with `CHROMIUM_ARGS`"
    return launch_chromium()

@pytest.fixture(scope='session')
def shots()->Path:
    "The folder for screenshots a person looks at: `SITE_SCREENSHOTS` (default `_docs_screenshots`)"
    folder = Path(os.environ.get('SITE_SCREENSHOTS', Path(__file__).parent.parent.parent/'_docs_screenshots'))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
