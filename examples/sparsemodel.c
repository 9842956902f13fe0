/* sparsemodel: the command-line tool. Thin on purpose: load -> eval -> report, load -> map ->
   write, the reference for how to call the library.
     sparsemodel eval  SPEC.ini [--format text|tsv|json] [--set section.key=value]...
     sparsemodel components SPEC.ini [--set section.key=value]...
     sparsemodel map   SPEC.ini [mapper options] [-o FILE]      best mapping as an include-able spec
     sparsemodel sweep SPEC.ini [mapper options] [-o PREFIX]    the [sweep] points, each mapped
     sparsemodel merge [-o OUT] FILE...                         shard outputs -> one result
*/
#define _XOPEN_SOURCE 700
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f) {
    fprintf(f,
            "usage: sparsemodel eval SPEC.ini [--format text|tsv|json] [--set section.key=value]...\n"
            "       sparsemodel map SPEC.ini [MAPPER OPTIONS] [-o FILE] [--set section.key=value]...\n"
            "       sparsemodel sweep SPEC.ini [MAPPER OPTIONS] [-o PREFIX] [--set section.key=value]...\n"
            "       sparsemodel merge [-o OUT] FILE...\n"
            "       sparsemodel components SPEC.ini [--set section.key=value]...\n"
            "       sparsemodel --help | --version\n"
            "\n"
            "eval     evaluate the mapping of SPEC.ini on its architecture and print per-level\n"
            "         reads, fills, updates, cycles and energy (default format: text); a spec\n"
            "         with an [array] section prints the array's folds, latencies and efficiency,\n"
            "         one with a [gpu] section the GPU kernel model's traffic and cycles per role\n"
            "components  print every component's per-action energies, leakage and area and\n"
            "         where each came from (the spec or the built-in library)\n"
            "map      search the mappings of SPEC.ini (its [mapping] is ignored) and write the best\n"
            "         as a spec that includes SPEC.ini and sets every [mapping] key (stdout or -o FILE);\n"
            "         `sparsemodel eval FILE` reproduces the numbers it reports on stderr\n"
            "sweep    map every point of SPEC.ini's [sweep]; writes PREFIX.tsv (all points),\n"
            "         PREFIX.pareto.tsv (energy/cycles Pareto front), PREFIX.gp and PREFIX.png\n"
            "         (default PREFIX: the spec's name + _sweep, in the current directory)\n"
            "merge    combine the outputs of --shard runs (map files or sweep TSVs) into the result\n"
            "         one unsharded run gives (-o OUT: a file for maps, a PREFIX for sweeps)\n"
            "\n"
            "MAPPER OPTIONS (override the spec's [mapper] section)\n"
            "--objective edp|energy|cycles|weighted:WE,WC   cost (weighted: energy^WE x cycles^WC)\n"
            "--search auto|exhaustive|random|anneal         strategy (auto: exhaustive if it fits the budget)\n"
            "--evals N        evaluation budget, all tasks together (default 200000)\n"
            "--budget SEC     wall-clock budget (the result then depends on the machine's speed)\n"
            "--threads N      worker threads (default: every core); results do not depend on it\n"
            "--seed S         random seed (default 0)\n"
            "--tasks N        independent search tasks (default 8)\n"
            "--victory N      a task stops after N valid evaluations without improvement\n"
            "--shard I/N      run only shard I of N (0-based): tasks of a map, points of a sweep\n"
            "--quiet          no progress bar or summary on stderr\n"
            "--set            override a key after loading, e.g. --set 'level glb.size=32768'\n"
            "         or --set mapping.DRAM.temporal=Q14 (later settings win)\n"
            "Errors are printed as file:line: error: message; the exit code is then 1 (2 for usage).\n");
}

/* ---- options shared by map and sweep ---- */
typedef struct cli {
    const char *spec_path, *out, *format;
    const char **sets;
    int nsets;
    int has_objective, has_search, has_seed, has_evals, has_budget, has_tasks, has_victory, threads, quiet;
    sm_objective objective;
    double we, wc, evals, budget, victory;
    sm_search_kind search;
    unsigned long long seed;
    int tasks, shard, nshards;
} cli;

static int arg_num(const char *opt, const char *v, double lo, double hi, double *out) {
    char *end;
    double x = strtod(v, &end);
    if (end == v || *end || x < lo || x > hi) { fprintf(stderr, "sparsemodel: %s: '%s' is not a number in %g..%g\n", opt, v, lo, hi); return 0; }
    *out = x;
    return 1;
}

