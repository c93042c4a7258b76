"""A small, dependency-free driver for Debian's headless Chromium, for tests of pages opened from disk.

The review pages are static HTML files that a person opens with a browser from disk (file:// URLs),
so their tests need a real browser but no server. No Python WebDriver package is installed here, and
none is added to the project: this module talks the W3C WebDriver protocol (JSON over HTTP) to
Debian's chromedriver with urllib.

    with Browser() as b:
        b.open(tmp_path / "page.html")
        b.press("j")
        b.click("#save")
        (saved,) = b.wait_for_downloads(1)

Tests call `available()` first and `pytest.skip()` with its message when Chromium is missing
(`apt-get install chromium chromium-driver`; .ci/run installs them).

What this Chromium (156, Debian) does with pages from disk, as tests/test_browser_harness.py shows:
a download made by a page (a Blob and an <a download> click) lands, byte for byte, in the
browser's own download folder through the download prefs alone, a second one of the same name as
"x (1).jsonl". A file:// page has an opaque origin; its localStorage outlives a reload, but a page
that uses it at once after it loads (a tiny one) is given a fresh, empty one on about 1 load in 4,
reloaded or opened from another page (review.js's STARTUP_JS is how the review pages cope).
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# Where Debian's packages put them; PATH is searched after these.
CHROMIUM_CANDIDATES: tuple[str, ...] = ("/usr/bin/chromium",)
CHROMEDRIVER_CANDIDATES: tuple[str, ...] = ("/usr/bin/chromedriver",)
PACKAGES = "chromium chromium-driver"

# The machine's network is closed: without the background-networking flags Chromium's own
# connections (updates, sync, safe browsing lists) are refused, many at a time, and slow it down.
# --no-sandbox because tests run as root, where Chromium's sandbox refuses to start.
# --disable-dev-shm-usage: a small /dev/shm (containers) crashes the renderer; /tmp is as good here.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--no-default-browser-check", "--disable-extensions",
)

# The W3C WebDriver key codes of the special keys (https://w3c.github.io/webdriver/#keyboard-actions),
# by the names that KeyboardEvent.key gives them in the page.
KEYS: dict[str, str] = {
    "Unidentified": "\ue000", "Cancel": "\ue001", "Help": "\ue002", "Backspace": "\ue003",
    "Tab": "\ue004", "Clear": "\ue005", "Return": "\ue006", "Enter": "\ue007",
    "Shift": "\ue008", "Control": "\ue009", "Alt": "\ue00a", "Pause": "\ue00b", "Escape": "\ue00c",
    "Space": "\ue00d", " ": "\ue00d", "PageUp": "\ue00e", "PageDown": "\ue00f", "End": "\ue010",
    "Home": "\ue011", "ArrowLeft": "\ue012", "ArrowUp": "\ue013", "ArrowRight": "\ue014",
    "ArrowDown": "\ue015", "Insert": "\ue016", "Delete": "\ue017",
    "F1": "\ue031", "F2": "\ue032", "F3": "\ue033", "F4": "\ue034", "F5": "\ue035", "F6": "\ue036",
    "F7": "\ue037", "F8": "\ue038", "F9": "\ue039", "F10": "\ue03a", "F11": "\ue03b", "F12": "\ue03c",
    "Meta": "\ue03d",
}

# The key under which WebDriver passes an element reference in JSON.
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"


class BrowserError(RuntimeError):
    """An error from chromedriver or the browser, with WebDriver's error code and message."""

    def __init__(self, what: str, error: str, message: str) -> None:
        # chromedriver's messages carry a long native stack trace on later lines; the first says it all.
        first = message.strip().splitlines()[0] if message.strip() else ""
        first = first.removeprefix(f"{error}: ")  # chromedriver repeats the code in the message
        super().__init__(f"{what}: {error}: {first}" if first else f"{what}: {error}")
        self.error = error
        self.message = message


class Element(str):
    """A WebDriver element id. A str, so that click() and type() can tell it from a CSS selector."""


def _which(candidates: Iterable[str], name: str) -> str | None:
    for path in candidates:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return shutil.which(name)


def binaries() -> tuple[str, str] | None:
    """(chromium, chromedriver) paths, or None when either is missing."""
    chromium = _which(CHROMIUM_CANDIDATES, "chromium")
    driver = _which(CHROMEDRIVER_CANDIDATES, "chromedriver")
    return (chromium, driver) if chromium and driver else None


