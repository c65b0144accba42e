"""Public catalogue routes: read the query, call the service, render the reply. Read-only, no
auth; listings may sit in a CDN for a little while."""

from __future__ import annotations

from chalice.app import Response

from chalicelib.bootstrap import container
from chalicelib.catalogue.schemas import (
    ClusterReply,
    ClustersReply,
    HouseReply,
    HousesReply,
    PerformanceQuery,
    PerformanceReply,
    PerformancesReply,
    PerformanceSummary,
)
from chalicelib.core.edge import Doc, Query
from chalicelib.core.http import ApiBlueprint, read_query, reply, request_language

catalogue = ApiBlueprint(__name__)

LIST_MAX_AGE = 30  # seconds a CDN may keep a listing; availability comes from its own route


@catalogue.route(
    "/v1/clusters",
    methods=["GET"],
    doc=Doc(tag="catalogue", query=Query, response=ClustersReply),
)
def list_clusters() -> Response:
    """The clusters of houses

    Every cluster of houses that sell through the shared webshop, on one page."""
    request = catalogue.current_request
    read_query(request, Query)
    lang = request_language(request)
    items = [ClusterReply.of(c, lang) for c in container().catalogue().clusters()]
    return reply(ClustersReply(items=items), lang=lang, max_age=LIST_MAX_AGE)


@catalogue.route(
    "/v1/clusters/{cluster_id}",
    methods=["GET"],
    doc=Doc(tag="catalogue", query=Query, response=ClusterReply),
)
def get_cluster(cluster_id: str) -> Response:
    """One cluster"""
    request = catalogue.current_request
    read_query(request, Query)
    lang = request_language(request)
    return reply(ClusterReply.of(container().catalogue().cluster(cluster_id), lang), lang=lang)


@catalogue.route(
    "/v1/clusters/{cluster_id}/houses",
    methods=["GET"],
    doc=Doc(tag="catalogue", query=Query, response=HousesReply),
)
def list_houses(cluster_id: str) -> Response:
    """The houses of a cluster"""
    request = catalogue.current_request
    read_query(request, Query)
    lang = request_language(request)
    items = [HouseReply.of(h, lang) for h in container().catalogue().houses(cluster_id)]
    return reply(HousesReply(items=items), lang=lang, max_age=LIST_MAX_AGE)


@catalogue.route(
    "/v1/houses/{house_id}",
    methods=["GET"],
    doc=Doc(tag="catalogue", query=Query, response=HouseReply),
)
def get_house(house_id: str) -> Response:
    """One house"""
    request = catalogue.current_request
    read_query(request, Query)
    lang = request_language(request)
    return reply(HouseReply.of(container().catalogue().house(house_id), lang), lang=lang)


@catalogue.route(
    "/v1/performances",
    methods=["GET"],
    doc=Doc(tag="catalogue", query=PerformanceQuery, response=PerformancesReply),
)
def list_performances() -> Response:
    """Upcoming public performances, filtered and paginated

    By start time. A date in `from` or `to` is that whole day in Brussels; a date-time without
    offset is Brussels time. `next` is the previous page's cursor; an unknown cluster or house
    is a 400 naming the filter."""
    request = catalogue.current_request
    query = read_query(request, PerformanceQuery)
    lang = request_language(request)
    svc = container().catalogue()
    page = svc.performances(query)
    now = svc.clock.now()
    items = [PerformanceSummary.of(p, lang, now) for p in page.items]
    return reply(PerformancesReply(items=items, next=page.next), lang=lang, max_age=LIST_MAX_AGE)


@catalogue.route(
    "/v1/performances/{performance_id}",
    methods=["GET"],
    doc=Doc(tag="catalogue", query=Query, response=PerformanceReply),
)
def get_performance(performance_id: str) -> Response:
    """A performance with its production, house, venue, hall and tariffs

    Drafts are not public: they answer 404, as an unknown id."""
    request = catalogue.current_request
    read_query(request, Query)
    lang = request_language(request)
    svc = container().catalogue()
    detail = svc.performance(performance_id)
    return reply(PerformanceReply.of(detail, lang, svc.clock.now()), lang=lang)
