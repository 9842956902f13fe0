/* libFuzzer target: full evaluation of structured specs. The fuzzer's bytes drive the spec
   generator of the invariant tests (tests/gen_spec.h: einsum, bounds, levels, mapping, densities,
   formats, SAFs), so nearly every input is a loadable spec and the engine itself is explored;
   evaluated specs must give finite, non-negative results. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "../gen_spec.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    static char text[16384];
    gen_bytes b;
    sm_spec *s;
    sm_stats st;
    sm_error e;
    b.d = data; b.n = size; b.at = 0;
    if (!gen_spec(&b, size > 0 && data[0] & 1, text, sizeof text)) return 0;
    if (sm_spec_load_string(text, "fuzz_eval.ini", NULL, 0, &s, &e) != SM_OK) return 0;
    if (sm_eval(s, &st, &e) == SM_OK) {
        int l, t, a, c;
        if (!(st.cycles >= 0 && st.energy_pj >= 0 && st.utilization >= 0 && st.utilization <= 1 + 1e-9)) abort();
        for (l = 0; l < st.nlevels; l++)
            for (t = 0; t < st.ntensors; t++)
                for (a = 0; a < 3; a++)
                    for (c = 0; c < 3; c++)
                        if (!(st.level[l].t[t].data[a][c] >= -1e-9)) abort();
    }
    sm_spec_free(s);
    return 0;
}