def available() -> str | None:
    """None when Chromium and ChromeDriver are installed, else why not (for pytest.skip)."""
    if binaries():
        return None
    missing = [name for name, cands in (("chromium", CHROMIUM_CANDIDATES), ("chromedriver", CHROMEDRIVER_CANDIDATES))
               if not _which(cands, name)]
    return (f"browser tests need {' and '.join(missing)}: install Debian's packages "
            f"with `apt-get install {PACKAGES}` (.ci/run does)")


def group_processes(pgid: int) -> list[int]:
    """The processes of a process group that still run (zombies left out: they are dead, and this
    machine's init reaps the orphaned ones only every second or two)."""
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: the group's existence is all there is to ask
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended while we looked
        # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after it.
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _free_port() -> int:
    # The OS picks a free port; chromedriver binds it a moment later. Another process could take
    # it in between, so start() retries with a new port when chromedriver fails to come up.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _file_url(path_or_url: str | os.PathLike[str]) -> str:
    text = os.fspath(path_or_url)
    if isinstance(path_or_url, str) and ("://" in text or text.startswith(("about:", "data:"))):
        return text
    return Path(text).resolve().as_uri()


def _key_codes(key: str) -> list[str]:
    """The WebDriver key values of a key or chord: "j", "Enter", "ArrowDown", "Shift+Tab"."""
    if len(key) == 1:
        parts = [key]  # "+" itself included
    elif key.endswith("++"):
        parts = key[:-2].split("+") + ["+"]  # "Control++": the plus key with a modifier
    else:
        parts = key.split("+")
    codes = []
    for part in parts:
        if part in KEYS:
            codes.append(KEYS[part])
        elif len(part) == 1:
            codes.append(part)
        else:
            raise ValueError(f"unknown key {part!r} in {key!r}: a single character or one of {', '.join(KEYS)}")
    return codes


