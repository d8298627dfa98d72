/*
 * One micro-kernel variant, instantiated by kernels.c once per instruction set. Before including
 * this file, define:
 *
 *   CFK_SUFFIX  name suffix of the exported function (cfk_sgemm_ukernel_<suffix>)
 *   CFK_TARGET  function attribute selecting the instruction set (may be empty)
 *   CFK_W       floats per vector (4, 8 or 16)
 *   CFK_MR      largest tile height (≤ 8)
 *   CFK_NV      vectors per tile row (≤ 3); the largest tile width is CFK_NV · CFK_W
 *
 * A is read through strides (element (i, p) at a[i·rsa + p·csa]); a packed panel (rsa = 1,
 * csa = mr) gets its own copy with constant strides. C is written through strides too
 * (element (i, j) at c[i·rsc + j·csc]): csc = 1 stores whole vectors, anything else (a C
 * written transposed) goes through a local tile.
 *
 * The tile is held in CFK_MR × CFK_NV vector accumulators. Each k step loads CFK_NV vectors of B,
 * broadcasts mr values of A and issues mr · nv multiply-adds (`acc + b * a`, contracted to FMA
 * where the target has it). Every (mr, nv) pair gets its own fully unrolled copy, so an edge tile
 * of height 5 costs 5/6 of a full tile rather than a full one.
 */

#define CFK_CAT2(a, b) a##_##b
#define CFK_CAT(a, b) CFK_CAT2(a, b)
#define CFK_NAME(name) CFK_CAT(name, CFK_SUFFIX)

typedef float CFK_NAME(cfk_vec) __attribute__((vector_size(CFK_W * 4)));

/* The body for one (MR, NV) pair; MR, NV and PACKED are compile-time constants at every call
 * site. PACKED means A is a packed panel (rsa == 1, csa == MR), so its addressing folds away. */
static inline __attribute__((always_inline)) CFK_TARGET void CFK_NAME(cfk_tile)(
    const long MR, const long NV, const int PACKED, long nr, long kc, const float *restrict a,
    long rsa, long csa, const float *restrict b, long ldb, float *restrict c, long rsc, long csc,
    float alpha, float beta)
{
    typedef CFK_NAME(cfk_vec) V;
    const long ai_stride = PACKED ? 1 : rsa;
    const long ap_stride = PACKED ? MR : csa;
    V acc[CFK_MR][CFK_NV];
    for (long i = 0; i < MR; i++) {
        for (long v = 0; v < NV; v++) acc[i][v] = (V){0};
        if (csc == 1) {
            __builtin_prefetch(c + i * rsc, 1);
            __builtin_prefetch(c + i * rsc + NV * CFK_W - 1, 1);
        }
    }

    for (long p = 0; p < kc; p++) {
        V bv[CFK_NV];
        for (long v = 0; v < NV; v++) __builtin_memcpy(&bv[v], b + v * CFK_W, sizeof(V));
        for (long i = 0; i < MR; i++) {
            const float ai = a[i * ai_stride];
            for (long v = 0; v < NV; v++) acc[i][v] = acc[i][v] + bv[v] * ai;
        }
        a += ap_stride;
        b += ldb;
    }

    if (csc == 1 && nr == NV * CFK_W) {
        for (long i = 0; i < MR; i++) {
            for (long v = 0; v < NV; v++) {
                float *cp = c + i * rsc + v * CFK_W;
                V out = acc[i][v] * alpha;
                if (beta != 0.0f) {
                    V old;
                    __builtin_memcpy(&old, cp, sizeof(V));
                    out = out + old * beta;
                }
                __builtin_memcpy(cp, &out, sizeof(V));
            }
        }
    } else {
        /* A partial or strided tile: spill to a local buffer, then copy the nr valid columns. */
        float tile[CFK_MR][CFK_NV * CFK_W];
        for (long i = 0; i < MR; i++)
            for (long v = 0; v < NV; v++) __builtin_memcpy(&tile[i][v * CFK_W], &acc[i][v], sizeof(V));
        for (long i = 0; i < MR; i++) {
            float *cr = c + i * rsc;
            if (beta == 0.0f) {
                for (long j = 0; j < nr; j++) cr[j * csc] = alpha * tile[i][j];
            } else {
                for (long j = 0; j < nr; j++) cr[j * csc] = alpha * tile[i][j] + beta * cr[j * csc];
            }
        }
    }
}

#define CFK_CASE(M, V)                                                                          \
    case (M) * 4 + (V):                                                                         \
        if ((M) <= CFK_MR && (V) <= CFK_NV) {                                                   \
            if (rsa == 1 && csa == (M))                                                         \
                CFK_NAME(cfk_tile)((M), (V), 1, nr, kc, a, 1, (M), b, ldb, c, rsc, csc, alpha, beta); \
            else                                                                                \
                CFK_NAME(cfk_tile)((M), (V), 0, nr, kc, a, rsa, csa, b, ldb, c, rsc, csc, alpha, beta); \
        }                                                                                       \
        return;
#define CFK_CASES(M) CFK_CASE(M, 1) CFK_CASE(M, 2) CFK_CASE(M, 3)

CFK_TARGET void CFK_NAME(cfk_sgemm_ukernel)(long mr, long nr, long kc, const float *a, long rsa, long csa,
                                            const float *b, long ldb, float *c, long rsc, long csc,
                                            float alpha, float beta)
{
    const long nv = (nr + CFK_W - 1) / CFK_W;
    switch (mr * 4 + nv) {
        CFK_CASES(1) CFK_CASES(2) CFK_CASES(3) CFK_CASES(4)
        CFK_CASES(5) CFK_CASES(6) CFK_CASES(7) CFK_CASES(8)
    default:
        return;
    }
}

#undef CFK_CASE
#undef CFK_CASES
#undef CFK_NAME
#undef CFK_CAT
#undef CFK_CAT2
#undef CFK_SUFFIX
#undef CFK_TARGET
#undef CFK_W
#undef CFK_MR
#undef CFK_NV
