"""The demo catalogue: three clusters of Flemish performing-arts houses and their next months.

Houses, venues and addresses are modelled on real organisations so the demo feels familiar
(details may be approximate); every production, artist, performance and price is invented.
Websites point at example.org on purpose: a demo must never send a visitor to a real box office.

`build_demo(today)` is pure: ids are fixed strings, only the dates move with `today`, so seeding
the demo twice on the same day writes identical items and seeding it tomorrow updates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from chalicelib.catalogue.model import (
    CatalogueSet,
    Cluster,
    Genre,
    Hall,
    HallLayout,
    House,
    HouseType,
    Image,
    Performance,
    PerformanceStatus,
    PriceZone,
    Production,
    Tariff,
    TariffConditions,
    Venue,
)
from chalicelib.core.clock import BRUSSELS
from chalicelib.core.i18n import LocalizedText
from local.demo.seatmaps import seat_map_id

__all__ = ["DemoCatalogue", "build_demo"]


DemoCatalogue = CatalogueSet  # the demo is one set of catalogue objects, seeded at once


def _t(nl: str, fr: str, en: str) -> LocalizedText:
    """Texts below are wrapped to fit the source line length; collapse that wrapping."""
    return {"nl": " ".join(nl.split()), "fr": " ".join(fr.split()), "en": " ".join(en.split())}


# --- clusters -------------------------------------------------------------------------------

_CLUSTERS: tuple[Cluster, ...] = (
    Cluster(
        id="gent",
        name="Gent",
        region="Oost-Vlaanderen",
        description=_t(
            """De Gentse podiumhuizen, van stadstheater tot circustent, delen één agenda en één
            ticketbalie.""",
            """Les maisons des arts de la scène gantoises, du théâtre municipal au chapiteau,
            partagent un agenda et une billetterie.""",
            """Ghent's performing-arts houses, from the city theatre to the big top, share one
            listings calendar and one box office.""",
        ),
    ),
    Cluster(
        id="zuidwest",
        name="Zuidwest",
        region="West-Vlaanderen (Kortrijk en omgeving)",
        description=_t(
            """Cultuurcentra en kunstenhuizen in Kortrijk en de buurgemeenten programmeren samen
            voor Zuid-West-Vlaanderen.""",
            """Les centres culturels et maisons des arts de Courtrai et des communes voisines
            programment ensemble pour le sud-ouest de la Flandre.""",
            """Cultural centres and arts houses in Kortrijk and neighbouring towns programme
            together for South-West Flanders.""",
        ),
    ),
    Cluster(
        id="zender",
        name="Zender",
        region="Vlaams-Brabant (Noordwestrand Brussel)",
        description=_t(
            """Cultuurcentra in de Vlaamse rand rond Brussel, samen met vzw De Rand:
            Nederlandstalige cultuur voor een meertalig publiek.""",
            """Les centres culturels de la périphérie flamande de Bruxelles, avec l'asbl De Rand :
            une culture en néerlandais pour un public multilingue.""",
            """Cultural centres in the Flemish ring around Brussels, together with De Rand:
            Dutch-language culture for a multilingual audience.""",
        ),
    ),
)


# --- houses ---------------------------------------------------------------------------------

_CC = HouseType.CULTUURCENTRUM
_GC = HouseType.GEMEENSCHAPSCENTRUM
_KO = HouseType.KUNSTENORGANISATIE
_PA = HouseType.PARTNER

# (id, cluster, name, type, city, description)
_HOUSES: tuple[tuple[str, str, str, HouseType, str, LocalizedText], ...] = (
    (
        "handelsbeurs",
        "gent",
        "Handelsbeurs Concertzaal",
        _KO,
        "Gent",
        _t(
            "Concertzaal aan de Kouter voor folk, jazz, wereldmuziek en singer-songwriters.",
            """Salle de concert sur le Kouter pour le folk, le jazz, les musiques du monde et les
            auteurs-compositeurs.""",
            "Concert hall on the Kouter for folk, jazz, world music and singer-songwriters.",
        ),
    ),
    (
        "compagnie-cecilia",
        "gent",
        "Compagnie Cecilia",
        _KO,
        "Gent",
        _t(
            "Theatergezelschap dat met humor en zwaarte verhalen over gewone mensen vertelt.",
            """Compagnie de théâtre qui raconte, avec humour et gravité, des histoires de gens
            ordinaires.""",
            "Theatre company telling stories about ordinary people, with humour and weight.",
        ),
    ),
    (
        "kopergietery",
        "gent",
        "KOPERGIETERY",
        _KO,
        "Gent",
        _t(
            """Theaterhuis voor jong en oud: voorstellingen voor kinderen, jongeren en hun
            families.""",
            """Maison de théâtre pour petits et grands : des spectacles pour enfants, adolescents
            et familles.""",
            "Theatre house for young and old: shows for children, teenagers and their families.",
        ),
    ),
    (
        "ntgent",
        "gent",
        "NTGent",
        _KO,
        "Gent",
        _t(
            """Stadstheater van Gent met een eigen ensemble, thuis in de Schouwburg aan het
            Sint-Baafsplein.""",
            """Théâtre municipal de Gand avec sa propre troupe, installé au Schouwburg de la place
            Saint-Bavon.""",
            """Ghent's city theatre with its own ensemble, at home in the Schouwburg on
            Sint-Baafsplein.""",
        ),
    ),
    (
        "tickets-gent",
        "gent",
        "Tickets Gent",
        _PA,
        "Gent",
        _t(
            "Centrale ticketbalie voor de Gentse podiumhuizen, aan de telefoon en aan het loket.",
            "Billetterie centrale des salles gantoises, par téléphone et au guichet.",
            "Central ticket desk for Ghent's venues, by phone and at the counter.",
        ),
    ),
    (
        "uitbureau-gent",
        "gent",
        "Uitbureau Gent",
        _PA,
        "Gent",
        _t(
            "Infopunt over cultuur in Gent: agenda, advies op maat en UiTPAS.",
            "Point d'information sur la culture à Gand : agenda, conseils et UiTPAS.",
            "Information point for culture in Ghent: listings, advice and UiTPAS.",
        ),
    ),
    (
        "campo",
        "gent",
        "CAMPO",
        _KO,
        "Gent",
        _t(
            "Kunstencentrum voor hedendaagse podiumkunsten, met Gentse en internationale makers.",
            """Centre d'art pour les arts de la scène contemporains, avec des créateurs gantois et
            internationaux.""",
            "Arts centre for contemporary performing arts, with makers from Ghent and abroad.",
        ),
    ),
    (
        "festival-van-vlaanderen-gent",
        "gent",
        "Gent Festival van Vlaanderen",
        _KO,
        "Gent",
        _t(
            """Muziekfestival met klassieke en hedendaagse concerten op bijzondere plekken in de
            stad.""",
            """Festival de musique classique et contemporaine dans des lieux remarquables de la
            ville.""",
            """Music festival with classical and contemporary concerts in remarkable places around
            the city.""",
        ),
    ),
    (
        "miramiro",
        "gent",
        "Miramiro",
        _KO,
        "Gent",
        _t(
            "Huis voor circus en straattheater, met voorstellingen in de tent en op het plein.",
            """Maison du cirque et des arts de la rue, avec des spectacles sous chapiteau et sur la
            place.""",
            "Home of circus and street theatre, with shows in the big top and on the square.",
        ),
    ),
    (
        "cc-kortrijk",
        "zuidwest",
        "Cultuurcentrum Kortrijk",
        _CC,
        "Kortrijk",
        _t(
            """Cultuurcentrum met de Schouwburg als thuisbasis: theater, dans, muziek en humor voor
            de hele regio.""",
            """Centre culturel installé au Schouwburg : théâtre, danse, musique et humour pour toute
            la région.""",
            """Cultural centre based in the Schouwburg: theatre, dance, music and comedy for the
            whole region.""",
        ),
    ),
    (
        "cc-wevelgem",
        "zuidwest",
        "CC Wevelgem",
        _CC,
        "Wevelgem",
        _t(
            "Cultuurcentrum van Wevelgem met een breed programma voor jong en oud.",
            "Centre culturel de Wevelgem, avec une programmation variée pour tous les âges.",
            "Wevelgem's cultural centre, with a broad programme for all ages.",
        ),
    ),
    (
        "zuidwest",
        "zuidwest",
        "Zuidwest",
        _PA,
        "Kortrijk",
        _t(
            """Samenwerkingsverband van de cultuurcentra en kunstenhuizen in
            Zuid-West-Vlaanderen.""",
            """Réseau de coopération des centres culturels et maisons des arts du sud-ouest de la
            Flandre.""",
            "Cooperation network of the cultural centres and arts houses of South-West Flanders.",
        ),
    ),
    (
        "bolwerk",
        "zuidwest",
        "Bolwerk",
        _KO,
        "Kortrijk",
        _t(
            "Kunstenhuis voor jonge makers, experimentele muziek en beeldende kunst.",
            "Maison des arts pour jeunes créateurs, musique expérimentale et arts visuels.",
            "Arts house for young makers, experimental music and visual art.",
        ),
    ),
    (
        "cc-de-steiger",
        "zuidwest",
        "CC De Steiger",
        _CC,
        "Menen",
        _t(
            "Cultuurcentrum van Menen, aan de Leie en vlak bij de Franse grens.",
            "Centre culturel de Menin, au bord de la Lys et tout près de la frontière française.",
            "Menen's cultural centre, on the river Leie and close to the French border.",
        ),
    ),
    (
        "gc-diefte",
        "zuidwest",
        "GC d'Iefte",
        _GC,
        "Deerlijk",
        _t(
            """Gemeenschapscentrum van Deerlijk: voorstellingen, verenigingen en ontmoeting onder
            één dak.""",
            """Centre communautaire de Deerlijk : spectacles, associations et rencontres sous un
            même toit.""",
            "Deerlijk's community centre: shows, local clubs and meeting places under one roof.",
        ),
    ),
    (
        "next-festival",
        "zuidwest",
        "NEXT Arts Festival",
        _KO,
        "Kortrijk",
        _t(
            "Grensoverschrijdend kunstenfestival in Kortrijk, Rijsel, Doornik en Valenciennes.",
            "Festival des arts transfrontalier à Courtrai, Lille, Tournai et Valenciennes.",
            "Cross-border arts festival in Kortrijk, Lille, Tournai and Valenciennes.",
        ),
    ),
    (
        "theater-antigone",
        "zuidwest",
        "Theater Antigone",
        _KO,
        "Kortrijk",
        _t(
            """Kortrijks theatergezelschap dat klassiekers en nieuw werk brengt voor een breed
            publiek.""",
            """Compagnie courtraisienne qui joue des classiques et des créations pour un large
            public.""",
            "Kortrijk theatre company performing classics and new work for a wide audience.",
        ),
    ),
    (
        "cc-t-vondel",
        "zender",
        "CC 't Vondel",
        _CC,
        "Halle",
        _t(
            "Cultuurcentrum van Halle met theater, muziek en familievoorstellingen.",
            "Centre culturel de Hal avec du théâtre, de la musique et des spectacles familiaux.",
            "Halle's cultural centre with theatre, music and family shows.",
        ),
    ),
    (
        "de-rand",
        "zender",
        "VZW De Rand",
        _PA,
        "Wemmel",
        _t(
            "Vlaamse vzw die de cultuurcentra in de rand rond Brussel ondersteunt en verbindt.",
            """Asbl flamande qui soutient et relie les centres culturels de la périphérie
            bruxelloise.""",
            "Flemish non-profit that supports and connects the cultural centres around Brussels.",
        ),
    ),
    (
        "westrand",
        "zender",
        "Westrand",
        _CC,
        "Dilbeek",
        _t(
            """Cultuurcentrum in een opvallend modernistisch gebouw, met een Nederlandstalig
            programma voor een meertalig publiek.""",
            """Centre culturel dans un bâtiment moderniste remarquable, avec une programmation en
            néerlandais pour un public multilingue.""",
            """Cultural centre in a striking modernist building, with a Dutch-language programme
            for a multilingual audience.""",
        ),
    ),
    (
        "cc-coloma",
        "zender",
        "CC Coloma",
        _CC,
        "Sint-Pieters-Leeuw",
        _t(
            "Cultuurcentrum van Sint-Pieters-Leeuw, naast het kasteeldomein Coloma.",
            "Centre culturel de Leeuw-Saint-Pierre, à côté du domaine du château Coloma.",
            "Sint-Pieters-Leeuw's cultural centre, next to the Coloma castle grounds.",
        ),
    ),
    (
        "cc-de-meent",
        "zender",
        "CC de Meent",
        _CC,
        "Alsemberg",
        _t(
            "Cultuurcentrum van Beersel in Alsemberg, aan de rand van het Pajottenland.",
            "Centre culturel de Beersel à Alsemberg, aux portes du Pajottenland.",
            "Beersel's cultural centre in Alsemberg, on the edge of the Pajottenland.",
        ),
    ),
)


# --- venues ---------------------------------------------------------------------------------

# Accessibility texts are assembled from these facts so that every venue answers the same
# questions in the same words, in all three languages.
_ACCESS: dict[str, LocalizedText] = {
    "historisch": _t(
        "Historisch gebouw: de zij-ingang is drempelvrij.",
        "Bâtiment historique : l'entrée latérale est de plain-pied.",
        "Historic building: the side entrance is step-free.",
    ),
    "rolstoel": _t(
        "Rolstoelplaatsen op de vlakke vloer; vermeld je rolstoel bij je bestelling.",
        "Places pour fauteuils roulants de plain-pied ; signalez votre fauteuil à la commande.",
        "Wheelchair spaces at floor level; mention your wheelchair when you book.",
    ),
    "tent": _t(
        "De tent staat op vlakke grond; de tribune heeft rolstoelplaatsen op de eerste rij.",
        """Le chapiteau est posé sur un terrain plat ; la tribune a des places pour fauteuils
        roulants au premier rang.""",
        "The tent stands on level ground; the stands have wheelchair spaces in the first row.",
    ),
    "lift": _t(
        "Alle verdiepingen zijn met een lift bereikbaar.",
        "Tous les étages sont accessibles par ascenseur.",
        "A lift serves every floor.",
    ),
    "trappen": _t(
        "Het balkon is enkel via trappen bereikbaar.",
        "Le balcon n'est accessible que par des escaliers.",
        "The balcony can only be reached by stairs.",
    ),
    "ringleiding": _t(
        "Ringleiding voor hoorapparaten in de zaal.",
        "Boucle magnétique pour appareils auditifs dans la salle.",
        "Induction loop for hearing aids in the hall.",
    ),
    "toilet": _t(
        "Aangepast toilet op het gelijkvloers.",
        "Toilettes adaptées au rez-de-chaussée.",
        "Accessible toilet on the ground floor.",
    ),
    "parking": _t(
        "Voorbehouden parkeerplaatsen vlak bij de ingang.",
        "Places de parking réservées près de l'entrée.",
        "Reserved parking spaces near the entrance.",
    ),
    "prikkelarm": _t(
        "Op vraag is er een prikkelarme ruimte.",
        "Un espace calme, à faible stimulation, est disponible sur demande.",
        "A quiet, low-stimulus room is available on request.",
    ),
    "hulphond": _t(
        "Assistentiehonden zijn welkom.",
        "Les chiens d'assistance sont les bienvenus.",
        "Assistance dogs are welcome.",
    ),
}
_ACCESS_CONTACT = _t(
    "Vragen over toegankelijkheid? Bel of mail de ticketbalie.",
    "Une question sur l'accessibilité ? Contactez la billetterie.",
    "Questions about access? Call or e-mail the box office.",
)

# (id, house, name, address, city, accessibility facts)
_VENUES: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    (
        "handelsbeurs-kouter",
        "handelsbeurs",
        "Handelsbeurs",
        "Kouter 29, 9000 Gent",
        "Gent",
        ("rolstoel", "lift", "ringleiding", "toilet"),
    ),
    (
        "compagnie-cecilia-atelier",
        "compagnie-cecilia",
        "Atelier Cecilia",
        "Dok-Noord 7, 9000 Gent",
        "Gent",
        ("rolstoel", "toilet"),
    ),
    (
        "kopergietery-blekerij",
        "kopergietery",
        "KOPERGIETERY",
        "Blekerijstraat 50, 9000 Gent",
        "Gent",
        ("rolstoel", "lift", "ringleiding", "toilet", "prikkelarm"),
    ),
    (
        "ntgent-schouwburg",
        "ntgent",
        "NTGent Schouwburg",
        "Sint-Baafsplein 17, 9000 Gent",
        "Gent",
        ("historisch", "rolstoel", "ringleiding", "trappen", "hulphond"),
    ),
    (
        "ntgent-minnemeers",
        "ntgent",
        "NTGent Minnemeers",
        "Minnemeers 8, 9000 Gent",
        "Gent",
        ("rolstoel", "toilet"),
    ),
    (
        "campo-nieuwpoort",
        "campo",
        "CAMPO nieuwpoort",
        "Nieuwpoort 31, 9000 Gent",
        "Gent",
        ("rolstoel", "toilet", "hulphond"),
    ),
    (
        "festival-van-vlaanderen-gent-kathedraal",
        "festival-van-vlaanderen-gent",
        "Sint-Baafskathedraal",
        "Sint-Baafsplein, 9000 Gent",
        "Gent",
        ("historisch", "rolstoel", "hulphond"),
    ),
    (
        "festival-van-vlaanderen-gent-abdij",
        "festival-van-vlaanderen-gent",
        "Sint-Pietersabdij",
        "Sint-Pietersplein 9, 9000 Gent",
        "Gent",
        ("historisch", "rolstoel", "lift", "toilet"),
    ),
    (
        "miramiro-circussite",
        "miramiro",
        "Circustent Miramiro",
        "Koopvaardijlaan 1, 9000 Gent",
        "Gent",
        ("tent", "parking"),
    ),
    (
        "cc-kortrijk-schouwburg",
        "cc-kortrijk",
        "Schouwburg Kortrijk",
        "Schouwburgplein 14, 8500 Kortrijk",
        "Kortrijk",
        ("historisch", "rolstoel", "ringleiding", "trappen"),
    ),
    (
        "cc-wevelgem-cultuurcentrum",
        "cc-wevelgem",
        "Cultuurcentrum Wevelgem",
        "Acaciastraat 14, 8560 Wevelgem",
        "Wevelgem",
        ("rolstoel", "ringleiding", "toilet", "parking"),
    ),
    (
        "bolwerk-kortrijk",
        "bolwerk",
        "Bolwerk",
        "Vandenpeereboomstraat 1, 8500 Kortrijk",
        "Kortrijk",
        ("rolstoel", "toilet"),
    ),
    (
        "cc-de-steiger-menen",
        "cc-de-steiger",
        "CC De Steiger",
        "Waalvest 1, 8930 Menen",
        "Menen",
        ("rolstoel", "lift", "ringleiding", "toilet", "parking"),
    ),
    (
        "gc-diefte-deerlijk",
        "gc-diefte",
        "GC d'Iefte",
        "Pladijsstraat 5, 8540 Deerlijk",
        "Deerlijk",
        ("rolstoel", "toilet", "parking"),
    ),
    (
        "next-festival-budafabriek",
        "next-festival",
        "Budafabriek",
        "Dam 2a, 8500 Kortrijk",
        "Kortrijk",
        ("rolstoel", "toilet"),
    ),
    (
        "theater-antigone-kortrijk",
        "theater-antigone",
        "Theater Antigone",
        "Conservatoriumplein 1, 8500 Kortrijk",
        "Kortrijk",
        ("rolstoel", "ringleiding", "toilet"),
    ),
    (
        "cc-t-vondel-halle",
        "cc-t-vondel",
        "CC 't Vondel",
        "Vondelplein 1, 1500 Halle",
        "Halle",
        ("rolstoel", "lift", "ringleiding", "toilet", "parking"),
    ),
    (
        "westrand-dilbeek",
        "westrand",
        "Westrand",
        "Kamerijklaan 46, 1700 Dilbeek",
        "Dilbeek",
        ("rolstoel", "lift", "ringleiding", "toilet", "parking", "hulphond"),
    ),
    (
        "cc-coloma-leeuw",
        "cc-coloma",
        "CC Coloma",
        "Ninoofsesteenweg 53, 1600 Sint-Pieters-Leeuw",
        "Sint-Pieters-Leeuw",
        ("rolstoel", "ringleiding", "toilet", "parking"),
    ),
    (
        "cc-de-meent-alsemberg",
        "cc-de-meent",
        "CC de Meent",
        "Gemeenveldstraat 9, 1652 Alsemberg",
        "Alsemberg",
        ("rolstoel", "lift", "ringleiding", "toilet", "parking"),
    ),
)


def _accessibility(facts: tuple[str, ...]) -> LocalizedText:
    parts = [_ACCESS[fact] for fact in facts] + [_ACCESS_CONTACT]
    return {lang: " ".join(part[lang] for part in parts) for lang in ("nl", "fr", "en")}


# --- halls and price zones ------------------------------------------------------------------

ZoneLayout = Literal["three", "four", "two", "free", "standing", "mixed"]

_ZONE_1 = PriceZone("zone-1", _t("Rang 1", "1er rang", "Category 1"), 1, "#C0392B")
_ZONE_2 = PriceZone("zone-2", _t("Rang 2", "2e rang", "Category 2"), 2, "#E67E22")
_STALLS_FRONT = PriceZone(
    "zone-1",
    _t("Rang 1 - parterre vooraan", "1er rang - parterre avant", "Category 1 - front stalls"),
    1,
    "#C0392B",
)
_STALLS_BACK = PriceZone(
    "zone-2",
    _t("Rang 2 - parterre achteraan", "2e rang - parterre arrière", "Category 2 - rear stalls"),
    2,
    "#E67E22",
)
_BALCONY = PriceZone(
    "zone-3", _t("Rang 3 - balkon", "3e rang - balcon", "Category 3 - balcony"), 3, "#2E86C1"
)
_UPPER_BALCONY = PriceZone(
    "zone-4",
    _t("Rang 4 - tweede balkon", "4e rang - second balcon", "Category 4 - upper balcony"),
    4,
    "#7F8C8D",
)
_FREE_SEATING = PriceZone(
    "zone-1", _t("Vrije plaatsing", "Placement libre", "Unreserved seating"), 1, "#16A085"
)
_STANDING = PriceZone("staanplaats", _t("Staanplaats", "Debout", "Standing"), 1, "#8E44AD")
_TRIBUNE = PriceZone(
    "zone-1", _t("Zitplaats tribune", "Place assise en tribune", "Seat in the stands"), 1, "#C0392B"
)
# In a mixed hall the floor is the cheaper option, so standing ranks below the stands there.
_FLOOR = PriceZone("staanplaats", _t("Staanplaats", "Debout", "Standing"), 2, "#8E44AD")

_ZONES: dict[ZoneLayout, tuple[PriceZone, ...]] = {
    "three": (_STALLS_FRONT, _STALLS_BACK, _BALCONY),
    "four": (_STALLS_FRONT, _STALLS_BACK, _BALCONY, _UPPER_BALCONY),
    "two": (_ZONE_1, _ZONE_2),
    "free": (_FREE_SEATING,),
    "standing": (_STANDING,),
    "mixed": (_TRIBUNE, _FLOOR),
}
_LAYOUT: dict[ZoneLayout, HallLayout] = {
    "three": HallLayout.SEATED,
    "four": HallLayout.SEATED,
    "two": HallLayout.SEATED,
    "free": HallLayout.SEATED,
    "standing": HallLayout.STANDING,
    "mixed": HallLayout.MIXED,
}

# (id, venue, name, capacity, zones); the house is the venue's house
_HALLS: tuple[tuple[str, str, str, int, ZoneLayout], ...] = (
    ("handelsbeurs-kouter-concertzaal", "handelsbeurs-kouter", "Concertzaal", 600, "standing"),
    ("handelsbeurs-kouter-kleine-zaal", "handelsbeurs-kouter", "Kleine Zaal", 110, "free"),
    ("compagnie-cecilia-atelier-studio", "compagnie-cecilia-atelier", "Studio", 90, "free"),
    ("kopergietery-blekerij-grote-zaal", "kopergietery-blekerij", "Grote zaal", 260, "two"),
    ("kopergietery-blekerij-kleine-zaal", "kopergietery-blekerij", "Kleine zaal", 100, "free"),
    ("ntgent-schouwburg-grote-zaal", "ntgent-schouwburg", "Grote zaal", 702, "three"),
    ("ntgent-minnemeers-zaal", "ntgent-minnemeers", "Zaal Minnemeers", 180, "free"),
    ("campo-nieuwpoort-zaal", "campo-nieuwpoort", "Black box", 250, "free"),
    (
        "festival-van-vlaanderen-gent-kathedraal-schip",
        "festival-van-vlaanderen-gent-kathedraal",
        "Middenschip",
        850,
        "two",
    ),
    (
        "festival-van-vlaanderen-gent-abdij-refter",
        "festival-van-vlaanderen-gent-abdij",
        "Refter",
        320,
        "two",
    ),
    ("miramiro-circussite-chapiteau", "miramiro-circussite", "Chapiteau", 450, "mixed"),
    ("cc-kortrijk-schouwburg-grote-zaal", "cc-kortrijk-schouwburg", "Schouwburgzaal", 690, "four"),
    ("cc-kortrijk-schouwburg-studio", "cc-kortrijk-schouwburg", "Studio", 110, "free"),
    (
        "cc-wevelgem-cultuurcentrum-theaterzaal",
        "cc-wevelgem-cultuurcentrum",
        "Theaterzaal",
        430,
        "two",
    ),
    ("bolwerk-kortrijk-club", "bolwerk-kortrijk", "Club", 300, "standing"),
    ("bolwerk-kortrijk-zaal", "bolwerk-kortrijk", "Zaal", 220, "mixed"),
    ("cc-de-steiger-menen-theaterzaal", "cc-de-steiger-menen", "Theaterzaal", 520, "two"),
    ("cc-de-steiger-menen-studio", "cc-de-steiger-menen", "Studio", 100, "free"),
    ("gc-diefte-deerlijk-zaal", "gc-diefte-deerlijk", "Polyvalente zaal", 300, "free"),
    ("next-festival-budafabriek-hal", "next-festival-budafabriek", "Fabriekshal", 350, "mixed"),
    ("theater-antigone-kortrijk-zaal", "theater-antigone-kortrijk", "Theaterzaal", 240, "two"),
    ("cc-t-vondel-halle-theaterzaal", "cc-t-vondel-halle", "Theaterzaal", 470, "two"),
    ("cc-t-vondel-halle-studio", "cc-t-vondel-halle", "Studio", 110, "free"),
    ("westrand-dilbeek-theaterzaal", "westrand-dilbeek", "Theaterzaal", 520, "three"),
    ("westrand-dilbeek-kleine-zaal", "westrand-dilbeek", "Kleine zaal", 200, "mixed"),
    ("cc-coloma-leeuw-theaterzaal", "cc-coloma-leeuw", "Theaterzaal", 360, "two"),
    ("cc-de-meent-alsemberg-theaterzaal", "cc-de-meent-alsemberg", "Theaterzaal", 430, "two"),
    ("cc-de-meent-alsemberg-kleine-zaal", "cc-de-meent-alsemberg", "Kleine zaal", 120, "free"),
)


# --- tariffs --------------------------------------------------------------------------------

# Share of the best zone's standard price, in percent, by zone rank.
_ZONE_SHARE: dict[int, int] = {1: 100, 2: 85, 3: 70, 4: 55}


@dataclass(frozen=True)
class _TariffKind:
    id: str
    name: LocalizedText
    share: int  # percent of the standard price
    conditions: TariffConditions


_STANDAARD = _TariffKind(
    "standaard", _t("Standaard", "Standard", "Standard"), 100, TariffConditions()
)
_REDUCTIE = _TariffKind(
    "reductie",
    _t("Reductie", "Réduction", "Reduced"),
    85,
    TariffConditions(proof_required=True),
)
_MIN26 = _TariffKind(
    "min26",
    _t("-26", "-26 ans", "Under 26"),
    60,
    TariffConditions(proof_required=True, max_age=25),
)
_PLUS65 = _TariffKind("plus65", _t("65+", "65+", "65+"), 90, TariffConditions(min_age=65))
# UiTPAS holders with a reduced-income status pay roughly a fifth of the standard price.
_KANSENTARIEF = _TariffKind(
    "kansentarief",
    _t("Kansentarief (UiTPAS)", "Tarif social (UiTPAS)", "Reduced-income rate (UiTPAS)"),
    20,
    TariffConditions(proof_required=True),
)
_KIND = _TariffKind(
    "kind", _t("Kind -12", "Enfant -12 ans", "Child under 12"), 65, TariffConditions(max_age=11)
)

_FULL_TARIFFS = (_STANDAARD, _REDUCTIE, _MIN26, _PLUS65, _KANSENTARIEF)
_FAMILY_TARIFFS = (_STANDAARD, _KIND, _KANSENTARIEF)
# Festivals and standing concerts keep it short: no seats to upgrade, few discount types.
_LIGHT_TARIFFS = (_STANDAARD, _MIN26, _KANSENTARIEF)


def _share(cents: int, percent: int) -> int:
    """`percent` of `cents`, rounded to the nearest 50 cents so prices look like prices."""
    return (cents * percent + 2500) // 5000 * 50


# --- productions ----------------------------------------------------------------------------

Slot = Literal["evening", "family", "matinee", "daily"]


@dataclass(frozen=True)
class _Show:
    """One production and how it runs; the house is the hall's house."""

    id: str
    hall: str
    genre: Genre
    languages: tuple[str, ...]
    minutes: int
    price: int  # standard price in cents for the best zone
    title: LocalizedText
    text: LocalizedText
    run: tuple[int, int, int]  # days after today of the first show, number of shows, days apart
    slot: Slot = "evening"
    age: int | None = None
    interval: int = 0  # minutes
    opens: int = -42  # days after today that sales open; negative means already on sale
    at: time | None = None  # overrides the slot's usual start time


