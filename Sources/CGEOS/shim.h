#ifndef TWIN_CGEOS_SHIM_H
#define TWIN_CGEOS_SHIM_H
/* Only the reentrant (_r) API: one GEOS context per thread, never the global one. */
#define GEOS_USE_ONLY_R_API 1
#include <geos_c.h>
#endif
