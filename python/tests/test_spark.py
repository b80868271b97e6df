"""twingeo.spark on a local[2] Spark: assign on 1 M rows equals Twin.locate row by row; null and
non-finite coordinates give null cells (the job succeeds); a twin file missing on a worker fails
the job with an error naming it; mistakes in the arguments fail on the driver before any job.

The workers get no TWINGEO_LIBTWIN: they must load the libtwin that assign() ships with addFile.
One SparkSession serves the whole module (starting the JVM costs tens of seconds here).
"""

import os
import shutil
import sqlite3
import sys

import numpy as np
import pytest


def _require_spark():
    """pyspark, pyarrow, pandas and java are requirements of this suite: missing is a failure."""
    try:
        import pandas  # noqa: F401  (pyspark's mapInArrow needs it)
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as e:
        pytest.fail(f"{e}: scripts/setup installs pyspark, pyarrow and pandas (pip install pyspark pyarrow "
                    f"'pandas>=2.2,<3')", pytrace=False)
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))):
        pytest.fail("java not found: Spark needs a Java 17 runtime (Debian: apt-get install openjdk-17-jre-headless); "
                    "scripts/setup checks for it", pytrace=False)


@pytest.fixture(scope="module")
def spark():
    _require_spark()
    from pyspark.sql import SparkSession

    saved = {k: os.environ.get(k) for k in ("PYSPARK_PYTHON", "TWINGEO_LIBTWIN")}
    # Workers run this interpreter (where twingeo is installed) without TWINGEO_LIBTWIN, so they
    # can only load libtwin from what assign() ships.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ.pop("TWINGEO_LIBTWIN", None)
    try:
        session = (SparkSession.builder.master("local[2]").appName("twingeo-tests")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", "2")
                   .config("spark.driver.memory", "1g")
                   .config("spark.sql.session.timeZone", "UTC")
                   .getOrCreate())
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def kinds(twin_path):
    with sqlite3.connect(f"file:{twin_path}?mode=ro", uri=True) as db:
        return dict(db.execute("SELECT layer_name, kind FROM twin_layers"))


@pytest.fixture(scope="module")
def rules(twin_path):
    with sqlite3.connect(f"file:{twin_path}?mode=ro", uri=True) as db:
        return dict(db.execute("SELECT category, layer_name FROM twin_dispatch_rules"))


def _hierarchy(layers, kinds):
    """Output column → the layer it must equal: the first layer of each level."""
    out = {}
    for kind, column in (("subdistrict", "subdistrict"), ("managementArea", "management_area"),
                         ("community", "community"), ("unitGrid", "unit_grid")):
        first = next((name for name in layers if kinds[name] == kind), None)
        if first is not None:
            out[column] = first
    return out


def _random_points(spark, box, n, partitions):
    from pyspark.sql import functions as F
    minx, miny, maxx, maxy = box
    dx, dy = (maxx - minx) * 0.05, (maxy - miny) * 0.05
    return spark.range(0, n, numPartitions=partitions).select(
        "id",
        (F.lit(minx - dx) + F.rand(7) * F.lit(maxx - minx + 2 * dx)).alias("lon"),
        (F.lit(miny - dy) + F.rand(8) * F.lit(maxy - miny + 2 * dy)).alias("lat"))


def test_assign_on_1m_rows_equals_twin_locate_row_by_row(spark, twin, twin_path, box, kinds):
    import pyarrow as pa
    from twingeo.spark import assign

    out = assign(_random_points(spark, box, 1_000_000, 4), twin_path)
    hierarchy = _hierarchy(twin.layers, kinds)
    assert out.columns == ["id", "lon", "lat"] + list(twin.layers) + list(hierarchy)
    result = out.toArrow()
    assert result.num_rows == 1_000_000
    assert sorted(result["id"].to_numpy()) == list(range(1_000_000))
    expected = twin.locate(result["lon"].to_numpy(), result["lat"].to_numpy(), codes=True)
    inside = 0
    for column in list(twin.layers) + list(hierarchy):
        want = pa.array(expected[hierarchy.get(column, column)], type=pa.string())
        got = result[column].combine_chunks()
        assert got.equals(want), f"{column}: rows differ from Twin.locate"
        inside = max(inside, len(want) - want.null_count)
    assert 0 < inside < 1_000_000, "the points should fall both inside and outside the district"


def test_null_and_non_finite_coordinates_give_null_cells(spark, twin, twin_path, box):
    from twingeo.spark import assign

    minx, miny, maxx, maxy = box
    cx, cy = float(minx + maxx) / 2, float(miny + maxy) / 2
    assert all(v is not None for v in twin.locate(cx, cy, codes=True).values()), "the box centre is inside"
    nan, inf = float("nan"), float("inf")
    rows = [(0, None, cy), (1, cx, None), (2, nan, cy), (3, inf, cy), (4, -inf, cy), (5, cx, nan), (6, 0.0, 0.0),
            (7, cx, cy)]
    df = spark.createDataFrame(rows, "id long, lon double, lat double")
    for crs in ("wgs84", "gcj02"):
        got = {r["id"]: r for r in assign(df, twin_path, crs=crs).collect()}  # the job succeeds
        for name in twin.layers:
            assert [got[i][name] for i in range(7)] == [None] * 7, f"{crs} {name}"
            assert got[7][name] is not None, f"{crs} {name}: the inside point got no cell"


