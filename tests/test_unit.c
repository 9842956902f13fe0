/* Unit tests, grouped by section tag. Reaches sm__ internals: it defines the implementation. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "test_common.h"

static sm_spec *load(const char *text, sm_error *err) {
    sm_spec *s = NULL;
    if (sm_spec_load_string(text, "unit.ini", NULL, 0, &s, err) != SM_OK) return NULL;
    return s;
}

/* [@workload] */
static void test_einsum(void) {
    sm_problem p;
    sm_error e;
    memset(&p, 0, sizeof p);
    T(sm_einsum_parse("Outputs[n,m,p,q] += Weights[m,c,r,s] * Inputs[n,c,2*p+r,2*q+s]", &p, NULL, &e) == SM_OK);
    T(p.ndims == 7 && p.ntensors == 3);
    T(!strcmp(p.tensors[2].name, "Outputs") && p.tensors[2].is_output && !p.tensors[0].is_output);
    T(p.tensors[1].nranks == 4 && p.tensors[1].ranks[2].nterms == 2);
    T(p.tensors[1].ranks[2].terms[0].coef == 2 && p.tensors[1].ranks[2].terms[0].dim == sm_problem_dim(&p, "p"));
    T(sm_einsum_parse("Z[m,n] += A[m,k] * B[k,n]", &p, NULL, &e) == SM_OK && p.ndims == 3);
    T(sm_einsum_parse("Z[b,m,n] += A[b,m,k] * B[b,k,n]", &p, NULL, &e) == SM_OK && p.ndims == 4);
    T(sm_einsum_parse("O[q] += W[s] * I[q + s*3]", &p, NULL, &e) == SM_OK && p.tensors[1].ranks[0].terms[1].coef == 3);
    T(sm_einsum_parse("Z[m] += A[m", &p, NULL, &e) == SM_ERR_EINSUM);
    T(sm_einsum_parse("Z[m] A[m]", &p, NULL, &e) == SM_ERR_EINSUM);
    T(sm_einsum_parse("Z[m] += A[m+1]", &p, NULL, &e) == SM_ERR_EINSUM);
    T(sm_einsum_parse("Z[m] += Z[m]", &p, NULL, &e) == SM_ERR_EINSUM);
}

/* [@nest] tile arithmetic: |S ∩ (S+shift)| against brute force */
static double brute(const sm_rank *r, const double *ext, long shift) {
    static char in[1 << 16];
    long span = 0, x, cnt = 0, idx[SM_MAX_TERMS] = {0};
    int i;
    for (i = 0; i < r->nterms; i++) span += r->terms[i].coef * (long)(ext[r->terms[i].dim] - 1);
    memset(in, 0, (size_t)span + 1);
    for (;;) {
        long v = 0;
        for (i = 0; i < r->nterms; i++) v += r->terms[i].coef * idx[i];
        in[v] = 1;
        for (i = 0; i < r->nterms; i++) { if (++idx[i] < (long)ext[r->terms[i].dim]) break; idx[i] = 0; }
        if (i == r->nterms) break;
    }
    for (x = 0; x <= span; x++) if (in[x] && x + shift >= 0 && x + shift <= span && in[x + shift]) cnt++;
    return (double)cnt;
}

static void test_tiles(void) {
    sm_rank r;
    double ext[4];
    int ok = 1, n = 0;
    long c0, c1, e0, e1, sh;
    memset(&r, 0, sizeof r);
    r.nterms = 2;
    r.terms[0].dim = 0; r.terms[1].dim = 1;
    for (c0 = 1; c0 <= 4; c0++) for (c1 = 1; c1 <= 5; c1++) for (e0 = 1; e0 <= 5; e0++) for (e1 = 1; e1 <= 6; e1++)
        for (sh = -12; sh <= 12; sh++) {
            r.terms[0].coef = c0; r.terms[1].coef = c1;
            ext[0] = (double)e0; ext[1] = (double)e1;
            if (sm__rank_overlap(&r, ext, (double)sh) != brute(&r, ext, sh)) ok = 0;
            n++;
        }
    T(ok && n > 10000);
    r.nterms = 3; r.terms[2].dim = 2;
    ok = 1;
    for (c0 = 2; c0 <= 3; c0++) for (e0 = 1; e0 <= 4; e0++) for (sh = 0; sh <= 9; sh++) {
        r.terms[0].coef = c0; r.terms[1].coef = 5; r.terms[2].coef = 7;
        ext[0] = (double)e0; ext[1] = 3; ext[2] = 2;
        if (sm__rank_overlap(&r, ext, (double)sh) != brute(&r, ext, sh)) ok = 0;
    }
    T(ok);
    /* stride-2 3x3 window: 8 outputs need 17 inputs, a 1x1 stride-2 window 8 */
    r.nterms = 2; r.terms[0].coef = 1; r.terms[1].coef = 2; ext[0] = 3; ext[1] = 8;
    T(sm__rank_overlap(&r, ext, 0) == 17);
    ext[0] = 1;
    T(sm__rank_overlap(&r, ext, 0) == 8);
}

