#!/usr/bin/env python3
"""Writes N million synthetic events around a twin's district as Parquet (the Spark sample's input).

    python3 samples/spark/generate.py N_MILLION OUT.parquet [--twin TWIN.gpkg] [--seed S]

Columns: id (int64), time (timestamp UTC, spread over 2025), lon, lat (WGS84 double), category
(a category of the twin's dispatch rules), source. Positions: 70 % in hot spots (Gaussian, ~150 m),
28 % uniform over the district's box and a 5 % margin (some fall outside every cell), 2 % bad
(null, NaN or infinite) so a run shows how they come out. The box is the twin's merged-cell
extent (``--twin``; default the sample district of ``twin-tool demo``). Written in row groups of
1 M rows with bounded memory; the same N and seed give the same file.
"""

import argparse
import os
import sqlite3
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

#: `twin-tool demo`'s sample district (merged-cell extent, WGS84) when no --twin is given.
DEMO_BOX = (121.40274221, 31.24713216, 121.42658699, 31.26294332)
DEMO_CATEGORIES = ["乱张贴", "井盖缺失", "人群聚集", "共享单车乱停放", "占道经营", "噪声扰民", "垃圾满溢", "无证经营", "治安",
                   "烟雾报警", "燃气泄漏", "物业纠纷", "积水", "绿化损坏", "群租", "违法停车", "违章搭建", "邻里纠纷", "食品安全"]
SOURCES = ["网格巡查", "12345热线", "智能感知", "视频巡查"]
ROW_GROUP = 1_000_000


def twin_box_and_categories(path):
    """The twin's merged-cell extent and dispatch categories, read-only."""
    uri = "file:" + os.path.abspath(path) + "?mode=ro&immutable=1"
    with sqlite3.connect(uri, uri=True) as db:
        box = db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents "
                         "WHERE table_name = 'twin_merged_cells'").fetchone()
        categories = [c for (c,) in db.execute("SELECT category FROM twin_dispatch_rules ORDER BY category")]
    if not box or None in box:
        raise SystemExit(f"generate.py: {path} has no merged-cell extent (is it a merged twin?)")
    return tuple(box), categories or DEMO_CATEGORIES


def chunk(rng, start, n, box, hot, categories):
    minx, miny, maxx, maxy = box
    dx, dy = (maxx - minx) * 0.05, (maxy - miny) * 0.05
    kind = rng.random(n)
    lon = rng.uniform(minx - dx, maxx + dx, n)
    lat = rng.uniform(miny - dy, maxy + dy, n)
    spots = kind < 0.70
    pick = rng.integers(0, len(hot), int(spots.sum()))
    # ~150 m: 0.0016° of longitude, 0.00135° of latitude at 31.25° N.
    lon[spots] = hot[pick, 0] + rng.normal(0, 0.0016, pick.size)
    lat[spots] = hot[pick, 1] + rng.normal(0, 0.00135, pick.size)
    bad = kind >= 0.98
    lon[bad] = rng.choice([np.nan, np.inf, -np.inf], int(bad.sum()))
    lon_arr = pa.array(lon, mask=bad & (rng.random(n) < 0.5))  # half the bad ones null, half NaN/inf
    seconds = rng.integers(1735689600, 1767225600, n)  # 2025 in UTC
    return pa.record_batch({
        "id": pa.array(np.arange(start, start + n, dtype=np.int64)),
        "time": pa.array(seconds * 1_000_000, type=pa.timestamp("us", tz="UTC")),
        "lon": lon_arr,
        "lat": pa.array(lat),
        "category": pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(categories), n).astype(np.int32)),
                                                   pa.array(categories)).cast(pa.string()),
        "source": pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(SOURCES), n).astype(np.int32)),
                                                 pa.array(SOURCES)).cast(pa.string()),
    })


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("millions", type=float, help="rows, in millions (e.g. 10, or 0.5)")
    p.add_argument("out", help="output Parquet file")
    p.add_argument("--twin", help="take the box and categories from this twin (default: the demo district)")
    p.add_argument("--seed", type=int, default=2025)
    args = p.parse_args(argv)
    n = int(round(args.millions * 1_000_000))
    if n < 1:
        p.error("N_MILLION must give at least one row")
    box, categories = twin_box_and_categories(args.twin) if args.twin else (DEMO_BOX, DEMO_CATEGORIES)
    rng = np.random.default_rng(args.seed)
    minx, miny, maxx, maxy = box
    hot = np.column_stack([rng.uniform(minx, maxx, 40), rng.uniform(miny, maxy, 40)])
    started = time.perf_counter()
    schema = chunk(np.random.default_rng(0), 0, 1, box, hot, categories).schema
    with pq.ParquetWriter(args.out, schema, compression="snappy") as writer:
        for start in range(0, n, ROW_GROUP):
            writer.write_batch(chunk(rng, start, min(ROW_GROUP, n - start), box, hot, categories))
    print(f"{n:,} events -> {args.out} ({os.path.getsize(args.out) / 1e6:.1f} MB, "
          f"{time.perf_counter() - started:.1f} s); box {box}", file=sys.stderr)


if __name__ == "__main__":
    main()
