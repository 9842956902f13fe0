/* paper_tensordash.c -- TensorDash (M. Mahmoud et al., "TensorDash: Exploiting Sparsity to
   Accelerate Deep Neural Network Training", MICRO 2020): figures and claims.

   Figures (plots/tensordash/<fig>.{tsv,gp,png}):
     fig3   the worked example: 7 effectual pairs of 16, 4 cycles dense, 2 with a 2-deep buffer
     fig8   speedup per model and operation (A*W, A*G, W*G) over the Tensorcore baseline
     fig10  energy efficiency per model: compute logic and whole chip
     fig11  energy breakdown (off-chip DRAM, compute logic, on-chip SRAM), normalised to the baseline
     fig12  speedup with staging-buffer depth 2..5
     fig13  speedup with PE rows per tile 1..16, i.i.d. and clustered row densities
     fig14  speedup with 16-MAC PEs and 3-deep buffers
     fig15  random sparsity 10%..99.99% on SqueezeNet's third convolution: speedup, ideal,
            compute and overall energy efficiency
   Specs read: specs/arch/tensorcore*.ini, specs/arch/tensordash*.ini and the model tables
   specs/workloads/tensordash/<model>.ini. Every layer and training operation becomes one
   evaluation: the arch spec + a generated [problem], [density] (the targeted operand) and
   [mapping] (a Tensorcore dataflow fitted to the capacities; the same for both designs).
   Substitutions (the paper's traces are not public): per-operation densities of the targeted
   operand, from the paper's text where it gives them and otherwise solved so that each model's
   Fig. 1 potential holds; i.i.d. zeros (Fig. 13 adds a clustered model); see the README.
   Modes: --figures (default), --claims, --check (ex_common.h). Runs in a few seconds. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "ex_common.h"
#include <ini.h>

#define MAXL 80
#define NMODELS 8
#define WDIR "specs/workloads/tensordash/"
#define ADIR "specs/arch/"
enum { AW, AG, WG, NOPS };
static const char *const op_key[NOPS] = { "aw", "ag", "wg" };
static const char *const model_files[NMODELS] = { "bert", "snli", "detectron2", "sqznet", "vgg16", "resnet50", "img2txt", "ncf" };   /* Table I order */

/* ---- model tables ---- */
typedef struct layer {
    char name[48];
    int fc;
    long c, m, p, q, r, s, stride, n, count;
    unsigned ops;
    double dens[NOPS];             /* < 0: the model's */
} layer;
typedef struct model {
    char name[32], source[200], file[160];
    long batch;
    double potential, dens[NOPS];
    int solve[NOPS], nl, bad;
    layer l[MAXL];
    double macs[NOPS];             /* per operation, over the layers */
} model;

static int model_key(void *user, const char *section, const char *key, const char *value) {
    model *md = (model *)user;
    char extra[8];
    if (!strcmp(section, "model")) {
        if (!strcmp(key, "name")) snprintf(md->name, sizeof md->name, "%s", value);
        else if (!strcmp(key, "source")) snprintf(md->source, sizeof md->source, "%s", value);
        else if (!strcmp(key, "batch")) md->batch = atol(value);
        else if (!strcmp(key, "potential")) md->potential = atof(value);
        else if (!strncmp(key, "density_", 8)) {
            int k;
            for (k = 0; k < NOPS && strcmp(key + 8, op_key[k]); k++) {}
            if (k == NOPS) goto bad;
            if (!strcmp(value, "solve")) md->solve[k] = 1; else md->dens[k] = atof(value);
        } else goto bad;
        return 1;
    }
    if (md->nl == 0 || strcmp(md->l[md->nl - 1].name, section)) {   /* a new layer */
        layer *ly;
        if (md->nl == MAXL) goto bad;
        ly = &md->l[md->nl++];
        memset(ly, 0, sizeof *ly);
        snprintf(ly->name, sizeof ly->name, "%s", section);
        ly->dens[AW] = ly->dens[AG] = ly->dens[WG] = -1;
    }
    {
        layer *ly = &md->l[md->nl - 1];
        if (!strcmp(key, "conv")) { if (sscanf(value, "%ld %ld %ld %ld %ld %7s", &ly->c, &ly->m, &ly->p, &ly->r, &ly->stride, extra) != 5) goto bad; }
        else if (!strcmp(key, "fc")) { ly->fc = 1; ly->p = ly->r = ly->stride = 1; if (sscanf(value, "%ld %ld %7s", &ly->c, &ly->m, extra) != 2) goto bad; }
        else if (!strcmp(key, "q")) ly->q = atol(value);
        else if (!strcmp(key, "s")) ly->s = atol(value);
        else if (!strcmp(key, "n")) ly->n = atol(value);
        else if (!strcmp(key, "count")) ly->count = atol(value);
        else if (!strcmp(key, "ops")) {
            int k;
            ly->ops = 0;
            for (k = 0; k < NOPS; k++) if (strstr(value, op_key[k])) ly->ops |= 1u << k;
        } else if (!strncmp(key, "density_", 8)) {
            int k;
            for (k = 0; k < NOPS && strcmp(key + 8, op_key[k]); k++) {}
            if (k == NOPS) goto bad;
            ly->dens[k] = atof(value);
        } else goto bad;
    }
    return 1;
bad:
    fprintf(stderr, "%s: [%s] %s = %s: not understood\n", md->file, section, key, value);
    md->bad = 1;
    return 0;
}

static double layer_macs(const model *md, const layer *ly, int op) {
    double st = op == WG ? (double)(ly->stride * ly->stride) : 1;   /* W*G runs over the stride-dilated gradients (Eq. 6) */
    (void)md;
    return (double)ly->n * (double)ly->c * (double)ly->m * (double)ly->p * (double)ly->q * (double)ly->r * (double)ly->s * st * (double)ly->count;
}
static double layer_density(const model *md, const layer *ly, int op) { return ly->dens[op] >= 0 ? ly->dens[op] : md->dens[op]; }

/* Loads a model table; solves the "solve" densities: one value for every layer that does not
   set its own, so that all MACs / MACs with a non-zero targeted operand = the Fig. 1 potential. */
static int model_load(const char *stem, model *md) {
    int i, k;
    double total = 0, fixed = 0, free_macs = 0, x;
    memset(md, 0, sizeof *md);
    snprintf(md->file, sizeof md->file, WDIR "%s.ini", stem);
    for (k = 0; k < NOPS; k++) md->dens[k] = 1;
    if (ini_parse(md->file, model_key, md) != 0 || md->bad || !md->nl) { fprintf(stderr, "cannot read the model table %s\n", md->file); return -1; }
    for (i = 0; i < md->nl; i++) {
        layer *ly = &md->l[i];
        if (!ly->q) ly->q = ly->p;
        if (!ly->s) ly->s = ly->r;
        if (!ly->n) ly->n = md->batch;
        if (!ly->count) ly->count = 1;
        if (!ly->ops) ly->ops = 7;
        for (k = 0; k < NOPS; k++) {
            double m = (ly->ops >> k & 1) ? layer_macs(md, ly, k) : 0;
            md->macs[k] += m;
            total += m;
            if (md->solve[k] && ly->dens[k] < 0) free_macs += m; else fixed += m * layer_density(md, ly, k);
        }
    }
    x = free_macs > 0 ? (total / md->potential - fixed) / free_macs : 1;
    if (free_macs > 0 && (x <= 0 || x > 1)) fprintf(stderr, "%s: the Fig. 1 potential %.3g cannot be met (solved density %.3g); clamped\n", md->file, md->potential, x);
    if (x > 1) x = 1;
    if (x < 1e-4) x = 1e-4;
    for (k = 0; k < NOPS; k++) if (md->solve[k]) md->dens[k] = floor(x * 1e4 + 0.5) / 1e4;
    return 0;
}