/* Parse argv[2..]; returns 0 on a usage error (message printed). */
static int parse_args(int argc, char **argv, cli *c, int mapper) {
    int i;
    memset(c, 0, sizeof *c);
    c->format = "text";
    c->sets = (const char **)calloc((size_t)argc + 1, sizeof *c->sets);
    if (!c->sets) return 0;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        double x;
        char name[32];
        const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        if (eq && (size_t)(eq - a) < sizeof name) { memcpy(name, a, (size_t)(eq - a)); name[eq - a] = 0; v = eq + 1; }
        else { snprintf(name, sizeof name, "%s", a); }
#define NEEDV() do { if (!v) { if (i + 1 >= argc) { fprintf(stderr, "sparsemodel: %s needs a value\n", name); return 0; } v = argv[++i]; } } while (0)
        if (!strcmp(name, "--set")) { NEEDV(); c->sets[c->nsets++] = v; }
        else if (!strcmp(name, "--format") && !mapper) { NEEDV(); c->format = v; }
        else if ((!strcmp(name, "-o") || !strcmp(name, "--output")) && mapper) { NEEDV(); c->out = v; }
        else if (!strcmp(name, "--objective") && mapper) {
            NEEDV();
            c->has_objective = 1;
            if (!strcmp(v, "edp")) c->objective = SM_OBJECTIVE_EDP;
            else if (!strcmp(v, "energy")) c->objective = SM_OBJECTIVE_ENERGY;
            else if (!strcmp(v, "cycles") || !strcmp(v, "delay")) c->objective = SM_OBJECTIVE_CYCLES;
            else if (!strncmp(v, "weighted", 8)) {
                c->objective = SM_OBJECTIVE_WEIGHTED;
                c->we = c->wc = 1;
                if (v[8] == ':' && sscanf(v + 9, "%lf,%lf", &c->we, &c->wc) != 2) { fprintf(stderr, "sparsemodel: --objective weighted:WE,WC (e.g. weighted:1,2)\n"); return 0; }
                if (v[8] && v[8] != ':') { fprintf(stderr, "sparsemodel: unknown objective '%s'\n", v); return 0; }
            } else { fprintf(stderr, "sparsemodel: unknown objective '%s' (edp, energy, cycles, weighted:WE,WC)\n", v); return 0; }
        } else if (!strcmp(name, "--search") && mapper) {
            NEEDV();
            c->has_search = 1;
            if (!strcmp(v, "auto")) c->search = SM_SEARCH_AUTO;
            else if (!strcmp(v, "exhaustive")) c->search = SM_SEARCH_EXHAUSTIVE;
            else if (!strcmp(v, "random")) c->search = SM_SEARCH_RANDOM;
            else if (!strcmp(v, "anneal")) c->search = SM_SEARCH_ANNEAL;
            else { fprintf(stderr, "sparsemodel: unknown search '%s' (auto, exhaustive, random, anneal)\n", v); return 0; }
        } else if (!strcmp(name, "--evals") && mapper) { NEEDV(); if (!arg_num(name, v, 1, 1e15, &c->evals)) return 0; c->has_evals = 1; }
        else if (!strcmp(name, "--budget") && mapper) { NEEDV(); if (!arg_num(name, v, 1e-6, 1e9, &c->budget)) return 0; c->has_budget = 1; }
        else if (!strcmp(name, "--threads") && mapper) { NEEDV(); if (!arg_num(name, v, 1, 4096, &x)) return 0; c->threads = (int)x; }
        else if (!strcmp(name, "--seed") && mapper) { NEEDV(); if (!arg_num(name, v, 0, 1e18, &x)) return 0; c->seed = (unsigned long long)x; c->has_seed = 1; }
        else if (!strcmp(name, "--tasks") && mapper) { NEEDV(); if (!arg_num(name, v, 1, 1 << 20, &x)) return 0; c->tasks = (int)x; c->has_tasks = 1; }
        else if (!strcmp(name, "--victory") && mapper) { NEEDV(); if (!arg_num(name, v, 1, 1e15, &c->victory)) return 0; c->has_victory = 1; }
        else if (!strcmp(name, "--shard") && mapper) {
            NEEDV();
            if (sscanf(v, "%d/%d", &c->shard, &c->nshards) != 2 || c->nshards < 1 || c->shard < 0 || c->shard >= c->nshards) {
                fprintf(stderr, "sparsemodel: --shard I/N with 0 <= I < N (got '%s')\n", v);
                return 0;
            }
        } else if (!strcmp(name, "--quiet") && mapper) c->quiet = 1;
        else if (a[0] == '-' || c->spec_path) { fprintf(stderr, "sparsemodel: unexpected argument '%s'\n", a); return 0; }
        else c->spec_path = a;
#undef NEEDV
    }
    if (!c->spec_path) { fprintf(stderr, "sparsemodel: no spec file given\n"); return 0; }
    return 1;
}

static void apply_cli(const cli *c, sm_map_desc *d) {
    if (c->has_objective) { d->objective = c->objective; d->energy_weight = c->we; d->cycles_weight = c->wc; }
    if (c->has_search) d->search = c->search;
    if (c->has_seed) d->seed = c->seed;
    if (c->has_evals) d->evals = c->evals;
    if (c->has_budget) { d->seconds = c->budget; if (!c->has_evals) d->evals = 0; }
    if (c->has_tasks) d->tasks = c->tasks;
    if (c->has_victory) d->victory = c->victory;
    if (c->threads) d->threads = c->threads;
    else if (!d->threads) { long n = sysconf(_SC_NPROCESSORS_ONLN); d->threads = n > 0 ? (int)n : 1; }
    if (c->nshards > 1) { d->shard = c->shard; d->nshards = c->nshards; }
}

static const char *objective_name(const sm_map_desc *d, char *buf, size_t cap) {
    switch (d->objective) {
    case SM_OBJECTIVE_ENERGY: return "energy";
    case SM_OBJECTIVE_CYCLES: return "cycles";
    case SM_OBJECTIVE_WEIGHTED:
        snprintf(buf, cap, "weighted:%g,%g", d->energy_weight > 0 ? d->energy_weight : 1, d->cycles_weight > 0 ? d->cycles_weight : 1);
        return buf;
    default: return "edp";
    }
}
static const char *search_name(sm_search_kind k) {
    return k == SM_SEARCH_EXHAUSTIVE ? "exhaustive" : k == SM_SEARCH_RANDOM ? "random" : k == SM_SEARCH_ANNEAL ? "anneal" : "auto";
}

/* The mapper settings every shard of one search shares (threads excluded: they do not matter). */
static void settings_line(char *buf, size_t cap, const sm_map_desc *d) {
    char ob[64], ev[64];
    if (d->evals > 0) snprintf(ev, sizeof ev, "evals %.0f", d->evals);
    else if (d->seconds > 0) snprintf(ev, sizeof ev, "budget %gs", d->seconds);
    else snprintf(ev, sizeof ev, "evals 200000");
    snprintf(buf, cap, "objective %s, search %s, seed %llu, %s%s, tasks %d", objective_name(d, ob, sizeof ob), search_name(d->search), d->seed, ev,
             d->seconds > 0 && d->evals > 0 ? " (and a time budget)" : "", d->tasks > 0 ? d->tasks : 8);
}

