#!/usr/bin/env python3
"""Independent reference for the asset catalog (Tests/TwinGeoTests/AssetGeodesicTests.swift,
AssetExcavationTests.swift).

stdin: one request per line; stdout: one answer line per request, floats as repr().

    fwd LON LAT AZ DIST          -> "LON2 LAT2"   pyproj Geod(WGS84).fwd: the point DIST m from
                                                  (LON, LAT) at true azimuth AZ degrees
    inv LON1 LAT1 LON2 LAT2      -> "AZ DIST"     pyproj Geod(WGS84).inv: azimuth (0-360) and
                                                  geodesic distance in m
    exc CLEARANCE QUADSEGS POLYGON_WKT|PIPE_WKT|PIPE_WKT...
                                 -> "D1 L1 D2 L2 ..." shapely: for each pipe, its distance to the
                                                  polygon and the length of pipe ∩ polygon.buffer(
                                                  CLEARANCE, quad_segs=QUADSEGS) (plain polygon when
                                                  CLEARANCE is 0); metric coordinates

Exit status 3 and a message on stderr when pyproj or shapely is missing ("run scripts/setup").
"""
import sys

try:
    from pyproj import Geod
    import shapely
    from shapely import wkt
except ImportError as exc:  # pragma: no cover - environment problem, reported to the Swift test
    print(f"asset_oracle.py: cannot import pyproj/shapely ({exc}); run scripts/setup", file=sys.stderr)
    sys.exit(3)

GEOD = Geod(ellps="WGS84")


def main():
    out = []
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        op, _, rest = line.partition(" ")
        if op == "fwd":
            lon, lat, az, dist = map(float, rest.split())
            lon2, lat2, _ = GEOD.fwd(lon, lat, az, dist)
            out.append(f"{lon2!r} {lat2!r}")
        elif op == "inv":
            lon1, lat1, lon2, lat2 = map(float, rest.split())
            az, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
            out.append(f"{az % 360.0!r} {dist!r}")
        elif op == "exc":
            clearance, quad, shapes = rest.split(" ", 2)
            clearance = float(clearance)
            parts = shapes.split("|")
            polygon = wkt.loads(parts[0])
            zone = polygon.buffer(clearance, quad_segs=int(quad)) if clearance > 0 else polygon
            answers = []
            for text in parts[1:]:
                pipe = wkt.loads(text)
                answers.append(f"{polygon.distance(pipe)!r} {zone.intersection(pipe).length!r}")
            out.append(" ".join(answers))
        else:
            print(f"asset_oracle.py: unknown request {op!r}", file=sys.stderr)
            sys.exit(2)
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


if __name__ == "__main__":
    main()
