/* Unit tests of the DOTA / DSA mechanisms [@attention]: MAC counts of the attention einsums against
   hand counts, the thesis's prediction overhead, the key-load counter on the worked examples of
   Figs. 7.14-7.16 and against brute force on random masks (the optimal schedule by exhaustive
   search bounds the greedy one), and masks from a density model. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "test_common.h"

#define NEAR(a, b, rel) (fabs((double)(a) - (double)(b)) <= (rel) * fabs((double)(b)) + 1e-9)

static void test_work(void) {
    sm_attention a;
    sm_attention_work w;
    memset(&a, 0, sizeof a);
    a.l = 4; a.d = 8; a.heads = 2; a.dff = 16; a.keep = 0.5; a.k = 2;
    sm_attention_work_of(&a, &w);
    T(w.linear == 768 && w.dense_attention == 256 && w.scores == 64 && w.context == 64);
    T(w.other == 4 * 64 + 2 * 4 * 8 * 16 && w.softmax == 16 && NEAR(w.pred_adds, 64.0 / 3, 1e-12));
    T(w.pred_qk == 32 && w.pred_scores == 32 && w.compares == 32 && w.connections == 8);
    a.causal = 1;   /* 10 of the 16 pairs */
    sm_attention_work_of(&a, &w);
    T(w.dense_attention == 160 && w.scores == 40 && w.pred_scores == 20);
    a.causal = 0; a.k = 0; a.keep = 0;   /* defaults: k = d/4, keep 1 */
    sm_attention_work_of(&a, &w);
    T(w.pred_qk == 2 * 4 * 4 && w.scores == 128);
    /* the thesis's prediction overhead (L5677-5679): beta (l^2 k + 2 l k^2) / dense, beta = 4/32, k = d/4 */
    {
        static const double l[3] = { 4000, 4000, 1024 }, d[3] = { 256, 128, 64 }, ff[3] = { 1024, 512, 128 }, want[3] = { 0.01165, 0.01332, 0.0129 };
        int i, ok = 1;
        for (i = 0; i < 3; i++) {
            double dense, over;
            memset(&a, 0, sizeof a);
            a.l = l[i]; a.d = d[i]; a.dff = ff[i];
            sm_attention_work_of(&a, &w);
            dense = w.linear + w.dense_attention + w.other;
            over = (w.pred_qk + w.pred_scores) * 4 / 32 / dense;
            ok &= fabs(over - want[i]) < 0.00006;
        }
        T(ok);
    }
}

static void set_mask(unsigned char *m, long cols, long row, const int *keys, int n) {
    int i;
    for (i = 0; i < n; i++) m[row * cols + keys[i] - 1] = 1;
}

/* the least loads over every schedule: each row's keys in any order, one per round */
static int perms[8][720][6];
static long nperm[8];
static void permute(int row, const int *keys, int n, int *buf, int used, int depth) {
    int i;
    if (depth == n) { memcpy(perms[row][nperm[row]++], buf, sizeof(int) * (size_t)n); return; }
    for (i = 0; i < n; i++) if (!(used >> i & 1)) { buf[depth] = keys[i]; permute(row, keys, n, buf, used | 1 << i, depth + 1); }
}
static double optimum(const unsigned char *m, long rows, long cols) {
    int keys[8][8], nk[8], r, j, buf[8];
    long idx[8], best = -1;
    for (r = 0; r < rows; r++) {
        nk[r] = 0;
        for (j = 0; j < cols; j++) if (m[r * cols + j]) keys[r][nk[r]++] = j;
        nperm[r] = 0;
        permute(r, keys[r], nk[r], buf, 0, 0);
        idx[r] = 0;
    }
    for (;;) {
        long loads = 0, round, maxk = 0;
        for (r = 0; r < rows; r++) if (nk[r] > maxk) maxk = nk[r];
        for (round = 0; round < maxk; round++) {
            unsigned seen = 0;
            for (r = 0; r < rows; r++) if (round < nk[r]) seen |= 1u << perms[r][idx[r]][round];
            for (; seen; seen &= seen - 1) loads++;
        }
        if (best < 0 || loads < best) best = loads;
        for (r = 0; r < rows; r++) { if (++idx[r] < nperm[r]) break; idx[r] = 0; }
        if (r == rows) break;
    }
    return (double)best;
}

