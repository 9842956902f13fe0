/* Unit tests of the DUET mechanisms: parameter files [@params], the two-phase operator [@twophase],
   multi-precision MAC arrays [@macarray], lock-step rows [@lockstep] (against a brute-force
   per-step simulation on random masks). Reaches sm__ internals: it defines the implementation. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "test_common.h"

#define NEAR(a, b, rel) (fabs((double)(a) - (double)(b)) <= (rel) * fabs((double)(b)) + 1e-12)

/* [@params] */
static void test_params(void) {
    sm_params *p = NULL;
    sm_error e;
    sm_lockstep ls;
    sm_mac_array ma;
    double v;
    const char *text =
        "[lockstep]\nrows = 16\nlanes = 16 ; PEs\nbuckets = 16\n"
        "[mac spec]\nunits = 512\nbits = 4\nrule = fixed\nmac_pj = 0.0625\n"
        "[layer conv1]\nC = 3\n[layer conv2]\nC = 96\nbogus = 1\n";
    memset(&ls, 0, sizeof ls);
    memset(&ma, 0, sizeof ma);
    T(sm_params_load_string(text, "unit.ini", NULL, 0, &p, &e) == SM_OK);
    if (!p) { printf("%s\n", e.text); return; }
    T(sm_lockstep_load(p, "lockstep", &ls, &e) == SM_OK && ls.rows == 16 && ls.lanes == 16 && ls.buckets == 16 && ls.items == 0);
    T(sm_mac_array_load(p, "mac spec", &ma, &e) == SM_OK && ma.units == 512 && ma.bits == 4 && ma.rule == SM_MAC_FIXED && ma.mac_pj == 0.0625);
    T(sm_params_count(p, "layer ") == 2 && !strcmp(sm_params_section(p, "layer ", 1), "layer conv2") && sm_params_section(p, "layer ", 2) == NULL);
    T(sm_params_num(p, "layer conv1", "C", 1, -1, 0, &v, &e) == SM_OK && v == 3);
    T(sm_params_num(p, "layer conv1", "M", 1, -1, 7, &v, &e) == SM_OK && v == 7);   /* absent: default */
    T(sm_params_check(p, "lockstep", &e) == SM_OK);
    T(sm_params_num(p, "layer conv2", "C", 1, -1, 0, &v, &e) == SM_OK);
    T(sm_params_check(p, NULL, &e) == SM_ERR_UNKNOWN && !strcmp(e.text, "unit.ini:14: error: [layer conv2] unknown key 'bogus'"));
    sm_params_free(p);
    /* range, whole numbers, enum values, --set */
    T(sm_params_load_string("[lockstep]\nrows = 0\n", "u.ini", NULL, 0, &p, &e) == SM_OK);
    T(sm_lockstep_load(p, "lockstep", &ls, &e) == SM_ERR_VALUE && strstr(e.text, "u.ini:2: error: [lockstep] rows: 0 must be at least 1"));
    sm_params_free(p);
    T(sm_params_load_string("[lockstep]\nskipped_cost = 2\nrows = 2.5\n", "u.ini", NULL, 0, &p, &e) == SM_OK);
    T(sm_lockstep_load(p, "lockstep", &ls, &e) == SM_ERR_VALUE && strstr(e.text, "u.ini:3: error: [lockstep] rows: '2.5' is not a whole number"));
    sm_params_free(p);
    T(sm_params_load_string("[m]\nrule = cubic\n", "u.ini", NULL, 0, &p, &e) == SM_OK);
    T(sm_mac_array_load(p, "m", &ma, &e) == SM_ERR_VALUE && strstr(e.text, "u.ini:2: error: [m] rule: 'cubic'"));
    sm_params_free(p);
    {
        const char *sets[] = { "lockstep.rows=8" };
        T(sm_params_load_string("[lockstep]\nrows = 16\n", "u.ini", sets, 1, &p, &e) == SM_OK);
        T(p && sm_lockstep_load(p, "lockstep", &ls, &e) == SM_OK && ls.rows == 8);
        sm_params_free(p);
    }
    T(sm_params_load_file("tests/data/no_such.ini", NULL, 0, &p, &e) == SM_ERR_IO && p == NULL);
}

