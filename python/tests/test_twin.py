"""twingeo against libtwin's contracts, shapely (cells) and pyproj (transforms)."""

import math
import os
import pathlib

import numpy as np
import pytest

import twingeo
from twingeo import Twin, TwinError, transform

RNG_SEED = 20251128


def random_points(box, n, margin=0.1, seed=RNG_SEED):
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = box
    w, h = maxx - minx, maxy - miny
    lon = rng.uniform(minx - margin * w, maxx + margin * w, n)
    lat = rng.uniform(miny - margin * h, maxy + margin * h, n)
    return lon, lat


# -- open / close / errors -------------------------------------------------------------------

def test_version():
    assert twingeo.libtwin_version() == 100


def test_open_and_close(twin_path):
    t = Twin(twin_path)
    assert t.layers and all(isinstance(n, str) and n for n in t.layers)
    assert len(set(t.layers)) == len(t.layers)
    assert "layers" in repr(t)
    t.close()
    t.close()  # harmless
    with pytest.raises(ValueError, match="closed"):
        t.locate([121.4], [31.2])


def test_open_missing_file(tmp_path):
    with pytest.raises(TwinError) as e:
        Twin(tmp_path / "missing.gpkg")
    assert e.value.code == twingeo.ERR_IO
    assert "missing.gpkg" in e.value.message
    assert not (tmp_path / "missing.gpkg").exists()


def test_open_text_file(tmp_path):
    p = tmp_path / "events.gpkg"
    p.write_text("id,lon,lat\n1,121.4,31.2\n")
    with pytest.raises(TwinError) as e:
        Twin(p)
    assert e.value.code == twingeo.ERR_FORMAT
    assert "events.gpkg" in str(e.value)
    assert p.read_text() == "id,lon,lat\n1,121.4,31.2\n"


def test_unknown_crs(twin):
    with pytest.raises(TwinError) as e:
        twin.locate([121.4], [31.2], crs="mercator")
    assert e.value.code == twingeo.ERR_CRS and "mercator" in e.value.message
    with pytest.raises(TwinError) as e:
        transform([121.4], [31.2], "wgs84", "EPSG:999999")
    assert e.value.code == twingeo.ERR_CRS


def test_shape_mismatch(twin):
    with pytest.raises(ValueError):
        twin.locate([1.0, 2.0], [1.0])


def test_cell_lookup_errors(twin):
    with pytest.raises(TwinError) as e:
        twin.cell_code(0, -1)
    assert e.value.code == twingeo.ERR_NOT_FOUND
    with pytest.raises(TwinError) as e:
        twin.cell_code(0, twin.cell_count(0))
    assert e.value.code == twingeo.ERR_NOT_FOUND
    with pytest.raises(KeyError):
        twin.cell_count("no-such-layer")


# -- locate ------------------------------------------------------------------------------------

def test_locate_shapes_nan_and_codes(twin, box):
    lon, lat = random_points(box, 2000)
    lon[3] = np.nan
    lat[4] = np.inf
    cells = twin.locate(lon, lat)
    assert list(cells) == twin.layers
    for name, a in cells.items():
        assert a.dtype == np.int32 and a.shape == (2000,)
        assert a[3] == -1 and a[4] == -1
        assert a.max() < twin.cell_count(name)
    # 2-D input keeps its shape; lists and scalars are accepted.
    grid = twin.locate(lon.reshape(40, 50), lat.reshape(40, 50))
    assert all(np.array_equal(grid[n].ravel(), cells[n]) for n in twin.layers)
    one = twin.locate(float(lon[0]), float(lat[0]))
    assert all(int(one[n]) == int(cells[n][0]) for n in twin.layers)
    assert twin.locate_point(lon[0], lat[0]) == {n: int(cells[n][0]) for n in twin.layers}
    # Codes.
    codes = twin.locate(lon, lat, codes=True)
    for name in twin.layers:
        for i in range(0, 2000, 97):
            c = cells[name][i]
            assert codes[name][i] == (None if c < 0 else twin.cell_code(name, c))
    # Empty input.
    empty = twin.locate(np.array([]), np.array([]))
    assert all(v.size == 0 for v in empty.values())


