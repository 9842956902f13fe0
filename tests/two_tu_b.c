#include "sparsemodel.h"
int two_tu_b(void) { return sm_result_string(SM_OK)[0] == 'o' ? 0 : 1; }
