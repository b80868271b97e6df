/*
 * locate — reads "lon lat" lines from stdin and prints, for each point, the cell code of
 * every layer of a twin: the C interface of TwinGeo (include/twin.h) in one small program.
 *
 *   usage: locate TWIN.gpkg [CRS] < points.txt
 *
 * Output: tab-separated, one header line ("lon", "lat", then the layer names) and one line per
 * input point with each layer's cell code, empty where the point is in no cell of that layer.
 * Lines that are not two numbers are reported on stderr with their line number and skipped;
 * the exit status is then 1. Blank lines and lines starting with '#' are ignored.
 *
 * Points are located in batches of CHUNK with twin_locate_batch (all cores), whose results
 * are layer-major: out[layer * n + i].
 *
 * Build: cc -std=c99 -Iinclude samples/c/locate.c -Lbuild/lib -ltwin -o locate
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "twin.h"

enum { CHUNK = 4096, LINE_MAX_BYTES = 4096 };

/* A cell code, read through a buffer that grows when twin_cell_code says TWIN_ERR_BUFFER. */
static const char *cell_code(const twin_t *t, size_t layer, int32_t cell, char **buf, size_t *cap) {
    size_t needed = 0;
    int rc;
    if (cell < 0) return "";
    while ((rc = twin_cell_code(t, layer, cell, *buf, *cap, &needed)) == TWIN_ERR_BUFFER) {
        char *bigger = realloc(*buf, needed);
        if (bigger == NULL) return NULL;
        *buf = bigger;
        *cap = needed;
    }
    return rc == TWIN_OK ? *buf : NULL;
}

/* Locates the n buffered points and prints one line per point; 0 on success. */
static int flush(const twin_t *t, const char *crs, size_t layers, const double *lon, const double *lat, size_t n,
                 int32_t *out, char **buf, size_t *cap) {
    size_t i, l;
    int rc = twin_locate_batch(t, lon, lat, n, crs, out, n * layers);
    if (rc != TWIN_OK) {
        fprintf(stderr, "locate: %s (%s)\n", twin_errmsg(t), twin_status_string(rc));
        return -1;
    }
    for (i = 0; i < n; i++) {
        printf("%.8f\t%.8f", lon[i], lat[i]);
        for (l = 0; l < layers; l++) {
            const char *code = cell_code(t, l, out[l * n + i], buf, cap);
            if (code == NULL) {
                fprintf(stderr, "locate: %s\n", twin_errmsg(t));
                return -1;
            }
            printf("\t%s", code);
        }
        putchar('\n');
    }
    return 0;
}

/* Parses "lon lat": two numbers as strtod reads them and nothing else; 0 on success. (strtod also
 * takes "nan" and "inf": such points are in no cell, so their codes print empty.) */
static int parse_point(const char *line, double *lon, double *lat) {
    char *end;
    errno = 0;
    *lon = strtod(line, &end);
    if (end == line || errno != 0) return -1;
    line = end;
    *lat = strtod(line, &end);
    if (end == line || errno != 0) return -1;
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n') end++;
    return *end == '\0' ? 0 : -1;
}

int main(int argc, char **argv) {
    twin_t *t = NULL;
    const char *crs = argc > 2 ? argv[2] : "wgs84";
    size_t layers = 0, n = 0, l, cap = 0;
    unsigned long line_no = 0;
    int status = 0, rc;
    char line[LINE_MAX_BYTES], *code_buf = NULL;
    static double lon[CHUNK], lat[CHUNK];
    int32_t *out;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s TWIN.gpkg [CRS] < points.txt\n", argv[0]);
        return 2;
    }
    if (twin_version() != TWIN_VERSION_NUMBER) {
        fprintf(stderr, "locate: built with twin.h %s but libtwin is %d\n", TWIN_VERSION_STRING, twin_version());
        return 1;
    }
    rc = twin_open(argv[1], &t);
    if (rc != TWIN_OK) {
        fprintf(stderr, "locate: %s (%s)\n", twin_errmsg(NULL), twin_status_string(rc));
        return 1;
    }
    if (twin_layer_count(t, &layers) != TWIN_OK || layers == 0 ||
        (out = malloc(sizeof *out * CHUNK * layers)) == NULL) {
        fprintf(stderr, "locate: %s: no layers, or out of memory\n", argv[1]);
        twin_close(t);
        return 1;
    }

    printf("lon\tlat");
    for (l = 0; l < layers; l++) {
        char name[256];
        size_t needed;
        rc = twin_layer_name(t, l, name, sizeof name, &needed);
        printf("\t%s", rc == TWIN_OK ? name : "?");
    }
    putchar('\n');

    while (fgets(line, sizeof line, stdin) != NULL) {
        line_no++;
        if (line[0] == '#' || strspn(line, " \t\r\n") == strlen(line)) continue;
        if (parse_point(line, &lon[n], &lat[n]) != 0) {
            fprintf(stderr, "locate: stdin:%lu: expected \"lon lat\"\n", line_no);
            status = 1;
            continue;
        }
        if (++n == CHUNK) {
            if (flush(t, crs, layers, lon, lat, n, out, &code_buf, &cap) != 0) { status = 1; break; }
            n = 0;
        }
    }
    if (n > 0 && flush(t, crs, layers, lon, lat, n, out, &code_buf, &cap) != 0) status = 1;

    free(code_buf);
    free(out);
    twin_close(t);
    return status;
}
