"""Twin: an opened twin file, locating numpy arrays of points in every layer at once."""

import ctypes
import math
import os
from typing import Dict, List, Optional, Union

import numpy as np

from . import _lib, _time
from ._lib import Handle, check, lib, read_string
from .assets import Assets, AssetHits, Excavation

ArrayLike = Union[np.ndarray, list, tuple, float, int]


def _crs_bytes(crs: Optional[str]) -> Optional[bytes]:
    return None if crs is None else str(crs).encode("utf-8")


def _coordinates(lon: ArrayLike, lat: ArrayLike):
    """Two flat C-contiguous float64 arrays (copies only when needed) and their common shape."""
    x = np.asarray(lon, dtype=np.float64)
    y = np.asarray(lat, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"lon has shape {x.shape} but lat has shape {y.shape}")
    # ascontiguousarray would turn a scalar into shape (1,): keep the shape apart.
    return np.ascontiguousarray(x).reshape(-1), np.ascontiguousarray(y).reshape(-1), x.shape


class Twin(Handle):
    """A twin file opened through libtwin: every department's grid, located in one call.

    ``Twin(path)`` reads the file once into memory (read-only; the file is never modified).
    One instance may be used from many threads at once; libtwin releases no GIL itself, but
    ctypes drops the GIL during each call, and a batch ``locate`` uses every core.

    Example::

        from twingeo import Twin
        with Twin("district.twin.gpkg") as twin:
            cells = twin.locate(lon, lat)              # {layer: int32 array, -1 = no cell}
            codes = twin.locate(lon, lat, crs="gcj02", codes=True)  # {layer: str object array}

    Raises:
        TwinError: ``ERR_IO`` for a missing or unreadable path, ``ERR_FORMAT`` for a file that
            is not a twin.
    """

    _closed_message = "the twin is closed"

    def __init__(self, path: Union[str, os.PathLike]):
        handle = ctypes.c_void_p()
        check(lib.twin_open(os.fsencode(path), ctypes.byref(handle)))
        self._handle: Optional[int] = handle.value
        self.path = os.fspath(path)
        count = ctypes.c_size_t()
        check(lib.twin_layer_count(self._handle, ctypes.byref(count)), self._handle)
        #: The layer names; every per-layer answer is in this order.
        self.layers: List[str] = [
            read_string(lib.twin_layer_name, self._handle, i, handle=self._handle) for i in range(count.value)
        ]
        self._codes: Dict[int, np.ndarray] = {}
        self._code_tables: Dict[int, np.ndarray] = {}
        # A fresh buffer per locate_point call (sharing one would race between threads).
        self._cells_type = ctypes.c_int32 * max(1, len(self.layers))
        self._assets: Optional[Assets] = None

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Frees the twin; further calls raise ``ValueError``. Closing twice is harmless."""
        handle, self._handle = getattr(self, "_handle", None), None
        assets, self._assets = getattr(self, "_assets", None), None
        if assets is not None:
            assets.close()
        if handle:
            lib.twin_close(handle)



    def __repr__(self) -> str:
        state = "closed" if not self._handle else f"{len(self.layers)} layers"
        return f"Twin({self.path!r}, {state})"

    # -- layers and cells -------------------------------------------------------------------

    def _layer(self, layer: Union[str, int]) -> int:
        if isinstance(layer, str):
            try:
                return self.layers.index(layer)
            except ValueError:
                raise KeyError(f"the twin has no layer {layer!r} (layers: {', '.join(self.layers)})") from None
        return int(layer)

    def cell_count(self, layer: Union[str, int]) -> int:
        """The number of cells of ``layer`` (a name or an index into ``layers``)."""
        count = ctypes.c_size_t()
        h = self._h()
        check(lib.twin_cell_count(h, self._layer(layer), ctypes.byref(count)), h)
        return count.value

    def cell_code(self, layer: Union[str, int], cell: int) -> str:
        """The code of cell index ``cell`` of ``layer``; ``TwinError`` (``ERR_NOT_FOUND``) for -1."""
        h = self._h()
        return read_string(lib.twin_cell_code, h, self._layer(layer), int(cell), handle=h)

    def cell_name(self, layer: Union[str, int], cell: int) -> str:
        """The name of cell index ``cell`` of ``layer`` ("" when the cell has none)."""
        h = self._h()
        return read_string(lib.twin_cell_name, h, self._layer(layer), int(cell), handle=h)

    def codes(self, layer: Union[str, int]) -> np.ndarray:
        """Every cell code of ``layer`` as an object array indexed by cell index (cached)."""
        index = self._layer(layer)
        table = self._codes.get(index)
        if table is None:
            table = np.array([self.cell_code(index, i) for i in range(self.cell_count(index))], dtype=object)
            self._codes[index] = table
        return table

    # -- locate -----------------------------------------------------------------------------

    def _selection(self, layers) -> Optional[List[int]]:
        """Layer indexes for ``layers`` (names or indexes, duplicates dropped); None = every layer."""
        if layers is None:
            return None
        if isinstance(layers, (str, int, np.integer)):
            layers = [layers]
        picked: List[int] = []
        for layer in layers:
            index = self._layer(layer)
            if not 0 <= index < len(self.layers):
                raise KeyError(f"layer index {index} is out of range (the twin has {len(self.layers)} layers)")
            if index not in picked:
                picked.append(index)
        return picked

    def _code_table(self, layer: int) -> np.ndarray:
        """Codes by cell index with a trailing None, so that index -1 reads None."""
        table = self._code_tables.get(layer)
        if table is None:
            table = np.append(self.codes(layer), None)
            self._code_tables[layer] = table
        return table

    def locate(self, lon: ArrayLike, lat: ArrayLike, crs: Optional[str] = "wgs84", as_of=None, layers=None,
               codes: bool = False) -> Dict[str, np.ndarray]:
        """Locates points in every layer, or in the chosen ones (one exact point-in-partition locate
        per point, on every core).

        Args:
            lon: longitudes (or eastings for a projected ``crs``): any array-like of numbers, or
                a scalar.
            lat: latitudes (or northings), the same shape as ``lon``.
            crs: ``"wgs84"`` (default), ``"cgcs2000"``, ``"gcj02"``, ``"bd09"`` or ``"EPSG:n"``.
            as_of: the grid to answer with (layer versions have valid-from/valid-to). ``None``: the
                latest grid. One instant for every point: a ``datetime`` (naive = UTC), a
                ``date`` (midnight UTC), a numpy ``datetime64`` or Unix seconds. Or an array of
                them (broadcast to ``lon``'s shape): each point in the grid of its own instant,
                where NaT/NaN or an instant outside years 1-9999 gives that point -1.
            layers: ``None`` for every layer, or layer names/indexes (one, or a list): only
                those are answered (and cost time).
            codes: return cell codes (``str``; ``None`` where there is no cell) instead of cell
                indexes.

        Returns:
            ``{layer name: array of lon's shape}`` in ``layers`` order (the twin's, or yours):
            ``int32`` cell indexes, -1 outside the layer or for NaN/infinite positions (views of
            one block); or, with ``codes=True``, ``object`` arrays of codes.

        Raises:
            TwinError: ``ERR_CRS`` for an unknown CRS; ``ERR_ARG`` for a single ``as_of`` that is
                NaN/NaT or outside years 1-9999.
            KeyError: for an unknown layer name or index.
            TypeError: for an ``as_of`` that is no instant (a bool, a string).
            ValueError: when the shapes differ.
        """
        h = self._h()
        x, y, shape = _coordinates(lon, lat)
        n = x.size
        selected = self._selection(layers)
        names = self.layers if selected is None else [self.layers[i] for i in selected]
        indexes = range(len(self.layers)) if selected is None else selected
        times = _time.instants(as_of, shape)
        n_times, time_ptr = 0, None
        if times is not None:
            time_ptr = times.ctypes.data
            # One value for all (0-d) is n_times 1; per point is n_times n. With n == 1 both are
            # one value, and libtwin would refuse a bad instant instead of answering -1: the
            # per-point rule is kept here by asking for nothing but the checks.
            n_times = 1 if times.ndim == 0 or n == 1 else n
            if times.ndim == 1 and n == 1 and not np.isfinite(times[0]):
                n, n_times = 0, 0
        chosen = None if selected is None else np.asarray(selected, dtype=np.uintp)
        # Filled with -1 only when the call answers fewer points than there are (see above).
        out = np.empty(len(names) * x.size, dtype=np.int32) if n == x.size else np.full(len(names) * x.size, -1, np.int32)
        check(lib.twin_locate_select(h, x.ctypes.data, y.ctypes.data, n, _crs_bytes(crs), time_ptr, n_times,
                                     None if chosen is None else chosen.ctypes.data, 0 if chosen is None else chosen.size,
                                     out.ctypes.data, out.size), h)
        size = x.size
        result = {}
        for j, (name, layer) in enumerate(zip(names, indexes)):
            cells = out[j * size:(j + 1) * size].reshape(shape)
            result[name] = self._code_table(layer)[cells] if codes else cells
        return result

    def locate_point(self, lon: float, lat: float, crs: Optional[str] = "wgs84", as_of=None) -> Dict[str, int]:
        """One point through ``twin_locate`` (``twin_locate_at`` with ``as_of``, one instant):
        ``{layer: cell index or -1}``."""
        h = self._h()
        cells = self._cells_type()
        if as_of is None:
            check(lib.twin_locate(h, float(lon), float(lat), _crs_bytes(crs), cells, len(cells)), h)
        else:
            seconds = _time.instants(as_of, ())
            if seconds is None or seconds.ndim != 0:
                raise ValueError("locate_point takes one instant as as_of")
            check(lib.twin_locate_at(h, float(lon), float(lat), _crs_bytes(crs), float(seconds), cells, len(cells)), h)
        return {name: cells[l] for l, name in enumerate(self.layers)}

    # -- assets -----------------------------------------------------------------------------

    def assets(self) -> Assets:
        """The twin file's assets (``twin_assets_open`` on first use, then kept until ``close``)."""
        self._h()
        if self._assets is None:
            self._assets = Assets(self.path, os.fsencode(self.path))
        return self._assets

    def nearest(self, lon: float, lat: float, kind: Union[str, int], k: int = 10, crs: Optional[str] = "wgs84",
                max_metres: float = math.inf) -> AssetHits:
        """The ``k`` assets of ``kind`` nearest to a point, nearest first.

        Args:
            lon, lat: the position in ``crs``.
            kind: ``"building"``, ``"pipe"``, ``"camera"`` or ``"sensor"``.
            k: how many at most.
            max_metres: only assets at most this far.

        Returns:
            ``AssetHits(ids, distances)``: ids (object array of ``str``) and exact distances in
            metres (CGCS2000 GK EPSG:4549; 0 inside a building or on a pipe).

        Raises:
            TwinError: ``ERR_ARG`` for a NaN/infinite position or a negative ``max_metres``,
                ``ERR_CRS`` for an unknown CRS. ValueError: an unknown kind or a negative k.
        """
        return self.assets().nearest(lon, lat, kind, k, crs, max_metres)

    def cameras_seeing(self, lon: float, lat: float, crs: Optional[str] = "wgs84") -> AssetHits:
        """The cameras whose view sector covers a point (within range, within heading ± fov/2),
        nearest first: ``AssetHits(ids, distances)``.

        Raises:
            TwinError: ``ERR_ARG`` for a NaN/infinite position, ``ERR_CRS`` for an unknown CRS.
        """
        return self.assets().cameras_seeing(lon, lat, crs)

    def excavation(self, coords, clearance_metres: float = 0.0, crs: Optional[str] = "wgs84") -> Excavation:
        """Checks a planned excavation against the pipes beneath it (智慧工地).

        Args:
            coords: the excavation polygon's ring as ``(lon, lat)`` pairs (shape (n, 2); the
                closing vertex may be repeated or left out).
            clearance_metres: the safety margin around the polygon.

        Returns:
            ``Excavation(ids, networks, distances, lengths, length_by_network)``: the pipes within
            the clearance, nearest first, with the length of each inside the buffered polygon,
            and the totals per network (metres).

        Raises:
            TwinError: ``ERR_GEOMETRY`` for fewer than 3 distinct vertices or a polygon that
                cannot be buffered; ``ERR_ARG`` for a NaN vertex or a negative clearance;
                ``ERR_CRS``. ValueError: coords not of shape (n, 2).
        """
        return self.assets().excavation(coords, clearance_metres, crs)


def transform(x: ArrayLike, y: ArrayLike, from_crs: str, to_crs: str):
    """Transforms positions between CRSs (GCJ-02/BD-09 exactly, EPSG codes through PROJ).

    Args:
        x: longitudes or eastings (array-like or scalar).
        y: latitudes or northings, the same shape.
        from_crs: the CRS of the input (``"wgs84"``, ``"cgcs2000"``, ``"gcj02"``, ``"bd09"``,
            ``"EPSG:n"``).
        to_crs: the CRS wanted.

    Returns:
        ``(x, y)``: new float64 arrays of the input's shape (the inputs are not changed).

    Raises:
        TwinError: ``ERR_CRS`` for an unknown CRS, a NaN/infinite position (the message names its
            index) or a position PROJ cannot transform.
        ValueError: when the shapes differ.
    """
    xs, ys, shape = _coordinates(x, y)
    xs, ys = xs.copy(), ys.copy()
    check(lib.twin_transform(str(from_crs).encode(), str(to_crs).encode(), xs.ctypes.data_as(_lib._c_double_p),
                             ys.ctypes.data_as(_lib._c_double_p), xs.size))
    return xs.reshape(shape), ys.reshape(shape)
