"""Cell columns for Arrow data: one RecordBatch at a time, and Parquet → Parquet streaming.

Two layers, both without per-row Python:

* :class:`BatchAssigner` takes an Arrow ``RecordBatch`` with lon/lat columns and returns it with
  one column per layer (the cell code, null outside the layer or for a null/NaN/infinite
  position), the hierarchy (街镇/片区/居村/单元网格) and, given an event-category column, the
  responsible layer and cell of the twin's dispatch rules (一口派单). Coordinates go to libtwin's
  batch locate as numpy views of the Arrow buffers (no copy for a float64 column without nulls);
  codes come back as Arrow ``take``/dictionary arrays over each layer's code table.
  :mod:`twingeo.spark` runs the same class inside ``mapInArrow`` on every Spark worker.
* :func:`assign_parquet` streams a Parquet file through it into a new Parquet file, batch by
  batch, for one machine and files too big for CSV. ``python -m twingeo.parquet`` is its CLI.

The layer kinds and dispatch rules are read from the twin file's ``twin_layers`` and
``twin_dispatch_rules`` tables with SQLite (read-only) because libtwin does not expose them yet;
the cells themselves always come from libtwin.
"""

import argparse
import datetime as _dt
import inspect
import math
import os
import pathlib
import queue
import sqlite3
import sys
import tempfile
import threading
import time
from typing import Callable, Dict, Iterable, Iterator, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

#: The hierarchy levels, top down, as (layer kind in the twin file, output column name); the
#: same chain as the Swift ``TwinAssignment.hierarchy`` (the first layer of each kind answers).
HIERARCHY = (("subdistrict", "subdistrict"), ("managementArea", "management_area"), ("community", "community"),
             ("unitGrid", "unit_grid"))

#: Column names of the dispatch answer (with the caller's prefix).
RESPONSIBLE_LAYER = "responsible_layer"
RESPONSIBLE_CELL = "responsible_cell"

TimeSpec = Union[None, str, float, int, _dt.datetime, _dt.date, np.datetime64]


class TwinInfo(NamedTuple):
    """What a twin file says about its layers beyond their cells (plain data, picklable).

    Attributes:
        path: the file read.
        layers: the layer names in libtwin's order (``Twin.layers``).
        kinds: layer name → kind (``"department"``, ``"subdistrict"``, ``"managementArea"``,
            ``"community"``, ``"unitGrid"``).
        rules: event category → responsible layer name (the dispatch rules).
        bounds: ``(min_lon, min_lat, max_lon, max_lat)`` of the merged cells, WGS84.
    """
    path: str
    layers: Tuple[str, ...]
    kinds: Mapping[str, str]
    rules: Mapping[str, str]
    bounds: Tuple[float, float, float, float]


def read_twin_info(path: Union[str, os.PathLike], layers: Sequence[str]) -> TwinInfo:
    """Reads layer kinds, dispatch rules and extent from a twin file, read-only.

    Args:
        path: the twin file (already opened successfully with ``Twin``, which checked it).
        layers: ``Twin(path).layers``, the order every answer uses.

    Returns:
        The :class:`TwinInfo`.

    Raises:
        ValueError: when a table the twin format requires is missing or a layer has no kind
            (the message names the file and table).
    """
    path = os.fspath(path)
    # immutable=1: no journal, no lock files, no write of any kind (the twin is never modified).
    uri = pathlib.Path(os.path.abspath(path)).as_uri() + "?mode=ro&immutable=1"
    try:
        with sqlite3.connect(uri, uri=True) as db:
            kinds = dict(db.execute("SELECT layer_name, kind FROM twin_layers ORDER BY fid"))
            rules = dict(db.execute("SELECT category, layer_name FROM twin_dispatch_rules"))
            box = db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents "
                             "WHERE table_name = 'twin_merged_cells'").fetchone()
    except sqlite3.Error as e:
        raise ValueError(f"{path}: cannot read the twin tables (twin_layers, twin_dispatch_rules, "
                         f"gpkg_contents): {e}") from None
    missing = [name for name in layers if name not in kinds]
    if missing:
        raise ValueError(f"{path}: table twin_layers has no kind for layer(s) {', '.join(missing)}")
    bounds = tuple(float(v) for v in box) if box and None not in box else (math.nan,) * 4
    return TwinInfo(path, tuple(layers), kinds, rules, bounds)


