"""Asset queries of a twin (libtwin's twin_assets_*): the nearest assets of a kind, the cameras
that see a point, and the pipes under a planned excavation, with distances in metres."""

import ctypes
from typing import Dict, NamedTuple, Optional, Union

import numpy as np

from ._lib import Handle, check, lib, read_string

#: Asset kinds: the names ``Twin.nearest`` takes and libtwin's TWIN_ASSET_* values.
KINDS = {"building": 0, "pipe": 1, "camera": 2, "sensor": 3}
#: Pipe networks in libtwin's TWIN_PIPE_* order (the keys of ``Excavation.length_by_network``).
NETWORKS = ("water_supply", "drainage", "gas", "power", "telecom", "heating")

_ERR_BUFFER = 5


class AssetHits(NamedTuple):
    """Assets found by a query, nearest first: ``ids, distances = twin.nearest(...)``."""

    #: The assets' ids (``str``), an object array.
    ids: np.ndarray
    #: Their distances in metres (CGCS2000 GK EPSG:4549, exact planar), float64.
    distances: np.ndarray


class Excavation(NamedTuple):
    """The pipes within the clearance of a planned excavation (智慧工地), nearest first."""

    #: The pipes' ids (object array of ``str``).
    ids: np.ndarray
    #: Each pipe's network (``"water_supply"``, ``"drainage"``, ``"gas"``, ...; object array).
    networks: np.ndarray
    #: Each pipe's distance to the polygon in metres (0 when it crosses or touches it).
    distances: np.ndarray
    #: Each pipe's length inside the polygon buffered by the clearance, in metres.
    lengths: np.ndarray
    #: Total length inside the zone per network, metres; every network in ``NETWORKS`` (0 if none).
    length_by_network: Dict[str, float]


def _kind(kind: Union[str, int]) -> int:
    if isinstance(kind, str):
        try:
            return KINDS[kind.lower()]
        except KeyError:
            raise ValueError(f"unknown asset kind {kind!r} (kinds: {', '.join(KINDS)})") from None
    return int(kind)


def _crs(crs: Optional[str]) -> Optional[bytes]:
    return None if crs is None else str(crs).encode("utf-8")


class Assets(Handle):
    """The asset handle of one twin file (``twin_assets_open``), with ids read once per slot."""

    _closed_message = "the twin is closed"

    def __init__(self, path: str, fs_path: bytes):
        handle = ctypes.c_void_p()
        check(lib.twin_assets_open(fs_path, ctypes.byref(handle)), None, lib.twin_assets_errmsg)
        self._handle: Optional[int] = handle.value
        self.path = path
        self._ids: Dict[tuple, str] = {}

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle:
            lib.twin_assets_close(handle)


    def _check(self, status: int) -> None:
        check(status, self._handle, lib.twin_assets_errmsg)

    # -- slots to ids ------------------------------------------------------------------------

    def count(self, kind: Union[str, int]) -> int:
        n = ctypes.c_size_t()
        self._check(lib.twin_assets_count(self._h(), _kind(kind), ctypes.byref(n)))
        return n.value

    def id(self, kind: int, slot: int) -> str:
        key = (kind, slot)
        value = self._ids.get(key)
        if value is None:
            value = read_string(lib.twin_asset_id, self._h(), kind, slot, handle=self._handle, errmsg=lib.twin_assets_errmsg)
            self._ids[key] = value
        return value

    def type(self, kind: Union[str, int], slot: int) -> str:
        return read_string(lib.twin_asset_type, self._h(), _kind(kind), int(slot), handle=self._handle,
                           errmsg=lib.twin_assets_errmsg)

    def _hits(self, kind: int, slots: np.ndarray, distances: np.ndarray) -> AssetHits:
        ids = np.array([self.id(kind, int(s)) for s in slots], dtype=object)
        return AssetHits(ids, distances)

    # -- queries -----------------------------------------------------------------------------

    def nearest(self, lon: float, lat: float, kind: Union[str, int], k: int, crs: Optional[str],
                max_metres: float) -> AssetHits:
        kind = _kind(kind)
        if k < 0:
            raise ValueError(f"k must be >= 0, not {k}")
        slots = np.empty(max(k, 1), dtype=np.int32)
        distances = np.empty(max(k, 1), dtype=np.float64)
        count = ctypes.c_size_t()
        self._check(lib.twin_assets_nearest(self._h(), kind, float(lon), float(lat), _crs(crs), float(max_metres),
                                            slots.ctypes.data, distances.ctypes.data, k, ctypes.byref(count)))
        n = count.value
        return self._hits(kind, slots[:n], distances[:n])

    def cameras_seeing(self, lon: float, lat: float, crs: Optional[str]) -> AssetHits:
        count = ctypes.c_size_t()
        capacity = 16
        while True:
            slots = np.empty(capacity, dtype=np.int32)
            distances = np.empty(capacity, dtype=np.float64)
            status = lib.twin_assets_cameras_seeing(self._h(), float(lon), float(lat), _crs(crs), slots.ctypes.data,
                                                    distances.ctypes.data, capacity, ctypes.byref(count))
            if status == _ERR_BUFFER and count.value > capacity:
                capacity = count.value
                continue
            self._check(status)
            n = count.value
            return self._hits(KINDS["camera"], slots[:n], distances[:n])

    def excavation(self, coords, clearance_metres: float, crs: Optional[str]) -> Excavation:
        ring = np.ascontiguousarray(np.asarray(coords, dtype=np.float64))
        if ring.ndim != 2 or ring.shape[1] != 2:
            raise ValueError(f"coords must be a sequence of (lon, lat) pairs (shape (n, 2)), not shape {ring.shape}")
        lon = np.ascontiguousarray(ring[:, 0])
        lat = np.ascontiguousarray(ring[:, 1])
        count = ctypes.c_size_t()
        networks = np.zeros(len(NETWORKS), dtype=np.float64)
        capacity = 64
        while True:
            slots = np.empty(capacity, dtype=np.int32)
            distances = np.empty(capacity, dtype=np.float64)
            lengths = np.empty(capacity, dtype=np.float64)
            status = lib.twin_assets_excavation(self._h(), lon.ctypes.data, lat.ctypes.data, lon.size, _crs(crs),
                                                float(clearance_metres), slots.ctypes.data, distances.ctypes.data,
                                                lengths.ctypes.data, capacity, ctypes.byref(count),
                                                networks.ctypes.data, networks.size)
            if status == _ERR_BUFFER and count.value > capacity:
                capacity = count.value
                continue
            self._check(status)
            n = count.value
            pipe = KINDS["pipe"]
            hits = self._hits(pipe, slots[:n], distances[:n])
            types = np.array([self.type(pipe, int(s)) for s in slots[:n]], dtype=object)
            return Excavation(hits.ids, types, hits.distances, lengths[:n].copy(),
                              {name: float(networks[i]) for i, name in enumerate(NETWORKS)})
