/*
 * C tests of libtwin's address geocoding (twin_geocoder_*, twin_geocode_*) through the public
 * header only (include/twin.h).
 *
 *   usage: test_geocoder ADDR_TWIN PLAIN_TWIN DOORPLATES.tsv ADDRESSES.txt TMPDIR [ROUNDS [MAX_ADDRESSES]]
 *
 * ADDR_TWIN is a twin with an address book (twin-tool import-addresses); PLAIN_TWIN a twin
 * without one. DOORPLATES.tsv has one door-plate of that address book per line: its clean
 * address, TAB, lon, TAB, lat (the entrance point of doorplates.csv). ADDRESSES.txt has one
 * address text per line, written the way people write them (the sample's event addresses).
 * TMPDIR is writable (refused-file fixtures). Each of the 8 threads geocodes the addresses
 * ROUNDS times (default 3) in batches; MAX_ADDRESSES (default all) limits how many are read.
 * The last line is "N passed, M failed"; the exit status is 0 only when M is 0.
 */
#define _POSIX_C_SOURCE 200112L /* clock_gettime */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "twin.h"
#include "check.h"

static const char *addr_twin_path, *plain_twin_path, *tmp_dir;
static twin_geocoder_t *geo;

static int contains(const char *haystack, const char *needle) { return strstr(haystack, needle) != NULL; }

