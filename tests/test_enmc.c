/* Unit tests of the ENMC mechanisms: the DDR timing model [@nearmem] against hand-computed streaming,
   random-gather and command-bus cases, rank scaling of a near-memory level, the screening overhead
   of the two-phase operator (exactly 1/32), and the roofline processor [@roofline]. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"
#include "test_common.h"

#define NEAR(a, b, rel) (fabs((double)(a) - (double)(b)) <= (rel) * fabs((double)(b)) + 1e-9)

/* DDR4-2400 with Table 6.3's timings: tCK = 2000/2400 ns, a 64-byte burst every 4 tCK. */
static void ddr4(sm_ddr *d) {
    memset(d, 0, sizeof *d);
    d->mts = 2400; d->bus_bits = 64; d->burst = 8;
    d->tCL = 16; d->tRCD = 16; d->tRP = 16; d->tRC = 55; d->tCCD = 4; d->tRRD = 4; d->tFAW = 6;
    d->banks = 16; d->row_bytes = 8192;
}

static void test_ddr(void) {
    sm_ddr d;
    sm_ddr_time t;
    double tck = 2000.0 / 2400;
    ddr4(&d);
    T(NEAR(sm_ddr_tck(&d), tck, 1e-12) && NEAR(sm_ddr_peak_gbs(&d), 19.2, 1e-12));
    /* stream 64 KB: 1024 bursts over 8 rows; bus 1024 x 4 tCK; each row holds its bank
       16 + 128 x 4 + 16 = 544 tCK, 16 banks; 8 activations x 4 tCK; + tRCD + tCL */
    sm_ddr_stream(&d, 65536, &t);
    T(t.bursts == 1024 && t.activates == 8 && t.bound == 0);
    T(NEAR(t.bus_ns, 1024 * 4 * tck, 1e-12) && NEAR(t.bank_ns, 8 * 544 * tck / 16, 1e-12) && NEAR(t.act_ns, 8 * 4 * tck, 1e-12));
    T(NEAR(t.ns, (4096 + 32) * tck, 1e-12));
    T(NEAR(65536 / t.ns, 19.2 * 4096 / 4128, 1e-9));   /* streaming reaches the peak but for one latency */
    /* gather 100 random 256-byte records: 4 bursts each, every record a row miss holding its bank
       max(tRC = 55, 16 + 16 + 16) = 55 tCK; bus 400 x 4 tCK binds */
    sm_ddr_gather(&d, 100, 256, &t);
    T(t.bursts == 400 && t.activates == 100 && t.bound == 0 && NEAR(t.bank_ns, 100 * 55 * tck / 16, 1e-12));
    T(NEAR(t.ns, (1600 + 32) * tck, 1e-12));
    /* one-burst records: the activation spacing (tRRD = 4 tCK) equals the bus time */
    sm_ddr_gather(&d, 100, 64, &t);
    T(NEAR(t.ns, (400 + 32) * tck, 1e-12));
    /* a single bank at a time: every record waits tRC */
    d.bank_parallelism = 1;
    sm_ddr_gather(&d, 100, 64, &t);
    T(t.bound == 1 && NEAR(t.ns, (100 * 55 + 32) * tck, 1e-12));
    d.bank_parallelism = 0;
    /* tFAW larger than 4 tRRD limits activations: tFAW = 40 -> 10 tCK per activation */
    d.tFAW = 40;
    sm_ddr_gather(&d, 100, 64, &t);
    T(t.bound == 2 && NEAR(t.ns, (1000 + 32) * tck, 1e-12));
    d.tFAW = 6;
    /* a record longer than a row opens two rows */
    sm_ddr_gather(&d, 10, 16384, &t);
    T(t.activates == 20 && t.bursts == 2560);
    /* command bus: 10 instructions with 8 data bytes: one burst each (4 tCK) beats one command cycle */
    T(NEAR(sm_ddr_command_ns(&d, 10, 1, 8), 40 * tck, 1e-12));
    T(NEAR(sm_ddr_command_ns(&d, 10, 1, 0), 10 * tck, 1e-12));
    sm_ddr_stream(&d, 0, &t);
    T(t.ns == 0);
}

