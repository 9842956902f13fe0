/* Unit tests of the SIGMA mechanisms: networks ([@network]), the fold model of GEMM arrays
   ([@array]), their spec keys, and the format arithmetic behind Fig. 7. Reaches sm__ internals. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "test_common.h"

#define NEAR(a, b, rel) sm_near((double)(a), (double)(b), rel)
static int sm_near(double a, double b, double rel) { return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + 1e-12; }

static sm_spec *load(const char *text, sm_error *err) {
    sm_spec *s = NULL;
    if (sm_spec_load_string(text, "sigma_unit.ini", NULL, 0, &s, err) != SM_OK) return NULL;
    return s;
}

/* A unit-cost component table: counts come out as energies and areas. */
static sm_unit_costs unit_costs(void) {
    sm_unit_costs c;
    memset(&c, 0, sizeof c);
    c.mult_pj = c.mult_um2 = 1;
    c.add_pj = c.add_um2 = 1;
    c.reg_pj_bit = c.reg_um2_bit = 1;
    c.mux_pj_bit = c.mux_um2_bit = 1;
    c.cmp_pj_bit = c.cmp_um2_bit = 1;
    return c;
}

/* [@network] component counts against the paper's descriptions */
static void test_networks(void) {
    sm_unit_costs c = unit_costs();
    sm_net_desc n;
    sm_net_parts o, lin, art, fan;
    sm_error e;
    int i, trail[31], lvl_count[5] = {0}, ff = 0;
    memset(&n, 0, sizeof n);
    n.word_bits = 1;
    /* Fig. 6a: a 32-wide FAN has 31 adders; adder i sits at level trailing-ones(i): 16, 8, 4, 2, 1 */
    for (i = 0; i < 31; i++) { int t = 0, x = i; while (x & 1) { t++; x >>= 1; } trail[i] = t; lvl_count[t]++; ff += t * (t - 1); }
    T(lvl_count[0] == 16 && lvl_count[1] == 8 && lvl_count[2] == 4 && lvl_count[3] == 2 && lvl_count[4] == 1);
    n.kind = SM_NET_FAN; n.ports = 32;
    T(sm_net_parts_eval(&n, &c, &o, &e) == SM_OK);
    T(o.adders == 31 && o.latency == 5 && o.levels == 5);
    T(o.reg_bits == 31 + ff);   /* one pipeline register per adder + a flop per level a forwarding link skips */
    (void)trail;
    /* Benes (L161): 2 log2 N + 1 levels of N switches; a word passes one 2:1 mux per level */
    n.kind = SM_NET_BENES; n.ports = 128;
    T(sm_net_parts_eval(&n, &c, &o, &e) == SM_OK && o.levels == 15 && o.mux_bits == 15 * 128 * 2 && o.latency == 1);
    T(NEAR(o.word_pj, 15, 1e-12));
    /* crossbar: N^2 area (L170) */
    n.kind = SM_NET_CROSSBAR; n.ports = 64;
    T(sm_net_parts_eval(&n, &c, &o, &e) == SM_OK && o.mux_bits == 64 * 63);
    n.ports = 128;
    { double a64 = o.area_um2; T(sm_net_parts_eval(&n, &c, &o, &e) == SM_OK && NEAR(o.area_um2 / a64, 128.0 * 127 / (64.0 * 63), 1e-12)); }
    /* latencies: chains O(N), trees O(log2 N), temporal O(m) (L174-180) */
    n.kind = SM_NET_LINEAR; n.ports = 512;
    T(sm_net_latency(&n, 20) == 511);
    n.kind = SM_NET_TEMPORAL; T(sm_net_latency(&n, 20) == 20);
    n.kind = SM_NET_ART; T(sm_net_latency(&n, 20) == 9);
    n.kind = SM_NET_SYSTOLIC; n.ports = 128; T(sm_net_latency(&n, 0) == 127);
    /* ART's three-input adders default to two adders: about twice a chain's area */
    n.word_bits = 32; n.ports = 512;
    n.kind = SM_NET_LINEAR; T(sm_net_parts_eval(&n, &c, &lin, &e) == SM_OK);
    n.kind = SM_NET_ART; T(sm_net_parts_eval(&n, &c, &art, &e) == SM_OK);
    n.kind = SM_NET_FAN; T(sm_net_parts_eval(&n, &c, &fan, &e) == SM_OK);
    T(art.adders3 == 511 && NEAR(art.area_um2, 2 * 511 + 511 * 32, 1e-12));
    c.add_um2 = 4000;   /* with an FP32 adder a few hundred register bits big, FAN sits between chain and ART */
    n.kind = SM_NET_LINEAR; T(sm_net_parts_eval(&n, &c, &lin, &e) == SM_OK);
    n.kind = SM_NET_ART; T(sm_net_parts_eval(&n, &c, &art, &e) == SM_OK);
    n.kind = SM_NET_FAN; T(sm_net_parts_eval(&n, &c, &fan, &e) == SM_OK);
    T(fan.area_um2 > lin.area_um2 && art.area_um2 > fan.area_um2);
    c.add_um2 = 1;
    n.kind = SM_NET_LINEAR; T(sm_net_parts_eval(&n, &c, &lin, &e) == SM_OK);
    c.energy_scale = 0.5; c.area_scale = 0.25;
    n.kind = SM_NET_LINEAR; T(sm_net_parts_eval(&n, &c, &o, &e) == SM_OK && NEAR(o.wave_pj, 0.5 * lin.wave_pj, 1e-12) && NEAR(o.area_um2, 0.25 * lin.area_um2, 1e-12));
    T(!strcmp(sm_net_kind_name(SM_NET_FAN), "fan") && !strcmp(sm_net_kind_name(SM_NET_SYSTOLIC), "systolic") && sm_net_kind_parse("temporal") == SM_NET_TEMPORAL);
    /* the spec's unit costs set no wire: SIGMA's component model counts no wires */
    n.kind = SM_NET_BENES; n.ports = 128;
    T(sm_net_parts_eval(&n, &c, &o, &e) == SM_OK && o.wave_hops == 128 * 127 && o.wire_pj == 0);
    /* the library fills the component costs (bf16 multiply, fp32 add at 45 nm: Horowitz) */
    {
        sm_unit_costs lib;
        memset(&lib, 0, sizeof lib);
        lib.precision = SM_PREC_BF16; lib.mult_pj = 7;
        T(sm_unit_costs_estimate(&lib, &e) == SM_OK && lib.mult_pj == 7 && NEAR(lib.add_pj, 0.9, 1e-12) && NEAR(lib.add_um2, 4184, 1e-12));
        T(lib.reg_pj_bit > 0 && lib.mux_um2_bit > 0 && lib.cmp_pj_bit > 0);
        lib.tech_nm = 41;
        T(sm_unit_costs_estimate(&lib, &e) == SM_ERR_VALUE);
    }
}

