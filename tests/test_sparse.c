/* Unit tests of the sparse engine ([@sparse]): every density model against brute-force
   enumeration or seeded sampling on small tensors (expected occupancy, empty-tile probability,
   occupancy distribution), format units on hand-worked tiles, compute classification. Reaches
   sm__ internals: it defines the implementation. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "test_common.h"

#define NEAR(a, b, tol) (fabs((double)(a) - (double)(b)) <= (tol) * fmax(1.0, fabs((double)(b))))

static sm_spec *load(const char *text) {
    sm_spec *s = NULL;
    sm_error e;
    if (sm_spec_load_string(text, "test.ini", NULL, 0, &s, &e) != SM_OK) { printf("load: %s\n", e.text); return NULL; }
    return s;
}

/* mean and P(0) of a model's occupancy distribution, as the engine enumerates it */
typedef struct dist { double mass, mean, p0; } dist;
static void dist_fn(double k, double p, void *ctx) { dist *d = (dist *)ctx; d->mass += p; d->mean += p * k; if (k == 0) d->p0 += p; }
static dist model_dist(const sm_density *d, const sm__box *b) { dist x = {0, 0, 0}; sm__occupancies(d, b, dist_fn, &x); return x; }

static sm__box box2(double e0, double e1) { sm__box b; b.nranks = 2; b.e[0] = e0; b.e[1] = e1; b.size = e0 * e1; return b; }

/* uniform: r = ceil(d N) non-zeros in N places; all C(N, r) placements enumerated (N = 12) */
static void test_uniform(void) {
    sm_density d;
    int N = 12, r = 5, n, mask, trials = 0;
    memset(&d, 0, sizeof d);
    d.kind = SM_DENSITY_UNIFORM; d.size = N; d.density = 5.0 / 12; d.nnz = ceil(d.density * N - 1e-9);
    T(d.nnz == r);
    for (n = 1; n <= N; n++) {
        double empty = 0, occ = 0, count = 0, hist[13] = {0};
        int ok = 1;
        sm__box b = box2(1, n);
        dist m = model_dist(&d, &b);
        int k;
        for (mask = 0; mask < (1 << N); mask++) {
            int bits = __builtin_popcount((unsigned)mask), in = __builtin_popcount((unsigned)mask & ((1u << n) - 1));
            if (bits != r) continue;
            count++; occ += in; empty += in == 0; hist[in]++;
        }
        T(NEAR(m.mass, 1, 1e-12));
        T(NEAR(m.mean, occ / count, 1e-12));
        T(NEAR(sm__p_empty(&d, &b), empty / count, 1e-12));
        for (k = 0; k <= n; k++) ok = ok && NEAR(sm__hyper(k, r, n, N), hist[k] / count, 1e-12);
        T(ok);
        trials++;
    }
    T(trials == N);
    {   /* conditional emptiness of a sub-tile of 3 given the tile of 8 holds k: C(8-k,3)/C(8,3) */
        sm__box sub = box2(1, 3);
        T(NEAR(sm__p_empty_given(&d, &sub, 8, 2), 20.0 / 56.0, 1e-12));
        T(sm__p_empty_given(&d, &sub, 8, 6) == 0);
    }
    {   /* a large tensor: the enumeration walks from the mode and keeps the whole mass */
        sm__box b = box2(64, 64);
        dist m;
        d.size = 65536; d.density = 0.73; d.nnz = ceil(0.73 * 65536);
        m = model_dist(&d, &b);
        T(NEAR(m.mass, 1, 1e-9));
        T(NEAR(m.mean, 4096 * d.nnz / d.size, 1e-9));
    }
    T(NEAR(exp(sm__lfact(30)), 2.652528598121910e32, 1e-12));   /* Stirling branch */
    T(NEAR(exp(sm__lfact(20)), 2432902008176640000.0, 1e-15));
}

/* fixed: floor/ceil of d x n with the probabilities that keep the mean */
static void test_fixed(void) {
    sm_density d;
    sm__box b = box2(1, 3), one = box2(1, 1), big = box2(4, 4);
    dist m;
    memset(&d, 0, sizeof d);
    d.kind = SM_DENSITY_FIXED; d.density = 0.43; d.size = 3; d.nnz = 1.29;
    m = model_dist(&d, &b);
    T(NEAR(m.mean, 1.29, 1e-12) && NEAR(m.mass, 1, 1e-12));
    T(sm__p_empty(&d, &b) == 0);
    T(NEAR(sm__p_empty(&d, &one), 0.57, 1e-12));
    d.density = 0.25;
    T(sm__p_empty(&d, &big) == 0 && NEAR(model_dist(&d, &big).mean, 4, 1e-12));
}

/* N:M along rank 1 of a 2 x 8 tensor: all C(4,2)^4 = 1296 placements of 2:4 enumerated, averaged
   over the aligned tiles of each shape */
