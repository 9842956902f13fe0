/* paper_sigma.c -- SIGMA (Qin et al., "SIGMA: A Sparse and Irregular GEMM Accelerator with Flexible
   Interconnects for DNN Training", HPCA 2020): its evaluation regenerated from the array model.

   Figures (plots/sigma/<name>.{tsv,gp,png}):
     fig04_toy          Fig. 4: 4x4 systolic array vs 16-PE Flex-DPE on dense regular, dense
                        irregular and sparse irregular toy GEMMs (cycles, utilization)
     fig06b_reduction   Fig. 6b: linear vs ART vs FAN reduction: area, power, speedup, EDP vs PEs
     fig07_formats      Fig. 7: storage of a 1632 x 36548 matrix in none/CSR/CSC/COO/RLC-4/RLC-2/bitmap
     fig09_dpe_size     Fig. 9: Flex-DPE size sweep at 16384 PEs: energy and performance/area
     fig10_dataflows    Fig. 10: M-sta/N-str, M-str/N-sta, no local reuse: cycle breakdown, efficiency
     fig11_ablation     Fig. 11: TPU -> SIGMA_FI -> +Sc -> +Sp on dense regular/irregular and sparse
     fig12a_dense       Fig. 12a: dense speedup and efficiency of rectangular TPUs and SIGMA over TPU 128x128
     fig12b_sparse      Fig. 12b: speedup over TPU for six MK/KN sparsity combinations
     fig13_energy       Fig. 13: energy reduction and performance/area over the TPU (sparse)
     fig14_competitors  Fig. 14: speedup over EIE/SCNN/OuterSPACE/Eyeriss v2/Packed Systolic/Cambricon-X
     per_gemm.tsv       cycles per GEMM for TPU and SIGMA, dense and sparse, with the aggregates
   then the claims table (--claims: only that; --check: status per claim, exit 1 on a failed
   determined claim).

   Reads the specs in specs/arch/sigma/ and specs/workloads/sigma/, and specs/sigma_fig7_formats.ini.
   Substitutions (also in the plot titles and the README): the paper's matrices are not published, so
   sparsity is i.i.d. uniform at the stated percentages; the competitors are model abstractions of
   Table III's named inefficiencies, scaled to 16384 PEs; component energies and areas come from
   published 40-45 nm tables scaled to 28 nm. Runs in about a second. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "ex_common.h"

#define NG 10
#define NCOMBO 6
static const char *const gemm_files[NG] = {
    "gemm01_128x2048x4096", "gemm02_320x3072x4096", "gemm03_1632x36548x1024", "gemm04_2048x4096x32",
    "gemm05_1024x16x500000", "gemm06_35x8457x2560", "gemm07_31999x1024x84", "gemm08_84x1024x4096",
    "gemm09_2048x1x128", "gemm10_256x256x2048" };
/* Fig. 12b/13: weight sparsity ~80% with input sparsity 10-50% (L288), on either matrix (L290 "all
   combinations of matrices and sparsity were tested and then averaged"): densities of A (MK), B (KN). */
static const double combo_da[NCOMBO] = { 0.2, 0.2, 0.2, 0.9, 0.7, 0.5 };
static const double combo_db[NCOMBO] = { 0.9, 0.7, 0.5, 0.2, 0.2, 0.2 };
static const char *const combo_name[NCOMBO] = { "MK80-KN10", "MK80-KN30", "MK80-KN50", "MK10-KN80", "MK30-KN80", "MK50-KN80" };

typedef struct ctx {
    ex_claims claims;
    int quiet;                     /* --claims: nothing but claim rows on stdout */
    sm_gemm g[NG];
    char label[NG][32];
} ctx;

static void die(const sm_error *e) { fprintf(stderr, "paper_sigma: %s\n", e->text); exit(1); }

/* An architecture spec with a workload (any: the GEMM is passed to sm_array_eval_gemm). */
static sm_spec *arch(const char *name) {
    char text[512];
    sm_spec *s;
    sm_error e;
    snprintf(text, sizeof text, "include = specs/arch/sigma/%s.ini\ninclude = specs/workloads/sigma/%s.ini\n", name, gemm_files[0]);
    if (sm_spec_load_string(text, name, NULL, 0, &s, &e) != SM_OK) die(&e);
    return s;
}

static sm_gemm with_density(sm_gemm g, double da, double db) { g.density_a = da; g.density_b = db; return g; }
static sm_gemm transposed(sm_gemm g) {
    sm_gemm t = g;
    t.m = g.n; t.n = g.m; t.density_a = g.density_b; t.density_b = g.density_a;
    return t;
}

/* Evaluate, optionally forcing the dataflows (0: the spec's). */
static sm_array_stats run(sm_spec *s, sm_gemm g, unsigned df) {
    sm_array_stats st;
    sm_error e;
    unsigned keep = s->array.dataflows;
    if (df) s->array.dataflows = df;
    if (sm_array_eval_gemm(s, &g, &st, &e) != SM_OK) die(&e);
    s->array.dataflows = keep;
    return st;
}

/* Fig. 14: "We tested four combinations between the matrices and sparsity level and selected the best
   performing one for each accelerator" (L350): either matrix at either sparsity, and the GEMM or its
   transpose (which swaps the operands' roles). */
static sm_array_stats best_of_four(sm_spec *s, sm_gemm g, double d1, double d2) {
    sm_array_stats best, st;
    int i;
    for (i = 0; i < 4; i++) {
        sm_gemm x = with_density(g, i & 1 ? d2 : d1, i & 1 ? d1 : d2);
        if (i & 2) x = transposed(x);
        st = run(s, x, 0);
        if (i == 0 || st.cycles < best.cycles) best = st;
    }
    return best;
}

static double geomean(const double *v, int n) { double s = 0; int i; for (i = 0; i < n; i++) s += log(v[i]); return exp(s / n); }
static double mean(const double *v, int n) { double s = 0; int i; for (i = 0; i < n; i++) s += v[i]; return s / n; }

static FILE *fig_open(const ctx *c, const char *name, char *base, size_t cap) {
    FILE *f = ex_figure_open("sigma", name, base, cap);
    (void)c;
    if (!f) exit(1);
    return f;
}
static void fig_done(const ctx *c, FILE *f, const char *base, const char *gp) {
    fclose(f);
    if (!c->quiet) ex_figure_render(base, gp);
}