/* [@array] helpers: E[ceil(Binomial / q)] and the run-length padding against brute force */
static void test_helpers(void) {
    int n, q, k;
    double p, brute, lc;
    for (n = 1; n <= 40; n += 13)
        for (q = 1; q <= 16; q *= 4)
            for (p = 0.1; p < 1; p += 0.3) {
                brute = 0;
                for (k = 0; k <= n; k++) {
                    lc = sm__lchoose(n, k) + k * log(p) + (n - k) * log(1 - p);
                    brute += exp(lc) * ceil((double)k / q - 1e-12);
                }
                T(NEAR(sm__binom_ceil(n, p, q), brute, 1e-9));
            }
    /* run-length padding: sum over the run lengths of floor(run / 2^b) for geometric runs */
    for (k = 2; k <= 4; k += 2)
        for (p = 0.3; p < 0.95; p += 0.3) {
            double s = 0, pr;
            int g;
            for (g = 0; g < 2000; g++) { pr = pow(p, g) * (1 - p); s += pr * floor(g / ldexp(1, k)); }
            T(NEAR(sm_run_padding(p, k), s, 1e-9));
        }
    T(sm_run_padding(0, 4) == 0);
}

#define GEMM "[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=128 n=2048 k=4096\n"
#define TPU "[array]\nkind = systolic\nrows = 128\ncols = 128\n"
#define SIGMA "[array]\nkind = flexible\npes = 16384\ngroup = 128\nload_bw = 128\ndistribution = benes\nreduction = fan\nstationary = useful\n"

