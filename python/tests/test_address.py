"""AddressGeocoder: door-plates of the sample address book round-trip to their entrances, nonexistent
addresses are not found, every kind of bad input is an answer (never an exception or a crash), and
the batch equals one call per text, also from many threads.

scripts/test-python imports the demo's address book into a copy of the demo twin and sets
TWINGEO_TEST_ADDRESSES to it (the demo directory, TWINGEO_TEST_DEMO, holds the address book files).
"""

import concurrent.futures
import csv
import math
import os
import shutil
import sqlite3

import numpy as np
import pytest

import twingeo
from twingeo import LEVELS, REASONS, AddressGeocoder, Twin, TwinError


@pytest.fixture(scope="session")
def address_twin() -> str:
    value = os.environ.get("TWINGEO_TEST_ADDRESSES")
    if not value:
        pytest.fail("TWINGEO_TEST_ADDRESSES is not set: run scripts/test-python, or set it to a twin with the demo's "
                    "address book imported (twin-tool import-addresses)")
    assert os.path.exists(value), value
    return value


@pytest.fixture(scope="session")
def geocoder(address_twin):
    g = AddressGeocoder(address_twin)
    yield g
    g.close()


@pytest.fixture(scope="session")
def doorplates(demo_dir):
    """(clean address, lon, lat) of every door-plate in the address book's doorplates.csv."""
    rows = []
    with open(demo_dir / "addresses" / "doorplates.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            text = (r["road"] + (r["lane"] + "弄" if r["lane"] else "") + (r["sub_lane"] + "支弄" if r["sub_lane"] else "")
                    + r["number"] + "号")
            rows.append((text, float(r["lon"]), float(r["lat"]), r["road"]))
    assert len(rows) >= 100
    return rows


