/* [@energy] tests: the library against its sources at their reference points, monotonicity,
   networks, the spec keys and where costs come from, and the four dense reference designs with
   library energies against Timeloop's totals (within 2x). */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "test_common.h"

static int near(double a, double b) { return fabs(a - b) <= 1e-12 * fmax(1, fabs(b)); }
#define NEAR(a, b) near((a), (b))

static double op(sm_op o, sm_precision p, int nm, double *area) {
    sm_op_desc d;
    sm_op_cost c;
    sm_error e;
    memset(&d, 0, sizeof d);
    d.op = o; d.precision = p; d.tech_nm = nm;
    if (sm_op_estimate(&d, &c, &e) != SM_OK) return -1;
    if (area) *area = c.area_um2;
    return c.pj;
}

/* read (write 0) or write energy of one access of `bits` bits to `kind` of kbytes KB at nm */
static double access(sm_mem_kind kind, double kbytes, int bits, int nm, int write) {
    sm_mem_desc d;
    sm_mem_cost c;
    sm_error e;
    memset(&d, 0, sizeof d);
    d.kind = kind; d.words = kbytes * 8192 / bits; d.word_bits = bits; d.block_words = 1; d.tech_nm = nm;
    if (sm_mem_estimate(&d, &c, &e) != SM_OK) return -1;
    return write ? c.write_pj : c.read_pj;
}

static int within(double model, double data, double factor) { return model > 0 && model / data <= factor && data / model <= factor; }

/* Horowitz ISSCC 2014 (45 nm), exactly */
static void test_horowitz(void) {
    double a;
    T(NEAR(op(SM_OP_ADD, SM_PREC_INT8, 45, &a), 0.03) && NEAR(a, 36));
    T(NEAR(op(SM_OP_ADD, SM_PREC_INT16, 45, &a), 0.05) && NEAR(a, 67));
    T(NEAR(op(SM_OP_ADD, SM_PREC_INT32, 45, &a), 0.1) && NEAR(a, 137));
    T(NEAR(op(SM_OP_MUL, SM_PREC_INT8, 45, &a), 0.2) && NEAR(a, 282));
    T(NEAR(op(SM_OP_MUL, SM_PREC_INT32, 45, &a), 3.1) && NEAR(a, 3495));
    T(NEAR(op(SM_OP_ADD, SM_PREC_FP16, 45, &a), 0.4) && NEAR(a, 1360));
    T(NEAR(op(SM_OP_ADD, SM_PREC_FP32, 45, &a), 0.9) && NEAR(a, 4184));
    T(NEAR(op(SM_OP_MUL, SM_PREC_FP16, 45, &a), 1.1) && NEAR(a, 1640));
    T(NEAR(op(SM_OP_MUL, SM_PREC_FP32, 45, &a), 3.7) && NEAR(a, 7700));
    T(NEAR(op(SM_OP_MAC, SM_PREC_INT8, 45, &a), 0.2 + 0.1) && NEAR(a, 282 + 137));   /* int32 accumulation */
    T(NEAR(op(SM_OP_MAC, SM_PREC_FP16, 45, NULL), 1.1 + 0.9));                       /* fp32 accumulation */
    T(NEAR(op(SM_OP_MAC, SM_PREC_FP16, 0, NULL), 1.1 + 0.9));                        /* node 0 -> 45 */
}

