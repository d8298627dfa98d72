/*
 * The transposing copy used to pack GEMM panels, instantiated by kernels.c per instruction set:
 *
 *     dst[j·ldd + i] = src[i·lds + j]      0 ≤ i < rows, 0 ≤ j < cols
 *
 * Floats of dst between a row's first `rows` and `ldd` may be overwritten (with zeros).
 *
 * Packing B of A·Bᵀ (B stored N×K) into k-major panels and interleaving the rows of a row-major
 * A into row tiles are both this copy. Blocks of 8 × 8 (with 256-bit vectors) or 4 × 4 are
 * transposed in registers; the ragged rest is copied element by element. Define CFK_SUFFIX,
 * CFK_TARGET and CFK_W (4 or 8) before including.
 */

#define CFK_CAT2(a, b) a##_##b
#define CFK_CAT(a, b) CFK_CAT2(a, b)
#define CFK_NAME(name) CFK_CAT(name, CFK_SUFFIX)

typedef float CFK_NAME(cfk_v4) __attribute__((vector_size(16)));
#if CFK_W >= 8
typedef float CFK_NAME(cfk_v8) __attribute__((vector_size(32)));
#endif

#if CFK_W >= 8
/* out[q] = column q of the 8 × 8 block whose rows are r[0..7]. */
#define CFK_TRANSPOSE8(r, out)                                                                   \
    do {                                                                                         \
        V8 t0 = __builtin_shufflevector(r[0], r[1], 0, 8, 1, 9, 4, 12, 5, 13);                   \
        V8 t1 = __builtin_shufflevector(r[0], r[1], 2, 10, 3, 11, 6, 14, 7, 15);                 \
        V8 t2 = __builtin_shufflevector(r[2], r[3], 0, 8, 1, 9, 4, 12, 5, 13);                   \
        V8 t3 = __builtin_shufflevector(r[2], r[3], 2, 10, 3, 11, 6, 14, 7, 15);                 \
        V8 t4 = __builtin_shufflevector(r[4], r[5], 0, 8, 1, 9, 4, 12, 5, 13);                   \
        V8 t5 = __builtin_shufflevector(r[4], r[5], 2, 10, 3, 11, 6, 14, 7, 15);                 \
        V8 t6 = __builtin_shufflevector(r[6], r[7], 0, 8, 1, 9, 4, 12, 5, 13);                   \
        V8 t7 = __builtin_shufflevector(r[6], r[7], 2, 10, 3, 11, 6, 14, 7, 15);                 \
        V8 s0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);                       \
        V8 s1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);                     \
        V8 s2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);                       \
        V8 s3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);                     \
        V8 s4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);                       \
        V8 s5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);                     \
        V8 s6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);                       \
        V8 s7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);                     \
        out[0] = __builtin_shufflevector(s0, s4, 0, 1, 2, 3, 8, 9, 10, 11);                     \
        out[1] = __builtin_shufflevector(s1, s5, 0, 1, 2, 3, 8, 9, 10, 11);                     \
        out[2] = __builtin_shufflevector(s2, s6, 0, 1, 2, 3, 8, 9, 10, 11);                     \
        out[3] = __builtin_shufflevector(s3, s7, 0, 1, 2, 3, 8, 9, 10, 11);                     \
        out[4] = __builtin_shufflevector(s0, s4, 4, 5, 6, 7, 12, 13, 14, 15);                   \
        out[5] = __builtin_shufflevector(s1, s5, 4, 5, 6, 7, 12, 13, 14, 15);                   \
        out[6] = __builtin_shufflevector(s2, s6, 4, 5, 6, 7, 12, 13, 14, 15);                   \
        out[7] = __builtin_shufflevector(s3, s7, 4, 5, 6, 7, 12, 13, 14, 15);                   \
    } while (0)
#endif

#if CFK_W >= 8
/* REST (5 to 7, a constant) rows as an 8 × 8 transpose with zero rows, 8 columns at a time
 * while j + 8 <= cols, each output stored as a whole vector; returns the first column left. */
static inline __attribute__((always_inline)) CFK_TARGET long CFK_NAME(cfk_transpose_rest)(
    const long REST, const float *restrict src, long lds, long cols, float *restrict dst, long ldd)
{
    typedef CFK_NAME(cfk_v8) V8;
    long j = 0;
    for (; j + 8 <= cols; j += 8) {
        V8 r[8], out[8];
        for (long q = 0; q < 8; q++) {
            if (q < REST) __builtin_memcpy(&r[q], src + q * lds + j, sizeof(V8));
            else r[q] = (V8){0};
        }
        CFK_TRANSPOSE8(r, out);
        for (long q = 0; q < 8; q++) __builtin_memcpy(dst + (j + q) * ldd, &out[q], sizeof(V8));
    }
    return j;
}
#endif

