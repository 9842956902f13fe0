/* paper_enmc: ENMC, extreme near-memory classification (Liu, "Elastic Processing and Hardware
   Architectures for Machine Learning", PhD thesis, UCSB 2022, ch. 6; MICRO 2021).
   Reads specs/enmc.ini (DDR4 timing, the rank-level designs, the CPU roofline, workloads, energy,
   Table 6.5). Writes plots/enmc/{fig6_4, fig6_10, fig6_12, fig6_13, fig6_14, table6_5}.{tsv,gp,png}
   and prints the claims table. Runs in milliseconds.
   Model: classification z = W h over l categories, hidden d, batch b, as the two-phase operator:
   an INT4 screener with k = d/4 (the predictor) and FP32 rows of the m candidates (the executor,
   output skipping with whole-row skipping). The near-memory level has logic at each of 8 x 8 DDR4
   ranks, each holding l/64 rows and streaming its share at its own 19.2 GB/s (DDR timing model:
   screening weights stream, candidate rows are random row gathers); ENMC's Screener (128 INT4
   MACs) and Executor (16 FP32 MACs) run in parallel at 400 MHz; the baselines run both phases on
   their FP32 units. The host sends every rank its features over the shared channel and gets the
   candidates back. CPU baselines: a roofline of the Xeon 8280 (128 GB/s).
   Substitutes: the candidate fraction m/l of each workload is derived from the CPU speedup the
   thesis reports for it (1 / (1/32 + m/l), memory-bound), candidates of a batch do not overlap;
   TensorDIMM-Large, the baselines' MAC efficiencies, the XMLCNN front end and DRAM energies are
   assumptions stated in the spec. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "ex_common.h"

#define MAXW 8
#define MAXN 8

typedef struct wl { char name[32]; double l, d, as, frac; int scaling; } wl;
typedef struct nmp { char name[32]; int screening; /* 0 none, 1 int4, 2 fp32 */ double int4_macs, fp32_macs, fill, spill, power_mw, area; int parallel; } nmp;

static wl wls[MAXW];
static int nwl;
static nmp nmps[MAXN];
static int nnmp;
static sm_nearmem sys;
static sm_roofline cpu;
static double host_init, res_bytes, sigma, pred_bits, exec_bits, batches[4], e_bit, static_mw, fe_macs, fe_bytes;
static int nbatch;
static double area_rows[6], power_rows[6];
static sm_error err;

#define CHECK(x) do { if ((x) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; } } while (0)