/* ---- progress bar on stderr (only when it is a terminal) ---- */
typedef struct progress { double t0, last; const char *unit; int on; } progress;
static double now_s(void) { struct timeval tv; gettimeofday(&tv, NULL); return (double)tv.tv_sec + 1e-6 * (double)tv.tv_usec; }
static void progress_show(progress *p, double done, double total, int force) {
    double t = now_s(), el = t - p->t0, rate = el > 0 ? done / el : 0;
    char bar[31];
    int i, fill;
    if (!p->on || (!force && t - p->last < 0.2)) return;
    p->last = t;
    fill = total > 0 ? (int)(30 * (done < total ? done : total) / total) : 0;
    for (i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
    bar[30] = 0;
    if (total > 0 && rate > 0)
        fprintf(stderr, "\r[%s] %.0f/%.0f %s  %.3g/s  ETA %.0fs   ", bar, done, total, p->unit, rate, (total - done) / rate > 0 ? (total - done) / rate : 0);
    else if (total > 0) fprintf(stderr, "\r[%s] %.0f/%.0f %s   ", bar, done, total, p->unit);
    else fprintf(stderr, "\r[%s] %.0f %s  %.3g/s   ", bar, done, p->unit, rate);
    fflush(stderr);
}
static void progress_end(progress *p) { if (p->on) fprintf(stderr, "\r%*s\r", 78, ""); }
static void map_progress(void *user, double done, double total) { progress_show((progress *)user, done, total, 0); }

/* ---- paths: the include line of a map file, relative to where the file is written ---- */
static void dir_of(const char *path, char *out, size_t cap) {
    const char *sl = strrchr(path, '/');
    if (!sl) snprintf(out, cap, ".");
    else if (sl == path) snprintf(out, cap, "/");
    else snprintf(out, cap, "%.*s", (int)(sl - path), path);
}
/* target relative to directory dir (both made absolute); falls back to target's absolute path. */
static void rel_path(const char *target, const char *dir, char *out, size_t cap) {
    char t[PATH_MAX], d[PATH_MAX];
    size_t common = 0, i;
    int ups = 0;
    if (!realpath(target, t)) { snprintf(out, cap, "%s", target); return; }
    if (!realpath(dir, d)) { snprintf(out, cap, "%s", t); return; }
    if (strcmp(d, "/")) strcat(d, "/");
    for (i = 0; t[i] && d[i] && t[i] == d[i]; i++) if (t[i] == '/') common = i + 1;
    for (i = common; d[i]; i++) if (d[i] == '/') ups++;
    out[0] = 0;
    while (ups-- > 0 && strlen(out) + 3 < cap) strcat(out, "../");
    if (strlen(out) + strlen(t + common) < cap) strcat(out, t + common);
}

/* --set section.key=value lines as INI, so that a map file evaluates what the mapper evaluated */
static void write_sets(FILE *f, const cli *c) {
    int i;
    for (i = 0; i < c->nsets; i++) {
        const char *eq = strchr(c->sets[i], '='), *dot = eq ? memchr(c->sets[i], '.', (size_t)(eq - c->sets[i])) : NULL;
        if (!dot) continue;
        fprintf(f, "[%.*s]\n%.*s = %s\n", (int)(dot - c->sets[i]), c->sets[i], (int)(eq - dot - 1), dot + 1, eq + 1);
    }
}

static int cmd_components(int argc, char **argv) {
    cli c;
    sm_spec *spec;
    sm_error err;
    if (!parse_args(argc, argv, &c, 0)) { usage(stderr); free(c.sets); return 2; }
    if (sm_spec_load_file(c.spec_path, c.sets, c.nsets, &spec, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); free(c.sets); return 1; }
    free(c.sets);
    sm_report_components(stdout, spec);
    sm_spec_free(spec);
    return 0;
}

static int cmd_eval(int argc, char **argv) {
    cli c;
    sm_spec *spec;
    sm_stats st;
    sm_error err;
    if (!parse_args(argc, argv, &c, 0)) { usage(stderr); free(c.sets); return 2; }
    if (strcmp(c.format, "text") && strcmp(c.format, "tsv") && strcmp(c.format, "json")) {
        fprintf(stderr, "sparsemodel: unknown format '%s' (text, tsv or json)\n", c.format);
        free(c.sets);
        return 2;
    }
    if (sm_spec_load_file(c.spec_path, c.sets, c.nsets, &spec, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); free(c.sets); return 1; }
    free(c.sets);
    if (spec->array.kind) {   /* an [array] spec: the fold model of a GEMM array */
        sm_array_stats as;
        if (sm_array_eval(spec, &as, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); sm_spec_free(spec); return 1; }
        if (!strcmp(c.format, "tsv")) sm_array_report_tsv(stdout, spec, &as);
        else if (!strcmp(c.format, "json")) sm_array_report_json(stdout, spec, &as);
        else sm_array_report_text(stdout, spec, &as);
        sm_spec_free(spec);
        return 0;
    }
    if (spec->gpu.kernel != SM_GPU_OFF) {   /* a [gpu] spec: the tiled-kernel model */
        sm_gpu_stats gs;
        if (sm_gpu_eval(spec, &gs, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); sm_spec_free(spec); return 1; }
        if (!strcmp(c.format, "tsv")) sm_gpu_report_tsv(stdout, spec, &gs);
        else if (!strcmp(c.format, "json")) sm_gpu_report_json(stdout, spec, &gs);
        else sm_gpu_report_text(stdout, spec, &gs);
        sm_spec_free(spec);
        return 0;
    }
    if (sm_eval(spec, &st, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); sm_spec_free(spec); return 1; }
    if (!strcmp(c.format, "tsv")) sm_report_tsv(stdout, spec, &st);
    else if (!strcmp(c.format, "json")) sm_report_json(stdout, spec, &st);
    else sm_report_text(stdout, spec, &st);
    sm_spec_free(spec);
    return 0;
}

static int cmd_map(int argc, char **argv) {
    cli c;
    sm_spec *spec;
    sm_error err;
    sm_map_desc d;
    sm_map_result *res;
    sm_result r;
    progress pg;
    char settings[256], inc[PATH_MAX + 16], dir[PATH_MAX];
    FILE *f = stdout;
    if (!parse_args(argc, argv, &c, 1)) { usage(stderr); free(c.sets); return 2; }
    if (sm_spec_load_file(c.spec_path, c.sets, c.nsets, &spec, &err) != SM_OK ||
        sm_map_desc_from_spec(spec, &d, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); free(c.sets); return 1; }
    apply_cli(&c, &d);
    memset(&pg, 0, sizeof pg);
    pg.on = !c.quiet && isatty(2);
    pg.t0 = now_s();
    pg.unit = "evals";
    if (pg.on) { d.progress = map_progress; d.progress_user = &pg; }
    res = (sm_map_result *)malloc(sizeof *res);
    if (!res) { sm_spec_free(spec); free(c.sets); return 1; }
    if (c.out && !(f = fopen(c.out, "w"))) { fprintf(stderr, "sparsemodel: cannot write '%s'\n", c.out); free(res); sm_spec_free(spec); free(c.sets); return 1; }
    r = sm_map(spec, &d, res, &err);
    progress_end(&pg);
    if (r != SM_OK && !(r == SM_ERR_EMPTY && c.nshards > 1)) {
        fprintf(stderr, "%s\n", err.text);
        if (f != stdout) { fclose(f); remove(c.out); }
        free(res); sm_spec_free(spec); free(c.sets);
        return 1;
    }
    settings_line(settings, sizeof settings, &d);
    dir_of(c.out ? c.out : "./x", dir, sizeof dir);
    rel_path(c.spec_path, dir, inc, sizeof inc);
    fprintf(f, "; sparsemodel map: the best mapping found for %s\n; %s\n", c.spec_path, settings);
    if (c.nshards > 1) fprintf(f, "; shard %d/%d\n", c.shard, c.nshards);
    if (r != SM_OK) fprintf(f, "; result: none (%s)\n", err.text);
    else {
        fprintf(f, "; energy_pj %.10g, cycles %.10g, edp %.10g, utilization %.6g\n", res->stats.energy_pj, res->stats.cycles, res->edp, res->stats.utilization);
        fprintf(f, "; result: cost=%.17g edp=%.17g task=%d\n", res->cost, res->edp, res->task);
        fprintf(f, "include = %s\n", inc);
        write_sets(f, &c);
        fprintf(f, "\n");
        sm_mapping_write(f, spec, res->map);
    }
    if (f != stdout && fclose(f) != 0) { fprintf(stderr, "sparsemodel: cannot write '%s'\n", c.out); r = SM_ERR_IO; }
    if (!c.quiet) {
        if (res->found)
            fprintf(stderr, "best: energy %.6g pJ, cycles %.0f, EDP %.6g (task %d, %s search)\n", res->stats.energy_pj, res->stats.cycles, res->edp, res->task, search_name(res->search));
        else fprintf(stderr, "this shard found no valid mapping\n");
        fprintf(stderr, "%.0f candidates, %.0f pruned before evaluation, %.0f evaluated, %.0f valid; %.2f s on %d thread%s: %.0f valid mappings/s (best after %.2f s); mapspace %s %.3g\n",
                res->candidates, res->pruned, res->evals, res->valid, res->seconds, d.threads, d.threads > 1 ? "s" : "",
                res->seconds > 0 ? res->valid / res->seconds : 0, res->seconds_to_best, res->search == SM_SEARCH_EXHAUSTIVE ? "=" : "<=", res->mapspace);
    }
    free(res);
    sm_spec_free(spec);
    free(c.sets);
    return r == SM_OK || r == SM_ERR_EMPTY ? 0 : 1;
}

/* ---- sweeps ---- */
static void tsv_clean(char *s) { for (; *s; s++) if (*s == '\t' || *s == '\n' || *s == '\r') *s = ' '; }

/* The rows of a sweep TSV: header comment, column line, then "point<TAB>..." rows. */
typedef struct rows { char *head, *cols; char **row; long *point; long n, cap; } rows;
static void rows_free(rows *t) { long i; for (i = 0; i < t->n; i++) free(t->row[i]); free(t->row); free(t->point); free(t->head); free(t->cols); memset(t, 0, sizeof *t); }
static char *dupstr(const char *s) { size_t n = strlen(s) + 1; char *d = (char *)malloc(n); if (d) memcpy(d, s, n); return d; }
static char *read_line(FILE *f) {
    size_t cap = 256, n = 0;
    char *b = (char *)malloc(cap);
    int ch;
    if (!b) return NULL;
    while ((ch = getc(f)) != EOF && ch != '\n') {
        if (n + 1 >= cap) { char *nb = (char *)realloc(b, cap *= 2); if (!nb) { free(b); return NULL; } b = nb; }
        b[n++] = (char)ch;
    }
    if (ch == EOF && n == 0) { free(b); return NULL; }
    b[n] = 0;
    return b;
}
static int rows_add(rows *t, long point, char *line) {
    if (t->n == t->cap) {
        long nc = t->cap ? t->cap * 2 : 64;
        char **nr = (char **)realloc(t->row, sizeof(char *) * (size_t)nc);
        long *np;
        if (!nr) return 0;
        t->row = nr;
        np = (long *)realloc(t->point, sizeof(long) * (size_t)nc);
        if (!np) return 0;
        t->point = np;
        t->cap = nc;
    }
    t->row[t->n] = line;
    t->point[t->n++] = point;
    return 1;
}

/* Column index of name in the column line, -1 if absent. */
static int col_index(const char *cols, const char *name) {
    int i = 0;
    const char *p = cols;
    size_t n = strlen(name);
    for (;;) {
        const char *e = strchr(p, '\t');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !strncmp(p, name, n)) return i;
        if (!e) return -1;
        p = e + 1;
        i++;
    }
}
static double col_num(const char *row, int col) {
    const char *p = row;
    int i;
    for (i = 0; i < col && p; i++) { p = strchr(p, '\t'); if (p) p++; }
    return p ? strtod(p, NULL) : 0;
}
static int row_ok(const char *row, int col) {
    const char *p = row;
    int i;
    for (i = 0; i < col && p; i++) { p = strchr(p, '\t'); if (p) p++; }
    return p && !strncmp(p, "ok\t", 3);
}

