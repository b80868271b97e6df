"""Instants for ``Twin.locate(as_of=...)``: datetimes, numpy datetime64 or Unix seconds, as float64
seconds since 1970-01-01T00:00:00Z (what libtwin's twin_locate_select takes)."""

import datetime as _dt
import numbers
from typing import Optional, Tuple

import numpy as np

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _seconds_of(value) -> float:
    """One instant as Unix seconds. Naive datetimes are UTC (as numpy's datetime64 are)."""
    if value is None:
        return float("nan")
    if isinstance(value, bool):
        raise TypeError("as_of must be a datetime, a numpy datetime64 or Unix seconds, not a bool")
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        # Exact to the microsecond: timedelta arithmetic, not float timestamp() of a local time.
        return (value - _EPOCH) / _dt.timedelta(seconds=1)
    if isinstance(value, _dt.date):
        return (_dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc) - _EPOCH).total_seconds()
    if isinstance(value, np.datetime64):
        return float(_datetime64_seconds(np.asarray(value)))
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"as_of must be a datetime, a numpy datetime64 or Unix seconds, not {type(value).__name__}")


def _datetime64_seconds(a: np.ndarray) -> np.ndarray:
    """datetime64 values (any unit) as float64 Unix seconds; NaT becomes NaN."""
    us = a.astype("datetime64[us]")
    seconds = us.astype(np.int64) / 1e6
    return np.where(np.isnat(us), np.nan, seconds)


def instants(as_of, shape: Tuple[int, ...]) -> Optional[np.ndarray]:
    """``as_of`` as float64 Unix seconds: ``None`` (latest grid), a 0-d array (one instant for every
    point) or a C-contiguous array of ``shape`` (one instant per point, broadcast if needed).

    Raises:
        TypeError: for a value that is no instant (a bool, a string, ...).
        ValueError: for an array that does not broadcast to ``shape``.
    """
    if as_of is None:
        return None
    if isinstance(as_of, (_dt.date, np.datetime64, numbers.Real)) and not isinstance(as_of, np.ndarray):
        return np.asarray(_seconds_of(as_of), dtype=np.float64)
    a = np.asarray(as_of)
    if a.dtype.kind == "M":
        seconds = _datetime64_seconds(a)
    elif a.dtype.kind in "iuf":
        seconds = a.astype(np.float64, copy=False)
    elif a.dtype.kind == "b":
        raise TypeError("as_of must be datetimes, numpy datetime64 or Unix seconds, not bools")
    elif a.dtype.kind == "O":
        seconds = np.array([_seconds_of(v) for v in a.reshape(-1)], dtype=np.float64).reshape(a.shape)
    else:
        raise TypeError(f"as_of must be datetimes, numpy datetime64 or Unix seconds, not an array of {a.dtype}")
    if seconds.ndim == 0:
        return np.asarray(seconds, dtype=np.float64)
    try:
        seconds = np.broadcast_to(seconds, shape)
    except ValueError:
        raise ValueError(f"as_of has shape {seconds.shape}, which does not broadcast to the points' shape {shape}") from None
    return np.ascontiguousarray(seconds, dtype=np.float64).reshape(-1)
