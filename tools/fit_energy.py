#!/usr/bin/env python3
"""Fits behind sparsemodel.h's [@energy] SRAM and register-file models (pure Python, no numpy).

Run: python3 tools/fit_energy.py   -- prints the coefficients pasted into sparsemodel.h and the
error of the fit at every data point (the error bounds the tests in tests/test_energy.c assert).

Data (per access of `bits` bits; energies in pJ at 45 nm, 28/32 nm points converted with the
library's own node factors, which are Stillmaker & Baas 2017's):
  Horowitz, ISSCC 2014, 45 nm 0.9 V: 64-bit cache/SRAM access 8 KB 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ
    (no read/write split: used for both).
  CACTI 6.5 through Accelergy, 45 nm, as recorded in the Timeloop reference cases
    (../shared/reference/timeloop/*/timeloop/ERT.yaml and ART.yaml):
    simple_*  shared_glb  16384 x 64 b  (128 KB): read 32.378 write 26.157 pJ, 429745.6 um^2, leak 0.005353 pJ/cycle
    simple_*  pe_spad       192 x 16 b  (384 B):  read 0.680  write 1.583 pJ,   1419.8 um^2, leak 0.001165
    simba     GlobalBuffer 2048 x 256 b (64 KB):  read 51.871 write 66.311 pJ, 199065.1 um^2, leak 0.003241
  CACTI 7 at 28 nm, as published in ZigZag's example hardware (edge_tpu_like, test memory):
    32 KB x 512 b: read 22.9 write 52.01;  64 KB x 512 b: read 26.56 write 30.8;  2 MB x 2048 b: read 416.16 write 378.4
  Register files (flip-flop arrays; Aladdin-style estimates through Accelergy, Timeloop reference ERTs):
    45 nm simba:  PEInputBuffer 8192 x 64 b: read 242.080 write 241.504; PEWeightBuffer 4096 x 64 b: 121.364 / 120.788;
                  PEAccuBuffer 128 x 24 b: 3.091 / 2.875  (areas 3717019.7, 1858571.4, 18948.7 um^2; leak 0.207488, 0.104535, 0.003416)
    32 nm eyeriss: ifmap_spad 12 x 16 b: 0.202442 / 0.176713; weights_spad 192 x 16 b: 1.976602 / 1.881657;
                  psum_spad 16 x 16 b: 0.2513 / 0.2191
"""
import math

# node energy factors relative to 45 nm 0.9 V (must match sm__node_table in sparsemodel.h)
def poly(c, v): return c[0] * v * v + c[1] * v + c[2]
HP45 = (1.018, -0.3107, 0.1539); HP32 = (0.8367, -0.4341, 0.1701); HP20 = (0.373, -0.1582, 0.04104)
base = poly(HP45, 0.9)
E32 = poly(HP32, 0.9) / base
E20 = poly(HP20, 0.9) / base
E28 = E32 + (28 - 32) / (20 - 32) * (E20 - E32)
print("node factors: 32nm %.4f 28nm %.4f 20nm %.4f" % (E32, E28, E20))

def lstsq(rows, ys):
    n = len(rows[0])
    A = [[sum(r[i] * r[j] for r in rows) for j in range(n)] for i in range(n)]
    b = [sum(r[i] * y for r, y in zip(rows, ys)) for i in range(n)]
    for i in range(n):                      # Gauss-Jordan
        p = max(range(i, n), key=lambda k: abs(A[k][i])); A[i], A[p] = A[p], A[i]; b[i], b[p] = b[p], b[i]
        for k in range(n):
            if k != i:
                f = A[k][i] / A[i][i]
                A[k] = [a - f * c for a, c in zip(A[k], A[i])]; b[k] -= f * b[i]
    return [b[i] / A[i][i] for i in range(n)]

