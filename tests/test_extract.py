"""Extraction beyond the seed: roles of places, figures, merging, hostile text."""

from __future__ import annotations

from mapper.extract import extract
from mapper.numbers import parse_number
from mapper.reports import parse_report


def _events(text, geoparser, date="2021-06-01"):
    return extract(parse_report(text, "t.txt", date=date), geoparser)


def test_talks_and_speakers_are_not_event_places(geoparser):
    ev = _events(
        "Peace talks resumed in Doha on Monday. A spokesman in Washington said air strikes hit "
        "positions in Kandahar province overnight.",
        geoparser,
    )
    assert [(e["category"], e["location"], e["geo_precision"]) for e in ev] == [("strike", "Kandahār", 3)]


def test_displacement_stands_at_its_origin(geoparser):
    ev = _events("Some 2,000 people fled Maarat al-Numan to the Turkish border on Sunday.", geoparser)
    (e,) = ev
    assert e["category"] == "displacement" and e["displaced_people"] == 2000
    assert e["country_code"] == "SY" and "Ma" in e["location"]


def test_figures_in_words_and_vague(geoparser):
    assert parse_number("two thousand") == (2000, "two thousand")
    assert parse_number("dozens") == (None, "dozens")
    ev = _events("Dozens of civilians were killed when gunmen attacked a village near Gao.", geoparser)
    e = next(e for e in ev if e["category"] == "attack")
    assert e["fatalities"] is None and e["fatalities_text"].lower() == "dozens"
    assert e["country_code"] == "ML" and e["geo_precision"] == 2


def test_merging_keeps_all_sentences(geoparser):
    ev = _events("Air strikes hit Aleppo on Tuesday. The strikes killed 12 people, medics said.", geoparser)
    (e,) = ev
    assert e["fatalities"] == 12 and e["source_text"].count(" … ") == 1


def test_hostile_text_is_kept_as_text(geoparser):
    ev = _events('Shelling hit Aleppo <script>alert("x")</script> on Monday.', geoparser)
    assert ev and "<script>" in ev[0]["source_text"]


def test_text_without_events(geoparser):
    assert _events("The weather was fine and the market opened as usual.", geoparser) == []
    assert _events("Il y a eu des combats à Gao hier.", geoparser) == []


def _kinds(ev):
    return sorted((e["category"], e["fatalities"]) for e in ev)


# -- the clause reader: an attack verb and what it was done to -------------------------------------


def test_the_three_sentences_of_the_issue(geoparser):
    ev = _events("Taliban fighters attacked Lashkar Gah on Sunday, killing 12 soldiers.", geoparser)
    assert [(e["category"], e["fatalities"], e["country_code"], e["actor1"]) for e in ev] == [
        ("clash", 12, "AF", "Taliban")
    ]
    ev = _events("Boko Haram fighters raided Monguno on Friday, killing 4 soldiers.", geoparser)
    assert [(e["category"], e["fatalities"], e["location"]) for e in ev] == [("clash", 4, "Monguno")]
    ev = _events("Fighting in Qala-e Gaz district of Helmand province killed four civilians on Saturday.", geoparser)
    (e,) = ev
    assert (e["category"], e["fatalities"], e["geo_precision"]) == ("clash", 4, 3)
    assert "Qala-e Gaz" in e["review"]


def test_attack_verbs_read_their_object(geoparser):
    # armed objects make a battle, civilian objects an attack on civilians, a town the toll decides
    assert _kinds(_events("Gunmen attacked police in Kano on Monday, killing three officers.", geoparser)) == [
        ("clash", 3)
    ]
    assert _kinds(_events("Armed men opened fire on a police patrol in Kirkuk on Thursday.", geoparser)) == [
        ("clash", None)
    ]
    assert _kinds(_events("ISWAP fighters raided Damboa overnight, killing 6 soldiers.", geoparser)) == [("clash", 6)]
    assert _kinds(_events("Bandits raided Gusau on Tuesday, killing nine farmers.", geoparser)) == [("attack", 9)]
    assert _kinds(_events("A police convoy was ambushed near Kirkuk on Friday.", geoparser)) == [("clash", None)]
    # an ongoing characterisation is not one act
    assert _events("Officials in Kharkiv said the army was targeting civilians.", geoparser) == []


def test_kill_verbs_with_a_named_killer(geoparser):
    assert _kinds(_events("Al-Shabaab militants killed five soldiers near Baidoa on Monday.", geoparser)) == [
        ("clash", 5)
    ]
    assert _kinds(_events("Militants executed 11 villagers near Djibo on Sunday.", geoparser)) == [("attack", 11)]