/* ---- Fig. 4: toy mappings -------------------------------------------------------------------- */
static void fig04(ctx *c, const sm_spec *sig) {
    /* A 4x4 systolic array and a 16-multiplier Flex-DPE (Benes, FAN). ASSUMPTION: the toy Flex-DPE
       loads 4 words per cycle (the systolic array's row per cycle) and streams one vector per cycle. */
    sm_spec *sysp = (sm_spec *)malloc(sizeof *sysp), *flexp = (sm_spec *)malloc(sizeof *flexp);
    const char *cases[3] = { "dense-regular", "dense-irregular", "sparse-irregular" };
    sm_gemm toy[3];
    char base[512];
    FILE *f;
    int i;
    if (!sysp || !flexp) { fprintf(stderr, "paper_sigma: out of memory\n"); exit(1); }
    *sysp = *sig; *flexp = *sig;   /* copies share the (absent) mask data; only the array changes */
    memset(&sysp->array, 0, sizeof sysp->array);
    sysp->array.kind = SM_ARRAY_SYSTOLIC; sysp->array.rows = 4; sysp->array.cols = 4; sysp->array.word_bits = 16;
    flexp->array.pes = 16; flexp->array.group = 16; flexp->array.load_bw = 4; flexp->array.controller_um2 = 0;
    flexp->array.power_w = 0; flexp->array.area_mm2 = 0;
    /* (b) KN 4x4 stationary; (c) KN 2x8 (the dot products a.A + b.I: K = 2, L130); (d) KN 4x8 half
       non-zero (16 non-zeros for 16 PEs) streamed against a 75%-dense MK */
    memset(toy, 0, sizeof toy);
    toy[0].m = 4; toy[0].n = 4; toy[0].k = 4; toy[0].density_a = toy[0].density_b = 1;
    toy[1].m = 4; toy[1].n = 8; toy[1].k = 2; toy[1].density_a = toy[1].density_b = 1;
    toy[2].m = 4; toy[2].n = 8; toy[2].k = 4; toy[2].density_a = 0.75; toy[2].density_b = 0.5;
    f = fig_open(c, "fig04_toy", base, sizeof base);
    fprintf(f, "mapping\tfolds\tload\tstream\tadd\tcycles\tstationary_utilization\toverall_efficiency\tuseful_fraction\n");
    for (i = 0; i < 3; i++) {
        sm_array_stats a = run(sysp, toy[i], SM_DF_B_STA), b = run(flexp, toy[i], SM_DF_B_STA);
        fprintf(f, "%s/systolic N-sta\t%g\t%g\t%g\t%g\t%g\t%.4f\t%.4f\t%.4f\n", cases[i], a.folds, a.load_cycles, a.stream_cycles, a.add_cycles, a.cycles,
                a.stationary_utilization, a.overall_efficiency, a.performed > 0 ? a.effectual / a.performed : 0);
        fprintf(f, "%s/Flex-DPE N-sta\t%g\t%g\t%g\t%g\t%g\t%.4f\t%.4f\t%.4f\n", cases[i], b.folds, b.load_cycles, b.stream_cycles, b.add_cycles, b.cycles,
                b.stationary_utilization, b.overall_efficiency, b.performed > 0 ? b.effectual / b.performed : 0);
        if (i == 2) {
            sm_array_stats n = run(flexp, toy[i], SM_DF_NO_REUSE);
            fprintf(f, "%s/Flex-DPE no-reuse\t%g\t%g\t%g\t%g\t%g\t%.4f\t%.4f\t%.4f\n", cases[i], n.folds, n.load_cycles, n.stream_cycles, n.add_cycles, n.cycles,
                    n.stationary_utilization, n.overall_efficiency, n.performed > 0 ? n.effectual / n.performed : 0);
        }
        if (i == 1) {   /* L130-132: only half of the irregular KN fits the systolic array at a time */
            ex_claim(&c->claims, "sigma.fig4_systolic_irregular_folds", a.folds, 2, "folds", 0.10, 1, "SIGMA L130-132 (half the KN matrix mapped at a time)");
            ex_claim(&c->claims, "sigma.fig4_flexdpe_irregular_folds", b.folds, 1, "folds", 0.10, 1, "SIGMA L132 (all stationary elements at one go)");
        }
        if (i == 2) ex_claim(&c->claims, "sigma.fig4_flexdpe_sparse_stationary_utilization", b.stationary_utilization, 1, "fraction", 0.10, 1, "SIGMA L134 (100% stationary utilization)");
    }
    fig_done(c, f, base,
             "set datafile separator '\\t'\nset multiplot layout 1,2 title \"Fig. 4: toy GEMMs on a 4x4 systolic array and a 16-PE Flex-DPE\\n(model; toy matrices constructed, sparse one i.i.d.)\"\n"
             "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.8 border -1\nset boxwidth 0.7\n"
             "set xtics rotate by -40 font ',8'\nset ylabel 'cycles'\nset yrange [0:36]\nset key top left\n"
             "plot datafile using 'load':xtic(1) title 'load', '' using 'stream' title 'stream', '' using 'add' title 'add'\n"
             "set style histogram clustered gap 1\nset boxwidth 1 relative\nset ylabel 'fraction'\nset yrange [0:1.3]\nset key top right font ',8'\n"
             "plot datafile using 'stationary_utilization':xtic(1) title 'stationary utilization', '' using 'overall_efficiency' title 'overall efficiency'\n"
             "unset multiplot\n");
    free(sysp); free(flexp);
}

