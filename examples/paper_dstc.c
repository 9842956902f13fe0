/* paper_dstc: Dual-side Sparse Tensor Core (Wang et al., ISCA 2021; ../shared/seeds/dstc_isca2021.txt,
   cited as DSTC Lnnn) -- figures and claims.

   Regenerates (plots/dstc/<name>.{tsv,gp,png}):
     fig5_warp_tile   the 32x32 warp-tile example: 20/32 and 11/32 non-zeros -> 3 of 8 OTC steps (L140),
                      the Set-4 predicate mask (L265), and steps per set against the non-zeros
     fig21_spgemm     4096^3 SpGEMM speedup over CUTLASS against the sparsity of A, for B 0/50/90/99%:
                      DSTC (full model and compute bound only), cuSPARSE-like ESC (B 99%), the CSR-based
                      sparse tensor core [68] (fixed 75% on B), an A100-style 2:4 core; the paper's
                      numbers as points
     fig22_dnn        per-layer and full-model speedups of five DNNs: dense explicit/implicit, single-
                      sparse explicit ([68]) / implicit, dual-sparse implicit, the loose bound 1/(dW dA);
                      BERT and RNN: dense, single- and dual-sparse GEMM
     table3_im2col    normalized software im2col time, dense / CSR / bitmap, against sparsity
     table4_overhead  the area and power roll-up of Table IV
   Specs read: specs/arch/{v100,dstc,csr_stc,a100_stc,cusparse}.ini, specs/workloads/spgemm_4096.ini.
   Substitutions (the paper's per-layer data are not in its text; every one is also in the README):
     - operand non-zeros i.i.d. (uniform density models);
     - DNN layer shapes from the public model definitions, batch 1 (BERT: sequence 384);
     - weight sparsities: ResNet-18 per layer from Distiller's AGP schedule (IntelLabs/distiller
       examples/agp-pruning/resnet18.schedule_agp.yaml, the tool the paper used, L319); VGG-16 and the
       Mask R-CNN ResNet-50 backbone 80% except the first conv (Distiller resnet50.schedule_agp.yaml's
       rule); BERT-base 90% (movement pruning at 10% remaining weights, Sanh et al. 2020; the paper says
       ">90%", L367); RNN 90% (Distiller word_lang_model.LARGE_90.schedule_agp.yaml);
     - activation sparsity 50% at the input of every conv after a ReLU (the lower end of the paper's
       45-98%, L60), dense images, dense BERT/RNN activations (L319).
   Runs in about a second. Modes: --figures (default), --claims, --check (ex_common.h). */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "ex_common.h"

#define WL "specs/workloads/spgemm_4096.ini"

/* ---- evaluation helpers ---- */
static const double cta_menu[][2] = { { 128, 128 }, { 128, 64 }, { 64, 128 }, { 64, 64 }, { 64, 32 }, { 32, 64 }, { 32, 32 } };

/* Load `arch` with the workload and `sets`, evaluate it as a GPU kernel. tile_search: every thread-
   block tile of cta_menu (the library heuristics' choice: the fastest; ASSUMPTION: smaller blocks are
   resident in proportion, the register budget of one 128x128 block) else the spec's own. Returns
   cycles, or -1 on error (printed). */
static double run(const char *arch, const char *const *sets, int nsets, int tile_search, sm_gpu_stats *out) {
    char path[256];
    const char *all[24];
    sm_spec *s;
    sm_error err;
    sm_gpu_stats st, best;
    int i, n = 0;
    double bc = -1;
    snprintf(path, sizeof path, "specs/arch/%s.ini", arch);
    all[n++] = "problem.name=layer";
    for (i = 0; i < nsets && n < 24; i++) all[n++] = sets[i];
    {   /* one string: workload then arch (later wins) */
        static char text[512];
        snprintf(text, sizeof text, "include = %s\ninclude = %s\n", WL, path);
        if (sm_spec_load_string(text, "paper_dstc", all, n, &s, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); return -1; }
    }
    memset(&best, 0, sizeof best);
    for (i = 0; i < (tile_search ? (int)(sizeof cta_menu / sizeof cta_menu[0]) : 1); i++) {
        if (tile_search) {
            s->gpu.cta[0] = cta_menu[i][0];
            s->gpu.cta[1] = cta_menu[i][1];
            s->gpu.ctas_per_sm = 128.0 * 128.0 / (cta_menu[i][0] * cta_menu[i][1]);
        }
        if (sm_gpu_eval(s, &st, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); sm_spec_free(s); return -1; }
        if (bc < 0 || st.cycles < bc) { bc = st.cycles; best = st; }
    }
    sm_spec_free(s);
    if (out) *out = best;
    return bc;
}

static void dens(char *buf, size_t cap, const char *t, double d) {
    if (d >= 1) snprintf(buf, cap, "density.%s=dense", t);
    else snprintf(buf, cap, "density.%s=uniform %.9g", t, d);
}

/* 4096^3 SpGEMM on `arch` at sparsities sa, sb (B as an N:M pattern when nm is given). */
static double spgemm(const char *arch, double sa, double sb, const char *nm, sm_gpu_stats *st) {
    char a[64], b[64];
    const char *sets[2];
    dens(a, sizeof a, "A", 1 - sa);
    if (nm) snprintf(b, sizeof b, "density.B=nm %s k", nm); else dens(b, sizeof b, "B", 1 - sb);
    sets[0] = a; sets[1] = b;
    return run(arch, sets, 2, 0, st);
}