def test_strikes_told_by_their_effect_or_in_the_passive(geoparser):
    for text in (
        "The city of Kharkiv was pounded with missiles overnight.",
        "An apartment block in Dnipro was hit by a missile on Friday, killing five people.",
        "A bomb blew up at a bus station in Quetta on Monday.",
        "The bridge outside Izium was blown up on Tuesday.",
        "Drones attacked the port of Odesa overnight.",
    ):
        assert [e["category"] for e in _events(text, geoparser)] == ["strike"], text


def test_one_incident_is_one_event(geoparser):
    assert [e["category"] for e in _events("Protesters clashed with police in Nairobi on Tuesday.", geoparser)] == [
        "unrest"
    ]
    ev = _events("Russian forces launched a drone attack on Odesa overnight, killing two people.", geoparser)
    assert _kinds(ev) == [("strike", 2)]
    ev = _events("Fighting between the army and rebels near Goma killed seven civilians on Tuesday.", geoparser)
    assert _kinds(ev) == [("clash", 7)]


def test_tolls_as_sums_and_other_verbs(geoparser):
    ev = _events("A soldier and two police officers died when their vehicle hit a landmine near Kidal.", geoparser)
    assert _kinds(ev) == [("strike", 3)]
    ev = _events("Troops shot dead four protesters in Mandalay on Saturday.", geoparser)
    assert _kinds(ev) == [("unrest", 4)]


def test_displaced_from_a_governorate_stand_on_the_unit(geoparser):
    (e,) = _events("Some 4,458 families were displaced from Hodeidah governorate last week, the UN said.", geoparser)
    assert e["geo_precision"] == 3 and e["admin1"] == e["location"] and e["displaced_families"] == 4458
    (e,) = _events("About 3,000 people fled their homes in Taiz governorate on Monday.", geoparser)
    assert e["geo_precision"] == 3 and e["displaced_people"] == 3000


def test_no_phantom_events(geoparser):
    for text in (
        "The army denied reports that rebels had attacked Bunia.",
        "The striker scored twice as the visitors beat the hosts in Kano on Sunday.",
        "The minister vowed to fight corruption in Kabul.",
        "A court in Kampala sentenced two men over the 2010 bombings.",
        "Some 300 displaced families returned to their homes in Mosul last week.",
        "Residents of the camp for displaced people near Nyala complained about food shortages.",
        "Hundreds of families are still waiting to be evacuated from Mariupol.",
        "The town of Kidal, seized by rebels years ago, held elections on Sunday.",
        "Lawmakers clashed over the budget in Nairobi on Tuesday.",
    ):
        assert _events(text, geoparser) == [], text


def test_places_that_are_not_the_event_site(geoparser):
    (e,) = _events("Fighters from Tillaberi attacked an army post near Menaka on Friday.", geoparser)
    assert e["category"] == "clash" and e["country_code"] == "ML"
    (e,) = _events("Speaking in Kyiv, the mayor said shelling hit Kherson overnight.", geoparser)
    assert "Kherson" in e["location"]


def test_objects_of_opened_fire_and_raids(geoparser):
    # a camp, people at a festival, workers in fields: civilians; people protesting: force against protesters
    ev = _events("Gunmen opened fire inside a camp for displaced people near Bentiu on Monday.", geoparser)
    assert [e["category"] for e in ev] == ["attack"]
    ev = _events("Gunmen opened fire on hundreds of people at a wedding in Sokoto on Saturday, killing 14.", geoparser)
    assert _kinds(ev) == [("attack", 14)]
    ev = _events("Police opened fire on crowds protesting against fuel prices in Kano on Monday.", geoparser)
    assert [(e["category"], e["sub_event_type"]) for e in ev] == [("unrest", "Excessive force against protesters")]
    ev = _events("Bandits slit the throats of nine herders near Gusau on Friday.", geoparser)
    assert _kinds(ev) == [("attack", 9)]
    ev = _events("At least 40 civilians were killed in Bunia on Sunday, local officials said.", geoparser)
    assert _kinds(ev) == [("attack", 40)]


def test_causes_and_settings_are_not_second_events(geoparser):
    ev = _events(
        "Some 20,000 people fled Rutshuru this week as fighting between rebels and the army spread.", geoparser
    )
    assert [e["category"] for e in ev] == ["displacement"]
    ev = _events("A bomb went off among a crowd gathering for a rally in Peshawar on Sunday, killing 9.", geoparser)
    assert _kinds(ev) == [("strike", 9)]
    ev = _events(
        "Gunmen raided a boarding school in Zamfara on Friday, exchanging fire with guards and abducting 80 pupils.",
        geoparser,
    )
    assert [e["category"] for e in ev] == ["attack"]


