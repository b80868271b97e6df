#!/usr/bin/env python3
"""Independent reader for TwinGeo's GeoPackage files (Tests/TwinGeoTests/GeoPackageGDALTests.swift).

stdin: one line, either the path of a GeoPackage to read, or "WRITE <path>" to have GDAL create
one (the layer "cameras": POINT, EPSG:4326, fields code TEXT and height REAL, rows
(121.47 31.23, "a", 1.5), (121.5 31.1, "b", 2.0), (NULL, "c", 3.25), (POINT EMPTY, "d", -1.0));
then stdout is "WROTE" followed by the WARNING lines GDAL raised.

Reading, stdout is what GDAL (through pyogrio) and PROJ (through pyproj) see in it, one fact per line:

    GDAL <version>
    LAYER <name> <geometry type or None> <feature count> <crs or None>
    FIELDS <layer> <comma-separated field names>
    FEATURE <layer> <fid> <ISO WKB hex of the geometry, or NULL>
    SRS <srs_id> <same|equivalent|different|undefined>
        gpkg_spatial_ref_sys definition vs pyproj's EPSG:<id>: "same" when the text equals
        pyproj's WKT1_GDAL export, "equivalent" when PROJ finds them equal (axis order ignored)
    WARNING <message>                          (every GDAL warning raised while reading)

GDAL warnings surface through pyogrio as Python RuntimeWarnings; they are all recorded, so a
file GDAL reads "with reservations" fails the Swift test. Opening read-only through GDAL and
sqlite3 (mode=ro URI) never modifies the file.
Exit status 3 and a message on stderr when pyogrio or pyproj is missing ("run scripts/setup").
"""
import sqlite3
import sys
import warnings

try:
    import pyogrio
    from pyogrio import raw
    from pyproj import CRS
except ImportError as exc:  # pragma: no cover - environment problem, reported to the Swift test
    print(f"gpkg_oracle.py: cannot import pyogrio/pyproj ({exc}); run scripts/setup", file=sys.stderr)
    sys.exit(3)


def write(path):
    """GDAL writes a small GeoPackage of its own, for TwinGeo to read and append to."""
    import numpy as np
    from shapely import from_wkt, to_wkb

    wkts = ["POINT (121.47 31.23)", "POINT (121.5 31.1)", None, "POINT EMPTY"]
    geometry = np.array([None if w is None else to_wkb(from_wkt(w), flavor="iso") for w in wkts], dtype=object)
    codes = np.array(["a", "b", "c", "d"], dtype=object)
    heights = np.array([1.5, 2.0, 3.25, -1.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        raw.write(path, geometry, [codes, heights], ["code", "height"], layer="cameras", driver="GPKG",
                  geometry_type="Point", crs="EPSG:4326")
    print("\n".join(["WROTE"] + [f"WARNING {w.message}".replace("\n", " ") for w in caught]))


def main():
    path = sys.stdin.readline().strip()
    if path.startswith("WRITE "):
        write(path[len("WRITE "):])
        return
    out = [f"GDAL {pyogrio.__gdal_version_string__}"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name, geometry_type in pyogrio.list_layers(path):
            info = pyogrio.read_info(path, layer=name, force_feature_count=True)
            out.append(f"LAYER {name} {geometry_type} {info['features']} {info['crs']}")
            out.append(f"FIELDS {name} {','.join(info['fields'])}")
            _, fids, geometries, _ = raw.read(path, layer=name, return_fids=True, read_geometry=True)
            for i, fid in enumerate(fids):
                wkb = None if geometries is None else geometries[i]
                out.append(f"FEATURE {name} {fid} {'NULL' if wkb is None else bytes(wkb).hex()}")
    out.extend(f"WARNING {w.message}".replace("\n", " ") for w in caught)

    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT srs_id, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys ORDER BY srs_id"
        ).fetchall()
    finally:
        connection.close()
    for srs_id, organization, code, definition in rows:
        if definition == "undefined":
            out.append(f"SRS {srs_id} undefined")
            continue
        reference = CRS.from_user_input(f"{organization}:{code}")
        if definition == reference.to_wkt("WKT1_GDAL"):
            verdict = "same"
        elif CRS.from_wkt(definition).equals(reference, ignore_axis_order=True):
            verdict = "equivalent"
        else:
            verdict = "different"
        out.append(f"SRS {srs_id} {verdict}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
