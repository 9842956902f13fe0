/* gen_spec.h: random specs from a byte string, shared by the invariant tests (seeded bytes) and
   the structured fuzz target (fuzzer bytes). gen_spec writes an INI spec: an einsum from a few
   templates, small bounds, 1-4 storage levels with instances and meshes, a mapping that splits
   every bound over the levels (temporal, spatial X/Y), random keep/bypass, bandwidths, energies,
   and, when `sparse` is set, densities, formats and SAFs. Most specs are valid; some are not on
   purpose (capacity, fanout), which the callers handle. */
#ifndef GEN_SPEC_H
#define GEN_SPEC_H
#include <stdio.h>
#include <string.h>

typedef struct gen_bytes { const unsigned char *d; size_t n, at; } gen_bytes;
static unsigned gen_u(gen_bytes *b, unsigned range) {   /* 0 .. range-1 from the next bytes */
    unsigned v = 0;
    int i;
    if (range <= 1) return 0;
    for (i = 0; i < 2; i++) v = v << 8 | (b->at < b->n ? b->d[b->at++] : 0x5a);
    return v % range;
}

typedef struct gen_tpl { const char *einsum; const char *dims[7]; int ndims; const char *tensors[3]; int ranks[3]; const char *nmdim[3]; } gen_tpl;
static const gen_tpl gen_templates[] = {
    { "Z[m,n] += A[m,k] * B[k,n]", { "m", "n", "k" }, 3, { "A", "B", "Z" }, { 2, 2, 2 }, { "k", "k", "n" } },
    { "O[m,q] += W[m,s] * I[s+q]", { "m", "q", "s" }, 3, { "W", "I", "O" }, { 2, 1, 2 }, { "s", "", "q" } },
    { "O[n,m,p,q] += W[m,c,r,s] * I[n,c,2*p+r,2*q+s]", { "n", "m", "c", "p", "q", "r", "s" }, 7, { "W", "I", "O" }, { 4, 4, 4 }, { "c", "c", "m" } },
    { "Z[m] += A[m,k] * B[k]", { "m", "k" }, 2, { "A", "B", "Z" }, { 2, 1, 1 }, { "k", "k", "m" } },
    { "Z[b,m,n] += A[b,m,k] * B[b,k,n]", { "b", "m", "n", "k" }, 4, { "A", "B", "Z" }, { 3, 3, 3 }, { "k", "n", "n" } },
};

/* Returns the number of characters written (0 when it did not fit). Every gen_u call is its own
   statement: argument evaluation order differs between compilers, and the fuzzer's crash inputs
   must give the same spec in every build. */
