"""Talking to HubSpot: the imports, properties and schemas endpoints.

    connection.py  where and how: base URL, API version (v3 | 2026-03 | 2026-09), the token
                   (from HUBSPOT_ACCESS_TOKEN only, held in a `Secret`), timeouts
    retry.py       capped exponential backoff with jitter; Retry-After; poll intervals
    client.py      HubSpotClient on httpx: retried GETs, paging, one upload attempt at a time
    settings.py    timeouts, retries and polling as the environment tunes them (SPECC_*)
    runner.py      start_import (never two imports for one command), wait_for_import
    workflow.py    the import workflow: prepare (lint, compile, the upload), run_import
                   (upload, adopt, wait, row errors as diagnostics), a past import's errors
    upload.py      what an upload sends, shared by the client, `emit` and the plan
    errors.py      HubSpot's error answers, parsed leniently, with what to do
    row_errors.py  `GET /imports/{id}/errors` mapped back to file, line, column and spec
    emit.py        the upload as curl, httpie, a Python script, or the request itself
    catalog_pull.py  the account's properties and custom objects as a catalog snapshot

Nothing here prints: progress and retries reach the caller as events (events.py). httpx is
imported only when a client is made.
"""
