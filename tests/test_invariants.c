/* Invariants over many random (problem, architecture, mapping) triples from a seeded generator
   (tests/gen_spec.h), dense and sparse: conservation of words between levels, every element read
   at least once, density 1 equals dense, sparser never computes more, a bigger buffer never
   changes the counts of the same mapping, cycles >= computes / MACs, and the sparse accounting
   identities. Also: overflow is an error and never a wrapped number, and evaluation is
   bit-identical across runs and threads. */
#define _POSIX_C_SOURCE 200809L
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#define T_PRINT_LIMIT 19   /* thousands of random cases: the first failures tell enough */
#include "test_common.h"
#include "gen_spec.h"
#include <pthread.h>

static unsigned long long rng = 88172645463325252ull;
static unsigned rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (unsigned)(rng >> 16); }

static sm_spec *gen(int sparse, char *text, size_t cap) {
    unsigned char bytes[600];
    gen_bytes b;
    sm_spec *s;
    sm_error e;
    size_t i;
    for (i = 0; i < sizeof bytes; i++) bytes[i] = (unsigned char)rnd();
    b.d = bytes; b.n = sizeof bytes; b.at = 0;
    if (!gen_spec(&b, sparse, text, cap)) return NULL;
    if (sm_spec_load_string(text, "gen.ini", NULL, 0, &s, &e) != SM_OK) return NULL;
    return s;
}

static int same_counts(const sm_stats *a, const sm_stats *b) {
    int l, t;
    if (a->cycles != b->cycles || a->computes != b->computes) return 0;
    for (l = 0; l < a->nlevels; l++)
        for (t = 0; t < a->ntensors; t++)
            if (a->level[l].t[t].reads != b->level[l].t[t].reads || a->level[l].t[t].fills != b->level[l].t[t].fills ||
                a->level[l].t[t].updates != b->level[l].t[t].updates) return 0;
    return 1;
}

static void dense_invariants(int cases) {
    int done = 0, tries = 0;
    while (done < cases && tries < cases * 20) {
        char text[8192], more[8400];
        sm_spec *s = gen(0, text, sizeof text), *big = NULL, *d1 = NULL;
        sm_stats st, sb, sd;
        sm_error e;
        int l, t, i, ok = 1;
        tries++;
        if (!s) continue;
        if (sm_eval(s, &st, &e) != SM_OK) { sm_spec_free(s); continue; }
        done++;
        /* cycles >= computes per MAC, utilization in (0, 1] */
        T(st.cycles * (double)(s->compute.instances ? s->compute.instances : 1) >= st.computes - 1e-6);
        T(st.utilization > 0 && st.utilization <= 1 + 1e-12);
        for (t = 0; t < s->problem.ntensors; t++) {
            const sm_tensor *ten = &s->problem.tensors[t];
            int outer = -1, prev = -1;
            for (l = 0; l < s->nlevels; l++) {
                const sm_access *a = &st.level[l].t[t];
                if (!(st.level[l].kept >> t & 1)) continue;
                ok &= a->reads >= 0 && a->fills >= 0 && a->updates >= 0;
                if (outer < 0) outer = l;
                if (prev >= 0 && !ten->is_output) {   /* what a level fills is what its parent read, after multicast */
                    double mc = 1;
                    unsigned dims = 0;
                    int r, k;
                    for (r = 0; r < ten->nranks; r++) for (k = 0; k < ten->ranks[r].nterms; k++) dims |= 1u << ten->ranks[r].terms[k].dim;
                    for (i = prev; i < l; i++) {
                        const sm_loop_list *ls[2];
                        int j, q;
                        ls[0] = &s->map[i].spatial_x; ls[1] = &s->map[i].spatial_y;
                        for (q = 0; q < 2; q++) for (j = 0; j < ls[q]->n; j++) if (!(dims >> ls[q]->loops[j].dim & 1u)) mc *= (double)ls[q]->loops[j].factor;
                    }
                    T(fabs(a->fills - st.level[prev].t[t].reads * mc) <= 1e-9 * fmax(1, a->fills));
                }
                prev = l;
            }
            if (outer >= 0 && !ten->is_output) {   /* every element of the tensor is read at least once */
                double ext[SM_MAX_DIMS];
                int d;
                for (d = 0; d < s->problem.ndims; d++) ext[d] = (double)s->problem.bounds[d];
                T(st.level[outer].t[t].reads >= sm__tile_size(ten, ext, NULL));
            }
        }
        T(ok);
        /* a bigger buffer changes nothing for the same mapping */
        snprintf(more, sizeof more, "%s", text);
        if ((big = NULL, 1)) {
            sm_spec copy = *s;
            for (l = 0; l < copy.nlevels; l++) if (copy.levels[l].size > 0) copy.levels[l].size *= 2;
            T(sm_eval(&copy, &sb, &e) == SM_OK && same_counts(&st, &sb) && sb.energy_pj == st.energy_pj);
        }
        /* density 1 is dense */
        snprintf(more, sizeof more, "%s[density]\n%s = uniform 1\n%s = fixed 1\n", text, s->problem.tensors[0].name, s->problem.tensors[1].name);
        if (sm_spec_load_string(more, "d1.ini", NULL, 0, &d1, &e) == SM_OK) {
            T(sm_eval(d1, &sd, &e) == SM_OK && same_counts(&st, &sd) && fabs(sd.energy_pj - st.energy_pj) <= 1e-9 * st.energy_pj &&
              sd.compute_class[SM_ACTUAL] == st.computes);
            sm_spec_free(d1);
        } else T(0);
        sm_spec_free(s);
        (void)big;
    }
    T(done == cases);
    printf("invariants: %d dense cases (%d generated)\n", done, tries);
}

