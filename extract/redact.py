"""Credentials kept out of everything written: the store, the messages, the pages.

An API key given on the command line, a URL's user:password, an Authorization header, and
any key-shaped token a server echoes back in an error ('Incorrect API key provided: sk-…')
become `***` before they are stored or said.
"""
from __future__ import annotations

import re
from typing import Final, Iterable, Sequence
from urllib.parse import urlsplit, urlunsplit

MASK: Final = "***"
_SECRET_FLAGS: Final = ("--api-key",)
# Key-shaped tokens (OpenAI's sk-…, bearer tokens), and a URL's userinfo.
_TOKEN: Final = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-*]{6,}|(?i:bearer)\s+[A-Za-z0-9._~+/\-=*]{6,}")
_USERINFO: Final = re.compile(r"(?<=://)[^/\s@]+@")


def redact_url(url: str) -> str:
    """The URL without its user:password."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{MASK}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """A message with every credential in it masked: the secrets given, key-shaped tokens, a
    URL's userinfo."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return _USERINFO.sub(f"{MASK}@", _TOKEN.sub(MASK, text))


def redact_argv(argv: Sequence[str]) -> list[str]:
    """A command line as it may be recorded: the values of secret flags masked, URLs' userinfo too."""
    out: list[str] = []
    hide_next = False
    for arg in argv:
        if hide_next:
            out.append(MASK)
            hide_next = False
            continue
        flag, equals, _ = arg.partition("=")
        if flag in _SECRET_FLAGS:
            if equals:
                out.append(f"{flag}={MASK}")
            else:
                out.append(arg)
                hide_next = True
            continue
        out.append(redact_text(arg))
    return out
