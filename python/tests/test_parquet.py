"""twingeo.parquet: Arrow batches and Parquet files assigned through libtwin, checked row by row
against Twin.locate; input columns survive untouched; batches stay bounded; bad input is refused
with a message naming the column, type or path."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

def _require_pyarrow():
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError as e:  # a failure, not a skip: the suite must not pass without it
        pytest.fail(f"pyarrow is not installed ({e}): scripts/setup installs it (pip install pyarrow)")


_require_pyarrow()
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from twingeo import Twin  # noqa: E402
from twingeo.parquet import BatchAssigner, assign_parquet, main, read_twin_info, unix_seconds  # noqa: E402


def _sqlite(path, sql):
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def kinds(twin_path):
    return dict(_sqlite(twin_path, "SELECT layer_name, kind FROM twin_layers"))


@pytest.fixture(scope="module")
def rules(twin_path):
    return dict(_sqlite(twin_path, "SELECT category, layer_name FROM twin_dispatch_rules"))


def _points(box, n, seed):
    """Points over the district's box and a margin around it (so some fall outside every cell)."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = box
    dx, dy = (maxx - minx) * 0.05, (maxy - miny) * 0.05
    return rng.uniform(minx - dx, maxx + dx, n), rng.uniform(miny - dy, maxy + dy, n)


def _strings(column):
    """A cell column (string or dictionary) as an object array of str / None."""
    if pa.types.is_dictionary(column.type):
        column = column.cast(pa.string())
    return np.array(column.to_pylist(), dtype=object)


def _events(box, n, seed, rules):
    lon, lat = _points(box, n, seed)
    rng = np.random.default_rng(seed + 1)
    categories = np.array(sorted(rules) + ["没有规则的类别", None], dtype=object)
    return pa.table({
        "id": pa.array(np.arange(n, dtype=np.int64)),
        "lon": pa.array(lon),
        "lat": pa.array(lat),
        "time": pa.array(np.datetime64("2025-01-01T00:00:00", "us") + rng.integers(0, 365 * 86400, n) * 1_000_000,
                         type=pa.timestamp("us", tz="UTC")),
        "category": pa.array(categories[rng.integers(0, len(categories), n)], type=pa.string()),
        "address": pa.array([f"雪松路{i}号, \"quoted\"\n" if i % 7 else None for i in range(n)], type=pa.string()),
        "score": pa.array(rng.normal(size=n).astype(np.float32)),
    })


def _expected_hierarchy(twin, kinds, located):
    out = {}
    for kind, column in (("subdistrict", "subdistrict"), ("managementArea", "management_area"),
                         ("community", "community"), ("unitGrid", "unit_grid")):
        first = next((name for name in twin.layers if kinds[name] == kind), None)
        if first is not None:
            out[column] = located[first]
    return out


def test_parquet_round_trip_keeps_every_input_column_and_equals_twin_locate(tmp_path, twin, twin_path, box, kinds,
                                                                             rules):
    n = 25_000
    table = _events(box, n, 11, rules)
    src, dst = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(table, src, row_group_size=7_000)
    report = assign_parquet(src, dst, twin_path, batch_size=4_000, category="category")

    out = pq.read_table(dst)
    assert report.rows == n and out.num_rows == n
    assert out.select(table.column_names).equals(table), "input columns changed"
    expected = twin.locate(table["lon"].to_numpy(), table["lat"].to_numpy(), codes=True)
    expected.update(_expected_hierarchy(twin, kinds, expected))
    added = out.column_names[len(table.column_names):]
    assert added == list(twin.layers) + ["subdistrict", "management_area", "community", "unit_grid",
                                         "responsible_layer", "responsible_cell"]
    for name, codes in expected.items():
        got = _strings(out[name].combine_chunks())
        assert (got == codes).all(), f"{name}: {np.flatnonzero(got != codes)[:5]} differ"
        assert report.counts[name] == int(np.sum(codes != None)) > 0  # noqa: E711
    # Dispatch: the rule's layer for the category, and the row's cell in that layer.
    categories = table["category"].to_pylist()
    layer = np.array([rules.get(c) if c is not None else None for c in categories], dtype=object)
    cell = np.array([expected[l][i] if l is not None else None for i, l in enumerate(layer)], dtype=object)
    assert (_strings(out["responsible_layer"].combine_chunks()) == layer).all()
    assert (_strings(out["responsible_cell"].combine_chunks()) == cell).all()
    assert any(v is not None for v in cell) and any(v is None for v in layer)


def test_batches_are_bounded_one_row_group_each(tmp_path, twin_path, box):
    lon, lat = _points(box, 2_500, 12)
    src, dst = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(pa.table({"lon": lon, "lat": lat}), src)  # one input row group of 2,500
    seen = []
    report = assign_parquet(src, dst, twin_path, batch_size=1_000, progress=seen.append, hierarchy=False)
    assert report.batches == 3 and seen == [1_000, 2_000, 2_500]
    meta = pq.ParquetFile(dst).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [1_000, 1_000, 500]


