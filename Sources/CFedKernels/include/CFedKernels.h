#ifndef CFEDKERNELS_H
#define CFEDKERNELS_H

/*
 * CFedKernels: the innermost single-precision GEMM loops, one variant per instruction set.
 *
 * Every variant is compiled with a per-function target attribute (no global -m flags), so the
 * library builds with a plain `swift build` and runs on any CPU of its architecture. Swift asks
 * `cfk_kernel_query` which variants this CPU can run and picks one at run time.
 *
 * The micro-kernel computes one tile of C (mr rows × nr columns):
 *
 *     C(i, j) = alpha · Σ_p A(i, p) · B(p, j) + beta · C(i, j)     (0 ≤ i < mr, 0 ≤ j < nr, 0 ≤ p < kc)
 *
 *   A(i, p) = a[i·rsa + p·csa]   a packed panel has rsa = 1, csa = mr (its fast case); a row-major
 *                                 A read in place has rsa = lda, csa = 1; a transposed one rsa = 1,
 *                                 csa = lda. Any alignment.
 *   B(p, j) = b[p·ldb + j]       each step must hold ceil(nr / vector_width) · vector_width readable
 *                                 floats (columns past nr are read and ignored). A packed panel
 *                                 uses ldb = nr_max and zero padding; a row-major B can be read in
 *                                 place with its own row stride.
 *   C(i, j) = c[i·rsc + j·csc]   csc = 1 is the fast case; csc ≠ 1 writes C transposed. With
 *                                 beta == 0, C is not read.
 *   mr 1 ... info.mr, nr 1 ... info.nr, kc ≥ 0.
 */

#ifdef __cplusplus
extern "C" {
#endif

/// The micro-kernel signature shared by all variants (see the file comment).
typedef void (*cfk_sgemm_ukernel_fn)(long mr, long nr, long kc, const float *a, long rsa, long csa,
                                     const float *b, long ldb, float *c, long rsc, long csc,
                                     float alpha, float beta);

/// The transposing copy that packs panels: dst[j·ldd + i] = src[i·lds + j] for i < rows, j < cols;
/// dst[j·ldd + i] for rows ≤ i < ldd may be overwritten.
typedef void (*cfk_transpose_fn)(const float *src, long lds, long rows, long cols, float *dst, long ldd);

/// Packs a kc × width row-major block into consecutive zero-padded panels of nr columns:
/// dst[q·nr·kc + p·nr + j] = src[p·lds + q·nr + j] (0 past width); nr is a multiple of 4.
typedef void (*cfk_pack_panels_fn)(const float *src, long lds, long kc, long width, long nr, float *dst);

/// Identifiers of the kernel variants.
enum {
    CFK_KERNEL_PORTABLE = 0, /* generic 128-bit vectors: SSE2 on x86-64, NEON on arm64, scalar elsewhere */
    CFK_KERNEL_AVX2 = 1,     /* x86-64 AVX2 + FMA, 6 × 16 */
    CFK_KERNEL_AVX512 = 2,   /* x86-64 AVX-512F, 6 × 32 */
    CFK_KERNEL_NEON = 3,     /* arm64 NEON with FMA, 8 × 12 */
    CFK_KERNEL_COUNT = 4
};

/// What Swift needs to know about one kernel variant.
typedef struct {
    cfk_sgemm_ukernel_fn kernel; /* NULL when the variant is not compiled in */
    cfk_transpose_fn transpose;  /* the packing copies for the same instruction set */
    cfk_pack_panels_fn pack_panels;
    int mr;                      /* largest tile height */
    int nr;                      /* largest tile width (a multiple of vector_width) */
    int vector_width;            /* floats per vector register */
    int supported;               /* 1 when compiled in and this CPU (and OS) can run it */
} cfk_kernel_info;

/// Fills `info` for kernel `id` (a CFK_KERNEL_* value); returns `info->supported`.
int cfk_kernel_query(int id, cfk_kernel_info *info);

/// A spin-wait hint (x86 `pause`, arm64 `yield`), for hot worker threads.
void cfk_cpu_relax(void);

#ifdef __cplusplus
}
#endif

#endif