/* [@array] systolic folds: SCALE-sim's weight-stationary fold, 2R + C + S - 2 */
static void test_systolic(void) {
    sm_error e;
    sm_array_stats st;
    sm_gemm g;
    sm_spec *s = load(GEMM TPU, &e);
    long R, C;
    T(s != NULL);
    if (!s) { printf("%s\n", e.text); return; }
    T(sm_array_eval(s, &st, &e) == SM_OK);
    /* MK stationary: D = 128 along the columns, K = 4096 along the rows: 32 folds of 2R + C + N - 2 */
    T(st.dataflow == SM_DF_A_STA && st.folds == 32 && st.cycles == 32 * (256 + 128 + 2048 - 2));
    T(st.load_cycles == 32 * 128 && st.stream_cycles == 32 * 2048 && st.add_cycles == 32 * 254);
    memset(&g, 0, sizeof g);
    g.batch = 1; g.density_a = g.density_b = 1;
    for (R = 4; R <= 64; R *= 4)
        for (C = 4; C <= 64; C *= 2) {   /* any aspect ratio, both stationary choices, against the closed form */
            double m = 37, n = 101, k = 77, ws, is;
            s->array.rows = R; s->array.cols = C; s->array.nshapes = 0;
            g.m = m; g.n = n; g.k = k;
            T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK);
            is = ceil(m / C) * ceil(k / R) * (2 * R + C + n - 2);
            ws = ceil(n / C) * ceil(k / R) * (2 * R + C + m - 2);
            T(st.cycles == fmin(is, ws));
        }
    /* L325: the 16 x 500000 KN matrix stationary on 128 x 128 uses 16 of 128 columns */
    s->array.rows = s->array.cols = 128;
    g.m = 1024; g.n = 16; g.k = 500000;
    s->array.dataflows = SM_DF_B_STA;
    T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK && NEAR(st.stationary_utilization, 16.0 / 128 * 500000 / (3907 * 128.0), 1e-9));
    /* output stationary: K streamed, R + C - 2 skew and drain per fold */
    s->array.dataflows = SM_DF_OUT_STA;
    g.m = 256; g.n = 256; g.k = 100;
    T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK && st.cycles == 4 * (100 + 128 + 128 - 2));
    /* reshaping (SIGMA_FI): the best of the listed shapes; K = 32 fits a 32-row array */
    s->array.dataflows = 0;
    s->array.nshapes = 2;
    s->array.shape_rows[0] = 128; s->array.shape_cols[0] = 128;
    s->array.shape_rows[1] = 32; s->array.shape_cols[1] = 512;
    g.m = 2048; g.n = 4096; g.k = 32;
    T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK && st.rows == 32 && st.cols == 512);
    /* no sparsity support: sparse operands take the dense cycles */
    {
        double dense;
        g.density_a = g.density_b = 1; T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK); dense = st.cycles;
        g.density_a = 0.2; g.density_b = 0.7; T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK && st.cycles == dense && st.performed == st.computes);
    }
    /* a systolic array cannot stream pairs */
    s->array.dataflows = SM_DF_NO_REUSE;
    T(sm_array_eval_gemm(s, &g, &st, &e) == SM_ERR_UNSUPPORTED);
    sm_spec_free(s);
}