static void test_ops_monotonic(void) {
    sm_precision ints[] = { SM_PREC_INT2, SM_PREC_INT4, SM_PREC_INT8, SM_PREC_INT16, SM_PREC_INT32 };
    int i, nodes[] = { 65, 45, 32, 28, 22, 20, 16, 14, 12, 10, 7 };
    for (i = 0; i + 1 < 5; i++) {
        double a0, a1;
        T(op(SM_OP_MUL, ints[i], 45, &a0) < op(SM_OP_MUL, ints[i + 1], 45, &a1) && a0 < a1);
        T(op(SM_OP_ADD, ints[i], 45, &a0) < op(SM_OP_ADD, ints[i + 1], 45, &a1) && a0 < a1);
        T(op(SM_OP_MAC, ints[i], 45, NULL) < op(SM_OP_MAC, ints[i + 1], 45, NULL));
    }
    T(op(SM_OP_MUL, SM_PREC_BF16, 45, NULL) < op(SM_OP_MUL, SM_PREC_FP16, 45, NULL));
    T(op(SM_OP_MUL, SM_PREC_FP16, 45, NULL) < op(SM_OP_MUL, SM_PREC_FP32, 45, NULL));
    T(op(SM_OP_MUL, SM_PREC_INT16, 45, NULL) < op(SM_OP_MUL, SM_PREC_FP16, 45, NULL));
    /* int16 multiply: the power law through 8 and 32 bits: 0.2 x 15.5^0.5 */
    T(NEAR(op(SM_OP_MUL, SM_PREC_INT16, 45, NULL), 0.2 * sqrt(3.1 / 0.2)));
    /* nodes: Stillmaker & Baas area factors exactly, energy falling with the node */
    T(NEAR(sm_tech_area_scale(45), 1) && NEAR(sm_tech_area_scale(32), 0.46) && NEAR(sm_tech_area_scale(7), 0.059) && NEAR(sm_tech_area_scale(16), 0.19));
    T(NEAR(sm_tech_energy_scale(45), 1));
    T(NEAR(sm_tech_energy_scale(32), (0.8367 * 0.81 - 0.4341 * 0.9 + 0.1701) / (1.018 * 0.81 - 0.3107 * 0.9 + 0.1539)));
    for (i = 0; i + 1 < 11; i++) {
        T(sm_tech_energy_scale(nodes[i]) > sm_tech_energy_scale(nodes[i + 1]));
        T(sm_tech_area_scale(nodes[i]) > sm_tech_area_scale(nodes[i + 1]));
    }
    T(sm_tech_energy_scale(40) == 0 && sm_tech_energy_scale(5) == 0 && op(SM_OP_MAC, SM_PREC_INT8, 40, NULL) < 0);
    T(NEAR(op(SM_OP_MAC, SM_PREC_INT8, 7, NULL), 0.3 * sm_tech_energy_scale(7)));
    T(op(SM_OP_MAC, SM_PREC_DEFAULT, 45, NULL) < 0);   /* a precision is required */
    {   /* integer and floating point do not mix in a MAC */
        sm_op_desc d; sm_op_cost c; sm_error e;
        memset(&d, 0, sizeof d);
        d.precision = SM_PREC_INT8; d.acc_precision = SM_PREC_FP32;
        T(sm_op_estimate(&d, &c, &e) == SM_ERR_VALUE && strstr(e.text, "do not mix"));
    }
}

/* SRAM and register file against the data they were fitted to (tools/fit_energy.py), within the
   errors the header states; DRAM per bit exactly; monotonicity */