static double model_potential(const model *md) {
    double all = 0, left = 0;
    int i, k;
    for (i = 0; i < md->nl; i++)
        for (k = 0; k < NOPS; k++)
            if (md->l[i].ops >> k & 1) { double m = layer_macs(md, &md->l[i], k); all += m; left += m * layer_density(md, &md->l[i], k); }
    return all / left;
}

/* ---- one training operation as an einsum, with each dim's role in the Tensorcore dataflow ---- */
enum { RED = 0, BSIDE = 1, ASIDE = 2 };   /* reduction; rows (the sparse B operand's dims); columns (A's) */
typedef struct opgen {
    int nd;
    char dim[8][3];
    long bound[8];
    int role[8];
    int lane_pref[3], nlp;         /* reduction dims for the lanes, preferred first */
    char einsum[200], a[4], b[4], z[4];
} opgen;

static void op_dim(opgen *g, const char *name, long bound, int role) {
    snprintf(g->dim[g->nd], sizeof g->dim[0], "%s", name);
    g->bound[g->nd] = bound;
    g->role[g->nd] = role;
    g->nd++;
}

/* Eqs. 1-9: forward O = W * A, input gradients GA = W * G over the stride-dilated G (Eq. 6),
   weight gradients GW = G * A. B is the targeted operand: A, G and G (L90; for A*G the paper
   targets the sparser of G and A, so the targeted operand's density is what matters). Lanes
   take 4 consecutive reduction values: channels for A*W and W*G (L209), the batch for A*G
   (ASSUMPTION: the paper uses 4 consecutive X positions; the batch divides by 4 everywhere). */
static void make_op(const layer *ly, int op, opgen *g) {
    char in_h[32], in_w[32];
    memset(g, 0, sizeof *g);
    if (ly->stride > 1) { snprintf(in_h, sizeof in_h, "%ld*p+r", ly->stride); snprintf(in_w, sizeof in_w, "%ld*q+s", ly->stride); }
    else { snprintf(in_h, sizeof in_h, "p+r"); snprintf(in_w, sizeof in_w, "q+s"); }
    if (ly->fc) {
        if (op == AW) { snprintf(g->einsum, sizeof g->einsum, "O[n,m] += W[m,c] * A[n,c]"); op_dim(g, "n", ly->n, BSIDE); op_dim(g, "m", ly->m, ASIDE); op_dim(g, "c", ly->c, RED); strcpy(g->a, "W"); strcpy(g->b, "A"); strcpy(g->z, "O"); }
        if (op == WG) { snprintf(g->einsum, sizeof g->einsum, "GA[n,c] += W[m,c] * G[n,m]"); op_dim(g, "n", ly->n, BSIDE); op_dim(g, "c", ly->c, ASIDE); op_dim(g, "m", ly->m, RED); strcpy(g->a, "W"); strcpy(g->b, "G"); strcpy(g->z, "GA"); }
        if (op == AG) { snprintf(g->einsum, sizeof g->einsum, "GW[m,c] += G[n,m] * A[n,c]"); op_dim(g, "m", ly->m, BSIDE); op_dim(g, "c", ly->c, ASIDE); op_dim(g, "n", ly->n, RED); strcpy(g->a, "A"); strcpy(g->b, "G"); strcpy(g->z, "GW"); }
    } else if (op == AW) {
        snprintf(g->einsum, sizeof g->einsum, "O[n,m,p,q] += W[m,c,r,s] * A[n,c,%s,%s]", in_h, in_w);
        op_dim(g, "n", ly->n, BSIDE); op_dim(g, "p", ly->p, BSIDE); op_dim(g, "q", ly->q, BSIDE); op_dim(g, "m", ly->m, ASIDE);
        op_dim(g, "c", ly->c, RED); op_dim(g, "r", ly->r, RED); op_dim(g, "s", ly->s, RED);
        strcpy(g->a, "W"); strcpy(g->b, "A"); strcpy(g->z, "O");
    } else if (op == WG) {
        snprintf(g->einsum, sizeof g->einsum, "GA[n,c,h,w] += W[m,c,r,s] * G[n,m,h+r,w+s]");
        op_dim(g, "n", ly->n, BSIDE); op_dim(g, "h", ly->p * ly->stride, BSIDE); op_dim(g, "w", ly->q * ly->stride, BSIDE); op_dim(g, "c", ly->c, ASIDE);
        op_dim(g, "m", ly->m, RED); op_dim(g, "r", ly->r, RED); op_dim(g, "s", ly->s, RED);
        strcpy(g->a, "W"); strcpy(g->b, "G"); strcpy(g->z, "GA");
    } else {
        snprintf(g->einsum, sizeof g->einsum, "GW[m,c,r,s] += G[n,m,p,q] * A[n,c,%s,%s]", in_h, in_w);
        op_dim(g, "m", ly->m, BSIDE); op_dim(g, "c", ly->c, ASIDE); op_dim(g, "r", ly->r, ASIDE); op_dim(g, "s", ly->s, ASIDE);
        op_dim(g, "n", ly->n, RED); op_dim(g, "q", ly->q, RED); op_dim(g, "p", ly->p, RED);
        strcpy(g->a, "A"); strcpy(g->b, "G"); strcpy(g->z, "GW");
    }
    {   /* lane preference: the first reduction dim listed, then the others */
        int d;
        for (d = 0; d < g->nd; d++) if (g->role[d] == RED && g->nlp < 3) g->lane_pref[g->nlp++] = d;
    }
}

/* ---- the Tensorcore dataflow: factors of each dim per loop slot, fitted to the capacities ---- */
typedef struct geom { long tcs, rows, cols, lanes, sp_words, glb_words; } geom;
enum { S_LANE, S_PE, S_GRID, S_SP, S_CM, S_DRAM, NSLOTS };
typedef struct mapping { long f[NSLOTS][8]; } mapping;

static long smallest_prime(long n) { long f; for (f = 2; f * f <= n; f++) if (n % f == 0) return f; return n; }

/* The spatial factor for a dim with `rem` left and `cap` instances: the largest f <= cap that
   divides rem, or that divides rem padded up by at most 1/8 (layer dimensions rarely divide the
   array; the padded positions are idle in both designs). rem becomes the quotient. */
#define PAD_LIMIT 0.125
static long pick_factor(long *rem, long cap) {
    long f, best = 1, bestq = *rem;
    for (f = cap < *rem ? cap : *rem; f > 1; f--) {
        long q = (*rem + f - 1) / f;
        if ((double)(q * f - *rem) <= PAD_LIMIT * (double)*rem) { best = f; bestq = q; break; }
    }
    *rem = bestq;
    return best;
}

static void spread(const opgen *g, mapping *mp, long *rem, int slot, int role, long *cap) {
    int d;
    for (d = 0; d < g->nd && *cap > 1; d++) {
        long f;
        if (g->role[d] != role) continue;
        f = pick_factor(&rem[d], *cap);
        mp->f[slot][d] *= f; *cap /= f;
    }
}

/* Lanes take reduction dims (preferred order; a reduction is never padded beyond 1/8 either),
   PE rows the B side, PE columns the A side, the TCs the A side up to a square share and then
   the B side; the rest is temporal. g's bounds become the padded ones. */
