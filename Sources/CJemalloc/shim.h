#ifndef TRIBUTARY_CJEMALLOC_SHIM_H
#define TRIBUTARY_CJEMALLOC_SHIM_H
// Only jemalloc's control call: the library replaces malloc/free for the whole process by being linked in, and
// declaring its malloc here would clash with the C library's declarations in Swift.
#include <stddef.h>
int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);
#endif
