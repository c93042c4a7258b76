"""What the LLM path costs per report, from cassette replay (no server, no network).

    python bench/llm_prompt.py

For every sample with a recorded cassette: characters of prompt sent (the user turn, and the
whole request body with the schema instructor adds) against the report's length, and LLM
calls on a first run and on a re-run over the same store (the cache should make it 0).
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from cassette_tools import LOCAL, recorder, sample_cassette  # noqa: E402

from extract.llm.session import LLMSession  # noqa: E402
from extract.schedule import process_paths  # noqa: E402
from extract.settings import Settings  # noqa: E402
from extract.store import Store  # noqa: E402


def main() -> int:
    rows = []
    for path in sorted((REPO / "samples").glob("*.txt")):
        cassette = sample_cassette(path.stem)
        if not cassette.exists():
            continue
        length = len(path.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.db") as store:
            with recorder("none").use_cassette(str(cassette)) as tape:
                (first,) = process_paths([path], store, store.begin_run([], {}), llm=LLMSession(LOCAL))
                (again,) = process_paths([path], store, store.begin_run([], {}), Settings(force=True),
                                         llm=LLMSession(LOCAL))
                bodies = [json.loads(r.body) for r in tape.requests]
        user = [sum(len(m["content"]) for m in b["messages"] if m["role"] == "user") for b in bodies]
        whole = [len(json.dumps(b, ensure_ascii=False)) for b in bodies]
        rows.append((path.stem[:3], length, user[0], whole[0], first.llm_calls, again.llm_calls, again.cache_hits))
    print(f"{'doc':4} {'chars':>6} {'prompt':>7} {'ratio':>6} {'request':>8} {'calls':>6} {'re-run':>7}")
    for stem, length, user, whole, calls, recalls, hits in rows:
        print(f"{stem:4} {length:6} {user:7} {user / length:6.0%} {whole:8} {calls:6} {recalls:4} ({hits} cached)")
    if rows:
        mean = sum(r[2] / r[1] for r in rows) / len(rows)
        print(f"mean prompt/report: {mean:.0%} (target <= 60%); calls per report first run "
              f"{sum(r[4] for r in rows) / len(rows):.1f}, re-run {sum(r[5] for r in rows) / len(rows):.1f} (target 0)")
    else:
        print("no cassettes recorded yet: python tests/record_cassettes.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