_SHOWS: tuple[_Show, ...] = (
    # --- gent -------------------------------------------------------------------------------
    _Show(
        id="handelsbeurs-noorderzon",
        hall="handelsbeurs-kouter-concertzaal",
        genre=Genre.MUSIC,
        languages=("nl", "en"),
        minutes=100,
        price=2600,
        title=_t("Noorderzon", "Noorderzon", "Noorderzon"),
        text=_t(
            """Het Gentse folkcollectief Noorderzon stelt zijn derde plaat voor. Draailier,
            doedelzak en elektronische beats vinden elkaar in dansbare nieuwe liedjes.
            Staanconcert, met een bal folk als afsluiter.""",
            """Le collectif folk gantois Noorderzon présente son troisième album. Vielle à roue,
            cornemuse et beats électroniques se rencontrent dans de nouvelles chansons
            dansantes. Concert debout, qui se termine en bal folk.""",
            """Ghent folk collective Noorderzon presents its third album. Hurdy-gurdy, bagpipes
            and electronic beats meet in new songs made for dancing. Standing concert, ending
            in a folk ball.""",
        ),
        run=(6, 1, 1),
    ),
    _Show(
        id="handelsbeurs-blauw-uur",
        hall="handelsbeurs-kouter-kleine-zaal",
        genre=Genre.MUSIC,
        languages=(),
        minutes=75,
        price=2200,
        title=_t("Blauw uur", "L'heure bleue", "Blue Hour"),
        text=_t(
            """Het pianotrio van Lotte Verhaegen speelt nieuwe composities over het schemeruur
            tussen dag en nacht. Ingetogen jazz, dicht bij het publiek in de Kleine Zaal.""",
            """Le trio de la pianiste Lotte Verhaegen joue de nouvelles compositions sur l'heure
            bleue, entre le jour et la nuit. Un jazz intime, tout près du public dans la petite
            salle.""",
            """Pianist Lotte Verhaegen's trio plays new compositions about the blue hour between
            day and night. Intimate jazz, close to the audience in the Small Hall.""",
        ),
        run=(12, 2, 1),
    ),
    _Show(
        id="handelsbeurs-saudade-aan-de-schelde",
        hall="handelsbeurs-kouter-kleine-zaal",
        genre=Genre.MUSIC,
        languages=("pt", "nl"),
        minutes=90,
        price=2400,
        title=_t("Saudade aan de Schelde", "Saudade sur l'Escaut", "Saudade on the Scheldt"),
        text=_t(
            """Fadozangeres Inês Morais uit Lissabon en drie Gentse muzikanten zoeken wat fado en
            het Vlaamse lied gemeen hebben. Twee tradities van verlangen, gezongen in het
            Portugees en het Nederlands.""",
            """La fadiste lisboète Inês Morais et trois musiciens gantois cherchent ce que le fado
            et la chanson flamande ont en commun. Deux traditions de la nostalgie, chantées en
            portugais et en néerlandais.""",
            """Lisbon fado singer Inês Morais and three Ghent musicians look for what fado and
            Flemish song have in common. Two traditions of longing, sung in Portuguese and
            Dutch.""",
        ),
        run=(34, 1, 1),
    ),
    _Show(
        id="handelsbeurs-ballads-from-the-north-sea",
        hall="handelsbeurs-kouter-concertzaal",
        genre=Genre.MUSIC,
        languages=("en",),
        minutes=95,
        price=2400,
        title=_t(
            "Ballads from the North Sea", "Ballads from the North Sea", "Ballads from the North Sea"
        ),
        text=_t(
            """Singer-songwriter Fenna Holt schreef haar nieuwe album in een vissershuisje in
            Oostende. Zachte gitaren, scherpe teksten en een band die weet wanneer te zwijgen.""",
            """L'autrice-compositrice Fenna Holt a écrit son nouvel album dans une maison de
            pêcheur à Ostende. Guitares douces, textes acérés et un groupe qui sait se taire au
            bon moment.""",
            """Singer-songwriter Fenna Holt wrote her new album in a fisherman's cottage in
            Ostend. Soft guitars, sharp lyrics and a band that knows when to stay quiet.""",
        ),
        run=(58, 2, 1),
    ),
    _Show(
        id="compagnie-cecilia-de-laatste-oogst",
        hall="compagnie-cecilia-atelier-studio",
        genre=Genre.THEATRE,
        languages=("nl",),
        minutes=95,
        price=1800,
        age=12,
        title=_t("De laatste oogst", "La dernière récolte", "The Last Harvest"),
        text=_t(
            """Op een boerderij in het Meetjesland moet een familie beslissen wat er met het land
            gebeurt na de dood van de vader. Compagnie Cecilia speelt rauw, grappig en met veel
            stiltes. Een voorstelling over erfenis, trots en wat we aan elkaar doorgeven.""",
            """Dans une ferme du Meetjesland, une famille doit décider du sort de la terre après la
            mort du père. Compagnie Cecilia joue cru, drôle et avec beaucoup de silences. Un
            spectacle sur l'héritage, la fierté et ce que l'on se transmet.""",
            """On a farm in the Meetjesland, a family must decide what happens to the land after
            the father dies. Compagnie Cecilia plays it raw, funny and full of silences. A show
            about inheritance, pride and what we pass on to each other.""",
        ),
        run=(9, 6, 1),
    ),
    _Show(
        id="compagnie-cecilia-alles-moet-weg",
        hall="compagnie-cecilia-atelier-studio",
        genre=Genre.COMEDY,
        languages=("nl",),
        minutes=80,
        price=1800,
        title=_t("Alles moet weg", "Tout doit disparaître", "Everything Must Go"),
        text=_t(
            """Een failliete meubelzaak, drie broers en één laatste uitverkoop. Een tragikomedie
            vol Gentse tongval over wat je overhoudt als alles verkocht is.""",
            """Un magasin de meubles en faillite, trois frères et une dernière liquidation. Une
            tragicomédie à l'accent gantois sur ce qui reste quand tout est vendu.""",
            """A bankrupt furniture shop, three brothers and one final clearance sale. A
            tragicomedy in broad Ghent dialect about what is left when everything is sold.""",
        ),
        run=(70, 5, 1),
    ),
    _Show(
        id="kopergietery-de-reus-van-het-bos",
        hall="kopergietery-blekerij-grote-zaal",
        genre=Genre.YOUTH,
        languages=("nl",),
        minutes=55,
        price=1200,
        age=6,
        title=_t("De reus van het bos", "Le géant de la forêt", "The Giant of the Forest"),
        text=_t(
            """Mila verdwaalt in het bos en ontmoet een reus die bang is van het donker. Met
            poppen, schaduwen en live muziek groeit een onwaarschijnlijke vriendschap. Voor
            iedereen vanaf zes jaar.""",
            """Mila se perd dans la forêt et rencontre un géant qui a peur du noir. Avec des
            marionnettes, des ombres et de la musique live naît une amitié improbable. Pour tous
            dès six ans.""",
            """Mila gets lost in the forest and meets a giant who is afraid of the dark. With
            puppets, shadows and live music, an unlikely friendship grows. For everyone aged six
            and up.""",
        ),
        run=(4, 6, 3),
        slot="family",
    ),
    _Show(
        id="kopergietery-ikarus",
        hall="kopergietery-blekerij-kleine-zaal",
        genre=Genre.YOUTH,
        languages=(),
        minutes=50,
        price=1200,
        age=8,
        title=_t("Ikarus", "Icare", "Icarus"),
        text=_t(
            """Twee dansers en een ladder vertellen zonder woorden het verhaal van de jongen die te
            dicht bij de zon vloog. Over durven, vallen en weer opstaan.""",
            """Deux danseurs et une échelle racontent sans paroles l'histoire du garçon qui vola
            trop près du soleil. Sur l'audace, la chute et l'art de se relever.""",
            """Two dancers and a ladder tell, without words, the story of the boy who flew too
            close to the sun. About daring, falling and getting back up.""",
        ),
        run=(20, 5, 3),
        slot="family",
    ),
    _Show(
        id="kopergietery-wat-de-zee-weet",
        hall="kopergietery-blekerij-grote-zaal",
        genre=Genre.YOUTH,
        languages=("nl", "fr"),
        minutes=65,
        price=1400,
        age=12,
        title=_t("Wat de zee weet", "Ce que sait la mer", "What the Sea Knows"),
        text=_t(
            """Vier jongeren uit Gent en Rijsel brengen een zomer door aan de kust en ontdekken een
            geheim dat hun ouders liever verzwegen. Een tweetalige voorstelling voor tieners en
            volwassenen.""",
            """Quatre jeunes de Gand et de Lille passent l'été à la côte et découvrent un secret que
            leurs parents auraient préféré taire. Un spectacle bilingue pour ados et adultes.""",
            """Four teenagers from Ghent and Lille spend a summer at the coast and uncover a secret
            their parents would rather have kept. A bilingual show for teens and adults.""",
        ),
        run=(45, 4, 2),
    ),
    _Show(
        id="ntgent-de-storm",
        hall="ntgent-schouwburg-grote-zaal",
        genre=Genre.THEATRE,
        languages=("nl",),
        minutes=150,
        interval=20,
        price=3200,
        age=12,
        title=_t("De storm", "La Tempête", "The Tempest"),
        text=_t(
            """Shakespeares laatste stuk, gespeeld door het voltallige ensemble op een scène die
            onder water loopt. Een magiër die zijn macht opgeeft, een eiland dat zijn stem
            terugvindt. Met Engelse en Franse boventitels.""",
            """La dernière pièce de Shakespeare, jouée par toute la troupe sur un plateau qui se
            remplit d'eau. Un magicien qui renonce à son pouvoir, une île qui retrouve sa voix.
            Surtitré en français et en anglais.""",
            """Shakespeare's last play, performed by the full ensemble on a stage that floods. A
            magician who gives up his power, an island that finds its voice again. With English
            and French surtitles.""",
        ),
        run=(10, 8, 1),
    ),
    _Show(
        id="ntgent-medea-in-mariakerke",
        hall="ntgent-minnemeers-zaal",
        genre=Genre.THEATRE,
        languages=("nl",),
        minutes=110,
        price=2200,
        age=16,
        title=_t("Medea in Mariakerke", "Médée à Mariakerke", "Medea in Mariakerke"),
        text=_t(
            """De Griekse tragedie verhuist naar een rijhuis aan de rand van Gent. Een moeder, een
            vader die vertrekt en een buurt die alles ziet en niets zegt. Bevat scènes met
            geweld.""",
            """La tragédie grecque s'installe dans une maison mitoyenne en périphérie de Gand. Une
            mère, un père qui s'en va et un quartier qui voit tout et ne dit rien. Contient des
            scènes de violence.""",
            """The Greek tragedy moves to a terraced house on the edge of Ghent. A mother, a father
            who leaves and a neighbourhood that sees everything and says nothing. Contains scenes
            of violence.""",
        ),
        run=(30, 6, 1),
    ),
    _Show(
        id="ntgent-de-gebroeders-karamazov",
        hall="ntgent-schouwburg-grote-zaal",
        genre=Genre.THEATRE,
        languages=("nl", "en"),
        minutes=180,
        interval=25,
        price=3600,
        age=16,
        title=_t("De gebroeders Karamazov", "Les Frères Karamazov", "The Brothers Karamazov"),
        text=_t(
            """Dostojevski's grote roman over vaders, zonen en schuld, als een avondvullende
            marathon. Drie broers, één moord en de vraag of alles toegelaten is als niemand
            toekijkt.""",
            """Le grand roman de Dostoïevski sur les pères, les fils et la culpabilité, en un
            marathon d'une soirée. Trois frères, un meurtre et la question de savoir si tout est
            permis quand personne ne regarde.""",
            """Dostoevsky's great novel about fathers, sons and guilt, staged as an evening-long
            marathon. Three brothers, one murder and the question whether everything is
            permitted when no one is watching.""",
        ),
        run=(75, 6, 1),
        opens=10,
    ),
    _Show(
        id="ntgent-orfeo-ondergronds",
        hall="ntgent-schouwburg-grote-zaal",
        genre=Genre.OPERA,
        languages=("it", "nl"),
        minutes=120,
        interval=20,
        price=4200,
        title=_t("Orfeo ondergronds", "Orfeo sous terre", "Orfeo Underground"),
        text=_t(
            """Monteverdi's Orfeo daalt af in een Gentse metrohalte die nooit gebouwd werd. Een
            barokensemble, vier zangers en een koor van buurtbewoners. Gezongen in het Italiaans
            met Nederlandse tussentekst.""",
            """L'Orfeo de Monteverdi descend dans une station de métro gantoise jamais construite.
            Un ensemble baroque, quatre chanteurs et un chœur d'habitants du quartier. Chanté en
            italien avec des intermèdes en néerlandais.""",
            """Monteverdi's Orfeo descends into a Ghent metro station that was never built. A
            baroque ensemble, four singers and a choir of local residents. Sung in Italian with
            spoken interludes in Dutch.""",
        ),
        run=(100, 3, 2),
        opens=21,
    ),
    _Show(
        id="campo-zwerm",
        hall="campo-nieuwpoort-zaal",
        genre=Genre.DANCE,
        languages=(),
        minutes=60,
        price=1800,
        title=_t("Zwerm", "Essaim", "Swarm"),
        text=_t(
            """Twaalf dansers bewegen als één lichaam, tot iemand uit de pas loopt. Een
            hypnotiserende choreografie over groepsgedrag, op live elektronica.""",
            """Douze danseurs bougent comme un seul corps, jusqu'à ce que l'un d'eux se désaccorde.
            Une chorégraphie hypnotique sur le comportement de groupe, sur électronique live.""",
            """Twelve dancers move as one body, until someone falls out of step. A hypnotic
            choreography about group behaviour, set to live electronics.""",
        ),
        run=(8, 3, 1),
    ),
    _Show(
        id="campo-het-archief-van-mijn-moeder",
        hall="campo-nieuwpoort-zaal",
        genre=Genre.THEATRE,
        languages=("nl", "en"),
        minutes=75,
        price=1600,
        age=12,
        title=_t("Het archief van mijn moeder", "Les archives de ma mère", "My Mother's Archive"),
        text=_t(
            """Een jonge maakster opent de dozen die haar moeder achterliet: brieven, cassettes,
            een onafgewerkte film. Documentair theater over migratie en herinnering, in het
            Nederlands en het Engels.""",
            """Une jeune artiste ouvre les cartons laissés par sa mère : lettres, cassettes, un
            film inachevé. Du théâtre documentaire sur la migration et la mémoire, en néerlandais
            et en anglais.""",
            """A young theatre maker opens the boxes her mother left behind: letters, tapes, an
            unfinished film. Documentary theatre about migration and memory, in Dutch and
            English.""",
        ),
        run=(40, 3, 1),
    ),
    _Show(
        id="festival-van-vlaanderen-gent-vespers",
        hall="festival-van-vlaanderen-gent-kathedraal-schip",
        genre=Genre.MUSIC,
        languages=("la",),
        minutes=80,
        price=3400,
        title=_t("Vespers in Sint-Baafs", "Vêpres à Saint-Bavon", "Vespers at St Bavo's"),
        text=_t(
            """Een Vlaams vocaal ensemble zingt vespers uit de Gentse koorboeken van de zestiende
            eeuw. Polyfonie onder de gewelven waar ze ooit voor geschreven werd.""",
            """Un ensemble vocal flamand chante des vêpres tirées des livres de chœur gantois du
            XVIe siècle. De la polyphonie sous les voûtes pour lesquelles elle fut écrite.""",
            """A Flemish vocal ensemble sings vespers from sixteenth-century Ghent choirbooks.
            Polyphony under the vaults it was once written for.""",
        ),
        run=(25, 1, 1),
        slot="matinee",
    ),
    _Show(
        id="festival-van-vlaanderen-gent-stadsklanken",
        hall="festival-van-vlaanderen-gent-abdij-refter",
        genre=Genre.FESTIVAL,
        languages=("nl", "fr", "en"),
        minutes=90,
        price=2400,
        title=_t("Stadsklanken", "Sons de la ville", "City Sounds"),
        text=_t(
            """Vier avonden, vier ensembles en één vraag: hoe klinkt Gent vandaag? Strijkkwartet,
            beatbox, carillon en elektronica in de abdij, met een babbel tussen de sets.""",
            """Quatre soirées, quatre ensembles et une question : à quoi ressemble Gand
            aujourd'hui ? Quatuor à cordes, beatbox, carillon et électronique à l'abbaye, avec une
            discussion entre les sets.""",
            """Four evenings, four ensembles and one question: what does Ghent sound like today?
            String quartet, beatbox, carillon and electronics in the abbey, with a talk between
            the sets.""",
        ),
        run=(52, 4, 1),
        slot="daily",
    ),
    _Show(
        id="festival-van-vlaanderen-gent-de-zilveren-rivier",
        hall="festival-van-vlaanderen-gent-abdij-refter",
        genre=Genre.OPERA,
        languages=("nl",),
        minutes=85,
        price=3200,
        title=_t("De zilveren rivier", "La Rivière d'argent", "The Silver River"),
        text=_t(
            """Een nieuwe kameropera over een schippersfamilie op de Leie, voor drie stemmen en zes
            instrumenten. Gezongen in het Nederlands, met Franse en Engelse boventitels.""",
            """Un nouvel opéra de chambre sur une famille de bateliers de la Lys, pour trois voix et
            six instruments. Chanté en néerlandais, surtitré en français et en anglais.""",
            """A new chamber opera about a family of bargemen on the river Leie, for three voices
            and six instruments. Sung in Dutch, with French and English surtitles.""",
        ),
        run=(66, 2, 2),
    ),
    _Show(
        id="miramiro-hoog-spel",
        hall="miramiro-circussite-chapiteau",
        genre=Genre.CIRCUS,
        languages=(),
        minutes=75,
        price=1800,
        age=6,
        title=_t("Hoog spel", "Haute voltige", "High Stakes"),
        text=_t(
            """Zes acrobaten, een trapeze en een wankele toren van stoelen. Nieuw circus voor het
            hele gezin, zonder woorden en met veel ademloze stiltes.""",
            """Six acrobates, un trapèze et une tour de chaises bancale. Du cirque contemporain pour
            toute la famille, sans paroles et plein de silences suspendus.""",
            """Six acrobats, a trapeze and a wobbly tower of chairs. Contemporary circus for the
            whole family, without words and full of breathless silences.""",
        ),
        run=(14, 6, 2),
        slot="family",
    ),
    _Show(
        id="miramiro-de-val",
        hall="miramiro-circussite-chapiteau",
        genre=Genre.CIRCUS,
        languages=(),
        minutes=60,
        price=2000,
        age=8,
        title=_t("De val", "La Chute", "The Fall"),
        text=_t(
            """Een koorddanseres onderzoekt de seconde tussen evenwicht en val. Met een live
            cellist en een draad die telkens hoger hangt.""",
            """Une funambule explore la seconde entre l'équilibre et la chute. Avec un
            violoncelliste live et un fil tendu toujours plus haut.""",
            """A tightrope walker explores the second between balance and falling. With a live
            cellist and a wire that hangs higher every time.""",
        ),
        run=(60, 4, 1),
    ),
    # --- zuidwest ---------------------------------------------------------------------------
    _Show(
        id="cc-kortrijk-het-verdriet-van-de-stad",
        hall="cc-kortrijk-schouwburg-grote-zaal",
        genre=Genre.THEATRE,
        languages=("nl",),
        minutes=130,
        interval=20,
        price=2800,
        age=12,
        title=_t("Het verdriet van de stad", "Le Chagrin de la ville", "The Sorrow of the City"),
        text=_t(
            """Een grote familiekroniek over Kortrijk, van de vlasnijverheid tot vandaag. Twaalf
            acteurs spelen drie generaties die de stad zien veranderen. Met live muziek en een
            koor uit de regio.""",
            """Une grande chronique familiale de Courtrai, de l'industrie du lin à aujourd'hui.
            Douze comédiens incarnent trois générations qui voient la ville changer. Avec musique
            live et un chœur de la région.""",
            """A sweeping family chronicle of Kortrijk, from the flax industry to today. Twelve
            actors play three generations watching their city change. With live music and a
            local choir.""",
        ),
        run=(11, 2, 1),
    ),
    _Show(
        id="cc-kortrijk-la-nuit-des-ours",
        hall="cc-kortrijk-schouwburg-grote-zaal",
        genre=Genre.THEATRE,
        languages=("fr",),
        minutes=90,
        price=2600,
        title=_t("La Nuit des ours", "La Nuit des ours", "La Nuit des ours"),
        text=_t(
            """Een gezelschap uit Rijsel speelt een sprookje voor volwassenen over een stad waar de
            beren 's nachts terugkomen. Gespeeld in het Frans, met Nederlandse boventitels.""",
            """Une compagnie lilloise joue un conte pour adultes sur une ville où les ours
            reviennent la nuit. Joué en français, surtitré en néerlandais.""",
            """A company from Lille performs a fairy tale for adults about a city where the bears
            come back at night. Performed in French with Dutch surtitles.""",
        ),
        run=(27, 1, 1),
    ),
    _Show(
        id="cc-kortrijk-nooit-tevreden",
        hall="cc-kortrijk-schouwburg-grote-zaal",
        genre=Genre.COMEDY,
        languages=("nl",),
        minutes=100,
        price=2400,
        title=_t(
            "Lieven Claeys: Nooit tevreden",
            "Lieven Claeys : Jamais content",
            "Lieven Claeys: Never Satisfied",
        ),
        text=_t(
            """In zijn vierde avondvullende show klaagt Lieven Claeys over alles wat beter kan: de
            trein, zijn knieën en vooral zichzelf. Droge West-Vlaamse humor, zonder genade.""",
            """Dans son quatrième spectacle, Lieven Claeys se plaint de tout ce qui pourrait aller
            mieux : le train, ses genoux et surtout lui-même. Un humour flamand pince-sans-rire,
            sans pitié.""",
            """In his fourth full-length show, Lieven Claeys complains about everything that could
            be better: the trains, his knees and above all himself. Dry West Flemish humour,
            without mercy.""",
        ),
        run=(18, 3, 7),
    ),
    _Show(
        id="cc-kortrijk-de-kleine-walvis",
        hall="cc-kortrijk-schouwburg-studio",
        genre=Genre.YOUTH,
        languages=("nl",),
        minutes=45,
        price=900,
        age=6,
        title=_t("De kleine walvis", "La Petite Baleine", "The Little Whale"),
        text=_t(
            """Een kleine walvis zoekt de weg naar huis en krijgt hulp van een zeemeeuw met
            hoogtevrees. Poppenspel met zeelucht en zeemansliedjes.""",
            """Une petite baleine cherche le chemin de la maison, aidée par une mouette qui a le
            vertige. Un spectacle de marionnettes aux airs marins et aux chants de matelots.""",
            """A little whale looks for the way home, helped by a seagull with a fear of heights.
            Puppetry with sea air and sailors' songs.""",
        ),
        run=(7, 4, 3),
        slot="family",
    ),
    _Show(
        id="cc-kortrijk-bolero-rauw",
        hall="cc-kortrijk-schouwburg-grote-zaal",
        genre=Genre.DANCE,
        languages=(),
        minutes=70,
        price=3000,
        title=_t("Boléro / Rauw", "Boléro / Brut", "Boléro / Raw"),
        text=_t(
            """Twee choreografieën op één avond: een strakke, hypnotische Boléro en een wilde
            nieuwe creatie op percussie. Zestien dansers, geen pauze.""",
            """Deux chorégraphies en une soirée : un Boléro épuré et hypnotique et une nouvelle
            création sauvage sur percussions. Seize danseurs, sans entracte.""",
            """Two choreographies in one evening: a tight, hypnotic Boléro and a wild new creation
            set to percussion. Sixteen dancers, no interval.""",
        ),
        run=(48, 2, 1),
    ),
    _Show(
        id="cc-wevelgem-de-buren-van-hiernaast",
        hall="cc-wevelgem-cultuurcentrum-theaterzaal",
        genre=Genre.COMEDY,
        languages=("nl",),
        minutes=95,
        price=2200,
        title=_t("De buren van hiernaast", "Les Voisins d'à côté", "The Neighbours Next Door"),
        text=_t(
            """Twee koppels, één gemeenschappelijke haag en een ruzie die uit de hand loopt. Een
            klucht met dialect, deurengeklap en een verrassend zacht einde.""",
            """Deux couples, une haie mitoyenne et une dispute qui dégénère. Un vaudeville en
            dialecte, avec des portes qui claquent et une fin étonnamment tendre.""",
            """Two couples, one shared hedge and a quarrel that gets out of hand. A farce in
            dialect, with slamming doors and a surprisingly gentle ending.""",
        ),
        run=(16, 3, 1),
    ),
    _Show(
        id="cc-wevelgem-koorddansers",
        hall="cc-wevelgem-cultuurcentrum-theaterzaal",
        genre=Genre.CIRCUS,
        languages=(),
        minutes=60,
        price=1400,
        age=6,
        title=_t("Koorddansers", "Funambules", "Tightrope Walkers"),
        text=_t(
            """Drie artiesten, vijf koorden en een accordeon. Een speelse circusvoorstelling over
            samen je evenwicht vinden, voor kinderen en hun (groot)ouders.""",
            """Trois artistes, cinq fils et un accordéon. Un spectacle de cirque ludique sur l'art
            de trouver l'équilibre ensemble, pour les enfants et leurs (grands-)parents.""",
            """Three performers, five wires and an accordion. A playful circus show about finding
            your balance together, for children and their (grand)parents.""",
        ),
        run=(38, 2, 4),
        slot="family",
    ),
    _Show(
        id="bolwerk-ruis",
        hall="bolwerk-kortrijk-club",
        genre=Genre.MUSIC,
        languages=(),
        minutes=105,
        price=1600,
        title=_t("Ruis", "Bruit", "Noise"),
        text=_t(
            """Een avond experimentele elektronica met drie jonge producers uit Kortrijk en Rijsel.
            Luid, donker en dansbaar; oordopjes liggen aan de bar.""",
            """Une soirée d'électronique expérimentale avec trois jeunes producteurs de Courtrai et
            de Lille. Fort, sombre et dansant ; des bouchons d'oreille sont disponibles au bar.""",
            """An evening of experimental electronics with three young producers from Kortrijk and
            Lille. Loud, dark and danceable; earplugs are available at the bar.""",
        ),
        run=(5, 1, 1),
        at=time(21, 0),
    ),
    _Show(
        id="bolwerk-tussen-de-regels",
        hall="bolwerk-kortrijk-zaal",
        genre=Genre.THEATRE,
        languages=("nl", "en"),
        minutes=70,
        price=1400,
        age=16,
        title=_t("Tussen de regels", "Entre les lignes", "Between the Lines"),
        text=_t(
            """Een performance over de brieven die nooit verstuurd werden, geschreven door het
            publiek zelf. Elke avond anders, half gespeeld, half voorgelezen.""",
            """Une performance autour des lettres jamais envoyées, écrites par le public lui-même.
            Chaque soir différente, mi-jouée, mi-lue.""",
            """A performance about letters that were never sent, written by the audience itself.
            Different every night, half acted, half read aloud.""",
        ),
        run=(33, 3, 1),
    ),
    _Show(
        id="bolwerk-nachtwerk",
        hall="bolwerk-kortrijk-club",
        genre=Genre.FESTIVAL,
        languages=(),
        minutes=180,
        price=2000,
        title=_t("Nachtwerk", "Travail de nuit", "Night Shift"),
        text=_t(
            """Twee nachten lang neemt een jonge generatie artiesten het Bolwerk over: concerten,
            installaties en dj-sets in alle ruimtes. Eén ticket per nacht.""",
            """Pendant deux nuits, une jeune génération d'artistes investit le Bolwerk : concerts,
            installations et dj-sets dans tous les espaces. Un billet par nuit.""",
            """For two nights a young generation of artists takes over Bolwerk: concerts,
            installations and DJ sets in every room. One ticket per night.""",
        ),
        run=(95, 2, 1),
        slot="daily",
        at=time(21, 0),
    ),
    _Show(
        id="cc-de-steiger-traviata-op-zak",
        hall="cc-de-steiger-menen-theaterzaal",
        genre=Genre.OPERA,
        languages=("it", "nl"),
        minutes=100,
        price=3000,
        title=_t("Traviata op zak", "La Traviata de poche", "Pocket Traviata"),
        text=_t(
            """Verdi's La traviata in een versie voor vier zangers, piano en accordeon. Een
            verteller leidt je in het Nederlands door het verhaal; de aria's blijven in het
            Italiaans.""",
            """La traviata de Verdi dans une version pour quatre chanteurs, piano et accordéon. Un
            narrateur vous guide en néerlandais ; les airs restent en italien.""",
            """Verdi's La traviata in a version for four singers, piano and accordion. A narrator
            guides you through the story in Dutch; the arias stay in Italian.""",
        ),
        run=(22, 2, 7),
        slot="matinee",
    ),
    _Show(
        id="cc-de-steiger-het-geheim-van-oma-rosa",
        hall="cc-de-steiger-menen-studio",
        genre=Genre.YOUTH,
        languages=("nl",),
        minutes=55,
        price=900,
        age=8,
        title=_t("Het geheim van oma Rosa", "Le Secret de mamie Rosa", "Grandma Rosa's Secret"),
        text=_t(
            """Op zolder bij oma Rosa vindt Noor een koffer vol oude foto's en één sleutel. Een
            spannende speurtocht door de geschiedenis van een grensstad.""",
            """Dans le grenier de mamie Rosa, Noor trouve une valise pleine de vieilles photos et
            une clé. Une enquête palpitante à travers l'histoire d'une ville frontalière.""",
            """In Grandma Rosa's attic, Noor finds a suitcase full of old photos and a single key.
            An exciting search through the history of a border town.""",
        ),
        run=(13, 3, 7),
        slot="family",
    ),
    _Show(
        id="cc-de-steiger-alles-komt-goed",
        hall="cc-de-steiger-menen-theaterzaal",
        genre=Genre.COMEDY,
        languages=("nl",),
        minutes=90,
        price=2200,
        title=_t("Alles komt goed", "Tout ira bien", "It'll All Be Fine"),
        text=_t(
            """Een wedding planner organiseert haar eigen bruiloft en verliest elke controle.
            Komedie over perfectionisme, met een verrassend gastoptreden van het publiek.""",
            """Une organisatrice de mariages prépare le sien et perd tout contrôle. Une comédie sur
            le perfectionnisme, avec une participation surprise du public.""",
            """A wedding planner organises her own wedding and loses all control. A comedy about
            perfectionism, with a surprise guest appearance by the audience.""",
        ),
        run=(62, 2, 1),
    ),
    _Show(
        id="gc-diefte-koperen-kermis",
        hall="gc-diefte-deerlijk-zaal",
        genre=Genre.MUSIC,
        languages=(),
        minutes=90,
        price=1200,
        title=_t("Koperen kermis", "Kermesse de cuivre", "Brass Fair"),
        text=_t(
            """Een brassband van twintig muzikanten speelt kermismuziek, filmthema's en eigen werk.
            Een zondagnamiddag vol koper, met koffie en taart in de pauze.""",
            """Un brass band de vingt musiciens joue des airs de kermesse, des musiques de film et
            ses propres compositions. Un dimanche après-midi cuivré, avec café et gâteau.""",
            """A twenty-piece brass band plays fairground tunes, film themes and its own work. A
            Sunday afternoon full of brass, with coffee and cake.""",
        ),
        run=(29, 1, 1),
        slot="matinee",
    ),
    _Show(
        id="gc-diefte-zeveraars",
        hall="gc-diefte-deerlijk-zaal",
        genre=Genre.COMEDY,
        languages=("nl",),
        minutes=85,
        price=1600,
        title=_t("Zeveraars", "Les Bavards", "The Blatherers"),
        text=_t(
            """Twee West-Vlaamse vertellers praten een avond lang over niets en toch over alles.
            Sterke verhalen, nog sterkere overdrijvingen.""",
            """Deux conteurs de Flandre-Occidentale parlent toute une soirée de rien et pourtant de
            tout. Des histoires fortes et des exagérations plus fortes encore.""",
            """Two West Flemish storytellers talk all evening about nothing and yet about
            everything. Tall tales and even taller exaggerations.""",
        ),
        run=(55, 2, 1),
    ),
    _Show(
        id="next-festival-frontieres",
        hall="next-festival-budafabriek-hal",
        genre=Genre.FESTIVAL,
        languages=("fr", "nl", "en"),
        minutes=90,
        price=2000,
        title=_t("Frontières / Grenzen", "Frontières", "Borders"),
        text=_t(
            """Het openingsprogramma van NEXT: vier avonden met korte voorstellingen van makers uit
            Vlaanderen, Wallonië en Noord-Frankrijk. Over grenzen die je ziet en grenzen die je
            voelt.""",
            """Le programme d'ouverture de NEXT : quatre soirées de formes courtes par des artistes
            de Flandre, de Wallonie et du Nord de la France. Sur les frontières que l'on voit et
            celles que l'on ressent.""",
            """NEXT's opening programme: four evenings of short pieces by artists from Flanders,
            Wallonia and northern France. About borders you can see and borders you can feel.""",
        ),
        run=(120, 4, 1),
        slot="daily",
        opens=20,
    ),
    _Show(
        id="next-festival-corps-etrangers",
        hall="next-festival-budafabriek-hal",
        genre=Genre.DANCE,
        languages=(),
        minutes=60,
        price=1800,
        age=16,
        title=_t("Corps étrangers", "Corps étrangers", "Foreign Bodies"),
        text=_t(
            """Een choreografe uit Rijsel laat vijf dansers een fabriekshal heroveren. Fysiek,
            soms ongemakkelijk dichtbij; het publiek staat tussen de dansers.""",
            """Une chorégraphe lilloise fait reconquérir une halle d'usine par cinq danseurs.
            Physique, parfois d'une proximité troublante ; le public se tient parmi les
            danseurs.""",
            """A choreographer from Lille has five dancers reclaim a factory hall. Physical,
            sometimes uncomfortably close; the audience stands among the dancers.""",
        ),
        run=(121, 2, 2),
        slot="daily",
        opens=20,
        at=time(22, 0),
    ),
    _Show(
        id="theater-antigone-het-dorp",
        hall="theater-antigone-kortrijk-zaal",
        genre=Genre.THEATRE,
        languages=("nl",),
        minutes=100,
        price=2000,
        age=12,
        title=_t("Het dorp", "Le Village", "The Village"),
        text=_t(
            """Een dorp in de Westhoek stemt over de sluiting van zijn laatste café. Acht
            dorpelingen, één nacht en een stemming die alles blootlegt.""",
            """Un village du Westhoek vote la fermeture de son dernier café. Huit villageois, une
            nuit et un vote qui met tout à nu.""",
            """A village in the Westhoek votes on closing its last café. Eight villagers, one night
            and a vote that lays everything bare.""",
        ),
        run=(19, 5, 1),
    ),
    _Show(
        id="theater-antigone-the-long-goodbye",
        hall="theater-antigone-kortrijk-zaal",
        genre=Genre.THEATRE,
        languages=("en",),
        minutes=85,
        price=1800,
        age=16,
        title=_t("The Long Goodbye", "The Long Goodbye", "The Long Goodbye"),
        text=_t(
            """Een Engelstalige coproductie met een gezelschap uit Manchester over een vader die
            langzaam zijn geheugen verliest. Gespeeld in het Engels, met Nederlandse
            boventitels.""",
            """Une coproduction en anglais avec une compagnie de Manchester sur un père qui perd
            lentement la mémoire. Jouée en anglais, surtitrée en néerlandais.""",
            """An English-language co-production with a Manchester company about a father slowly
            losing his memory. Performed in English with Dutch surtitles.""",
        ),
        run=(85, 3, 1),
    ),
    # --- zender -----------------------------------------------------------------------------
    _Show(
        id="cc-t-vondel-de-vrek",
        hall="cc-t-vondel-halle-theaterzaal",
        genre=Genre.THEATRE,
        languages=("nl",),
        minutes=105,
        price=2400,
        title=_t("De vrek", "L'Avare", "The Miser"),
        text=_t(
            """Molières komedie over een vader die meer van zijn geld houdt dan van zijn kinderen,
            in een nieuwe, vlijmscherpe vertaling. Herkenbaar, hilarisch en pijnlijk actueel.""",
            """La comédie de Molière sur un père qui aime son argent plus que ses enfants, dans une
            nouvelle traduction acérée. Reconnaissable, hilarante et douloureusement actuelle.""",
            """Molière's comedy about a father who loves his money more than his children, in a
            sharp new translation. Recognisable, hilarious and painfully topical.""",
        ),
        run=(15, 3, 1),
    ),
    _Show(
        id="cc-t-vondel-kapitein-zeewier",
        hall="cc-t-vondel-halle-studio",
        genre=Genre.YOUTH,
        languages=("nl",),
        minutes=50,
        price=900,
        age=6,
        title=_t("Kapitein Zeewier", "Capitaine Algue", "Captain Seaweed"),
        text=_t(
            """Kapitein Zeewier is zijn schip kwijt en heeft de hulp van alle kinderen in de zaal
            nodig. Een vrolijke zoektocht met liedjes om mee te zingen.""",
            """Le capitaine Algue a perdu son bateau et a besoin de l'aide de tous les enfants de la
            salle. Une joyeuse chasse au trésor avec des chansons à reprendre en chœur.""",
            """Captain Seaweed has lost his ship and needs the help of every child in the room. A
            cheerful quest with songs to sing along to.""",
        ),
        run=(6, 4, 3),
        slot="family",
    ),
    _Show(
        id="cc-t-vondel-chanson-sans-frontieres",
        hall="cc-t-vondel-halle-theaterzaal",
        genre=Genre.MUSIC,
        languages=("fr", "nl"),
        minutes=90,
        price=2400,
        title=_t("Chanson sans frontières", "Chanson sans frontières", "Chanson sans frontières"),
        text=_t(
            """Een Brusselse zangeres en een Hallese pianist brengen Franse chansons en
            Nederlandstalige kleinkunst samen. Van Brel tot Boudewijn de Groot, in nieuwe
            arrangementen.""",
            """Une chanteuse bruxelloise et un pianiste hallois réunissent la chanson française et
            la chanson néerlandophone. De Brel à Boudewijn de Groot, dans de nouveaux
            arrangements.""",
            """A Brussels singer and a pianist from Halle bring French chanson and Dutch-language
            cabaret songs together. From Brel to Boudewijn de Groot, in new arrangements.""",
        ),
        run=(36, 2, 1),
    ),
    _Show(
        id="cc-t-vondel-halve-waarheden",
        hall="cc-t-vondel-halle-theaterzaal",
        genre=Genre.COMEDY,
        languages=("nl",),
        minutes=95,
        price=2000,
        title=_t("Halve waarheden", "Demi-vérités", "Half Truths"),
        text=_t(
            """Een improvisatiegezelschap bouwt elke avond een nieuwe komedie op basis van de
            leugentjes die het publiek opbiecht. Niets is gerepeteerd, alles is waar. Half.""",
            """Une troupe d'improvisation construit chaque soir une nouvelle comédie à partir des
            petits mensonges confessés par le public. Rien n'est répété, tout est vrai.
            À moitié.""",
            """An improv company builds a new comedy every night from the white lies the audience
            confesses. Nothing is rehearsed, everything is true. Half of it.""",
        ),
        run=(67, 2, 1),
    ),
    _Show(
        id="westrand-brussel-blues",
        hall="westrand-dilbeek-kleine-zaal",
        genre=Genre.MUSIC,
        languages=("nl", "fr", "en"),
        minutes=100,
        price=2000,
        title=_t("Brussel Blues", "Bruxelles Blues", "Brussels Blues"),
        text=_t(
            """Een bluesband uit Anderlecht zingt over de stad in drie talen en zonder filter.
            Stevige gitaren, een mondharmonica en verhalen van de Zuidstation tot de rand.""",
            """Un groupe de blues d'Anderlecht chante la ville en trois langues et sans filtre.
            Guitares musclées, harmonica et histoires de la gare du Midi jusqu'à la périphérie.""",
            """A blues band from Anderlecht sings about the city in three languages, unfiltered.
            Heavy guitars, a harmonica and stories from the Gare du Midi out to the suburbs.""",
        ),
        run=(9, 2, 1),
    ),
    _Show(
        id="westrand-zwanenmeer-voor-beginners",
        hall="westrand-dilbeek-theaterzaal",
        genre=Genre.DANCE,
        languages=(),
        minutes=75,
        price=2600,
        title=_t(
            "Het zwanenmeer voor beginners",
            "Le Lac des cygnes pour débutants",
            "Swan Lake for Beginners",
        ),
        text=_t(
            """Vier dansers met een klassieke opleiding tonen wat er achter het beroemdste ballet
            ter wereld zit, en doen het dan gewoon. Met humor, spitzen en Tsjaikovski.""",
            """Quatre danseurs de formation classique montrent ce qui se cache derrière le ballet
            le plus célèbre du monde, puis le dansent. Avec humour, pointes et Tchaïkovski.""",
            """Four classically trained dancers show what lies behind the most famous ballet in
            the world, and then simply dance it. With humour, pointe shoes and Tchaikovsky.""",
        ),
        run=(24, 2, 1),
    ),
    _Show(
        id="westrand-de-grote-verhuizing",
        hall="westrand-dilbeek-theaterzaal",
        genre=Genre.YOUTH,
        languages=("nl", "fr"),
        minutes=60,
        price=1100,
        age=8,
        title=_t("De grote verhuizing", "Le Grand Déménagement", "The Big Move"),
        text=_t(
            """Sami verhuist van Brussel naar Dilbeek en spreekt op school een andere taal dan
            thuis. Een warme, tweetalige voorstelling over nieuw beginnen.""",
            """Sami déménage de Bruxelles à Dilbeek et ne parle pas la même langue à l'école qu'à la
            maison. Un spectacle bilingue et chaleureux sur les nouveaux départs.""",
            """Sami moves from Brussels to Dilbeek and speaks a different language at school than
            at home. A warm, bilingual show about starting over.""",
        ),
        run=(31, 3, 4),
        slot="family",
    ),
    _Show(
        id="westrand-randfestival",
        hall="westrand-dilbeek-kleine-zaal",
        genre=Genre.FESTIVAL,
        languages=("nl", "fr", "en"),
        minutes=150,
        price=1500,
        title=_t("Randfestival", "Festival de la Périphérie", "Rand Festival"),
        text=_t(
            """Drie avonden muziek, poëzie en korte voorstellingen van makers uit de Vlaamse rand.
            Telkens met een open podium en een hapje uit de buurt.""",
            """Trois soirées de musique, de poésie et de formes courtes par des artistes de la
            périphérie flamande. Chaque soir une scène ouverte et une petite
            restauration locale.""",
            """Three evenings of music, poetry and short pieces by makers from the Flemish ring
            around Brussels. Every night an open stage and local food.""",
        ),
        run=(104, 3, 1),
        slot="daily",
        opens=14,
        at=time(19, 0),
    ),
    _Show(
        id="westrand-de-maanbruid",
        hall="westrand-dilbeek-theaterzaal",
        genre=Genre.OPERA,
        languages=("nl",),
        minutes=110,
        price=3200,
        title=_t("De maanbruid", "La Fiancée de la lune", "The Moon Bride"),
        text=_t(
            """Een hedendaagse opera naar een Brabantse volkssage over een meisje dat met de maan
            wil trouwen. Voor vijf zangers, strijkkwintet en elektronica.""",
            """Un opéra contemporain d'après une légende brabançonne, sur une jeune fille qui veut
            épouser la lune. Pour cinq chanteurs, quintette à cordes et électronique.""",
            """A contemporary opera after a Brabant folk tale about a girl who wants to marry the
            moon. For five singers, string quintet and electronics.""",
        ),
        run=(77, 2, 2),
    ),
    _Show(
        id="cc-coloma-eerst-koffie",
        hall="cc-coloma-leeuw-theaterzaal",
        genre=Genre.COMEDY,
        languages=("nl",),
        minutes=90,
        price=2000,
        title=_t("Eerst koffie", "D'abord un café", "Coffee First"),
        text=_t(
            """Comédienne Sanne Wouters heeft een theorie: alles wat fout loopt, loopt fout voor de
            eerste koffie. Een ochtendhumeur van anderhalf uur, maar dan grappig.""",
            """L'humoriste Sanne Wouters a une théorie : tout ce qui tourne mal tourne mal avant le
            premier café. Une humeur matinale d'une heure et demie, mais drôle.""",
            """Comedian Sanne Wouters has a theory: everything that goes wrong goes wrong before the
            first coffee. Ninety minutes of morning grumpiness, only funny.""",
        ),
        run=(12, 2, 1),
    ),
    _Show(
        id="cc-coloma-circus-zonder-grenzen",
        hall="cc-coloma-leeuw-theaterzaal",
        genre=Genre.CIRCUS,
        languages=(),
        minutes=65,
        price=1400,
        age=6,
        title=_t("Circus zonder grenzen", "Cirque sans frontières", "Circus Without Borders"),
        text=_t(
            """Jongleurs en acrobaten uit vijf landen delen één piste en geen enkele
            gemeenschappelijke taal. Dat blijkt ook niet nodig.""",
            """Des jongleurs et acrobates de cinq pays partagent une piste et aucune langue commune.
            Ce n'est d'ailleurs pas nécessaire.""",
            """Jugglers and acrobats from five countries share one ring and no common language. It
            turns out they don't need one.""",
        ),
        run=(42, 2, 4),
        slot="family",
    ),
    _Show(
        id="cc-coloma-het-huis-aan-de-zenne",
        hall="cc-coloma-leeuw-theaterzaal",
        genre=Genre.THEATRE,
        languages=("nl",),
        minutes=95,
        price=2200,
        age=12,
        title=_t(
            "Het huis aan de Zenne", "La Maison au bord de la Senne", "The House on the Senne"
        ),
        text=_t(
            """Drie zussen komen na jaren terug naar het ouderlijk huis, dat na de overstroming te
            koop staat. Een ingetogen familiedrama over wat een plek met je doet.""",
            """Trois sœurs reviennent après des années dans la maison familiale, mise en vente après
            l'inondation. Un drame familial tout en retenue sur ce qu'un lieu fait de nous.""",
            """Three sisters return after many years to the family home, up for sale after the
            flood. A restrained family drama about what a place does to you.""",
        ),
        run=(83, 2, 1),
    ),
    _Show(
        id="cc-de-meent-pajottenland-swing",
        hall="cc-de-meent-alsemberg-theaterzaal",
        genre=Genre.MUSIC,
        languages=(),
        minutes=110,
        price=2200,
        title=_t("Pajottenland Swing", "Pajottenland Swing", "Pajottenland Swing"),
        text=_t(
            """Een bigband van zeventien muzikanten speelt swingklassiekers en eigen composities
            geïnspireerd op het Pajottenland. Dansschoenen mogen mee.""",
            """Un big band de dix-sept musiciens joue des classiques du swing et des compositions
            inspirées du Pajottenland. Chaussures de danse bienvenues.""",
            """A seventeen-piece big band plays swing classics and original tunes inspired by the
            Pajottenland. Dancing shoes welcome.""",
        ),
        run=(17, 2, 1),
    ),
    _Show(
        id="cc-de-meent-de-sneeuwkoningin",
        hall="cc-de-meent-alsemberg-kleine-zaal",
        genre=Genre.YOUTH,
        languages=("nl",),
        minutes=60,
        price=1000,
        age=6,
        title=_t("De sneeuwkoningin", "La Reine des neiges", "The Snow Queen"),
        text=_t(
            """Het sprookje van Andersen, verteld met papier, licht en een muzikant. Gerda trekt
            door een witte wereld om haar vriend Kay terug te halen.""",
            """Le conte d'Andersen, raconté avec du papier, de la lumière et un musicien. Gerda
            traverse un monde blanc pour ramener son ami Kay.""",
            """Andersen's fairy tale, told with paper, light and one musician. Gerda crosses a
            white world to bring her friend Kay back home.""",
        ),
        run=(26, 3, 7),
        slot="family",
    ),
    _Show(
        id="cc-de-meent-zij-danste-alleen",
        hall="cc-de-meent-alsemberg-theaterzaal",
        genre=Genre.DANCE,
        languages=(),
        minutes=70,
        price=2000,
        age=12,
        title=_t("Zij danste alleen", "Elle dansait seule", "She Danced Alone"),
        text=_t(
            """Een solo van een danseres van zestig over een leven in beweging. Ontroerend,
            eerlijk en verrassend speels.""",
            """Un solo d'une danseuse de soixante ans sur une vie en mouvement. Émouvant, sincère
            et étonnamment ludique.""",
            """A solo by a sixty-year-old dancer about a life in motion. Moving, honest and
            surprisingly playful.""",
        ),
        run=(58, 1, 1),
    ),
    _Show(
        id="cc-de-meent-zonder-filter",
        hall="cc-de-meent-alsemberg-theaterzaal",
        genre=Genre.COMEDY,
        languages=("nl",),
        minutes=100,
        price=2200,
        age=16,
        title=_t("Zonder filter", "Sans filtre", "Unfiltered"),
        text=_t(
            """Drie comedians, één microfoon en geen enkel taboe. Een avond stand-up die de grens
            opzoekt en er af en toe overgaat.""",
            """Trois humoristes, un micro et aucun tabou. Une soirée de stand-up qui cherche la
            limite et la franchit parfois.""",
            """Three comedians, one microphone and no taboos. An evening of stand-up that looks for
            the line and occasionally crosses it.""",
        ),
        run=(90, 2, 1),
    ),
)