/* The files a complete sweep has: PREFIX.tsv, PREFIX.pareto.tsv, PREFIX.gp, PREFIX.png (gnuplot). */
static int sweep_finish(const char *prefix, const rows *t, int quiet, int write_tsv) {
    char path[PATH_MAX + 32], dir[PATH_MAX], base[PATH_MAX];
    const char *sl = strrchr(prefix, '/');
    FILE *f;
    long i, np = 0, *idx;
    double *x, *y;
    int *front, ce = col_index(t->cols, "energy_pj"), cc = col_index(t->cols, "cycles"), cs = col_index(t->cols, "status");
    snprintf(path, sizeof path, "%s.tsv", prefix);
    if (write_tsv) {
        if (!(f = fopen(path, "w"))) { fprintf(stderr, "sparsemodel: cannot write '%s'\n", path); return 1; }
        fprintf(f, "%s\n%s\n", t->head, t->cols);
        for (i = 0; i < t->n; i++) fprintf(f, "%s\n", t->row[i]);
        fclose(f);
    }
    x = (double *)calloc((size_t)t->n + 1, sizeof *x); y = (double *)calloc((size_t)t->n + 1, sizeof *y);
    front = (int *)calloc((size_t)t->n + 1, sizeof *front); idx = (long *)calloc((size_t)t->n + 1, sizeof *idx);
    if (!x || !y || !front || !idx) { free(x); free(y); free(front); free(idx); return 1; }
    for (i = 0; i < t->n; i++)
        if (cs >= 0 && row_ok(t->row[i], cs)) { idx[np] = i; x[np] = col_num(t->row[i], cc); y[np] = col_num(t->row[i], ce); np++; }
    sm_pareto(np, x, y, front);
    snprintf(path, sizeof path, "%s.pareto.tsv", prefix);
    if (!(f = fopen(path, "w"))) { fprintf(stderr, "sparsemodel: cannot write '%s'\n", path); return 1; }
    fprintf(f, "%s (Pareto front: energy_pj and cycles, by cycles)\n%s\n", t->head, t->cols);
    {   /* by cycles, then energy, then point */
        long a, b, nf = 0, *ord = (long *)malloc(sizeof(long) * (size_t)(np + 1));
        if (!ord) { fclose(f); return 1; }
        for (a = 0; a < np; a++) if (front[a]) ord[nf++] = a;
        for (a = 1; a < nf; a++) for (b = a; b > 0 && (x[ord[b]] < x[ord[b - 1]] || (x[ord[b]] == x[ord[b - 1]] && y[ord[b]] < y[ord[b - 1]])); b--) { long tmp = ord[b]; ord[b] = ord[b - 1]; ord[b - 1] = tmp; }
        for (a = 0; a < nf; a++) fprintf(f, "%s\n", t->row[idx[ord[a]]]);
        if (!quiet) fprintf(stderr, "%ld points (%ld valid), %ld on the Pareto front: %s\n", t->n, np, nf, path);
        free(ord);
    }
    fclose(f);
    free(x); free(y); free(front); free(idx);
    snprintf(base, sizeof base, "%s", sl ? sl + 1 : prefix);
    dir_of(prefix, dir, sizeof dir);
    snprintf(path, sizeof path, "%s.gp", prefix);
    if (!(f = fopen(path, "w"))) { fprintf(stderr, "sparsemodel: cannot write '%s'\n", path); return 1; }
    fprintf(f, "# sparsemodel sweep: energy vs cycles of every point and the Pareto front (run in this directory)\n"
               "set terminal pngcairo size 900,600 noenhanced\nset output '%s.png'\nset datafile separator '\\t'\n"
               "set logscale xy\nset grid\nset xlabel 'cycles'\nset ylabel 'energy (pJ)'\nset key top right\n"
               "set title '%s: %ld points, best mapping per point'\n"
               "plot '%s.tsv' every ::1 using %d:%d with points pt 7 ps 0.6 lc rgb '#8080a0' title 'all points', \\\n"
               "     '%s.pareto.tsv' every ::1 using %d:%d with linespoints pt 7 lw 2 lc rgb '#d04020' title 'Pareto front'\n",
            base, base, t->n, base, cc + 1, ce + 1, base, cc + 1, ce + 1);
    fclose(f);
    if (system("command -v gnuplot >/dev/null 2>&1") == 0) {
        char cmd[3 * PATH_MAX];
        snprintf(cmd, sizeof cmd, "cd '%s' && gnuplot '%s.gp' 2>/dev/null", dir, base);
        if (system(cmd) != 0 && !quiet) fprintf(stderr, "sparsemodel: gnuplot failed on %s.gp\n", prefix);
    } else if (!quiet) fprintf(stderr, "sparsemodel: gnuplot is not installed (apt-get install gnuplot-nox); %s.gp is written\n", prefix);
    return 0;
}

