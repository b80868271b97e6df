/*
 * C tests of libtwin through the public header only (include/twin.h).
 *
 *   usage: test_twin TWIN.gpkg MINLON MINLAT MAXLON MAXLAT TMPDIR [THREAD_POINTS [EPOCH_TWIN SECONDS LAYER]]
 *
 * TWIN.gpkg is a twin with at least one layer whose grid covers part of the box, and with
 * assets (buildings, pipes, cameras, sensors) in it; TMPDIR is a writable directory for the
 * refused-file fixtures. THREAD_POINTS (default 1000000) is the number of single-point locates
 * each of the 8 threads makes. EPOCH_TWIN is TWIN.gpkg with layer index LAYER imported again
 * as a new version in force from SECONDS (Unix time), and merged: two epochs.
 * The last line is "N passed, M failed"; the exit status is 0 only when M is 0.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "twin.h"
#include "check.h"

static const char *twin_path, *tmp_dir, *epoch_twin_path;
static double epoch_switch;
static size_t epoch_layer;
static double box[4]; /* min lon, min lat, max lon, max lat */
static twin_t *twin;
static size_t layer_count;

/* A deterministic generator (xorshift64*), so every run tests the same points. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static double uniform(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static void random_points(double *lon, double *lat, size_t n) {
    size_t i;
    /* A margin of 10% around the box, so that some points fall outside every grid. */
    double w = box[2] - box[0], h = box[3] - box[1];
    for (i = 0; i < n; i++) {
        lon[i] = box[0] - 0.1 * w + 1.2 * w * uniform();
        lat[i] = box[1] - 0.1 * h + 1.2 * h * uniform();
    }
}

static int contains(const char *haystack, const char *needle) { return strstr(haystack, needle) != NULL; }

static void write_file(const char *path, const char *content) {
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    fputs(content, f);
    fclose(f);
}

/* ---- version and status ---------------------------------------------------------------- */

static void test_version(void) {
    char text[32];
    CHECK(twin_version() == TWIN_VERSION_NUMBER);
    CHECK(TWIN_VERSION_NUMBER == TWIN_VERSION_MAJOR * 10000 + TWIN_VERSION_MINOR * 100 + TWIN_VERSION_PATCH);
    snprintf(text, sizeof text, "%d.%d.%d", TWIN_VERSION_MAJOR, TWIN_VERSION_MINOR, TWIN_VERSION_PATCH);
    CHECK(strcmp(text, TWIN_VERSION_STRING) == 0);
}

static void test_status_strings(void) {
    static const int codes[] = {TWIN_OK, TWIN_ERR_IO, TWIN_ERR_FORMAT, TWIN_ERR_ARG, TWIN_ERR_NOT_FOUND,
                                TWIN_ERR_BUFFER, TWIN_ERR_GEOMETRY, TWIN_ERR_CRS, TWIN_ERR_INTERNAL};
    size_t i, j, n = sizeof codes / sizeof codes[0];
    /* The numbers are ABI: never renumbered. */
    CHECK(TWIN_OK == 0 && TWIN_ERR_IO == 1 && TWIN_ERR_FORMAT == 2 && TWIN_ERR_ARG == 3 && TWIN_ERR_NOT_FOUND == 4 &&
          TWIN_ERR_BUFFER == 5 && TWIN_ERR_GEOMETRY == 6 && TWIN_ERR_CRS == 7 && TWIN_ERR_INTERNAL == 99);
    for (i = 0; i < n; i++) {
        const char *s = twin_status_string(codes[i]);
        CHECK(s != NULL && s[0] != '\0' && strcmp(s, "unknown status") != 0);
        for (j = 0; j < i; j++) CHECK(strcmp(s, twin_status_string(codes[j])) != 0);
    }
    CHECK(strcmp(twin_status_string(TWIN_OK), "ok") == 0);
    CHECK(strcmp(twin_status_string(8), "unknown status") == 0);
    CHECK(strcmp(twin_status_string(-1), "unknown status") == 0);
    CHECK(strcmp(twin_status_string(1000000), "unknown status") == 0);
}

/* ---- open and close -------------------------------------------------------------------- */

static void test_open_refusals(void) {
    twin_t *t = (twin_t *)&t; /* not NULL: twin_open must overwrite it */
    char path[4096];

    CHECK_RC(twin_open(NULL, &t), TWIN_ERR_ARG);
    CHECK(t == NULL);
    CHECK(contains(twin_errmsg(NULL), "path"));
    CHECK_RC(twin_open(twin_path, NULL), TWIN_ERR_ARG);

    t = (twin_t *)&t;
    snprintf(path, sizeof path, "%s/no-such-dir/missing.gpkg", tmp_dir);
    CHECK_RC(twin_open(path, &t), TWIN_ERR_IO);
    CHECK(t == NULL);
    CHECK(contains(twin_errmsg(NULL), "missing.gpkg"));
    CHECK(contains(twin_errmsg(NULL), "twin_open"));

    /* A text file: not SQLite at all. */
    t = (twin_t *)&t;
    snprintf(path, sizeof path, "%s/corrupt.gpkg", tmp_dir);
    write_file(path, "lon,lat\n121.4,31.2\nthis is a CSV file, not a twin\n");
    CHECK_RC(twin_open(path, &t), TWIN_ERR_FORMAT);
    CHECK(t == NULL);
    CHECK(contains(twin_errmsg(NULL), "corrupt.gpkg"));

    /* An empty file: SQLite would take it as an empty database; it is no twin. */
    snprintf(path, sizeof path, "%s/empty.gpkg", tmp_dir);
    write_file(path, "");
    CHECK_RC(twin_open(path, &t), TWIN_ERR_FORMAT);
    CHECK(t == NULL);
    CHECK(twin_errmsg(NULL)[0] != '\0');

    /* A directory. */
    CHECK(twin_open(tmp_dir, &t) != TWIN_OK);
    CHECK(t == NULL);

    twin_close(NULL); /* a harmless no-op */
    passed++;
}

static void test_open_close(void) {
    twin_t *t = NULL;
    size_t count = 0;
    CHECK_RC(twin_open(twin_path, &t), TWIN_OK);
    CHECK(t != NULL);
    CHECK(strcmp(twin_errmsg(t), "") == 0);
    CHECK_RC(twin_layer_count(t, &count), TWIN_OK);
    CHECK(count == layer_count);
    twin_close(t);
}

/* ---- layers and cells ------------------------------------------------------------------- */

static void test_layer_count(void) {
    size_t count = 12345;
    CHECK_RC(twin_layer_count(NULL, &count), TWIN_ERR_ARG);
    CHECK(count == 12345);
    CHECK(contains(twin_errmsg(NULL), "handle"));
    CHECK_RC(twin_layer_count(twin, NULL), TWIN_ERR_ARG);
    CHECK(contains(twin_errmsg(twin), "count"));
    CHECK(layer_count > 0);
}