static int popcount32(unsigned x) { int n = 0; for (; x; x &= x - 1) n++; return n; }

/* ---- Fig. 5 ---- */
static int fig5(ex_claims *c, int figures) {
    sm_opskip o;
    double steps_ex, dense_steps = 8;
    unsigned set4;
    int na, nb;
    memset(&o, 0, sizeof o);
    o.fiber[0] = o.fiber[1] = 32; o.granule[0] = 8; o.granule[1] = 16;   /* DSTC L140 */
    steps_ex = ceil(20.0 / 8) * ceil(11.0 / 16);
    set4 = sm_opskip_mask(&o, 20, 12);
    ex_claim(c, "dstc.fig5.steps_of_8", steps_ex, 3, "steps", 0.0, 1, "DSTC L140: 5 of 8 OTC steps skipped");
    ex_claim(c, "dstc.fig5.speedup", dense_steps / steps_ex, 8.0 / 3, "x", 0.005, 1, "DSTC L140: 8/3 = 2.67x");
    ex_claim(c, "dstc.set4.enabled_ohmma_mask", (double)set4, 21, "bits", 0.0, 1, "DSTC L265: enable OHMMA0/2/4 (bits 0,2,4 = 21)");
    if (figures) {
        char base[600];
        FILE *f = ex_figure_open("dstc", "fig5_warp_tile", base, sizeof base);
        if (!f) return 1;
        fprintf(f, "# OTC steps of one 32x32x1 set against the non-zeros of the A-side column (granule 8), for B-side rows of 11, 16, 17, 32 non-zeros (granule 16); dense = 8 steps\n");
        fprintf(f, "# nnz_a\tnnzb_11\tnnzb_16\tnnzb_17\tnnzb_32\n");
        for (na = 0; na <= 32; na++) {
            fprintf(f, "%d", na);
            for (nb = 0; nb < 4; nb++) {
                static const int b[4] = { 11, 16, 17, 32 };
                fprintf(f, "\t%d", popcount32(sm_opskip_mask(&o, na, b[nb])));
            }
            fprintf(f, "\n");
        }
        fclose(f);
        if (ex_figure_render(base,
            "set title \"DSTC Fig. 5: OTC steps per 32x32x1 set (condensed fibers, 8x16 granules)\\npaper example: A 20/32, B 11/32 -> 3 of 8 steps = 2.67x (model: exact)\"\n"
            "set xlabel 'non-zeros in the A-side column (of 32)'\nset ylabel 'OTC steps (dense: 8)'\nset key left top\nset grid\nset yrange [0:8.5]\n"
            "set label 1 'paper: (20, 11) -> 3 steps' at 20,3 point pt 7 ps 2 offset 1,-1\n"
            "plot datafile using 1:2 with steps lw 3 title 'B row of 11 (or 16) non-zeros: one 16-granule', '' using 1:5 with steps lw 3 title 'B row of 17 to 32 non-zeros: two granules'\n") < 0) return 1;
    }
    return 0;
}

/* ---- Fig. 21 ---- */
static double dense_cycles_4096;

static double dstc_speedup(double sa, double sb, int compute_only) {
    sm_gpu_stats st;
    double cyc = spgemm("dstc", sa, sb, NULL, &st);
    if (cyc <= 0) return -1;
    return dense_cycles_4096 / (compute_only ? st.compute_cycles : cyc);
}

static double bisect(double lo, double hi, double (*f)(double), double target) {
    int i;
    double flo = f(lo);
    for (i = 0; i < 30; i++) {
        double mid = 0.5 * (lo + hi), fm = f(mid);
        if ((fm - target) * (flo - target) > 0) { lo = mid; flo = fm; } else hi = mid;
    }
    return 0.5 * (lo + hi);
}
static double f_dstc_b0(double sa) { return dstc_speedup(sa, 0, 0); }
static double f_cusparse(double sa) { return dense_cycles_4096 / spgemm("cusparse", sa, 0.99, NULL, NULL); }