/* [@twophase] */
static void test_twophase(void) {
    /* Table 3.4 (LSTM-1500, n = 4 x 1500 = 6000) and Table A.1 (DSG, n = output channels) */
    static const struct { double n, eps; long k; } jl[] = {
        { 6000, 0.3, 966 }, { 6000, 0.5, 417 }, { 6000, 0.7, 266 },
        { 128, 0.3, 539 }, { 128, 0.5, 232 }, { 128, 0.7, 148 }, { 128, 0.9, 119 },
        { 256, 0.3, 616 }, { 256, 0.5, 266 }, { 256, 0.7, 169 }, { 256, 0.9, 136 },
        { 512, 0.3, 693 }, { 512, 0.5, 299 }, { 512, 0.7, 190 }, { 512, 0.9, 154 } };
    size_t i;
    int ok = 1;
    sm_twophase op;
    sm_twophase_work w;
    double exposed, t;
    for (i = 0; i < sizeof jl / sizeof jl[0]; i++) ok &= sm_jl_dim(jl[i].n, jl[i].eps) == jl[i].k;
    T(ok);
    T(sm_jl_dim(1, 0.5) == 0 && sm_jl_dim(100, 1.0) == 0 && sm_jl_dim(100, 0) == 0);
    /* hand-computed: n=8 outputs, d=12, p=2 positions, k=3, keep 1/4, inputs 1/2 */
    memset(&op, 0, sizeof op);
    op.n = 8; op.d = 12; op.p = 2; op.k = 3; op.keep = 0.25; op.input_density = 0.5;
    op.skip = SM_SKIP_BOTH; op.row_skip = 1;
    sm_twophase_work_of(&op, &w);
    T(w.k == 3 && w.dense_macs == 192 && NEAR(w.pred_adds, 24, 1e-12) && w.pred_macs == 48 && w.pred_compares == 16);
    T(w.pred_weight_bits == 96 && w.proj_bits == 72 && w.mask_bits == 16);
    T(w.exec_fraction == 0.125 && w.exec_macs == 24 && w.exec_weight_bits == 8 * 12 * 16 * 0.25);
    op.skip = SM_SKIP_OUTPUT; op.row_skip = 0;
    sm_twophase_work_of(&op, &w);
    T(w.exec_macs == 48 && w.exec_weight_bits == 8 * 12 * 16);
    op.skip = SM_SKIP_INPUT;
    sm_twophase_work_of(&op, &w);
    T(w.exec_macs == 96);
    op.k = 0; op.n = 6000; op.d = 300;   /* JL k = 417 > d: capped */
    sm_twophase_work_of(&op, &w);
    T(w.k == 300);
    /* Fig. 5.3: a PE step of 3 outputs x 9 MACs; OMap keeps 1 of 3 outputs, IMap 1/3 of inputs */
    memset(&op, 0, sizeof op);
    op.n = 3; op.d = 9; op.p = 1; op.keep = 1.0 / 3; op.input_density = 1.0 / 3;
    op.skip = SM_SKIP_NONE;   sm_twophase_work_of(&op, &w); T(NEAR(w.exec_macs, 27, 1e-12));
    op.skip = SM_SKIP_OUTPUT; sm_twophase_work_of(&op, &w); T(NEAR(w.exec_macs, 9, 1e-12));
    op.skip = SM_SKIP_BOTH;   sm_twophase_work_of(&op, &w); T(NEAR(w.exec_macs, 3, 1e-12));
    /* pipeline: pred 2 3 1, exec 4 2 5 -> 2 + max(4,3) + max(2,1) + 5 = 13; exposed 13 - 11 = 2 */
    {
        double pred[] = { 2, 3, 1 }, exec[] = { 4, 2, 5 }, pred2[] = { 2, 6, 1 };
        double pu[] = { 1, 3, 1 }, eu[] = { 2, 1, 4 };   /* one shared port: stage 1 = max(4, 3, 2 + 3) = 5 */
        t = sm_twophase_pipeline(3, pred, exec, 0, NULL, NULL, 1, &exposed);
        T(t == 13 && exposed == 2);
        t = sm_twophase_pipeline(3, pred, exec, 0, NULL, NULL, 0, &exposed);
        T(t == 17 && exposed == 6);
        t = sm_twophase_pipeline(3, pred2, exec, 0, NULL, NULL, 1, &exposed);   /* the second prediction outlasts exec[0] */
        T(t == 2 + 6 + 2 + 5 && exposed == 4);
        t = sm_twophase_pipeline(3, pred, exec, 1, pu, eu, 1, &exposed);
        T(t == 2 + 5 + 2 + 5 && exposed == 3);
        T(sm_twophase_pipeline(0, pred, exec, 0, NULL, NULL, 1, &exposed) == 0 && exposed == 0);
    }
    {
        double dem[] = { 100, 30, 0 }, rate[] = { 10, 2, 0 };
        int which;
        T(sm_bound(3, dem, rate, &which) == 15 && which == 1);
        rate[1] = 0;
        T(sm_bound(3, dem, rate, &which) == 10 && which == 0);
    }
}

