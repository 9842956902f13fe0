/* paper_duet: DUET, the dual-module (Speculator + Executor) accelerator of Liu, "Elastic Processing
   and Hardware Architectures for Machine Learning" (PhD thesis, UCSB 2022), ch. 5 (MICRO 2020), and
   the arithmetic tables of ch. 3 (DMI).
   Reads specs/duet.ini (designs, Speculator, substitutes, Table 5.1; it includes
   specs/workloads/duet_networks.ini) and the executor loop-nest specs specs/duet_executor.ini
   (two-level) and specs/duet_onelevel.ini (one-level comparison designs).
   Writes plots/duet/{fig5_3, fig5_8a, fig5_8b, fig5_9a, fig5_9b, fig5_9c, fig5_9d, fig5_9e, fig5_10,
   table5_1, table3_4, table3_5}.{tsv,gp,png} and prints the claims table. Runs in about a second.
   Model, per CONV layer: the executor's dense accesses come from sm_eval on the DUET dataflow
   (rows = output channels, columns = input-channel slices, one output row per step; the GLB/DRAM
   tiling is the cheapest that fits); skipping scales the accesses that feed the MACs by the work
   done; the executor's cycles come from the lock-step rows model (per step the slowest PE row sets
   the time; the Reorder Unit's 16 buckets balance the rows), bounded by GLB and DRAM bandwidth;
   the Speculator is the two-phase operator's predictor on a 16x32 INT4 systolic array and 4096
   adders, pipelined one layer ahead with shared GLB and DRAM ports. RNN gates: the same on a GEMV,
   where output switching also skips the DRAM fetch of the weight row.
   Substitutes (the thesis runs real PyTorch activations): i.i.d. output keep 34.5% for every CONV
   layer (AlexNet CONV5's stated 65.5% sparsity), input density = the previous layer's keep; RNN
   insensitive ratios interpolated from DMI Table 3.2 at DUET's quality criteria. Clock, DRAM
   bandwidth and energies are assumptions stated in the specs. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "ex_common.h"

#define MAXC 160
#define MAXD 16
#define MAXN 8

typedef struct conv { char net[24], name[80]; double C, M, P, Q, R, S, st; } conv;
typedef struct rnn { char name[32]; double H, X, G, layers, keep; } rnn;
typedef struct design { char name[32]; int idx_spec, skip, speculator, gate; long buckets; double skipped_cost; } design;
/* the dense evaluation of one layer on one executor hierarchy: counts [level][tensor][reads, fills, updates] */
typedef struct dense {
    long xc, ym, mo, po;
    double compute, cnt[3][3][3], pj[3][3], mac_pj, rbw, wbw, sbw;
    int onelevel;
} dense;
typedef struct lres {
    double dense, eff, work;                  /* MACs: dense, effectual, executed (with partial skipped work) */
    double compute, exec, util;               /* executor: lock-step cycles, with bandwidth, utilization */
    double ex_glb, ex_dram;                   /* executor port time (cycles) on GLB and DRAM */
    double e_dram, e_glb, e_pe, e_mac;        /* executor energy, pJ */
    double pred, sp_glb, sp_dram, e_sp_chip, e_sp_dram, k;   /* Speculator */
} lres;

static conv cv[MAXC];
static int ncv;
static rnn rn[MAXN];
static int nrn;
static design ds[MAXD];
static int nds;
static sm_spec *hier[2];                      /* duet_executor.ini, duet_onelevel.ini */
static char hier_path[2][SM_PATH_LEN];
static dense dn[2][MAXC];
static sm_lockstep exe;
static sm_mac_array sarr;
static sm_twophase tp;
static double s_rows, s_cols, s_adders, s_add_pj, s_buf_pj, s_qdrw_pj, s_tile;
static double cnn_keep, relu_corr, first_in;
static double area[16];
static double dse_rows[8], dse_cols[8];
static int ndse;
static sm_error err;

#define CHECK(x) do { if ((x) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; } } while (0)

/* ---- loading ---------------------------------------------------------------------------------- */
static int num(sm_params *p, const char *sec, const char *key, double lo, double dflt, double *out) {
    return sm_params_num(p, sec, key, lo, -1, dflt, out, &err) != SM_OK;
}

static int parse_list(const char *text, double *v, int max) {
    int n = 0;
    char *end;
    while (text && *text && n < max) {
        double x = strtod(text, &end);
        if (end == text) break;
        v[n++] = x;
        text = end;
    }
    return n;
}

/* r where the quality difference crosses the criterion (linear between the table's points) */
static double interpolate_r(const double *r, const double *diff, int n, double criterion) {
    int i;
    for (i = 1; i < n; i++)
        if ((diff[i] - criterion) * (diff[i - 1] - criterion) <= 0 && diff[i] != diff[i - 1])
            return r[i - 1] + (r[i] - r[i - 1]) * (criterion - diff[i - 1]) / (diff[i] - diff[i - 1]);
    return 0;
}

