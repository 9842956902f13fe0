/* Implementation in this translation unit, header only in two_tu_b.c: they link. Built a second
   time alone with SPARSEMODEL_STATIC, where every function is private to this file. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#ifdef SPARSEMODEL_STATIC
static int two_tu_b(void) { return sm_result_string(SM_OK)[0] == 'o' ? 0 : 1; }
#else
int two_tu_b(void);
#endif
int main(void) { return two_tu_b() == 0 && sm_version_string()[0] == '0' ? 0 : 1; }
