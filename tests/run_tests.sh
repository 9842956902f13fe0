#!/bin/bash
# The test suite (make test): unit tests, Timeloop parity, bad specs, CLI. Binaries are built with
# -fsanitize=address,undefined; any sanitizer report fails the test that triggered it.
# Last line: "N passed, M failed".
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=exitcode=99:detect_leaks=1:detect_stack_use_after_return=1 UBSAN_OPTIONS=halt_on_error=1:exitcode=98:print_stacktrace=1
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
CLI=build/sparsemodel_san

# compile checks: C99 header alone, C++ header, two translation units, SPARSEMODEL_STATIC
if [ -f build/compile_checks ] && ./build/two_tu && ./build/two_tu_static; then ok; else bad "compile checks"; fi

# unit tests: every tests/test_*.c binary; its last line is "unit: N passed, M failed"
for u in build/test_*; do
  [ -x "$u" ] || continue
  out=$("$u" 2>&1); rc=$?
  echo "$out" | grep -v '^unit:'
  line=$(echo "$out" | grep '^unit:' | tail -1)
  up=$(echo "$line" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed/\1/p')
  uf=$(echo "$line" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed/\2/p')
  if [ -z "$up" ] || [ $rc -ne 0 -a "${uf:-1}" = 0 ]; then bad "$u crashed (rc $rc)"; else pass=$((pass + up)); fail=$((fail + uf)); echo "$(basename $u): $up passed, $uf failed"; fi
done

# parity with Timeloop and Sparseloop: dense counts and cycles exact, energy within 0.5%; sparse counts
# within 0.5% or one access, energy within 1% (check_case.sh)
for dir in tests/ref/*/; do
  c=$(basename "$dir")
  [ -f "$dir/case.ini" ] || continue
  ref="$dir"; [ -d "../shared/reference/timeloop/$c" ] && ref="../shared/reference/timeloop/$c"
  check=tests/ref/check_case.sh; [ -f ../shared/reference/check_case.sh ] && check=../shared/reference/check_case.sh
  if $CLI eval "$ref/case.ini" --format tsv > "build/ref_$c.tsv" 2> "build/ref_$c.err" &&
     res=$(bash "$check" "$ref" "build/ref_$c.tsv"); then ok; echo "ref $c: ${res##*$'\n'}"
  else bad "reference $c: $(cat build/ref_$c.err) $res"; fi
done

# more parity: other Timeloop/Sparseloop runs of the public exercises (the ISPASS 2020 Timeloop exercises,
# other versions and mappings of the Sparseloop designs; tests/ref_extra/README). Runs an older version
# computed differently live in tests/ref_extra_diff/ with their causes, and are not run.
for dir in tests/ref_extra/*/; do
  c=$(basename "$dir")
  [ -f "$dir/case.ini" ] && [ -f "$dir/expected.tsv" ] || continue
  check=tests/ref/check_case.sh; [ -f ../shared/reference/check_case.sh ] && check=../shared/reference/check_case.sh
  if $CLI eval "$dir/case.ini" --format tsv > "build/ref_extra_$c.tsv" 2> "build/ref_extra_$c.err" &&
     res=$(bash "$check" "$dir" "build/ref_extra_$c.tsv"); then ok; echo "ref_extra $c: ${res##*$'\n'}"
  else bad "ref_extra $c: $(cat build/ref_extra_$c.err) $res"; fi
done

# bad specs: line 1 is "; expect: TEXT"; the error must be FILE + TEXT, exit code 1, no sanitizer report
for f in tests/bad/*.ini; do
  exp=$(head -1 "$f" | sed 's/^; expect: //')
  err=$($CLI eval "$f" 2>&1 >/dev/null); rc=$?
  first=$(echo "$err" | head -1)
  if [ $rc -eq 1 ] && [ "${first#"$f$exp"}" != "$first" ]; then ok
  else bad "$f: rc $rc, got '$first', want '$f$exp'"; fi
done

# paper claims: every build/paper_* checks its claims table (--check prints one status line per
# claim: "ok", "FAIL" for a claim the paper determines that is out of tolerance, "gap" for an
# assumption-based claim that misses, which is listed but does not fail)
for pp in build/paper_*; do
  [ -x "$pp" ] || continue
  out=$("$pp" --check 2>&1); rc=$?
  np=$(echo "$out" | grep -c $'^ok\t'); nf=$(echo "$out" | grep -c $'^FAIL\t'); ng=$(echo "$out" | grep -c $'^gap\t')
  echo "$out" | grep $'^FAIL\t' | sed "s|^|$(basename $pp): |"
  pass=$((pass + np)); fail=$((fail + nf))
  if [ $rc -ne 0 ] && [ $nf -eq 0 ]; then bad "$pp --check exited $rc"; fi
  echo "$(basename $pp): $np claims ok, $nf failed, $ng known gaps"
done

# CLI behaviour
$CLI --help > /dev/null && ok || bad "--help"
$CLI map --help | grep -q '^usage: sparsemodel eval' && ok || bad "map --help"
$CLI eval specs/eyeriss_like.ini --format xml > /dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown format must exit 2"
$CLI eval no/such/file.ini > /dev/null 2>&1; [ $? -eq 1 ] && ok || bad "missing spec must exit 1"
$CLI eval specs/eyeriss_like.ini --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["cycles"]==86016 else 1)' && ok || bad "json output"
$CLI eval specs/eyeriss_like.ini --set 'level shared_glb.read_bw=1' --format tsv | grep -q $'^-\t-\tcycles\t1354752$' && ok || bad "--set read_bw throttles shared_glb"
$CLI eval specs/eyeriss_like.ini --set 'mapping.DRAM.temporal=P8 Q2 M2' > /dev/null 2>&1; [ $? -eq 1 ] && ok || bad "--set with a wrong factor must fail"
$CLI eval specs/eyeriss_like.ini | grep -q '^cycles *86016' && ok || bad "text output"
$CLI components specs/lib/eyeriss_like.ini | grep -q '^ *read_pj .* library$' && ok || bad "components: library costs"
$CLI components specs/eyeriss_like.ini | grep -q '^ *read_pj .* spec$' && ok || bad "components: spec costs"
$CLI eval specs/lib/simba_like.ini --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); l=d["levels"][1]; sys.exit(0 if l["kind"]=="sram" and l["costs"]["read_pj"]["source"]=="library" and d["compute"]["costs"]["pj_per_compute"]["source"]=="library" else 1)' && ok || bad "json energy sources"
$CLI eval specs/lib/simba_like.ini | grep -q '^GlobalBuffer .*read_pj=library' && ok || bad "text energy sources"
# the skip scheduler from the CLI: TensorDash's layer takes fewer cycles than its Tensorcore baseline, and the
# JSON report parses with the constant-power components in it
td=$($CLI eval specs/tensordash_sqznet_fire2e1_aw.ini --format tsv | awk -F'\t' '$1=="-" && $3=="cycles"{print $4}')
tc=$($CLI eval specs/tensorcore_sqznet_fire2e1_aw.ini --format tsv | awk -F'\t' '$1=="-" && $3=="cycles"{print $4}')
[ -n "$td" ] && [ -n "$tc" ] && [ "$td" -lt "$tc" ] && ok || bad "tensordash cycles ($td) below the baseline's ($tc)"
$CLI eval specs/tensordash_sqznet_fire2e1_aw.ini --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if [c["name"] for c in d["components"]]==["cores","transposers","schedulers","amux","staging"] else 1)' && ok || bad "json components"
$CLI eval specs/sigma_gemm05_mk80_kn30.ini --format tsv | grep -q $'^array\t-\tcycles\t397062$' && ok || bad "array spec: SIGMA on 1024-16-500000"
$CLI eval specs/sigma_gemm05_mk80_kn30.ini --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["dataflow"]=="b_sta" and d["folds"]==342 else 1)' && ok || bad "array json output"
# a [gpu] spec in every format: TSV rows and JSON agree with the text report's totals
$CLI eval specs/dstc_spgemm.ini --format tsv | awk -F'\t' '$1=="-" && $3=="effectual_computes" {e=$4} $1=="-" && $3=="bound" {b=$4} END {exit !(e==687198208 && b=="cache")}' && ok || bad "gpu tsv output"
$CLI eval specs/dstc_spgemm.ini --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["effectual_computes"]==687198208 and d["levels"][1]["level"]=="L2" and d["bound"]=="cache" else 1)' && ok || bad "gpu json output"

# mapper and sweeps (CLI): the written mapping re-evaluates to the numbers reported; results do not
# depend on the thread count; shards run with GNU parallel merge into the unsharded result
M=build/mapper_cli; rm -rf $M; mkdir -p $M
eval_ec() { $CLI eval "$1" --format tsv | awk -F'\t' '$1=="-"&&$2=="-"&&$3=="energy_pj"{e=$4} $1=="-"&&$2=="-"&&$3=="cycles"{c=$4} END{print e, c}'; }
map_ec() { sed -n 's/^; energy_pj \([^,]*\), cycles \([^,]*\),.*/\1 \2/p' "$1"; }
same_ec() { awk -v a="$1" -v b="$2" 'BEGIN{split(a,x," "); split(b,y," "); d=x[1]-y[1]; if (d<0) d=-d; exit !(x[2]==y[2] && x[1]>0 && d<=1e-6*x[1])}'; }
for c in eyeriss_like simple_output_stationary; do
  if $CLI map specs/$c.ini --evals 3000 --quiet -o $M/$c.map.ini && same_ec "$(map_ec $M/$c.map.ini)" "$(eval_ec $M/$c.map.ini)"; then ok
  else bad "map $c: eval of the written mapping ($(eval_ec $M/$c.map.ini)) differs from the reported ($(map_ec $M/$c.map.ini))"; fi
done
$CLI map specs/eyeriss_like.ini --evals 3000 --threads 1 --quiet -o $M/t1.ini && $CLI map specs/eyeriss_like.ini --evals 3000 --threads 3 --quiet -o $M/t3.ini &&
  cmp -s $M/t1.ini $M/t3.ini && ok || bad "map: 1 and 3 threads give different mappings"
$CLI map specs/eyeriss_like.ini --evals 3000 --threads 2 --seed 5 --quiet > $M/stdout.ini && grep -q '^include = specs/eyeriss_like.ini$' $M/stdout.ini && ok || bad "map to stdout: include relative to the current directory"
$CLI map specs/constraints/eyeriss_like_row_stationary.ini --evals 3000 --quiet -o $M/rs.ini && grep -q '^weights_spad.keep *= Weights$' $M/rs.ini &&
  grep -q '^shared_glb.keep *= Inputs Outputs$' $M/rs.ini && ! grep -Eq '^inter_PE_spatial.spatial_y *=.*[MNPQR][0-9]' $M/rs.ini &&
  grep -Eq '^inter_PE_spatial.spatial_x *=$' $M/rs.ini && ok || bad "map: row-stationary constraints not honoured ($M/rs.ini)"
out=$($CLI map tests/data/map_empty.ini 2>&1); [ $? -eq 1 ] && [ "$out" = "tests/data/map_empty.ini:16: error: empty mapspace: none of its 77 mappings is valid (77 pruned before evaluation: capacity, utilization; 0 invalid in evaluation: capacity, fanout, formats)" ] && ok || bad "empty mapspace: got '$out'"
$CLI map specs/eyeriss_like.ini --objective speed > /dev/null 2>&1; [ $? -eq 2 ] && ok || bad "map: unknown objective must exit 2"
$CLI sweep specs/eyeriss_like.ini --quiet -o $M/none > /dev/null 2>&1; [ $? -eq 1 ] && ok || bad "sweep without [sweep] must fail"
if $CLI sweep tests/data/sweep_small.ini --quiet -o $M/sweep && [ $(grep -c $'\tok\t' $M/sweep.tsv) -eq 8 ] && [ -s $M/sweep.pareto.tsv ] && [ -s $M/sweep.gp ]; then ok
else bad "sweep: 8 points, a Pareto front and a gnuplot script"; fi
if command -v parallel > /dev/null 2>&1; then
  parallel $CLI map specs/eyeriss_like.ini --evals 4000 --tasks 6 --quiet --shard {}/3 -o $M/shard{}.ini ::: 0 1 2 &&
    $CLI merge -o $M/merged.ini $M/shard0.ini $M/shard1.ini $M/shard2.ini 2> /dev/null &&
    $CLI map specs/eyeriss_like.ini --evals 4000 --tasks 6 --quiet -o $M/single.ini && cmp -s $M/merged.ini $M/single.ini && ok || bad "map: merged shards differ from the unsharded run"
  parallel $CLI sweep tests/data/sweep_small.ini --quiet --shard {}/3 -o $M/sw{} ::: 0 1 2 &&
    $CLI merge -o $M/swmerged $M/sw2.tsv $M/sw0.tsv $M/sw1.tsv 2> /dev/null &&
    cmp -s $M/swmerged.tsv $M/sweep.tsv && cmp -s $M/swmerged.pareto.tsv $M/sweep.pareto.tsv && ok || bad "sweep: merged shards differ from the unsharded run"
  $CLI merge -o $M/partial $M/sw0.tsv $M/sw1.tsv > /dev/null 2>&1; [ $? -eq 1 ] && ok || bad "merge with a missing shard must fail"
else echo "SKIP: GNU parallel is not installed (apt-get install parallel): shard/merge tests not run"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
