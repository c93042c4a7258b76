"""Tests of tests/browser.py, the headless Chromium harness for the review pages opened from disk.

Each page is written here to tmp_path and opened as a file:// URL, as a person opens a review page:
no server, no network. Skipped, with the packages to install, where Chromium is missing.
"""
from __future__ import annotations

import os
import signal
import struct
from pathlib import Path

import browser
import pytest
from browser import Browser, BrowserError, Element

from extract.pages.script_shared import STARTUP_JS

NEEDS_CHROMIUM = browser.available()
needs_chromium = pytest.mark.skipif(NEEDS_CHROMIUM is not None, reason=NEEDS_CHROMIUM or "")


def page(folder: Path, body: str, script: str = "", name: str = "page.html", title: str = "Harness") -> Path:
    path = folder / name
    path.write_text(f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ margin: 0; background: #fff; }} #box {{ width: 100px; height: 50px; background: #c00; }}</style>
</head><body>{body}<script>{script}</script></body></html>
""", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shared_browser():
    """One browser for the tests that need no fresh profile: a session costs about a second to start."""
    if NEEDS_CHROMIUM:
        pytest.skip(NEEDS_CHROMIUM)
    with Browser() as b:
        yield b


@pytest.fixture
def b(shared_browser: Browser) -> Browser:
    """The shared browser on a blank page of the usual size, whatever the test before left."""
    try:
        shared_browser.open("about:blank")
    except BrowserError:  # a dialog left open: WebDriver dismisses it and fails this one command
        shared_browser.open("about:blank")
    shared_browser.window(shared_browser.width, shared_browser.height)
    return shared_browser


def test_available_names_the_debian_packages(monkeypatch, tmp_path):
    """Without the binaries the message says what to install; runs with or without Chromium."""
    monkeypatch.setattr(browser, "CHROMIUM_CANDIDATES", (str(tmp_path / "chromium"),))
    monkeypatch.setattr(browser, "CHROMEDRIVER_CANDIDATES", (str(tmp_path / "chromedriver"),))
    monkeypatch.setenv("PATH", str(tmp_path))
    message = browser.available()
    assert message and "apt-get install chromium chromium-driver" in message
    assert "chromium and chromedriver" in message
    with pytest.raises(BrowserError, match="chromium-driver"):
        Browser().start()
    # Found on PATH too, not only in /usr/bin.
    for name in ("chromium", "chromedriver"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    assert browser.available() is None


@needs_chromium
def test_open_a_page_from_disk(b, tmp_path):
    path = page(tmp_path, "<h1 id='h'>年度报告</h1>", title="审阅 review")
    b.open(path)
    assert b.url == path.resolve().as_uri()
    assert b.title == "审阅 review"
    assert b.text("#h") == "年度报告"
    assert b.find("h1") == b.find("#h") and isinstance(b.find("h1"), Element)


@needs_chromium
def test_click_changes_text(b, tmp_path):
    b.open(page(tmp_path, "<button id='go'>go</button><p id='out'>before</p>",
                "document.getElementById('go').onclick = () => { out.textContent = 'after ' + (++window.n); };"
                "window.n = 0;"))
    b.click("#go")
    assert b.text("#out") == "after 1"
    b.click(b.find("button"))  # an element id works wherever a selector does
    assert b.text("#out") == "after 2"


@needs_chromium
def test_type_into_an_input(b, tmp_path):
    b.open(page(tmp_path, "<input id='cell' value=''><p id='echo'></p>",
                "cell.addEventListener('input', () => { echo.textContent = cell.value; });"))
    b.type("#cell", "1,234 件")
    assert b.attribute("#cell", "value") == "1,234 件"
    assert b.text("#echo") == "1,234 件"  # the page saw input events, as from a keyboard
    b.clear("#cell")
    b.type("#cell", "56")
    assert b.attribute("#cell", "value") == "56"


@needs_chromium
def test_press_keys_reach_a_keydown_listener(b, tmp_path):
    b.open(page(tmp_path, "<ol id='log'></ol>",
                "document.addEventListener('keydown', e => {"
                "  if (['Shift', 'Control'].includes(e.key)) return;"  # a chord's modifier has its own keydown
                "  const li = document.createElement('li');"
                "  li.textContent = (e.shiftKey ? 'Shift+' : '') + (e.ctrlKey ? 'Control+' : '') + e.key;"
                "  log.appendChild(li); e.preventDefault(); });"))
    for key in ("ArrowDown", "j", "Enter", "Escape", "Shift+Tab", "Control+s", "J", "+", " "):
        b.press(key)
    # "J" and "+" come with Shift held, as typed on a US keyboard; innerText trims " ".
    assert [b.text(li) for li in b.find_all("#log li")] == [
        "ArrowDown", "j", "Enter", "Escape", "Shift+Tab", "Control+s", "Shift+J", "Shift++", ""]
    assert b.run("return [...document.querySelectorAll('#log li')].map(li => li.textContent)")[-1] == " "
    with pytest.raises(ValueError, match="unknown key"):
        b.press("Ctrl+s")


@needs_chromium
def test_run_a_script(b, tmp_path):
    b.open(page(tmp_path, "<p id='p' data-n='7'>x</p>"))
    assert b.run("return 1 + 2") == 3
    assert b.run("return [arguments[0] * 2, arguments[1].k]", 21, {"k": "值"}) == [42, "值"]
    element = b.run("return document.getElementById('p')")
    assert isinstance(element, Element) and element == b.find("#p")
    assert b.run("return arguments[0].dataset.n", element) == "7"
    assert b.run("return new Promise(r => setTimeout(() => r('later'), 50))") == "later"
    assert b.run("localStorage.setItem('x', 1)") is None


@needs_chromium
def test_screenshot_is_a_png_of_the_viewport(b, tmp_path):
    b.open(page(tmp_path, "<div id='box'></div>"))
    assert b.window(640, 480) == (640, 480)
    assert b.run("return [innerWidth, innerHeight]") == [640, 480]
    shot = b.screenshot(tmp_path / "shot.png")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (640, 480)
    assert len(data) > 1000


SAVE_SCRIPT = """
document.getElementById('save').onclick = () => {
  const lines = window.corrections.map(c => JSON.stringify(c)).join('\\n') + '\\n';
  const url = URL.createObjectURL(new Blob([lines], {type: 'application/x-ndjson'}));
  const a = document.createElement('a');
  a.href = url; a.download = 'corrections.jsonl';
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};
window.corrections = [
  {"report": "d01", "cell": "1.1", "value": "12", "note": "表格第一行"},
  {"report": "d01", "cell": "3.B.2", "value": null, "note": "line\\nbreak \\"quoted\\" \\\\ tab\\t"},
];
"""


@needs_chromium
def test_download_of_a_blob_is_exact(tmp_path):
    """The review pages save their corrections as JSONL through a Blob and an <a download> click."""
    with Browser() as b:
        b.open(page(tmp_path, "<button id='save'>save</button>", SAVE_SCRIPT))
        assert b.downloads() == []
        b.click("#save")
        (saved,) = b.wait_for_downloads(1)
        assert saved.name == "corrections.jsonl"
        expected = b.run("return window.corrections.map(c => JSON.stringify(c)).join('\\n') + '\\n'")
        assert saved.read_bytes() == expected.encode("utf-8")
        assert saved.read_text(encoding="utf-8").splitlines()[0] == (
            '{"report":"d01","cell":"1.1","value":"12","note":"表格第一行"}')

        # Saved again, the file is not overwritten: a person's browser numbers it, so does this one.
        b.run("window.corrections.push({report: 'd02', cell: '2', value: '0', note: ''})")
        b.click("#save")
        first, second = b.wait_for_downloads(2)
        assert (first.name, second.name) == ("corrections.jsonl", "corrections (1).jsonl")
        assert second.read_text(encoding="utf-8").count("\n") == 3

        # A save started by a script, with no click, is not dropped as a "multiple downloads" one.
        b.run("document.getElementById('save').click()")
        assert len(b.wait_for_downloads(3)) == 3


STORAGE_SCRIPT = "seen.textContent = localStorage.getItem('govreport-test') || 'empty';"
# A page the size of a review page (a table of a few thousand cells): see the xfail below for a tiny one.
TABLE = "<table>" + "<tr><td>第一行</td><td>12</td><td>0</td></tr>" * 3000 + "</table>"


@needs_chromium
def test_local_storage_survives_a_reload(tmp_path):
    """A review page keeps unsaved decisions in localStorage; on file:// they must outlive a reload."""
    path = page(tmp_path, "<p id='seen'></p>" + TABLE, STORAGE_SCRIPT)
    with Browser() as b:
        b.open(path)
        assert b.text("#seen") == "empty"
        assert b.run("return [location.protocol, self.origin]") == ["file:", "null"]  # an opaque origin
        value = '{"cell":"1.1","value":"一"}'
        b.run("localStorage.setItem('govreport-test', arguments[0])", value)
        b.reload()
        assert b.text("#seen") == value
        b.open(path)  # opened again, as by a person, not only reloaded
        assert b.text("#seen") == value
    # A new browser starts with an empty profile: nothing leaks between tests.
    with Browser() as b:
        b.open(path)
        assert b.text("#seen") == "empty"


@needs_chromium
@pytest.mark.xfail(strict=False, reason=(
    "Chromium 156 (Debian), headless and headful alike: a tiny file:// page (opaque origin) that uses "
    "localStorage at once, reloaded, is given a fresh, empty localStorage (and sessionStorage) on about "
    "1 reload in 4, and what it writes there is lost at the next reload. The same page from "
    "http://127.0.0.1 kept it on every reload, and so did a page of 3,000 table rows from file:// "
    "(150 of 150), and so does this page when it starts as the review pages do (the next tests). Not "
    "strict: on a loaded machine the page is sometimes slow enough to keep it 50 times."))
def test_local_storage_of_a_tiny_page_survives_every_reload(b, tmp_path):
    b.open(page(tmp_path, "<p id='seen'></p>", STORAGE_SCRIPT))
    for i in range(50):  # P(no loss in 50) ~ 1e-6 at the rate seen on an idle machine
        b.run("localStorage.setItem('govreport-test', arguments[0])", f"v{i}")
        b.reload()
        assert b.text("#seen") == f"v{i}", f"reload {i + 1} of 50 lost localStorage"


def ready(b: Browser) -> None:
    b.wait_for(lambda: b.run("return document.body.dataset.ready") == "1")


@needs_chromium
def test_the_same_tiny_page_keeps_its_storage_when_it_starts_as_the_review_pages_do(b, tmp_path):
    """The xfail above, with the page started as review.js starts: after its first frames, and loaded
    again when its storage is empty (the fresh area is always empty; the lasting one holds a mark)."""
    b.open(page(tmp_path, "<p id='seen'></p>", STARTUP_JS + "afterFirstFrames(function () { " + STORAGE_SCRIPT + " });"))
    for i in range(50):
        ready(b)
        b.run("localStorage.setItem('govreport-test', arguments[0])", f"v{i}")
        b.reload()
        ready(b)
        assert b.text("#seen") == f"v{i}", f"reload {i + 1} of 50 lost localStorage"


@needs_chromium
def test_a_page_that_uses_its_storage_at_once_keeps_it_when_it_loads_again_on_finding_it_empty(b, tmp_path):
    """The mark and the second load alone, without waiting for frames: the xfail's page, which loses
    its storage on about 1 reload in 4 without them."""
    b.open(page(tmp_path, "<p id='seen'></p>", STARTUP_JS + "withLastingStorage(function () { " + STORAGE_SCRIPT + " });"))
    loads = []
    for i in range(50):
        ready(b)
        b.run("localStorage.setItem('govreport-test', arguments[0])", f"v{i}")
        b.reload()
        ready(b)
        loads.append(int(b.run("return document.body.dataset.loads")))
        assert b.text("#seen") == f"v{i}", f"reload {i + 1} of 50 lost localStorage (loads so far: {loads})"


@needs_chromium
def test_a_page_whose_storage_is_truly_empty_loads_again_at_most_retries_times(b, tmp_path):
    b.open(page(tmp_path, "<p id='seen'></p>", STARTUP_JS + "withLastingStorage(function () { " + STORAGE_SCRIPT + " });"))
    ready(b)
    b.run("localStorage.clear()")
    b.reload()
    ready(b)
    assert int(b.run("return document.body.dataset.loads")) >= 2      # it found nothing, left its mark, came again
    assert b.run("return [localStorage.getItem('govreport:~'), window.name]") == ["1", ""]
    # Storage that refuses every write (full, or turned off) stays empty: the page starts all the same.
    b.run("localStorage.clear(); Storage.prototype.setItem = function () { throw new Error('full'); }")
    b.run("window.name = 'govreport-retry:' + RETRIES; withLastingStorage(function () { document.body.dataset.started = '1'; })")
    assert b.run("return [document.body.dataset.started, window.name]") == ["1", ""]


@needs_chromium
def test_errors_are_one_clear_exception(b, tmp_path):
    b.open(page(tmp_path, "<p>x</p>"))
    with pytest.raises(BrowserError, match=r"no such element: .*#missing") as caught:
        b.find("#missing")
    assert caught.value.error == "no such element"
    assert "\n" not in str(caught.value)  # the native stack trace stays in .message
    with pytest.raises(BrowserError, match="javascript error: .*boom"):
        b.run("throw new Error('boom')")
    assert b.find_all("#missing") == []


@needs_chromium
def test_wait_for(b, tmp_path):
    b.open(page(tmp_path, "<p id='late'>no</p>",
                "setTimeout(() => { const p = document.createElement('p'); p.id = 'new'; p.textContent = 'yes';"
                " document.body.appendChild(p); }, 200);"))
    assert b.wait_for(lambda: b.text("#new"), timeout=5) == "yes"  # 'no such element' counts as not yet
    with pytest.raises(TimeoutError, match=r"not true after 0.2 s \(last error: .*no such element"):
        b.wait_for(lambda: b.text("#never"), timeout=0.2)


@needs_chromium
def test_dialogs(b, tmp_path):
    b.open(page(tmp_path, "<button id='ask'>ask</button><p id='answer'></p>",
                "ask.onclick = () => { answer.textContent = confirm('Discard?') ? 'yes' : 'no'; };"))
    b.click("#ask")
    assert b.dialog(accept=False) == "Discard?"
    assert b.text("#answer") == "no"


@needs_chromium
def test_everything_is_cleaned_up_also_on_failure(tmp_path):
    with pytest.raises(AssertionError, match="a test failing"), Browser() as b:
        b.open(page(tmp_path, "<p>x</p>"))
        pgid, workdir = b.driver.pid, b.workdir
        assert len(browser.group_processes(pgid)) > 2 and workdir.is_dir()  # chromedriver, Chromium's
        raise AssertionError("a test failing inside the with block")
    assert browser.group_processes(pgid) == []  # chromedriver and every Chromium process it started
    assert not workdir.exists()  # profile, downloads, log
    with pytest.raises(BrowserError, match="no session"):
        b.open("about:blank")
    b.close()  # twice is harmless

    # chromedriver gone in the middle of a test (crashed, killed): a BrowserError, then a clean close.
    b = Browser()
    b.start()
    try:
        pgid = b.driver.pid
        os.killpg(pgid, signal.SIGKILL)
        with pytest.raises(BrowserError, match="chromedriver not answering"):
            b.open("about:blank")
    finally:
        b.close()
    assert browser.group_processes(pgid) == [] and b.workdir is None
