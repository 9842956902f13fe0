/* Mapper and sweep tests ([@search]): the known optimum of small mapspaces against an independent
   brute force, determinism across threads and shards, constraints, empty mapspaces, the written
   mapping re-evaluated, sweeps and Pareto fronts, and the Timeloop reference cases (a fast subset:
   the mapper, with the case's mapping removed, must match or beat its EDP within the default budget).
   Budgets are small: this runs under ASan on a shared 2-core machine. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "test_common.h"

static sm_spec *load(const char *text, sm_error *err) {
    sm_spec *s = NULL;
    if (sm_spec_load_string(text, "mapper.ini", NULL, 0, &s, err) != SM_OK) { printf("%s\n", err->text); return NULL; }
    return s;
}

/* A GEMM on DRAM -> buf (4 words) -> 2x2 MACs: small enough to enumerate by hand. */
static const char *SMALL =
    "[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=4 n=2 k=2\n"
    "[arch]\nname = small\n"
    "[level DRAM]\nread_pj = 20\nwrite_pj = 20\n"
    "[level buf]\nsize = 6\nread_pj = 1\nwrite_pj = 1.5\nread_bw = 2\nleak_pj = 0.01\n"
    "[compute mac]\ninstances = 4\nmesh_x = 2\nmac_pj = 0.3\n";

/* Independent brute force: every split of every dim over (DRAM.T, buf.T, buf.Y, buf.X), every
   order at both levels, every keep choice at buf; the least EDP. */
static double brute_force(const sm_spec *base, double *evaluated) {
    static const int perms[6][3] = { {0,1,2}, {0,2,1}, {1,0,2}, {1,2,0}, {2,0,1}, {2,1,0} };
    sm_spec *s = (sm_spec *)malloc(sizeof *s);
    sm_stats *st = (sm_stats *)malloc(sizeof *st);
    double best = -1;
    long split[3][16][4];
    int nsplit[3] = {0, 0, 0}, d, a, b, c, i, pd, pb, keep, k;
    *s = *base;
    *evaluated = 0;
    for (d = 0; d < 3; d++) {   /* ordered factorizations of each bound into 4 factors */
        long n = s->problem.bounds[d], f0, f1, f2;
        for (f0 = 1; f0 <= n; f0++) for (f1 = 1; f1 <= n; f1++) for (f2 = 1; f2 <= n; f2++) {
            if (n % (f0 * f1 * f2)) continue;
            split[d][nsplit[d]][0] = f0; split[d][nsplit[d]][1] = f1; split[d][nsplit[d]][2] = f2; split[d][nsplit[d]][3] = n / (f0 * f1 * f2);
            nsplit[d]++;
        }
    }
    for (a = 0; a < nsplit[0]; a++) for (b = 0; b < nsplit[1]; b++) for (c = 0; c < nsplit[2]; c++)
        for (pd = 0; pd < 6; pd++) for (pb = 0; pb < 6; pb++) for (keep = 0; keep < 8; keep++) {
            const long *f[3];
            f[0] = split[0][a]; f[1] = split[1][b]; f[2] = split[2][c];
            memset(s->map, 0, sizeof s->map);
            for (i = 0; i < 3; i++) {
                d = perms[pd][i];
                if (f[d][0] > 1) { s->map[0].temporal.loops[s->map[0].temporal.n].dim = d; s->map[0].temporal.loops[s->map[0].temporal.n++].factor = f[d][0]; }
                d = perms[pb][i];
                if (f[d][1] > 1) { s->map[1].temporal.loops[s->map[1].temporal.n].dim = d; s->map[1].temporal.loops[s->map[1].temporal.n++].factor = f[d][1]; }
            }
            for (d = 0; d < 3; d++) {
                if (f[d][2] > 1) { s->map[1].spatial_y.loops[s->map[1].spatial_y.n].dim = d; s->map[1].spatial_y.loops[s->map[1].spatial_y.n++].factor = f[d][2]; }
                if (f[d][3] > 1) { s->map[1].spatial_x.loops[s->map[1].spatial_x.n].dim = d; s->map[1].spatial_x.loops[s->map[1].spatial_x.n++].factor = f[d][3]; }
            }
            s->map[1].bypass = (unsigned)keep;
            (*evaluated)++;
            if (sm_eval(s, st, NULL) != SM_OK) continue;
            k = 0;
            if (best < 0 || st->energy_pj * st->cycles < best) best = st->energy_pj * st->cycles;
            (void)k;
        }
    free(s);
    free(st);
    return best;
}

