#ifndef KK_CLIBPQ_SHIM_H
#define KK_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