/* in-order rounds, written independently */
static double inorder_brute(const unsigned char *m, long rows, long cols, long Tn) {
    long r, i, j;
    double loads = 0;
    for (r = 0; r < rows; r += Tn) {
        long round;
        for (round = 0;; round++) {
            unsigned char used[64] = { 0 };
            int any = 0;
            for (i = r; i < r + Tn && i < rows; i++) {
                long c = 0;
                for (j = 0; j < cols; j++) if (m[i * cols + j] && c++ == round) { used[j] = 1; any = 1; break; }
            }
            if (!any) break;
            for (j = 0; j < cols; j++) loads += used[j];
        }
    }
    return loads;
}

static void test_kv(void) {
    unsigned char m[64 * 64];
    /* Fig. 7.14: q1{k2,k3} q2{k1,k2,k5} q3{k2,k3} q4{k1,k3,k5}: row by row 10, token-parallel 5 */
    static const int a1[] = { 2, 3 }, a2[] = { 1, 2, 5 }, a3[] = { 2, 3 }, a4[] = { 1, 3, 5 };
    /* Figs. 7.15/7.16: q1{1,2,3} q2{2,3,4} q3{2,5,6} q4{3,4,5}: 12, in order 11, out of order 7 */
    static const int b1[] = { 1, 2, 3 }, b2[] = { 2, 3, 4 }, b3[] = { 2, 5, 6 }, b4[] = { 3, 4, 5 };
    sm__rng seed = { 99 };
    int trial, ok_lo = 1, ok_hi = 1, ok_union = 1, ok_in = 1, equal = 0;
    double excess = 0;
    memset(m, 0, sizeof m);
    set_mask(m, 5, 0, a1, 2); set_mask(m, 5, 1, a2, 3); set_mask(m, 5, 2, a3, 2); set_mask(m, 5, 3, a4, 3);
    T(sm_kv_loads(m, 4, 5, 4, SM_KV_ROW) == 10);
    T(sm_kv_loads(m, 4, 5, 4, SM_KV_INORDER) == 5);
    T(sm_kv_loads(m, 4, 5, 4, SM_KV_UNION) == 4);
    T(sm_kv_loads(m, 4, 5, 1, SM_KV_INORDER) == 10);   /* one row at a time is row by row */
    memset(m, 0, sizeof m);
    set_mask(m, 6, 0, b1, 3); set_mask(m, 6, 1, b2, 3); set_mask(m, 6, 2, b3, 3); set_mask(m, 6, 3, b4, 3);
    T(sm_kv_loads(m, 4, 6, 4, SM_KV_ROW) == 12);
    T(sm_kv_loads(m, 4, 6, 4, SM_KV_INORDER) == 11);
    T(sm_kv_loads(m, 4, 6, 4, SM_KV_OOO) == 7);
    T(optimum(m, 4, 6) == 7);
    T(sm_kv_loads(m, 4, 6, 4, SM_KV_UNION) == 6);
    T(sm_kv_loads(m, 4, 6, 0, SM_KV_ROW) < 0 && sm_kv_loads(m, 4, 6, 17, SM_KV_OOO) < 0);
    /* random masks: 4 rows x 6 keys, 1-3 keys per row: union <= optimum <= greedy <= row by row;
       in-order against an independent count */
    for (trial = 0; trial < 300; trial++) {
        int r, j;
        double opt, ooo;
        memset(m, 0, sizeof m);
        for (r = 0; r < 4; r++) {
            int n = 1 + (int)(sm__rng01(&seed) * 3), got = 0;
            while (got < n) { j = (int)(sm__rng01(&seed) * 6); if (!m[r * 6 + j]) { m[r * 6 + j] = 1; got++; } }
        }
        opt = optimum(m, 4, 6);
        ooo = sm_kv_loads(m, 4, 6, 4, SM_KV_OOO);
        ok_lo &= sm_kv_loads(m, 4, 6, 4, SM_KV_UNION) <= opt && opt <= ooo;
        ok_hi &= ooo <= sm_kv_loads(m, 4, 6, 4, SM_KV_ROW);
        ok_in &= sm_kv_loads(m, 4, 6, 4, SM_KV_INORDER) == inorder_brute(m, 4, 6, 4);
        equal += ooo == opt;
        excess += ooo - opt;
    }
    T(ok_lo && ok_hi && ok_in);
    /* the greedy schedule is not always optimal (the thesis says it "ensures overall minimal memory
       access", L7263): on these masks it is optimal about 3 times in 4, within ~5% of the optimum on average */
    T(equal >= 200 && excess / 300 < 0.5);
    /* union against brute force on a bigger random mask, several group sizes */
    {
        long r, j, g, Tn;
        for (r = 0; r < 64 * 64; r++) m[r] = sm__rng01(&seed) < 0.1;
        for (Tn = 1; Tn <= 8; Tn *= 2) {
            double u = 0;
            for (g = 0; g < 64; g += Tn)
                for (j = 0; j < 64; j++) {
                    int any = 0;
                    for (r = g; r < g + Tn; r++) any |= m[r * 64 + j];
                    u += any;
                }
            ok_union &= sm_kv_loads(m, 64, 64, Tn, SM_KV_UNION) == u;
            ok_union &= sm_kv_loads(m, 64, 64, Tn, SM_KV_OOO) >= u && sm_kv_loads(m, 64, 64, Tn, SM_KV_INORDER) == inorder_brute(m, 64, 64, Tn);
        }
        T(ok_union);
    }
}

