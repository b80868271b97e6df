"""Twin.nearest, Twin.cameras_seeing and Twin.excavation against brute force over the twin file's
own asset tables (read with pyogrio, projected with pyproj to CGCS2000 GK EPSG:4549, measured with
numpy and shapely)."""

import math

import numpy as np
import pytest

from twingeo import NETWORKS, Twin, TwinError
from twingeo.errors import ERR_ARG, ERR_CRS, ERR_GEOMETRY

TABLES = {"building": "asset_buildings", "pipe": "asset_pipes", "camera": "asset_cameras", "sensor": "asset_sensors"}


@pytest.fixture(scope="session")
def to_gk():
    from pyproj import Transformer
    return Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True)


@pytest.fixture(scope="session")
def asset_tables(twin_path, to_gk):
    """{kind: (ids, projected shapely geometries, field dict)} from the twin file."""
    import pyogrio.raw
    import shapely
    tables = {}
    for kind, table in TABLES.items():
        meta, _, wkb, fields = pyogrio.raw.read(twin_path, layer=table)
        columns = dict(zip(meta["fields"], fields))
        geoms = shapely.from_wkb(wkb)
        projected = shapely.transform(geoms, lambda xy: np.column_stack(to_gk.transform(xy[:, 0], xy[:, 1])))
        tables[kind] = (np.asarray(columns["asset_id"], dtype=object), projected, columns, geoms)
    return tables


def test_every_kind_is_loaded(twin, asset_tables):
    for kind, (ids, _, _, _) in asset_tables.items():
        assert twin.assets().count(kind) == len(ids) > 0, kind


@pytest.mark.parametrize("kind", list(TABLES))
def test_nearest_equals_brute_force(twin, asset_tables, box, to_gk, kind):
    import shapely
    ids, projected, _, _ = asset_tables[kind]
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = box
    lon = rng.uniform(minx, maxx, 200)
    lat = rng.uniform(miny, maxy, 200)
    px, py = to_gk.transform(lon, lat)
    k = 5
    for i in range(lon.size):
        got_ids, got_d = twin.nearest(lon[i], lat[i], kind, k=k)
        d = shapely.distance(shapely.points(px[i], py[i]), projected)
        order = np.argsort(d, kind="stable")[:k]
        # Distances agree to a micrometre (same projection, same exact segment distance).
        np.testing.assert_allclose(got_d, d[order], rtol=0, atol=1e-6)
        # Ids agree except among assets at the same distance (ties are ordered by slot).
        for j in range(k):
            if abs(d[order[j]] - got_d[j]) < 1e-6 and (np.sum(np.abs(d - got_d[j]) < 1e-6) == 1):
                assert got_ids[j] == ids[order[j]], (kind, i, j)
        assert list(got_d) == sorted(got_d)


def test_nearest_limits_and_crs(twin, box):
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    ids, d = twin.nearest(cx, cy, "camera", k=10)
    assert len(ids) == 10 and len(d) == 10
    near_ids, near_d = twin.nearest(cx, cy, "camera", k=10, max_metres=float(d[4]))
    assert list(near_ids) == list(ids[:len(near_ids)]) and len(near_ids) >= 5 and np.all(near_d <= d[4])
    assert len(twin.nearest(cx, cy, "sensor", k=0).ids) == 0
    from twingeo import transform
    gx, gy = transform(cx, cy, "wgs84", "gcj02")
    g_ids, g_d = twin.nearest(float(gx), float(gy), "camera", k=10, crs="gcj02")
    assert g_ids[0] == ids[0] and abs(g_d[0] - d[0]) < 1e-3


def test_nearest_refusals(twin, box):
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    with pytest.raises(TwinError) as e:
        twin.nearest(math.nan, cy, "pipe")
    assert e.value.code == ERR_ARG and "not finite" in e.value.message and "twin_assets_nearest" in e.value.message
    with pytest.raises(TwinError) as e:
        twin.nearest(cx, cy, "pipe", crs="nowhere")
    assert e.value.code == ERR_CRS and "nowhere" in e.value.message
    with pytest.raises(TwinError) as e:
        twin.nearest(cx, cy, "pipe", max_metres=-1)
    assert e.value.code == ERR_ARG
    with pytest.raises(ValueError):
        twin.nearest(cx, cy, "lamp post")
    with pytest.raises(TwinError) as e:
        twin.nearest(cx, cy, 9)
    assert e.value.code == ERR_ARG and "kind 9" in e.value.message