def test_indexes_and_dispatch_columns(spark, twin, twin_path, box, rules):
    from pyspark.sql import functions as F
    from pyspark.sql.types import IntegerType, StringType
    from twingeo.spark import assign

    categories = sorted(rules) + ["没有规则"]
    df = _random_points(spark, box, 4_000, 2).withColumn(
        "category", F.element_at(F.array(*[F.lit(c) for c in categories]), (F.col("id") % len(categories) + 1).cast("int")))
    out = assign(df, twin_path, layers=["police", "unit"], codes=False, hierarchy=False, category="category",
                 prefix="v2_")
    types = {f.name: f.dataType for f in out.schema.fields}
    assert out.columns[4:] == ["v2_police", "v2_unit", "v2_responsible_layer", "v2_responsible_cell"]
    assert types["v2_police"] == IntegerType() and types["v2_responsible_layer"] == StringType()
    rows = out.collect()
    lon = np.array([r["lon"] for r in rows])
    lat = np.array([r["lat"] for r in rows])
    cells = twin.locate(lon, lat)
    for i, r in enumerate(rows):
        for name in ("police", "unit"):
            want = int(cells[name][i])
            assert r["v2_" + name] == (want if want >= 0 else None)
        layer = rules.get(r["category"])
        assert r["v2_responsible_layer"] == layer
        cell = -1 if layer is None else int(cells[layer][i])
        assert r["v2_responsible_cell"] == (cell if cell >= 0 else None)
    assert any(r["v2_responsible_cell"] is not None for r in rows)


def test_missing_twin_file_on_a_worker_fails_the_job_naming_it(spark, twin, twin_path, box):
    from pyspark.sql.types import StringType, StructField, StructType
    from twingeo.parquet import read_twin_info
    from twingeo.spark import _map_in_arrow, _stage

    # The job assign() builds, over a twin name the workers never received (as a cluster job
    # submitted without --files): libtwin is shipped, the twin is not.
    import twingeo._lib
    lib_name = _stage(spark.sparkContext, twingeo._lib.lib._name, "libtwin", ".so")
    df = _random_points(spark, box, 1_000, 1)
    schema = StructType(list(df.schema.fields) + [StructField(name, StringType(), True) for name in twin.layers])
    options = dict(lon="lon", lat="lat", crs="wgs84", layers=None, as_of=None, codes=True, hierarchy=False,
                   category=None, prefix="")
    out = _map_in_arrow(df, schema, "never-shipped.gpkg", lib_name, tuple(read_twin_info(twin_path, twin.layers)),
                        options)
    with pytest.raises(Exception) as failure:
        out.collect()
    message = str(failure.value)
    assert "FileNotFoundError" in message, message[-3000:]
    assert "the twin file 'never-shipped.gpkg' (shipped with SparkContext.addFile) is missing on this worker" \
        in message, message[-3000:]


def test_mistakes_fail_on_the_driver(spark, twin_path, tmp_path, box):
    from twingeo.spark import assign

    df = _random_points(spark, box, 10, 1)
    with pytest.raises(FileNotFoundError, match="the twin file .*nosuch.gpkg does not exist"):
        assign(df, tmp_path / "nosuch.gpkg")
    with pytest.raises(ValueError, match=r"lon column 'longitude' is not in the data \(columns: id, lon, lat\)"):
        assign(df, twin_path, lon="longitude")
    with pytest.raises(ValueError, match="no layer 'nosuch'"):
        assign(df, twin_path, layers=["nosuch"])
    with pytest.raises(ValueError, match="'police' already exist in the input"):
        assign(df.withColumnRenamed("id", "police"), twin_path)
    with pytest.raises(TypeError, match="lat column 'lat' has type string"):
        assign(df.withColumn("lat", df["lat"].cast("string")), twin_path)
    with pytest.raises(FileNotFoundError, match="libtwin to ship"):
        assign(df, twin_path, lib_path=tmp_path / "libtwin.so.0")


def test_as_of_column_per_row_equals_twin_locate(spark, box):
    import json

    import pyarrow as pa
    from pyspark.sql import functions as F
    from twingeo import Twin
    from twingeo.spark import assign

    value = os.environ.get("TWINGEO_TEST_EPOCH")
    if not value:
        pytest.fail("TWINGEO_TEST_EPOCH is not set: run scripts/test-python (a JSON file with path, switch, layer)")
    with open(value, encoding="utf-8") as f:
        epoch = json.load(f)
    switch = epoch["switch"]
    # Times 40 days either side of the switch; every 20th row without a time.
    df = _random_points(spark, box, 20_000, 2).withColumn(
        "time", F.when(F.col("id") % 20 != 0,
                       F.timestamp_seconds(F.lit(switch - 40 * 86400) + (F.col("id") * 7919) % (80 * 86400))))
    result = assign(df, epoch["path"], as_of="time", codes=False, hierarchy=False).toArrow()
    seconds = result["time"].cast(pa.int64()).to_numpy(zero_copy_only=False) / 1e6
    with Twin(epoch["path"]) as twin:
        expected = twin.locate(result["lon"].to_numpy(), result["lat"].to_numpy(), as_of=seconds)
        layer = twin.layers[epoch["layer"]]
        assert len(set(expected[layer][seconds < switch]) - {-1}) > 0
        assert len(set(expected[layer][seconds >= switch]) - {-1}) > 0
        for name in twin.layers:
            got = result[name].combine_chunks().fill_null(-1).to_numpy()
            assert (got == expected[name]).all(), name
        assert (result[layer].combine_chunks().is_null().to_numpy(zero_copy_only=False)[np.isnan(seconds)]).all()
