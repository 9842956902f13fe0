/* Unit tests of the windowed skip scheduler ([@skipsched]) and the pieces TensorDash needs
   (constant-power components, the skip model in sm_eval). The scheduler model (exact chain and
   Monte-Carlo) is checked against a brute-force cycle simulation written here independently:
   explicit random tiles, the greedy scheduler applied literally, lock-stepped rows. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "test_common.h"

/* TensorDash's 4-deep movement set in its priority order (MICRO 2020, Sec. III-A, "Hardware
   Scheduler") and the 2-deep set of Fig. 3c. */
static const int td4[8][2] = { {0, 0}, {1, 0}, {2, 0}, {3, 0}, {1, 1}, {1, -1}, {2, 2}, {3, 3} };
static const int td2[4][2] = { {0, 0}, {1, 0}, {1, 1}, {1, -1} };

static sm_skipsched config(int lanes, int depth, const int (*opt)[2], int nopt, int rows) {
    sm_skipsched s;
    int i;
    memset(&s, 0, sizeof s);
    s.lanes = lanes; s.depth = depth; s.rows = rows; s.noptions = nopt;
    for (i = 0; i < nopt; i++) { s.option[i].time = opt[i][0]; s.option[i].lane = opt[i][1]; }
    return s;
}

/* ---- the brute-force reference: its own random numbers, its own scheduler loop ---- */
static unsigned long long bf_state = 88172645463325252ULL;
static double bf_unit(void) {
    bf_state ^= bf_state << 13; bf_state ^= bf_state >> 7; bf_state ^= bf_state << 17;
    return (double)(bf_state >> 11) / 9007199254740992.0;
}

/* Cycles to run `rows` lock-stepped rows over one tile of nsteps x lanes effectual flags. */
static long bf_tile(const sm_skipsched *s, char *nz, int rows, long nsteps) {
    int L = s->lanes, D = s->depth, r, lv, o;
    long pos = 0, cycles = 0;
    while (pos < nsteps) {
        long adv = D;
        for (r = 0; r < rows; r++) {
            char *f = nz + (long)r * nsteps * L;
            long k = 0;
            for (lv = 0; lv < L; lv++) {
                int lane = s->order[lv];
                for (o = 0; o < s->noptions; o++) {
                    long t = pos + s->option[o].time;
                    int l = ((lane + s->option[o].lane) % L + L) % L;
                    if (t < nsteps && f[t * L + l]) { f[t * L + l] = 0; break; }
                }
            }
            while (k < D && pos + k < nsteps) {   /* leading steps of this row with nothing left */
                int any = 0, i;
                for (i = 0; i < L; i++) any |= f[(pos + k) * L + i];
                if (any) break;
                k++;
            }
            if (pos + k >= nsteps) k = D;          /* past the end of the stream nothing holds back */
            if (k < adv) adv = k;
        }
        if (adv < 1) return -1;
        pos += adv;
        cycles++;
    }
    return cycles;
}

/* Mean cycles per dense step over random tiles (row densities: mean p, or Beta-free clustering
   not used here), i.i.d. flags at density p; total about `budget` steps. */
static double bf_cycles_per_step(const sm_skipsched *s, double p, int rows, long nsteps, long budget) {
    long tiles = budget / nsteps, i, j;
    double cyc = 0;
    char *nz = (char *)malloc((size_t)rows * (size_t)nsteps * (size_t)s->lanes);
    if (tiles < 1) tiles = 1;
    for (i = 0; i < tiles; i++) {
        for (j = 0; j < (long)rows * nsteps * s->lanes; j++) nz[j] = bf_unit() < p;
        cyc += (double)bf_tile(s, nz, rows, nsteps);
    }
    free(nz);
    return cyc / ((double)tiles * (double)nsteps);
}