def test_tolls_that_rose_and_parts_of_the_dead(geoparser):
    ev = _events(
        "The death toll from a missile strike on a shopping centre in Kremenchuk rose to 21 on Tuesday. "
        "Three of the dead were children.",
        geoparser,
    )
    assert _kinds(ev) == [("strike", 21)]


def test_dateline_is_not_the_event_place(geoparser):
    (e,) = _events(
        "MAIDUGURI, Nigeria — Boko Haram fighters attacked Monguno on Friday, killing 4 soldiers.", geoparser
    )
    assert e["location"] == "Monguno"
    (e,) = _events("KABUL — Taliban fighters attacked Lashkar Gah on Sunday, killing 12 soldiers.", geoparser)
    assert e["location"].startswith("Lashkar")


def test_weapons_seen_and_sport_watched_are_no_events(geoparser):
    assert _events("Tanks and helicopter gunships were deployed around the airport in Juba on Sunday.", geoparser) == []
    assert _events("Fans watched the clash in bars in Kyiv and Lviv.", geoparser) == []
    assert _events("A court in Kigali found the former mayor guilty of crimes against humanity.", geoparser) == []
    assert _events("The families, already displaced once, were living in a school in Goma.", geoparser) == []


def _place(pid, name, cc, a1, kind="populated place", population=1000):
    from gazetteer import Place

    return Place(pid, name, 0.0, 0.0, cc, a1, "", "", kind, population, "", "test")


def _mention(text, name, place, alternatives=()):
    from gazetteer import Candidate
    from gazetteer.geoparse import Mention

    start = text.index(name)
    alts = tuple(Candidate(p, 0.9, name) for p in alternatives)
    return Mention(start, start + len(name), name, place, 1.0, "", alts)


def test_a_town_outside_the_unit_named_after_it_is_a_namesake(gazetteer):
    from mapper.extract import _containers_guarded

    text = "Raiders burned the hamlet of Kora in Lowland province on Monday."
    far = _place("t:1", "Kora", "XX", "09")
    near = _place("t:2", "Kora", "YY", "03")
    unit = _place("t:3", "Lowland", "YY", "03", kind="admin1")
    ms = [_mention(text, "Kora", far, [near]), _mention(text, "Lowland", unit)]
    assert [m.place.place_id for m in _containers_guarded(text, ms, gazetteer)] == ["t:2", "t:3"]
    ms = [_mention(text, "Kora", far), _mention(text, "Lowland", unit)]
    assert [m.place.place_id for m in _containers_guarded(text, ms, gazetteer)] == ["t:3"]


def test_a_small_lone_town_abroad_is_a_namesake_of_the_story_country():
    from mapper.extract import _namesakes_guarded

    text = "HILLTOWN — Raiders burned Kora on Monday. Hilltown and Riverbend sent aid."
    story = [_place(f"t:{i}", n, "YY", "01", population=90_000) for i, n in enumerate(("Hilltown", "Riverbend"))]
    far = _place("t:9", "Kora", "XX", "02")
    big = _place("t:8", "Kora", "XX", "02", population=2_000_000)
    ms = [_mention(text, "HILLTOWN", story[0]), _mention(text, "Kora", far), _mention(text, "Riverbend", story[1])]
    assert [m.name for m in _namesakes_guarded(text, ms)] == ["HILLTOWN", "Riverbend"]
    ms[1] = _mention(text, "Kora", big)  # a large city is rarely a wrong reading
    assert [m.name for m in _namesakes_guarded(text, ms)] == ["HILLTOWN", "Kora", "Riverbend"]


def test_crowds_and_protests(geoparser):
    ev = _events("Clashes between rival crowds in the centre of Mombasa left three people dead on Sunday.", geoparser)
    assert [(e["category"], e["fatalities"]) for e in ev] == [("unrest", 3)]
    ev = _events("Police opened fire on a demonstration in Conakry on Monday, killing two people.", geoparser)
    assert [(e["category"], e["sub_event_type"]) for e in ev] == [("unrest", "Excessive force against protesters")]
    ev = _events("Police opened fire on striking nurses in Harare on Tuesday.", geoparser)
    assert [e["category"] for e in ev] == ["unrest"]
    ev = _events("Police fired tear gas and rubber bullets at demonstrators in Minsk on Sunday.", geoparser)
    assert [(e["category"], e["sub_event_type"]) for e in ev] == [("unrest", "Excessive force against protesters")]
    ev = _events("Armed men stormed the town hall in Beni on Monday and set it on fire.", geoparser)
    assert "unrest" not in [e["category"] for e in ev]