static int load(const char *path) {
    sm_params *p;
    int i;
    double ch, rk;
    const char *bl;
    CHECK(sm_params_load_file(path, NULL, 0, &p, &err));
    memset(&sys, 0, sizeof sys);
    CHECK(sm_ddr_load(p, "ddr", &sys.ddr, &err));
    CHECK(sm_params_num(p, "system", "channels", 1, -1, 1, &ch, &err));
    CHECK(sm_params_num(p, "system", "ranks", 1, -1, 1, &rk, &err));
    CHECK(sm_params_num(p, "system", "logic_ghz", 1e-6, -1, 1, &sys.logic_ghz, &err));
    CHECK(sm_params_num(p, "system", "host_init", 0, -1, 0, &host_init, &err));
    CHECK(sm_params_num(p, "system", "results_per_candidate", 0, -1, 0, &res_bytes, &err));
    sys.channels = (long)ch; sys.ranks = (long)rk;
    for (i = 0; i < sm_params_count(p, "nmp ") && nnmp < MAXN; i++) {
        const char *sec = sm_params_section(p, "nmp ", i), *s;
        nmp *n = &nmps[nnmp++];
        double par;
        sm_loc loc;
        memset(n, 0, sizeof *n);
        snprintf(n->name, sizeof n->name, "%s", sec + 4);
        s = sm_params_get(p, sec, "screening", &loc);
        n->screening = !s || !strcmp(s, "none") ? 0 : !strcmp(s, "int4") ? 1 : !strcmp(s, "fp32") ? 2 : -1;
        if (n->screening < 0) { fprintf(stderr, "%s:%d: [%s] screening: int4, fp32 or none\n", loc.file, loc.line, sec); return 1; }
        CHECK(sm_params_num(p, sec, "int4_macs", 0, -1, 0, &n->int4_macs, &err));
        CHECK(sm_params_num(p, sec, "fp32_macs", 1e-9, -1, 16, &n->fp32_macs, &err));
        CHECK(sm_params_num(p, sec, "fill", 0, -1, 0, &n->fill, &err));
        CHECK(sm_params_num(p, sec, "spill_buffer", 0, -1, 0, &n->spill, &err));
        CHECK(sm_params_num(p, sec, "power_mw", 0, -1, 0, &n->power_mw, &err));
        CHECK(sm_params_num(p, sec, "area_mm2", 0, -1, 0, &n->area, &err));
        CHECK(sm_params_num(p, sec, "parallel", 0, 1, 0, &par, &err));
        n->parallel = par > 0;
        if (n->screening == 1 && n->int4_macs <= 0) { fprintf(stderr, "%s: [%s] int4 screening needs int4_macs\n", path, sec); return 1; }
    }
    CHECK(sm_roofline_load(p, "cpu", &cpu, &err));
    CHECK(sm_params_num(p, "frontend xmlcnn", "macs", 0, -1, 0, &fe_macs, &err));
    CHECK(sm_params_num(p, "frontend xmlcnn", "bytes", 0, -1, 0, &fe_bytes, &err));
    CHECK(sm_params_num(p, "screening", "sigma", 1e-6, 1, 0.25, &sigma, &err));
    CHECK(sm_params_num(p, "screening", "pred_bits", 1, 64, 4, &pred_bits, &err));
    CHECK(sm_params_num(p, "screening", "exec_bits", 1, 64, 32, &exec_bits, &err));
    bl = sm_params_get(p, "screening", "batches", NULL);
    while (bl && nbatch < 4) {
        char *end;
        double v = strtod(bl, &end);
        if (end == bl) break;
        batches[nbatch++] = v;
        bl = end;
    }
    for (i = 0; i < sm_params_count(p, "workload ") && nwl < MAXW; i++) {
        const char *sec = sm_params_section(p, "workload ", i);
        wl *w = &wls[nwl++];
        double sc;
        snprintf(w->name, sizeof w->name, "%s", sec + 9);
        CHECK(sm_params_num(p, sec, "categories", 1, -1, 0, &w->l, &err));
        CHECK(sm_params_num(p, sec, "hidden", 1, -1, 0, &w->d, &err));
        CHECK(sm_params_num(p, sec, "as_speedup", 1, 31.99, 1, &w->as, &err));
        CHECK(sm_params_num(p, sec, "scaling", 0, 1, 0, &sc, &err));
        w->scaling = sc > 0;
        w->frac = 1 / w->as - 1.0 / 32;   /* candidates m / l: the memory-bound CPU speedup inverted */
    }
    CHECK(sm_params_num(p, "energy", "dram_pj_per_bit", 0, -1, 0, &e_bit, &err));
    CHECK(sm_params_num(p, "energy", "rank_static_mw", 0, -1, 0, &static_mw, &err));
    {
        static const char *const rows[6] = { "int4_mac", "fp32_mac", "compute_buffer", "control_buffer", "enmc_ctrl", "dram_ctrl" };
        for (i = 0; i < 6; i++) {
            CHECK(sm_params_num(p, "area", rows[i], 0, -1, 0, &area_rows[i], &err));
            CHECK(sm_params_num(p, "power", rows[i], 0, -1, 0, &power_rows[i], &err));
        }
    }
    CHECK(sm_params_check(p, NULL, &err));
    sm_params_free(p);
    return 0;
}

static const nmp *find_nmp(const char *name) {
    int i;
    for (i = 0; i < nnmp; i++) if (!strcmp(nmps[i].name, name)) return &nmps[i];
    fprintf(stderr, "specs/enmc.ini: no [nmp %s]\n", name);
    exit(1);
}

static double ranks(void) { return (double)sys.channels * (double)sys.ranks; }

/* the two phases of classification as a two-phase operator: screening (predictor), candidates (executor) */
static void work_of(const wl *w, double b, sm_twophase_work *o) {
    sm_twophase op;
    memset(&op, 0, sizeof op);
    op.n = w->l; op.d = w->d; op.p = b; op.k = sigma * w->d; op.keep = w->frac;
    op.skip = SM_SKIP_OUTPUT; op.row_skip = 1; op.pred_bits = (int)pred_bits; op.exec_bits = (int)exec_bits;
    sm_twophase_work_of(&op, o);
}

