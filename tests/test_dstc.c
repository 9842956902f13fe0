/* Unit tests of the DSTC mechanisms: [@opskip] outer-product block skipping (against brute-force
   enumeration and seeded sampling), the paper's worked examples, [@im2col], [@gpu] (waves, tiles,
   traffic), the accumulation-buffer conflict model and the [skip]/[gpu] loader. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "test_common.h"

static int NEAR(double a, double b, double tol) { return fabs(a - b) <= tol * (fabs(b) > 1 ? fabs(b) : 1); }

static sm_spec *load(const char *text) {
    sm_spec *s = NULL;
    sm_error e;
    if (sm_spec_load_string(text, "unit.ini", NULL, 0, &s, &e) != SM_OK) { printf("load: %s\n", e.text); return NULL; }
    return s;
}

static int popcount(unsigned x) { int n = 0; for (; x; x &= x - 1) n++; return n; }

/* Fig. 5 (DSTC L140) and the Set-4 predicates (L265), exactly. */
static void test_examples(void) {
    sm_opskip o;
    memset(&o, 0, sizeof o);   /* defaults: fibers 32 x 32, granules 8 x 16 */
    T(popcount(sm_opskip_mask(&o, 20, 11)) == 3);            /* 3 of 8 steps: 8/3 = 2.67x */
    T(popcount(sm_opskip_mask(&o, 32, 32)) == 8);            /* dense: 8 steps */
    T(sm_opskip_mask(&o, 20, 12) == ((1u << 0) | (1u << 2) | (1u << 4)));   /* enable OHMMA 0, 2, 4 */
    T(sm_opskip_mask(&o, 0, 32) == 0 && sm_opskip_mask(&o, 32, 0) == 0);
    T(sm_opskip_mask(&o, 1, 17) == 3);                       /* one A granule, both B granules: bits 0, 1 */
}

/* Small tensors: the expectation over every placement of the non-zeros. */
static double ceil_div(double a, double b) { return ceil(a / b - 1e-9); }

static void test_fiber_brute(void) {
    /* uniform: A is 4 x 4 with 6 non-zeros (hypergeometric); fiber of 4 along rank 0, granule 3 */
    sm_spec *s = load("[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=4 n=4 k=4\n[density]\nA = uniform 0.375\nB = uniform 0.5\n"
                      "[level L]\n[compute C]\n[mapping]\nL.temporal = m4 n4 k4\n");
    double cm, pe, mu, bc = 0, bp = 0, bm = 0, cnt = 0;
    unsigned x;
    T(s != NULL);
    if (!s) return;
    sm_fiber_expect(&s->density[0], 0, 4, 3, &cm, &pe, &mu);
    for (x = 0; x < (1u << 16); x++) {   /* every 6-of-16 placement; fiber = column k=0: elements (m, 0), m = 0..3 */
        int k;
        double c = 0;
        if (popcount(x) != 6) continue;
        for (k = 0; k < 4; k++) c += (x >> (k * 4)) & 1;
        bc += ceil_div(c, 3); bp += c == 0; bm += c; cnt++;
    }
    T(NEAR(cm, bc / cnt, 1e-9) && NEAR(pe, bp / cnt, 1e-9) && NEAR(mu, bm / cnt, 1e-9));
    /* the two-level tile: a 2 x 2 box of 6-of-16 is empty with probability C(12,6)/C(16,6) */
    {
        double e[2] = { 2, 2 };
        T(NEAR(sm_box_p_empty(&s->density[0], 2, e), 924.0 / 8008.0, 1e-9));
    }
    sm_spec_free(s);

    /* N:M 2:4 along k on a 4 x 4 tensor: every row holds one of the 6 patterns. Fiber along m at k = 0
       (across the N:M rank) and along k (with it), granule 1 and 2. */
    s = load("[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=4 n=4 k=4\n[density]\nA = nm 2:4 k\n[level L]\n[compute C]\n[mapping]\nL.temporal = m4 n4 k4\n");
    T(s != NULL);
    if (!s) return;
    {
        static const unsigned pat[6] = { 3, 5, 6, 9, 10, 12 };
        int r0, r1, r2, r3;
        double b1 = 0, b2 = 0, n = 0, c1, c2, c3, c4;
        for (r0 = 0; r0 < 6; r0++) for (r1 = 0; r1 < 6; r1++) for (r2 = 0; r2 < 6; r2++) for (r3 = 0; r3 < 6; r3++) {
            double c = (pat[r0] & 1) + (pat[r1] & 1) + (pat[r2] & 1) + (pat[r3] & 1);
            b1 += c; b2 += ceil_div(c, 3); n++;
        }
        sm_fiber_expect(&s->density[0], 0, 4, 1, &c1, NULL, NULL);
        sm_fiber_expect(&s->density[0], 0, 4, 3, &c2, NULL, NULL);
        T(NEAR(c1, b1 / n, 1e-12) && NEAR(c2, b2 / n, 1e-12));
        sm_fiber_expect(&s->density[0], 1, 4, 1, &c3, NULL, NULL);   /* along k: exactly 2 */
        sm_fiber_expect(&s->density[0], 1, 3, 1, &c4, NULL, NULL);   /* 3 of a block of 4: 2 x 3/4 */
        T(NEAR(c3, 2, 1e-12) && NEAR(c4, 1.5, 1e-12));
    }
    sm_spec_free(s);
}

