/* paper_tasd: TASD / TASDER (Jeong et al., "Abstracting Sparse DNN Acceleration via Structured Sparse
   Tensor Decomposition", MICRO 2023; ../shared/seeds/tasd_micro2023.txt, cited TASD Lnnn) -- figures
   and claims.

   Regenerates (plots/tasd/<name>.{tsv,gp,png}):
     fig4_example     the 2x8 worked example: 2:4, 3:4, 2:4+2:8 on a matrix consistent with the text
     fig5_dropped     dropped non-zeros (exact, binomial) and dropped magnitude (seeded Monte-Carlo,
                      normal values) against density for 2:4, 2:4+2:8, 2:4+2:8+2:16
     fig6_error       ||(A-A*)B|| / ||AB|| against the approximated sparsity, N:4 and N:8, A 20% / 80%
                      sparse, values U(0,1) (moment formula over Monte-Carlo blocks)
     fig14_edp        EDP normalized to the dense TC: dense/sparse ResNet-50 and BERT (L1-L3, overall)
                      on TC, DSTC, TTC-STC-M4/M8, TTC-VEGETA-M4/M8 with TASDER-like configurations
     fig15_latency_energy   overall latency and energy normalized to the TC
     fig16_network_vs_layer sparse ResNet-50 on TTC-VEGETA-M8: network-wise 5:8, layer-wise search
     fig19_breakdown  energy per level of a sparse ResNet-50 layer: TC vs TTC-VEGETA 4:8+1:8
   Specs: specs/arch/ttc.ini (the TC and every TTC: one hierarchy, per-term densities and mappings set
   here), specs/arch/dstc_sparseloop.ini (DSTC on the same DRAM and SMEM).
   Substitutions (README "TASD"): the paper's per-layer densities (Fig. 8) and chosen configurations are
   not in its text. Weights of sparse ResNet-50 5% dense i.i.d. (first conv dense), sparse BERT 10%;
   ResNet-50 input activations from 0.82 down to 0.27 with depth (the Sparseloop artifact's IAD range),
   the image dense; BERT activations dense, the FFN-down input GELU (pseudo-density 99%). Quality
   proxy instead of accuracy: at most 1% of the |magnitude| dropped per layer (TASD L283's 99%).
   Runs in a few seconds. Modes: --figures (default), --claims, --check. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "ex_common.h"

#define TTC "specs/arch/ttc.ini"
#define DSTCS "specs/arch/dstc_sparseloop.ini"
#define BUDGET 0.01        /* ASSUMPTION: dropped |magnitude| per layer (TASD L283: keep 99%) */
#define COMPARE_PJ 0.03    /* ASSUMPTION: an 8-bit compare ~ an 8-bit add at 45 nm (Horowitz, ISSCC 2014) */