static void test_memories(void) {
    double kb;
    sm_mem_desc d;
    sm_mem_cost c;
    sm_error e;
    /* Horowitz 45 nm, 64-bit */
    T(within(access(SM_MEM_SRAM, 8, 64, 45, 0), 10, 1.27) && within(access(SM_MEM_SRAM, 32, 64, 45, 0), 20, 1.27) && within(access(SM_MEM_SRAM, 1024, 64, 45, 0), 100, 1.27));
    /* CACTI 6.5 45 nm (Timeloop reference ERTs) */
    T(within(access(SM_MEM_SRAM, 128, 64, 45, 0), 32.378, 1.27) && within(access(SM_MEM_SRAM, 128, 64, 45, 1), 26.157, 1.52));
    T(within(access(SM_MEM_SRAM, 64, 256, 45, 0), 51.871, 1.27) && within(access(SM_MEM_SRAM, 64, 256, 45, 1), 66.311, 1.52));
    T(within(access(SM_MEM_SRAM, 0.375, 16, 45, 0), 0.680, 1.27) && within(access(SM_MEM_SRAM, 0.375, 16, 45, 1), 1.583, 1.52));
    /* CACTI 7 28 nm (ZigZag), through the node scaling */
    T(within(access(SM_MEM_SRAM, 32, 512, 28, 0), 22.9, 1.27) && within(access(SM_MEM_SRAM, 32, 512, 28, 1), 52.01, 1.52));
    T(within(access(SM_MEM_SRAM, 64, 512, 28, 0), 26.56, 1.27) && within(access(SM_MEM_SRAM, 64, 512, 28, 1), 30.8, 1.52));
    T(within(access(SM_MEM_SRAM, 2048, 2048, 28, 0), 416.16, 1.27) && within(access(SM_MEM_SRAM, 2048, 2048, 28, 1), 378.4, 1.52));
    /* a point left out of the fit: CACTI 6.5 at 32 nm (eyeriss_like shared_glb, 128 KB x 64 b): 18.18 pJ */
    T(within(access(SM_MEM_SRAM, 128, 64, 32, 0), 18.184, 1.3));
    /* register file: Aladdin-style estimates (simba 45 nm, eyeriss 32 nm) */
    T(within(access(SM_MEM_REGFILE, 64.0, 64, 45, 0), 242.08, 1.61) && within(access(SM_MEM_REGFILE, 32.0, 64, 45, 0), 121.364, 1.61));
    T(within(access(SM_MEM_REGFILE, 128 * 24 / 8192.0, 24, 45, 0), 3.091, 1.61));
    T(within(access(SM_MEM_REGFILE, 12 * 16 / 8192.0, 16, 32, 0), 0.2024, 1.61) && within(access(SM_MEM_REGFILE, 192 * 16 / 8192.0, 16, 32, 0), 1.9766, 1.62));
    /* bigger SRAM costs more per access, wider accesses cost more but less per bit */
    for (kb = 0.5; kb < 8192; kb *= 2) {
        T(access(SM_MEM_SRAM, kb, 64, 45, 0) < access(SM_MEM_SRAM, 2 * kb, 64, 45, 0));
        T(access(SM_MEM_SRAM, kb, 64, 45, 1) < access(SM_MEM_SRAM, 2 * kb, 64, 45, 1));
        T(access(SM_MEM_REGFILE, kb / 64, 64, 45, 0) < access(SM_MEM_REGFILE, kb / 32, 64, 45, 0));
        T(access(SM_MEM_SRAM, kb, 64, 45, 0) < access(SM_MEM_SRAM, kb, 128, 45, 0) && access(SM_MEM_SRAM, kb, 64, 45, 0) / 64 > access(SM_MEM_SRAM, kb, 128, 45, 0) / 128);
    }
    T(access(SM_MEM_SRAM, 64, 64, 7, 0) < access(SM_MEM_SRAM, 64, 64, 16, 0) && access(SM_MEM_SRAM, 64, 64, 16, 0) < access(SM_MEM_SRAM, 64, 64, 45, 0));
    /* DRAM per bit, exactly, independent of node; register per bit (Aladdin) */
    memset(&d, 0, sizeof d);
    d.kind = SM_MEM_DRAM; d.word_bits = 16; d.block_words = 4; d.tech_nm = 7;
    T(sm_mem_estimate(&d, &c, &e) == SM_OK && NEAR(c.read_pj, 128) && NEAR(c.write_pj, 128) && c.area_um2 == 0);
    d.dram_type = SM_DRAM_HBM2; T(sm_mem_estimate(&d, &c, &e) == SM_OK && NEAR(c.read_pj, 3.9 * 16));
    d.dram_type = SM_DRAM_GDDR5; T(sm_mem_estimate(&d, &c, &e) == SM_OK && NEAR(c.read_pj, 14 * 16));
    d.dram_type = SM_DRAM_DDR4; T(sm_mem_estimate(&d, &c, &e) == SM_OK && NEAR(c.read_pj, 15 * 16));
    d.metadata_word_bits = 8; T(sm_mem_estimate(&d, &c, &e) == SM_OK && NEAR(c.metadata_pj[SM_READ], 15 * 8));
    memset(&d, 0, sizeof d);
    d.kind = SM_MEM_REG; d.words = 1; d.word_bits = 16;
    T(sm_mem_estimate(&d, &c, &e) == SM_OK && NEAR(c.read_pj, 0.144) && NEAR(c.area_um2, 95.68));   /* the Timeloop ERT/ART values */
    d.kind = SM_MEM_SRAM; d.words = 0;
    T(sm_mem_estimate(&d, &c, &e) == SM_ERR_VALUE && strstr(e.text, "needs a size"));
    d.words = 2; d.block_words = 4;
    T(sm_mem_estimate(&d, &c, &e) == SM_ERR_VALUE);
    d.kind = SM_MEM_NONE; T(sm_mem_estimate(&d, &c, &e) == SM_ERR_VALUE);
    /* SRAM area and leakage at the CACTI points they were fitted to */
    memset(&d, 0, sizeof d);
    d.kind = SM_MEM_SRAM; d.words = 65536; d.word_bits = 16; d.block_words = 4;
    T(sm_mem_estimate(&d, &c, &e) == SM_OK && within(c.area_um2, 429745.6, 1.06) && within(c.leak_pj, 0.005353, 1.02));
    d.clock_ghz = 2; T(sm_mem_estimate(&d, &c, &e) == SM_OK && within(c.leak_pj, 0.005353 / 2, 1.02));
}

