from datetime import timedelta

import pytest

from chalicelib.catalogue.model import CatalogueSet, Genre, PerformanceStatus
from chalicelib.catalogue.publisher import AvailabilityPublisher, CataloguePublisher
from chalicelib.catalogue.schemas import PerformanceQuery
from chalicelib.catalogue.service import CatalogueService
from chalicelib.core.clock import FixedClock
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from tests import factories as f
from tests.fakes import FakeCatalogueStore, MemorySink

DAY = timedelta(days=1)


@pytest.fixture
def store() -> FakeCatalogueStore:
    store = FakeCatalogueStore()
    store.add(f.cluster("gent"), f.cluster("zender"))
    store.add(f.house("ntgent"), f.house("campo"), f.house("westrand", cluster="zender"))
    day = DAY
    store.add(
        f.performance("a-past", starts_at=f.T0 - day),
        f.performance("b-ntgent", starts_at=f.T0 + 1 * day),
        f.performance("c-campo", starts_at=f.T0 + 2 * day, house="campo", genre=Genre.DANCE),
        f.performance("d-westrand", starts_at=f.T0 + 2 * day, house="westrand", cluster="zender"),
        f.performance("e-draft", starts_at=f.T0 + 3 * day, status=PerformanceStatus.DRAFT),
        f.performance(
            "f-bolero",
            starts_at=f.T0 + 4 * day,
            title={"nl": "Boléro", "fr": "Boléro", "en": "Bolero"},
        ),
        f.performance("g-cancelled", starts_at=f.T0 + 5 * day, status=PerformanceStatus.CANCELLED),
    )
    return store


@pytest.fixture
def service(store) -> CatalogueService:
    return CatalogueService(store, FixedClock(f.T0))


def query(**filters: object) -> PerformanceQuery:
    """The listing's filters by their Python names (the query string's are from, to, q)."""
    wire = {"starts_from": "from", "starts_until": "to", "text": "q"}
    return PerformanceQuery.model_validate({wire.get(k, k): v for k, v in filters.items()})


def ids(page) -> list[str]:
    return [p.id for p in page.items]


def test_lists_public_upcoming_performances_of_all_clusters_in_start_order(service):
    page = service.performances(query())
    # Same start time: ordered by id. Past and draft performances are not listed.
    assert ids(page) == ["b-ntgent", "c-campo", "d-westrand", "f-bolero", "g-cancelled"]
    assert page.next is None


def test_filters(service):
    assert ids(service.performances(query(cluster="zender"))) == ["d-westrand"]
    assert ids(service.performances(query(house="campo"))) == ["c-campo"]
    assert ids(service.performances(query(genre=Genre.DANCE))) == ["c-campo"]
    assert ids(service.performances(query(text="bolero"))) == ["f-bolero"]
    window = query(starts_from=f.T0 + timedelta(days=2), starts_until=f.T0 + timedelta(days=4))
    assert ids(service.performances(window)) == ["c-campo", "d-westrand", "f-bolero"]
    past = query(starts_from=f.T0 - timedelta(days=7), limit=1)
    assert ids(service.performances(past)) == ["a-past"]


def test_house_outside_the_asked_cluster_gives_an_empty_page(service):
    assert ids(service.performances(query(cluster="zender", house="ntgent"))) == []


def test_unknown_cluster_or_house_is_bad_input(service):
    with pytest.raises(Problem) as raised:
        service.performances(query(cluster="antwerpen", house="nobody"))
    assert raised.value.status == 400
    assert sorted(e.field for e in raised.value.errors) == ["cluster", "house"]


def test_pages_walk_every_performance_once_in_order(service):
    seen: list[str] = []
    params: dict[str, str] = {"limit": "2"}
    pages = 0
    while True:
        page = service.performances(parse(PerformanceQuery, params, "query"))
        pages += 1
        seen += ids(page)
        if page.next is None:
            break
        params = {"limit": "2", "next": page.next}
    assert seen == ["b-ntgent", "c-campo", "d-westrand", "f-bolero", "g-cancelled"]
    assert pages == 3