def test_locate_in_other_crs(twin, box):
    lon, lat = random_points(box, 5000)
    want = twin.locate(lon, lat)
    for crs in ("gcj02", "bd09"):
        x, y = transform(lon, lat, "wgs84", crs)
        got = twin.locate(x, y, crs=crs)
        for name in twin.layers:
            assert np.array_equal(got[name], want[name]), (crs, name)


def test_locate_matches_shapely(twin, box, layer_features):
    """100k random points: the twin's cell equals the GeoJSON polygon containing the point,
    for every point farther than ~10 m from any cell boundary of that layer (the merge may
    snap slivers below 50 m² to a neighbour, which moves answers only that close to an edge)."""
    import shapely
    n = 100_000
    lon, lat = random_points(box, n)
    points = shapely.points(lon, lat)
    cells = twin.locate(lon, lat, codes=True)
    near_m = 1e-4  # degrees: ~11 m north-south, ~9.5 m east-west at 31°N
    compared = 0
    for name, features in layer_features.items():
        if name not in twin.layers:
            continue
        polygons = [g for _, g in features]
        tree = shapely.STRtree(polygons)
        lines = shapely.STRtree([shapely.boundary(g) for g in polygons])
        near = np.zeros(n, dtype=bool)
        near[np.unique(lines.query(points, predicate="dwithin", distance=near_m)[0])] = True
        hit_point, hit_poly = tree.query(points, predicate="intersects")
        hits = np.bincount(hit_point, minlength=n)
        expected = np.full(n, None, dtype=object)
        expected[hit_point] = np.array([features[j][0] for j in hit_poly], dtype=object)
        usable = ~near & (hits <= 1)
        got = cells[name]
        wrong = np.flatnonzero(usable & (got != expected))
        assert wrong.size == 0, (f"layer {name}: {wrong.size} of {usable.sum()} points differ from shapely, e.g. "
                                 f"({lon[wrong[0]]}, {lat[wrong[0]]}): twin {got[wrong[0]]!r}, "
                                 f"shapely {expected[wrong[0]]!r}")
        assert usable.sum() > 0.5 * n, f"layer {name}: only {usable.sum()} points away from edges"
        compared += 1
    assert compared == len(twin.layers), (sorted(layer_features), twin.layers)


# -- transform -------------------------------------------------------------------------------

def test_transform_matches_pyproj(box):
    import pyproj
    lon, lat = random_points(box, 10_000)
    x, y = transform(lon, lat, "wgs84", "EPSG:4549")
    px, py = pyproj.Transformer.from_crs(4326, 4549, always_xy=True).transform(lon, lat)
    assert np.max(np.abs(x - px)) < 1e-6 and np.max(np.abs(y - py)) < 1e-6
    back_x, back_y = transform(x, y, "EPSG:4549", "wgs84")
    assert np.max(np.abs(back_x - lon)) < 1e-9 and np.max(np.abs(back_y - lat)) < 1e-9
    # The inputs are not changed.
    lon2 = lon.copy()
    transform(lon, lat, "wgs84", "gcj02")
    assert np.array_equal(lon, lon2)


def test_transform_gcj02_round_trip(box):
    lon, lat = random_points(box, 10_000)
    gx, gy = transform(lon, lat, "wgs84", "gcj02")
    assert 0.002 < float(np.median(gx - lon)) < 0.008
    bx, by = transform(gx, gy, "gcj02", "bd09")
    wx, wy = transform(bx, by, "bd09", "wgs84")
    assert np.max(np.abs(wx - lon)) < 2e-9 and np.max(np.abs(wy - lat)) < 2e-9


def test_transform_refuses_nan():
    x = np.array([121.4, np.nan, 121.5])
    y = np.array([31.2, 31.2, 31.3])
    with pytest.raises(TwinError) as e:
        transform(x, y, "wgs84", "gcj02")
    assert e.value.code == twingeo.ERR_CRS and "1" in e.value.message
    ex, ey = transform([], [], "wgs84", "gcj02")
    assert ex.size == 0 and ey.size == 0


def test_threads_share_one_twin(twin, box):
    from concurrent.futures import ThreadPoolExecutor
    lon, lat = random_points(box, 40_000)
    want = twin.locate(lon, lat)
    parts = np.array_split(np.arange(lon.size), 8)
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda idx: twin.locate(lon[idx], lat[idx]), parts))
    for idx, answer in zip(parts, got):
        for name in twin.layers:
            assert np.array_equal(answer[name], want[name][idx])
