/* bench_eval: evaluations per second of one mapping, in-process, one core: the four dense
   reference designs and the sparse reference cases (formats, SAFs, hypergeometric densities).
   Each is evaluated repeatedly for about 0.5 s of wall time. */
#define _POSIX_C_SOURCE 199309L
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include <string.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec; }

int main(void) {
    static const char *designs[] = { "specs/simple_weight_stationary.ini", "specs/simple_output_stationary.ini", "specs/eyeriss_like.ini", "specs/simba_like.ini",
                                     "tests/ref/04.2.1-eyeriss-like-gating/case.ini", "tests/ref/sparse_tensor_core_like/case.ini",
                                     "tests/ref/eyerissv2_pe_L07/case.ini", "tests/ref/02.2.2-spMspM-tiled/case.ini" };
    size_t i;
    printf("%-28s %14s %12s\n", "design", "evals/s", "us/eval");
    for (i = 0; i < sizeof designs / sizeof designs[0]; i++) {
        char path[256], label[96];
        sm_spec *s;
        sm_stats st;
        sm_error err;
        double t0, t1, sink = 0;
        long n = 0, batch = 1000, k;
        const char *name = strrchr(designs[i], '/') + 1;
        snprintf(path, sizeof path, "%s", designs[i]);
        if (!strcmp(name, "case.ini")) { const char *e = name - 1, *b = e; while (b > designs[i] && b[-1] != '/') b--; snprintf(label, sizeof label, "%.*s", (int)(e - b), b); }
        else snprintf(label, sizeof label, "%.*s", (int)strlen(name) - 4, name);
        if (sm_spec_load_file(path, NULL, 0, &s, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; }
        t0 = now();
        do {
            for (k = 0; k < batch; k++) {
                if (sm_eval(s, &st, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; }
                sink += st.energy_pj;
            }
            n += batch;
            t1 = now();
        } while (t1 - t0 < 0.5);
        printf("%-28s %14.0f %12.3f\n", label, (double)n / (t1 - t0), 1e6 * (t1 - t0) / (double)n);
        if (sink < 0) printf("impossible\n");
        sm_spec_free(s);
    }
    return 0;
}