# (capacity bytes, access bits, read pJ, write pJ, source) at 45 nm
sram = [
    (8 * 1024, 64, 10.0, 10.0, "Horowitz 8KB"),
    (32 * 1024, 64, 20.0, 20.0, "Horowitz 32KB"),
    (1024 * 1024, 64, 100.0, 100.0, "Horowitz 1MB"),
    (128 * 1024, 64, 32.378, 26.157, "CACTI6.5 glb 128KB"),
    (384, 16, 0.680237, 1.582678, "CACTI6.5 spad 384B"),
    (64 * 1024, 256, 51.870888, 66.310888, "CACTI6.5 simba GB 64KB"),
    (32 * 1024, 512, 22.9 / E28, 52.01 / E28, "CACTI7 28nm 32KB"),
    (64 * 1024, 512, 26.56 / E28, 30.8 / E28, "CACTI7 28nm 64KB"),
    (2 * 1024 * 1024, 2048, 416.16 / E28, 378.4 / E28, "CACTI7 28nm 2MB"),
]
for which, idx in (("read", 2), ("write", 3)):
    rows = [(1.0, math.log(c / 1024.0), math.log(b)) for c, b, *_ in sram]
    ys = [math.log(p[idx]) for p in sram]
    k = lstsq(rows, ys)
    print("SRAM %s: E = %.6g * KB^%.6f * bits^%.6f pJ" % (which, math.exp(k[0]), k[1], k[2]))
    worst = 1
    for p, r in zip(sram, rows):
        e = math.exp(k[0] + k[1] * r[1] + k[2] * r[2])
        ratio = e / p[idx]
        worst = max(worst, ratio, 1 / ratio)
        print("   %-26s data %9.3f fit %9.3f ratio %.3f" % (p[4], p[idx], e, ratio))
    print("   worst factor %.3f" % worst)

# area and leakage (CACTI 6.5 45 nm points): area = a * bits^b; leak = c + d * bits (pJ/cycle at 1 GHz = uW/1000)
pts = [(128 * 1024 * 8, 429745.625, 0.005353), (384 * 8, 1419.815, 0.001165), (64 * 1024 * 8, 199065.0625, 0.003241)]
k = lstsq([(1.0, math.log(b)) for b, *_ in pts], [math.log(a) for _, a, _ in pts])
print("SRAM area: %.6g * bits^%.6f um^2" % (math.exp(k[0]), k[1]))
for b, a, _ in pts: print("   bits %8d data %10.1f fit %10.1f" % (b, a, math.exp(k[0]) * b ** k[1]))
k = lstsq([(1.0, b) for b, *_ in pts], [l for *_, l in pts])
print("SRAM leak: %.6g + %.6g * bits uW" % (k[0] * 1000, k[1] * 1000))
for b, _, l in pts: print("   bits %8d data %.6f fit %.6f" % (b, l, k[0] + k[1] * b))

# register file: E = bits * (a + b * depth), fitted on relative error (rows scaled by 1/data)
rf = [(8192, 64, 242.079552, 241.503552, 1.0), (4096, 64, 121.364, 120.788, 1.0), (128, 24, 3.091057, 2.875058, 1.0),
      (12, 16, 0.202442, 0.176713, E32), (192, 16, 1.976602, 1.881657, E32), (16, 16, 0.2513, 0.2191, E32)]
for which, idx in (("read", 2), ("write", 3)):
    rows, ys = [], []
    for d, w, r, wr, f in rf:
        e45 = (r if idx == 2 else wr) / f
        rows.append((w / e45, w * d / e45)); ys.append(1.0)
    k = lstsq(rows, ys)
    print("RF %s: E = bits * (%.6g + %.6g * depth) pJ" % (which, k[0], k[1]))
    worst = 1
    for d, w, r, wr, f in rf:
        e45 = (r if idx == 2 else wr) / f
        e = w * (k[0] + k[1] * d); worst = max(worst, e / e45, e45 / e)
        print("   depth %5d bits %3d data %8.4f fit %8.4f ratio %.3f" % (d, w, e45, e, e / e45))
    print("   worst factor %.3f" % worst)
rfa = [(8192 * 64, 3717019.6775, 0.207488), (4096 * 64, 1858571.37, 0.104535), (128 * 24, 18948.654375, 0.003416)]
k = lstsq([(1.0 / a * b,) for b, a, _ in rfa], [1.0] * 3)
print("RF area: %.6g um^2/bit" % k[0])
for b, a, _ in rfa: print("   bits %7d data %10.1f fit %10.1f" % (b, a, k[0] * b))
k = lstsq([(1.0, b) for b, _, l in rfa], [l for *_, l in rfa])
print("RF leak: %.6g + %.6g * bits uW" % (k[0] * 1000, k[1] * 1000))
for b, _, l in rfa: print("   bits %7d data %.6f fit %.6f" % (b, l, k[0] + k[1] * b))
