"""Pure text handling: bytes → text, and a normalisation that keeps every offset.

`normalize` maps one character to one character (full-width → ASCII, odd spaces → ' ',
CR → newline), so offsets found in the normalised text point at the same place in the
decoded source: provenance stays true to what the agency printed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from extract.errors import InputError
from extract.settings import MAX_BYTES_DEFAULT, too_large



def _ranges(code_points: list[int]) -> list[tuple[int, int]]:
    """Sorted code points as (first, last) runs of consecutive ones."""
    runs: list[tuple[int, int]] = []
    for cp in code_points:
        if runs and runs[-1][1] == cp - 1:
            runs[-1] = (runs[-1][0], cp)
        else:
            runs.append((cp, cp))
    return runs


_SPACES: Final = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"
_TABLE: dict[int, int | str] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII block
_TABLE.update({ord(c): " " for c in _SPACES})
_TABLE.update({ord("\u2212"): "-", ord("\u2013"): "-", ord("\u00a0"): " ", ord("\u3007"): "0"})
_CR_BEFORE_LF: Final = re.compile(r"\r(?=\n)")
# The mapped characters a Chinese text is full of (a report has hundreds of ，（）): str.replace
# maps each in one pass in C, where the regex below would call back once per run of them.
_COMMON_MAPPED: Final = tuple((ch, ch.translate(_TABLE)) for ch in "，（）：；\u3000\u00a0")
# Runs of the other characters the table maps. Written as ranges, and as "[…][…]*" rather than
# "[…]+": sre then scans ahead for the class in C, which a text with none passes quickly.
_MAPPED: Final = "[" + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                        for a, b in _ranges(sorted(_TABLE))) + "]"
_MAPPED_RUN: Final = re.compile(f"{_MAPPED}{_MAPPED}*")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_bytes(data: bytes, max_bytes: int = MAX_BYTES_DEFAULT) -> Decoded:
    """Decode a scraped report, or raise InputError with a one-line reason."""
    if len(data) > max_bytes:
        raise InputError(too_large(len(data), max_bytes), retry=True)
    if not data.strip():
        raise InputError("empty file" if not data else "file holds only whitespace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16"), "utf-16")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data[:4096] or _looks_binary(data[:4096]):
        raise InputError(f"binary file (starts {data[:8].hex(' ')}), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8-sig")
    try:
        return _not_mojibake(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        # GB18030 is a superset of GBK and GB2312, the encodings agencies' sites use.
        return _not_mojibake(Decoded(data.decode("gb18030"), "gb18030"))
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > len(text) // 50:
        raise InputError(f"undecodable text: neither UTF-8 nor GB18030 ({utf8_error.reason} at byte {utf8_error.start})")
    return Decoded(text, "utf-8 (some bytes replaced)")


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text saved without a byte-order mark: every other byte is mostly zero (ASCII) or
    the text decodes to CJK. Tried only when NUL bytes are frequent."""
    head = data[:4096]
    if head.count(0) < len(head) // 8 or len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        sample = text[:2000]
        readable = sum(ch.isprintable() or ch in "\n\r\t" for ch in sample)
        if sample and readable > 0.97 * len(sample) and any("\u4e00" <= ch <= "\u9fff" or ch.isascii() for ch in sample):
            return Decoded(text, codec)
    return None


# Chinese text decoded with the wrong code page (UTF-8 read as Latin-1 or GBK and saved again):
# runs of accented Latin letters or of rare CJK where the report's common words should be.
_MOJIBAKE: Final = re.compile(r"[\u00c0-\u00ff][\u0080-\u00ff]|锟斤拷|烫烫|屯屯")


# The commonest characters of any Chinese report: a few percent of its CJK text, and next to
# none of a text whose bytes were decoded with the wrong code page (鍙戝竷 for 发布).
_COMMON_CJK: Final = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞")


# Runs, counted by what removing them takes away: no match object per character.
# ("[…][…]*", not "[…]+": see _MAPPED_RUN.)
_CJK_RUN: Final = re.compile("[\u4e00-\u9fff][\u4e00-\u9fff]*")
_COMMON_RUN: Final = re.compile(f"[{_COMMON_CJK}][{_COMMON_CJK}]*")


def _count(runs: re.Pattern, text: str) -> int:
    return len(text) - len(runs.sub("", text))


def _enough_common(text: str, enough: float) -> bool:
    """Whether the text holds at least `enough` of the common characters."""
    common = 0
    for at in range(0, len(text), 1000):
        common += _count(_COMMON_RUN, text[at:at + 1000])
        if common >= enough:
            return True
    return common >= enough


_BELOW_C0: Final = bytes(range(0xC0))


def _has_mojibake_char(text: str) -> bool:
    """Whether the text holds a character a _MOJIBAKE match starts with (U+00C0–U+00FF, 锟, 烫, 屯):
    asked of its Latin-1 characters alone, in C, rather than by an sre class scan of every character."""
    return bool(text.encode("latin-1", "ignore").translate(None, _BELOW_C0)) or any(ch in text for ch in "锟烫屯")


def _not_mojibake(decoded: Decoded) -> Decoded:
    sample = decoded.text[:20000]
    garbled = len(_MOJIBAKE.findall(sample)) if _has_mojibake_char(sample) else 0
    # Plain Chinese settles it from its first part: if the common characters there already make
    # 15 % of the whole sample, they make 15 % of its CJK too. The same verdict, without counting
    # the whole sample: a thousand characters at a time until there are enough.
    if garbled <= 20 and _enough_common(sample[:max(1000, len(sample) * 2 // 5)], 0.15 * len(sample)):
        return decoded
    cjk = _count(_CJK_RUN, sample)
    common = _count(_COMMON_RUN, sample)
    if (garbled > 20 and garbled > cjk // 4) or (cjk > 200 and common < 0.15 * cjk):
        raise InputError("undecodable text (mojibake): the file was saved with the wrong encoding "
                         "(e.g. UTF-8 read as Latin-1 or GBK); re-save it as UTF-8 from the original")
    return decoded


_CONTROL_BYTES: Final = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(head: bytes) -> bool:
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) // 100 + 2


def normalize(text: str) -> str:
    """Full-width → ASCII, exotic spaces → ' ', CR → newline; same length as the input."""
    text = _CR_BEFORE_LF.sub(" ", text).replace("\r", "\n")
    for common, ascii_ in _COMMON_MAPPED:
        text = text.replace(common, ascii_)
    return _MAPPED_RUN.sub(lambda run: run.group().translate(_TABLE), text)