static void test_known_optimum(void) {
    sm_error e;
    sm_spec *s = load(SMALL, &e);
    sm_map_desc d;
    sm_map_result *r = (sm_map_result *)malloc(sizeof *r);
    double n, opt;
    if (!s || !r) { T(0); free(r); return; }
    opt = brute_force(s, &n);
    T(opt > 0 && n > 10000);
    memset(&d, 0, sizeof d);
    T(sm_map(s, &d, r, &e) == SM_OK);                    /* auto: small, so exhaustive */
    T(r->found && r->search == SM_SEARCH_EXHAUSTIVE);
    T(r->edp == opt && r->cost == opt);
    T(r->mapspace < n);                                   /* pruned: unit loops, orders at buf */
    printf("known optimum: brute force %.0f mappings, EDP %.6g; exhaustive over the pruned %.0f: %.6g\n", n, opt, r->mapspace, r->edp);
    d.search = SM_SEARCH_ANNEAL; d.evals = 6000; d.threads = 2;
    T(sm_map(s, &d, r, &e) == SM_OK && r->edp == opt);
    d.search = SM_SEARCH_RANDOM; d.evals = 6000;
    T(sm_map(s, &d, r, &e) == SM_OK && r->edp == opt);
    d.victory = 50;   /* the victory condition stops early */
    T(sm_map(s, &d, r, &e) == SM_OK && r->evals < 6000);
    memset(&d, 0, sizeof d);
    d.objective = SM_OBJECTIVE_ENERGY;
    T(sm_map(s, &d, r, &e) == SM_OK && r->cost == r->stats.energy_pj);
    d.objective = SM_OBJECTIVE_WEIGHTED; d.energy_weight = 1; d.cycles_weight = 2;
    T(sm_map(s, &d, r, &e) == SM_OK && fabs(r->cost - r->stats.energy_pj * r->stats.cycles * r->stats.cycles) <= 1e-9 * r->cost);
    sm_spec_free(s);
    free(r);
}

static int same_result(const sm_map_result *a, const sm_map_result *b) {
    return a->found && b->found && a->cost == b->cost && a->edp == b->edp && a->task == b->task && !memcmp(a->map, b->map, sizeof a->map);
}

/* Same seed and budget: the same mapping whatever the thread count; shards merge to it. */
static void test_determinism_and_shards(void) {
    sm_error e;
    sm_spec *s = NULL;
    sm_map_desc d;
    sm_map_result *r1 = (sm_map_result *)malloc(sizeof *r1), *r2 = (sm_map_result *)malloc(sizeof *r2), *sh = (sm_map_result *)malloc(sizeof *sh);
    int i, best = -1;
    double bc = 0, be = 0;
    if (!r1 || !r2 || !sh || sm_spec_load_file("specs/eyeriss_like.ini", NULL, 0, &s, &e) != SM_OK) { T(0); goto out; }
    memset(&d, 0, sizeof d);
    d.evals = 6000; d.seed = 3; d.tasks = 6; d.threads = 1;
    T(sm_map(s, &d, r1, &e) == SM_OK && r1->search == SM_SEARCH_ANNEAL);
    d.threads = 3;
    T(sm_map(s, &d, r2, &e) == SM_OK && same_result(r1, r2));
    d.seed = 4;
    T(sm_map(s, &d, r2, &e) == SM_OK && r2->found);
    d.seed = 3;
    d.threads = 2;
    for (i = 0; i < 3; i++) {   /* shard i of 3: tasks i, i+3 */
        d.shard = i; d.nshards = 3;
        T(sm_map(s, &d, sh, &e) == SM_OK);
        T(sh->task % 3 == i);
        if (best < 0 || sh->cost < bc || (sh->cost == bc && (sh->edp < be || (sh->edp == be && sh->task < best)))) { best = sh->task; bc = sh->cost; be = sh->edp; }
    }
    T(best == r1->task && bc == r1->cost && be == r1->edp);
    d.shard = 3;
    T(sm_map(s, &d, sh, &e) == SM_ERR_VALUE);
out:
    sm_spec_free(s);
    free(r1); free(r2); free(sh);
}