/* ---------------------------------------------------------------- Fig. 4 */
static int fig4(ex_claims *c, int figures) {
    /* A 2x8 matrix consistent with TASD L129-L144 (the figure itself is not in the text): 10 non-zeros,
       sum 25, 4-blocks holding 4, 1 (row 0) and 3, 2 (row 1) non-zeros. */
    static const double A[16] = { 1, 2, 3, 5, 0, 0, 2, 0,
                                  1, 0, 2, 4, 3, 0, 2, 0 };
    static const sm_series s24 = { 1, { 2 }, { 4 } }, s34 = { 1, { 3 }, { 4 } }, s248 = { 2, { 2, 2 }, { 4, 8 } };
    const sm_series *ser[3] = { &s24, &s34, &s248 };
    static const char *names[3] = { "2:4", "3:4", "2:4+2:8" };
    double res[16], nz[3], mag[3], total = 0, nnz = 0;
    int i, j;
    for (j = 0; j < 16; j++) { total += fabs(A[j]); nnz += A[j] != 0; }
    for (i = 0; i < 3; i++) {
        double left = 0;
        nz[i] = sm_tasd_decompose(A, 2, 8, ser[i], NULL, res) / nnz;
        for (j = 0; j < 16; j++) left += fabs(res[j]);
        mag[i] = (total - left) / total;
    }
    ex_claim(c, "tasd.fig4.2of4_nonzeros_kept", 100 * nz[0], 70, "%", 0.0, 1, "TASD L142");
    ex_claim(c, "tasd.fig4.2of4_magnitude_kept", 100 * mag[0], 84, "%", 0.0, 1, "TASD L142");
    ex_claim(c, "tasd.fig4.3of4_nonzeros_kept", 100 * nz[1], 90, "%", 0.0, 1, "TASD L142");
    ex_claim(c, "tasd.fig4.3of4_magnitude_kept", 100 * mag[1], 96, "%", 0.0, 1, "TASD L142");
    ex_claim(c, "tasd.fig4.2of4+2of8_kept", 100 * nz[2], 100, "%", 0.0, 1, "TASD L144: lossless");
    if (figures) {
        char base[600];
        FILE *f = ex_figure_open("tasd", "fig4_example", base, sizeof base);
        if (!f) return 1;
        fprintf(f, "# the 2x8 example (a matrix consistent with TASD L129-L144; the figure is not in the text)\n# A = [1 2 3 5 0 0 2 0; 1 0 2 4 3 0 2 0], 10 non-zeros, sum 25\n");
        fprintf(f, "# series\tnonzeros_kept_pct\tmagnitude_kept_pct\n");
        for (i = 0; i < 3; i++) fprintf(f, "%s\t%.2f\t%.2f\n", names[i], 100 * nz[i], 100 * mag[i]);
        fclose(f);
        if (ex_figure_render(base,
            "set title \"TASD Fig. 4: the 2x8 example (A = [1 2 3 5 0 0 2 0; 1 0 2 4 3 0 2 0]); paper: 2:4 keeps 70%/84%, 3:4 90%/96%, 2:4+2:8 is lossless\"\n"
            "set style data histograms\nset style histogram clustered\nset style fill solid 0.85 border -1\nset yrange [0:110]\nset ylabel 'kept (%)'\nset grid ytics\nset key top left\n"
            "plot datafile using 2:xtic(1) title 'non-zeros kept', '' using 3 title 'magnitude kept'\n") < 0) return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- Fig. 5 */
static int fig5(ex_claims *c, int figures) {
    static const sm_series ser[3] = { { 1, { 2 }, { 4 } }, { 2, { 2, 2 }, { 4, 8 } }, { 3, { 2, 2, 2 }, { 4, 8, 16 } } };
    double d, worst2 = 0;
    char base[600];
    FILE *f = NULL;
    if (figures) {
        if (!(f = ex_figure_open("tasd", "fig5_dropped", base, sizeof base))) return 1;
        fprintf(f, "# dropped non-zeros (exact, i.i.d. binomial) and dropped |magnitude| (Monte-Carlo, 20000 blocks, N(0,1/3) values, seeded) in %%\n");
        fprintf(f, "# density\tnz_2:4\tnz_2:4+2:8\tnz_2:4+2:8+2:16\tmag_2:4\tmag_2:4+2:8\tmag_2:4+2:8+2:16\n");
    }
    for (d = 0.1; d <= 0.7501; d += 0.05) {
        sm_tasd_stats st[3], mv[3];
        int i;
        for (i = 0; i < 3; i++) { sm_tasd_counts(d, &ser[i], &st[i]); sm_tasd_values(d, &ser[i], SM_VALUES_NORMAL, 20000, 7, &mv[i]); }
        if (d <= 0.5001 && st[1].dropped > worst2) worst2 = st[1].dropped;
        if (f) fprintf(f, "%.2f\t%.5f\t%.5f\t%.6f\t%.5f\t%.5f\t%.6f\n", d, 100 * st[0].dropped, 100 * st[1].dropped, 100 * st[2].dropped, 100 * mv[0].dropped_magnitude, 100 * mv[1].dropped_magnitude, 100 * mv[2].dropped_magnitude);
    }
    ex_claim_bound(c, "tasd.fig5.two_terms_dropped_pct_max_d<=0.5", 100 * worst2, 1.0, 1, "%", 1, "TASD L178: <1% dropped with two terms for sparse matrices");
    if (f) {
        fclose(f);
        if (ex_figure_render(base,
            "set title \"TASD Fig. 5: dropped non-zeros (exact) and dropped magnitude (Monte-Carlo, normal values) after a TASD series\"\n"
            "set xlabel 'density'\nset ylabel 'dropped (%, log)'\nset logscale y\nset yrange [1e-4:100]\nset grid\nset key outside right\n"
            "plot datafile using 1:2 with linespoints lw 2 lc 1 title 'non-zeros, 2:4', '' using 1:3 with linespoints lw 2 lc 2 title 'non-zeros, 2:4+2:8', '' using 1:4 with linespoints lw 2 lc 3 title 'non-zeros, 2:4+2:8+2:16', "
            "'' using 1:5 with lines dt 2 lw 2 lc 1 title 'magnitude, 2:4', '' using 1:6 with lines dt 2 lw 2 lc 2 title 'magnitude, 2:4+2:8', '' using 1:7 with lines dt 2 lw 2 lc 3 title 'magnitude, 2:4+2:8+2:16', 1 with lines lc rgb 'gray' dt 3 title '1%'\n") < 0) return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- Fig. 6 */
static int fig6(int figures) {
    char base[600];
    FILE *f;
    int n;
    if (!figures) return 0;
    if (!(f = ex_figure_open("tasd", "fig6_error", base, sizeof base))) return 1;
    fprintf(f, "# ||(A-A*)B||/||AB||, A and B 256x256 U(0,1), A i.i.d. sparse, one term N:M; moment formula over 20000 Monte-Carlo blocks (seeded)\n");
    fprintf(f, "# approx_sparsity\tN4_s20\tN8_s20\tN4_s80\tN8_s80\n");
    for (n = 0; n <= 8; n++) {
        sm_series s8 = { 1, { 0 }, { 8 } }, s4 = { 1, { 0 }, { 4 } };
        double asp = 1 - n / 8.0, e4a = NAN, e4b = NAN;
        s8.n[0] = n;
        if (n % 2 == 0) {
            s4.n[0] = n / 2;
            e4a = sm_tasd_error(0.8, &s4, SM_VALUES_UNIFORM, 256, 0.5, 1.0 / 12, 20000, 11);
            e4b = sm_tasd_error(0.2, &s4, SM_VALUES_UNIFORM, 256, 0.5, 1.0 / 12, 20000, 11);
        }
        fprintf(f, "%.4f\t%.5f\t%.5f\t%.5f\t%.5f\n", asp, e4a, sm_tasd_error(0.8, &s8, SM_VALUES_UNIFORM, 256, 0.5, 1.0 / 12, 20000, 11),
                e4b, sm_tasd_error(0.2, &s8, SM_VALUES_UNIFORM, 256, 0.5, 1.0 / 12, 20000, 11));
    }
    fclose(f);
    return ex_figure_render(base,
        "set title \"TASD Fig. 6: GEMM error of a one-term TASD of A (256x256, U(0,1) values, B dense U(0,1))\"\n"
        "set xlabel 'approximated sparsity (1 - N/M)'\nset ylabel '||(A-A*)B|| / ||AB||'\nset grid\nset key top left\nset yrange [0:1.05]\nset datafile missing 'NaN'\n"
        "plot datafile using 1:2 with linespoints lw 2 lc 1 title 'N:4, A 20% sparse', '' using 1:3 with linespoints lw 2 lc 2 title 'N:8, A 20% sparse', "
        "'' using 1:4 with linespoints lw 2 dt 2 lc 1 title 'N:4, A 80% sparse', '' using 1:5 with linespoints lw 2 dt 2 lc 2 title 'N:8, A 80% sparse'\n") < 0;
}

/* ---------------------------------------------------------------- hardware evaluation */
/* The decomposed operand is the hardware's A (M_hw x K); the other is B (N_hw x K). */
typedef struct hw_res { double cycles, energy, level[6], mac; } hw_res;

static long divisor_le(long x, long cap) { long d; for (d = x < cap ? x : cap; d > 1; d--) if (x % d == 0) return d; return 1; }
static long roundup(double x, long q) { return (long)ceil(x / q - 1e-9) * q; }

static int eval_spec(const char *path, const char *const *sets, int n, sm_stats *st) {
    sm_spec *s;
    sm_error err;
    if (sm_spec_load_file(path, sets, n, &s, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; }
    if (sm_eval(s, st, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); sm_spec_free(s); return 1; }
    sm_spec_free(s);
    return 0;
}

/* One term on the TC/TTC hierarchy: A holds n of every m slots along K (n = m: dense), B density db
   (gate: MACs power-gated on zero B). Mapping: the reference case's template (README "TASD"). */
static int ttc_term(double M, double N, double K, int n, int m, double db, int gate, sm_stats *st) {
    static char buf[20][256];
    const char *sets[20];
    int ns = 0, dense = n >= m, e = dense ? 16 : 16 * m / n, mdb = m <= 4 ? 2 : m <= 8 ? 3 : 4, i;
    long Mp = roundup(M, 64), Np = (long)N, Kp = roundup(K, e), mb = Mp / 64, kt = Kp / e, nl, ms, nsn, kd = 0;
    double rho = dense ? 1 : (double)n / m;
    nl = divisor_le(Np, 128);
    for (i = 1; i <= kt && !kd; i++) {   /* the fewest DRAM k-steps that fit the SMEM */
        long kk;
        if (kt % i) continue;
        kk = Kp / i;
        for (ms = divisor_le(mb, 8); ms >= 1; ms = ms > 1 ? divisor_le(mb, ms - 1) : 0) {
            for (nsn = divisor_le(Np / nl, 8); nsn >= 1; nsn = nsn > 1 ? divisor_le(Np / nl, nsn - 1) : 0)
                if (ms * 64 * kk * rho + nsn * nl * kk <= 262144 * 0.95) break;
            if (nsn >= 1) break;
        }
        if (ms >= 1 && nsn >= 1) kd = i;
    }
    if (!kd) { fprintf(stderr, "no mapping for M%g N%g K%g\n", M, N, K); return 1; }
#define SET(...) (snprintf(buf[ns], sizeof buf[ns], __VA_ARGS__), sets[ns] = buf[ns], ns++)
    SET("problem.bounds=M=%ld N=%ld K=%ld", Mp, Np, Kp);
    SET("mapping.DRAM.temporal=N%ld M%ld K%ld", Np / (nl * nsn), mb / ms, kd);
    SET("mapping.SMEM.temporal=M%ld N%ld", ms, nsn);
    SET("mapping.RF.temporal=K%ld", kt / kd);
    SET("mapping.RF.spatial_x=K%d", e);
    SET("mapping.LRF.temporal=N%ld", nl);
    if (dense) SET("density.A=dense");
    else {
        SET("density.A=fixed %.9g", rho);
        SET("format DRAM.A=UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 CP:%d:0", mdb);
        SET("format SMEM.A=UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 UOP:0:0 CP:%d:0", mdb);
        SET("format LRF.A=CP:%d:0", mdb);
        SET("format DRAM.A.order=inner_to_outer");
        SET("format SMEM.A.order=inner_to_outer");
    }
    if (db < 1) SET("density.B=uniform %.9g", db); else SET("density.B=dense");
    if (gate) SET("saf.MAC.gate=A B");
#undef SET
    return eval_spec(TTC, sets, ns, st);
}

/* DSTC on its Sparseloop-like hierarchy: A density da, B density db. */
static int dstc_eval(double M, double N, double K, double da, double db, sm_stats *st) {
    static char buf[20][256];
    const char *sets[24];
    int ns = 0, i;
    long Mp = roundup(M, 64), Np = roundup(N, 64), Kp = (long)K, mb = Mp / 64, nb = Np / 64, ms, nsn = 1, kd = 0;
    for (i = 1; i <= Kp && !kd; i++) {
        long kk;
        if (Kp % i) continue;
        kk = Kp / i;
        for (ms = divisor_le(mb, 8); ms >= 1; ms = ms > 1 ? divisor_le(mb, ms - 1) : 0) {
            for (nsn = divisor_le(nb, 8); nsn >= 1; nsn = nsn > 1 ? divisor_le(nb, nsn - 1) : 0)
                if ((ms + nsn) * 64 * kk <= 262144 * 0.9 && (ms + nsn) * 64 * kk * 1.2 <= 524288 * 0.9) break;   /* data words (a compressed tile may hold its most non-zeros); bitmap bits */
            if (nsn >= 1) break;
        }
        if (ms >= 1 && nsn >= 1) kd = i;
    }
    if (!kd) { fprintf(stderr, "no DSTC mapping for M%g N%g K%g\n", M, N, K); return 1; }
#define SET(...) (snprintf(buf[ns], sizeof buf[ns], __VA_ARGS__), sets[ns] = buf[ns], ns++)
    SET("problem.bounds=M=%ld N=%ld K=%ld", Mp, Np, Kp);
    SET("mapping.DRAM.temporal=N%ld M%ld K%ld", nb / nsn, mb / ms, kd);
    SET("mapping.DRAM.keep=A B Z");
    SET("mapping.SMEM.temporal=M%ld N%ld", ms, nsn);
    SET("mapping.SMEM.spatial_x=N2");
    SET("mapping.SMEM.spatial_y=M2");
    SET("mapping.SMEM.keep=A B");
    SET("mapping.RF.temporal=K%ld M2 N2", Kp / kd);
    SET("mapping.RF.keep=Z");
    SET("mapping.LRF.spatial_y=M16");
    SET("mapping.LRF.spatial_x=N16");
    SET("mapping.LRF.keep=A B");
    if (da < 1) SET("density.A=uniform %.9g", da); else SET("density.A=dense");
    if (db < 1) SET("density.B=uniform %.9g", db); else SET("density.B=dense");
    SET("format DRAM.A=B(M,K):1:0 B(M,K):1:0 B(M):1:0"); SET("format DRAM.B=B(N,K):1:0 B(N,K):1:0 B(N):1:0");
#undef SET
    {
        static char more[4][128];
        snprintf(more[0], 128, "format SMEM.A=B(M,K):1:0 B(M):1:0"); snprintf(more[1], 128, "format SMEM.B=B(N,K):1:0 B(N):1:0");
        snprintf(more[2], 128, "format LRF.A=B(M):1:0"); snprintf(more[3], 128, "format LRF.B=B(N):1:0");
        for (i = 0; i < 4 && ns < 24; i++) sets[ns++] = more[i];
    }
    return eval_spec(DSTCS, sets, ns, st);
}

static void take(const sm_stats *st, hw_res *r) {
    int l;
    memset(r, 0, sizeof *r);
    r->cycles = st->cycles;
    r->energy = st->energy_pj;
    for (l = 0; l < st->nlevels && l < 6; l++) r->level[l] = st->level[l].energy_pj;
    r->mac = st->compute_energy_pj;
}

/* A layer with a TASD series on a TTC (terms one after another: B resident at the SMEM, Z at the RF). */
static int ttc_series(double M, double N, double K, const sm_series *s, double db, int gate, hw_res *r) {
    sm_stats st[SM_MAX_SERIES], sum;
    static const int resident[3] = { -1, 1, 2 };   /* A, B (SMEM), Z (RF) */
    int i, n = s && s->nterms > 0 ? s->nterms : 1;
    for (i = 0; i < n; i++) {
        int nn = s && s->nterms > 0 ? s->n[i] : 1, mm = s && s->nterms > 0 ? s->m[i] : 1;
        if (ttc_term(M, N, K, nn, mm, db, gate, &st[i])) return 1;
    }
    sm_stats_series(st, n, resident, &sum);
    take(&sum, r);
    return 0;
}

/* The search's cost of a layer with an option: its cycles on the TTC (TASD Eq. 4 minimizes latency). */
typedef struct cost_ctx { double M, N, K, db; int gate; const sm_series *opts; } cost_ctx;
static double layer_cost(int layer, int option, void *vctx) {
    const cost_ctx *c = (const cost_ctx *)vctx;
    hw_res r;
    (void)layer;
    if (ttc_series(c->M, c->N, c->K, option >= 0 ? &c->opts[option] : NULL, c->db, c->gate, &r)) return 1e300;
    return r.cycles;
}

/* ---------------------------------------------------------------- workloads */
typedef struct layer { const char *name; double m, n, k, rs, count, dw, da; int gelu_in; int rep; } layer;
/* ResNet-50 (He et al. 2016; torchvision), 224x224, batch 1, as GEMMs: m = output pixels, n = output
   channels, k = C R S. da: input activation density (filled in), dw: weight density (filled in). */
#define MAXL 64
static layer r50[MAXL];
static int nr50;
static void build_resnet50(void) {
    static const struct { int blocks, mid, out, hw; } st[4] = { { 3, 64, 256, 56 }, { 4, 128, 512, 28 }, { 6, 256, 1024, 14 }, { 3, 512, 2048, 7 } };
    int s, b, in = 64;
    nr50 = 0;
    r50[nr50++] = (layer){ "conv1", 112 * 112, 64, 3 * 49, 49, 1, 1, 1, 0, 0 };
    for (s = 0; s < 4; s++)
        for (b = 0; b < st[s].blocks; b++) {
            double hw = st[s].hw, hwin = b == 0 && s > 0 ? 2 * hw : hw;
            int rep = (s == 0 && b == 0) ? 2 : (s == 1 && b == 1) ? 1 : (s == 2 && b == 1) ? 3 : 0;
            r50[nr50++] = (layer){ "1x1 reduce", hwin * hwin, st[s].mid, in, 1, 1, 1, 1, 0, 0 };
            r50[nr50++] = (layer){ rep == 1 ? "L1" : rep == 2 ? "L2" : rep == 3 ? "L3" : "3x3", hw * hw, st[s].mid, st[s].mid * 9, 9, 1, 1, 1, 0, rep };
            r50[nr50++] = (layer){ "1x1 expand", hw * hw, st[s].out, st[s].mid, 1, 1, 1, 1, 0, 0 };
            if (b == 0) r50[nr50++] = (layer){ "downsample", hw * hw, st[s].out, in, 1, 1, 1, 1, 0, 0 };
            in = st[s].out;
        }
    r50[nr50++] = (layer){ "fc", 1, 1000, 2048, 1, 1, 1, 1, 0, 0 };
}
/* BERT-base (Devlin et al. 2019), sequence 128 (TASD Table 4: N128), 12 encoder layers, the weight GEMMs
   (TASD L202: CONV and FC only): m = tokens, n = out features, k = in features. */
static layer bert[] = {
    { "L1 (QKV/O)", 128, 768, 768, 1, 48, 1, 1, 0, 1 },
    { "L2 (FFN up)", 128, 3072, 768, 1, 12, 1, 1, 0, 2 },
    { "L3 (FFN down)", 128, 768, 3072, 1, 12, 1, 1, 1, 3 },
};

enum { TC, DSTC, STC4, STC8, VEG4, VEG8, NDES };
static const char *const des_name[NDES] = { "TC", "DSTC", "TTC-STC-M4", "TTC-STC-M8", "TTC-VEGETA-M4", "TTC-VEGETA-M8" };
/* TASD Table 3: the series each design runs (1 term native, 2 terms by TASD); dense always. */
static const sm_series opt_stc4[] = { { 1, { 2 }, { 4 } } };
static const sm_series opt_stc8[] = { { 1, { 4 }, { 8 } } };
static const sm_series opt_veg4[] = { { 1, { 1 }, { 4 } }, { 1, { 2 }, { 4 } }, { 2, { 2, 1 }, { 4, 4 } } };
static const sm_series opt_veg8[] = { { 1, { 1 }, { 8 } }, { 1, { 2 }, { 8 } }, { 1, { 4 }, { 8 } }, { 2, { 2, 1 }, { 8, 8 } }, { 2, { 4, 1 }, { 8, 8 } }, { 2, { 4, 2 }, { 8, 8 } } };
static const sm_series *des_opts[NDES] = { NULL, NULL, opt_stc4, opt_stc8, opt_veg4, opt_veg8 };
static const int des_nopt[NDES] = { 0, 0, 1, 1, 3, 6 };

enum { DR50, DBERT, SR50, SBERT, NWL };
static const char *const wl_name[NWL] = { "dense ResNet-50", "dense BERT", "sparse ResNet-50", "sparse BERT" };

typedef struct wl_res { hw_res layer[3], total; } wl_res;

static void series_str(const sm_series *s, char *buf, size_t cap) {
    int i;
    size_t k = 0;
    if (!s || s->nterms == 0) { snprintf(buf, cap, "dense"); return; }
    buf[0] = 0;
    for (i = 0; i < s->nterms; i++) k += (size_t)snprintf(buf + k, cap > k ? cap - k : 0, "%s%d:%d", i ? "+" : "", s->n[i], s->m[i]);
}

/* Evaluate one workload on one design. Per layer: the decomposed operand (weights for the sparse
   models: TASD-W; the activations of ReLU inputs / the GELU input for the dense ones: TASD-A) becomes
   the hardware A; the series comes from the layer-wise search under BUDGET (or `fixed` for all). */
static int run_workload(int wl, int des, const sm_series *fixed, wl_res *out, FILE *log) {
    const layer *L = wl == DR50 || wl == SR50 ? r50 : bert;
    int n = wl == DR50 || wl == SR50 ? nr50 : 3, i;
    int sparse_w = wl == SR50 || wl == SBERT;
    memset(out, 0, sizeof *out);
    for (i = 0; i < n; i++) {
        const layer *y = &L[i];
        double dw = sparse_w ? y->dw : 1, da = y->da;
        double Mh, Nh, dec, other;   /* hardware dims; density of the decomposed and of the other operand */
        int tasd_ok, gate = 0;
        hw_res r;
        sm_series choice;
        sm_value_dist vd = SM_VALUES_NORMAL;
        memset(&choice, 0, sizeof choice);
        if (sparse_w) { Mh = y->n; Nh = y->m; dec = dw; other = da; tasd_ok = dw < 1; gate = des != TC && da < 1; }
        else {
            Mh = y->m; Nh = y->n; other = 1;
            if (wl == DBERT) { tasd_ok = y->gelu_in; dec = tasd_ok ? 1 : 1; vd = SM_VALUES_GELU; }
            else { tasd_ok = da < 1; dec = da; }
        }
        if (des == TC) { if (ttc_series(Mh, Nh, y->k, NULL, other, 0, &r)) return 1; }
        else if (des == DSTC) {
            sm_stats st;
            if (dstc_eval(Mh, Nh, y->k, wl == DBERT ? 1 : dec, other, &st)) return 1;
            take(&st, &r);
        } else if (des != TC) {
            if (fixed) { if (tasd_ok) choice = *fixed; }
            else if (tasd_ok) {   /* TASDER-like: the fastest supported series within the proxy budget */
                sm_tasd_layer tl;
                cost_ctx cc;
                memset(&tl, 0, sizeof tl);
                tl.macs = y->m * y->n * y->k; tl.density = dec; tl.values = vd;
                cc.M = Mh; cc.N = Nh; cc.K = y->k; cc.db = other; cc.gate = gate; cc.opts = des_opts[des];
                sm_tasd_search_layerwise(des_opts[des], des_nopt[des], SM_TASD_DROPPED_MAGNITUDE, BUDGET, layer_cost, &cc, &tl, 1);
                if (tl.choice >= 0) choice = des_opts[des][tl.choice];
            }
            if (ttc_series(Mh, Nh, y->k, &choice, other, gate, &r)) return 1;
            if (!sparse_w && choice.nterms > 0)   /* TASD-A: run-time decomposition of the layer's input */
                r.energy += sm_tasd_unit_energy(y->m * y->k / y->rs, &choice, COMPARE_PJ);
        }
        if (log) {
            char sb[48];
            series_str(&choice, sb, sizeof sb);
            fprintf(log, "# %s\t%s\t%s\tm%g n%g k%g\tdec %.3f other %.3f\t%s\tcycles %.0f\tenergy_uJ %.3f\n", wl_name[wl], des_name[des], y->name, y->m, y->n, y->k, dec, other, sb, r.cycles, r.energy * 1e-6);
        }
        if (y->rep >= 1 && y->rep <= 3) out->layer[y->rep - 1] = r;
        out->total.cycles += y->count * r.cycles;
        out->total.energy += y->count * r.energy;
        {
            int l;
            for (l = 0; l < 6; l++) out->total.level[l] += y->count * r.level[l];
            out->total.mac += y->count * r.mac;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- Figs. 14, 15, 16, 19 */
static void fill_densities(void) {
    int i;
    build_resnet50();
    for (i = 0; i < nr50; i++) {   /* ASSUMPTION: weights 5% dense except conv1; activations 0.82 -> 0.27 with depth */
        r50[i].dw = i == 0 ? 1 : 0.05;
        r50[i].da = i == 0 ? 1 : 0.82 - (0.82 - 0.27) * (i - 1) / (nr50 - 2);
    }
}

static int hardware(ex_claims *c, int figures) {
    static wl_res res[NWL][NDES];
    static const double paper_edp[3][NWL] = { { 1.12, 2.67, 0.13, 0.45 }, { 0.42, 0.39, 0.17, 0.18 }, { 0.96, 0.68, 0.51, 0.47 } };   /* DSTC, VEGETA-M8, STC-M4 (TASD L375-L377) */
    static const int claim_des[3] = { DSTC, VEG8, STC4 };
    static const char *const claim_key[3] = { "dstc", "ttc_vegeta_m8", "ttc_stc_m4" };
    static const char *const wl_key[NWL] = { "dense_resnet50", "dense_bert", "sparse_resnet50", "sparse_bert" };
    char base[600], name[160];
    FILE *f = NULL, *log = NULL;
    int w, d, i, j;
    double geo[NDES], energy_best = 1;
    sm_series five = { 2, { 4, 1 }, { 8, 8 } };
    wl_res net;
    /* layer bert densities: sparse BERT weights 10% (ASSUMPTION), GELU input pseudo-density */
    for (i = 0; i < 3; i++) bert[i].dw = 0.1;
    if (figures) log = fopen("plots/tasd/layers.tsv", "w");
    if (log) fprintf(log, "# per layer: workload, design, layer, GEMM, densities (decomposed, other), series, cycles, energy (uJ)\n");
    for (w = 0; w < NWL; w++)
        for (d = 0; d < NDES; d++)
            if (run_workload(w, d, NULL, &res[w][d], log)) return 1;
    if (log) fclose(log);
    /* Fig. 14 */
    if (figures) {
        if (!(f = ex_figure_open("tasd", "fig14_edp", base, sizeof base))) return 1;
        fprintf(f, "# EDP normalized to the dense TC; substitute densities and proxy-chosen series (README \"TASD\")\n");
        fprintf(f, "# workload_layer\t%s\t%s\t%s\t%s\t%s\t%s\n", des_name[0], des_name[1], des_name[2], des_name[3], des_name[4], des_name[5]);
    }
    for (d = 0; d < NDES; d++) geo[d] = 1;
    for (w = 0; w < NWL; w++) {
        for (j = 0; j < 4; j++) {
            const hw_res *tc = j < 3 ? &res[w][TC].layer[j] : &res[w][TC].total;
            if (f) fprintf(f, "\"%s %s\"", wl_name[w], j < 3 ? (j == 0 ? "L1" : j == 1 ? "L2" : "L3") : "overall");
            for (d = 0; d < NDES; d++) {
                const hw_res *x = j < 3 ? &res[w][d].layer[j] : &res[w][d].total;
                double edp = (x->energy * x->cycles) / (tc->energy * tc->cycles);
                if (f) fprintf(f, "\t%.4f", edp);
                if (j == 3) geo[d] *= edp;
            }
            if (f) fprintf(f, "\n");
        }
    }
    if (f) {
        fclose(f);
        if (ex_figure_render(base,
            "set terminal pngcairo size 1500,650 font ',10' noenhanced\nset output sprintf('%s.png', substr(datafile, 1, strlen(datafile) - 4))\n"
            "set title \"TASD Fig. 14: EDP normalized to the dense TC (Sparseloop-like hierarchy; substitute densities; series chosen by a 1%-dropped-magnitude proxy)\"\n"
            "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.85 border -1\nset logscale y\nset yrange [0.05:5]\nset grid ytics\nset xtics rotate by -30\nset key outside right\n"
            "plot datafile using 2:xtic(1) title 'TC', '' using 3 title 'DSTC', '' using 4 title 'TTC-STC-M4', '' using 5 title 'TTC-STC-M8', '' using 6 title 'TTC-VEGETA-M4', '' using 7 title 'TTC-VEGETA-M8', 1 with lines lc rgb 'black' notitle\n") < 0) return 1;
    }
    for (i = 0; i < 3; i++)
        for (w = 0; w < NWL; w++) {
            const hw_res *x = &res[w][claim_des[i]].total, *tc = &res[w][TC].total;
            snprintf(name, sizeof name, "tasd.fig14.%s.edp_%s", claim_key[i], wl_key[w]);
            ex_claim(c, name, x->energy * x->cycles / (tc->energy * tc->cycles), paper_edp[i][w], "x TC", 0.25, 0, "TASD L375-L377");
        }
    ex_claim(c, "tasd.fig14.dstc.edp_reduction_geomean", 100 * (1 - pow(geo[DSTC], 0.25)), 35, "%", 0.25, 0, "TASD L375 (geometric mean of the four)");
    ex_claim(c, "tasd.fig14.ttc_vegeta_m8.edp_reduction_geomean", 100 * (1 - pow(geo[VEG8], 0.25)), 74, "%", 0.25, 0, "TASD L34, L448 (74%; L64 says 70%: the geometric mean of L377's four is 73.4%)");
    /* Fig. 15 */
    if (figures) {
        if (!(f = ex_figure_open("tasd", "fig15_latency_energy", base, sizeof base))) return 1;
        fprintf(f, "# overall latency and energy normalized to the dense TC\n# design");
        for (w = 0; w < NWL; w++) fprintf(f, "\tlat_%s\tenergy_%s", wl_key[w], wl_key[w]);
        fprintf(f, "\n");
        for (d = 0; d < NDES; d++) {
            fprintf(f, "%s", des_name[d]);
            for (w = 0; w < NWL; w++) fprintf(f, "\t%.4f\t%.4f", res[w][d].total.cycles / res[w][TC].total.cycles, res[w][d].total.energy / res[w][TC].total.energy);
            fprintf(f, "\n");
        }
        fclose(f);
        if (ex_figure_render(base,
            "set terminal pngcairo size 1500,600 font ',10' noenhanced\nset output sprintf('%s.png', substr(datafile, 1, strlen(datafile) - 4))\n"
            "set multiplot layout 1,2 title 'TASD Fig. 15: latency and energy normalized to the dense TC'\n"
            "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.85 border -1\nset grid ytics\nset xtics rotate by -30\nset yrange [0:*]\nset key top left font ',8'\n"
            "set title 'latency'\nplot datafile using 2:xtic(1) title 'dense ResNet-50', '' using 4 title 'dense BERT', '' using 6 title 'sparse ResNet-50', '' using 8 title 'sparse BERT'\n"
            "set title 'energy'\nplot datafile using 3:xtic(1) title 'dense ResNet-50', '' using 5 title 'dense BERT', '' using 7 title 'sparse ResNet-50', '' using 9 title 'sparse BERT'\n"
            "unset multiplot\n") < 0) return 1;
    }
    ex_claim(c, "tasd.fig15.vegeta_m8_over_dstc_latency_sparse_resnet50", res[SR50][VEG8].total.cycles / res[SR50][DSTC].total.cycles, 1.22, "x", 0.25, 0, "TASD L379: 22% slower than DSTC");
    for (w = 0; w < NWL; w++) {   /* most energy-efficient everywhere: VEGETA-M8 energy / the best other design */
        double best = 1e300;
        for (d = 0; d < NDES; d++) if (d != VEG8 && res[w][d].total.energy < best) best = res[w][d].total.energy;
        if (res[w][VEG8].total.energy / best > energy_best || w == 0) energy_best = res[w][VEG8].total.energy / best;
    }
    ex_claim_bound(c, "tasd.fig15.vegeta_m8_energy_over_best_other_max", energy_best, 1.0, 1, "x", 0, "TASD L379: the most energy-efficient design on every workload");
    /* Fig. 16: sparse ResNet-50 on TTC-VEGETA-M8, network-wise 5:8 (the paper's choice) and layer-wise */
    if (run_workload(SR50, VEG8, &five, &net, NULL)) return 1;
    {
        const hw_res *tc = &res[SR50][TC].total, *lw = &res[SR50][VEG8].total;
        if (figures) {
            if (!(f = ex_figure_open("tasd", "fig16_network_vs_layer", base, sizeof base))) return 1;
            fprintf(f, "# sparse ResNet-50 on TTC-VEGETA-M8, normalized to the dense TC\n# variant\tcycles\tenergy\tedp\tpaper_cycles\tpaper_energy\n");
            fprintf(f, "\"network-wise 5:8 (4:8+1:8)\"\t%.4f\t%.4f\t%.4f\t0.76\t0.47\n", net.total.cycles / tc->cycles, net.total.energy / tc->energy, net.total.cycles * net.total.energy / (tc->cycles * tc->energy));
            fprintf(f, "\"layer-wise (proxy search)\"\t%.4f\t%.4f\t%.4f\t0.39\t0.53\n", lw->cycles / tc->cycles, lw->energy / tc->energy, lw->cycles * lw->energy / (tc->cycles * tc->energy));
            fclose(f);
            if (ex_figure_render(base,
                "set title \"TASD Fig. 16 (cycles and energy): sparse ResNet-50 on TTC-VEGETA-M8 (bars: model; points: paper L385-L387)\"\n"
                "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.85 border -1\nset grid ytics\nset yrange [0:1.1]\nset key top right\nset ylabel 'normalized to the dense TC'\n"
                "plot datafile using 2:xtic(1) title 'cycles', '' using 3 title 'energy', '' using 4 title 'EDP', '' using ($0-0.27):5 with points pt 7 ps 2 lc rgb 'black' title 'paper cycles', '' using ($0):6 with points pt 5 ps 2 lc rgb 'black' title 'paper energy'\n") < 0) return 1;
        }
        ex_claim(c, "tasd.fig16.networkwise_5of8_cycles", net.total.cycles / tc->cycles, 0.76, "x TC", 0.25, 0, "TASD L385: 24% fewer cycles");
        ex_claim(c, "tasd.fig16.networkwise_5of8_energy", net.total.energy / tc->energy, 0.47, "x TC", 0.25, 0, "TASD L385: 53% less energy (its 75% EDP contradicts 0.76 x 0.47)");
        ex_claim(c, "tasd.fig16.layerwise_cycles", lw->cycles / tc->cycles, 0.39, "x TC", 0.25, 0, "TASD L387: 61% fewer cycles");
        ex_claim(c, "tasd.fig16.layerwise_energy", lw->energy / tc->energy, 0.53, "x TC", 0.25, 0, "TASD L387: 47% less energy (its 83% EDP contradicts 0.39 x 0.53)");
    }
    /* Fig. 19: energy per level, a representative sparse ResNet-50 layer (L1), TC vs TTC-VEGETA 4:8+1:8 */
    {
        const layer *y = NULL;
        hw_res tc, tv;
        for (i = 0; i < nr50; i++) if (r50[i].rep == 1) y = &r50[i];
        if (!y || ttc_series(y->n, y->m, y->k, NULL, y->da, 0, &tc) || ttc_series(y->n, y->m, y->k, &five, y->da, 1, &tv)) return 1;
        if (figures) {
            static const char *lv[4] = { "DRAM", "SMEM", "RF", "LRF" };
            if (!(f = ex_figure_open("tasd", "fig19_breakdown", base, sizeof base))) return 1;
            fprintf(f, "# energy per level (uJ): sparse ResNet-50 L1 (M784-N128-K1152, weights 5%% dense, activations %.2f), TC vs TTC-VEGETA 4:8+1:8\n# design", y->da);
            for (i = 0; i < 4; i++) fprintf(f, "\t%s", lv[i]);
            fprintf(f, "\tMAC\ttotal\n");
            fprintf(f, "TC");
            for (i = 0; i < 4; i++) fprintf(f, "\t%.4f", tc.level[i] * 1e-6);
            fprintf(f, "\t%.4f\t%.4f\n", tc.mac * 1e-6, tc.energy * 1e-6);
            fprintf(f, "\"TTC-VEGETA 4:8+1:8\"");
            for (i = 0; i < 4; i++) fprintf(f, "\t%.4f", tv.level[i] * 1e-6);
            fprintf(f, "\t%.4f\t%.4f\n", tv.mac * 1e-6, tv.energy * 1e-6);
            fclose(f);
            if (ex_figure_render(base,
                "set title \"TASD Fig. 19: energy breakdown of a sparse ResNet-50 layer (L1): dense TC vs TTC-VEGETA 4:8+1:8 (paper: 55% saving)\"\n"
                "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.85 border -1\nset boxwidth 0.5\nset ylabel 'energy (uJ)'\nset grid ytics\nset yrange [0:*]\nset key outside right\n"
                "plot datafile using 2:xtic(1) title 'DRAM', '' using 3 title 'SMEM', '' using 4 title 'RF', '' using 5 title 'LRF', '' using 6 title 'MAC'\n") < 0) return 1;
        }
        ex_claim(c, "tasd.fig19.energy_saving", 100 * (1 - tv.energy / tc.energy), 55, "%", 0.25, 0, "TASD L413");
    }
    return 0;
}

int main(int argc, char **argv) {
    ex_claims c;
    int figures;
    memset(&c, 0, sizeof c);
    c.mode = ex_mode_parse(argc, argv);
    figures = c.mode == EX_FIGURES;
    fill_densities();
    if (figures) { ex_mkdirs("plots/tasd"); printf("claim\tmodel\tpaper\tunit\trel_err\tsource\n"); }
    if (fig4(&c, figures) || fig5(&c, figures) || fig6(figures) || hardware(&c, figures)) return 1;
    return ex_claims_done(&c);
}