static void test_layer_name(void) {
    char buf[256];
    size_t needed = 0, l;
    for (l = 0; l < layer_count; l++) {
        /* Sizing call. */
        CHECK_RC(twin_layer_name(twin, l, NULL, 0, &needed), TWIN_ERR_BUFFER);
        CHECK(needed >= 2 && needed <= sizeof buf);
        /* Exactly big enough. */
        memset(buf, 'x', sizeof buf);
        CHECK_RC(twin_layer_name(twin, l, buf, needed, NULL), TWIN_OK);
        CHECK(strlen(buf) + 1 == needed);
        /* One byte short: "" and the size again. */
        memset(buf, 'x', sizeof buf);
        CHECK_RC(twin_layer_name(twin, l, buf, needed - 1, &needed), TWIN_ERR_BUFFER);
        CHECK(buf[0] == '\0');
        CHECK(strlen(buf) + 1 <= needed);
        CHECK(contains(twin_errmsg(twin), "bytes"));
    }
    CHECK_RC(twin_layer_name(twin, layer_count, buf, sizeof buf, &needed), TWIN_ERR_NOT_FOUND);
    CHECK_RC(twin_layer_name(twin, (size_t)-1, buf, sizeof buf, &needed), TWIN_ERR_NOT_FOUND);
    CHECK_RC(twin_layer_name(twin, 0, NULL, 10, &needed), TWIN_ERR_ARG);
    CHECK_RC(twin_layer_name(NULL, 0, buf, sizeof buf, &needed), TWIN_ERR_ARG);
}

static void test_cell_code_and_name(void) {
    char buf[256];
    size_t needed = 0, l;
    int32_t cells[64];
    double lon = 0, lat = 0;
    int found = 0, tries;

    CHECK(layer_count <= 64);
    /* Find a point inside some cell. */
    for (tries = 0; tries < 10000 && !found; tries++) {
        lon = box[0] + (box[2] - box[0]) * uniform();
        lat = box[1] + (box[3] - box[1]) * uniform();
        CHECK_RC(twin_locate(twin, lon, lat, NULL, cells, 64), TWIN_OK);
        for (l = 0; l < layer_count; l++) found |= cells[l] >= 0;
    }
    CHECK(found);
    for (l = 0; l < layer_count; l++) {
        if (cells[l] < 0) continue;
        CHECK_RC(twin_cell_code(twin, l, cells[l], NULL, 0, &needed), TWIN_ERR_BUFFER);
        CHECK(needed >= 2 && needed <= sizeof buf);
        CHECK_RC(twin_cell_code(twin, l, cells[l], buf, sizeof buf, &needed), TWIN_OK);
        CHECK(strlen(buf) + 1 == needed);
        CHECK_RC(twin_cell_code(twin, l, cells[l], buf, needed - 1, NULL), TWIN_ERR_BUFFER);
        CHECK(buf[0] == '\0');
        CHECK_RC(twin_cell_name(twin, l, cells[l], buf, sizeof buf, &needed), TWIN_OK);
        CHECK(strlen(buf) + 1 == needed);
    }
    for (l = 0; l < layer_count; l++) {
        size_t count = 0;
        CHECK_RC(twin_cell_count(twin, l, &count), TWIN_OK);
        CHECK(count > 0);
        CHECK(cells[l] < (int32_t)count);
        /* The last index is a cell; one past it is not. */
        CHECK_RC(twin_cell_code(twin, l, (int32_t)count - 1, buf, sizeof buf, &needed), TWIN_OK);
        CHECK_RC(twin_cell_code(twin, l, (int32_t)count, buf, sizeof buf, &needed), TWIN_ERR_NOT_FOUND);
    }
    {
        size_t count = 9;
        CHECK_RC(twin_cell_count(twin, layer_count, &count), TWIN_ERR_NOT_FOUND);
        CHECK(count == 9);
        CHECK_RC(twin_cell_count(twin, 0, NULL), TWIN_ERR_ARG);
        CHECK_RC(twin_cell_count(NULL, 0, &count), TWIN_ERR_ARG);
    }
    CHECK_RC(twin_cell_code(twin, 0, -1, buf, sizeof buf, &needed), TWIN_ERR_NOT_FOUND);
    CHECK(contains(twin_errmsg(twin), "-1"));
    CHECK_RC(twin_cell_code(twin, 0, INT32_MAX, buf, sizeof buf, &needed), TWIN_ERR_NOT_FOUND);
    CHECK_RC(twin_cell_code(twin, layer_count, 0, buf, sizeof buf, &needed), TWIN_ERR_NOT_FOUND);
    CHECK_RC(twin_cell_name(twin, 0, -1, buf, sizeof buf, &needed), TWIN_ERR_NOT_FOUND);
    CHECK_RC(twin_cell_name(twin, layer_count, 0, buf, sizeof buf, &needed), TWIN_ERR_NOT_FOUND);
    CHECK_RC(twin_cell_code(NULL, 0, 0, buf, sizeof buf, &needed), TWIN_ERR_ARG);
    CHECK_RC(twin_cell_name(NULL, 0, 0, buf, sizeof buf, &needed), TWIN_ERR_ARG);
    CHECK_RC(twin_cell_code(twin, 0, 0, NULL, 5, &needed), TWIN_ERR_ARG);
    CHECK_RC(twin_cell_name(twin, 0, 0, NULL, 5, &needed), TWIN_ERR_ARG);
}

/* ---- locate ---------------------------------------------------------------------------- */

static int all_minus_one(const int32_t *cells, size_t n) {
    size_t i;
    for (i = 0; i < n; i++)
        if (cells[i] != -1) return 0;
    return 1;
}

static void test_locate_arguments(void) {
    int32_t cells[64];
    size_t i;
    double cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;

    CHECK_RC(twin_locate(NULL, cx, cy, NULL, cells, 64), TWIN_ERR_ARG);
    CHECK_RC(twin_locate(twin, cx, cy, NULL, NULL, 64), TWIN_ERR_ARG);
    CHECK(contains(twin_errmsg(twin), "cells"));
    /* Too few slots: an error, and nothing written. */
    for (i = 0; i < 64; i++) cells[i] = 777;
    CHECK_RC(twin_locate(twin, cx, cy, NULL, cells, layer_count - 1), TWIN_ERR_BUFFER);
    CHECK(cells[0] == 777);
    CHECK_RC(twin_locate(twin, cx, cy, NULL, cells, 0), TWIN_ERR_BUFFER);
    /* Unknown CRS names and codes. */
    CHECK_RC(twin_locate(twin, cx, cy, "mercator-ish", cells, 64), TWIN_ERR_CRS);
    CHECK(contains(twin_errmsg(twin), "mercator-ish"));
    CHECK_RC(twin_locate(twin, cx, cy, "EPSG:999999", cells, 64), TWIN_ERR_CRS);
    CHECK_RC(twin_locate(twin, cx, cy, "", cells, 64), TWIN_ERR_CRS);
    /* Non-finite coordinates and far-away points: no cell, not an error. */
    CHECK_RC(twin_locate(twin, NAN, cy, NULL, cells, 64), TWIN_OK);
    CHECK(all_minus_one(cells, layer_count));
    CHECK_RC(twin_locate(twin, cx, NAN, "wgs84", cells, 64), TWIN_OK);
    CHECK(all_minus_one(cells, layer_count));
    CHECK_RC(twin_locate(twin, INFINITY, -INFINITY, NULL, cells, 64), TWIN_OK);
    CHECK(all_minus_one(cells, layer_count));
    CHECK_RC(twin_locate(twin, NAN, NAN, "gcj02", cells, 64), TWIN_OK);
    CHECK(all_minus_one(cells, layer_count));
    CHECK_RC(twin_locate(twin, 0.0, 0.0, NULL, cells, 64), TWIN_OK);
    CHECK(all_minus_one(cells, layer_count));
    CHECK_RC(twin_locate(twin, 1e300, -1e300, NULL, cells, 64), TWIN_OK);
    CHECK(all_minus_one(cells, layer_count));
}

