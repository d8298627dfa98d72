/*
 * The GEMM micro-kernels of FedTensor, one per instruction set (see include/CFedKernels.h).
 * The loops live in ukernel_template.h (the register tile) and pack_template.h (the copies that
 * pack panels); this file instantiates them per target and answers which variants
 * the running CPU supports.
 */
#include "CFedKernels.h"

/* Portable: 128-bit generic vectors (SSE2 on x86-64, NEON on arm64, scalarised elsewhere),
 * 6 × 8: 12 accumulators + 2 B vectors + 1 broadcast fit the 16 registers of SSE. */
#define CFK_SUFFIX portable
#define CFK_TARGET
#define CFK_W 4
#define CFK_MR 6
#define CFK_NV 2
#include "ukernel_template.h"
#define CFK_SUFFIX portable
#define CFK_TARGET
#define CFK_W 4
#include "pack_template.h"

#if defined(__x86_64__)
/* AVX2 + FMA, 6 × 16: 12 ymm accumulators + 2 B + 1 broadcast of 16 registers. */
#define CFK_SUFFIX avx2
#define CFK_TARGET __attribute__((target("avx2,fma")))
#define CFK_W 8
#define CFK_MR 6
#define CFK_NV 2
#include "ukernel_template.h"
#define CFK_SUFFIX avx2
#define CFK_TARGET __attribute__((target("avx2,fma")))
#define CFK_W 8
#include "pack_template.h"

/* AVX-512F, 6 × 32: 12 zmm accumulators; broadcasts fold into the FMA's memory operand.
 * (Its panels are packed by the AVX2 copy: every AVX-512 CPU has AVX2, and it is checked.) */
#define CFK_SUFFIX avx512
#define CFK_TARGET __attribute__((target("avx512f,fma")))
#define CFK_W 16
#define CFK_MR 6
#define CFK_NV 2
#include "ukernel_template.h"
#endif

#if defined(__aarch64__)
/* NEON (FMA is part of AArch64), 8 × 12: 24 of the 32 q registers accumulate. */
#define CFK_SUFFIX neon
#define CFK_TARGET
#define CFK_W 4
#define CFK_MR 8
#define CFK_NV 3
#include "ukernel_template.h"
#endif

static int cfk_cpu_supports(int id) {
    switch (id) {
    case CFK_KERNEL_PORTABLE:
        return 1;
#if defined(__x86_64__)
    case CFK_KERNEL_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case CFK_KERNEL_AVX512:
        /* The runtime's check includes the OS saving the zmm state (XCR0). */
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
               __builtin_cpu_supports("fma");
#endif
#if defined(__aarch64__)
    case CFK_KERNEL_NEON:
        return 1;
#endif
    default:
        return 0;
    }
}

int cfk_kernel_query(int id, cfk_kernel_info *info) {
    cfk_kernel_info out = {0, 0, 0, 0, 0, 0, 0};
    switch (id) {
    case CFK_KERNEL_PORTABLE:
        out = (cfk_kernel_info){cfk_sgemm_ukernel_portable, cfk_transpose_portable,
                                 cfk_pack_panels_portable, 6, 8, 4, 0};
        break;
#if defined(__x86_64__)
    case CFK_KERNEL_AVX2:
        out = (cfk_kernel_info){cfk_sgemm_ukernel_avx2, cfk_transpose_avx2, cfk_pack_panels_avx2,
                                 6, 16, 8, 0};
        break;
    case CFK_KERNEL_AVX512:
        out = (cfk_kernel_info){cfk_sgemm_ukernel_avx512, cfk_transpose_avx2, cfk_pack_panels_avx2,
                                 6, 32, 16, 0};
        break;
#endif
#if defined(__aarch64__)
    case CFK_KERNEL_NEON:
        out = (cfk_kernel_info){cfk_sgemm_ukernel_neon, cfk_transpose_portable,
                                 cfk_pack_panels_portable, 8, 12, 4, 0};
        break;
#endif
    default:
        break;
    }
    out.supported = out.kernel != 0 && cfk_cpu_supports(id);
    if (info) *info = out;
    return out.supported;
}

void cfk_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
