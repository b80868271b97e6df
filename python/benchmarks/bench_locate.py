"""Twin.locate (libtwin batch, all cores) against shapely 2's STRtree on the sample district's
unit grid, and the ctypes cost of single-point calls. The fair ratio compares the same work
(the unit layer alone, layers=["unit"]); the all-layer figure answers every department at once.

    python benchmarks/bench_locate.py DEMO_DIR [--points 2000000] [--repeat 3]

DEMO_DIR is a `twin-tool demo --dir DEMO_DIR` directory (scale 1: ~2,900 unit cells): its
twin.gpkg and layers/unit.geojson. Points are uniform in the unit grid's box, seeded, so runs
compare. Prints best-of-N times, points per second and the ratio.
"""

import argparse
import ctypes
import json
import os
import pathlib
import time

import numpy as np
import shapely

import twingeo
from twingeo import Twin
from twingeo import _lib


def best(fn, repeat):
    """Best-of-N wall time of fn()."""
    return best2(fn, repeat)[0]


def best2(fn, repeat):
    """Best-of-N (wall time, process CPU time) of fn(). CPU time adds up every thread's work, so
    it does not depend on how many cores were free: on a shared machine it is the stable figure."""
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("demo_dir")
    ap.add_argument("--points", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--single", type=int, default=200_000, help="single-point calls to time")
    args = ap.parse_args()
    demo = pathlib.Path(args.demo_dir)

    features = json.loads((demo / "layers" / "unit.geojson").read_text(encoding="utf-8"))["features"]
    polygons = [shapely.geometry.shape(f["geometry"]) for f in features]
    minx, miny, maxx, maxy = shapely.total_bounds(polygons)
    rng = np.random.default_rng(42)
    lon = rng.uniform(minx, maxx, args.points)
    lat = rng.uniform(miny, maxy, args.points)
    n = args.points
    print(f"unit grid: {len(polygons)} cells; {n:,} points; {os.cpu_count()} cores; libtwin {twingeo.libtwin_version()}")

    twin = Twin(demo / "twin.gpkg")
    unit = "unit" if "unit" in twin.layers else twin.layers[0]
    twin.locate(lon[:1000], lat[:1000])  # warm up (thread pool, pages)
    t_unit, c_unit = best2(lambda: twin.locate(lon, lat, layers=[unit]), args.repeat)
    t_twin, c_twin = best2(lambda: twin.locate(lon, lat), args.repeat)
    out = np.empty(n * len(twin.layers), dtype=np.int32)
    h = twin._handle
    t_c = best(lambda: _lib.lib.twin_locate_select(h, lon.ctypes.data, lat.ctypes.data, n, None, None, 0, None, 0,
                                                   out.ctypes.data, out.size), args.repeat)
    print(f"Twin.locate, {unit} layer only (as shapely): {t_unit:.3f} s  ({n / t_unit / 1e6:.2f} M points/s)")
    print(f"Twin.locate, {len(twin.layers)} layers at once: {t_twin:.3f} s  ({n / t_twin / 1e6:.2f} M points/s;"
          f" the bare C call into a reused buffer: {t_c:.3f} s)")

    points = shapely.points(lon, lat)
    tree = shapely.STRtree(polygons)
    t_build = best(lambda: shapely.STRtree(polygons), 1)
    t_shapely, c_shapely = best2(lambda: tree.query(points, predicate="intersects"), args.repeat)
    print(f"shapely STRtree.query(intersects), unit layer only: {t_shapely:.3f} s  ({n / t_shapely / 1e6:.2f} M points/s;"
          f" tree build {t_build * 1e3:.1f} ms, points not included)")
    print(f"ratio shapely / twin, same work (one layer): {t_shapely / t_unit:.1f}x wall"
          f" ({c_shapely / c_unit:.1f}x in CPU time: {c_unit / n * 1e9:.1f} vs {c_shapely / n * 1e9:.1f} ns/point)")
    print(f"ratio shapely (one layer) / twin ({len(twin.layers)} layers): {t_shapely / t_twin:.1f}x wall"
          f" ({c_shapely / c_twin:.1f}x in CPU time)")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    # Same answers (unit layer), for points shapely puts in exactly one cell.
    hit_p, hit_g = tree.query(points, predicate="intersects")
    one = np.bincount(hit_p, minlength=n) == 1
    code_of = np.array([str(f["properties"]["code"]) for f in features], dtype=object)
    expected = np.full(n, None, dtype=object)
    expected[hit_p] = code_of[hit_g]
    got = twin.locate(lon, lat, layers=[unit], codes=True)[unit]
    print(f"agreement on the unit layer: {np.mean(got[one] == expected[one]) * 100:.4f}% of {one.sum():,} points")

    # Per-call overhead of ctypes for single points.
    k = args.single
    cells = (ctypes.c_int32 * len(twin.layers))()
    f = _lib.lib.twin_locate
    x0, y0 = float(lon[0]), float(lat[0])
    # CPU time (this process) per call: on a loaded machine wall time mostly measures waiting.
    t_version = best2(lambda: [_lib.lib.twin_version() for _ in range(k)], args.repeat)[1] / k
    t_raw = best2(lambda: [f(h, x0, y0, None, cells, len(cells)) for _ in range(k)], args.repeat)[1] / k
    t_point = best2(lambda: [twin.locate_point(x0, y0) for _ in range(k // 10)], args.repeat)[1] / (k // 10)
    t_one = best2(lambda: [twin.locate(x0, y0) for _ in range(k // 10)], args.repeat)[1] / (k // 10)
    print(f"per call, CPU time: ctypes call of twin_version (no work): {t_version * 1e9:.0f} ns")
    print(f"per call, CPU time: ctypes call of twin_locate (1 point, all layers): {t_raw * 1e9:.0f} ns"
          f" (of which ~{t_version * 1e9:.0f} ns is the bare ctypes call)")
    print(f"per call, CPU time: Twin.locate_point (wrapper, dict result): {t_point * 1e9:.0f} ns")
    print(f"per call, CPU time: Twin.locate on a scalar (numpy path): {t_one * 1e9:.0f} ns")
    print(f"batch per point, CPU time: {c_twin / n * 1e9:.1f} ns (all layers), {c_unit / n * 1e9:.1f} ns (one layer)")
    twin.close()


if __name__ == "__main__":
    main()