/* The same position given in GCJ-02 and in BD-09 gets the WGS84 answer. */
static void test_locate_crs(void) {
    enum { N = 200 };
    double lon[N], lat[N], gx[N], gy[N], bx[N], by[N];
    int32_t a[64], b[64], c[64];
    size_t i, same = 0, inside = 0;
    random_points(lon, lat, N);
    memcpy(gx, lon, sizeof lon);
    memcpy(gy, lat, sizeof lat);
    memcpy(bx, lon, sizeof lon);
    memcpy(by, lat, sizeof lat);
    CHECK_RC(twin_transform("wgs84", "gcj02", gx, gy, N), TWIN_OK);
    CHECK_RC(twin_transform("wgs84", "BD09", bx, by, N), TWIN_OK);
    for (i = 0; i < N; i++) {
        CHECK_RC(twin_locate(twin, lon[i], lat[i], "WGS84", a, 64), TWIN_OK);
        CHECK_RC(twin_locate(twin, gx[i], gy[i], "gcj02", b, 64), TWIN_OK);
        CHECK_RC(twin_locate(twin, bx[i], by[i], "bd09", c, 64), TWIN_OK);
        /* The inverses are exact to < 1e-9 degrees (0.1 mm); a random point that close to an
           edge is a one-in-millions event. */
        same += memcmp(a, b, layer_count * sizeof a[0]) == 0 && memcmp(a, c, layer_count * sizeof a[0]) == 0;
        inside += !all_minus_one(a, layer_count);
    }
    CHECK(same == N);
    CHECK(inside > N / 4);
}

static void test_locate_batch(void) {
    enum { N = 20000 };
    double *lon = malloc(N * sizeof *lon), *lat = malloc(N * sizeof *lat);
    int32_t *out = malloc(N * layer_count * sizeof *out), cells[64];
    size_t i, l, agree = 0, inside = 0;

    random_points(lon, lat, N);
    lon[7] = NAN;
    lat[8] = NAN;
    lon[9] = INFINITY;
    CHECK_RC(twin_locate_batch(twin, lon, lat, N, NULL, out, N * layer_count), TWIN_OK);
    for (i = 0; i < N; i++) {
        int same = 1;
        CHECK_RC(twin_locate(twin, lon[i], lat[i], NULL, cells, 64), TWIN_OK);
        for (l = 0; l < layer_count; l++) same &= out[l * N + i] == cells[l];
        agree += same;
        inside += cells[0] >= 0;
    }
    CHECK(agree == N);
    CHECK(inside > 0 && inside < N);
    for (i = 7; i <= 9; i++)
        for (l = 0; l < layer_count; l++) CHECK(out[l * N + i] == -1);

    /* Bad arguments, short output, zero counts. */
    for (i = 0; i < N * layer_count; i++) out[i] = 777;
    CHECK_RC(twin_locate_batch(twin, lon, lat, N, NULL, out, N * layer_count - 1), TWIN_ERR_BUFFER);
    CHECK(out[0] == 777 && out[N * layer_count - 1] == 777);
    CHECK(contains(twin_errmsg(twin), "out"));
    CHECK_RC(twin_locate_batch(NULL, lon, lat, N, NULL, out, N * layer_count), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_batch(twin, NULL, lat, N, NULL, out, N * layer_count), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_batch(twin, lon, NULL, N, NULL, out, N * layer_count), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_batch(twin, lon, lat, N, NULL, NULL, N * layer_count), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_batch(twin, lon, lat, N, "no-such-crs", out, N * layer_count), TWIN_ERR_CRS);
    CHECK_RC(twin_locate_batch(twin, NULL, NULL, 0, NULL, NULL, 0), TWIN_OK);
    CHECK_RC(twin_locate_batch(twin, NULL, NULL, 0, "no-such-crs", NULL, 0), TWIN_ERR_CRS);
    /* n × layers overflows size_t. */
    CHECK(twin_locate_batch(twin, lon, lat, (size_t)-1 / 2, NULL, out, N) != TWIN_OK);
    CHECK(out[0] == 777);

    /* A projected CRS: the same points in CGCS2000 GK (EPSG:4549) get the same cells. */
    {
        enum { M = 500 };
        double x[M], y[M];
        int32_t *o = malloc(M * layer_count * sizeof *o);
        size_t same = 0;
        random_points(x, y, M);
        memcpy(lon, x, sizeof x);
        memcpy(lat, y, sizeof y);
        CHECK_RC(twin_transform("wgs84", "EPSG:4549", x, y, M), TWIN_OK);
        CHECK_RC(twin_locate_batch(twin, x, y, M, "EPSG:4549", o, M * layer_count), TWIN_OK);
        for (i = 0; i < M; i++) {
            int s = 1;
            CHECK_RC(twin_locate(twin, lon[i], lat[i], NULL, cells, 64), TWIN_OK);
            for (l = 0; l < layer_count; l++) s &= o[l * M + i] == cells[l];
            same += s;
        }
        /* PROJ's round trip is ~1e-9 m; allow a point on an edge, nothing more. */
        CHECK(same + 1 >= M);
        free(o);
    }
    free(lon);
    free(lat);
    free(out);
}

/* ---- transform ------------------------------------------------------------------------- */

static void test_transform(void) {
    enum { N = 1000 };
    double x[N], y[N], x0[N], y0[N], worst = 0;
    size_t i;
    random_points(x0, y0, N);
    memcpy(x, x0, sizeof x);
    memcpy(y, y0, sizeof y);
    CHECK_RC(twin_transform("wgs84", "gcj02", x, y, N), TWIN_OK);
    /* GCJ-02 moves Shanghai by roughly 0.004-0.005 degrees east, 0.002 south. */
    CHECK(x[0] - x0[0] > 0.002 && x[0] - x0[0] < 0.008);
    CHECK_RC(twin_transform("gcj02", "wgs84", x, y, N), TWIN_OK);
    for (i = 0; i < N; i++) {
        double d = fabs(x[i] - x0[i]) + fabs(y[i] - y0[i]);
        if (d > worst) worst = d;
    }
    CHECK(worst < 2e-9);

    memcpy(x, x0, sizeof x);
    memcpy(y, y0, sizeof y);
    CHECK_RC(twin_transform("wgs84", "EPSG:4549", x, y, N), TWIN_OK);
    CHECK(x[0] > 300000 && x[0] < 700000 && y[0] > 3000000 && y[0] < 4000000);
    CHECK_RC(twin_transform("EPSG:4549", "wgs84", x, y, N), TWIN_OK);
    CHECK(fabs(x[0] - x0[0]) < 1e-9 && fabs(y[0] - y0[0]) < 1e-9);

    /* Refusals. */
    CHECK_RC(twin_transform(NULL, "wgs84", x, y, N), TWIN_ERR_ARG);
    CHECK(contains(twin_errmsg(NULL), "from"));
    CHECK_RC(twin_transform("wgs84", NULL, x, y, N), TWIN_ERR_ARG);
    CHECK_RC(twin_transform("wgs84", "gcj02", NULL, y, N), TWIN_ERR_ARG);
    CHECK_RC(twin_transform("wgs84", "gcj02", x, NULL, N), TWIN_ERR_ARG);
    CHECK_RC(twin_transform("wgs84", "nowhere", x, y, N), TWIN_ERR_CRS);
    CHECK(contains(twin_errmsg(NULL), "nowhere"));
    CHECK_RC(twin_transform("EPSG:999999", "wgs84", x, y, N), TWIN_ERR_CRS);
    CHECK_RC(twin_transform("wgs84", "gcj02", NULL, NULL, 0), TWIN_OK);
    CHECK_RC(twin_transform("wgs84", "nowhere", NULL, NULL, 0), TWIN_ERR_CRS);
    /* A NaN position: refused with its index, nothing changed. */
    memcpy(x, x0, sizeof x);
    memcpy(y, y0, sizeof y);
    y[5] = NAN;
    CHECK_RC(twin_transform("wgs84", "gcj02", x, y, N), TWIN_ERR_CRS);
    CHECK(contains(twin_errmsg(NULL), "5"));
    CHECK(x[0] == x0[0] && y[0] == y0[0] && x[6] == x0[6]);
}