# Performances whose status is not the default on-sale, so the webshop shows every state.
_STATUS: dict[str, PerformanceStatus] = {
    "handelsbeurs-noorderzon-01": PerformanceStatus.SOLD_OUT,
    "ntgent-de-storm-01": PerformanceStatus.SOLD_OUT,
    "ntgent-de-storm-02": PerformanceStatus.SOLD_OUT,
    "kopergietery-de-reus-van-het-bos-01": PerformanceStatus.SOLD_OUT,
    "cc-kortrijk-nooit-tevreden-01": PerformanceStatus.SOLD_OUT,
    "campo-zwerm-03": PerformanceStatus.CANCELLED,
    "cc-wevelgem-de-buren-van-hiernaast-03": PerformanceStatus.CANCELLED,
    "theater-antigone-the-long-goodbye-03": PerformanceStatus.DRAFT,
    "cc-de-meent-zonder-filter-02": PerformanceStatus.DRAFT,
}


# --- schedule -------------------------------------------------------------------------------

# Evenings run Tuesday to Saturday; family shows fill Wednesday and Sunday afternoons.
_SLOT_WEEKDAYS: dict[Slot, frozenset[int]] = {
    "evening": frozenset({1, 2, 3, 4, 5}),
    "family": frozenset({2, 6}),
    "matinee": frozenset({6}),
    "daily": frozenset(range(7)),
}
_WEDNESDAY = 2
_SALES_OPEN_AT = time(10, 0)
# Online sales stop an hour before the show; the box office sells the last tickets at the door.
_ONLINE_SALES_STOP = timedelta(hours=1)
# A hall needs time between two shows for the get-out and the next get-in.
_CHANGEOVER = timedelta(hours=2)


