"""Re-record the LLM cassettes of the samples against the real local server.

    govreport serve-local &                   # llama.cpp + Gemma 3 270M on 127.0.0.1:8765
    python tests/record_cassettes.py [STEM ...]

Each sample runs through the real pipeline (LLM → verify → re-ask → parsers → choose) with
vcrpy recording every request and response into cassettes/pipeline/<stem>.yaml. A full report
takes minutes on this model (two to four calls of ~1–3 minutes each).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cassette_tools import LOCAL, recorder, sample_cassette  # noqa: E402

from extract.llm.local_server import wait_until_ready  # noqa: E402
from extract.llm.session import LLMSession  # noqa: E402
from extract.schedule import process_paths  # noqa: E402
from extract.store import Store  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def main(stems: list[str]) -> int:
    if not wait_until_ready(LOCAL.base_url, 5):
        print(f"no server at {LOCAL.base_url}: start it with `govreport serve-local`", file=sys.stderr)
        return 2
    paths = [p for p in sorted(SAMPLES.glob("*.txt")) if not stems or p.stem[:3] in stems or p.stem in stems]
    for path in paths:
        cassette = sample_cassette(path.stem)
        cassette.parent.mkdir(parents=True, exist_ok=True)
        cassette.unlink(missing_ok=True)
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "r.db") as store:
            run_id = store.begin_run(["record"], {})
            with recorder("all").use_cassette(str(cassette)):
                (outcome,) = process_paths([path], store, run_id, llm=LLMSession(LOCAL))
        print(f"{path.stem}: {outcome.llm_calls} calls, {outcome.tokens}, {outcome.status}, "
              f"{time.monotonic() - started:.0f}s -> {cassette.name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
