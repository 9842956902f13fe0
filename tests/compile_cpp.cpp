// The header's declarations compile as C++.
#include "sparsemodel.h"
int sm_test_compile_cpp() { sm_stats st = {}; return st.nlevels + (int)sm_result_string(SM_OK)[0]; }