def test_null_and_non_finite_coordinates_give_null_cells(twin, twin_path, box):
    minx, miny, maxx, maxy = box
    inside = (float(np.mean([minx, maxx])), float(np.mean([miny, maxy])))
    assert all(v is not None for v in twin.locate(*inside, codes=True).values()), "the box centre is inside"
    lon = pa.array([None, inside[0], np.nan, np.inf, -np.inf, inside[0], 0.0, inside[0]], type=pa.float64())
    lat = pa.array([inside[1], None, inside[1], inside[1], inside[1], np.nan, 0.0, inside[1]], type=pa.float64())
    batch = pa.record_batch([lon, lat], names=["lon", "lat"])
    for crs in ("wgs84", "gcj02"):
        assigner = BatchAssigner(twin, read_twin_info(twin_path, twin.layers), crs=crs)
        out = assigner(batch)
        for name in out.schema.names[2:]:
            column = out.column(name).to_pylist()
            assert all(v is None for v in column[:7]), f"{crs} {name}: {column}"
            assert column[7] is not None, f"{crs} {name}: the inside point got no cell"


def test_numeric_coordinate_types_and_cell_indexes(twin, twin_path, box):
    lon, lat = _points(box, 3_000, 13)
    info = read_twin_info(twin_path, twin.layers)
    expected = twin.locate(lon.astype(np.float32).astype(np.float64), lat.astype(np.float32).astype(np.float64))
    batch = pa.record_batch([pa.array(lon.astype(np.float32)), pa.array(lat.astype(np.float32))], names=["x", "y"])
    out = BatchAssigner(twin, info, lon="x", lat="y", codes=False, hierarchy=False, layers=["police", "unit"])(batch)
    assert out.schema.names == ["x", "y", "police", "unit"]
    for name in ("police", "unit"):
        assert out.schema.field(name).type == pa.int32()
        got = out.column(name).fill_null(-1).to_numpy()
        assert (got == expected[name]).all()


def test_options_checked_against_the_schema(twin, twin_path):
    info = read_twin_info(twin_path, twin.layers)
    schema = pa.schema([("lon", pa.float64()), ("lat", pa.string()), ("police", pa.string()), ("t", pa.binary())])
    with pytest.raises(ValueError, match=r"lon column 'longitude' is not in the data \(columns: lon, lat"):
        BatchAssigner(twin, info, lon="longitude").schema(schema)
    with pytest.raises(TypeError, match="lat column 'lat' has type string, not a numeric type"):
        BatchAssigner(twin, info).schema(schema)
    ok = pa.schema([("lon", pa.float64()), ("lat", pa.float64()), ("police", pa.string()), ("t", pa.binary())])
    with pytest.raises(ValueError, match=r"'police' already exist in the input.*prefix="):
        BatchAssigner(twin, info).schema(ok)
    assert "new_police" in BatchAssigner(twin, info, prefix="new_").schema(ok).names
    with pytest.raises(ValueError, match=r"no layer 'nosuch'"):
        BatchAssigner(twin, info, layers=["nosuch"])
    with pytest.raises(TypeError, match="as_of column 't' has type binary"):
        BatchAssigner(twin, info, as_of="t", layers=["unit"], hierarchy=False).schema(ok)
    with pytest.raises(ValueError, match="has no time zone"):
        BatchAssigner(twin, info, as_of="2025-06-01T00:00:00", layers=["unit"], hierarchy=False).schema(ok)
    with pytest.raises(ValueError, match="category column 'kind' is not in the data"):
        BatchAssigner(twin, info, category="kind", layers=["unit"], hierarchy=False).schema(ok)


def test_unix_seconds_of_scalar_times():
    utc = dt.timezone.utc
    assert unix_seconds("2025-01-01T08:00:00+08:00") == unix_seconds(dt.datetime(2025, 1, 1, tzinfo=utc)) == 1735689600
    assert unix_seconds("2025-01-01T00:00:00Z") == 1735689600
    assert unix_seconds(np.datetime64("2025-01-01T00:00:00")) == 1735689600
    assert unix_seconds(dt.date(2025, 1, 1)) == 1735689600 and unix_seconds(1735689600) == 1735689600
    assert unix_seconds(dt.datetime(2025, 1, 1)) == 1735689600  # naive = UTC, as Twin.locate
    for bad, kind in (("2025-01-01T00:00:00", ValueError), (float("nan"), ValueError), ("yesterday", ValueError),
                      (np.datetime64("NaT"), ValueError), (True, TypeError), ([1], TypeError)):
        with pytest.raises(kind):
            unix_seconds(bad)