static void test_masks(void) {
    static unsigned char m[128 * 128];
    sm_mask_model mm;
    sm_error e;
    long r, j, ok_rows = 1, ok_global = 1, ok_local = 1, ok_causal = 1;
    memset(&mm, 0, sizeof mm);
    mm.rows = mm.cols = 128; mm.keep = 0.1; mm.global = 0.25; mm.local = 0.5; mm.seed = 7;
    T(sm_mask_make(&mm, m, &e) == SM_OK);
    for (r = 0; r < 128; r++) {
        long n = 0;
        for (j = 0; j < 128; j++) n += m[r * 128 + j];
        ok_rows &= n == 13;                          /* round(0.1 x 128) per row */
        ok_global &= m[r * 128 + 0] && m[r * 128 + 2];   /* round(0.25 x 13) = 3 global columns */
        ok_local &= m[r * 128 + r];                  /* the diagonal is the nearest key */
    }
    T(ok_rows && ok_global && ok_local);
    mm.causal = 1;
    T(sm_mask_make(&mm, m, &e) == SM_OK);
    for (r = 0; r < 128; r++) for (j = r + 1; j < 128; j++) ok_causal &= !m[r * 128 + j];
    T(ok_causal);
    /* locality lowers the loads of token parallelism */
    {
        double local, random;
        mm.causal = 0; mm.global = 0.2; mm.local = 0.6;
        T(sm_mask_make(&mm, m, &e) == SM_OK);
        local = sm_kv_loads(m, 128, 128, 4, SM_KV_OOO);
        mm.global = 0; mm.local = 0;
        T(sm_mask_make(&mm, m, &e) == SM_OK);
        random = sm_kv_loads(m, 128, 128, 4, SM_KV_OOO);
        T(local < random && random <= sm_kv_loads(m, 128, 128, 4, SM_KV_ROW));
    }
    mm.global = 0.8; mm.local = 0.5;
    T(sm_mask_make(&mm, m, &e) == SM_ERR_VALUE);
}

int main(void) {
    test_work();
    test_kv();
    test_masks();
    return test_done();
}
