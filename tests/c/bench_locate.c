/*
 * bench_locate — per-call cost of libtwin's locate entry points from C (a timing loop, not a
 * test: it prints figures and checks nothing but the status codes).
 *
 *   usage: bench_locate TWIN.gpkg MINLON MINLAT MAXLON MAXLAT [CALLS]
 *
 * Points are uniform in the box (seeded), the same for every form. Prints the best of 5 runs
 * of CALLS (default 1000000) single-point calls of twin_locate (CRS NULL and "gcj02") and
 * twin_locate_at, and the per-point cost of twin_locate_batch over the same points.
 *
 * Single-point figures are this thread's CPU time per call (CLOCK_THREAD_CPUTIME_ID), so that a
 * machine shared with other work still gives the cost of the call rather than the time spent
 * waiting for a core; the batch (which runs on every core) is given as wall time and as CPU
 * time of the whole process per point.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "twin.h"

static double clock_seconds(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}
static double now(void) { return clock_seconds(CLOCK_THREAD_CPUTIME_ID); }

static uint64_t state = 0x2545F4914F6CDD1DULL;
static double uniform(void) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (double)((state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

enum { RUNS = 5, POINTS = 4096 };

int main(int argc, char **argv) {
    twin_t *t = NULL;
    size_t layers = 0, calls = 1000000, i, r;
    double lon[POINTS], lat[POINTS], best[5] = {1e9, 1e9, 1e9, 1e9, 1e9}, box[4];
    int32_t cells[64], *out;
    long sink = 0;
    int bad = 0;
    if (argc < 6 || argc > 7) {
        fprintf(stderr, "usage: %s TWIN.gpkg MINLON MINLAT MAXLON MAXLAT [CALLS]\n", argv[0]);
        return 2;
    }
    for (i = 0; i < 4; i++) box[i] = atof(argv[2 + i]);
    if (argc == 7) calls = (size_t)strtoul(argv[6], NULL, 10);
    if (twin_open(argv[1], &t) != TWIN_OK || twin_layer_count(t, &layers) != TWIN_OK || layers > 64) {
        fprintf(stderr, "bench_locate: %s\n", twin_errmsg(NULL));
        return 1;
    }
    for (i = 0; i < POINTS; i++) {
        lon[i] = box[0] + (box[2] - box[0]) * uniform();
        lat[i] = box[1] + (box[3] - box[1]) * uniform();
    }
    out = malloc(POINTS * layers * sizeof *out);
    for (r = 0; r < RUNS; r++) {
        double t0 = now();
        for (i = 0; i < calls; i++) {
            bad |= twin_locate(t, lon[i % POINTS], lat[i % POINTS], NULL, cells, 64);
            sink += cells[0];
        }
        double t1 = now();
        for (i = 0; i < calls / 10; i++) {
            bad |= twin_locate(t, lon[i % POINTS], lat[i % POINTS], "gcj02", cells, 64);
            sink += cells[0];
        }
        double t2 = now();
        for (i = 0; i < calls; i++) {
            bad |= twin_locate_at(t, lon[i % POINTS], lat[i % POINTS], NULL, 1.7e9, cells, 64);
            sink += cells[0];
        }
        double t2b = now();
        double t3 = clock_seconds(CLOCK_MONOTONIC), c3 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
        for (i = 0; i < calls / POINTS + 1; i++) bad |= twin_locate_batch(t, lon, lat, POINTS, NULL, out, POINTS * layers);
        double t4 = clock_seconds(CLOCK_MONOTONIC), c4 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
        if ((t1 - t0) / calls < best[0]) best[0] = (t1 - t0) / calls;
        if ((t2 - t1) / (calls / 10) < best[1]) best[1] = (t2 - t1) / (calls / 10);
        if ((t2b - t2) / calls < best[2]) best[2] = (t2b - t2) / calls;
        if ((t4 - t3) / ((calls / POINTS + 1) * POINTS) < best[3]) best[3] = (t4 - t3) / ((calls / POINTS + 1) * POINTS);
        if ((c4 - c3) / ((calls / POINTS + 1) * POINTS) < best[4]) best[4] = (c4 - c3) / ((calls / POINTS + 1) * POINTS);
    }
    printf("twin_locate (1 point, %zu layers, crs NULL):  %.0f ns/call (thread CPU)\n", layers, best[0] * 1e9);
    printf("twin_locate (1 point, crs \"gcj02\"):          %.0f ns/call (thread CPU)\n", best[1] * 1e9);
    printf("twin_locate_at (1 point, one instant):       %.0f ns/call (thread CPU)\n", best[2] * 1e9);
    printf("twin_locate_batch (%d points per call):     %.1f ns/point wall, %.1f ns/point CPU (all threads)\n", POINTS,
           best[3] * 1e9, best[4] * 1e9);
    fprintf(stderr, "(checksum %ld)\n", sink);
    free(out);
    twin_close(t);
    return bad ? 1 : 0;
}