/* ---- threads --------------------------------------------------------------------------- */

struct job {
    const double *lon, *lat;
    size_t n;
    int32_t *out; /* layer-major, n × layer_count */
    int errors;
};

static void *locate_job(void *arg) {
    struct job *job = arg;
    int32_t cells[64];
    size_t i, l;
    for (i = 0; i < job->n; i++) {
        if (twin_locate(twin, job->lon[i], job->lat[i], NULL, cells, 64) != TWIN_OK) job->errors++;
        for (l = 0; l < layer_count; l++) job->out[l * job->n + i] = cells[l];
    }
    return NULL;
}

/* 8 threads locate their own points one by one on one shared handle; every answer equals the
   single-threaded batch answer. */
static void test_threads(size_t per_thread) {
    enum { THREADS = 8 };
    pthread_t threads[THREADS];
    struct job jobs[THREADS];
    size_t total = per_thread * THREADS, i, differ = 0;
    double *lon = malloc(total * sizeof *lon), *lat = malloc(total * sizeof *lat);
    int32_t *expected = malloc(total * layer_count * sizeof *expected);
    int k;

    random_points(lon, lat, total);
    for (k = 0; k < THREADS; k++) {
        jobs[k].lon = lon + k * per_thread;
        jobs[k].lat = lat + k * per_thread;
        jobs[k].n = per_thread;
        jobs[k].out = malloc(per_thread * layer_count * sizeof(int32_t));
        jobs[k].errors = 0;
        CHECK(pthread_create(&threads[k], NULL, locate_job, &jobs[k]) == 0);
    }
    for (k = 0; k < THREADS; k++) CHECK(pthread_join(threads[k], NULL) == 0);
    for (k = 0; k < THREADS; k++) {
        size_t l;
        CHECK(jobs[k].errors == 0);
        CHECK_RC(twin_locate_batch(twin, jobs[k].lon, jobs[k].lat, per_thread, "wgs84", expected,
                                   per_thread * layer_count), TWIN_OK);
        for (l = 0; l < layer_count; l++)
            for (i = 0; i < per_thread; i++) differ += jobs[k].out[l * per_thread + i] != expected[l * per_thread + i];
        free(jobs[k].out);
    }
    CHECK(differ == 0);
    free(lon);
    free(lat);
    free(expected);
}

/* Each thread sees only its own messages. */
struct message_job {
    int fail;
    char seen[512];
};

static void *message_thread(void *arg) {
    struct message_job *job = arg;
    int32_t cells[64];
    if (job->fail) twin_locate(twin, 0, 0, "thread-only-crs", cells, 64);
    snprintf(job->seen, sizeof job->seen, "%s", twin_errmsg(twin));
    return NULL;
}

static void test_thread_messages(void) {
    pthread_t a, b;
    struct message_job fails = {1, ""}, quiet = {0, ""};
    int32_t cells[64];
    CHECK(pthread_create(&a, NULL, message_thread, &fails) == 0);
    CHECK(pthread_join(a, NULL) == 0);
    CHECK(pthread_create(&b, NULL, message_thread, &quiet) == 0);
    CHECK(pthread_join(b, NULL) == 0);
    CHECK(contains(fails.seen, "thread-only-crs"));
    CHECK(strcmp(quiet.seen, "") == 0);
    CHECK(!contains(twin_errmsg(twin), "thread-only-crs"));
    /* The message names the function and stays until this thread's next failure on twin. */
    CHECK_RC(twin_locate(twin, 0, 0, "main-crs", cells, 64), TWIN_ERR_CRS);
    CHECK(contains(twin_errmsg(twin), "twin_locate") && contains(twin_errmsg(twin), "main-crs"));
    CHECK_RC(twin_locate(twin, 0, 0, NULL, cells, 64), TWIN_OK);
    CHECK(contains(twin_errmsg(twin), "main-crs"));
}

/* ---- as-of time and layer selection ---------------------------------------------------- */

static void test_locate_at(void) {
    int32_t a[64], b[64];
    size_t i, inside = 0;
    double lon[300], lat[300];
    random_points(lon, lat, 300);
    /* A single-epoch twin answers every instant with its one grid. */
    for (i = 0; i < 300; i++) {
        CHECK_RC(twin_locate(twin, lon[i], lat[i], NULL, a, 64), TWIN_OK);
        CHECK_RC(twin_locate_at(twin, lon[i], lat[i], NULL, 1.7e9 + i * 1e5, b, 64), TWIN_OK);
        CHECK(memcmp(a, b, layer_count * sizeof a[0]) == 0);
        inside += !all_minus_one(a, layer_count);
    }
    CHECK(inside > 0);
    /* Instants outside years 1-9999, NaN, infinite: refused, nothing written. */
    for (i = 0; i < 64; i++) b[i] = 777;
    CHECK_RC(twin_locate_at(twin, lon[0], lat[0], NULL, NAN, b, 64), TWIN_ERR_ARG);
    CHECK(b[0] == 777);
    CHECK(contains(twin_errmsg(twin), "twin_locate_at"));
    CHECK_RC(twin_locate_at(twin, lon[0], lat[0], NULL, INFINITY, b, 64), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_at(twin, lon[0], lat[0], NULL, 1e15, b, 64), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_at(twin, lon[0], lat[0], NULL, -1e15, b, 64), TWIN_ERR_ARG);
    CHECK(b[0] == 777);
    /* The other arguments as twin_locate. */
    CHECK_RC(twin_locate_at(NULL, lon[0], lat[0], NULL, 0, b, 64), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_at(twin, lon[0], lat[0], NULL, 0, NULL, 64), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_at(twin, lon[0], lat[0], NULL, 0, b, layer_count - 1), TWIN_ERR_BUFFER);
    CHECK(b[0] == 777);
    CHECK_RC(twin_locate_at(twin, lon[0], lat[0], "no-crs", 0, b, 64), TWIN_ERR_CRS);
    CHECK_RC(twin_locate_at(twin, NAN, lat[0], NULL, 0, b, 64), TWIN_OK);
    CHECK(all_minus_one(b, layer_count));
    CHECK_RC(twin_locate_at(twin, lon[0], lat[0], "gcj02", 0, b, 64), TWIN_OK);
}