static int fig21(ex_claims *c, int figures) {
    static const double sa[] = { 0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999 };
    static const double sb[] = { 0, 0.5, 0.9, 0.99 };
    int i, j, n = (int)(sizeof sa / sizeof sa[0]);
    double stc, a100, be, cross, v;
    sm_gpu_stats st;
    FILE *f = NULL;
    char base[600];
    if ((dense_cycles_4096 = spgemm("v100", 0, 0, NULL, NULL)) <= 0) return 1;
    if ((v = spgemm("csr_stc", 0, 0, "4:16", NULL)) <= 0) return 1;
    stc = dense_cycles_4096 / v;
    if ((v = spgemm("a100_stc", 0, 0, "2:4", NULL)) <= 0) return 1;
    a100 = dense_cycles_4096 / v;
    if (figures) {
        if (!(f = ex_figure_open("dstc", "fig21_spgemm", base, sizeof base))) return 1;
        fprintf(f, "# 4096^3 SpGEMM, speedup over CUTLASS-like dense HMMA on the V100 model (%.0f cycles). i.i.d. non-zeros (ASSUMPTION).\n", dense_cycles_4096);
        fprintf(f, "# sparsity_A_pct\tx\tdstc_B0\tdstc_B50\tdstc_B90\tdstc_B99\tdstc_B99_compute_only\tcusparse_B99\tcsr_stc_75\ta100_2of4\tdstc_B99_bound\n");
    }
    for (i = 0; i < n; i++) {
        double row[4], co, cs = -1;
        for (j = 0; j < 4; j++) if ((row[j] = dstc_speedup(sa[i], sb[j], 0)) < 0) return 1;
        co = dstc_speedup(sa[i], 0.99, 1);
        if (sa[i] >= 0.9) cs = f_cusparse(sa[i]);
        spgemm("dstc", sa[i], 0.99, NULL, &st);
        if (f) {
            fprintf(f, "%g\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t", 100 * sa[i], i, row[0], row[1], row[2], row[3], co);
            if (cs > 0) fprintf(f, "%.4f", cs); else fprintf(f, "NaN");
            fprintf(f, "\t%.4f\t%.4f\t%s\n", stc, a100, st.bound < 0 ? "compute" : st.bound == SM_GPU_L2 ? "L2" : st.bound == SM_GPU_SMEM ? "SMEM" : st.bound == SM_GPU_DRAM ? "DRAM" : "ACC");
        }
    }
    if (f) {
        fclose(f);
        f = fopen("plots/dstc/fig21_paper.tsv", "w");
        if (f) {   /* the paper's numbers (DSTC L349-L357), at the sweep's x positions */
            fprintf(f, "# x\tspeedup\twhat (DSTC L349-L357)\n0\t13.4\tDSTC A0 B99\n16\t23\tDSTC A99.9 B99\n11\t0.571\tcuSPARSE A90 B99\n16\t1.67\tcuSPARSE A99.9 B99\n");
            fclose(f);
        }
        if (ex_figure_render(base,
            "set title \"DSTC Fig. 21: 4096^3 SpGEMM over CUTLASS (V100 model, i.i.d. non-zeros)\\nsolid: full model (bandwidth of every level, waves); dashed: compute only\"\n"
            "set xlabel 'sparsity of A (%)'\nset ylabel 'speedup over CUTLASS (log)'\nset logscale y\nset grid\nset key outside right top\nset yrange [0.05:300]\n"
            "set xtics ('0' 0, '10' 1, '20' 2, '25' 3, '30' 4, '40' 5, '50' 6, '60' 7, '70' 8, '75' 9, '80' 10, '90' 11, '95' 12, '98' 13, '99' 14, '99.5' 15, '99.9' 16)\n"
            "plot datafile using 2:3 with linespoints lw 2 title 'DSTC, B 0%', '' using 2:4 with linespoints lw 2 title 'DSTC, B 50%', "
            "'' using 2:5 with linespoints lw 2 title 'DSTC, B 90%', '' using 2:6 with linespoints lw 2 lc rgb 'red' title 'DSTC, B 99%', "
            "'' using 2:7 with lines dt 2 lw 2 lc rgb 'red' title 'DSTC, B 99%, compute only', "
            "'' using 2:8 with linespoints lw 2 lc rgb 'black' title 'cuSPARSE-like ESC, B 99%', "
            "'' using 2:9 with lines lw 2 lc rgb 'dark-green' title 'CSR sparse TC [68], B 75%', '' using 2:10 with lines dt 3 lw 2 lc rgb 'gray40' title 'A100-style 2:4 on B (not in paper)', "
            "'plots/dstc/fig21_paper.tsv' using 1:2 with points pt 7 ps 2 lc rgb 'orange' title 'paper (L349-L357)', 1 with lines lc rgb 'black' dt 4 notitle\n") < 0) return 1;
    }
    be = bisect(0.0, 0.6, f_dstc_b0, 1.0);
    cross = bisect(0.9, 0.999, f_cusparse, 1.0);
    ex_claim(c, "dstc.fig21.dstc_a0_b99", dstc_speedup(0, 0.99, 0), 13.4, "x", 0.25, 0, "DSTC L357 (full model: L2-bound, see README)");
    ex_claim(c, "dstc.fig21.dstc_a0_b99_compute_only", dstc_speedup(0, 0.99, 1), 13.4, "x", 0.25, 0, "DSTC L357 (model without memory bounds)");
    ex_claim(c, "dstc.fig21.dstc_a99.9_b99", dstc_speedup(0.999, 0.99, 0), 23, "x", 0.25, 0, "DSTC L357");
    ex_claim(c, "dstc.fig21.dstc_breakeven_sparsity_b0", 100 * be, 25, "%", 0.25, 0, "DSTC L357: faster than CUTLASS above ~25% (B 0%)");
    ex_claim(c, "dstc.fig21.cusparse_a90_b99", f_cusparse(0.9), 1 / 1.75, "x", 0.25, 0, "DSTC L349: 1.75x slower");
    ex_claim(c, "dstc.fig21.cusparse_a99.9_b99", f_cusparse(0.999), 1.67, "x", 0.25, 0, "DSTC L349");
    ex_claim(c, "dstc.fig21.cusparse_crossover_sparsity", 100 * cross, 95, "%", 0.25, 0, "DSTC L349: faster than CUTLASS only above 95%");
    ex_claim(c, "dstc.fig21.csr_stc_75", stc, 1.86, "x", 0.25, 0, "DSTC L355 (vector length 16 assumed)");
    return 0;
}

/* ---- Fig. 22 ---- */
typedef struct layer {
    const char *name;
    double n, c, h, w, r, s, stride, pad, k;   /* conv: batch, in channels, input H W, kernel, stride, pad, out channels; r == 0: a GEMM M=n K=c N=k */
    double count;        /* times it runs in the model */
    double dw, da;       /* weight and input-activation density */
    int show;            /* a representative layer (a bar in the figure) */
} layer;