static int load(const char *path) {
    sm_params *p;
    int i, h;
    char dir[SM_PATH_LEN / 2];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 0, path);
    CHECK(sm_params_load_file(path, NULL, 0, &p, &err));
    for (i = 0; i < sm_params_count(p, "conv "); i++) {
        const char *sec = sm_params_section(p, "conv ", i);
        double rep, v[7];
        int k;
        conv c;
        memset(&c, 0, sizeof c);
        snprintf(c.name, sizeof c.name, "%s", sec + 5);
        snprintf(c.net, sizeof c.net, "%.*s", (int)strcspn(sec + 5, "."), sec + 5);
        if (num(p, sec, "C", 1, 0, &v[0]) || num(p, sec, "M", 1, 0, &v[1]) || num(p, sec, "P", 1, 0, &v[2]) ||
            num(p, sec, "Q", 1, v[2], &v[3]) || num(p, sec, "R", 1, 0, &v[4]) || num(p, sec, "S", 1, v[4], &v[5]) ||
            num(p, sec, "stride", 1, 1, &v[6]) || num(p, sec, "repeat", 1, 1, &rep)) { fprintf(stderr, "%s\n", err.text); return 1; }
        c.C = v[0]; c.M = v[1]; c.P = v[2]; c.Q = v[3]; c.R = v[4]; c.S = v[5]; c.st = v[6];
        for (k = 0; k < (int)rep && ncv < MAXC; k++) cv[ncv++] = c;
    }
    for (i = 0; i < sm_params_count(p, "rnn ") && nrn < MAXN; i++) {
        const char *sec = sm_params_section(p, "rnn ", i);
        rnn *r = &rn[nrn++];
        double rr[8], dd[8], crit;
        char q[64];
        int n1, n2;
        snprintf(r->name, sizeof r->name, "%s", sec + 4);
        if (num(p, sec, "hidden", 1, 0, &r->H) || num(p, sec, "input", 1, 0, &r->X) || num(p, sec, "gates", 1, 0, &r->G) ||
            num(p, sec, "layers", 1, 1, &r->layers)) { fprintf(stderr, "%s\n", err.text); return 1; }
        snprintf(q, sizeof q, "quality %s", r->name);
        n1 = parse_list(sm_params_get(p, q, "r", NULL), rr, 8);
        n2 = parse_list(sm_params_get(p, q, "diff", NULL), dd, 8);
        if (num(p, q, "criterion", -1e9, 0, &crit)) { fprintf(stderr, "%s\n", err.text); return 1; }
        if (n1 < 2 || n1 != n2) { fprintf(stderr, "%s: [%s] needs r and diff lists of equal length\n", path, q); return 1; }
        r->keep = 1 - interpolate_r(rr, dd, n1, crit);
    }
    for (i = 0; i < sm_params_count(p, "design ") && nds < MAXD; i++) {
        const char *sec = sm_params_section(p, "design ", i), *x;
        design *d = &ds[nds++];
        double b, g;
        sm_loc loc;
        snprintf(d->name, sizeof d->name, "%s", sec + 7);
        x = sm_params_get(p, sec, "executor", &loc);
        if (!x) { fprintf(stderr, "%s: [%s] executor is missing\n", path, sec); return 1; }
        for (h = 0; h < 2 && hier_path[h][0] && strcmp(hier_path[h], x); h++) {}
        if (h == 2) { fprintf(stderr, "%s:%d: at most two executor specs\n", loc.file, loc.line); return 1; }
        if (!hier_path[h][0]) snprintf(hier_path[h], SM_PATH_LEN, "%s", x);
        d->idx_spec = h;
        x = sm_params_get(p, sec, "skip", &loc);
        d->skip = !x || !strcmp(x, "none") ? SM_SKIP_NONE : !strcmp(x, "output") ? SM_SKIP_OUTPUT : !strcmp(x, "input") ? SM_SKIP_INPUT : !strcmp(x, "both") ? SM_SKIP_BOTH : -1;
        if (d->skip < 0) { fprintf(stderr, "%s:%d: [%s] skip: none, output, input or both\n", loc.file, loc.line, sec); return 1; }
        x = sm_params_get(p, sec, "predictor", &loc);
        d->speculator = x && !strcmp(x, "speculator");
        if (x && !d->speculator && strcmp(x, "none")) { fprintf(stderr, "%s:%d: [%s] predictor: none or speculator\n", loc.file, loc.line, sec); return 1; }
        if (num(p, sec, "buckets", 0, 0, &b) || sm_params_num(p, sec, "skipped_cost", 0, 1, 0, &d->skipped_cost, &err) ||
            sm_params_num(p, sec, "gate_inputs", 0, 1, 0, &g, &err)) { fprintf(stderr, "%s\n", err.text); return 1; }
        d->buckets = (long)b;
        d->gate = g > 0;
    }
    CHECK(sm_lockstep_load(p, "executor", &exe, &err));
    CHECK(sm_mac_array_load(p, "speculator", &sarr, &err));
    CHECK(sm_twophase_load(p, "twophase", &tp, &err));
    if (num(p, "speculator", "array_rows", 1, 16, &s_rows) || num(p, "speculator", "array_cols", 1, 32, &s_cols) ||
        num(p, "speculator", "adders", 1, 4096, &s_adders) || num(p, "speculator", "add_pj", 0, 0, &s_add_pj) ||
        num(p, "speculator", "buffer_pj", 0, 0, &s_buf_pj) || num(p, "speculator", "qdr_weight_pj", 0, 0, &s_qdrw_pj) ||
        num(p, "speculator", "input_tile", 1, 8192, &s_tile) ||
        sm_params_num(p, "sparsity", "cnn_keep", 1e-6, 1, 1, &cnn_keep, &err) || sm_params_num(p, "sparsity", "relu_correction", 1e-6, 1, 1, &relu_corr, &err) ||
        sm_params_num(p, "sparsity", "first_input_density", 1e-6, 1, 1, &first_in, &err)) { fprintf(stderr, "%s\n", err.text); return 1; }
    {
        static const char *const keys[] = { "glb", "executor", "speculator", "spec_align_adders", "spec_systolic", "spec_act_buffer", "spec_proj_buffer",
                                            "spec_qdr_input", "spec_qdr_weight", "spec_qdr_output", "spec_mfu", "spec_reorder" };
        for (i = 0; i < 12; i++) if (num(p, "area", keys[i], 0, 0, &area[i])) { fprintf(stderr, "%s\n", err.text); return 1; }
    }
    {
        const char *sz = sm_params_get(p, "dse", "sizes", NULL);
        while (sz && *sz && ndse < 8) {
            int a, b, used;
            if (sscanf(sz, " %dx%d%n", &a, &b, &used) != 2) break;
            dse_rows[ndse] = a; dse_cols[ndse] = b; ndse++;
            sz += used;
        }
    }
    CHECK(sm_params_check(p, NULL, &err));
    sm_params_free(p);
    for (h = 0; h < 2 && hier_path[h][0]; h++) {
        char full[SM_PATH_LEN * 3];
        snprintf(full, sizeof full, "%s%s%s", dir, dir[0] ? "/" : "", hier_path[h]);
        CHECK(sm_spec_load_file(full, NULL, 0, &hier[h], &err));
    }
    return 0;
}

/* ---- one CONV layer ---------------------------------------------------------------------------- */
static long divisor_le(long n, long cap) {
    long d;
    for (d = cap < n ? cap : n; d > 1; d--) if (n % d == 0) return d;
    return 1;
}

static void addloop(sm_loop_list *l, const sm_problem *p, const char *dim, long f) {
    if (f <= 1) return;
    l->loops[l->n].dim = sm_problem_dim(p, dim);
    l->loops[l->n].factor = f;
    l->n++;
}

/* The dense executor on layer c: the DUET dataflow, with the cheapest (DRAM tiles of output rows and
   channels) that fits the GLB. */
