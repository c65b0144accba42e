"""The local HTTP front door on one origin, as CloudFront is in AWS:

- `/v1/...`      the Chalice app, through Chalice's own local gateway (same handlers as Lambda)
- `/catalogue/…` the pre-rendered catalogue JSON, read from the webshop bucket
- anything else  the static webshop from `webshop/`
"""

from __future__ import annotations

import mimetypes
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from chalice.config import Config
from chalice.local import (
    ChaliceRequestHandler,
    CustomLocalChalice,
    LocalChalice,
    ThreadedHTTPServer,
)

from chalicelib.core.config import settings

WEBSHOP_DIR = Path(__file__).resolve().parent.parent / "webshop"
CATALOGUE_PREFIX = "/catalogue/"


class PodiumRequestHandler(ChaliceRequestHandler):
    def _generic_handle(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith("/v1/") or path == "/v1":
            super()._generic_handle()
        elif self.command not in ("GET", "HEAD"):
            self._send_plain(405, b"Method not allowed")
        elif path.startswith(CATALOGUE_PREFIX):
            self._send_catalogue(path)
        else:
            self._send_static(path)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _generic_handle

    def _send_catalogue(self, path: str) -> None:
        import boto3

        s3 = boto3.client("s3")
        try:
            obj = s3.get_object(Bucket=settings().webshop_bucket, Key=path.lstrip("/"))
        except s3.exceptions.NoSuchKey:
            self._send_plain(404, b"Not found")
            return
        headers = {"Content-Type": obj["ContentType"]}
        if obj.get("CacheControl"):
            headers["Cache-Control"] = obj["CacheControl"]
        self._send_http_response(200, headers, obj["Body"].read())

    def _send_static(self, path: str) -> None:
        relative = unquote(path).lstrip("/") or "index.html"
        target = (WEBSHOP_DIR / relative).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(WEBSHOP_DIR) or not target.is_file():
            self._send_plain(404, b"Not found")
            return
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type == "application/javascript":
            content_type += "; charset=utf-8"
        self._send_http_response(200, {"Content-Type": content_type}, target.read_bytes())

    def _send_plain(self, status: int, body: bytes) -> None:
        self._send_http_response(status, {"Content-Type": "text/plain; charset=utf-8"}, body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the demo prints its own summary; per-request lines drown it


def make_server(app: Any, host: str, port: int) -> ThreadedHTTPServer:
    """A threaded server over the app. Chalice's LocalChalice keeps `current_request` per
    thread, so concurrent requests do not see each other's request."""
    if not isinstance(app, LocalChalice):  # once per process: a second server reuses it
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
    config = Config.create(chalice_stage="dev", app_name="podium", lambda_timeout=30)
    handler = partial(PodiumRequestHandler, app_object=app, config=config)
    return ThreadedHTTPServer((host, port), handler)