def test_cameras_seeing_matches_the_sector_rule(twin, asset_tables, box, to_gk):
    """A camera sees a point within its range and heading ± fov/2. Brute force with geodesic
    azimuths (pyproj.Geod) agrees wherever the point is not within a hair of a sector edge."""
    from pyproj import Geod
    geod = Geod(ellps="GRS80")
    ids, projected, fields, geoms = asset_tables["camera"]
    import shapely
    cam_lon, cam_lat = shapely.get_x(geoms), shapely.get_y(geoms)
    heading, fov, reach = (np.asarray(fields[c], dtype=float) for c in ("heading", "fov", "range_m"))
    rng = np.random.default_rng(11)
    minx, miny, maxx, maxy = box
    seen_total = 0
    for _ in range(300):
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        got_ids, got_d = twin.cameras_seeing(lon, lat)
        assert list(got_d) == sorted(got_d)
        seen_total += len(got_ids)
        px, py = to_gk.transform(lon, lat)
        dist = shapely.distance(shapely.points(px, py), projected)
        az, _, _ = geod.inv(cam_lon, cam_lat, np.full(len(ids), lon), np.full(len(ids), lat))
        off = np.abs((az - heading + 540) % 360 - 180)  # angle from the heading, 0..180
        clearly_in = (dist < reach - 0.5) & ((off < fov / 2 - 0.05) | (fov >= 360))
        clearly_out = (dist > reach + 0.5) | ((off > fov / 2 + 0.05) & (fov < 360) & (dist > 0.5))
        got = set(got_ids)
        assert set(ids[clearly_in]) <= got
        assert not (set(ids[clearly_out]) & got)
        np.testing.assert_allclose(got_d, [dist[list(ids).index(i)] for i in got_ids], atol=1e-6)
    assert seen_total > 0


def test_excavation_lengths_equal_shapely(twin, asset_tables, box, to_gk):
    import shapely
    ids, projected, fields, _ = asset_tables["pipe"]
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    ring = [(cx - 0.002, cy - 0.0015), (cx + 0.002, cy - 0.0015), (cx + 0.0025, cy + 0.0015), (cx - 0.002, cy + 0.0015)]
    clearance = 3.0
    report = twin.excavation(ring, clearance_metres=clearance)
    assert len(report.ids) > 0
    pit = shapely.Polygon(np.column_stack(to_gk.transform(*np.array(ring).T)))
    zone = pit.buffer(clearance, quad_segs=16)
    d = shapely.distance(pit, projected)
    want = set(ids[d <= clearance])
    assert set(report.ids) == want
    network_of = dict(zip(ids, fields["network"]))
    totals = {n: 0.0 for n in NETWORKS}
    for pid, dist, length, network in zip(report.ids, report.distances, report.lengths, report.networks):
        j = list(ids).index(pid)
        assert abs(dist - d[j]) < 1e-6
        assert network == network_of[pid]
        assert abs(length - shapely.intersection(projected[j], zone).length) < 1e-3
        totals[network] += length
    for n in NETWORKS:
        assert abs(report.length_by_network[n] - totals[n]) < 1e-6
    # The closing vertex may be repeated; a numpy array works as well.
    again = twin.excavation(np.array(ring + [ring[0]]), clearance_metres=clearance)
    assert list(again.ids) == list(report.ids)


def test_excavation_refusals(twin, box):
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    with pytest.raises(TwinError) as e:
        twin.excavation([(cx, cy), (cx + 0.001, cy)])
    assert e.value.code == ERR_GEOMETRY
    with pytest.raises(TwinError) as e:
        twin.excavation([(cx, cy), (cx + 0.001, cy), (cx, math.nan)])
    assert e.value.code == ERR_ARG and "vertex 2" in e.value.message
    with pytest.raises(TwinError) as e:
        twin.excavation([(cx, cy), (cx + 0.001, cy), (cx, cy + 0.001)], clearance_metres=-2)
    assert e.value.code == ERR_ARG
    with pytest.raises(ValueError):
        twin.excavation([cx, cy, cx + 0.001])


def test_assets_close_with_the_twin(twin_path, box):
    t = Twin(twin_path)
    t.nearest((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, "sensor", k=1)
    t.close()
    with pytest.raises(ValueError):
        t.nearest(121.4, 31.2, "sensor")


def test_threads_share_the_assets(twin, box):
    from concurrent.futures import ThreadPoolExecutor
    rng = np.random.default_rng(3)
    minx, miny, maxx, maxy = box
    pts = list(zip(rng.uniform(minx, maxx, 400), rng.uniform(miny, maxy, 400)))
    kinds = list(TABLES)

    def ask(i):
        lon, lat = pts[i]
        hits = twin.nearest(lon, lat, kinds[i % 4], k=5)
        seen = twin.cameras_seeing(lon, lat)
        return list(hits.ids), list(hits.distances), list(seen.ids)

    want = [ask(i) for i in range(len(pts))]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(ask, range(len(pts))))
    assert got == want
