"""The local HTTP front door on one origin, as CloudFront is in AWS:

- `/v1/...`      the Chalice app, through Chalice's own local gateway (same handlers as Lambda)
- `/catalogue/…` the pre-rendered catalogue JSON, read from the webshop bucket
- `/_local/staff-tokens`  POST: a staff user signed in on the local Cognito (`podium token`);
                  the local front door only, never in AWS
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
STAFF_TOKENS = "/_local/staff-tokens"


class PodiumRequestHandler(ChaliceRequestHandler):
    def _generic_handle(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith("/v1/") or path == "/v1":
            super()._generic_handle()
        elif path == STAFF_TOKENS and self.command == "POST":
            self._send_staff_token()
        elif self.command not in ("GET", "HEAD"):
            self._send_plain(405, b"Method not allowed")
        elif path.startswith(CATALOGUE_PREFIX):
            self._send_catalogue(path)
        elif path == "/outbox":
            self._send_html(outbox_page())
        else:
            self._send_static(path)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _generic_handle

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, QUERY, made-up ones) reaches the app too, which answers 405
        # as API Gateway does, instead of http.server's bare 501 page.
        if name.startswith("do_"):
            return self._generic_handle
        raise AttributeError(name)

    def _send_catalogue(self, path: str) -> None:
        import boto3

        s3 = boto3.client("s3")
        try:
            obj = s3.get_object(Bucket=settings().webshop_bucket, Key=path.lstrip("/"))
        except s3.exceptions.NoSuchKey:
            self._send_plain(404, b"Not found")
            return
        # Public, read-only JSON: the widget reads it from the houses' own sites (CloudFront
        # sends the same header in AWS).
        headers = {"Content-Type": obj["ContentType"], "Access-Control-Allow-Origin": "*"}
        if obj.get("CacheControl"):
            headers["Cache-Control"] = obj["CacheControl"]
        self._send_http_response(200, headers, obj["Body"].read())

    def _send_staff_token(self) -> None:
        """{"memberships": [{"role", "house"|"cluster"}], "username"?} → {"access_token"}."""
        import json
        import os

        from chalicelib.admin.model import Membership, Role
        from local.staff import staff_token

        length = int(self.headers.get("Content-Length") or 0)
        try:
            asked = json.loads(self.rfile.read(length) or b"{}")
            memberships = [
                Membership(Role(m["role"]), house=m.get("house"), cluster=m.get("cluster"))
                for m in asked["memberships"]
            ]
        except (ValueError, KeyError, TypeError) as error:
            self._send_plain(400, f"bad request: {error}".encode())
            return
        token = staff_token(
            os.environ["PODIUM_STAFF_POOL_ID"],
            os.environ["PODIUM_STAFF_CLIENT_ID"],
            memberships,
            asked.get("username"),
        )
        body = json.dumps({"access_token": token}).encode()
        self._send_http_response(200, {"Content-Type": "application/json"}, body)

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

    def _send_html(self, page: str) -> None:
        self._send_http_response(200, {"Content-Type": "text/html; charset=utf-8"}, page.encode())

    def _send_plain(self, status: int, body: bytes) -> None:
        self._send_http_response(status, {"Content-Type": "text/plain; charset=utf-8"}, body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the demo prints its own summary; per-request lines drown it


class PodiumHTTPServer(ThreadedHTTPServer):
    # socketserver's default backlog is 5: an on-sale burst (bench/onsale.py, 48 requests in
    # flight) overflowed it, and a refused connection is retried by the client after a second
    # or more. The kernel caps it at net.core.somaxconn anyway.
    request_queue_size = 128


def make_server(app: Any, host: str, port: int) -> ThreadedHTTPServer:
    """A threaded server over the app. Chalice's LocalChalice keeps `current_request` per
    thread, so concurrent requests do not see each other's request."""
    if not isinstance(app, LocalChalice):  # once per process: a second server reuses it
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
    config = Config.create(chalice_stage="dev", app_name="podium", lambda_timeout=30)
    handler = partial(PodiumRequestHandler, app_object=app, config=config)
    return PodiumHTTPServer((host, port), handler)


def outbox_page() -> str:
    """The mails SES would have sent: moto keeps them, and the demo shows them here."""
    from html import escape

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID][settings().region]
    mails = []
    for message in reversed(backend.sent_messages):
        to = ", ".join(address for group in message.destinations.values() for address in group)
        subject, content = escape(message.subject or ""), escape(message.body or "")
        mails.append(
            f"<article><h2>{subject}</h2>"
            f"<p>Aan / To: {escape(to)} · Van / From: {escape(message.source)}</p>"
            f'<iframe title="{subject}" srcdoc="{content}"></iframe></article>'
        )
    body = "".join(mails) or "<p>Nog geen mails. / No mail yet.</p>"
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Podium — outbox (lokaal)</title><style>body{font-family:system-ui;margin:1rem auto;"
        "max-width:50rem}article{border:1px solid #ccc;border-radius:.5rem;padding:1rem;"
        "margin:1rem 0}iframe{width:100%;height:22rem;border:0}</style></head><body>"
        f"<h1>Outbox ({len(mails)})</h1>{body}</body></html>"
    )