/* Networks are priced by the one component model of [@network] with the library's unit costs. */
static void test_networks(void) {
    sm_unit_costs c, c7;
    sm_net_desc d;
    sm_net_parts o, o2;
    sm_error e;
    int k;
    memset(&c, 0, sizeof c);
    c.precision = SM_PREC_INT32;
    T(sm_unit_costs_estimate(&c, &e) == SM_OK);
    T(NEAR(c.add_pj, 0.1) && NEAR(c.add_um2, 137));               /* Horowitz 32-bit add, exactly */
    T(NEAR(c.mux_pj_bit, 0.1 / 64) && NEAR(c.mux_um2_bit, 137.0 / 64));   /* half an adder bit */
    T(NEAR(c.wire_pj_bit_mm, 0.081) && NEAR(c.hop_mm, 0.1));        /* 45 nm, 0.9 V */
    memset(&d, 0, sizeof d);
    d.ports = 16; d.word_bits = 16;
    for (k = 0; k < SM_NET_KIND_COUNT; k++) {
        d.kind = (sm_net_kind)k;
        T(sm_net_parts_eval(&d, &c, &o, &e) == SM_OK && o.area_um2 > 0 && o.wave_pj > 0);
        T(NEAR(o.word_pj, o.wave_pj / 16));
        T(NEAR(o.wire_pj, o.wave_hops * 0.1 * 16 * 0.081));
        d.ports = 64;
        T(sm_net_parts_eval(&d, &c, &o2, &e) == SM_OK && o2.area_um2 > o.area_um2);   /* more ports, more area */
        d.ports = 16;
        T(!strcmp(sm_net_kind_name((sm_net_kind)k), sm_net_kind_name((sm_net_kind)sm_net_kind_parse(sm_net_kind_name((sm_net_kind)k)))));
    }
    d.kind = SM_NET_BENES;   /* a word crosses 2 log2 16 + 1 = 9 levels and N - 1 hops */
    T(sm_net_parts_eval(&d, &c, &o, &e) == SM_OK && o.levels == 9 && o.wave_hops == 16 * 15);
    T(NEAR(o.word_pj, 9 * 16 * c.mux_pj_bit + 15 * 0.1 * 16 * 0.081));
    d.kind = SM_NET_CROSSBAR;
    T(sm_net_parts_eval(&d, &c, &o, &e) == SM_OK);
    d.ports = 32; T(sm_net_parts_eval(&d, &c, &o2, &e) == SM_OK && o2.area_um2 > 3.9 * o.area_um2);   /* quadratic in ports */
    d.ports = 16; d.kind = SM_NET_BINARY;   /* 15 adders, each with its 16-bit pipeline register */
    T(sm_net_parts_eval(&d, &c, &o, &e) == SM_OK && o.adders == 15 && NEAR(o.area_um2, 15 * 137 + 15 * 16 * c.reg_um2_bit));
    d.kind = SM_NET_FAN; T(sm_net_parts_eval(&d, &c, &o2, &e) == SM_OK && o2.area_um2 > o.area_um2 && o2.word_pj > o.word_pj);
    d.kind = SM_NET_ART; T(sm_net_parts_eval(&d, &c, &o2, &e) == SM_OK && o2.area_um2 > o.area_um2);
    d.kind = SM_NET_BINARY;   /* a smaller node: cheaper and smaller, shorter hops */
    memset(&c7, 0, sizeof c7); c7.precision = SM_PREC_INT32; c7.tech_nm = 7;
    T(sm_unit_costs_estimate(&c7, &e) == SM_OK && c7.hop_mm < c.hop_mm);
    T(sm_net_parts_eval(&d, &c7, &o2, &e) == SM_OK && o2.word_pj < o.word_pj && o2.area_um2 < o.area_um2);
    d.hop_mm = 1;   /* the desc's hop wins over the costs' */
    T(sm_net_parts_eval(&d, &c, &o2, &e) == SM_OK && NEAR(o2.wire_pj, 32 * 1 * 16 * 0.081));
    c7.tech_nm = 40; c7.add_pj = 0; T(sm_unit_costs_estimate(&c7, &e) == SM_ERR_VALUE);
}