def unix_seconds(value: TimeSpec) -> float:
    """A scalar instant as seconds since 1970-01-01T00:00:00Z.

    Args:
        value: a ``datetime`` (naive = UTC, as ``Twin.locate`` and numpy take it), a ``date``
            (its midnight UTC), a numpy ``datetime64`` (UTC), unix seconds (``int``/``float``), or
            an ISO 8601 string with an offset (``"2025-06-01T00:00:00+08:00"``, ``"…Z"``).

    Raises:
        ValueError: for an ISO string without an offset (the zone would be a guess), NaT, or a
            non-finite number.
        TypeError: for any other type.
    """
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise ValueError("as_of is NaT")
        return float(value.astype("datetime64[us]").astype(np.int64)) / 1e6
    from_text, text = isinstance(value, str), value
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"as_of {value!r} is neither a column nor an ISO 8601 time") from None
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            if from_text:  # text without an offset is most likely local time: refuse to guess
                raise ValueError(f"as_of {text!r} has no time zone: give one (e.g. +08:00 for Shanghai)")
            value = value.replace(tzinfo=_dt.timezone.utc)  # as Twin.locate and numpy datetime64: UTC
        return (value - _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)) / _dt.timedelta(seconds=1)
    if isinstance(value, _dt.date):
        return float((value - _dt.date(1970, 1, 1)).days * 86400)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        seconds = float(value)
        if not math.isfinite(seconds):
            raise ValueError(f"as_of {value!r} is not a finite number of seconds")
        return seconds
    raise TypeError(f"as_of must be a column name, datetime, date, numpy datetime64 or unix seconds, "
                    f"not {type(value).__name__}")


def _is_numeric(t: pa.DataType) -> bool:
    return pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)


def _is_time(t: pa.DataType) -> bool:
    return (pa.types.is_timestamp(t) or pa.types.is_date(t) or _is_numeric(t) or pa.types.is_string(t)
            or pa.types.is_large_string(t))


def _float64(column: pa.Array) -> np.ndarray:
    """A float64 numpy array of a numeric column, nulls as NaN; a view when the column is float64
    without nulls (the common case), otherwise one conversion."""
    if not pa.types.is_float64(column.type):
        column = column.cast(pa.float64())
    return column.to_numpy(zero_copy_only=False)


def _time_seconds(column: pa.Array, name: str) -> np.ndarray:
    """Per-row unix seconds of a time column (NaN for null rows, which then get no cell)."""
    t = column.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        try:
            column = column.cast(pa.timestamp("us", tz="UTC"))
        except pa.ArrowInvalid as e:
            raise ValueError(f"as_of column {name!r}: {e}") from None
        t = column.type
    if pa.types.is_timestamp(t):
        scale = {"s": 1.0, "ms": 1e3, "us": 1e6, "ns": 1e9}[t.unit]
        return column.cast(pa.int64()).to_numpy(zero_copy_only=False).astype(np.float64) / scale
    if pa.types.is_date32(t):
        return column.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.float64) * 86400.0
    if pa.types.is_date64(t):
        return column.cast(pa.int64()).to_numpy(zero_copy_only=False).astype(np.float64) / 1e3
    return _float64(column)


class _Output(NamedTuple):
    name: str     # output column name
    layer: int    # position in TwinInfo.layers