static void map_initial(opgen *g, const geom *ge, mapping *mp) {
    long rem[8], cap;
    int d, i;
    for (i = 0; i < NSLOTS; i++) for (d = 0; d < 8; d++) mp->f[i][d] = 1;
    for (d = 0; d < g->nd; d++) rem[d] = g->bound[d];
    cap = ge->lanes;
    for (i = 0; i < g->nlp && cap > 1; i++) { long f = pick_factor(&rem[g->lane_pref[i]], cap); mp->f[S_LANE][g->lane_pref[i]] *= f; cap /= f; }
    cap = ge->rows; spread(g, mp, rem, S_PE, BSIDE, &cap);
    cap = ge->cols; spread(g, mp, rem, S_PE, ASIDE, &cap);
    {
        long sq = (long)floor(sqrt((double)ge->tcs) + 0.5), capa = sq, capb;
        spread(g, mp, rem, S_GRID, ASIDE, &capa);
        capb = ge->tcs / (sq / capa > 0 ? sq / capa : 1);
        spread(g, mp, rem, S_GRID, BSIDE, &capb);
        cap = capb;
        spread(g, mp, rem, S_GRID, ASIDE, &cap);
    }
    for (d = 0; d < g->nd; d++) {
        if (g->role[d] == RED) mp->f[S_SP][d] = rem[d]; else mp->f[S_CM][d] = rem[d];
        g->bound[d] = 1;
        for (i = 0; i < NSLOTS; i++) g->bound[d] *= mp->f[i][d];
    }
}

static void loops(char *out, size_t cap, const opgen *g, const mapping *mp, int slot, const int *order) {
    int i;
    out[0] = 0;
    for (i = 0; i < g->nd; i++) {
        int d = order ? order[i] : i;
        char one[24];
        if (mp->f[slot][d] <= 1) continue;
        snprintf(one, sizeof one, "%s%s%ld", out[0] ? " " : "", g->dim[d], mp->f[slot][d]);
        strncat(out, one, cap - strlen(out) - 1);
    }
}

/* The evaluation text: arch include, problem, the targeted operand's density, mapping. Temporal
   order: DRAM and CM iterate outputs (B side outer) with the CM's share of the reduction
   innermost; the SP level runs the rest of the reduction (so each output's reduction is one run). */
static void spec_text(char *out, size_t cap, const char *arch, const char *name, const opgen *g, const mapping *mp, double dens) {
    char dram[160], cm[200], grid[120], sp[160], pe[120], lane[80], bounds[200] = "";
    int order[8], n = 0, d, role;
    static const int roles[3] = { BSIDE, ASIDE, RED };
    for (role = 0; role < 3; role++) for (d = 0; d < g->nd; d++) if (g->role[d] == roles[role]) order[n++] = d;
    for (d = 0; d < g->nd; d++) { char one[32]; snprintf(one, sizeof one, "%s%s=%ld", d ? " " : "", g->dim[d], g->bound[d]); strncat(bounds, one, sizeof bounds - strlen(bounds) - 1); }
    loops(dram, sizeof dram, g, mp, S_DRAM, order);
    loops(cm, sizeof cm, g, mp, S_CM, order);
    loops(grid, sizeof grid, g, mp, S_GRID, NULL);
    loops(sp, sizeof sp, g, mp, S_SP, NULL);
    loops(pe, sizeof pe, g, mp, S_PE, NULL);
    loops(lane, sizeof lane, g, mp, S_LANE, NULL);
    {
        char dl[64] = "";
        if (dens < 1) snprintf(dl, sizeof dl, "[density]\n%s = uniform %.6f\n", g->b, dens);
        snprintf(out, cap,
                 "include = %s\n[problem]\nname = %s\neinsum = %s\nbounds = %s\n%s"
                 "[mapping]\nDRAM.temporal = %s\nAM.keep = %s\nBM.keep = %s\nCM.keep = %s\nCM.temporal = %s\nCM.spatial_x = %s\n"
                 "SP.keep = %s %s\nSP.temporal = %s\nSP.spatial_x = %s\nACC.keep = %s\nACC.spatial_x = %s\n",
                 arch, name, g->einsum, bounds, dl, dram, g->a, g->b, g->z, cm, grid, g->a, g->b, sp, pe, g->z, lane);
    }
}

static int level_of(const sm_spec *sp, const char *name) {
    int l;
    for (l = 0; l < sp->nlevels; l++) if (!strcmp(sp->levels[l].name, name)) return l;
    fprintf(stderr, "%s: the arch has no level %s\n", sp->path, name);
    exit(1);
}

static sm_spec *load(const char *text, const char *name, const char *const *sets, int nsets) {
    sm_spec *sp = NULL;
    sm_error err;
    if (sm_spec_load_string(text, name, sets, nsets, &sp, &err) != SM_OK) { fprintf(stderr, "%s\n%s", err.text, text); return NULL; }
    return sp;
}

/* Capacity fit: evaluate with unbounded buffers, then move factors outward until the SP's A and
   B tiles fit a scratchpad (reduction to the CM level) and each SRAM holds its tensor's tile
   (outputs first, then reduction, to the DRAM level). */
static int map_fit(const char *arch, opgen *g, const geom *ge, mapping *mp) {
    static const char *const unbounded[] = { "level SP.size=1e12", "level AM.size=1e12", "level BM.size=1e12", "level CM.size=1e12" };   /* no capacity limit (a size the energy library can still price) */
    char text[4096], sp_name[SM_NAME_LEN] = "";
    int it;
    map_initial(g, ge, mp);
    for (it = 0; it < 200; it++) {
        sm_spec *sp;
        sm_stats st;
        sm_error err;
        int ta, tb, tz, lSP, lAM, lBM, lCM, d, best = -1, over = -1;
        double sp_words;
        spec_text(text, sizeof text, arch, "fit", g, mp, 1);
        if (!(sp = load(text, "fit", unbounded, 4))) return -1;
        if (sm_eval(sp, &st, &err) != SM_OK) { fprintf(stderr, "%s\n%s", err.text, text); sm_spec_free(sp); return -1; }
        ta = sm_problem_tensor(&sp->problem, g->a); tb = sm_problem_tensor(&sp->problem, g->b); tz = sm_problem_tensor(&sp->problem, g->z);
        lAM = level_of(sp, "AM"); lBM = level_of(sp, "BM"); lCM = level_of(sp, "CM"); lSP = level_of(sp, "SP");
        sp_words = st.level[lSP].t[ta].tile + st.level[lSP].t[tb].tile;
        if (sp_words > (double)ge->sp_words) {
            for (d = 0; d < g->nd; d++) if (mp->f[S_SP][d] > 1 && (best < 0 || mp->f[S_SP][d] > mp->f[S_SP][best])) best = d;
            if (best < 0) { sm_spec_free(sp); fprintf(stderr, "%s: the scratchpad cannot hold one step\n", g->einsum); return -1; }
            { long f = smallest_prime(mp->f[S_SP][best]); mp->f[S_SP][best] /= f; mp->f[S_CM][best] *= f; }
            sm_spec_free(sp);
            continue;
        }
        if (st.level[lCM].t[tz].tile > (double)ge->glb_words) over = tz;
        else if (st.level[lBM].t[tb].tile > (double)ge->glb_words) over = tb;
        else if (st.level[lAM].t[ta].tile > (double)ge->glb_words) over = ta;
        if (over < 0) { sm_spec_free(sp); return 0; }
        snprintf(sp_name, sizeof sp_name, "%s", sp->problem.tensors[over].name);
        {   /* the largest CM factor of a dim indexing that tensor: output dims before reduction */
            int pass;
            const sm_tensor *tt = &sp->problem.tensors[over];
            for (pass = 0; pass < 2 && best < 0; pass++)
                for (d = 0; d < g->nd; d++) {
                    int r, k, uses = 0, pd = sm_problem_dim(&sp->problem, g->dim[d]);
                    for (r = 0; r < tt->nranks; r++) for (k = 0; k < tt->ranks[r].nterms; k++) uses |= tt->ranks[r].terms[k].dim == pd;
                    if (!uses || mp->f[S_CM][d] <= 1 || (pass == 0) != (g->role[d] != RED)) continue;
                    if (best < 0 || mp->f[S_CM][d] > mp->f[S_CM][best]) best = d;
                }
        }
        sm_spec_free(sp);
        if (best < 0) { fprintf(stderr, "%s: tensor %s does not fit on chip\n", g->einsum, sp_name); return -1; }
        { long f = smallest_prime(mp->f[S_CM][best]); mp->f[S_CM][best] /= f; mp->f[S_DRAM][best] *= f; }
    }
    fprintf(stderr, "%s: no mapping fits\n", g->einsum);
    return -1;
}

