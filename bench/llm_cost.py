"""What the LLM is sent per report, on real reports of every layout (no server needed).

    python bench/llm_cost.py

For the bundled samples and the corpus beside the checkout (../shared/corpus/raw): the report's
characters (the text the store keeps), the user prompt's characters (title, the tables' region
found by labels, the sentences that state numbers) and their ratio, and an estimate of prompt
tokens (one token a Chinese character, one per four other characters).
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extract.document import build_document  # noqa: E402
from extract.formats import read_document  # noqa: E402
from extract.llm.prompting import build_excerpt, build_messages  # noqa: E402


def tokens(text: str) -> int:
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    return cjk + (len(text) - cjk) // 4


def main() -> int:
    sources = sorted((REPO / "samples").glob("*.txt")) + sorted((REPO.parent / "shared" / "corpus" / "raw").glob("*"))
    print(f"{'report':34} {'chars':>7} {'prompt':>7} {'share':>6} {'~tokens':>8}")
    shares = []
    for path in sources:
        document = build_document(read_document(path.read_bytes(), path.name, 50 * 1024 * 1024).text)
        norm, version = document.text, document.version or "2021"
        excerpt = build_excerpt(document)
        prompt = build_messages(version, excerpt)[0]["content"]
        share = len(excerpt) / len(norm)
        shares.append(share)
        print(f"{path.name[:34]:34} {len(norm):7d} {len(excerpt):7d} {share:6.0%} {tokens(prompt):8d}")
    print(f"mean share of the report sent: {sum(shares) / len(shares):.0%}; the prompt adds the instructions "
          f"({len(build_messages('2021', '')[0]['content'])} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
