"""Pre-rendered catalogue: static JSON per cluster and language in the webshop bucket, so that
browsing costs no Lambda call.

Publishing is explicit: the publisher listens to `CatalogueService.save`, which tells it the
clusters a write changed (seeding now, staff edits later). A DynamoDB-stream trigger would also
catch writes that bypass the service, but needs a stream poller in the local stack and would
publish once per item of a batch write instead of once per change.

Layout under `catalogue/`: `<lang>/clusters.json` and `<lang>/<cluster>.json`, and the live
seat counts per cluster, language independent, in `availability/<cluster>.json` (counted by
`chalicelib/inventory/availability.py`, re-published every minute).
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from chalicelib.catalogue.schemas import ClusterReply, HouseReply, PerformanceSummary
from chalicelib.catalogue.service import CatalogueService
from chalicelib.core import aws
from chalicelib.core.clock import to_utc_iso
from chalicelib.core.edge import render
from chalicelib.core.i18n import LANGUAGES

PREFIX = "catalogue"
MAX_AGE_SECONDS = 60  # short: sales status changes; CloudFront honours it
AVAILABILITY_MAX_AGE_SECONDS = 30  # re-published every minute: at most ~1.5 min behind


class StaticSink(Protocol):
    def put_json(self, key: str, document: dict[str, Any], max_age: int) -> None: ...


class AvailabilitySource(Protocol):
    def document(self, cluster_id: str) -> dict[str, Any]: ...


def availability_key(cluster_id: str) -> str:
    return f"{PREFIX}/availability/{cluster_id}.json"


class AvailabilityPublisher:
    """Writes a cluster's live seat counts; the counting is the source's."""

    def __init__(self, source: AvailabilitySource, sink: StaticSink) -> None:
        self.source = source
        self.sink = sink

    def publish(self, cluster_id: str) -> str:
        key = availability_key(cluster_id)
        self.sink.put_json(key, self.source.document(cluster_id), AVAILABILITY_MAX_AGE_SECONDS)
        return key


class CataloguePublisher:
    def __init__(
        self,
        service: CatalogueService,
        sink: StaticSink,
        availability: AvailabilityPublisher | None = None,
    ) -> None:
        self.service = service
        self.sink = sink
        # With the catalogue, so that a cluster's availability file exists from its first
        # publication on, not only after the next scheduled run.
        self.availability = availability

    def catalogue_changed(self, cluster_ids: set[str]) -> None:
        self._publish_index()
        for cluster_id in sorted(cluster_ids):
            self.publish_cluster(cluster_id)
            if self.availability:
                self.availability.publish(cluster_id)

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
                    "cluster": render(ClusterReply.of(cluster, lang)),
                    "houses": [render(HouseReply.of(h, lang)) for h in houses],
                    "performances": [
                        render(PerformanceSummary.of(p, lang, now)) for p in performances
                    ],
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
                "items": [render(ClusterReply.of(c, lang)) for c in clusters],
            }
            self.sink.put_json(key, document, MAX_AGE_SECONDS)
            written.append(key)
        return written


class S3StaticSink:
    def __init__(self, bucket: str) -> None:

        self.bucket = bucket
        self.s3 = aws.client("s3")

    def put_json(self, key: str, document: dict[str, Any], max_age: int) -> None:
        self.s3.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(),
            ContentType="application/json; charset=utf-8",
            CacheControl=f"public, max-age={max_age}",
        )