/* A near-memory design on one batch: seconds, DRAM bytes (all ranks). */
typedef struct run { double s, bytes, dram_s, compute_s; } run;
static run nmp_eval(const nmp *n, const wl *w, double b) {
    double R = ranks(), rate = n->fp32_macs, cand;
    wl part = *w;
    sm_twophase_work t;
    sm_nearmem nm = sys;
    sm_nearmem_phase ph[2];
    sm_nearmem_result r;
    run o;
    memset(ph, 0, sizeof ph);
    part.l = w->l / R;                  /* one rank's rows: the operator split by output rows */
    work_of(&part, b, &t);
    cand = t.exec_macs / w->d;          /* candidate rows of the batch on this rank (no overlap) */
    if (n->fill > 0) rate = n->fp32_macs * b / (b + n->fill);   /* a systolic array refilled per batch */
    if (n->screening == 0) {   /* full classification: the executor alone, every row */
        double chunks = n->spill > 0 ? ceil(w->d * exec_bits / 8 / n->spill - 1e-9) : 1;
        ph[0].stream_bytes = t.dense_macs / b * exec_bits / 8;
        ph[0].write_bytes = 2 * (chunks - 1) * part.l * b * 4;
        ph[0].macs = t.dense_macs;
        ph[0].macs_per_cycle = rate;
        nm.result_bytes = b * part.l * 4;   /* every output goes back */
    } else {
        double chunks_s = n->spill > 0 ? ceil(t.k * pred_bits / 8 / n->spill - 1e-9) : 1, chunks_e = n->spill > 0 ? ceil(w->d * exec_bits / 8 / n->spill - 1e-9) : 1;
        ph[0].stream_bytes = t.pred_weight_bits / 8;                 /* the screener's weights, once per batch */
        ph[0].write_bytes = 2 * (chunks_s - 1) * part.l * b * 4;
        ph[0].macs = t.pred_macs;
        ph[0].macs_per_cycle = n->screening == 1 ? n->int4_macs : rate;
        ph[1].gather_rows = cand;                                    /* candidate rows of W, FP32 */
        ph[1].gather_row_bytes = w->d * exec_bits / 8;
        ph[1].write_bytes = 2 * (chunks_e - 1) * cand * 4;
        ph[1].macs = t.exec_macs;
        ph[1].macs_per_cycle = rate;
        nm.result_bytes = cand * res_bytes;
    }
    nm.host_bytes = b * w->d * (exec_bits + (n->screening ? pred_bits : 0)) / 8;
    nm.host_instr = host_init;
    nm.host_instr_bytes = 8;
    sm_nearmem_eval(&nm, ph, n->screening ? 2 : 1, n->parallel, &r);
    o.s = r.ns * 1e-9;
    o.bytes = r.bytes * R;
    o.dram_s = r.dram_ns * 1e-9;
    o.compute_s = r.compute_ns * 1e-9;
    return o;
}

static double cpu_full(const wl *w, double b) { return sm_roofline_time(&cpu, SM_KERNEL_GEMV, 32, 2 * b * w->l * w->d, w->l * w->d * exec_bits / 8); }
static double cpu_as(const wl *w, double b) {
    sm_twophase_work t;
    work_of(w, b, &t);
    return sm_roofline_time(&cpu, SM_KERNEL_GEMV, 8, 2 * t.pred_macs, t.pred_weight_bits / 8) +
           sm_roofline_time(&cpu, SM_KERNEL_GATHER, 32, 2 * t.exec_macs, t.exec_weight_bits / 8 * b);
}
static double frontend(double b) { return sm_roofline_time(&cpu, SM_KERNEL_CONV, 32, 2 * fe_macs * b, fe_bytes * b); }

/* energy of a near-memory design on one batch: DRAM static, DRAM access, logic */
static void energy(const nmp *n, const wl *w, double b, double *st, double *acc, double *logic) {
    run r = nmp_eval(n, w, b);
    *st = ranks() * static_mw * 1e-3 * r.s;
    *acc = r.bytes * 8 * e_bit * 1e-12;
    *logic = ranks() * n->power_mw * 1e-3 * r.s;
}

