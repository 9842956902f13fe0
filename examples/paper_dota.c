/* paper_dota: DOTA, the detect-and-omit Transformer accelerator, and dynamic sparse attention (DSA)
   on a V100-like GPU (Liu, "Elastic Processing and Hardware Architectures for Machine Learning", PhD
   thesis, UCSB 2022, ch. 7 and appendix C; ASPLOS 2022).
   Reads specs/dota.ini. Writes plots/dota/{fig7_7, fig7_14, fig7_15, kv_loads, table7_4, table7_5,
   fig7_17a, fig7_17b, fig7_17c, tablec_1}.{tsv,gp,png} and prints the claims table. Runs in about
   a second (key-load counting on generated masks).
   Model: each encoder layer as einsums (sm_attention_work_of): Linear (Q, K, V), the attention as an
   SDDMM and an SpMM at the positions a row-uniform top-k mask keeps (retention ratio), softmax on
   the kept scores, Other (output projection, FFN); the mask is predicted in low precision by the
   two-phase operator's predictor (X P ternary, Q~ and K~ of k = d/4, S~ = Q~ K~^T). DOTA: 4 lanes of
   32 x 16 multi-precision PEs at 1 GHz (FX16; INT4 and INT2 at (16/b)^2 the rate), 16 exp/div per
   lane, key and value vectors read from the lane SRAM per load of the token-parallel out-of-order
   schedule, counted exactly (sm_kv_loads) on masks from a density model (global tokens, a local
   band, random); attention time = max(PE array, SRAM, MFU). GPU: a V100 roofline with kernel
   efficiencies; sparse kernels from the break-even sparsities of the fine-grained kernels the
   thesis cites. Substitutes: retention ratios of DOTA-C/A, the mask model, SRAM bandwidth, GPU
   efficiencies and GPT-2's size are assumptions stated in the spec. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "ex_common.h"

#define MAXB 8
#define MAXD 8

typedef struct bench { char name[32]; double l, d, heads, dff, layers; int causal; } bench;
typedef struct design { char name[32]; double keep; int detect; long tp; } design;

static bench bs[MAXB];
static int nb;
static bench mc[4];
static int nmc;
static design ds[MAXD];
static int nd;
static sm_mac_array rmmu;
static sm_roofline gpu;
static double lanes, clock_ghz, gpu_scale, pred_bits, proj_bits, sigma, det_tp, cmp_pc, exp_pc, sram_bpc, kv_global, kv_local, kv_rows;
static double pw[6], ar[6], sparsities[8], dsa_pred_bits, dsa_base_bits;
static double t_l, t_b, t_h, t_d, t_dff, s_l, s_h, s_dh, gpu_bits, idx_bytes;
static int nsp;
static sm_error err;

#define CHECK(x) do { if ((x) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; } } while (0)
#define NUM(sec, key, lo, dflt, out) CHECK(sm_params_num(p, sec, key, lo, -1, dflt, out, &err))

static int load(const char *path) {
    sm_params *p;
    int i;
    const char *sp;
    CHECK(sm_params_load_file(path, NULL, 0, &p, &err));
    NUM("dota", "lanes", 1, 4, &lanes); NUM("dota", "clock_ghz", 1e-9, 1, &clock_ghz); NUM("dota", "gpu_scale", 1, 1, &gpu_scale);
    memset(&rmmu, 0, sizeof rmmu);
    CHECK(sm_mac_array_load(p, "rmmu", &rmmu, &err));
    NUM("detector", "pred_bits", 1, 4, &pred_bits); NUM("detector", "proj_bits", 1, 2, &proj_bits); NUM("detector", "sigma", 1e-9, 0.25, &sigma);
    NUM("detector", "token_parallel", 1, 4, &det_tp); NUM("detector", "compares_per_cycle", 0, 0, &cmp_pc);
    NUM("mfu", "exp_per_cycle", 1e-9, 16, &exp_pc);
    NUM("sram", "bytes_per_cycle", 1e-9, 640, &sram_bpc);
    NUM("kvmask", "global", 0, 0, &kv_global); NUM("kvmask", "local", 0, 0, &kv_local); NUM("kvmask", "rows", 4, 512, &kv_rows);
    {
        static const char *const k6[6] = { "lane_total", "rmmu", "filter", "mfu", "accumulator", "sram_leakage" };
        static const char *const a6[6] = { "lane_total", "rmmu", "filter", "mfu", "accumulator", "sram" };
        for (i = 0; i < 6; i++) { NUM("power", k6[i], 0, 0, &pw[i]); NUM("area", a6[i], 0, 0, &ar[i]); }
    }
    for (i = 0; i < sm_params_count(p, "design ") && nd < MAXD; i++) {
        const char *sec = sm_params_section(p, "design ", i);
        design *d = &ds[nd++];
        double det, tp;
        snprintf(d->name, sizeof d->name, "%s", sec + 7);
        CHECK(sm_params_num(p, sec, "keep", 1e-9, 1, 1, &d->keep, &err));
        NUM(sec, "detect", 0, 1, &det); NUM(sec, "token_parallel", 1, 1, &tp);
        d->detect = det > 0; d->tp = (long)tp;
    }
    memset(&gpu, 0, sizeof gpu);
    CHECK(sm_roofline_load(p, "gpu", &gpu, &err));
    NUM("gpuexp", "table_l", 1, 2000, &t_l); NUM("gpuexp", "table_batch", 1, 16, &t_b); NUM("gpuexp", "table_heads", 1, 4, &t_h);
    NUM("gpuexp", "table_d", 1, 256, &t_d); NUM("gpuexp", "table_dff", 1, 1024, &t_dff);
    NUM("gpuexp", "softmax_l", 1, 4096, &s_l); NUM("gpuexp", "softmax_heads", 1, 8, &s_h); NUM("gpuexp", "softmax_dh", 1, 64, &s_dh);
    NUM("gpuexp", "gpu_bits", 8, 32, &gpu_bits); NUM("gpuexp", "index_bytes", 0, 4, &idx_bytes);
    for (i = 0; i < sm_params_count(p, "bench ") && nb < MAXB; i++) {
        const char *sec = sm_params_section(p, "bench ", i);
        bench *b = &bs[nb++];
        double c;
        snprintf(b->name, sizeof b->name, "%s", sec + 6);
        NUM(sec, "l", 1, 0, &b->l); NUM(sec, "d", 1, 0, &b->d); NUM(sec, "heads", 1, 1, &b->heads); NUM(sec, "dff", 0, 0, &b->dff);
        NUM(sec, "layers", 1, 1, &b->layers); NUM(sec, "causal", 0, 0, &c);
        b->causal = c > 0;
    }
    for (i = 0; i < sm_params_count(p, "macs ") && nmc < 4; i++) {
        const char *sec = sm_params_section(p, "macs ", i);
        bench *b = &mc[nmc++];
        memset(b, 0, sizeof *b);
        snprintf(b->name, sizeof b->name, "%s", sec + 5);
        NUM(sec, "l", 1, 0, &b->l); NUM(sec, "d", 1, 0, &b->d); NUM(sec, "dff", 0, 0, &b->dff);
        b->heads = 1; b->layers = 1;
    }
    sp = sm_params_get(p, "dsa", "sparsities", NULL);
    while (sp && nsp < 8) {
        char *end;
        double v = strtod(sp, &end);
        if (end == sp) break;
        sparsities[nsp++] = v;
        sp = end;
    }
    NUM("dsa", "pred_bits", 1, 4, &dsa_pred_bits); NUM("dsa", "base_bits", 1, 32, &dsa_base_bits);
    CHECK(sm_params_check(p, NULL, &err));
    sm_params_free(p);
    return 0;
}

static const design *find_design(const char *name) {
    int i;
    for (i = 0; i < nd; i++) if (!strcmp(ds[i].name, name)) return &ds[i];
    fprintf(stderr, "specs/dota.ini: no [design %s]\n", name);
    exit(1);
}

static void work(const bench *b, double keep, sm_attention_work *w) {
    sm_attention a;
    memset(&a, 0, sizeof a);
    a.l = b->l; a.d = b->d; a.heads = b->heads; a.dff = b->dff; a.keep = keep; a.k = sigma * b->d; a.causal = b->causal;
    sm_attention_work_of(&a, w);
}

/* key/value loads per kept connection for a dataflow of T queries at a time, on a mask of the
   density model (memoized) */
