/* bench_map: mapper throughput and time to solution on the 15 Timeloop/Sparseloop reference cases.
   For each case: the EDP of the given mapping (Timeloop's mapper or the authors'), then the mapper on
   the same spec with its [mapping] section cut out, with the default budget (200000 evaluations,
   seed 0 unless --seed S), on one thread unless --threads N. Prints valid mappings evaluated per second per core,
   the search time and when the best was found, and both EDPs.
     build/bench_map [--threads N] [--evals N] [--seed S] [CASE...]          (make bench) */
#define _POSIX_C_SOURCE 200809L
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include <dirent.h>

static const char *const cases[] = {
    "01.2.1-DUDU-dot-product", "01.2.2-SUDU-dot-product", "01.2.3-SCDU-dot-product", "02.2.1-spMspM", "02.2.2-spMspM-tiled",
    "03.2.1-conv1d", "03.2.2-conv1d+oc", "03.2.3-conv1d+oc-spatial", "04.2.1-eyeriss-like-gating", "eyeriss_like",
    "eyerissv2_pe_L07", "simba_like", "simple_output_stationary", "simple_weight_stationary", "sparse_tensor_core_like" };

/* The file's text without its [mapping] section. */
static char *without_mapping(const char *path) {
    FILE *f = fopen(path, "r");
    char line[4096], *out;
    size_t n = 0, cap = 1 << 16;
    int skip = 0;
    if (!f || !(out = (char *)malloc(cap))) { if (f) fclose(f); return NULL; }
    while (fgets(line, sizeof line, f)) {
        size_t k = strlen(line);
        if (line[0] == '[') skip = !strncmp(line, "[mapping]", 9);
        if (skip) continue;
        if (n + k + 1 > cap) { char *o = (char *)realloc(out, cap *= 2); if (!o) { free(out); fclose(f); return NULL; } out = o; }
        memcpy(out + n, line, k);
        n += k;
    }
    out[n] = 0;
    fclose(f);
    return out;
}

int main(int argc, char **argv) {
    const char *root = "../shared/reference/timeloop", *only[32];
    int nonly = 0, threads = 1, i;
    unsigned long long seed = 0;
    double evals = 0, sum_valid = 0, sum_time = 0;
    size_t c;
    DIR *dir;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--evals") && i + 1 < argc) evals = atof(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (nonly < 32) only[nonly++] = argv[i];
    }
    if (!(dir = opendir(root))) root = "tests/ref";
    else closedir(dir);
    printf("mapper on the reference cases (%s): default budget%s, seed %llu, %d thread%s\n", root, evals > 0 ? " overridden" : "", seed, threads, threads > 1 ? "s" : "");
    printf("%-27s %12s %12s %7s %-10s %9s %8s %11s %8s %8s\n", "case", "given EDP", "found EDP", "ratio", "search", "evals", "valid", "valid/s/core", "time s", "best s");
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char path[512], *text;
        sm_spec *given = NULL, *s = NULL;
        sm_stats st;
        sm_error err;
        sm_map_desc d;
        sm_map_result *r;
        double gedp;
        if (nonly) { int k, hit = 0; for (k = 0; k < nonly; k++) hit |= !strcmp(only[k], cases[c]); if (!hit) continue; }
        snprintf(path, sizeof path, "%s/%s/case.ini", root, cases[c]);
        if (sm_spec_load_file(path, NULL, 0, &given, &err) != SM_OK || sm_eval(given, &st, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; }
        gedp = st.energy_pj * st.cycles;
        sm_spec_free(given);
        if (!(text = without_mapping(path)) || sm_spec_load_string(text, path, NULL, 0, &s, &err) != SM_OK) { fprintf(stderr, "%s\n", text ? err.text : "cannot read"); return 1; }
        free(text);
        if (s->mapping_loc.line) { fprintf(stderr, "%s: the mapping was not removed\n", path); return 1; }
        if (sm_map_desc_from_spec(s, &d, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; }
        d.threads = threads;
        d.seed = seed;
        if (evals > 0) d.evals = evals;
        r = (sm_map_result *)malloc(sizeof *r);
        if (!r || sm_map(s, &d, r, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; }
        printf("%-27s %12.6g %12.6g %7.3f %-10s %9.0f %8.0f %11.0f %8.2f %8.2f%s\n", cases[c], gedp, r->edp, r->edp / gedp,
               r->search == SM_SEARCH_EXHAUSTIVE ? "exhaustive" : r->search == SM_SEARCH_RANDOM ? "random" : "anneal", r->evals, r->valid,
               r->valid / r->seconds / threads, r->seconds, r->seconds_to_best, r->edp <= gedp * (1 + 1e-9) ? "" : "  WORSE");
        fflush(stdout);
        sum_valid += r->valid;
        sum_time += r->seconds * threads;
        free(r);
        sm_spec_free(s);
    }
    printf("all cases: %.0f valid mappings in %.1f core-seconds = %.0f valid mappings/s/core (Timeloop's mapper: ~200)\n", sum_valid, sum_time, sum_valid / sum_time);
    return 0;
}
