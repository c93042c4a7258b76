"""A provider's batch engine through the openai SDK (`/v1/files`, `/v1/batches`): OpenAI, DashScope's
compatible mode, any server offering them. `submit` uploads each prepared file and creates its
batch, `status` follows them, `collect` downloads what finished and stores it (`collect`). The
store records each file's upload and batch as soon as the provider returns it, so an interrupted
command run again goes on where it stopped; no key is ever stored."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from extract.batch.collect import Collected, collect_files
from extract.batch.files import URL
from extract.errors import GovReportError, UsageError
from extract.llm.client import llm_stack
from extract.output import atomic_output
from extract.redact import redact_text
from extract.store import Store

PREPARED_FILE = re.compile(r"^batch-\d+\.jsonl$")
ENDED = ("completed", "expired", "cancelled", "failed")   # a batch in one of these states changes no more
WINDOW = "24h"


@dataclass(frozen=True)
class BatchEndpoint:
    base_url: Optional[str]
    api_key: str


def batch_endpoint(base_url: Optional[str], api_key: Optional[str],
                   env: Mapping[str, str] = os.environ) -> BatchEndpoint:
    base_url = base_url or env.get("OPENAI_BASE_URL") or None
    api_key = api_key or env.get("OPENAI_API_KEY") or None
    if not base_url and not api_key:
        raise UsageError("no batch endpoint: pass --base-url (or set OPENAI_BASE_URL), or an API key for OpenAI")
    return BatchEndpoint(base_url, api_key or "sk-no-key")


class Provider:
    """The files and batches API of one endpoint; its errors leave as one-line GovReportErrors."""

    def __init__(self, endpoint: BatchEndpoint) -> None:
        self.endpoint = endpoint
        self.client = llm_stack().openai.OpenAI(base_url=endpoint.base_url, api_key=endpoint.api_key, max_retries=2,
                                           timeout=600)

    def call(self, what: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except llm_stack().openai.APIError as exc:
            text = redact_text(" ".join(str(exc).split())[:300], [self.endpoint.api_key])
            raise GovReportError(f"{what}: {type(exc).__name__}: {text}") from None


def prepared_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}")
    return sorted(p for p in folder.iterdir() if PREPARED_FILE.match(p.name))


def submit(folder: Path, store: Store, provider: Provider) -> list[tuple[str, dict]]:
    """Each prepared file of `folder` uploaded and its batch created, once: (file, its batch) each."""
    client, out = provider.client, []
    for path in prepared_files(folder):
        where = str(path.resolve())
        known = store.batch_of(where) or {}
        if not known.get("file_id"):
            uploaded = provider.call(f"upload {path.name}", client.files.create, file=(path.name, path.read_bytes()),
                                     purpose="batch")
            store.save_batch(where, file_id=uploaded.id)
            known = store.batch_of(where) or {}
        if not known.get("batch_id"):
            batch = provider.call(f"create the batch of {path.name}", client.batches.create,
                                  input_file_id=known["file_id"], endpoint=URL, completion_window=WINDOW)
            store.save_batch(where, batch_id=batch.id, state=batch.status, counts=_counts(batch))
        out.append((where, store.batch_of(where) or {}))
    return out


def refresh(store: Store, provider: Provider) -> list[tuple[str, dict, Any]]:
    """Every batch of the store not collected yet, asked for its state: (file, record, batch) each."""
    out = []
    for where, known in store.batches():
        if not known.get("batch_id") or known.get("state") == "collected":
            continue
        batch = provider.call(f"ask for batch {known['batch_id']}", provider.client.batches.retrieve, known["batch_id"])
        store.save_batch(where, state=batch.status, counts=_counts(batch))
        out.append((where, store.batch_of(where) or {}, batch))
    return out


def collect_remote(store: Store, provider: Provider) -> tuple[Collected, list[str]]:
    """The output and error files of every ended batch, downloaded beside their prepared file and
    stored; a batch that ended without answering some requests (expired, cancelled, failed) leaves
    them failed, for the next prepare. What was collected, and the batches still running."""
    total, running = Collected(), []
    for where, known, batch in refresh(store, provider):
        if batch.status not in ENDED:
            running.append(f"{Path(where).name}: {batch.status}")
            continue
        downloaded = []
        for file_id, suffix in ((getattr(batch, "output_file_id", None), ".out.jsonl"),
                                (getattr(batch, "error_file_id", None), ".err.jsonl")):
            if file_id:
                content = provider.call(f"download {file_id}", provider.client.files.content, file_id)
                target = Path(where).with_suffix(suffix)
                with atomic_output(target) as out:   # JSONL: UTF-8 by the format's rule
                    out.write(content.content.decode("utf-8", errors="replace"))
                downloaded.append(target)
        done = collect_files(downloaded, store)
        if batch.status != "completed":
            left = store.file_failed(where, f"the batch ended {batch.status}")
            if left:
                done.fail(f"the batch ended {batch.status}", left)
        store.save_batch(where, state="collected")
        total.merge(done)
    return total, running


def _counts(batch: Any) -> Optional[dict]:
    counts = getattr(batch, "request_counts", None)
    return None if counts is None else {k: int(getattr(counts, k, 0) or 0) for k in ("total", "completed", "failed")}
