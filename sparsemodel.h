/* sparsemodel.h v0.1.0 -- analytic models of dense and sparse DNN accelerators, in one C99 header.

   QUICK START
     In exactly one C file:
         #define SPARSEMODEL_IMPLEMENTATION
         #include "sparsemodel.h"
     elsewhere just #include "sparsemodel.h". The implementation needs two system headers:
     <stb_ds.h> (Debian libstb-dev, include path /usr/include/stb) and <ini.h> (libinih-dev, link -linih).

         sm_spec *spec; sm_stats st; sm_error err;
         if (sm_spec_load_file("specs/eyeriss_like.ini", NULL, 0, &spec, &err) != SM_OK ||
             sm_eval(spec, &st, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; }
         printf("%.0f cycles, %.2f pJ\n", st.cycles, st.energy_pj);
         sm_spec_free(spec);

   CALL ORDER
     sm_spec_load_file / sm_spec_load_string  INI -> sm_spec (allocates; sm_spec_free)
     sm_eval                                  sm_spec -> sm_stats (validates; never allocates; reentrant)
     sm_report_tsv / _text / _json            sm_stats -> FILE*
     A spec can also be filled in by hand: every field left zero takes its documented default.

   MODEL (Timeloop's dense semantics; see README.md for the full statement)
     The mapping is a loop nest. At each storage level: temporal loops (outer first) enclose
     spatial_y loops, which enclose spatial_x loops. The tile of tensor T held at level L is the
     projection (through the einsum's index expressions) of all loops at L and below.
     - fills(L,T): per instance, the first tile plus, each time a temporal loop above L advances,
       the words of the new tile that were not in the previous one (halos are reused).
     - reads(L,T): what L delivers to the nearest inner level that keeps T (or to the MACs, one
       operand per compute); a spatial loop whose dim does not index T multicasts (one read).
     - read-write tensor: updates(L) = write-backs from below after spatial reduction;
       reads(L) = updates - partition (first-read elision); fills(L) = deliveries - partition.
     - cycles: computes per utilized MAC, throttled per level by read/write/shared bandwidth.
     - energy: per instance and action, ceil(count / block_words) vector accesses x block energy,
       divided by utilized instances per utilized cluster; leakage on utilized instances.

   TABLE OF CONTENTS (grep '\[@' sparsemodel.h; each tag has a declaration and an .impl half)
     @base      limits, result codes, errors, locations
     @workload  einsum, dims, tensors (sm_problem)
     @arch      storage levels and compute (sm_level, sm_compute)
     @mapping   loop nest and keep/bypass (sm_level_map)
     @spec      the whole evaluation and the INI loader (sm_spec, sm_spec_load_*)
     @nest      nest analysis: tiles, fills, reads, updates (internal)
     @eval      validation, timing, energy (sm_eval, sm_stats)
     @report    text, TSV and JSON writers

   CONFIGURATION MACROS
     SPARSEMODEL_IMPLEMENTATION   compile the implementation in this translation unit
     SPARSEMODEL_STATIC           make every function static
     SM_NO_STB_DS_IMPLEMENTATION  stb_ds is compiled elsewhere in the program
     SM_MAX_*                     fixed capacities below (ABI-affecting: same value in every TU)

   LICENSE: MIT (end of file).
*/
#ifndef SPARSEMODEL_H
#define SPARSEMODEL_H

#include <stdio.h>

#define SM_VERSION_MAJOR 0
#define SM_VERSION_MINOR 1
#define SM_VERSION_PATCH 0
#define SM_SPEC_VERSION 1

#ifdef SPARSEMODEL_STATIC
#define SMDEF static
#else
#define SMDEF extern
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*=== [@base] LIMITS, RESULT CODES, ERRORS ======================================================*/
#ifndef SM_MAX_DIMS
#define SM_MAX_DIMS 16     /* dims of one einsum */
#endif
#ifndef SM_MAX_TENSORS
#define SM_MAX_TENSORS 8   /* tensors of one einsum (one output) */
#endif
#ifndef SM_MAX_RANKS
#define SM_MAX_RANKS 8     /* index positions of one tensor */
#endif
#ifndef SM_MAX_TERMS
#define SM_MAX_TERMS 4     /* coef*dim terms of one index expression */
#endif
#ifndef SM_MAX_LEVELS
#define SM_MAX_LEVELS 16   /* storage levels, outermost first */
#endif
#ifndef SM_MAX_LOOPS
#define SM_MAX_LOOPS 16    /* loops of one kind at one level */
#endif
#define SM_NAME_LEN 48
#define SM_PATH_LEN 256
#define SM_ERROR_LEN 1200

/* Result codes with their one-line meaning, from one X-macro. */
#define SM__RESULTS(X) \
    X(SM_OK,              "ok") \
    X(SM_ERR_IO,          "cannot read file") \
    X(SM_ERR_SYNTAX,      "INI syntax error") \
    X(SM_ERR_UNKNOWN,     "unknown section or key") \
    X(SM_ERR_VALUE,       "bad value") \
    X(SM_ERR_EINSUM,      "bad einsum") \
    X(SM_ERR_MAPPING,     "invalid mapping") \
    X(SM_ERR_CAPACITY,    "tile exceeds capacity") \
    X(SM_ERR_FANOUT,      "spatial loops exceed fanout") \
    X(SM_ERR_OVERFLOW,    "count overflows exact arithmetic") \
    X(SM_ERR_LIMIT,       "fixed capacity exceeded") \
    X(SM_ERR_UNSUPPORTED, "not supported by this version")
#define SM__ENUM(c, m) c,
typedef enum sm_result { SM__RESULTS(SM__ENUM) SM_RESULT_COUNT } sm_result;
#undef SM__ENUM

/* Where a key was written: file and 1-based line (line 0: no line, e.g. set in C). */
typedef struct sm_loc { char file[SM_PATH_LEN]; int line; } sm_loc;

/* An error as a value: code, location and the full message "file:line: error: ...". */
typedef struct sm_error { sm_result code; sm_loc where; char text[SM_ERROR_LEN]; } sm_error;

SMDEF const char *sm_result_string(sm_result r);
SMDEF const char *sm_version_string(void);

/*=== [@workload] EINSUM ========================================================================*/
/* One index position of a tensor: sum of coef*dim (coef >= 1). */
typedef struct sm_term { int dim; long coef; } sm_term;
typedef struct sm_rank { int nterms; sm_term terms[SM_MAX_TERMS]; } sm_rank;
typedef struct sm_tensor {
    char name[SM_NAME_LEN];
    int nranks;
    sm_rank ranks[SM_MAX_RANKS];
    int is_output;                 /* the left side: read-write (partial sums) */
} sm_tensor;

/* The workload. Tensors: right-hand operands in einsum order, then the output (last).
   Defaults: word_bits 0 -> 16. bounds[d] >= 1. */
typedef struct sm_problem {
    char name[SM_NAME_LEN];
    int ndims;
    char dims[SM_MAX_DIMS][SM_NAME_LEN];
    long bounds[SM_MAX_DIMS];
    int ntensors;
    sm_tensor tensors[SM_MAX_TENSORS];
    int word_bits;
    sm_loc einsum_loc, bounds_loc;
} sm_problem;

/* Parse "Z[m,n] += A[m,k] * B[k,n]" into p (dims and tensors; bounds untouched). */
SMDEF sm_result sm_einsum_parse(const char *text, sm_problem *p, const sm_loc *where, sm_error *err);
SMDEF int sm_problem_dim(const sm_problem *p, const char *name);     /* index or -1 */
SMDEF int sm_problem_tensor(const sm_problem *p, const char *name);  /* index or -1 */

/*=== [@arch] STORAGE LEVELS AND COMPUTE ========================================================*/
/* A storage level; levels are listed outermost first.
   Units: size and bandwidth in words (of word_bits), energy pJ per word, area um^2 per instance.
   Defaults: size 0 = unbounded; instances 0 -> 1; mesh_x 0 -> instances; word_bits 0 -> the
   problem's; block_words 0 -> 1; read_bw/write_bw/shared_bw 0 = unlimited; multiple_buffering
   0 -> 1; update_pj 0 -> write_pj; cluster_size 0 -> 1.
   A level with size 0 and no energies that keeps nothing is a pure spatial stage. */
typedef struct sm_level {
    char name[SM_NAME_LEN];
    double size;
    long instances, mesh_x;
    int word_bits;
    long block_words, cluster_size;
    double read_bw, write_bw, shared_bw;
    double multiple_buffering;
    double read_pj, write_pj, update_pj, leak_pj;
    double area_um2;
    sm_loc loc;
} sm_level;

/* The compute level (MACs). Defaults: instances 0 -> 1; mesh_x 0 -> instances. */
typedef struct sm_compute {
    char name[SM_NAME_LEN];
    long instances, mesh_x;
    double mac_pj, area_um2;
    sm_loc loc;
} sm_compute;

/*=== [@mapping] LOOP NEST AND BYPASS ===========================================================*/
typedef struct sm_loop { int dim; long factor; } sm_loop;
typedef struct sm_loop_list { int n; sm_loop loops[SM_MAX_LOOPS]; sm_loc loc; } sm_loop_list;
/* The mapping of one level: loops outermost first; bypass is a bit mask over tensors (0 = keep
   every tensor, the default). */
typedef struct sm_level_map {
    sm_loop_list temporal, spatial_x, spatial_y;
    unsigned bypass;
    sm_loc keep_loc;
} sm_level_map;

/*=== [@spec] EVALUATION SPEC AND INI LOADER ====================================================*/
typedef struct sm_spec {
    char path[SM_PATH_LEN];
    sm_problem problem;
    char arch_name[SM_NAME_LEN];
    double clock_ghz;              /* 0 -> 1 */
    int nlevels;
    sm_level levels[SM_MAX_LEVELS];
    sm_level_map map[SM_MAX_LEVELS];
    sm_compute compute;
    sm_loc mapping_loc;
} sm_spec;

