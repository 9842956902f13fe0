#!/bin/bash
# make memcheck: the CLI under valgrind (--error-exitcode=1, leaks counted as errors) on every
# reference case, every spec and every bad spec, in every output format. Last line: N clean, M with errors.
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "memcheck needs valgrind: run  sudo apt-get install -y valgrind"; exit 1; }
clean=0; bad=0
run() { if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect ./sparsemodel "$@" >/dev/null 2>build/memcheck.log; [ $? -ne 99 ]; then clean=$((clean + 1)); else bad=$((bad + 1)); echo "valgrind errors: sparsemodel $*"; head -20 build/memcheck.log; fi; }
mkdir -p build
for f in tests/ref/*/case.ini specs/*.ini; do for fmt in text tsv json; do run eval "$f" --format $fmt; done; done
for f in tests/bad/*.ini; do run eval "$f"; done
run eval specs/eyeriss_like.ini --set 'level shared_glb.read_bw=1'
echo "memcheck: $clean clean, $bad with errors"
[ $bad -eq 0 ]
