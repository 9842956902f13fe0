/* Unit tests of [@tasd]: kept/dropped non-zeros of TASD series against brute-force enumeration of
   small blocks and seeded sampling, the Fig. 4 example exactly, magnitudes and the GEMM error model
   against direct computation, the search, series execution (sm_stats_series), and structured-sparse
   cycles = N/M of dense on the reference GEMM (the sparse_tensor_core_like case's hierarchy). */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "test_common.h"

static int NEAR(double a, double b, double tol) { return fabs(a - b) <= tol * (fabs(b) > 1 ? fabs(b) : 1); }

/* Expected kept non-zeros of a series over every non-zero pattern of one block of the largest M,
   weighted by its i.i.d. probability; the decomposition runs on distinct values. */
static double brute_kept(double d, const sm_series *s) {
    int M = s->m[s->nterms - 1], j;
    unsigned long x, n = 1ul << M;
    double e = 0, vals[16];
    for (x = 0; x < n; x++) {
        int k = 0;
        double p;
        for (j = 0; j < M; j++) { vals[j] = (x >> j & 1) ? 1.0 + j * 0.37 - (j % 3) * 0.5 : 0; k += (int)(x >> j & 1); }
        p = pow(d, k) * pow(1 - d, M - k);
        e += p * sm_tasd_decompose(vals, 1, M, s, NULL, NULL);
    }
    return e / (M * d);
}

static void test_counts_brute(void) {
    static const sm_series ser[] = { { 1, { 2 }, { 4 } }, { 1, { 3 }, { 8 } }, { 2, { 2, 2 }, { 4, 8 } }, { 2, { 4, 1 }, { 8, 8 } },
                                     { 3, { 2, 2, 2 }, { 4, 8, 16 } }, { 2, { 1, 1 }, { 2, 8 } } };
    static const double dens[] = { 0.05, 0.3, 0.5, 0.8 };
    int i, j;
    for (i = 0; i < (int)(sizeof ser / sizeof ser[0]); i++)
        for (j = 0; j < 4; j++) {
            sm_tasd_stats st;
            sm_tasd_counts(dens[j], &ser[i], &st);
            T(NEAR(st.kept, brute_kept(dens[j], &ser[i]), 1e-9));
        }
    {   /* same-M series equal the single pattern: 4:8+1:8 = 5:8; the digest's table */
        sm_series a = { 2, { 4, 1 }, { 8, 8 } }, b = { 1, { 5 }, { 8 } }, c = { 1, { 2 }, { 8 } };
        sm_tasd_stats x, y;
        sm_tasd_counts(0.5, &a, &x); sm_tasd_counts(0.5, &b, &y);
        T(NEAR(x.kept, y.kept, 1e-12) && NEAR(x.kept, 0.9541, 1e-4) && x.slots == 0.625);
        sm_tasd_counts(0.05, &c, &x);
        T(NEAR(x.kept, 0.9846, 1e-4));
    }
}

static void test_counts_sampling(void) {
    static const sm_series s = { 2, { 2, 2 }, { 4, 8 } };
    sm_tasd_stats ex, mc;
    sm_tasd_counts(0.6, &s, &ex);
    sm_tasd_values(0.6, &s, SM_VALUES_NORMAL, 40000, 99, &mc);
    T(fabs(ex.dropped - mc.dropped) < 0.003);
    sm_tasd_values(0.6, &s, SM_VALUES_NORMAL, 40000, 99, &ex);
    T(ex.dropped == mc.dropped && ex.dropped_magnitude == mc.dropped_magnitude);   /* seeded: reproducible */
    T(mc.dropped_magnitude < mc.dropped);   /* keep-largest drops small values */
}

/* Fig. 4 (TASD L129-L144) on a matrix consistent with the text: 70%/84%, 90%/96%, lossless. */
static void test_fig4(void) {
    static const double A[16] = { 1, 2, 3, 5, 0, 0, 2, 0, 1, 0, 2, 4, 3, 0, 2, 0 };
    sm_series s24 = { 1, { 2 }, { 4 } }, s34 = { 1, { 3 }, { 4 } }, s248 = { 2, { 2, 2 }, { 4, 8 } };
    double res[16], terms[32], left = 0;
    int j;
    T(sm_tasd_decompose(A, 2, 8, &s24, NULL, res) == 7);
    for (j = 0; j < 16; j++) left += res[j];
    T(left == 4);   /* 84% of 25 kept */
    T(sm_tasd_decompose(A, 2, 8, &s34, NULL, res) == 9);
    for (left = 0, j = 0; j < 16; j++) left += res[j];
    T(left == 1);   /* 96% */
    T(sm_tasd_decompose(A, 2, 8, &s248, terms, res) == 10);
    for (left = 0, j = 0; j < 16; j++) left += res[j] + terms[j] + terms[16 + j] - A[j];
    T(left == 0);   /* A = A1 + A2 exactly */
    T(terms[16 + 0] == 1 && terms[16 + 1] == 2 && terms[16 + 8] == 1);   /* the 2:8 term holds the 2:4 residual */
}

