"""The optional LLM reader, in one place.

    endpoint      which server and model, from flags and the environment (no network)
    session       one run's use of it: per-document deadline, circuit breaker, failures said once
    client        one structured call with retries (the only importer of openai/instructor/tenacity)
    prompting     what is sent: the prompts, the document's excerpt, the answer cache key
    round         one document's round: ask, ground and verify the answer, re-ask once
    local_server  `govreport serve-local`: llama.cpp with Gemma 3 270M

The models the LLM answers in derive from the template (`extract.template.schema`).
"""
