"""Assign a Spark DataFrame's events to the twin's grid cells on every worker (scale-out).

Re-assigning a city's data lake (billions of rows) to a new grid version runs on Apache Spark:
:func:`assign` adds the cell columns with ``DataFrame.mapInArrow``. The twin file and libtwin
are shipped to the workers with ``SparkContext.addFile``; each Python worker process opens the
twin once (a module-level cache keyed by the shipped path) and runs every Arrow batch through
:class:`twingeo.parquet.BatchAssigner`, i.e. libtwin's batch locate: no per-row Python.

Example::

    from pyspark.sql import SparkSession
    from twingeo.spark import assign

    spark = SparkSession.builder.master("local[*]").getOrCreate()
    events = spark.read.parquet("events.parquet")           # lon, lat, time, category, …
    out = assign(events, "district.twin.gpkg", as_of="time", category="category")
    out.write.parquet("events-assigned.parquet")

On a cluster, workers also need the ``twingeo`` package (``--py-files twingeo.zip``, or installed
on every node) with numpy and pyarrow; libtwin and the twin file travel with the job. The
shipped copies are named by content (``twin-<sha256>.gpkg``), so a rewritten twin file is a new
file to Spark and to the workers' cache, never a stale one.
"""

import atexit
import hashlib
import os
import shutil
import sys
import tempfile
import threading
from typing import Any, Dict, Optional, Sequence, Tuple, Union

from .parquet import BatchAssigner, TimeSpec, TwinInfo, read_twin_info

__all__ = ["assign"]

# -- driver side ------------------------------------------------------------------------------

_staging_lock = threading.Lock()
_staging_dir: Optional[str] = None
_staged: Dict[Tuple[str, float, int], str] = {}  # (real path, mtime, size) → staged file name


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stage(sc, path: str, stem: str, suffix: str) -> str:
    """Ships ``path`` to the workers under a content-derived name; returns that name.

    ``addFile`` keys files by base name and never re-ships a name, so a twin rewritten in place
    (a new grid version) would otherwise be served stale, and two twins called ``twin.gpkg``
    would clash. A hard link (or copy) named by the SHA-256 of the content avoids both; it lives
    in a staging directory for the life of this Python process (Spark serves it from there),
    removed at exit.
    """
    global _staging_dir
    real = os.path.realpath(path)
    st = os.stat(real)
    key = (real, st.st_mtime, st.st_size)
    with _staging_lock:
        name = _staged.get(key)
        if name is None:
            name = f"{stem}-{_sha256(real)[:24]}{suffix}"
            if _staging_dir is None:
                _staging_dir = tempfile.mkdtemp(prefix="twingeo-spark-")
                # Copies of twins are not left behind in /tmp; jobs end with the process anyway.
                atexit.register(shutil.rmtree, _staging_dir, True)
            target = os.path.join(_staging_dir, name)
            if not os.path.exists(target):
                try:
                    os.link(real, target)
                except OSError:  # another file system, or links not allowed
                    shutil.copyfile(real, target)
            _staged[key] = name
        # addFile of a path it already has is a no-op, so repeating it is cheap and also covers a
        # new SparkContext in this process.
        sc.addFile(os.path.join(_staging_dir, name))
    return name


def _libtwin_path(lib_path: Optional[str]) -> str:
    """The libtwin file to ship: ``lib_path``, else the one this process loaded."""
    if lib_path is None:
        from . import _lib
        lib_path = getattr(_lib.lib, "_name", None)
    if not lib_path or not os.path.isfile(lib_path):
        raise FileNotFoundError(f"twingeo.spark: libtwin to ship to the workers not found ({lib_path!r}): pass "
                                f"lib_path='/path/to/libtwin.so.0' (scripts/build-libtwin builds build/lib/libtwin.so.0)")
    return lib_path


def _spark_type(arrow_type):
    from pyspark.sql.types import IntegerType, StringType
    import pyarrow as pa
    return IntegerType() if pa.types.is_int32(arrow_type) else StringType()


def _arrow_view(df, *columns):
    """The DataFrame's schema as Arrow, for the argument checks: the columns ``assign`` reads with
    their Arrow types (as mapInArrow will hand them over), every other one by name only (type
    null: it passes through untouched, whatever Spark type it has)."""
    import pyarrow as pa
    from pyspark.sql.pandas.types import to_arrow_type

    zone = df.sparkSession.conf.get("spark.sql.session.timeZone")
    used = {c for c in columns if isinstance(c, str)}
    return pa.schema([pa.field(f.name, to_arrow_type(f.dataType, timezone=zone) if f.name in used else pa.null())
                      for f in df.schema.fields])