static const char *base_spec =
    "[problem]\neinsum = Z[m,n] += A[m,k] * B[k,n]\nbounds = m=4 n=6 k=8\nword_bits = 8\n"
    "[arch]\nname = t\n"
    "[level DRAM]\nkind = dram\nblock_words = 8\n"
    "[level buf]\nsize = 1024\ninstances = 4\nmesh_x = 4\nkind = sram\nblock_words = 2\n"
    "[compute mac]\ninstances = 4\nop = mac\n"
    "[mapping]\nDRAM.temporal = n6\nDRAM.spatial_x = m4\nbuf.temporal = k8\n";

static sm_spec *load(const char *extra, sm_error *e) {
    char text[2048];
    sm_spec *s = NULL;
    snprintf(text, sizeof text, "%s%s", base_spec, extra);
    if (sm_spec_load_string(text, "energy.ini", NULL, 0, &s, e) != SM_OK) return NULL;
    return s;
}

static void test_spec_keys(void) {
    sm_error e;
    sm_stats st;
    sm_spec *s = load("", &e);
    double r0;
    T(s != NULL);
    if (!s) { printf("%s\n", e.text); return; }
    T(s->levels[0].source[SM_COST_READ] == SM_SRC_LIBRARY && NEAR(s->levels[0].read_pj, 64));   /* lpddr4 8 pJ/bit x 8 */
    T(s->levels[1].source[SM_COST_AREA] == SM_SRC_LIBRARY && s->levels[1].area_um2 > 0);
    T(s->compute.source[0] == SM_SRC_LIBRARY && NEAR(s->compute.mac_pj, 0.3));   /* int8 from word_bits, int32 accumulation */
    T(sm_eval(s, &st, &e) == SM_OK && st.energy_pj > 0 && st.area_um2 > 0);
    r0 = s->levels[1].read_pj;
    s->levels[1].size = 4096;   /* re-resolve after a change in C: library values follow */
    T(sm_spec_resolve_energy(s, &e) == SM_OK && s->levels[1].read_pj > r0 && s->levels[1].source[SM_COST_READ] == SM_SRC_LIBRARY);
    sm_spec_free(s);
    /* a given cost wins, even 0; update follows a given write */
    s = load("[level buf]\nread_pj = 5\nwrite_pj = 0\n[compute mac]\nmac_pj = 1\n", &e);
    T(s && NEAR(s->levels[1].read_pj, 5) && s->levels[1].source[SM_COST_READ] == SM_SRC_SPEC);
    T(s && s->levels[1].write_pj == 0 && s->levels[1].source[SM_COST_WRITE] == SM_SRC_SPEC && s->levels[1].update_pj == 0);
    T(s && s->levels[1].source[SM_COST_LEAK] == SM_SRC_LIBRARY && NEAR(s->compute.mac_pj, 1) && s->compute.source[1] == SM_SRC_LIBRARY);
    sm_spec_free(s);
    /* energies = library: the library replaces given costs of components with a kind */
    s = load("[level buf]\nread_pj = 5\n[arch]\nenergies = library\ntechnology = 7nm\n", &e);
    T(s && s->levels[1].read_pj != 5 && s->levels[1].source[SM_COST_READ] == SM_SRC_LIBRARY);
    T(s && NEAR(s->compute.mac_pj, 0.3 * sm_tech_energy_scale(7)) && NEAR(s->levels[0].read_pj, 64));   /* DRAM: no node scaling */
    sm_spec_free(s);
    /* per-component node, precision, metadata */
    s = load("[level buf]\ntechnology = 16 nm\nmetadata_word_bits = 4\n[compute mac]\nprecision = bf16\ntechnology = 28\n", &e);
    T(s && s->levels[1].metadata_pj[SM_READ] > 0 && s->levels[1].source[SM_COST_MD_READ] == SM_SRC_LIBRARY);
    T(s && NEAR(s->compute.mac_pj, (1.1 * (8.0 / 11) * (8.0 / 11) + 0.9) * sm_tech_energy_scale(28)));
    sm_spec_free(s);
    /* errors with file:line */
    T(!load("[level buf]\nkind = edram\n", &e) && strstr(e.text, "energy.ini:24: error: [level buf] kind: 'edram' is not one of sram, regfile, dram, reg"));
    T(!load("[compute mac]\nprecision = int3\n", &e) && strstr(e.text, "[compute mac] precision: 'int3' is not one of"));
    T(!load("[arch]\ntechnology = 40nm\n", &e) && strstr(e.text, "[arch] technology: 40 nm is not in the node table"));
    T(!load("[level buf]\ndram_type = hbm2\n", &e) && strstr(e.text, "dram_type: needs kind = dram"));
    T(!load("[level buf]\nsize = 0\n", &e) && strstr(e.text, "energy.ini:14: error: [level buf] kind = sram: a sram needs a size"));
    T(!load("[compute mac]\nop = add\nacc_precision = int16\n", &e) && strstr(e.text, "acc_precision applies to op = mac only"));
    T(!load("[arch]\nenergies = cacti\n", &e) && strstr(e.text, "[arch] energies: 'cacti' is not one of spec, library"));
    /* a spec without kinds: nothing changes, every source spec or none */
    s = NULL;
    T(sm_spec_load_file("specs/simple_weight_stationary.ini", NULL, 0, &s, &e) == SM_OK && s);
    if (s) {
        T(s->levels[0].source[SM_COST_READ] == SM_SRC_SPEC && s->levels[0].source[SM_COST_LEAK] == SM_SRC_NONE && s->compute.source[0] == SM_SRC_SPEC);
        T(s->levels[1].read_pj == 8.09444375);
        sm_spec_free(s);
    }
}

