/* sparsemodel: the command-line tool. Thin on purpose: load -> eval -> report, the reference for
   how to call the library.
     sparsemodel eval SPEC.ini [--format text|tsv|json] [--set section.key=value]...
     sparsemodel components SPEC.ini [--set section.key=value]...
*/
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"

#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fprintf(f,
            "usage: sparsemodel eval SPEC.ini [--format text|tsv|json] [--set section.key=value]...\n"
            "       sparsemodel components SPEC.ini [--set section.key=value]...\n"
            "       sparsemodel --help | --version\n"
            "\n"
            "eval     evaluate the mapping of SPEC.ini on its architecture and print per-level\n"
            "         reads, fills, updates, cycles and energy (default format: text)\n"
            "components  print every component's per-action energies, leakage and area and\n"
            "         where each came from (the spec or the built-in library)\n"
            "--set    override a key after loading, e.g. --set 'level glb.size=32768'\n"
            "         or --set mapping.DRAM.temporal=Q14 (later settings win)\n"
            "Errors are printed as file:line: error: message; the exit code is then 1 (2 for usage).\n");
}

int main(int argc, char **argv) {
    const char *spec_path = NULL, *format = "text";
    const char **sets;
    int nsets = 0, i;
    sm_spec *spec;
    sm_stats st;
    sm_error err;
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) { usage(stdout); return 0; }
    if (argc >= 2 && !strcmp(argv[1], "--version")) { printf("sparsemodel %s (spec format v%d)\n", sm_version_string(), SM_SPEC_VERSION); return 0; }
    if (argc < 3 || (strcmp(argv[1], "eval") != 0 && strcmp(argv[1], "components") != 0)) { usage(stderr); return 2; }
    sets = (const char **)calloc((size_t)argc, sizeof *sets);
    if (!sets) return 1;
    for (i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc) format = argv[++i];
        else if (!strncmp(argv[i], "--format=", 9)) format = argv[i] + 9;
        else if (!strcmp(argv[i], "--set") && i + 1 < argc) sets[nsets++] = argv[++i];
        else if (!strncmp(argv[i], "--set=", 6)) sets[nsets++] = argv[i] + 6;
        else if (argv[i][0] == '-' || spec_path) { fprintf(stderr, "sparsemodel: unexpected argument '%s'\n", argv[i]); usage(stderr); free(sets); return 2; }
        else spec_path = argv[i];
    }
    if (!spec_path) { usage(stderr); free(sets); return 2; }
    if (strcmp(format, "text") && strcmp(format, "tsv") && strcmp(format, "json")) {
        fprintf(stderr, "sparsemodel: unknown format '%s' (text, tsv or json)\n", format);
        free(sets);
        return 2;
    }
    if (sm_spec_load_file(spec_path, sets, nsets, &spec, &err) != SM_OK) {
        fprintf(stderr, "%s\n", err.text);
        free(sets);
        return 1;
    }
    free(sets);
    if (!strcmp(argv[1], "components")) {
        sm_report_components(stdout, spec);
        sm_spec_free(spec);
        return 0;
    }
    if (sm_eval(spec, &st, &err) != SM_OK) {
        fprintf(stderr, "%s\n", err.text);
        sm_spec_free(spec);
        return 1;
    }
    if (!strcmp(format, "tsv")) sm_report_tsv(stdout, spec, &st);
    else if (!strcmp(format, "json")) sm_report_json(stdout, spec, &st);
    else sm_report_text(stdout, spec, &st);
    sm_spec_free(spec);
    return 0;
}