static void sparse_invariants(int cases) {
    int done = 0, tries = 0;
    while (done < cases && tries < cases * 20) {
        char text[8192], more[8600];
        sm_spec *s = gen(1, text, sizeof text);
        sm_stats st;
        sm_error e;
        int l, t, a, ok = 1;
        tries++;
        if (!s) continue;
        if (sm_eval(s, &st, &e) != SM_OK) { sm_spec_free(s); continue; }
        done++;
        for (l = 0; l < s->nlevels; l++)
            for (t = 0; t < s->problem.ntensors; t++) {
                const sm_access *ac = &st.level[l].t[t];
                if (!(st.level[l].kept >> t & 1)) continue;
                for (a = 0; a < 3; a++) {   /* algorithmic = actual + gated + skipped + removed by compression */
                    double alg = a == SM_READ ? ac->reads : a == SM_FILL ? ac->fills : ac->updates;
                    double sum = ac->data[a][SM_ACTUAL] + ac->data[a][SM_GATED] + ac->data[a][SM_SKIPPED];
                    ok &= ac->data[a][SM_ACTUAL] >= -1e-9 && ac->data[a][SM_GATED] >= 0 && ac->data[a][SM_SKIPPED] >= 0;
                    ok &= sum <= alg * (1 + 1e-9) + 1e-9;
                }
                ok &= ac->instances <= ac->max_instances + 1e-9 && ac->occupancy <= ac->tile + 1e-9;
            }
        T(ok);
        if (!ok && getenv("SM_DUMP")) { FILE *f = fopen("build/inv_fail.ini", "w"); if (f) { fputs(text, f); fclose(f); } }
        T(st.compute_class[SM_ACTUAL] + st.compute_class[SM_GATED] + st.compute_class[SM_SKIPPED] <= st.computes + 1e-6);
        T(st.compute_class[SM_ACTUAL] >= 0 && isfinite(st.cycles) && st.cycles >= 0 && (st.cycles >= 1 || st.compute_class[SM_ACTUAL] == 0));
        T(isfinite(st.energy_pj) && st.energy_pj >= 0);
        T(st.utilization >= 0 && st.utilization <= 1 + 1e-9);
        {   /* sparser operands never give more effectual computes (gating on zero operands) */
            sm_spec *x, *y;
            sm_stats sx, sy;
            const char *A = s->problem.tensors[0].name, *B = s->problem.tensors[1].name;
            unsigned p = 1 + rnd() % 98, q = 1 + rnd() % p;
            snprintf(more, sizeof more, "%s[density]\n%s = uniform 0.%02u\n%s = uniform 0.%02u\n[saf]\nmac.gate = %s %s\n", text, A, p, B, p, A, B);
            if (sm_spec_load_string(more, "x.ini", NULL, 0, &x, &e) == SM_OK) {
                snprintf(more, sizeof more, "%s[density]\n%s = uniform 0.%02u\n%s = uniform 0.%02u\n[saf]\nmac.gate = %s %s\n", text, A, q, B, q, A, B);
                if (sm_spec_load_string(more, "y.ini", NULL, 0, &y, &e) == SM_OK) {
                    if (sm_eval(x, &sx, &e) == SM_OK && sm_eval(y, &sy, &e) == SM_OK) {
                        /* up to 3 computes of slack: Sparseloop floors the gated, skipped and absent
                           classes separately and gives the remainders to the actual ones */
                        T(sy.compute_class[SM_ACTUAL] <= sx.compute_class[SM_ACTUAL] + 3);
                        if (sy.compute_class[SM_ACTUAL] > sx.compute_class[SM_ACTUAL] + 3 && getenv("SM_DUMP")) {
                            FILE *f = fopen("build/inv_mono.ini", "w");
                            if (f) { fprintf(f, "; p=%u q=%u\n%s", p, q, more); fclose(f); }
                        }
                    }
                    sm_spec_free(y);
                }
                sm_spec_free(x);
            }
        }
        sm_spec_free(s);
    }
    T(done == cases);
    printf("invariants: %d sparse cases (%d generated)\n", done, tries);
}

