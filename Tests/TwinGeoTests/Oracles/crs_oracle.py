#!/usr/bin/env python3
"""Independent reference for TwinGeo's coordinate transforms (Tests/TwinGeoTests/OracleCRSTests.swift).

stdin: one line "COUNT SEED".
stdout: one line per seeded random point in Shanghai (lon 120.85-122.2, lat 30.67-31.88), fields
separated by a space, every float as repr() (shortest text that parses back to the same double):

    lon lat  e4549 n4549  lon4326 lat4326  e32651 n32651  x3857 y3857  gcj_lon gcj_lat  bd_lon bd_lat

* e/n 4549, 32651, x/y 3857: pyproj Transformer EPSG:4326 -> EPSG:n (always_xy) of (lon, lat);
* lon/lat 4326: pyproj EPSG:4549 -> EPSG:4326 of (e4549, n4549);
* gcj: the standard GCJ-02 forward formula below (plain floats, math.sin/cos/sqrt), of (lon, lat);
* bd: the standard GCJ-02 -> BD-09 formula below, of (gcj_lon, gcj_lat).

The formulas are written in the same operation order as Sources/TwinGeo/CRS/GCJ02.swift and BD09.swift,
so with the same libm the results must be bit-identical.
Exit status 3 and a message on stderr when pyproj is missing ("run scripts/setup").
"""
import math
import random
import sys

try:
    from pyproj import Transformer
except ImportError as exc:  # pragma: no cover - environment problem, reported to the Swift test
    print(f"crs_oracle.py: cannot import pyproj ({exc}); run scripts/setup", file=sys.stderr)
    sys.exit(3)

A = 6378245.0
EE = 0.00669342162296594323
X_PI = math.pi * 3000.0 / 180.0


def out_of_china(lon, lat):
    return lon < 72.004 or lon > 137.8347 or lat < 0.8293 or lat > 55.8271


def transform_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def transform_lon(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon, lat):
    if out_of_china(lon, lat):
        return lon, lat
    d_lat = transform_lat(lon - 105.0, lat - 35.0)
    d_lon = transform_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = math.sin(rad_lat)
    magic = 1 - EE * magic * magic
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((A * (1 - EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lon + d_lon, lat + d_lat


def gcj02_to_bd09(lon, lat):
    x, y = lon, lat
    z = math.sqrt(x * x + y * y) + 0.00002 * math.sin(y * X_PI)
    theta = math.atan2(y, x) + 0.000003 * math.cos(x * X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def main():
    fields = sys.stdin.read().split()
    count, seed = int(fields[0]), int(fields[1])
    rng = random.Random(seed)
    lons = [rng.uniform(120.85, 122.2) for _ in range(count)]
    lats = [rng.uniform(30.67, 31.88) for _ in range(count)]

    def fwd(code):
        return Transformer.from_crs("EPSG:4326", f"EPSG:{code}", always_xy=True).transform(lons, lats)

    e4549, n4549 = fwd(4549)
    lon_back, lat_back = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True).transform(e4549, n4549)
    e32651, n32651 = fwd(32651)
    x3857, y3857 = fwd(3857)
    out = []
    for i in range(count):
        gx, gy = wgs84_to_gcj02(lons[i], lats[i])
        bx, by = gcj02_to_bd09(gx, gy)
        row = (lons[i], lats[i], e4549[i], n4549[i], lon_back[i], lat_back[i],
               e32651[i], n32651[i], x3857[i], y3857[i], gx, gy, bx, by)
        out.append(" ".join(repr(float(v)) for v in row))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