static int cmd_sweep(int argc, char **argv) {
    cli c;
    sm_spec *spec;
    sm_error err;
    sm_sweep sw;
    sm_map_desc d0;
    rows t;
    long n, i, mine = 0, done = 0;
    int a, *choice, rc = 0;
    char prefix[PATH_MAX - 32], settings[256], buf[4096];
    const char **sets;
    progress pg;
    sm_map_result *res;
    FILE *tsv;
    if (!parse_args(argc, argv, &c, 1)) { usage(stderr); free(c.sets); return 2; }
    if (sm_spec_load_file(c.spec_path, c.sets, c.nsets, &spec, &err) != SM_OK || sm_map_desc_from_spec(spec, &d0, &err) != SM_OK ||
        sm_sweep_from_spec(spec, &sw, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); free(c.sets); return 1; }
    sm_spec_free(spec);
    if (!sw.naxes) { fprintf(stderr, "%s: error: [sweep] has no key to vary (e.g. 'level glb.size = 16384, 32768')\n", c.spec_path); sm_sweep_free(&sw); free(c.sets); return 1; }
    apply_cli(&c, &d0);
    if (c.out) snprintf(prefix, sizeof prefix, "%s", c.out);
    else {
        const char *b = strrchr(c.spec_path, '/'), *dot;
        b = b ? b + 1 : c.spec_path;
        dot = strrchr(b, '.');
        snprintf(prefix, sizeof prefix, "%.*s_sweep", (int)(dot ? dot - b : (long)strlen(b)), b);
    }
    n = sm_sweep_count(&sw);
    memset(&t, 0, sizeof t);
    settings_line(settings, sizeof settings, &d0);
    snprintf(buf, sizeof buf, "# sparsemodel sweep of %s: %ld points (%s), %s", c.spec_path, n, sw.random ? "random" : "cartesian", settings);
    t.head = dupstr(buf);
    {
        size_t k = (size_t)snprintf(buf, sizeof buf, "point");
        for (a = 0; a < sw.naxes && k < sizeof buf; a++) k += (size_t)snprintf(buf + k, sizeof buf - k, "\t%s", sw.axes[a].key);
        if (k < sizeof buf) snprintf(buf + k, sizeof buf - k, "\tstatus\tenergy_pj\tcycles\tedp\tutilization\tarea_um2\tmapping");
    }
    t.cols = dupstr(buf);
    choice = (int *)calloc((size_t)sw.naxes + 1, sizeof *choice);
    sets = (const char **)calloc((size_t)(c.nsets + sw.naxes) + 1, sizeof *sets);
    res = (sm_map_result *)malloc(sizeof *res);
    if (!choice || !sets || !res || !t.head || !t.cols) { fprintf(stderr, "sparsemodel: out of memory\n"); return 1; }
    for (i = 0; i < n; i++) if (c.nshards <= 1 || i % c.nshards == c.shard) mine++;
    {   /* rows go to PREFIX.tsv as they are done */
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s.tsv", prefix);
        if (!(tsv = fopen(path, "w"))) { fprintf(stderr, "sparsemodel: cannot write '%s'\n", path); return 1; }
        if (c.nshards > 1) fprintf(tsv, "%s, shard %d/%d\n%s\n", t.head, c.shard, c.nshards, t.cols);
        else fprintf(tsv, "%s\n%s\n", t.head, t.cols);
        fflush(tsv);
    }
    memset(&pg, 0, sizeof pg);
    pg.on = !c.quiet && isatty(2);
    pg.t0 = now_s();
    pg.unit = "points";
    progress_show(&pg, 0, (double)mine, 1);
    for (i = 0; i < n; i++) {
        char setbuf[64][512], *row, map[8192];
        sm_map_desc d = d0;
        size_t k;
        if (c.nshards > 1 && i % c.nshards != c.shard) continue;   /* round-robin shards */
        sm_sweep_point(&sw, i, choice);
        for (a = 0; a < c.nsets; a++) sets[a] = c.sets[a];
        for (a = 0; a < sw.naxes; a++) {
            snprintf(setbuf[a], sizeof setbuf[a], "%s=%s", sw.axes[a].key, sw.axes[a].values[choice[a]]);
            sets[c.nsets + a] = setbuf[a];
        }
        k = (size_t)snprintf(buf, sizeof buf, "%ld", i);
        for (a = 0; a < sw.naxes && k < sizeof buf; a++) k += (size_t)snprintf(buf + k, sizeof buf - k, "\t%s", sw.axes[a].values[choice[a]]);
        if (sm_spec_load_file(c.spec_path, sets, c.nsets + sw.naxes, &spec, &err) != SM_OK) {
            tsv_clean(err.text);
            snprintf(buf + k, sizeof buf - k, "\terror: %s\t-\t-\t-\t-\t-\t-", err.text);
        } else {
            sm_map_desc dp;   /* a swept [mapper] key wins over the base spec's, the command line over both */
            if (sm_map_desc_from_spec(spec, &dp, &err) == SM_OK) {
                d = dp;
                apply_cli(&c, &d);
                d.shard = 0; d.nshards = 0;   /* a sweep shards points, not the mapper */
            }
            if (sm_map(spec, &d, res, &err) != SM_OK) {
                tsv_clean(err.text);
                snprintf(buf + k, sizeof buf - k, "\terror: %s\t-\t-\t-\t-\t-\t-", err.text);
            } else {
                sm_mapping_line(map, sizeof map, spec, res->map);
                tsv_clean(map);
                snprintf(buf + k, sizeof buf - k, "\tok\t%.10g\t%.10g\t%.10g\t%.6g\t%.10g\t%s", res->stats.energy_pj, res->stats.cycles, res->edp,
                         res->stats.utilization, res->stats.area_um2, map);
            }
            sm_spec_free(spec);
        }
        row = dupstr(buf);
        if (!row || !rows_add(&t, i, row)) { fprintf(stderr, "sparsemodel: out of memory\n"); return 1; }
        fprintf(tsv, "%s\n", row);
        fflush(tsv);
        progress_show(&pg, (double)++done, (double)mine, 0);
    }
    progress_end(&pg);
    if (fclose(tsv) != 0) { fprintf(stderr, "sparsemodel: cannot write '%s.tsv'\n", prefix); rc = 1; }
    else if (c.nshards > 1) {   /* a shard writes its rows; merge finishes */
        if (!c.quiet) fprintf(stderr, "shard %d/%d: %ld of %ld points in %s.tsv (combine the shards with sparsemodel merge)\n", c.shard, c.nshards, t.n, n, prefix);
    } else rc = sweep_finish(prefix, &t, c.quiet, 0);
    rows_free(&t);
    free(choice); free(sets); free(res);
    sm_sweep_free(&sw);
    free(c.sets);
    return rc;
}

