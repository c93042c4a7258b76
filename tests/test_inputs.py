"""Bad input: every file gets a stored record with a clear one-line reason, and the run goes on."""
from __future__ import annotations

import pytest
from conftest import REPORTS

from extract.cli import main
from extract.errors import InputError
from extract.store import Store
from extract.text import decode_bytes, normalize

SAMPLE_2021 = next(p for p in REPORTS if p.stem.startswith("004")).read_text(encoding="utf-8")


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"  \n\t\n", "whitespace"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    (b"x" * (3 * 1024 * 1024), "too large"),
], ids=["empty", "whitespace", "binary", "too-large"])
def test_unreadable_bytes_raise_a_one_line_reason(data, reason):
    with pytest.raises(InputError) as err:
        decode_bytes(data)
    assert reason in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16"])
def test_other_encodings_decode_to_the_same_text(encoding):
    assert decode_bytes(SAMPLE_2021.encode(encoding)).text == SAMPLE_2021


def test_normalize_keeps_every_offset():
    text = "２０２１年（一）\u3000１２．３万元\r\n增１６\u00a0件"
    assert len(normalize(text)) == len(text)
    assert normalize(text) == "2021年(一) 12.3万元 \n增16 件"


@pytest.fixture
def broken_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    cut = SAMPLE_2021.index("三、收到和处理政府信息公开申请情况")
    files = {
        "empty.txt": b"",
        "binary.bin": b"\x00\x01\x02\x03" * 100,
        "gbk.txt": SAMPLE_2021.encode("gbk"),
        "bom.txt": SAMPLE_2021.encode("utf-8-sig"),
        "truncated.txt": SAMPLE_2021[:cut].encode("utf-8"),
        "news.txt": "县长调研春耕生产工作。强调要抓好农业生产。".encode("utf-8"),
        "big.txt": ("政府信息公开" * 300_000).encode("utf-8"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _records(db):
    with Store(db) as store:
        rows = {r["path"].rsplit("/", 1)[-1]: r for r in store.iter_results()}
        errors = {r["path"].rsplit("/", 1)[-1]: r for r in store.iter_file_errors()}
    return rows, errors


def test_a_folder_of_broken_inputs_gets_a_record_each(broken_folder, tmp_path, capsys):
    db = tmp_path / "t.db"
    missing = str(tmp_path / "does-not-exist.txt")
    assert main(["extract", str(broken_folder), missing, "--db", str(db)]) == 0
    rows, errors = _records(db)
    assert set(rows) | set(errors) == {"empty.txt", "binary.bin", "gbk.txt", "bom.txt", "truncated.txt",
                                       "news.txt", "big.txt", "does-not-exist.txt"}
    assert rows["empty.txt"]["status"] == "failed" and "empty" in rows["empty.txt"]["reason"]
    assert rows["binary.bin"]["status"] == "failed" and "binary" in rows["binary.bin"]["reason"]
    assert rows["big.txt"]["status"] == "failed" and "too large" in rows["big.txt"]["reason"]
    assert rows["news.txt"]["status"] == "failed" and "not an annual report" in rows["news.txt"]["reason"]
    assert "cannot read" in errors["does-not-exist.txt"]["error"]
    # GBK and a BOM change nothing: the same (single, deduplicated) document, verified.
    assert rows["gbk.txt"]["sha256"] != rows["bom.txt"]["sha256"]
    assert rows["gbk.txt"]["status"] == rows["bom.txt"]["status"] == "verified"
    assert rows["gbk.txt"]["values"] == rows["bom.txt"]["values"]
    # Cut off after section 二: what was printed is kept, the rest is None and flagged.
    truncated = rows["truncated.txt"]
    assert truncated["status"] == "needs_review"
    assert truncated["values"]["active.normative_docs.in_force"] == 26
    assert truncated["values"]["requests.new.total"] is None
    assert any(i["code"] == "section_missing" for i in truncated["issues"])
    review = capsys.readouterr()
    assert main(["review", "--db", str(db)]) == 0
    listed = capsys.readouterr().out
    for name in ("empty.txt", "binary.bin", "big.txt", "news.txt", "truncated.txt", "does-not-exist.txt"):
        line = next(l for l in listed.splitlines() if name in l)
        assert len(line.split("\t")) == 3 and line.split("\t")[2], line
    assert "gbk.txt" not in listed and review is not None