/* i.i.d. density on a large tensor: the per-set steps E[ceil(X/8)] E[ceil(Y/16)] against seeded
   sampling of random 32-bit fiber bitmaps. */
static void test_fiber_sampling(void) {
    static const double dens[] = { 0.9, 0.5, 0.2, 0.05 };
    sm__rng seed = { 12345 };
    int i, t;
    for (i = 0; i < 4; i++) {
        char text[512];
        sm_spec *s;
        sm_skip_desc sd;
        sm_opskip_stats st;
        sm_error e;
        double sum = 0, sum2 = 0, n = 20000, mean, sd_mean;
        snprintf(text, sizeof text, "[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=4096 n=4096 k=4096\n[density]\nA = uniform %g\nB = uniform %g\n"
                 "[level L]\n[compute C]\n[mapping]\nL.temporal = m4096 n4096 k4096\n", dens[i], dens[3 - i]);
        if (!(s = load(text))) { T(0); continue; }
        memset(&sd, 0, sizeof sd);
        sd.kind = SM_SKIP_MODEL_OUTER;
        sd.rank[0] = 0; sd.krank[0] = 1; sd.rank[1] = 1; sd.krank[1] = 0;
        T(sm_opskip_expect(&sd, &s->density[0], &s->density[1], &st, &e) == SM_OK);
        for (t = 0; t < (int)n; t++) {
            int b, xa = 0, xb = 0;
            double steps;
            for (b = 0; b < 32; b++) { xa += sm__rand01(&seed) < dens[i]; xb += sm__rand01(&seed) < dens[3 - i]; }
            steps = ceil_div(xa, 8) * ceil_div(xb, 16);
            sum += steps; sum2 += steps * steps;
        }
        mean = sum / n;
        sd_mean = sqrt((sum2 / n - mean * mean) / n);
        T(fabs(st.steps - mean) <= 4 * sd_mean + 1e-3);
        T(st.dense_steps == 8 && NEAR(st.products, 1024 * dens[i] * dens[3 - i], 1e-3));
        sm_spec_free(s);
    }
}

/* The digest's closed-form table (X ~ Bin(32, d)): E[ceil(X/8)] at 50% and 99% sparsity. */
static void test_closed_form(void) {
    sm_spec *s = load("[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=4096 n=4096 k=4096\n[density]\nA = uniform 0.5\nB = uniform 0.01\n"
                      "[level L]\n[compute C]\n[mapping]\nL.temporal = m4096 n4096 k4096\n");
    double c8, c16;
    if (!s) { T(0); return; }
    sm_fiber_expect(&s->density[0], 0, 32, 8, &c8, NULL, NULL);
    sm_fiber_expect(&s->density[0], 0, 32, 16, &c16, NULL, NULL);
    T(NEAR(c8, 2.4276, 2e-4) && NEAR(c16, 1.4300, 2e-4));
    sm_fiber_expect(&s->density[1], 1, 32, 8, &c8, NULL, NULL);
    T(NEAR(c8, 0.2750, 2e-3));
    sm_spec_free(s);
}