/* Load an INI spec. sets: "section.key=value" overrides applied after the files (a level
   section is written "level NAME.key=value"). *out is allocated; free with sm_spec_free. */
SMDEF sm_result sm_spec_load_file(const char *path, const char *const *sets, int nsets,
                                  sm_spec **out, sm_error *err);
/* Same from a string; name is used in messages. Includes resolve relative to the cwd. */
SMDEF sm_result sm_spec_load_string(const char *text, const char *name, const char *const *sets,
                                    int nsets, sm_spec **out, sm_error *err);
SMDEF void sm_spec_free(sm_spec *spec);

/*=== [@eval] VALIDATION, TIMING, ENERGY ========================================================*/
/* Per level and tensor, totals over utilized instances. */
typedef struct sm_access {
    double reads, fills, updates;
    double tile;                   /* words of the tile held by one instance */
    double partition;              /* words one instance ever holds */
    double energy_pj;              /* this tensor's share of the level energy (no leakage) */
} sm_access;

typedef struct sm_level_stats {
    unsigned kept;                 /* bit mask of tensors kept */
    int is_spatial;                /* pure spatial stage: no rows in the report */
    double utilized_instances;
    sm_access t[SM_MAX_TENSORS];
    double read_per_cycle, write_per_cycle;   /* per instance, before throttling */
    double slowdown;               /* 1 = not bandwidth bound */
    double cycles, leak_pj, energy_pj, area_um2;
} sm_level_stats;

typedef struct sm_stats {
    int nlevels, ntensors;
    double utilized_macs;
    double computes, compute_cycles, compute_energy_pj, compute_area_um2;
    double cycles, utilization, energy_pj, area_um2;
    sm_level_stats level[SM_MAX_LEVELS];   /* last, so sm_eval clears only the levels in use */
} sm_stats;

/* Validate the mapping against the architecture and evaluate it. No allocation. */
SMDEF sm_result sm_eval(const sm_spec *spec, sm_stats *out, sm_error *err);

/*=== [@report] TEXT, TSV AND JSON ==============================================================*/
/* TSV: level<TAB>tensor<TAB>metric<TAB>value rows in the order of SPEC-FORMAT "Outputs". */
SMDEF void sm_report_tsv(FILE *f, const sm_spec *spec, const sm_stats *st);
SMDEF void sm_report_text(FILE *f, const sm_spec *spec, const sm_stats *st);
SMDEF void sm_report_json(FILE *f, const sm_spec *spec, const sm_stats *st);

#ifdef __cplusplus
}
#endif
#endif /* SPARSEMODEL_H */

/*###############################################################################################*/
#if defined(__INTELLISENSE__) || defined(__JETBRAINS_IDE__)
#define SPARSEMODEL_IMPLEMENTATION
#endif
#ifdef SPARSEMODEL_IMPLEMENTATION
#ifndef SM__IMPLEMENTATION_INCLUDED
#define SM__IMPLEMENTATION_INCLUDED

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define STBDS_NO_SHORT_NAMES
#ifndef SM_NO_STB_DS_IMPLEMENTATION
#define STB_DS_IMPLEMENTATION
#endif
#include <stb_ds.h>
#include <ini.h>

#ifdef SPARSEMODEL_STATIC
#define SMAPI static
#else
#define SMAPI
#endif

/*=== [@base.impl] ==============================================================================*/
/* Largest count a double holds exactly; counts beyond it are reported as overflow. */
#define SM__EXACT 9007199254740992.0