#define A50 0.5          /* ASSUMPTION: 50% input sparsity after a ReLU (DSTC L60: 45-98%) */
/* ResNet-18 (He et al. 2016; torchvision resnet18), 224x224, batch 1. Weight sparsity per layer:
   Distiller's AGP schedule (examples/agp-pruning/resnet18.schedule_agp.yaml, commit 6eef69b). */
static const layer resnet18[] = {
    { "conv1", 1, 3, 224, 224, 7, 7, 2, 3, 64, 1, 1.0, 1.0, 1 },
    { "l1.0.c1", 1, 64, 56, 56, 3, 3, 1, 1, 64, 1, 0.24002, A50, 1 },
    { "l1.0.c2", 1, 64, 56, 56, 3, 3, 1, 1, 64, 1, 0.24002, A50, 0 },
    { "l1.1.c*", 1, 64, 56, 56, 3, 3, 1, 1, 64, 2, 0.33002, A50, 0 },
    { "l2.0.c1", 1, 64, 56, 56, 3, 3, 2, 1, 128, 1, 0.33001, A50, 0 },
    { "l2.0.c2", 1, 128, 28, 28, 3, 3, 1, 1, 128, 1, 0.40000, A50, 1 },
    { "l2.0.ds", 1, 64, 56, 56, 1, 1, 2, 0, 128, 1, 0.33008, A50, 0 },
    { "l2.1.c*", 1, 128, 28, 28, 3, 3, 1, 1, 128, 2, 0.24000, A50, 0 },
    { "l3.0.c1", 1, 128, 28, 28, 3, 3, 2, 1, 256, 1, 0.24000, A50, 0 },
    { "l3.0.c2", 1, 256, 14, 14, 3, 3, 1, 1, 256, 1, 0.33000, A50, 1 },
    { "l3.0.ds", 1, 128, 28, 28, 1, 1, 2, 0, 256, 1, 1.0, A50, 0 },
    { "l3.1.c*", 1, 256, 14, 14, 3, 3, 1, 1, 256, 2, 0.40000, A50, 0 },
    { "l4.0.c1", 1, 256, 14, 14, 3, 3, 2, 1, 512, 1, 0.40000, A50, 0 },
    { "l4.0.c2", 1, 512, 7, 7, 3, 3, 1, 1, 512, 1, 0.40000, A50, 0 },
    { "l4.0.ds", 1, 256, 14, 14, 1, 1, 2, 0, 512, 1, 0.40000, A50, 0 },
    { "l4.1.c1", 1, 512, 7, 7, 3, 3, 1, 1, 512, 1, 0.40000, A50, 0 },
    { "5-4 (l4.1.c2)", 1, 512, 7, 7, 3, 3, 1, 1, 512, 1, 0.33000, A50, 1 },
    { "fc", 1, 512, 0, 0, 0, 0, 0, 0, 1000, 1, 1.0, A50, 0 },
};
/* VGG-16 (Simonyan & Zisserman 2015, configuration D), 224x224, batch 1. ASSUMPTION: 80% weight
   sparsity except conv1_1 (the rule of Distiller's resnet50.schedule_agp.yaml; no VGG-16 ImageNet
   schedule is public in Distiller). */
#define W80 0.2
static const layer vgg16[] = {
    { "conv1_1", 1, 3, 224, 224, 3, 3, 1, 1, 64, 1, 1.0, 1.0, 0 },
    { "conv1_2", 1, 64, 224, 224, 3, 3, 1, 1, 64, 1, W80, A50, 1 },
    { "conv2_1", 1, 64, 112, 112, 3, 3, 1, 1, 128, 1, W80, A50, 0 },
    { "conv2_2", 1, 128, 112, 112, 3, 3, 1, 1, 128, 1, W80, A50, 1 },
    { "conv3_1", 1, 128, 56, 56, 3, 3, 1, 1, 256, 1, W80, A50, 0 },
    { "conv3_2", 1, 256, 56, 56, 3, 3, 1, 1, 256, 2, W80, A50, 1 },
    { "conv4_1", 1, 256, 28, 28, 3, 3, 1, 1, 512, 1, W80, A50, 0 },
    { "conv4_2", 1, 512, 28, 28, 3, 3, 1, 1, 512, 2, W80, A50, 1 },
    { "conv5_x", 1, 512, 14, 14, 3, 3, 1, 1, 512, 3, W80, A50, 1 },
    { "fc6", 1, 25088, 0, 0, 0, 0, 0, 0, 4096, 1, W80, A50, 0 },
    { "fc7", 1, 4096, 0, 0, 0, 0, 0, 0, 4096, 1, W80, A50, 0 },
    { "fc8", 1, 4096, 0, 0, 0, 0, 0, 0, 1000, 1, W80, A50, 0 },
};
/* Mask R-CNN (He et al. 2017) backbone: ResNet-50 (torchvision layout, stride in the 3x3) on an
   800x1216 input (ASSUMPTION: Detectron's 800-pixel short side, padded to a multiple of 32), batch 1.
   ASSUMPTION: the backbone only (the FPN and the heads are not modelled). Weights 80% sparse except
   conv1 (Distiller resnet50.schedule_agp.yaml). */
