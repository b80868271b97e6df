#!/usr/bin/env python3
"""Independent reference for TwinGeo's GEOS bridge (Tests/TwinGeoTests/OracleGEOSTests.swift), via shapely.

stdin: one case per line, "ID<TAB>WKT_A<TAB>WKT_B" (polygons written by the Swift test).
stdout: one line per case, fields separated by a tab:

    ID  valid_a  reason_a  area_a  made_valid_area_a  valid_b  reason_b  area_b  made_valid_area_b
        inter_area  union_area  diff_area

valid_* is 1 or 0; reason_* is the first word of shapely.is_valid_reason (explain_validity) ("Valid" when valid,
e.g. "Self-intersection" for a bow-tie); areas are repr() floats; the three overlay areas are "-"
unless both polygons are valid (overlays of invalid input may raise in GEOS).
Exit status 3 and a message on stderr when shapely is missing ("run scripts/setup").
"""
import re
import sys

try:
    import shapely
except ImportError as exc:  # pragma: no cover - environment problem, reported to the Swift test
    print(f"geos_oracle.py: cannot import shapely ({exc}); run scripts/setup", file=sys.stderr)
    sys.exit(3)


def first_word(reason):
    return re.split(r"[ \[]", reason, maxsplit=1)[0]


def describe(g):
    valid = shapely.is_valid(g)
    reason = first_word(shapely.is_valid_reason(g))
    made = shapely.make_valid(g)
    return [("1" if valid else "0"), reason, repr(float(g.area)), repr(float(made.area))], valid


def main():
    out = []
    for line in sys.stdin.read().splitlines():
        if not line.strip():
            continue
        case_id, wkt_a, wkt_b = line.split("\t")
        a, b = shapely.from_wkt(wkt_a), shapely.from_wkt(wkt_b)
        fa, valid_a = describe(a)
        fb, valid_b = describe(b)
        if valid_a and valid_b:
            overlay = [repr(float(a.intersection(b).area)), repr(float(a.union(b).area)),
                       repr(float(a.difference(b).area))]
        else:
            overlay = ["-", "-", "-"]
        out.append("\t".join([case_id] + fa + fb + overlay))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