static void test_nm(void) {
    sm_density d;
    int shapes[][2] = { {1, 1}, {1, 2}, {1, 3}, {1, 4}, {2, 2}, {2, 4}, {1, 8}, {2, 8}, {2, 1} };
    int pat[6] = { 3, 5, 6, 9, 10, 12 }, si;
    memset(&d, 0, sizeof d);
    d.kind = SM_DENSITY_NM; d.n = 2; d.m = 4; d.rank = 1; d.density = 0.5; d.size = 16; d.nnz = 8;
    d.extent[0] = 2; d.extent[1] = 8;
    for (si = 0; si < 9; si++) {
        int h = shapes[si][0], w = shapes[si][1], c0, c1, c2, c3;
        double tiles = 0, empty = 0, occ = 0;
        sm__box b = box2(h, w);
        for (c0 = 0; c0 < 6; c0++) for (c1 = 0; c1 < 6; c1++) for (c2 = 0; c2 < 6; c2++) for (c3 = 0; c3 < 6; c3++) {
            int row[2], r0, cc;
            row[0] = pat[c0] | pat[c1] << 4; row[1] = pat[c2] | pat[c3] << 4;
            for (r0 = 0; r0 < 2; r0 += h)
                for (cc = 0; cc + w <= 8; cc += w) {
                    int k = 0, i, j;
                    for (i = r0; i < r0 + h; i++) for (j = cc; j < cc + w; j++) k += row[i] >> j & 1;
                    tiles++; occ += k; empty += k == 0;
                }
        }
        T(NEAR(model_dist(&d, &b).mean, occ / tiles, 1e-12));
        if (4 % w == 0 || w % 4 == 0) T(NEAR(sm__p_empty(&d, &b), empty / tiles, 1e-12));   /* windows within or across whole blocks */
    }
}

/* banded: |i - j| <= w on a 6 x 6 matrix; the model averages over aligned tile positions */
static void test_banded(void) {
    sm_density d;
    int w, th, tw;
    memset(&d, 0, sizeof d);
    d.kind = SM_DENSITY_BANDED; d.extent[0] = d.extent[1] = 6; d.size = 36;
    for (w = 0; w <= 2; w++) {
        d.band = w;
        for (th = 1; th <= 6; th++) for (tw = 1; tw <= 6; tw++) {
            double tiles = 0, empty = 0, occ = 0;
            int r0, c0, i, j;
            sm__box b = box2(th, tw);
            if (6 % th || 6 % tw) continue;
            for (r0 = 0; r0 < 6; r0 += th) for (c0 = 0; c0 < 6; c0 += tw) {
                int k = 0;
                for (i = r0; i < r0 + th; i++) for (j = c0; j < c0 + tw; j++) k += abs(i - j) <= w;
                tiles++; occ += k; empty += k == 0;
            }
            T(NEAR(model_dist(&d, &b).mean, occ / tiles, 1e-12));
            T(NEAR(sm__p_empty(&d, &b), empty / tiles, 1e-12));
        }
    }
}

/* mask: a seeded random 0/1 file, loaded through the spec; box counts and tile statistics */
static void test_mask(void) {
    FILE *f = fopen("build/test_mask.txt", "w");
    unsigned seed = 12345;
    int m[6][10], i, j, n = 0;
    sm_spec *s;
    const char *spec =
        "[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=6 k=10 n=4\n"
        "[density]\nA = mask test_mask.txt\nB = banded 1\n"
        "[level DRAM]\n[compute mac]\n[mapping]\nDRAM.temporal = m6 k10 n4\n";
    T(f != NULL);
    if (!f) return;
    fprintf(f, "# a 6 x 10 mask\n");
    for (i = 0; i < 6; i++) {
        for (j = 0; j < 10; j++) { seed = seed * 1103515245u + 12345u; m[i][j] = (seed >> 16) % 10 < 3; n += m[i][j]; fprintf(f, "%d ", m[i][j]); }
        fprintf(f, "\n");
    }
    fclose(f);
    {   /* the spec's path is relative to the spec file: load it as if it sat in build/ */
        sm_error e;
        if (sm_spec_load_string(spec, "build/test.ini", NULL, 0, &s, &e) != SM_OK) { printf("load: %s\n", e.text); s = NULL; }
    }
    T(s != NULL);
    if (!s) return;
    T(s->density[0].kind == SM_DENSITY_MASK && NEAR(s->density[0].density, n / 60.0, 1e-12));
    {
        int th, tw;
        for (th = 1; th <= 6; th++) for (tw = 1; tw <= 10; tw++) {
            double tiles = 0, empty = 0, occ = 0;
            int r0, c0;
            sm__box b = box2(th, tw);
            for (r0 = 0; r0 < 6; r0 += th) for (c0 = 0; c0 < 10; c0 += tw) {
                int k = 0;
                double lo[2], e[2];
                for (i = r0; i < r0 + th && i < 6; i++) for (j = c0; j < c0 + tw && j < 10; j++) k += m[i][j];
                lo[0] = r0; lo[1] = c0; e[0] = th; e[1] = tw;
                T(sm__mask_count(&s->density[0], 2, lo, e) == k);
                tiles++; occ += k; empty += k == 0;
            }
            T(NEAR(model_dist(&s->density[0], &b).mean, occ / tiles, 1e-12));
            T(NEAR(sm__p_empty(&s->density[0], &b), empty / tiles, 1e-12));
        }
    }
    {   /* banded 1 on B (10 x 4): the derived density counts the band */
        int cnt = 0;
        for (i = 0; i < 10; i++) for (j = 0; j < 4; j++) cnt += abs(i - j) <= 1;
        T(NEAR(s->density[1].density, cnt / 40.0, 1e-12));
    }
    sm_spec_free(s);
}