/* Uniform magnitudes, one term: E[dropped] = sum_k P(k) (k-N)(k-N+1) / (2 (k+1)) per block. */
static void test_magnitude(void) {
    sm_series s = { 1, { 2 }, { 8 } };
    double d = 0.4, exp_drop = 0, k;
    sm_tasd_stats mc;
    for (k = 3; k <= 8; k++) exp_drop += exp(sm__lchoose(8, k)) * pow(d, k) * pow(1 - d, 8 - k) * (k - 2) * (k - 1) / (2 * (k + 1));
    sm_tasd_values(d, &s, SM_VALUES_UNIFORM, 60000, 5, &mc);
    T(fabs(mc.dropped_magnitude - exp_drop / (8 * d * 0.5)) < 0.01);
    /* pseudo-density of U(0,1): the top fraction q holds 1 - (1 - q)^2 of the mass */
    T(NEAR(sm_tasd_pseudo_density(SM_VALUES_UNIFORM, 0.99), 1 - sqrt(0.01), 1e-6));
    T(sm_tasd_pseudo_density(SM_VALUES_GELU, 0.99) < sm_tasd_pseudo_density(SM_VALUES_NORMAL, 0.99));
}

/* The error model against a direct product of seeded random matrices (64 x 64). */
static void test_error(void) {
    enum { N = 64 };
    static double A[N * N], B[N * N], R[N * N];
    sm_series s = { 1, { 2 }, { 8 } };
    sm__rng seed = { 77 };
    double num = 0, den = 0, model;
    int t, i, j, k;
    for (t = 0; t < 6; t++) {
        for (i = 0; i < N * N; i++) { A[i] = sm__rand01(&seed) < 0.5 ? sm__rand01(&seed) : 0; B[i] = sm__rand01(&seed); }
        sm_tasd_decompose(A, N, N, &s, NULL, R);   /* R = A - A* */
        for (i = 0; i < N; i++)
            for (j = 0; j < N; j++) {
                double x = 0, y = 0;
                for (k = 0; k < N; k++) { x += R[i * N + k] * B[k * N + j]; y += A[i * N + k] * B[k * N + j]; }
                num += x * x; den += y * y;
            }
    }
    model = sm_tasd_error(0.5, &s, SM_VALUES_UNIFORM, N, 0.5, 1.0 / 12, 40000, 3);
    T(fabs(model - sqrt(num / den)) < 0.05 * sqrt(num / den));
    {   /* Fig. 6 trends: N:4 worse than N:8 at the same approximated sparsity; sparser A, smaller error */
        sm_series a = { 1, { 1 }, { 4 } }, b = { 1, { 2 }, { 8 } };
        double e4 = sm_tasd_error(0.8, &a, SM_VALUES_UNIFORM, 256, 0.5, 1.0 / 12, 20000, 1), e8 = sm_tasd_error(0.8, &b, SM_VALUES_UNIFORM, 256, 0.5, 1.0 / 12, 20000, 1);
        double s8 = sm_tasd_error(0.2, &b, SM_VALUES_UNIFORM, 256, 0.5, 1.0 / 12, 20000, 1);
        T(e4 > e8 && s8 < e8);
    }
}

static void test_search(void) {
    static const sm_series opts[] = { { 1, { 1 }, { 8 } }, { 1, { 2 }, { 8 } }, { 1, { 4 }, { 8 } }, { 2, { 2, 1 }, { 8, 8 } }, { 2, { 4, 1 }, { 8, 8 } } };
    sm_tasd_layer L[3];
    memset(L, 0, sizeof L);
    L[0].macs = 100; L[0].density = 0.05;   /* 2:8 drops 1.5%, 3:8 0.1% */
    L[1].macs = 100; L[1].density = 0.3;
    L[2].macs = 100; L[2].density = 0.9;
    sm_tasd_search_layerwise(opts, 5, SM_TASD_DROPPED_NONZEROS, 0.01, NULL, NULL, L, 3);
    T(L[0].choice == 3 && L[0].cost == 37.5);           /* 2:8+1:8 */
    T(L[1].choice == 4 && L[1].dropped <= 0.01);        /* 5:8 (drops 0.5%) */
    T(L[2].choice == -1 && L[2].cost == 100);           /* nothing fits: dense */
    T(sm_tasd_search_networkwise(opts, 5, SM_TASD_DROPPED_NONZEROS, 0.1, NULL, NULL, L, 2) == 2);   /* 4:8 keeps both layers within 10% */
    T(sm_tasd_select_alpha(opts, 5, 0.7, 0.0) == 3);   /* sparsity 70%: the most aggressive option below it, 3:8 (62.5%)... */
    T(sm_tasd_select_alpha(opts, 5, 0.7, 0.1) == 1);   /* ...with alpha 0.1: 2:8 (75%) */
    T(sm_tasd_select_alpha(opts, 5, 0.1, 0.0) == -1);
    {
        sm_series s = { 2, { 4, 1 }, { 8, 8 } };
        T(NEAR(sm_tasd_unit_energy(8, &s, 1), 35, 1e-12));   /* (4 + 1) extractions x 7 comparisons */
    }
}

