/* The header alone (declarations only) compiles as C99 with -pedantic -Werror. */
#include "sparsemodel.h"
int sm_test_compile_c(void) { sm_error e = {SM_OK, {{0}, 0}, {0}}; return (int)e.code + SM_SPEC_VERSION; }
