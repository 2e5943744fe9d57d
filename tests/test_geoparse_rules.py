"""Resolution rules of the geoparser and qualified queries, each from our own sentences."""

from __future__ import annotations

import pytest

from gazetteer.geoparse import Geoparser
from gazetteer.query import abbreviation_at, split_query


@pytest.fixture(scope="module")
def gp(gazetteer):
    return Geoparser(gazetteer)


def where(gp, text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return [
        (m.name, m.place and m.place.kind, m.place and m.place.country_code, m.place and m.place.admin1)
        for m in gp.parse(text)
    ]


def reading(gp, text: str, name: str, nth: int = 0):
    ms = [m for m in gp.parse(text) if m.name == name]
    assert len(ms) > nth, f"{name!r} not found in {text!r}"
    return ms[nth].place


# -- "Town, State" / "Town, ST" / "Town, Country" ---------------------------------------------------
def test_town_comma_state_name_picks_the_town_in_that_state(gp):
    p = reading(gp, "A storm knocked out power in Paris, Texas, late on Sunday.", "Paris")
    assert (p.country_code, p.admin1) == ("US", "Texas")


def test_one_sense_per_name_carries_the_qualified_reading(gp):
    text = "The fair opened in Paris, Texas, this week. Paris schools will close early on Friday."
    later = reading(gp, text, "Paris", 1)
    assert (later.country_code, later.admin1) == ("US", "Texas")


@pytest.mark.parametrize(
    "text,name,admin1",
    [
        ("Two bridges closed near Lexington, Ky., after the rain.", "Lexington", "Kentucky"),
        ("The plant in Charleston, W.Va. shut down for a week.", "Charleston", "West Virginia"),
        ("Lobster prices fell in Portland, ME on Tuesday.", "Portland", "Maine"),
        ("Ferries stopped in Portland, Ore., during the storm.", "Portland", "Oregon"),
    ],
)
def test_town_comma_abbreviation(gp, text, name, admin1):
    assert reading(gp, text, name).admin1 == admin1


def test_the_abbreviation_is_a_mention_of_its_state(gp):
    ms = where(gp, "Snow fell on Rapid City, S.D., overnight.")
    assert ("S.D.", "admin1", "US", "South Dakota") in ms


def test_town_comma_state_reads_the_qualifier_as_that_state(gp):
    # "Georgia" after an American town is the state, not the country
    ms = where(gp, "Police in Athens, Georgia, closed two roads. Georgia troopers helped.")
    assert ("Athens", "populated place", "US", "Georgia") in ms
    assert ms.count(("Georgia", "admin1", "US", "Georgia")) == 2


def test_town_comma_country(gp):
    p = reading(gp, "Shelling was reported near Aleppo, Syria, at dawn.", "Aleppo")
    assert p.country_code == "SY"


# -- a name that is exactly an admin-1 unit ---------------------------------------------------------
def test_state_name_is_the_state_even_when_named_twice(gp):
    # no self-support: the second "Minnesota" does not make a small town inside the state likelier
    text = "Minnesota lawmakers met on Monday. Minnesota farmers want a new road bill."
    assert [k for n, k, _c, _a in where(gp, text) if n == "Minnesota"] == ["admin1", "admin1"]


def test_geocode_state_name_is_the_state(gazetteer):
    assert gazetteer.geocode("Oregon").place.kind == "admin1"
    assert gazetteer.geocode("England").place.kind == "admin1"


def test_a_units_seat_of_the_same_name_keeps_its_rank(gazetteer):
    # the town that gives its name to its province is still the first reading of the name
    assert gazetteer.geocode("Kandahar", country="AF").place.kind == "populated place"


# -- qualified queries ---------------------------------------------------------------------------
def test_split_query():
    assert split_query("Paris, Texas") == ("Paris", ["Texas"])
    assert split_query("Springfield, IL, USA") == ("Springfield", ["IL", "USA"])
    assert split_query("Kabul") == ("Kabul", [])


@pytest.mark.parametrize(
    "abbr,ok", [("Va.", True), ("VA", True), ("W.Va.", True), ("N.Y.", True), ("Calif.", True), ("Me", False)]
)
def test_abbreviations(abbr, ok):
    assert (abbreviation_at(abbr, 0) is not None) is ok


@pytest.mark.parametrize(
    "query,cc,admin1",
    [
        ("Paris, Texas", "US", "Texas"),
        ("Paris, TX", "US", "Texas"),
        ("Portland, ME", "US", "Maine"),
        ("Portland, Oregon", "US", "Oregon"),
        ("Kandahar, Afghanistan", "AF", None),
        ("Aleppo, Syria", "SY", None),
        ("Springfield, IL, USA", "US", "Illinois"),
        ("Sydney, NSW", "AU", "New South Wales"),
    ],
)
def test_qualified_geocode(gazetteer, query, cc, admin1):
    c = gazetteer.geocode(query)
    assert c is not None and c.place.kind == "populated place"
    assert c.place.country_code == cc
    if admin1:
        assert c.place.admin1 == admin1


def test_qualified_geocode_falls_back_to_the_qualifier(gazetteer):
    c = gazetteer.geocode("Nowhereville, Kansas")
    assert c is not None and c.matched == "qualifier"
    assert (c.place.kind, c.place.admin1) == ("admin1", "Kansas")


def test_a_comma_that_is_not_a_qualifier_searches_as_before(gazetteer):
    assert gazetteer.geocode("Smith, John") is None


# -- demonyms ------------------------------------------------------------------------------------
def test_a_demonym_is_its_country_never_a_town(gp):
    ms = {m.name: m for m in gp.parse("Canadian officials met two Egyptians and a German envoy.")}
    for word, cc in (("Canadian", "CA"), ("Egyptians", "EG"), ("German", "DE")):
        assert ms[word].place.kind == "country" and ms[word].place.country_code == cc
        assert ms[word].qualifier == "demonym" and ms[word].as_dict()["qualifier"] == "demonym"


def test_demonyms_can_be_left_out(gazetteer):
    ms = Geoparser(gazetteer, demonyms=False).parse("Canadian officials visited the port.")
    assert not any(m.name == "Canadian" for m in ms)


def test_a_people_is_not_a_country_mention(gp):
    assert not any(m.name == "Taliban" for m in gp.parse("Taliban fighters entered the valley."))


# -- admin-2 units -------------------------------------------------------------------------------
def test_county_name_is_the_county(gp):
    ms = where(gp, "Deputies in Becker County, Minn., found the stolen truck.")
    assert ("Becker County", "admin2", "US", "Minnesota") in ms


def test_parish_is_an_admin2_record(gazetteer):
    kinds = {(c.place.kind, c.place.admin1) for c in gazetteer.search("Orleans Parish", limit=5)}
    assert ("admin2", "Louisiana") in kinds


def test_bare_county_name_after_which_the_state_is_written(gp):
    # "Tarrant, Texas": the county of that name in the state written after it
    assert ("Tarrant", "admin2", "US", "Texas") in where(gp, "Two lanes closed in Tarrant, Texas, on Monday.")


# -- spatial coherence ---------------------------------------------------------------------------
def test_namesakes_near_the_other_places_of_the_story_win(gp, monkeypatch):
    text = "Traffic was heavy between Arlington and Manassas on Friday."
    assert reading(gp, text, "Arlington").admin1 == "Virginia"
    import gazetteer.geoparse as geoparse_module

    monkeypatch.setattr(geoparse_module, "COHERENCE_WEIGHT", 0.0)
    monkeypatch.setattr(geoparse_module, "SAME_PROVINCE_WEIGHT", 0.0)
    assert reading(gp, text, "Arlington").admin1 != "Virginia"  # population alone picks another


# -- recognition precision -----------------------------------------------------------------------
def names(gp, text: str) -> list[str]:
    return [m.name for m in gp.parse(text) if m.place is not None]


def test_a_surname_after_a_given_name_is_a_person_later_on(gp):
    text = "Tanya Hailey won the race. The win was a first for Hailey, who lives near Boise."
    assert names(gp, text) == ["Boise"]  # neither the given name nor the surname is a town


def test_a_surname_that_is_a_country_or_big_city_stays_a_place(gp):
    assert "Jordan" in names(gp, "Michael Jordan flew to Jordan on Monday.")


def test_generic_words_alone_are_not_places(gp):
    found = names(gp, "Traffic slowed on the Parkway and near Creek after the Farms fair.")
    assert not {"Parkway", "Creek", "Farms"} & set(found)


def test_an_acronym_of_a_small_town_is_not_a_place(gp):
    found = names(gp, "The ABBA fans and the KLMN station staff met in Toronto.")
    assert found == ["Toronto"]


def test_the_geopy_adapter_reads_qualified_queries(gazetteer):
    from gazetteer.geocoder import OfflineGazetteer

    loc = OfflineGazetteer(gazetteer).geocode("Portland, ME")
    assert loc is not None and loc.raw["admin1"] == "Maine"


def test_english_exonym_of_a_province_and_a_named_region(gazetteer):
    assert gazetteer.geocode("Nineveh").place.kind == "admin1"  # Ninawa governorate, Iraq
    kordofan = gazetteer.geocode("Kordofan")
    assert kordofan is not None and kordofan.place.kind == "region"


def test_a_province_or_county_opening_an_institutions_name_is_a_place(gp):
    found = names(gp, "The Nebraska Highway Patrol and the Laurel County Clerk both said so.")
    assert "Nebraska" in found and "Laurel County" in found


def test_a_small_town_name_before_an_unknown_capitalised_word_is_not_a_place(gp):
    assert "Kinney" not in names(gp, "Kinney Drummond won the race in Boise.")


def test_a_dotted_state_abbreviation_is_the_state_not_a_small_town(gp):
    ms = where(gp, "She grew up in Peoria, Ill. and studied in Mass. before the war.")
    assert ms.count(("Ill.", "admin1", "US", "Illinois")) == 1
    assert ("Mass.", "admin1", "US", "Massachusetts") in ms


def test_a_state_name_is_not_read_as_the_county_of_that_name(gp):
    ms = where(gp, "Farmers in Ohio met in Wheeling. Ohio lawmakers came too.")
    assert [k for n, k, _c, _a in ms if n == "Ohio"] == ["admin1", "admin1"]


def test_a_county_in_the_state_of_the_storys_other_towns_wins(gp, monkeypatch):
    text = "Deputies from Douglas County joined police in Lawrence and Topeka."
    assert reading(gp, text, "Douglas County").admin1 == "Kansas"
    import gazetteer.geoparse as geoparse_module

    monkeypatch.setattr(geoparse_module, "SAME_PROVINCE_WEIGHT", 0.0)
    assert reading(gp, text, "Douglas County").admin1 != "Kansas"  # twelve states have one