/* ---- evaluations ---- */
typedef struct eval {              /* one design on one layer-operation (x count) */
    double cycles, dram, sram, compute, area;
} eval;

static void add_eval(eval *acc, const sm_stats *st, double count) {
    int l, c;
    double comp = st->compute_energy_pj;
    for (c = 0; c < st->ncomponents; c++) comp += st->component_energy_pj[c];
    acc->cycles += st->cycles * count;
    acc->compute += comp * count;
    acc->dram += st->level[0].energy_pj * count;
    for (l = 1; l < st->nlevels; l++) acc->sram += st->level[l].energy_pj * count;
    acc->area = st->area_um2;
}
static double total_energy(const eval *e) { return e->dram + e->sram + e->compute; }

/* A scheduler configuration: a resolved sm_skipsched with one cache shared by every evaluation. */
typedef struct config { char label[64], file[96]; sm_skipsched ss; int ok; } config;

static int config_load(config *c, const char *label, const char *file, const char *const *sets, int nsets) {
    char text[512];
    sm_spec *sp;
    sm_error err;
    memset(c, 0, sizeof *c);
    snprintf(c->label, sizeof c->label, "%s", label);
    snprintf(c->file, sizeof c->file, "%s", file);
    snprintf(text, sizeof text, "include = %s\n[problem]\neinsum = Z[m] += A[m,k] * B[k]\nbounds = m=1 k=1\n", file);
    if (!(sp = load(text, "config.ini", sets, nsets)) || !sp->skipsched) { sm_spec_free(sp); return -1; }
    c->ss = *sp->skipsched;
    sm_spec_free(sp);
    c->ss.cache = NULL;
    if (sm_skipsched_cache_create(&c->ss, &c->ss.cache, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); return -1; }
    c->ok = 1;
    return 0;
}

static int geom_of(const char *arch, geom *ge) {
    char text[512];
    sm_spec *sp;
    int lsp, lacc;
    snprintf(text, sizeof text, "include = %s\n[problem]\neinsum = Z[m] += A[m,k] * B[k]\nbounds = m=1 k=1\n", arch);
    if (!(sp = load(text, "geometry.ini", NULL, 0))) return -1;
    lsp = level_of(sp, "SP"); lacc = level_of(sp, "ACC");
    ge->tcs = sp->levels[lsp].instances;
    ge->lanes = sp->compute.instances / sp->levels[lacc].instances;
    ge->rows = ge->cols = (long)floor(sqrt((double)(sp->levels[lacc].instances / sp->levels[lsp].instances)) + 0.5);
    ge->sp_words = (long)sp->levels[lsp].size;
    ge->glb_words = (long)sp->levels[level_of(sp, "AM")].size;
    sm_spec_free(sp);
    return 0;
}

/* Evaluates one layer-operation on a baseline arch and a TensorDash arch under several scheduler
   configurations (the TensorDash spec's skip model is pointed at each configuration in turn). */
static int eval_op(const char *base_arch, const char *td_arch, const geom *ge, const char *name, opgen *g, double dens, double count,
                   eval *base, config *cfg, int ncfg, eval *td) {
    char text[4096];
    mapping mp;
    sm_spec *sb, *st;
    sm_stats s;
    sm_error err;
    int c;
    if (map_fit(td_arch, g, ge, &mp) != 0) return -1;
    spec_text(text, sizeof text, base_arch, name, g, &mp, dens);
    if (!(sb = load(text, name, NULL, 0))) return -1;
    if (sm_eval(sb, &s, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); sm_spec_free(sb); return -1; }
    add_eval(base, &s, count);
    sm_spec_free(sb);
    spec_text(text, sizeof text, td_arch, name, g, &mp, dens);
    if (!(st = load(text, name, NULL, 0))) return -1;
    for (c = 0; c < ncfg; c++) {
        st->skip_params = &cfg[c].ss;
        if (sm_eval(st, &s, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); sm_spec_free(st); return -1; }
        add_eval(&td[c], &s, count);
    }
    sm_spec_free(st);
    return 0;
}

/* ---- per-model results for a set of configurations ---- */
#define MAXCFG 20
typedef struct result { eval base[NOPS], td[MAXCFG][NOPS]; } result;

static int run_model(const model *md, const char *base_arch, const char *td_arch, config *cfg, int ncfg, result *res) {
    geom ge;
    int i, k;
    memset(res, 0, sizeof *res);
    if (geom_of(td_arch, &ge) != 0) return -1;
    for (i = 0; i < md->nl; i++)
        for (k = 0; k < NOPS; k++) {
            const layer *ly = &md->l[i];
            opgen g;
            char name[96];
            eval td[MAXCFG];
            int c;
            if (!(ly->ops >> k & 1)) continue;
            make_op(ly, k, &g);
            snprintf(name, sizeof name, "%s.%s.%s", md->name, ly->name, op_key[k]);
            memset(td, 0, sizeof td);
            if (eval_op(base_arch, td_arch, &ge, name, &g, layer_density(md, ly, k), (double)ly->count, &res->base[k], cfg, ncfg, td) != 0) return -1;
            for (c = 0; c < ncfg; c++) {
                res->td[c][k].cycles += td[c].cycles; res->td[c][k].dram += td[c].dram;
                res->td[c][k].sram += td[c].sram; res->td[c][k].compute += td[c].compute; res->td[c][k].area = td[c].area;
            }
        }
    return 0;
}

static eval sum_ops(const eval *e) {
    eval s;
    int k;
    memset(&s, 0, sizeof s);
    for (k = 0; k < NOPS; k++) { s.cycles += e[k].cycles; s.dram += e[k].dram; s.sram += e[k].sram; s.compute += e[k].compute; if (e[k].area > 0) s.area = e[k].area; }
    return s;
}
static double speedup(const eval *base, const eval *td) { return td->cycles > 0 ? base->cycles / td->cycles : 1; }

/* ---- figures ---- */
static FILE *fig(const char *name, char *base, size_t cap) { return ex_figure_open("tensordash", name, base, cap); }