static const layer maskrcnn[] = {
    { "conv1", 1, 3, 800, 1216, 7, 7, 2, 3, 64, 1, 1.0, 1.0, 0 },
    { "res2.c1", 1, 256, 200, 304, 1, 1, 1, 0, 64, 3, W80, A50, 0 },
    { "res2.c2", 1, 64, 200, 304, 3, 3, 1, 1, 64, 3, W80, A50, 1 },
    { "res2.c3", 1, 64, 200, 304, 1, 1, 1, 0, 256, 4, W80, A50, 0 },
    { "res3.c1", 1, 512, 100, 152, 1, 1, 1, 0, 128, 4, W80, A50, 0 },
    { "res3.c2", 1, 128, 100, 152, 3, 3, 1, 1, 128, 4, W80, A50, 1 },
    { "res3.c3", 1, 128, 100, 152, 1, 1, 1, 0, 512, 5, W80, A50, 0 },
    { "res4.c1", 1, 1024, 50, 76, 1, 1, 1, 0, 256, 6, W80, A50, 0 },
    { "res4.c2", 1, 256, 50, 76, 3, 3, 1, 1, 256, 6, W80, A50, 1 },
    { "res4.c3", 1, 256, 50, 76, 1, 1, 1, 0, 1024, 7, W80, A50, 0 },
    { "res5.c1", 1, 2048, 25, 38, 1, 1, 1, 0, 512, 3, W80, A50, 0 },
    { "res5.c2", 1, 512, 25, 38, 3, 3, 1, 1, 512, 3, W80, A50, 1 },
    { "res5.c3", 1, 512, 25, 38, 1, 1, 1, 0, 2048, 4, W80, A50, 0 },
};
/* BERT-base (Devlin et al. 2019): 12 encoder layers, hidden 768, FFN 3072; SQuAD sequence 384 (the
   HuggingFace run_qa default), batch 1. ASSUMPTION: the weight GEMMs only (the attention score
   products have no weights to prune). Weights 90% sparse (movement pruning at 10% remaining, Sanh et
   al. 2020; DSTC L367 ">90%"); activations dense (L319). GEMM rows: M=tokens, K=in, N=out. */
static const layer bert[] = {
    { "QKV/O proj", 384, 768, 0, 0, 0, 0, 0, 0, 768, 48, 0.1, 1.0, 1 },
    { "FFN up", 384, 768, 0, 0, 0, 0, 0, 0, 3072, 12, 0.1, 1.0, 1 },
    { "FFN down", 384, 3072, 0, 0, 0, 0, 0, 0, 768, 12, 0.1, 1.0, 1 },
};
/* RNN: PyTorch's word_language_model LSTM as Distiller prunes it (word_lang_model.LARGE_90.schedule_agp.
   yaml: embedding and hidden 1500, 2 layers, tied decoder, 90% AGP), bptt 35 x batch 20 (the example's
   defaults); WikiText-2 vocabulary 33278. The paper's RNN (a 2-layer LSTM encoder and 4-layer decoder,
   L317) is not specified further: this is the substitute. The input GEMMs batch all 700 tokens; the
   recurrent GEMMs run once per time step (M = 20), 35 times. */
static const layer rnn[] = {
    { "LSTM W_ih", 700, 1500, 0, 0, 0, 0, 0, 0, 6000, 2, 0.1, 1.0, 1 },
    { "LSTM W_hh", 20, 1500, 0, 0, 0, 0, 0, 0, 6000, 70, 0.1, 1.0, 1 },
    { "decoder", 700, 1500, 0, 0, 0, 0, 0, 0, 33278, 1, 0.1, 1.0, 1 },
};

enum { DE, DI, SSE, SSI, DSI, NSCHEMES };

/* Cycles of one layer under a scheme (CNN: all five; GEMM layers: DI = dense, SSE = single, DSI = dual). */
static double layer_cycles(const layer *L, int scheme) {
    char b[96], cv[160], da[64], dw[64], im[48];
    const char *sets[6], *arch;
    int n = 0, conv = L->r > 0;
    double m, k;
    if (conv) {
        sm_conv c;
        memset(&c, 0, sizeof c);
        c.n = L->n; c.c = L->c; c.h = L->h; c.w = L->w; c.r = L->r; c.s = L->s; c.stride = L->stride; c.pad = L->pad;
        sm_conv_gemm(&c, &m, &k);
        snprintf(cv, sizeof cv, "gpu.conv=%g %g %g %g %g %g %g %g", L->n, L->c, L->h, L->w, L->r, L->s, L->stride, L->pad);
        sets[n++] = cv;
    } else { m = L->n; k = L->c; }
    snprintf(b, sizeof b, "problem.bounds=m=%.0f n=%.0f k=%.0f", m, L->k, k);
    sets[n++] = b;
    switch (scheme) {
    case DE: arch = "v100"; snprintf(im, sizeof im, "gpu.im2col=explicit"); dens(da, sizeof da, "A", 1); dens(dw, sizeof dw, "B", 1); break;
    case DI: arch = "v100"; snprintf(im, sizeof im, "gpu.im2col=implicit"); dens(da, sizeof da, "A", 1); dens(dw, sizeof dw, "B", 1); break;
    case SSE: arch = "csr_stc"; snprintf(im, sizeof im, "gpu.im2col=explicit"); dens(da, sizeof da, "A", 1); snprintf(dw, sizeof dw, "density.B=nm 4:16 k"); break;
    case SSI: arch = "dstc"; snprintf(im, sizeof im, "gpu.im2col=bitmap"); dens(da, sizeof da, "A", 1); dens(dw, sizeof dw, "B", L->dw); break;
    default: arch = "dstc"; snprintf(im, sizeof im, "gpu.im2col=bitmap"); dens(da, sizeof da, "A", L->da); dens(dw, sizeof dw, "B", L->dw); break;
    }
    if (conv) sets[n++] = im;
    sets[n++] = da;
    sets[n++] = dw;
    return run(arch, sets, n, 1, NULL);
}