static void test_locate_select(void) {
    enum { N = 5000 };
    double *lon = malloc(N * sizeof *lon), *lat = malloc(N * sizeof *lat), *times = malloc(N * sizeof *times);
    int32_t *all = malloc(N * layer_count * sizeof *all), *out = malloc(2 * N * layer_count * sizeof *out);
    size_t i, j, pick[3], bad = 0;
    double instant = 1.6e9;

    random_points(lon, lat, N);
    lon[3] = NAN;
    for (i = 0; i < N; i++) times[i] = 1.5e9 + (double)i * 3600;
    times[10] = NAN;
    times[11] = 1e300;
    CHECK_RC(twin_locate_batch(twin, lon, lat, N, NULL, all, N * layer_count), TWIN_OK);

    /* Chosen layers, in any order, repeated: each run equals that layer's run of the full batch. */
    pick[0] = layer_count - 1;
    pick[1] = 0;
    pick[2] = layer_count - 1;
    CHECK_RC(twin_locate_select(twin, lon, lat, N, NULL, NULL, 0, pick, 3, out, 3 * N), TWIN_OK);
    for (j = 0; j < 3; j++)
        for (i = 0; i < N; i++) bad += out[j * N + i] != all[pick[j] * N + i];
    CHECK(bad == 0);
    /* n_layers 0: every layer, as twin_locate_batch; one instant: as twin_locate_batch_at. */
    CHECK_RC(twin_locate_select(twin, lon, lat, N, "wgs84", &instant, 1, NULL, 0, out, N * layer_count), TWIN_OK);
    CHECK(memcmp(out, all, N * layer_count * sizeof *out) == 0);
    CHECK_RC(twin_locate_batch_at(twin, lon, lat, N, NULL, instant, out, N * layer_count), TWIN_OK);
    CHECK(memcmp(out, all, N * layer_count * sizeof *out) == 0);
    /* One instant per point: a bad instant is that point's -1, not an error. */
    CHECK_RC(twin_locate_select(twin, lon, lat, N, NULL, times, N, NULL, 0, out, N * layer_count), TWIN_OK);
    bad = 0;
    for (j = 0; j < layer_count; j++)
        for (i = 0; i < N; i++) {
            int32_t want = (i == 10 || i == 11) ? -1 : all[j * N + i];
            bad += out[j * N + i] != want;
        }
    CHECK(bad == 0);

    /* Refusals: nothing written. */
    for (i = 0; i < N * layer_count; i++) out[i] = 777;
    CHECK_RC(twin_locate_select(NULL, lon, lat, N, NULL, NULL, 0, NULL, 0, out, N * layer_count), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_select(twin, NULL, lat, N, NULL, NULL, 0, NULL, 0, out, N * layer_count), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_select(twin, lon, NULL, N, NULL, NULL, 0, NULL, 0, out, N * layer_count), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_select(twin, lon, lat, N, NULL, NULL, 0, NULL, 0, NULL, N * layer_count), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_select(twin, lon, lat, N, NULL, NULL, 1, NULL, 0, out, N * layer_count), TWIN_ERR_ARG);
    CHECK(contains(twin_errmsg(twin), "unix_seconds"));
    CHECK_RC(twin_locate_select(twin, lon, lat, N, NULL, NULL, N, NULL, 0, out, N * layer_count), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_select(twin, lon, lat, N, NULL, times, 2, NULL, 0, out, N * layer_count), TWIN_ERR_ARG);
    CHECK(contains(twin_errmsg(twin), "n_times"));
    CHECK_RC(twin_locate_select(twin, lon, lat, N, NULL, &times[10], 1, NULL, 0, out, N * layer_count), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_select(twin, lon, lat, N, NULL, NULL, 0, NULL, 2, out, N * layer_count), TWIN_ERR_ARG);
    pick[1] = layer_count;
    CHECK_RC(twin_locate_select(twin, lon, lat, N, NULL, NULL, 0, pick, 2, out, 2 * N), TWIN_ERR_NOT_FOUND);
    CHECK(contains(twin_errmsg(twin), "layers[1]"));
    pick[1] = 0;
    CHECK_RC(twin_locate_select(twin, lon, lat, N, NULL, NULL, 0, pick, 2, out, 2 * N - 1), TWIN_ERR_BUFFER);
    CHECK_RC(twin_locate_select(twin, lon, lat, N, "no-crs", NULL, 0, pick, 2, out, 2 * N), TWIN_ERR_CRS);
    CHECK(out[0] == 777 && out[N] == 777);
    CHECK_RC(twin_locate_batch_at(twin, lon, lat, N, NULL, NAN, out, N * layer_count), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_batch_at(twin, lon, lat, N, NULL, instant, out, N * layer_count - 1), TWIN_ERR_BUFFER);
    CHECK_RC(twin_locate_batch_at(NULL, lon, lat, N, NULL, instant, out, N * layer_count), TWIN_ERR_ARG);
    CHECK(out[0] == 777);
    /* Zero points: OK without arrays; the CRS and a single instant are still checked. */
    CHECK_RC(twin_locate_select(twin, NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, 0), TWIN_OK);
    CHECK_RC(twin_locate_batch_at(twin, NULL, NULL, 0, NULL, instant, NULL, 0), TWIN_OK);
    CHECK_RC(twin_locate_batch_at(twin, NULL, NULL, 0, NULL, NAN, NULL, 0), TWIN_ERR_ARG);
    CHECK_RC(twin_locate_select(twin, NULL, NULL, 0, "no-crs", NULL, 0, NULL, 0, NULL, 0), TWIN_ERR_CRS);
    free(lon);
    free(lat);
    free(times);
    free(all);
    free(out);
}

/* A twin whose layer epoch_layer has a second version (the same cells, new indexes) from
   epoch_switch: before it the old cells answer, from it the new ones, with the same codes. */
static void test_epochs(void) {
    enum { N = 2000 };
    twin_t *t = NULL;
    double lon[N], lat[N], times[N];
    int32_t *before = malloc(N * layer_count * sizeof(int32_t)), *after = malloc(N * layer_count * sizeof(int32_t)),
            *mixed = malloc(N * layer_count * sizeof(int32_t)), cells[64];
    size_t i, l, count = 0, differ = 0, same_code = 0, inside = 0, bad = 0;
    char a[256], b[256];

    CHECK_RC(twin_open(epoch_twin_path, &t), TWIN_OK);
    if (t == NULL) return;
    random_points(lon, lat, N);
    for (i = 0; i < N; i++) times[i] = epoch_switch + ((i % 2) ? 86400.0 : -86400.0);
    CHECK_RC(twin_locate_batch_at(t, lon, lat, N, NULL, epoch_switch - 1, before, N * layer_count), TWIN_OK);
    CHECK_RC(twin_locate_batch_at(t, lon, lat, N, NULL, epoch_switch, after, N * layer_count), TWIN_OK);
    CHECK_RC(twin_locate_select(t, lon, lat, N, NULL, times, N, NULL, 0, mixed, N * layer_count), TWIN_OK);
    CHECK_RC(twin_cell_count(t, epoch_layer, &count), TWIN_OK);
    for (i = 0; i < N; i++) {
        int32_t old = before[epoch_layer * N + i], cur = after[epoch_layer * N + i];
        if (old < 0) {
            bad += cur != -1;
            continue;
        }
        inside++;
        differ += old != cur && cur >= 0 && (size_t)cur < count;
        if (twin_cell_code(t, epoch_layer, old, a, sizeof a, NULL) == TWIN_OK &&
            twin_cell_code(t, epoch_layer, cur, b, sizeof b, NULL) == TWIN_OK)
            same_code += strcmp(a, b) == 0;
        /* Per-point instants pick the grid of each point's own instant. */
        for (l = 0; l < layer_count; l++)
            bad += mixed[l * N + i] != ((i % 2) ? after : before)[l * N + i];
        /* The single-point forms agree with the batches. */
        CHECK_RC(twin_locate_at(t, lon[i], lat[i], NULL, epoch_switch - 1, cells, 64), TWIN_OK);
        for (l = 0; l < layer_count; l++) bad += cells[l] != before[l * N + i];
        CHECK_RC(twin_locate(t, lon[i], lat[i], NULL, cells, 64), TWIN_OK);
        for (l = 0; l < layer_count; l++) bad += cells[l] != after[l * N + i];
    }
    CHECK(inside > N / 10);
    CHECK(differ == inside);
    CHECK(same_code == inside);
    CHECK(bad == 0);
    twin_close(t);
    free(before);
    free(after);
    free(mixed);
}