/* [@array] flexible folds: capacity in mapped words, O(1) loading at load_bw, log2 drain */
static void test_flexible(void) {
    sm_error e;
    sm_array_stats st;
    sm_gemm g;
    sm_spec *s = load(GEMM SIGMA, &e);
    double Z, F;
    T(s != NULL);
    if (!s) { printf("%s\n", e.text); return; }
    T(sm_array_eval(s, &st, &e) == SM_OK);
    /* dense: M-sta, 128 x 4096 words = 32 folds of 16384; 128 cycles to load, N streamed, 1 + 1 + 7 drain */
    T(st.dataflow == SM_DF_A_STA && st.folds == 32 && st.cycles == 32 * (128 + 2048 + 9));
    T(st.stationary_utilization == 1 && st.compute_efficiency == 1);
    memset(&g, 0, sizeof g);
    g.batch = 1; g.m = 128; g.n = 2048; g.k = 4096; g.density_a = 0.2; g.density_b = 0.7;
    /* sparse: only the useful non-zeros of A are mapped (bitmap OR/AND, L238) */
    s->array.dataflows = SM_DF_A_STA;
    T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK);
    Z = 128 * 4096 * 0.2 * (1 - pow(0.3, 2048));
    F = ceil(Z / 16384);
    T(NEAR(st.mapped, Z, 1e-12) && st.folds == F);
    T(st.cycles == st.load_cycles + st.stream_cycles + st.add_cycles && st.stream_cycles == F * 2048);
    T(NEAR(st.stationary_utilization, 1, 1e-9));
    /* streamed zeros are multiplied (L134): compute efficiency is the streaming density times the fill */
    T(NEAR(st.compute_efficiency, 0.7 * Z / (F * 16384), 1e-9));
    /* a 2048-1-128 GEMM streams the single stationary column's partner: useful filter with S = 1 */
    g.m = 2048; g.n = 1; g.k = 128; g.density_a = 0.5; g.density_b = 0.5;
    s->array.dataflows = SM_DF_B_STA;
    T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK && NEAR(st.mapped, 128 * 0.5 * (1 - pow(0.5, 2048)), 1e-12));
    /* the streaming bandwidth: 1024-16-500000 N-sta needs 1024 distinct K positions per vector */
    g.m = 1024; g.n = 16; g.k = 500000; g.density_a = g.density_b = 1;
    s->array.stream_bw = 128;
    T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK && st.fold_k == 1024 && st.stream_cycles == st.folds * 1024 * 8);
    s->array.stream_bw = 0;
    T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK && st.stream_cycles == st.folds * 1024);
    /* no local reuse: only effectual pairs, two words each at pair_bw (default load_bw) */
    s->array.dataflows = SM_DF_NO_REUSE;
    g.m = 64; g.n = 64; g.k = 64; g.density_a = 0.5; g.density_b = 0.5;
    T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK && st.performed == st.effectual && st.stream_cycles == ceil(2 * st.effectual / 128));
    /* a tree holds one dot product per group: short segments waste slots (Cambricon-X, L340) */
    {
        double fan_folds;
        s->array.dataflows = SM_DF_A_STA;
        s->array.stationary = SM_STA_NONZERO;
        g.m = 20000; g.n = 64; g.k = 32; g.density_a = 0.2; g.density_b = 1;
        T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK); fan_folds = st.folds;
        s->array.reduction = SM_NET_BINARY; s->array.group = 16;
        T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK && st.folds > 2 * fan_folds);
        T(st.stationary_utilization < 0.5);
    }
    sm_spec_free(s);
}

/* [@array] the competitors' mechanisms: broadcast-bound EIE, merge-bound outer products */
static void test_competitor_mechanisms(void) {
    sm_error e;
    sm_array_stats st;
    sm_gemm g;
    sm_spec *s = load(GEMM "[array]\nkind = flexible\npes = 16384\ndepth = 65536\nload_bw = 128\nstream_bw = 1\ndistribution = bus\n"
                           "reduction = temporal\nstationary = nonzero\nstream_skip = 1\nasync = 1\ndataflows = b_sta\n", &e);
    T(s != NULL);
    if (!s) { printf("%s\n", e.text); return; }
    memset(&g, 0, sizeof g);
    g.batch = 1; g.m = 128; g.n = 256; g.k = 1024; g.density_a = 0.3; g.density_b = 0.2;
    /* one broadcast element per cycle: every streamed vector costs its non-zeros in cycles */
    T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK && st.folds == 1 && st.stream_cycles == 128 * ceil(1024 * 0.3));
    T(st.performed == st.effectual);
    s->array.dataflows = SM_DF_OUTER;
    s->array.accumulate = SM_ACC_MERGE;
    s->array.pair_bw = 0; s->array.load_bw = 0;
    T(sm_array_eval_gemm(s, &g, &st, &e) == SM_OK);
    T(NEAR(st.add_cycles, ceil(st.effectual * log2(1024 * 0.3) / 16384 - 1e-9), 1e-12));
    T(st.stream_cycles >= st.effectual / 16384);
    sm_spec_free(s);
}