typedef struct net { const char *name; const layer *layers; int n; int cnn; } net;

static int fig22(ex_claims *c, int figures) {
    static const net nets[] = {
        { "VGG-16", vgg16, (int)(sizeof vgg16 / sizeof vgg16[0]), 1 },
        { "ResNet-18", resnet18, (int)(sizeof resnet18 / sizeof resnet18[0]), 1 },
        { "Mask R-CNN", maskrcnn, (int)(sizeof maskrcnn / sizeof maskrcnn[0]), 1 },
        { "BERT-base", bert, (int)(sizeof bert / sizeof bert[0]), 0 },
        { "RNN (LSTM)", rnn, (int)(sizeof rnn / sizeof rnn[0]), 0 },
    };
    double sum[NSCHEMES], cyc[NSCHEMES];
    double cnn_acc[NSCHEMES] = {0}, cnn_min[NSCHEMES], cnn_max[NSCHEMES], g_acc[NSCHEMES] = {0}, g_min[NSCHEMES], g_max[NSCHEMES];
    int cnn_n = 0, g_n = 0, i, j, s;
    char base[600];
    FILE *f = NULL;
    for (s = 0; s < NSCHEMES; s++) { cnn_min[s] = g_min[s] = 1e30; cnn_max[s] = g_max[s] = 0; }
    if (figures) {
        if (!(f = ex_figure_open("dstc", "fig22_dnn", base, sizeof base))) return 1;
        fprintf(f, "# speedup over dense implicit (CNNs) / dense GEMM (BERT, RNN); substitute sparsities (README). One block per network.\n");
    }
    for (i = 0; i < 5; i++) {
        const net *N = &nets[i];
        double bound_num = 0, bound_den = 0;
        if (f) fprintf(f, "# %s\n# layer\tdense_explicit\tdense_implicit\tsingle_sparse_explicit\tsingle_sparse_implicit\tdual_sparse_implicit\tbound\tweight_density\tact_density\n", N->name);
        for (s = 0; s < NSCHEMES; s++) sum[s] = 0;
        for (j = 0; j <= N->n; j++) {
            const layer *L = j < N->n ? &N->layers[j] : NULL;
            double sp[NSCHEMES], bound;
            int show = L ? L->show : 1;
            if (L) {
                double macs;
                for (s = 0; s < NSCHEMES; s++) {
                    if (!N->cnn && (s == DE || s == SSI)) { cyc[s] = -1; continue; }
                    if ((cyc[s] = layer_cycles(L, s)) <= 0) return 1;
                    sum[s] += L->count * cyc[s];
                }
                bound = 1 / (L->dw * (N->cnn ? L->da : 1));
                macs = L->count * (L->r > 0 ? L->n * L->c * L->r * L->s * L->k * L->h * L->w / (L->stride * L->stride) : L->n * L->c * L->k);
                bound_num += macs;
                bound_den += macs / bound;
            } else {
                for (s = 0; s < NSCHEMES; s++) cyc[s] = (!N->cnn && (s == DE || s == SSI)) ? -1 : sum[s];
                bound = bound_num / bound_den;
            }
            for (s = 0; s < NSCHEMES; s++) sp[s] = cyc[s] > 0 ? cyc[DI] / cyc[s] : -1;
            if (show) {
                int grp = !N->cnn;
                for (s = 0; s < NSCHEMES; s++) {
                    if (sp[s] <= 0) continue;
                    if (!grp) { cnn_acc[s] += sp[s]; if (sp[s] < cnn_min[s]) cnn_min[s] = sp[s]; if (sp[s] > cnn_max[s]) cnn_max[s] = sp[s]; }
                    else { g_acc[s] += sp[s]; if (sp[s] < g_min[s]) g_min[s] = sp[s]; if (sp[s] > g_max[s]) g_max[s] = sp[s]; }
                }
                if (!grp) cnn_n++; else g_n++;
                if (f) {
                    fprintf(f, "\"%s\"", L ? L->name : "full model");
                    for (s = 0; s < NSCHEMES; s++) { if (sp[s] > 0) fprintf(f, "\t%.4f", sp[s]); else fprintf(f, "\tNaN"); }
                    fprintf(f, "\t%.4f\t%.4f\t%.4f\n", bound, L ? L->dw : NAN, L ? (N->cnn ? L->da : 1.0) : NAN);
                }
            }
        }
        if (f) fprintf(f, "\n\n");
    }
    if (f) {
        fclose(f);
        if (ex_figure_render(base,
            "set terminal pngcairo size 1500,900 font ',10' noenhanced\nset output sprintf('%s.png', substr(datafile, 1, strlen(datafile) - 4))\n"
            "set multiplot layout 2,3 title 'DSTC Fig. 22: layer and full-model speedup (V100 model; substitute shapes and sparsities, see README). Log scale.'\n"
            "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.85 border -1\nset logscale y\nset yrange [0.1:200]\nset grid ytics\nset xtics rotate by -30\nset key top left font ',8'\n"
            "set title 'VGG-16 (over dense implicit)'\nplot datafile index 0 using 2:xtic(1) title 'dense explicit', '' index 0 using 4 title 'single-sparse explicit [68]', '' index 0 using 5 title 'single-sparse implicit', '' index 0 using 6 title 'dual-sparse implicit', '' index 0 using 7 title 'bound 1/(dW dA)'\n"
            "set title 'ResNet-18'\nplot datafile index 1 using 2:xtic(1) title 'dense explicit', '' index 1 using 4 title 'single-sparse explicit [68]', '' index 1 using 5 title 'single-sparse implicit', '' index 1 using 6 title 'dual-sparse implicit', '' index 1 using 7 title 'bound'\n"
            "set title 'Mask R-CNN (ResNet-50 backbone)'\nplot datafile index 2 using 2:xtic(1) title 'dense explicit', '' index 2 using 4 title 'single-sparse explicit [68]', '' index 2 using 5 title 'single-sparse implicit', '' index 2 using 6 title 'dual-sparse implicit', '' index 2 using 7 title 'bound'\n"
            "set title 'BERT-base (over dense GEMM)'\nplot datafile index 3 using 4:xtic(1) title 'single-sparse GEMM [68]', '' index 3 using 6 title 'dual-sparse GEMM (DSTC)', '' index 3 using 7 title 'bound 1/dW'\n"
            "set title 'RNN (LSTM)'\nplot datafile index 4 using 4:xtic(1) title 'single-sparse GEMM [68]', '' index 4 using 6 title 'dual-sparse GEMM (DSTC)', '' index 4 using 7 title 'bound 1/dW'\n"
            "unset multiplot\n") < 0) return 1;
    }
    ex_claim(c, "dstc.fig22.cnn_dual_implicit_avg", cnn_acc[DSI] / cnn_n, 4.38, "x", 0.25, 0, "DSTC L363 (average of the bars)");
    ex_claim(c, "dstc.fig22.cnn_dual_implicit_min", cnn_min[DSI], 1.25, "x", 0.25, 0, "DSTC L363");
    ex_claim(c, "dstc.fig22.cnn_dual_implicit_max", cnn_max[DSI], 7.49, "x", 0.25, 0, "DSTC L363");
    ex_claim(c, "dstc.fig22.cnn_single_implicit_avg", cnn_acc[SSI] / cnn_n, 1.92, "x", 0.25, 0, "DSTC L363");
    ex_claim(c, "dstc.fig22.cnn_single_explicit_avg", cnn_acc[SSE] / cnn_n, 1.36, "x", 0.25, 0, "DSTC L363");
    ex_claim(c, "dstc.fig22.gemm_dual_avg", g_acc[DSI] / g_n, 6.74, "x", 0.25, 0, "DSTC L367 (BERT, RNN)");
    ex_claim(c, "dstc.fig22.gemm_dual_min", g_min[DSI], 3.62, "x", 0.25, 0, "DSTC L367");
    ex_claim(c, "dstc.fig22.gemm_dual_max", g_max[DSI], 8.45, "x", 0.25, 0, "DSTC L367");
    ex_claim(c, "dstc.fig22.gemm_single_avg", g_acc[SSE] / g_n, 1.51, "x", 0.25, 0, "DSTC L367");
    return 0;
}