/* Constraints: every one honoured by the mapping found. */
static void test_constraints(void) {
    sm_error e;
    sm_spec *s;
    sm_map_desc d;
    sm_map_result *r = (sm_map_result *)malloc(sizeof *r);
    sm_constraints c;
    char text[2048];
    int i, m;
    snprintf(text, sizeof text, "%s[level buf]\nsize = 64\n[compute mac]\ninstances = 16\nmesh_x = 4\n[problem]\nbounds = m=8 n=4 k=6\n"
             "[constraints]\nbuf.temporal = k3\nbuf.spatial_x_dims = m\nbuf.spatial_y = n2\nbuf.bypass = Z\nbuf.keep = B\nDRAM.order = m n\n"
             "min_utilization = 0.5\nbuf.max_capacity = 0.5\n", SMALL);
    s = load(text, &e);
    if (!s || !r) { T(0); free(r); return; }
    T(sm_constraints_from_spec(s, &c, &e) == SM_OK);
    T(c.level[1].factor[SM_TEMPORAL][2] == 3 && c.level[1].factor[SM_SPATIAL_X][1] == 1 && c.level[1].factor[SM_SPATIAL_X][0] == 0);
    T(c.level[1].bypass == 4u && c.level[1].keep == 2u && c.level[0].norder == 2 && c.min_utilization == 0.5);
    memset(&d, 0, sizeof d);
    d.evals = 4000; d.search = SM_SEARCH_ANNEAL;
    T(sm_map(s, &d, r, &e) == SM_OK);
    if (r->found) {
        const sm_level_map *b = &r->map[1], *dr = &r->map[0];
        long kt = 0, ny = 1, nx = 1, macs = 1;
        for (i = 0; i < b->temporal.n; i++) if (b->temporal.loops[i].dim == 2) kt = b->temporal.loops[i].factor;
        T(kt == 3);
        for (i = 0; i < b->spatial_x.n; i++) { T(b->spatial_x.loops[i].dim == 0); nx *= b->spatial_x.loops[i].factor; }
        for (i = 0; i < b->spatial_y.n; i++) { if (b->spatial_y.loops[i].dim == 1) ny = b->spatial_y.loops[i].factor; }
        T(ny == 2);
        macs = nx * ny;
        for (i = 0; i < b->spatial_y.n; i++) if (b->spatial_y.loops[i].dim != 1) macs *= b->spatial_y.loops[i].factor;
        T(macs >= 8);
        T((b->bypass & 4u) && !(b->bypass & 2u));
        /* DRAM order: m then n innermost, among the non-unit loops */
        m = -1;
        for (i = 0; i < dr->temporal.n; i++) { if (dr->temporal.loops[i].dim == 0) m = i; if (dr->temporal.loops[i].dim == 1) T(m < 0 || i == dr->temporal.n - 1); }
        T(r->stats.level[1].t[0].tile * (r->map[1].bypass & 1u ? 0 : 1) + r->stats.level[1].t[1].tile <= 32);
    }
    sm_spec_free(s);
    /* errors: file:line of the constraint */
    snprintf(text, sizeof text, "%s[constraints]\nbuf.temporal = m3\n", SMALL);
    s = load(text, &e);
    memset(&d, 0, sizeof d);
    T(s && sm_map(s, &d, r, &e) == SM_ERR_EMPTY && strstr(e.text, "mapper.ini:") && strstr(e.text, "does not divide its bound 4"));
    sm_spec_free(s);
    snprintf(text, sizeof text, "%s[constraints]\nbuf.colour = blue\n", SMALL);
    s = load(text, &e);
    T(s && sm_map(s, &d, r, &e) == SM_ERR_UNKNOWN && strstr(e.text, "mapper.ini:20: error: [constraints] buf.colour: unknown constraint"));
    sm_spec_free(s);
    snprintf(text, sizeof text, "%s[constraints]\nDRAM.bypass = A\n", SMALL);
    s = load(text, &e);
    T(s && sm_map(s, &d, r, &e) == SM_ERR_EMPTY && strstr(e.text, "outermost level keeps every tensor"));
    sm_spec_free(s);
    /* an empty mapspace: the buffer must keep all three tensors but holds 2 words */
    snprintf(text, sizeof text, "%s[level buf]\nsize = 2\n[constraints]\nbuf.keep = A B Z\n", SMALL);
    s = load(text, &e);
    T(s && sm_map(s, &d, r, &e) == SM_ERR_EMPTY && strstr(e.text, "empty mapspace: none of its") && !r->found);
    printf("empty mapspace: %s\n", e.text);
    d.search = SM_SEARCH_ANNEAL; d.evals = 500;
    T(s && sm_map(s, &d, r, &e) == SM_ERR_EMPTY && strstr(e.text, "no valid mapping found"));
    sm_spec_free(s);
    /* [mapper] options */
    snprintf(text, sizeof text, "%s[mapper]\nobjective = energy\nsearch = random\nevals = 123\nseed = 9\n", SMALL);
    s = load(text, &e);
    T(s && sm_map_desc_from_spec(s, &d, &e) == SM_OK && d.objective == SM_OBJECTIVE_ENERGY && d.search == SM_SEARCH_RANDOM && d.evals == 123 && d.seed == 9);
    sm_spec_free(s);
    snprintf(text, sizeof text, "%s[mapper]\nobjective = speed\n", SMALL);
    s = load(text, &e);
    T(s && sm_map_desc_from_spec(s, &d, &e) == SM_ERR_VALUE && strstr(e.text, "mapper.ini:20:"));
    sm_spec_free(s);
    free(r);
}

