"""Loads libtwin and declares the C prototypes of include/twin.h."""

import ctypes
import ctypes.util
import os
import pathlib

from .errors import TwinError

#: The header version these bindings were written for (TWIN_VERSION_NUMBER).
HEADER_VERSION = 100

_c_double_p = ctypes.POINTER(ctypes.c_double)
_c_int32_p = ctypes.POINTER(ctypes.c_int32)
_c_size_p = ctypes.POINTER(ctypes.c_size_t)


def _candidates():
    env = os.environ.get("TWINGEO_LIBTWIN")
    if env:
        # An explicit choice: only this file, so a wrong path is an error, not a fallback.
        return [env]
    here = pathlib.Path(__file__).resolve().parent
    found = [str(p) for name in ("libtwin.so.0", "libtwin.so") for p in [here / name] if p.exists()]
    system = ctypes.util.find_library("twin")
    if system:
        found.append(system)
    return found


def _load():
    candidates = _candidates()
    if not candidates:
        raise OSError(
            "twingeo: libtwin not found. Build it with scripts/build-libtwin and set "
            "TWINGEO_LIBTWIN=/path/to/build/lib/libtwin.so.0, copy libtwin.so.0 into "
            "python/src/twingeo/ before `pip install ./python`, or install it system-wide."
        )
    errors = []
    for path in candidates:
        try:
            return ctypes.CDLL(path)
        except OSError as e:  # try the next candidate, report all if none loads
            errors.append(f"{path}: {e}")
    raise OSError("twingeo: cannot load libtwin: " + "; ".join(errors))


lib = _load()

_prototypes = {
    "twin_version": (ctypes.c_int, []),
    "twin_status_string": (ctypes.c_char_p, [ctypes.c_int]),
    "twin_errmsg": (ctypes.c_char_p, [ctypes.c_void_p]),
    "twin_open": (ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]),
    "twin_close": (None, [ctypes.c_void_p]),
    "twin_layer_count": (ctypes.c_int, [ctypes.c_void_p, _c_size_p]),
    "twin_layer_name": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, _c_size_p]),
    "twin_cell_count": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_size_t, _c_size_p]),
    "twin_cell_code": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int32, ctypes.c_char_p,
                                      ctypes.c_size_t, _c_size_p]),
    "twin_cell_name": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int32, ctypes.c_char_p,
                                      ctypes.c_size_t, _c_size_p]),
    "twin_locate": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_double, ctypes.c_double, ctypes.c_char_p, _c_int32_p,
                                   ctypes.c_size_t]),
    "twin_locate_batch": (ctypes.c_int, [ctypes.c_void_p, _c_double_p, _c_double_p, ctypes.c_size_t, ctypes.c_char_p,
                                         _c_int32_p, ctypes.c_size_t]),
    "twin_transform": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_char_p, _c_double_p, _c_double_p, ctypes.c_size_t]),
    "twin_locate_at": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_double, ctypes.c_double, ctypes.c_char_p, ctypes.c_double,
                                      _c_int32_p, ctypes.c_size_t]),
    "twin_locate_batch_at": (ctypes.c_int, [ctypes.c_void_p, _c_double_p, _c_double_p, ctypes.c_size_t, ctypes.c_char_p,
                                            ctypes.c_double, _c_int32_p, ctypes.c_size_t]),
    # Arrays go in as raw addresses (c_void_p): numpy's .ctypes.data is an int, and building a
    # typed ctypes pointer per call costs more than the call itself for small batches.
    "twin_locate_select": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                          ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p,
                                          ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t]),
    "twin_assets_open": (ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]),
    "twin_assets_close": (None, [ctypes.c_void_p]),
    "twin_assets_errmsg": (ctypes.c_char_p, [ctypes.c_void_p]),
    "twin_assets_count": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int, _c_size_p]),
    "twin_asset_id": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int, ctypes.c_int32, ctypes.c_char_p, ctypes.c_size_t,
                                     _c_size_p]),
    "twin_asset_type": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int, ctypes.c_int32, ctypes.c_char_p, ctypes.c_size_t,
                                       _c_size_p]),
    "twin_assets_nearest": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int, ctypes.c_double, ctypes.c_double,
                                           ctypes.c_char_p, ctypes.c_double, ctypes.c_void_p, ctypes.c_void_p,
                                           ctypes.c_size_t, _c_size_p]),
    "twin_assets_cameras_seeing": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_double, ctypes.c_double, ctypes.c_char_p,
                                                  ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, _c_size_p]),
    "twin_assets_excavation": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                              ctypes.c_char_p, ctypes.c_double, ctypes.c_void_p, ctypes.c_void_p,
                                              ctypes.c_void_p, ctypes.c_size_t, _c_size_p, ctypes.c_void_p,
                                              ctypes.c_size_t]),
    "twin_geocoder_open": (ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]),
    "twin_geocoder_close": (None, [ctypes.c_void_p]),
    "twin_geocoder_errmsg": (ctypes.c_char_p, [ctypes.c_void_p]),
    "twin_match_level_string": (ctypes.c_char_p, [ctypes.c_int]),
    "twin_match_reason_string": (ctypes.c_char_p, [ctypes.c_int]),
    "twin_geocode_address": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p,
                                            ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                                            ctypes.c_char_p, ctypes.c_size_t, _c_size_p]),
    "twin_geocode_batch": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p,
                                          ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]),
}
for _name, (_res, _args) in _prototypes.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args

if lib.twin_version() // 100 != HEADER_VERSION // 100:
    raise OSError(f"twingeo: libtwin version {lib.twin_version()} does not match the bindings ({HEADER_VERSION})")


class Handle:
    """A libtwin handle owned by a Python object, freed by ``close()``, ``with`` or garbage collection.

    Subclasses set ``_handle`` and ``_closed_message`` and define ``close()`` (which must be safe
    to call twice and on a half-built object).
    """

    _handle = None
    _closed_message = "the handle is closed"

    def close(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def _h(self) -> int:
        """The handle, or ``ValueError`` once closed."""
        if not self._handle:
            raise ValueError(self._closed_message)
        return self._handle


def check(status: int, handle=None, errmsg=None) -> None:
    """Raises TwinError for a non-zero status, with the calling thread's message.

    ``errmsg`` is the message getter of the handle's kind (``twin_errmsg`` by default,
    ``twin_assets_errmsg`` for an assets handle).
    """
    if status != 0:
        raw = (errmsg or lib.twin_errmsg)(handle)
        message = raw.decode("utf-8", "replace") if raw else ""
        if not message:
            message = lib.twin_status_string(status).decode()
        raise TwinError(status, message)


def read_string(fn, *args, handle=None, errmsg=None) -> str:
    """Calls a twin_* string getter with a growing buffer (the TWIN_ERR_BUFFER protocol)."""
    size = 64
    needed = ctypes.c_size_t(0)
    while True:
        buf = ctypes.create_string_buffer(size)
        status = fn(*args, buf, size, ctypes.byref(needed))
        if status == 5 and needed.value > size:  # TWIN_ERR_BUFFER
            size = needed.value
            continue
        check(status, handle, errmsg)
        return buf.value.decode("utf-8")