class Browser:
    """Headless Chromium through chromedriver; a context manager that cleans up every process and folder."""

    def __init__(self, width: int = 1280, height: int = 900, timeout: float = 30.0) -> None:
        self.width, self.height = width, height
        self.timeout = timeout
        self.workdir: Path | None = None
        self.download_dir: Path | None = None
        self.driver: subprocess.Popen[bytes] | None = None
        self.base = ""
        self.session = ""

    # -- life cycle ---------------------------------------------------------------------------

    def __enter__(self) -> Browser:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        found = binaries()
        if not found:
            raise BrowserError("start", "not installed", available() or "")
        chromium, chromedriver = found
        self.workdir = Path(tempfile.mkdtemp(prefix="govreport-browser-"))
        try:
            self.download_dir = self.workdir / "downloads"
            self.download_dir.mkdir()
            (self.workdir / "profile").mkdir()
            self._start_driver(chromedriver)
            self._new_session(chromium)
        except BaseException:
            self.close()
            raise

    def _start_driver(self, chromedriver: str) -> None:
        assert self.workdir is not None
        log = self.workdir / "chromedriver.log"
        last = ""
        for _attempt in range(3):
            port = _free_port()
            # Its own process group, so that close() can end chromedriver and any Chromium it left
            # behind by this one id, whatever happened to the session.
            self.driver = subprocess.Popen(
                [chromedriver, f"--port={port}", f"--log-path={log}"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
            self.base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.driver.poll() is None:
                try:
                    if self._request("GET", "/status", timeout=1).get("ready"):
                        return
                except BrowserError:
                    pass  # not listening yet
                time.sleep(0.05)
            last = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            self._stop_driver()
        raise BrowserError("start chromedriver", "did not start", last or "no log")

    def _new_session(self, chromium: str) -> None:
        assert self.workdir is not None and self.download_dir is not None
        options = {
            "binary": chromium,
            "args": [*CHROMIUM_FLAGS, f"--user-data-dir={self.workdir / 'profile'}"],
            "prefs": {
                "download.default_directory": str(self.download_dir),
                "download.prompt_for_download": False,
                "download.directory_upgrade": True,
                # Without it, a second download that a script starts without a click (no user
                # gesture) is dropped silently: a person would be asked "download multiple files?".
                "profile.default_content_setting_values.automatic_downloads": 1,
                # Safe Browsing would check each download against Google's servers, which are unreachable.
                "safebrowsing.enabled": False,
            },
        }
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            # No implicit wait: a missing element fails at once, and wait_for() waits where a test means to.
            "timeouts": {"implicit": 0, "pageLoad": int(self.timeout * 1000), "script": int(self.timeout * 1000)},
        }}}
        value = self._request("POST", "/session", caps, timeout=60)
        self.session = value["sessionId"]
        # Downloads: the prefs above are enough for this headless Chromium (156), and they keep a
        # person's browser's behaviour: a second "x.jsonl" is saved as "x (1).jsonl". The DevTools
        # command Browser.setDownloadBehavior also works but overwrites a file of the same name,
        # which would hide a page that saves twice, so it is not used.
        self.window(self.width, self.height)

    def close(self) -> None:
        """End the session, chromedriver, any Chromium left behind, and remove the temporary folder."""
        if self.session:
            try:
                self._request("DELETE", f"/session/{self.session}", timeout=10)
            except BrowserError:
                pass  # the group kill below ends what the session would have
            self.session = ""
        self._stop_driver()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def _stop_driver(self) -> None:
        driver, self.driver = self.driver, None
        if driver is None:
            return
        if driver.poll() is None:
            driver.terminate()
            try:
                driver.wait(5)
            except subprocess.TimeoutExpired:
                driver.kill()
                driver.wait(5)
        # Chromium's processes are chromedriver's children in its group; after a crash or a failed
        # DELETE they would outlive it.
        try:
            os.killpg(driver.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            return
        # SIGKILL is delivered asynchronously; wait until no process of the group runs, so that the
        # caller (and a test that checks) finds none left.
        deadline = time.monotonic() + 5
        while group_processes(driver.pid) and time.monotonic() < deadline:
            time.sleep(0.02)

    # -- protocol -----------------------------------------------------------------------------

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None,
                 timeout: float | None = None) -> Any:
        data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout + 10) as resp:
                payload = json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as e:
            # WebDriver errors come as 4xx/5xx with {"value": {"error", "message"}} in the body.
            try:
                value = json.loads(e.read() or b"{}").get("value") or {}
            except ValueError:
                value = {}
            raise BrowserError(f"{method} {path}", value.get("error", f"HTTP {e.code}"),
                               value.get("message", str(e))) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            # chromedriver gone (crashed, or killed) or hung: one exception type all the same.
            raise BrowserError(f"{method} {path}", "chromedriver not answering", str(e)) from None
        return payload.get("value")

    def command(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """A WebDriver command of this session: path after /session/{id}."""
        if not self.session:
            raise BrowserError(path, "no session", "the browser is not started (use `with Browser() as b`)")
        return self._request(method, f"/session/{self.session}{path}", body)

    def cdp(self, cmd: str, **params: Any) -> Any:
        """A Chrome DevTools Protocol command, through chromedriver."""
        return self.command("POST", "/goog/cdp/execute", {"cmd": cmd, "params": params})

    # -- pages and elements -------------------------------------------------------------------

    def open(self, path_or_url: str | os.PathLike[str]) -> None:
        """Open a URL, or a file on disk as a file:// URL; returns when the page has loaded."""
        self.command("POST", "/url", {"url": _file_url(path_or_url)})

    @property
    def title(self) -> str:
        return self.command("GET", "/title")

    @property
    def url(self) -> str:
        return self.command("GET", "/url")

    def reload(self) -> None:
        self.command("POST", "/refresh")

    def find(self, css: str) -> Element:
        """The first element matching css; BrowserError 'no such element' if none."""
        return Element(self.command("POST", "/element", {"using": "css selector", "value": css})[ELEMENT_KEY])

    def find_all(self, css: str) -> list[Element]:
        found = self.command("POST", "/elements", {"using": "css selector", "value": css})
        return [Element(ref[ELEMENT_KEY]) for ref in found]

    def _element(self, css_or_element: str) -> Element:
        return css_or_element if isinstance(css_or_element, Element) else self.find(css_or_element)

    def click(self, css_or_element: str) -> None:
        self.command("POST", f"/element/{self._element(css_or_element)}/click")

    def type(self, css_or_element: str, text: str) -> None:
        """Type text into an element (it is focused first), as a person would, key by key."""
        self.command("POST", f"/element/{self._element(css_or_element)}/value", {"text": text})

    def clear(self, css_or_element: str) -> None:
        self.command("POST", f"/element/{self._element(css_or_element)}/clear")

    def text(self, css_or_element: str) -> str:
        """The element's rendered text (innerText: hidden parts left out)."""
        return self.command("GET", f"/element/{self._element(css_or_element)}/text")

    def attribute(self, css_or_element: str, name: str) -> Any:
        """A DOM property (value, checked, className...) of the element."""
        return self.command("GET", f"/element/{self._element(css_or_element)}/property/{name}")

    def press(self, key: str) -> None:
        """Press and release a key on the focused element (or the page): "j", "Enter", "ArrowDown",
        or a chord such as "Shift+Tab" or "Control+s" (modifiers held while the last key is pressed).
        Characters typed with Shift on a US keyboard ("J", "+", "?") arrive with shiftKey set."""
        codes = _key_codes(key)
        down = [{"type": "keyDown", "value": c} for c in codes]
        up = [{"type": "keyUp", "value": c} for c in reversed(codes)]
        self.command("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": down + up}]})
        # Released above already; this clears chromedriver's memory of the input state.
        self.command("DELETE", "/actions")

    def run(self, script: str, *args: Any) -> Any:
        """Run JavaScript in the page (a function body: `return ...`, `arguments[0]`); its value.
        Elements pass both ways; a promise returned is awaited."""
        value = self.command("POST", "/execute/sync", {"script": script, "args": [_to_json(a) for a in args]})
        return _from_json(value)

    # -- window, screenshots, downloads -------------------------------------------------------

    def window(self, width: int, height: int) -> tuple[int, int]:
        """Size the page's viewport (innerWidth x innerHeight, what a screenshot shows) to width x
        height CSS pixels; the size reached."""
        # Headless Chromium still reserves room for a browser's bars (143 px of height here), so the
        # window is made larger by what the viewport lacks. Measured on the window as it is: a
        # window too small for its bars (under ~150 px high) is refused, or silently not applied.
        for _attempt in range(3):
            rect = self.command("GET", "/window/rect")
            inner = self.run("return [window.innerWidth, window.innerHeight]")
            if inner == [width, height]:
                break
            self.command("POST", "/window/rect", {"width": width + rect["width"] - inner[0],
                                                  "height": height + rect["height"] - inner[1]})
        else:
            inner = self.run("return [window.innerWidth, window.innerHeight]")
        return inner[0], inner[1]

    def dialog(self, accept: bool = True) -> str:
        """Answer the open alert, confirm or prompt (OK, or Cancel with accept=False); its text.
        While one is open, other commands fail with 'unexpected alert open'."""
        text = self.command("GET", "/alert/text")
        self.command("POST", "/alert/accept" if accept else "/alert/dismiss")
        return text

    def screenshot(self, path: str | os.PathLike[str]) -> Path:
        """Save a PNG of the viewport to path; the path."""
        out = Path(path)
        out.write_bytes(base64.b64decode(self.command("GET", "/screenshot")))
        return out

    def downloads(self) -> list[Path]:
        """The files downloaded so far, finished ones only, oldest first."""
        if self.download_dir is None:
            return []
        # Chromium writes into "x.crdownload" (and ".org.chromium.Chromium.*" temporaries) and renames
        # it to x when done. While it runs, x may already exist, empty, to hold the name (seen once
        # in 40 saves): a file with a .crdownload beside it is not finished.
        names = {p.name for p in self.download_dir.iterdir()}
        done = []
        for name in names:
            path = self.download_dir / name
            if name.endswith(".crdownload") or name.startswith(".") or f"{name}.crdownload" in names:
                continue
            try:
                done.append((path.stat().st_mtime_ns, name, path))
            except FileNotFoundError:
                continue  # renamed while we looked
        return [path for _, _, path in sorted(done)]

    def wait_for_downloads(self, count: int = 1, timeout: float = 10.0) -> list[Path]:
        """The downloaded files once there are at least count of them (TimeoutError after timeout s)."""
        def enough() -> list[Path]:
            files = self.downloads()
            return files if len(files) >= count else []
        enough.__name__ = f"{count} download(s)"
        return self.wait_for(enough, timeout)

    def wait_for(self, predicate: Callable[[], T], timeout: float = 10.0, interval: float = 0.05) -> T:
        """Call predicate until it returns something true, and return that. A BrowserError from it
        (an element not there yet) counts as false; TimeoutError after timeout seconds."""
        deadline = time.monotonic() + timeout
        last: BrowserError | None = None
        while True:
            try:
                value = predicate()
                if value:
                    return value
            except BrowserError as e:
                last = e
            if time.monotonic() >= deadline:
                name = getattr(predicate, "__name__", repr(predicate))
                raise TimeoutError(f"{name} not true after {timeout:g} s" + (f" (last error: {last})" if last else ""))
            time.sleep(interval)


def _to_json(value: Any) -> Any:
    if isinstance(value, Element):
        return {ELEMENT_KEY: str(value)}
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {ELEMENT_KEY}:
            return Element(value[ELEMENT_KEY])
        return {k: _from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value