@pytest.fixture(scope="session")
def event_addresses(demo_dir):
    with open(demo_dir / "events" / "event_addresses.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def metres(lon1, lat1, lon2, lat2):
    """Equirectangular distance in metres (exact enough over metres), numpy-friendly."""
    rad = math.pi / 180
    x = (np.asarray(lon2) - lon1) * rad * np.cos((np.asarray(lat1) + lat2) / 2 * rad)
    y = (np.asarray(lat2) - lat1) * rad
    return 6371008.8 * np.hypot(x, y)


def assert_none(m, reason):
    assert m.level == "none" and not m.is_match
    assert math.isnan(m.lon) and math.isnan(m.lat)
    assert m.score == 0 and m.matched == ""
    assert m.reason == reason


# -- opening -------------------------------------------------------------------------------------

def test_open_errors(tmp_path, twin_path):
    with pytest.raises(TwinError) as e:
        AddressGeocoder(tmp_path / "missing.gpkg")
    assert e.value.code == twingeo.ERR_IO and "missing.gpkg" in e.value.message
    bad = tmp_path / "not-a-twin.gpkg"
    bad.write_bytes(b"not an SQLite file at all" * 10)
    with pytest.raises(TwinError) as e:
        AddressGeocoder(bad)
    assert e.value.code == twingeo.ERR_FORMAT and "twin_geocoder_open" in e.value.message
    # A twin without an address book.
    plain = tmp_path / "plain.gpkg"
    shutil.copyfile(twin_path, plain)
    with sqlite3.connect(plain) as db:
        def tables():
            return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'address%'")]
        while tables():  # one at a time: dropping an FTS5 table drops its shadow tables
            db.execute(f'DROP TABLE "{tables()[0]}"')
        for meta in ("gpkg_contents", "gpkg_geometry_columns"):
            db.execute(f"DELETE FROM {meta} WHERE table_name LIKE 'address%'")
    with pytest.raises(TwinError) as e:
        AddressGeocoder(plain)
    assert e.value.code == twingeo.ERR_FORMAT and "address book" in e.value.message


def test_close(address_twin):
    g = AddressGeocoder(address_twin)
    with g:
        assert g.geocode_one("").level == "none"
    g.close()  # twice: harmless
    with pytest.raises(ValueError):
        g.geocode_one("x")
    with pytest.raises(ValueError):
        g.geocode(["x"])


# -- door-plates and nonexistent addresses -------------------------------------------------------

def test_doorplates_round_trip(geocoder, doorplates):
    texts = [t for t, _, _, _ in doorplates]
    lon = np.array([p[1] for p in doorplates])
    lat = np.array([p[2] for p in doorplates])
    r = geocoder.geocode(texts)
    assert r.lon.shape == (len(texts),) and r.level.shape == (len(texts),)
    assert list(r.level) == ["doorplate"] * len(texts)
    assert (r.level_code == LEVELS.index("doorplate")).all() and r.matched.all()
    d = metres(lon, lat, r.lon, r.lat)
    assert d.max() <= 1.0, f"worst {d.max():.3f} m at {texts[int(d.argmax())]}"
    assert ((r.score >= 0.5) & (r.score <= 1)).all()
    assert (r.reason == "").all()
    # One at a time: the same answer, and the canonical address names the door-plate.
    for i in range(0, len(texts), max(1, len(texts) // 40)):
        m = geocoder.geocode_one(texts[i])
        assert (m.lon, m.lat, m.level, m.score, m.reason) == (r.lon[i], r.lat[i], "doorplate", r.score[i], "")
        assert m.matched == texts[i]


def test_doorplates_written_other_ways(geocoder, doorplates):
    text, lon, lat, road = doorplates[0]
    prefixed = "上海市普陀区" + text + "3楼"
    fullwidth = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    spaced = f" {road} ，{text[len(road):]}（近地铁站） "
    for variant in (prefixed, fullwidth, spaced, text.encode("utf-8")):
        m = geocoder.geocode_one(variant)
        assert m.level == "doorplate", (variant, m)
        assert metres(lon, lat, m.lon, m.lat) <= 1.0
        assert m.matched == text


def test_nonexistent(geocoder, doorplates, event_addresses):
    road = doorplates[0][3]
    m = geocoder.geocode_one(f"{road}8888弄9999号")
    assert_none(m, m.reason)
    assert m.reason in ("no_such_lane", "no_such_number")
    m = geocoder.geocode_one("火星探测器大道一千二百三十四号")
    assert_none(m, m.reason)
    assert m.reason in ("no_such_road", "unrecognised")
    # The sample's nonexistent addresses (real roads with numbers they do not have, invented
    # roads): reported as not found, at least 95% (the bar; precision before recall).
    texts = [r["address"] for r in event_addresses if r["style"] == "nonexistent"]
    assert len(texts) >= 50
    r = geocoder.geocode(texts)
    assert (r.level == "none").mean() >= 0.95
    assert np.isnan(r.lon[r.level == "none"]).all()
    assert (r.reason[r.level == "none"] != "").all()


# -- bad input -----------------------------------------------------------------------------------

def test_bad_input_single(geocoder, doorplates):
    assert_none(geocoder.geocode_one(""), "empty")
    assert_none(geocoder.geocode_one(None), "empty")
    assert_none(geocoder.geocode_one(b""), "empty")
    assert_none(geocoder.geocode_one(" ，。！？（）"), "only_punctuation")
    assert_none(geocoder.geocode_one("\t\x01\x02\n"), "only_punctuation")
    assert_none(geocoder.geocode_one("路" * 10_000), "too_long")
    assert_none(geocoder.geocode_one(doorplates[0][0] * 1000), "too_long")
    assert_none(geocoder.geocode_one(b"\xff\xfe" + "长寿路".encode()), "invalid_utf8")
    assert_none(geocoder.geocode_one(doorplates[0][0].encode()[:-1]), "invalid_utf8")  # cut in a character
    # Bytes decoded with surrogateescape go back to the same invalid bytes; any lone surrogate too.
    assert_none(geocoder.geocode_one(b"\xff\xfe".decode("utf-8", "surrogateescape")), "invalid_utf8")
    assert_none(geocoder.geocode_one("长寿路\ud800"), "invalid_utf8")
    # U+FFFD is where a decoder already replaced invalid bytes: rejected the same way.
    assert_none(geocoder.geocode_one("长寿路\ufffd号"), "invalid_utf8")
    # A NUL inside the text is noise, like a space.
    text = doorplates[0][0]
    assert geocoder.geocode_one(text[:3] + "\0" + text[3:]) == geocoder.geocode_one(text[:3] + " " + text[3:])
    with pytest.raises(TypeError):
        geocoder.geocode_one(12)


def test_bad_input_batch(geocoder, doorplates):
    good = doorplates[0][0]
    texts = [good, "", None, float("nan"), "路" * 10_000, b"\xff\xfe\xfd", "。。。", good + "\0", good]
    r = geocoder.geocode(texts)
    assert list(r.level) == ["doorplate", "none", "none", "none", "none", "none", "none", "doorplate", "doorplate"]
    assert list(r.reason) == ["", "empty", "empty", "empty", "too_long", "invalid_utf8", "only_punctuation", "", ""]
    assert np.isnan(r.lon[1:7]).all() and (r.score[1:7] == 0).all()
    # Every row has an outcome, in order: nothing lost.
    for i, t in enumerate(texts):
        m = geocoder.geocode_one(None if isinstance(t, float) else t)
        assert (m.level, m.reason) == (r.level[i], r.reason[i])
    with pytest.raises(TypeError, match="item 2"):
        geocoder.geocode([good, good, 3.5j])
    empty = geocoder.geocode([])
    assert empty.lon.shape == (0,) and empty.level.shape == (0,)
    one = geocoder.geocode(good)  # a single str is one address, not its characters
    assert one.level.tolist() == ["doorplate"]


def test_codes_and_names():
    assert LEVELS[0] == "none" and LEVELS[1] == "doorplate" and len(LEVELS) == 8
    assert REASONS[0] == "" and REASONS[4] == "invalid_utf8" and len(REASONS) == 11
    from twingeo._lib import lib
    for code, name in enumerate(LEVELS):
        assert lib.twin_match_level_string(code).decode() == name
    for code, name in enumerate(REASONS):
        assert lib.twin_match_reason_string(code).decode() == name


# -- batch vs single, threads, cells -----------------------------------------------------------

def test_batch_equals_single(geocoder, event_addresses):
    texts = [r["address"] for r in event_addresses[:400]]
    r = geocoder.geocode(texts)
    for i, t in enumerate(texts):
        m = geocoder.geocode_one(t)
        assert m.level == r.level[i] and m.reason == r.reason[i] and m.score == r.score[i], t
        assert (m.lon == r.lon[i] or (math.isnan(m.lon) and math.isnan(r.lon[i]))), t


def test_threads(geocoder, event_addresses):
    texts = [r["address"] for r in event_addresses[:3000]]
    want = geocoder.geocode(texts)

    def job(k):
        step = 101 + 37 * k
        parts = [geocoder.geocode(texts[s:s + step]) for s in range(0, len(texts), step)]
        return (np.concatenate([p.level_code for p in parts]), np.concatenate([p.lon for p in parts]),
                np.concatenate([p.score for p in parts]))

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for level, lon, score in pool.map(job, range(8)):
            assert np.array_equal(level, want.level_code)
            assert np.array_equal(lon, want.lon, equal_nan=True)
            assert np.array_equal(score, want.score)


def test_cells_of_geocoded_points(geocoder, address_twin, doorplates):
    texts = [doorplates[0][0], "没有这个地址"]
    r = geocoder.geocode(texts)
    with Twin(address_twin) as twin:
        cells = twin.locate(r.lon, r.lat)
        direct = twin.locate(np.array([doorplates[0][1]]), np.array([doorplates[0][2]]))
    for layer, values in cells.items():
        assert values[0] == direct[layer][0]
        assert values[1] == -1  # no match: NaN position, no cell
