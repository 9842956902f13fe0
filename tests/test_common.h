/* What every unit-test program shares: the pass/fail counters, T(cond) and the summary line that
   tests/run_tests.sh reads ("unit: N passed, M failed"). Include it after sparsemodel.h; each
   program keeps its own NEAR (their tolerances differ on purpose). T_PRINT_LIMIT caps the FAIL
   lines printed (the invariant suite's thousands of random cases). */
#ifndef TEST_COMMON_H
#define TEST_COMMON_H
#include <stdio.h>
#ifndef T_PRINT_LIMIT
#define T_PRINT_LIMIT 2147483647
#endif
static int passed, failed;
#define T(cond) do { if (cond) passed++; else { failed++; if (failed <= T_PRINT_LIMIT) printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)
static int test_done(void) {
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
#endif