static int dense_eval(int h, const conv *c, dense *out) {
    const sm_spec *base = hier[h];
    sm_spec *s = (sm_spec *)malloc(sizeof *s);
    sm_stats *st = (sm_stats *)malloc(sizeof *st);
    char es[200];
    long C = (long)c->C, M = (long)c->M, P = (long)c->P, po, mo, rows = exe.rows ? exe.rows : 16, lanes = exe.lanes ? exe.lanes : 16;
    long ym = divisor_le(M, rows), xc = divisor_le(C, lanes);
    double best = -1;
    int onelevel = base->map[2].bypass != 0, l, t, rc = 1, pass, done_ = 0;
    double dram;
    if (!s || !st) { free(s); free(st); return 1; }
    *s = *base;
    memset(&s->problem, 0, sizeof s->problem);
    if (c->st > 1) snprintf(es, sizeof es, "Outputs[M,P,Q] += Weights[M,C,R,S] * Inputs[C,%g*P+R,%g*Q+S]", c->st, c->st);
    else snprintf(es, sizeof es, "Outputs[M,P,Q] += Weights[M,C,R,S] * Inputs[C,P+R,Q+S]");
    if (sm_einsum_parse(es, &s->problem, NULL, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); goto done; }
    s->problem.word_bits = 16;
    snprintf(s->problem.name, SM_NAME_LEN, "%.47s", c->name);
    s->problem.bounds[sm_problem_dim(&s->problem, "M")] = M;
    s->problem.bounds[sm_problem_dim(&s->problem, "C")] = C;
    s->problem.bounds[sm_problem_dim(&s->problem, "P")] = P;
    s->problem.bounds[sm_problem_dim(&s->problem, "Q")] = (long)c->Q;
    s->problem.bounds[sm_problem_dim(&s->problem, "R")] = (long)c->R;
    s->problem.bounds[sm_problem_dim(&s->problem, "S")] = (long)c->S;
    /* The GLB tiling: the least DRAM traffic, and among those mappings the fewest DRAM chunks of
       output channels mo (steps move along the channels first, Sec. 5.2.1, and the Reorder Unit can
       only permute the channels the GLB holds), then the fewest chunks of output rows po.
       pass 0 finds the least DRAM traffic, pass 1 keeps the first mapping that has it. */
    for (pass = 0; pass < 2; pass++)
    for (mo = 1; mo <= M / ym; mo++) {
        if ((M / ym) % mo) continue;
        for (po = 1; po <= P; po++) {
            sm_problem *p = &s->problem;
            if (P % po || (pass && done_)) continue;
            memset(s->map, 0, sizeof s->map);
            addloop(&s->map[0].temporal, p, "P", po);
            addloop(&s->map[0].temporal, p, "M", mo);
            addloop(&s->map[1].temporal, p, "P", P / po);
            addloop(&s->map[1].temporal, p, "M", M / (mo * ym));
            if (onelevel) addloop(&s->map[1].temporal, p, "Q", (long)c->Q);
            addloop(&s->map[1].spatial_x, p, "C", xc);
            addloop(&s->map[1].spatial_y, p, "M", ym);
            addloop(&s->map[2].temporal, p, "C", C / xc);
            addloop(&s->map[2].temporal, p, "R", (long)c->R);
            addloop(&s->map[2].temporal, p, "S", (long)c->S);
            if (!onelevel) addloop(&s->map[2].temporal, p, "Q", (long)c->Q);
            s->map[2].bypass = base->map[2].bypass;
            if (sm_eval(s, st, &err) != SM_OK) continue;
            dram = 0;
            for (t = 0; t < 3; t++) dram += st->level[0].t[t].reads + st->level[0].t[t].fills + st->level[0].t[t].updates;
            if (!pass) { if (best < 0 || dram < best) best = dram; continue; }
            if (dram > best * (1 + 1e-9)) continue;
            done_ = 1;
            memset(out, 0, sizeof *out);
            out->xc = xc; out->ym = ym; out->mo = mo; out->po = po; out->onelevel = onelevel;
            out->compute = st->compute_cycles;
            for (l = 0; l < 3; l++) {
                const sm_level *lv = &s->levels[l];
                for (t = 0; t < 3; t++)
                    if (st->level[l].kept >> t & 1) {
                        out->cnt[l][t][0] = st->level[l].t[t].reads;
                        out->cnt[l][t][1] = st->level[l].t[t].fills;
                        out->cnt[l][t][2] = st->level[l].t[t].updates;
                    }
                out->pj[l][0] = lv->read_pj; out->pj[l][1] = lv->write_pj; out->pj[l][2] = lv->update_pj ? lv->update_pj : lv->write_pj;
            }
            out->mac_pj = s->compute.mac_pj;
            out->rbw = s->levels[0].read_bw; out->wbw = s->levels[0].write_bw; out->sbw = s->levels[1].shared_bw;
        }
    }
    if (best < 0) fprintf(stderr, "%s: no DUET-dataflow mapping fits (%s)\n", c->name, err.text);
    else rc = 0;
done:
    free(s);
    free(st);
    return rc;
}

static double in_words(const conv *c) { return c->C * (c->st * (c->P - 1) + c->R) * (c->st * (c->Q - 1) + c->S); }

/* The Speculator predicting layer c (the two-phase operator's predictor phase). */
static void spec_eval(const conv *c, const sm_mac_array *arr, double rows_s, double cols_s, double adders, lres *r, const dense *d) {
    sm_twophase op = tp;
    sm_twophase_work w;
    double tiles, compute, glb, dram, dem[4], rate[4], pq = c->P * c->Q;
    op.n = c->M; op.d = c->C * c->R * c->S; op.p = pq;
    op.skip = SM_SKIP_OUTPUT;
    sm_twophase_work_of(&op, &w);
    tiles = ceil(w.k / rows_s) * ceil(c->M / cols_s);
    compute = tiles * (pq + rows_s + cols_s);   /* weight-stationary tiles, each streams every position (plus fill) */
    glb = in_words(c) + (w.pred_weight_bits + w.proj_bits + w.mask_bits) / 16;
    dram = (w.pred_weight_bits + w.proj_bits) / 16;
    dem[0] = compute; rate[0] = 1;
    dem[1] = w.pred_adds; rate[1] = adders;
    dem[2] = glb; rate[2] = d->sbw;
    dem[3] = dram; rate[3] = d->rbw;
    r->pred = sm_bound(4, dem, rate, NULL);
    r->sp_glb = glb / d->sbw;
    r->sp_dram = dram / d->rbw;
    r->k = w.k;
    r->e_sp_chip = w.pred_macs * sm_mac_pj(arr, op.pred_bits ? op.pred_bits : 4) + w.pred_adds * s_add_pj
                 + 2 * w.pred_weight_bits / 16 * s_qdrw_pj                              /* QDR weights: filled, read once per tile */
                 + pq * w.k / 4 * (1 + ceil(c->M / cols_s)) * s_buf_pj                 /* QDR inputs: written, read per column tile */
                 + c->M * pq * 2 * ceil(w.k / rows_s) * s_buf_pj                        /* partial sums across row tiles */
                 + (in_words(c) + pq * op.d) / 4 * s_buf_pj                             /* quantized activations: written, read per patch */
                 + ceil(pq * w.k / s_tile) * w.proj_bits / 16 * s_buf_pj                /* the projection, once per input tile */
                 + glb * d->pj[1][0];                                                   /* GLB words to and from the Speculator */
    r->e_sp_dram = dram * d->pj[0][0];
}

/* Lock-step results repeat (identical layers, designs that share a configuration): memoized. */
static sm_result lockstep_cached(const sm_lockstep *d, sm_lockstep_result *out) {
    static sm_lockstep key[1024];
    static sm_lockstep_result val[1024];
    static int n;
    int i;
    for (i = 0; i < n; i++) if (!memcmp(&key[i], d, sizeof *d)) { *out = val[i]; return SM_OK; }
    if (sm_lockstep_eval(d, out, &err) != SM_OK) return err.code;
    if (n < 1024) { key[n] = *d; val[n] = *out; n++; }
    return SM_OK;
}