int main(int argc, char **argv) {
    ex_claims cl;
    char base[600];
    FILE *f;
    int i, j, figs;
    const nmp *enmc, *nda, *cham, *td, *tdf, *tdl;
    double s_as = 0, s_enmc = 0, s_enmc_as = 0, s_td = 0, s_nda = 0, s_ch = 0, v_td = 0, v_nda = 0, v_ch = 0, b1_lo = 1e30, b1_hi = 0;
    int npts = 0;
    memset(&cl, 0, sizeof cl);
    cl.mode = ex_mode_parse(argc, argv);
    figs = cl.mode == EX_FIGURES;
    if (load("specs/enmc.ini")) return 1;
    enmc = find_nmp("enmc"); nda = find_nmp("nda"); cham = find_nmp("chameleon"); td = find_nmp("tensordimm");
    tdf = find_nmp("tensordimm_full"); tdl = find_nmp("tensordimm_large");

    /* screening overhead: INT4 k = d/4 weights over FP32 d weights */
    {
        sm_twophase_work t;
        work_of(&wls[0], 1, &t);
        ex_claim(&cl, "enmc.screening_overhead", t.pred_weight_bits / (wls[0].l * wls[0].d * exec_bits), 0.031, "-", 0.10, 1, "Liu 2022 L5402 ((k/d) x (4/32) = 1/32)");
    }

    /* Fig. 6.10: approximate screening on the CPU (batch 1) */
    {
        FILE *fa = figs ? ex_figure_open("enmc", "fig6_10", base, sizeof base) : NULL;
        if (fa) fprintf(fa, "# workload\tmodel_AS_speedup\tthesis\tcandidates_m_over_l\t(batch 1; m/l derived from the thesis's speedup)\n");
        for (i = 0; i < nwl; i++) {
            double s = cpu_full(&wls[i], 1) / cpu_as(&wls[i], 1);
            char name[64];
            if (wls[i].scaling) continue;
            if (fa) fprintf(fa, "%s\t%.3f\t%g\t%.4f\n", wls[i].name, s, wls[i].as, wls[i].frac);
            snprintf(name, sizeof name, "enmc.cpu_as_speedup_%.31s", wls[i].name);
            ex_claim(&cl, name, s, wls[i].as, "x", 0.10, 1, "Liu 2022 Fig. 6.10 (L5381-5386; m/l derived from it: a consistency check)");
        }
        if (fa) {
            fclose(fa);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Fig. 6.10: approximate screening on the CPU, batch 1 (candidate fractions derived from the thesis)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset ylabel 'speedup over full classification'\n"
                             "set yrange [0:*]\nset grid ytics\nset key outside top center horizontal\n"
                             "plot datafile using 2:xtic(1) title 'model', '' using 3 title 'thesis'\n");
        }
    }

    /* Fig. 6.12: speedup over the full-classification CPU, batch 1, 2, 4 */
    {
        FILE *fa = figs ? ex_figure_open("enmc", "fig6_12", base, sizeof base) : NULL;
        if (fa) fprintf(fa, "# workload.batch\tCPU+AS\tNDA\tChameleon\tTensorDIMM\tENMC\t(speedup over the CPU's full classification; all near-memory designs screen)\n");
        for (i = 0; i < nwl; i++)
            for (j = 0; j < nbatch; j++) {
                const wl *w = &wls[i];
                double b = batches[j], c = cpu_full(w, b), a = cpu_as(w, b), e = nmp_eval(enmc, w, b).s;
                double tn = nmp_eval(nda, w, b).s, tc = nmp_eval(cham, w, b).s, tt = nmp_eval(td, w, b).s;
                if (w->scaling) continue;
                s_as += c / a; s_enmc += c / e; s_enmc_as += a / e; s_td += tt / e; s_nda += tn / e; s_ch += tc / e;
                v_td += c / tt; v_nda += c / tn; v_ch += c / tc;
                if (b == 1) { b1_lo = fmin(b1_lo, c / e); b1_hi = fmax(b1_hi, c / e); }
                npts++;
                if (fa) fprintf(fa, "%s.b%g\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", w->name, b, c / a, c / tn, c / tc, c / tt, c / e);
            }
        if (fa) {
            fclose(fa);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Fig. 6.12: speedup over the CPU (full classification), batch 1/2/4'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset logscale y\nset yrange [1:*]\n"
                             "set xtics rotate by -45 font ',9'\nset ylabel 'speedup (log)'\nset grid ytics\nset key outside top center horizontal\n"
                             "plot datafile using 2:xtic(1) title 'CPU+AS', '' using 3 title 'NDA', '' using 4 title 'Chameleon', '' using 5 title 'TensorDIMM', '' using 6 title 'ENMC'\n");
        }
    }
    s_as /= npts; s_enmc /= npts; s_enmc_as /= npts; s_td /= npts; s_nda /= npts; s_ch /= npts; v_td /= npts; v_nda /= npts; v_ch /= npts;
    ex_claim(&cl, "enmc.cpu_as_avg_speedup", s_as, 7.3, "x", 0.25, 0, "Liu 2022 Fig. 6.12 (L5443)");
    ex_claim(&cl, "enmc.enmc_vs_cpu", s_enmc, 56.5, "x", 0.25, 0, "Liu 2022 Fig. 6.12 (L5445)");
    ex_claim(&cl, "enmc.enmc_vs_cpu_as", s_enmc_as, 7.4, "x", 0.25, 0, "Liu 2022 L5565 (7.4; 56.5/7.3 = 7.74: we test 7.4)");
    ex_claim(&cl, "enmc.enmc_vs_tensordimm", s_td, 2.7, "x", 0.25, 0, "Liu 2022 Fig. 6.12 (L5447)");
    ex_claim(&cl, "enmc.enmc_vs_nda", s_nda, 3.5, "x", 0.25, 0, "Liu 2022 Fig. 6.12 (L5446)");
    ex_claim(&cl, "enmc.enmc_vs_chameleon", s_ch, 5.6, "x", 0.25, 0, "Liu 2022 Fig. 6.12 (L5446)");
    ex_claim(&cl, "enmc.nmp_baselines_vs_cpu_min", fmin(v_td, fmin(v_nda, v_ch)), 10.2, "x", 0.25, 0, "Liu 2022 L5457 (the lowest baseline's average)");
    ex_claim(&cl, "enmc.nmp_baselines_vs_cpu_max", fmax(v_td, fmax(v_nda, v_ch)), 20.7, "x", 0.25, 0, "Liu 2022 L5457 (the highest baseline's average)");
    ex_claim(&cl, "enmc.batch1_vs_cpu_min", b1_lo, 55.5, "x", 0.25, 0, "Liu 2022 L5449");
    ex_claim(&cl, "enmc.batch1_vs_cpu_max", b1_hi, 600.7, "x", 0.25, 0, "Liu 2022 L5449");

    /* Fig. 6.13: energy, ENMC vs TensorDIMM and TensorDIMM-Large running the full classification */
    {
        FILE *fa = figs ? ex_figure_open("enmc", "fig6_13", base, sizeof base) : NULL;
        double e[3][3], tot[3] = { 0, 0, 0 }, st[3] = { 0, 0, 0 };
        const nmp *d3[3] = { tdf, tdl, enmc };
        static const char *const nm3[3] = { "TensorDIMM", "TensorDIMM-Large", "ENMC" };
        int n = 0;
        if (fa) fprintf(fa, "# workload.design\tDRAM_static\tDRAM_access\tcompute_control\t(energy normalized to TensorDIMM's total; batches 1, 2, 4 summed)\n");
        for (i = 0; i < nwl; i++) {
            double sum[3][3];
            if (wls[i].scaling) continue;
            memset(sum, 0, sizeof sum);
            for (j = 0; j < nbatch; j++) {
                int k;
                for (k = 0; k < 3; k++) { energy(d3[k], &wls[i], batches[j], &e[k][0], &e[k][1], &e[k][2]); sum[k][0] += e[k][0]; sum[k][1] += e[k][1]; sum[k][2] += e[k][2]; }
            }
            for (j = 0; j < 3; j++) {
                double t0 = sum[0][0] + sum[0][1] + sum[0][2];
                tot[j] += (sum[j][0] + sum[j][1] + sum[j][2]) / t0;
                st[j] += sum[j][0] / sum[0][0];
                if (fa) fprintf(fa, "%s.%s\t%.4f\t%.4f\t%.4f\n", wls[i].name, nm3[j], sum[j][0] / t0, sum[j][1] / t0, sum[j][2] / t0);
            }
            n++;
        }
        if (fa) {
            fclose(fa);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Fig. 6.13: energy normalized to TensorDIMM (full classification); assumed DDR4 energies'\n"
                             "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.85 border -1\nset boxwidth 0.7\n"
                             "set xtics rotate by -45 font ',8'\nset ylabel 'energy / TensorDIMM'\nset yrange [0:*]\nset key outside right top\nset grid ytics\n"
                             "plot datafile using 2:xtic(1) title 'DRAM static', '' using 3 title 'DRAM access', '' using 4 title 'compute & control'\n");
        }
        /* mean over workloads of the per-workload ratios (ENMC = index 2) */
        ex_claim(&cl, "enmc.energy_vs_tensordimm", n / tot[2], 5.0, "x", 0.25, 0, "Liu 2022 Fig. 6.13 (L5478)");
        ex_claim(&cl, "enmc.energy_vs_tensordimm_large", tot[1] / tot[2], 8.4, "x", 0.25, 0, "Liu 2022 Fig. 6.13 (L5479)");
        ex_claim(&cl, "enmc.static_energy_vs_tensordimm", n / st[2], 9.3, "x", 0.25, 0, "Liu 2022 L5500");
        ex_claim(&cl, "enmc.static_energy_vs_tensordimm_large", st[1] / st[2], 4.8, "x", 0.25, 0, "Liu 2022 L5501");
    }

    /* Fig. 6.14: end-to-end scalability with the XMLCNN front end on the CPU (batches 1, 2, 4 summed) */
    {
        FILE *fa = figs ? ex_figure_open("enmc", "fig6_14", base, sizeof base) : NULL;
        double vs_td = 0, vs_tdl = 0, sm_td = 0, sm_tdl = 0, lg_td = 0, lg_tdl = 0;
        int n = 0, ns = 0, nl = 0;
        if (fa) fprintf(fa, "# dataset\tTensorDIMM\tTensorDIMM-Large\tENMC\t(end-to-end speedup over the CPU: XMLCNN front end on the CPU, then classification; batches 1, 2, 4)\n");
        for (i = 0; i < nwl; i++) {
            const wl *w = &wls[i];
            double c = 0, a = 0, bb = 0, e = 0;
            if (!w->scaling && strcmp(w->name, "xmlcnn_670k")) continue;
            for (j = 0; j < nbatch; j++) {
                double b = batches[j], fe = frontend(b);
                c += fe + cpu_full(w, b); a += fe + nmp_eval(tdf, w, b).s; bb += fe + nmp_eval(tdl, w, b).s; e += fe + nmp_eval(enmc, w, b).s;
            }
            if (fa) fprintf(fa, "%s\t%.3f\t%.3f\t%.3f\n", w->name, c / a, c / bb, c / e);
            vs_td += a / e; vs_tdl += bb / e; n++;
            if (w->l <= 1e6) { sm_td += a / e; sm_tdl += bb / e; ns++; } else { lg_td += a / e; lg_tdl += bb / e; nl++; }
        }
        if (fa) {
            fclose(fa);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Fig. 6.14: end-to-end speedup over the CPU (XMLCNN front end, assumed cost; batches 1, 2, 4)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset logscale y\nset yrange [1:*]\n"
                             "set ylabel 'speedup (log)'\nset grid ytics\nset key outside top center horizontal\n"
                             "plot datafile using 2:xtic(1) title 'TensorDIMM', '' using 3 title 'TensorDIMM-Large', '' using 4 title 'ENMC'\n");
        }
        ex_claim(&cl, "enmc.scalability_vs_tensordimm", vs_td / n, 4.7, "x", 0.25, 0, "Liu 2022 Fig. 6.14 (L5514)");
        ex_claim(&cl, "enmc.scalability_vs_tensordimm_large", vs_tdl / n, 2.9, "x", 0.25, 0, "Liu 2022 Fig. 6.14 (L5514)");
        ex_claim(&cl, "enmc.scalability_small_vs_tensordimm", sm_td / ns, 2.2, "x", 0.25, 0, "Liu 2022 L5516 (670K, 1M)");
        ex_claim(&cl, "enmc.scalability_small_vs_tensordimm_large", sm_tdl / ns, 1.6, "x", 0.25, 0, "Liu 2022 L5516 (670K, 1M)");
        ex_claim(&cl, "enmc.scalability_large_vs_tensordimm", lg_td / nl, 7.1, "x", 0.25, 0, "Liu 2022 L5518 (10M, 100M)");
        ex_claim(&cl, "enmc.scalability_large_vs_tensordimm_large", lg_tdl / nl, 4.2, "x", 0.25, 0, "Liu 2022 L5518 (10M, 100M)");
    }

    /* Fig. 6.4(b): the CPU roofline with screening, candidates and the front end at batch 1, 2, 4 */
    if (figs && (f = ex_figure_open("enmc", "fig6_4", base, sizeof base))) {
        double ai;
        fprintf(f, "# roofline: ops_per_byte\tTops (FP32 GEMV roof)\n");
        for (ai = 0.01; ai <= 1000; ai *= 1.2589) fprintf(f, "%.5g\t%.5g\n", ai, sm_roofline_attainable(&cpu, SM_KERNEL_GEMV, 32, ai));
        fprintf(f, "\n\n# point\tops_per_byte\tTops\n");
        for (j = 0; j < nbatch; j++) {
            const wl *w = &wls[3];   /* XMLCNN-670K */
            double b = batches[j];
            sm_twophase_work t;
            work_of(w, b, &t);
            fprintf(f, "screening.b%g\t%.5g\t%.5g\n", b, 2 * t.pred_macs / (t.pred_weight_bits / 8),
                    2 * t.pred_macs / sm_roofline_time(&cpu, SM_KERNEL_GEMV, 8, 2 * t.pred_macs, t.pred_weight_bits / 8) * 1e-12);
            fprintf(f, "candidates.b%g\t%.5g\t%.5g\n", b, 2 * t.exec_macs / (t.exec_weight_bits / 8 * b),
                    2 * t.exec_macs / sm_roofline_time(&cpu, SM_KERNEL_GATHER, 32, 2 * t.exec_macs, t.exec_weight_bits / 8 * b) * 1e-12);
            fprintf(f, "frontend.b%g\t%.5g\t%.5g\n", b, 2 * fe_macs / fe_bytes, 2 * fe_macs * b / frontend(b) * 1e-12);
        }
        fclose(f);
        ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Fig. 6.4(b): CPU roofline (Xeon 8280, 128 GB/s); XMLCNN-670K screening, candidates, front end at batch 1/2/4'\n"
                         "set logscale xy\nset xlabel 'operations per byte'\nset ylabel 'Tops/s'\nset grid\nset key bottom right\n"
                         "plot datafile index 0 using 1:2 with lines lw 2 title 'roof (GEMV efficiency)', "
                         "'' index 1 using 2:3:1 with labels point pt 7 offset 1,0.5 font ',8' title 'kernels'\n");
    }

    /* Table 6.5 */
    {
        double a = 0, pw = 0;
        static const char *const rows[6] = { "INT4 MAC", "FP32 MAC", "Compute Buffer", "Control Buffer", "ENMC Ctrl", "DRAM Ctrl" };
        for (i = 0; i < 6; i++) { a += area_rows[i]; pw += power_rows[i]; }
        if (figs && (f = ex_figure_open("enmc", "table6_5", base, sizeof base))) {
            fprintf(f, "# block\tarea_mm2\tpower_mW\t(Table 6.5; totals %.3f mm2, %.1f mW; the text's 0.388 mm2 / 264.6 mW conflict)\n", a, pw);
            for (i = 0; i < 6; i++) fprintf(f, "%s\t%.3f\t%.1f\n", rows[i], area_rows[i], power_rows[i]);
            fclose(f);
            ex_figure_render(base, "set datafile separator \'\t\'\nset title 'Table 6.5: ENMC area and power per rank (28 nm)'\nset style data histograms\nset style histogram clustered gap 1\n"
                             "set style fill solid 0.8\nset ylabel 'mm2 / W'\nset yrange [0:*]\nset grid ytics\nset key outside top center horizontal\n"
                             "plot datafile using 2:xtic(1) title 'area (mm2)', '' using ($3/1000) title 'power (W)'\n");
        }
        ex_claim(&cl, "enmc.area_total", a, 0.442, "mm2", 0.10, 1, "Liu 2022 Table 6.5 (the text's 0.388 conflicts; we test the table)");
        ex_claim(&cl, "enmc.power_total", pw, 285.4, "mW", 0.10, 1, "Liu 2022 Table 6.5 (the text's 264.6 conflicts; we test the table)");
    }
    return ex_claims_done(&cl);
}