/* The written [mapping] re-evaluates to the numbers the mapper reported (through an include
   that overrides the spec's own mapping, keep/bypass included). */
static void test_written_mapping(void) {
    sm_error e;
    sm_spec *s = NULL, *back = NULL;
    sm_map_desc d;
    sm_map_result *r = (sm_map_result *)malloc(sizeof *r);
    sm_stats *st = (sm_stats *)malloc(sizeof *st);
    FILE *f;
    char line[1024];
    if (!r || !st || sm_spec_load_file("specs/simple_weight_stationary.ini", NULL, 0, &s, &e) != SM_OK) { T(0); goto out; }
    memset(&d, 0, sizeof d);
    d.evals = 3000; d.threads = 2;
    T(sm_map(s, &d, r, &e) == SM_OK);
    f = fopen("build/test_mapper_out.ini", "w");
    if (!f) { T(0); goto out; }
    fprintf(f, "include = ../specs/simple_weight_stationary.ini\n\n");
    sm_mapping_write(f, s, r->map);
    fclose(f);
    T(sm_spec_load_file("build/test_mapper_out.ini", NULL, 0, &back, &e) == SM_OK);
    if (!back) { printf("%s\n", e.text); goto out; }
    T(sm_eval(back, st, &e) == SM_OK && st->energy_pj == r->stats.energy_pj && st->cycles == r->stats.cycles && !memcmp(back->map[2].spatial_x.loops, r->map[2].spatial_x.loops, sizeof(sm_loop) * (size_t)r->map[2].spatial_x.n));
    sm_mapping_line(line, sizeof line, s, r->map);
    T(strstr(line, "DRAM.keep=Weights Inputs Outputs") != NULL);
    sm_spec_free(back);
    /* keep and bypass of one level in one file stay an error */
    back = load("[problem]\neinsum = Z[m] += A[m] * B[m]\nbounds = m=4\n[level D]\n[compute c]\n[mapping]\nD.keep = A B Z\nD.bypass = A\n", &e);
    T(back == NULL && strstr(e.text, "give either D.keep or D.bypass"));
out:
    sm_spec_free(s);
    free(r); free(st);
}