/* [@skipsched] defaults and validation */
static void test_resolve(void) {
    sm_skipsched s, r;
    sm_error e;
    memset(&s, 0, sizeof s);
    T(sm_skipsched_resolve(&s, &r, &e) == SM_OK);
    T(r.lanes == 4 && r.depth == 1 && r.noptions == 1 && r.rows == 1 && r.samples == 65536 && r.norder == 4 && r.order[3] == 3);
    s.depth = 3;
    T(sm_skipsched_resolve(&s, &r, &e) == SM_OK && r.noptions == 3 && r.option[2].time == 2 && r.option[2].lane == 0);
    s = config(4, 0, td4, 8, 1);
    T(sm_skipsched_resolve(&s, &r, &e) == SM_OK && r.depth == 4);
    T(r.option[7].time == 3 && r.option[7].lane == -1);       /* +3 wraps to -1 on 4 lanes */
    s.option[0].time = 1; s.option[1].time = 0;
    T(sm_skipsched_resolve(&s, &r, &e) == SM_ERR_VALUE && strstr(e.text, "dense slot 0:0"));
    s = config(4, 0, td4, 8, 1);
    s.option[5].lane = 5;                                      /* (1,+5) is (1,+1): already option 5 */
    T(sm_skipsched_resolve(&s, &r, &e) == SM_ERR_VALUE && strstr(e.text, "same slot"));
    s = config(4, 2, td4, 8, 1);
    T(sm_skipsched_resolve(&s, &r, &e) == SM_ERR_VALUE && strstr(e.text, "beyond a depth"));
    s = config(4, 4, td4, 8, 1);
    s.norder = 4; s.order[0] = 0; s.order[1] = 1; s.order[2] = 1; s.order[3] = 3;
    T(sm_skipsched_resolve(&s, &r, &e) == SM_ERR_VALUE && strstr(e.text, "order"));
    s = config(4, 4, td4, 8, 4);
    s.method = SM_SKIPSCHED_EXACT;
    T(sm_skipsched_resolve(&s, &r, &e) == SM_ERR_VALUE && strstr(e.text, "exact chain"));
    s = config(33, 4, td4, 8, 1);
    T(sm_skipsched_resolve(&s, &r, &e) == SM_ERR_VALUE);
}

/* Fig. 3 of TensorDash: 16 pairs, 7 effectual (both operands non-zero), 4 cycles dense, 2 with a
   2-deep buffer. The figure's own values are not in the text; this pattern is constructed to have
   7 effectual pairs (digest Sec. 2.3). Lane i is bit i; steps t0..t3. */
static void test_fig3(void) {
    sm_skipsched s = config(4, 2, td2, 4, 1), r;
    sm_error e;
    unsigned a[4] = { 0xF, 0x3, 0xB, 0x4 }, b[4] = { 0x5, 0xB, 0xA, 0xC }, m[4], w[2];
    int pick[4], t, n = 0;
    for (t = 0; t < 4; t++) { m[t] = a[t] & b[t]; n += sm__popcount(m[t]); }
    T(n == 7);
    T(m[0] == 0x5 && m[1] == 0x3 && m[2] == 0xA && m[3] == 0x4);
    T(sm_skipsched_resolve(&s, &r, &e) == SM_OK);
    T(sm_skipsched_trace(&r, m, 1, 4) == 2);
    w[0] = m[0]; w[1] = m[1];
    T(sm_skipsched_cycle(&r, w, pick) == 2);   /* cycle 1 takes all of t0 and t1 */
    T(pick[0] == 0 && pick[1] == 1 && pick[2] == 0 && pick[3] == 2);   /* lane 3 steals (+1, lane 0) */
    w[0] = m[2]; w[1] = m[3];
    T(sm_skipsched_cycle(&r, w, pick) == 2 && pick[0] == -1 && pick[1] == 0 && pick[2] == 1 && pick[3] == 0);
    /* the dense schedule: one step per cycle */
    s = config(4, 1, td2, 1, 1);
    T(sm_skipsched_resolve(&s, &r, &e) == SM_OK && sm_skipsched_trace(&r, m, 1, 4) == 4);
}

/* The greedy schedule is not a maximum matching (digest Sec. 2.3): lane 1 takes (1,0) through its
   lookaside before lane 3 could; (3,0) is left and the window drains 3 steps, not 4. */
static void test_greedy(void) {
    sm_skipsched s = config(4, 4, td4, 8, 1), r;
    sm_error e;
    unsigned w[4] = { 1, 1, 1, 1 };
    int pick[4];
    T(sm_skipsched_resolve(&s, &r, &e) == SM_OK);
    T(sm_skipsched_cycle(&r, w, pick) == 3);
    T(pick[0] == 0 && pick[1] == 5 && pick[2] == 6 && pick[3] == -1 && w[3] == 1);
}

/* Cycles per step from the model; the cache is created on first use and kept in s->cache. */
static double expect(sm_skipsched *s, double p, long n, sm_skipsched_result *res) {
    sm_error e;
    if (!s->cache && sm_skipsched_cache_create(s, &s->cache, &e) != SM_OK) { printf("%s\n", e.text); return -1; }
    if (sm_skipsched_expect(s, p, n, res, &e) != SM_OK) { printf("%s\n", e.text); return -1; }
    return res->cycles_per_step;
}
static void done(sm_skipsched *s) { sm_skipsched_cache_free(s->cache); s->cache = NULL; }