/* ---- Table III ---- */
static int table3(ex_claims *c, int figures) {
    static const double sp[] = { 0, 0.25, 0.5, 0.75, 0.99, 0.999 };
    static const double paper_csr[] = { 101.3, 67.1, 45.2, 14.5, 4.7, 1.2 }, paper_bmp[] = { 8.31, 6.87, 4.73, 2.5, 1.5, 1.1 };
    sm_conv cv;
    sm_im2col_ops dn, cs, bm;
    double ratio[6];
    int i;
    char base[600];
    FILE *f = NULL;
    memset(&cv, 0, sizeof cv);   /* DSTC Table III: feature map 56x56, 3x3 filter, 128 channels (stride 1, pad 1 assumed) */
    cv.n = 1; cv.c = 128; cv.h = 56; cv.w = 56; cv.r = 3; cv.s = 3; cv.stride = 1; cv.pad = 1;
    if (figures) {
        if (!(f = ex_figure_open("dstc", "table3_im2col", base, sizeof base))) return 1;
        fprintf(f, "# normalized software im2col time (dense = 1); model: operation counts x unit costs (stream 1, bit op 1, dependent read 4; ASSUMPTION)\n");
        fprintf(f, "# sparsity_pct\tx\tmodel_dense\tmodel_csr\tmodel_bitmap\tpaper_csr\tpaper_bitmap\tmodel_csr_over_bitmap\tpaper_csr_over_bitmap\n");
    }
    for (i = 0; i < 6; i++) {
        sm_im2col_count(&cv, SM_IM2COL_EXPLICIT, 1 - sp[i], NULL, &dn);
        sm_im2col_count(&cv, SM_IM2COL_CSR, 1 - sp[i], NULL, &cs);
        sm_im2col_count(&cv, SM_IM2COL_BITMAP, 1 - sp[i], NULL, &bm);
        ratio[i] = cs.time / bm.time;
        if (f) fprintf(f, "%g\t%d\t1\t%.4f\t%.4f\t%g\t%g\t%.4f\t%.4f\n", 100 * sp[i], i, cs.time / dn.time, bm.time / dn.time, paper_csr[i], paper_bmp[i], ratio[i], paper_csr[i] / paper_bmp[i]);
    }
    if (f) {
        fclose(f);
        if (ex_figure_render(base,
            "set title \"DSTC Table III: normalized im2col time (56x56x128, 3x3)\\nlines: model (op counts x unit costs); points: paper (measured, PyTorch ATen)\"\n"
            "set xtics ('0' 0, '25' 1, '50' 2, '75' 3, '99' 4, '99.9' 5)\nset xlabel 'feature-map sparsity (%)'\nset ylabel 'time / dense im2col (log)'\nset logscale y\nset grid\nset key outside right\n"
            "plot datafile using 2:4 with linespoints lw 2 lc rgb 'red' title 'CSR (model)', '' using 2:5 with linespoints lw 2 lc rgb 'blue' title 'bitmap (model)', "
            "'' using 2:6 with points pt 7 ps 1.5 lc rgb 'red' title 'CSR (paper)', '' using 2:7 with points pt 7 ps 1.5 lc rgb 'blue' title 'bitmap (paper)', "
            "'' using 2:8 with lines dt 2 lc rgb 'black' title 'CSR / bitmap (model)', '' using 2:9 with points pt 6 lc rgb 'black' title 'CSR / bitmap (paper)', 1 with lines lc rgb 'gray' notitle\n") < 0) return 1;
    }
    ex_claim(c, "dstc.table3.csr_over_bitmap_s0", ratio[0], paper_csr[0] / paper_bmp[0], "x", 0.25, 0, "DSTC Table III, L343 (order of magnitude below 50%)");
    ex_claim(c, "dstc.table3.csr_over_bitmap_s25", ratio[1], paper_csr[1] / paper_bmp[1], "x", 0.25, 0, "DSTC Table III, L343");
    ex_claim(c, "dstc.table3.csr_over_bitmap_s50", ratio[2], paper_csr[2] / paper_bmp[2], "x", 0.25, 0, "DSTC Table III, L343");
    return 0;
}

