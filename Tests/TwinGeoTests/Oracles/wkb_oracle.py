#!/usr/bin/env python3
"""Independent reference for TwinGeo's WKT/WKB/GeoJSON codecs (Tests/TwinGeoTests/WKBOracleTests.swift), via shapely.

stdin: one case per line, "ID<TAB>KIND<TAB>PAYLOAD", KIND one of
    wkb      PAYLOAD is hexadecimal WKB written by TwinGeo (either byte order)
    wkt      PAYLOAD is WKT written by TwinGeo
    geojson  PAYLOAD is a GeoJSON geometry object written by TwinGeo
stdout: one line per case, "ID<TAB>WKB_HEX<TAB>WKT" where WKB_HEX is shapely's 2D ISO little-endian WKB of
what it parsed (exact: the comparison is bit for bit) and WKT its full-precision WKT; or
"ID<TAB>ERROR<TAB>message" when shapely/GEOS refuses the payload.
Exit status 3 and a message on stderr when shapely is missing ("run scripts/setup").
"""
import sys

try:
    import shapely
except ImportError as exc:  # pragma: no cover - environment problem, reported to the Swift test
    print(f"wkb_oracle.py: cannot import shapely ({exc}); run scripts/setup", file=sys.stderr)
    sys.exit(3)


def parse(kind, payload):
    if kind == "wkb":
        return shapely.from_wkb(bytes.fromhex(payload))
    if kind == "wkt":
        return shapely.from_wkt(payload)
    if kind == "geojson":
        return shapely.from_geojson(payload)
    raise ValueError(f"unknown kind {kind!r}")


def main():
    out = []
    for line in sys.stdin.read().splitlines():
        if not line.strip():
            continue
        case_id, kind, payload = line.split("\t", 2)
        try:
            g = parse(kind, payload)
            wkb = shapely.to_wkb(g, hex=True, output_dimension=2, byte_order=1, flavor="iso")
            wkt = shapely.to_wkt(g, rounding_precision=-1, trim=True)
            out.append(f"{case_id}\t{wkb}\t{wkt}")
        except Exception as exc:  # shapely.errors.GEOSException and friends: reported, not fatal
            message = " ".join(str(exc).split())
            out.append(f"{case_id}\tERROR\t{type(exc).__name__}: {message}")
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


if __name__ == "__main__":
    main()
