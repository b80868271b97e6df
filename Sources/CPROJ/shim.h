#ifndef TWIN_CPROJ_SHIM_H
#define TWIN_CPROJ_SHIM_H
#include <proj.h>
#endif
