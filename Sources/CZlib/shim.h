#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

#include <zlib.h>

/// `inflateInit2` is a C macro, which Swift cannot import; this wrapper calls it with the
/// header's ZLIB_VERSION and struct size. `windowBits = 15 + 32` detects gzip or zlib headers.
static inline int czlib_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

#endif
