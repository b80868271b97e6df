#!/usr/bin/env python3
"""Makes the geocode benchmark's input: ROWS data rows from the sample district's events.csv.

The events file is repeated; repeat k shifts every well-formed row's position by a fixed,
seeded offset of at most ~50 m (so points land on new spots, some across cell boundaries) and
prefixes its id with k, so no two rows are identical. Rows that are not plain `id,time,lon,lat,crs,...`
lines (the sample's bad rows: broken quoting, non-numeric or missing coordinates, multi-line
quoted fields) are copied verbatim, so every repeat has the same share of rejects.
Deterministic: the same events.csv, ROWS and SEED give the same bytes.

Usage: python3 Benchmarks/geocode_input.py EVENTS.csv OUT.csv ROWS [SEED]
"""
import random
import re
import sys

PLAIN = re.compile(rb"^E(\d+),([^,\"]*),(-?\d+\.\d+),(-?\d+\.\d+),([^,\"]*,.*)$", re.S)


def main():
    events, out_path, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20251128
    with open(events, "rb") as f:
        data = f.read()
    header, _, body = data.partition(b"\n")
    # Physical lines; a record spanning lines (quoted newline) stays in order, copied verbatim.
    lines = body.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    parsed = []
    for line in lines:
        m = PLAIN.match(line)
        parsed.append((m.group(1), m.group(2), float(m.group(3)), float(m.group(4)), m.group(5)) if m else line)
    rng = random.Random(seed)
    written = 0
    k = 0
    with open(out_path, "wb") as out:
        out.write(header + b"\n")
        while written < rows:
            dx, dy = rng.uniform(-5e-4, 5e-4), rng.uniform(-4e-4, 4e-4)
            tag = b"E%03d" % k
            chunk = []
            for p in parsed:
                if written >= rows:
                    break
                if isinstance(p, bytes):
                    chunk.append(p)
                else:
                    chunk.append(b"%s%s,%s,%.8f,%.8f,%s" % (tag, p[0], p[1], p[2] + dx, p[3] + dy, p[4]))
                # A continuation line of a multi-line record is not a row of its own; counting it
                # would only make the file a few rows shorter than asked, never malformed.
                written += 1
            out.write(b"\n".join(chunk) + b"\n")
            k += 1


if __name__ == "__main__":
    main()