def test_a_page_reads_one_item_past_its_end_and_no_more(store, service):
    service.performances(query(cluster="gent", limit=1))
    assert store.items_read == 2


def test_unknown_ids_are_not_found(service):
    for call, ident in (
        (service.cluster, "antwerpen"),
        (service.house, "nobody"),
        (service.performance, "nothing"),
        (service.houses, "antwerpen"),
        (service.house, "NOT VALID"),
    ):
        with pytest.raises(Problem) as raised:
            call(ident)
        assert raised.value.status == 404


def test_saving_publishes_the_static_catalogue_of_every_changed_cluster(store, service):
    sink = MemorySink()
    service.listeners.append(CataloguePublisher(service, sink))
    service.save(CatalogueSet(performances=(f.performance("h-new", starts_at=f.T0 + DAY),)))
    assert set(sink.files) == {
        f"catalogue/{lang}/{name}.json"
        for lang in ("nl", "fr", "en")
        for name in ("clusters", "gent")
    }
    gent_fr, max_age = sink.files["catalogue/fr/gent.json"]
    assert max_age == 60
    assert gent_fr["lang"] == "fr"
    assert gent_fr["cluster"]["id"] == "gent"
    assert [h["id"] for h in gent_fr["houses"]] == ["campo", "ntgent"]
    assert [p["id"] for p in gent_fr["performances"]] == [
        "b-ntgent",
        "h-new",
        "c-campo",
        "f-bolero",
        "g-cancelled",
    ]
    assert gent_fr["performances"][0]["title"] == "La Tempête"
    clusters_en, _ = sink.files["catalogue/en/clusters.json"]
    assert [c["id"] for c in clusters_en["items"]] == ["gent", "zender"]


def test_a_change_to_a_house_object_republishes_that_house_cluster(store, service):
    sink = MemorySink()
    service.listeners.append(CataloguePublisher(service, sink))
    service.save(CatalogueSet(venues=(f.venue(house="westrand"),)))
    assert "catalogue/nl/zender.json" in sink.files
    assert "catalogue/nl/gent.json" not in sink.files


def test_publishing_a_cluster_publishes_its_availability_with_it(store, service):
    sink = MemorySink()
    counted: list[str] = []

    class Counts:
        def document(self, cluster_id: str) -> dict[str, object]:
            counted.append(cluster_id)
            return {"cluster": cluster_id, "performances": {}}

    availability = AvailabilityPublisher(Counts(), sink)
    service.listeners.append(CataloguePublisher(service, sink, availability))
    service.save(CatalogueSet(houses=(f.house("westrand", cluster="zender"),)))
    service.save(CatalogueSet(performances=(f.performance("h-new", starts_at=f.T0 + DAY),)))
    assert counted == ["zender", "gent"]
    assert sink.files["catalogue/availability/gent.json"] == (
        {"cluster": "gent", "performances": {}},
        30,
    )


def test_saving_checks_performances_against_their_hall(service):
    bad_hall = f.hall(price_zones=(f.hall().price_zones[0],))  # zone-2 is priced but missing
    with pytest.raises(ValueError, match="unknown price zones"):
        service.save(
            CatalogueSet(
                halls=(bad_hall,), productions=(f.production(),), performances=(f.performance(),)
            )
        )


def test_recent_performances_reads_once_within_its_window(monkeypatch):
    from chalicelib.catalogue import store as catalogue_store

    class Counting:
        reads = 0

        def find_performance(self, performance_id):
            Counting.reads += 1
            return None if performance_id == "gone" else performance_id

    moments = iter([0.0, 10.0, 31.0, 31.5])
    monkeypatch.setattr(catalogue_store.time, "monotonic", lambda: next(moments))
    cache = catalogue_store.RecentPerformances(Counting(), seconds=30)  # type: ignore[arg-type]
    assert cache.find_performance("p") == "p"
    assert cache.find_performance("p") == "p"  # 10 s later: remembered
    assert Counting.reads == 1
    assert cache.find_performance("p") == "p"  # 31 s later: read again
    assert cache.find_performance("gone") is None
    assert Counting.reads == 3
