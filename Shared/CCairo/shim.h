#ifndef KK_CCAIRO_SHIM_H
#define KK_CCAIRO_SHIM_H
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-ft.h>
#endif