static void *xmalloc(size_t n) {
    void *p = malloc(n == 0 ? 1 : n);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

/* The lines of a file, without their newlines (every line, also empty ones). */
typedef struct {
    char **lines;
    size_t count;
} lines_t;

static lines_t read_lines(const char *path, size_t max) {
    lines_t r = {NULL, 0};
    size_t capacity = 0;
    char buf[4096];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    while (r.count < max && fgets(buf, sizeof buf, f) != NULL) {
        size_t len = strcspn(buf, "\r\n");
        buf[len] = 0;
        if (r.count == capacity) {
            char **grown;
            capacity = capacity ? capacity * 2 : 1024;
            grown = realloc(r.lines, capacity * sizeof *grown);
            if (grown == NULL) {
                fprintf(stderr, "out of memory\n");
                exit(2);
            }
            r.lines = grown;
        }
        r.lines[r.count] = xmalloc(len + 1);
        memcpy(r.lines[r.count], buf, len + 1);
        r.count++;
    }
    fclose(f);
    return r;
}

static void free_lines(lines_t *l) {
    size_t i;
    for (i = 0; i < l->count; i++) free(l->lines[i]);
    free(l->lines);
    l->lines = NULL;
    l->count = 0;
}

/* Metres between two WGS84 points (equirectangular; exact enough over a few metres). */
static double metres(double lon1, double lat1, double lon2, double lat2) {
    const double r = 6371008.8, rad = 3.14159265358979323846 / 180;
    double x = (lon2 - lon1) * rad * cos((lat1 + lat2) / 2 * rad), y = (lat2 - lat1) * rad;
    return r * sqrt(x * x + y * y);
}

/* Equal as results: NaN equals NaN. */
static int same(double a, double b) { return a == b || (isnan(a) && isnan(b)); }

/* One geocode with every output; returns the status. */
typedef struct {
    double lon, lat, score;
    int level, reason;
    char matched[256];
    size_t needed;
} result_t;

static int geocode(const twin_geocoder_t *g, const char *text, size_t len, result_t *r) {
    r->lon = r->lat = r->score = -1;
    r->level = r->reason = -1;
    r->needed = 0;
    strcpy(r->matched, "unset");
    return twin_geocode_address(g, text, len, &r->lon, &r->lat, &r->level, &r->score, &r->reason, r->matched,
                                sizeof r->matched, &r->needed);
}

/* A no-match answer: TWIN_OK, level NONE, NaN position, score 0, "" and this reason. */
static int is_none(const result_t *r, int reason) {
    return r->level == TWIN_MATCH_NONE && isnan(r->lon) && isnan(r->lat) && r->score == 0 && r->matched[0] == 0 &&
           r->needed == 1 && r->reason == reason;
}

/* ---- strings --------------------------------------------------------------------------- */

static void test_level_and_reason_strings(void) {
    CHECK(strcmp(twin_match_level_string(TWIN_MATCH_NONE), "none") == 0);
    CHECK(strcmp(twin_match_level_string(TWIN_MATCH_DOORPLATE), "doorplate") == 0);
    CHECK(strcmp(twin_match_level_string(TWIN_MATCH_LANE), "lane") == 0);
    CHECK(strcmp(twin_match_level_string(TWIN_MATCH_POI), "poi") == 0);
    CHECK(strcmp(twin_match_level_string(TWIN_MATCH_COMMUNITY), "community") == 0);
    CHECK(strcmp(twin_match_level_string(TWIN_MATCH_INTERSECTION), "intersection") == 0);
    CHECK(strcmp(twin_match_level_string(TWIN_MATCH_ROAD), "road") == 0);
    CHECK(strcmp(twin_match_level_string(TWIN_MATCH_TOWN), "town") == 0);
    CHECK(strcmp(twin_match_level_string(8), "unknown") == 0);
    CHECK(strcmp(twin_match_level_string(-1), "unknown") == 0);
    CHECK(strcmp(twin_match_reason_string(TWIN_REASON_NONE), "") == 0);
    CHECK(strcmp(twin_match_reason_string(TWIN_REASON_EMPTY), "empty") == 0);
    CHECK(strcmp(twin_match_reason_string(TWIN_REASON_ONLY_PUNCTUATION), "only_punctuation") == 0);
    CHECK(strcmp(twin_match_reason_string(TWIN_REASON_TOO_LONG), "too_long") == 0);
    CHECK(strcmp(twin_match_reason_string(TWIN_REASON_INVALID_UTF8), "invalid_utf8") == 0);
    CHECK(strcmp(twin_match_reason_string(TWIN_REASON_UNRECOGNISED), "unrecognised") == 0);
    CHECK(strcmp(twin_match_reason_string(TWIN_REASON_NO_SUCH_ROAD), "no_such_road") == 0);
    CHECK(strcmp(twin_match_reason_string(TWIN_REASON_NO_SUCH_LANE), "no_such_lane") == 0);
    CHECK(strcmp(twin_match_reason_string(TWIN_REASON_NO_SUCH_NUMBER), "no_such_number") == 0);
    CHECK(strcmp(twin_match_reason_string(TWIN_REASON_NO_SUCH_INTERSECTION), "no_such_intersection") == 0);
    CHECK(strcmp(twin_match_reason_string(TWIN_REASON_AMBIGUOUS), "ambiguous") == 0);
    CHECK(strcmp(twin_match_reason_string(11), "unknown") == 0);
    CHECK(strcmp(twin_match_reason_string(-5), "unknown") == 0);
}

/* ---- opening ---------------------------------------------------------------------------- */

static void test_open_refusals(void) {
    twin_geocoder_t *g = (twin_geocoder_t *)1;
    char path[1024];
    FILE *f;

    CHECK_RC(twin_geocoder_open(addr_twin_path, NULL), TWIN_ERR_ARG);
    CHECK(contains(twin_geocoder_errmsg(NULL), "twin_geocoder_open"));
    CHECK_RC(twin_geocoder_open(NULL, &g), TWIN_ERR_ARG);
    CHECK(g == NULL);
    CHECK(contains(twin_geocoder_errmsg(NULL), "path"));

    snprintf(path, sizeof path, "%s/no-such-dir/none.gpkg", tmp_dir);
    g = (twin_geocoder_t *)1;
    CHECK_RC(twin_geocoder_open(path, &g), TWIN_ERR_IO);
    CHECK(g == NULL);
    CHECK(contains(twin_geocoder_errmsg(NULL), "none.gpkg"));

    snprintf(path, sizeof path, "%s/not-a-twin.gpkg", tmp_dir);
    f = fopen(path, "wb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    fputs("this is not an SQLite database, it only has the name of one\n", f);
    fclose(f);
    g = (twin_geocoder_t *)1;
    CHECK_RC(twin_geocoder_open(path, &g), TWIN_ERR_FORMAT);
    CHECK(g == NULL);
    CHECK(contains(twin_geocoder_errmsg(NULL), "not-a-twin.gpkg"));

    /* A real twin, but without an address book. */
    g = (twin_geocoder_t *)1;
    CHECK_RC(twin_geocoder_open(plain_twin_path, &g), TWIN_ERR_FORMAT);
    CHECK(g == NULL);
    CHECK(strlen(twin_geocoder_errmsg(NULL)) > 20);

    twin_geocoder_close(NULL); /* a harmless no-op */
}

static void test_open_close(void) {
    twin_geocoder_t *g = NULL;
    result_t r;
    CHECK_RC(twin_geocoder_open(addr_twin_path, &g), TWIN_OK);
    CHECK(g != NULL);
    if (g == NULL) return;
    CHECK(strcmp(twin_geocoder_errmsg(g), "") == 0);
    CHECK_RC(geocode(g, "", 0, &r), TWIN_OK);
    twin_geocoder_close(g);
}

/* ---- single-address arguments and bad text ---------------------------------------------- */

static void test_address_arguments(const char *good) {
    double lon, lat, score;
    int level, reason;
    char buf[8];
    size_t needed = 0;
    result_t r;

    CHECK_RC(twin_geocode_address(NULL, good, 0, &lon, &lat, &level, &score, &reason, NULL, 0, NULL), TWIN_ERR_ARG);
    CHECK(contains(twin_geocoder_errmsg(NULL), "twin_geocode_address"));
    CHECK_RC(twin_geocode_address(geo, good, 0, NULL, &lat, &level, NULL, NULL, NULL, 0, NULL), TWIN_ERR_ARG);
    CHECK(contains(twin_geocoder_errmsg(geo), "lon"));
    CHECK_RC(twin_geocode_address(geo, good, 0, &lon, NULL, &level, NULL, NULL, NULL, 0, NULL), TWIN_ERR_ARG);
    CHECK_RC(twin_geocode_address(geo, good, 0, &lon, &lat, NULL, NULL, NULL, NULL, 0, NULL), TWIN_ERR_ARG);
    CHECK(contains(twin_geocoder_errmsg(geo), "level"));
    CHECK_RC(twin_geocode_address(geo, NULL, 5, &lon, &lat, &level, NULL, NULL, NULL, 0, NULL), TWIN_ERR_ARG);
    CHECK(contains(twin_geocoder_errmsg(geo), "utf8"));
    CHECK_RC(twin_geocode_address(geo, good, 0, &lon, &lat, &level, NULL, NULL, NULL, 4, NULL), TWIN_ERR_ARG);
    CHECK(contains(twin_geocoder_errmsg(geo), "matched"));

    /* Only the required outputs: a match. */
    CHECK_RC(twin_geocode_address(geo, good, 0, &lon, &lat, &level, NULL, NULL, NULL, 0, NULL), TWIN_OK);
    CHECK(level == TWIN_MATCH_DOORPLATE);
    CHECK(!isnan(lon) && !isnan(lat));

    /* Sizing: matched NULL, n 0 is TWIN_OK and writes *needed. */
    CHECK_RC(twin_geocode_address(geo, good, 0, &lon, &lat, &level, &score, &reason, NULL, 0, &needed), TWIN_OK);
    CHECK(needed > 1);
    CHECK_RC(geocode(geo, good, 0, &r), TWIN_OK);
    CHECK(r.needed == needed && strlen(r.matched) + 1 == needed);

    /* Too small: TWIN_ERR_BUFFER, "" in the buffer, every other output written. */
    memset(buf, 'x', sizeof buf);
    lon = lat = score = -1;
    level = reason = -1;
    needed = 0;
    CHECK(r.needed > sizeof buf); /* a door-plate address in Chinese takes more than 8 bytes */
    CHECK_RC(twin_geocode_address(geo, good, 0, &lon, &lat, &level, &score, &reason, buf, sizeof buf, &needed),
             TWIN_ERR_BUFFER);
    CHECK(buf[0] == 0);
    CHECK(needed == r.needed);
    CHECK(lon == r.lon && lat == r.lat && level == r.level && score == r.score && reason == r.reason);
    CHECK(contains(twin_geocoder_errmsg(geo), "matched address"));
}

static void test_bad_text(const char *good) {
    result_t r;
    char *long_text;
    size_t i, len = strlen(good);
    char unterminated[256];
    static const char invalid[] = "\xff\xfe\xe9\x95\xbf\xe5\xaf\xbf\xe8\xb7\xaf"; /* 0xFF 0xFE 长寿路 */

    CHECK_RC(geocode(geo, NULL, 0, &r), TWIN_OK);
    CHECK(is_none(&r, TWIN_REASON_EMPTY));
    CHECK_RC(geocode(geo, "", 0, &r), TWIN_OK);
    CHECK(is_none(&r, TWIN_REASON_EMPTY));
    CHECK_RC(geocode(geo, " ，。！？ ()", 0, &r), TWIN_OK);
    CHECK(is_none(&r, TWIN_REASON_ONLY_PUNCTUATION));
    CHECK_RC(geocode(geo, "\t\x01\x02\n", 0, &r), TWIN_OK);
    CHECK(is_none(&r, TWIN_REASON_ONLY_PUNCTUATION));

    /* 10,000 characters (a door-plate address repeated): too long, rejected. */
    long_text = xmalloc(10000 * 3 + 1);
    for (i = 0; i < 10000; i++) memcpy(long_text + 3 * i, "\xe8\xb7\xaf", 3); /* 路 */
    long_text[30000] = 0;
    CHECK_RC(geocode(geo, long_text, 0, &r), TWIN_OK);
    CHECK(is_none(&r, TWIN_REASON_TOO_LONG));
    CHECK_RC(geocode(geo, long_text, 30000, &r), TWIN_OK);
    CHECK(is_none(&r, TWIN_REASON_TOO_LONG));
    free(long_text);

    /* Invalid UTF-8: rejected, not repaired. */
    CHECK_RC(geocode(geo, invalid, 0, &r), TWIN_OK);
    CHECK(is_none(&r, TWIN_REASON_INVALID_UTF8));
    /* A length that cuts the last character of a valid text in half. */
    CHECK_RC(geocode(geo, good, len - 1, &r), TWIN_OK);
    CHECK(is_none(&r, TWIN_REASON_INVALID_UTF8));
    /* An overlong encoding of '/' and a lone continuation byte. */
    CHECK_RC(geocode(geo, "\xc0\xaf", 0, &r), TWIN_OK);
    CHECK(is_none(&r, TWIN_REASON_INVALID_UTF8));
    CHECK_RC(geocode(geo, "\x80", 0, &r), TWIN_OK);
    CHECK(is_none(&r, TWIN_REASON_INVALID_UTF8));

    /* With a length the text need not end in NUL; the bytes after it are not read. */
    if (len < sizeof unterminated) {
        result_t whole;
        memcpy(unterminated, good, len);
        memset(unterminated + len, 0xFF, sizeof unterminated - len);
        CHECK_RC(geocode(geo, unterminated, len, &r), TWIN_OK);
        CHECK_RC(geocode(geo, good, 0, &whole), TWIN_OK);
        CHECK(r.level == TWIN_MATCH_DOORPLATE && r.lon == whole.lon && r.lat == whole.lat &&
              strcmp(r.matched, whole.matched) == 0);
    }
}

/* ---- door-plates, nonexistent addresses -------------------------------------------------- */

/* Every door-plate of the address book, written cleanly, resolves to its entrance. */
static void test_doorplates(const lines_t *rows) {
    size_t i, ok = 0, checked = 0;
    double worst = 0;
    for (i = 0; i < rows->count; i++) {
        char text[1024];
        double lon, lat, d;
        result_t r;
        if (sscanf(rows->lines[i], "%1023[^\t]\t%lf\t%lf", text, &lon, &lat) != 3) {
            fprintf(stderr, "doorplates line %zu is not TEXT\\tLON\\tLAT: %s\n", i + 1, rows->lines[i]);
            failed++;
            continue;
        }
        checked++;
        if (geocode(geo, text, 0, &r) != TWIN_OK) {
            fprintf(stderr, "%s: %s\n", text, twin_geocoder_errmsg(geo));
            continue;
        }
        d = r.level == TWIN_MATCH_DOORPLATE ? metres(lon, lat, r.lon, r.lat) : INFINITY;
        if (d > worst) worst = d;
        if (d <= 3 && r.score >= 0.5 && r.score <= 1 && r.reason == TWIN_REASON_NONE && r.matched[0] != 0) {
            ok++;
        } else if (checked - ok <= 5) {
            fprintf(stderr, "door-plate %s: level %s, %.2f m away, score %.3f, reason %s, matched %s\n", text,
                    twin_match_level_string(r.level), d, r.score, twin_match_reason_string(r.reason), r.matched);
        }
    }
    CHECK(checked >= 100);
    CHECK(ok == checked);
    printf("door-plates: %zu of %zu at door-plate level within 3 m (worst %.3f m)\n", ok, checked, worst);
}

static void test_nonexistent(const char *good_road) {
    result_t r;
    char text[1100];

    /* A road that exists with a number it does not have: never a neighbouring door-plate. */
    snprintf(text, sizeof text, "%s8888弄9999号", good_road);
    CHECK_RC(geocode(geo, text, 0, &r), TWIN_OK);
    CHECK(r.level == TWIN_MATCH_NONE && isnan(r.lon) && r.score == 0 && r.matched[0] == 0);
    CHECK(r.reason == TWIN_REASON_NO_SUCH_LANE || r.reason == TWIN_REASON_NO_SUCH_NUMBER);

    /* A road that does not exist anywhere. */
    CHECK_RC(geocode(geo, "火星探测器大道一千二百三十四号", 0, &r), TWIN_OK);
    CHECK(r.level == TWIN_MATCH_NONE && isnan(r.lon) && isnan(r.lat) && r.score == 0);
    CHECK(r.reason == TWIN_REASON_NO_SUCH_ROAD || r.reason == TWIN_REASON_UNRECOGNISED);

    /* No address at all. */
    CHECK_RC(geocode(geo, "hello world 12345", 0, &r), TWIN_OK);
    CHECK(r.level == TWIN_MATCH_NONE && r.reason != TWIN_REASON_NONE);
}

/* ---- batch -------------------------------------------------------------------------------- */

typedef struct {
    double *lon, *lat, *score;
    int32_t *level, *reason;
} batch_t;

static batch_t batch_alloc(size_t n) {
    batch_t b;
    b.lon = xmalloc(n * sizeof *b.lon);
    b.lat = xmalloc(n * sizeof *b.lat);
    b.score = xmalloc(n * sizeof *b.score);
    b.level = xmalloc(n * sizeof *b.level);
    b.reason = xmalloc(n * sizeof *b.reason);
    return b;
}

static void batch_free(batch_t *b) {
    free(b->lon);
    free(b->lat);
    free(b->score);
    free(b->level);
    free(b->reason);
}

static size_t batch_differences(const batch_t *a, const batch_t *b, size_t n) {
    size_t i, d = 0;
    for (i = 0; i < n; i++) {
        if (!same(a->lon[i], b->lon[i]) || !same(a->lat[i], b->lat[i]) || a->score[i] != b->score[i] ||
            a->level[i] != b->level[i] || a->reason[i] != b->reason[i])
            d++;
    }
    return d;
}

static void test_batch_arguments(const char *good) {
    const char *texts[3];
    double lon[3], lat[3], score[3];
    int32_t level[3], reason[3];
    result_t r;

    texts[0] = good;
    texts[1] = NULL;
    texts[2] = "";
    CHECK_RC(twin_geocode_batch(NULL, texts, 3, lon, lat, level, score, reason), TWIN_ERR_ARG);
    CHECK(contains(twin_geocoder_errmsg(NULL), "twin_geocode_batch"));
    CHECK_RC(twin_geocode_batch(geo, NULL, 3, lon, lat, level, score, reason), TWIN_ERR_ARG);
    CHECK(contains(twin_geocoder_errmsg(geo), "texts"));
    CHECK_RC(twin_geocode_batch(geo, texts, 3, NULL, lat, level, score, reason), TWIN_ERR_ARG);
    CHECK_RC(twin_geocode_batch(geo, texts, 3, lon, NULL, level, score, reason), TWIN_ERR_ARG);
    CHECK_RC(twin_geocode_batch(geo, texts, 3, lon, lat, NULL, score, reason), TWIN_ERR_ARG);
    CHECK_RC(twin_geocode_batch(geo, texts, (size_t)-1, lon, lat, level, score, reason), TWIN_ERR_ARG);
    /* n 0: nothing read, every array may be NULL. */
    CHECK_RC(twin_geocode_batch(geo, NULL, 0, NULL, NULL, NULL, NULL, NULL), TWIN_OK);
    CHECK_RC(twin_geocode_batch(NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL), TWIN_ERR_ARG);

    /* A NULL entry and an empty one are no match (empty); score and reason are optional. */
    CHECK_RC(twin_geocode_batch(geo, texts, 3, lon, lat, level, score, reason), TWIN_OK);
    CHECK_RC(geocode(geo, good, 0, &r), TWIN_OK);
    CHECK(level[0] == TWIN_MATCH_DOORPLATE && lon[0] == r.lon && lat[0] == r.lat && score[0] == r.score &&
          reason[0] == r.reason);
    CHECK(level[1] == TWIN_MATCH_NONE && isnan(lon[1]) && isnan(lat[1]) && score[1] == 0 &&
          reason[1] == TWIN_REASON_EMPTY);
    CHECK(level[2] == TWIN_MATCH_NONE && reason[2] == TWIN_REASON_EMPTY);
    level[0] = -1;
    CHECK_RC(twin_geocode_batch(geo, texts, 3, lon, lat, level, NULL, NULL), TWIN_OK);
    CHECK(level[0] == TWIN_MATCH_DOORPLATE && lon[0] == r.lon);
}

static lines_t addresses;
static batch_t reference;

/* The batch equals one twin_geocode_address per text, on the sample's event addresses. */
static void test_batch_equals_single(void) {
    size_t i, n = addresses.count, differ = 0, matched = 0;
    struct timespec t0, t1;
    double seconds;
    reference = batch_alloc(n);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_RC(twin_geocode_batch(geo, (const char *const *)addresses.lines, n, reference.lon, reference.lat,
                                reference.level, reference.score, reference.reason),
             TWIN_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    for (i = 0; i < n; i++) {
        result_t r;
        if (geocode(geo, addresses.lines[i], 0, &r) != TWIN_OK || !same(r.lon, reference.lon[i]) ||
            !same(r.lat, reference.lat[i]) || r.score != reference.score[i] || r.level != reference.level[i] ||
            r.reason != reference.reason[i]) {
            if (differ++ < 5) fprintf(stderr, "batch and single differ on line %zu: %s\n", i + 1, addresses.lines[i]);
        }
        matched += reference.level[i] != TWIN_MATCH_NONE;
    }
    CHECK(n >= 100);
    CHECK(differ == 0);
    /* The sample mixes every style; most are placeable, its nonexistent ones are not. */
    CHECK(matched > n / 2 && matched < n);
    printf("batch: %zu addresses (%zu matched) in %.3f s, %.0f addresses/s\n", n, matched, seconds,
           seconds > 0 ? (double)n / seconds : 0.0);
}

/* 8 threads, each geocoding every address in batches of varying size (and a few singly),
 * must agree with the single-threaded reference. */
typedef struct {
    int index;
    size_t rounds;
    size_t differences;
    int status;
} job_t;

static void *batch_job(void *arg) {
    job_t *job = arg;
    size_t n = addresses.count, round;
    batch_t mine = batch_alloc(n);
    size_t step = 97 + 61 * (size_t)job->index; /* a different chunking per thread */
    for (round = 0; round < job->rounds; round++) {
        size_t start;
        for (start = 0; start < n; start += step) {
            size_t count = n - start < step ? n - start : step;
            int rc = twin_geocode_batch(geo, (const char *const *)addresses.lines + start, count, mine.lon + start,
                                        mine.lat + start, mine.level + start, mine.score + start, mine.reason + start);
            if (rc != TWIN_OK) job->status = rc;
        }
        job->differences += batch_differences(&mine, &reference, n);
    }
    {
        /* Singles interleaved with the other threads' batches. */
        size_t i;
        for (i = (size_t)job->index; i < n; i += 50) {
            result_t r;
            if (geocode(geo, addresses.lines[i], 0, &r) != TWIN_OK) job->status = -1;
            if (!same(r.lon, reference.lon[i]) || r.level != reference.level[i]) job->differences++;
        }
    }
    batch_free(&mine);
    return NULL;
}

static void test_threads(size_t rounds) {
    pthread_t threads[8];
    job_t jobs[8];
    int i;
    for (i = 0; i < 8; i++) {
        jobs[i].index = i;
        jobs[i].rounds = rounds;
        jobs[i].differences = 0;
        jobs[i].status = TWIN_OK;
        if (pthread_create(&threads[i], NULL, batch_job, &jobs[i]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            exit(2);
        }
    }
    for (i = 0; i < 8; i++) {
        pthread_join(threads[i], NULL);
        CHECK(jobs[i].status == TWIN_OK);
        CHECK(jobs[i].differences == 0);
    }
    printf("threads: 8 × %zu rounds of %zu addresses agree with single-threaded\n", rounds, addresses.count);
}

/* ------------------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
    lines_t doorplates;
    char good[1024], road[1024];
    size_t rounds = 3, max = (size_t)-1;
    if (argc < 6) {
        fprintf(stderr,
                "usage: %s ADDR_TWIN PLAIN_TWIN DOORPLATES.tsv ADDRESSES.txt TMPDIR [ROUNDS [MAX_ADDRESSES]]\n",
                argv[0]);
        return 2;
    }
    addr_twin_path = argv[1];
    plain_twin_path = argv[2];
    tmp_dir = argv[5];
    if (argc > 6) rounds = (size_t)strtoull(argv[6], NULL, 10);
    if (argc > 7) max = (size_t)strtoull(argv[7], NULL, 10);
    doorplates = read_lines(argv[3], (size_t)-1);
    addresses = read_lines(argv[4], max);
    if (doorplates.count == 0 || sscanf(doorplates.lines[0], "%1023[^\t]", good) != 1) {
        fprintf(stderr, "%s has no door-plates\n", argv[3]);
        return 2;
    }
    /* The road of the first door-plate: the text up to its 路/街/... (up to the first digit). */
    strcpy(road, good);
    road[strcspn(road, "0123456789")] = 0;

    test_level_and_reason_strings();
    test_open_refusals();
    test_open_close();
    if (twin_geocoder_open(addr_twin_path, &geo) != TWIN_OK) {
        fprintf(stderr, "cannot open %s: %s\n", addr_twin_path, twin_geocoder_errmsg(NULL));
        return 1;
    }
    test_address_arguments(good);
    test_bad_text(good);
    test_doorplates(&doorplates);
    test_nonexistent(road);
    test_batch_arguments(good);
    test_batch_equals_single();
    test_threads(rounds);

    batch_free(&reference);
    twin_geocoder_close(geo);
    free_lines(&doorplates);
    free_lines(&addresses);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