CFK_TARGET void CFK_NAME(cfk_transpose)(const float *restrict src, long lds, long rows, long cols,
                                        float *restrict dst, long ldd)
{
    long i = 0;
#if CFK_W >= 8
    typedef CFK_NAME(cfk_v8) V8;
    for (; i + 8 <= rows; i += 8) {
        long j = 0;
        for (; j + 8 <= cols; j += 8) {
            V8 r[8], out[8];
            for (int q = 0; q < 8; q++) __builtin_memcpy(&r[q], src + (i + q) * lds + j, sizeof(V8));
            CFK_TRANSPOSE8(r, out);
            for (int q = 0; q < 8; q++) __builtin_memcpy(dst + (j + q) * ldd + i, &out[q], sizeof(V8));
        }
        for (; j < cols; j++)
            for (int q = 0; q < 8; q++) dst[j * ldd + i + q] = src[(i + q) * lds + j];
    }
    /* 5 to 7 rows left (a row tile of 5 or 6 being interleaved, a ragged B panel): transpose
     * them as 8 with zero rows, storing whole vectors where the 8 - rest extra floats land
     * harmlessly: inside dst's row (i + 8 <= ldd), or, for a dense interleave (ldd == rows), at
     * the start of the next column, which is written after (so the last column is copied
     * element by element instead). */
    const long rest8 = rows - i;
    if (rest8 >= 5 && (i + 8 <= ldd || (i == 0 && ldd == rows))) {
        const long vectorCols = i + 8 <= ldd ? cols : cols - 1;
        long j = 0;
        switch (rest8) {
        case 5: j = CFK_NAME(cfk_transpose_rest)(5, src + i * lds, lds, vectorCols, dst + i, ldd); break;
        case 6: j = CFK_NAME(cfk_transpose_rest)(6, src + i * lds, lds, vectorCols, dst + i, ldd); break;
        default: j = CFK_NAME(cfk_transpose_rest)(7, src + i * lds, lds, vectorCols, dst + i, ldd); break;
        }
        for (; j < cols; j++)
            for (long q = 0; q < rest8; q++) dst[j * ldd + i + q] = src[(i + q) * lds + j];
        i = rows;
    }
#endif
    typedef CFK_NAME(cfk_v4) V4;
    for (; i + 4 <= rows; i += 4) {
        long j = 0;
        for (; j + 4 <= cols; j += 4) {
            V4 r0, r1, r2, r3;
            __builtin_memcpy(&r0, src + i * lds + j, sizeof(V4));
            __builtin_memcpy(&r1, src + (i + 1) * lds + j, sizeof(V4));
            __builtin_memcpy(&r2, src + (i + 2) * lds + j, sizeof(V4));
            __builtin_memcpy(&r3, src + (i + 3) * lds + j, sizeof(V4));
            V4 t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5);
            V4 t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);
            V4 t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5);
            V4 t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);
            V4 o0 = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
            V4 o1 = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
            V4 o2 = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
            V4 o3 = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
            __builtin_memcpy(dst + j * ldd + i, &o0, sizeof(V4));
            __builtin_memcpy(dst + (j + 1) * ldd + i, &o1, sizeof(V4));
            __builtin_memcpy(dst + (j + 2) * ldd + i, &o2, sizeof(V4));
            __builtin_memcpy(dst + (j + 3) * ldd + i, &o3, sizeof(V4));
        }
        for (; j < cols; j++)
            for (int q = 0; q < 4; q++) dst[j * ldd + i + q] = src[(i + q) * lds + j];
    }
    /* Fewer than 4 rows left: one output row of them per j. */
    if (i < rows) {
        const long rest = rows - i;
        for (long j = 0; j < cols; j++)
            for (long q = 0; q < rest; q++) dst[j * ldd + i + q] = src[(i + q) * lds + j];
    }
}

/* Packs a kc × width block of a row-major matrix into consecutive panels of nr columns (nr a
 * multiple of 4), zero-padding the last: dst[q·nr·kc + p·nr + j] = src[p·lds + q·nr + j]. Reads
 * each source row once, front to back. */
/* no_builtin: keeps the copy and zero loops from turning into memcpy/memset calls per row. */
CFK_TARGET __attribute__((no_builtin)) void CFK_NAME(cfk_pack_panels)(
    const float *restrict src, long lds, long kc, long width, long nr, float *restrict dst)
{
    typedef CFK_NAME(cfk_v4) V4;
    const long full = width / nr, rest = width - full * nr;
    for (long p = 0; p < kc; p++) {
        const float *s = src + p * lds;
        float *d = dst + p * nr;
        for (long q = 0; q < full; q++) {
            for (long v = 0; v < nr; v += 4) {
                V4 x;
                __builtin_memcpy(&x, s + q * nr + v, sizeof(V4));
                __builtin_memcpy(d + q * nr * kc + v, &x, sizeof(V4));
            }
        }
        if (rest > 0) {
            const float *sq = s + full * nr;
            float *dq = d + full * nr * kc;
            long v = 0;
            for (; v + 4 <= rest; v += 4) {
                V4 x;
                __builtin_memcpy(&x, sq + v, sizeof(V4));
                __builtin_memcpy(dq + v, &x, sizeof(V4));
            }
            V4 last = {0, 0, 0, 0};
            for (long e = 0; e < rest - v; e++) last[e] = sq[v + e];
            __builtin_memcpy(dq + v, &last, sizeof(V4));
            for (v += 4; v < nr; v += 4) __builtin_memcpy(dq + v, &(V4){0, 0, 0, 0}, sizeof(V4));
        }
    }
}

#undef CFK_TRANSPOSE8
#undef CFK_NAME
#undef CFK_CAT
#undef CFK_CAT2
#undef CFK_SUFFIX
#undef CFK_TARGET
#undef CFK_W