static size_t gen_spec(gen_bytes *b, int sparse, char *out, size_t cap) {
    const gen_tpl *t = &gen_templates[gen_u(b, sizeof gen_templates / sizeof gen_templates[0])];
    int L = 1 + (int)gen_u(b, 4), l, d, i;
    long bound[7], inst[5], meshx[5];
    long fx[4][7], fy[4][7], ft[4][7];   /* factors per level */
    size_t n = 0;
    char line[512];
#define GEN_PUT(...) do { int k_ = snprintf(line, sizeof line, __VA_ARGS__); if (k_ < 0 || n + (size_t)k_ >= cap) return 0; memcpy(out + n, line, (size_t)k_ + 1); n += (size_t)k_; } while (0)
    GEN_PUT("[problem]\nname = gen\neinsum = %s\nbounds =", t->einsum);
    for (d = 0; d < t->ndims; d++) { static const long pick[] = { 1, 2, 3, 4, 5, 6, 8, 9, 12, 16 }; bound[d] = pick[gen_u(b, 10)]; GEN_PUT(" %s=%ld", t->dims[d], bound[d]); }
    GEN_PUT("\nword_bits = %d\n[arch]\nname = gen\n", 8 << gen_u(b, 2));
    inst[0] = 1; meshx[0] = 1;
    for (l = 1; l <= L; l++) {   /* level l-1's fanout to level l (L = compute) */
        long fan = 1 + (long)gen_u(b, 4), mx = 1 + (long)gen_u(b, 2);
        if (mx > fan) mx = fan;
        if (gen_u(b, 3) == 0) fan = mx = 1;
        inst[l] = inst[l - 1] * fan * mx;   /* X fanout mx, Y fanout fan */
        meshx[l] = meshx[l - 1] * mx;
    }
    for (l = 0; l < L; l++) for (d = 0; d < t->ndims; d++) fx[l][d] = fy[l][d] = ft[l][d] = 1;
    for (d = 0; d < t->ndims; d++) {   /* split each bound's prime factors over the levels */
        long rest = bound[d], p;
        for (p = 2; rest > 1; p++)
            while (rest % p == 0) {
                int lv = (int)gen_u(b, (unsigned)L), kind = (int)gen_u(b, 4), e;
                long fanx = meshx[lv + 1] / meshx[lv], fany = inst[lv + 1] / inst[lv] / fanx, px = 1, py = 1;
                for (e = 0; e < t->ndims; e++) { px *= fx[lv][e]; py *= fy[lv][e]; }
                rest /= p;
                if (kind == 1 && px * p <= fanx) fx[lv][d] *= p;   /* spatial only within the fanout */
                else if (kind == 2 && py * p <= fany) fy[lv][d] *= p;
                else ft[lv][d] *= p;
            }
    }
    for (l = 0; l < L; l++) {
        GEN_PUT("[level L%d]\n", l);
        if (l > 0 && gen_u(b, 3)) GEN_PUT("size = %u\n", 4 + gen_u(b, 4000));
        GEN_PUT("instances = %ld\nmesh_x = %ld\n", inst[l], meshx[l]);
        if (gen_u(b, 2)) GEN_PUT("block_words = %d\n", 1 << gen_u(b, 3));
        if (gen_u(b, 3) == 0) { unsigned r1 = 1 + gen_u(b, 8), w1 = 1 + gen_u(b, 8); GEN_PUT("read_bw = %u\nwrite_bw = %u\n", r1, w1); }
        if (gen_u(b, 4) == 0) GEN_PUT("shared_bw = %u\n", 1 + gen_u(b, 8));
        if (gen_u(b, 3) == 0) GEN_PUT("cluster_size = %d\n", 1 << gen_u(b, 2));
        { unsigned a1 = gen_u(b, 50), a2 = gen_u(b, 10), a3 = gen_u(b, 50), a4 = gen_u(b, 10); GEN_PUT("read_pj = %u.%u\nwrite_pj = %u\nleak_pj = 0.0%u\n", a1, a2, a3, a4); }
        if (sparse && gen_u(b, 2)) {
            { int m1 = 1 << gen_u(b, 6); unsigned m2 = gen_u(b, 5), m3 = gen_u(b, 10); GEN_PUT("metadata_word_bits = %d\nmetadata_read_pj = %u\ngated_read_pj = 0.%u\n", m1, m2, m3); }
            if (gen_u(b, 2)) GEN_PUT("decompression = 1\ncompression = 1\ndecompression_pj = 0.1\n");
        }
    }
    { unsigned c1 = 1 + gen_u(b, 9), c2 = gen_u(b, 9); GEN_PUT("[compute mac]\ninstances = %ld\nmesh_x = %ld\nmac_pj = 0.%u\ngated_pj = 0.0%u\n[mapping]\n", inst[L], meshx[L], c1, c2); }
    for (l = 0; l < L; l++) {
        const char *kinds[3] = { "temporal", "spatial_x", "spatial_y" };
        long (*f[3])[7];
        int k;
        f[0] = ft; f[1] = fx; f[2] = fy;
        for (k = 0; k < 3; k++) {
            int any = 0, start = (int)gen_u(b, (unsigned)t->ndims);
            for (i = 0; i < t->ndims; i++) {
                d = (start + i) % t->ndims;
                if (f[k][l][d] == 1) continue;
                if (!any) GEN_PUT("L%d.%s =", l, kinds[k]);
                GEN_PUT(" %s%ld", t->dims[d], f[k][l][d]);
                any = 1;
            }
            if (any) GEN_PUT("\n");
        }
        if (l > 0 && gen_u(b, 2)) {   /* bypass some tensors below the outermost level */
            int any = 0;
            for (i = 0; i < 3; i++) if (gen_u(b, 3) == 0) { if (!any) GEN_PUT("L%d.bypass =", l); GEN_PUT(" %s", t->tensors[i]); any = 1; }
            if (any) GEN_PUT("\n");
        }
    }
    if (sparse) {
        GEN_PUT("[density]\n");
        for (i = 0; i < 3; i++) {
            unsigned kind = gen_u(b, 6);
            if (kind == 0) GEN_PUT("%s = uniform 0.%u\n", t->tensors[i], gen_u(b, 100));
            else if (kind == 1) GEN_PUT("%s = fixed 0.%u\n", t->tensors[i], gen_u(b, 100));
            else if (kind == 2 && t->nmdim[i][0]) GEN_PUT("%s = nm %u:4 %s\n", t->tensors[i], gen_u(b, 5), t->nmdim[i]);
            else if (kind == 3 && t->ranks[i] == 2) GEN_PUT("%s = banded %u\n", t->tensors[i], gen_u(b, 3));
            else if (kind == 4) GEN_PUT("%s = uniform 1\n", t->tensors[i]);
        }
        for (l = 0; l < L; l++)
            for (i = 0; i < 3; i++)
                if (gen_u(b, 3) == 0) {
                    static const char *const fk[] = { "UOP", "CP", "RLE", "B", "UB", "U" };
                    int r, nr = 1 + (int)gen_u(b, 4);
                    GEN_PUT("[format L%d]\n%s =", l, t->tensors[i]);
                    for (r = 0; r < nr; r++) {
                        GEN_PUT(" %s", fk[gen_u(b, 6)]);
                        if (gen_u(b, 4) == 0) GEN_PUT("(%s)", t->dims[gen_u(b, (unsigned)t->ndims)]);
                        if (gen_u(b, 2)) { unsigned w1 = gen_u(b, 9), w2 = gen_u(b, 9); GEN_PUT(":%u:%u", w1, w2); }
                    }
                    GEN_PUT("\n");
                    if (gen_u(b, 3) == 0) GEN_PUT("%s.order = inner_to_outer\n", t->tensors[i]);
                }
        GEN_PUT("[saf]\n");
        for (i = 0; i < (int)gen_u(b, 4); i++) {
            static const char *const sk[] = { "gate", "skip", "skip_spatial" };
            unsigned q1 = gen_u(b, (unsigned)L), q2 = gen_u(b, 3), q3 = gen_u(b, 3), q4 = gen_u(b, 2);
            GEN_PUT("L%u.%s.%s = %s\n", q1, sk[q2], t->tensors[q3], t->tensors[q4]);
        }
        if (gen_u(b, 3) == 0) GEN_PUT("mac.%s = %s %s\n", gen_u(b, 2) ? "gate" : "skip", t->tensors[0], t->tensors[1]);
    }
#undef GEN_PUT
    return n;
}
#endif