/* ---- assets ---------------------------------------------------------------------------- */

static twin_assets_t *assets;
static const int kinds[] = {TWIN_ASSET_BUILDING, TWIN_ASSET_PIPE, TWIN_ASSET_CAMERA, TWIN_ASSET_SENSOR};

static void test_assets_open(void) {
    twin_assets_t *a = (twin_assets_t *)&a;
    char path[4096];
    CHECK_RC(twin_assets_open(NULL, &a), TWIN_ERR_ARG);
    CHECK(a == NULL);
    CHECK(contains(twin_assets_errmsg(NULL), "path"));
    CHECK_RC(twin_assets_open(twin_path, NULL), TWIN_ERR_ARG);
    a = (twin_assets_t *)&a;
    snprintf(path, sizeof path, "%s/no-such-dir/missing.gpkg", tmp_dir);
    CHECK_RC(twin_assets_open(path, &a), TWIN_ERR_IO);
    CHECK(a == NULL);
    CHECK(contains(twin_assets_errmsg(NULL), "missing.gpkg") && contains(twin_assets_errmsg(NULL), "twin_assets_open"));
    snprintf(path, sizeof path, "%s/corrupt.gpkg", tmp_dir); /* written by test_open_refusals */
    a = (twin_assets_t *)&a;
    CHECK_RC(twin_assets_open(path, &a), TWIN_ERR_FORMAT);
    CHECK(a == NULL);
    snprintf(path, sizeof path, "%s/empty.gpkg", tmp_dir);
    CHECK_RC(twin_assets_open(path, &a), TWIN_ERR_FORMAT);
    CHECK(a == NULL);
    twin_assets_close(NULL); /* a harmless no-op */
    CHECK_RC(twin_assets_open(twin_path, &a), TWIN_OK);
    CHECK(a != NULL && strcmp(twin_assets_errmsg(a), "") == 0);
    twin_assets_close(a);
}

static void test_assets_ids(void) {
    size_t k, count, needed = 0;
    char buf[256];
    for (k = 0; k < 4; k++) {
        count = 0;
        CHECK_RC(twin_assets_count(assets, kinds[k], &count), TWIN_OK);
        CHECK(count > 0);
        CHECK_RC(twin_asset_id(assets, kinds[k], 0, NULL, 0, &needed), TWIN_ERR_BUFFER);
        CHECK(needed >= 2 && needed <= sizeof buf);
        CHECK_RC(twin_asset_id(assets, kinds[k], 0, buf, needed, NULL), TWIN_OK);
        CHECK(strlen(buf) + 1 == needed);
        CHECK_RC(twin_asset_id(assets, kinds[k], 0, buf, needed - 1, &needed), TWIN_ERR_BUFFER);
        CHECK(buf[0] == '\0');
        CHECK_RC(twin_asset_id(assets, kinds[k], (int32_t)count - 1, buf, sizeof buf, &needed), TWIN_OK);
        CHECK_RC(twin_asset_id(assets, kinds[k], (int32_t)count, buf, sizeof buf, &needed), TWIN_ERR_NOT_FOUND);
        CHECK_RC(twin_asset_id(assets, kinds[k], -1, buf, sizeof buf, &needed), TWIN_ERR_NOT_FOUND);
        CHECK_RC(twin_asset_type(assets, kinds[k], 0, buf, sizeof buf, &needed), TWIN_OK);
        CHECK_RC(twin_asset_type(assets, kinds[k], (int32_t)count, buf, sizeof buf, &needed), TWIN_ERR_NOT_FOUND);
        CHECK_RC(twin_asset_id(assets, kinds[k], 0, NULL, 5, &needed), TWIN_ERR_ARG);
    }
    /* A pipe's type is its network. */
    CHECK_RC(twin_asset_type(assets, TWIN_ASSET_PIPE, 0, buf, sizeof buf, &needed), TWIN_OK);
    CHECK(strcmp(buf, "water_supply") == 0 || strcmp(buf, "drainage") == 0 || strcmp(buf, "gas") == 0 ||
          strcmp(buf, "power") == 0 || strcmp(buf, "telecom") == 0 || strcmp(buf, "heating") == 0);
    /* Unknown kinds and NULLs. */
    CHECK_RC(twin_assets_count(assets, 4, &count), TWIN_ERR_ARG);
    CHECK(contains(twin_assets_errmsg(assets), "kind 4"));
    CHECK_RC(twin_assets_count(assets, -1, &count), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_count(assets, TWIN_ASSET_PIPE, NULL), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_count(NULL, TWIN_ASSET_PIPE, &count), TWIN_ERR_ARG);
    CHECK(contains(twin_assets_errmsg(NULL), "assets handle"));
    CHECK_RC(twin_asset_id(assets, 7, 0, buf, sizeof buf, &needed), TWIN_ERR_ARG);
    CHECK_RC(twin_asset_type(assets, 7, 0, buf, sizeof buf, &needed), TWIN_ERR_ARG);
    CHECK_RC(twin_asset_id(NULL, TWIN_ASSET_PIPE, 0, buf, sizeof buf, &needed), TWIN_ERR_ARG);
    CHECK_RC(twin_asset_type(NULL, TWIN_ASSET_PIPE, 0, buf, sizeof buf, &needed), TWIN_ERR_ARG);
}

static void test_assets_nearest(void) {
    enum { K = 10 };
    int32_t slots[K], one[1];
    double dist[K], d1[1], cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
    size_t k, i, count = 99;
    for (k = 0; k < 4; k++) {
        CHECK_RC(twin_assets_nearest(assets, kinds[k], cx, cy, NULL, INFINITY, slots, dist, K, &count), TWIN_OK);
        CHECK(count > 0 && count <= K);
        for (i = 1; i < count; i++) CHECK(dist[i - 1] <= dist[i]);
        CHECK(dist[0] >= 0 && dist[count - 1] < 1e5);
        /* k = 1 gives the first of the ten; the distances alone need not be asked for. */
        CHECK_RC(twin_assets_nearest(assets, kinds[k], cx, cy, "wgs84", INFINITY, one, NULL, 1, &count), TWIN_OK);
        CHECK(count == 1 && one[0] == slots[0]);
        /* A limit below the nearest distance finds nothing. */
        if (dist[0] > 0) {
            CHECK_RC(twin_assets_nearest(assets, kinds[k], cx, cy, NULL, dist[0] / 2, one, d1, 1, &count), TWIN_OK);
            CHECK(count == 0);
        }
    }
    /* The same position in GCJ-02 finds the same cameras (within a millimetre). */
    {
        double gx = cx, gy = cy;
        int32_t g[K];
        double gd[K];
        CHECK_RC(twin_assets_nearest(assets, TWIN_ASSET_CAMERA, cx, cy, NULL, INFINITY, slots, dist, K, &count), TWIN_OK);
        CHECK_RC(twin_transform("wgs84", "gcj02", &gx, &gy, 1), TWIN_OK);
        CHECK_RC(twin_assets_nearest(assets, TWIN_ASSET_CAMERA, gx, gy, "gcj02", INFINITY, g, gd, K, &count), TWIN_OK);
        CHECK(count == K && g[0] == slots[0] && fabs(gd[0] - dist[0]) < 1e-3);
    }
    /* Zero k, bad arguments. */
    count = 99;
    CHECK_RC(twin_assets_nearest(assets, TWIN_ASSET_CAMERA, cx, cy, NULL, INFINITY, NULL, NULL, 0, &count), TWIN_OK);
    CHECK(count == 0);
    CHECK_RC(twin_assets_nearest(NULL, TWIN_ASSET_CAMERA, cx, cy, NULL, INFINITY, slots, dist, K, &count), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_nearest(assets, 9, cx, cy, NULL, INFINITY, slots, dist, K, &count), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_nearest(assets, TWIN_ASSET_CAMERA, cx, cy, NULL, INFINITY, NULL, dist, K, &count), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_nearest(assets, TWIN_ASSET_CAMERA, cx, cy, NULL, INFINITY, slots, dist, K, NULL), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_nearest(assets, TWIN_ASSET_CAMERA, NAN, cy, NULL, INFINITY, slots, dist, K, &count), TWIN_ERR_ARG);
    CHECK(contains(twin_assets_errmsg(assets), "not finite"));
    CHECK_RC(twin_assets_nearest(assets, TWIN_ASSET_CAMERA, cx, INFINITY, NULL, INFINITY, slots, dist, K, &count),
             TWIN_ERR_ARG);
    CHECK_RC(twin_assets_nearest(assets, TWIN_ASSET_CAMERA, cx, cy, NULL, -1, slots, dist, K, &count), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_nearest(assets, TWIN_ASSET_CAMERA, cx, cy, NULL, NAN, slots, dist, K, &count), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_nearest(assets, TWIN_ASSET_CAMERA, cx, cy, "no-crs", INFINITY, slots, dist, K, &count),
             TWIN_ERR_CRS);
}