/* The executor of design d on layer c, given the dense evaluation and the input density. */
static int layer_eval(const design *dg, const conv *c, const dense *d, double rin, lres *r) {
    int out = dg->skip & SM_SKIP_OUTPUT, in = dg->skip & SM_SKIP_INPUT, l, t, a;
    double keep = out ? cnn_keep : 1, dens = in ? rin : 1;
    double work = (out ? keep + (1 - keep) * dg->skipped_cost : 1) * dens, gate = dg->gate ? rin : 1;
    double glb = 0, dram_r = 0, dram_w = 0, dem[4], rate[4];
    memset(r, 0, sizeof *r);
    r->dense = c->M * c->P * c->Q * c->C * c->R * c->S;
    r->eff = r->dense * keep * dens;
    r->work = r->dense * work;
    for (l = 0; l < 3; l++)
        for (t = 0; t < 3; t++)
            for (a = 0; a < 3; a++) {
                double v = d->cnt[l][t][a], e;
                int innermost = l == 2 || (d->onelevel && l == 1 && t < 2);
                if (innermost && (a == 0 || (t == 2 && a == 2))) v *= work;   /* accesses that feed the MACs */
                e = v * d->pj[l][a];
                if (innermost && a == 0 && t < 2) e *= gate;                    /* gated operand reads */
                if (l == 0) { r->e_dram += e; if (a == 0) dram_r += v; else dram_w += v; }
                else if (l == 1) { r->e_glb += e; glb += v; }
                else r->e_pe += e;
            }
    r->e_mac = r->work * d->mac_pj * gate;
    if (dg->speculator && dg->skip) glb += (c->M * c->P * c->Q + (in ? in_words(c) : 0)) / 16;   /* OMap / IMap reads */
    if (dg->skip) {
        sm_lockstep ls;
        sm_lockstep_result lr;
        memset(&ls, 0, sizeof ls);   /* padding too: the cache compares bytes */
        ls.trials = exe.trials; ls.seed = exe.seed; ls.min_step = exe.min_step;
        ls.rows = d->ym; ls.lanes = d->xc; ls.items = (long)c->Q; ls.keep = keep; ls.skipped_cost = out ? dg->skipped_cost : 0;
        ls.lane_work = c->C / d->xc * c->R * c->S; ls.input_density = dens; ls.units = (long)(c->M / d->mo); ls.buckets = dg->buckets;
        CHECK(lockstep_cached(&ls, &lr));
        r->compute = lr.cycles * c->P * d->mo;
    } else r->compute = d->compute;
    dem[0] = r->compute; rate[0] = 1;
    dem[1] = glb; rate[1] = d->sbw;
    dem[2] = dram_r; rate[2] = d->rbw;
    dem[3] = dram_w; rate[3] = d->wbw;
    r->exec = sm_bound(4, dem, rate, NULL);
    r->ex_glb = glb / d->sbw;
    r->ex_dram = (dram_r + dram_w) / d->rbw;
    r->util = r->eff / ((double)(exe.rows ? exe.rows : 16) * (exe.lanes ? exe.lanes : 16) * r->exec);
    if (dg->speculator) spec_eval(c, &sarr, s_rows, s_cols, s_adders, r, d);
    return 0;
}

/* ---- networks ------------------------------------------------------------------------------- */
typedef struct nres { double time, exec, pred_exposed, e_dram, e_glb, e_pe, e_mac, e_sp; } nres;

static lres lr[MAXD][MAXC];   /* every design on every layer (main fills it) */

/* A network on design dg: its layers (from lr) chained, the Speculator (on array arr) pipelined
   one layer ahead with shared GLB and DRAM ports. */
static void net_eval(const char *net, const design *dg, const sm_mac_array *arr, double rows_s, double cols_s, double adders, nres *o) {
    double pred[MAXC], ex[MAXC], pu[2 * MAXC], eu[2 * MAXC];
    int i, n = 0;
    memset(o, 0, sizeof *o);
    for (i = 0; i < ncv; i++) {
        lres r;
        if (strcmp(cv[i].net, net)) continue;
        r = lr[dg - ds][i];
        if (dg->speculator) spec_eval(&cv[i], arr, rows_s, cols_s, adders, &r, &dn[dg->idx_spec][i]);
        pred[n] = dg->speculator ? r.pred : 0;
        ex[n] = r.exec;
        pu[2 * n] = r.sp_glb; pu[2 * n + 1] = r.sp_dram;
        eu[2 * n] = r.ex_glb; eu[2 * n + 1] = r.ex_dram;
        o->exec += r.exec;
        o->e_dram += r.e_dram + r.e_sp_dram; o->e_glb += r.e_glb; o->e_pe += r.e_pe; o->e_mac += r.e_mac; o->e_sp += r.e_sp_chip;
        n++;
    }
    o->time = sm_twophase_pipeline(n, pred, ex, 2, pu, eu, dg->speculator, &o->pred_exposed);
}

static double net_energy(const nres *r) { return r->e_dram + r->e_glb + r->e_pe + r->e_mac + r->e_sp; }

/* One RNN cell (a layer at one time step) on the executor-only baseline (spec 0) or DUET (spec 1):
   time in cycles, energy in pJ, DRAM transfer time, on-chip Speculator energy. */
typedef struct rres { double time, energy, dram_time, e_sp_chip, e_chip, words; } rres;
static void rnn_eval(const rnn *w, int duet, rres *o) {
    const dense *d = &dn[0][0];
    double pred[8], ex[8], pu[8], eu[8], D = w->H + w->X, keep = duet ? w->keep : 1, kx, kh, macs_per_cycle = 256;
    double e_chip = 0, e_dram = 0, e_sp = 0, dram_words = 0;
    int g, G = (int)w->G;
    sm_twophase op = tp;
    sm_twophase_work wk;
    kx = (double)sm_jl_dim(w->G * w->H, tp.eps > 0 ? tp.eps : 0.5);
    kh = fmin(kx, w->H);
    kx = fmin(kx, w->X);
    op.n = w->H; op.d = D; op.p = 1; op.k = kx + kh; op.keep = keep; op.skip = SM_SKIP_OUTPUT; op.row_skip = 1;
    sm_twophase_work_of(&op, &wk);
    memset(o, 0, sizeof *o);
    for (g = 0; g < G && g < 8; g++) {
        double words = wk.exec_weight_bits / 16, macs = wk.exec_macs, pw = wk.pred_weight_bits / 16, adds = 0, projw = 0, dem[3], rate[3];
        if (g == 0) { adds = (kx * w->X + kh * w->H) * (tp.proj_density > 0 ? tp.proj_density : 1.0 / 3); projw = (kx * w->X + kh * w->H) * 2 / 16; }
        dem[0] = macs; rate[0] = macs_per_cycle;
        dem[1] = words; rate[1] = d->rbw;
        dem[2] = 2 * words; rate[2] = d->sbw;
        ex[g] = sm_bound(3, dem, rate, NULL);
        eu[g] = words / d->rbw;
        /* weights: DRAM -> GLB (fill) -> PE (read) -> RF (write, read); inputs are reused across rows */
        e_dram += words * d->pj[0][0];
        e_chip += words * (d->pj[1][1] + d->pj[1][0] + 2 * d->pj[2][0]) + macs * (d->mac_pj + 3 * d->pj[2][0]) + w->H * d->pj[1][2];
        dram_words += words;
        if (duet) {
            dem[0] = wk.pred_macs; rate[0] = sm_mac_rate(&sarr, 4);
            dem[1] = pw + projw; rate[1] = d->rbw;
            dem[2] = adds; rate[2] = s_adders;
            pred[g] = sm_bound(3, dem, rate, NULL);
            pu[g] = (pw + projw) / d->rbw;
            e_dram += (pw + projw) * d->pj[0][0];
            dram_words += pw + projw;
            e_sp += wk.pred_macs * sm_mac_pj(&sarr, 4) + adds * s_add_pj + 2 * pw * s_qdrw_pj + projw * 2 * s_buf_pj
                  + w->H * (d->pj[1][2] + s_buf_pj);   /* approximate results dequantized into the GLB */
        } else pred[g] = pu[g] = 0;
    }
    o->time = sm_twophase_pipeline(G, pred, ex, 1, pu, eu, duet, NULL);
    o->dram_time = dram_words / d->rbw;
    o->words = dram_words;
    o->e_sp_chip = e_sp;
    o->e_chip = e_chip + e_sp;
    o->energy = e_chip + e_sp + e_dram;
}

/* ---- figures ------------------------------------------------------------------------------------ */
static const design *find_design(const char *name) {
    int i;
    for (i = 0; i < nds; i++) if (!strcmp(ds[i].name, name)) return &ds[i];
    fprintf(stderr, "specs/duet.ini: no [design %s]\n", name);
    exit(1);
}

