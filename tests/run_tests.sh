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

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
