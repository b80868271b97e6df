#!/usr/bin/env python3
"""Assigns a Parquet file of events to a twin's grid cells on a local Spark, and measures it.

    python3 samples/spark/run.py EVENTS.parquet TWIN.gpkg [--master 'local[*]' --master 'local[2]']
                                 [--out OUT.parquet] [--repeat 2] [--indexes]

For each master it times, over the same DataFrame and the same sink (Spark's ``noop`` writer, which
consumes every column of every row and writes nothing):

* a no-op ``mapInArrow`` (each Arrow batch returned as it came): Spark's own ceiling for moving the
  rows through Python and back;
* ``twingeo.spark.assign`` (every layer, the hierarchy, the dispatch columns from ``category``,
  each row in the grid in force at its ``time``);

and prints rows/s for both, their ratio (the target: assign at ≥ 80 % of the no-op's rate), and
the rows with a cell per output column. ``--out`` also writes the assigned rows as Parquet.
Needs twingeo importable (pip install ./python) and libtwin (TWINGEO_LIBTWIN or bundled).
"""

import argparse
import os
import sys
import time


def session(master, app="twingeo-spark-sample"):
    from pyspark.sql import SparkSession
    # Workers run this interpreter, so they import the same twingeo (on a cluster: --py-files).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master(master).appName(app)
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
             .config("spark.sql.session.timeZone", "UTC")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def timed(label, action, repeat):
    """Best wall time of ``repeat`` runs (the first run also starts the Python workers)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def noop_sink(df):
    df.write.format("noop").mode("overwrite").save()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("events", help="Parquet file from generate.py (lon, lat, time, category columns)")
    p.add_argument("twin", help="the twin file")
    p.add_argument("--master", action="append", help="Spark master (repeatable; default local[*] then local[2])")
    p.add_argument("--repeat", type=int, default=2, help="runs per measurement, best taken (default 2)")
    p.add_argument("--indexes", action="store_true", help="int cell indexes instead of codes")
    p.add_argument("--no-time", action="store_true", help="ignore the time column (latest grid for every row)")
    p.add_argument("--out", help="also write the assigned rows here (Parquet)")
    args = p.parse_args(argv)

    from pyspark.sql import functions as F
    from twingeo.spark import assign

    for master in args.master or ["local[*]", "local[2]"]:
        spark = session(master)
        cores = spark.sparkContext.defaultParallelism
        df = spark.read.parquet(args.events)
        rows = df.count()

        def identity(batches):
            yield from batches

        noop = df.mapInArrow(identity, df.schema)
        try:
            assigned = assign(df, args.twin, as_of=None if args.no_time else "time", category="category",
                              codes=not args.indexes)
        except NotImplementedError as e:  # a twingeo without per-row times
            print(f"as_of: {e}; assigning every row in the latest grid", file=sys.stderr)
            assigned = assign(df, args.twin, category="category", codes=not args.indexes)
        added = assigned.columns[len(df.columns):]

        t_noop = timed("no-op", lambda: noop_sink(noop), args.repeat)
        t_assign = timed("assign", lambda: noop_sink(assigned), args.repeat)
        print(f"{master} ({cores} tasks at once), {rows:,} rows, {len(added)} columns added:")
        print(f"  no-op mapInArrow  {t_noop:8.2f} s  {rows / t_noop / 1e6:7.2f} M rows/s")
        print(f"  twingeo assign    {t_assign:8.2f} s  {rows / t_assign / 1e6:7.2f} M rows/s")
        print(f"  assign / no-op rate: {t_noop / t_assign:.0%} (target >= 80%)")

        counts = assigned.select([F.count(F.col(c)).alias(c) for c in added]).first()
        width = max(len(c) for c in added)
        print("  rows with a cell:")
        for c in added:
            print(f"    {c:<{width}}  {counts[c]:>13,}  ({counts[c] / rows:6.1%})")
        if args.out:
            start = time.perf_counter()
            assigned.write.mode("overwrite").parquet(args.out)
            print(f"  written to {args.out} in {time.perf_counter() - start:.1f} s")
        spark.stop()


if __name__ == "__main__":
    main()