/* [@macarray] */
static void test_precision(void) {
    sm_mac_array a;
    long r1;
    double t;
    memset(&a, 0, sizeof a);
    a.units = 512; a.bits = 16; a.min_bits = 2; a.rule = SM_MAC_QUADRATIC; a.mac_pj = 1.26;
    T(sm_mac_rate(&a, 16) == 512 && sm_mac_rate(&a, 8) == 2048 && sm_mac_rate(&a, 4) == 8192 && sm_mac_rate(&a, 2) == 32768);
    T(sm_mac_rate(&a, 1) == 0 && sm_mac_rate(&a, 32) == 0);
    T(NEAR(sm_mac_pj(&a, 4), 1.26 / 16, 1e-12));
    a.rule = SM_MAC_LINEAR;
    T(sm_mac_rate(&a, 4) == 2048);
    a.rule = SM_MAC_FIXED;
    T(sm_mac_rate(&a, 4) == 512 && sm_mac_pj(&a, 4) == 1.26);
    memset(&a, 0, sizeof a);
    T(sm_mac_rate(&a, 16) == 1 && sm_mac_rate(&a, 8) == 0);   /* defaults: 1 unit, 16 bits, min 16 */
    /* rows split: 32 rows of 16 units; job 1: 8192 INT4 MACs (16x per unit), job 2: 16384 FX16 MACs */
    memset(&a, 0, sizeof a);
    a.units = 512; a.bits = 16; a.min_bits = 2; a.rule = SM_MAC_QUADRATIC;
    t = sm_mac_rows_split(&a, 32, 8192, 4, 16384, 16, &r1);
    /* r rows for INT4: 8192 / (r x 256), 16384 / ((32 - r) x 16); best r = 1: max(32, ceil(33.03)) = 34 */
    T(r1 == 1 && t == 34);
    t = sm_mac_rows_split(&a, 32, 0, 4, 16384, 16, &r1);
    T(r1 == 0 && t == 32);
}

/* [@lockstep] brute force: random masks, the slowest row per step */
static sm__rng rng = { 12345 };
static double urand(void) { return sm__rng01(&rng); }

static double sim_lockstep(const sm_lockstep *d, long trials) {
    long rows = d->rows, lanes = d->lanes, items = d->items, units = d->units, L = (long)d->lane_work, t, u, i, j, l, g;
    long *kept = (long *)malloc(sizeof(long) * (size_t)units), *order = (long *)malloc(sizeof(long) * (size_t)units);
    double total = 0, rin = d->input_density > 0 ? d->input_density : 1;
    for (t = 0; t < trials; t++) {
        double *rt = (double *)malloc(sizeof(double) * (size_t)units);
        for (u = 0; u < units; u++) {   /* a random output mask for the unit, a random input mask per lane */
            double worst = 0;
            kept[u] = 0;
            for (i = 0; i < items; i++) kept[u] += urand() < d->keep;
            for (l = 0; l < lanes; l++) {
                double w = 0;
                for (i = 0; i < kept[u] * L; i++) w += rin >= 1 || urand() < rin;
                w += (items - kept[u]) * d->skipped_cost * L * rin;
                if (w > worst) worst = w;
            }
            rt[u] = worst;
        }
        for (u = 0; u < units; u++) order[u] = u;
        if (d->buckets) {   /* stable sort by bucket, largest first */
            for (i = 1; i < units; i++)
                for (j = i; j > 0; j--) {
                    long bj = kept[order[j]] * d->buckets / (items + 1), bp = kept[order[j - 1]] * d->buckets / (items + 1);
                    if (bj >= d->buckets) bj = d->buckets - 1;
                    if (bp >= d->buckets) bp = d->buckets - 1;
                    if (bj > bp) { long x = order[j]; order[j] = order[j - 1]; order[j - 1] = x; } else break;
                }
        }
        for (g = 0; g < units; g += rows) {
            double step = d->min_step;
            for (j = g; j < g + rows && j < units; j++) if (rt[order[j]] > step) step = rt[order[j]];
            total += step;
        }
        free(rt);
    }
    free(kept);
    free(order);
    return total / trials;
}