static double kv_factor(double l, double keep, long T, int causal) {
    static double key[32][4], val[32];
    static int n;
    int i;
    long rows = (long)fmin(l, kv_rows), cols = (long)l;
    unsigned char *m;
    sm_mask_model mm;
    double loads, conn;
    if (T <= 1) return 1;
    for (i = 0; i < n; i++) if (key[i][0] == l && key[i][1] == keep && key[i][2] == T && key[i][3] == causal) return val[i];
    memset(&mm, 0, sizeof mm);
    mm.rows = rows; mm.cols = cols; mm.keep = keep; mm.global = kv_global; mm.local = kv_local; mm.causal = causal; mm.seed = 1;
    if (causal) { mm.rows = rows; }   /* the first rows of a causal mask are short: take rows from the middle instead */
    m = (unsigned char *)malloc((size_t)rows * (size_t)cols);
    if (!m || sm_mask_make(&mm, m, &err) != SM_OK) { free(m); return 1; }
    conn = sm_kv_loads(m, rows, cols, T, SM_KV_ROW);
    loads = sm_kv_loads(m, rows, cols, T, SM_KV_OOO);
    free(m);
    if (n < 32) { key[n][0] = l; key[n][1] = keep; key[n][2] = (double)T; key[n][3] = causal; val[n] = conn > 0 ? loads / conn : 1; n++; }
    return conn > 0 ? loads / conn : 1;
}

