"""The human API reference (/api/): Swagger UI from our own origin renders the API's generated
description (/v1/openapi.json), so every operation a developer can call is listed with its
summary, and nothing is fetched from another origin (no CDN)."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import get_json


def test_the_api_reference_lists_every_operation_from_our_origin(page: Any, site: str) -> None:
    status, spec = get_json(site, "/v1/openapi.json")
    assert status == 200
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/api/")
    page.wait_for_selector(".opblock-summary")
    shown = page.locator(".opblock-summary-path").all_inner_texts()
    paths = {path.replace("\u200b", "") for path in shown}
    assert paths == set(spec["paths"]), set(spec["paths"]) ^ paths
    summary = spec["paths"]["/v1/scan/checkins"]["post"]["summary"]
    assert page.get_by_text(summary).count() >= 1
    assert not page.foreign_requests, page.foreign_requests
    assert not errors, errors