def _start_time(show: _Show, day: date) -> time:
    if show.at is not None:
        return show.at
    if show.slot == "family":
        return time(14, 0) if day.weekday() == _WEDNESDAY else time(15, 0)
    if show.slot == "matinee":
        return time(15, 0)
    return time(20, 0)


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=BRUSSELS).astimezone(UTC)


def _schedule(
    show: _Show, today: date, booked: dict[str, list[tuple[datetime, datetime]]]
) -> list[tuple[datetime, datetime]]:
    """Start and end of each show, skipping days the hall is already taken."""
    first, count, days_apart = show.run
    weekdays = _SLOT_WEEKDAYS[show.slot]
    duration = timedelta(minutes=show.minutes + show.interval)
    taken = booked.setdefault(show.hall, [])
    day = today + timedelta(days=first)
    times: list[tuple[datetime, datetime]] = []
    while len(times) < count:
        starts = _at(day, _start_time(show, day))
        ends = starts + duration
        clash = any(
            starts < other_end + _CHANGEOVER and other_start < ends + _CHANGEOVER
            for other_start, other_end in taken
        )
        if day.weekday() in weekdays and not clash:
            times.append((starts, ends))
            taken.append((starts, ends))
            day += timedelta(days=days_apart)
        else:
            day += timedelta(days=1)
    return times