/* Overflow: huge problems are refused with an error, never wrapped. */
static void overflow(void) {
    sm_spec *s;
    sm_stats st;
    sm_error e;
    const char *big =
        "[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=1000000 n=1000000 k=1000000\n"
        "[level DRAM]\n[compute mac]\n[mapping]\nDRAM.temporal = m1000000 n1000000 k1000000\n";
    const char *mid =   /* 2^52 computes: held exactly; a sparse density on it */
        "[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=1048576 n=1048576 k=4096\n"
        "[density]\nA = uniform 0.001\nB = fixed 0.5\n[level DRAM]\n[level buf]\n[compute mac]\n"
        "[mapping]\nDRAM.temporal = m1048576 n1048576\nbuf.temporal = k4096\nbuf.bypass = A\n[format DRAM]\nA = UOP CP\n[level DRAM]\nmetadata_word_bits = 8\n";
    T(sm_spec_load_string(big, "big.ini", NULL, 0, &s, &e) == SM_OK);
    if (s) { T(sm_eval(s, &st, &e) == SM_ERR_OVERFLOW); sm_spec_free(s); }
    T(sm_spec_load_string(mid, "mid.ini", NULL, 0, &s, &e) == SM_OK);
    if (s) {
        sm_result r = sm_eval(s, &st, &e);
        T(r == SM_OK || r == SM_ERR_OVERFLOW);
        if (r == SM_OK) T(st.computes == 4503599627370496.0 && st.compute_class[SM_ACTUAL] >= 0 && st.compute_class[SM_ACTUAL] <= st.computes && isfinite(st.energy_pj));
        sm_spec_free(s);
    }
}

/* Determinism: the same spec evaluated on several threads at once gives bit-identical stats. */
typedef struct job { const sm_spec *s; sm_stats st; sm_result r; } job;
static void *run_job(void *v) {
    job *j = (job *)v;
    sm_error e;
    int i;
    for (i = 0; i < 50; i++) j->r = sm_eval(j->s, &j->st, &e);
    return NULL;
}
static void determinism(void) {
    static const char *cases[] = { "tests/ref/eyerissv2_pe_L07/case.ini", "tests/ref/04.2.1-eyeriss-like-gating/case.ini", "tests/ref/sparse_tensor_core_like/case.ini", "specs/simba_like.ini" };
    size_t c;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        sm_spec *s;
        sm_error e;
        static job jobs[4];
        pthread_t th[4];
        sm_stats one;
        int i;
        if (sm_spec_load_file(cases[c], NULL, 0, &s, &e) != SM_OK) { T(0); continue; }
        T(sm_eval(s, &one, &e) == SM_OK);
        for (i = 0; i < 4; i++) { jobs[i].s = s; pthread_create(&th[i], NULL, run_job, &jobs[i]); }
        for (i = 0; i < 4; i++) pthread_join(th[i], NULL);
        for (i = 0; i < 4; i++) T(jobs[i].r == SM_OK && memcmp(&jobs[i].st, &one, offsetof(sm_stats, level) + sizeof one.level[0] * (size_t)s->nlevels) == 0);
        sm_spec_free(s);
    }
}

/* Fuzzer findings, kept as specs in tests/regress/: each must evaluate (or fail cleanly) to
   finite, non-negative numbers. */
static void regressions(void) {
    static const char *files[] = { "tests/regress/nan_spatial_zero.ini", "tests/regress/nan_no_macs.ini" };
    size_t i;
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        sm_spec *s;
        sm_stats st;
        sm_error e;
        int l, t, a, c, ok = 1;
        if (sm_spec_load_file(files[i], NULL, 0, &s, &e) != SM_OK) { printf("%s\n", e.text); T(0); continue; }
        if (sm_eval(s, &st, &e) == SM_OK) {
            ok = isfinite(st.cycles) && isfinite(st.energy_pj) && st.energy_pj >= 0 && st.utilization >= 0 && st.utilization <= 1;
            for (l = 0; l < st.nlevels; l++)
                for (t = 0; t < st.ntensors; t++) {
                    ok = ok && isfinite(st.level[l].t[t].energy_pj) && isfinite(st.level[l].t[t].instances) && isfinite(st.level[l].t[t].max_instances);
                    for (a = 0; a < 3; a++) for (c = 0; c < 3; c++) ok = ok && st.level[l].t[t].data[a][c] >= 0;
                }
        }
        T(ok);
        sm_spec_free(s);
    }
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 5000;
    dense_invariants(n);
    sparse_invariants(n);
    overflow();
    determinism();
    regressions();
    return test_done();
}