static void test_lockstep(void) {
    sm_lockstep d;
    sm_lockstep_result r;
    sm_error e;
    double sim;
    /* output skipping only, unbalanced: exact against simulation */
    memset(&d, 0, sizeof d);
    d.rows = 4; d.lanes = 3; d.items = 5; d.keep = 0.4; d.lane_work = 6; d.units = 10;
    T(sm_lockstep_eval(&d, &r, &e) == SM_OK && r.exact);
    sim = sim_lockstep(&d, 40000);
    T(NEAR(r.cycles, sim, 0.01));
    T(r.steps == 3 && r.dense_cycles == 3 * 30 && NEAR(r.effectual, 10 * 3 * 5 * 0.4 * 6, 1e-12));
    /* hand check: one row, one lane, one item kept w.p. 1/2, 6 MACs: E = 3 per unit */
    {
        sm_lockstep h;
        memset(&h, 0, sizeof h);
        h.items = 1; h.keep = 0.5; h.lane_work = 6; h.units = 4;
        T(sm_lockstep_eval(&h, &r, &e) == SM_OK && NEAR(r.cycles, 12, 1e-12) && NEAR(r.utilization, 1, 1e-12));
        h.rows = 2;   /* two rows: a step lasts 6 unless both skip (1/4): E = 4.5 per step, 2 steps */
        T(sm_lockstep_eval(&h, &r, &e) == SM_OK && NEAR(r.cycles, 9, 1e-12) && NEAR(r.utilization, 12.0 / 18, 1e-12));
        h.min_step = 2;   /* ... at least 2 cycles: 6 x 3/4 + 2 x 1/4 = 5 per step */
        T(sm_lockstep_eval(&h, &r, &e) == SM_OK && NEAR(r.cycles, 10, 1e-12));
    }
    /* input skipping too: binomial lanes */
    d.input_density = 0.35;
    T(sm_lockstep_eval(&d, &r, &e) == SM_OK && r.exact);
    sim = sim_lockstep(&d, 40000);
    T(NEAR(r.cycles, sim, 0.01));
    /* reordering with as many buckets as counts (a full sort) and with fewer buckets */
    d.buckets = 6; d.units = 16; d.trials = 4000;
    T(sm_lockstep_eval(&d, &r, &e) == SM_OK && !r.exact);
    sim = sim_lockstep(&d, 20000);
    T(NEAR(r.cycles, sim, 0.015));
    d.buckets = 2;
    T(sm_lockstep_eval(&d, &r, &e) == SM_OK);
    sim = sim_lockstep(&d, 20000);
    T(NEAR(r.cycles, sim, 0.015));
    /* reordering helps; without skipping it changes nothing */
    {
        sm_lockstep a = d;
        sm_lockstep_result ra, rb;
        a.buckets = 0;
        T(sm_lockstep_eval(&a, &ra, &e) == SM_OK && sm_lockstep_eval(&d, &rb, &e) == SM_OK && rb.cycles < ra.cycles);
        a.keep = 1; a.input_density = 1;
        T(sm_lockstep_eval(&a, &ra, &e) == SM_OK && ra.cycles == ra.dense_cycles && NEAR(ra.utilization, 1, 1e-12));
    }
    /* early termination: skipped items cost a part */
    memset(&d, 0, sizeof d);
    d.rows = 3; d.lanes = 2; d.items = 4; d.keep = 0.3; d.lane_work = 5; d.units = 7; d.skipped_cost = 0.5; d.min_step = 4;
    T(sm_lockstep_eval(&d, &r, &e) == SM_OK);
    sim = sim_lockstep(&d, 40000);
    T(NEAR(r.cycles, sim, 0.01));
    /* bad descs */
    memset(&d, 0, sizeof d);
    T(sm_lockstep_eval(&d, &r, &e) == SM_ERR_VALUE);
    d.lane_work = 1; d.keep = 1.5;
    T(sm_lockstep_eval(&d, &r, &e) == SM_ERR_VALUE);
}

int main(void) {
    test_params();
    test_twophase();
    test_precision();
    test_lockstep();
    return test_done();
}