static void sm__copy(char *dst, size_t cap, const char *src) {
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

static sm_result sm__fail(sm_error *err, sm_result code, const sm_loc *where, const char *fmt, ...) {
    va_list ap;
    char msg[SM_ERROR_LEN - SM_PATH_LEN - 32];
    if (!err) return code;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err->code = code;
    if (where) err->where = *where;
    else { err->where.file[0] = 0; err->where.line = 0; }
    if (where && where->file[0] && where->line > 0)
        snprintf(err->text, sizeof err->text, "%s:%d: error: %s", where->file, where->line, msg);
    else if (where && where->file[0])
        snprintf(err->text, sizeof err->text, "%s: error: %s", where->file, msg);
    else
        snprintf(err->text, sizeof err->text, "error: %s", msg);
    return code;
}

SMAPI const char *sm_result_string(sm_result r) {
#define SM__STR(c, m) m,
    static const char *const s[] = { SM__RESULTS(SM__STR) };
#undef SM__STR
    return (r >= 0 && r < SM_RESULT_COUNT) ? s[r] : "unknown result";
}

SMAPI const char *sm_version_string(void) { return "0.1.0"; }

/*=== [@workload.impl] ==========================================================================*/
static void sm__skip_ws(const char **s) { while (**s && isspace((unsigned char)**s)) (*s)++; }

static int sm__ident(const char **s, char *out) {
    size_t n = 0;
    if (!(isalpha((unsigned char)**s) || **s == '_')) return 0;
    while (isalnum((unsigned char)**s) || **s == '_') {
        if (n + 1 >= SM_NAME_LEN) return 0;
        out[n++] = *(*s)++;
    }
    out[n] = 0;
    return 1;
}

SMAPI int sm_problem_dim(const sm_problem *p, const char *name) {
    int d;
    for (d = 0; d < p->ndims; d++) if (!strcmp(p->dims[d], name)) return d;
    return -1;
}

SMAPI int sm_problem_tensor(const sm_problem *p, const char *name) {
    int t;
    for (t = 0; t < p->ntensors; t++) if (!strcmp(p->tensors[t].name, name)) return t;
    return -1;
}

/* One tensor reference "Name[expr, expr...]". */
static sm_result sm__parse_tensor(const char **s, sm_problem *p, sm_tensor *t, const sm_loc *w,
                                  sm_error *err) {
    char id[SM_NAME_LEN];
    memset(t, 0, sizeof *t);
    sm__skip_ws(s);
    if (!sm__ident(s, t->name)) return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected a tensor name at '%s'", *s);
    sm__skip_ws(s);
    if (**s != '[') return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected '[' after tensor %s", t->name);
    (*s)++;
    for (;;) {
        sm_rank *r;
        sm__skip_ws(s);
        if (t->nranks == SM_MAX_RANKS) return sm__fail(err, SM_ERR_LIMIT, w, "[problem] einsum: tensor %s has more than %d ranks", t->name, SM_MAX_RANKS);
        r = &t->ranks[t->nranks++];
        for (;;) {   /* terms: [coef*]dim[*coef] */
            long coef = 1;
            int d, k;
            sm__skip_ws(s);
            if (isdigit((unsigned char)**s)) {
                char *end;
                errno = 0;
                coef = strtol(*s, &end, 10);
                if (errno || coef < 1 || coef > 1000000) return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: bad coefficient in tensor %s", t->name);
                *s = end;
                sm__skip_ws(s);
                if (**s != '*') return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected '*' after coefficient %ld in tensor %s (constant offsets are not supported)", coef, t->name);
                (*s)++;
                sm__skip_ws(s);
            }
            if (!sm__ident(s, id)) return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected a dim name in tensor %s at '%s'", t->name, *s);
            sm__skip_ws(s);
            if (**s == '*') {
                char *end;
                (*s)++;
                errno = 0;
                coef = strtol(*s, &end, 10);
                if (end == *s || errno || coef < 1 || coef > 1000000) return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: bad coefficient after %s in tensor %s", id, t->name);
                *s = end;
                sm__skip_ws(s);
            }
            d = sm_problem_dim(p, id);
            if (d < 0) {
                if (p->ndims == SM_MAX_DIMS) return sm__fail(err, SM_ERR_LIMIT, w, "[problem] einsum: more than %d dims", SM_MAX_DIMS);
                d = p->ndims++;
                sm__copy(p->dims[d], SM_NAME_LEN, id);
            }
            for (k = 0; k < r->nterms; k++)
                if (r->terms[k].dim == d) break;
            if (k < r->nterms) r->terms[k].coef += coef;
            else {
                if (r->nterms == SM_MAX_TERMS) return sm__fail(err, SM_ERR_LIMIT, w, "[problem] einsum: index expression with more than %d terms in tensor %s", SM_MAX_TERMS, t->name);
                r->terms[r->nterms].dim = d;
                r->terms[r->nterms].coef = coef;
                r->nterms++;
            }
            if (**s == '+') { (*s)++; continue; }
            break;
        }
        if (**s == ',') { (*s)++; continue; }
        if (**s == ']') { (*s)++; break; }
        return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected ',', '+' or ']' in tensor %s at '%s'", t->name, *s);
    }
    return SM_OK;
}

SMAPI sm_result sm_einsum_parse(const char *text, sm_problem *p, const sm_loc *w, sm_error *err) {
    const char *s = text;
    sm_tensor out;
    sm_result r;
    int i, j;
    p->ndims = 0;
    p->ntensors = 0;
    if ((r = sm__parse_tensor(&s, p, &out, w, err)) != SM_OK) return r;
    out.is_output = 1;
    sm__skip_ws(&s);
    if (s[0] == '+' && s[1] == '=') s += 2;
    else if (s[0] == '=') s += 1;
    else return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected '+=' after the output tensor %s", out.name);
    for (;;) {
        if (p->ntensors == SM_MAX_TENSORS - 1) return sm__fail(err, SM_ERR_LIMIT, w, "[problem] einsum: more than %d tensors", SM_MAX_TENSORS);
        if ((r = sm__parse_tensor(&s, p, &p->tensors[p->ntensors], w, err)) != SM_OK) return r;
        p->ntensors++;
        sm__skip_ws(&s);
        if (*s == '*') { s++; continue; }
        if (*s == 0) break;
        return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: unexpected '%s' (operands are joined by '*')", s);
    }
    p->tensors[p->ntensors++] = out;
    for (i = 0; i < p->ntensors; i++)
        for (j = 0; j < i; j++)
            if (!strcmp(p->tensors[i].name, p->tensors[j].name))
                return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: tensor %s appears twice", p->tensors[i].name);
    return SM_OK;
}

/*=== [@spec.impl] INI LOADER ===================================================================*/
/* Keys are collected first (later wins, each with its file:line), then interpreted. */
typedef struct sm__kv { char *section, *key, *value; sm_loc loc; } sm__kv;
typedef struct sm__index { char *key; int value; } sm__index;
typedef struct sm__section { char *name; sm_loc loc; } sm__section;
typedef struct sm__store {
    sm__kv *kvs;                   /* stb_ds array */
    sm__index *index;              /* stb_ds string map "section\x1fkey" -> kvs index */
    sm__section *sections;         /* in order of first appearance */
    char **open_files;             /* include stack, for cycle detection */
    sm_error *err;
    int failed;
} sm__store;

typedef struct sm__source {
    FILE *f;
    const char *text;              /* or a string */
    const char *file;
    const char *dir;               /* for includes */
    int line;
    sm__store *st;
} sm__source;

static char *sm__strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = (char *)malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static void sm__loc_set(sm_loc *l, const char *file, int line) {
    sm__copy(l->file, SM_PATH_LEN, file);
    l->line = line;
}

static void sm__store_put(sm__store *st, const char *section, const char *key, const char *value,
                          const sm_loc *loc) {
    char buf[512];
    ptrdiff_t i;
    sm__kv kv;
    snprintf(buf, sizeof buf, "%s\x1f%s", section, key);
    i = stbds_shgeti(st->index, buf);
    if (i >= 0) {
        sm__kv *old = &st->kvs[st->index[i].value];
        free(old->value);
        old->value = sm__strdup(value);
        old->loc = *loc;
        return;
    }
    kv.section = sm__strdup(section);
    kv.key = sm__strdup(key);
    kv.value = sm__strdup(value);
    kv.loc = *loc;
    stbds_arrput(st->kvs, kv);
    stbds_shput(st->index, buf, (int)stbds_arrlen(st->kvs) - 1);
}

static void sm__store_section(sm__store *st, const char *name, const sm_loc *loc) {
    ptrdiff_t i;
    sm__section s;
    for (i = 0; i < stbds_arrlen(st->sections); i++)
        if (!strcmp(st->sections[i].name, name)) return;
    s.name = sm__strdup(name);
    s.loc = *loc;
    stbds_arrput(st->sections, s);
}

static void sm__store_free(sm__store *st) {
    ptrdiff_t i;
    for (i = 0; i < stbds_arrlen(st->kvs); i++) {
        free(st->kvs[i].section); free(st->kvs[i].key); free(st->kvs[i].value);
    }
    for (i = 0; i < stbds_arrlen(st->sections); i++) free(st->sections[i].name);
    for (i = 0; i < stbds_arrlen(st->open_files); i++) free(st->open_files[i]);
    stbds_arrfree(st->kvs);
    stbds_shfree(st->index);
    stbds_arrfree(st->sections);
    stbds_arrfree(st->open_files);
}

/* A section name as the loader keys it: trimmed, inner white space runs folded to one space
   ("level  glb " -> "level glb"), so the reader and inih's handler agree. */
static void sm__section_name(const char *in, char *out, size_t cap) {
    size_t n = 0;
    int space = 0;
    while (*in && isspace((unsigned char)*in)) in++;
    for (; *in && n + 1 < cap; in++) {
        if (isspace((unsigned char)*in)) { space = 1; continue; }
        if (space && n + 2 < cap) out[n++] = ' ';
        space = 0;
        out[n++] = *in;
    }
    out[n] = 0;
}

/* inih's reader: one raw line per call. It counts lines, strips comments, refuses indented
   continuation lines and lines too long for the system inih (INI_MAX_LINE), and records
   section headers in file order. Returning NULL ends the parse. */
static char *sm__reader(char *str, int num, void *stream) {
    sm__source *src = (sm__source *)stream;
    char line[4096];
    size_t n = 0;
    int c, too_long = 0;
    char *p, *q;
    sm_loc loc;
    if (src->st->failed) return NULL;
    for (;;) {
        if (src->f) c = getc(src->f);
        else c = *src->text ? (unsigned char)*src->text++ : EOF;
        if (c == EOF) { if (n == 0) return NULL; break; }
        if (c == '\n') break;
        if (n + 1 < sizeof line) line[n++] = (char)c; else too_long = 1;
    }
    line[n] = 0;
    src->line++;
    sm__loc_set(&loc, src->file, src->line);
    if (n && line[n - 1] == '\r') line[--n] = 0;
    if (too_long) { sm__fail(src->st->err, SM_ERR_SYNTAX, &loc, "line longer than %d characters", (int)sizeof line - 1); src->st->failed = 1; return NULL; }
    for (p = line; *p; p++) if (*p == ';' && (p == line || isspace((unsigned char)p[-1]))) { *p = 0; break; }
    n = strlen(line);
    while (n && isspace((unsigned char)line[n - 1])) line[--n] = 0;
    if (n && isspace((unsigned char)line[0])) {
        for (p = line; isspace((unsigned char)*p); p++) {}
        if (*p != '#') {
            sm__fail(src->st->err, SM_ERR_SYNTAX, &loc, "indented line '%s' (continuation lines are not allowed; remove the indent)", p);
            src->st->failed = 1;
            return NULL;
        }
    }
    if ((int)n + 3 > num) {
        sm__fail(src->st->err, SM_ERR_SYNTAX, &loc, "line longer than %d characters (without its comment)", num - 3);
        src->st->failed = 1;
        return NULL;
    }
    if (line[0] == '[') {
        q = strchr(line, ']');
        if (q && q[1]) {
            sm__fail(src->st->err, SM_ERR_SYNTAX, &loc, "unexpected text '%s' after the section header", q + 1);
            src->st->failed = 1;
            return NULL;
        }
        if (q) {
            char name[512];
            size_t k = (size_t)(q - line - 1);
            if (k >= sizeof name) k = sizeof name - 1;
            memcpy(name, line + 1, k);
            name[k] = 0;
            sm__section_name(name, name, sizeof name);
            sm__store_section(src->st, name, &loc);
        }
    }
    memcpy(str, line, n);
    str[n] = '\n';
    str[n + 1] = 0;
    return str;
}

static sm_result sm__parse_source(sm__source *src);

static int sm__handler(void *user, const char *section, const char *name, const char *value) {
    sm__source *src = (sm__source *)user;
    sm__store *st = src->st;
    sm_loc loc;
    if (st->failed) return 0;
    sm__loc_set(&loc, src->file, src->line);
    if (!strcmp(name, "include")) {
        char path[SM_PATH_LEN * 2];
        sm__source sub;
        ptrdiff_t i;
        char *dir, *slash;
        int n;
        if (value[0] == '/' || !src->dir[0]) n = snprintf(path, sizeof path, "%s", value);
        else n = snprintf(path, sizeof path, "%s/%s", src->dir, value);
        if (n >= SM_PATH_LEN) { sm__fail(st->err, SM_ERR_VALUE, &loc, "include: path too long"); st->failed = 1; return 0; }
        for (i = 0; i < stbds_arrlen(st->open_files); i++)
            if (!strcmp(st->open_files[i], path)) {
                sm__fail(st->err, SM_ERR_VALUE, &loc, "include: '%s' includes itself (cycle)", path);
                st->failed = 1;
                return 0;
            }
        memset(&sub, 0, sizeof sub);
        sub.f = fopen(path, "r");
        if (!sub.f) { sm__fail(st->err, SM_ERR_IO, &loc, "include: cannot open '%s'", path); st->failed = 1; return 0; }
        dir = sm__strdup(path);
        slash = strrchr(dir, '/');
        if (slash) *slash = 0; else dir[0] = 0;
        sub.file = path;
        sub.dir = dir;
        sub.st = st;
        stbds_arrput(st->open_files, sm__strdup(path));
        sm__parse_source(&sub);
        free(stbds_arrpop(st->open_files));
        fclose(sub.f);
        free(dir);
        return st->failed ? 0 : 1;
    }
    if (!section[0]) { sm__fail(st->err, SM_ERR_SYNTAX, &loc, "key '%s' outside any [section]", name); st->failed = 1; return 0; }
    {
        char sec[512];
        sm__section_name(section, sec, sizeof sec);
        sm__store_section(st, sec, &loc);   /* normally known already from its header line */
        sm__store_put(st, sec, name, value, &loc);
    }
    return 1;
}

static sm_result sm__parse_source(sm__source *src) {
    int rc = ini_parse_stream(sm__reader, src, sm__handler, src);
    if (src->st->failed) return src->st->err ? src->st->err->code : SM_ERR_SYNTAX;
    if (rc != 0) {
        sm_loc loc;
        sm__loc_set(&loc, src->file, rc > 0 ? rc : 0);
        sm__fail(src->st->err, rc > 0 ? SM_ERR_SYNTAX : SM_ERR_IO, &loc,
                 rc > 0 ? "malformed line (expected '[section]' or 'key = value')" : "cannot read");
        src->st->failed = 1;
        return rc > 0 ? SM_ERR_SYNTAX : SM_ERR_IO;
    }
    return SM_OK;
}

/* ---- strict value parsing ---- */
static sm_result sm__num(const sm__kv *kv, double lo, double *out, sm_error *err) {
    char *end;
    double v;
    errno = 0;
    v = strtod(kv->value, &end);
    while (*end && isspace((unsigned char)*end)) end++;
    if (end == kv->value || *end || errno == ERANGE || !isfinite(v))
        return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not a number", kv->section, kv->key, kv->value);
    if (v < lo)
        return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: %s must be at least %g", kv->section, kv->key, kv->value, lo);
    *out = v;
    return SM_OK;
}

static sm_result sm__int(const sm__kv *kv, long lo, long *out, sm_error *err) {
    double v;
    sm_result r = sm__num(kv, (double)lo, &v, err);
    if (r != SM_OK) return r;
    if (v != floor(v)) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not a whole number", kv->section, kv->key, kv->value);
    if (v > 2147483647.0) return sm__fail(err, SM_ERR_OVERFLOW, &kv->loc, "[%s] %s: %s exceeds 2^31-1", kv->section, kv->key, kv->value);
    *out = (long)v;
    return SM_OK;
}

static sm_result sm__unknown(const sm__kv *kv, sm_error *err) {
    return sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[%s] unknown key '%s'", kv->section, kv->key);
}

/* "Q14", "Q=14" or "Q:14": dim and factor. */
static sm_result sm__parse_loops(const sm__kv *kv, const sm_problem *p, sm_loop_list *ll, sm_error *err) {
    const char *s = kv->value;
    ll->n = 0;
    ll->loc = kv->loc;
    for (;;) {
        char tok[128];
        size_t n = 0;
        char *sep, *digits, *end;
        long f;
        int d = -1;
        sm__skip_ws(&s);
        if (!*s) break;
        while (*s && !isspace((unsigned char)*s) && *s != ',') { if (n + 1 < sizeof tok) tok[n++] = *s; s++; }
        if (*s == ',') s++;
        tok[n] = 0;
        sep = strpbrk(tok, "=:");
        if (sep) { *sep = 0; digits = sep + 1; d = sm_problem_dim(p, tok); }
        else {   /* the longest dim name whose remainder is all digits */
            size_t k, j;
            digits = NULL;
            for (k = n; k-- > 1;) {
                char dn[128];
                for (j = k; j < n && isdigit((unsigned char)tok[j]); j++) {}
                if (j < n) continue;
                memcpy(dn, tok, k);
                dn[k] = 0;
                if ((d = sm_problem_dim(p, dn)) >= 0) { digits = tok + k; break; }
            }
        }
        if (d < 0 || !digits)
            return sm__fail(err, SM_ERR_MAPPING, &kv->loc, "[mapping] %s: '%s' is not DIMFACTOR with a dim of the einsum (dims: %s...)", kv->key, tok, p->ndims ? p->dims[0] : "none");
        errno = 0;
        f = strtol(digits, &end, 10);
        if (end == digits || *end || errno || f < 1 || f > 2147483647L)
            return sm__fail(err, SM_ERR_MAPPING, &kv->loc, "[mapping] %s: bad factor '%s' for dim %s (a whole number >= 1)", kv->key, digits, p->dims[d]);
        if (ll->n == SM_MAX_LOOPS) return sm__fail(err, SM_ERR_LIMIT, &kv->loc, "[mapping] %s: more than %d loops", kv->key, SM_MAX_LOOPS);
        ll->loops[ll->n].dim = d;
        ll->loops[ll->n].factor = f;
        ll->n++;
    }
    return SM_OK;
}

static sm_result sm__parse_tensor_set(const sm__kv *kv, const sm_problem *p, unsigned *mask, sm_error *err) {
    const char *s = kv->value;
    *mask = 0;
    for (;;) {
        char tok[SM_NAME_LEN * 2];
        size_t n = 0;
        int t;
        sm__skip_ws(&s);
        if (!*s) break;
        while (*s && !isspace((unsigned char)*s) && *s != ',') { if (n + 1 < sizeof tok) tok[n++] = *s; s++; }
        if (*s == ',') s++;
        tok[n] = 0;
        t = sm_problem_tensor(p, tok);
        if (t < 0) return sm__fail(err, SM_ERR_MAPPING, &kv->loc, "[mapping] %s: '%s' is not a tensor of the einsum", kv->key, tok);
        *mask |= 1u << t;
    }
    return SM_OK;
}

static int sm__level_index(const sm_spec *s, const char *name) {
    int l;
    for (l = 0; l < s->nlevels; l++) if (!strcmp(s->levels[l].name, name)) return l;
    return -1;
}

static sm_result sm__apply_level(sm_level *lv, const sm__kv *kv, sm_error *err) {
    const char *k = kv->key;
    double *dv = NULL;
    long *iv = NULL;
    double lo = 0;
    long ilo = 1;
    if (!strcmp(k, "size")) dv = &lv->size;
    else if (!strcmp(k, "instances")) iv = &lv->instances;
    else if (!strcmp(k, "mesh_x")) iv = &lv->mesh_x;
    else if (!strcmp(k, "block_words")) iv = &lv->block_words;
    else if (!strcmp(k, "cluster_size")) iv = &lv->cluster_size;
    else if (!strcmp(k, "word_bits")) { long v; sm_result r = sm__int(kv, 1, &v, err); if (r == SM_OK) lv->word_bits = (int)v; return r; }
    else if (!strcmp(k, "read_bw")) dv = &lv->read_bw;
    else if (!strcmp(k, "write_bw")) dv = &lv->write_bw;
    else if (!strcmp(k, "shared_bw")) dv = &lv->shared_bw;
    else if (!strcmp(k, "multiple_buffering")) { dv = &lv->multiple_buffering; lo = 1; }
    else if (!strcmp(k, "read_pj")) dv = &lv->read_pj;
    else if (!strcmp(k, "write_pj")) dv = &lv->write_pj;
    else if (!strcmp(k, "update_pj")) dv = &lv->update_pj;
    else if (!strcmp(k, "leak_pj")) dv = &lv->leak_pj;
    else if (!strcmp(k, "area_um2")) dv = &lv->area_um2;
    else if (!strncmp(k, "gated_", 6) || !strncmp(k, "skipped_", 8) || !strncmp(k, "metadata_", 9) ||
             !strcmp(k, "decompression") || !strcmp(k, "compression") ||
             !strcmp(k, "decompression_pj") || !strcmp(k, "compression_pj"))
        return sm__fail(err, SM_ERR_UNSUPPORTED, &kv->loc, "[%s] %s: sparse level keys are not supported by this version (dense engine only)", kv->section, k);
    else return sm__unknown(kv, err);
    if (dv) return sm__num(kv, lo, dv, err);
    return sm__int(kv, ilo, iv, err);
}

static sm_result sm__interpret(sm__store *st, sm_spec *s, sm_error *err) {
    ptrdiff_t i, n = stbds_arrlen(st->kvs);
    const sm__kv *einsum = NULL, *bounds = NULL;
    sm_loc whole;
    sm_result r;
    /* sections: kinds and level order */
    for (i = 0; i < stbds_arrlen(st->sections); i++) {
        const char *name = st->sections[i].name;
        const sm_loc *loc = &st->sections[i].loc;
        if (!strcmp(name, "mapping")) { s->mapping_loc = *loc; continue; }
        if (!strcmp(name, "problem") || !strcmp(name, "arch") || !strcmp(name, "density")) continue;
        if (!strncmp(name, "level ", 6) && name[6]) {
            sm_level *lv;
            if (s->nlevels == SM_MAX_LEVELS) return sm__fail(err, SM_ERR_LIMIT, loc, "[%s] more than %d storage levels", name, SM_MAX_LEVELS);
            if (sm__level_index(s, name + 6) >= 0) return sm__fail(err, SM_ERR_VALUE, loc, "[%s] level defined twice", name);
            lv = &s->levels[s->nlevels++];
            sm__copy(lv->name, SM_NAME_LEN, name + 6);
            lv->loc = *loc;
            continue;
        }
        if (!strncmp(name, "compute ", 8) && name[8]) {
            if (s->compute.name[0]) return sm__fail(err, SM_ERR_VALUE, loc, "[%s] a second compute level (one is allowed)", name);
            sm__copy(s->compute.name, SM_NAME_LEN, name + 8);
            s->compute.loc = *loc;
            continue;
        }
        if (!strncmp(name, "format ", 7) || !strcmp(name, "saf"))
            return sm__fail(err, SM_ERR_UNSUPPORTED, loc, "[%s] sparse formats and SAFs are not supported by this version (dense engine only)", name);
        return sm__fail(err, SM_ERR_UNKNOWN, loc, "unknown section [%s]", name);
    }
    for (i = 0; i < n; i++) {
        const sm__kv *kv = &st->kvs[i];
        if (!strcmp(kv->section, "problem")) {
            if (!strcmp(kv->key, "einsum")) einsum = kv;
            else if (!strcmp(kv->key, "bounds")) bounds = kv;
        }
    }
    sm__loc_set(&whole, s->path, 1);   /* errors about the whole file point at its first line */
    if (!einsum) return sm__fail(err, SM_ERR_VALUE, &whole, "[problem] einsum is missing");
    if ((r = sm_einsum_parse(einsum->value, &s->problem, &einsum->loc, err)) != SM_OK) return r;
    s->problem.einsum_loc = einsum->loc;
    if (!bounds) return sm__fail(err, SM_ERR_VALUE, &einsum->loc, "[problem] bounds is missing");
    s->problem.bounds_loc = bounds->loc;
    {   /* bounds = d=size ... */
        const char *p = bounds->value;
        int d;
        for (;;) {
            char id[SM_NAME_LEN];
            char *end;
            double v;
            sm__skip_ws(&p);
            if (!*p) break;
            if (!sm__ident(&p, id)) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: expected dim=size at '%s'", p);
            sm__skip_ws(&p);
            if (*p != '=') return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: expected '=' after %s", id);
            p++;
            d = sm_problem_dim(&s->problem, id);
            if (d < 0) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: dim %s is not in the einsum", id);
            errno = 0;
            v = strtod(p, &end);
            if (end == p || (*end && !isspace((unsigned char)*end) && *end != ',')) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: size of %s is not a number", id);
            if (v < 1 || v != floor(v)) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: size of %s must be a whole number >= 1 (got %.17g)", id, v);
            if (v > 2147483647.0 || errno == ERANGE) return sm__fail(err, SM_ERR_OVERFLOW, &bounds->loc, "[problem] bounds: size of %s exceeds 2^31-1", id);
            if (s->problem.bounds[d]) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: dim %s given twice", id);
            s->problem.bounds[d] = (long)v;
            p = end;
            if (*p == ',') p++;
        }
        for (d = 0; d < s->problem.ndims; d++)
            if (!s->problem.bounds[d]) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: dim %s has no bound", s->problem.dims[d]);
    }
    for (i = 0; i < n; i++) {
        const sm__kv *kv = &st->kvs[i];
        const char *sec = kv->section, *k = kv->key;
        if (!strcmp(sec, "problem")) {
            if (!strcmp(k, "einsum") || !strcmp(k, "bounds")) continue;
            if (!strcmp(k, "name")) sm__copy(s->problem.name, SM_NAME_LEN, kv->value);
            else if (!strcmp(k, "word_bits")) { long v; if ((r = sm__int(kv, 1, &v, err)) != SM_OK) return r; s->problem.word_bits = (int)v; }
            else return sm__unknown(kv, err);
        } else if (!strcmp(sec, "arch")) {
            if (!strcmp(k, "name")) sm__copy(s->arch_name, SM_NAME_LEN, kv->value);
            else if (!strcmp(k, "clock_ghz")) { if ((r = sm__num(kv, 1e-9, &s->clock_ghz, err)) != SM_OK) return r; }
            else return sm__unknown(kv, err);
        } else if (!strcmp(sec, "density")) {
            if (sm_problem_tensor(&s->problem, k) < 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[density] '%s' is not a tensor of the einsum", k);
            if (strcmp(kv->value, "dense") != 0)
                return sm__fail(err, SM_ERR_UNSUPPORTED, &kv->loc, "[density] %s = %s: density models are not supported by this version (dense engine only)", k, kv->value);
        } else if (!strncmp(sec, "level ", 6)) {
            if ((r = sm__apply_level(&s->levels[sm__level_index(s, sec + 6)], kv, err)) != SM_OK) return r;
        } else if (!strncmp(sec, "compute ", 8)) {
            sm_compute *c = &s->compute;
            if (!strcmp(k, "instances")) r = sm__int(kv, 1, &c->instances, err);
            else if (!strcmp(k, "mesh_x")) r = sm__int(kv, 1, &c->mesh_x, err);
            else if (!strcmp(k, "mac_pj")) r = sm__num(kv, 0, &c->mac_pj, err);
            else if (!strcmp(k, "area_um2")) r = sm__num(kv, 0, &c->area_um2, err);
            else if (!strcmp(k, "word_bits")) { long v; r = sm__int(kv, 1, &v, err); }
            else if (!strcmp(k, "gated_pj") || !strcmp(k, "skipped_pj")) r = sm__fail(err, SM_ERR_UNSUPPORTED, &kv->loc, "[%s] %s: sparse compute keys are not supported by this version (dense engine only)", sec, k);
            else r = sm__unknown(kv, err);
            if (r != SM_OK) return r;
        } else if (!strcmp(sec, "mapping")) {
            const char *dot = strrchr(k, '.');
            char lname[SM_NAME_LEN];
            int l;
            sm_level_map *m;
            if (!dot || dot == k || (size_t)(dot - k) >= SM_NAME_LEN)
                return sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[mapping] key '%s' is not LEVEL.temporal|spatial_x|spatial_y|keep|bypass", k);
            memcpy(lname, k, (size_t)(dot - k));
            lname[dot - k] = 0;
            l = sm__level_index(s, lname);
            if (l < 0) return sm__fail(err, SM_ERR_MAPPING, &kv->loc, "[mapping] %s: no storage level named '%s'", k, lname);
            m = &s->map[l];
            if (!strcmp(dot + 1, "temporal")) r = sm__parse_loops(kv, &s->problem, &m->temporal, err);
            else if (!strcmp(dot + 1, "spatial_x")) r = sm__parse_loops(kv, &s->problem, &m->spatial_x, err);
            else if (!strcmp(dot + 1, "spatial_y")) r = sm__parse_loops(kv, &s->problem, &m->spatial_y, err);
            else if (!strcmp(dot + 1, "keep") || !strcmp(dot + 1, "bypass")) {
                unsigned mask;
                if ((r = sm__parse_tensor_set(kv, &s->problem, &mask, err)) != SM_OK) return r;
                if (m->keep_loc.line) return sm__fail(err, SM_ERR_MAPPING, &kv->loc, "[mapping] %s: give either %s.keep or %s.bypass, not both", k, lname, lname);
                m->bypass = dot[1] == 'k' ? (~mask & ((1u << s->problem.ntensors) - 1)) : mask;
                m->keep_loc = kv->loc;
            } else r = sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[mapping] unknown key '%s' (LEVEL.temporal|spatial_x|spatial_y|keep|bypass)", k);
            if (r != SM_OK) return r;
        }
    }
    if (s->nlevels == 0) return sm__fail(err, SM_ERR_VALUE, &whole, "no [level NAME] section");
    if (!s->compute.name[0]) return sm__fail(err, SM_ERR_VALUE, &whole, "no [compute NAME] section");
    return SM_OK;
}

static sm_result sm__load(sm__source *src, const char *const *sets, int nsets, sm_spec **out, sm_error *err) {
    sm__store st;
    sm_spec *s;
    sm_result r;
    int i;
    sm_error local;
    if (!err) err = &local;
    memset(&st, 0, sizeof st);
    st.err = err;
    src->st = &st;
    *out = NULL;
    stbds_arrput(st.open_files, sm__strdup(src->file));
    r = sm__parse_source(src);
    for (i = 0; r == SM_OK && i < nsets; i++) {   /* --set section.key=value */
        const char *eq = strchr(sets[i], '='), *dot;
        char sec[256], key[256];
        sm_loc loc;
        sm__loc_set(&loc, "--set", 0);
        dot = eq ? memchr(sets[i], '.', (size_t)(eq - sets[i])) : NULL;
        if (!eq || !dot || dot == sets[i] || (size_t)(dot - sets[i]) >= sizeof sec || (size_t)(eq - dot - 1) >= sizeof key || eq == dot + 1) {
            r = sm__fail(err, SM_ERR_VALUE, &loc, "--set '%s': expected section.key=value", sets[i]);
            break;
        }
        memcpy(sec, sets[i], (size_t)(dot - sets[i])); sec[dot - sets[i]] = 0;
        sm__section_name(sec, sec, sizeof sec);
        memcpy(key, dot + 1, (size_t)(eq - dot - 1)); key[eq - dot - 1] = 0;
        sm__store_section(&st, sec, &loc);
        sm__store_put(&st, sec, key, eq + 1, &loc);
    }
    if (r == SM_OK) {
        s = (sm_spec *)calloc(1, sizeof *s);
        if (!s) r = sm__fail(err, SM_ERR_LIMIT, NULL, "out of memory");
        else {
            sm__copy(s->path, SM_PATH_LEN, src->file);
            r = sm__interpret(&st, s, err);
            if (r == SM_OK) *out = s; else free(s);
        }
    }
    sm__store_free(&st);
    return r;
}

SMAPI sm_result sm_spec_load_file(const char *path, const char *const *sets, int nsets, sm_spec **out, sm_error *err) {
    sm__source src;
    sm_result r;
    char *dir, *slash;
    sm_loc loc;
    memset(&src, 0, sizeof src);
    sm__loc_set(&loc, path, 0);
    *out = NULL;
    if (strlen(path) >= SM_PATH_LEN) return sm__fail(err, SM_ERR_IO, NULL, "path too long");
    src.f = fopen(path, "r");
    if (!src.f) return sm__fail(err, SM_ERR_IO, &loc, "cannot open spec: %s", strerror(errno));
    dir = sm__strdup(path);
    slash = strrchr(dir, '/');
    if (slash) *slash = 0; else dir[0] = 0;
    src.file = path;
    src.dir = dir;
    r = sm__load(&src, sets, nsets, out, err);
    fclose(src.f);
    free(dir);
    return r;
}

SMAPI sm_result sm_spec_load_string(const char *text, const char *name, const char *const *sets, int nsets,
                                    sm_spec **out, sm_error *err) {
    sm__source src;
    memset(&src, 0, sizeof src);
    src.text = text;
    src.file = name ? name : "<string>";
    src.dir = "";
    return sm__load(&src, sets, nsets, out, err);
}

SMAPI void sm_spec_free(sm_spec *spec) { free(spec); }

/*=== [@nest.impl] NEST ANALYSIS ================================================================*/
/* The mapping flattened into one loop nest, outermost first, unit loops dropped. */
typedef struct sm__loop { int dim, level, spatial; double f, step, outer; } sm__loop;  /* outer: product of the temporal factors outside */
typedef struct sm__nest {
    int nloops;
    sm__loop loops[SM_MAX_LEVELS * 3 * SM_MAX_LOOPS];
    int first[SM_MAX_LEVELS + 1];  /* first loop at this level or below; [nlevels] = compute */
    double temporal_iters;         /* temporal iterations per MAC */
} sm__nest;

static long sm__gcd(long a, long b) { while (b) { long t = a % b; a = b; b = t; } return a; }

/* |S ∩ (S + shift)| for one index expression S = { sum coef_i * x_i : 0 <= x_i < n_i }; with
   shift 0 it is |S|. Exact: a closed form when S is an interval or two interleaved
   progressions, a bitset otherwise. Returns -1 when S is too irregular and too wide. */
static double sm__rank_overlap(const sm_rank *r, const double *ext, double shift) {
    long c[SM_MAX_TERMS];
    double n[SM_MAX_TERMS];
    int k = 0, i, j;
    long g = 0;
    double reach = 0;
    int contiguous = 1;
    for (i = 0; i < r->nterms; i++)
        if (ext[r->terms[i].dim] > 1) { c[k] = r->terms[i].coef; n[k] = ext[r->terms[i].dim]; k++; }
    if (shift < 0) shift = -shift;
    if (k == 0) return shift == 0 ? 1 : 0;
    if (k == 1) {   /* the common case: one progression */
        double q = shift / (double)c[0];
        return q != floor(q) || q >= n[0] ? 0 : n[0] - q;
    }
    for (i = 0; i < k && g != 1; i++) g = c[i] == 1 ? 1 : sm__gcd(g, c[i]);   /* coef 1 is the usual case */
    if (g > 1) {
        if ((long long)shift % g != 0) return 0;
        shift /= (double)g;
    }
    for (i = 0; g > 1 && i < k; i++) c[i] /= g;
    for (i = 1; i < k; i++)   /* sort by coefficient */
        for (j = i; j > 0 && c[j] < c[j - 1]; j--) { long tc = c[j]; double tn = n[j]; c[j] = c[j - 1]; n[j] = n[j - 1]; c[j - 1] = tc; n[j - 1] = tn; }
    for (i = 0; i < k; i++) {
        if ((double)c[i] > reach + 1) contiguous = 0;
        reach += (double)c[i] * (n[i] - 1);
    }
    if (contiguous) return shift > reach ? 0 : reach + 1 - shift;
    if (k == 2 && c[0] == 1) {     /* blocks of n0 every c1, n1 of them; n0 < c1 here */
        double b = (double)c[1], q = floor(shift / b), rem = shift - q * b;
        double a = n[1] - q > 0 ? (n[1] - q) * (n[0] - rem > 0 ? n[0] - rem : 0) : 0;
        double bb = n[1] - q - 1 > 0 ? (n[1] - q - 1) * (rem + n[0] - b > 0 ? rem + n[0] - b : 0) : 0;
        return a + bb;
    }
    {   /* general: the sum set as a bitset */
        enum { W = 64, BITS = 8192 };
        unsigned long long set[BITS / W], tmp[BITS / W];
        double cnt = 0;
        long x, s = (long)shift;
        if (reach + 1 > BITS) return -1;
        memset(set, 0, sizeof set);
        set[0] = 1;
        for (i = 0; i < k; i++) {
            memcpy(tmp, set, sizeof set);
            for (x = 1; x < (long)n[i]; x++) {
                long off = c[i] * x, wi;
                for (wi = BITS / W - 1; wi >= 0; wi--) {
                    long src = wi * W - off;   /* bit b of word wi comes from bit b-off */
                    unsigned long long v = 0;
                    long sw = src >= 0 ? src / W : (src - W + 1) / W, sb = src - sw * W;
                    if (sw >= 0 && sw < BITS / W) v |= sb ? tmp[sw] >> sb : tmp[sw];
                    if (sb && sw + 1 >= 0 && sw + 1 < BITS / W) v |= tmp[sw + 1] << (W - sb);
                    set[wi] |= v;
                }
            }
        }
        for (x = 0; x + s < BITS; x++)
            if ((set[x / W] >> (x % W) & 1) && (set[(x + s) / W] >> ((x + s) % W) & 1)) cnt++;
        return cnt;
    }
}

/* Words of T in a tile with per-dim extents ext (-1: too irregular to count); the size of
   each rank goes to rank_size when it is not NULL. */
static double sm__tile_size(const sm_tensor *t, const double *ext, double *rank_size) {
    double v = 1;
    int r;
    for (r = 0; r < t->nranks; r++) {
        double o = sm__rank_overlap(&t->ranks[r], ext, 0);
        if (o < 0) return -1;
        if (rank_size) rank_size[r] = o;
        v *= o;
    }
    return v;
}

/* Per-dim extents of the loops from index `from` inward. */
static void sm__extents(const sm_problem *p, const sm__nest *n, int from, double *ext) {
    int d, i;
    for (d = 0; d < p->ndims; d++) ext[d] = 1;
    for (i = from; i < n->nloops; i++) ext[n->loops[i].dim] *= n->loops[i].f;
}

/* Words delivered into one instance of the level whose loops start at `first`: the first
   tile, then, each time a temporal loop above it advances (inner ones resetting), the part
   of the new tile not in the previous one. Timeloop keeps a tile as one box and reuses the old
   one only when the new box differs from it in a single rank (eyeriss_like: a P step with Q
   reset reuses nothing, though one corner overlaps). Walks the loops inside out, so each loop
   costs one overlap of one rank. */
static double sm__deliveries(const sm_problem *p, const sm_tensor *t, unsigned dims, const sm__nest *n,
                             int first, const double *ext, double size, const double *rank_size) {
    double total = size, reset[SM_MAX_DIMS];
    unsigned reset_dims = 0;
    int i, r, k;
    if (size <= 0) return size;
    memset(reset, 0, sizeof(double) * (size_t)p->ndims);
    for (i = first - 1; i >= 0; i--) {
        const sm__loop *li = &n->loops[i];
        if (li->spatial) continue;
        if ((dims >> li->dim & 1u) || (reset_dims & dims)) {   /* else the tile stays put */
            int moved = -1;
            double shift_moved = 0, o = size;
            for (r = 0; r < t->nranks; r++) {
                double shift = 0;
                for (k = 0; k < t->ranks[r].nterms; k++) {
                    int d = t->ranks[r].terms[k].dim;
                    shift += (double)t->ranks[r].terms[k].coef * ((d == li->dim ? li->step : 0) - reset[d]);
                }
                if (shift != 0) {
                    if (moved >= 0) { moved = -2; break; }
                    moved = r;
                    shift_moved = shift;
                }
            }
            if (moved == -2) o = 0;
            else if (moved >= 0) {
                double ov = sm__rank_overlap(&t->ranks[moved], ext, shift_moved);
                if (ov < 0) return -1;
                o = size / rank_size[moved] * ov;
            }
            total += li->outer * (li->f - 1) * (size - o);
        }
        reset[li->dim] += (li->f - 1) * li->step;
        reset_dims |= 1u << li->dim;
    }
    return total;
}

/*=== [@eval.impl] VALIDATION, TIMING, ENERGY ===================================================*/
/* Resolved instances, mesh_x and name of level l; l == nlevels is the compute level. */
static long sm__instances(const sm_spec *s, int l) {
    long i = l < s->nlevels ? s->levels[l].instances : s->compute.instances;
    return i ? i : 1;
}
static long sm__mesh_x(const sm_spec *s, int l) {
    long m = l < s->nlevels ? s->levels[l].mesh_x : s->compute.mesh_x;
    return m ? m : sm__instances(s, l);
}
static const char *sm__level_name(const sm_spec *s, int l) { return l < s->nlevels ? s->levels[l].name : s->compute.name; }

static sm_result sm__build_nest(const sm_spec *s, sm__nest *n, sm_error *err) {
    const sm_problem *p = &s->problem;
    double prod[SM_MAX_DIMS];
    int l, i, d, k;
    n->nloops = 0;
    n->temporal_iters = 1;
    for (d = 0; d < p->ndims; d++) prod[d] = 1;
    for (l = 0; l < s->nlevels; l++) {
        const sm_level_map *m = &s->map[l];
        const sm_loop_list *lists[3];
        lists[0] = &m->temporal; lists[1] = &m->spatial_y; lists[2] = &m->spatial_x;
        n->first[l] = n->nloops;
        for (k = 0; k < 3; k++)
            for (i = 0; i < lists[k]->n; i++) {
                const sm_loop *lp = &lists[k]->loops[i];
                prod[lp->dim] *= (double)lp->factor;
                if (prod[lp->dim] > p->bounds[lp->dim])
                    return sm__fail(err, SM_ERR_MAPPING, &lists[k]->loc, "[mapping] %s: factors of dim %s multiply past its bound %ld",
                                    s->levels[l].name, p->dims[lp->dim], p->bounds[lp->dim]);
                if (lp->factor == 1) continue;
                n->loops[n->nloops].dim = lp->dim;
                n->loops[n->nloops].level = l;
                n->loops[n->nloops].spatial = k > 0;
                n->loops[n->nloops].f = (double)lp->factor;
                n->nloops++;
                if (k == 0) n->temporal_iters *= (double)lp->factor;
            }
    }
    n->first[s->nlevels] = n->nloops;
    for (d = 0; d < p->ndims; d++)
        if (prod[d] != (double)p->bounds[d])
            return sm__fail(err, SM_ERR_MAPPING, s->mapping_loc.line ? &s->mapping_loc : &p->bounds_loc,
                            "[mapping] factors of dim %s multiply to %.0f, but its bound is %ld", p->dims[d], prod[d], p->bounds[d]);
    {
        double outer = 1;
        for (i = 0; i < n->nloops; i++) { n->loops[i].outer = outer; if (!n->loops[i].spatial) outer *= n->loops[i].f; }
    }
    for (i = n->nloops - 1; i >= 0; i--) {   /* step: product of the same dim's inner factors */
        double st = 1;
        for (k = i + 1; k < n->nloops; k++) if (n->loops[k].dim == n->loops[i].dim) st *= n->loops[k].f;
        n->loops[i].step = st;
    }
    return SM_OK;
}

/* Spatial loops at each level within the fanout to the next level (X: mesh_x ratio). */
static sm_result sm__check_fanout(const sm_spec *s, sm_error *err) {
    int l, i;
    for (l = 0; l <= s->nlevels; l++)
        if (sm__instances(s, l) % sm__mesh_x(s, l))
            return sm__fail(err, SM_ERR_FANOUT, l < s->nlevels ? &s->levels[l].loc : &s->compute.loc, "[%s %s] mesh_x %ld does not divide its %ld instances",
                            l < s->nlevels ? "level" : "compute", sm__level_name(s, l), sm__mesh_x(s, l), sm__instances(s, l));
    for (l = 0; l < s->nlevels; l++) {
        const sm_level *lv = &s->levels[l];
        long inst = sm__instances(s, l), mx = sm__mesh_x(s, l);
        long ci = sm__instances(s, l + 1), cmx = sm__mesh_x(s, l + 1);
        const char *cname = sm__level_name(s, l + 1);
        double fx = 1, fy = 1;
        long fan, fanx;
        if (ci % inst || cmx % mx)
            return sm__fail(err, SM_ERR_FANOUT, &lv->loc, "[level %s] %ld instances (mesh_x %ld) do not divide the %ld instances (mesh_x %ld) of %s",
                            lv->name, inst, mx, ci, cmx, cname);
        fan = ci / inst;
        fanx = cmx / mx;
        if (fan % fanx)
            return sm__fail(err, SM_ERR_FANOUT, &lv->loc, "[level %s] fanout %ld to %s is not a multiple of its X fanout %ld", lv->name, fan, cname, fanx);
        for (i = 0; i < s->map[l].spatial_x.n; i++) fx *= (double)s->map[l].spatial_x.loops[i].factor;
        for (i = 0; i < s->map[l].spatial_y.n; i++) fy *= (double)s->map[l].spatial_y.loops[i].factor;
        if (fx > (double)fanx)
            return sm__fail(err, SM_ERR_FANOUT, &s->map[l].spatial_x.loc, "[mapping] %s.spatial_x: factors multiply to %.0f, but the X fanout from %s to %s is %ld",
                            lv->name, fx, lv->name, cname, fanx);
        if (fy > (double)(fan / fanx))
            return sm__fail(err, SM_ERR_FANOUT, &s->map[l].spatial_y.loc, "[mapping] %s.spatial_y: factors multiply to %.0f, but the Y fanout from %s to %s is %ld",
                            lv->name, fy, lv->name, cname, fan / fanx);
    }
    return SM_OK;
}

/* Energy of one action at one instance: whole vector accesses, priced per block. */
static double sm__action_pj(double count, double block, double pj) { return ceil(count / block - 1e-9) * block * pj; }

SMAPI sm_result sm_eval(const sm_spec *s, sm_stats *o, sm_error *err) {
    const sm_problem *p = &s->problem;
    sm__nest nest;
    sm__nest *n = &nest;
    sm_result r;
    int l, t, i, d;
    double util[SM_MAX_LEVELS + 1] = {0};
    double deliv[SM_MAX_LEVELS + 1][SM_MAX_TENSORS];   /* per instance; [nlevels] = compute */
    double computes = 1, total_cycles, macs;
    unsigned kept_any = 0, dims[SM_MAX_TENSORS];
    /* clear only what this spec uses: the stats struct is sized for SM_MAX_LEVELS */
    memset(o, 0, offsetof(sm_stats, level));
    memset(o->level, 0, sizeof o->level[0] * (size_t)(s->nlevels > 0 && s->nlevels <= SM_MAX_LEVELS ? s->nlevels : SM_MAX_LEVELS));
    o->nlevels = s->nlevels;
    o->ntensors = p->ntensors;
    if (s->nlevels < 1 || s->nlevels > SM_MAX_LEVELS || p->ntensors < 2 || p->ndims < 1)
        return sm__fail(err, SM_ERR_VALUE, NULL, "%s: spec needs an einsum and at least one storage level", s->path);
    for (d = 0; d < p->ndims; d++) {
        if (p->bounds[d] < 1) return sm__fail(err, SM_ERR_VALUE, &p->bounds_loc, "[problem] bounds: dim %s must be >= 1", p->dims[d]);
        computes *= (double)p->bounds[d];
    }
    if (computes > SM__EXACT)
        return sm__fail(err, SM_ERR_OVERFLOW, &p->bounds_loc, "[problem] bounds: %.4g computes exceed 2^53, the largest count held exactly", computes);
    if ((r = sm__build_nest(s, n, err)) != SM_OK) return r;
    if ((r = sm__check_fanout(s, err)) != SM_OK) return r;
    for (t = 0; t < p->ntensors; t++) {   /* which dims index each tensor */
        int k;
        dims[t] = 0;
        for (i = 0; i < p->tensors[t].nranks; i++)
            for (k = 0; k < p->tensors[t].ranks[i].nterms; k++) dims[t] |= 1u << p->tensors[t].ranks[i].terms[k].dim;
    }

    util[0] = 1;   /* spatial factors above each level */
    for (l = 1; l <= s->nlevels; l++) {
        util[l] = util[l - 1];
        for (i = n->first[l - 1]; i < n->first[l]; i++) if (n->loops[i].spatial) util[l] *= n->loops[i].f;
    }
    macs = util[s->nlevels];
    for (l = 0; l < s->nlevels; l++) {
        o->level[l].kept = ~s->map[l].bypass & ((1u << p->ntensors) - 1);
        kept_any |= o->level[l].kept;
        o->level[l].utilized_instances = util[l];
        o->level[l].is_spatial = o->level[l].kept == 0;
    }
    for (t = 0; t < p->ntensors; t++)
        if (!(kept_any >> t & 1))
            return sm__fail(err, SM_ERR_MAPPING, &s->mapping_loc, "[mapping] tensor %s is kept by no storage level", p->tensors[t].name);

    /* tiles, partitions and deliveries */
    for (l = 0; l < s->nlevels; l++) {
        const sm_level *lv = &s->levels[l];
        double ext[SM_MAX_DIMS], pext[SM_MAX_DIMS], used = 0, cap;
        sm__extents(p, n, n->first[l], ext);
        for (d = 0; d < p->ndims; d++) pext[d] = ext[d];
        for (i = 0; i < n->first[l]; i++) if (!n->loops[i].spatial) pext[n->loops[i].dim] *= n->loops[i].f;
        for (t = 0; t < p->ntensors; t++) {
            sm_access *a = &o->level[l].t[t];
            if (!(o->level[l].kept >> t & 1)) continue;
            double rank_size[SM_MAX_RANKS];
            a->tile = sm__tile_size(&p->tensors[t], ext, rank_size);
            a->partition = sm__tile_size(&p->tensors[t], pext, NULL);
            deliv[l][t] = a->tile < 0 ? -1 : sm__deliveries(p, &p->tensors[t], dims[t], n, n->first[l], ext, a->tile, rank_size);
            if (a->partition < 0 || deliv[l][t] < 0)
                return sm__fail(err, SM_ERR_LIMIT, &p->einsum_loc, "[problem] einsum: an index expression of %s is too irregular to count exactly at level %s",
                                p->tensors[t].name, lv->name);
            used += a->tile;
        }
        cap = lv->size > 0 ? floor(lv->size / (lv->multiple_buffering > 0 ? lv->multiple_buffering : 1)) : 0;
        if (lv->size > 0 && used > cap) {
            char list[256] = "";
            for (t = 0; t < p->ntensors; t++)
                if (o->level[l].kept >> t & 1) {
                    char one[96];
                    snprintf(one, sizeof one, "%s%s %.0f", list[0] ? ", " : "", p->tensors[t].name, o->level[l].t[t].tile);
                    strncat(list, one, sizeof list - strlen(list) - 1);
                }
            return sm__fail(err, SM_ERR_CAPACITY, s->map[l].temporal.loc.line ? &s->map[l].temporal.loc : &lv->loc,
                            "level %s: tiles (%s) need %.0f words, capacity is %.0f (size %.0f / multiple_buffering %g)",
                            lv->name, list, used, cap, lv->size, lv->multiple_buffering > 0 ? lv->multiple_buffering : 1);
        }
    }
    for (t = 0; t < p->ntensors; t++) deliv[s->nlevels][t] = n->temporal_iters;

    /* reads, fills, updates (per instance, then totals) */
    for (t = 0; t < p->ntensors; t++) {
        const sm_tensor *ten = &p->tensors[t];
        int parent = -1;
        for (l = 0; l < s->nlevels; l++) {
            sm_access *a = &o->level[l].t[t];
            int c;
            double distinct = 1, from_child, reads, fills, updates = 0;
            if (!(o->level[l].kept >> t & 1)) continue;
            for (c = l + 1; c < s->nlevels; c++) if (o->level[c].kept >> t & 1) break;
            for (i = n->first[l]; i < n->first[c]; i++)
                if (n->loops[i].spatial && (dims[t] >> n->loops[i].dim & 1u)) distinct *= n->loops[i].f;
            from_child = deliv[c][t] * distinct;
            if (ten->is_output) {
                updates = from_child;
                reads = updates - a->partition;
                fills = parent >= 0 ? deliv[l][t] - a->partition : 0;
            } else {
                reads = from_child;
                fills = parent >= 0 ? deliv[l][t] : 0;
            }
            a->reads = reads * util[l];
            a->fills = fills * util[l];
            a->updates = updates * util[l];
            if (a->reads > SM__EXACT || a->updates > SM__EXACT || a->fills > SM__EXACT)
                return sm__fail(err, SM_ERR_OVERFLOW, &p->bounds_loc, "level %s tensor %s: access counts exceed 2^53", s->levels[l].name, ten->name);
            parent = l;
        }
    }

    /* timing: computes per MAC, throttled by each level's bandwidth */
    o->computes = computes;
    o->utilized_macs = macs;
    o->compute_cycles = n->temporal_iters;
    total_cycles = o->compute_cycles;
    for (l = 0; l < s->nlevels; l++) {
        const sm_level *lv = &s->levels[l];
        sm_level_stats *ls = &o->level[l];
        double rd = 0, wr = 0, slow = 1;
        if (ls->is_spatial) continue;
        for (t = 0; t < p->ntensors; t++) {
            rd += ls->t[t].reads / util[l];
            wr += (ls->t[t].fills + ls->t[t].updates) / util[l];
        }
        ls->read_per_cycle = rd / o->compute_cycles;
        ls->write_per_cycle = wr / o->compute_cycles;
        if (lv->read_bw > 0 && ls->read_per_cycle > 0) slow = fmin(slow, lv->read_bw / ls->read_per_cycle);
        if (lv->write_bw > 0 && ls->write_per_cycle > 0) slow = fmin(slow, lv->write_bw / ls->write_per_cycle);
        if (lv->shared_bw > 0 && ls->read_per_cycle + ls->write_per_cycle > 0)
            slow = fmin(slow, lv->shared_bw / (ls->read_per_cycle + ls->write_per_cycle));
        ls->slowdown = slow;
        ls->cycles = slow < 1 ? ceil(o->compute_cycles / slow - 1e-9) : o->compute_cycles;
        if (ls->cycles > total_cycles) total_cycles = ls->cycles;
    }
    o->cycles = total_cycles;
    o->utilization = o->computes / (o->cycles * (double)sm__instances(s, s->nlevels));

    /* energy and area */
    for (l = 0; l < s->nlevels; l++) {
        const sm_level *lv = &s->levels[l];
        sm_level_stats *ls = &o->level[l];
        double block = (double)(lv->block_words ? lv->block_words : 1);
        double inst = (double)sm__instances(s, l);
        double clusters = fmin(util[l], floor(inst / (double)(lv->cluster_size ? lv->cluster_size : 1)));
        double share = clusters >= 1 ? util[l] / clusters : 1;
        double upd_pj = lv->update_pj ? lv->update_pj : lv->write_pj;
        ls->area_um2 = lv->area_um2 * inst;
        o->area_um2 += ls->area_um2;
        if (ls->is_spatial) continue;
        for (t = 0; t < p->ntensors; t++) {
            sm_access *a = &ls->t[t];
            double e;
            if (!(ls->kept >> t & 1)) continue;
            e = sm__action_pj(a->reads / util[l], block, lv->read_pj) + sm__action_pj(a->fills / util[l], block, lv->write_pj) +
                sm__action_pj(a->updates / util[l], block, upd_pj);
            a->energy_pj = e / share * util[l];
            ls->energy_pj += a->energy_pj;
        }
        ls->leak_pj = lv->leak_pj * o->cycles * util[l];
        ls->energy_pj += ls->leak_pj;
        o->energy_pj += ls->energy_pj;
    }
    o->compute_energy_pj = o->computes * s->compute.mac_pj;
    o->compute_area_um2 = s->compute.area_um2 * (double)sm__instances(s, s->nlevels);
    o->area_um2 += o->compute_area_um2;
    o->energy_pj += o->compute_energy_pj;
    return SM_OK;
}

/*=== [@report.impl] TEXT, TSV AND JSON =========================================================*/
static void sm__fmt(char *buf, size_t cap, double v) {
    if (v == floor(v) && fabs(v) < 1e15) snprintf(buf, cap, "%.0f", v);
    else snprintf(buf, cap, "%.10g", v);
}

static void sm__row(FILE *f, const char *lvl, const char *ten, const char *metric, double v, int energy) {
    char buf[64];
    if (energy) snprintf(buf, sizeof buf, "%.4f", v); else sm__fmt(buf, sizeof buf, v);
    fprintf(f, "%s\t%s\t%s\t%s\n", lvl, ten, metric, buf);
}

SMAPI void sm_report_tsv(FILE *f, const sm_spec *s, const sm_stats *st) {
    int l, t;
    for (l = 0; l < st->nlevels; l++) {
        const sm_level_stats *ls = &st->level[l];
        const char *ln = s->levels[l].name;
        if (ls->is_spatial) continue;
        for (t = 0; t < st->ntensors; t++) {
            const char *tn = s->problem.tensors[t].name;
            if (!(ls->kept >> t & 1)) continue;
            sm__row(f, ln, tn, "reads", ls->t[t].reads, 0);
            sm__row(f, ln, tn, "fills", ls->t[t].fills, 0);
            sm__row(f, ln, tn, "updates", ls->t[t].updates, 0);
        }
        sm__row(f, ln, "-", "cycles", ls->cycles, 0);
        sm__row(f, ln, "-", "energy_pj", ls->energy_pj, 1);
        if (ls->area_um2 > 0) sm__row(f, ln, "-", "area_um2", ls->area_um2, 1);
    }
    sm__row(f, s->compute.name, "-", "computes", st->computes, 0);
    sm__row(f, s->compute.name, "-", "cycles", st->compute_cycles, 0);
    sm__row(f, s->compute.name, "-", "energy_pj", st->compute_energy_pj, 1);
    if (st->compute_area_um2 > 0) sm__row(f, s->compute.name, "-", "area_um2", st->compute_area_um2, 1);
    sm__row(f, "-", "-", "computes", st->computes, 0);
    sm__row(f, "-", "-", "cycles", st->cycles, 0);
    sm__row(f, "-", "-", "utilization", st->utilization, 0);
    sm__row(f, "-", "-", "energy_pj", st->energy_pj, 1);
    if (st->area_um2 > 0) sm__row(f, "-", "-", "area_um2", st->area_um2, 1);
}

SMAPI void sm_report_text(FILE *f, const sm_spec *s, const sm_stats *st) {
    int l, t;
    char a[32], b[32], c[32];
    fprintf(f, "sparsemodel %s: %s on %s\n", sm_version_string(), s->problem.name[0] ? s->problem.name : "problem",
            s->arch_name[0] ? s->arch_name : "arch");
    fprintf(f, "%-24s %-10s %16s %16s %16s\n", "level", "tensor", "reads", "fills", "updates");
    for (l = 0; l < st->nlevels; l++) {
        const sm_level_stats *ls = &st->level[l];
        if (ls->is_spatial) continue;
        for (t = 0; t < st->ntensors; t++) {
            if (!(ls->kept >> t & 1)) continue;
            sm__fmt(a, sizeof a, ls->t[t].reads); sm__fmt(b, sizeof b, ls->t[t].fills); sm__fmt(c, sizeof c, ls->t[t].updates);
            fprintf(f, "%-24s %-10s %16s %16s %16s\n", s->levels[l].name, s->problem.tensors[t].name, a, b, c);
        }
    }
    fprintf(f, "\n%-24s %12s %8s %10s %18s\n", "level", "cycles", "slowdown", "instances", "energy_pj");
    for (l = 0; l < st->nlevels; l++) {
        const sm_level_stats *ls = &st->level[l];
        if (ls->is_spatial) continue;
        fprintf(f, "%-24s %12.0f %8.3f %10.0f %18.2f\n", s->levels[l].name, ls->cycles, ls->slowdown, ls->utilized_instances, ls->energy_pj);
    }
    fprintf(f, "%-24s %12.0f %8s %10.0f %18.2f\n", s->compute.name, st->compute_cycles, "-", st->utilized_macs, st->compute_energy_pj);
    fprintf(f, "\ncomputes     %.0f\ncycles       %.0f\nutilization  %.4f\nenergy       %.2f pJ (%.3f pJ/compute)\n",
            st->computes, st->cycles, st->utilization, st->energy_pj, st->energy_pj / st->computes);
    if (st->area_um2 > 0) fprintf(f, "area         %.1f um^2\n", st->area_um2);
}

static void sm__json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20) fprintf(f, "\\u%04x", *s);
        else fputc(*s, f);
    }
    fputc('"', f);
}