/* ---- merge ---- */
static int ends_with(const char *s, const char *suf) { size_t a = strlen(s), b = strlen(suf); return a >= b && !strcmp(s + a - b, suf); }

/* "... , shard I/N" at the end of a sweep header: strip it, return I and N. */
static int strip_shard(char *head, int *i, int *n) {
    char *p = strstr(head, ", shard ");
    if (!p || sscanf(p + 8, "%d/%d", i, n) != 2) return 0;
    *p = 0;
    return 1;
}

static int merge_sweeps(int nfiles, char **files, const char *out) {
    rows t;
    int k, i, *seen = NULL, nsh = -1, rc = 0;
    long total = -1, r;
    memset(&t, 0, sizeof t);
    for (k = 0; k < nfiles; k++) {
        FILE *f = fopen(files[k], "r");
        char *head, *cols, *line, *p;
        int si, sn;
        if (!f) { fprintf(stderr, "sparsemodel: merge: cannot read '%s'\n", files[k]); rc = 1; goto done; }
        head = read_line(f); cols = read_line(f);
        if (!head || !cols || !strip_shard(head, &si, &sn)) { fprintf(stderr, "sparsemodel: merge: %s is not a sweep shard (its first line ends in ', shard I/N')\n", files[k]); free(head); free(cols); fclose(f); rc = 1; goto done; }
        if (!t.head) {
            t.head = head; t.cols = cols; nsh = sn;
            seen = (int *)calloc((size_t)sn, sizeof *seen);
            p = strstr(head, ": ");
            total = p ? strtol(p + 2, NULL, 10) : -1;
        } else {
            if (strcmp(head, t.head) || strcmp(cols, t.cols) || sn != nsh) { fprintf(stderr, "sparsemodel: merge: %s comes from a different sweep than %s\n", files[k], files[0]); free(head); free(cols); fclose(f); rc = 1; goto done; }
            free(head); free(cols);
        }
        if (!seen || si < 0 || si >= nsh || seen[si]++) { fprintf(stderr, "sparsemodel: merge: shard %d/%d given twice (%s)\n", si, sn, files[k]); fclose(f); rc = 1; goto done; }
        while ((line = read_line(f))) {
            if (!line[0] || line[0] == '#') { free(line); continue; }
            if (!rows_add(&t, strtol(line, NULL, 10), line)) { fclose(f); rc = 1; goto done; }
        }
        fclose(f);
    }
    for (i = 0; i < nsh; i++) if (!seen[i]) { fprintf(stderr, "sparsemodel: merge: shard %d/%d is missing\n", i, nsh); rc = 1; goto done; }
    for (r = 1; r < t.n; r++) {   /* by point index */
        long b;
        for (b = r; b > 0 && t.point[b] < t.point[b - 1]; b--) {
            long tp = t.point[b]; char *tr = t.row[b];
            t.point[b] = t.point[b - 1]; t.row[b] = t.row[b - 1];
            t.point[b - 1] = tp; t.row[b - 1] = tr;
        }
    }
    for (r = 0; r < t.n; r++) if (t.point[r] != r) { fprintf(stderr, "sparsemodel: merge: point %ld is missing or repeated\n", r); rc = 1; goto done; }
    if (total >= 0 && t.n != total) { fprintf(stderr, "sparsemodel: merge: %ld of %ld points\n", t.n, total); rc = 1; goto done; }
    rc = sweep_finish(out, &t, 0, 1);
done:
    free(seen);
    rows_free(&t);
    return rc;
}