/* ---- Fig. 6b: reduction networks ----------------------------------------------------------- */
static void fig06b(ctx *c, const sm_spec *sig) {
    const sm_net_kind kinds[3] = { SM_NET_LINEAR, SM_NET_ART, SM_NET_FAN };
    double area[3], power[3], T[3], edp[3], clock = sig->clock_ghz;
    char base[512];
    FILE *f = fig_open(c, "fig06b_reduction", base, sizeof base);
    long n;
    int k;
    fprintf(f, "pes\tarea_linear_mm2\tarea_art_mm2\tarea_fan_mm2\tpower_linear_mw\tpower_art_mw\tpower_fan_mw\tspeedup_art\tspeedup_fan\tedp_art\tedp_fan\n");
    for (n = 8; n <= 512; n *= 2) {
        for (k = 0; k < 3; k++) {
            sm_net_desc net;
            sm_net_parts nc;
            sm_error e;
            memset(&net, 0, sizeof net);
            net.kind = kinds[k]; net.ports = n; net.word_bits = 32;   /* FP32 reduction (L166) */
            if (sm_net_parts_eval(&net, &sig->unit_costs, &nc, &e) != SM_OK) die(&e);
            area[k] = nc.area_um2 * 1e-6;
            power[k] = nc.wave_pj * clock * 1e9 * 1e-12 * 1e3;   /* one reduction wave per cycle, mW */
            /* L199: 100 stationary folds, a stream of 1000 each, then the drain */
            T[k] = 100 * (1000 + sm_net_latency(&net, (double)n));
            edp[k] = power[k] * T[k] * T[k];
        }
        fprintf(f, "%ld\t%.5f\t%.5f\t%.5f\t%.3f\t%.3f\t%.3f\t%.4f\t%.4f\t%.4f\t%.4f\n", n, area[0], area[1], area[2], power[0], power[1], power[2],
                T[0] / T[1], T[0] / T[2], edp[1] / edp[0], edp[2] / edp[0]);
        if (n == 512) {
            ex_claim(&c->claims, "sigma.fig6b_fan_area_vs_linear_512", area[2] / area[0], 1.10, "x", 0.25, 0, "SIGMA L199 (+10% area; component counts x 40-45 nm cells)");
            ex_claim(&c->claims, "sigma.fig6b_fan_power_vs_linear_512", power[2] / power[0], 1.31, "x", 0.25, 0, "SIGMA L199 (+31% power)");
            ex_claim(&c->claims, "sigma.fig6b_art_area_vs_linear_512", area[1] / area[0], 1.92, "x", 0.25, 0, "SIGMA L199 (+92% area; three-input adder = two adders)");
            ex_claim(&c->claims, "sigma.fig6b_art_power_vs_linear_512", power[1] / power[0], 1.86, "x", 0.25, 0, "SIGMA L199 (+86% power)");
            ex_claim(&c->claims, "sigma.fig6b_fan_edp_vs_linear_512", edp[2] / edp[0], 0.55, "x", 0.25, 0, "SIGMA L199 (FAN EDP 45% below linear)");
            ex_claim(&c->claims, "sigma.fig6b_fan_edp_vs_art_512", edp[2] / edp[1], 0.66, "x", 0.25, 0, "SIGMA L199 (FAN EDP 34% below ART)");
            /* the paper's own power ratio with the fold latencies of L199: checks the delay model */
            ex_claim(&c->claims, "sigma.fig6b_fan_edp_vs_linear_512_paper_power", 1.31 * (T[2] / T[0]) * (T[2] / T[0]), 0.55, "x", 0.10, 1, "SIGMA L199 (1.31 x power, 100 folds x (1000 + drain))");
            ex_claim(&c->claims, "sigma.fig6b_fan_speedup_512", T[0] / T[2], (1000 + 512.0) / (1000 + 9.0), "x", 0.10, 1, "SIGMA L199 (\"log N cycles rather than N cycles\" per fold)");
        }
    }
    fig_done(c, f, base,
             "set datafile separator '\\t'\nset multiplot layout 2,2 title \"Fig. 6b: FP32 reduction networks\\n(model: component counts x 40-45 nm cells scaled to 28 nm; 100 folds x 1000 streamed)\"\n"
             "set logscale x 2\nset key top left font ',9'\nset xlabel 'PEs'\n"
             "set ylabel 'area (mm^2)'\nplot datafile using 1:2 w lp title 'linear', '' using 1:3 w lp title 'ART', '' using 1:4 w lp title 'FAN'\n"
             "set ylabel 'power (mW)'\nplot datafile using 1:5 w lp title 'linear', '' using 1:6 w lp title 'ART', '' using 1:7 w lp title 'FAN'\n"
             "set ylabel 'speedup over linear'\nplot datafile using 1:8 w lp title 'ART', '' using 1:9 w lp title 'FAN'\n"
             "set ylabel 'EDP / linear'\nplot datafile using 1:10 w lp title 'ART', '' using 1:11 w lp title 'FAN', 1 w l dt 2 title 'linear'\n"
             "unset multiplot\n");
}

/* ---- Fig. 7: representation formats -------------------------------------------------------- */
static double format_bits(const char *fmt, const char *order, double d, double *value_bits) {
    char set1[128], set2[64], set3[96];
    const char *sets[3];
    int n = 0;
    sm_spec *s;
    sm_stats st;
    sm_error e;
    double bits;
    snprintf(set1, sizeof set1, "density.A=uniform %.6f", d);
    sets[n++] = set1;
    if (fmt) { snprintf(set2, sizeof set2, "format mem.A=%s", fmt); sets[n++] = set2; }
    else { snprintf(set2, sizeof set2, "format mem.A=U"); sets[n++] = set2; }
    if (order) { snprintf(set3, sizeof set3, "mapping.mem.temporal=%s", order); sets[n++] = set3; }
    if (sm_spec_load_file("specs/sigma_fig7_formats.ini", sets, n, &s, &e) != SM_OK) die(&e);
    if (sm_eval(s, &st, &e) != SM_OK) die(&e);
    /* one full read of A: its data words and the format's bits (metadata words are 1 bit wide) */
    *value_bits = st.level[0].t[0].data[SM_READ][SM_ACTUAL] * s->problem.word_bits;
    bits = st.level[0].t[0].metadata_words[SM_READ][SM_ACTUAL];
    sm_spec_free(s);
    return bits;
}