/* [@spec] the [array] and [unit_costs] keys */
static void test_array_loader(void) {
    sm_error e;
    sm_spec *s;
    sm_stats st;
    sm_gemm g;
    s = load(GEMM "[array]\nkind = systolic\nshapes = 128x128 256x64\ndataflows = a_sta out_sta\n[density]\nA = uniform 0.25\n"
                  "[unit_costs]\nadd_pj = 0.9\nenergy_scale = 0.5\n[arch]\nclock_ghz = 0.5\n", &e);
    T(s && s->array.kind == SM_ARRAY_SYSTOLIC && s->array.nshapes == 2 && s->array.shape_cols[1] == 64);
    T(s && s->array.dataflows == (SM_DF_A_STA | SM_DF_OUT_STA) && s->unit_costs.add_pj == 0.9 && s->unit_costs.energy_scale == 0.5);
    if (s) {
        T(sm_gemm_of_spec(s, &g, &e) == SM_OK && g.m == 128 && g.n == 2048 && g.k == 4096 && g.batch == 1 && NEAR(g.density_a, 0.25, 1e-6) && g.density_b == 1);
        T(sm_eval(s, &st, &e) == SM_ERR_VALUE && strstr(e.text, "sm_array_eval"));
        sm_spec_free(s);
    }
    s = load("[problem]\neinsum = Z[b,m,n] += A[b,m,k] * B[b,k,n]\nbounds = b=3 m=4 n=5 k=6\n" SIGMA, &e);
    T(s && sm_gemm_of_spec(s, &g, &e) == SM_OK && g.batch == 3 && g.m == 4 && g.n == 5 && g.k == 6);
    sm_spec_free(s);
    s = load("[problem]\neinsum = Z[p] += A[p+r] * B[r]\nbounds = p=4 r=3\n" SIGMA, &e);
    T(s && sm_gemm_of_spec(s, &g, &e) == SM_ERR_UNSUPPORTED);
    sm_spec_free(s);
    /* errors point at the key */
    T(load(GEMM "[array]\nkind = flexible\nreduction = fann\n", &e) == NULL && strstr(e.text, "sigma_unit.ini:6: error: [array] reduction: 'fann' is not one of linear, temporal, binary, art, fan"));
    T(load(GEMM "[array]\nkind = flexible\ndistribution = fan\n", &e) == NULL && strstr(e.text, "sigma_unit.ini:6: error: [array] distribution: 'fan' is not one of bus, crossbar, benes"));
    T(load(GEMM SIGMA "[unit_costs]\nprecision = bf17\n", &e) == NULL && strstr(e.text, "sigma_unit.ini:13: error: [unit_costs] precision: 'bf17'"));
    s = load(GEMM SIGMA "[unit_costs]\nprecision = fp16\nadd_pj = 2\n[arch]\ntechnology = 28\n", &e);
    T(s && s->unit_costs.add_pj == 2 && s->unit_costs.tech_nm == 28 && NEAR(s->unit_costs.mult_pj, 1.1 * sm_tech_energy_scale(28), 1e-9));
    sm_spec_free(s);
    T(load(GEMM "[array]\nkind = systolic\nshapes = 128x128 100x100\n", &e) == NULL && strstr(e.text, "sigma_unit.ini:6: error: [array] shapes: 100x100 has 10000 PEs"));
    T(load(GEMM "[array]\nkind = systolic\ndataflows = a_sta fold\n", &e) == NULL && strstr(e.text, "'fold' is not"));
    T(load(GEMM "[array]\nrows = 4\n", &e) == NULL && strstr(e.text, "sigma_unit.ini:4: error: [array] kind is missing"));
    T(load(GEMM "[array]\nkind = flexible\nstream_skip = 2\n", &e) == NULL && strstr(e.text, "expected 0 or 1"));
    T(load(GEMM "[array]\nkind = flexible\ncartesian = 4by4\n", &e) == NULL && strstr(e.text, "cartesian"));
    T(load(GEMM "[array]\nkind = flexible\nbogus = 1\n", &e) == NULL && strstr(e.text, "unknown key 'bogus'"));
    T(load(GEMM SIGMA "[unit_costs]\nmult_pj = -1\n", &e) == NULL && strstr(e.text, "must be at least 0"));
    T(load(GEMM "[unit_costs]\nmult_pj = 1\n", &e) == NULL && strstr(e.text, "no [level NAME] section"));
    /* the shipped specs load and evaluate */
    {
        static const char *const names[] = { "sigma", "sigma_iso_bw", "tpu_128x128", "tpu_512x32", "sigma_fi", "sigma_fi_sc", "sigma_dpe512",
                                             "eie_like", "scnn_like", "outerspace_like", "eyeriss_v2_like", "packed_systolic_like", "cambricon_x_like" };
        size_t i;
        for (i = 0; i < sizeof names / sizeof names[0]; i++) {
            char text[400];
            sm_array_stats as;
            snprintf(text, sizeof text, "include = specs/arch/sigma/%s.ini\ninclude = specs/workloads/sigma/gemm10_256x256x2048.ini\n[density]\nA = uniform 0.2\n", names[i]);
            s = load(text, &e);
            T(s != NULL && sm_array_eval(s, &as, &e) == SM_OK && as.cycles > 0 && as.model_energy_pj > 0 && as.model_area_um2 > 0);
            if (!s) printf("%s\n", e.text);
            sm_spec_free(s);
        }
    }
}

