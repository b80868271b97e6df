/*
 * The cost of libtwin's address geocoding from C (figures, not checks):
 *
 *   usage: bench_geocode ADDR_TWIN ADDRESSES.txt [REPEAT]
 *
 * ADDRESSES.txt has one address per line (the sample's event addresses, every style). Prints
 * twin_geocode_address per call (one thread, thread CPU time and wall time) and
 * twin_geocode_batch addresses/s (all cores, wall time; process CPU time per address beside
 * it, as the machine may be shared). Best of REPEAT (default 5) runs.
 */
#define _POSIX_C_SOURCE 200112L /* clock_gettime */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "twin.h"

static double now(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    twin_geocoder_t *g = NULL;
    char **texts = NULL, line[4096];
    size_t n = 0, capacity = 0, i;
    int repeat = argc > 3 ? atoi(argv[3]) : 5, r;
    double best_single = 1e300, best_single_cpu = 1e300, best_batch = 1e300, best_batch_cpu = 1e300;
    double *lon, *lat, *score;
    int32_t *level;
    size_t matched = 0;
    FILE *f;
    if (argc < 3) {
        fprintf(stderr, "usage: %s ADDR_TWIN ADDRESSES.txt [REPEAT]\n", argv[0]);
        return 2;
    }
    if (twin_geocoder_open(argv[1], &g) != TWIN_OK) {
        fprintf(stderr, "%s\n", twin_geocoder_errmsg(NULL));
        return 1;
    }
    f = fopen(argv[2], "rb");
    if (f == NULL) {
        perror(argv[2]);
        return 2;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        size_t len = strcspn(line, "\r\n");
        line[len] = 0;
        if (n == capacity) {
            capacity = capacity ? capacity * 2 : 1024;
            texts = realloc(texts, capacity * sizeof *texts);
            if (texts == NULL) return 2;
        }
        texts[n] = malloc(len + 1);
        if (texts[n] == NULL) return 2;
        memcpy(texts[n], line, len + 1);
        n++;
    }
    fclose(f);
    lon = malloc(n * sizeof *lon);
    lat = malloc(n * sizeof *lat);
    score = malloc(n * sizeof *score);
    level = malloc(n * sizeof *level);
    if (n == 0 || lon == NULL || lat == NULL || score == NULL || level == NULL) return 2;

    for (r = 0; r < repeat; r++) {
        double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_THREAD_CPUTIME_ID), w, c;
        for (i = 0; i < n; i++) {
            int lv;
            twin_geocode_address(g, texts[i], 0, &lon[i], &lat[i], &lv, &score[i], NULL, NULL, 0, NULL);
        }
        w = (now(CLOCK_MONOTONIC) - w0) / (double)n;
        c = (now(CLOCK_THREAD_CPUTIME_ID) - c0) / (double)n;
        if (w < best_single) best_single = w;
        if (c < best_single_cpu) best_single_cpu = c;

        w0 = now(CLOCK_MONOTONIC);
        c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        twin_geocode_batch(g, (const char *const *)texts, n, lon, lat, level, score, NULL);
        w = now(CLOCK_MONOTONIC) - w0;
        c = (now(CLOCK_PROCESS_CPUTIME_ID) - c0) / (double)n;
        if (w < best_batch) best_batch = w;
        if (c < best_batch_cpu) best_batch_cpu = c;
    }
    for (i = 0; i < n; i++) matched += level[i] != TWIN_MATCH_NONE;
    printf("geocode: %zu addresses (%zu matched), best of %d\n", n, matched, repeat);
    printf("  twin_geocode_address (one thread): %.2f us per call wall, %.2f us thread CPU (%.0f addresses/s per core)\n",
           best_single * 1e6, best_single_cpu * 1e6, 1 / best_single_cpu);
    printf("  twin_geocode_batch (all cores):    %.0f addresses/s wall, %.2f us process CPU per address\n",
           (double)n / best_batch, best_batch_cpu * 1e6);
    for (i = 0; i < n; i++) free(texts[i]);
    free(texts);
    free(lon);
    free(lat);
    free(score);
    free(level);
    twin_geocoder_close(g);
    return 0;
}