static void fig07(ctx *c) {
    const double R = 1632, C = 36548, E = R * C, w = 16;
    double sp, x_cross = -1, prev_diff = 0, prev_sp = 0, worst_mid = 0;
    int rlc_worse_low = 1;
    char base[512];
    FILE *f = fig_open(c, "fig07_formats", base, sizeof base);
    fprintf(f, "sparsity\tnone\tCSR\tCSC\tCOO\tRLC-4\tRLC-2\tbitmap\n");
    for (sp = 0.1; sp < 0.95; sp += 0.1) {
        double d = 1 - sp, vb, nnz = ceil(d * E), off = ceil(log2(nnz + 1)), none, csr, csc, coo, rlc4, rlc2, bm, md;
        char fmt[96];
        none = E * w;
        snprintf(fmt, sizeof fmt, "UOP(m):0:%.0f CP(k):16", off);
        md = format_bits(fmt, NULL, d, &vb); csr = vb + md;
        snprintf(fmt, sizeof fmt, "UOP(k):0:%.0f CP(m):11", off);
        md = format_bits(fmt, "k36548 m1632", d, &vb); csc = vb + md;
        md = format_bits("CP(m,k):27", NULL, d, &vb); coo = vb + md;
        md = format_bits("B(m,k)", NULL, d, &vb); bm = vb + md;
        /* RLC: the engine's run-length rank, plus the stored zeros that cut runs longer than 2^b - 1
           (each a value and a run field) */
        md = format_bits("RLE(m,k):4", NULL, d, &vb); rlc4 = vb + md + nnz * sm_run_padding(sp, 4) * (w + 4);
        md = format_bits("RLE(m,k):2", NULL, d, &vb); rlc2 = vb + md + nnz * sm_run_padding(sp, 2) * (w + 2);
        fprintf(f, "%.0f%%\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", sp * 100, none / 8e6, csr / 8e6, csc / 8e6, coo / 8e6, rlc4 / 8e6, rlc2 / 8e6, bm / 8e6);
        if (sp < 0.29 && !(rlc4 > bm && rlc2 > bm)) rlc_worse_low = 0;
        if (sp > 0.29 && sp < 0.71) { double dv = fabs(bm / fmin(rlc4, rlc2) - 1); if (dv > worst_mid) worst_mid = dv; }
        {   /* where RLC-4 starts to beat the bitmap (linear interpolation of the difference) */
            double diff = rlc4 - bm;
            if (x_cross < 0 && sp > 0.15 && prev_diff > 0 && diff <= 0) x_cross = prev_sp + (sp - prev_sp) * prev_diff / (prev_diff - diff);
            prev_diff = diff; prev_sp = sp;
        }
    }
    ex_claim(&c->claims, "sigma.fig7_rlc4_beats_bitmap_above_sparsity", x_cross, 0.70, "fraction", 0.25, 0, "SIGMA L220 (RLC better at > ~70% sparsity; 16-bit values, i.i.d. zeros)");
    ex_claim(&c->claims, "sigma.fig7_rlc_worse_below_30pct", rlc_worse_low, 1, "bool", 0, 0, "SIGMA L220 (RLC-4 and RLC-2 above bitmap at 10-20% sparsity)");
    ex_claim_bound(&c->claims, "sigma.fig7_bitmap_vs_best_rlc_30_70pct", worst_mid, 0.25, 1, "max |rel diff|", 0, "SIGMA L220 (comparable at ~30-70%: within 25% of the better RLC)");
    fig_done(c, f, base,
             "set datafile separator '\\t'\nset title \"Fig. 7: storage of a 1632 x 36548 matrix, 16-bit values\\n(model: the engine's rank formats; i.i.d. zeros)\"\n"
             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\n"
             "set ylabel 'MB'\nset xlabel 'sparsity'\nset key outside right\n"
             "plot for [i=2:8] datafile using i:xtic(1) title columnhead(i)\n");
}

/* ---- Figs. 12a, 12b, 13 and the per-GEMM table ---------------------------------------------- */
typedef struct dense_row { double tpu, t256, t512, sig, iso, eff_tpu, eff_sig, eff_iso, eff256, eff512; unsigned df; } dense_row;