def _tariffs(show: _Show, hall: Hall) -> tuple[Tariff, ...]:
    kinds: tuple[_TariffKind, ...]
    if show.slot == "family" or show.genre is Genre.YOUTH:
        kinds = _FAMILY_TARIFFS
    elif show.genre is Genre.FESTIVAL or hall.layout is HallLayout.STANDING:
        kinds = _LIGHT_TARIFFS
    else:
        kinds = _FULL_TARIFFS
    standard = {zone.id: _share(show.price, _ZONE_SHARE[zone.rank]) for zone in hall.price_zones}
    return tuple(
        Tariff(
            id=kind.id,
            name=kind.name,
            prices={zone: _share(cents, kind.share) for zone, cents in standard.items()},
            conditions=kind.conditions,
        )
        for kind in kinds
    )


def _images(show: _Show, index: int) -> tuple[Image, ...]:
    url = f"/img/placeholder/{show.genre.value}.svg"
    title = show.title
    photo = Image(
        url=url,
        alt=_t(
            f"Sfeerbeeld van {title['nl']}",
            f"Photo d'ambiance de {title['fr']}",
            f"Production photo of {title['en']}",
        ),
    )
    # Every third production gets a poster too, so the webshop shows both a single image and
    # a small gallery.
    if index % 3:
        return (photo,)
    poster = Image(
        url=url,
        alt=_t(
            f"Affiche van {title['nl']}", f"Affiche de {title['fr']}", f"Poster for {title['en']}"
        ),
    )
    return (photo, poster)