class BatchAssigner:
    """Adds cell columns to Arrow record batches through libtwin's batch locate.

    Output columns, after every input column (names with ``prefix``):

    * one per layer in ``layers`` (all by default), named as the layer;
    * ``subdistrict``, ``management_area``, ``community``, ``unit_grid`` (``hierarchy=True``): the
      cell of the first layer of that kind, for the kinds the twin has;
    * ``responsible_layer`` and ``responsible_cell`` (``category`` given): the layer the dispatch
      rules name for the row's category and the row's cell in it (null without a rule or cell).

    A cell column holds the code (``codes=True``: ``string``, or ``dictionary<int32, string>`` with
    ``dictionary=True``) or the cell index (``int32``); null where there is no cell: outside the
    layer, a null/NaN/infinite coordinate, a null ``as_of`` time, or no version in force.

    Not thread-safe (it keeps counts); make one per thread. Cheap to build once the twin is open.

    Args:
        twin: an open :class:`twingeo.Twin`.
        info: :func:`read_twin_info` of the same file.
        lon, lat: the coordinate columns (any numeric type).
        crs: the CRS of the coordinates (``"wgs84"``, ``"cgcs2000"``, ``"gcj02"``, ``"bd09"``,
            ``"EPSG:n"``).
        layers: the layer columns wanted (default: every layer, in the twin's order).
        as_of: the grid version to answer: ``None`` (the latest), a column name (per-row time:
            timestamp, date, unix seconds, or ISO 8601 strings with an offset), or a scalar
            accepted by :func:`unix_seconds`.
        codes: codes (``True``) or int32 cell indexes.
        hierarchy: add the hierarchy columns.
        category: the event-category column, for the dispatch columns.
        prefix: prepended to every output column name.
        dictionary: dictionary-encode code columns (compact; for Parquet, not Spark).

    Raises:
        ValueError: an unknown layer, or an output name that clashes with an input column or
            another output (checked by :meth:`schema`).
    """

    def __init__(self, twin, info: TwinInfo, lon: str = "lon", lat: str = "lat", crs: str = "wgs84",
                 layers: Optional[Sequence[str]] = None, as_of: TimeSpec = None, codes: bool = True,
                 hierarchy: bool = True, category: Optional[str] = None, prefix: str = "",
                 dictionary: bool = False):
        if tuple(twin.layers) != tuple(info.layers):
            raise ValueError(f"{info.path}: the twin's layers {twin.layers} differ from the file's {info.layers}")
        self.twin, self.info = twin, info
        self.lon, self.lat, self.crs = lon, lat, crs
        self.codes, self.dictionary, self.category, self.prefix = bool(codes), bool(dictionary), category, prefix
        self._plan = plan_columns(info, layers, hierarchy, category, prefix)
        # Each layer's start in the table of every layer's codes (the dispatch column's cells come
        # from different layers row by row).
        self._offsets = np.cumsum([0] + [twin.cell_count(l) for l in range(len(info.layers))])[:-1]
        self._as_of_column: Optional[str] = None
        self._as_of_value: Optional[float] = None
        self._as_of_raw = as_of
        self._tables: Dict[int, pa.Array] = {}
        self._schemas: Tuple[Optional[pa.Schema], Optional[pa.Schema]] = (None, None)
        #: Rows seen, and per output cell column the rows that got a cell (for reports).
        self.rows = 0
        self.counts: Dict[str, int] = {o.name: 0 for o in self._plan.outputs}
        if category is not None:
            self.counts[prefix + RESPONSIBLE_CELL] = 0

    # -- schema -----------------------------------------------------------------------------

    def schema(self, input_schema: pa.Schema) -> pa.Schema:
        """The output schema for batches of ``input_schema``; checks the options against it.

        Raises:
            ValueError: a missing coordinate/time/category column (the message lists the
                columns) or an output name already in the input.
            TypeError: a coordinate column that is not numeric, a time column of another type.
            NotImplementedError: ``as_of`` with a twingeo whose ``Twin.locate`` has no ``as_of``.
        """
        names = input_schema.names
        for role, column, ok, wanted in (("lon", self.lon, _is_numeric, "numeric"),
                                         ("lat", self.lat, _is_numeric, "numeric")):
            check_column(names, column, role)
            t = input_schema.field(column).type
            if not ok(t):
                raise TypeError(f"{role} column {column!r} has type {t}, not a {wanted} type")
        as_of = self._as_of_raw
        self._as_of_column, self._as_of_value = None, None
        if isinstance(as_of, str) and as_of in names:
            t = input_schema.field(as_of).type
            if not _is_time(t):
                raise TypeError(f"as_of column {as_of!r} has type {t}: use a timestamp, date, unix seconds "
                                f"or ISO 8601 strings")
            self._as_of_column = as_of
        elif as_of is not None:
            self._as_of_value = unix_seconds(as_of)
        if as_of is not None and "as_of" not in inspect.signature(self.twin.locate).parameters:
            raise NotImplementedError("as_of needs Twin.locate(..., as_of=) (libtwin's twin_locate_select); this "
                                      "twingeo has no time-aware locate")
        if self.category is not None:
            check_column(names, self.category, "category")
            t = input_schema.field(self.category).type
            if not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t)):
                raise TypeError(f"category column {self.category!r} has type {t}, not string")
        clash = [n for n in self._plan.names if n in names]
        if clash:
            raise ValueError(f"output column(s) {', '.join(map(repr, clash))} already exist in the input: drop them, "
                             f"or pass prefix= (e.g. prefix='new_')")
        fields = [pa.field(n, self._cell_type()) for n in self._plan.names]
        if self.category is not None:
            fields[-2] = pa.field(self._plan.names[-2], pa.string())
        return pa.schema(list(input_schema) + fields)

    def _cell_type(self) -> pa.DataType:
        if not self.codes:
            return pa.int32()
        return pa.dictionary(pa.int32(), pa.string()) if self.dictionary else pa.string()

    # -- assignment -------------------------------------------------------------------------

    def _table(self, layer: int) -> pa.Array:
        table = self._tables.get(layer)
        if table is None:
            table = pa.array(self.twin.codes(layer), type=pa.string())
            self._tables[layer] = table
        return table

    def _arrow(self, layer: int, cells: np.ndarray) -> pa.Array:
        indexes = pa.array(cells, mask=cells < 0)
        if not self.codes:
            return indexes
        if self.dictionary:
            return pa.DictionaryArray.from_arrays(indexes, self._table(layer))
        return self._table(layer).take(indexes)

    def _locate(self, x: np.ndarray, y: np.ndarray, times: Optional[Union[float, np.ndarray]]) -> Dict[str, np.ndarray]:
        if times is None:
            return self.twin.locate(x, y, crs=self.crs)
        return self.twin.locate(x, y, crs=self.crs, as_of=times)

    def __call__(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The batch with the cell columns appended (input columns untouched, zero-copy).

        Raises:
            ValueError: a time column with unparsable strings (names the column).
            TwinError: from libtwin (e.g. an unknown CRS).
        """
        if self._schemas[0] != batch.schema:  # checks the columns (once per schema)
            self._schemas = (batch.schema, self.schema(batch.schema))
        n = batch.num_rows
        x = _float64(batch.column(self.lon))
        y = _float64(batch.column(self.lat))
        times: Optional[Union[float, np.ndarray]] = self._as_of_value
        if self._as_of_column is not None:
            times = _time_seconds(batch.column(self._as_of_column), self._as_of_column)
        located = self._locate(x, y, times)
        cells = [located[name] for name in self.info.layers]
        columns: List[pa.Array] = []
        made: Dict[int, pa.Array] = {}
        for out in self._plan.outputs:
            array = made.get(out.layer)
            if array is None:
                array = made[out.layer] = self._arrow(out.layer, cells[out.layer])
            columns.append(array)
            self.counts[out.name] += n - array.null_count
        if self.category is not None:
            columns.extend(self._responsible(batch.column(self.category), cells, n))
        self.rows += n
        return pa.RecordBatch.from_arrays(list(batch.columns) + columns, schema=self._schemas[1])

    def _responsible(self, category: pa.Array, cells: List[np.ndarray], n: int) -> List[pa.Array]:
        """The dispatch columns: per row, the rule's layer and the row's cell in it; the rules are
        looked up once per distinct category of the batch, not per row."""
        encoded = category if pa.types.is_dictionary(category.type) else pc.dictionary_encode(category)
        layer_of = np.array([self._plan.rule_layer.get(c, -1) for c in encoded.dictionary.to_pylist()] + [-1],
                            dtype=np.int64)
        # Null categories read the trailing -1 (no rule).
        row_codes = encoded.indices.fill_null(len(layer_of) - 1).to_numpy(zero_copy_only=False)
        row_layer = layer_of[row_codes]
        ruled = row_layer >= 0
        # Every layer's cells as one (layers × rows) matrix; each row picks its rule's layer.
        matrix = np.stack(cells)
        local = matrix[np.where(ruled, row_layer, 0), np.arange(n)]
        local = np.where(ruled, local, -1)
        global_cell = np.where(local >= 0, local + self._offsets[np.where(ruled, row_layer, 0)], -1)
        names = pa.array(list(self.info.layers), type=pa.string())
        layer_column = names.take(pa.array(row_layer, mask=row_layer < 0, type=pa.int64()))
        if self.codes:
            indexes = pa.array(global_cell.astype(np.int32), mask=global_cell < 0)
            if self.dictionary:
                cell_column = pa.DictionaryArray.from_arrays(indexes, self._combined_codes())
            else:
                cell_column = self._combined_codes().take(indexes)
        else:
            cell_column = pa.array(local.astype(np.int32), mask=local < 0)
        self.counts[self.prefix + RESPONSIBLE_CELL] += n - cell_column.null_count
        return [layer_column, cell_column]

    def _combined_codes(self) -> pa.Array:
        table = self._tables.get(-1)
        if table is None:
            table = pa.concat_arrays([self._table(l) for l in range(len(self.info.layers))])
            self._tables[-1] = table
        return table


class _Plan(NamedTuple):
    outputs: List[_Output]          # cell columns from one layer each
    names: List[str]                # every output column name, in order
    rule_layer: Dict[str, int]      # category → layer position


def check_column(names: Sequence[str], column: str, role: str) -> None:
    """Raises ValueError naming ``column`` and the available columns when it is missing."""
    if column not in names:
        raise ValueError(f"{role} column {column!r} is not in the data (columns: {', '.join(names)})")


def plan_columns(info: TwinInfo, layers: Optional[Sequence[str]], hierarchy: bool, category: Optional[str],
                 prefix: str) -> _Plan:
    """Which output columns come from which layer (shared by every front end)."""
    if isinstance(layers, str):
        layers = [layers]
    wanted = list(info.layers) if layers is None else list(layers)
    unknown = [name for name in wanted if name not in info.layers]
    if unknown:
        raise ValueError(f"{info.path}: no layer {', '.join(map(repr, unknown))} (layers: {', '.join(info.layers)})")
    outputs = [_Output(prefix + name, info.layers.index(name)) for name in wanted]
    if hierarchy:
        for kind, column in HIERARCHY:
            first = next((i for i, name in enumerate(info.layers) if info.kinds.get(name) == kind), None)
            if first is None:
                continue
            name = prefix + column
            same = next((o for o in outputs if o.name == name), None)
            if same is not None and same.layer == first:
                continue  # a layer named like its level: one column answers both
            outputs.append(_Output(name, first))
    names = [o.name for o in outputs]
    if category is not None:
        names += [prefix + RESPONSIBLE_LAYER, prefix + RESPONSIBLE_CELL]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"output column(s) {', '.join(map(repr, duplicates))} would appear twice (a layer is named like "
                         f"a hierarchy or dispatch column): pass hierarchy=False, layers=[...] or prefix=")
    rule_layer = {c: info.layers.index(l) for c, l in info.rules.items() if l in info.layers}
    return _Plan(outputs, names, rule_layer)


# -- Parquet ----------------------------------------------------------------------------------


class ParquetReport(NamedTuple):
    """What :func:`assign_parquet` did.

    Attributes:
        rows: rows read (= rows written).
        batches: batches processed (each at most ``batch_size`` rows; one row group each).
        seconds: wall time, open to close.
        counts: per output cell column, the rows that got a cell.
    """
    rows: int
    batches: int
    seconds: float
    counts: Dict[str, int]

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else math.inf


def assign_parquet(in_path: Union[str, os.PathLike], out_path: Union[str, os.PathLike],
                   twin_path: Union[str, os.PathLike], lon: str = "lon", lat: str = "lat", crs: str = "wgs84",
                   batch_size: int = 1_000_000, layers: Optional[Sequence[str]] = None, as_of: TimeSpec = None,
                   codes: bool = True, hierarchy: bool = True, category: Optional[str] = None, prefix: str = "",
                   compression: str = "snappy", progress: Optional[Callable[[int], None]] = None) -> ParquetReport:
    """Streams a Parquet file into a new one with every input column plus the cell columns.

    Reads ``batch_size`` rows at a time (``ParquetFile.iter_batches``), assigns them
    (:class:`BatchAssigner`) and writes each as one row group (``ParquetWriter``), so memory is
    bounded by a batch (and one input row group being decoded), not by the file. Code columns are
    written dictionary-encoded (each layer's code table is the Parquet dictionary). The output is
    written to a temporary file beside ``out_path`` and renamed when complete: a failure leaves no
    partial output.

    Args:
        in_path: the input Parquet file.
        out_path: the output file (refused when it is the input or the twin).
        twin_path: the twin file.
        lon, lat, crs, layers, as_of, codes, hierarchy, category, prefix: as :class:`BatchAssigner`.
        batch_size: rows per batch (≥ 1).
        compression: Parquet compression codec (``"snappy"``, ``"zstd"``, ``"none"``, …).
        progress: called after each batch with the rows done so far.

    Returns:
        A :class:`ParquetReport`.

    Raises:
        FileNotFoundError: a missing input or twin file.
        ValueError: a bad ``batch_size``, an output path equal to an input, a missing column, an
            output column that already exists (see ``prefix``), an unknown layer.
        TypeError: a column of the wrong type.
        TwinError: libtwin refused the twin file or the CRS.
        pyarrow.ArrowInvalid: a damaged Parquet file (pyarrow's message).

    Complexity:
        O(rows × layers); memory O(batch_size × (input row width + output columns)).
    """
    from .twin import Twin  # imported here: loads libtwin only when a file is assigned

    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, not {batch_size!r}")
    in_path, out_path, twin_path = os.fspath(in_path), os.fspath(out_path), os.fspath(twin_path)
    for role, p in (("input", in_path), ("twin", twin_path)):
        if not os.path.isfile(p):
            raise FileNotFoundError(f"the {role} file {p} does not exist")
        same = os.path.samefile(p, out_path) if os.path.exists(out_path) else False
        if same or os.path.realpath(p) == os.path.realpath(out_path):
            raise ValueError(f"the output path {out_path} is the {role} file: choose another output")

    start = time.perf_counter()
    # No pre-buffering: it keeps whole row groups' column chunks alive (RSS grew with the file);
    # buffered reads of 1 MiB keep memory to about a batch and cost less CPU.
    source = pq.ParquetFile(in_path, pre_buffer=False, buffer_size=1 << 20)
    with Twin(twin_path) as twin:
        info = read_twin_info(twin_path, twin.layers)
        assigner = BatchAssigner(twin, info, lon=lon, lat=lat, crs=crs, layers=layers, as_of=as_of, codes=codes,
                                 hierarchy=hierarchy, category=category, prefix=prefix, dictionary=codes)
        schema = assigner.schema(source.schema_arrow)
        out_dir = os.path.dirname(os.path.abspath(out_path))
        fd, partial = tempfile.mkstemp(prefix=".twingeo-", suffix=".parquet.partial", dir=out_dir)
        os.close(fd)
        try:
            # Statistics only for the input columns: min/max of cell codes in a row group of
            # scattered events prune nothing, and computing them costs as much as the encoding.
            with pq.ParquetWriter(partial, schema, compression=compression,
                                  write_statistics=list(source.schema_arrow.names)) as writer:
                batches = _pipeline(source.iter_batches(batch_size=batch_size), assigner, writer.write_batch,
                                    progress)
            os.replace(partial, out_path)
        except BaseException:
            os.unlink(partial)
            raise
    return ParquetReport(assigner.rows, batches, time.perf_counter() - start, dict(assigner.counts))


def _pipeline(batches: Iterable[pa.RecordBatch], assign: Callable[[pa.RecordBatch], pa.RecordBatch],
              write: Callable[[pa.RecordBatch], None], progress: Optional[Callable[[int], None]]) -> int:
    """Reads and assigns batch k+1 on this thread while a writer thread encodes batch k.

    Parquet encoding is single-threaded and as costly as reading and locating together, so
    overlapping them uses a second core; pyarrow and libtwin release the GIL. The queue holds one
    batch, so at most three batches are alive (being read, queued, being written).

    Returns:
        The number of batches written. An error on either side stops both and is re-raised here.
    """
    done = object()
    slots: "queue.Queue" = queue.Queue(maxsize=1)
    failure: List[BaseException] = []

    def writer() -> None:
        while True:
            item = slots.get()
            if item is done:
                return
            try:
                if not failure:
                    write(item)
            except BaseException as e:  # handed to the reading thread, which re-raises it
                failure.append(e)

    thread = threading.Thread(target=writer, name="twingeo-parquet-writer", daemon=True)
    thread.start()
    count, rows = 0, 0
    try:
        for batch in batches:
            if failure:
                break
            out = assign(batch)
            slots.put(out)
            count, rows = count + 1, rows + out.num_rows
            if progress is not None:
                progress(rows)
    finally:
        slots.put(done)
        thread.join()
    if failure:
        raise failure[0]
    return count


# -- CLI --------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m twingeo.parquet",
        description="Assign every row of a Parquet file to the twin's grid cells: writes every input column plus "
                    "one cell-code column per layer, the hierarchy (街镇/片区/居村/单元网格) and, with --category, the "
                    "responsible layer and cell. Streams in batches; memory is bounded by --batch-size.")
    p.add_argument("twin", help="the twin file (twin.gpkg)")
    p.add_argument("input", help="the input Parquet file")
    p.add_argument("output", help="the output Parquet file (replaced if it exists)")
    p.add_argument("--lon", default="lon", help="longitude column (default: lon)")
    p.add_argument("--lat", default="lat", help="latitude column (default: lat)")
    p.add_argument("--crs", default="wgs84", help="CRS of the coordinates: wgs84, cgcs2000, gcj02, bd09, EPSG:n")
    p.add_argument("--layers", help="comma-separated layers to output (default: all)")
    p.add_argument("--as-of", help="a time column, or one ISO 8601 instant with an offset (default: latest grid)")
    p.add_argument("--category", help="event-category column: adds responsible_layer and responsible_cell")
    p.add_argument("--no-hierarchy", action="store_true", help="omit the hierarchy columns")
    p.add_argument("--indexes", action="store_true", help="write int32 cell indexes instead of codes")
    p.add_argument("--prefix", default="", help="prefix for the output column names")
    p.add_argument("--batch-size", type=int, default=1_000_000, help="rows per batch (default: 1000000)")
    p.add_argument("--compression", default="snappy", help="Parquet codec (default: snappy)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """The CLI: exit 0 on success, 1 for a problem in the data or files, 2 for a usage error."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on usage errors, 0 for --help
        return int(e.code or 0)
    if args.batch_size < 1:
        print(f"{parser.prog}: error: --batch-size must be at least 1", file=sys.stderr)
        return 2
    from .errors import TwinError
    last = [0.0]

    def progress(rows: int) -> None:
        now = time.perf_counter()
        if not args.quiet and now - last[0] >= 1.0:
            last[0] = now
            print(f"  {rows:,} rows", file=sys.stderr)

    try:
        report = assign_parquet(args.input, args.output, args.twin, lon=args.lon, lat=args.lat, crs=args.crs,
                                batch_size=args.batch_size,
                                layers=args.layers.split(",") if args.layers else None, as_of=args.as_of,
                                codes=not args.indexes, hierarchy=not args.no_hierarchy, category=args.category,
                                prefix=args.prefix, compression=args.compression, progress=progress)
    except (OSError, ValueError, TypeError, NotImplementedError, TwinError, pa.ArrowException) as e:
        print(f"{parser.prog}: {e}", file=sys.stderr)
        return 1
    print(f"{report.rows:,} rows in {report.batches} batches, {report.seconds:.2f} s "
          f"({report.rows_per_second / 1e6:.2f} M rows/s) -> {args.output}")
    width = max((len(name) for name in report.counts), default=0)
    for name, count in report.counts.items():
        share = count / report.rows if report.rows else 0.0
        print(f"  {name:<{width}}  {count:>12,} with a cell ({share:6.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