/* The exact chain (one row) against the brute force: long tiles, within 1% (it lands within the
   brute force's own noise, about 0.2%). */
static void test_exact_vs_bruteforce(void) {
    static const double ps[] = { 0.1, 0.3, 0.5, 0.8 };
    int i, cfg;
    for (cfg = 0; cfg < 2; cfg++) {
        sm_skipsched s = cfg == 0 ? config(4, 4, td4, 8, 1) : config(4, 2, td2, 4, 1), r;
        sm_error e;
        T(sm_skipsched_resolve(&s, &r, &e) == SM_OK);
        for (i = 0; i < 4; i++) {
            sm_skipsched_result res;
            double model = expect(&s, ps[i], 0, &res), bf = bf_cycles_per_step(&r, ps[i], 1, 120000, 120000);
            T(res.exact == 1);
            T(fabs(model - bf) <= 0.01 * bf);
            if (fabs(model - bf) > 0.004 * bf) printf("  note: exact %.5f brute %.5f (p %.2f)\n", model, bf, ps[i]);
            T(fabs(res.lane_busy - ps[i] / model) < 1e-9);
        }
        done(&s);
    }
}

/* Monte-Carlo for lock-stepped rows, finite streams and wide lanes against the brute force over
   many seeds' worth of random tiles: within 1% of the mean. */
static void test_montecarlo_vs_bruteforce(void) {
    struct { int lanes, depth, nopt, rows; long n; double p; } c[] = {
        { 4, 4, 8, 4, 0, 0.2 }, { 4, 4, 8, 4, 0, 0.5 }, { 4, 4, 8, 4, 0, 0.8 }, { 4, 4, 8, 16, 0, 0.4 },
        { 4, 4, 8, 4, 8, 0.3 }, { 4, 4, 8, 2, 37, 0.5 }, { 4, 2, 4, 4, 0, 0.5 }, { 16, 3, 8, 4, 0, 0.3 },
    };
    static const int w16[8][2] = { {0, 0}, {1, 0}, {2, 0}, {1, 1}, {1, -1}, {2, 2}, {2, -2}, {2, 4} };
    int i;
    for (i = 0; i < (int)(sizeof c / sizeof c[0]); i++) {
        sm_skipsched s = config(c[i].lanes, c[i].depth, c[i].lanes == 16 ? w16 : c[i].depth == 2 ? td2 : td4, c[i].nopt, c[i].rows), r;
        sm_skipsched_result res;
        sm_error e;
        double model, bf;
        T(sm_skipsched_resolve(&s, &r, &e) == SM_OK);
        model = expect(&s, c[i].p, c[i].n, &res);
        bf = bf_cycles_per_step(&r, c[i].p, c[i].rows, c[i].n ? c[i].n : 20000, 120000);
        T(res.exact == 0 && res.std_error > 0 && res.std_error < 0.002 * model);
        T(fabs(model - bf) <= 0.01 * bf);
        if (fabs(model - bf) > 0.004 * bf) printf("  note: MC %.5f brute %.5f (case %d)\n", model, bf, i);
        done(&s);
    }
}

/* Bounds: never slower than dense, never faster than the depth or than 1/density; more rows
   never help; clustered rows cost more than i.i.d. ones; streams longer than 64 steps use a
   64-step stream plus steady state, which must agree with a direct simulation. */
static void test_bounds(void) {
    static const double ps[] = { 0.0001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 };
    int i, rows;
    for (rows = 1; rows <= 16; rows *= 4) {
        sm_skipsched s = config(4, 4, td4, 8, rows);
        s.samples = 8192;   /* bounds hold on every sample path: a short run suffices */
        for (i = 0; i < 9; i++) {
            sm_skipsched_result res;
            double cps = expect(&s, ps[i], 0, &res);
            T(cps <= 1 + 1e-12 && cps >= 0.25 - 1e-12);
            T(res.speedup <= 1 / ps[i] * (1 + 3 * res.std_error / cps) + 1e-9);
        }
        done(&s);
    }
    {
        sm_skipsched s = config(4, 4, td4, 8, 1), sc;
        sm_skipsched_result res;
        double one = expect(&s, 0.3, 0, &res), four, clustered, stream, direct;
        done(&s);
        s.rows = 4;
        four = expect(&s, 0.3, 0, &res);
        sc = s;
        sc.cache = NULL;
        sc.row_concentration = 2;
        clustered = expect(&sc, 0.3, 0, &res);
        done(&sc);
        T(one < four && four < clustered);
        stream = expect(&s, 0.3, 200, &res);
        T(sm_skipsched_resolve(&s, &sc, NULL) == SM_OK);
        direct = bf_cycles_per_step(&sc, 0.3, 4, 200, 200000);
        T(fabs(stream - direct) <= 0.01 * direct);
        T(stream > four);   /* the window cannot look past a stream's end */
        done(&s);
    }
}