/* format units on a hand-worked tile: A 4 x 4 at fixed 0.5 in UOP/CP: 5 offsets, 8 coordinates */
static void test_formats(void) {
    sm_spec *s = load(
        "[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=4 k=4 n=1\n"
        "[density]\nA = fixed 0.5\n"
        "[level DRAM]\nmetadata_word_bits = 4\n[level buf]\n[compute mac]\n"
        "[mapping]\nDRAM.temporal = m4\nbuf.temporal = k4\nbuf.bypass = A\n"
        "[format DRAM]\nA = UOP CP\n");
    sm_stats st;
    sm_error e;
    T(s != NULL);
    if (!s) return;
    if (sm_eval(s, &st, &e) != SM_OK) { printf("eval: %s\n", e.text); failed++; sm_spec_free(s); return; }
    /* A's tile at DRAM is 4 x 4 read once: UOP over m (5 offsets), CP over k (2 per fiber x 4) */
    T(st.level[0].t[0].payload[SM_READ][SM_ACTUAL] == 5);
    T(st.level[0].t[0].metadata[SM_READ][SM_ACTUAL] == 8);
    T(st.level[0].t[0].data[SM_READ][SM_ACTUAL] == 8);
    T(st.level[0].t[0].metadata_words[SM_READ][SM_ACTUAL] == 13);   /* (5 + 8) x 4 bits / 4 */
    sm_spec_free(s);
}

/* dense is density 1: a spec with densities 1 gives the dense numbers */
static void test_dense_special_case(void) {
    const char *base =
        "[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=8 k=8 n=8\n"
        "[level DRAM]\nread_pj = 10\nwrite_pj = 10\n[level buf]\nsize = 200\nread_pj = 1\nwrite_pj = 1\nread_bw = 2\n[compute mac]\nmac_pj = 0.5\n"
        "[mapping]\nDRAM.temporal = n2 m2\nbuf.temporal = k8 n4 m4\n";
    char text[1024];
    sm_spec *a = load(base), *b;
    sm_stats sa, sb;
    sm_error e;
    snprintf(text, sizeof text, "%s[density]\nA = uniform 1\nB = fixed 1\n", base);
    b = load(text);
    T(a && b);
    if (!a || !b) return;
    T(sm_eval(a, &sa, &e) == SM_OK && sm_eval(b, &sb, &e) == SM_OK);
    T(sa.cycles == sb.cycles && sa.energy_pj == sb.energy_pj && sa.computes == sb.compute_class[SM_ACTUAL]);
    T(sa.level[1].t[0].reads == sb.level[1].t[0].data[SM_READ][SM_ACTUAL]);
    sm_spec_free(a); sm_spec_free(b);
}

/* compute classes: 2 operands, A at density 0.25 without metadata, B dense */
static void test_compute_classes(void) {
    double d[2] = { 0.25, 1 }, p[2] = { 0, 0 }, cls[3];
    int md[2] = { 0, 0 }, saf[2] = { 0, 0 };
    sm__compute_classes(2, d, md, saf, p, 0, 0, 16, cls);
    T(cls[SM_ACTUAL] == 16 && cls[SM_GATED] == 0);      /* no compute SAF: all computed */
    sm__compute_classes(2, d, md, saf, p, 1, 0, 16, cls);
    T(cls[SM_ACTUAL] == 4 && cls[SM_GATED] == 12);      /* gate on zero operands */
    md[0] = 1;
    sm__compute_classes(2, d, md, saf, p, 0, 1, 16, cls);
    T(cls[SM_ACTUAL] == 4 && cls[SM_SKIPPED] == 12);    /* A compressed: unaligned computes skipped */
    saf[1] = 1; p[1] = 0.75;                            /* B skipped upstream where A is empty */
    sm__compute_classes(2, d, md, saf, p, 0, 1, 4, cls);
    T(cls[SM_ACTUAL] == 4 && cls[SM_SKIPPED] == 0);
}

int main(void) {
    test_uniform();
    test_fixed();
    test_nm();
    test_banded();
    test_mask();
    test_formats();
    test_dense_special_case();
    test_compute_classes();
    return test_done();
}