/* The four dense reference designs with library energies: within 2x of Timeloop's totals. */
static void test_reference_ratios(void) {
    static const char *const names[] = { "simple_weight_stationary", "simple_output_stationary", "eyeriss_like", "simba_like" };
    int i;
    for (i = 0; i < 4; i++) {
        char a[256], b[256];
        sm_spec *s1 = NULL, *s2 = NULL;
        sm_stats st1, st2;
        sm_error e;
        snprintf(a, sizeof a, "specs/%s.ini", names[i]);
        snprintf(b, sizeof b, "specs/lib/%s.ini", names[i]);
        T(sm_spec_load_file(a, NULL, 0, &s1, &e) == SM_OK && sm_spec_load_file(b, NULL, 0, &s2, &e) == SM_OK);
        if (s1 && s2 && sm_eval(s1, &st1, &e) == SM_OK && sm_eval(s2, &st2, &e) == SM_OK) {
            double r = st2.energy_pj / st1.energy_pj;
            printf("energy: %-26s library / Timeloop = %.3f\n", names[i], r);
            T(r >= 0.5 && r <= 2.0);
            T(st1.cycles == st2.cycles);   /* energies only */
        } else T(0);
        sm_spec_free(s1);
        sm_spec_free(s2);
    }
}

int main(void) {
    test_horowitz();
    test_ops_monotonic();
    test_memories();
    test_networks();
    test_spec_keys();
    test_reference_ratios();
    return test_done();
}