/* ---- Table IV ---- */
static int table4(ex_claims *c, int figures) {
    sm_spec *s;
    sm_error err;
    double area = 0, power = 0;
    int i;
    if (sm_spec_load_string("include = " WL "\ninclude = specs/arch/dstc.ini\n", "paper_dstc", NULL, 0, &s, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; }
    for (i = 0; i < s->ncomponents; i++) {   /* Table IV as [component] blocks: um^2 and mW per instance */
        double n = (double)(s->components[i].instances ? s->components[i].instances : 1);
        area += n * s->components[i].area_um2 * 1e-6; power += n * s->components[i].power_mw * 1e-3;
    }
    if (figures) {
        char base[600];
        FILE *f = ex_figure_open("dstc", "table4_overhead", base, sizeof base);
        if (!f) { sm_spec_free(s); return 1; }
        fprintf(f, "# component\tarea_mm2\tpower_w\tarea_pct_of_die\tpower_pct_of_tdp   (DSTC Table IV; die %g mm2, TDP %g W)\n", s->die_mm2, s->tdp_w);
        for (i = 0; i < s->ncomponents; i++) {
            double n = (double)(s->components[i].instances ? s->components[i].instances : 1), a = n * s->components[i].area_um2 * 1e-6, w = n * s->components[i].power_mw * 1e-3;
            fprintf(f, "%s\t%g\t%g\t%.4f\t%.4f\n", s->components[i].name, a, w, 100 * a / s->die_mm2, 100 * w / s->tdp_w);
        }
        fprintf(f, "total\t%g\t%g\t%.4f\t%.4f\n", area, power, 100 * area / s->die_mm2, 100 * power / s->tdp_w);
        fclose(f);
        if (ex_figure_render(base,
            "set title 'DSTC Table IV: area and power overhead on the V100 (12 nm), rolled up from the spec'\nset style data histograms\nset style histogram clustered\nset style fill solid 0.85 border -1\n"
            "set ylabel 'mm^2 / W'\nset grid ytics\nset yrange [0:*]\nset xtics rotate by -15\nplot datafile using 2:xtic(1) title 'area (mm^2)', '' using 3 title 'power (W)'\n") < 0) { sm_spec_free(s); return 1; }
    }
    ex_claim(c, "dstc.table4.area_mm2", area, 12.846, "mm2", 0.10, 1, "DSTC Table IV");
    ex_claim(c, "dstc.table4.power_w", power, 3.89, "W", 0.10, 1, "DSTC Table IV");
    ex_claim(c, "dstc.table4.area_pct_die", 100 * area / s->die_mm2, 1.5, "%", 0.10, 1, "DSTC L371 (12.846/815 = 1.58%, printed 1.5%)");
    ex_claim(c, "dstc.table4.power_pct_tdp", 100 * power / s->tdp_w, 1.6, "%", 0.10, 1, "DSTC L371");
    sm_spec_free(s);
    return 0;
}

int main(int argc, char **argv) {
    ex_claims c;
    int figures;
    memset(&c, 0, sizeof c);
    c.mode = ex_mode_parse(argc, argv);
    figures = c.mode == EX_FIGURES;
    if (figures) printf("claim\tmodel\tpaper\tunit\trel_err\tsource\n");
    if (fig5(&c, figures) || fig21(&c, figures) || fig22(&c, figures) || table3(&c, figures) || table4(&c, figures)) return 1;
    return ex_claims_done(&c);
}