/* The skip-model hook: which density it uses, streams from the query or the spec, and a
   64-slot window (a full drain shifts by 64 bits). */
static void test_hook(void) {
    sm_skipsched s = config(4, 4, td4, 8, 4), w = config(16, 4, td4, 0, 2);
    sm_skip_query q;
    sm_skip_answer a;
    sm_skipsched_result r;
    sm_error e;
    memset(&q, 0, sizeof q);
    q.noperands = 2; q.density[0] = 0.5; q.density[1] = 0.4; q.computes = 1000; q.dense_cycles = 100; q.stream_steps = 12;
    T(sm_skipsched_cache_create(&s, &s.cache, &e) == SM_OK);
    T(sm_skipsched_skip(&q, &s, &a) == SM_OK && a.effectual == 400);              /* sparsest: 0.4 */
    T(sm_skipsched_expect(&s, 0.4, 12, &r, &e) == SM_OK && a.cycles == ceil(100 * r.cycles_per_step - 1e-9));
    s.side = SM_SKIPSCHED_BOTH;
    T(sm_skipsched_skip(&q, &s, &a) == SM_ERR_VALUE);   /* another configuration than the cache's */
    done(&s);
    T(sm_skipsched_cache_create(&s, &s.cache, &e) == SM_OK);
    T(sm_skipsched_skip(&q, &s, &a) == SM_OK && a.effectual == 200);              /* both: 0.5 x 0.4 */
    done(&s);
    s.side = SM_SKIPSCHED_OPERAND; s.operand = 0; s.stream = SM_SKIPSCHED_STREAM_CONTINUOUS;
    T(sm_skipsched_cache_create(&s, &s.cache, &e) == SM_OK);
    T(sm_skipsched_skip(&q, &s, &a) == SM_OK && a.effectual == 500);
    T(sm_skipsched_expect(&s, 0.5, 0, &r, &e) == SM_OK && a.cycles == ceil(100 * r.cycles_per_step - 1e-9));
    s.operand = 3;
    T(sm_skipsched_skip(&q, &s, &a) != SM_OK);
    done(&s);
    w.samples = 4096;
    T(expect(&w, 0.01, 0, &r) > 0.25 - 1e-12 && r.speedup > 3);    /* 16 x 4 slots, lookahead only: drains of 64 bits */
    done(&w);
    w.lanes = 32; w.depth = 3;
    T(sm_skipsched_resolve(&w, &s, &e) == SM_ERR_VALUE && strstr(e.text, "at most 64"));
}

/* The cache: answers are reused and reproducible; a cache for another configuration is refused. */
static void test_cache(void) {
    sm_skipsched s = config(4, 4, td4, 8, 4), t;
    sm_skipsched_cache *c;
    sm_skipsched_result a, b;
    sm_error e;
    T(sm_skipsched_expect(&s, 0.5, 0, &a, &e) == SM_ERR_VALUE && strstr(e.text, "no cache"));
    T(sm_skipsched_cache_create(&s, &c, &e) == SM_OK);
    s.cache = c;
    T(sm_skipsched_expect(&s, 0.5, 0, &a, &e) == SM_OK && sm_skipsched_expect(&s, 0.5, 0, &b, &e) == SM_OK);
    T(a.cycles_per_step == b.cycles_per_step && c->n == 1);
    t = s;
    t.rows = 2;
    T(sm_skipsched_expect(&t, 0.5, 0, &a, &e) == SM_ERR_VALUE && strstr(e.text, "another configuration"));
    T(sm_skipsched_expect(&s, 1.5, 0, &a, &e) == SM_ERR_VALUE);
    sm_skipsched_cache_free(c);
    s.cache = NULL;
    T(expect(&s, 0.5, 0, &a) == b.cycles_per_step);   /* a fresh cache: the same seeded answer */
    done(&s);
}