def test_refused_paths_leave_no_output(tmp_path, twin_path, box):
    lon, lat = _points(box, 100, 14)
    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"lon": lon, "lat": lat, "unit": pa.array(["x"] * 100)}), src)
    with pytest.raises(ValueError, match="is the input file"):
        assign_parquet(src, src, twin_path)
    with pytest.raises(ValueError, match="is the twin file"):
        assign_parquet(src, twin_path, twin_path)
    with pytest.raises(FileNotFoundError, match="nosuch.parquet does not exist"):
        assign_parquet(tmp_path / "nosuch.parquet", tmp_path / "o.parquet", twin_path)
    with pytest.raises(FileNotFoundError, match="the twin file .*nosuch.gpkg does not exist"):
        assign_parquet(src, tmp_path / "o.parquet", tmp_path / "nosuch.gpkg")
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        assign_parquet(src, tmp_path / "o.parquet", twin_path, batch_size=0)
    with pytest.raises(ValueError, match="'unit' already exist"):
        assign_parquet(src, tmp_path / "o.parquet", twin_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet"], "a refused run left files"


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "twingeo.parquet", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def test_cli_exit_codes_and_summary(tmp_path, twin_path, box):
    lon, lat = _points(box, 5_000, 15)
    src, dst = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(pa.table({"lng": lon, "lat": lat}), src)
    done = _cli(twin_path, src, dst, "--lon", "lng", "--batch-size", "2000", "--layers", "police,unit", "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("5,000 rows in 3 batches"), done.stdout
    assert "police" in done.stdout and "unit_grid" in done.stdout
    assert pq.read_table(dst).num_rows == 5_000
    missing = _cli(twin_path, src, tmp_path / "o.parquet")
    assert missing.returncode == 1 and "lon column 'lon' is not in the data (columns: lng, lat)" in missing.stderr
    usage = _cli(twin_path, src)
    assert usage.returncode == 2 and "usage:" in usage.stderr
    assert _cli(twin_path, src, tmp_path / "o.parquet", "--batch-size", "0").returncode == 2


@pytest.fixture(scope="module")
def epoch():
    """The two-epoch twin scripts/test-python makes: one layer imported again, in force from
    `switch` (unix seconds); {"path", "switch", "layer"}."""
    import json
    value = os.environ.get("TWINGEO_TEST_EPOCH")
    if not value:
        pytest.fail("TWINGEO_TEST_EPOCH is not set: run scripts/test-python (a JSON file with path, switch, layer)")
    with open(value, encoding="utf-8") as f:
        return json.load(f)


def test_as_of_column_puts_each_row_in_the_grid_of_its_time(epoch, box):
    lon, lat = _points(box, 6_000, 16)
    switch = epoch["switch"]
    rng = np.random.default_rng(17)
    seconds = switch + rng.integers(-40 * 86400, 40 * 86400, lon.size)
    null = rng.random(lon.size) < 0.05
    time = pa.array(seconds * 1_000_000, type=pa.timestamp("us", tz="UTC"), mask=null)
    text = pa.array([None if n else dt.datetime.fromtimestamp(int(s), dt.timezone(dt.timedelta(hours=8))).isoformat()
                     for s, n in zip(seconds, null)], type=pa.string())
    batch = pa.record_batch([pa.array(lon), pa.array(lat), time, text], names=["lon", "lat", "time", "local"])
    with Twin(epoch["path"]) as twin:
        info = read_twin_info(epoch["path"], twin.layers)
        expected = twin.locate(lon, lat, as_of=np.where(null, np.nan, seconds.astype(np.float64)))
        layer = twin.layers[epoch["layer"]]
        before, after = seconds < switch, seconds >= switch
        # The two grids answer the re-imported layer with different cell indexes, so a row in the
        # wrong grid shows.
        assert np.any(expected[layer][before & ~null] >= 0) and np.any(expected[layer][after & ~null] >= 0)
        assert set(expected[layer][before & ~null]).isdisjoint(set(expected[layer][after & ~null]) - {-1})
        for column in ("time", "local"):  # a timestamp column, ISO 8601 strings with an offset
            out = BatchAssigner(twin, info, as_of=column, codes=False, hierarchy=False)(batch)
            for name in twin.layers:
                got = out.column(name).fill_null(-1).to_numpy()
                assert (got == expected[name]).all(), f"{column} {name}"
                assert (got[null] == -1).all()
        one = BatchAssigner(twin, info, as_of="2025-01-01T00:00:00+08:00", codes=False, hierarchy=False)(batch)
        early = twin.locate(lon, lat, as_of=dt.datetime(2024, 12, 31, 16, tzinfo=dt.timezone.utc))
        assert (one.column(layer).fill_null(-1).to_numpy() == early[layer]).all()