static void test_assets_cameras_seeing(void) {
    int32_t slots[64], few[1];
    double dist[64], lon = 0, lat = 0;
    size_t count = 0, i, tries, again = 0;
    /* A point some camera sees (cameras cover the streets, not every spot). */
    for (tries = 0; tries < 20000 && count < 2; tries++) {
        lon = box[0] + (box[2] - box[0]) * uniform();
        lat = box[1] + (box[3] - box[1]) * uniform();
        CHECK_RC(twin_assets_cameras_seeing(assets, lon, lat, NULL, slots, dist, 64, &count), TWIN_OK);
    }
    CHECK(count >= 2);
    for (i = 1; i < count; i++) CHECK(dist[i - 1] <= dist[i]);
    /* Too few slots: the count, and nothing else written. */
    few[0] = 777;
    CHECK_RC(twin_assets_cameras_seeing(assets, lon, lat, NULL, few, NULL, 1, &again), TWIN_ERR_BUFFER);
    CHECK(again == count && few[0] == 777);
    CHECK_RC(twin_assets_cameras_seeing(assets, lon, lat, NULL, NULL, NULL, 0, &again), TWIN_ERR_BUFFER);
    CHECK(again == count);
    CHECK(contains(twin_assets_errmsg(assets), "slots"));
    /* Far away no camera sees: OK with 0, slots may be NULL then. */
    CHECK_RC(twin_assets_cameras_seeing(assets, 0.0, 0.0, NULL, NULL, NULL, 0, &again), TWIN_OK);
    CHECK(again == 0);
    CHECK_RC(twin_assets_cameras_seeing(NULL, lon, lat, NULL, slots, dist, 64, &again), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_cameras_seeing(assets, lon, lat, NULL, NULL, dist, 64, &again), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_cameras_seeing(assets, lon, lat, NULL, slots, dist, 64, NULL), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_cameras_seeing(assets, NAN, lat, NULL, slots, dist, 64, &again), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_cameras_seeing(assets, lon, lat, "no-crs", slots, dist, 64, &again), TWIN_ERR_CRS);
}

static void test_assets_excavation(void) {
    enum { CAP = 512 };
    /* A 300 m square around the middle of the district (~0.0031 degrees of latitude). */
    double cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2, hx = 0.0016, hy = 0.0014;
    double lon[4] = {cx - hx, cx + hx, cx + hx, cx - hx}, lat[4] = {cy - hy, cy - hy, cy + hy, cy + hy};
    double closed_lon[5], closed_lat[5], dist[CAP], len[CAP], net[TWIN_PIPE_NETWORKS], net2[8], total = 0, sum = 0;
    int32_t slots[CAP], slots2[CAP];
    size_t count = 0, count2 = 0, i;
    char type[64];

    CHECK_RC(twin_assets_excavation(assets, lon, lat, 4, NULL, 5.0, slots, dist, len, CAP, &count, net,
                                    TWIN_PIPE_NETWORKS), TWIN_OK);
    CHECK(count > 0 && count <= CAP);
    for (i = 0; i < count && i < CAP; i++) {
        CHECK(dist[i] >= 0 && dist[i] <= 5.0);
        CHECK(len[i] >= 0);
        if (i > 0) CHECK(dist[i - 1] <= dist[i]);
        total += len[i];
    }
    for (i = 0; i < TWIN_PIPE_NETWORKS; i++) sum += net[i];
    CHECK(total > 0 && fabs(total - sum) < 1e-6 * total);
    /* Each pipe's length counts toward its own network. */
    for (i = 0; i < TWIN_PIPE_NETWORKS; i++) net2[i] = 0;
    for (i = 0; i < count && i < CAP; i++) {
        static const char *names[TWIN_PIPE_NETWORKS] = {"water_supply", "drainage", "gas", "power", "telecom", "heating"};
        size_t n;
        CHECK_RC(twin_asset_type(assets, TWIN_ASSET_PIPE, slots[i], type, sizeof type, NULL), TWIN_OK);
        for (n = 0; n < TWIN_PIPE_NETWORKS; n++)
            if (strcmp(type, names[n]) == 0) net2[n] += len[i];
    }
    for (i = 0; i < TWIN_PIPE_NETWORKS; i++) CHECK(fabs(net2[i] - net[i]) <= 1e-6 * (net[i] + 1));
    /* The closing vertex may be given; optional outputs may be NULL. */
    memcpy(closed_lon, lon, sizeof lon);
    memcpy(closed_lat, lat, sizeof lat);
    closed_lon[4] = lon[0];
    closed_lat[4] = lat[0];
    CHECK_RC(twin_assets_excavation(assets, closed_lon, closed_lat, 5, "wgs84", 5.0, slots2, NULL, NULL, CAP, &count2,
                                    NULL, 0), TWIN_OK);
    CHECK(count2 == count && memcmp(slots, slots2, count * sizeof slots[0]) == 0);
    /* No clearance: a subset. */
    CHECK_RC(twin_assets_excavation(assets, lon, lat, 4, NULL, 0.0, slots2, NULL, NULL, CAP, &count2, NULL, 0), TWIN_OK);
    CHECK(count2 <= count);
    /* Too few slots: only the count. */
    slots2[0] = 777;
    net2[0] = 777;
    CHECK_RC(twin_assets_excavation(assets, lon, lat, 4, NULL, 5.0, slots2, NULL, NULL, count - 1, &count2, net2, 8),
             TWIN_ERR_BUFFER);
    CHECK(count2 == count && net2[0] == 777);
    if (count > 1) CHECK(slots2[0] == 777);
    CHECK_RC(twin_assets_excavation(assets, lon, lat, 4, NULL, 5.0, slots, NULL, NULL, CAP, &count2, net2, 5),
             TWIN_ERR_BUFFER);
    CHECK(contains(twin_assets_errmsg(assets), "network_lengths"));
    /* Bad polygons and arguments. */
    CHECK_RC(twin_assets_excavation(assets, lon, lat, 2, NULL, 5.0, slots, NULL, NULL, CAP, &count2, NULL, 0),
             TWIN_ERR_GEOMETRY);
    CHECK_RC(twin_assets_excavation(assets, lon, lat, 0, NULL, 5.0, slots, NULL, NULL, CAP, &count2, NULL, 0),
             TWIN_ERR_GEOMETRY);
    closed_lon[2] = closed_lon[0];
    closed_lat[2] = closed_lat[0];
    closed_lon[1] = closed_lon[0];
    closed_lat[1] = closed_lat[0];
    CHECK_RC(twin_assets_excavation(assets, closed_lon, closed_lat, 3, NULL, 5.0, slots, NULL, NULL, CAP, &count2, NULL,
                                    0), TWIN_ERR_GEOMETRY);
    closed_lat[3] = NAN;
    CHECK_RC(twin_assets_excavation(assets, closed_lon, closed_lat, 5, NULL, 5.0, slots, NULL, NULL, CAP, &count2, NULL,
                                    0), TWIN_ERR_ARG);
    CHECK(contains(twin_assets_errmsg(assets), "vertex 3"));
    CHECK_RC(twin_assets_excavation(NULL, lon, lat, 4, NULL, 5.0, slots, NULL, NULL, CAP, &count2, NULL, 0), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_excavation(assets, NULL, lat, 4, NULL, 5.0, slots, NULL, NULL, CAP, &count2, NULL, 0),
             TWIN_ERR_ARG);
    CHECK_RC(twin_assets_excavation(assets, lon, NULL, 4, NULL, 5.0, slots, NULL, NULL, CAP, &count2, NULL, 0),
             TWIN_ERR_ARG);
    CHECK_RC(twin_assets_excavation(assets, lon, lat, 4, NULL, 5.0, NULL, NULL, NULL, CAP, &count2, NULL, 0),
             TWIN_ERR_ARG);
    CHECK_RC(twin_assets_excavation(assets, lon, lat, 4, NULL, 5.0, slots, NULL, NULL, CAP, NULL, NULL, 0), TWIN_ERR_ARG);
    CHECK_RC(twin_assets_excavation(assets, lon, lat, 4, NULL, 5.0, slots, NULL, NULL, CAP, &count2, NULL, 6),
             TWIN_ERR_ARG);
    CHECK_RC(twin_assets_excavation(assets, lon, lat, 4, NULL, -1.0, slots, NULL, NULL, CAP, &count2, NULL, 0),
             TWIN_ERR_ARG);
    CHECK_RC(twin_assets_excavation(assets, lon, lat, 4, NULL, NAN, slots, NULL, NULL, CAP, &count2, NULL, 0),
             TWIN_ERR_ARG);
    CHECK_RC(twin_assets_excavation(assets, lon, lat, 4, "no-crs", 5.0, slots, NULL, NULL, CAP, &count2, NULL, 0),
             TWIN_ERR_CRS);
}

