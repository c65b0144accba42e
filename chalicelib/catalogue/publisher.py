"""Pre-rendered catalogue: static JSON per cluster and language in the webshop bucket, so that
browsing costs no Lambda call.

Publishing is explicit: the publisher listens to `CatalogueService.save`, which tells it the
clusters a write changed (seeding now, staff edits later). A DynamoDB-stream trigger would also
catch writes that bypass the service, but needs a stream poller in the local stack and would
publish once per item of a batch write instead of once per change.

Layout under `catalogue/`: `<lang>/clusters.json` and `<lang>/<cluster>.json`.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from chalicelib.catalogue.service import CatalogueService
from chalicelib.catalogue.views import cluster_view, house_view, performance_summary
from chalicelib.core.clock import to_utc_iso
from chalicelib.core.i18n import LANGUAGES

PREFIX = "catalogue"
MAX_AGE_SECONDS = 60  # short: sales status changes; CloudFront honours it


class StaticSink(Protocol):
    def put_json(self, key: str, document: dict[str, Any], max_age: int) -> None: ...


class CataloguePublisher:
    def __init__(self, service: CatalogueService, sink: StaticSink) -> None:
        self.service = service
        self.sink = sink

    def catalogue_changed(self, cluster_ids: set[str]) -> None:
        self._publish_index()
        for cluster_id in sorted(cluster_ids):
            self.publish_cluster(cluster_id)

    def publish_cluster(self, cluster_id: str) -> list[str]:
        cluster = self.service.cluster(cluster_id)
        houses = self.service.houses(cluster_id)
        performances = self.service.upcoming(cluster_id)
        now = self.service.clock.now()
        written = []
        for lang in LANGUAGES:
            key = f"{PREFIX}/{lang}/{cluster_id}.json"
            self.sink.put_json(
                key,
                {
                    "generated_at": to_utc_iso(now),
                    "lang": lang,
                    "cluster": cluster_view(cluster, lang),
                    "houses": [house_view(h, lang) for h in houses],
                    "performances": [performance_summary(p, lang, now) for p in performances],
                },
                MAX_AGE_SECONDS,
            )
            written.append(key)
        return written

    def _publish_index(self) -> list[str]:
        clusters = self.service.clusters()
        now = self.service.clock.now()
        written = []
        for lang in LANGUAGES:
            key = f"{PREFIX}/{lang}/clusters.json"
            document = {
                "generated_at": to_utc_iso(now),
                "lang": lang,
                "items": [cluster_view(c, lang) for c in clusters],
            }
            self.sink.put_json(key, document, MAX_AGE_SECONDS)
            written.append(key)
        return written


class S3StaticSink:
    def __init__(self, bucket: str) -> None:
        import boto3

        self.bucket = bucket
        self.s3 = boto3.client("s3")

    def put_json(self, key: str, document: dict[str, Any], max_age: int) -> None:
        self.s3.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(),
            ContentType="application/json; charset=utf-8",
            CacheControl=f"public, max-age={max_age}",
        )
