/* figures_reference: per-level energy breakdown of the four dense Timeloop reference designs, and
   the Eyeriss v2 PE case's cycles beside Sparseloop's published number and the silicon.
   Reads specs/{simple_weight_stationary,simple_output_stationary,eyeriss_like,simba_like}.ini and
   tests/ref/eyerissv2_pe_L07/case.ini; writes plots/reference/energy_breakdown.{tsv,gp,png} and
   plots/reference/eyerissv2_cycles.tsv. Runs in milliseconds.
   Levels are grouped by role so that the designs share one legend: the outermost level
   (off-chip DRAM), shared on-chip buffers (one instance), per-PE storage (many instances),
   and the MACs. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "ex_common.h"

static const char *designs[] = { "simple_weight_stationary", "simple_output_stationary", "eyeriss_like", "simba_like" };

/* Eyeriss v2 PE on MobileNet0.5 L07: the Sparseloop MICRO-22 artifact's fig12 numbers (its README). */
static int eyerissv2_cycles(void) {
    sm_spec *s;
    sm_stats st;
    sm_error err;
    char base[600];
    FILE *f;
    if (sm_spec_load_file("tests/ref/eyerissv2_pe_L07/case.ini", NULL, 0, &s, &err) != SM_OK || sm_eval(s, &st, &err) != SM_OK) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    f = ex_figure_open("reference", "eyerissv2_cycles", base, sizeof base);
    if (!f) { sm_spec_free(s); return 1; }
    fprintf(f, "# Eyeriss v2 PE, MobileNet0.5 layer L07 (uniform densities: Inputs 0.73, Weights 0.52)\n");
    fprintf(f, "# source\tcycles\trel_to_silicon\n");
    fprintf(f, "sparsemodel\t%.0f\t%.4f\n", st.cycles, st.cycles / 1702140.0);
    fprintf(f, "Timeloop/Sparseloop master 4cf6d4c\t1592243\t%.4f\n", 1592243 / 1702140.0);
    fprintf(f, "Sparseloop 2022 artifact (published)\t1592158\t%.4f\n", 1592158 / 1702140.0);
    fprintf(f, "silicon (Eyeriss v2, published)\t1702140\t1.0000\n");
    fclose(f);
    printf("Eyeriss v2 PE L07 cycles: sparsemodel %.0f, Sparseloop master 1592243, Sparseloop artifact 1592158, silicon 1702140 (model/silicon %.3f)\n",
           st.cycles, st.cycles / 1702140.0);
    sm_spec_free(s);
    return 0;
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