static int is_net(const conv *c, const char *a, const char *b) { return !strcmp(c->net, a) || (b && !strcmp(c->net, b)); }

int main(int argc, char **argv) {
    ex_claims cl;
    char base[600];
    FILE *f;
    int i, j, h, figs;
    const design *dbase, *dduet, *dos, *dbos, *dios;
    static const char *const nets[] = { "alexnet", "resnet18", "resnet50" };
    static const char *const comp[] = { "eyeriss", "cnvlutin", "snapea", "predict", "predict_cnvlutin", "duet" };
    double s_os = 0, s_bos = 0, s_ios = 0, s_duet = 0, u_os = 0, u_bos = 0, u_ios = 0, u_duet = 0, lat_b = 0, lat_d = 0, lat_s = 0;
    double sp_lo = 1e9, sp_hi = 0, rnn_sp_hi = 0, spd_sum = 0, en_sum = 0, rnn_dram_b = 0, rnn_dram_d = 0, knee = 0;
    double cmpv[6][3];
    int nl9a = 0, nl9b = 0, nmodels = 0;
    memset(&cl, 0, sizeof cl);
    cl.mode = ex_mode_parse(argc, argv);
    figs = cl.mode == EX_FIGURES;
    if (load("specs/duet.ini")) return 1;
    for (h = 0; h < 2; h++)
        for (i = 0; i < ncv; i++) if (hier[h] && dense_eval(h, &cv[i], &dn[h][i])) return 1;
    dbase = find_design("executor_only"); dduet = find_design("duet"); dos = find_design("os"); dbos = find_design("bos"); dios = find_design("ios");
    for (j = 0; j < nds; j++)
        for (i = 0; i < ncv; i++) {
            int first = i == 0 || strcmp(cv[i].net, cv[i - 1].net);
            if (layer_eval(&ds[j], &cv[i], &dn[ds[j].idx_spec][i], first ? first_in : cnn_keep * relu_corr, &lr[j][i])) return 1;
        }

    /* Fig. 5.3: a PE step of 27 MACs, 9 after the OMap, 3 after the IMap */
    {
        sm_twophase op;
        sm_twophase_work w0, w1, w2;
        memset(&op, 0, sizeof op);
        op.n = 3; op.d = 9; op.p = 1; op.keep = 1.0 / 3; op.input_density = 1.0 / 3;
        op.skip = SM_SKIP_NONE; sm_twophase_work_of(&op, &w0);
        op.skip = SM_SKIP_OUTPUT; sm_twophase_work_of(&op, &w1);
        op.skip = SM_SKIP_BOTH; sm_twophase_work_of(&op, &w2);
        if (figs && (f = ex_figure_open("duet", "fig5_3", base, sizeof base))) {
            fprintf(f, "# stage\tMACs\n# Fig. 5.3: 3x5x1 input tile, 3x3x1 filter, 1x3x1 outputs; OMap keeps 1 of 3 outputs, IMap 1/3 of the inputs\n");
            fprintf(f, "dense\t%g\nOMap (output switching)\t%g\nOMap+IMap\t%g\n", w0.exec_macs, w1.exec_macs, w2.exec_macs);
            fclose(f);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Fig. 5.3: MACs of one PE step (two-phase operator: output, then input skipping)'\n"
                             "set style data histograms\nset style fill solid 0.8\nset boxwidth 0.6\nset ylabel 'MACs'\nset yrange [0:30]\nset grid ytics\n"
                             "plot datafile using 2:xtic(1) notitle, '' using 0:2:2 with labels offset 0,1 notitle\n");
        }
        ex_claim(&cl, "duet.fig5_3_macs_after_omap", w1.exec_macs, 9, "MACs", 0.10, 1, "Liu 2022 Fig. 5.3 (L3440-3446)");
        ex_claim(&cl, "duet.fig5_3_macs_after_imap", w2.exec_macs, 3, "MACs", 0.10, 1, "Liu 2022 Fig. 5.3 (L3440-3446)");
    }

    /* Fig. 5.9(a)-(c): layer-wise speedups (AlexNet + ResNet18 CONV), utilization (AlexNet + VGG16) */
    {
        FILE *fa = figs ? ex_figure_open("duet", "fig5_9a", base, sizeof base) : NULL;
        char b9b[600], b9c[600];
        FILE *fb = figs ? ex_figure_open("duet", "fig5_9b", b9b, sizeof b9b) : NULL;
        FILE *fc = figs ? ex_figure_open("duet", "fig5_9c", b9c, sizeof b9c) : NULL;
        if (fa) fprintf(fa, "# layer\tOS\tBOS\tIOS\tDUET\t(executor speedup over the executor-only baseline; substitute: i.i.d. keep %.3f, inputs = previous keep)\n", cnn_keep);
        if (fb) fprintf(fb, "# layer\tOS\tBOS\tIOS\tDUET\t(MAC utilization: effectual MACs / (256 x executor cycles))\n");
        if (fc) fprintf(fc, "# layer\tbaseline_executor_ms\tduet_executor_ms\tspeculator_ms\n");
        for (i = 0; i < ncv; i++) {
            const lres *b = &lr[dbase - ds][i], *o = &lr[dos - ds][i], *bo = &lr[dbos - ds][i], *io = &lr[dios - ds][i], *du = &lr[dduet - ds][i];
            double clk = hier[0]->clock_ghz > 0 ? hier[0]->clock_ghz : 1;
            if (is_net(&cv[i], "alexnet", "resnet18")) {
                s_os += b->exec / o->exec; s_bos += b->exec / bo->exec; s_ios += b->exec / io->exec; s_duet += b->exec / du->exec;
                lat_b += b->exec / clk * 1e-6; lat_d += du->exec / clk * 1e-6; lat_s += du->pred / clk * 1e-6;
                sp_lo = fmin(sp_lo, du->e_sp_chip / (b->e_glb + b->e_pe + b->e_mac));
                sp_hi = fmax(sp_hi, du->e_sp_chip / (b->e_glb + b->e_pe + b->e_mac));
                nl9a++;
                if (fa) fprintf(fa, "%s\t%.4f\t%.4f\t%.4f\t%.4f\n", cv[i].name, b->exec / o->exec, b->exec / bo->exec, b->exec / io->exec, b->exec / du->exec);
                if (fc) fprintf(fc, "%s\t%.5f\t%.5f\t%.5f\n", cv[i].name, b->exec / clk * 1e-6, du->exec / clk * 1e-6, du->pred / clk * 1e-6);
            }
            if (is_net(&cv[i], "alexnet", "vgg16")) {
                u_os += o->util; u_bos += bo->util; u_ios += io->util; u_duet += du->util;
                nl9b++;
                if (fb) fprintf(fb, "%s\t%.4f\t%.4f\t%.4f\t%.4f\n", cv[i].name, o->util, bo->util, io->util, du->util);
            }
        }
        if (fa) {
            fclose(fa);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Fig. 5.9(a): executor speedup per CONV layer (substitute: i.i.d. keep 34.5%)' noenhanced\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset xtics rotate by -60 font ',8'\n"
                             "set ylabel 'speedup over executor-only'\nset grid ytics\nset key outside top center horizontal\n"
                             "set yrange [0:*]\n"
                             "plot datafile using 2:xtic(1) title 'OS', '' using 3 title 'BOS', '' using 4 title 'IOS', '' using 5 title 'DUET'\n");
        }
        if (fb) {
            fclose(fb);
            ex_figure_render(b9b, "set datafile separator \'\t\'\nset title 'Fig. 5.9(b): MAC utilization per CONV layer (AlexNet, VGG16; substitute sparsity)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset xtics rotate by -60 font ',8'\n"
                             "set ylabel 'MAC utilization'\nset yrange [0:1.05]\nset grid ytics\nset key outside top center horizontal\n"
                             "plot datafile using 2:xtic(1) title 'OS', '' using 3 title 'BOS', '' using 4 title 'IOS', '' using 5 title 'DUET'\n");
        }
        if (fc) {
            fclose(fc);
            ex_figure_render(b9c, "set datafile separator \'\t\'\nset title 'Fig. 5.9(c): executor and speculator latency per CONV layer (1 GHz assumed)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset xtics rotate by -60 font ',8'\n"
                             "set ylabel 'ms'\nset grid ytics\nset key outside top center horizontal\n"
                             "set yrange [0:*]\n"
                             "plot datafile using 2:xtic(1) title 'baseline executor', '' using 3 title 'DUET executor', '' using 4 title 'DUET speculator'\n");
        }
    }
    s_os /= nl9a; s_bos /= nl9a; s_ios /= nl9a; s_duet /= nl9a; lat_b /= nl9a; lat_d /= nl9a; lat_s /= nl9a;
    u_os /= nl9b; u_bos /= nl9b; u_ios /= nl9b; u_duet /= nl9b;

    /* Fig. 5.8(a): per model speedup and energy saving over the executor-only baseline; Fig. 5.9(e) energy */
    {
        FILE *fa = figs ? ex_figure_open("duet", "fig5_8a", base, sizeof base) : NULL;
        char be[600], bd[600];
        FILE *fe = figs ? ex_figure_open("duet", "fig5_9e", be, sizeof be) : NULL;
        FILE *fd = figs ? ex_figure_open("duet", "fig5_9d", bd, sizeof bd) : NULL;
        if (fa) fprintf(fa, "# model\tspeedup\tenergy_saving\t(over the executor-only baseline; CNNs: CONV layers)\n");
        if (fe) fprintf(fe, "# model.design\tDRAM\tGLB\tPE_buffers\tMACs\tspeculator\t(energy normalized to the model's executor-only total; RNN: GLB column = all on-chip)\n");
        if (fd) fprintf(fd, "# rnn\tbase_dram_ms\tduet_dram_ms\tbase_compute_ms\tduet_compute_ms\t(one cell: a layer at one time step)\n");
        for (i = 0; i < 3; i++) {
            nres b, d;
            net_eval(nets[i], dbase, &sarr, s_rows, s_cols, s_adders, &b); net_eval(nets[i], dduet, &sarr, s_rows, s_cols, s_adders, &d);
            spd_sum += b.time / d.time; en_sum += net_energy(&b) / net_energy(&d); nmodels++;
            if (fa) fprintf(fa, "%s\t%.4f\t%.4f\n", nets[i], b.time / d.time, net_energy(&b) / net_energy(&d));
            if (fe) {
                double eb = net_energy(&b);
                fprintf(fe, "%s.base\t%.4f\t%.4f\t%.4f\t%.4f\t0\n", nets[i], b.e_dram / eb, b.e_glb / eb, b.e_pe / eb, b.e_mac / eb);
                fprintf(fe, "%s.duet\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", nets[i], d.e_dram / eb, d.e_glb / eb, d.e_pe / eb, d.e_mac / eb, d.e_sp / eb);
            }
        }
        for (i = 0; i < nrn; i++) {
            rres b, d;
            double clk = hier[0]->clock_ghz > 0 ? hier[0]->clock_ghz : 1;
            rnn_eval(&rn[i], 0, &b);
            rnn_eval(&rn[i], 1, &d);
            spd_sum += b.time / d.time; en_sum += b.energy / d.energy; nmodels++;
            rnn_dram_b += b.dram_time / clk * 1e-6; rnn_dram_d += d.dram_time / clk * 1e-6;
            rnn_sp_hi = fmax(rnn_sp_hi, d.e_sp_chip / b.e_chip);
            if (fa) fprintf(fa, "%s\t%.4f\t%.4f\n", rn[i].name, b.time / d.time, b.energy / d.energy);
            if (fe) {
                fprintf(fe, "%s.base\t%.4f\t%.4f\t0\t0\t0\n", rn[i].name, (b.energy - b.e_chip) / b.energy, b.e_chip / b.energy);
                fprintf(fe, "%s.duet\t%.4f\t%.4f\t0\t0\t%.4f\n", rn[i].name, (d.energy - d.e_chip) / b.energy, (d.e_chip - d.e_sp_chip) / b.energy, d.e_sp_chip / b.energy);
            }
            if (fd) fprintf(fd, "%s\t%.5f\t%.5f\t%.5f\t%.5f\n", rn[i].name, b.dram_time / clk * 1e-6, d.dram_time / clk * 1e-6,
                            b.time / clk * 1e-6, d.time / clk * 1e-6);
            if (!strcmp(rn[i].name, "lstm1500"))
                ex_claim(&cl, "duet.lstm_weight_access_reduction", b.words / d.words, 1.89, "x", 0.25, 0, "Liu 2022 Fig. 5.7(c) (L3872); r from DMI Table 3.2 at +1 PPL");
            if (!strcmp(rn[i].name, "gnmt_decoder"))
                ex_claim(&cl, "duet.gnmt_weight_access_reduction", b.words / d.words, 2.22, "x", 0.25, 0, "Liu 2022 Fig. 5.7(d) (L3881); r from DMI Table 3.2 at -1 BLEU");
        }
        rnn_dram_b /= nrn; rnn_dram_d /= nrn;
        if (fa) {
            fclose(fa);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Fig. 5.8(a): DUET over executor-only (substitute sparsity; CNN CONV layers)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset ylabel 'x'\nset grid ytics\nset key outside top center horizontal\n"
                             "set yrange [0:*]\n"
                             "plot datafile using 2:xtic(1) title 'speedup', '' using 3 title 'energy saving'\n");
        }
        if (fe) {
            fclose(fe);
            ex_figure_render(be, "set datafile separator \'\t\'\nset title 'Fig. 5.9(e): energy by level / executor-only energy (assumed Eyeriss ladder)'\n"
                             "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.85 border -1\nset boxwidth 0.7\n"
                             "set xtics rotate by -45 font ',9'\nset ylabel 'energy / executor-only energy'\nset yrange [0:1.05]\nset key outside right top\nset grid ytics\n"
                             "plot datafile using 2:xtic(1) title 'DRAM', '' using 3 title 'GLB (RNN: all on-chip)', '' using 4 title 'PE buffers', '' using 5 title 'MACs', '' using 6 title 'speculator'\n");
        }
        if (fd) {
            fclose(fd);
            ex_figure_render(bd, "set datafile separator \'\t\'\nset title 'Fig. 5.9(d): RNN cell latency, DRAM weight transfer and total (19.2 GB/s assumed)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset ylabel 'ms'\nset grid ytics\nset key outside top center horizontal\n"
                             "set yrange [0:*]\n"
                             "plot datafile using 2:xtic(1) title 'base DRAM', '' using 3 title 'DUET DRAM', '' using 4 title 'base total', '' using 5 title 'DUET total'\n");
        }
    }

    /* Fig. 5.8(b): latency, energy, EDP of the comparison designs, normalized to DUET (CNN models) */
    {
        FILE *fb = figs ? ex_figure_open("duet", "fig5_8b", base, sizeof base) : NULL;
        memset(cmpv, 0, sizeof cmpv);
        for (i = 0; i < 3; i++) {
            nres r[6];
            for (j = 0; j < 6; j++) net_eval(nets[i], find_design(comp[j]), &sarr, s_rows, s_cols, s_adders, &r[j]);
            for (j = 0; j < 6; j++) {
                cmpv[j][0] += r[j].time / r[5].time / 3;
                cmpv[j][1] += net_energy(&r[j]) / net_energy(&r[5]) / 3;
                cmpv[j][2] += r[j].time * net_energy(&r[j]) / (r[5].time * net_energy(&r[5])) / 3;
            }
        }
        if (fb) {
            fprintf(fb, "# design\tlatency\tenergy\tEDP\t(normalized to DUET; mean over AlexNet, ResNet18, ResNet50 CONV layers)\n");
            for (j = 0; j < 6; j++) fprintf(fb, "%s\t%.4f\t%.4f\t%.4f\n", comp[j], cmpv[j][0], cmpv[j][1], cmpv[j][2]);
            fclose(fb);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Fig. 5.8(b): 256-MAC designs / DUET (substitute sparsity, Eyeriss ladder)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset ylabel 'normalized to DUET'\nset grid ytics\nset key outside top center horizontal\n"
                             "set yrange [0:*]\n"
                             "plot datafile using 2:xtic(1) title 'latency', '' using 3 title 'energy', '' using 4 title 'EDP'\n");
        }
    }

    /* Fig. 5.10(a): Speculator size (AlexNet, ResNet18), the adders scaled with the array */
    {
        FILE *fd = figs ? ex_figure_open("duet", "fig5_10", base, sizeof base) : NULL;
        double sp[8][2];
        if (fd) fprintf(fd, "# speculator\talexnet_speedup\tresnet18_speedup\t(network speedup over the executor-only baseline)\n");
        for (j = 0; j < ndse; j++) {
            sm_mac_array a = sarr;
            a.units = (long)(dse_rows[j] * dse_cols[j]);
            for (i = 0; i < 2; i++) {
                nres b, d;
                net_eval(nets[i], dbase, &a, dse_rows[j], dse_cols[j], s_adders * a.units / (s_rows * s_cols), &b);
                net_eval(nets[i], dduet, &a, dse_rows[j], dse_cols[j], s_adders * a.units / (s_rows * s_cols), &d);
                sp[j][i] = b.time / d.time;
            }
            if (fd) fprintf(fd, "%gx%g\t%.4f\t%.4f\n", dse_rows[j], dse_cols[j], sp[j][0], sp[j][1]);
            if (dse_rows[j] == 32 && dse_cols[j] == 32 && j > 0) knee = (sp[j][0] + sp[j][1]) / (sp[j - 1][0] + sp[j - 1][1]);
        }
        if (fd) {
            fclose(fd);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Fig. 5.10(a): DUET speedup vs Speculator systolic-array size (adders scaled)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset ylabel 'speedup over executor-only'\nset grid ytics\nset key outside top center horizontal\n"
                             "set yrange [0:*]\n"
                             "plot datafile using 2:xtic(1) title 'AlexNet', '' using 3 title 'ResNet18'\n");
        }
    }

    /* Table 5.1, Table 3.4, Table 3.5 */
    {
        double total = area[0] + area[1] + area[2], subs = 0;
        for (i = 3; i < 12; i++) subs += area[i];
        if (figs && (f = ex_figure_open("duet", "table5_1", base, sizeof base))) {
            fprintf(f, "# unit\tarea_mm2\tshare\t(Table 5.1, 45 nm; Speculator total 0.699 used, its sub-rows sum to %.3f)\n", subs);
            fprintf(f, "GLB\t%.3f\t%.4f\nExecutor\t%.3f\t%.4f\nSpeculator\t%.3f\t%.4f\n", area[0], area[0] / total, area[1], area[1] / total, area[2], area[2] / total);
            fclose(f);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Table 5.1: DUET area shares (45 nm)'\nset style data histograms\nset style fill solid 0.8\nset boxwidth 0.6\n"
                             "set ylabel 'share of chip area'\nset yrange [0:0.7]\nset grid ytics\nplot datafile using 3:xtic(1) notitle, '' using 0:3:3 with labels offset 0,1 notitle\n");
        }
        ex_claim(&cl, "duet.area_share_executor", area[1] / total, 0.400, "-", 0.10, 1, "Liu 2022 Table 5.1 / L3913");
        ex_claim(&cl, "duet.area_share_speculator", area[2] / total, 0.066, "-", 0.10, 1, "Liu 2022 Table 5.1 / L3915 (Speculator total 0.699; sub-rows sum to 1.231)");
    }
    {
        static const double eps[3] = { 0.3, 0.5, 0.7 }, paper_k[3] = { 966, 417, 266 };
        static const int bits[5] = { 32, 16, 8, 4, 2 };
        static const double paper_mib[6] = { 68.7, 19.1, 9.6, 4.8, 2.4, 1.2 };
        double mib[6];
        FILE *f4 = figs ? ex_figure_open("duet", "table3_4", base, sizeof base) : NULL;
        char b5[600];
        FILE *f5 = figs ? ex_figure_open("duet", "table3_5", b5, sizeof b5) : NULL;
        if (f4) fprintf(f4, "# eps\tk_model\tk_thesis\t(LSTM-1500: n = 4 gates x 1500 rows; k = floor(4 ln n / (eps^2/2 - eps^3/3)))\n");
        for (i = 0; i < 3; i++) {
            long k = sm_jl_dim(6000, eps[i]);
            char name[64];
            if (f4) fprintf(f4, "%.1f\t%ld\t%g\n", eps[i], k, paper_k[i]);
            snprintf(name, sizeof name, "dmi.table3_4_k_eps%.1f", eps[i]);
            ex_claim(&cl, name, (double)k, paper_k[i], "dims", 0.10, 1, "Liu 2022 Table 3.4 (L2227-2234)");
        }
        /* Table 3.5: LSTM-1500 weights, 4 gates x 2 GEMVs x 1500 x 1500 FP32, and the little module's 4 x 2 x 1500 x k */
        {
            sm_twophase op;
            sm_twophase_work w;
            memset(&op, 0, sizeof op);
            op.n = 6000; op.d = 1500; op.p = 1; op.eps = 0.5; op.exec_bits = 32;
            sm_twophase_work_of(&op, &w);
            mib[0] = 2 * 6000.0 * 1500 * 32 / 8 / 1048576;
            for (i = 0; i < 5; i++) { op.pred_bits = bits[i]; sm_twophase_work_of(&op, &w); mib[i + 1] = 2 * w.pred_weight_bits / 8 / 1048576; }
        }
        if (f5) fprintf(f5, "# module\tMiB_model\tMiB_thesis\n");
        for (i = 0; i < 6; i++) {
            char name[64];
            if (f5) fprintf(f5, "%s%s\t%.3f\t%g\n", i == 0 ? "base FP32" : "little ", i == 0 ? "" : (const char *[]){ "FP32", "INT16", "INT8", "INT4", "INT2" }[i - 1], mib[i], paper_mib[i]);
            snprintf(name, sizeof name, "dmi.table3_5_params_%s", i == 0 ? "base" : (const char *[]){ "fp32", "int16", "int8", "int4", "int2" }[i - 1]);
            ex_claim(&cl, name, mib[i], paper_mib[i], "MiB", 0.10, 1, "Liu 2022 Table 3.5 (L2283-2291)");
        }
        if (f4) {
            fclose(f4);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Table 3.4: reduced dimension k (Johnson-Lindenstrauss), LSTM-1500'\nset style data histograms\nset style histogram clustered\n"
                             "set style fill solid 0.8\nset ylabel 'k'\nset grid ytics\nplot datafile using 2:xtic(1) title 'model', '' using 3 title 'thesis'\n");
        }
        if (f5) {
            fclose(f5);
            ex_figure_render(b5, "set datafile separator \'\t\'\nset title 'Table 3.5: LSTM-1500 parameters (MiB), base and little module by precision'\nset style data histograms\nset style histogram clustered\n"
                             "set style fill solid 0.8\nset ylabel 'MiB'\nset logscale y\nset grid ytics\nplot datafile using 2:xtic(1) title 'model', '' using 3 title 'thesis'\n");
        }
    }

    /* claims */
    ex_claim(&cl, "duet.avg_speedup", spd_sum / nmodels, 2.24, "x", 0.25, 0, "Liu 2022 Fig. 5.8(a) (L3938)");
    ex_claim(&cl, "duet.avg_energy_saving", en_sum / nmodels, 1.95, "x", 0.25, 0, "Liu 2022 L4028 (1.97x L4196, 2.0x L7466: we test 1.95)");
    ex_claim(&cl, "duet.os_speedup", s_os, 1.20, "x", 0.25, 0, "Liu 2022 Fig. 5.9(a) (L3960)");
    ex_claim(&cl, "duet.bos_speedup", s_bos, 1.93, "x", 0.25, 0, "Liu 2022 Fig. 5.9(a) (L3963)");
    ex_claim(&cl, "duet.ios_speedup", s_ios, 2.36, "x", 0.25, 0, "Liu 2022 Fig. 5.9(a) (L3966)");
    ex_claim(&cl, "duet.duet_conv_speedup", s_duet, 3.05, "x", 0.25, 0, "Liu 2022 Fig. 5.9(a) (L3969)");
    ex_claim(&cl, "duet.os_utilization", u_os, 0.47, "-", 0.25, 0, "Liu 2022 Fig. 5.9(b) (L3993)");
    ex_claim(&cl, "duet.bos_utilization", u_bos, 0.76, "-", 0.25, 0, "Liu 2022 Fig. 5.9(b) (L3994)");
    ex_claim(&cl, "duet.ios_utilization", u_ios, 0.30, "-", 0.25, 0, "Liu 2022 Fig. 5.9(b) (L3987)");
    ex_claim(&cl, "duet.duet_utilization", u_duet, 0.39, "-", 0.25, 0, "Liu 2022 Fig. 5.9(b) (L3997)");
    for (i = 0; i < ncv; i++)
        if (!strcmp(cv[i].name, "alexnet.conv5")) {
            ex_claim(&cl, "duet.conv5_theoretical_speedup", lr[dos - ds][i].dense / lr[dos - ds][i].eff, 2.9, "x", 0.10, 1, "Liu 2022 L3975 (1/(1-0.655))");
            ex_claim(&cl, "duet.conv5_os_speedup", lr[dbase - ds][i].exec / lr[dos - ds][i].exec, 1.36, "x", 0.25, 0, "Liu 2022 L3976");
        }
    ex_claim(&cl, "duet.baseline_executor_latency", lat_b, 1.06, "ms", 0.25, 0, "Liu 2022 Fig. 5.9(c) (L4013); clock assumed 1 GHz");
    ex_claim(&cl, "duet.duet_executor_latency", lat_d, 0.29, "ms", 0.25, 0, "Liu 2022 Fig. 5.9(c) (L4014); clock assumed 1 GHz");
    ex_claim(&cl, "duet.executor_latency_reduction", lat_b / lat_d, 1.06 / 0.29, "x", 0.25, 0, "Liu 2022 Fig. 5.9(c) (1.06/0.29 ms)");
    ex_claim(&cl, "duet.speculator_latency", lat_s, 0.20, "ms", 0.25, 0, "Liu 2022 Fig. 5.9(c) (L4015); clock assumed 1 GHz");
    ex_claim(&cl, "duet.speculator_vs_baseline_latency", lat_s / lat_b, 0.20 / 1.06, "-", 0.25, 0, "Liu 2022 Fig. 5.9(c) (0.20/1.06 ms)");
    ex_claim(&cl, "duet.rnn_dram_latency_base", rnn_dram_b, 0.65, "ms", 0.25, 0, "Liu 2022 Fig. 5.9(d) (L4025); 19.2 GB/s assumed, one cell");
    ex_claim(&cl, "duet.rnn_dram_latency_duet", rnn_dram_d, 0.30, "ms", 0.25, 0, "Liu 2022 Fig. 5.9(d) (L4025); 19.2 GB/s assumed, one cell");
    ex_claim(&cl, "duet.rnn_dram_latency_reduction", rnn_dram_b / rnn_dram_d, 0.65 / 0.30, "x", 0.25, 0, "Liu 2022 Fig. 5.9(d) (0.65/0.30 ms)");
    ex_claim(&cl, "duet.speculator_energy_share_conv_min", sp_lo, 0.035, "-", 0.25, 0, "Liu 2022 Fig. 5.9(f) (L4062)");
    ex_claim(&cl, "duet.speculator_energy_share_conv_max", sp_hi, 0.063, "-", 0.25, 0, "Liu 2022 Fig. 5.9(f) (L4063)");
    ex_claim(&cl, "duet.speculator_energy_share_rnn_max", rnn_sp_hi, 0.01, "-", 0.25, 0, "Liu 2022 Fig. 5.9(f) (L4064: below 1%)");
    ex_claim(&cl, "duet.energy_vs_cnvlutin", cmpv[1][1], 1.77, "x", 0.25, 0, "Liu 2022 Fig. 5.8(b) (L4120)");
    ex_claim(&cl, "duet.energy_vs_snapea", cmpv[2][1], 2.21, "x", 0.25, 0, "Liu 2022 Fig. 5.8(b) (L4121)");
    ex_claim(&cl, "duet.energy_vs_predict", cmpv[3][1], 2.21, "x", 0.25, 0, "Liu 2022 Fig. 5.8(b) (L4121)");
    ex_claim(&cl, "duet.edp_vs_snapea", cmpv[2][2], 3.98, "x", 0.25, 0, "Liu 2022 Fig. 5.8(b) (L4138)");
    ex_claim(&cl, "duet.edp_vs_predict", cmpv[3][2], 2.21, "x", 0.25, 0, "Liu 2022 Fig. 5.8(b) (L4138; equal to its energy ratio, i.e. equal delay: suspicious)");
    ex_claim(&cl, "duet.energy_vs_predict_cnvlutin", cmpv[4][1], 1.81, "x", 0.25, 0, "Liu 2022 L4142");
    ex_claim(&cl, "duet.edp_vs_predict_cnvlutin", cmpv[4][2], 2.03, "x", 0.25, 0, "Liu 2022 L4143");
    ex_claim(&cl, "duet.speculator_32x32_over_16x32", knee, 1.0, "x", 0.25, 0, "Liu 2022 Fig. 5.10(a) (L4160: 32x32 'merely improves')");
    for (i = 0; i < 2; i++) if (hier[i]) sm_spec_free(hier[i]);
    return ex_claims_done(&cl);
}