/* The hook in sm_eval: cycles = dense x E[cycles per set] / 8; the side choice; loader errors. */
static void test_eval_hook(void) {
    const char *base = "[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=64 n=64 k=64\n[density]\nA = uniform 0.25\nB = uniform 0.5\n"
                       "[level DRAM]\n[level RF]\ninstances = 1\n[compute MAC]\ninstances = 128\nmesh_x = 16\n"
                       "[mapping]\nDRAM.temporal = m2 n2 k64\nRF.temporal = m4 n2\nRF.spatial_y = m8\nRF.spatial_x = n16\n";
    char text[1024];
    sm_spec *s;
    sm_stats st;
    sm_error e;
    sm_opskip_stats os;
    snprintf(text, sizeof text, "%s[skip]\nmodel = outer_product\nset_cycles = 0.5\n", base);
    if (!(s = load(text))) { T(0); return; }
    T(sm_eval(s, &st, &e) == SM_OK);
    T(sm_opskip_expect(&s->skip, &s->density[0], &s->density[1], &os, &e) == SM_OK);
    T(st.compute_cycles == ceil(2 * 2 * 64 * 8 * os.cycles / 8 - 1e-9));
    T(NEAR(os.cycles, os.ceil_mean[0] * os.ceil_mean[1] + 0.5 * (1 - os.p_empty[0]) * (1 - os.p_empty[1]), 1e-12));
    s->skip.outer.auto_side = 1;   /* the sparser A is better on the 8-granule side: no change; then force it to side 1 */
    T(sm_opskip_expect(&s->skip, &s->density[0], &s->density[1], &os, &e) == SM_OK && os.side0 == 0);
    s->skip.outer.auto_side = 0; s->skip.outer.side0 = 1;
    {
        sm_opskip_stats o2;
        T(sm_opskip_expect(&s->skip, &s->density[0], &s->density[1], &o2, &e) == SM_OK && o2.side0 == 1 && o2.steps > os.steps);
    }
    sm_spec_free(s);
    snprintf(text, sizeof text, "%s[skip]\nmodel = structured\noperand = A\nseries = 2:4\n", base);
    if ((s = load(text))) {
        T(sm_eval(s, &st, &e) == SM_OK && st.compute_cycles == 2 * 2 * 64 * 8 / 2);
        sm_spec_free(s);
    } else T(0);
    snprintf(text, sizeof text, "%s[skip]\nmodel = structured\noperand = A\nseries = 2:8+2:4\n", base);
    T(sm_spec_load_string(text, "u.ini", NULL, 0, &s, &e) == SM_ERR_VALUE && strstr(e.text, "must nest"));
    T(sm_spec_load_string("[problem]\neinsum = Z[m] += A[m,k] * B[k]\nbounds = m=4 k=4\n[level L]\n[compute C]\n[skip]\nmodel = outer_product\n", "u.ini", NULL, 0, &s, &e) == SM_ERR_UNSUPPORTED);
}

/* The accumulation buffer: conflict-free, one bank, and 2 products over 2 banks (E[max] = 1.5). */
static void test_accbuf(void) {
    T(NEAR(sm_accbuf_cycles(128, 0, 128, 1, 0), 1, 1e-12));
    T(NEAR(sm_accbuf_cycles(16, 1, 4, 1, 16), 4, 1e-12));
    T(NEAR(sm_accbuf_cycles(2, 2, 1, 1, 20000), 1.5, 0.02));
    T(sm_accbuf_cycles(128, 128, 1, 16, 64) < sm_accbuf_cycles(128, 128, 1, 1, 64));   /* the collector helps */
    T(sm_accbuf_cycles(128, 128, 1, 64, 64) >= 1);
}

static void test_im2col(void) {
    sm_conv cv;
    sm_im2col_ops o, b, c;
    double m, k, p, q;
    memset(&cv, 0, sizeof cv);
    cv.n = 1; cv.c = 64; cv.h = 56; cv.w = 56; cv.r = 3; cv.s = 3; cv.stride = 2; cv.pad = 1;
    sm_conv_out(&cv, &p, &q);
    sm_conv_gemm(&cv, &m, &k);
    T(p == 28 && q == 28 && m == 784 && k == 576);
    sm_im2col_count(&cv, SM_IM2COL_EXPLICIT, 0.5, NULL, &o);
    T(o.streamed == 2 * m * k && o.time == o.streamed);
    sm_im2col_count(&cv, SM_IM2COL_BITMAP, 0.5, NULL, &b);
    sm_im2col_count(&cv, SM_IM2COL_CSR, 0.5, NULL, &c);
    T(b.time < o.time && c.time > b.time && c.dependent >= 2 * 0.5 * m * k);
}