static void test_sweep(void) {
    sm_error e;
    sm_spec *s;
    sm_sweep sw;
    int ch[4], i, front[6];
    char text[2048];
    double x[6] = { 1, 2, 2, 3, 1, 4 }, y[6] = { 5, 3, 3, 1, 6, 1 };
    snprintf(text, sizeof text, "%s[sweep]\nlevel buf.size = logrange 4 64 2\nlevel buf.read_bw = range 1 3\nmapper.objective = edp, energy\n", SMALL);
    s = load(text, &e);
    if (!s) { T(0); return; }
    T(sm_sweep_from_spec(s, &sw, &e) == SM_OK && sw.naxes == 3 && !sw.random);
    T(sw.axes[0].nvalues == 5 && !strcmp(sw.axes[0].values[4], "64") && sw.axes[1].nvalues == 3 && !strcmp(sw.axes[2].values[1], "energy"));
    T(!strcmp(sw.axes[0].key, "level buf.size") && sm_sweep_count(&sw) == 30);
    sm_sweep_point(&sw, 0, ch); T(ch[0] == 0 && ch[1] == 0 && ch[2] == 0);
    sm_sweep_point(&sw, 29, ch); T(ch[0] == 4 && ch[1] == 2 && ch[2] == 1);
    sm_sweep_point(&sw, 7, ch); T(ch[0] == 1 && ch[1] == 0 && ch[2] == 1);
    sm_sweep_free(&sw);
    sm_spec_free(s);
    snprintf(text, sizeof text, "%s[sweep]\nmode = random\npoints = 7\nseed = 5\nlevel buf.size = 4, 8 | 16\n", SMALL);
    s = load(text, &e);
    T(s && sm_sweep_from_spec(s, &sw, &e) == SM_OK && sw.random && sm_sweep_count(&sw) == 7 && sw.axes[0].nvalues == 2 && !strcmp(sw.axes[0].values[0], "4, 8"));
    if (s) {
        int a[7], b[7], ok = 1;
        for (i = 0; i < 7; i++) { sm_sweep_point(&sw, i, ch); a[i] = ch[0]; }
        for (i = 6; i >= 0; i--) { sm_sweep_point(&sw, i, ch); b[i] = ch[0]; }
        for (i = 0; i < 7; i++) ok &= a[i] == b[i] && a[i] >= 0 && a[i] < 2;
        T(ok);
        sm_sweep_free(&sw);
        sm_spec_free(s);
    }
    snprintf(text, sizeof text, "%s[sweep]\nlevel buf.size = range 8 4\n", SMALL);
    s = load(text, &e);
    T(s && sm_sweep_from_spec(s, &sw, &e) == SM_ERR_VALUE && strstr(e.text, "mapper.ini:20: error: [sweep] level buf.size: need START <= STOP"));
    sm_spec_free(s);
    snprintf(text, sizeof text, "%s[sweep]\nsize = 4\n", SMALL);
    s = load(text, &e);
    T(s && sm_sweep_from_spec(s, &sw, &e) == SM_ERR_UNKNOWN);
    sm_spec_free(s);
    sm_pareto(6, x, y, front);
    T(front[0] && front[1] && !front[2] && front[3] && !front[4] && !front[5]);
}

/* The reference cases: with the mapping removed, the mapper's default budget matches or beats
   the given EDP, and the mapping it returns evaluates to what it reported. A fast subset (the
   full table is `make bench`). */
static void test_reference_subset(void) {
    static const char *cases[] = { "01.2.1-DUDU-dot-product", "02.2.2-spMspM-tiled", "03.2.2-conv1d+oc", "03.2.3-conv1d+oc-spatial", "simple_output_stationary" };
    size_t i;
    sm_map_result *r = (sm_map_result *)malloc(sizeof *r);
    sm_stats *st = (sm_stats *)malloc(sizeof *st);
    if (!r || !st) { T(0); free(r); free(st); return; }
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512];
        sm_spec *s = NULL;
        sm_error e;
        sm_map_desc d;
        double given;
        FILE *f;
        snprintf(path, sizeof path, "../shared/reference/timeloop/%s/case.ini", cases[i]);
        if (!(f = fopen(path, "r"))) snprintf(path, sizeof path, "tests/ref/%s/case.ini", cases[i]);
        else fclose(f);
        if (sm_spec_load_file(path, NULL, 0, &s, &e) != SM_OK) { printf("%s\n", e.text); T(0); continue; }
        T(sm_eval(s, st, &e) == SM_OK);
        given = st->energy_pj * st->cycles;
        memset(s->map, 0, sizeof s->map);   /* the mapping removed (sm_map ignores it anyway) */
        memset(&d, 0, sizeof d);
        d.threads = 2;
        T(sm_map(s, &d, r, &e) == SM_OK && r->edp <= given * (1 + 1e-12));
        memcpy(s->map, r->map, sizeof s->map);
        T(sm_eval(s, st, &e) == SM_OK && st->energy_pj * st->cycles == r->edp);
        printf("reference %-26s given EDP %-12.6g found %-12.6g (%s, %.0f valid of %.0f evaluated)\n", cases[i], given, r->edp,
               r->search == SM_SEARCH_EXHAUSTIVE ? "exhaustive" : "anneal", r->valid, r->evals);
        sm_spec_free(s);
    }
    free(r);
    free(st);
}

int main(void) {
    test_known_optimum();
    test_determinism_and_shards();
    test_constraints();
    test_written_mapping();
    test_sweep();
    test_reference_subset();
    return test_done();
}
