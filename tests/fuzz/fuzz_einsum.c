/* libFuzzer target: the einsum parser alone. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    char text[2048];
    sm_problem p;
    sm_error e;
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = 0;
    memset(&p, 0, sizeof p);
    if (sm_einsum_parse(text, &p, NULL, &e) == SM_OK && (p.ntensors < 2 || p.ndims < 1)) abort();
    return 0;
}