static const char *BASE =
    "[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=4 n=6 k=8\n"
    "[arch]\nname = t\n[level DRAM]\nread_pj = 10\nwrite_pj = 10\n"
    "[level buf]\nsize = 1000\ninstances = 4\nmesh_x = 4\nread_pj = 1\nwrite_pj = 1\n"
    "[compute mac]\ninstances = 4\nmac_pj = 0.5\n"
    "[mapping]\nDRAM.temporal = n6\nDRAM.spatial_x = m4\nbuf.temporal = k8\n";

/* [@eval] factorization checks and counts on a small GEMM worked by hand */
static void test_eval(void) {
    sm_error e;
    sm_stats st;
    sm_spec *s = load(BASE, &e);
    T(s != NULL);
    if (!s) { printf("%s\n", e.text); return; }
    T(sm_eval(s, &st, &e) == SM_OK);
    /* A[m,k]: each of 4 buf instances holds one row (8 words), kept over n: fills 8 each */
    T(st.level[1].t[0].fills == 32 && st.level[1].t[0].tile == 8);
    /* B[k,n]: new column per n step, multicast to the 4 instances: DRAM reads 48 */
    T(st.level[1].t[1].fills == 4 * 48 && st.level[0].t[1].reads == 48);
    /* Z: 8 updates per output at buf, first-read elision: reads = 8*24 - 24 */
    T(st.level[1].t[2].updates == 192 && st.level[1].t[2].reads == 168 && st.level[0].t[2].updates == 24);
    T(st.cycles == 48 && st.computes == 192 && st.utilization == 1.0);
    T(st.compute_energy_pj == 96);
    /* factor products must match bounds */
    s->map[1].temporal.loops[0].factor = 4;
    T(sm_eval(s, &st, &e) == SM_ERR_MAPPING && strstr(e.text, "dim k") != NULL);
    s->map[1].temporal.loops[0].factor = 16;
    T(sm_eval(s, &st, &e) == SM_ERR_MAPPING);
    s->map[1].temporal.loops[0].factor = 8;
    /* fanout: 4 instances under DRAM, m4 fits, m8 does not */
    s->problem.bounds[0] = 8;
    s->map[0].spatial_x.loops[0].factor = 8;
    T(sm_eval(s, &st, &e) == SM_ERR_FANOUT && strstr(e.text, "X fanout") != NULL);
    /* capacity with double buffering: tiles 8 + 8 + 1 = 17 words */
    s->problem.bounds[0] = 4;
    s->map[0].spatial_x.loops[0].factor = 4;
    s->levels[1].size = 33; s->levels[1].multiple_buffering = 2;
    T(sm_eval(s, &st, &e) == SM_ERR_CAPACITY);
    s->levels[1].size = 34;
    T(sm_eval(s, &st, &e) == SM_OK);
    /* bandwidth throttling: per buf instance 48 A + 48 B + 42 Z reads in 48 compute cycles;
       at 1 word/cycle that takes 138 cycles */
    s->levels[1].read_bw = 1;
    T(sm_eval(s, &st, &e) == SM_OK && st.level[1].slowdown < 1 && st.cycles == 138 && st.level[1].cycles == 138);
    sm_spec_free(s);
}

/* [@spec] loader: later keys win, --set, includes resolved relative to the file */
static void test_loader(void) {
    sm_error e;
    sm_stats st;
    sm_spec *s = NULL;
    const char *sets[] = { "level buf.size=500", "mapping.buf.keep=A Z" };
    char text[2048];
    snprintf(text, sizeof text, "%s[level buf]\nsize = 2000\n", BASE);
    s = load(text, &e);
    T(s && s->levels[1].size == 2000);
    sm_spec_free(s);
    T(sm_spec_load_string(BASE, "unit.ini", sets, 2, &s, &e) == SM_OK && s->levels[1].size == 500 && s->map[1].bypass == 2u);
    if (s) { T(sm_eval(s, &st, &e) == SM_OK && st.level[1].t[1].reads == 0); sm_spec_free(s); }
    T(sm_spec_load_file("tests/data/includer.ini", NULL, 0, &s, &e) == SM_OK);
    if (s) { T(s->nlevels == 2 && s->levels[1].size == 777); sm_spec_free(s); }
    else printf("%s\n", e.text);
}

/* [@eval] the reference designs: cycles and a few counts (full parity runs in run_tests.sh) */
static void test_reference_designs(void) {
    sm_error e;
    sm_stats st;
    sm_spec *s = NULL;
    T(sm_spec_load_file("specs/eyeriss_like.ini", NULL, 0, &s, &e) == SM_OK);
    if (!s) return;
    T(sm_eval(s, &st, &e) == SM_OK && st.cycles == 86016 && st.level[1].t[1].fills == 156600);
    sm_spec_free(s);
}

int main(void) {
    test_einsum();
    test_tiles();
    test_eval();
    test_loader();
    test_reference_designs();
    return test_done();
}