static void test_nearmem(void) {
    sm_nearmem nm;
    sm_nearmem_phase ph[2];
    sm_nearmem_result r8, r16;
    double bytes = 64.0 * 1024 * 1024;   /* a matrix streamed once, split over the ranks */
    memset(&nm, 0, sizeof nm);
    ddr4(&nm.ddr);
    nm.channels = 8; nm.ranks = 8; nm.logic_ghz = 0.4;
    memset(ph, 0, sizeof ph);
    ph[0].stream_bytes = bytes / 64;
    sm_nearmem_eval(&nm, ph, 1, 1, &r8);
    T(NEAR(r8.aggregate_gbs, 1228.8, 1e-12));
    T(NEAR(r8.rank_ns, bytes / 64 / 19.2, 0.01));   /* each rank at its own 19.2 GB/s */
    nm.ranks = 16;
    ph[0].stream_bytes = bytes / 128;
    sm_nearmem_eval(&nm, ph, 1, 1, &r16);
    T(NEAR(r16.aggregate_gbs, 2457.6, 1e-12) && NEAR(r16.rank_ns, r8.rank_ns / 2, 0.01));   /* twice the ranks, half the time */
    /* two phases sharing the rank's DRAM, with parallel or shared compute */
    nm.ranks = 8;
    ph[0].stream_bytes = 19200; ph[0].macs = 4000; ph[0].macs_per_cycle = 1;   /* 1000 ns of DRAM, 10000 ns of compute at 0.4 GHz */
    ph[1].gather_rows = 10; ph[1].gather_row_bytes = 1920; ph[1].macs = 2000; ph[1].macs_per_cycle = 1;
    sm_nearmem_eval(&nm, ph, 2, 1, &r8);
    T(NEAR(r8.compute_ns, 10000, 1e-12) && r8.rank_ns == r8.compute_ns);
    sm_nearmem_eval(&nm, ph, 2, 0, &r8);
    T(NEAR(r8.compute_ns, 15000, 1e-12));
    T(r8.bytes == 19200 + 19200);
    /* host traffic: 2 KB to every rank of a channel over the shared bus, or once when broadcast */
    memset(ph, 0, sizeof ph);
    nm.host_bytes = 2048;
    sm_nearmem_eval(&nm, ph, 1, 1, &r8);
    T(NEAR(r8.host_ns, 8 * 32 * 4 * 2000.0 / 2400, 1e-12));
    nm.broadcast = 1;
    sm_nearmem_eval(&nm, ph, 1, 1, &r8);
    T(NEAR(r8.host_ns, 32 * 4 * 2000.0 / 2400, 1e-12));
}

/* [@twophase] the screening overhead: an INT4 screener of k = d/4 over FP32 weights is 1/32 of them */
static void test_screening(void) {
    sm_twophase op;
    sm_twophase_work w;
    static const double dims[4] = { 1500, 512, 1024, 512 }, cats[4] = { 33278, 267744, 32317, 670091 };
    int i, ok = 1;
    for (i = 0; i < 4; i++) {
        memset(&op, 0, sizeof op);
        op.n = cats[i]; op.d = dims[i]; op.p = 1; op.k = 0.25 * dims[i]; op.pred_bits = 4; op.exec_bits = 32;
        sm_twophase_work_of(&op, &w);
        ok &= fabs(w.pred_weight_bits / w.exec_weight_bits - 1.0 / 32) < 1e-15;
    }
    T(ok);
}

static void test_roofline(void) {
    sm_roofline r;
    memset(&r, 0, sizeof r);
    r.tops[0] = 2.0; r.mem_gbs = 100; r.eff_memory[SM_KERNEL_GEMV] = 0.5;
    /* memory-bound GEMV: 1e9 bytes at 50 GB/s = 20 ms; compute 2e9 ops at 2 Tops = 1 ms */
    T(NEAR(sm_roofline_time(&r, SM_KERNEL_GEMV, 32, 2e9, 1e9), 0.02, 1e-12));
    T(NEAR(sm_roofline_time(&r, SM_KERNEL_GEMM, 32, 2e12, 1e6), 1.0, 1e-9));
    T(NEAR(sm_roofline_time(&r, SM_KERNEL_GEMM, 8, 2e12, 1e6), 1.0, 1e-9));   /* no INT8 peak: the FP32 one */
    r.tops[2] = 8;
    T(NEAR(sm_roofline_time(&r, SM_KERNEL_GEMM, 8, 2e12, 1e6), 0.25, 1e-9));
    T(NEAR(sm_roofline_attainable(&r, SM_KERNEL_GEMM, 32, 1), 0.1, 1e-12) && NEAR(sm_roofline_attainable(&r, SM_KERNEL_GEMM, 32, 1e6), 2.0, 1e-12));
    r.launch_us = 5;
    T(NEAR(sm_roofline_time(&r, SM_KERNEL_SOFTMAX, 32, 0, 0), 5e-6, 1e-12));
    T(!strcmp(sm_kernel_name(SM_KERNEL_SDDMM), "sddmm"));
    {
        sm_params *p;
        sm_error e;
        sm_roofline q;
        sm_ddr d;
        memset(&q, 0, sizeof q);
        memset(&d, 0, sizeof d);
        T(sm_params_load_string("[gpu]\ntops_fp32 = 14\nmem_gbs = 900\neff_memory_softmax = 0.8\n[ddr]\nmts = 2400\ntFAW = 6\n[bad]\neff_compute_gemm = 2\n",
                                "g.ini", NULL, 0, &p, &e) == SM_OK);
        T(sm_roofline_load(p, "gpu", &q, &e) == SM_OK && q.tops[0] == 14 && q.mem_gbs == 900 && q.eff_memory[SM_KERNEL_SOFTMAX] == 0.8);
        T(sm_ddr_load(p, "ddr", &d, &e) == SM_OK && d.mts == 2400 && d.tFAW == 6);
        T(sm_roofline_load(p, "bad", &q, &e) == SM_ERR_VALUE && strstr(e.text, "g.ini:9: error: [bad] eff_compute_gemm: 2 must be at most 1"));
        sm_params_free(p);
    }
}

int main(void) {
    test_ddr();
    test_nearmem();
    test_screening();
    test_roofline();
    return test_done();
}
