#!/usr/bin/env python3
"""stats2tsv.py: a Timeloop stats file in sparsemodel's expected.tsv form.

usage: stats2tsv.py timeloop-model.stats.txt  (or timeloop-mapper.stats.txt)  > expected.tsv

Reads the text report Timeloop prints (timeloop-model.stats.txt, or the report of the best mapping
timeloop-mapper.stats.txt) and writes the rows of SPEC-FORMAT.md "Outputs":

  L T reads|fills|updates   per storage level L (outermost first) and tensor T it keeps:
                            per-instance scalar count x utilized instances of T at L
  L - cycles, L - energy_pj the level's cycles; the sum of its tensors' energies (data, temporal
                            reduction, address generation) plus its leakage
  C - computes|cycles|energy_pj   the arithmetic level
  - - computes|cycles|utilization|energy_pj   totals: utilization = computes / (cycles x MACs);
                            energy = levels + compute + networks

Energies are the stats file's 2-decimal pJ figures summed, so a total carries up to 0.005 pJ of
printing error per term. Handles the 2020-2025 report layouts (older ones say "Energy-per-op",
put "Scalar updates" before fills, print bypassed tensors with zero counts, and name the totals
"MACCs = N"; a tensor with no access at all is treated as bypassed there).

Dense only. The parse keeps every "key : value" line of each tensor block (parse_stats), so
Sparseloop rows (actual/gated/skipped, metadata) can be emitted later from the same structure
by adding to tensor_rows().
"""
import re
import sys

NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def num(text):
    """The first number of a stats value ('0.43 pJ', '256 (16*16)', '-' -> None)."""
    m = re.match(r"\s*(" + NUM + ")", text)
    return float(m.group(1)) if m else None


class Level:
    def __init__(self, index, name):
        self.index = index          # Timeloop's level number (0 = arithmetic)
        self.name = name
        self.specs = {}             # SPECS block: key -> raw value text
        self.stats = {}             # STATS block lines outside any tensor
        self.tensors = {}           # tensor -> {key: raw value text}, in file order
        self.order = []

    def spec(self, key, default=None):
        v = self.specs.get(key)
        return default if v is None else num(v)

    def stat(self, key, default=None):
        v = self.stats.get(key)
        return default if v is None else num(v)


def parse_stats(text):
    """Returns (levels innermost first, summary dict, network energy total)."""
    levels = []
    summary = {}
    net_energy = 0.0
    lines = text.splitlines()
    section = None      # 'levels' | 'networks' | 'summary' | 'other'
    block = None        # the summary's current per-op energy block
    cur = None
    part = None         # 'specs' | 'stats' | 'mapping' | 'netstats'
    tensor = None
    for raw in lines:
        line = raw.rstrip()
        s = line.strip()
        if s == "Buffer and Arithmetic Levels":
            section = "levels"
            continue
        if s == "Networks":
            section, cur = "networks", None
            continue
        if s == "Summary Stats":
            section = "summary"
            continue
        if s == "Operational Intensity Stats":
            section = "other"
            continue
        if section == "levels":
            m = re.match(r"^Level (\d+)$", s)
            if m:
                cur, part, tensor = None, None, None
                idx = int(m.group(1))
                continue
            m = re.match(r"^=== (.+) ===$", s)
            if m:
                cur = Level(idx, m.group(1))
                levels.append(cur)
                continue
            if cur is None:
                continue
            if s in ("SPECS", "STATS", "MAPPING"):
                part, tensor = s.lower(), None
                continue
            if not s or set(s) == {"-"}:
                continue
            indent = len(line) - len(line.lstrip())
            if part == "stats":
                m = re.match(r"^(\S.*?):$", s)
                if m and indent == 4:
                    tensor = None if m.group(1) == "Shared" else m.group(1)
                    if tensor is not None and tensor not in cur.tensors:
                        cur.tensors[tensor] = {}
                        cur.order.append(tensor)
                    continue
                kv = re.match(r"^(.+?)\s*:\s*(.*)$", s)
                if not kv:
                    continue
                if tensor is not None and indent >= 8:
                    cur.tensors[tensor][kv.group(1)] = kv.group(2)
                else:
                    cur.stats[kv.group(1)] = kv.group(2)
            elif part == "specs":
                kv = re.match(r"^(.+?)\s*:\s*(.*)$", s)
                if kv:
                    cur.specs[kv.group(1)] = kv.group(2)
        elif section == "networks":
            # network energies (0 in every case seen so far): data, link transfer, spatial reduction
            kv = re.match(r"^(Energy \(total\)|Link transfer energy \(total\)|"
                          r"Spatial Reduction Energy \(total\))\s*:\s*(.*)$", s)
            if kv:
                net_energy += _pj(kv.group(2))
        elif section == "summary":
            m = re.match(r"^(fJ|pJ)/(\S+)$", s)          # 'fJ/Compute', 'pJ/MACC': a per-op block
            if m:
                block = m.group(0)
                continue
            kv = re.match(r"^(.+?)\s*[:=]\s*(.*)$", s)
            if kv:
                key = kv.group(1).strip()
                if key == "Total" and block:
                    summary.setdefault("per-op totals", {})[block] = kv.group(2)
                else:
                    summary[key] = kv.group(2)
    return levels, summary, net_energy


def _pj(text):
    """An energy value in pJ; the reports print pJ, some older network lines fJ."""
    v = num(text) or 0.0
    if re.search(r"\bfJ\b", text):
        v /= 1000.0
    elif re.search(r"\bnJ\b", text):
        v *= 1000.0
    elif re.search(r"\buJ\b", text):
        v *= 1e6
    return v


