/* The C tests' checks: count passes and failures, print each failure with its place. */
#ifndef TWIN_TESTS_CHECK_H
#define TWIN_TESTS_CHECK_H

#include <stdio.h>

#include "twin.h"

/* Each test program has its own counts (one translation unit each). */
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

/* A call's status must be `expected`; a mismatch names both, with twin_status_string. */
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

#endif
