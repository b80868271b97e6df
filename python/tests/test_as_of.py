"""Twin.locate(as_of=..., layers=...): instants as datetimes, dates, numpy datetime64 and Unix
seconds, one for all points or one per point, on a twin with two epochs (scripts/test-python
imports one layer of the sample twin again, in force from a switch instant, and merges)."""

import datetime as dt
import json
import os

import numpy as np
import pytest

from twingeo import Twin, TwinError
from twingeo.errors import ERR_ARG


@pytest.fixture(scope="session")
def epoch():
    value = os.environ.get("TWINGEO_TEST_EPOCH")
    if not value:
        pytest.fail("TWINGEO_TEST_EPOCH is not set: run scripts/test-python (a JSON file with path, switch, layer)")
    with open(value, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture
def epoch_twin(epoch):
    with Twin(epoch["path"]) as t:
        yield t


@pytest.fixture
def points(box):
    rng = np.random.default_rng(5)
    minx, miny, maxx, maxy = box
    return rng.uniform(minx, maxx, 4000), rng.uniform(miny, maxy, 4000)


def test_one_instant_in_every_form(epoch_twin, epoch, points):
    lon, lat = points
    switch = epoch["switch"]
    layer = epoch_twin.layers[epoch["layer"]]
    before = epoch_twin.locate(lon, lat, as_of=switch - 1)
    after = epoch_twin.locate(lon, lat, as_of=switch)
    inside = before[layer] >= 0
    assert inside.sum() > 400
    # The re-imported layer: new cell indexes, the same codes; the other layers unchanged.
    assert np.all(before[layer][inside] != after[layer][inside])
    codes_before = epoch_twin.locate(lon, lat, as_of=switch - 1, codes=True)[layer]
    codes_after = epoch_twin.locate(lon, lat, as_of=switch, codes=True)[layer]
    assert list(codes_before) == list(codes_after)
    for name in epoch_twin.layers:
        if name != layer:
            assert np.array_equal(before[name], after[name])
    # The latest grid is the new one.
    latest = epoch_twin.locate(lon, lat)
    assert all(np.array_equal(latest[n], after[n]) for n in epoch_twin.layers)
    # The same instants as datetime (aware and naive = UTC), date, numpy datetime64.
    when = dt.datetime.fromtimestamp(switch, tz=dt.timezone.utc)
    forms_after = [when, when.replace(tzinfo=None), np.datetime64(int(switch), "s"), np.int64(switch),
                   when.astimezone(dt.timezone(dt.timedelta(hours=8)))]
    for form in forms_after:
        got = epoch_twin.locate(lon, lat, as_of=form)
        assert np.array_equal(got[layer], after[layer]), form
    day_before = (when - dt.timedelta(days=1)).date()
    assert np.array_equal(epoch_twin.locate(lon, lat, as_of=day_before)[layer], before[layer])


def test_one_instant_per_point(epoch_twin, epoch, points):
    lon, lat = points
    switch = epoch["switch"]
    layer = epoch_twin.layers[epoch["layer"]]
    before = epoch_twin.locate(lon, lat, as_of=switch - 1)
    after = epoch_twin.locate(lon, lat, as_of=switch)
    seconds = np.where(np.arange(lon.size) % 2 == 0, switch - 3600.0, switch + 3600.0)
    seconds[10] = np.nan
    got = epoch_twin.locate(lon, lat, as_of=seconds)
    want = np.where(np.arange(lon.size) % 2 == 0, before[layer], after[layer])
    want[10] = -1
    assert np.array_equal(got[layer], want)
    # datetime64 arrays with NaT, and object arrays of datetimes, give the same.
    stamps = (seconds * 1e6).astype("datetime64[us]")
    stamps[10] = np.datetime64("NaT")
    assert np.array_equal(epoch_twin.locate(lon, lat, as_of=stamps)[layer], want)
    objects = np.array([None if np.isnan(s) else dt.datetime.fromtimestamp(s, tz=dt.timezone.utc) for s in seconds],
                       dtype=object)
    assert np.array_equal(epoch_twin.locate(lon, lat, as_of=objects)[layer], want)
    # Broadcasting: a (2000, 2) grid of points with one instant per row.
    grid = epoch_twin.locate(lon.reshape(2000, 2), lat.reshape(2000, 2), as_of=seconds[::2].reshape(2000, 1))
    assert grid[layer].shape == (2000, 2)
    assert np.array_equal(grid[layer][:, 1], np.where(np.arange(2000) == 5, -1, before[layer][1::2]))
    # One point with a per-point NaN time: -1, not an error.
    one = epoch_twin.locate(lon[:1], lat[:1], as_of=np.array([np.nan]))
    assert all(v.tolist() == [-1] for v in one.values())


def test_layers_selection(twin, points):
    lon, lat = points
    everything = twin.locate(lon, lat)
    picked = twin.locate(lon, lat, layers=[twin.layers[-1], 0, twin.layers[-1]])
    assert list(picked) == [twin.layers[-1], twin.layers[0]]
    for name, cells in picked.items():
        assert np.array_equal(cells, everything[name])
    one = twin.locate(lon, lat, layers=twin.layers[0], codes=True)
    assert list(one) == [twin.layers[0]]
    assert list(one[twin.layers[0]]) == list(twin.locate(lon, lat, codes=True)[twin.layers[0]])
    with pytest.raises(KeyError):
        twin.locate(lon, lat, layers=["no such layer"])
    with pytest.raises(KeyError):
        twin.locate(lon, lat, layers=[len(twin.layers)])


def test_bad_instants(twin, points):
    lon, lat = points
    with pytest.raises(TwinError) as e:
        twin.locate(lon, lat, as_of=float("nan"))
    assert e.value.code == ERR_ARG and "twin_locate_select" in e.value.message
    with pytest.raises(TwinError) as e:
        twin.locate(lon, lat, as_of=1e13)  # year ~318,000
    assert e.value.code == ERR_ARG
    with pytest.raises(TwinError):
        twin.locate(lon[:0], lat[:0], as_of=np.datetime64("NaT"))  # checked even for no points
    with pytest.raises(TypeError):
        twin.locate(lon, lat, as_of=True)
    with pytest.raises(TypeError):
        twin.locate(lon, lat, as_of="2025-01-01")
    with pytest.raises(ValueError):
        twin.locate(lon, lat, as_of=np.zeros(3))


def test_locate_point_as_of(epoch_twin, epoch, points):
    lon, lat = points
    switch = epoch["switch"]
    for i in range(50):
        before = epoch_twin.locate_point(lon[i], lat[i], as_of=switch - 1)
        batch = epoch_twin.locate(lon[i:i + 1], lat[i:i + 1], as_of=switch - 1)
        assert before == {k: int(v[0]) for k, v in batch.items()}
        latest = epoch_twin.locate(lon[i], lat[i])  # scalars in, 0-d arrays out
        assert epoch_twin.locate_point(lon[i], lat[i]) == {k: int(v) for k, v in latest.items()}
