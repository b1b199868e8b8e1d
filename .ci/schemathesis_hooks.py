"""Schemathesis hooks for the API contract run: each generated request gets a
fresh Idempotency-Key, as a real client sends one per logical request.
Reusing keys (replays, 422 for another body, 409 in flight) is proven by the
Rust tests (`server/tests/api/platform_api.rs`)."""
import uuid

import schemathesis


@schemathesis.hook
def map_headers(context, headers):
    if headers and "Idempotency-Key" in headers:
        headers["Idempotency-Key"] = uuid.uuid4().hex
    return headers
