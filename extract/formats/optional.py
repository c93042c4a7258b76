"""The optional libraries that read file formats (lxml, pdfplumber, python-docx): loaded when a
file of their kind is read, or a one-line hint at how to install them."""
from __future__ import annotations

import importlib
from types import ModuleType

from extract.errors import InputError


def need(module: str, extra: str, what: str) -> ModuleType:
    """Import an optional library, or say in one line how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise InputError(f"{what}: needs the {module.split('.')[0]} library; install it with "
                         f"pip install 'govreport[{extra}]'") from exc