/* One DOTA accelerator on one layer: cycles of Linear, detection, attention, Other */
typedef struct dres { double linear, detect, attention, other, total, att_rmmu, att_sram, att_mfu, kvf; } dres;
static dres dota_layer(const bench *b, const design *d) {
    sm_attention_work w;
    dres o;
    double fx = lanes * sm_mac_rate(&rmmu, 16), dh = b->d / b->heads;
    memset(&o, 0, sizeof o);
    work(b, d->keep, &w);
    o.linear = w.linear / fx;
    o.other = w.other / fx;
    if (d->detect) {
        double arr = w.pred_adds / (lanes * sm_mac_rate(&rmmu, (int)proj_bits)) + (w.pred_qk + w.pred_scores) / (lanes * sm_mac_rate(&rmmu, (int)pred_bits));
        o.detect = cmp_pc > 0 ? fmax(arr, w.compares / (lanes * cmp_pc)) : arr;   /* 0: the filter keeps pace with the RMMU */
    }
    o.kvf = kv_factor(b->l, d->keep, d->tp, b->causal);
    o.att_rmmu = (w.scores + w.context) / fx;
    o.att_sram = 2 * w.connections * b->heads * o.kvf * dh * 2 / (lanes * sram_bpc);   /* K and V vectors, FX16 */
    o.att_mfu = w.softmax / (lanes * exp_pc);
    o.attention = fmax(o.att_rmmu, fmax(o.att_sram, o.att_mfu));
    o.total = o.linear + o.detect + o.attention + o.other;
    return o;
}

/* GPU kernels of one layer for a batch of B sequences at `bits` (roofline seconds) */
typedef struct gres { double linear, qk, softmax, av, other, pred, total; } gres;
static double eb(double bits) { return bits / 8; }
static void gpu_dense(const bench *b, double B, double bits, gres *o) {
    double l = b->l, d = b->d, h = b->heads, pairs = b->causal ? l * (l + 1) / 2 : l * l, e = eb(bits);
    memset(o, 0, sizeof *o);
    o->linear = 3 * sm_roofline_time(&gpu, SM_KERNEL_GEMM, (int)bits, 2 * B * l * d * d, e * (d * d + 2 * B * l * d));
    o->qk = sm_roofline_time(&gpu, SM_KERNEL_GEMM, (int)bits, 2 * B * pairs * d, e * B * (2 * l * d + h * pairs));
    o->softmax = sm_roofline_time(&gpu, SM_KERNEL_SOFTMAX, (int)bits, 5 * B * h * pairs, e * B * 2 * h * pairs);
    o->av = sm_roofline_time(&gpu, SM_KERNEL_GEMM, (int)bits, 2 * B * pairs * d, e * B * (h * pairs + 2 * l * d));
    o->other = sm_roofline_time(&gpu, SM_KERNEL_GEMM, (int)bits, 2 * B * l * d * d, e * (d * d + 2 * B * l * d)) +
               2 * sm_roofline_time(&gpu, SM_KERNEL_GEMM, (int)bits, 2 * B * l * d * b->dff, e * (d * b->dff + B * l * (d + b->dff)));
    o->total = o->linear + o->qk + o->softmax + o->av + o->other;
}
/* DSA on the GPU: prediction (FP16 GEMMs; the score estimate fused with its threshold, so only the
   kept indices reach memory: ASSUMPTION), SDDMM, sparse softmax, SpMM with vectors of v non-zeros
   sharing one index */
static void gpu_sparse(const bench *b, double B, double bits, double keep, double v, gres *o) {
    double l = b->l, d = b->d, h = b->heads, pairs = b->causal ? l * (l + 1) / 2 : l * l, e = eb(bits), k = sigma * d, nnz = keep * pairs * h;
    gres dn;
    gpu_dense(b, B, bits, &dn);
    memset(o, 0, sizeof *o);
    o->linear = dn.linear;
    o->other = dn.other;
    o->pred = sm_roofline_time(&gpu, SM_KERNEL_GEMM, 16, 2 * B * l * d * k, 2 * (d * k + B * l * (d + k))) +
              2 * sm_roofline_time(&gpu, SM_KERNEL_GEMM, 16, 2 * B * l * k * k, 2 * (k * k + 2 * B * l * k)) +
              sm_roofline_time(&gpu, SM_KERNEL_GEMM, 16, 2 * B * pairs * k, 2 * B * 2 * l * k + idx_bytes * B * nnz / v);   /* S~ fused with its threshold: only the kept indices are written */
    o->qk = sm_roofline_time(&gpu, SM_KERNEL_SDDMM, (int)bits, 2 * B * keep * pairs * d, e * B * (2 * l * d + nnz) + idx_bytes * B * nnz / v);
    o->softmax = sm_roofline_time(&gpu, SM_KERNEL_SOFTMAX, (int)bits, 5 * B * nnz, e * B * 2 * nnz + idx_bytes * B * nnz / v);
    o->av = sm_roofline_time(&gpu, SM_KERNEL_SPMM, (int)bits, 2 * B * keep * pairs * d, e * B * (nnz + 2 * l * d) + idx_bytes * B * nnz / v);
    o->total = o->linear + o->pred + o->qk + o->softmax + o->av + o->other;
}