SMAPI void sm_report_json(FILE *f, const sm_spec *s, const sm_stats *st) {
    int l, t, first = 1;
    fprintf(f, "{\n  \"version\": \"%s\",\n  \"problem\": ", sm_version_string());
    sm__json_str(f, s->problem.name);
    fprintf(f, ",\n  \"arch\": ");
    sm__json_str(f, s->arch_name);
    fprintf(f, ",\n  \"levels\": [");
    for (l = 0; l < st->nlevels; l++) {
        const sm_level_stats *ls = &st->level[l];
        int ft = 1;
        if (ls->is_spatial) continue;
        fprintf(f, "%s\n    {\"name\": ", first ? "" : ",");
        first = 0;
        sm__json_str(f, s->levels[l].name);
        fprintf(f, ", \"utilized_instances\": %.17g, \"cycles\": %.17g, \"slowdown\": %.17g, \"energy_pj\": %.17g, \"leak_pj\": %.17g, \"tensors\": {",
                ls->utilized_instances, ls->cycles, ls->slowdown, ls->energy_pj, ls->leak_pj);
        for (t = 0; t < st->ntensors; t++) {
            if (!(ls->kept >> t & 1)) continue;
            fprintf(f, "%s", ft ? "" : ", ");
            ft = 0;
            sm__json_str(f, s->problem.tensors[t].name);
            fprintf(f, ": {\"reads\": %.17g, \"fills\": %.17g, \"updates\": %.17g, \"tile\": %.17g, \"partition\": %.17g, \"energy_pj\": %.17g}",
                    ls->t[t].reads, ls->t[t].fills, ls->t[t].updates, ls->t[t].tile, ls->t[t].partition, ls->t[t].energy_pj);
        }
        fprintf(f, "}}");
    }
    fprintf(f, "\n  ],\n  \"compute\": {\"name\": ");
    sm__json_str(f, s->compute.name);
    fprintf(f, ", \"computes\": %.17g, \"utilized\": %.17g, \"cycles\": %.17g, \"energy_pj\": %.17g},\n",
            st->computes, st->utilized_macs, st->compute_cycles, st->compute_energy_pj);
    fprintf(f, "  \"cycles\": %.17g,\n  \"utilization\": %.17g,\n  \"energy_pj\": %.17g,\n  \"area_um2\": %.17g\n}\n",
            st->cycles, st->utilization, st->energy_pj, st->area_um2);
}

#endif /* SM__IMPLEMENTATION_INCLUDED */
#endif /* SPARSEMODEL_IMPLEMENTATION */

/*
MIT License. Copyright (c) 2026 the sparsemodel authors.
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions: The above copyright notice and this
permission notice shall be included in all copies or substantial portions of the Software.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
*/
