/* figures_reference: per-level energy breakdown of the four dense Timeloop reference designs, and
   the Eyeriss v2 PE layers' cycles beside Sparseloop's and the silicon's.
   Reads specs/{simple_weight_stationary,simple_output_stationary,eyeriss_like,simba_like}.ini and
   the Eyeriss v2 PE layer cases; writes plots/reference/energy_breakdown.{tsv,gp,png} and
   plots/reference/eyerissv2_cycles.{tsv,gp,png}. Runs in a second.
   Levels are grouped by role so that the designs share one legend: the outermost level
   (off-chip DRAM), shared on-chip buffers (one instance), per-PE storage (many instances),
   and the MACs. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "ex_common.h"

static const char *designs[] = { "simple_weight_stationary", "simple_output_stationary", "eyeriss_like", "simba_like" };

/* Eyeriss v2 PE on MobileNet0.5 layers (Sparseloop MICRO-22 Fig. 12): our cycles for each layer's
   case beside the cycles of the Sparseloop run the case was transcribed from (read from the case's
   expected TSV, the "- - cycles" row) and the silicon's (tests/data/eyerissv2_silicon.tsv). L07 is
   the reference case (Timeloop master); the others are the artifact's 2022 runs, kept in
   tests/ref_extra_diff only because that build counts zero-initialization fills (README there). */
static double tsv_total_cycles(const char *path) {
    char line[512], a[128], b[128], c[128];
    double v, cyc = -1;
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%127[^\t]\t%127[^\t]\t%127[^\t]\t%lf", a, b, c, &v) == 4 && !strcmp(a, "-") && !strcmp(b, "-") && !strcmp(c, "cycles")) cyc = v;
    fclose(f);
    return cyc;
}

static int eyerissv2_cycles(void) {
    char base[600], line[256], layer[32], spec[256], exp[256];
    double silicon;
    FILE *f, *d = fopen("tests/data/eyerissv2_silicon.tsv", "r");
    int n = 0;
    if (!d) { fprintf(stderr, "tests/data/eyerissv2_silicon.tsv: cannot open\n"); return 1; }
    f = ex_figure_open("reference", "eyerissv2_cycles", base, sizeof base);
    if (!f) { fclose(d); return 1; }
    fprintf(f, "# Eyeriss v2 PE on MobileNet0.5 layers, uniform densities (Sparseloop MICRO-22 Fig. 12)\n");
    fprintf(f, "# layer\tsparsemodel\tsparseloop\tsilicon\tsparsemodel/silicon\tsparseloop/silicon\t(sparseloop: L07 Timeloop master 4cf6d4c, others the artifact's 2022 runs)\n");
    while (fgets(line, sizeof line, d)) {
        sm_spec *s;
        sm_stats st;
        sm_error err;
        double sl;
        if (line[0] == '#' || sscanf(line, "%31s %lf", layer, &silicon) != 2) continue;
        if (!strcmp(layer, "L07")) {
            snprintf(spec, sizeof spec, "tests/ref/eyerissv2_pe_L07/case.ini");
            snprintf(exp, sizeof exp, "tests/ref/eyerissv2_pe_L07/expected.tsv");
        } else {
            snprintf(spec, sizeof spec, "tests/ref_extra_diff/eyerissv2-%s/case.ini", layer);
            snprintf(exp, sizeof exp, "tests/ref_extra_diff/eyerissv2-%s/expected.diff.tsv", layer);
        }
        if (sm_spec_load_file(spec, NULL, 0, &s, &err) != SM_OK || sm_eval(s, &st, &err) != SM_OK) {
            fprintf(stderr, "%s\n", err.text);
            fclose(d); fclose(f);
            return 1;
        }
        sl = tsv_total_cycles(exp);
        fprintf(f, "%s\t%.0f\t%.0f\t%.0f\t%.4f\t%.4f\n", layer, st.cycles, sl, silicon, st.cycles / silicon, sl / silicon);
        printf("Eyeriss v2 PE %s cycles: sparsemodel %.0f, Sparseloop %.0f, silicon %.0f (model/silicon %.3f)\n", layer, st.cycles, sl, silicon, st.cycles / silicon);
        sm_spec_free(s);
        n++;
    }
    fclose(d);
    fclose(f);
    if (!n) return 1;
    return ex_figure_render(base, "set datafile separator '\\t'\nset title 'Eyeriss v2 PE, MobileNet0.5 layers: cycles relative to the silicon (Sparseloop MICRO-22 Fig. 12)'\n"
                            "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset yrange [0.8:1.05]\n"
                            "set ylabel 'cycles / silicon cycles'\nset grid ytics\nset key outside top center horizontal\n"
                            "plot datafile using 5:xtic(1) title 'sparsemodel', '' using 6 title 'Sparseloop'\n");
}

int main(void) {
    char base[600];
    FILE *f;
    size_t i;
    int l;
    if (eyerissv2_cycles()) return 1;
    f = ex_figure_open("reference", "energy_breakdown", base, sizeof base);
    if (!f) return 1;
    fprintf(f, "# design\tDRAM_uJ\tshared_buffers_uJ\tPE_storage_uJ\tMACs_uJ\ttotal_uJ\n");
    for (i = 0; i < sizeof designs / sizeof designs[0]; i++) {
        char path[256];
        sm_spec *s;
        sm_stats st;
        sm_error err;
        double dram = 0, shared = 0, pe = 0;
        snprintf(path, sizeof path, "specs/%s.ini", designs[i]);
        if (sm_spec_load_file(path, NULL, 0, &s, &err) != SM_OK || sm_eval(s, &st, &err) != SM_OK) {
            fprintf(stderr, "%s\n", err.text);
            fclose(f);
            return 1;
        }
        for (l = 0; l < s->nlevels; l++) {
            double e = st.level[l].energy_pj * 1e-6;
            if (l == 0) dram += e;
            else if ((s->levels[l].instances ? s->levels[l].instances : 1) == 1) shared += e;
            else pe += e;
        }
        fprintf(f, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", designs[i], dram, shared, pe, st.compute_energy_pj * 1e-6, st.energy_pj * 1e-6);
        sm_spec_free(s);
    }
    fclose(f);
    return ex_figure_render(base,
        "set title 'Energy per level: dense reference designs (conv C3 M32 P=Q=112 R=S=3, stride 2; model = Timeloop parity)'\n"
        "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.85 border -1\n"
        "set boxwidth 0.6\nset xtics rotate by -15\nset ylabel 'energy (uJ)'\nset key outside right top\nset grid ytics\nset yrange [0:*]\n"
        "plot datafile using 2:xtic(1) title 'DRAM (outermost)', '' using 3 title 'shared buffers', "
        "'' using 4 title 'PE storage', '' using 5 title 'MACs'\n") < 0;
}