static int merge_maps(int nfiles, char **files, const char *out) {
    int k, best = -1, nsh = -1, *seen = NULL, rc = 0;
    double bc = 0, be = 0;
    int bt = 0;
    char *h1 = NULL, *h2 = NULL;
    for (k = 0; k < nfiles; k++) {
        FILE *f = fopen(files[k], "r");
        char *a, *b, *line;
        int si = -1, sn = -1, has = 0, task = 0;
        double cost = 0, edp = 0;
        if (!f) { fprintf(stderr, "sparsemodel: merge: cannot read '%s'\n", files[k]); rc = 1; goto done; }
        a = read_line(f); b = read_line(f);
        if (!a || !b || strncmp(a, "; sparsemodel map:", 18)) { fprintf(stderr, "sparsemodel: merge: %s is not a sparsemodel map output\n", files[k]); free(a); free(b); fclose(f); rc = 1; goto done; }
        if (!h1) { h1 = a; h2 = b; }
        else {
            if (strcmp(a, h1) || strcmp(b, h2)) { fprintf(stderr, "sparsemodel: merge: %s comes from a different search than %s\n", files[k], files[0]); free(a); free(b); fclose(f); rc = 1; goto done; }
            free(a); free(b);
        }
        while ((line = read_line(f))) {
            if (!strncmp(line, "; shard ", 8)) sscanf(line + 8, "%d/%d", &si, &sn);
            if (!strncmp(line, "; result: cost=", 15) && sscanf(line + 15, "%lf edp=%lf task=%d", &cost, &edp, &task) == 3) has = 1;
            free(line);
        }
        fclose(f);
        if (sn < 1 || si < 0 || si >= sn) { fprintf(stderr, "sparsemodel: merge: %s has no '; shard I/N' line (is it a --shard output?)\n", files[k]); rc = 1; goto done; }
        if (nsh < 0) { nsh = sn; seen = (int *)calloc((size_t)sn, sizeof *seen); }
        if (sn != nsh || !seen || seen[si]++) { fprintf(stderr, "sparsemodel: merge: shard %d/%d given twice or from another split (%s)\n", si, sn, files[k]); rc = 1; goto done; }
        if (has && (best < 0 || cost < bc || (cost == bc && (edp < be || (edp == be && task < bt))))) { best = k; bc = cost; be = edp; bt = task; }
    }
    for (k = 0; k < nsh; k++) if (!seen[k]) { fprintf(stderr, "sparsemodel: merge: shard %d/%d is missing\n", k, nsh); rc = 1; goto done; }
    if (best < 0) { fprintf(stderr, "sparsemodel: merge: no shard found a valid mapping\n"); rc = 1; goto done; }
    {   /* the winner, without its shard line, its include made relative to OUT */
        FILE *in = fopen(files[best], "r"), *o = out ? fopen(out, "w") : stdout;
        char *line, sdir[PATH_MAX], odir[PATH_MAX];
        if (!in || !o) { fprintf(stderr, "sparsemodel: merge: cannot %s\n", in ? "write the output" : "reread the winner"); if (in) fclose(in); rc = 1; goto done; }
        dir_of(files[best], sdir, sizeof sdir);
        dir_of(out ? out : "./x", odir, sizeof odir);
        while ((line = read_line(in))) {
            if (!strncmp(line, "; shard ", 8)) { free(line); continue; }
            if (!strncmp(line, "include = ", 10)) {
                char full[2 * PATH_MAX + 2], rel[PATH_MAX + 16];
                if (line[10] == '/') snprintf(full, sizeof full, "%s", line + 10);
                else snprintf(full, sizeof full, "%s/%s", sdir, line + 10);
                rel_path(full, odir, rel, sizeof rel);
                fprintf(o, "include = %s\n", rel);
            } else fprintf(o, "%s\n", line);
            free(line);
        }
        fclose(in);
        if (o != stdout) fclose(o);
        fprintf(stderr, "best of %d shards: %s (task %d)\n", nsh, files[best], bt);
    }
done:
    free(seen); free(h1); free(h2);
    return rc;
}