static void figs12_13(ctx *c, sm_spec *tpu, sm_spec *sig, sm_spec *iso, sm_spec *r256, sm_spec *r64, sm_spec *r512, sm_spec *r32) {
    dense_row d[NG];
    double sp_dense[NG], eff_s[NG], eff_t[NG], sp_all[NG * NCOMBO], eff_sig_sp[NG * NCOMBO], eff_tpu_sp[NG * NCOMBO], iso_sp[NG * NCOMBO];
    double en[NG * NCOMBO], pa[NG * NCOMBO], en_m[NG * NCOMBO], pa_m[NG * NCOMBO], combo_gm[NCOMBO];
    double sparse_cyc[NG][NCOMBO], tpu_area_m, sig_area_m, tpu_w_m = 0, sig_w_m = 0;
    char base[512];
    FILE *f;
    int i, j, n = 0;
    sm_error e;
    for (i = 0; i < NG; i++) {
        sm_array_stats a = run(tpu, c->g[i], 0), b = run(sig, c->g[i], 0), b2 = run(iso, c->g[i], 0);
        sm_array_stats q1 = run(r256, c->g[i], 0), q2 = run(r64, c->g[i], 0), q3 = run(r512, c->g[i], 0), q4 = run(r32, c->g[i], 0);
        double ideal = c->g[i].m * c->g[i].n * c->g[i].k / 16384.0;
        d[i].tpu = a.cycles; d[i].sig = b.cycles; d[i].iso = b2.cycles; d[i].df = b.dataflow;
        d[i].t256 = fmin(q1.cycles, q2.cycles); d[i].t512 = fmin(q3.cycles, q4.cycles);
        d[i].eff_tpu = ideal / a.cycles; d[i].eff_sig = ideal / b.cycles; d[i].eff_iso = ideal / b2.cycles;
        d[i].eff256 = ideal / d[i].t256; d[i].eff512 = ideal / d[i].t512;
        sp_dense[i] = a.cycles / b.cycles; eff_s[i] = d[i].eff_sig; eff_t[i] = d[i].eff_tpu;
        /* component-model power with every multiplier busy (Fig. 8 reports the array's power, not an
           average over idle cycles, which the model does not charge): energy / useful MAC time */
        tpu_w_m += a.model_energy_pj / (a.time_s * a.overall_efficiency) * 1e-12 / NG;
        sig_w_m += b.model_energy_pj / (b.time_s * b.overall_efficiency) * 1e-12 / NG;
    }
    f = fig_open(c, "fig12a_dense", base, sizeof base);
    fprintf(f, "gemm\tTPU 256x64\tTPU 512x32\tSIGMA\tSIGMA 128 w/c stream\teff TPU 128x128\teff TPU 256x64\teff TPU 512x32\teff SIGMA\teff SIGMA 128 w/c stream\n");
    for (i = 0; i < NG; i++)
        fprintf(f, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", c->label[i], d[i].tpu / d[i].t256, d[i].tpu / d[i].t512, d[i].tpu / d[i].sig,
                d[i].tpu / d[i].iso, d[i].eff_tpu, d[i].eff256, d[i].eff512, d[i].eff_sig, d[i].eff_iso);
    fig_done(c, f, base,
             "set datafile separator '\\t'\nset multiplot layout 2,1 title \"Fig. 12a: dense GEMMs over TPU 128x128\\n(model; rectangular TPUs: better orientation; SIGMA streams one vector/cycle as in L290, or 128 words/cycle)\"\n"
             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\nset xtics rotate by -20 font ',8'\n"
             "set logscale y\nset ylabel 'speedup'\nset key outside right font ',8'\nplot for [i=2:5] datafile using i:xtic(1) title columnhead(i)\n"
             "unset logscale y\nset ylabel 'overall efficiency'\nset yrange [0:1.1]\nplot for [i=6:10] datafile using i:xtic(1) title columnhead(i)\nunset multiplot\n");

    f = fig_open(c, "fig12b_sparse", base, sizeof base);
    fprintf(f, "gemm");
    for (j = 0; j < NCOMBO; j++) fprintf(f, "\t%s", combo_name[j]);
    for (j = 0; j < NCOMBO; j++) fprintf(f, "\teff %s", combo_name[j]);
    fprintf(f, "\n");
    {
        sm_array_stats ta, sa;
        double ta_area, sa_area;
        if (sm_array_area(tpu, &tpu_area_m, &e) != SM_OK || sm_array_area(sig, &sig_area_m, &e) != SM_OK) die(&e);
        for (i = 0; i < NG; i++) {
            double spd[NCOMBO], ef[NCOMBO];
            for (j = 0; j < NCOMBO; j++) {
                sm_gemm g = with_density(c->g[i], combo_da[j], combo_db[j]);
                ta = run(tpu, g, 0); sa = run(sig, g, 0);
                ta_area = ta.area_um2; sa_area = sa.area_um2;
                sparse_cyc[i][j] = sa.cycles;
                spd[j] = ta.cycles / sa.cycles; ef[j] = sa.overall_efficiency;
                sp_all[n] = spd[j]; eff_sig_sp[n] = sa.overall_efficiency; eff_tpu_sp[n] = ta.overall_efficiency;
                iso_sp[n] = ta.cycles / run(iso, g, 0).cycles;
                en[n] = ta.energy_pj / sa.energy_pj;                         /* published powers x time */
                pa[n] = (ta.cycles * ta_area) / (sa.cycles * sa_area);       /* published areas */
                en_m[n] = ta.model_energy_pj / sa.model_energy_pj;           /* component model */
                pa_m[n] = (ta.cycles * ta.model_area_um2) / (sa.cycles * sa.model_area_um2);
                n++;
            }
            fprintf(f, "%s", c->label[i]);
            for (j = 0; j < NCOMBO; j++) fprintf(f, "\t%.4f", spd[j]);
            for (j = 0; j < NCOMBO; j++) fprintf(f, "\t%.4f", ef[j]);
            fprintf(f, "\n");
        }
    }
    fig_done(c, f, base,
             "set datafile separator '\\t'\nset multiplot layout 2,1 title \"Fig. 12b: SIGMA over TPU 128x128 with sparse operands\\n(model; i.i.d. sparsity: MK80 = 80% zeros in MK)\"\n"
             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\nset xtics rotate by -20 font ',8'\n"
             "set logscale y\nset ylabel 'speedup'\nset key outside right font ',8'\nplot for [i=2:7] datafile using i:xtic(1) title columnhead(i)\n"
             "unset logscale y\nset ylabel 'SIGMA overall efficiency'\nset yrange [0:1.1]\nplot for [i=8:13] datafile using i:xtic(1) title columnhead(i)\nunset multiplot\n");
    for (j = 0; j < NCOMBO; j++) { double v[NG]; for (i = 0; i < NG; i++) v[i] = sp_all[i * NCOMBO + j]; combo_gm[j] = geomean(v, NG); }

    f = fig_open(c, "fig13_energy", base, sizeof base);
    fprintf(f, "gemm\tenergy reduction (Fig. 8 powers)\tperf/area (Fig. 8 areas)\tenergy reduction (component model)\tperf/area (component model)\n");
    for (i = 0; i < NG; i++)
        fprintf(f, "%s\t%.4f\t%.4f\t%.4f\t%.4f\n", c->label[i], geomean(en + i * NCOMBO, NCOMBO), geomean(pa + i * NCOMBO, NCOMBO),
                geomean(en_m + i * NCOMBO, NCOMBO), geomean(pa_m + i * NCOMBO, NCOMBO));
    fig_done(c, f, base,
             "set datafile separator '\\t'\nset title \"Fig. 13: SIGMA over TPU, sparse GEMMs\\n(geomean of six sparsity combinations; model)\"\n"
             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\nset xtics rotate by -20 font ',8'\n"
             "set ylabel 'x over TPU'\nset key outside right font ',8'\nplot for [i=2:5] datafile using i:xtic(1) title columnhead(i)\n");

    /* the per-GEMM explanation of the aggregates */
    f = fig_open(c, "per_gemm", base, sizeof base);
    fprintf(f, "# Cycles per GEMM behind the dense and sparse aggregates (Sec. VI-C, L344). TPU: 128x128, SCALE-sim folds, better of\n"
               "# MK/KN stationary, every element mapped, so its sparse cycles equal its dense ones. SIGMA: 128 x Flex-DPE-128, better\n"
               "# of M-sta/N-sta; 'iso' streams 128 words/cycle instead of one vector/cycle (L290). Sparse: MK80-KN30 (Fig. 14's pair).\n"
               "# Efficiency = (effectual MACs / 16384) / cycles (Table II). Dense aggregates: mean efficiency (paper: SIGMA 82%%, TPU\n"
               "# 59%%), geomean speedup (paper: 2x); sparse: geomean speedup over six combinations (paper: ~6x, 5.7x headline).\n");
    fprintf(f, "gemm\tM\tN\tK\ttpu_cycles\tsigma_dense_cycles\tsigma_dense_dataflow\tsigma_iso_dense_cycles\tdense_speedup\ttpu_eff\tsigma_eff\tsigma_sparse_mk80kn30_cycles\tsparse_speedup_mk80kn30\tsparse_speedup_geomean6\n");
    for (i = 0; i < NG; i++) {
        double v[NCOMBO];
        for (j = 0; j < NCOMBO; j++) v[j] = d[i].tpu / sparse_cyc[i][j];
        fprintf(f, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t%.0f\t%.3f\t%.4f\t%.4f\t%.0f\t%.3f\t%.3f\n", c->label[i], c->g[i].m, c->g[i].n, c->g[i].k,
                d[i].tpu, d[i].sig, d[i].df == SM_DF_A_STA ? "M-sta" : "N-sta", d[i].iso, d[i].tpu / d[i].sig, d[i].eff_tpu, d[i].eff_sig,
                sparse_cyc[i][1], d[i].tpu / sparse_cyc[i][1], geomean(v, NCOMBO));
    }
    fprintf(f, "# aggregate\tdense: SIGMA mean eff %.4f, TPU mean eff %.4f, speedup geomean %.3f (arithmetic %.3f)\n", mean(eff_s, NG), mean(eff_t, NG), geomean(sp_dense, NG), mean(sp_dense, NG));
    fprintf(f, "# aggregate\tsparse: speedup geomean %.3f (arithmetic %.3f), SIGMA mean eff %.4f, TPU mean eff %.4f; iso-bandwidth SIGMA speedup geomean %.3f\n",
            geomean(sp_all, n), mean(sp_all, n), mean(eff_sig_sp, n), mean(eff_tpu_sp, n), geomean(iso_sp, n));
    for (j = 0; j < NCOMBO; j++) fprintf(f, "# combination\t%s speedup geomean %.3f\n", combo_name[j], combo_gm[j]);
    fclose(f);

    /* claims */
    ex_claim(&c->claims, "sigma.dense_sigma_mean_efficiency", mean(eff_s, NG), 0.82, "fraction", 0.25, 0, "SIGMA L344 (GEMM list from third parties)");
    ex_claim(&c->claims, "sigma.dense_tpu_mean_efficiency", mean(eff_t, NG), 0.59, "fraction", 0.25, 0, "SIGMA L344 (TPU: SCALE-sim folds)");
    ex_claim(&c->claims, "sigma.dense_speedup_geomean", geomean(sp_dense, NG), 2.0, "x", 0.25, 0, "SIGMA L344 (\"speedup of 2x over TPUs on dense GEMMs\")");
    ex_claim(&c->claims, "sigma.sparse_speedup_geomean", geomean(sp_all, n), 6.0, "x", 0.25, 0, "SIGMA L344 (\"roughly 6x\"; six MK/KN combinations, i.i.d.)");
    ex_claim(&c->claims, "sigma.sparse_speedup_headline", geomean(sp_all, n), 5.7, "x", 0.25, 0, "SIGMA L18, L364 (5.7x for irregular sparse)");
    ex_claim(&c->claims, "sigma.sparse_sigma_mean_efficiency", mean(eff_sig_sp, n), 0.40, "fraction", 0.25, 0, "SIGMA L344 (40%, limited by the streaming sparsity)");
    ex_claim_bound(&c->claims, "sigma.sparse_tpu_mean_efficiency", mean(eff_tpu_sp, n), 0.10, 1, "fraction", 0, "SIGMA L344 (TPU below 10%)");
    ex_claim(&c->claims, "sigma.fig13_energy_efficiency_vs_tpu", geomean(en, n), 3.0, "x", 0.25, 0, "SIGMA L346 (Fig. 8 powers x time: 22.33 W, 22.33/2 W)");
    ex_claim(&c->claims, "sigma.fig13_perf_per_area_vs_tpu", geomean(pa, n), 5.0, "x", 0.25, 0, "SIGMA L346 (Fig. 8 areas: 65.10 mm2, 65.10/1.377 mm2)");
    ex_claim(&c->claims, "sigma.model_area_sigma_mm2", sig_area_m * 1e-6, 65.10, "mm2", 0.25, 0, "SIGMA L18 (component model, 28 nm scaling assumed)");
    ex_claim(&c->claims, "sigma.model_area_overhead_vs_tpu", sig_area_m / tpu_area_m, 1.377, "x", 0.25, 0, "SIGMA L273 (37.7% area overhead; component model)");
    ex_claim(&c->claims, "sigma.model_power_sigma_w", sig_w_m, 22.33, "W", 0.25, 0, "SIGMA L18 (component model, dense GEMMs, 500 MHz assumed)");
    ex_claim(&c->claims, "sigma.model_power_vs_tpu", sig_w_m / tpu_w_m, 2.0, "x", 0.25, 0, "SIGMA L346 (\"twice as much power\"; component model)");
    ex_claim(&c->claims, "sigma.fig13_energy_efficiency_vs_tpu_component_model", geomean(en_m, n), 3.0, "x", 0.25, 0, "SIGMA L346 (component-model energies)");
    {   /* Effective TFLOPS = base dense TFLOPS x mean efficiency over Sec. VI's GEMMs (L227): the dense
           and the sparse panels weighted equally */
        double eff = 0.5 * (mean(eff_s, NG) + mean(eff_sig_sp, n)), tflops = 2 * 16384 * sig->clock_ghz * 1e9 * eff * 1e-12;
        ex_claim(&c->claims, "sigma.effective_tflops_at_500mhz", tflops, 10.8, "TFLOPS", 0.25, 0, "SIGMA L18, L227 (clock not in the text: 500 MHz assumed)");
    }
}

