"""LLM work through a provider's batch engine instead of online calls (`govreport batch`).

prepare: the parsers read each document, and every LLM request the online path would send is
    written to JSONL batch files (OpenAI's input format, which DashScope and `vllm run-batch`
    read too), the body byte for byte the online one, `custom_id` its answer cache key.
submit / status: the files uploaded and their batches created and followed, through the openai SDK.
collect: the output (and error) files read back; each answer parsed as an online answer is and
    kept in the answer cache, so that `extract` with the same settings finds it there.
"""
