#!/usr/bin/env python3
"""Re-assigns a Parquet data set to a twin's grids on a Spark cluster (see README.md).

    spark-submit ... reassign.py TWIN.gpkg IN_PATH OUT_PATH [--time-column time] [--category-column category]

Every row keeps its columns and gains the twin's cell columns (each row in the grid in force at
its time, when the time column exists), the hierarchy and the dispatch answer.
"""

import argparse

from pyspark.sql import SparkSession

from twingeo.spark import assign


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("twin")
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--time-column", default="time", help="per-row time column ('' for the latest grid)")
    p.add_argument("--category-column", default="category", help="event category column ('' for none)")
    p.add_argument("--prefix", default="", help="prefix for the added columns (e.g. v2_)")
    args = p.parse_args()
    spark = SparkSession.builder.appName("twingeo-reassign").getOrCreate()
    events = spark.read.parquet(args.source)
    out = assign(events, args.twin, as_of=args.time_column or None, category=args.category_column or None,
                 prefix=args.prefix)
    out.write.mode("overwrite").parquet(args.target)
    spark.stop()


if __name__ == "__main__":
    main()