static void fig3(ex_claims *cl, ex_mode mode) {
    /* the constructed pattern of the README (the figure's own values are not in the text) */
    static const int td2[4][2] = { {0, 0}, {1, 0}, {1, 1}, {1, -1} };
    unsigned a[4] = { 0xF, 0x3, 0xB, 0x4 }, b[4] = { 0x5, 0xB, 0xA, 0xC }, m[4], w[2];
    sm_skipsched s, r;
    int i, t, lane, pick[4], cyc = 0, pos = 0, eff = 0;
    char base[600];
    FILE *f = NULL;
    memset(&s, 0, sizeof s);
    s.lanes = 4; s.depth = 2; s.noptions = 4;
    for (i = 0; i < 4; i++) { s.option[i].time = td2[i][0]; s.option[i].lane = td2[i][1]; }
    sm_skipsched_resolve(&s, &r, NULL);
    for (t = 0; t < 4; t++) { m[t] = a[t] & b[t]; for (lane = 0; lane < 4; lane++) eff += m[t] >> lane & 1; }
    if (mode == EX_FIGURES && (f = fig("fig3", base, sizeof base))) {
        fprintf(f, "# schedule\tcycle\tlane\tlabel\teffectual\n");
        for (t = 0; t < 4; t++)   /* dense: step t in cycle t */
            for (lane = 0; lane < 4; lane++)
                if (m[t] >> lane & 1) fprintf(f, "dense\t%d\t%d\tab%d%d\t1\n", t + 1, lane, t, lane);
                else fprintf(f, "dense\t%d\t%d\t0\t0\n", t + 1, lane);
    }
    w[0] = m[0]; w[1] = m[1];
    while (pos < 4) {   /* TensorDash: the scheduler's picks, cycle by cycle */
        int k = sm_skipsched_cycle(&r, w, pick);
        cyc++;
        for (lane = 0; lane < 4 && f; lane++) {
            if (pick[lane] < 0) { fprintf(f, "tensordash\t%d\t%d\tidle\t0\n", cyc, lane); continue; }
            fprintf(f, "tensordash\t%d\t%d\tab%d%d\t1\n", cyc, lane, pos + r.option[pick[lane]].time, ((lane + r.option[pick[lane]].lane) % 4 + 4) % 4);
        }
        pos += k;
        w[0] = pos < 4 ? m[pos] : 0; w[1] = pos + 1 < 4 ? m[pos + 1] : 0;
    }
    if (f) {
        fclose(f);
        ex_figure_render(base,
            "set multiplot layout 1,2 title \"Fig. 3: 16 pairs, 7 effectual (both operands non-zero): dense 4 cycles, TensorDash (2-deep) 2 cycles\\n"
            "constructed pattern (the figure's values are not in the paper's text); abTL = the pair of step T, lane L\"\n"
            "set xrange [-0.5:3.5]\nset yrange [4.5:0.5]\nset xtics 0,1,3\nset ytics 1,1,4\nset xlabel 'lane'\nset ylabel 'cycle'\nset key off\nset grid\n"
            "set title 'dense schedule: 4 cycles'\nplot datafile using (strcol(1) eq 'dense' ? $3 : 1/0):2:4 with labels font ',14'\n"
            "set title 'TensorDash (2-deep, Fig. 3c movements): 2 cycles'\nplot datafile using (strcol(1) eq 'tensordash' ? $3 : 1/0):2:4 with labels font ',14'\n"
            "unset multiplot\n");
    }
    ex_claim(cl, "fig3.effectual_pairs", eff, 7, "pairs", 0, 1, "Fig. 3 (L161), constructed pattern");
    ex_claim(cl, "fig3.dense_cycles", 4, 4, "cycles", 0, 1, "Fig. 3a (L159)");
    ex_claim(cl, "fig3.tensordash_cycles", cyc, 2, "cycles", 0, 1, "Fig. 3d-e (L189), 2-deep, sm_skipsched_trace");
}

/* --spec MODEL LAYER.OP: print the TensorDash evaluation spec of one layer and operation (the
   baseline's differs only in its include), e.g. --spec sqznet fire2.e1.aw */
static int print_spec(const char *stem, const char *which) {
    static model md;
    char lname[64], text[4096];
    const char *dot = strrchr(which, '.');
    geom ge;
    mapping mp;
    opgen g;
    int i, k;
    if (!dot || model_load(stem, &md) != 0 || geom_of(ADIR "tensordash.ini", &ge) != 0) { fprintf(stderr, "usage: --spec MODEL LAYER.OP (e.g. sqznet fire2.e1.aw)\n"); return 2; }
    snprintf(lname, sizeof lname, "%.*s", (int)(dot - which), which);
    for (k = 0; k < NOPS && strcmp(dot + 1, op_key[k]); k++) {}
    for (i = 0; i < md.nl && strcmp(md.l[i].name, lname); i++) {}
    if (i == md.nl || k == NOPS || !(md.l[i].ops >> k & 1)) { fprintf(stderr, "%s: no layer-operation %s\n", md.file, which); return 2; }
    make_op(&md.l[i], k, &g);
    if (map_fit(ADIR "tensordash.ini", &g, &ge, &mp) != 0) return 1;
    spec_text(text, sizeof text, "arch/tensordash.ini", which, &g, &mp, layer_density(&md, &md.l[i], k));
    printf("; %s %s, %s: generated by examples/paper_tensordash.c --spec %s %s\n; %s\n%s", md.name, lname, op_key[k], stem, which, md.source, text);
    return 0;
}