/* ---- Fig. 9: Flex-DPE size ------------------------------------------------------------------ */
static void fig09(ctx *c) {
    const char *names[5] = { "sigma_dpe32", "sigma_dpe64", "sigma", "sigma_dpe256", "sigma_dpe512" };
    const int sizes[5] = { 32, 64, 128, 256, 512 };
    double energy[5], cyc[5], area[5], ppa[5];
    int k, i, j, best_e = 0, best_pa = 0;
    char base[512];
    FILE *f;
    for (k = 0; k < 5; k++) {
        sm_spec *s = arch(names[k]);
        sm_error e;
        energy[k] = cyc[k] = 0;
        for (i = 0; i < NG; i++)
            for (j = -1; j < NCOMBO; j++) {   /* every workload: dense and the six sparse combinations */
                sm_array_stats st = run(s, j < 0 ? c->g[i] : with_density(c->g[i], combo_da[j], combo_db[j]), 0);
                energy[k] += st.model_energy_pj;
                cyc[k] += st.cycles;
            }
        if (sm_array_area(s, &area[k], &e) != SM_OK) die(&e);
        ppa[k] = 1 / (cyc[k] * area[k]);
        sm_spec_free(s);
    }
    for (k = 0; k < 5; k++) { if (energy[k] < energy[best_e]) best_e = k; if (ppa[k] > ppa[best_pa]) best_pa = k; }
    f = fig_open(c, "fig09_dpe_size", base, sizeof base);
    fprintf(f, "config\tenergy (x Flex-DPE-128)\tperf/area (x Flex-DPE-128)\tarea_mm2\tcycles (x Flex-DPE-128)\n");
    for (k = 0; k < 5; k++)
        fprintf(f, "%d Flex-DPE-%d\t%.4f\t%.4f\t%.3f\t%.4f\n", 16384 / sizes[k], sizes[k], energy[k] / energy[2], ppa[k] / ppa[2], area[k] * 1e-6, cyc[k] / cyc[2]);
    ex_claim(&c->claims, "sigma.fig9_least_energy_dpe_size", sizes[best_e], 128, "PEs", 0, 0, "SIGMA L275 (Flex-DPE-128 least energy; component model)");
    ex_claim(&c->claims, "sigma.fig9_best_perf_per_area_dpe_size", sizes[best_pa], 512, "PEs", 0, 0, "SIGMA L275 (Flex-DPE-512 most area efficient; component model)");
    fig_done(c, f, base,
             "set datafile separator '\\t'\nset title \"Fig. 9: Flex-DPE size at 16384 PEs, all workloads dense + six sparsity mixes\\n(model: component energies/areas, loading one Flex-DPE per cycle)\"\n"
             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\n"
             "set ylabel 'relative to 128 Flex-DPE-128'\nset yrange [0:1.2]\nset key outside right\nplot datafile using 2:xtic(1) title columnhead(2), '' using 3 title columnhead(3)\n");
}

