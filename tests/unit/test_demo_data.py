"""The demo catalogue is valid domain data, consistent across references and always upcoming."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest

from chalicelib.catalogue.model import (
    Genre,
    HallLayout,
    HouseType,
    Performance,
    PerformanceStatus,
    SalesState,
)
from chalicelib.core.clock import BRUSSELS
from chalicelib.core.i18n import LANGUAGES, LocalizedText
from chalicelib.store.keys import is_valid_id
from local.demo.data import DemoCatalogue, build_demo
from local.demo.seatmaps import seat_map_id

TODAY = date(2026, 11, 28)
# Around both daylight-saving switches and a leap day, so local times are checked across them.
OTHER_DAYS = (date(2026, 3, 20), date(2026, 10, 20), date(2028, 2, 10))

EXPECTED_HOUSES: dict[str, set[str]] = {
    "gent": {
        "handelsbeurs",
        "compagnie-cecilia",
        "kopergietery",
        "ntgent",
        "tickets-gent",
        "uitbureau-gent",
        "campo",
        "festival-van-vlaanderen-gent",
        "miramiro",
    },
    "zuidwest": {
        "cc-kortrijk",
        "cc-wevelgem",
        "zuidwest",
        "bolwerk",
        "cc-de-steiger",
        "gc-diefte",
        "next-festival",
        "theater-antigone",
    },
    "zender": {"cc-t-vondel", "de-rand", "westrand", "cc-coloma", "cc-de-meent"},
}


@pytest.fixture(scope="module")
def demo() -> DemoCatalogue:
    return build_demo(TODAY)


def local_date(moment: datetime) -> date:
    return moment.astimezone(BRUSSELS).date()


def texts(demo: DemoCatalogue) -> Iterator[tuple[str, LocalizedText]]:
    for cluster in demo.clusters:
        yield f"cluster {cluster.id}", cluster.description
    for house in demo.houses:
        yield f"house {house.id}", house.description
    for venue in demo.venues:
        yield f"venue {venue.id}", venue.accessibility
    for hall in demo.halls:
        for zone in hall.price_zones:
            yield f"hall {hall.id} zone {zone.id}", zone.name
    for production in demo.productions:
        yield f"production {production.id} title", production.title
        yield f"production {production.id} description", production.description
        for image in production.images:
            yield f"production {production.id} image", image.alt
    for performance in demo.performances:
        yield f"performance {performance.id} title", performance.title
        for tariff in performance.tariffs:
            yield f"performance {performance.id} tariff {tariff.id}", tariff.name


def test_build_is_deterministic(demo: DemoCatalogue) -> None:
    assert build_demo(TODAY) == demo


@pytest.mark.parametrize("other_day", OTHER_DAYS)
def test_ids_do_not_depend_on_the_date(demo: DemoCatalogue, other_day: date) -> None:
    other = build_demo(other_day)
    for name in ("clusters", "houses", "venues", "halls", "productions", "performances"):
        assert [item.id for item in getattr(other, name)] == [
            item.id for item in getattr(demo, name)
        ]


def test_ids_are_valid_and_unique(demo: DemoCatalogue) -> None:
    collections = {
        "clusters": demo.clusters,
        "houses": demo.houses,
        "venues": demo.venues,
        "halls": demo.halls,
        "productions": demo.productions,
        "performances": demo.performances,
    }
    for name, items in collections.items():
        ids = [item.id for item in items]
        assert all(is_valid_id(item_id) for item_id in ids), name
        duplicates = [item_id for item_id, count in Counter(ids).items() if count > 1]
        assert not duplicates, (name, duplicates)
    for hall in demo.halls:
        zone_ids = [zone.id for zone in hall.price_zones]
        assert all(is_valid_id(zone_id) for zone_id in zone_ids)
        assert len(set(zone_ids)) == len(zone_ids), hall.id
        assert len({zone.rank for zone in hall.price_zones}) == len(zone_ids), hall.id
    for performance in demo.performances:
        tariff_ids = [tariff.id for tariff in performance.tariffs]
        assert all(is_valid_id(tariff_id) for tariff_id in tariff_ids)
        assert len(set(tariff_ids)) == len(tariff_ids), performance.id


def test_every_reference_resolves(demo: DemoCatalogue) -> None:
    clusters = {cluster.id for cluster in demo.clusters}
    houses = {house.id: house for house in demo.houses}
    venues = {venue.id: venue for venue in demo.venues}
    halls = {hall.id: hall for hall in demo.halls}
    productions = {production.id: production for production in demo.productions}

    assert all(house.cluster in clusters for house in demo.houses)
    assert all(venue.house in houses for venue in demo.venues)
    for hall in demo.halls:
        assert hall.venue in venues, hall.id
        assert venues[hall.venue].house == hall.house, hall.id
    assert all(production.house in houses for production in demo.productions)
    for performance in demo.performances:
        production = productions[performance.production]
        hall = halls[performance.hall]
        assert performance.house == production.house == hall.house, performance.id
        assert performance.venue == hall.venue, performance.id
        assert performance.cluster == houses[performance.house].cluster, performance.id
        assert performance.title == production.title, performance.id
        assert performance.genre is production.genre, performance.id


def test_every_performance_fits_its_hall_and_production(demo: DemoCatalogue) -> None:
    halls = {hall.id: hall for hall in demo.halls}
    productions = {production.id: production for production in demo.productions}
    for performance in demo.performances:
        hall = halls[performance.hall]
        performance.check_against(hall, productions[performance.production])
        zones = {zone.id for zone in hall.price_zones}
        assert performance.tariffs, performance.id
        for tariff in performance.tariffs:
            assert set(tariff.prices) == zones, (performance.id, tariff.id)


def test_presenting_houses_have_halls_and_productions(demo: DemoCatalogue) -> None:
    with_halls = {hall.house for hall in demo.halls}
    with_productions = {production.house for production in demo.productions}
    partners = {house.id for house in demo.houses if house.type is HouseType.PARTNER}
    assert with_halls == with_productions
    assert not with_halls & partners
    assert {house.id for house in demo.houses} == with_halls | partners


@pytest.mark.parametrize("today", (TODAY, *OTHER_DAYS))
def test_performances_fill_the_next_months(today: date) -> None:
    demo = build_demo(today)
    upcoming = [
        performance
        for performance in demo.performances
        if today < local_date(performance.starts_at) <= today + timedelta(days=150)
    ]
    assert len(upcoming) == len(demo.performances) >= 60
    per_cluster = Counter(performance.cluster for performance in upcoming)
    assert all(per_cluster[cluster.id] >= 25 for cluster in demo.clusters), per_cluster
    first = min(local_date(performance.starts_at) for performance in upcoming)
    assert today + timedelta(days=2) <= first <= today + timedelta(days=7)


@pytest.mark.parametrize("today", (TODAY, *OTHER_DAYS))
def test_times_are_aware_and_local_times_plausible(today: date) -> None:
    for performance in build_demo(today).performances:
        for moment in (
            performance.starts_at,
            performance.ends_at,
            performance.sales_opens_at,
            performance.sales_closes_at,
        ):
            assert moment.tzinfo is not None, performance.id
        starts = performance.starts_at.astimezone(BRUSSELS).time()
        assert time(14, 0) <= starts <= time(22, 0), (performance.id, starts)
        assert performance.sales_closes_at <= performance.starts_at, performance.id


def test_a_hall_is_never_double_booked(demo: DemoCatalogue) -> None:
    by_hall: dict[str, list[Performance]] = defaultdict(list)
    for performance in demo.performances:
        by_hall[performance.hall].append(performance)
    for performances in by_hall.values():
        ordered = sorted(performances, key=lambda performance: performance.starts_at)
        for before, after in pairwise(ordered):
            assert before.ends_at <= after.starts_at, (before.id, after.id)


def test_statuses_and_sales_states_show_every_case(demo: DemoCatalogue) -> None:
    statuses = Counter(performance.status for performance in demo.performances)
    assert statuses[PerformanceStatus.SOLD_OUT] >= 3
    assert 1 <= statuses[PerformanceStatus.CANCELLED] <= 2
    assert 1 <= statuses[PerformanceStatus.DRAFT] <= 2
    assert statuses[PerformanceStatus.ON_SALE] > len(demo.performances) * 0.8

    now = datetime.combine(TODAY, time(12, 0), tzinfo=BRUSSELS)
    states = Counter(performance.sales_state(now) for performance in demo.performances)
    assert states[SalesState.ON_SALE] > len(demo.performances) / 2
    assert any(
        performance.status is PerformanceStatus.ON_SALE and performance.sales_opens_at > now
        for performance in demo.performances
    )


def test_every_text_is_in_dutch_french_and_english(demo: DemoCatalogue) -> None:
    for where, text in texts(demo):
        assert set(text) == set(LANGUAGES), where
        assert all(value.strip() for value in text.values()), where


def test_every_genre_is_used(demo: DemoCatalogue) -> None:
    assert {production.genre for production in demo.productions} == set(Genre)


def test_productions_look_like_productions(demo: DemoCatalogue) -> None:
    assert len(demo.productions) >= 40
    for production in demo.productions:
        assert production.id.startswith(f"{production.house}-"), production.id
        assert 45 <= production.duration_minutes <= 180, production.id
        assert 1 <= len(production.images) <= 2, production.id
        for image in production.images:
            assert image.url == f"/img/placeholder/{production.genre.value}.svg"
        assert production.age_advice in (None, 6, 8, 12, 16), production.id
    assert any(not production.languages for production in demo.productions)
    spoken = [production.languages for production in demo.productions if production.languages]
    assert any("nl" not in languages for languages in spoken)


def test_tariffs_are_realistic(demo: DemoCatalogue) -> None:
    for performance in demo.performances:
        tariffs = {tariff.id: tariff for tariff in performance.tariffs}
        standard = tariffs["standaard"].prices
        # Youth shows are cheap and their cheapest zone cheaper still; the big houses top out.
        assert 800 <= max(standard.values()) <= 4200, performance.id
        assert min(standard.values()) >= 500, performance.id
        assert "kansentarief" in tariffs, performance.id
        assert tariffs["kansentarief"].conditions.proof_required
        for tariff in performance.tariffs:
            assert all(cents % 50 == 0 for cents in tariff.prices.values()), performance.id
            assert all(tariff.prices[zone] <= standard[zone] for zone in standard), (
                performance.id,
                tariff.id,
            )
    youth = [p for p in demo.performances if p.genre is Genre.YOUTH]
    assert youth and all("kind" in {tariff.id for tariff in p.tariffs} for p in youth)


def test_the_hall_set_covers_every_kind_of_room(demo: DemoCatalogue) -> None:
    seated = [hall for hall in demo.halls if hall.layout is HallLayout.SEATED]
    assert any(hall.capacity >= 650 and len(hall.price_zones) >= 3 for hall in seated)
    assert any(200 <= hall.capacity <= 300 for hall in seated)
    assert any(hall.capacity <= 120 for hall in seated)
    assert any(hall.layout is HallLayout.STANDING for hall in demo.halls)
    assert any(hall.layout is HallLayout.MIXED for hall in demo.halls)
    assert all(hall.seat_map == seat_map_id(hall.id) for hall in demo.halls)


def test_all_listed_houses_exist_in_their_cluster(demo: DemoCatalogue) -> None:
    assert {cluster.id for cluster in demo.clusters} == set(EXPECTED_HOUSES)
    actual: dict[str, set[str]] = defaultdict(set)
    for house in demo.houses:
        actual[house.cluster].add(house.id)
    assert actual == EXPECTED_HOUSES
    assert sum(len(ids) for ids in EXPECTED_HOUSES.values()) == 22


def test_every_demo_image_is_a_file_the_webshop_serves(demo: DemoCatalogue) -> None:
    from pathlib import Path

    webshop = Path(__file__).resolve().parents[2] / "webshop"
    urls = {image.url for production in demo.productions for image in production.images}
    assert urls
    assert all((webshop / url.lstrip("/")).is_file() for url in urls), urls