def assign(df, twin_path: Union[str, os.PathLike], lon: str = "lon", lat: str = "lat", crs: str = "wgs84",
           layers: Optional[Sequence[str]] = None, as_of: TimeSpec = None, codes: bool = True,
           lib_path: Optional[Union[str, os.PathLike]] = None, hierarchy: bool = True, category: Optional[str] = None,
           prefix: str = ""):
    """Returns ``df`` with the twin's cell columns, computed on the workers through libtwin.

    Columns added after every column of ``df`` (names with ``prefix``):

    * one per layer of ``layers`` (default: every layer of the twin, in its order), named as the
      layer: the cell code (``codes=True``, string) or cell index (``codes=False``, int);
    * with ``hierarchy``: ``subdistrict`` (街镇), ``management_area`` (片区), ``community`` (居村),
      ``unit_grid`` (单元网格): the cell of the twin's first layer of that level, for the levels it has;
    * with ``category`` (an event-category column): ``responsible_layer``, the layer the twin's
      dispatch rules name for the category (一口派单), and ``responsible_cell``, the row's cell in it.

    Every cell column is null where there is no cell: outside the layer, a null, NaN or infinite
    coordinate, a null time in the ``as_of`` column. Such rows are answers, not failures.

    Args:
        df: a ``pyspark.sql.DataFrame``.
        twin_path: the twin file on the driver; shipped to the workers with ``addFile``.
        lon, lat: the coordinate columns (any numeric type).
        crs: the coordinates' CRS: ``"wgs84"``, ``"cgcs2000"``, ``"gcj02"``, ``"bd09"``, ``"EPSG:n"``.
        layers: the layers to output (names); default all.
        as_of: the grid version: ``None`` (the latest), the name of a time column (timestamp,
            date, unix seconds, or ISO 8601 strings with an offset: each row in the grid in force
            at its time), or one instant (aware ``datetime``, ``date``, ``datetime64``, unix
            seconds, ISO 8601 string with an offset).
        codes: cell codes (``True``) or cell indexes.
        lib_path: the libtwin to ship; default the one this process loaded.
        hierarchy: add the hierarchy columns.
        category: the event-category column for the dispatch columns (default: none).
        prefix: prepended to every added column name (e.g. ``"v2_"`` when re-assigning data that
            already has cell columns).

    Returns:
        A new DataFrame (lazy, as every Spark transformation).

    Raises:
        FileNotFoundError: ``twin_path`` or libtwin missing on the driver. On a worker, a
            missing shipped file fails the job with a ``FileNotFoundError`` naming the file.
        ValueError: a missing column, an unknown layer, an output column that already exists.
        TypeError: a column of the wrong type.
        TwinError: libtwin refused the twin file.
    """
    from pyspark.sql.types import StructField, StructType

    from .twin import Twin

    twin_path = os.fspath(twin_path)
    if not os.path.isfile(twin_path):
        raise FileNotFoundError(f"twingeo.spark: the twin file {twin_path} does not exist")
    lib_file = _libtwin_path(None if lib_path is None else os.fspath(lib_path))
    with Twin(twin_path) as twin:  # checks the file on the driver, before any job
        info = read_twin_info(twin_path, twin.layers)
        # The same checks the workers make, against the DataFrame's schema, so mistakes fail here.
        output = BatchAssigner(twin, info, lon=lon, lat=lat, crs=crs, layers=layers, as_of=as_of, codes=codes,
                               hierarchy=hierarchy, category=category, prefix=prefix).schema(_arrow_view(df, lon, lat,
                                                                                                     as_of, category))
    added = output.names[len(df.schema.fields):]
    fields = list(df.schema.fields) + [StructField(name, _spark_type(output.field(name).type), True) for name in added]

    sc = df.sparkSession.sparkContext
    stem, suffix = os.path.splitext(os.path.basename(twin_path))
    twin_name = _stage(sc, twin_path, stem or "twin", suffix)
    lib_name = _stage(sc, lib_file, "libtwin", ".so")
    options: Dict[str, Any] = dict(lon=lon, lat=lat, crs=crs, layers=None if layers is None else list(layers),
                                   as_of=as_of, codes=bool(codes), hierarchy=bool(hierarchy), category=category,
                                   prefix=prefix)
    return _map_in_arrow(df, StructType(fields), twin_name, lib_name, tuple(info), options)


def _map_in_arrow(df, schema, twin_name: str, lib_name: str, info_data: tuple, options: Dict[str, Any]):
    """The job itself: ``mapInArrow`` over the files shipped as ``twin_name`` and ``lib_name``."""

    # A nested function is pickled by value (cloudpickle), so unpickling it on a worker imports
    # nothing of twingeo: the worker must point TWINGEO_LIBTWIN at the shipped libtwin before the
    # first `import twingeo` loads it. Everything it captures is plain data.
    def run(batches):
        from pyspark import SparkFiles
        lib = SparkFiles.get(lib_name)
        if "twingeo._lib" not in sys.modules:
            if not os.path.isfile(lib):
                raise FileNotFoundError(f"twingeo.spark: libtwin {lib_name!r} (shipped with SparkContext.addFile) is "
                                        f"missing on this worker: {lib} does not exist")
            os.environ["TWINGEO_LIBTWIN"] = lib
        from twingeo.spark import _worker_assigner
        assigner = _worker_assigner(SparkFiles.get(twin_name), twin_name, info_data, options)
        for batch in batches:
            yield assigner(batch)

    return df.mapInArrow(run, schema)


# -- worker side ------------------------------------------------------------------------------

#: Per worker process: shipped twin path → open Twin (never closed: the process is the cache).
_twins: Dict[str, Any] = {}


def _worker_assigner(path: str, name: str, info_data: tuple, options: Dict[str, Any]) -> BatchAssigner:
    """The worker's assigner for one task: the twin opened once per process, a fresh assigner
    (cheap: the code tables are cached on the Twin) per task."""
    twin = _twins.get(path)
    if twin is None:
        if not os.path.isfile(path):
            raise FileNotFoundError(f"twingeo.spark: the twin file {name!r} (shipped with SparkContext.addFile) is "
                                    f"missing on this worker: {path} does not exist. Ship it with assign() on this "
                                    f"SparkContext, or spark-submit --files")
        from .twin import Twin
        twin = _twins[path] = Twin(path)
    info = TwinInfo(path, *info_data[1:])
    return BatchAssigner(twin, info, **options)