/* ---- Fig. 10: dataflows --------------------------------------------------------------------- */
static void fig10(ctx *c, sm_spec *sig) {
    const unsigned dfs[3] = { SM_DF_A_STA, SM_DF_B_STA, SM_DF_NO_REUSE };
    const char *dfn[3] = { "M-sta,N-str", "M-str,N-sta", "M-str,N-str" };
    const int pick[4] = { 0, 4, 6, 9 };   /* a suite of shapes: regular, irregular K, tall M, small */
    char base[512];
    FILE *f = fig_open(c, "fig10_dataflows", base, sizeof base);
    int i, k;
    fprintf(f, "gemm/dataflow\tcycles_vs_best\tload\tstream\tadd\tstationary_utilization\tcompute_efficiency\toverall_efficiency\tuseful_fraction\n");
    for (i = 0; i < 4; i++) {
        sm_gemm g = with_density(c->g[pick[i]], 0.2, 0.7);   /* MK80-KN30 */
        sm_array_stats st[3];
        double best = HUGE_VAL;
        for (k = 0; k < 3; k++) { st[k] = run(sig, g, dfs[k]); if (st[k].cycles < best) best = st[k].cycles; }
        for (k = 0; k < 3; k++)
            fprintf(f, "%s %s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", c->label[pick[i]], dfn[k], st[k].cycles / best, st[k].load_cycles / st[k].cycles,
                    st[k].stream_cycles / st[k].cycles, st[k].add_cycles / st[k].cycles, st[k].stationary_utilization, st[k].compute_efficiency,
                    st[k].overall_efficiency, st[k].performed > 0 ? st[k].effectual / st[k].performed : 0);
    }
    fig_done(c, f, base,
             "set datafile separator '\\t'\nset terminal pngcairo size 1000,900 font ',11' noenhanced\n"
             "set multiplot layout 3,1 title \"Fig. 10: SIGMA dataflows, MK80-KN30\\n(model; no-local-reuse pairs at the 128 words/cycle SRAM bandwidth)\"\n"
             "set style data histograms\nset style fill solid 0.8 border -1\nset xtics rotate by -30 font ',7'\nset key outside right font ',8'\n"
             "set style histogram clustered gap 1\nset logscale y\nset ylabel 'cycles / best'\nplot datafile using 'cycles_vs_best':xtic(1) title 'total latency'\n"
             "unset logscale y\nset style histogram rowstacked\nset ylabel 'share of latency'\nset yrange [0:1.05]\n"
             "plot datafile using 'load':xtic(1) title 'load', '' using 'stream' title 'stream', '' using 'add' title 'add'\n"
             "set style histogram clustered gap 1\nset ylabel 'fraction'\nset yrange [0:1.1]\n"
             "plot datafile using 'stationary_utilization':xtic(1) title 'stat. utilization', '' using 'compute_efficiency' title 'compute eff.', '' using 'overall_efficiency' title 'overall eff.', '' using 'useful_fraction' title 'useful MACs / MACs'\n"
             "unset multiplot\n");
}

/* ---- Fig. 11: TPU -> FI -> +Sc -> +Sp ------------------------------------------------------ */
static void fig11(ctx *c, sm_spec *tpu) {
    sm_spec *fi = arch("sigma_fi"), *sc = arch("sigma_fi_sc"), *sp = arch("sigma_fi_sc_sp");
    sm_spec *designs[4];
    const char *dn[4] = { "TPU", "SIGMA_FI", "SIGMA_FI+Sc", "SIGMA_FI+Sc+Sp" };
    /* dense regular: 256-256-2048; dense irregular: the 16 x 500000 KN matrix stationary (L325);
       sparse irregular: 1024-16-500000 at MK80-KN30 (ASSUMPTION: the text names neither the GEMM
       nor the sparsity; this one fits L327: the larger MK is the sparser) in both dataflows */
    const char *cases[4] = { "dense regular", "dense irregular", "sparse M-str,N-sta", "sparse M-sta,N-str" };
    sm_gemm gs[4];
    unsigned df[4] = { 0, SM_DF_B_STA, SM_DF_B_STA, SM_DF_A_STA };
    char base[512];
    FILE *f = fig_open(c, "fig11_ablation", base, sizeof base);
    int i, k;
    designs[0] = tpu; designs[1] = fi; designs[2] = sc; designs[3] = sp;
    gs[0] = c->g[9]; gs[1] = c->g[4]; gs[2] = gs[3] = with_density(c->g[4], 0.2, 0.7);
    fprintf(f, "case/design\tload\tstream\tadd\tstationary_utilization\tcompute_efficiency\toverall_efficiency\n");
    for (i = 0; i < 4; i++) {
        sm_array_stats st[4];
        for (k = 0; k < 4; k++) st[k] = run(designs[k], gs[i], df[i]);
        for (k = 0; k < 4; k++)
            fprintf(f, "%s %s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", cases[i], dn[k], st[k].load_cycles / st[0].cycles, st[k].stream_cycles / st[0].cycles,
                    st[k].add_cycles / st[0].cycles, st[k].stationary_utilization, st[k].compute_efficiency, st[k].overall_efficiency);
        if (i == 1) ex_claim(&c->claims, "sigma.tpu_utilization_16x500000_stationary", st[0].stationary_utilization, 0.125, "fraction", 0.10, 1, "SIGMA L325, L331 (16/128 columns)");
        if (i == 1) ex_claim(&c->claims, "sigma.fig11_dense_irregular_sigma_stationary_utilization", st[3].stationary_utilization, 1.0, "fraction", 0.10, 1, "SIGMA L325 (full utilization)");
        if (i >= 2) ex_claim(&c->claims, i == 2 ? "sigma.fig11_sparse_sigma_stationary_utilization_nsta" : "sigma.fig11_sparse_sigma_stationary_utilization_msta",
                             st[3].stationary_utilization, 1.0, "fraction", 0.10, 1, "SIGMA L327 (100% stationary utilization)");
        if (i == 3) {
            sm_array_stats ns = run(sp, gs[2], SM_DF_B_STA), ms = st[3];
            /* L327: N-sta dominated by streaming, M-sta by loading; M-sta's compute efficiency higher */
            ex_claim(&c->claims, "sigma.fig11_nsta_streaming_dominated", ns.stream_cycles > ns.load_cycles + ns.add_cycles, 1, "bool", 0, 0, "SIGMA L327 (on the assumed GEMM and sparsity)");
            ex_claim(&c->claims, "sigma.fig11_msta_loading_dominated", ms.load_cycles > ms.stream_cycles + ms.add_cycles, 1, "bool", 0, 0, "SIGMA L327 (on the assumed GEMM and sparsity)");
            ex_claim(&c->claims, "sigma.fig11_msta_higher_compute_efficiency", ms.compute_efficiency > ns.compute_efficiency, 1, "bool", 0, 0, "SIGMA L327 (on the assumed GEMM and sparsity)");
        }
    }
    fig_done(c, f, base,
             "set datafile separator '\\t'\nset multiplot layout 2,1 title \"Fig. 11: TPU -> SIGMA_FI -> +Sc -> +Sp\\n(model; sparse case 1024-16-500000 at MK80-KN30, i.i.d.)\"\n"
             "set style data histograms\nset style fill solid 0.8 border -1\nset xtics rotate by -30 font ',7'\nset key outside right font ',8'\n"
             "set style histogram rowstacked\nset ylabel 'cycles / TPU'\n"
             "plot datafile using 'load':xtic(1) title 'load', '' using 'stream' title 'stream', '' using 'add' title 'add'\n"
             "set style histogram clustered gap 1\nset ylabel 'fraction'\nset yrange [0:1.1]\n"
             "plot datafile using 'stationary_utilization':xtic(1) title 'stat. utilization', '' using 'compute_efficiency' title 'compute eff.', '' using 'overall_efficiency' title 'overall eff.'\n"
             "unset multiplot\n");
    sm_spec_free(fi); sm_spec_free(sc); sm_spec_free(sp);
}

