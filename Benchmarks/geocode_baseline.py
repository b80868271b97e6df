#!/usr/bin/env python3
"""Baseline for `twin-tool geocode`: the same CSV through Python's csv module and shapely 2.

Reads the layers (GeoJSON, one file per layer), builds one shapely STRtree per layer, streams
the events CSV in chunks, parses lon/lat strictly (plain decimals in range; others rejected),
converts GCJ-02 rows (per-row `crs` column) to WGS84 with the iterative inverse, locates each
chunk with the vectorised `STRtree.query(points, predicate="intersects")` per layer, and writes
every input column plus one cell-code column per layer. Prints rows in/out/rejected and rows/s.

Usage:
  python3 Benchmarks/geocode_baseline.py --layers DIR/layers --in EVENTS.csv --out OUT.csv

Measured by scripts/bench-geocode (2026-11-29 01:00 UTC, 2 cores shared with five other engineers'
builds, load average 12-16, so wall times are several times the idle machine's; CPU times are the
steadier figure). Input: Benchmarks/geocode_input.py from the scale-1 demo's events.csv,
9,900,615 rows, 1.45 GB; the baseline and twin-tool on its first 990,084 rows:
  this script (1 M prefix):              163.3 s wall, 6,063 rows/s (43.5 s, 23,055 rows/s when the
                                         machine was quieter)
  twin-tool geocode (1 M prefix):        6.97 s wall incl. opening the twin, 209,683 rows/s in the
                                         engine = 34.6x this script in the same run; 2.16 CPU-s
  twin-tool geocode (9.9 M rows):        59.3 s wall, 15.1 s user + 3.9 s system CPU, 196 MB
                                         (the previous engine: 17.4 s wall on a quieter machine)
  ... with --time-column time:           79.5 s wall, 19.8 s user + 3.8 s system CPU
Python's csv/float accept full-width digits (Unicode \d), so this script rejects 250 fewer rows.
"""
import argparse
import csv
import json
import math
import os
import re
import sys
import time

import numpy as np
import shapely
from shapely.strtree import STRtree

DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
A, EE = 6378245.0, 0.00669342162296594323


def _dlat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    r += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return r


def _dlon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    r += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return r


def wgs_to_gcj(lon, lat):
    dlat = _dlat(lon - 105.0, lat - 35.0)
    dlon = _dlon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (A / sqrtmagic * np.cos(radlat) * np.pi)
    return lon + dlon, lat + dlat


def gcj_to_wgs(lon, lat):
    """Iterative inverse (fixed point), to < 1e-9 degrees."""
    x, y = lon.copy(), lat.copy()
    for _ in range(30):
        gx, gy = wgs_to_gcj(x, y)
        dx, dy = gx - lon, gy - lat
        x -= dx
        y -= dy
        if np.all(np.abs(dx) < 1e-10) and np.all(np.abs(dy) < 1e-10):
            break
    return x, y


def load_layers(directory, names):
    layers = []
    for name in names:
        with open(os.path.join(directory, name + ".geojson"), encoding="utf-8") as f:
            doc = json.load(f)
        codes = [feat["properties"]["code"] for feat in doc["features"]]
        geoms = shapely.from_geojson([json.dumps(feat["geometry"]) for feat in doc["features"]])
        shapely.prepare(geoms)
        layers.append((name, np.array(codes, dtype=object), STRtree(geoms)))
    return layers


def parse(text):
    if not DECIMAL.match(text.strip()):
        return None
    v = float(text)
    return v if math.isfinite(v) else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", required=True)
    ap.add_argument("--names", default="jiezhen,pianqu,jucun,unit,police,construction,governance,greening,market,housing")
    ap.add_argument("--in", dest="input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--chunk", type=int, default=65536)
    args = ap.parse_args()
    t0 = time.perf_counter()
    layers = load_layers(args.layers, args.names.split(","))
    t_load = time.perf_counter() - t0
    rows_in = rows_out = rejected = 0
    with open(args.input, newline="", encoding="utf-8") as fin, open(args.out, "w", newline="", encoding="utf-8") as fout, \
            open(args.out + ".rejects.csv", "w", newline="", encoding="utf-8") as frej:
        reader = csv.reader(fin)
        out = csv.writer(fout)
        rej = csv.writer(frej)
        header = next(reader)
        ilon, ilat, icrs = header.index("lon"), header.index("lat"), header.index("crs")
        out.writerow(header + [name for name, _, _ in layers])
        rej.writerow(header + ["reason"])
        while True:
            rows = []
            try:
                for row in reader:
                    rows.append(row)
                    if len(rows) >= args.chunk:
                        break
            except csv.Error:
                pass
            if not rows:
                break
            rows_in += len(rows)
            good, xs, ys, gcj = [], [], [], []
            for row in rows:
                if len(row) != len(header):
                    rej.writerow(row + ["column_count"]); rejected += 1; continue
                x, y = parse(row[ilon]), parse(row[ilat])
                if x is None or y is None or not (-180 <= x <= 180 and -90 <= y <= 90):
                    rej.writerow(row + ["bad_coordinate"]); rejected += 1; continue
                good.append(row); xs.append(x); ys.append(y); gcj.append(row[icrs] == "gcj02")
            if not good:
                continue
            xs, ys, gcj = np.array(xs), np.array(ys), np.array(gcj)
            if gcj.any():
                xs[gcj], ys[gcj] = gcj_to_wgs(xs[gcj], ys[gcj])
            points = shapely.points(xs, ys)
            columns = []
            for _, codes, tree in layers:
                col = np.full(len(good), "", dtype=object)
                pi, gi = tree.query(points, predicate="intersects")
                col[pi] = codes[gi]
                columns.append(col)
            for k, row in enumerate(good):
                out.writerow(row + [c[k] for c in columns])
            rows_out += len(good)
    seconds = time.perf_counter() - t0
    print(f"rows in {rows_in} = out {rows_out} + rejected {rejected}; layers loaded in {t_load:.2f} s; "
          f"total {seconds:.2f} s, {rows_in / seconds:.0f} rows/s", file=sys.stderr)


if __name__ == "__main__":
    main()