/* The reference GEMM on the reference case's hierarchy (specs/arch/ttc.ini): compute cycles of an N:M
   term are N/M of dense; the reference case's own mapping reproduces its 65536 cycles. */
static double ttc_cycles(int n, int m, double *compute) {
    char b1[128], b2[128], b3[128], f1[160], f2[160], f3[64];
    const char *sets[12];
    int ns = 0, e = 16 * m / n, mdb = m <= 4 ? 2 : 3;
    sm_spec *s;
    sm_stats st;
    sm_error err;
    double c;
    snprintf(b1, sizeof b1, "mapping.RF.spatial_x=K%d", e);
    snprintf(b2, sizeof b2, "mapping.RF.temporal=K%d", 1024 / e);
    sets[ns++] = b1; sets[ns++] = b2;
    if (n < m) {
        snprintf(b3, sizeof b3, "density.A=fixed %g", (double)n / m);
        snprintf(f1, sizeof f1, "format DRAM.A=UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 CP:%d:0", mdb);
        snprintf(f2, sizeof f2, "format SMEM.A=UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 CP:%d:0", mdb);
        snprintf(f3, sizeof f3, "format LRF.A=CP:%d:0", mdb);
        sets[ns++] = b3; sets[ns++] = f1; sets[ns++] = f2; sets[ns++] = f3;
        sets[ns++] = "format DRAM.A.order=inner_to_outer"; sets[ns++] = "format SMEM.A.order=inner_to_outer";
    }
    if (sm_spec_load_file("specs/arch/ttc.ini", sets, ns, &s, &err) != SM_OK) { printf("%s\n", err.text); return -1; }
    if (sm_eval(s, &st, &err) != SM_OK) { printf("%s\n", err.text); sm_spec_free(s); return -1; }
    c = st.cycles;
    if (compute) *compute = st.compute_cycles;
    sm_spec_free(s);
    return c;
}

static void test_structured_cycles(void) {
    double dense, c24, c48, c28, c18, cc;
    dense = ttc_cycles(1, 1, NULL);
    T(dense == 131072);                                   /* 512 x 256 x 1024 / 1024 MACs */
    c24 = ttc_cycles(2, 4, &cc); T(cc == dense * 2 / 4 && c24 == 65536);
    ttc_cycles(4, 8, &cc); T(cc == dense * 4 / 8);
    c28 = ttc_cycles(2, 8, &cc); T(cc == dense * 2 / 8 && c28 >= cc);   /* may be bandwidth-bound (B from the SMEM) */
    c18 = ttc_cycles(1, 8, &cc); T(cc == dense * 1 / 8 && c18 >= cc);
    (void)c48;
    {   /* the reference case itself, when the shared reference is reachable */
        sm_spec *s;
        sm_stats st;
        sm_error err;
        if (sm_spec_load_file("../shared/reference/timeloop/sparse_tensor_core_like/case.ini", NULL, 0, &s, &err) == SM_OK) {
            T(sm_eval(s, &st, &err) == SM_OK && st.cycles == dense * 2 / 4);
            sm_spec_free(s);
        }
    }
}

/* Two identical terms: everything doubles, except B above the SMEM and Z above the RF. */
static void test_series_stats(void) {
    sm_spec *s;
    sm_stats one, two[2], sum;
    sm_error err;
    static const int resident[3] = { -1, 1, 2 };
    if (sm_spec_load_file("specs/arch/ttc.ini", NULL, 0, &s, &err) != SM_OK) { T(0); return; }
    T(sm_eval(s, &one, &err) == SM_OK);
    two[0] = two[1] = one;
    sm_stats_series(two, 2, resident, &sum);
    T(sum.cycles == 2 * one.cycles && sum.computes == 2 * one.computes);
    T(sum.level[0].t[0].reads == 2 * one.level[0].t[0].reads);   /* A from DRAM: per term */
    T(sum.level[0].t[1].reads == one.level[0].t[1].reads);       /* B from DRAM: once */
    T(sum.level[1].t[1].reads == 2 * one.level[1].t[1].reads);   /* B from the SMEM: per term */
    T(sum.level[0].t[2].updates == one.level[0].t[2].updates);   /* Z to DRAM: once */
    T(sum.level[2].t[2].updates == 2 * one.level[2].t[2].updates);
    T(NEAR(sum.energy_pj, 2 * one.energy_pj - one.level[0].t[1].energy_pj - one.level[0].t[2].energy_pj, 1e-9));
    sm_spec_free(s);
}

int main(void) {
    test_counts_brute();
    test_counts_sampling();
    test_fig4();
    test_magnitude();
    test_error();
    test_search();
    test_structured_cycles();
    test_series_stats();
    return test_done();
}
