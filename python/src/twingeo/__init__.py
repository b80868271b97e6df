"""twingeo: Python bindings for libtwin, the C interface of TwinGeo.

Locate millions of points (numpy arrays) in every grid layer of a city-district digital twin
(多格合一) with one call, as of any date; find the nearest assets, the cameras that see a point
and the pipes under a planned excavation; geocode written Chinese addresses to points
(AddressGeocoder); and convert coordinates between WGS84, CGCS2000, GCJ-02, BD-09 and EPSG
systems.

libtwin is found through, in order: the ``TWINGEO_LIBTWIN`` environment variable (a path to
``libtwin.so.0``), a ``libtwin.so.0`` installed inside this package, the system library path.
"""

from ._lib import lib as _libtwin
from .errors import (ERR_ARG, ERR_BUFFER, ERR_CRS, ERR_FORMAT, ERR_GEOMETRY, ERR_INTERNAL, ERR_IO, ERR_NOT_FOUND,
                     TwinError)
from .assets import KINDS, NETWORKS, AssetHits, Excavation
from .address import LEVELS, REASONS, AddressGeocoder, AddressMatch, GeocodeResult
from .twin import Twin, transform

__version__ = "0.1.0"


def libtwin_version() -> int:
    """libtwin's version number, MAJOR * 10000 + MINOR * 100 + PATCH."""
    return _libtwin.twin_version()


__all__ = ["Twin", "TwinError", "transform", "libtwin_version", "AddressGeocoder", "AddressMatch", "GeocodeResult",
           "LEVELS", "REASONS", "AssetHits", "Excavation", "KINDS", "NETWORKS", "ERR_IO", "ERR_FORMAT", "ERR_ARG", "ERR_NOT_FOUND",
           "ERR_BUFFER", "ERR_GEOMETRY", "ERR_CRS", "ERR_INTERNAL"]