# --- build ----------------------------------------------------------------------------------


def build_demo(today: date) -> DemoCatalogue:
    """The demo catalogue with performances over the five months after `today`."""
    clusters = _CLUSTERS
    houses = tuple(
        House(
            id=house_id,
            cluster=cluster,
            name=name,
            type=house_type,
            city=city,
            description=description,
            website=f"https://example.org/{house_id}",
        )
        for house_id, cluster, name, house_type, city, description in _HOUSES
    )
    venues = tuple(
        Venue(
            id=venue_id,
            house=house,
            name=name,
            address=address,
            city=city,
            accessibility=_accessibility(facts),
        )
        for venue_id, house, name, address, city, facts in _VENUES
    )
    venue_house = {venue.id: venue.house for venue in venues}
    halls = tuple(
        Hall(
            id=hall_id,
            house=venue_house[venue],
            venue=venue,
            name=name,
            layout=_LAYOUT[zones],
            capacity=capacity,
            price_zones=_ZONES[zones],
            seat_map=seat_map_id(hall_id),
        )
        for hall_id, venue, name, capacity, zones in _HALLS
    )
    hall_by_id = {hall.id: hall for hall in halls}
    cluster_of = {house.id: house.cluster for house in houses}

    productions: list[Production] = []
    performances: list[Performance] = []
    booked: dict[str, list[tuple[datetime, datetime]]] = {}
    sales_default_opens = _at(today, _SALES_OPEN_AT)
    for index, show in enumerate(_SHOWS):
        hall = hall_by_id[show.hall]
        production = Production(
            id=show.id,
            house=hall.house,
            title=show.title,
            description=show.text,
            genre=show.genre,
            languages=show.languages,
            duration_minutes=show.minutes,
            images=_images(show, index),
            age_advice=show.age,
        )
        productions.append(production)
        opens = sales_default_opens + timedelta(days=show.opens)
        for number, (starts, ends) in enumerate(_schedule(show, today, booked), start=1):
            performance = Performance(
                id=f"{show.id}-{number:02d}",
                house=hall.house,
                cluster=cluster_of[hall.house],
                production=production.id,
                hall=hall.id,
                venue=hall.venue,
                starts_at=starts,
                ends_at=ends,
                sales_opens_at=opens,
                sales_closes_at=starts - _ONLINE_SALES_STOP,
                status=_STATUS.get(f"{show.id}-{number:02d}", PerformanceStatus.ON_SALE),
                tariffs=_tariffs(show, hall),
                title=production.title,
                genre=production.genre,
                image=production.images[0] if production.images else None,
            )
            performance.check_against(hall, production)
            performances.append(performance)

    # A typo in the status table would silently leave a show on sale; fail loudly instead.
    unknown = set(_STATUS) - {performance.id for performance in performances}
    if unknown:
        raise ValueError(f"status overrides for unknown performances: {sorted(unknown)}")

    return CatalogueSet(
        clusters=clusters,
        houses=houses,
        venues=venues,
        halls=halls,
        productions=tuple(productions),
        performances=tuple(performances),
    )