/* The GPU kernel model: waves and tiles, traffic formulas, the ESC kernel, components. */
static void test_gpu(void) {
    const char *arch = "[arch]\nclock_ghz = 1\ndie_mm2 = 100\ntdp_w = 10\n[level D]\nshared_bw = 100\n[level L2]\nread_bw = 1000\n[level S]\ninstances = 80\nread_bw = 64\n"
                       "[level R]\ninstances = 320\n[compute T]\ninstances = 40960\n[gpu]\nkernel = tiled\ncta = 128 128 32\nwarp = 32 32\n"
                       "[component a]\narea_um2 = 1.5e6\npower_mw = 500\n[component b]\narea_um2 = 5e5\n";
    char text[1024];
    sm_spec *s;
    sm_gpu_stats st;
    sm_error e;
    snprintf(text, sizeof text, "%s[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=4096 n=4096 k=4096\n", arch);
    if (!(s = load(text))) { T(0); return; }
    T(sm_gpu_eval(s, &st, &e) == SM_OK);
    T(st.ctas == 1024 && st.per_sm_ctas == 13 && st.rounds == 13);          /* ceil(1024 / 80) */
    T(st.compute_cycles == 13.0 * 4 * 4096 * 8);                             /* 4 warp tiles per sub-core, 8 cycles per set */
    T(st.reads[SM_GPU_DRAM] == 2 * 4096.0 * 4096 && st.writes[SM_GPU_DRAM] == 4096.0 * 4096);
    T(st.reads[SM_GPU_L2] == 2 * 4096.0 * 4096 * 32 + 4096.0 * 4096);        /* each operand once per CTA column/row; the output */
    T(st.role_cycles[SM_GPU_DRAM] == 3 * 4096.0 * 4096 / 100);
    {
        double mx = st.compute_cycles;
        int r;
        for (r = 0; r < SM_GPU_ROLES; r++) mx = fmax(mx, st.role_cycles[r]);
        T(st.cycles == mx && st.bound == -1 && st.role_cycles[SM_GPU_L2] == (2 * 4096.0 * 4096 * 32 + 4096.0 * 4096) / 1000);
    }
    T(s->ncomponents == 2 && s->components[0].area_um2 == 1.5e6 && s->die_mm2 == 100 && s->tdp_w == 10);
    sm_spec_free(s);
    /* a small GEMM: tile quantization (M = 49 pads to one 128 block) and idle SMs */
    snprintf(text, sizeof text, "%s[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=49 n=512 k=4608\n", arch);
    if (!(s = load(text))) { T(0); return; }
    T(sm_gpu_eval(s, &st, &e) == SM_OK && st.ctas == 4 && st.per_sm_ctas == 1 && st.compute_cycles == 4.0 * 4608 * 8);
    sm_spec_free(s);
    /* a lowered convolution must match [problem] */
    snprintf(text, sizeof text, "%s[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=100 n=64 k=576\n[gpu]\nim2col = implicit\nconv = 1 64 56 56 3 3 1 1\n", arch);
    if (!(s = load(text))) { T(0); return; }
    T(sm_gpu_eval(s, &st, &e) == SM_ERR_VALUE && strstr(e.text, "lowers to M=3136"));
    sm_spec_free(s);
    /* bitmap operands: two-level metadata, partner skipping; the ESC kernel */
    snprintf(text, sizeof text, "%s[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=4096 n=4096 k=4096\n[density]\nA = uniform 0.001\nB = uniform 0.01\n"
             "[gpu]\nformat.A = bitmap\nformat.B = bitmap\nskip_partner = 1\n[skip]\nmodel = outer_product\n", arch);
    if (!(s = load(text))) { T(0); return; }
    T(sm_gpu_eval(s, &st, &e) == SM_OK);
    {   /* A's DRAM reads: values + element bits of non-empty 32x16 tiles + a bit per tile */
        double elems = 4096.0 * 4096, pe = pow(0.999, 512) /* ~ hypergeometric */, a_bits = elems * 0.001 * 16 + elems * (1 - pe) + elems / 512;
        double b_bits = elems * 0.01 * 16 + elems * (1 - pow(0.99, 512)) + elems / 512;
        T(NEAR(st.reads[SM_GPU_DRAM] * 16, a_bits + b_bits, 2e-3));
    }
    s->gpu.kernel = SM_GPU_ESC;
    T(sm_gpu_eval(s, &st, &e) == SM_OK && NEAR(st.effectual, 4096.0 * 4096 * 4096 * 1e-5, 1e-3) && st.bound >= 0);
    sm_spec_free(s);
}

/* Later keys override earlier ones (SPEC-FORMAT): a --set of a key the file has replaces it, also keep. */
static void test_override(void) {
    const char *sets[2] = { "mapping.DRAM.keep=A B Z", "level L.size=9" };
    sm_spec *s;
    sm_error e;
    T(sm_spec_load_string("[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=2 n=2 k=2\n[level DRAM]\n[level L]\nsize = 4\n[compute C]\n"
                          "[mapping]\nDRAM.keep = A B Z\nDRAM.temporal = m2 n2 k2\n", "u.ini", sets, 2, &s, &e) == SM_OK);
    if (s) { T(s->levels[1].size == 9 && s->map[0].bypass == 0); sm_spec_free(s); }
}

int main(void) {
    test_override();
    test_examples();
    test_fiber_brute();
    test_fiber_sampling();
    test_closed_form();
    test_eval_hook();
    test_accbuf();
    test_im2col();
    test_gpu();
    return test_done();
}
