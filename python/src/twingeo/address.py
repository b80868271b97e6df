"""Address geocoding (libtwin's twin_geocoder_* / twin_geocode_*): Shanghai-style address text to
a WGS84 point, a match level, a confidence score and the matched canonical address."""

import ctypes
import math
import os
from typing import Iterable, NamedTuple, Optional, Union

import numpy as np

from ._lib import Handle, check, lib

#: Match levels by libtwin's TWIN_MATCH_* value, finest first ("none": no match).
LEVELS = ("none", "doorplate", "lane", "poi", "community", "intersection", "road", "town")
#: Reasons by libtwin's TWIN_REASON_* value ("": none, an exact match).
REASONS = ("", "empty", "only_punctuation", "too_long", "invalid_utf8", "unrecognised", "no_such_road",
           "no_such_lane", "no_such_number", "no_such_intersection", "ambiguous")

_ERR_BUFFER = 5
_LEVEL_NAMES = np.array(LEVELS)
_REASON_NAMES = np.array(REASONS)

Text = Union[str, bytes, None]


class AddressMatch(NamedTuple):
    """The outcome for one address (``AddressGeocoder.geocode_one``)."""

    #: WGS84 longitude (NaN when there is no match).
    lon: float
    #: WGS84 latitude (NaN when there is no match).
    lat: float
    #: ``"doorplate"``, ``"lane"``, ``"poi"``, ``"community"``, ``"intersection"``, ``"road"``,
    #: ``"town"``, or ``"none"``.
    level: str
    #: Confidence 0–1 (0 when there is no match).
    score: float
    #: Why there is no match (``"no_such_number"``, ``"invalid_utf8"`` ...), or why a match is
    #: coarser than the text asked for; ``""`` for an exact match.
    reason: str
    #: The matched address in canonical form, e.g. ``"长寿路588弄12号"``; ``""`` when there is none.
    matched: str

    @property
    def is_match(self) -> bool:
        return self.level != "none"


class GeocodeResult(NamedTuple):
    """The outcome for many addresses (``AddressGeocoder.geocode``): one entry per text, in order."""

    #: WGS84 longitudes, float64 (NaN for no match).
    lon: np.ndarray
    #: WGS84 latitudes, float64 (NaN for no match).
    lat: np.ndarray
    #: Level names (numpy ``str`` array of ``LEVELS``: ``"doorplate"`` ... ``"none"``).
    level: np.ndarray
    #: Confidences 0–1, float64 (0 for no match).
    score: np.ndarray
    #: Reason names (numpy ``str`` array of ``REASONS``; ``""`` for an exact match).
    reason: np.ndarray
    #: Level codes, int32: the index into ``LEVELS`` (libtwin's TWIN_MATCH_*; 0 = no match).
    level_code: np.ndarray

    @property
    def matched(self) -> np.ndarray:
        """A bool array: True where the address was placed."""
        return self.level_code != 0