def first(d, *keys):
    for k in keys:
        if k in d:
            return num(d[k])
    return None


def utilized(t):
    # Sparseloop reports scale totals by the average utilized instances (fractional when tiles
    # can be empty); dense reports have only the max, which is then exact
    v = first(t, "Utilized instances (average)", "Utilized instances (max)", "Utilized instances")
    return 1.0 if v is None else v


def kept(t):
    """Whether the report's tensor block is a tensor the level keeps. Current Timeloop prints only
    kept tensors; older versions printed bypassed ones too, all zero."""
    if first(t, "Partition size") not in (None, 0.0):
        return True
    return any((first(t, k, "Algorithmic s" + k[1:]) or 0) != 0 for k in
               ("Scalar reads (per-instance)", "Scalar fills (per-instance)",
                "Scalar updates (per-instance)"))


def tensor_rows(t):
    """(metric, total) rows of one kept tensor at one storage level."""
    u = utilized(t)
    rows = []
    for metric, key in (("reads", "Scalar reads (per-instance)"),
                        ("fills", "Scalar fills (per-instance)"),
                        ("updates", "Scalar updates (per-instance)")):
        # Sparseloop names the dense-equivalent count "Algorithmic scalar ..."
        rows.append((metric, (first(t, key, "Algorithmic s" + key[1:]) or 0.0) * u))
    return rows


def tensor_energy(t):
    e = 0.0
    for k in ("Energy (total)", "Temporal Reduction Energy (total)",
              "Address Generation Energy (total)"):
        if k in t:
            e += _pj(t[k])
    return e


def fmt_count(v):
    r = round(v)
    return str(int(r)) if abs(v - r) < 1e-9 else "%.15g" % v


def fmt_energy(v):
    return "%.15g" % round(v, 2)


def convert(text):
    levels, summary, net_energy = parse_stats(text)
    if not levels:
        raise ValueError("no 'Buffer and Arithmetic Levels' section")
    arith = levels[0]
    storage = levels[1:]
    out = []
    total_energy = 0.0
    max_cycles = 0.0
    for lv in reversed(storage):                       # outermost first
        energy = 0.0
        for tname in lv.order:
            t = lv.tensors[tname]
            if not kept(t):
                continue
            for metric, v in tensor_rows(t):
                out.append((lv.name, tname, metric, fmt_count(v)))
            energy += tensor_energy(t)
        leak = lv.spec("Leakage energy (total)")
        if leak is None:
            leak = lv.stat("Leakage energy (total)", 0.0)
        if not any(kept(lv.tensors[t]) for t in lv.order) and not leak:
            # a pure spatial (dummy) level; current Timeloop does not even print one. A real
            # level that bypasses every tensor still leaks, so it keeps its two rows.
            continue
        energy += leak
        cyc = lv.stat("Cycles", 0.0)
        max_cycles = max(max_cycles, cyc)
        out.append((lv.name, "-", "cycles", fmt_count(cyc)))
        out.append((lv.name, "-", "energy_pj", fmt_energy(energy)))
        total_energy += energy
    st = arith.specs
    st.update(arith.stats)     # the arithmetic block has flat STATS lines
    computes = first(st, "Computes (total)", "Algorithmic Computes (total)")
    actual = first(st, "Actual Computes (total)")   # Sparseloop: utilization counts these
    if computes is None:       # 2020 layout: only the summary names the count
        computes = first(summary, "Computes", "MACCs")
    mac_cycles = first(st, "Cycles") or 0.0
    mac_energy = _pj(st.get("Energy (total)", "0"))
    out.append((arith.name, "-", "computes", fmt_count(computes)))
    out.append((arith.name, "-", "cycles", fmt_count(mac_cycles)))
    out.append((arith.name, "-", "energy_pj", fmt_energy(mac_energy)))
    total_energy += mac_energy + net_energy
    cycles = first(summary, "Cycles")
    if cycles is None:
        cycles = max(max_cycles, mac_cycles)
    macs = first(st, "Instances") or 1.0
    if actual is None:
        actual = computes
    out.append(("-", "-", "computes", fmt_count(computes)))
    out.append(("-", "-", "cycles", fmt_count(cycles)))
    out.append(("-", "-", "utilization", "%.15g" % (actual / (cycles * macs))))
    out.append(("-", "-", "energy_pj", fmt_energy(total_energy)))
    check_total(summary, computes, actual, total_energy)
    return out


def check_total(summary, computes, actual, total):
    """Cross-checks the summed energy with the report's per-op totals ('fJ/Compute  ... Total = x',
    older 'pJ/Compute' or 'pJ/MACC'; Sparseloop adds 'fJ/Algorithmic-Compute'), printed to 2
    decimals, so a transcription slip in an excerpt shows up. Warns on stderr only."""
    for block, per in summary.get("per-op totals", {}).items():
        unit = 1e-3 if block.startswith("fJ/") else 1.0
        n = computes if "Algorithmic" in block else actual
        if not n or num(per) is None:
            continue
        ref = num(per) * unit * n
        slack = 0.005 * unit * n + 0.2       # printing precision of both sides
        if abs(ref - total) > slack:
            sys.stderr.write("stats2tsv: warning: summed energy %.2f pJ, but %s Total x computes "
                             "gives %.2f pJ\n" % (total, block, ref))


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: stats2tsv.py STATS.txt > expected.tsv\n")
        return 2
    with open(argv[1]) as f:
        text = f.read()
    try:
        rows = convert(text)
    except ValueError as e:
        sys.stderr.write("stats2tsv: %s: %s\n" % (argv[1], e))
        return 1
    for r in rows:
        sys.stdout.write("\t".join(r) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
