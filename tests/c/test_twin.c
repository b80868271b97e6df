/*
 * C tests of libtwin through the public header only (include/twin.h).
 *
 *   usage: test_twin TWIN.gpkg MINLON MINLAT MAXLON MAXLAT TMPDIR [THREAD_POINTS]
 *
 * TWIN.gpkg is a twin with at least one layer whose grid covers part of the box; TMPDIR is a
 * writable directory for the refused-file fixtures. THREAD_POINTS (default 200000) is the
 * number of single-point locates each of the 8 threads makes.
 * The last line is "N passed, M failed"; the exit status is 0 only when M is 0.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "twin.h"

static int passed, failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            passed++;                                                                \
        } else {                                                                     \
            failed++;                                                                \
            fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, __func__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_RC(call, expected)                                                     \
    do {                                                                             \
        int rc_ = (call);                                                            \
        if (rc_ == (expected)) {                                                     \
            passed++;                                                                \
        } else {                                                                     \
            failed++;                                                                \
            fprintf(stderr, "%s:%d: %s: %s returned %d (%s), expected %d\n", __FILE__, __LINE__, __func__, #call, \
                    rc_, twin_status_string(rc_), (int)(expected));                  \
        }                                                                            \
    } while (0)

static const char *twin_path, *tmp_dir;
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

int main(int argc, char **argv) {
    size_t per_thread = 200000;
    if (argc < 7 || argc > 8) {
        fprintf(stderr, "usage: %s TWIN.gpkg MINLON MINLAT MAXLON MAXLAT TMPDIR [THREAD_POINTS]\n", argv[0]);
        return 2;
    }
    twin_path = argv[1];
    box[0] = atof(argv[2]);
    box[1] = atof(argv[3]);
    box[2] = atof(argv[4]);
    box[3] = atof(argv[5]);
    tmp_dir = argv[6];
    if (argc == 8) per_thread = (size_t)strtoul(argv[7], NULL, 10);

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
    twin_close(twin);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