/* Fig. 7: the engine's rank formats give the closed-form storage of CSR, COO and a bitmap */
static void test_format_bits(void) {
    const char *sets[3];
    sm_spec *s;
    sm_stats st;
    sm_error e;
    double E = 1632.0 * 36548, nnz, off;
    sets[0] = "density.A=uniform 0.3";
    sets[1] = "format mem.A=CP(m,k):27";
    T(sm_spec_load_file("specs/sigma_fig7_formats.ini", sets, 2, &s, &e) == SM_OK && sm_eval(s, &st, &e) == SM_OK);
    nnz = ceil(0.3 * E);
    T(NEAR(st.level[0].t[0].data[SM_READ][SM_ACTUAL], nnz, 1e-6));
    T(NEAR(st.level[0].t[0].metadata_words[SM_READ][SM_ACTUAL], 27 * nnz, 1e-6));
    sm_spec_free(s);
    sets[1] = "format mem.A=B(m,k)";
    T(sm_spec_load_file("specs/sigma_fig7_formats.ini", sets, 2, &s, &e) == SM_OK && sm_eval(s, &st, &e) == SM_OK);
    T(st.level[0].t[0].metadata_words[SM_READ][SM_ACTUAL] == E);
    sm_spec_free(s);
    off = ceil(log2(nnz + 1));
    sets[1] = "format mem.A=UOP(m):0:25 CP(k):16";
    T(off == 25);
    T(sm_spec_load_file("specs/sigma_fig7_formats.ini", sets, 2, &s, &e) == SM_OK && sm_eval(s, &st, &e) == SM_OK);
    /* Sparseloop's rounding: a fiber's expected coordinates are rounded up (at most one per row) */
    T(NEAR(st.level[0].t[0].metadata_words[SM_READ][SM_ACTUAL], 16 * nnz + 25 * 1633, 1e-4));
    sm_spec_free(s);
}

int main(void) {
    test_networks();
    test_helpers();
    test_systolic();
    test_flexible();
    test_competitor_mechanisms();
    test_array_loader();
    test_format_bits();
    return test_done();
}