int main(int argc, char **argv) {
    ex_claims cl;
    char base[600];
    FILE *f;
    int i, j, figs;
    memset(&cl, 0, sizeof cl);
    cl.mode = ex_mode_parse(argc, argv);
    figs = cl.mode == EX_FIGURES;
    if (load("specs/dota.ini")) return 1;

    /* Fig. 7.7: MACs per attention layer (Linear, Attention, Other) dense and DSA; prediction overhead */
    {
        double red_lo = 1e9, red_hi = 0, ov_lo = 1e9, ov_hi = 0;
        FILE *fa = figs ? ex_figure_open("dota", "fig7_7", base, sizeof base) : NULL;
        if (fa) fprintf(fa, "# task.model\tLinear_GMAC\tAttention_GMAC\tOther_GMAC\treduction\tprediction_overhead\tLinear\tAttention\tOther\t(one layer; Other = output projection + FFN; last three: fractions of dense)\n");
        for (i = 0; i < nmc; i++) {
            sm_attention_work w0;
            double dense, over;
            work(&mc[i], 1, &w0);
            dense = w0.linear + w0.dense_attention + w0.other;
            over = (w0.pred_qk + w0.pred_scores) * dsa_pred_bits / dsa_base_bits / dense;
            ov_lo = fmin(ov_lo, over); ov_hi = fmax(ov_hi, over);
            if (fa) fprintf(fa, "%s.dense\t%.4f\t%.4f\t%.4f\t1\t0\t%.4f\t%.4f\t%.4f\n", mc[i].name, w0.linear * 1e-9, w0.dense_attention * 1e-9, w0.other * 1e-9,
                            w0.linear / dense, w0.dense_attention / dense, w0.other / dense);
            for (j = 0; j < nsp; j++) {
                sm_attention_work w;
                double tot, red;
                work(&mc[i], 1 - sparsities[j], &w);
                tot = w.linear + w.scores + w.context + w.other;
                red = dense / tot;
                if (sparsities[j] <= 0.9 + 1e-9) red_lo = fmin(red_lo, red);
                if (fabs(sparsities[j] - 0.95) < 1e-9) red_hi = fmax(red_hi, red);
                if (fa) fprintf(fa, "%s.dsa%.0f\t%.4f\t%.4f\t%.4f\t%.3f\t%.5f\t%.4f\t%.4f\t%.4f\n", mc[i].name, sparsities[j] * 100, w.linear * 1e-9, (w.scores + w.context) * 1e-9, w.other * 1e-9, red, over,
                                w.linear / dense, (w.scores + w.context) / dense, w.other / dense);
            }
        }
        if (fa) {
            fclose(fa);
            ex_figure_render(base, "set datafile separator '\\t'\nset title 'Fig. 7.7: MACs per attention layer, dense and DSA-90/95/97/99% (LRA Text 4K, Retrieval 4K, Image 1K)'\n"
                             "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.85 border -1\nset boxwidth 0.7\nset yrange [0:1.05]\n"
                             "set xtics rotate by -45 font ',9'\nset ylabel 'MACs / dense MACs of the task'\nset key outside right top\nset grid ytics\n"
                             "plot datafile using 7:xtic(1) title 'Linear', '' using 8 title 'Attention', '' using 9 title 'Other'\n");
        }
        ex_claim(&cl, "dsa.prediction_overhead_min", ov_lo, 0.0117, "-", 0.10, 1, "Liu 2022 L5679 (beta (l^2 k + 2 l k^2) / dense MACs, beta = 4/32)");
        ex_claim(&cl, "dsa.prediction_overhead_max", ov_hi, 0.0133, "-", 0.10, 1, "Liu 2022 L5679");
        ex_claim(&cl, "dsa.mac_reduction_min", red_lo, 2.79, "x", 0.25, 0, "Liu 2022 L6393 (lowest task at 90%; Other = out proj + FFN assumed)");
        ex_claim(&cl, "dsa.mac_reduction_max", red_hi, 4.35, "x", 0.25, 0, "Liu 2022 L5677 (highest task at 95%; Other assumed)");
    }

    /* Figs. 7.14-7.16: key loads of the worked examples; kv loads on the density model */
    {
        static const int e1[4][3] = { { 2, 3, 0 }, { 1, 2, 5 }, { 2, 3, 0 }, { 1, 3, 5 } }, e2[4][3] = { { 1, 2, 3 }, { 2, 3, 4 }, { 2, 5, 6 }, { 3, 4, 5 } };
        unsigned char m1[20], m2[24];
        double r1, t1, r2, t2, o2;
        memset(m1, 0, sizeof m1); memset(m2, 0, sizeof m2);
        for (i = 0; i < 4; i++) for (j = 0; j < 3; j++) { if (e1[i][j]) m1[i * 5 + e1[i][j] - 1] = 1; m2[i * 6 + e2[i][j] - 1] = 1; }
        r1 = sm_kv_loads(m1, 4, 5, 4, SM_KV_ROW); t1 = sm_kv_loads(m1, 4, 5, 4, SM_KV_INORDER);
        r2 = sm_kv_loads(m2, 4, 6, 4, SM_KV_ROW); t2 = sm_kv_loads(m2, 4, 6, 4, SM_KV_INORDER); o2 = sm_kv_loads(m2, 4, 6, 4, SM_KV_OOO);
        if (figs && (f = ex_figure_open("dota", "fig7_14", base, sizeof base))) {
            fprintf(f, "# dataflow\tFig. 7.14 keys\tFig. 7.15 keys\n");
            fprintf(f, "row by row\t%g\t%g\ntoken-parallel\t%g\t%g\ntoken-parallel OoO\t-\t%g\ndistinct keys\t%g\t%g\n", r1, r2, t1, t2, o2,
                    sm_kv_loads(m1, 4, 5, 4, SM_KV_UNION), sm_kv_loads(m2, 4, 6, 4, SM_KV_UNION));
            fclose(f);
            ex_figure_render(base, "set datafile separator '\\t'\nset title 'Figs. 7.14-7.16: key vectors loaded by the worked examples (token parallelism 4)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset ylabel 'key loads'\nset yrange [0:*]\nset grid ytics\n"
                             "set key outside top center horizontal\nplot datafile using 2:xtic(1) title 'Fig. 7.14 mask', '' using 3 title 'Fig. 7.15 mask'\n");
        }
        ex_claim(&cl, "dota.fig7_14_row_by_row", r1, 10, "keys", 0.10, 1, "Liu 2022 Fig. 7.14");
        ex_claim(&cl, "dota.fig7_14_token_parallel", t1, 5, "keys", 0.10, 1, "Liu 2022 Fig. 7.14");
        ex_claim(&cl, "dota.fig7_15_row_by_row", r2, 12, "keys", 0.10, 1, "Liu 2022 Fig. 7.15 (L7180)");
        ex_claim(&cl, "dota.fig7_15_in_order", t2, 11, "keys", 0.10, 1, "Liu 2022 Fig. 7.15 (sets from the load lists; the prose's (q3, k3) read as (q3, k2))");
        ex_claim(&cl, "dota.fig7_15_out_of_order", o2, 7, "keys", 0.10, 1, "Liu 2022 Figs. 7.15/7.16");
    }
    if (figs && (f = ex_figure_open("dota", "kv_loads", base, sizeof base))) {
        static const double keeps[4] = { 0.2, 0.1, 0.05, 0.01 };
        long T;
        fprintf(f, "# T\tloads per connection at retention 20%%\t10%%\t5%%\t1%%\t(l = 2048, mask: %.0f%% global, %.0f%% local, rest random; out-of-order)\n", kv_global * 100, kv_local * 100);
        for (T = 1; T <= 16; T *= 2) {
            fprintf(f, "%ld", T);
            for (j = 0; j < 4; j++) fprintf(f, "\t%.4f", kv_factor(2048, keeps[j], T, 0));
            fprintf(f, "\n");
        }
        fclose(f);
        ex_figure_render(base, "set datafile separator '\\t'\nset title 'Key/value loads per kept connection vs token parallelism (density-model masks, l = 2048)'\n"
                         "set logscale x 2\nset xlabel 'queries processed together (T)'\nset ylabel 'loads / connections'\nset yrange [0:1.05]\nset grid\nset key top right\n"
                         "plot datafile using 1:2 with linespoints title 'retention 20%', '' using 1:3 with linespoints title '10%', '' using 1:4 with linespoints title '5%', '' using 1:5 with linespoints title '1%'\n");
    }

    /* Tables 7.4 and 7.5 and the softmax share: DSA on the GPU */
    {
        bench tb;
        gres dn16, sp, dn32;
        double spmm[3], sddmm[3], sa[2], e2e[2], share, smx = 0;
        static const double vec[3] = { 4, 8, 1 };
        memset(&tb, 0, sizeof tb);
        tb.l = t_l; tb.d = t_d; tb.heads = t_h; tb.dff = t_dff; tb.layers = 4;
        gpu_dense(&tb, t_b, 16, &dn16);
        for (j = 0; j < 3; j++) {
            gpu_sparse(&tb, t_b, j < 2 ? 16 : 32, 0.10, vec[j], &sp);
            spmm[j] = dn16.av / sp.av;
            sddmm[j] = dn16.qk / sp.qk;
            if (j == 1) smx = dn16.softmax / sp.softmax;
        }
        for (j = 0; j < 2; j++) {
            gpu_sparse(&tb, t_b, 16, 0.05, vec[j], &sp);
            sa[j] = (dn16.qk + dn16.softmax + dn16.av) / (sp.pred + sp.qk + sp.softmax + sp.av);
            e2e[j] = dn16.total / sp.total;
        }
        {
            bench sb;
            memset(&sb, 0, sizeof sb);
            sb.l = s_l; sb.heads = s_h; sb.d = s_h * s_dh; sb.layers = 1;
            gpu_dense(&sb, 1, 32, &dn32);
            share = dn32.softmax / (dn32.qk + dn32.softmax + dn32.av);
        }
        if (figs && (f = ex_figure_open("dota", "table7_4", base, sizeof base))) {
            fprintf(f, "# pattern\tSpMM\tSDDMM\t(speedup over the dense FP16 GEMM at 90%% sparsity; Text, l %g, batch %g)\nvec 1x4\t%.3f\t%.3f\nvec 1x8\t%.3f\t%.3f\nfine-grained (FP32)\t%.3f\t%.3f\n",
                    t_l, t_b, spmm[0], sddmm[0], spmm[1], sddmm[1], spmm[2], sddmm[2]);
            fclose(f);
            ex_figure_render(base, "set datafile separator '\\t'\nset title 'Table 7.4: DSA kernels on a V100 roofline, 90% sparsity (speedup over Hgemm)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset ylabel 'speedup'\nset yrange [0:*]\nset grid ytics\n"
                             "set key outside top center horizontal\nplot datafile using 2:xtic(1) title 'SpMM', '' using 3 title 'SDDMM'\n");
        }
        if (figs && (f = ex_figure_open("dota", "table7_5", base, sizeof base))) {
            fprintf(f, "# pattern\tself-attention\tend-to-end\t(DSA-95%%, FP16, prediction included)\nvec 1x4\t%.3f\t%.3f\nvec 1x8\t%.3f\t%.3f\n", sa[0], e2e[0], sa[1], e2e[1]);
            fclose(f);
            ex_figure_render(base, "set datafile separator '\\t'\nset title 'Table 7.5: DSA-95% on a V100 roofline (Text, prediction included)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset ylabel 'speedup'\nset yrange [0:*]\nset grid ytics\n"
                             "set key outside top center horizontal\nplot datafile using 2:xtic(1) title 'self-attention', '' using 3 title 'end-to-end'\n");
        }
        ex_claim(&cl, "dsa.gpu_spmm_1x8_90", spmm[1], 1.94, "x", 0.25, 0, "Liu 2022 Table 7.4");
        ex_claim(&cl, "dsa.gpu_sddmm_1x8_90", sddmm[1], 1.15, "x", 0.25, 0, "Liu 2022 Table 7.4");
        ex_claim(&cl, "dsa.gpu_spmm_1x4_90", spmm[0], 1.57, "x", 0.25, 0, "Liu 2022 Table 7.4");
        ex_claim(&cl, "dsa.gpu_sddmm_1x4_90", sddmm[0], 0.94, "x", 0.25, 0, "Liu 2022 Table 7.4");
        ex_claim(&cl, "dsa.gpu_spmm_fine_90", spmm[2], 1.85, "x", 0.25, 0, "Liu 2022 Table 7.4");
        ex_claim(&cl, "dsa.gpu_sddmm_fine_90", sddmm[2], 1.09, "x", 0.25, 0, "Liu 2022 Table 7.4");
        ex_claim(&cl, "dsa.gpu_softmax_1x8_90", smx, 14.6, "x", 0.25, 0, "Liu 2022 L5685");
        ex_claim(&cl, "dsa.gpu_self_attention_1x4_95", sa[0], 1.23, "x", 0.25, 0, "Liu 2022 Table 7.5 (the text says 1.24x, L6657: we test the table)");
        ex_claim(&cl, "dsa.gpu_self_attention_1x8_95", sa[1], 1.97, "x", 0.25, 0, "Liu 2022 Table 7.5");
        ex_claim(&cl, "dsa.gpu_end_to_end_1x4_95", e2e[0], 1.19, "x", 0.25, 0, "Liu 2022 Table 7.5");
        ex_claim(&cl, "dsa.gpu_end_to_end_1x8_95", e2e[1], 1.71, "x", 0.25, 0, "Liu 2022 Table 7.5");
        ex_claim(&cl, "dsa.gpu_softmax_share_l4096", share, 0.47, "-", 0.25, 0, "Liu 2022 L6640 (h 8, l 4096, d 64; FP32)");
    }

    /* Fig. 7.17: DOTA over the GPU (attention and end to end), over ELSA, latency breakdown */
    {
        const design *dc = find_design("dota_c"), *da = find_design("dota_a"), *df = find_design("dota_f"), *de = find_design("elsa");
        FILE *fa = figs ? ex_figure_open("dota", "fig7_17a", base, sizeof base) : NULL;
        char bb[600], bc[600];
        FILE *fb = figs ? ex_figure_open("dota", "fig7_17b", bb, sizeof bb) : NULL;
        FILE *fc = figs ? ex_figure_open("dota", "fig7_17c", bc, sizeof bc) : NULL;
        double att_c = 0, att_a = 0, e2e_c = 0, e2e_a = 0, el_c = 0, el_a = 0;
        if (fa) fprintf(fa, "# bench\tDOTA-F\tDOTA-C\tDOTA-A\tELSA/DOTA-C\tELSA/DOTA-A\t(attention speedup over the GPU; last two: DOTA over ELSA)\n");
        if (fb) fprintf(fb, "# bench\tDOTA-F\tDOTA-C\tDOTA-A\tupper_bound\t(end-to-end speedup over the GPU)\n");
        if (fc) fprintf(fc, "# bench.design\tLinear\tDetection\tAttention\tOther\t(latency normalized to DOTA-F)\n");
        for (i = 0; i < nb; i++) {
            const bench *b = &bs[i];
            gres g;
            dres rf = dota_layer(b, df), rc = dota_layer(b, dc), ra = dota_layer(b, da), re = dota_layer(b, de);
            double clk = clock_ghz * 1e9, scale = gpu_scale, gatt, gtot, peak = lanes * sm_mac_rate(&rmmu, 16) * clk * scale, bound;
            sm_attention_work w;
            gpu_dense(b, scale, gpu_bits, &g);   /* the GPU runs the same gpu_scale sequences DOTA runs in parallel */
            gatt = (g.qk + g.softmax + g.av) / scale;
            gtot = g.total / scale;
            work(b, 1, &w);
            bound = gtot / ((w.linear + w.other) / peak);
            {
                double fa_ = gatt / (rf.attention / clk / scale), fc_ = gatt / ((rc.detect + rc.attention) / clk / scale), fa2 = gatt / ((ra.detect + ra.attention) / clk / scale);
                double tf = gtot / (rf.total / clk / scale), tc = gtot / (rc.total / clk / scale), ta = gtot / (ra.total / clk / scale);
                double ec = (re.detect + re.attention) / (rc.detect + rc.attention), ea = (re.detect + re.attention) / (ra.detect + ra.attention);
                att_c += fc_ / nb; att_a += fa2 / nb; e2e_c += tc / nb; e2e_a += ta / nb; el_c += ec / nb; el_a += ea / nb;
                if (fa) fprintf(fa, "%s\t%.2f\t%.2f\t%.2f\t%.3f\t%.3f\n", b->name, fa_, fc_, fa2, ec, ea);
                if (fb) fprintf(fb, "%s\t%.3f\t%.3f\t%.3f\t%.3f\n", b->name, tf, tc, ta, bound);
                if (fc) {
                    const dres *r3[3] = { &rf, &rc, &ra };
                    static const char *const n3[3] = { "DOTA-F", "DOTA-C", "DOTA-A" };
                    for (j = 0; j < 3; j++)
                        fprintf(fc, "%s.%s\t%.4f\t%.4f\t%.4f\t%.4f\n", b->name, n3[j], r3[j]->linear / rf.total, r3[j]->detect / rf.total, r3[j]->attention / rf.total, r3[j]->other / rf.total);
                }
            }
        }
        if (fa) {
            fclose(fa);
            ex_figure_render(base, "set datafile separator '\\t'\nset title 'Fig. 7.17(a): attention speedup of DOTA (12 TOPS) over a V100 roofline (assumed retention: C 5%, A 1%)'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset logscale y\nset yrange [1:*]\nset ylabel 'speedup (log)'\n"
                             "set grid ytics\nset key outside top center horizontal\nplot datafile using 2:xtic(1) title 'DOTA-F', '' using 3 title 'DOTA-C', '' using 4 title 'DOTA-A'\n");
        }
        if (fb) {
            fclose(fb);
            ex_figure_render(bb, "set datafile separator '\\t'\nset title 'Fig. 7.17(b): end-to-end speedup over a V100 roofline, with the Amdahl upper bound'\n"
                             "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset yrange [0:*]\nset ylabel 'speedup'\nset grid ytics\n"
                             "set key outside top center horizontal\nplot datafile using 2:xtic(1) title 'DOTA-F', '' using 3 title 'DOTA-C', '' using 4 title 'DOTA-A', '' using 5 title 'upper bound'\n");
        }
        if (fc) {
            fclose(fc);
            ex_figure_render(bc, "set datafile separator '\\t'\nset title 'Fig. 7.17(c): DOTA latency breakdown, normalized to DOTA-F'\n"
                             "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.85 border -1\nset boxwidth 0.7\nset xtics rotate by -45 font ',8'\n"
                             "set ylabel 'latency / DOTA-F'\nset yrange [0:1.05]\nset key outside right top\nset grid ytics\n"
                             "plot datafile using 2:xtic(1) title 'Linear', '' using 3 title 'Detection', '' using 4 title 'Attention', '' using 5 title 'Other'\n");
        }
        ex_claim(&cl, "dota.c_attention_vs_gpu", att_c, 152.6, "x", 0.25, 0, "Liu 2022 L7327 (retention 5% assumed)");
        ex_claim(&cl, "dota.a_attention_vs_gpu", att_a, 341.8, "x", 0.25, 0, "Liu 2022 L7331 (retention 1% assumed)");
        ex_claim(&cl, "dota.c_end_to_end_vs_gpu", e2e_c, 9.2, "x", 0.25, 0, "Liu 2022 L7328");
        ex_claim(&cl, "dota.a_end_to_end_vs_gpu", e2e_a, 9.5, "x", 0.25, 0, "Liu 2022 L7331");
        ex_claim(&cl, "dota.c_vs_elsa", el_c, 4.5, "x", 0.25, 0, "Liu 2022 L7368");
        ex_claim(&cl, "dota.a_vs_elsa", el_a, 10.6, "x", 0.25, 0, "Liu 2022 L7368");
    }

    /* Table C.1 roll-up */
    {
        double lane = pw[1] + pw[2] + pw[3], power = pw[0] + pw[4], area = ar[0] + ar[4], peak = lanes * sm_mac_rate(&rmmu, 16) * clock_ghz * 1e9;
        if (figs && (f = ex_figure_open("dota", "tablec_1", base, sizeof base))) {
            fprintf(f, "# module\tpower_mW\tarea_mm2\t(Table C.1, 22 nm, 1 GHz; per-lane RMMU+Filter+MFU = %.2f mW, x4 = %.2f vs the Lane row %.2f)\n", lane, 4 * lane, pw[0]);
            fprintf(f, "Lanes (4)\t%.2f\t%.3f\nAccumulator\t%.2f\t%.3f\nDOTA w/o SRAM\t%.2f\t%.3f\nSRAM 2.5 MB\t%.2f\t%.3f\n", pw[0], ar[0], pw[4], ar[4], power, area, pw[5], ar[5]);
            fclose(f);
            ex_figure_render(base, "set datafile separator '\\t'\nset title 'Table C.1: DOTA power and area (22 nm, 1 GHz)'\nset style data histograms\nset style histogram clustered gap 1\n"
                             "set style fill solid 0.8\nset ylabel 'W / mm2'\nset yrange [0:*]\nset grid ytics\nset key outside top center horizontal\n"
                             "plot datafile using ($2/1000):xtic(1) title 'power (W)', '' using 3 title 'area (mm2)'\n");
        }
        ex_claim(&cl, "dota.power_mw", power, 3017.54, "mW", 0.10, 1, "Liu 2022 Table C.1 (Lane row + Accumulator)");
        ex_claim(&cl, "dota.area_mm2", area, 2.746, "mm2", 0.10, 1, "Liu 2022 Table C.1");
        ex_claim(&cl, "dota.sram_area_mm2", ar[5], 1.690, "mm2", 0.10, 1, "Liu 2022 Table C.1");
        ex_claim(&cl, "dota.peak_tops", peak * 1e-12, 2.0, "TMAC/s", 0.10, 1, "Liu 2022 Table C.1 (4 x 512 FX16 MACs x 1 GHz)");
        ex_claim(&cl, "dota.lane_row_vs_sum", 4 * lane, pw[0], "mW", 0.10, 1, "Table C.1: 4 x (RMMU + Filter + MFU) vs the Lane row (control in between)");
    }
    return ex_claims_done(&cl);
}
