"""JSON as the store keeps it: compact, UTF-8, None as SQL NULL; and text encoded already."""
from __future__ import annotations

import json
from typing import Any, Optional

# An encoder made once: json.dumps with options makes one per call.
encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class JSONText(str):
    """JSON encoded already (in a worker process): stored as it is."""


def dump_json(value: Any) -> Optional[str]:
    """None stays SQL NULL; anything else (dict, list, str, number) is stored as JSON text."""
    if value is None or type(value) is JSONText:
        return value
    return encode_json(value)


def load_json(text: Optional[str]) -> Any:
    return None if text is None else json.loads(text)
