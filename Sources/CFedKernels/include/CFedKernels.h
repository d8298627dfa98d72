#ifndef CFEDKERNELS_H
#define CFEDKERNELS_H
/* Placeholder header: the micro-kernels are added by the GEMM work. */
int cfk_version(void);
#endif