/* The skip model inside sm_eval, the [skipsched] keys, and constant-power components. */
static const char *spec_text =
    "[problem]\neinsum = Z[m,n] += A[m,k] * B[n,k]\nbounds = m=8 n=4 k=64\n"
    "[density]\nB = uniform 0.25\n"
    "[arch]\nclock_ghz = 0.5\n"
    "[level mem]\nread_pj = 1\n"
    "[level acc]\ninstances = 32\n"
    "[compute mac]\ninstances = 128\n"
    "[component staging]\ninstances = 2\npower_mw = 3\narea_um2 = 10\n"
    "[skipsched]\nlanes = 4\ndepth = 4\noptions = 0:0 1:0 2:0 3:0 1:+1 1:-1 2:+2 3:+3\nrows = 4\noperand = B\n"
    "[mapping]\nmem.temporal = k16\nmem.spatial_x = m8 n4\nacc.keep = Z\nacc.spatial_x = k4\n";

static void test_eval(void) {
    sm_spec *sp = NULL;
    sm_stats st;
    sm_error e;
    sm_skipsched_result res;
    char buf[4096];
    const char *bad[][2] = {
        { "options = 1:0 0:0", "dense slot 0:0" }, { "options = 0:0 1", "expected ':'" }, { "operand = Z", "not sparsest, both or an operand" },
        { "stream = -3", "stream" }, { "method = fast", "not auto, exact or montecarlo" }, { "lookahead = 3", "unknown key 'lookahead'" },
    };
    int i;
    T(sm_spec_load_string(spec_text, "td.ini", NULL, 0, &sp, &e) == SM_OK);
    if (!sp) { printf("%s\n", e.text); return; }
    T(sp->skipsched && sp->skipsched->rows == 4 && sp->skipsched->side == SM_SKIPSCHED_OPERAND && sp->skipsched->operand == 1);
    T(sp->skip_model == sm_skipsched_skip && sp->skip_params == sp->skipsched);
    T(sm_eval(sp, &st, &e) == SM_OK);
    T(sm_skipsched_expect(sp->skipsched, 0.25, 16, &res, &e) == SM_OK);   /* stream: k16 at mem, k4 spatial */
    T(st.compute_cycles == ceil(16 * res.cycles_per_step - 1e-9) && st.cycles == st.compute_cycles);
    T(st.compute_class[SM_ACTUAL] == 2048 * 0.25 && st.compute_class[SM_SKIPPED] == 2048 * 0.75);
    T(st.ncomponents == 1 && fabs(st.component_energy_pj[0] - 3 * 2 * st.cycles / 0.5) < 1e-9 && st.component_area_um2[0] == 20);
    T(st.area_um2 == 20);
    sm_spec_free(sp);
    for (i = 0; i < (int)(sizeof bad / sizeof bad[0]); i++) {   /* a later key overrides: append it */
        snprintf(buf, sizeof buf, "%s[skipsched]\n%s\n", spec_text, bad[i][0]);
        sp = NULL;
        T(sm_spec_load_string(buf, "td.ini", NULL, 0, &sp, &e) != SM_OK && strstr(e.text, bad[i][1]) && strstr(e.text, "td.ini:"));
        if (!strstr(e.text, bad[i][1])) printf("  got: %s\n", e.text);
        sm_spec_free(sp);
    }
}

/* The mapper copies a spec per thread: a spec with [skipsched] gets a scheduler and cache per
   thread, so the search is the same on 1 and 2 threads (and data-race free). */
static void test_mapper(void) {
    sm_spec *sp = NULL;
    sm_error e;
    sm_map_desc d;
    sm_map_result r1, r2;
    T(sm_spec_load_string(spec_text, "td.ini", NULL, 0, &sp, &e) == SM_OK);
    if (!sp) return;
    memset(&d, 0, sizeof d);
    d.seed = 3; d.evals = 400; d.tasks = 4; d.search = SM_SEARCH_RANDOM;
    d.threads = 1;
    T(sm_map(sp, &d, &r1, &e) == SM_OK && r1.found);
    d.threads = 2;
    T(sm_map(sp, &d, &r2, &e) == SM_OK && r2.found);
    T(r1.cost == r2.cost && r1.stats.cycles == r2.stats.cycles);
    T(sp->skip_params == sp->skipsched);   /* the caller's spec is untouched */
    sm_spec_free(sp);
}

int main(void) {
    test_resolve();
    test_fig3();
    test_greedy();
    test_exact_vs_bruteforce();
    test_montecarlo_vs_bruteforce();
    test_bounds();
    test_hook();
    test_cache();
    test_eval();
    test_mapper();
    return test_done();
}
