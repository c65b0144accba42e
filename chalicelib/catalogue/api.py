"""Public catalogue routes: parse, call the service, render. Read-only, no auth."""

from __future__ import annotations

from chalice.app import Response

from chalicelib.bootstrap import container
from chalicelib.catalogue.query import parse_performance_query
from chalicelib.catalogue.views import (
    cluster_view,
    house_view,
    performance_detail,
    performance_summary,
)
from chalicelib.core.http import (
    ApiBlueprint,
    json_response,
    language_only,
    query_params,
    request_language,
)

catalogue = ApiBlueprint(__name__)

LIST_MAX_AGE = 30  # seconds a CDN may keep a listing; availability comes from its own route


@catalogue.route("/v1/clusters", methods=["GET"])
def list_clusters() -> Response:
    lang = language_only(catalogue.current_request)
    items = [cluster_view(c, lang) for c in container().catalogue().clusters()]
    return json_response({"items": items, "next": None}, lang=lang, max_age=LIST_MAX_AGE)


@catalogue.route("/v1/clusters/{cluster_id}", methods=["GET"])
def get_cluster(cluster_id: str) -> Response:
    lang = language_only(catalogue.current_request)
    return json_response(cluster_view(container().catalogue().cluster(cluster_id), lang), lang=lang)


@catalogue.route("/v1/clusters/{cluster_id}/houses", methods=["GET"])
def list_houses(cluster_id: str) -> Response:
    lang = language_only(catalogue.current_request)
    items = [house_view(h, lang) for h in container().catalogue().houses(cluster_id)]
    return json_response({"items": items, "next": None}, lang=lang, max_age=LIST_MAX_AGE)


@catalogue.route("/v1/houses/{house_id}", methods=["GET"])
def get_house(house_id: str) -> Response:
    lang = language_only(catalogue.current_request)
    return json_response(house_view(container().catalogue().house(house_id), lang), lang=lang)


@catalogue.route("/v1/performances", methods=["GET"])
def list_performances() -> Response:
    query = parse_performance_query(query_params(catalogue.current_request))
    lang = request_language(catalogue.current_request)
    svc = container().catalogue()
    page = svc.performances(query)
    now = svc.clock.now()
    body = {
        "items": [performance_summary(p, lang, now) for p in page.items],
        "next": page.next,
    }
    return json_response(body, lang=lang, max_age=LIST_MAX_AGE)


@catalogue.route("/v1/performances/{performance_id}", methods=["GET"])
def get_performance(performance_id: str) -> Response:
    lang = language_only(catalogue.current_request)
    svc = container().catalogue()
    detail = svc.performance(performance_id)
    return json_response(performance_detail(detail, lang, svc.clock.now()), lang=lang)