def _encode(text, index: Optional[int] = None) -> Optional[bytes]:
    """The UTF-8 bytes libtwin reads, or None for a missing value (None, NaN)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    if isinstance(text, (bytes, bytearray, memoryview)):
        data = bytes(text)
    elif isinstance(text, str):
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates: bytes decoded with "surrogateescape" go back to the original
            # (invalid) bytes; any other surrogate stays invalid UTF-8. libtwin then reports
            # invalid_utf8 rather than Python raising for one bad row.
            try:
                data = text.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:
                data = text.encode("utf-8", "surrogatepass")
    else:
        where = "" if index is None else f" (item {index})"
        raise TypeError(f"an address must be str, bytes or None{where}, not {type(text).__name__}")
    # NUL is noise to the matcher, like a space: the batch reads NUL-terminated texts, so a NUL
    # inside a text becomes a space there and here alike.
    return data.replace(b"\0", b" ")


class AddressGeocoder(Handle):
    """The address book of a twin file (``twin-tool import-addresses``), for geocoding.

    ``AddressGeocoder(path)`` reads the address tables once into memory (read-only). One
    instance may be used from many threads at once (ctypes drops the GIL during each call), and
    ``geocode`` spreads a batch over every core.

    No match is an answer, not an exception: level ``"none"``, NaN position, score 0 and a reason.
    That includes every kind of bad text: ``None``/NaN or ``""`` (``"empty"``), only punctuation,
    longer than 512 characters (``"too_long"``), invalid UTF-8 bytes (``"invalid_utf8"``: rejected,
    never repaired). A 号 that the road does not have is never replaced by a neighbouring number.

    Example::

        from twingeo import AddressGeocoder, Twin
        with AddressGeocoder("district.twin.gpkg") as geo, Twin("district.twin.gpkg") as twin:
            m = geo.geocode_one("普陀区长寿路街道长寿路588弄12号3楼")
            # AddressMatch(lon=121.43.., lat=31.24.., level='doorplate', score=1.0, reason='', matched='长寿路588弄12号')
            r = geo.geocode(df["address"])          # GeocodeResult of numpy arrays, all cores
            cells = twin.locate(r.lon, r.lat)       # no match (NaN) gives -1 in every layer

    Raises:
        TwinError: ``ERR_IO`` for a missing or unreadable path, ``ERR_FORMAT`` for a file that is
            not a twin or has no address book.
    """

    _closed_message = "the address geocoder is closed"

    def __init__(self, path: Union[str, os.PathLike]):
        handle = ctypes.c_void_p()
        check(lib.twin_geocoder_open(os.fsencode(path), ctypes.byref(handle)), None, lib.twin_geocoder_errmsg)
        self._handle: Optional[int] = handle.value
        self.path = os.fspath(path)

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Frees the geocoder; further calls raise ``ValueError``. Closing twice is harmless."""
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            lib.twin_geocoder_close(handle)



    def _check(self, status: int) -> None:
        check(status, self._handle, lib.twin_geocoder_errmsg)

    # -- geocoding --------------------------------------------------------------------------

    def geocode_one(self, text: Text) -> AddressMatch:
        """Geocodes one address (``str``, UTF-8 ``bytes``, or ``None``).

        Returns:
            the ``AddressMatch``; a text without a match gives level ``"none"`` with its reason.
        Raises:
            TypeError: for anything but str, bytes or None.
        """
        data = _encode(text)
        lon, lat, score = ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        level, reason = ctypes.c_int(), ctypes.c_int()
        needed = ctypes.c_size_t()
        size = 128
        while True:
            buf = ctypes.create_string_buffer(size)
            # len 0 reads up to the NUL: right for b"" (empty) and for None (NULL, empty).
            status = lib.twin_geocode_address(self._h(), data, len(data) if data else 0, ctypes.addressof(lon),
                                              ctypes.addressof(lat), ctypes.addressof(level), ctypes.addressof(score),
                                              ctypes.addressof(reason), buf, size, ctypes.byref(needed))
            if status == _ERR_BUFFER and needed.value > size:
                size = needed.value
                continue
            self._check(status)
            return AddressMatch(lon.value, lat.value, _name(LEVELS, level.value), score.value,
                                _name(REASONS, reason.value), buf.value.decode("utf-8"))

    def geocode(self, texts: Union[Iterable[Text], np.ndarray]) -> GeocodeResult:
        """Geocodes many addresses on every core.

        Args:
            texts: a sequence (list, numpy or pandas column ...) of str / UTF-8 bytes / None
                (None and NaN are missing values: level ``"none"``, reason ``"empty"``). A single
                str or bytes is one address.
        Returns:
            a ``GeocodeResult`` with one entry per text, in order; entry i equals
            ``geocode_one(texts[i])`` (without the matched address, which ``geocode_one`` gives).
        Raises:
            TypeError: for an item that is not str, bytes or None (naming its index).
        """
        if isinstance(texts, (str, bytes, bytearray)):
            texts = [texts]
        encoded = [_encode(t, i) for i, t in enumerate(texts)]
        n = len(encoded)
        lon = np.empty(n, dtype=np.float64)
        lat = np.empty(n, dtype=np.float64)
        score = np.empty(n, dtype=np.float64)
        level = np.empty(n, dtype=np.int32)
        reason = np.empty(n, dtype=np.int32)
        if n:
            # The array keeps the bytes objects alive (ctypes holds references) for the call.
            pointers = (ctypes.c_char_p * n)(*encoded)
            self._check(lib.twin_geocode_batch(self._h(), ctypes.addressof(pointers), n, lon.ctypes.data,
                                               lat.ctypes.data, level.ctypes.data, score.ctypes.data,
                                               reason.ctypes.data))
        return GeocodeResult(lon, lat, _names(_LEVEL_NAMES, level), score, _names(_REASON_NAMES, reason), level)


def _name(names, code: int) -> str:
    # A code newer than these bindings (libtwin adds values at the end) is named by libtwin.
    if 0 <= code < len(names):
        return names[code]
    getter = lib.twin_match_level_string if names is LEVELS else lib.twin_match_reason_string
    return getter(code).decode()


def _names(table: np.ndarray, codes: np.ndarray) -> np.ndarray:
    if codes.size and (codes.min() < 0 or codes.max() >= table.size):
        getter = lib.twin_match_level_string if table is _LEVEL_NAMES else lib.twin_match_reason_string
        return np.array([getter(int(c)).decode() for c in codes])
    return table[codes]