def test_buildings_and_sites_named_with_a_city(geoparser):
    (e,) = _events("A car bomb exploded outside the interior ministry in Kabul on Monday.", geoparser)
    assert (e["category"], e["location"]) == ("strike", "Kabul")
    (e,) = _events("A bomb exploded at the Victoria market in Kampala on Friday.", geoparser)
    assert (e["category"], e["location"], e["country_code"]) == ("strike", "Kampala", "UG")


def test_killings_told_many_ways(geoparser):
    assert _kinds(_events("A soldier shot dead two boys in Jenin on Monday.", geoparser)) == [("attack", 2)]
    assert _kinds(_events("Attackers hacked to death 23 villagers near Beni on Sunday.", geoparser)) == [("attack", 23)]
    ev = _events("Eleven tourists and a local guide were killed near Luxor on Friday.", geoparser)
    assert _kinds(ev) == [("attack", 12)]
    assert _events("Survivors gathered in Kigali on Sunday, 30 years after militias killed thousands.", geoparser) == []


def test_displaced_counted_as_a_running_total(geoparser):
    (e,) = _events(
        "Buses left Sumy on Friday, bringing to 12,000 the number of people evacuated from the city this week.",
        geoparser,
    )
    assert (e["category"], e["displaced_people"]) == ("displacement", 12000)


def test_sport_is_no_event_unless_people_are_hurt(geoparser):
    assert _events("Fans cheered as the derby clash ended level in Accra on Sunday.", geoparser) == []
    ev = _events("A bomb exploded among football fans in Mogadishu on Sunday, killing 5.", geoparser)
    assert _kinds(ev) == [("strike", 5)]


def test_background_told_with_came_as_and_earlier(geoparser):
    ev = _events("The blast in Kandahar came as troops fought insurgents across the province.", geoparser)
    assert [e["category"] for e in ev] == ["strike"]
    assert _events("The families had fled the fighting in Sumy weeks earlier.", geoparser) == []


def test_more_dead_and_bodies_found(geoparser):
    ev = _events("Four people were shot dead in Mosul on Friday, and nine more died in hospital.", geoparser)
    assert [e["fatalities"] for e in ev] == [13]
    ev = _events("Gunmen attacked the village of Kodo near Djibo; villagers later found 31 bodies.", geoparser)
    assert [e["fatalities"] for e in ev] == [31]


def test_protesters_attacking_is_a_riot_and_aircraft_bombing_a_strike(geoparser):
    ev = _events("Protesters attacked the parliament building in Nairobi on Tuesday.", geoparser)
    assert [(e["category"], e["sub_event_type"]) for e in ev] == [("unrest", "Violent demonstration")]
    assert [e["category"] for e in _events("Warplanes bombed the centre of Idlib on Monday.", geoparser)] == ["strike"]
    ev = _events("Youths threw petrol bombs at police in Belfast on Monday night.", geoparser)
    assert [e["category"] for e in ev] == ["unrest"]


def test_a_deliberate_killing_beside_another_event_is_its_own_event(geoparser):
    ev = _events("Riots broke out in Patras on Saturday after a policeman shot dead a teenager.", geoparser)
    assert sorted(e["category"] for e in ev) == ["attack", "unrest"]
    ev = _events(
        "A car bomb exploded in Bergen, and the gunman then shot dead 14 people at a school in Stavanger.", geoparser
    )
    assert sorted(e["category"] for e in ev) == ["attack", "strike"]
    ev = _events("Air strikes hit a market in Idlib on Monday, killing 12 civilians.", geoparser)
    assert _kinds(ev) == [("strike", 12)]


def test_a_drawn_out_activity_before_the_event_is_its_background(geoparser):
    ev = _events(
        "Militiamen stormed a camp for displaced people near Nyala on Friday after weeks of shelling.", geoparser
    )
    assert [e["category"] for e in ev] == ["attack"]


def test_police_killing_during_a_protest_is_force_against_protesters(geoparser):
    ev = _events(
        "Police shot dead a teacher during a protest by nurses outside the hospital in Kano on Monday.", geoparser
    )
    assert [(e["category"], e["sub_event_type"]) for e in ev] == [("unrest", "Excessive force against protesters")]


def test_gunmen_in_suicide_vests_and_checkpoints_manned_by_villagers(geoparser):
    ev = _events(
        "Gunmen wearing suicide vests stormed a college in Garissa on Thursday, killing 30 students.", geoparser
    )
    assert [e["category"] for e in ev] == ["attack"]
    ev = _events("Insurgents opened fire on a checkpoint manned by village guards near Pattani on Monday.", geoparser)
    assert [e["category"] for e in ev] == ["clash"]


def test_attackers_who_fled_are_not_displaced(geoparser):
    ev = _events("The gunmen abducted nine pupils in Kaduna on Tuesday and fled into the forest.", geoparser)
    assert [e["category"] for e in ev] == ["attack"]