/* 8 threads query one assets handle at once; every answer equals the single-threaded one. */
struct asset_job {
    const double *lon, *lat;
    size_t n;
    int32_t *slots; /* n × 5 */
    int errors;
};

static void *asset_job_run(void *arg) {
    struct asset_job *job = arg;
    size_t i, count;
    int32_t seeing[64];
    for (i = 0; i < job->n; i++) {
        if (twin_assets_nearest(assets, (int)(i % 4), job->lon[i], job->lat[i], NULL, INFINITY, job->slots + 5 * i, NULL,
                                5, &count) != TWIN_OK || count != 5)
            job->errors++;
        if (twin_assets_cameras_seeing(assets, job->lon[i], job->lat[i], NULL, seeing, NULL, 64, &count) != TWIN_OK)
            job->errors++;
    }
    return NULL;
}

static void test_assets_threads(size_t per_thread) {
    enum { THREADS = 8 };
    pthread_t threads[THREADS];
    struct asset_job jobs[THREADS];
    size_t total = per_thread * THREADS, i, count, differ = 0;
    double *lon = malloc(total * sizeof *lon), *lat = malloc(total * sizeof *lat);
    int32_t expected[5];
    int k;
    random_points(lon, lat, total);
    for (k = 0; k < THREADS; k++) {
        jobs[k].lon = lon + k * per_thread;
        jobs[k].lat = lat + k * per_thread;
        jobs[k].n = per_thread;
        jobs[k].slots = malloc(per_thread * 5 * sizeof(int32_t));
        jobs[k].errors = 0;
        CHECK(pthread_create(&threads[k], NULL, asset_job_run, &jobs[k]) == 0);
    }
    for (k = 0; k < THREADS; k++) CHECK(pthread_join(threads[k], NULL) == 0);
    for (k = 0; k < THREADS; k++) {
        CHECK(jobs[k].errors == 0);
        for (i = 0; i < per_thread; i++) {
            CHECK_RC(twin_assets_nearest(assets, (int)(i % 4), jobs[k].lon[i], jobs[k].lat[i], NULL, INFINITY, expected,
                                         NULL, 5, &count), TWIN_OK);
            differ += memcmp(expected, jobs[k].slots + 5 * i, sizeof expected) != 0;
        }
        free(jobs[k].slots);
    }
    CHECK(differ == 0);
    free(lon);
    free(lat);
}

int main(int argc, char **argv) {
    size_t per_thread = 1000000;
    if (argc < 7 || argc > 11 || argc == 9 || argc == 10) {
        fprintf(stderr, "usage: %s TWIN.gpkg MINLON MINLAT MAXLON MAXLAT TMPDIR [THREAD_POINTS [EPOCH_TWIN SECONDS LAYER]]\n",
                argv[0]);
        return 2;
    }
    twin_path = argv[1];
    box[0] = atof(argv[2]);
    box[1] = atof(argv[3]);
    box[2] = atof(argv[4]);
    box[3] = atof(argv[5]);
    tmp_dir = argv[6];
    if (argc >= 8) per_thread = (size_t)strtoul(argv[7], NULL, 10);
    if (argc == 11) {
        epoch_twin_path = argv[8];
        epoch_switch = atof(argv[9]);
        epoch_layer = (size_t)strtoul(argv[10], NULL, 10);
    }

    test_version();
    test_status_strings();
    test_open_refusals();
    if (twin_open(twin_path, &twin) != TWIN_OK || twin_layer_count(twin, &layer_count) != TWIN_OK || layer_count == 0 ||
        layer_count > 64) {
        fprintf(stderr, "cannot open %s: %s\n", twin_path, twin_errmsg(NULL));
        printf("%d passed, %d failed\n", passed, failed + 1);
        return 1;
    }
    test_open_close();
    test_layer_count();
    test_layer_name();
    test_cell_code_and_name();
    test_locate_arguments();
    test_locate_crs();
    test_locate_batch();
    test_transform();
    test_thread_messages();
    test_threads(per_thread);
    test_locate_at();
    test_locate_select();
    if (epoch_twin_path != NULL) test_epochs();
    test_assets_open();
    if (twin_assets_open(twin_path, &assets) != TWIN_OK) {
        fprintf(stderr, "cannot open the assets of %s: %s\n", twin_path, twin_assets_errmsg(NULL));
        failed++;
    } else {
        test_assets_ids();
        test_assets_nearest();
        test_assets_cameras_seeing();
        test_assets_excavation();
        test_assets_threads(per_thread / 100 + 100);
        twin_assets_close(assets);
    }
    twin_close(twin);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