/* ---- Fig. 14: sparse competitors ------------------------------------------------------------ */
static void fig14(ctx *c, sm_spec *sig, sm_spec *tpu) {
    const char *names[6] = { "eie_like", "scnn_like", "outerspace_like", "eyeriss_v2_like", "packed_systolic_like", "cambricon_x_like" };
    const char *titles[6] = { "EIE", "SCNN", "OuterSPACE", "Eyeriss v2", "Packed Systolic", "Cambricon-X" };
    sm_spec *comp[6];
    double sp[NG][7], all[NG * 6];
    int i, k, n = 0, slower_eyeriss = 0;
    char base[512];
    FILE *f = fig_open(c, "fig14_competitors", base, sizeof base);
    for (k = 0; k < 6; k++) comp[k] = arch(names[k]);
    fprintf(f, "gemm\tTPU");
    for (k = 0; k < 6; k++) fprintf(f, "\t%s", titles[k]);
    fprintf(f, "\n");
    for (i = 0; i < NG; i++) {
        /* 80% and 30% sparsity on the two matrices (L315), best of four assignments per design (L350) */
        sm_array_stats s = best_of_four(sig, c->g[i], 0.2, 0.7);
        sp[i][0] = best_of_four(tpu, c->g[i], 0.2, 0.7).cycles / s.cycles;
        fprintf(f, "%s\t%.4f", c->label[i], sp[i][0]);
        for (k = 0; k < 6; k++) {
            sp[i][k + 1] = best_of_four(comp[k], c->g[i], 0.2, 0.7).cycles / s.cycles;
            all[n++] = sp[i][k + 1];
            fprintf(f, "\t%.4f", sp[i][k + 1]);
        }
        fprintf(f, "\n");
        if (sp[i][4] < 1) slower_eyeriss++;
    }
    ex_claim(&c->claims, "sigma.fig14_speedup_vs_sparse_accelerators_geomean", geomean(all, n), 3.0, "x", 0.25, 0, "SIGMA L350, L364 (~3x; competitors are model abstractions)");
    ex_claim(&c->claims, "sigma.fig14_gemms_slower_than_eyeriss_v2", slower_eyeriss, 2, "GEMMs", 0.25, 0, "SIGMA L350 (slower than Eyeriss v2 on two GEMMs)");
    fig_done(c, f, base,
             "set datafile separator '\\t'\nset title \"Fig. 14: SIGMA speedup over sparse accelerators at 80%/30% sparsity, best of four assignments\\n(model abstractions, 16384 PEs, i.i.d.)\"\n"
             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\nset xtics rotate by -20 font ',8'\n"
             "set logscale y\nset ylabel 'SIGMA speedup'\nset key outside right font ',8'\nplot for [i=2:8] datafile using i:xtic(1) title columnhead(i), 1 w l dt 2 lc 'black' notitle\n");
    for (k = 0; k < 6; k++) sm_spec_free(comp[k]);
}

int main(int argc, char **argv) {
    static ctx c;
    sm_spec *tpu, *sig, *iso, *r256, *r64, *r512, *r32;
    int i;
    c.claims.mode = ex_mode_parse(argc, argv);
    c.quiet = c.claims.mode != EX_FIGURES;
    for (i = 0; i < NG; i++) {   /* the workloads, through the spec loader */
        char text[512];
        sm_spec *s;
        sm_error e;
        snprintf(text, sizeof text, "include = specs/arch/sigma/sigma.ini\ninclude = specs/workloads/sigma/%s.ini\n", gemm_files[i]);
        if (sm_spec_load_string(text, gemm_files[i], NULL, 0, &s, &e) != SM_OK || sm_gemm_of_spec(s, &c.g[i], &e) != SM_OK) die(&e);
        snprintf(c.label[i], sizeof c.label[i], "%.0f-%.0f-%.0f", c.g[i].m, c.g[i].n, c.g[i].k);
        sm_spec_free(s);
    }
    tpu = arch("tpu_128x128"); sig = arch("sigma"); iso = arch("sigma_iso_bw");
    r256 = arch("tpu_256x64"); r64 = arch("tpu_64x256"); r512 = arch("tpu_512x32"); r32 = arch("tpu_32x512");
    fig04(&c, sig);
    fig06b(&c, sig);
    fig07(&c);
    fig09(&c);
    fig10(&c, sig);
    fig11(&c, tpu);
    figs12_13(&c, tpu, sig, iso, r256, r64, r512, r32);
    fig14(&c, sig, tpu);
    sm_spec_free(tpu); sm_spec_free(sig); sm_spec_free(iso);
    sm_spec_free(r256); sm_spec_free(r64); sm_spec_free(r512); sm_spec_free(r32);
    return ex_claims_done(&c.claims);
}
