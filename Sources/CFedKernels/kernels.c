#include "CFedKernels.h"
int cfk_version(void) { return 1; }