int main(int argc, char **argv) {
    ex_claims cl;
    static model models[NMODELS];
    static result res[NMODELS], res16[NMODELS], resbf[NMODELS];
    config cfg[MAXCFG], cfg16[1];
    int nm, i, c, k, ncfg = 0;
    char base[600];
    FILE *f;
    static const int rows_all[] = { 1, 2, 4, 8, 16 };
    int cfg_rows_iid[5], cfg_rows_clus[5], cfg_rows_clus8[5], cfg_depth[4];
    memset(&cl, 0, sizeof cl);
    if (argc == 4 && !strcmp(argv[1], "--spec")) return print_spec(argv[2], argv[3]);
    cl.mode = ex_mode_parse(argc, argv);

    fig3(&cl, cl.mode);

    /* models and configurations */
    for (nm = 0; nm < NMODELS; nm++) if (model_load(model_files[nm], &models[nm]) != 0) return 1;
    if (config_load(&cfg[ncfg++], "4-deep (default)", ADIR "tensordash.ini", NULL, 0) != 0) return 1;
    cfg_depth[2] = 0;
    {   /* the sweeps: 16,384 dense steps per Monte-Carlo estimate (the default configuration: 65,536) */
        const char *sw[3] = { "skipsched.samples=16384", NULL, NULL };
        static const char *const dfile[3] = { ADIR "tensordash_2deep.ini", ADIR "tensordash_3deep.ini", ADIR "tensordash_5deep.ini" };
        static const int dslot[3] = { 0, 1, 3 };
        for (i = 0; i < 3; i++) {
            if (config_load(&cfg[ncfg], dfile[i] + strlen(ADIR), dfile[i], sw, 1) != 0) return 1;
            cfg_depth[dslot[i]] = ncfg++;
        }
        for (i = 0; i < 5; i++) {
            char rows[32];
            snprintf(rows, sizeof rows, "skipsched.rows=%d", rows_all[i]);
            sw[1] = rows;
            if (rows_all[i] == 4) cfg_rows_iid[i] = 0;
            else {
                if (config_load(&cfg[ncfg], "rows", ADIR "tensordash.ini", sw, 2) != 0) return 1;
                cfg_rows_iid[i] = ncfg++;
            }
            sw[2] = "skipsched.row_concentration=2";   /* ASSUMPTION: clustered rows, Beta concentration 2 */
            if (config_load(&cfg[ncfg], "rows clustered", ADIR "tensordash.ini", sw, 3) != 0) return 1;
            cfg_rows_clus[i] = ncfg++;
            sw[2] = "skipsched.row_concentration=8";   /* sensitivity: milder clustering (figure only) */
            if (config_load(&cfg[ncfg], "rows clustered 8", ADIR "tensordash.ini", sw, 3) != 0) return 1;
            cfg_rows_clus8[i] = ncfg++;
            sw[2] = NULL;
        }
        sw[1] = NULL;
        if (config_load(&cfg16[0], "16-MAC 3-deep", ADIR "tensordash_16mac.ini", sw, 1) != 0) return 1;
    }
    for (nm = 0; nm < NMODELS; nm++) {
        if (run_model(&models[nm], ADIR "tensorcore.ini", ADIR "tensordash.ini", cfg, ncfg, &res[nm]) != 0) return 1;
        if (run_model(&models[nm], ADIR "tensorcore_16mac.ini", ADIR "tensordash_16mac.ini", cfg16, 1, &res16[nm]) != 0) return 1;
        if (run_model(&models[nm], ADIR "tensorcore_bf16.ini", ADIR "tensordash_bf16.ini", cfg, 1, &resbf[nm]) != 0) return 1;   /* the default scheduler */
    }

    /* ---- Fig. 8: speedup per model and operation ---- */
    {
        double avg[NOPS + 1] = {0}, minsp = 1e9;
        if (cl.mode == EX_FIGURES && (f = fig("fig8", base, sizeof base))) fprintf(f, "# model\tA*W\tA*G\tW*G\ttotal\tpotential\tdensity_aw\tdensity_ag\tdensity_wg\n");
        else f = NULL;
        for (nm = 0; nm < NMODELS; nm++) {
            eval b = sum_ops(res[nm].base), t = sum_ops(res[nm].td[0]);
            double sp[NOPS + 1];
            for (k = 0; k < NOPS; k++) { sp[k] = speedup(&res[nm].base[k], &res[nm].td[0][k]); avg[k] += sp[k] / NMODELS; if (sp[k] < minsp) minsp = sp[k]; }
            sp[NOPS] = speedup(&b, &t);
            avg[NOPS] += sp[NOPS] / NMODELS;
            if (f) fprintf(f, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", models[nm].name, sp[AW], sp[AG], sp[WG], sp[NOPS], model_potential(&models[nm]),
                           models[nm].dens[AW], models[nm].dens[AG], models[nm].dens[WG]);
        }
        if (f) {
            fprintf(f, "Avg\t%.4f\t%.4f\t%.4f\t%.4f\n", avg[AW], avg[AG], avg[WG], avg[NOPS]);
            fclose(f);
            ex_figure_render(base,
                "set title \"Fig. 8: TensorDash speedup over the Tensorcore baseline (4-deep, 4 rows per tile)\\n"
                "substitute data: i.i.d. zeros at per-operation densities fitted to Fig. 1's potentials (not the paper's traces)\"\n"
                "set style data histogram\nset style histogram cluster gap 1\nset style fill solid 0.8 border -1\nset boxwidth 0.9\n"
                "set ylabel 'speedup'\nset yrange [0:4]\nset grid ytics\nset key top center horizontal\nset xtics rotate by -30\n"
                "plot datafile using 2:xtic(1) title 'A*W', '' using 3 title 'A*G', '' using 4 title 'W*G', '' using 5 title 'all operations'\n");
        }
        ex_claim(&cl, "fig8.avg_speedup", avg[NOPS], 1.95, "x", 0.25, 0, "Fig. 8 (L254), mean over 8 models; substitute densities");
        ex_claim(&cl, "fig8.min_op_speedup", minsp, 1.0, "x", 0, 1, "L254: never a slowdown (the model's smallest per-operation speedup; 1.0 = dense operation)");
    }

    /* ---- Fig. 10 and 11: energy efficiency and breakdown ---- */
    {
        double ce = 0, oe = 0;
        FILE *f11 = NULL;
        char base11[600];
        if (cl.mode == EX_FIGURES && (f = fig("fig10", base, sizeof base))) fprintf(f, "# model\tcompute_ee\toverall_ee\tcompute_share_of_baseline_energy\tbaseline_mac_utilization\n");
        else f = NULL;
        if (cl.mode == EX_FIGURES && (f11 = fig("fig11", base11, sizeof base11)))
            fprintf(f11, "# design\tmodel\tDRAM\tcompute\tSRAM\t(energy / baseline total)\n");
        for (nm = 0; nm < NMODELS; nm++) {
            eval b = sum_ops(res[nm].base), t = sum_ops(res[nm].td[0]);
            double tb = total_energy(&b);
            ce += b.compute / t.compute / NMODELS;
            oe += tb / total_energy(&t) / NMODELS;
            if (f) {
                double macs = 0;
                for (k = 0; k < NOPS; k++) macs += models[nm].macs[k];
                fprintf(f, "%s\t%.4f\t%.4f\t%.4f\t%.4f\n", models[nm].name, b.compute / t.compute, tb / total_energy(&t), b.compute / tb, macs / (b.cycles * 16384));
            }
            if (f11) {
                fprintf(f11, "Baseline\t%s\t%.4f\t%.4f\t%.4f\n", models[nm].name, b.dram / tb, b.compute / tb, b.sram / tb);
                fprintf(f11, "TensorDash\t%s\t%.4f\t%.4f\t%.4f\n", models[nm].name, t.dram / tb, t.compute / tb, t.sram / tb);
            }
        }
        if (f) {
            fprintf(f, "Avg\t%.4f\t%.4f\n", ce, oe);
            fclose(f);
            ex_figure_render(base,
                "set title \"Fig. 10: TensorDash energy efficiency over the baseline (compute = Table IV power x time;\\n"
                "memory: built-in library energies at 65 nm (ASSUMED: the paper's CACTI values are not given), same accesses in both designs)\"\n"
                "set style data histogram\nset style histogram cluster gap 1\nset style fill solid 0.8 border -1\nset boxwidth 0.9\n"
                "set ylabel 'energy efficiency (baseline energy / TensorDash energy)'\nset yrange [0:3.5]\nset grid ytics\nset key top left\nset xtics rotate by -30\n"
                "plot datafile using 2:xtic(1) title 'compute logic', '' using 3 title 'whole chip (with on- and off-chip memory)'\n");
        }
        if (f11) {
            fclose(f11);
            ex_figure_render(base11,
                "set title \"Fig. 11: energy breakdown normalised to the baseline (left bar: baseline, right: TensorDash)\\n"
                "memory energies: built-in library at 65 nm, LPDDR4 8 pJ/bit (ASSUMED: not in the paper); substitute densities\"\n"
                "set style data histogram\nset style histogram rowstacked\nset style fill solid 0.8 border -1\nset boxwidth 0.8\n"
                "set ylabel 'energy / baseline energy'\nset yrange [0:1.1]\nset grid ytics\nset key outside right\nset xtics rotate by -40 font ',9'\n"
                "plot datafile using 3:xtic(sprintf('%s %s', stringcolumn(2), stringcolumn(1) eq 'Baseline' ? 'base' : 'TD')) title 'off-chip DRAM', '' using 4 title 'compute logic', '' using 5 title 'on-chip SRAM'\n");
        }
        ex_claim(&cl, "fig10.avg_compute_ee", ce, 1.8, "x", 0.25, 0, "L306, Fig. 10: compute logic; substitute densities");
        ex_claim(&cl, "fig10.avg_overall_ee", oe, 1.5, "x", 0.25, 0, "L308, Fig. 10: whole chip; memory energies assumed");
    }

    /* ---- Fig. 12, 13, 14: depth, rows, 16-MAC PEs ---- */
    {
        double dav[4] = {0}, riid[5] = {0}, rclu[5] = {0}, rclu8[5] = {0}, w16 = 0;
        static const char *const dl[4] = { "2-deep", "3-deep", "4-deep", "5-deep" };
        for (nm = 0; nm < NMODELS; nm++) {
            eval b = sum_ops(res[nm].base);
            for (i = 0; i < 4; i++) { eval t = sum_ops(res[nm].td[cfg_depth[i]]); dav[i] += speedup(&b, &t) / NMODELS; }
            for (i = 0; i < 5; i++) {
                eval ti = sum_ops(res[nm].td[cfg_rows_iid[i]]), tc = sum_ops(res[nm].td[cfg_rows_clus[i]]), t8 = sum_ops(res[nm].td[cfg_rows_clus8[i]]);
                riid[i] += speedup(&b, &ti) / NMODELS; rclu[i] += speedup(&b, &tc) / NMODELS; rclu8[i] += speedup(&b, &t8) / NMODELS;
            }
            { eval b16 = sum_ops(res16[nm].base), t16 = sum_ops(res16[nm].td[0]); w16 += speedup(&b16, &t16) / NMODELS; }
        }
        if (cl.mode == EX_FIGURES && (f = fig("fig12", base, sizeof base))) {
            fprintf(f, "# model\t2-deep\t3-deep\t4-deep\t5-deep\n");
            for (nm = 0; nm <= NMODELS; nm++) {
                fprintf(f, "%s", nm < NMODELS ? models[nm].name : "Avg");
                for (i = 0; i < 4; i++) {
                    double v = dav[i];
                    if (nm < NMODELS) { eval b = sum_ops(res[nm].base), t = sum_ops(res[nm].td[cfg_depth[i]]); v = speedup(&b, &t); }
                    fprintf(f, "\t%.4f", v);
                }
                fprintf(f, "\n");
            }
            fclose(f);
            ex_figure_render(base,
                "set title \"Fig. 12: TensorDash speedup with staging-buffer depth (2-, 3-deep: 4-input mux; 4-, 5-deep: 8-input;\\n"
                "3- and 5-deep movement sets ASSUMED; substitute densities, i.i.d. zeros)\"\n"
                "set style data histogram\nset style histogram cluster gap 1\nset style fill solid 0.8 border -1\nset boxwidth 0.9\n"
                "set ylabel 'speedup'\nset yrange [0:*]\nset grid ytics\nset key top left\nset xtics rotate by -30\n"
                "plot datafile using 2:xtic(1) title '2-deep', '' using 3 title '3-deep', '' using 4 title '4-deep', '' using 5 title '5-deep'\n");
        }
        if (cl.mode == EX_FIGURES && (f = fig("fig13", base, sizeof base))) {
            fprintf(f, "# rows\tiid_avg\tclustered_avg\tclustered8_avg");
            for (nm = 0; nm < NMODELS; nm++) fprintf(f, "\t%s_clustered", models[nm].name);
            fprintf(f, "\n");
            for (i = 0; i < 5; i++) {
                fprintf(f, "%d\t%.4f\t%.4f\t%.4f", rows_all[i], riid[i], rclu[i], rclu8[i]);
                for (nm = 0; nm < NMODELS; nm++) { eval b = sum_ops(res[nm].base), t = sum_ops(res[nm].td[cfg_rows_clus[i]]); fprintf(f, "\t%.4f", speedup(&b, &t)); }
                fprintf(f, "\n");
            }
            fclose(f);
            ex_figure_render(base,
                "set title \"Fig. 13: speedup with PE rows per tile (4 columns): rows wait for the slowest (lock-step)\\n"
                "i.i.d. zeros vs clustered rows (row densities ~ Beta around the mean: concentration 2 ASSUMED, 8 as sensitivity)\"\n"
                "set xlabel 'PE rows per tile'\nset ylabel 'average speedup over 8 models'\nset logscale x 2\nset xrange [0.8:20]\nset xtics (1, 2, 4, 8, 16)\nset grid\nset key top right\nset yrange [1:2.4]\n"
                "$paper << EOD\n1 2.2\n16 1.8\nEOD\n"
                "plot datafile using 1:2 with linespoints lw 2 pt 7 title 'i.i.d. zeros', '' using 1:3 with linespoints lw 2 pt 5 title 'clustered rows (concentration 2)', "
                "'' using 1:4 with linespoints lw 2 pt 9 title 'clustered rows (concentration 8)', "
                "$paper using 1:2 with points pt 6 ps 2.5 lw 2 lc rgb 'black' title 'paper (L328): 2.2x at 1 row, 1.8x at 16 rows'\n");
        }
        if (cl.mode == EX_FIGURES && (f = fig("fig14", base, sizeof base))) {
            fprintf(f, "# model\t16-MAC_3-deep\t4-MAC_4-deep\n");
            for (nm = 0; nm < NMODELS; nm++) {
                eval b16 = sum_ops(res16[nm].base), t16 = sum_ops(res16[nm].td[0]), b = sum_ops(res[nm].base), t = sum_ops(res[nm].td[0]);
                fprintf(f, "%s\t%.4f\t%.4f\n", models[nm].name, speedup(&b16, &t16), speedup(&b, &t));
            }
            fprintf(f, "Avg\t%.4f\t%.4f\n", w16, dav[2]);
            fclose(f);
            ex_figure_render(base,
                "set title \"Fig. 14: speedup with 16-MAC PEs and 3-deep staging buffers over a 16-MAC baseline\\n"
                "(16-lane movement set ASSUMED; substitute densities, i.i.d. zeros)\"\n"
                "set style data histogram\nset style histogram cluster gap 1\nset style fill solid 0.8 border -1\nset boxwidth 0.9\n"
                "set ylabel 'speedup'\nset yrange [0:*]\nset grid ytics\nset key top left\nset xtics rotate by -30\n"
                "plot datafile using 2:xtic(1) title '16-MAC PEs, 3-deep', '' using 3 title '4-MAC PEs, 4-deep (default)'\n");
        }
        (void)dl;
        ex_claim(&cl, "fig12.avg_speedup_2deep", dav[0], 1.5, "x", 0.25, 0, "Fig. 12 (L322); substitute densities");
        ex_claim(&cl, "fig12.avg_speedup_5deep", dav[3], 2.05, "x", 0.25, 0, "Fig. 12 (L322); 5-deep movement set assumed");
        ex_claim(&cl, "fig13.avg_speedup_1row_iid", riid[0], 2.2, "x", 0.25, 0, "Fig. 13 (L328); i.i.d. zeros");
        ex_claim(&cl, "fig13.avg_speedup_16rows_iid", riid[4], 1.8, "x", 0.25, 0, "Fig. 13 (L328); i.i.d. zeros");
        ex_claim(&cl, "fig13.avg_speedup_1row_clustered", rclu[0], 2.2, "x", 0.25, 0, "Fig. 13 (L328); clustered rows, concentration 2");
        ex_claim(&cl, "fig13.avg_speedup_16rows_clustered", rclu[4], 1.8, "x", 0.25, 0, "Fig. 13 (L328); clustered rows, concentration 2");
        ex_claim(&cl, "fig14.avg_speedup_16mac_3deep", w16, 1.85, "x", 0.25, 0, "Fig. 14 (L338); 16-lane movement set assumed");
    }

    /* ---- Fig. 15: random sparsity on SqueezeNet's third convolution ---- */
    {
        static const double sparsity[] = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999 };
        enum { NS = sizeof sparsity / sizeof sparsity[0] };
        const model *sq = NULL;
        const layer *ly = NULL;
        geom ge;
        double sp[NS], ce[NS], oe[NS];
        int si;
        for (nm = 0; nm < NMODELS; nm++) if (!strcmp(models[nm].name, "SQZNet")) sq = &models[nm];
        for (i = 0; sq && i < sq->nl; i++) if (!strcmp(sq->l[i].name, "fire2.e1")) ly = &sq->l[i];
        if (!ly || geom_of(ADIR "tensordash.ini", &ge) != 0) { fprintf(stderr, "SqueezeNet fire2.e1 is missing\n"); return 1; }
        for (si = 0; si < NS; si++) {
            eval b, t[MAXCFG], bs, ts;
            opgen g;
            memset(&bs, 0, sizeof bs); memset(&ts, 0, sizeof ts);
            for (k = 0; k < NOPS; k++) {
                memset(&b, 0, sizeof b); memset(t, 0, sizeof t);
                make_op(ly, k, &g);
                if (eval_op(ADIR "tensorcore.ini", ADIR "tensordash.ini", &ge, "fig15", &g, 1 - sparsity[si], 1, &b, cfg, 1, t) != 0) return 1;
                bs.cycles += b.cycles; bs.dram += b.dram; bs.sram += b.sram; bs.compute += b.compute;
                ts.cycles += t[0].cycles; ts.dram += t[0].dram; ts.sram += t[0].sram; ts.compute += t[0].compute;
            }
            sp[si] = speedup(&bs, &ts); ce[si] = bs.compute / ts.compute; oe[si] = total_energy(&bs) / total_energy(&ts);
        }
        if (cl.mode == EX_FIGURES && (f = fig("fig15", base, sizeof base))) {
            fprintf(f, "# sparsity_pct\tideal\tspeedup\tcompute_ee\toverall_ee\n");
            for (si = 0; si < NS; si++) fprintf(f, "%g\t%.4f\t%.4f\t%.4f\t%.4f\n", 100 * sparsity[si], 1 / (1 - sparsity[si]), sp[si], ce[si], oe[si]);
            fclose(f);
            ex_figure_render(base,
                "set title \"Fig. 15: random sparsity, SqueezeNet fire2/expand1x1 (the third convolution), all three operations\\n"
                "4-deep TensorDash; overall energy efficiency uses ASSUMED memory energies\"\n"
                "set style data histogram\nset style histogram cluster gap 1\nset style fill solid 0.8 border -1\nset boxwidth 0.9\n"
                "set xlabel 'sparsity of the targeted operand (%)'\nset ylabel 'speedup / energy efficiency'\nset yrange [0:5]\nset grid ytics\nset key top left\n"
                "plot datafile using ($2 > 5 ? 5 : $2):xtic(1) title 'ideal (1/density, clipped at 5)', '' using 3 title 'TensorDash speedup', "
                "'' using 4 title 'compute energy efficiency', '' using 5 title 'overall energy efficiency'\n");
        }
        ex_claim(&cl, "fig15.ideal_speedup_s20", 1 / (1 - sparsity[1]), 1.25, "x", 0.10, 1, "Fig. 15 (L348)");
        ex_claim(&cl, "fig15.speedup_s20", sp[1], 1.23, "x", 0.10, 1, "Fig. 15 (L348): 20% sparsity");
        ex_claim(&cl, "fig15.ideal_speedup_s90", 1 / (1 - sparsity[8]), 10, "x", 0.10, 1, "Fig. 15 (L348)");
        ex_claim(&cl, "fig15.speedup_s90", sp[8], 3.7, "x", 0.10, 1, "Fig. 15 (L348): 90% sparsity");
        ex_claim(&cl, "fig15.speedup_s99", sp[10], 3.99, "x", 0.10, 1, "Fig. 15 (L348): 99% sparsity");
        ex_claim(&cl, "fig15.compute_ee_s99.99", ce[12], 3.67, "x", 0.10, 1, "Fig. 15 (L348): 4 / 1.09 at 99.99%");
        ex_claim(&cl, "fig15.overall_ee_s99.99", oe[12], 2.1, "x", 0.25, 0, "Fig. 15 (L348): saturation; memory energies assumed");
    }

    /* ---- Table IV and the area claims; bfloat16 ---- */
    {
        eval b = sum_ops(res[0].base), t = sum_ops(res[0].td[0]), bb = sum_ops(resbf[0].base), tb = sum_ops(resbf[0].td[0]);
        double p_base = 0, p_td = 0, a_base = 0, a_td = 0, ce = 0, oe = 0;
        sm_spec *sb, *st;
        sb = load("include = " ADIR "tensorcore.ini\n[problem]\neinsum = Z[m] += A[m,k] * B[k]\nbounds = m=1 k=1\n", "base.ini", NULL, 0);
        st = load("include = " ADIR "tensordash.ini\n[problem]\neinsum = Z[m] += A[m,k] * B[k]\nbounds = m=1 k=1\n", "td.ini", NULL, 0);
        if (!sb || !st) return 1;
        for (i = 0; i < sb->ncomponents; i++) { p_base += sb->components[i].power_mw; a_base += sb->components[i].area_um2; }
        for (i = 0; i < st->ncomponents; i++) { p_td += st->components[i].power_mw; a_td += st->components[i].area_um2; }
        sm_spec_free(sb); sm_spec_free(st);
        for (nm = 0; nm < NMODELS; nm++) {
            eval x = sum_ops(resbf[nm].base), y = sum_ops(resbf[nm].td[0]);
            ce += x.compute / y.compute / NMODELS; oe += total_energy(&x) / total_energy(&y) / NMODELS;
        }
        ex_claim(&cl, "tab4.compute_power", p_td / p_base, 1.09, "x", 0.10, 1, "Table IV: sum of the components (the printed totals give 1.0988)");
        ex_claim(&cl, "tab4.compute_area", a_td / a_base, 1.14, "x", 0.10, 1, "Table IV: 79.01 / 69.11 mm^2");
        ex_claim(&cl, "chip.area_overhead", 100 * (t.area / b.area - 1), 4.8, "%", 0.10, 1, "L308: Table IV + 3 x 58.6 mm^2 SRAM + scratchpads 3.95 / 5.9 mm^2");
        ex_claim(&cl, "bf16.area_overhead", 100 * (tb.area / bb.area - 1), 4.9, "%", 0.10, 1, "L352; cores derived from the 1.16x area ratio (L350)");
        ex_claim(&cl, "bf16.avg_compute_ee", ce, 1.76, "x", 0.25, 0, "L352; substitute densities");
        ex_claim(&cl, "bf16.avg_overall_ee", oe, 1.48, "x", 0.25, 0, "L352; memory energies assumed");
    }
    for (c = 0; c < ncfg; c++) sm_skipsched_cache_free(cfg[c].ss.cache);
    sm_skipsched_cache_free(cfg16[0].ss.cache);
    return ex_claims_done(&cl);
}
