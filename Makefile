# sparsemodel: make (build), make test, make bench, make figures, make claims
CC      ?= cc
WARN    = -std=c99 -Wall -Wextra -pedantic
CFLAGS  ?= -O2 -g
CPPFLAGS += -I. -I/usr/include/stb
LDLIBS  = -linih -lm -lpthread
SAN     = -fsanitize=address,undefined -fno-omit-frame-pointer

# Paper programs: examples/paper_NAME.c regenerates one paper's figures and claims table
# (--figures, --claims, --check); extra unit tests: tests/test_NAME.c. Both are picked up here.
PAPERS  = $(patsubst examples/paper_%.c,build/paper_%,$(wildcard examples/paper_*.c))
UNITS   = $(patsubst tests/%.c,build/%,$(wildcard tests/test_*.c))

all: deps sparsemodel build/figures_reference build/bench_eval build/bench_map $(PAPERS)

# Install the Debian packages the build needs, or say exactly what to run.
deps:
	@missing=""; \
	[ -f /usr/include/stb/stb_ds.h ] || missing="$$missing libstb-dev"; \
	[ -f /usr/include/ini.h ] || missing="$$missing libinih-dev"; \
	command -v gnuplot >/dev/null 2>&1 || missing="$$missing gnuplot-nox"; \
	command -v parallel >/dev/null 2>&1 || missing="$$missing parallel"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null || \
	      { echo "apt-get failed: run  sudo apt-get install$$missing"; exit 1; }; \
	  else echo "missing packages: run  sudo apt-get update && sudo apt-get install -y$$missing"; \
	    case "$$missing" in *libstb*|*libinih*) exit 1;; esac; fi; fi

sparsemodel: examples/sparsemodel.c sparsemodel.h | deps
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $< -o $@ $(LDLIBS)

build/%: examples/%.c sparsemodel.h examples/ex_common.h | deps
	@mkdir -p build
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $< -o $@ $(LDLIBS)

build/bench_eval: bench/bench_eval.c sparsemodel.h | deps
	@mkdir -p build
	$(CC) $(WARN) -O2 -DNDEBUG $(CPPFLAGS) $< -o $@ $(LDLIBS)

build/bench_map: bench/bench_map.c sparsemodel.h | deps
	@mkdir -p build
	$(CC) $(WARN) -O2 -DNDEBUG $(CPPFLAGS) $< -o $@ $(LDLIBS)

# Tests build with sanitizers and -Werror.
build/test_%: tests/test_%.c tests/test_common.h sparsemodel.h | deps
	@mkdir -p build
	$(CC) $(WARN) -Werror -O1 -g $(SAN) $(CPPFLAGS) $< -o $@ $(LDLIBS)

build/sparsemodel_san: examples/sparsemodel.c sparsemodel.h | deps
	@mkdir -p build
	$(CC) $(WARN) -Werror -O1 -g $(SAN) $(CPPFLAGS) $< -o $@ $(LDLIBS)

build/compile_checks: tests/compile_c.c tests/two_tu_a.c tests/two_tu_b.c tests/compile_cpp.cpp sparsemodel.h | deps
	@mkdir -p build
	$(CC) $(WARN) -Werror $(CPPFLAGS) -c tests/compile_c.c -o build/compile_c.o
	$(CC) $(WARN) -Werror $(CPPFLAGS) tests/two_tu_a.c tests/two_tu_b.c -o build/two_tu $(LDLIBS)
	$(CC) $(WARN) -Werror -Wno-unused-function -DSPARSEMODEL_STATIC $(CPPFLAGS) tests/two_tu_a.c -o build/two_tu_static $(LDLIBS)
	$(CC) $(WARN) -Werror -DSM_NO_THREADS $(CPPFLAGS) -DSPARSEMODEL_IMPLEMENTATION -x c -c sparsemodel.h -o build/compile_nothreads.o
	c++ -std=c++11 -Wall -Wextra -Werror $(CPPFLAGS) -c tests/compile_cpp.cpp -o build/compile_cpp.o
	@touch $@

# The sanitized test programs take most of the time to build: build them on every core.
test:
	@$(MAKE) --no-print-directory -j$$(nproc 2>/dev/null || echo 2) test-build
	@bash tests/run_tests.sh
test-build: all $(UNITS) build/sparsemodel_san build/compile_checks

bench: build/bench_eval build/bench_map
	./build/bench_eval
	./build/bench_map

figures: build/figures_reference $(PAPERS)
	./build/figures_reference
	@for p in $(PAPERS); do echo "== $$p"; ./$$p --figures || exit 1; done

claims: $(PAPERS)
	@for p in $(PAPERS); do ./$$p --claims || exit 1; done

# Fuzzing (issue 13): libFuzzer targets built with clang; FUZZ_SECONDS per target (default 60).
FUZZERS = $(patsubst tests/fuzz/fuzz_%.c,build/fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))
build/fuzz_%: tests/fuzz/fuzz_%.c sparsemodel.h tests/gen_spec.h | deps
	@mkdir -p build
	@command -v clang >/dev/null && [ -n "$$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] || \
	  { echo "fuzzing needs clang and libFuzzer: run  sudo apt-get install -y clang libclang-rt-14-dev"; exit 1; }
	clang -std=c99 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $(CPPFLAGS) $< -o $@ $(LDLIBS)

fuzz: $(FUZZERS)
	@bash tests/fuzz/run.sh

# Valgrind over the CLI runs of the test suite (reference cases, specs, bad specs), unsanitized build.
memcheck: sparsemodel
	@bash tests/memcheck.sh

clean:
	rm -rf build sparsemodel

.PHONY: all deps test test-build bench figures claims fuzz memcheck clean
