"""Twin: an opened twin file, locating numpy arrays of points in every layer at once."""

import ctypes
import os
from typing import Dict, List, Optional, Union

import numpy as np

from . import _lib
from ._lib import check, lib, read_string

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


class Twin:
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

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Frees the twin; further calls raise ``ValueError``. Closing twice is harmless."""
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            lib.twin_close(handle)

    def __enter__(self) -> "Twin":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def _h(self) -> int:
        if not self._handle:
            raise ValueError("the twin is closed")
        return self._handle

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

    def locate(self, lon: ArrayLike, lat: ArrayLike, crs: Optional[str] = "wgs84",
               codes: bool = False) -> Dict[str, np.ndarray]:
        """Locates points in every layer (one exact point-in-partition locate per point, on
        every core).

        Args:
            lon: longitudes (or eastings for a projected ``crs``): any array-like of numbers, or
                a scalar.
            lat: latitudes (or northings), the same shape as ``lon``.
            crs: ``"wgs84"`` (default), ``"cgcs2000"``, ``"gcj02"``, ``"bd09"`` or ``"EPSG:n"``.
            codes: return cell codes (``str``; ``None`` where there is no cell) instead of cell
                indexes.

        Returns:
            ``{layer name: array of lon's shape}`` in ``layers`` order: ``int32`` cell indexes,
            -1 outside the layer or for NaN/infinite positions (all arrays are views of one
            block); or, with ``codes=True``, ``object`` arrays of codes.

        Raises:
            TwinError: ``ERR_CRS`` for an unknown CRS.
            ValueError: when the shapes differ.
        """
        h = self._h()
        x, y, shape = _coordinates(lon, lat)
        n, layer_count = x.size, len(self.layers)
        out = np.empty(layer_count * n, dtype=np.int32)
        check(lib.twin_locate_batch(h, x.ctypes.data_as(_lib._c_double_p), y.ctypes.data_as(_lib._c_double_p), n,
                                    _crs_bytes(crs), out.ctypes.data_as(_lib._c_int32_p), out.size), h)
        result = {}
        for l, name in enumerate(self.layers):
            cells = out[l * n:(l + 1) * n].reshape(shape)
            if codes:
                table = np.append(self.codes(l), None)  # index -1 reads the trailing None
                cells = table[cells]
            result[name] = cells
        return result

    def locate_point(self, lon: float, lat: float, crs: Optional[str] = "wgs84") -> Dict[str, int]:
        """One point through ``twin_locate``: ``{layer: cell index or -1}``."""
        h = self._h()
        cells = (ctypes.c_int32 * max(1, len(self.layers)))()
        check(lib.twin_locate(h, float(lon), float(lat), _crs_bytes(crs), cells, len(cells)), h)
        return {name: cells[l] for l, name in enumerate(self.layers)}


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
