#ifndef KK_CQRENCODE_SHIM_H
#define KK_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
