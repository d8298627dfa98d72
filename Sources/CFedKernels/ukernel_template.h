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
 * The tile is held in CFK_MR × CFK_NV vector accumulators. Each k step loads CFK_NV vectors of B,
 * broadcasts mr values of A and issues mr · nv multiply-adds (`acc + b * a`, contracted to FMA
 * where the target has it). Every (mr, nv) pair gets its own fully unrolled copy, so an edge tile
 * of height 5 costs 5/6 of a full tile rather than a full one.
 */

#define CFK_CAT2(a, b) a##_##b
#define CFK_CAT(a, b) CFK_CAT2(a, b)
#define CFK_NAME(name) CFK_CAT(name, CFK_SUFFIX)

typedef float CFK_NAME(cfk_vec) __attribute__((vector_size(CFK_W * 4)));

/* The body for one (MR, NV) pair; MR and NV are compile-time constants at every call site. */
static inline __attribute__((always_inline)) CFK_TARGET void CFK_NAME(cfk_tile)(
    const long MR, const long NV, long nr, long kc, const float *restrict a, const float *restrict b,
    long ldb, float *restrict c, long ldc, float alpha, float beta)
{
    typedef CFK_NAME(cfk_vec) V;
    V acc[CFK_MR][CFK_NV];
    for (long i = 0; i < MR; i++) {
        for (long v = 0; v < NV; v++) acc[i][v] = (V){0};
        __builtin_prefetch(c + i * ldc, 1);
        __builtin_prefetch(c + i * ldc + NV * CFK_W - 1, 1);
    }

    for (long p = 0; p < kc; p++) {
        V bv[CFK_NV];
        for (long v = 0; v < NV; v++) __builtin_memcpy(&bv[v], b + v * CFK_W, sizeof(V));
        for (long i = 0; i < MR; i++) {
            const float ai = a[i];
            for (long v = 0; v < NV; v++) acc[i][v] = acc[i][v] + bv[v] * ai;
        }
        a += MR;
        b += ldb;
    }

    if (nr == NV * CFK_W) {
        for (long i = 0; i < MR; i++) {
            for (long v = 0; v < NV; v++) {
                float *cp = c + i * ldc + v * CFK_W;
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
        /* A partial tile: spill to a local buffer, then copy the nr valid columns. */
        float tile[CFK_MR][CFK_NV * CFK_W];
        for (long i = 0; i < MR; i++)
            for (long v = 0; v < NV; v++) __builtin_memcpy(&tile[i][v * CFK_W], &acc[i][v], sizeof(V));
        for (long i = 0; i < MR; i++) {
            float *cr = c + i * ldc;
            if (beta == 0.0f) {
                for (long j = 0; j < nr; j++) cr[j] = alpha * tile[i][j];
            } else {
                for (long j = 0; j < nr; j++) cr[j] = alpha * tile[i][j] + beta * cr[j];
            }
        }
    }
}

#define CFK_CASE(M, V)                                                                          \
    case (M) * 4 + (V):                                                                         \
        if ((M) <= CFK_MR && (V) <= CFK_NV)                                                     \
            CFK_NAME(cfk_tile)((M), (V), nr, kc, a, b, ldb, c, ldc, alpha, beta);              \
        return;
#define CFK_CASES(M) CFK_CASE(M, 1) CFK_CASE(M, 2) CFK_CASE(M, 3)

CFK_TARGET void CFK_NAME(cfk_sgemm_ukernel)(long mr, long nr, long kc, const float *a, const float *b,
                                            long ldb, float *c, long ldc, float alpha, float beta)
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