static int cmd_merge(int argc, char **argv) {
    const char *out = NULL;
    char **files = (char **)calloc((size_t)argc, sizeof *files);
    int n = 0, i, rc, sweeps = 0, maps = 0;
    if (!files) return 1;
    for (i = 2; i < argc; i++) {
        if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc) out = argv[++i];
        else if (!strncmp(argv[i], "--output=", 9)) out = argv[i] + 9;
        else if (argv[i][0] == '-') { fprintf(stderr, "sparsemodel: unexpected argument '%s'\n", argv[i]); usage(stderr); free(files); return 2; }
        else { files[n++] = argv[i]; if (ends_with(argv[i], ".tsv")) sweeps++; else maps++; }
    }
    if (!n) { fprintf(stderr, "sparsemodel: merge: no files\n"); usage(stderr); free(files); return 2; }
    if (sweeps && maps) { fprintf(stderr, "sparsemodel: merge: give either sweep shards (.tsv) or map shards, not both\n"); free(files); return 2; }
    if (sweeps) {
        char prefix[PATH_MAX];
        if (out) snprintf(prefix, sizeof prefix, "%.*s", (int)(ends_with(out, ".tsv") ? strlen(out) - 4 : strlen(out)), out);
        else snprintf(prefix, sizeof prefix, "merged_sweep");
        rc = merge_sweeps(n, files, prefix);
    } else rc = merge_maps(n, files, out);
    free(files);
    return rc;
}

int main(int argc, char **argv) {
    int i;
    for (i = 1; i < argc; i++)   /* `sparsemodel map --help` too: help wherever it is asked for */
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { usage(stdout); return 0; }
    if (argc >= 2 && !strcmp(argv[1], "--version")) { printf("sparsemodel %s (spec format v%d)\n", sm_version_string(), SM_SPEC_VERSION); return 0; }
    if (argc >= 3 && !strcmp(argv[1], "eval")) return cmd_eval(argc, argv);
    if (argc >= 3 && !strcmp(argv[1], "components")) return cmd_components(argc, argv);
    if (argc >= 3 && !strcmp(argv[1], "map")) return cmd_map(argc, argv);
    if (argc >= 3 && !strcmp(argv[1], "sweep")) return cmd_sweep(argc, argv);
    if (argc >= 3 && !strcmp(argv[1], "merge")) return cmd_merge(argc, argv);
    usage(stderr);
    return 2;
}
