#!/bin/bash
# make fuzz: run each libFuzzer target for FUZZ_SECONDS (default 60) on a corpus under build/fuzz/,
# seeded from the project's specs, reference cases and bad specs. Crashes land in build/fuzz/
# (crash-*, leak-*, timeout-*); turn each into a regression test (tests/bad/ or a unit test).
# FUZZ_TARGETS picks targets (default: all), e.g. to run two shells side by side on two cores.
set -u
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-60}
mkdir -p build/fuzz
for t in ${FUZZ_TARGETS:-spec einsum mapping eval}; do
  c=build/fuzz/corpus_$t
  mkdir -p "$c"
  case $t in
    spec) cp specs/*.ini specs/*/*.ini tests/ref/*/case.ini tests/bad/*.ini "$c"/ 2>/dev/null
          for f in specs/arch/sigma/*.ini; do   # array specs, made whole with a workload
            (cat "$f"; sed -n '/^\[problem\]/,$p' specs/workloads/sigma/gemm10_256x256x2048.ini) | grep -v '^include' > "$c/sigma_$(basename "$f")"; done
          for f in specs/arch/{dstc,csr_stc,a100_stc,cusparse}.ini; do   # GPU kernel specs, includes inlined
            (cat specs/arch/v100.ini "$f" specs/workloads/spgemm_4096.ini) | grep -v '^include' > "$c/gpu_$(basename "$f")"; done ;;
    einsum) grep -h '^einsum' specs/*/*.ini tests/ref/*/case.ini 2>/dev/null | sed 's/^einsum *= *//' | sort -u | awk -v d="$c" '{ f = d "/e" NR; print > f; close(f) }' ;;
    mapping) for f in tests/ref/*/case.ini; do sed -n '/^\[mapping\]/,$p' "$f" | tail -n +2 > "$c/$(basename "$(dirname "$f")")"; done ;;
    eval) head -c 600 /dev/urandom > "$c/random0" ;;
  esac
  echo "== fuzz_$t for ${secs}s"
  (cd build/fuzz && ../fuzz_$t -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "corpus_$t" 2>&1 | \
     grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|#[0-9]+[[:space:]]+DONE|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' ) || true
  found=$(ls build/fuzz/ | grep -E '^(crash|leak|timeout|oom)-' || true)
  if [ -n "$found" ]; then echo "fuzz_$t found a problem: $found (in build/fuzz/)"; exit 1; fi
done
echo "fuzz: all targets clean"
