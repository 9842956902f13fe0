/* sparsemodel.h v0.2.0 -- analytic models of dense and sparse DNN accelerators, in one C99 header.

   QUICK START
     In exactly one C file:
         #define SPARSEMODEL_IMPLEMENTATION
         #include "sparsemodel.h"
     elsewhere just #include "sparsemodel.h". The implementation needs two system headers:
     <stb_ds.h> (Debian libstb-dev, include path /usr/include/stb) and <ini.h> (libinih-dev, link -linih).

         sm_spec *spec; sm_stats st; sm_error err;
         if (sm_spec_load_file("specs/eyeriss_like.ini", NULL, 0, &spec, &err) != SM_OK ||
             sm_eval(spec, &st, &err) != SM_OK) { fprintf(stderr, "%s\n", err.text); return 1; }
         printf("%.0f cycles, %.2f pJ\n", st.cycles, st.energy_pj);
         sm_spec_free(spec);

   CALL ORDER
     sm_spec_load_file / sm_spec_load_string  INI -> sm_spec (allocates; sm_spec_free)
     sm_spec_resolve_energy                   fills library costs of components with a kind (the loader
                                              calls it; call again after editing a spec in C)
     sm_eval                                  sm_spec -> sm_stats (validates; never allocates; reentrant)
     sm_report_tsv / _text / _json            sm_stats -> FILE*
     sm_map                                   sm_spec -> best mapping (searches; threads; allocates)
     sm_mapping_write                         a mapping -> [mapping] section
     sm_sweep_from_spec / sm_sweep_point      [sweep] -> design points (--set strings per point)
     sm_array_eval                            a spec with an [array]: sm_spec -> sm_array_stats (never allocates)
     sm_array_report_tsv / _text / _json      sm_array_stats -> FILE*
     sm_gpu_eval / sm_gpu_report_*            a spec with [gpu]: the tiled-kernel GPU model (no allocation)
     sm_stats_series                          terms of a structured series run into one output
     A spec can also be filled in by hand: every field left zero takes its documented default.

   MODEL (Timeloop's dense semantics; see README.md for the full statement)
     The mapping is a loop nest. At each storage level: temporal loops (outer first) enclose
     spatial_y loops, which enclose spatial_x loops. The tile of tensor T held at level L is the
     projection (through the einsum's index expressions) of all loops at L and below.
     - fills(L,T): per instance, the first tile plus, each time a temporal loop above L advances,
       the words of the new tile that were not in the previous one (halos are reused).
     - reads(L,T): what L delivers to the nearest inner level that keeps T (or to the MACs, one
       operand per compute); a spatial loop whose dim does not index T multicasts (one read).
     - read-write tensor: updates(L) = write-backs from below after spatial reduction;
       reads(L) = updates - partition (first-read elision); fills(L) = deliveries - partition.
     - cycles: computes per utilized MAC, throttled per level by read/write/shared bandwidth.
     - energy: per instance and action, ceil(count / block_words) vector accesses x block energy,
       divided by utilized instances per utilized cluster; leakage on utilized instances;
       [component] blocks: constant power x cycles / clock.

   SPARSE MODEL (Sparseloop's statistical analysis; dense is density 1)
     - [density] models give every tile an occupancy distribution (uniform: hypergeometric;
       fixed; N:M along a rank; banded; an actual 0/1 mask).
     - [format LEVEL] ranks (UOP, CP, B, UB, RLE) bind to the tile's loops; they give metadata and
       payload entries per tile, remove the accesses of zeros, and set compressed capacity.
     - [saf] gate/skip a tensor's accesses where condition tiles are empty; what a SAF removes
       never reaches the levels below; skip_spatial idles instances with empty tiles. Computes are
       actual, gated, skipped or absent from the operands' states.
     - counts are rounded as Sparseloop rounds them; totals use average utilized instances.
       A compute-skip model (sm_spec.skip_model) may replace the compute timing.
       Built-in ones ([skip], [@opskip]): outer-product block skipping and structured N:M series.

   MECHANISM MODELS (designs a loop nest alone does not describe; plain desc structs, zero = default)
     sm_params_load_file / sm_params_read     INI parameter file -> desc structs (file:line errors)
     sm_twophase_work_of, sm_twophase_pipeline a predictor (JL-reduced, low precision, ternary
                                              projection) and an executor restricted to its mask;
                                              a chain of steps pipelined one step ahead
     sm_mac_rate / sm_mac_pj                  MAC throughput and energy by width (fixed, linear,
                                              quadratic rules)
     sm_lockstep_eval                         rows in lock step: load imbalance of data-dependent
                                              skipping, balancing by reordering into buckets
     sm_ddr_stream / _gather, sm_nearmem_eval DDR timing; logic at every DRAM rank
     sm_roofline_time                         CPU / GPU rooflines with per-kernel efficiencies
     sm_attention_work_of, sm_kv_loads        attention einsums with predicted masks; key loads
                                              of token-parallel dataflows

   TABLE OF CONTENTS (grep '\[@' sparsemodel.h; the .impl halves come in the same order;
     @arch is resolved in @spec.impl)
     @base      limits, result codes, errors, locations
     @workload  einsum, dims, tensors (sm_problem)
     @arch      storage levels, compute, constant-power components (sm_level, sm_compute, sm_component)
     @mapping   loop nest and keep/bypass (sm_level_map); its .impl half is the nest analysis:
                tiles, fills, reads, updates, multicast, reduction (internal)
     @sparse    density models, rank formats, SAFs, the compute-skip hook (sm_density,
                sm_format, sm_saf, sm_skip_fn); its .impl half: occupancy, formats bound to
                loops, SAF probabilities, spatial skipping, the combine and compute classes
     @skipsched windowed lookahead/lookaside skip scheduler (sm_skipsched, exact chain / Monte-Carlo)
     @network   on-array networks: one description (sm_net_desc, sm_net_kind); latency and a
                component-count model of area and energy (sm_net_latency, sm_net_parts_eval)
     @array     GEMM arrays in folds: systolic and flexible (Flex-DPE-like), stationary compaction,
                dataflows, load/stream/add timing (sm_array, sm_array_eval)
     @opskip    outer-product block skipping, structured N:M compute, accumulation buffer (sm_skip_desc)
     @im2col    convolution lowering: shapes and software lowering costs (sm_conv, sm_im2col_count)
     @gpu       tiled GEMM kernels on a GPU-like hierarchy, waves, ESC SpGEMM (sm_gpu_eval)
     @tasd      structured decomposition (TASD series): kept/dropped statistics, error, search
     @spec      the whole evaluation and the INI loader (sm_spec, sm_spec_load_*)
     @energy    built-in energy and area of storage, arithmetic and networks by kind, size,
                width, precision and technology node (sm_mem_estimate, sm_op_estimate,
                sm_unit_costs_estimate for networks and arrays, sm_spec_resolve_energy)
     @params    parameter files: INI sections for the mechanism models (sm_params_*)
     @twophase  speculative two-phase operator: JL dimension, per-phase work, pipelining, sm_bound
     @macarray  multi-precision MAC arrays: throughput and energy per width, rows split by width
     @lockstep  lock-step rows: load imbalance of data-dependent skipping, reordering into buckets
     @nearmem   near-memory ranks: DDR timing (streams, row gathers, command bus), rank-level logic
     @roofline  roofline processors (CPU, GPU) with per-kernel efficiencies
     @attention attention einsums with predicted masks, token-parallel key loading, mask models
     @eval      validation, timing, energy (sm_eval, sm_stats)
     @report    text, TSV and JSON writers, component costs (sm_report_components)
     @search    mapper (mapspace, constraints, exhaustive / random / annealing search, threads,
                shards) and design-space sweeps (sm_map, sm_sweep_*)

   CONFIGURATION MACROS
     SPARSEMODEL_IMPLEMENTATION   compile the implementation in this translation unit
     SPARSEMODEL_STATIC           make every function static
     SM_NO_STB_DS_IMPLEMENTATION  stb_ds is compiled elsewhere in the program
     SM_NO_THREADS                the mapper runs on one thread (no <pthread.h>; link without -lpthread)
     SM_MAX_*                     fixed capacities below (ABI-affecting: same value in every TU)

   LICENSE: MIT (end of file).
*/
#ifndef SPARSEMODEL_H
#define SPARSEMODEL_H

#include <stdio.h>

#define SM_VERSION_MAJOR 0
#define SM_VERSION_MINOR 2
#define SM_VERSION_PATCH 0
#define SM_SPEC_VERSION 1

#ifdef SPARSEMODEL_STATIC
#define SMDEF static
#else
#define SMDEF extern
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*=== [@base] LIMITS, RESULT CODES, ERRORS ======================================================*/
#ifndef SM_MAX_DIMS
#define SM_MAX_DIMS 16     /* dims of one einsum */
#endif
#ifndef SM_MAX_TENSORS
#define SM_MAX_TENSORS 8   /* tensors of one einsum (one output) */
#endif
#ifndef SM_MAX_RANKS
#define SM_MAX_RANKS 8     /* index positions of one tensor */
#endif
#ifndef SM_MAX_TERMS
#define SM_MAX_TERMS 4     /* coef*dim terms of one index expression */
#endif
#ifndef SM_MAX_LEVELS
#define SM_MAX_LEVELS 16   /* storage levels, outermost first */
#endif
#ifndef SM_MAX_LOOPS
#define SM_MAX_LOOPS 16    /* loops of one kind at one level */
#endif
#define SM_NAME_LEN 48
#define SM_PATH_LEN 256
#define SM_ERROR_LEN 1200

/* Result codes with their one-line meaning, from one X-macro. */
#define SM__RESULTS(X) \
    X(SM_OK,              "ok") \
    X(SM_ERR_IO,          "cannot read file") \
    X(SM_ERR_SYNTAX,      "INI syntax error") \
    X(SM_ERR_UNKNOWN,     "unknown section or key") \
    X(SM_ERR_VALUE,       "bad value") \
    X(SM_ERR_EINSUM,      "bad einsum") \
    X(SM_ERR_MAPPING,     "invalid mapping") \
    X(SM_ERR_CAPACITY,    "tile exceeds capacity") \
    X(SM_ERR_FANOUT,      "spatial loops exceed fanout") \
    X(SM_ERR_OVERFLOW,    "count overflows exact arithmetic") \
    X(SM_ERR_LIMIT,       "fixed capacity exceeded") \
    X(SM_ERR_UNSUPPORTED, "not supported by this version") \
    X(SM_ERR_EMPTY,       "empty mapspace: no valid mapping")
#define SM__ENUM(c, m) c,
typedef enum sm_result { SM__RESULTS(SM__ENUM) SM_RESULT_COUNT } sm_result;
#undef SM__ENUM

/* Where a key was written: file and 1-based line (line 0: no line, e.g. set in C). */
typedef struct sm_loc { char file[SM_PATH_LEN]; int line; } sm_loc;

/* An error as a value: code, location and the full message "file:line: error: ...". */
typedef struct sm_error { sm_result code; sm_loc where; char text[SM_ERROR_LEN]; } sm_error;

SMDEF const char *sm_result_string(sm_result r);
SMDEF const char *sm_version_string(void);

/*=== [@workload] EINSUM ========================================================================*/
/* One index position of a tensor: sum of coef*dim (coef >= 1). */
typedef struct sm_term { int dim; long coef; } sm_term;
typedef struct sm_rank { int nterms; sm_term terms[SM_MAX_TERMS]; } sm_rank;
typedef struct sm_tensor {
    char name[SM_NAME_LEN];
    int nranks;
    sm_rank ranks[SM_MAX_RANKS];
    int is_output;                 /* the left side: read-write (partial sums) */
} sm_tensor;

/* The workload. Tensors: right-hand operands in einsum order, then the output (last).
   Defaults: word_bits 0 -> 16. bounds[d] >= 1. */
typedef struct sm_problem {
    char name[SM_NAME_LEN];
    int ndims;
    char dims[SM_MAX_DIMS][SM_NAME_LEN];
    long bounds[SM_MAX_DIMS];
    int ntensors;
    sm_tensor tensors[SM_MAX_TENSORS];
    int word_bits;
    sm_loc einsum_loc, bounds_loc;
} sm_problem;

/* Parse "Z[m,n] += A[m,k] * B[k,n]" into p (dims and tensors; bounds untouched). */
SMDEF sm_result sm_einsum_parse(const char *text, sm_problem *p, const sm_loc *where, sm_error *err);
SMDEF int sm_problem_dim(const sm_problem *p, const char *name);     /* index or -1 */
SMDEF int sm_problem_tensor(const sm_problem *p, const char *name);  /* index or -1 */

/*=== [@arch] STORAGE LEVELS AND COMPUTE ========================================================*/
/* What a component is built from, for the built-in energy and area library ([@energy]).
   SM_MEM_NONE (the default) means: energies and area only as given (0 when not given). */
typedef enum sm_mem_kind { SM_MEM_NONE = 0, SM_MEM_SRAM, SM_MEM_REGFILE, SM_MEM_DRAM, SM_MEM_REG } sm_mem_kind;
typedef enum sm_dram_type { SM_DRAM_LPDDR4 = 0, SM_DRAM_DDR4, SM_DRAM_HBM2, SM_DRAM_GDDR5 } sm_dram_type;
typedef enum sm_op { SM_OP_MAC = 0, SM_OP_MUL, SM_OP_ADD } sm_op;
/* SM_PREC_DEFAULT: a compute's precision follows the problem's word_bits (8/16/32 -> intN); a MAC
   accumulates in int32 (integer precisions) or fp32 (floating). */
typedef enum sm_precision {
    SM_PREC_DEFAULT = 0, SM_PREC_INT2, SM_PREC_INT4, SM_PREC_INT8, SM_PREC_INT16, SM_PREC_INT32,
    SM_PREC_FP16, SM_PREC_BF16, SM_PREC_FP32, SM_PREC_COUNT
} sm_precision;
/* The costs of a level the library can fill in, indexing sm_level.source and the bits of .given. */
typedef enum sm_cost {
    SM_COST_READ = 0, SM_COST_WRITE, SM_COST_UPDATE, SM_COST_LEAK, SM_COST_AREA,
    SM_COST_MD_READ, SM_COST_MD_WRITE, SM_COST_MD_UPDATE, SM_COST_COUNT
} sm_cost;
/* Where a cost came from (filled by sm_spec_resolve_energy): not given and no kind (0), written
   in the spec (or set in C), or estimated by the library. */
typedef enum sm_cost_source { SM_SRC_NONE = 0, SM_SRC_SPEC, SM_SRC_LIBRARY } sm_cost_source;

/* A storage level; levels are listed outermost first.
   Units: size and bandwidth in words (of word_bits), energy pJ per word, area um^2 per instance.
   Defaults: size 0 = unbounded; instances 0 -> 1; mesh_x 0 -> instances; word_bits 0 -> the
   problem's; block_words 0 -> 1; read_bw/write_bw/shared_bw 0 = unlimited; multiple_buffering
   0 -> 1; update_pj 0 -> write_pj; cluster_size 0 -> 1.
   A level with size 0 and no energies that keeps nothing is a pure spatial stage.
   Built-in energies: with a kind, every cost in sm_cost that is 0 and not marked in `given` is
   estimated by the library from kind, dram_type, size, word_bits x block_words (the access
   width), banks and tech_nm (0 -> the arch's, then 45) when sm_spec_resolve_energy runs (the
   loader runs it); `source` says where each cost came from. */
typedef struct sm_level {
    char name[SM_NAME_LEN];
    double size;
    long instances, mesh_x;
    int word_bits;
    long block_words, cluster_size;
    double read_bw, write_bw, shared_bw;
    double multiple_buffering;
    double read_pj, write_pj, update_pj, leak_pj;
    double area_um2;
    /* sparse extensions, all default 0; arrays are indexed by sm_action */
    double gated_pj[3], skipped_pj[3];           /* per gated / skipped word, by sm_action; skipped 0 -> gated */
    int metadata_word_bits;                       /* bits per metadata access; 0 = metadata is free */
    double metadata_size;                         /* metadata capacity in metadata words, 0 = unbounded */
    double metadata_pj[3], gated_metadata_pj[3], skipped_metadata_pj[3];   /* per metadata word */
    int decompression, compression;               /* may hold uncompressed what the parent holds compressed */
    double decompression_pj, compression_pj;      /* per word filled / updated that way */
    /* built-in energy library ([@energy]) */
    sm_mem_kind kind;
    sm_dram_type dram_type;
    long banks;                                   /* 0 -> 1 */
    int tech_nm;                                  /* 0 -> the arch's technology */
    unsigned given;                               /* bit (1u << sm_cost): given explicitly, even if 0 */
    unsigned char source[SM_COST_COUNT];          /* sm_cost_source of each cost (set by resolve) */
    sm_loc loc, kind_loc, dram_loc;
} sm_level;


/* The compute level (MACs). Defaults: instances 0 -> 1; mesh_x 0 -> instances.
   Built-in energies: with use_library set (the loader sets it when `op` or `precision` is given),
   mac_pj and area_um2 that are 0 and not marked in `given` (bit 0 energy, bit 1 area) come from
   the library's estimate of op at precision (accumulating at acc_precision) and tech_nm. */
typedef struct sm_compute {
    char name[SM_NAME_LEN];
    long instances, mesh_x;
    double mac_pj, area_um2;       /* per compute (whatever op it is), per instance */
    double gated_pj, skipped_pj;   /* per gated / skipped compute */
    int use_library;
    sm_op op;
    sm_precision precision, acc_precision;
    int tech_nm;                   /* 0 -> the arch's technology */
    unsigned given;
    unsigned char source[2];       /* sm_cost_source of mac_pj and area_um2 */
    sm_loc loc, op_loc;
} sm_compute;

/* A block outside the nest analysis that draws constant power while an evaluation runs and
   occupies area: clocked logic whose power was measured rather than counted per action (a
   scheduler, staging registers, transposers, or a whole compute core from a synthesis report).
   Energy = power_mw x instances x cycles / clock (mW x ns = pJ). Defaults: instances 0 -> 1. */
#ifndef SM_MAX_COMPONENTS
#define SM_MAX_COMPONENTS 16
#endif
typedef struct sm_component {
    char name[SM_NAME_LEN];
    long instances;
    double power_mw, area_um2;     /* per instance */
    sm_loc loc;
} sm_component;

/*=== [@mapping] LOOP NEST AND BYPASS ===========================================================*/
typedef struct sm_loop { int dim; long factor; } sm_loop;
typedef struct sm_loop_list { int n; sm_loop loops[SM_MAX_LOOPS]; sm_loc loc; } sm_loop_list;
/* The mapping of one level: loops outermost first; bypass is a bit mask over tensors (0 = keep
   every tensor, the default). */
typedef struct sm_level_map {
    sm_loop_list temporal, spatial_x, spatial_y;
    unsigned bypass;
    sm_loc keep_loc;
} sm_level_map;

/*=== [@sparse] DENSITY MODELS, FORMATS, SAFS, SKIP MODELS ======================================*/
/* How the non-zeros of a tensor are distributed. Every model answers, for a tile of any shape,
   the distribution of its occupancy (non-zeros), hence the expected occupancy and the
   probability that it is empty. Dense is the special case density 1: an all-zero struct.
   The tile of a tensor is a box in its coordinate space; uniform and fixed need only its size. */
typedef enum sm_density_kind {
    SM_DENSITY_DENSE = 0,
    SM_DENSITY_UNIFORM,   /* i.i.d.: ceil(d x size) non-zeros at random; tiles are hypergeometric */
    SM_DENSITY_FIXED,     /* every tile holds d x its size non-zeros, split between floor and ceil */
    SM_DENSITY_NM,        /* exactly n non-zeros at random places in every aligned block of m along one rank */
    SM_DENSITY_BANDED,    /* non-zero where |i - j| <= band for ranks i, j = 0, 1 (band 0: the diagonal) */
    SM_DENSITY_MASK       /* actual data: a 0/1 mask file, row-major over the tensor's ranks */
} sm_density_kind;
typedef struct sm_density {
    sm_density_kind kind;
    double density;                /* uniform, fixed: as given; nm, banded, mask: derived (nnz / size) */
    int n, m, rank;                /* nm: n of every m along tensor rank `rank` */
    long band;                     /* banded: half-width */
    const unsigned *prefix;        /* mask: inclusive prefix sums over the ranks (owned by the spec) */
    double size, nnz;              /* words and non-zeros of the whole tensor (derived) */
    double extent[SM_MAX_RANKS];   /* the tensor's extent per rank (derived) */
    sm_loc loc;
} sm_density;

/* A representation format of a tensor at a level: ranks outer to inner (Sparseloop's fibertree).
   A rank binds to the next non-trivial loop of the tile (or to several loops flattened: `dims`
   names the problem dims allowed in it). */
#ifndef SM_MAX_FORMAT_RANKS
#define SM_MAX_FORMAT_RANKS 8
#endif
typedef enum sm_rank_format {
    SM_RANK_U = 0,   /* uncompressed, no metadata */
    SM_RANK_UOP,     /* uncompressed offset pairs: fiber+1 offsets as payload (CSR's row pointers) */
    SM_RANK_CP,      /* coordinate/payload: one coordinate per non-empty element (compresses) */
    SM_RANK_B,       /* bitmask: one bit per element (compresses) */
    SM_RANK_UB,      /* uncompressed bitmask */
    SM_RANK_RLE      /* run length per non-empty element (compresses) */
} sm_rank_format;
typedef struct sm_format_rank {
    sm_rank_format kind;
    unsigned dims;                 /* flattening rule: bit mask over problem dims (0 = any one loop) */
    int md_bits, pl_bits;          /* bits per metadata / payload entry; -1 = the level's default */
} sm_format_rank;
typedef struct sm_format {
    int nranks;                    /* 0: held uncompressed without metadata */
    int inner_to_outer;            /* bind ranks to loops from the inside out (Sparseloop rank order) */
    sm_format_rank rank[SM_MAX_FORMAT_RANKS];   /* outer to inner, as written */
    sm_loc loc;
} sm_format;

/* A sparse acceleration feature: at `level`, gate or skip the accesses of `target` where the
   corresponding tile of any tensor in `cond` is empty; skip_spatial lets instances whose tile is
   empty take other work. At the compute level (level == nlevels): gate zero operands, skip
   unaligned ones (Sparseloop applies these to all operands). */
typedef enum sm_saf_kind { SM_SAF_GATE = 0, SM_SAF_SKIP, SM_SAF_SKIP_SPATIAL } sm_saf_kind;
typedef struct sm_saf {
    int level, target;             /* target -1: the computes */
    sm_saf_kind kind;
    unsigned cond;                 /* bit mask over tensors */
    sm_loc loc;
} sm_saf;
#ifndef SM_MAX_SAFS
#define SM_MAX_SAFS 32
#endif

/* A compute-skip model: a mechanism that decides how many cycles the MACs take when they skip
   ineffectual work (windowed lookahead schedulers, outer-product block skippers, structured N:M
   datapaths...). It gets the operands' densities and the spatial shape, and returns the expected
   compute cycles and effectual computes. The nest analysis is untouched by it. */
typedef struct sm_skip_query {
    int noperands;
    double density[SM_MAX_TENSORS];      /* expected density of each operand (einsum order) */
    const sm_density *model[SM_MAX_TENSORS];
    double computes;                     /* algorithmic computes */
    double effectual;                    /* computes with every operand non-zero (Sparseloop's actual) */
    double macs_x, macs_y;               /* utilized MACs along X and Y */
    double dense_cycles;                 /* temporal iterations per MAC */
    double cycles;                       /* cycles Sparseloop's rules give (the default answer) */
    double stream_steps;                 /* dense iterations that accumulate into one output at the MACs
                                            before it changes: the innermost temporal loops over dims
                                            that do not index the output (1: every iteration a new one) */
} sm_skip_query;
typedef struct sm_skip_answer { double cycles, effectual; } sm_skip_answer;
typedef sm_result (*sm_skip_fn)(const sm_skip_query *q, const void *params, sm_skip_answer *out);

/*=== [@skipsched] WINDOWED LOOKAHEAD/LOOKASIDE SKIP SCHEDULER ==================================*/
/* A compute-skip mechanism for a lane array (the multipliers of one processing element, all
   accumulating into one output) fed from a staging buffer `depth` dense steps deep. Each lane
   has a fixed, ordered list of movement options (time ahead, lane offset on a ring): every cycle
   a greedy scheduler visits the lanes in level order and gives each the first option that still
   holds an effectual pair; then the window advances past its leading empty steps. `rows` such
   PEs (the rows of a tile, which share the other operand's buffers) advance in lock-step: by
   the smallest advance of any row. Effectual = the sparse operand is non-zero (one-sided) or
   both are (two-sided, independent densities).
   Answer: expected cycles per dense row-step at a density, exact for one row (a Markov chain
   over the buffer's residual occupancy) or by a seeded, bounded Monte-Carlo over small tiles
   (several rows, clustered rows, finite streams). Results are cached per density in a
   caller-owned sm_skipsched_cache (one per thread: a cache is not locked); any cache created
   for the same configuration may be put in .cache, so many evaluations can share one (for a
   spec loaded from INI, point its skip_params at your own sm_skipsched instead: sm_spec_free
   frees the spec's own cache).
   Use it as a spec's skip model (INI section [skipsched]; sm_spec.skipsched) or directly:
       sm_skipsched s = {0}; sm_skipsched_cache *c; sm_skipsched_result r;
       s.lanes = 4; s.depth = 4; ... options ...;
       sm_skipsched_cache_create(&s, &c, &err); s.cache = c;
       sm_skipsched_expect(&s, 0.3, 0, &r, &err);     r.speedup: dense cycles / expected cycles
       sm_skipsched_cache_free(c);
   Defaults (zero means default): lanes 4; noptions 0 -> lookahead only, (t, 0) for t < depth;
   depth 0 -> 1 + the largest option time; order 0 -> lanes 0, 1, ...; rows 1; side sparsest;
   stream from the mapping; row_period 0 -> one stream (continuous: 256 steps); method auto
   (exact when one row without clustering and lanes x depth <= 16, else Monte-Carlo); samples
   65536 dense steps per estimate; seed 0 is a seed like any other. */
#ifndef SM_SKIPSCHED_MAX_LANES
#define SM_SKIPSCHED_MAX_LANES 32
#endif
#define SM_SKIPSCHED_MAX_DEPTH 8
#define SM_SKIPSCHED_MAX_OPTIONS 16
#define SM_SKIPSCHED_MAX_ROWS 64
#define SM_SKIPSCHED_EXACT_BITS 16   /* exact chain when lanes x depth <= this */
typedef struct sm_skipsched_option { int time, lane; } sm_skipsched_option;   /* steps ahead, lane offset */
typedef enum sm_skipsched_side {
    SM_SKIPSCHED_SPARSEST = 0,   /* one-sided, on the operand with the lowest density */
    SM_SKIPSCHED_OPERAND,        /* one-sided, on operand `operand` (einsum order) */
    SM_SKIPSCHED_BOTH            /* two-sided: a pair is effectual when every operand is non-zero */
} sm_skipsched_side;
typedef enum sm_skipsched_stream {
    SM_SKIPSCHED_STREAM_MAPPING = 0,  /* the mapping's reduction run per output (sm_skip_query.stream_steps) */
    SM_SKIPSCHED_STREAM_CONTINUOUS,   /* the window never stops at an output boundary (steady state) */
    SM_SKIPSCHED_STREAM_FIXED         /* streams of stream_steps dense steps */
} sm_skipsched_stream;
typedef enum sm_skipsched_method { SM_SKIPSCHED_AUTO = 0, SM_SKIPSCHED_EXACT, SM_SKIPSCHED_MONTECARLO } sm_skipsched_method;
typedef struct sm_skipsched_cache sm_skipsched_cache;   /* opaque; sm_skipsched_cache_create */
typedef struct sm_skipsched {
    int lanes;                     /* multipliers fed by one staging-buffer row (<= SM_SKIPSCHED_MAX_LANES) */
    int depth;                     /* staging-buffer rows: dense steps visible at once (<= SM_SKIPSCHED_MAX_DEPTH) */
    int noptions;
    sm_skipsched_option option[SM_SKIPSCHED_MAX_OPTIONS];   /* priority order; the first must be (0, 0) */
    int norder;
    int order[SM_SKIPSCHED_MAX_LANES];   /* scheduler levels: the lane deciding at each level */
    int rows;                      /* PE rows advancing in lock-step (<= SM_SKIPSCHED_MAX_ROWS) */
    sm_skipsched_side side;
    int operand;                   /* SM_SKIPSCHED_OPERAND: index among the operands, einsum order */
    sm_skipsched_stream stream;
    long stream_steps;             /* SM_SKIPSCHED_STREAM_FIXED: dense steps per output stream */
    double row_concentration;      /* clustering: each row's density ~ Beta with the mean density and
                                      this concentration k (sd = sqrt(p(1-p)/(k+1))); 0 = every row at the mean */
    long row_period;               /* dense steps a row keeps its density (0: one stream; continuous: 256) */
    sm_skipsched_method method;
    long samples;                  /* Monte-Carlo: dense steps simulated per estimate */
    unsigned long seed;
    sm_skipsched_cache *cache;     /* required by sm_skipsched_expect; caller-owned */
    sm_loc loc;                    /* the [skipsched] section, for messages */
} sm_skipsched;
typedef struct sm_skipsched_result {
    double cycles_per_step;        /* expected cycles per dense row-step, in [1/depth, 1] */
    double speedup;                /* 1 / cycles_per_step */
    double lane_busy;              /* fraction of lane-cycles that multiply an effectual pair */
    double std_error;              /* Monte-Carlo standard error of cycles_per_step (0 when exact) */
    int exact;                     /* 1: the Markov chain answered */
} sm_skipsched_result;

/* Fill defaults and validate (bad options, depth, lanes...): errors point at s->loc. */
SMDEF sm_result sm_skipsched_resolve(const sm_skipsched *s, sm_skipsched *out, sm_error *err);
/* A cache for one configuration (the exact chain's transition table when it applies, and the
   answers per density). Allocates; free with sm_skipsched_cache_free. */
SMDEF sm_result sm_skipsched_cache_create(const sm_skipsched *s, sm_skipsched_cache **out, sm_error *err);
SMDEF void sm_skipsched_cache_free(sm_skipsched_cache *c);
/* Expected cycles per dense step at a density of effectual pairs (one-sided: the sparse operand's
   density; two-sided: the product). stream_steps 0: continuous; n > 0: independent streams of n
   steps (the window stops at each stream's end). Uses and fills s->cache; never allocates. */
SMDEF sm_result sm_skipsched_expect(const sm_skipsched *s, double density, long stream_steps,
                                    sm_skipsched_result *out, sm_error *err);
/* One scheduler cycle on one row's window: win[t] (t < depth) holds the effectual pairs of step +t,
   bit i = lane i. Picked pairs are cleared; pick[i] (may be NULL) gets lane i's option index or
   -1. Returns the steps drained (leading empty rows of win, >= 1); s must be resolved. */
SMDEF int sm_skipsched_cycle(const sm_skipsched *s, unsigned *win, int *pick);
/* Run the scheduler over explicit data: rows x nsteps masks (row-major; bit i = lane i effectual),
   lock-stepped rows, one stream. Returns the cycles. s must be resolved. */
SMDEF long sm_skipsched_trace(const sm_skipsched *s, const unsigned *masks, int rows, long nsteps);
/* The skip model (sm_skip_fn): params is a const sm_skipsched * with a cache. */
SMDEF sm_result sm_skipsched_skip(const sm_skip_query *q, const void *params, sm_skip_answer *out);
/*=== [@network] DISTRIBUTION AND REDUCTION NETWORKS ============================================*/
/* Per-use energy and area of the building blocks that networks and arrays are made of. Units:
   pJ per operation (mult, add: one operation at the array's precision), pJ and um^2 per bit for
   registers (one write), 2:1 multiplexers (one traversal) and comparators; pJ per word at the
   array's SRAM ports; pJ per bit per mm of wire and the mm of one hop (the PE pitch). 0 = the
   component costs nothing (not counted). energy_scale, area_scale (0 -> 1) multiply every entry,
   e.g. to move a 45 nm table to another node.
   These are inputs: the [unit_costs] section gives them, and with `precision` set the built-in
   library ([@energy], sm_unit_costs_estimate) fills every one left 0. add3 (a three-input adder)
   defaults to two adders. */
typedef struct sm_unit_costs {
    double mult_pj, mult_um2;
    double add_pj, add_um2;
    double add3_pj, add3_um2;      /* 0 -> 2 x add */
    double reg_pj_bit, reg_um2_bit;
    double mux_pj_bit, mux_um2_bit;
    double cmp_pj_bit, cmp_um2_bit;
    double sram_read_pj, sram_write_pj;
    double wire_pj_bit_mm, hop_mm;   /* wires: 0 = not counted (sm_net_desc.hop_mm overrides hop_mm) */
    double energy_scale, area_scale;
    sm_precision precision, acc_precision;   /* library fill: multiplier and adder precision (0: no fill) */
    int tech_nm;                   /* library fill: node; 0 -> the arch's technology, then 45 */
    sm_loc loc;
} sm_unit_costs;

/* The on-array networks. Distribution kinds carry operands from SRAM ports to the multipliers,
   reduction kinds add the products of dot products, a mesh joins groups of PEs. One model
   (sm_net_parts_eval) gives latency, the adders, registers, 2:1 multiplexers, comparators and
   wire hops a network is made of, and prices them with sm_unit_costs: given ones ([unit_costs],
   e.g. SIGMA's), or the library's ([@energy], sm_unit_costs_estimate). The GEMM arrays of
   [@array] use it; so can any mechanism that moves its own words.
     bus       broadcast through a buffer tree: multicast, 1 cycle
     crossbar  ports x ports crosspoints: non-blocking, multicast, 1 cycle, area ~ ports^2
     benes     non-blocking multistage, multicast, 1 cycle (latch-free switches): SIGMA's
               2 log2 N + 1 levels of N switches (Qin et al., HPCA 2020, Sec. IV-A1)
     linear    adder chain (spatio-temporal): latency ports - 1 whatever the dot-product size
     binary    adder tree: log2 latency, one dot product per tree at a time
     fan       forwarding adder network (a binary tree plus forwarding links): log2, any
               dot-product sizes at once
     art       augmented reduction tree of three-input adders: log2, any sizes
     systolic  store-and-forward chain, a register per hop: latency ports - 1
     mesh      2-D mesh of 5-port switches, one per port (group), statically routed
     temporal  accumulation in place in each PE: latency = the dot-product size */
typedef enum sm_net_kind {
    SM_NET_BUS = 0, SM_NET_CROSSBAR, SM_NET_BENES, SM_NET_LINEAR, SM_NET_BINARY, SM_NET_FAN, SM_NET_ART,
    SM_NET_SYSTOLIC, SM_NET_MESH, SM_NET_TEMPORAL, SM_NET_KIND_COUNT
} sm_net_kind;
typedef struct sm_net_desc {
    sm_net_kind kind;
    long ports;                    /* endpoints, or inputs of a tree (0 -> 1) */
    int word_bits;                 /* 0 -> 16 */
    double hop_mm;                 /* wire per hop; 0 -> sm_unit_costs.hop_mm */
} sm_net_desc;

/* What a network is made of and what using it costs, from component counts x sm_unit_costs.
   wave_pj: one full-width use (a distribution: one word to every port; a reduction: all ports'
   inputs reduced, the intermediate flops clocked once); word_pj: one word delivered to one port
   (distribution) or one input reduced (reduction, wave_pj / ports). Wire hops of a wave: a bus
   runs past every port (N - 1), a crossbar or Benes word crosses a row and a column (N - 1 each),
   a tree's level k links span 2^k ports ((N/2) log2 N), a chain or systolic line N - 1, a mesh a
   link per port; temporal accumulation moves nothing. */
typedef struct sm_net_parts {
    double levels;                 /* stages (switch levels, adder levels, hops) */
    double latency;                /* cycles for one full-width traversal or reduction */
    double adders, adders3, reg_bits, mux_bits, cmp_bits;   /* component counts */
    double wave_hops;              /* word-hops of wire in one full-width use */
    double area_um2, wave_pj, word_pj, wire_pj;   /* wire_pj: the wires' part of wave_pj */
} sm_net_parts;

/* Cycles to traverse a network of this kind (distribution) or to reduce an m-input dot product. */
SMDEF double sm_net_latency(const sm_net_desc *n, double m);
/* Component counts, area and energy per use (ports 0 -> 1). Fails on an unknown kind. */
SMDEF sm_result sm_net_parts_eval(const sm_net_desc *n, const sm_unit_costs *c, sm_net_parts *out, sm_error *err);

/*=== [@array] SPATIAL GEMM ARRAYS: FOLDS, DATAFLOWS, TIMING ====================================*/
/* An array of multipliers fed by distribution networks and drained by a reduction network,
   running a GEMM Z[m,n] += A[m,k] * B[k,n] in folds: each fold loads a stationary tile, streams
   the other operand through it and drains the last partial sums (load, stream and add latency,
   not overlapped). Two kinds:
   - SYSTOLIC: a rigid rows x cols grid; the stationary operand's K runs along the rows and its
     other dim along the columns, every element mapped (zeros too). A fold takes rows cycles to
     load, one cycle per streamed vector, and rows + cols - 2 to drain (SCALE-sim's weight- and
     input-stationary fold, 2R + C + S - 2). shapes[] lists alternative aspect ratios of a
     reconfigurable array; the best per GEMM is taken.
   - FLEXIBLE: pes multipliers in groups of `group` joined by a distribution and a reduction
     network. Capacity counts mapped stationary words, not a dense rectangle: with stationary
     compaction only non-zeros (or only those that meet a non-zero of the streaming operand) are
     mapped, and dot products of any size are packed back to back when the reduction network
     allows it (FAN, ART); a tree or a chain holds one dot product per group, so a dot product
     occupies whole groups. A chain drains in its dot product's length (O(m)), a tree in log2 of
     the group. Loading runs at load_bw, streaming at stream_bw (unique words per cycle; 0 = one
     streamed vector per cycle whatever its width).
   Dataflows (bit flags; the best allowed one is taken per GEMM):
   A_STA (M-sta, N-str: A stationary), B_STA (N-sta, M-str), OUT_STA (systolic output-stationary:
   both operands streamed, outputs in place), NO_REUSE (flexible: only effectual pairs streamed,
   two operand words per product at pair_bw), OUTER (flexible: outer products of A's columns and
   B's rows in F x I Cartesian blocks, partial products accumulated by bank scatter or list merge). */
typedef enum sm_array_kind { SM_ARRAY_NONE = 0, SM_ARRAY_SYSTOLIC, SM_ARRAY_FLEXIBLE } sm_array_kind;
enum { SM_DF_A_STA = 1, SM_DF_B_STA = 2, SM_DF_OUT_STA = 4, SM_DF_NO_REUSE = 8, SM_DF_OUTER = 16 };
/* Which stationary values are mapped: all (zeros too), the non-zeros, or the non-zeros that meet
   at least one non-zero of the streaming operand (bitmap OR/AND filtering). */
typedef enum sm_stationary { SM_STA_ALL = 0, SM_STA_NONZERO, SM_STA_USEFUL } sm_stationary;
/* How an outer-product array accumulates partial products: scatter into accumulator banks (a
   partition that splits K sends its partial outputs to their owners at acc_bw), or merge sorted
   lists of partial products (log2 of the list count per product). */
typedef enum sm_accumulate { SM_ACC_BANKS = 0, SM_ACC_MERGE } sm_accumulate;
#ifndef SM_MAX_SHAPES
#define SM_MAX_SHAPES 8
#endif

/* The array. Units: words of word_bits; bandwidths in words per cycle (0 = unlimited, except
   pair_bw 0 -> load_bw); power in W, areas in mm^2 / um^2.
   Defaults: rows, cols 0 -> 1 (systolic); pes 0 -> rows x cols, group 0 -> pes (flexible);
   depth 0 -> 1 stationary word per multiplier. A systolic array's networks are its structure (a
   store-and-forward chain and a linear reduction); a flexible one's distribution is bus (0),
   crossbar or benes, its reduction linear, temporal, binary, art or fan (0, bus, -> binary), the
   network between its groups bus (0) or mesh (none with one group); word_bits 0 -> the problem's;
   acc_bits 0 -> 32; combine 0 -> 1; cartesian 0 -> 1 x 1; dataflows 0 -> A_STA | B_STA.
   power_w and area_mm2 are published totals: when set, energy = power x time and the area is
   taken as given (the component model is still computed and reported beside them). */
typedef struct sm_array {
    sm_array_kind kind;
    long rows, cols;
    int nshapes;
    long shape_rows[SM_MAX_SHAPES], shape_cols[SM_MAX_SHAPES];
    long pes, group;
    double depth;                  /* stationary words per multiplier (a local buffer) */
    double load_bw, stream_bw, pair_bw;
    sm_net_kind distribution, reduction, noc;
    int word_bits, acc_bits;
    sm_stationary stationary;
    int stream_skip;               /* only non-zero streaming values are sent and multiplied */
    int async;                     /* PEs hold both operands locally and run ahead independently:
                                      a fold lasts as long as the busiest PE (load imbalance)
                                      instead of one cycle per streamed vector */
    double combine;                /* column combining: up to this many sparse stationary columns
                                      share a physical column (conflicting values pruned) */
    unsigned dataflows;            /* SM_DF_* flags */
    long cartesian_f, cartesian_i; /* OUTER: F x I multipliers per Cartesian block */
    sm_accumulate accumulate;      /* OUTER */
    double acc_bw;                 /* OUTER, BANKS: partial outputs per cycle per block sent to their owner */
    unsigned outer_split;          /* OUTER: dims the blocks may split, bits M = 1, N = 2, K = 4 (0 -> all);
                                      an unsplit dim is broadcast whole to every block */
    double power_w, area_mm2;      /* published totals (optional) */
    double controller_um2;         /* fixed extra area (e.g. a sparsity controller) */
    sm_loc loc, dataflows_loc;     /* the [array] header, the dataflows key */
} sm_array;

/* A GEMM as the array sees it: M, N, K, a batch count, and the mean density of each operand
   (non-zeros i.i.d.: the array model is expected values over uniform random sparsity). */
typedef struct sm_gemm { double m, n, k, batch, density_a, density_b; } sm_gemm;

/* Results of one GEMM (Table II of SIGMA: load / stream / add latency, utilization, efficiency). */
typedef struct sm_array_stats {
    unsigned dataflow;             /* the dataflow taken (one SM_DF_* flag) */
    long rows, cols;               /* SYSTOLIC: the shape taken */
    double fold_k;                 /* K-extent of a fold: distinct streamed positions per vector (OUTER: k per block) */
    double folds;
    double load_cycles, stream_cycles, add_cycles, cycles;
    double computes;               /* algorithmic MACs: batch x M x N x K */
    double effectual;              /* MACs with both operands non-zero */
    double performed;              /* multiplies done (zeros that are streamed or mapped count) */
    double mapped;                 /* stationary words mapped, summed over folds */
    double mapped_nonzero;         /* of those, non-zero */
    double stationary_utilization; /* non-zero stationary words / multiplier slots they take: a systolic
                                      array's every PE in every fold, a flexible array's slots in use */
    double compute_efficiency;     /* useful MAC latency (effectual / multipliers) / streaming latency */
    double overall_efficiency;     /* useful MAC latency / total latency */
    double sram_reads, sram_writes;            /* words at the array's ports */
    double energy_pj;              /* published power x time when power_w is set, else the component model */
    double model_energy_pj;        /* the component model: */
    double mult_pj, dist_pj, reduce_pj, noc_pj, sram_pj;
    double area_um2;               /* published area when area_mm2 is set, else the component model */
    double model_area_um2;
    double time_s;                 /* cycles / clock */
} sm_array_stats;

struct sm_spec;
/* The GEMM of a spec's einsum (two operands: dims only in A and the output are M, only in B and
   the output N, in both operands and not the output K, in all three a batch) with the operands'
   mean densities. Fails on index expressions that are not a single dim. */
SMDEF sm_result sm_gemm_of_spec(const struct sm_spec *spec, sm_gemm *g, sm_error *err);
/* Evaluate a GEMM on the spec's [array] (with its [unit_costs] and clock). No allocation. */
SMDEF sm_result sm_array_eval_gemm(const struct sm_spec *spec, const sm_gemm *g, sm_array_stats *out, sm_error *err);
/* sm_gemm_of_spec + sm_array_eval_gemm. */
SMDEF sm_result sm_array_eval(const struct sm_spec *spec, sm_array_stats *out, sm_error *err);
/* Area of the array from component counts (um^2; the controller included). */
SMDEF sm_result sm_array_area(const struct sm_spec *spec, double *um2, sm_error *err);
/* Expected padding entries per non-zero of a run-length code with run_bits-bit runs over i.i.d.
   zeros of probability p_zero: a zero run longer than 2^run_bits - 1 is cut by stored zeros. */
SMDEF double sm_run_padding(double p_zero, int run_bits);

/*=== [@opskip] OUTER-PRODUCT BLOCK SKIPPING, STRUCTURED N:M COMPUTE, ACCUMULATION BUFFER ========*/
/* Two compute-skip mechanisms for the hook above, selected by sm_spec.skip (INI [skip]).

   Outer-product block skipping. An outer-product unit takes, for each reduction index k (a "set"),
   a fiber of one operand (fiber[0] elements along its output rank, e.g. 32 rows of A) and a fiber
   of the other (fiber[1], e.g. 32 columns of B). It condenses each fiber (non-zeros first) and
   walks them in granules: one unit step multiplies granule[0] x granule[1] condensed values, so a
   set costs ceil(nnz0 / g0) x ceil(nnz1 / g1) steps instead of ceil(f0 / g0) x ceil(f1 / g1).
   The two operands are independent, so E[steps] = E[ceil(X0 / g0)] x E[ceil(X1 / g1)], X the
   non-zeros of one fiber under the operand's density model (exact for every model: hypergeometric
   for uniform, binomial across and exact along an N:M rank, position-averaged for banded and mask).
   A binary outer product of the two fiber bitmaps (set_cycles) locates the products; it runs only
   when both fibers hold a non-zero. A two-level bitmap (a bit per tile of fiber x tile_k elements,
   then a bit per element of a non-empty tile) skips whole tiles: fixed_cycles (per-set predicate
   setup) are paid only by sets of a non-empty tile pair. auto_side lets the cheaper assignment of
   the operands to the two granules win (the software computes the transposed product).
   Defaults: fiber 32 32, granule 8 16, tile_k 16, set_cycles 0, fixed_cycles 0, side0 0 (the first
   operand takes granule[0]), auto_side 0. Operand ranks (rank: along the fiber; krank: the
   reduction) are derived from a GEMM-like einsum by the loader and by sm_eval.

   Structured N:M compute. The hardware executes a structured operand as a series of N_i:M_i
   terms (one term: an ordinary N:M sparse tensor core; several: a TASD series, the terms run one
   after another into the same output). Cycles are dense x sum N_i / M_i: the cost follows the
   pattern, not the fill (a block with fewer non-zeros than N still takes its N slots). */
#ifndef SM_MAX_SERIES
#define SM_MAX_SERIES 4    /* terms of one structured series */
#endif
typedef enum sm_skip_kind { SM_SKIP_MODEL_NONE = 0, SM_SKIP_MODEL_OUTER, SM_SKIP_MODEL_STRUCTURED } sm_skip_kind;

typedef struct sm_opskip {
    double fiber[2];               /* fiber lengths of side 0 and side 1 (a warp tile's M and N) */
    double granule[2];             /* condensed values per unit step on each side */
    double tile_k;                 /* reduction extent of a two-level-bitmap tile */
    double set_cycles;             /* cycles per set whose two fibers are both non-empty */
    double fixed_cycles;           /* cycles per set of a non-empty tile pair */
    int side0;                     /* the operand (0 or 1) on side 0 */
    int auto_side;                 /* 1: choose the cheaper side assignment */
} sm_opskip;

/* Per-set expectations (one set = one k of one fiber pair). */
typedef struct sm_opskip_stats {
    double steps, dense_steps;     /* expected unit steps; ceil(f0/g0) x ceil(f1/g1) */
    double p_fibers;               /* P(both fibers non-empty): binary outer products */
    double p_tiles;                /* P(both two-level tiles non-empty) */
    double cycles;                 /* steps + set_cycles x p_fibers + fixed_cycles x p_tiles */
    double products, dense_products;   /* expected effectual products; f0 x f1 */
    double nnz[2], ceil_mean[2], p_empty[2];   /* per side (after the side choice) */
    int side0;                     /* the operand the choice put on side 0 */
} sm_opskip_stats;

typedef struct sm_series { int nterms; int n[SM_MAX_SERIES], m[SM_MAX_SERIES]; } sm_series;

/* The compute-skip mechanism of a spec (INI [skip]); kind 0: Sparseloop's rules. */
typedef struct sm_skip_desc {
    sm_skip_kind kind;
    sm_opskip outer;
    int op;                        /* structured: the operand the series applies to */
    sm_series series;              /* structured: the hardware terms */
    int rank[2], krank[2];         /* per operand: fiber rank and reduction rank (resolved) */
    sm_loc loc;
} sm_skip_desc;

/* E[ceil(X / g)], P(X = 0) and E[X] for X the non-zeros of a fiber: len elements along tensor
   rank `rank`, one along the others. */
SMDEF void sm_fiber_expect(const sm_density *d, int rank, double len, double g, double *ceil_mean, double *p_empty, double *mean);
/* P(a box with extents e[0..nranks) of the tensor holds no non-zero). */
SMDEF double sm_box_p_empty(const sm_density *d, int nranks, const double *e);
/* Per-set expectations for operands d0, d1 (operand order) with the ranks of desc. */
SMDEF sm_result sm_opskip_expect(const sm_skip_desc *desc, const sm_density *d0, const sm_density *d1, sm_opskip_stats *out, sm_error *err);
/* The unit steps one set enables, as a bit mask: bit a x ceil(f1/g1) + b for the a-th granule of
   side 0 and the b-th of side 1 (the predicate order of a SpWMMA set). */
SMDEF unsigned sm_opskip_mask(const sm_opskip *o, double nnz0, double nnz1);
/* The built-in skip hooks; params is a resolved const sm_skip_desc *. */
SMDEF sm_result sm_skip_outer_product(const sm_skip_query *q, const void *params, sm_skip_answer *out);
SMDEF sm_result sm_skip_structured(const sm_skip_query *q, const void *params, sm_skip_answer *out);
/* Sum of N_i / M_i of a series (1 for an empty series). */
SMDEF double sm_series_density(const sm_series *s);

/* Accumulation buffer of a scatter-accumulate unit: `products` accumulations per step land on
   `banks` banks of `ports` accesses per cycle each (uniformly at random: condensed outer-product
   outputs scatter over the tile); an operand collector merges `window` steps before issuing.
   Returns the expected cycles per step (>= products / (banks x ports)); the expected maximum
   bank load comes from a seeded Monte-Carlo of `trials` windows (deterministic, no allocation). */
SMDEF double sm_accbuf_cycles(double products, double banks, double ports, double window, int trials);

/*=== [@im2col] CONVOLUTION LOWERING ============================================================*/
/* A convolution (one image of batch `n`) and the GEMM it lowers to: M = n x P x Q output pixels,
   K = C x R x S, N = the output channels. Explicit lowering materializes the M x K matrix
   (about R x S / stride^2 times the input); implicit lowering converts addresses on chip. */
typedef struct sm_conv { double n, c, h, w, r, s, stride, pad; } sm_conv;   /* stride 0 -> 1 */
typedef enum sm_im2col_kind {
    SM_IM2COL_NONE = 0,            /* not a convolution (a GEMM) */
    SM_IM2COL_EXPLICIT,            /* a lowering pass writes the lowered matrix, the GEMM reads it */
    SM_IM2COL_IMPLICIT,            /* dense implicit: the input is read, lowered on chip */
    SM_IM2COL_BITMAP,              /* implicit on a bitmap-encoded input (mask, shift, popcount) */
    SM_IM2COL_CSR                  /* implicit on a CSR input (two dependent reads per non-zero) */
} sm_im2col_kind;
/* Unit costs of a software lowering (normalized time): a streamed element access, one operation
   on a 32-bit bitmap word, a data-dependent read. Defaults 1, 1, 4 (a dependent read waits for
   the load-to-use latency of an L1 hit, about 4 cycles, where streamed accesses pipeline). */
typedef struct sm_im2col_costs { double stream, bitop, dependent; } sm_im2col_costs;
typedef struct sm_im2col_ops { double streamed, bitops, dependent, time; } sm_im2col_ops;
SMDEF void sm_conv_out(const sm_conv *cv, double *p, double *q);
SMDEF void sm_conv_gemm(const sm_conv *cv, double *m, double *k);   /* lowered M and K */
/* Operation counts of lowering the whole input at input density `density` (i.i.d.), and their
   time under costs (NULL: defaults). */
SMDEF void sm_im2col_count(const sm_conv *cv, sm_im2col_kind kind, double density, const sm_im2col_costs *costs, sm_im2col_ops *out);

/*=== [@gpu] TILED KERNELS ON A GPU-LIKE HIERARCHY ==============================================*/
/* A GEMM Z[m,n] += A[m,k] * B[k,n] (or a lowered convolution) run as thread blocks ("CTAs") on a
   hierarchy global memory -> shared cache -> per-SM scratchpad -> per-sub-core registers ->
   [accumulation buffer] -> MACs, the way CUTLASS/cuDNN tile it. The levels come from the spec's
   [level] sections (their instances give SMs and sub-cores, read_bw/write_bw the bandwidths in
   words/cycle), the MACs from [compute], the skip mechanism from [skip]. Per role:
     global   reads each operand once (the shared cache and CTA rasterization catch the reuse
              across thread blocks), writes the output once; explicit lowering adds a pass that
              reads the input and writes the lowered matrix; implicit lowering reads the input.
     cache    delivers A once per CTA column (ceil(N / cta_n) times) and B once per CTA row;
              with skip_partner an operand's CTA k-tile is fetched only when the partner's tile
              is non-empty (metadata always moves).
     SMEM     delivers A once per warp column and B once per warp row (per set: only when the
              partner fiber is non-empty, with skip_partner); per SM, the busiest SM's share.
     ACC      gathers and scatters every effectual product (a read and a write each), plus a
              swap of the warp tile with the registers per k-tile when a sub-core owns several.
   Compute: per sub-core, warp tiles x K sets, each ceil(warp_m x warp_n / MACs) cycles dense or
   the skip model's cycles. Thread blocks are dealt to SMs round-robin: the busiest SM runs
   ceil(CTAs / SMs) of them, ctas_per_sm at a time sharing its sub-cores (wave and tile
   quantization). Cycles = max over compute and every role's bandwidth-bound cycles (a software
   pipeline overlaps them) + the explicit lowering pass.
   The ESC kernel instead models a CSR SpGEMM on the CUDA cores: expand every intermediate product
   (key, value), radix-sort the keys, compress; traffic at the cache when the intermediates fit
   in it, else at global memory. */
typedef enum sm_gpu_kernel { SM_GPU_OFF = 0, SM_GPU_TILED, SM_GPU_ESC } sm_gpu_kernel;
typedef enum sm_opfmt { SM_OPFMT_DENSE = 0, SM_OPFMT_BITMAP, SM_OPFMT_CSR, SM_OPFMT_NM } sm_opfmt;
typedef enum sm_gpu_role { SM_GPU_DRAM = 0, SM_GPU_L2, SM_GPU_SMEM, SM_GPU_RF, SM_GPU_ACC, SM_GPU_ROLES } sm_gpu_role;
/* Defaults: level[] by position (DRAM 0, L2 1, SMEM 2, RF 3; ACC none); cta 128 128 32; warp 32 32;
   ctas_per_sm 1; formats dense; index_bits 32; out_bits the problem's word_bits; acc_banks 0
   (conflict-free); acc_ports 0 (the ACC level's read_bw); acc_window 1; esc_key_bits 32,
   esc_value_bits 32, esc_radix_bits 8. */
typedef struct sm_gpu_desc {
    sm_gpu_kernel kernel;
    int level[SM_GPU_ROLES];       /* role -> level index + 1 (0: default) */
    double cta[3], warp[2];        /* thread-block M N K tile, warp M N tile */
    double ctas_per_sm;
    sm_opfmt format[2];            /* storage format of operand 0 (A) and 1 (B) */
    int index_bits, out_bits;
    int skip_partner;
    double acc_banks, acc_window;  /* accumulation-buffer bank-conflict model (sm_accbuf_cycles) */
    sm_im2col_kind im2col;
    sm_conv conv;                  /* the convolution lowered to [problem] (im2col != NONE) */
    double im2col_set_cycles;      /* implicit bitmap lowering: cycles per set (register bit ops) */
    double esc_key_bits, esc_value_bits, esc_radix_bits;
    sm_loc loc;
} sm_gpu_desc;

typedef struct sm_gpu_stats {
    double m, n, k;                /* the GEMM */
    double ctas, sms, per_sm_ctas, rounds, subcores_busy;
    double reads[SM_GPU_ROLES], writes[SM_GPU_ROLES];   /* words of each level's word_bits, totals */
    double role_cycles[SM_GPU_ROLES];                   /* bandwidth-bound cycles (busiest instance) */
    double compute_cycles, prepass_cycles, cycles, seconds;
    double computes, effectual;    /* MACs: algorithmic, effectual */
    int bound;                     /* the binding term: -1 compute, else a role */
    sm_opskip_stats skip;          /* per-set expectations (outer-product skipping) */
} sm_gpu_stats;

struct sm_spec;   /* defined in [@spec] */
/* Evaluate spec s as a GPU kernel (s->gpu.kernel != OFF). No allocation. */
SMDEF sm_result sm_gpu_eval(const struct sm_spec *s, sm_gpu_stats *out, sm_error *err);
/* Reports (in [@report.impl]): text; TSV rows LEVEL - reads/writes/cycles per role, COMPUTE -
   cycles, - - computes/effectual_computes/cycles/bound; JSON. */
SMDEF void sm_gpu_report_text(FILE *f, const struct sm_spec *s, const sm_gpu_stats *st);
SMDEF void sm_gpu_report_tsv(FILE *f, const struct sm_spec *s, const sm_gpu_stats *st);
SMDEF void sm_gpu_report_json(FILE *f, const struct sm_spec *s, const sm_gpu_stats *st);


/*=== [@tasd] STRUCTURED DECOMPOSITION (TASD SERIES) AND CONFIGURATION SEARCH ===================*/
/* A TASD series approximates a tensor by a sum of structured terms along its reduction rank: term
   1 keeps the N_1 largest-magnitude values of every aligned M_1-block, term i the N_i largest of
   what the earlier terms left in every M_i-block (M nested), the rest is dropped. The hardware
   runs the terms one after another into the same output (sm_stats_series), each at N_i/M_i of the
   dense cost (the structured skip model of [@opskip]).
   - sm_tasd_counts: exact expected kept and dropped non-zeros under i.i.d. density (binomial
     blocks; residual counts propagated through nested M). How many are kept does not depend on
     the values.
   - sm_tasd_values: dropped magnitude and the moments of the dropped values, for a value
     distribution, by a seeded bounded Monte-Carlo over blocks (greedy keep-largest, exactly as
     the decomposition runs).
   - sm_tasd_error: relative output error ||(A - A*) B||_F / ||A B||_F of a GEMM with an i.i.d.
     operand B (mean mu, variance var), from the per-row moments of the dropped and of all values:
     err^2 = (mu^2 E[r^2] + var E[q]) / (mu^2 E[s^2] + var E[p]) (r, q: sum and sum of squares of a
     row's dropped values; s, p: of all its values).
   - sm_tasd_decompose: the decomposition of actual data (row-major, blocks along the rows).
   - Search (TASDER-like; the paper's accuracy criterion cannot be modelled, a proxy stands in):
     per layer, the cheapest supported series whose dropped fraction (non-zeros or magnitude) stays
     within a budget; network-wide, the cheapest single series every layer accepts; and the
     paper's sparsity rule with aggressiveness alpha (its Listing 1). */
typedef enum sm_value_dist {
    SM_VALUES_UNIFORM = 0,         /* |x| ~ U(0, 1) */
    SM_VALUES_NORMAL,              /* x ~ N(0, 1): |x| half-normal (weights; the non-zeros of a ReLU) */
    SM_VALUES_GELU                 /* GELU of N(0, 1): no zeros, many tiny values */
} sm_value_dist;

typedef struct sm_tasd_stats {
    double density;                /* non-zeros per element of the original */
    double kept, dropped;          /* fractions of the non-zeros */
    double kept_term[SM_MAX_SERIES];   /* non-zeros per element each term keeps */
    double slots;                  /* sum N_i / M_i: the cost relative to dense */
    double dropped_magnitude;      /* fraction of sum |x| dropped (sm_tasd_values only) */
} sm_tasd_stats;

SMDEF void sm_tasd_counts(double density, const sm_series *s, sm_tasd_stats *out);
/* blocks: Monte-Carlo blocks of the series' largest M (0 -> 20000); seed 0 -> a fixed seed. Also
   fills the per-block moments the error model needs (internal). */
SMDEF void sm_tasd_values(double density, const sm_series *s, sm_value_dist v, int blocks, unsigned long long seed, sm_tasd_stats *out);
SMDEF double sm_tasd_error(double density, const sm_series *s, sm_value_dist v, double row, double b_mean, double b_var, int blocks, unsigned long long seed);
/* Decompose values[rows x cols] (row-major; blocks run along each row; cols a multiple of every
   M). terms (optional): nterms x rows x cols; residual (optional): rows x cols. Returns the kept
   non-zeros. */
SMDEF double sm_tasd_decompose(const double *values, int rows, int cols, const sm_series *s, double *terms, double *residual);
/* Fraction of the largest-magnitude elements that holds `keep` of sum |x| (the paper's
   pseudo-density for activations without zeros). */
SMDEF double sm_tasd_pseudo_density(sm_value_dist v, double keep);

typedef struct sm_tasd_layer {
    double macs;                   /* dense MACs (the cost weight) */
    double density;                /* i.i.d. density of the decomposed operand */
    sm_value_dist values;
    int choice;                    /* out: index into the options (-1: none fits: dense) */
    double cost, dropped;          /* out: slots x macs; dropped fraction under the metric */
} sm_tasd_layer;
typedef enum sm_tasd_metric { SM_TASD_DROPPED_NONZEROS = 0, SM_TASD_DROPPED_MAGNITUDE } sm_tasd_metric;
/* The cost of running layer `layer` with option `option` (-1: dense), e.g. its cycles on the
   hardware (TASDER minimizes latency, TASD Eq. 4). NULL: the slots, sum N_i/M_i x macs. */
typedef double (*sm_tasd_cost_fn)(int layer, int option, void *ctx);
/* Per layer: the cheapest of dense and the options whose dropped fraction is <= budget. */
SMDEF void sm_tasd_search_layerwise(const sm_series *opts, int nopt, sm_tasd_metric metric, double budget, sm_tasd_cost_fn cost, void *ctx, sm_tasd_layer *layers, int n);
/* One option for every layer (or dense): the cheapest in total among those every layer accepts.
   Returns its index (-1: dense). */
SMDEF int sm_tasd_search_networkwise(const sm_series *opts, int nopt, sm_tasd_metric metric, double budget, sm_tasd_cost_fn cost, void *ctx, sm_tasd_layer *layers, int n);
/* The paper's Listing 1: the most aggressive option whose approximated sparsity (1 - slots) is
   below sparsity + alpha; -1 (no approximation) when none is. */
SMDEF int sm_tasd_select_alpha(const sm_series *opts, int nopt, double sparsity, double alpha);
/* Energy of run-time decomposition units: per block of M elements, sum N_i extractions of a maximum
   over M (M - 1 comparisons each) at compare_pj. */
SMDEF double sm_tasd_unit_energy(double elements, const sm_series *s, double compare_pj);

/*=== [@spec] EVALUATION SPEC AND INI LOADER ====================================================*/
/* A key of a section the evaluation does not read ([constraints], [mapper], [sweep]), kept verbatim
   with its location for the search layer (@search), which interprets it. */
typedef struct sm_kv { const char *section, *key, *value; sm_loc loc; } sm_kv;

typedef struct sm_spec {
    char path[SM_PATH_LEN];
    sm_problem problem;
    char arch_name[SM_NAME_LEN];
    double clock_ghz;              /* 0 -> 1 */
    int tech_nm;                   /* technology node of every component without its own; 0 -> 45 */
    int library_energies;          /* 1: components with a kind (or op) take the library's costs even
                                      where the spec gives them ([arch] energies = library) */
    sm_loc tech_loc;
    int nlevels;
    sm_level levels[SM_MAX_LEVELS];
    sm_level_map map[SM_MAX_LEVELS];
    sm_compute compute;
    sm_loc mapping_loc;
    sm_density density[SM_MAX_TENSORS];              /* zero = dense */
    sm_format format[SM_MAX_LEVELS][SM_MAX_TENSORS];  /* zero = uncompressed, no metadata */
    int nsafs;
    sm_saf safs[SM_MAX_SAFS];
    sm_skip_fn skip_model;         /* optional compute-skip mechanism (NULL: Sparseloop's rules) */
    const void *skip_params;       /* passed to skip_model */
    sm_skip_desc skip;             /* built-in skip mechanism (INI [skip]); used when skip_model is NULL */
    sm_gpu_desc gpu;               /* GPU kernel model (INI [gpu]); evaluated by sm_gpu_eval */
    double die_mm2, tdp_w;         /* host chip area and power, to put [component] totals in proportion ([arch]) */
    sm_skipsched *skipsched;       /* [skipsched]: owned with its cache (a copy of a spec shares both);
                                      the loader points skip_model/skip_params at it */
    int ncomponents;
    sm_component components[SM_MAX_COMPONENTS];   /* [component NAME] sections, in file order */
    unsigned *owned[SM_MAX_TENSORS];                 /* mask prefix sums, freed by sm_spec_free
                                                        (a copy of a spec shares them) */
    int nextra;                    /* keys of [constraints], [mapper], [sweep] in file order */
    sm_kv *extra;                  /* one block owned like `owned` (freed by sm_spec_free, shared by copies) */
    sm_array array;                /* [array]: a GEMM array evaluated by sm_array_eval (kind 0: none) */
    sm_unit_costs unit_costs;      /* [unit_costs]: per-use energy and area of its building blocks */
} sm_spec;

/* Load an INI spec. sets: "section.key=value" overrides applied after the files (a level
   section is written "level NAME.key=value"). *out is allocated; free with sm_spec_free. */
SMDEF sm_result sm_spec_load_file(const char *path, const char *const *sets, int nsets,
                                  sm_spec **out, sm_error *err);
/* Same from a string; name is used in messages. Includes resolve relative to the cwd. */
SMDEF sm_result sm_spec_load_string(const char *text, const char *name, const char *const *sets,
                                    int nsets, sm_spec **out, sm_error *err);
SMDEF void sm_spec_free(sm_spec *spec);

/*=== [@energy] COMPONENT ENERGY AND AREA LIBRARY ===============================================*/
/* Estimates of per-action energy, leakage and area for storage, compute and networks, so a spec
   can say what a component is (kind, size, width, precision, node) instead of giving pJ.
   Base data are 45 nm: Horowitz ISSCC 2014 for arithmetic, per-bit DRAM energies by type, SRAM
   and register-file fits to CACTI/Aladdin-style data (tools/fit_energy.py), and node scaling
   after Stillmaker & Baas 2017. README "Built-in energy and area" says which numbers are
   published and which are fits or assumptions. Every function is pure (no state, no allocation). */

/* A storage array. Costs are per word of word_bits; an access moves block_words words. */
typedef struct sm_mem_desc {
    sm_mem_kind kind;              /* sram, regfile, dram or reg (SM_MEM_NONE is an error here) */
    sm_dram_type dram_type;        /* dram only; default lpddr4 */
    double words;                  /* capacity in words; required for sram, regfile, reg */
    int word_bits;                 /* 0 -> 16 */
    long block_words;              /* words per access; 0 -> 1 */
    long banks;                    /* 0 -> 1 (see README: the fitted data show no effect of it) */
    int metadata_word_bits;        /* 0: no metadata costs */
    double metadata_words;         /* metadata capacity; 0 -> the data array's bits / metadata_word_bits */
    int tech_nm;                   /* 0 -> 45 */
    double clock_ghz;              /* for leakage per cycle; 0 -> 1 */
} sm_mem_desc;
typedef struct sm_mem_cost {
    double read_pj, write_pj, update_pj;   /* per word */
    double metadata_pj[3];                 /* per metadata word, by sm_action */
    double leak_pj;                        /* per cycle per instance */
    double area_um2;                       /* per instance */
} sm_mem_cost;
SMDEF sm_result sm_mem_estimate(const sm_mem_desc *d, sm_mem_cost *out, sm_error *err);

/* One arithmetic operation. A MAC is a multiply at `precision` plus an add at acc_precision. */
typedef struct sm_op_desc {
    sm_op op;
    sm_precision precision;        /* required (SM_PREC_DEFAULT is an error here) */
    sm_precision acc_precision;    /* mac only; 0 -> int32 or fp32 */
    int tech_nm;                   /* 0 -> 45 */
} sm_op_desc;
typedef struct sm_op_cost { double pj, area_um2; } sm_op_cost;
SMDEF sm_result sm_op_estimate(const sm_op_desc *d, sm_op_cost *out, sm_error *err);


/* Fill every 0 field of *c from the library: multiply at c->precision, add at c->acc_precision
   (0 -> fp32 or int32), registers, 2:1 multiplexers and wires as in the table below ([@energy.impl]),
   comparators per bit as multiplexers (ASSUMPTION), node c->tech_nm (0 -> 45); SRAM ports and the
   scale factors stay as given. This is how the library prices networks ([@network]) and arrays. */
SMDEF sm_result sm_unit_costs_estimate(sm_unit_costs *c, sm_error *err);

/* Technology nodes in the table (65 45 32 28 22 20 16 14 12 10 7 nm): energy and area factors
   relative to 45 nm, and the supply voltage assumed; 0 when nm is not in the table. */
SMDEF double sm_tech_energy_scale(int nm);
SMDEF double sm_tech_area_scale(int nm);
SMDEF double sm_tech_vdd(int nm);

/* Names used by the spec keys and the reports ("sram", "hbm2", "mac", "bf16", "benes"...);
   the parsers return -1 for an unknown name. */
SMDEF const char *sm_mem_kind_name(sm_mem_kind k);
SMDEF const char *sm_dram_type_name(sm_dram_type t);
SMDEF const char *sm_op_name(sm_op op);
SMDEF const char *sm_precision_name(sm_precision p);
SMDEF const char *sm_net_kind_name(sm_net_kind k);
SMDEF int sm_mem_kind_parse(const char *s);
SMDEF int sm_dram_type_parse(const char *s);
SMDEF int sm_op_parse(const char *s);
SMDEF int sm_precision_parse(const char *s);
SMDEF int sm_net_kind_parse(const char *s);

/* Fill in the costs of every level with a kind and of a compute that uses the library, and set
   each level's `source`. The loader calls it; call it again after changing a level's size, width,
   kind or node in C (library-filled costs are re-estimated, given ones kept). */
SMDEF sm_result sm_spec_resolve_energy(sm_spec *spec, sm_error *err);

/*=== [@params] PARAMETER FILES: INI SECTIONS OF THE MECHANISM MODELS ===========================*/
/* The mechanism models below (two-phase operator, multi-precision MAC arrays, lock-step rows,
   ...) take plain desc structs. A parameter file fills them from INI: any sections, `include` and
   --set overrides as in specs, every value with its file:line. A mechanism reads its section
   through a key table (sm_param_key); sm_params_check then reports the first key of a section
   that no table read as "file:line: error: [section] unknown key 'x'". Loading allocates
   (sm_params_free); reading does not. */
typedef struct sm_params sm_params;   /* opaque */
typedef enum sm_param_type { SM_PARAM_DOUBLE = 0, SM_PARAM_LONG, SM_PARAM_INT } sm_param_type;
/* One key of a desc struct: the field at `offset` (a double, long or int), its accepted range
   [lo, hi] (hi < lo: no upper bound), unit and meaning (for documentation). */
typedef struct sm_param_key {
    const char *key;
    size_t offset;
    sm_param_type type;
    double lo, hi;
    const char *unit, *doc;
} sm_param_key;

SMDEF sm_result sm_params_load_file(const char *path, const char *const *sets, int nsets, sm_params **out, sm_error *err);
SMDEF sm_result sm_params_load_string(const char *text, const char *name, const char *const *sets, int nsets,
                                      sm_params **out, sm_error *err);
SMDEF void sm_params_free(sm_params *p);
/* Sections whose name starts with prefix ("" = all), in file order: how many, and the i-th name. */
SMDEF int sm_params_count(const sm_params *p, const char *prefix);
SMDEF const char *sm_params_section(const sm_params *p, const char *prefix, int i);
/* The text of section.key, or NULL when absent; marks the key read; where (may be NULL) gets its file:line. */
SMDEF const char *sm_params_get(sm_params *p, const char *section, const char *key, sm_loc *where);
/* A number in [lo, hi] (hi < lo: no upper bound); absent: dflt. */
SMDEF sm_result sm_params_num(sm_params *p, const char *section, const char *key, double lo, double hi, double dflt,
                              double *out, sm_error *err);
/* Fill the fields of desc named by keys from section (absent keys keep their value). */
SMDEF sm_result sm_params_read(sm_params *p, const char *section, const sm_param_key *keys, int nkeys, void *desc, sm_error *err);
/* The first key of section (NULL: of any section) that was never read is an "unknown key" error. */
SMDEF sm_result sm_params_check(const sm_params *p, const char *section, sm_error *err);

/*=== [@twophase] SPECULATIVE TWO-PHASE OPERATOR (PREDICT, THEN EXECUTE ON THE MASK) ============*/
/* A linear operator Y[n,p] = W[n,d] X[d,p] (n outputs, d the reduction, p positions: pixels or
   batch) run in two phases:
   - predictor: X is projected to k dims by a ternary random matrix (entries sqrt(3/k) x {+1, 0,
     -1}, non-zero with probability proj_density: additions only), multiplied by a learned
     low-precision W~[n,k], and compared with a threshold (or top-k): a mask of kept outputs;
   - executor: the accurate product only where the mask keeps an output (output skipping), only
     over non-zero inputs (input skipping), or both.
   k defaults to the Johnson-Lindenstrauss dimension for n points at distortion eps. The two
   phases run on separate units, pipelined over a chain of steps (layers, gates, batches): the
   predictor works on step i+1 while the executor runs step i, and the first prediction cannot be
   hidden (sm_twophase_pipeline). Per-phase time and energy come from the phase's work and the
   units it runs on (sm_mac_array, sm_bound). */
typedef enum sm_skip_mode { SM_SKIP_NONE = 0, SM_SKIP_OUTPUT = 1, SM_SKIP_INPUT = 2, SM_SKIP_BOTH = 3 } sm_skip_mode;

/* Defaults: k 0 -> sm_jl_dim(n, eps) capped at d; eps 0 -> 0.5; proj_density 0 -> 1/3; keep 0 -> 1;
   input_density 0 -> 1; pred_bits 0 -> 4; exec_bits 0 -> 16; proj_bits 0 -> 2. row_skip: a skipped
   output skips its whole row of W (one weight row per output, as in a GEMV), so the executor's
   weight traffic scales with keep; otherwise weights are fetched whole (a conv filter serves many
   positions). */
typedef struct sm_twophase {
    double n, d, p;
    double k, eps, proj_density;
    double keep, input_density;
    int skip;                      /* sm_skip_mode bits */
    int pred_bits, exec_bits, proj_bits;
    int row_skip;
} sm_twophase;

/* The work of each phase, in operations and bits (totals over the p positions). */
typedef struct sm_twophase_work {
    double k;                      /* the reduced dimension used */
    double dense_macs;             /* n d p: the operator without a predictor */
    double pred_adds;              /* projection: proj_density x k d p additions */
    double pred_macs;              /* n k p at pred_bits */
    double pred_compares;          /* n p (threshold) */
    double pred_weight_bits;       /* n k pred_bits (W~) */
    double proj_bits;              /* k d proj_bits (the ternary matrix) */
    double mask_bits;              /* n p (one bit per output) */
    double exec_fraction;          /* executed / dense MACs: keep (output skip) x input_density (input skip) */
    double exec_macs;              /* dense_macs x exec_fraction */
    double exec_weight_bits;       /* n d exec_bits, x keep with row_skip and output skipping */
} sm_twophase_work;

/* k = floor(4 ln n / (eps^2/2 - eps^3/3)) (natural log; Johnson-Lindenstrauss); 0 if n < 2 or eps
   is not in (0, 1). */
SMDEF long sm_jl_dim(double n, double eps);
SMDEF void sm_twophase_work_of(const sm_twophase *op, sm_twophase_work *w);
/* A chain of n steps; pred[i], exec[i]: the time of each phase on step i (on its own units and
   memory ports). Pipelined, the predictor runs step i+1 while the executor runs step i:
       T = pred[0] + sum_i max(exec[i], pred[i+1], max_j exec_use[i][j] + pred_use[i+1][j])
   (pred[n] = 0), where exec_use / pred_use (n x nshared, row-major; NULL: nothing shared) are the
   times the phases keep each of nshared shared resources busy (a DRAM channel, a buffer port), so
   two phases on one resource add up. The first prediction cannot be hidden. Not pipelined:
   T = sum_i pred[i] + exec[i]. exposed (may be NULL) gets T - sum_i exec[i]: the predictor's cost. */
SMDEF double sm_twophase_pipeline(int n, const double *pred, const double *exec, int nshared, const double *pred_use,
                                  const double *exec_use, int pipelined, double *exposed);
/* Time of work on resources that run in parallel: max over i of demand[i] / rate[i] (a rate <= 0
   is unlimited). which (may be NULL) gets the index of the binding resource (-1: none). */
SMDEF double sm_bound(int n, const double *demand, const double *rate, int *which);
/* Read an operator's shape-independent keys from a parameter-file section: eps, k, proj_density,
   pred_bits, exec_bits, proj_bits (n, d, p, keep, input_density, skip come from the workload). */
SMDEF sm_result sm_twophase_load(sm_params *p, const char *section, sm_twophase *op, sm_error *err);

/*=== [@macarray] MULTI-PRECISION MAC ARRAYS ====================================================*/
/* A MAC array of `units` multipliers `bits` wide. At a narrower width b (>= min_bits) it runs:
   - SM_MAC_FIXED:     1 MAC per unit per cycle (separate fixed-width units: an INT4 array is an
                        array with bits = 4);
   - SM_MAC_LINEAR:    bits/b MACs per unit per cycle (bit-serial / SIMD-split datapaths);
   - SM_MAC_QUADRATIC: (bits/b)^2 MACs per unit per cycle (a bits-wide multiplier built of b-bit
                        multipliers, each usable alone: FX16 from INT2 gives 64 INT2 MACs).
   Energy: the datapath switches the same per cycle, so a b-bit MAC costs mac_pj divided by the same
   factor (FIXED: mac_pj at any width). Rows may be configured to different widths (sm_mac_rows_split).
   Defaults: units 0 -> 1; bits 0 -> 16; min_bits 0 -> bits. */
typedef enum sm_mac_rule { SM_MAC_FIXED = 0, SM_MAC_LINEAR, SM_MAC_QUADRATIC } sm_mac_rule;
typedef struct sm_mac_array {
    long units;
    int bits, min_bits;
    sm_mac_rule rule;
    double mac_pj;                 /* pJ per MAC at the native width */
} sm_mac_array;
/* MACs of width b one unit does per cycle (0 if b is narrower than min_bits or wider than bits). */
SMDEF double sm_mac_factor(const sm_mac_array *a, int b);
SMDEF double sm_mac_rate(const sm_mac_array *a, int b);   /* MACs per cycle, all units */
SMDEF double sm_mac_pj(const sm_mac_array *a, int b);     /* pJ per b-bit MAC */
/* An array of `rows` equal rows runs two concurrent jobs, w1 MACs at width b1 and w2 at b2, with
   each row set to one width: the split (rows for job 1 in *rows1) that finishes both soonest, and
   its cycles (ceil of each job's MACs over its rows' rate). Both jobs need >= 1 row when non-zero. */
SMDEF double sm_mac_rows_split(const sm_mac_array *a, long rows, double w1, int b1, double w2, int b2, long *rows1);
/* Keys units, bits, min_bits, rule (fixed | linear | quadratic), mac_pj of a section. */
SMDEF sm_result sm_mac_array_load(sm_params *p, const char *section, sm_mac_array *a, sm_error *err);

/*=== [@lockstep] LOCK-STEP ROWS: LOAD IMBALANCE OF DATA-DEPENDENT SKIPPING =====================*/
/* A PE array whose rows advance in lock step: each step every row takes one unit of work (e.g. an
   output channel's tile of `items` outputs) and the step ends when the slowest row ends; a row ends
   when the slowest of its `lanes` PEs ends (each lane holds a share of the reduction). Skipping is
   data-dependent and statistical:
   - output skipping: each item is kept with probability keep (i.i.d.); a skipped item still costs
     skipped_cost of a kept one (0: skipped for free; early-termination predictors pay a part);
   - input skipping: each MAC of a lane is effectual with probability input_density (i.i.d.), so a
     lane with n kept items works Binomial(n x lane_work, input_density) cycles.
   `units` units (one reorder window, e.g. the output channels of one output row) are issued to the
   rows `rows` at a time: in index order (buckets 0: unbalanced), or reordered by the count of kept
   items into `buckets` equal intervals of [0, items], largest first, so that rows in a step have
   similar work (a reorder unit; buckets > items puts equal counts together: a full sort). A step
   lasts at least min_step cycles (operand loading it cannot hide).
   The unbalanced expectation is exact (the CDF of the maximum over rows and lanes); reordered
   windows use a seeded Monte-Carlo over `trials` windows with exact per-row distributions.
   Defaults: rows, lanes, items 0 -> 1; keep, input_density 0 -> 1; units 0 -> rows; trials 0 -> 400;
   seed 0 -> 1. lane_work (MACs per kept item per lane when dense) must be > 0. */
typedef struct sm_lockstep {
    long rows, lanes, items;
    double keep, skipped_cost;
    double lane_work, input_density;
    long units, buckets;
    double min_step;
    long trials;
    unsigned long seed;
} sm_lockstep;
typedef struct sm_lockstep_result {
    double steps;                  /* ceil(units / rows) */
    double cycles;                 /* expected cycles of the window */
    double dense_cycles;           /* the same without skipping: steps x max(items x lane_work, min_step) */
    double effectual;              /* expected MACs done in the window (all rows and lanes) */
    double utilization;            /* effectual / (rows x lanes x cycles) */
    double balanced_bound;         /* cycles if the work were spread perfectly: effectual / (rows x lanes) */
    int exact;                     /* 1: closed form; 0: Monte-Carlo */
} sm_lockstep_result;
/* Allocates scratch (returns SM_ERR_LIMIT when out of memory); SM_ERR_VALUE for a bad desc. */
SMDEF sm_result sm_lockstep_eval(const sm_lockstep *d, sm_lockstep_result *out, sm_error *err);
/* Keys rows, lanes, buckets, skipped_cost, min_step, trials, seed of a section (items, keep,
   lane_work, input_density, units come from the workload). */
SMDEF sm_result sm_lockstep_load(sm_params *p, const char *section, sm_lockstep *d, sm_error *err);

/*=== [@nearmem] NEAR-MEMORY RANKS AND DDR TIMING ===============================================*/
/* A DDR rank as a timing model good enough for streaming and row gathers, and a near-memory level:
   logic at every rank of every channel, each rank with its own DRAM bandwidth (so the aggregate
   scales with the ranks), while the host reaches the ranks through the channel's shared command and
   data bus. Times are in ns.
   DDR (timings in clock cycles tCK = 2000 / mts ns): a burst moves burst x bus_bits / 8 bytes in
   max(tCCD, burst / 2) cycles; a row activation costs tRCD before its first burst and tRP after
   its last, and holds its bank at least tRC; activations are spaced by tRRD and at most 4 per tFAW;
   `banks` banks work in parallel (bank_parallelism of them, 0: all). An access pattern is bound by
   the data bus, the banks or the activation window, plus one access latency (tRCD + tCL).
   Defaults: mts 0 -> 2400; bus_bits 0 -> 64; burst 0 -> 8; tCL, tRCD, tRP 0 -> 16; tRC 0 -> 55;
   tCCD, tRRD 0 -> 4; tFAW 0 -> 4 x tRRD; banks 0 -> 16; row_bytes 0 -> 8192 (per rank). */
typedef struct sm_ddr {
    double mts;
    int bus_bits, burst;
    double tCL, tRCD, tRP, tRC, tCCD, tRRD, tFAW;
    int banks;
    double bank_parallelism, row_bytes;
} sm_ddr;
typedef struct sm_ddr_time {
    double ns;                     /* total */
    double bus_ns, bank_ns, act_ns, latency_ns;
    double bursts, activates;
    int bound;                     /* 0 data bus, 1 banks, 2 activation window */
} sm_ddr_time;
SMDEF double sm_ddr_tck(const sm_ddr *d);              /* ns per clock */
SMDEF double sm_ddr_peak_gbs(const sm_ddr *d);         /* GB/s: mts x bus_bits / 8 / 1000 */
/* `bytes` read sequentially (rows in turn over the banks: every burst but a row's first is a hit). */
SMDEF void sm_ddr_stream(const sm_ddr *d, double bytes, sm_ddr_time *out);
/* `rows` records of row_bytes each at random addresses: every record opens its row(s) (a miss). */
SMDEF void sm_ddr_gather(const sm_ddr *d, double rows, double row_bytes, sm_ddr_time *out);
/* The channel's command bus: `instructions` host instructions, each ca_slots command cycles plus
   dq_bytes of data in bursts on the data bus (commands and data overlap, one command per cycle). */
SMDEF double sm_ddr_command_ns(const sm_ddr *d, double instructions, double ca_slots, double dq_bytes);
SMDEF sm_result sm_ddr_load(sm_params *p, const char *section, sm_ddr *d, sm_error *err);

/* The work of one phase on one rank of a near-memory level. */
typedef struct sm_nearmem_phase {
    double stream_bytes;           /* read sequentially */
    double gather_rows, gather_row_bytes;   /* read as random records */
    double write_bytes;            /* written sequentially (e.g. spilled partial sums) */
    double macs, macs_per_cycle;   /* on the rank's units, at the logic clock */
} sm_nearmem_phase;
/* A near-memory level: `channels` x `ranks` ranks, logic at logic_ghz at each. The host sends every
   rank its input (host_bytes) and instructions (host_instr, each ca_slots command cycles with
   host_instr_bytes of data) through its channel, shared by the channel's ranks unless broadcast,
   and gets result_bytes back from each rank. Defaults: channels, ranks 0 -> 1; logic_ghz 0 -> 1;
   ca_slots 0 -> 1. */
typedef struct sm_nearmem {
    long channels, ranks;
    double logic_ghz;
    sm_ddr ddr;
    int broadcast;                 /* 1: one transfer reaches every rank of a channel */
    double host_bytes, host_instr, host_instr_bytes, ca_slots, result_bytes;
} sm_nearmem;
typedef struct sm_nearmem_result {
    double ns;                     /* host input, then the ranks (overlapped with instruction issue), then results */
    double rank_ns;                /* one rank: max(DRAM, compute) */
    double dram_ns, compute_ns;    /* one rank */
    double host_ns, result_ns, command_ns;   /* channel bus: inputs, results, instructions */
    double aggregate_gbs;          /* channels x ranks x peak */
    double bytes;                  /* DRAM bytes of one rank */
} sm_nearmem_result;
/* Phases on one rank; parallel: the phases have their own units (time = max of their computes),
   otherwise they share them (sum). All phases share the rank's DRAM. */
SMDEF void sm_nearmem_eval(const sm_nearmem *nm, const sm_nearmem_phase *ph, int nphases, int parallel, sm_nearmem_result *out);

/*=== [@roofline] ROOFLINE PROCESSORS (CPU, GPU) ================================================*/
/* A processor as a roofline: per kernel kind, time = max(ops / (peak at the kernel's precision x
   compute efficiency), bytes / (memory bandwidth x memory efficiency)) + launch overhead. An op is
   a MAC counted as 2 (FLOP convention). Efficiencies default to 1, a missing precision to the next
   wider one. */
typedef enum sm_kernel {
    SM_KERNEL_GEMM = 0, SM_KERNEL_GEMV, SM_KERNEL_SPMM, SM_KERNEL_SDDMM, SM_KERNEL_SOFTMAX, SM_KERNEL_GATHER,
    SM_KERNEL_CONV, SM_KERNEL_COUNT
} sm_kernel;
typedef struct sm_roofline {
    double tops[4];                /* peak Tops/s at 32, 16, 8, 4 bits (0: the next wider width) */
    double mem_gbs;                /* memory bandwidth */
    double eff_compute[SM_KERNEL_COUNT], eff_memory[SM_KERNEL_COUNT];   /* 0 -> 1 */
    double launch_us;              /* per kernel */
} sm_roofline;
/* Seconds for a kernel of `ops` operations and `bytes` of memory traffic at precision `bits`. */
SMDEF double sm_roofline_time(const sm_roofline *r, sm_kernel k, int bits, double ops, double bytes);
/* Attainable Tops/s at arithmetic intensity ai (ops per byte) for a kernel kind (the roof). */
SMDEF double sm_roofline_attainable(const sm_roofline *r, sm_kernel k, int bits, double ai);
SMDEF const char *sm_kernel_name(sm_kernel k);
/* Keys: tops_fp32, tops_fp16, tops_int8, tops_int4, mem_gbs, launch_us, and per kernel
   eff_compute_NAME / eff_memory_NAME (NAME: gemm gemv spmm sddmm softmax gather conv). */
SMDEF sm_result sm_roofline_load(sm_params *p, const char *section, sm_roofline *r, sm_error *err);

/*=== [@attention] ATTENTION EINSUMS, PREDICTED MASKS, TOKEN-PARALLEL KEY LOADING ===============*/
/* One Transformer encoder layer as einsums: Q,K,V[l,d] = X[l,d] W[d,d] (Linear); per head h of
   d/heads dims, S[h,i,j] = Q[h,i,e] K[h,j,e] at the positions the mask keeps (an SDDMM), a row-wise
   softmax over the kept scores, Z[h,i,e] = A[h,i,j] V[h,j,e] (an SpMM); the output projection and
   the feed-forward network (Other). The mask keeps `keep` of every row (row-uniform top-k: the
   retention ratio; causal: only j <= i). Its predictor is the two-phase operator's, in low
   precision: X P (a ternary d x k projection: additions), Q~ = (XP) W~Q and K~ (k x k each), S~ = Q~ K~^T,
   compared with a threshold. Defaults: heads 0 -> 1; keep 0 -> 1; k 0 -> d / 4. */
typedef struct sm_attention {
    double l, d, heads, dff, keep, k;
    int causal;
} sm_attention;
typedef struct sm_attention_work {   /* MACs (multiply-accumulates) of one layer, all heads */
    double linear;                   /* Q, K, V projections: 3 l d^2 */
    double scores, context;          /* SDDMM and SpMM: keep x pairs x d each (pairs: l^2, or l(l+1)/2 causal) */
    double dense_attention;          /* both at keep = 1 */
    double other;                    /* output projection l d^2 + FFN 2 l d dff */
    double softmax;                  /* exponentials (and divisions) of the kept scores: keep x pairs x heads */
    double pred_adds;                /* X P: l d k / 3 additions */
    double pred_qk;                  /* Q~ and K~: 2 l k^2 */
    double pred_scores;              /* S~: pairs x k */
    double compares;                 /* pairs x heads (a threshold per score of every head) */
    double connections;              /* kept scores of one head: keep x pairs */
} sm_attention_work;
SMDEF void sm_attention_work_of(const sm_attention *a, sm_attention_work *w);

/* Key (and value) vector loads of a sparse attention mask (rows = queries, cols = keys; row-major
   0/1 bytes) computed T query rows at a time:
   - SM_KV_ROW: row by row, every kept connection loads its key;
   - SM_KV_INORDER: T rows in lock step, round r takes every row's r-th key (in key order); a round
     loads each distinct key it uses once;
   - SM_KV_OOO: the locality-aware out-of-order scheduler: in each round every unfinished row takes
     one of its keys; keys are issued greedily, the one needed by most of the rows still free first
     (a key needed exactly by the free rows before one shared with busy rows, then the least shared);
     a key issued to some of its rows stays for the others (it moves to a smaller bucket);
   - SM_KV_UNION: the distinct keys of each group of T rows (a lower bound).
   Rows go in groups of T consecutive rows (1 <= T <= 16). Returns the loads, or a negative value on
   a bad argument or when its scratch cannot be allocated. */
typedef enum sm_kv_order { SM_KV_ROW = 0, SM_KV_INORDER, SM_KV_OOO, SM_KV_UNION } sm_kv_order;
SMDEF double sm_kv_loads(const unsigned char *mask, long rows, long cols, long T, sm_kv_order order);

/* A mask from a density model: every row keeps round(keep x its candidates) keys (row-uniform
   top-k; candidates: all keys, or j <= i when causal): first the `global` fraction of them on
   shared global columns (the first ones, as in global-token patterns), then `local` of them on the
   nearest keys (a band around the diagonal), the rest at random (seeded) among the keys not taken.
   mask: rows x cols bytes, written. */
typedef struct sm_mask_model {
    long rows, cols;
    double keep, global, local;
    int causal;
    unsigned long seed;
} sm_mask_model;
SMDEF sm_result sm_mask_make(const sm_mask_model *m, unsigned char *mask, sm_error *err);

/*=== [@eval] VALIDATION, TIMING, ENERGY ========================================================*/
/* The three actions on a storage level and the three ways an access can end, in the order of
   every [action][class] array. Algorithmic = actual + gated + skipped + removed by compression
   (a compressed tile holds no zeros, so their accesses do not exist). */
typedef enum sm_action { SM_READ = 0, SM_FILL = 1, SM_UPDATE = 2 } sm_action;
typedef enum sm_class { SM_ACTUAL = 0, SM_GATED = 1, SM_SKIPPED = 2 } sm_class;

/* One tensor at one level. Counts are totals: per-instance counts x average utilized instances. */
typedef struct sm_access {
    double reads, fills, updates;  /* algorithmic (dense-equivalent) */
    double data[3][3];             /* words [sm_action][sm_class] */
    double metadata[3][3], payload[3][3];   /* format entries summed over ranks (entries, not bits) */
    double metadata_words[3][3];   /* accesses of metadata_word_bits bits */
    double decompressions, compressions;    /* words (de)compressed at this level */
    int has_format;
    double tile;                   /* words of the tile held by one instance */
    double partition;              /* words one instance ever holds */
    double occupancy;              /* expected non-zeros of the tile */
    double instances;              /* average utilized instances (fractional when tiles may be empty) */
    double max_instances;          /* utilized instances */
    double energy_pj;              /* this tensor's share of the level energy (no leakage) */
} sm_access;

typedef struct sm_level_stats {
    unsigned kept;                 /* bit mask of tensors kept */
    int is_spatial;                /* pure spatial stage: no rows in the report */
    double utilized_instances;
    sm_access t[SM_MAX_TENSORS];
    double read_per_cycle, write_per_cycle;   /* per instance, before throttling */
    double slowdown;               /* 1 = not bandwidth bound */
    double cycles, leak_pj, energy_pj, area_um2;
} sm_level_stats;

typedef struct sm_stats {
    int nlevels, ntensors;
    int sparse;                    /* the spec uses densities, formats or SAFs: sparse rows are reported */
    double utilized_macs;          /* average utilized MACs */
    double computes;               /* algorithmic */
    double compute_class[3];       /* [sm_class]: actual (effectual), gated, skipped */
    double compute_cycles, compute_energy_pj, compute_area_um2;
    double cycles, utilization, energy_pj, area_um2;
    int ncomponents;
    double component_energy_pj[SM_MAX_COMPONENTS], component_area_um2[SM_MAX_COMPONENTS];
    sm_level_stats level[SM_MAX_LEVELS];   /* last, so sm_eval clears only the levels in use */
} sm_stats;

/* Validate the mapping against the architecture and evaluate it. No allocation. */
SMDEF sm_result sm_eval(const sm_spec *spec, sm_stats *out, sm_error *err);
/* Terms of a series run one after another into the same output (a TASD series on a structured
   tensor core: the decomposition-aware dataflow). out = the sum of the per-term stats, except that
   a tensor t resident at level resident[t] between the terms (-1: none) is moved at the levels
   above that one only once (the first term's counts and energy count). Cycles add; the
   utilization is the cycle-weighted mean. */
SMDEF void sm_stats_series(const sm_stats *terms, int n, const int *resident, sm_stats *out);

/*=== [@report] TEXT, TSV AND JSON ==============================================================*/
/* TSV: level<TAB>tensor<TAB>metric<TAB>value rows in the order of SPEC-FORMAT "Outputs". */
SMDEF void sm_report_tsv(FILE *f, const sm_spec *spec, const sm_stats *st);
SMDEF void sm_report_text(FILE *f, const sm_spec *spec, const sm_stats *st);
SMDEF void sm_report_json(FILE *f, const sm_spec *spec, const sm_stats *st);
/* Every component's per-action energies, leakage and area, and where each came from (the
   `components` command); needs no evaluation. */
SMDEF void sm_report_components(FILE *f, const sm_spec *spec);
/* An [array] evaluation: TSV rows "array<TAB>-<TAB>metric<TAB>value" (metrics as the fields of
   sm_array_stats), a text summary, or JSON. */
SMDEF void sm_array_report_tsv(FILE *f, const sm_spec *spec, const sm_array_stats *st);
SMDEF void sm_array_report_text(FILE *f, const sm_spec *spec, const sm_array_stats *st);
SMDEF void sm_array_report_json(FILE *f, const sm_spec *spec, const sm_array_stats *st);

/*=== [@search] MAPPER AND DESIGN-SPACE SWEEPS ==================================================*/
/* The mapper searches the mappings of a spec's problem on its architecture: the factors of every
   dim over all levels (temporal, spatial_y, spatial_x within the fanout), the temporal loop order
   at each level and the keep/bypass choices, under sm_constraints. Candidates are pruned before
   evaluation (fanout by construction, capacity of uncompressed tiles, constraints; unit loops and
   orders that cannot change the counts are not enumerated), then sm_eval scores the rest.
   The search is split into `tasks` independent tasks (exhaustive: interleaved slices of the
   enumeration; random / anneal: one seeded chain each), run on `threads` threads; the best is the
   lowest (cost, EDP, task), so the result depends on the seed and the budget in evaluations but
   not on the thread count, and shards (tasks i with i % nshards == shard) merge to the same result.
   With a wall-clock budget (`seconds`) the result depends on the machine's speed. */
enum { SM_TEMPORAL = 0, SM_SPATIAL_Y = 1, SM_SPATIAL_X = 2 };   /* index of every [3] kind array */

/* Constraints on one storage level ([constraints] LEVEL.key); zero = free.
   factor[kind][dim]: a fixed factor (1 keeps the dim out of that kind: LEVEL.spatial_x_dims = M Q
   sets 1 for the dims not listed). order: these temporal loops are the innermost, in this order
   (outermost first); the others go outside them in any order. keep / bypass: tensors forced kept /
   bypassed. min_utilization: least fraction of the fanout (X x Y instances of the next level) the
   spatial loops use. max_capacity: most fraction of size / multiple_buffering the kept tiles may
   use, in dense words (0 -> 1, the capacity check of sm_eval alone). */
typedef struct sm_level_constraints {
    long factor[3][SM_MAX_DIMS];
    int norder, order[SM_MAX_DIMS];
    unsigned keep, bypass;
    double min_utilization, max_capacity;
    sm_loc loc;                    /* the last constraint key of this level */
} sm_level_constraints;
typedef struct sm_constraints {
    sm_level_constraints level[SM_MAX_LEVELS];
    double min_utilization;        /* least utilized MACs / MAC instances; 0 = none */
    sm_loc loc;
} sm_constraints;
/* Parse the spec's [constraints] section (zeroes c first). */
SMDEF sm_result sm_constraints_from_spec(const sm_spec *s, sm_constraints *c, sm_error *err);

typedef enum sm_objective {
    SM_OBJECTIVE_EDP = 0,          /* energy_pj x cycles */
    SM_OBJECTIVE_ENERGY,
    SM_OBJECTIVE_CYCLES,
    SM_OBJECTIVE_WEIGHTED          /* energy_pj^energy_weight x cycles^cycles_weight */
} sm_objective;
typedef enum sm_search_kind {
    SM_SEARCH_AUTO = 0,            /* exhaustive when the pruned mapspace fits the budget, else anneal */
    SM_SEARCH_EXHAUSTIVE,          /* every mapping of the pruned mapspace */
    SM_SEARCH_RANDOM,              /* uniform random sampling (with the victory condition) */
    SM_SEARCH_ANNEAL               /* random start, then simulated annealing over factor moves, loop
                                      swaps and keep/bypass flips */
} sm_search_kind;

/* How to search. Defaults: objective EDP; weights 0 -> 1; seed as given; evals 0 -> 200000 (all
   tasks together; unlimited when only seconds is set); seconds 0 = no wall-clock limit; threads
   0 -> 1; tasks 0 -> 8; victory 0 = off (a task stops after this many valid evaluations without
   improving); shard/nshards 0 -> the whole search; constraints NULL -> the spec's [constraints].
   progress, when set, is called now and then (serialized) with evaluations done and planned. */
typedef struct sm_map_desc {
    sm_objective objective;
    double energy_weight, cycles_weight;
    sm_search_kind search;
    unsigned long long seed;
    double evals;
    double seconds;
    int threads, tasks;
    double victory;
    int shard, nshards;
    const sm_constraints *constraints;
    void (*progress)(void *user, double done, double total);
    void *progress_user;
} sm_map_desc;
/* Fill d from the spec's [mapper] section (zeroes d first). */
SMDEF sm_result sm_map_desc_from_spec(const sm_spec *s, sm_map_desc *d, sm_error *err);

/* The best mapping found, with its evaluation. */
typedef struct sm_map_result {
    int found;
    sm_level_map map[SM_MAX_LEVELS];
    sm_stats stats;
    double cost, edp;              /* objective value and energy x cycles of the best */
    int task;                      /* the task that found it (ties go to the lowest task) */
    sm_search_kind search;         /* the strategy used (auto resolved) */
    double mapspace;               /* mappings in the pruned mapspace (an upper bound when not enumerated) */
    double candidates, pruned;     /* mappings generated; of those, rejected before evaluation */
    double evals, valid;           /* sm_eval calls; of those, valid mappings */
    double seconds, seconds_to_best;   /* wall time; when the winning task found its best (from the start) */
} sm_map_result;

/* Search the mapspace of spec (its [mapping] is ignored). SM_ERR_EMPTY when no valid mapping exists
   or none was found; other errors for bad constraints or options. Allocates; thread-safe. */
SMDEF sm_result sm_map(const sm_spec *spec, const sm_map_desc *desc, sm_map_result *out, sm_error *err);
/* The objective value of an evaluation. */
SMDEF double sm_map_cost(const sm_map_desc *desc, const sm_stats *st);
/* Write map as a complete [mapping] section (every level: temporal, spatial_x, spatial_y, keep). */
SMDEF void sm_mapping_write(FILE *f, const sm_spec *spec, const sm_level_map *map);
/* The same on one line, "LEVEL.kind=loops; ..." (non-empty loop lists and every keep), for tables. */
SMDEF void sm_mapping_line(char *buf, size_t cap, const sm_spec *spec, const sm_level_map *map);

/* A sweep ([sweep] section): axes "section.key" (as --set takes them) with their values; points are
   the cartesian product (first axis slowest) or `points` random picks (seeded, per point index). */
typedef struct sm_sweep_axis {
    char key[2 * SM_NAME_LEN + 16];
    int nvalues;
    char **values;                 /* owned */
    sm_loc loc;
} sm_sweep_axis;
typedef struct sm_sweep {
    int naxes;
    sm_sweep_axis *axes;           /* owned; free with sm_sweep_free */
    int random;                    /* mode = random */
    long points;                   /* random: how many points */
    unsigned long long seed;
} sm_sweep;
/* Parse the spec's [sweep] section: `mode = cartesian|random`, `points = N`, `seed = S`, and axes
   `SECTION.KEY = a, b, c` | `range A B [STEP]` | `logrange A B [FACTOR]` (a list may separate its
   values with '|' instead of ',' when they hold commas). Allocates; free with sm_sweep_free. */
SMDEF sm_result sm_sweep_from_spec(const sm_spec *s, sm_sweep *out, sm_error *err);
SMDEF long sm_sweep_count(const sm_sweep *sw);
/* The value index of each axis at point i (0 <= i < sm_sweep_count). */
SMDEF void sm_sweep_point(const sm_sweep *sw, long i, int *choice);
SMDEF void sm_sweep_free(sm_sweep *sw);
/* front[i] = 1 when no other point is <= in both x and y and < in one (minimizing both); of equal
   points only the first is on the front. */
SMDEF void sm_pareto(long n, const double *x, const double *y, int *front);

#ifdef __cplusplus
}
#endif
#endif /* SPARSEMODEL_H */

/*###############################################################################################*/
#if defined(__INTELLISENSE__) || defined(__JETBRAINS_IDE__)
#define SPARSEMODEL_IMPLEMENTATION
#endif
#ifdef SPARSEMODEL_IMPLEMENTATION
#ifndef SM__IMPLEMENTATION_INCLUDED
#define SM__IMPLEMENTATION_INCLUDED

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <sys/stat.h>
#endif

#define STBDS_NO_SHORT_NAMES
#ifndef SM_NO_STB_DS_IMPLEMENTATION
#define STB_DS_IMPLEMENTATION
#endif
#include <stb_ds.h>
#include <ini.h>

#ifdef SPARSEMODEL_STATIC
#define SMAPI static
#else
#define SMAPI
#endif

/*=== [@base.impl] ==============================================================================*/
/* splitmix64: a seeded, portable random stream with no global state (the mapper's searches and
   the skip scheduler's Monte-Carlo) */
typedef struct sm__rng { unsigned long long s; } sm__rng;
static unsigned long long sm__mix(unsigned long long z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static unsigned long long sm__next(sm__rng *r) { return sm__mix(r->s += 0x9E3779B97F4A7C15ULL); }

/* Largest count a double holds exactly; counts beyond it are reported as overflow. */
#define SM__EXACT 9007199254740992.0
/* The technology nodes of [@energy]'s table, for messages. */
#define SM__NODES_TEXT "65, 45, 32, 28, 22, 20, 16, 14, 12, 10, 7 nm"

/* Floor and ceil of an expected count. The counts are rounded the way Sparseloop rounds them;
   a product that is a whole number in exact arithmetic must not fall to the next integer for
   a last-bit floating-point error, so the rounding forgives a relative 1e-12. */
static double sm__snap(double x) {   /* x, or the whole number it differs from by rounding error only */
    double r = floor(x + 0.5);
    return fabs(x - r) <= fmin(0.25, 1e-9 + 1e-12 * fabs(x)) ? r : x;
}
static double sm__floor(double x) { return floor(sm__snap(x)); }
static double sm__ceil(double x) { return ceil(sm__snap(x)); }

static void sm__copy(char *dst, size_t cap, const char *src) {
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

static sm_result sm__fail(sm_error *err, sm_result code, const sm_loc *where, const char *fmt, ...) {
    va_list ap;
    char msg[SM_ERROR_LEN - SM_PATH_LEN - 32];
    if (!err) return code;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err->code = code;
    if (where) err->where = *where;
    else { err->where.file[0] = 0; err->where.line = 0; }
    if (where && where->file[0] && where->line > 0)
        snprintf(err->text, sizeof err->text, "%s:%d: error: %s", where->file, where->line, msg);
    else if (where && where->file[0])
        snprintf(err->text, sizeof err->text, "%s: error: %s", where->file, msg);
    else
        snprintf(err->text, sizeof err->text, "error: %s", msg);
    return code;
}

SMAPI const char *sm_result_string(sm_result r) {
#define SM__STR(c, m) m,
    static const char *const s[] = { SM__RESULTS(SM__STR) };
#undef SM__STR
    return (r >= 0 && r < SM_RESULT_COUNT) ? s[r] : "unknown result";
}

SMAPI const char *sm_version_string(void) { return "0.2.0"; }

/*=== [@workload.impl] ==========================================================================*/
static void sm__skip_ws(const char **s) { while (**s && isspace((unsigned char)**s)) (*s)++; }

static int sm__ident(const char **s, char *out) {
    size_t n = 0;
    if (!(isalpha((unsigned char)**s) || **s == '_')) return 0;
    while (isalnum((unsigned char)**s) || **s == '_') {
        if (n + 1 >= SM_NAME_LEN) return 0;
        out[n++] = *(*s)++;
    }
    out[n] = 0;
    return 1;
}

SMAPI int sm_problem_dim(const sm_problem *p, const char *name) {
    int d;
    for (d = 0; d < p->ndims; d++) if (!strcmp(p->dims[d], name)) return d;
    return -1;
}

SMAPI int sm_problem_tensor(const sm_problem *p, const char *name) {
    int t;
    for (t = 0; t < p->ntensors; t++) if (!strcmp(p->tensors[t].name, name)) return t;
    return -1;
}

/* One tensor reference "Name[expr, expr...]". */
static sm_result sm__parse_tensor(const char **s, sm_problem *p, sm_tensor *t, const sm_loc *w,
                                  sm_error *err) {
    char id[SM_NAME_LEN];
    memset(t, 0, sizeof *t);
    sm__skip_ws(s);
    if (!sm__ident(s, t->name)) return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected a tensor name at '%s'", *s);
    sm__skip_ws(s);
    if (**s != '[') return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected '[' after tensor %s", t->name);
    (*s)++;
    for (;;) {
        sm_rank *r;
        sm__skip_ws(s);
        if (t->nranks == SM_MAX_RANKS) return sm__fail(err, SM_ERR_LIMIT, w, "[problem] einsum: tensor %s has more than %d ranks", t->name, SM_MAX_RANKS);
        r = &t->ranks[t->nranks++];
        for (;;) {   /* terms: [coef*]dim[*coef] */
            long coef = 1;
            int d, k;
            sm__skip_ws(s);
            if (isdigit((unsigned char)**s)) {
                char *end;
                errno = 0;
                coef = strtol(*s, &end, 10);
                if (errno || coef < 1 || coef > 1000000) return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: bad coefficient in tensor %s", t->name);
                *s = end;
                sm__skip_ws(s);
                if (**s != '*') return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected '*' after coefficient %ld in tensor %s (constant offsets are not supported)", coef, t->name);
                (*s)++;
                sm__skip_ws(s);
            }
            if (!sm__ident(s, id)) return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected a dim name in tensor %s at '%s'", t->name, *s);
            sm__skip_ws(s);
            if (**s == '*') {
                char *end;
                (*s)++;
                errno = 0;
                coef = strtol(*s, &end, 10);
                if (end == *s || errno || coef < 1 || coef > 1000000) return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: bad coefficient after %s in tensor %s", id, t->name);
                *s = end;
                sm__skip_ws(s);
            }
            d = sm_problem_dim(p, id);
            if (d < 0) {
                if (p->ndims == SM_MAX_DIMS) return sm__fail(err, SM_ERR_LIMIT, w, "[problem] einsum: more than %d dims", SM_MAX_DIMS);
                d = p->ndims++;
                sm__copy(p->dims[d], SM_NAME_LEN, id);
            }
            for (k = 0; k < r->nterms; k++)
                if (r->terms[k].dim == d) break;
            if (k < r->nterms) r->terms[k].coef += coef;
            else {
                if (r->nterms == SM_MAX_TERMS) return sm__fail(err, SM_ERR_LIMIT, w, "[problem] einsum: index expression with more than %d terms in tensor %s", SM_MAX_TERMS, t->name);
                r->terms[r->nterms].dim = d;
                r->terms[r->nterms].coef = coef;
                r->nterms++;
            }
            if (**s == '+') { (*s)++; continue; }
            break;
        }
        if (**s == ',') { (*s)++; continue; }
        if (**s == ']') { (*s)++; break; }
        return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected ',', '+' or ']' in tensor %s at '%s'", t->name, *s);
    }
    return SM_OK;
}

SMAPI sm_result sm_einsum_parse(const char *text, sm_problem *p, const sm_loc *w, sm_error *err) {
    const char *s = text;
    sm_tensor out;
    sm_result r;
    int i, j;
    p->ndims = 0;
    p->ntensors = 0;
    if ((r = sm__parse_tensor(&s, p, &out, w, err)) != SM_OK) return r;
    out.is_output = 1;
    sm__skip_ws(&s);
    if (s[0] == '+' && s[1] == '=') s += 2;
    else if (s[0] == '=') s += 1;
    else return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: expected '+=' after the output tensor %s", out.name);
    for (;;) {
        if (p->ntensors == SM_MAX_TENSORS - 1) return sm__fail(err, SM_ERR_LIMIT, w, "[problem] einsum: more than %d tensors", SM_MAX_TENSORS);
        if ((r = sm__parse_tensor(&s, p, &p->tensors[p->ntensors], w, err)) != SM_OK) return r;
        p->ntensors++;
        sm__skip_ws(&s);
        if (*s == '*') { s++; continue; }
        if (*s == 0) break;
        return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: unexpected '%s' (operands are joined by '*')", s);
    }
    p->tensors[p->ntensors++] = out;
    for (i = 0; i < p->ntensors; i++)
        for (j = 0; j < i; j++)
            if (!strcmp(p->tensors[i].name, p->tensors[j].name))
                return sm__fail(err, SM_ERR_EINSUM, w, "[problem] einsum: tensor %s appears twice", p->tensors[i].name);
    return SM_OK;
}

/*=== [@mapping.impl] THE MAPPING AS ONE LOOP NEST: NEST ANALYSIS ===============================*/
/* The mapping flattened into one loop nest, outermost first, unit loops dropped. */
typedef struct sm__loop { int dim, level, spatial; double f, step, outer; } sm__loop;  /* spatial: 0 temporal, 1 Y, 2 X; outer: product of the temporal factors outside */
typedef struct sm__nest {
    int nloops;
    sm__loop loops[SM_MAX_LEVELS * 3 * SM_MAX_LOOPS];
    int first[SM_MAX_LEVELS + 1];  /* first loop at this level or below; [nlevels] = compute */
    double temporal_iters;         /* temporal iterations per MAC */
} sm__nest;

static long sm__gcd(long a, long b) { while (b) { long t = a % b; a = b; b = t; } return a; }

/* |S ∩ (S + shift)| for one index expression S = { sum coef_i * x_i : 0 <= x_i < n_i }; with
   shift 0 it is |S|. Exact: a closed form when S is an interval or two interleaved
   progressions, a bitset otherwise. Returns -1 when S is too irregular and too wide. */
static double sm__rank_overlap(const sm_rank *r, const double *ext, double shift) {
    long c[SM_MAX_TERMS];
    double n[SM_MAX_TERMS];
    int k = 0, i, j;
    long g = 0;
    double reach = 0;
    int contiguous = 1;
    for (i = 0; i < r->nterms; i++)
        if (ext[r->terms[i].dim] > 1) { c[k] = r->terms[i].coef; n[k] = ext[r->terms[i].dim]; k++; }
    if (shift < 0) shift = -shift;
    if (k == 0) return shift == 0 ? 1 : 0;
    if (k == 1) {   /* the common case: one progression */
        double q = shift / (double)c[0];
        return q != floor(q) || q >= n[0] ? 0 : n[0] - q;
    }
    for (i = 0; i < k && g != 1; i++) g = c[i] == 1 ? 1 : sm__gcd(g, c[i]);   /* coef 1 is the usual case */
    if (g > 1) {
        if ((long long)shift % g != 0) return 0;
        shift /= (double)g;
    }
    for (i = 0; g > 1 && i < k; i++) c[i] /= g;
    for (i = 1; i < k; i++)   /* sort by coefficient */
        for (j = i; j > 0 && c[j] < c[j - 1]; j--) { long tc = c[j]; double tn = n[j]; c[j] = c[j - 1]; n[j] = n[j - 1]; c[j - 1] = tc; n[j - 1] = tn; }
    for (i = 0; i < k; i++) {
        if ((double)c[i] > reach + 1) contiguous = 0;
        reach += (double)c[i] * (n[i] - 1);
    }
    if (contiguous) return shift > reach ? 0 : reach + 1 - shift;
    if (k == 2 && c[0] == 1) {     /* blocks of n0 every c1, n1 of them; n0 < c1 here */
        double b = (double)c[1], q = floor(shift / b), rem = shift - q * b;
        double a = n[1] - q > 0 ? (n[1] - q) * (n[0] - rem > 0 ? n[0] - rem : 0) : 0;
        double bb = n[1] - q - 1 > 0 ? (n[1] - q - 1) * (rem + n[0] - b > 0 ? rem + n[0] - b : 0) : 0;
        return a + bb;
    }
    {   /* general: the sum set as a bitset */
        enum { W = 64, BITS = 8192 };
        unsigned long long set[BITS / W], tmp[BITS / W];
        double cnt = 0;
        long x, s = (long)shift;
        if (reach + 1 > BITS) return -1;
        memset(set, 0, sizeof set);
        set[0] = 1;
        for (i = 0; i < k; i++) {
            memcpy(tmp, set, sizeof set);
            for (x = 1; x < (long)n[i]; x++) {
                long off = c[i] * x, wi;
                for (wi = BITS / W - 1; wi >= 0; wi--) {
                    long src = wi * W - off;   /* bit b of word wi comes from bit b-off */
                    unsigned long long v = 0;
                    long sw = src >= 0 ? src / W : (src - W + 1) / W, sb = src - sw * W;
                    if (sw >= 0 && sw < BITS / W) v |= sb ? tmp[sw] >> sb : tmp[sw];
                    if (sb && sw + 1 >= 0 && sw + 1 < BITS / W) v |= tmp[sw + 1] << (W - sb);
                    set[wi] |= v;
                }
            }
        }
        for (x = 0; x + s < BITS; x++)
            if ((set[x / W] >> (x % W) & 1) && (set[(x + s) / W] >> ((x + s) % W) & 1)) cnt++;
        return cnt;
    }
}

/* Words of T in a tile with per-dim extents ext (-1: too irregular to count); the size of
   each rank goes to rank_size when it is not NULL. */
static double sm__tile_size(const sm_tensor *t, const double *ext, double *rank_size) {
    double v = 1;
    int r;
    for (r = 0; r < t->nranks; r++) {
        double o = sm__rank_overlap(&t->ranks[r], ext, 0);
        if (o < 0) return -1;
        if (rank_size) rank_size[r] = o;
        v *= o;
    }
    return v;
}

/* Per-dim extents of the loops from index `from` inward. */
static void sm__extents(const sm_problem *p, const sm__nest *n, int from, double *ext) {
    int d, i;
    for (d = 0; d < p->ndims; d++) ext[d] = 1;
    for (i = from; i < n->nloops; i++) ext[n->loops[i].dim] *= n->loops[i].f;
}

/* Words delivered into one instance of the level whose loops start at `first`: the first
   tile, then, each time a temporal loop above it advances (inner ones resetting), the part
   of the new tile not in the previous one. Timeloop keeps a tile as one box and reuses the old
   one only when the new box differs from it in a single rank (eyeriss_like: a P step with Q
   reset reuses nothing, though one corner overlaps). Its box also remembers the direction of its
   last move (Timeloop's reset-on-stride-change, on for every unflattened problem): a step that
   moves the box back against the direction the innermost loop above the level was sliding it
   refetches the whole tile (ISPASS 2020 exercise 04: a K step rewinding R in an R-sliding input
   window reloads all 16 words, not the 2 the overlap would allow). Walks the loops inside out,
   so each loop costs one overlap of one rank. */
static double sm__deliveries(const sm_problem *p, const sm_tensor *t, unsigned dims, const sm__nest *n,
                             int first, const double *ext, double size, const double *rank_size) {
    double total = size, reset[SM_MAX_DIMS];
    unsigned reset_dims = 0;
    int i, r, k, slide = -1;   /* slide: the innermost temporal loop above the level */
    if (size <= 0) return size;
    memset(reset, 0, sizeof(double) * (size_t)p->ndims);
    for (i = first - 1; i >= 0; i--) {
        const sm__loop *li = &n->loops[i];
        if (li->spatial) continue;
        if ((dims >> li->dim & 1u) || (reset_dims & dims)) {   /* else the tile stays put */
            int moved = -1;
            double shift_moved = 0, o = size;
            for (r = 0; r < t->nranks; r++) {
                double shift = 0;
                for (k = 0; k < t->ranks[r].nterms; k++) {
                    int d = t->ranks[r].terms[k].dim;
                    shift += (double)t->ranks[r].terms[k].coef * ((d == li->dim ? li->step : 0) - reset[d]);
                }
                if (shift != 0) {
                    if (moved >= 0) { moved = -2; break; }
                    moved = r;
                    shift_moved = shift;
                }
            }
            if (moved == -2) o = 0;
            else if (moved >= 0) {
                double ov = sm__rank_overlap(&t->ranks[moved], ext, shift_moved), slid = 0;
                if (ov < 0) return -1;
                o = size / rank_size[moved] * ov;
                if (slide > i) {   /* the last move was a step of the innermost loop */
                    const sm__loop *ls = &n->loops[slide];
                    for (k = 0; k < t->ranks[moved].nterms; k++)
                        if (t->ranks[moved].terms[k].dim == ls->dim) slid += (double)t->ranks[moved].terms[k].coef * ls->step;
                    if (slid * shift_moved < 0 && sm__rank_overlap(&t->ranks[moved], ext, slid) > 0) o = 0;
                }
            }
            total += li->outer * (li->f - 1) * (size - o);
        }
        reset[li->dim] += (li->f - 1) * li->step;
        reset_dims |= 1u << li->dim;
        if (slide < 0) slide = i;
    }
    return total;
}

/* ---- the mapping as a nest: resolved instances, flattening, mesh checks ---- */
/* Resolved instances, mesh_x and name of level l; l == nlevels is the compute level. */
static long sm__instances(const sm_spec *s, int l) {
    long i = l < s->nlevels ? s->levels[l].instances : s->compute.instances;
    return i ? i : 1;
}
static long sm__mesh_x(const sm_spec *s, int l) {
    long m = l < s->nlevels ? s->levels[l].mesh_x : s->compute.mesh_x;
    return m ? m : sm__instances(s, l);
}
static const char *sm__level_name(const sm_spec *s, int l) { return l < s->nlevels ? s->levels[l].name : s->compute.name; }

static int sm__no_costs(const sm_level *lv);

static sm_result sm__build_nest(const sm_spec *s, sm__nest *n, sm_error *err) {
    const sm_problem *p = &s->problem;
    double prod[SM_MAX_DIMS];
    int l, i, d, k;
    n->nloops = 0;
    n->temporal_iters = 1;
    for (d = 0; d < p->ndims; d++) prod[d] = 1;
    for (l = 0; l < s->nlevels; l++) {
        const sm_level_map *m = &s->map[l];
        const sm_loop_list *lists[3];
        lists[0] = &m->temporal; lists[1] = &m->spatial_y; lists[2] = &m->spatial_x;
        n->first[l] = n->nloops;
        for (k = 0; k < 3; k++)
            for (i = 0; i < lists[k]->n; i++) {
                const sm_loop *lp = &lists[k]->loops[i];
                prod[lp->dim] *= (double)lp->factor;
                if (prod[lp->dim] > p->bounds[lp->dim])
                    return sm__fail(err, SM_ERR_MAPPING, &lists[k]->loc, "[mapping] %s: factors of dim %s multiply past its bound %ld",
                                    s->levels[l].name, p->dims[lp->dim], p->bounds[lp->dim]);
                if (lp->factor == 1) continue;
                n->loops[n->nloops].dim = lp->dim;
                n->loops[n->nloops].level = l;
                n->loops[n->nloops].spatial = k;   /* 0 temporal, 1 spatial_y, 2 spatial_x */
                n->loops[n->nloops].f = (double)lp->factor;
                n->nloops++;
                if (k == 0) n->temporal_iters *= (double)lp->factor;
            }
    }
    n->first[s->nlevels] = n->nloops;
    for (d = 0; d < p->ndims; d++)
        if (prod[d] != (double)p->bounds[d])
            return sm__fail(err, SM_ERR_MAPPING, s->mapping_loc.line ? &s->mapping_loc : &p->bounds_loc,
                            "[mapping] factors of dim %s multiply to %.0f, but its bound is %ld", p->dims[d], prod[d], p->bounds[d]);
    {
        double outer = 1;
        for (i = 0; i < n->nloops; i++) { n->loops[i].outer = outer; if (!n->loops[i].spatial) outer *= n->loops[i].f; }
    }
    for (i = n->nloops - 1; i >= 0; i--) {   /* step: product of the same dim's inner factors */
        double st = 1;
        for (k = i + 1; k < n->nloops; k++) if (n->loops[k].dim == n->loops[i].dim) st *= n->loops[k].f;
        n->loops[i].step = st;
    }
    return SM_OK;
}

/* Instances and meshes that nest: each level's instances and mesh_x divide the next inner ones. */
static sm_result sm__check_mesh(const sm_spec *s, sm_error *err) {
    int l;
    for (l = 0; l <= s->nlevels; l++)
        if (sm__instances(s, l) % sm__mesh_x(s, l))
            return sm__fail(err, SM_ERR_FANOUT, l < s->nlevels ? &s->levels[l].loc : &s->compute.loc, "[%s %s] mesh_x %ld does not divide its %ld instances",
                            l < s->nlevels ? "level" : "compute", sm__level_name(s, l), sm__mesh_x(s, l), sm__instances(s, l));
    for (l = 0; l < s->nlevels; l++) {
        const sm_level *lv = &s->levels[l];
        long inst = sm__instances(s, l), mx = sm__mesh_x(s, l);
        long ci = sm__instances(s, l + 1), cmx = sm__mesh_x(s, l + 1);
        if (ci % inst || cmx % mx)
            return sm__fail(err, SM_ERR_FANOUT, &lv->loc, "[level %s] %ld instances (mesh_x %ld) do not divide the %ld instances (mesh_x %ld) of %s",
                            lv->name, inst, mx, ci, cmx, sm__level_name(s, l + 1));
        if ((ci / inst) % (cmx / mx))
            return sm__fail(err, SM_ERR_FANOUT, &lv->loc, "[level %s] fanout %ld to %s is not a multiple of its X fanout %ld", lv->name, ci / inst, sm__level_name(s, l + 1), cmx / mx);
    }
    return SM_OK;
}

/*=== [@sparse.impl] DENSITY MODELS, FORMATS, SAFS (Sparseloop's statistical analysis) ==========*/
/* The sparse analysis follows Sparseloop (NVlabs/timeloop, src/sparse-analysis): expected values
   over density models, with its rounding (floors on removed accesses, ceils on metadata), so the
   counts match it within an access. Dense is density 1: every stage below is then a no-op. */

/* A tile as the density models see it: its extent along each rank of the tensor. */
typedef struct sm__box { double e[SM_MAX_RANKS]; double size; int nranks; } sm__box;

static void sm__box_of(const sm_tensor *t, const double *ext, sm__box *b) {
    int r;
    b->nranks = t->nranks;
    b->size = 1;
    for (r = 0; r < t->nranks; r++) { b->e[r] = sm__rank_overlap(&t->ranks[r], ext, 0); if (b->e[r] < 1) b->e[r] = 1; b->size *= b->e[r]; }
}

static void sm__box_scalar(int nranks, sm__box *b) {
    int r;
    b->nranks = nranks;
    b->size = 1;
    for (r = 0; r < nranks; r++) b->e[r] = 1;
}

/* ln(n!) for whole n >= 0: exact product below 21, Stirling's series above (error < 1e-15). */
static double sm__lfact(double n) {
    double x, f = 1, i;
    if (n < 2) return 0;
    if (n <= 20) { for (i = 2; i <= n; i++) f *= i; return log(f); }
    x = n + 1;
    return (x - 0.5) * log(x) - x + 0.91893853320467274178 + 1 / (12 * x) - 1 / (360 * x * x * x) + 1 / (1260 * x * x * x * x * x);
}
static double sm__lchoose(double n, double k) { return sm__lfact(n) - sm__lfact(k) - sm__lfact(n - k); }

/* Hypergeometric P(k of the K marked among N fall in a draw of n). */
static double sm__hyper(double k, double K, double n, double N) {
    if (k < 0 || k > K || k > n || n - k > N - K) return 0;
    if (n == 0 || K == 0 || K == N || n == N) return 1;   /* the only feasible k */
    if (k == 0 && fmin(n, K) <= 4096) {   /* the empty tile, as an exact-as-possible product */
        double q = 1, m = fmin(n, K), o = fmax(n, K), i;
        for (i = 0; i < m; i++) q *= (N - o - i) / (N - i);
        return q;
    }
    return exp(sm__lchoose(K, k) + sm__lchoose(N - K, n - k) - sm__lchoose(N, n));
}

/* Non-zeros of a mask inside the box [lo, lo + e) (clipped to the tensor). */
static double sm__mask_count(const sm_density *d, int nr, const double *lo, const double *e) {
    long stride[SM_MAX_RANKS], s = 1;
    double total = 0;
    int r, c;
    for (r = nr - 1; r >= 0; r--) { stride[r] = s; s *= (long)d->extent[r] + 1; }
    for (c = 0; c < (1 << nr); c++) {   /* inclusion-exclusion over the box corners */
        long at = 0;
        int neg = 0;
        for (r = 0; r < nr; r++) {
            double hi = fmin(lo[r] + e[r], d->extent[r]);
            at += (long)((c >> r & 1) ? lo[r] : hi) * stride[r];
            neg ^= c >> r & 1;
        }
        total += neg ? -(double)d->prefix[at] : (double)d->prefix[at];
    }
    return total;
}

/* Non-zeros of a band |i - j| <= w inside rows [r0, r0+h) x columns [c0, c0+wd). */
static double sm__band_count(const sm_density *d, double r0, double h, double c0, double wd) {
    double i, n = 0, r1 = fmin(r0 + h, d->extent[0]), c1 = fmin(c0 + wd, d->extent[1]), w = (double)d->band;
    for (i = r0; i < r1; i++) n += fmax(0, fmin(c1, i + w + 1) - fmax(c0, i - w));
    return n;
}

/* Position-averaged models (banded, mask): call fn for every aligned position of the box. */
typedef void (*sm__occ_fn)(double k, double p, void *ctx);
static void sm__positions(const sm_density *d, const sm__box *b, sm__occ_fn fn, void *ctx) {
    double lo[SM_MAX_RANKS], count = 1;
    int r;
    for (r = 0; r < b->nranks; r++) { lo[r] = 0; count *= ceil(d->extent[r] / b->e[r]); }
    for (;;) {
        double k = d->kind == SM_DENSITY_MASK ? sm__mask_count(d, b->nranks, lo, b->e) : sm__band_count(d, lo[0], b->e[0], lo[1], b->e[1]);
        fn(k, 1 / count, ctx);
        for (r = b->nranks - 1; r >= 0; r--) { lo[r] += b->e[r]; if (lo[r] < d->extent[r]) break; lo[r] = 0; }
        if (r < 0) break;
    }
}

typedef struct sm__acc { double p0, n, mean, lo, hi; } sm__acc;
static void sm__acc_fn(double k, double p, void *ctx) {
    sm__acc *a = (sm__acc *)ctx;
    if (k == 0) a->p0 += p;
    a->mean += p * k;
    if (a->n++ == 0 || k < a->lo) a->lo = k;
    if (a->n == 1 || k > a->hi) a->hi = k;
}

/* N:M along one rank: probability that one line of the box along that rank is empty, and the
   least and most non-zeros of one line. Blocks are aligned; a line shorter than a block sees a
   random window of it. */
static void sm__nm_line(const sm_density *d, double e, double *p_empty, double *lo, double *hi) {
    double full = floor(e / d->m), rest = e - full * d->m;
    *lo = full * d->n + fmax(0, d->n - (d->m - rest)) * (rest > 0);
    *hi = full * d->n + fmin(rest, (double)d->n);
    *p_empty = full > 0 && d->n > 0 ? 0 : (d->n == 0 ? 1 : sm__hyper(0, d->n, rest, d->m));
}

/* The mean density of a tensor (uniform: its ceil(d x size) non-zeros over its size). */
static double sm__mean_density(const sm_density *d) {
    return d->kind == SM_DENSITY_DENSE ? 1 : d->kind == SM_DENSITY_UNIFORM ? d->nnz / d->size : d->density;
}

/* P(a tile of box b holds no non-zero). */
static double sm__p_empty(const sm_density *d, const sm__box *b) {
    double x;
    switch (d->kind) {
    case SM_DENSITY_UNIFORM: return sm__hyper(0, d->nnz, b->size, d->size);
    case SM_DENSITY_FIXED:
        x = b->size * d->density;
        return floor(x) == 0 ? 1 - (x - floor(x)) : 0;
    case SM_DENSITY_NM: {
        double pe, lo, hi, e = b->e[d->rank];
        sm__nm_line(d, e, &pe, &lo, &hi);
        return pow(pe, b->size / e);
    }
    case SM_DENSITY_BANDED: case SM_DENSITY_MASK: {
        sm__acc a;
        memset(&a, 0, sizeof a);
        sm__positions(d, b, sm__acc_fn, &a);
        return a.p0;
    }
    default: return b->size > 0 ? 0 : 1;
    }
}

/* Least and most non-zeros a tile of box b can hold. */
static void sm__occ_range(const sm_density *d, const sm__box *b, double *lo, double *hi) {
    double x;
    switch (d->kind) {
    case SM_DENSITY_UNIFORM: *lo = fmax(0, b->size + d->nnz - d->size); *hi = fmin(b->size, d->nnz); return;
    case SM_DENSITY_FIXED: x = b->size * d->density; *lo = floor(x); *hi = ceil(x); return;
    case SM_DENSITY_NM: {
        double pe, l1, h1, e = b->e[d->rank];
        sm__nm_line(d, e, &pe, &l1, &h1);
        *lo = l1 * b->size / e; *hi = h1 * b->size / e;
        return;
    }
    case SM_DENSITY_BANDED: case SM_DENSITY_MASK: {
        sm__acc a;
        memset(&a, 0, sizeof a);
        sm__positions(d, b, sm__acc_fn, &a);
        *lo = a.lo; *hi = a.hi;
        return;
    }
    default: *lo = *hi = b->size; return;
    }
}

/* Every possible occupancy k of a tile of box b with its probability p (p > 0), each exactly once
   except for the position-averaged models (banded, mask), which report every tile position. */
static void sm__occupancies(const sm_density *d, const sm__box *b, sm__occ_fn fn, void *ctx) {
    double x, f;
    switch (d->kind) {
    case SM_DENSITY_UNIFORM: {   /* walk out from the mode with the pmf's ratio recurrence */
        double K = d->nnz, N = d->size, n = b->size, lo = fmax(0, n + K - N), hi = fmin(n, K);
        double mode = floor((n + 1) * (K + 1) / (N + 2)), pm, p, k;
        if (mode < lo) mode = lo;
        if (mode > hi) mode = hi;
        pm = sm__hyper(mode, K, n, N);
        fn(mode, pm, ctx);
        for (k = mode, p = pm; k < hi;) {
            p *= (K - k) * (n - k) / ((k + 1) * (N - K - n + k + 1));
            k++;
            if (p < 1e-17 * pm) break;
            fn(k, p, ctx);
        }
        for (k = mode, p = pm; k > lo;) {
            p *= k * (N - K - n + k) / ((K - k + 1) * (n - k + 1));
            k--;
            if (p < 1e-17 * pm) break;
            fn(k, p, ctx);
        }
        return;
    }
    case SM_DENSITY_FIXED: case SM_DENSITY_NM:   /* floor or ceil of the exact count */
        x = b->size * d->density;
        f = floor(x);
        if (x - f > 0) { fn(f, 1 - (x - f), ctx); fn(f + 1, x - f, ctx); }
        else fn(f, 1, ctx);
        return;
    case SM_DENSITY_BANDED: case SM_DENSITY_MASK: sm__positions(d, b, fn, ctx); return;
    default: fn(b->size, 1, ctx); return;
    }
}

/* P(a sub-tile of size sub is empty, given that its tile of size tile holds k non-zeros). Only
   i.i.d. non-zeros make the condition informative (hypergeometric); the other models answer
   unconditionally for a proper sub-tile, as Sparseloop does. */
static double sm__p_empty_given(const sm_density *d, const sm__box *sub, double tile, double k) {
    if (d->kind == SM_DENSITY_UNIFORM) return sm__hyper(0, k, sub->size, tile);
    if (sub->size == tile) return k == 0;   /* the tile itself */
    return sm__p_empty(d, sub);
}

/* Largest number of non-empty elements (boxes `elem`) in a fiber of `count` elements of box
   `fiber`: the elements not empty when the fiber holds its largest occupancy. */
static double sm__max_nonempty(const sm_density *d, const sm__box *fiber, const sm__box *elem, double count) {
    double lo, hi;
    sm__occ_range(d, fiber, &lo, &hi);
    return sm__ceil(count * (1 - sm__p_empty_given(d, elem, fiber->size, hi)));
}

/* ---- formats: ranks bound to loops, metadata occupancy ---- */
/* One format rank of a tile, bound to the loop nest (index 0 = the innermost rank). */
typedef struct sm__rk {
    sm_rank_format kind;
    int md_bits, pl_bits;
    double fiber;                  /* coordinates per fiber */
    sm__box anchor;                /* the tile at this rank's boundary: the next rank up's sub-tile */
} sm__rk;

/* One tensor at one level during the analysis; counts per instance. */
typedef struct sm__lt {
    int parent, child;             /* nearest outer / inner level keeping the tensor (-1: none) */
    int nranks, compressed;        /* format ranks (0: no metadata) */
    sm__rk rk[SM_MAX_FORMAT_RANKS];
    sm__box scalar;                /* the sub-tile under rank 0 (a scalar, or the child's when pre-tiled) */
    sm__box tile;
    double shape;                  /* words of the tile */
    double alg[3];                 /* algorithmic reads, fills, updates */
    double occ, density;           /* expected non-zeros of the tile, occ / shape */
    double nonempty;               /* fraction of instances whose tile is not empty */
    double md[SM_MAX_FORMAT_RANKS][2];          /* expected metadata, payload entries per tile */
    double fmt[3][SM_MAX_FORMAT_RANKS][2];      /* format entries per action before SAFs */
} sm__lt;

/* Metadata and payload entries of rank r given the tile's occupancy k (Sparseloop's format
   models: UOP offsets, CP coordinates, RLE run lengths, B/UB bits). maxfib: fibers of rank r
   when none is empty; cur: the box of one fiber. */
static void sm__rank_units(const sm_density *d, const sm__lt *lt, int r, double maxfib, const sm__box *cur, double k, double *md, double *pl) {
    const sm__rk *rk = &lt->rk[r];
    const sm__box *next = r > 0 ? &lt->rk[r - 1].anchor : &lt->scalar;
    double fibers, nnz;
    *md = *pl = 0;
    /* A trivial rank (one coordinate) costs nothing, except the innermost: the reference cases
       (Sparseloop master 4cf6d4c) give a scalar tile in CP or RLE one metadata entry. */
    if (rk->fiber <= 1 && r > 0) return;
    fibers = maxfib * (1 - sm__p_empty_given(d, cur, lt->shape, k));
    nnz = rk->fiber * (1 - sm__p_empty_given(d, next, lt->shape, k));
    switch (rk->kind) {
    case SM_RANK_UOP: *pl = maxfib * (rk->fiber + 1); break;
    case SM_RANK_UB: *md = *pl = maxfib * rk->fiber; break;
    case SM_RANK_CP: *md = *pl = sm__ceil(nnz) * fibers; break;
    case SM_RANK_RLE: *md = *pl = nnz * fibers; break;
    case SM_RANK_B: *md = fibers * rk->fiber; *pl = fibers * sm__ceil(nnz); break;
    default: break;
    }
    if (r == 0) *pl = 0;           /* the innermost rank's payloads are the data */
}

typedef struct sm__occ_ctx {
    const sm_density *d;
    sm__lt *lt;
    double scale;                  /* 1 / P(non-empty) when empty tiles are not held */
    int drop_empty;
} sm__occ_ctx;

static void sm__occ_accumulate(double k, double p, void *vctx) {
    sm__occ_ctx *c = (sm__occ_ctx *)vctx;
    sm__lt *lt = c->lt;
    double maxfib = 1, md, pl;
    int r;
    if (c->drop_empty && k == 0) return;
    p *= c->scale;
    lt->occ += p * k;
    for (r = lt->nranks - 1; r >= 0; r--) {
        const sm__box *cur = r == lt->nranks - 1 ? &lt->tile : &lt->rk[r].anchor;
        sm__rank_units(c->d, lt, r, maxfib, cur, k, &md, &pl);
        lt->md[r][0] += p * md;
        lt->md[r][1] += p * pl;
        maxfib *= lt->rk[r].fiber;
    }
}

/* Expected occupancy and metadata of the tile. A parent that holds metadata sends no empty
   tiles, so instances whose tile is empty are idle (nonempty < 1) and the expectations are
   over non-empty tiles. */
static void sm__expected_occupancy(const sm_density *d, sm__lt *lt, int parent_has_md) {
    sm__occ_ctx c;
    double lo, hi;
    memset(lt->md, 0, sizeof lt->md);
    lt->occ = 0;
    lt->nonempty = 1;
    c.d = d; c.lt = lt; c.scale = 1; c.drop_empty = 0;
    sm__occ_range(d, &lt->tile, &lo, &hi);
    if (parent_has_md && lo == 0) {
        double p0 = sm__p_empty(d, &lt->tile);
        if (p0 > 0 && p0 < 1) { lt->nonempty = 1 - p0; c.scale = 1 / (1 - p0); c.drop_empty = 1; }
    }
    sm__occupancies(d, &lt->tile, sm__occ_accumulate, &c);
    lt->density = lt->shape > 0 ? lt->occ / lt->shape : 1;
}

/* Metadata and payload entries of the tile at its largest occupancy, in bits (capacity). */
static double sm__max_metadata_bits(const sm_density *d, const sm__lt *lt) {
    double lo, hi, bits = 0, maxfib = 1, md, pl;
    int r;
    sm__occ_range(d, &lt->tile, &lo, &hi);
    for (r = lt->nranks - 1; r >= 0; r--) {
        sm__rank_units(d, lt, r, maxfib, r == lt->nranks - 1 ? &lt->tile : &lt->rk[r].anchor, hi, &md, &pl);
        bits += md * lt->rk[r].md_bits + pl * lt->rk[r].pl_bits;
        maxfib *= lt->rk[r].fiber;
    }
    return sm__ceil(bits);
}

/* The loops a tile's ranks bind to: loops of the level and of the levels it bypasses down to its
   child, indexing the tensor, innermost first. */
typedef struct sm__sub { int n; int dim[SM_MAX_LEVELS * 3 * SM_MAX_LOOPS]; double f[SM_MAX_LEVELS * 3 * SM_MAX_LOOPS]; int at[SM_MAX_LEVELS * 3 * SM_MAX_LOOPS]; } sm__sub;

/* Bind the format ranks of tensor t at level l to loops (Sparseloop's rank application, outer to
   inner or inner to outer, with flattening rules), giving each rank its fiber shape and sub-tile.
   A compressed tile whose child holds a tile of more than one word is pre-tiled: its inner ranks
   are the child's. */
/* Whether a rank with inside index in [lo, hi] names dim d in its `dims`: a flattened rank then
   leaves the loop to it (Sparseloop binds two ranks naming the same dim to one loop each). */
static int sm__rank_claims(const sm_format *fm, int lo, int hi, int d) {
    int q;
    for (q = lo; q <= hi; q++) if (fm->rank[fm->nranks - 1 - q].dims >> d & 1u) return 1;
    return 0;
}

static sm_result sm__bind_ranks(const sm_spec *s, const sm__nest *n, int l, int t, sm__lt *lts, sm_error *err) {
    const sm_problem *p = &s->problem;
    const sm_tensor *ten = &p->tensors[t];
    const sm_format *fm = &s->format[l][t];
    sm__lt *lt = &lts[l];
    unsigned tdims = 0;
    double child_ext[SM_MAX_DIMS], ext[SM_MAX_DIMS];
    int i, k, r, d, inner = 0, pretile, child = lt->child;
    sm__sub sub;
    int nfront = 0, nback = 0, front[SM_MAX_FORMAT_RANKS];
    double rank_ext[SM_MAX_FORMAT_RANKS][SM_MAX_DIMS];
    int anchor_at[SM_MAX_FORMAT_RANKS];   /* loop index whose mold is the rank's anchor; -1 scalar */
    sub.n = 0;
    lt->nranks = fm->nranks;
    lt->compressed = 0;
    sm__box_scalar(ten->nranks, &lt->scalar);
    if (!fm->nranks) return SM_OK;
    for (r = 0; r < fm->nranks; r++) {   /* index 0 = innermost */
        const sm_format_rank *fr = &fm->rank[fm->nranks - 1 - r];
        sm__rk *rk = &lt->rk[r];
        rk->kind = fr->kind;
        rk->md_bits = fr->md_bits >= 0 ? fr->md_bits : fr->kind == SM_RANK_B || fr->kind == SM_RANK_UB ? 1 : s->levels[l].metadata_word_bits;
        rk->pl_bits = fr->pl_bits >= 0 ? fr->pl_bits : s->levels[l].metadata_word_bits;
        lt->compressed |= fr->kind == SM_RANK_CP || fr->kind == SM_RANK_B || fr->kind == SM_RANK_RLE;
        rk->fiber = 1;
        sm__box_scalar(ten->nranks, &rk->anchor);
        for (d = 0; d < p->ndims; d++) rank_ext[r][d] = 1;
        anchor_at[r] = -1;
    }
    for (i = 0; i < ten->nranks; i++) for (k = 0; k < ten->ranks[i].nterms; k++) tdims |= 1u << ten->ranks[i].terms[k].dim;
    pretile = lt->compressed && child >= 0 && lts[child].shape > 1;
    if (pretile) {
        const sm__lt *c = &lts[child];
        int cn = c->nranks ? c->nranks : 1;
        if (cn > fm->nranks)
            return sm__fail(err, SM_ERR_MAPPING, &fm->loc, "[format %s] %s: %d ranks cannot hold the %d ranks of its child level %s (a compressed tile is pre-tiled for its child)",
                            s->levels[l].name, ten->name, fm->nranks, cn, s->levels[child].name);
        for (r = 0; c->nranks && c->compressed && r < c->nranks; r++)
            if (c->rk[r].kind != lt->rk[r].kind)
                return sm__fail(err, SM_ERR_MAPPING, &fm->loc, "[format %s] %s: rank %d must match the format of child level %s to be pre-tiled for it",
                                s->levels[l].name, ten->name, fm->nranks - r, s->levels[child].name);
        inner = cn;
        for (r = 0; r < cn; r++) {   /* the inner ranks are the child's */
            if (c->nranks) { lt->rk[r].fiber = c->rk[r].fiber; lt->rk[r].anchor = c->rk[r].anchor; }
            else { lt->rk[r].fiber = c->shape; lt->rk[r].anchor = c->tile; }
            anchor_at[r] = -2;   /* given */
        }
        lt->scalar = c->nranks ? c->scalar : lt->scalar;
    }
    /* the loops, innermost first */
    for (i = (child >= 0 ? n->first[child] : n->nloops) - 1; i >= n->first[l]; i--)
        if (tdims >> n->loops[i].dim & 1u) { sub.dim[sub.n] = n->loops[i].dim; sub.f[sub.n] = n->loops[i].f; sub.at[sub.n] = i; sub.n++; }
    if (!pretile) {   /* the innermost loop of each dim also spans the child's tile */
        for (d = 0; d < p->ndims; d++) child_ext[d] = 1;
        if (child >= 0) for (i = n->first[child]; i < n->nloops; i++) child_ext[n->loops[i].dim] *= n->loops[i].f;
        for (i = 0; i < sub.n; i++) { sub.f[i] *= child_ext[sub.dim[i]]; child_ext[sub.dim[i]] = 1; }
    }
    if (!fm->inner_to_outer) {   /* outermost loop to the outermost rank */
        int j = sub.n - 1;
        r = fm->nranks;
        while (r > inner && j >= 0) {
            unsigned rule = fm->rank[fm->nranks - r].dims;   /* rank r-1 from the inside */
            r--;
            if (rule && !(rule >> sub.dim[j] & 1u)) { nback++; continue; }   /* Sparseloop appends it as the outermost */
            rank_ext[r][sub.dim[j]] *= sub.f[j];
            anchor_at[r] = sub.at[j];
            j--;
            while (rule && j >= 0 && (rule >> sub.dim[j] & 1u) && !sm__rank_claims(fm, inner, r - 1, sub.dim[j])) { rank_ext[r][sub.dim[j]] *= sub.f[j]; j--; }
            front[nfront++] = r;
        }
        while (r > inner) { r--; anchor_at[r] = sub.n ? sub.at[0] : -1; front[nfront++] = r; }
        if (j >= 0) return sm__fail(err, SM_ERR_MAPPING, &fm->loc, "[format %s] %s: the tile has more non-trivial loops than format ranks (%d)", s->levels[l].name, ten->name, fm->nranks);
        if (nback) {   /* Sparseloop's order quirk: skipped ranks end up outermost */
            double te[SM_MAX_FORMAT_RANKS][SM_MAX_DIMS];
            int ta[SM_MAX_FORMAT_RANKS], m = inner, q;
            memcpy(te, rank_ext, sizeof te);
            memcpy(ta, anchor_at, sizeof ta);
            for (q = nfront - 1; q >= 0; q--) { memcpy(rank_ext[m], te[front[q]], sizeof te[0]); anchor_at[m] = ta[front[q]]; m++; }
            for (q = 0; q < nback; q++) { for (d = 0; d < p->ndims; d++) rank_ext[m][d] = 1; anchor_at[m] = sub.n ? sub.at[0] : -1; m++; }
        }
    } else {   /* innermost loop to the innermost free rank */
        int j = 0;
        r = inner - 1;
        while (r < fm->nranks - 1 && j < sub.n) {
            unsigned rule;
            r++;
            rule = fm->rank[fm->nranks - 1 - r].dims;
            if (rule && !(rule >> sub.dim[j] & 1u)) { anchor_at[r] = -1; continue; }   /* an empty rank */
            rank_ext[r][sub.dim[j]] *= sub.f[j];
            anchor_at[r] = sub.at[j];
            j++;
            while (rule && j < sub.n && (rule >> sub.dim[j] & 1u) && !sm__rank_claims(fm, r + 1, fm->nranks - 1, sub.dim[j])) { rank_ext[r][sub.dim[j]] *= sub.f[j]; j++; }
        }
        while (r < fm->nranks - 1) { r++; anchor_at[r] = sub.n ? sub.at[0] : -1; }
        if (j < sub.n) return sm__fail(err, SM_ERR_MAPPING, &fm->loc, "[format %s] %s: the tile has more non-trivial loops than format ranks (%d)", s->levels[l].name, ten->name, fm->nranks);
    }
    for (r = inner; r < fm->nranks; r++) {
        sm__box fb;
        sm__box_of(ten, rank_ext[r], &fb);
        lt->rk[r].fiber = fb.size;
        if (anchor_at[r] >= 0) { sm__extents(p, n, anchor_at[r], ext); sm__box_of(ten, ext, &lt->rk[r].anchor); }
    }
    return SM_OK;
}
/* ---- SAFs: where they act and how often ---- */
/* The probability that a gating/skipping SAF removes an access of its target at the level that
   keeps the target (Sparseloop's ComputeIneffectualReadImpact): the chance that the tiles of the
   conditioning tensors under one target access are all empty. The target access is one tile
   delivered to the child (the first loop above the child that moves it), or with no child one
   compute step: the spatial tile of the innermost level, a scalar without one. Spatial loops
   above it widen the condition tiles; co-iterated dims narrow them back to the target's block. */
static double sm__saf_prob(const sm_spec *s, const sm__nest *n, const unsigned *dims, int child, const sm_saf *f, int tl) {
    const sm_problem *p = &s->problem;
    int T = f->target, ti = -1, i, c, d, scalar = 0, is_spatial, locate_upper;
    double mold[SM_MAX_DIMS], cond[SM_MAX_DIMS], p_eff = 1;
    int rel[SM_MAX_LEVELS * 3 * SM_MAX_LOOPS], nrel = 0, tdim = 0;
    if (child >= 0) {   /* first loop above the child that indexes the target */
        for (i = n->first[child] - 1; i >= n->first[tl]; i--) if (dims[T] >> n->loops[i].dim & 1u) { ti = i; break; }
    } else {            /* the innermost level's spatial loops, up to one that indexes the target */
        int last = s->nlevels - 1, sp = -1;
        for (i = n->nloops - 1; i >= n->first[last] && n->loops[i].spatial; i--) { sp = i; if (dims[T] >> n->loops[i].dim & 1u) break; }
        if (sp >= 0) ti = i >= n->first[last] && n->loops[i].spatial ? i : sp;
        else {
            scalar = 1;
            for (i = n->nloops - 1; i >= 0; i--) if (!n->loops[i].spatial) { tdim = n->loops[i].dim; break; }
        }
    }
    if (ti >= 0) { sm__extents(p, n, ti, mold); tdim = n->loops[ti].dim; }
    else for (d = 0; d < p->ndims; d++) mold[d] = 1;
    is_spatial = ti >= 0 && n->loops[ti].spatial;
    for (d = 0; d < p->ndims; d++) cond[d] = mold[d];
    if (ti >= 0) rel[nrel++] = ti;
    locate_upper = !is_spatial;
    for (i = (ti >= 0 ? ti : n->nloops) - 1; i >= n->first[tl]; i--) {
        const sm__loop *u = &n->loops[i];
        int non_target = !locate_upper && !u->spatial && child >= 0 && !(dims[T] >> u->dim & 1u);
        if (u->spatial || non_target) { cond[u->dim] *= u->f; rel[nrel++] = i; }
        if (is_spatial && !u->spatial && (child < 0 || (dims[T] >> u->dim & 1u))) locate_upper = 1;
    }
    for (c = 0; c < p->ntensors; c++) {
        double cof[SM_MAX_DIMS], agg = 1, tm[SM_MAX_DIMS], cm[SM_MAX_DIMS], gran, scaling;
        unsigned co = dims[T] & dims[c];
        int seen = 0, useless = 0, k;
        sm__box tb, cb;
        if (!(f->cond >> c & 1u)) continue;
        for (d = 0; d < p->ndims; d++) { cof[d] = 1; tm[d] = mold[d]; cm[d] = cond[d]; }
        for (k = 0; !scalar && k < nrel; k++) {
            const sm__loop *u = &n->loops[rel[k]];
            if (is_spatial && seen && (dims[c] >> u->dim & 1u)) { useless = 1; break; }
            if (co >> u->dim & 1u) { cof[u->dim] *= u->f; agg *= u->f; seen = 1; }
        }
        if (useless) continue;   /* discordant traversal: the SAF cannot act (as Sparseloop) */
        sm__box_of(&p->tensors[T], mold, &tb);
        gran = tb.size;
        scaling = sm__ceil((double)(s->levels[tl].block_words ? s->levels[tl].block_words : 1) / (gran / agg));
        for (d = 0; d < p->ndims; d++)
            if (cof[d] > 1) {
                double eff = cof[d] / scaling;
                tm[d] = sm__ceil(tm[d] / eff);
                cm[d] = sm__ceil(cm[d] / eff);
                scaling /= cof[d];
            }
        if (scaling > 1) { cm[tdim] *= scaling; tm[tdim] *= scaling; }
        sm__box_of(&p->tensors[c], cm, &cb);
        p_eff *= 1 - sm__p_empty(&s->density[c], &cb);
    }
    return 1 - p_eff;
}

/* ---- spatial skipping: fewer utilized instances ---- */
/* Sparseloop's spatial-skipping analysis (InitializeSpatialInstances, CalculateSpatialOptimization
   Impact, SummarizeAndPropagateSpatialCapacityReduction), per tensor: the X/Y expansion of every
   level's instances and the average fraction of them that are busy. Index x: storage level x, or
   the compute level at x = nlevels. */
typedef struct sm__spatial {
    double mx[SM_MAX_LEVELS + 1], my[SM_MAX_LEVELS + 1];   /* max expansion (utilized instances along X, Y) */
    double avg[SM_MAX_LEVELS + 1];                         /* busy fraction */
    int reduced[SM_MAX_LEVELS + 1];
} sm__spatial;

/* The spatial loops of level u fan out to the instances of level u + 1. For each spatial loop
   over a dim of `cond`, innermost first: the first gives the chance that an instance's tile is
   empty; each gives how many of its instances can hold a non-empty tile at most. */
static void sm__spatial_loops(const sm_spec *s, const sm__nest *n, const unsigned *dims, int u, int cond, int target, int child,
                              double *ratio_busy, double *rx, double *ry) {
    const sm_problem *p = &s->problem;
    int i, innermost = 1, tl;
    *ratio_busy = 1; *rx = 1; *ry = 1;
    for (i = n->first[u + 1] - 1; i >= n->first[u]; i--) {
        const sm__loop *lp = &n->loops[i];
        double mold[SM_MAX_DIMS], fib[SM_MAX_DIMS], num;
        sm__box eb, fb;
        int j;
        if (!lp->spatial || !(dims[cond] >> lp->dim & 1u)) continue;
        sm__extents(p, n, i + 1, mold);
        if (target >= 0 && child >= 0 && ((dims[target] & dims[cond]) >> lp->dim & 1u)) {
            /* co-iterated: the target's spatial tile stays while temporal loops that do not move it run */
            for (tl = u; tl > 0 && (s->map[tl].bypass >> target & 1u); tl--) {}
            for (j = n->first[u + 1] - 1; j >= n->first[tl]; j--) {
                const sm__loop *t2 = &n->loops[j];
                if (t2->spatial) continue;
                if (dims[target] >> t2->dim & 1u) break;
                mold[t2->dim] *= t2->f;
            }
        }
        sm__box_of(&p->tensors[cond], mold, &eb);
        if (innermost) { *ratio_busy = 1 - sm__p_empty(&s->density[cond], &eb); innermost = 0; }
        memcpy(fib, mold, sizeof fib);
        fib[lp->dim] *= lp->f;
        sm__box_of(&p->tensors[cond], fib, &fb);
        num = sm__max_nonempty(&s->density[cond], &fb, &eb, lp->f);
        if (lp->spatial == 2) *rx *= num / lp->f; else *ry *= num / lp->f;
    }
}
/* ---- combining formats and SAFs (Sparseloop's storage-optimization combiner) ---- */
typedef struct sm__opt {           /* SAFs acting on one tensor at one level */
    int kind;                      /* 0 none, 1 gate, 2 skip */
    double p;                      /* probability an access is removed */
    int spatial;                   /* skip_spatial at this level */
    double spatial_p;
} sm__opt;

typedef struct sm__final {         /* one tensor at one level after the combine, per instance */
    double data[3][3];                          /* [action][class] */
    double fmt[3][3][SM_MAX_FORMAT_RANKS][2];   /* [action][class][rank][metadata, payload] */
} sm__final;

/* A SAF acting at level l itself: remove a fraction p of its reads and updates (reads of a
   read-write tensor round up, as Sparseloop) and of the format entries sent to the child. */
static void sm__saf_local(sm__final *fi, const sm__lt *lts, int l, int is_output, double p, int cls) {
    const sm__lt *lt = &lts[l];
    double dr = is_output ? sm__ceil(fi->data[SM_READ][SM_ACTUAL] * p) : sm__floor(fi->data[SM_READ][SM_ACTUAL] * p);
    double du = sm__floor(fi->data[SM_UPDATE][SM_ACTUAL] * p);
    int r, k, nr = lt->child >= 0 ? lts[lt->child].nranks : lt->nranks;
    fi->data[SM_READ][cls] += dr; fi->data[SM_READ][SM_ACTUAL] -= dr;
    fi->data[SM_UPDATE][cls] += du; fi->data[SM_UPDATE][SM_ACTUAL] -= du;
    for (r = 0; r < nr && r < lt->nranks; r++)
        for (k = 0; k < 2; k++) {
            double a = sm__floor(fi->fmt[SM_READ][SM_ACTUAL][r][k] * p), b = sm__floor(fi->fmt[SM_UPDATE][SM_ACTUAL][r][k] * p);
            fi->fmt[SM_READ][cls][r][k] += a; fi->fmt[SM_READ][SM_ACTUAL][r][k] -= a;
            fi->fmt[SM_UPDATE][cls][r][k] += b; fi->fmt[SM_UPDATE][SM_ACTUAL][r][k] -= b;
        }
}

/* Propagate the SAFs of one tensor down the hierarchy: what a SAF removes at level l never
   reaches the levels below (their accesses vanish, they are not counted as skipped), down to
   the next level with its own SAF, which then acts on what is left. Returns the fraction of the
   computes that lose this operand (0 when no SAF reaches the compute level). */
static double sm__combine(const sm_spec *s, int t, const sm__lt *lts, const sm__opt *opt, sm__final *fin, int *reaches_compute) {
    int L = s->nlevels, l, a, c, r, k, is_output = s->problem.tensors[t].is_output;
    int final_[SM_MAX_LEVELS] = {0};
    double comp_p = 0;
    *reaches_compute = 0;
    for (l = 0; l < L; l++) {   /* format elimination: a tile with metadata holds no zeros */
        sm__final *fi = &fin[l];
        const sm__lt *lt = &lts[l];
        memset(fi->data, 0, sizeof fi->data);
        if (lt->nranks) for (a = 0; a < 3; a++) for (c = 0; c < 3; c++) memset(fi->fmt[a][c], 0, sizeof fi->fmt[a][c][0] * (size_t)lt->nranks);
        for (a = 0; a < 3; a++) {
            double c = lt->alg[a];
            if (lt->nranks && (a != SM_UPDATE || is_output)) c -= sm__floor(c * (1 - lt->density));
            fi->data[a][SM_ACTUAL] = c;
            for (r = 0; r < lt->nranks; r++) for (k = 0; k < 2; k++) fi->fmt[a][SM_ACTUAL][r][k] = lt->fmt[a][r][k];
        }
    }
    for (l = 0; l < L; l++) {
        double pl;
        int imp;
        if (!opt[l].kind && !opt[l].spatial) continue;
        pl = opt[l].spatial ? opt[l].spatial_p : opt[l].p;
        for (imp = l + 1; imp < L; imp++) {
            sm__final *fi = &fin[imp];
            for (a = 0; a < 3; a++) fi->data[a][SM_ACTUAL] -= sm__floor(fi->data[a][SM_ACTUAL] * pl);
            if (lts[imp].nranks && lts[l].nranks == 1)   /* Sparseloop scales rank 0 only, and only then */
                for (a = 0; a < 2; a++) for (k = 0; k < 2; k++) fi->fmt[a][SM_ACTUAL][0][k] -= sm__floor(fi->fmt[a][SM_ACTUAL][0][k] * pl);
            if (opt[imp].kind || opt[imp].spatial) {
                double lp = opt[imp].spatial ? opt[imp].spatial_p : opt[imp].p;
                final_[imp] = 1;
                /* Sparseloop finalizes the metadata reads of such a level from its updates */
                for (r = 0; r < lts[imp].nranks; r++) for (k = 0; k < 2; k++) fi->fmt[SM_READ][SM_ACTUAL][r][k] = fi->fmt[SM_UPDATE][SM_ACTUAL][r][k];
                /* what is left of its own SAF after the upper one (never negative: a weaker local
                   SAF than the one above adds nothing) */
                if (!opt[imp].spatial) sm__saf_local(fi, lts, imp, is_output, pl < 1 ? fmax(0, 1 - (1 - lp) / (1 - pl)) : 1, opt[imp].kind == 1 ? SM_GATED : SM_SKIPPED);
                break;
            }
        }
        if (!final_[l]) {
            final_[l] = 1;
            if (!opt[l].spatial) sm__saf_local(&fin[l], lts, l, is_output, pl, opt[l].kind == 1 ? SM_GATED : SM_SKIPPED);
        }
        if (imp == L && !is_output) { comp_p = pl; *reaches_compute = 1; }
    }
    return comp_p;
}
/*=== [@skipsched.impl] WINDOWED LOOKAHEAD/LOOKASIDE SKIP SCHEDULER ============================*/
#define SM__SS_ENTRIES 256   /* cached answers per cache (then replaced round-robin) */
#define SM__SS_SHORT 64      /* streams longer than this: a 64-step stream plus steady state */

/* The configuration compiled for the inner loops: per lane, its options as absolute (step, lane). */
typedef struct sm__ssc {
    int L, D, O, R;
    unsigned char order[SM_SKIPSCHED_MAX_LANES];
    unsigned char t[SM_SKIPSCHED_MAX_LANES][SM_SKIPSCHED_MAX_OPTIONS];
    unsigned bit[SM_SKIPSCHED_MAX_LANES][SM_SKIPSCHED_MAX_OPTIONS];
    unsigned long long slot[SM_SKIPSCHED_MAX_LANES][SM_SKIPSCHED_MAX_OPTIONS];   /* the slot in a packed window */
} sm__ssc;

struct sm_skipsched_cache {
    sm_skipsched cfg;              /* the resolved configuration served (cache and loc cleared) */
    sm__ssc c;
    int exact;                     /* the exact chain applies: the buffers below are allocated */
    int built;                     /* the transition table is filled (on the first exact answer) */
    long nstates, total;           /* residual states; fresh patterns over all states */
    unsigned char *adv;            /* [nstates] steps drained in the cycle that left this residual */
    long *in_first;                /* [nstates + 1]: the transitions into each state, merged */
    unsigned *in_from;             /* [total] source state | popcount of the fresh bits << 24 */
    unsigned short *target;        /* [total] scratch: the target of each (state, fresh pattern) */
    double *in_count;              /* [total] fresh patterns giving that transition */
    double *pi;                    /* [nstates] stationary distribution (work) */
    unsigned *step;                /* lanes x depth <= 16: [2^(lanes x depth)] window -> residual | advance << 24 */
    int step_built;
    int n, slot;
    struct { double density; long stream; sm_skipsched_result r; } e[SM__SS_ENTRIES];
};

static int sm__popcount(unsigned long long x) {
    x = x - (x >> 1 & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + (x >> 2 & 0x3333333333333333ULL);
    return (int)(((x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL) * 0x0101010101010101ULL >> 56);
}
static int sm__ss_lane(int i, int off, int L) { int x = (i + off) % L; return x < 0 ? x + L : x; }

static void sm__ss_compile(const sm_skipsched *s, sm__ssc *c) {
    int i, o;
    c->L = s->lanes; c->D = s->depth; c->O = s->noptions; c->R = s->rows;
    for (i = 0; i < c->L; i++) {
        c->order[i] = (unsigned char)s->order[i];
        for (o = 0; o < c->O; o++) {
            c->t[i][o] = (unsigned char)s->option[o].time;
            c->bit[i][o] = 1u << sm__ss_lane(i, s->option[o].lane, c->L);
            c->slot[i][o] = 1ULL << (s->option[o].time * c->L + sm__ss_lane(i, s->option[o].lane, c->L));
        }
    }
}

/* The greedy cycle: lanes in level order take their first effectual option. Returns the leading
   empty steps; busy (may be NULL) counts the pairs taken. */
static int sm__ss_cycle(const sm__ssc *c, unsigned *w, int *busy) {
    int lv, o, k = 0, b = 0;
    for (lv = 0; lv < c->L; lv++) {
        int i = c->order[lv];
        for (o = 0; o < c->O; o++) {
            unsigned *row = &w[c->t[i][o]];
            if (*row & c->bit[i][o]) { *row &= ~c->bit[i][o]; b++; break; }
        }
    }
    while (k < c->D && !w[k]) k++;
    if (busy) *busy += b;
    return k;
}

/* The same cycle on a window packed into one word (step t, lane i at bit t x lanes + i). */
static int sm__ss_cycle_packed(const sm__ssc *c, unsigned long long *w) {
    unsigned long long rowmask = c->L >= 64 ? ~0ULL : (1ULL << c->L) - 1;
    int lv, o, k = 0;
    for (lv = 0; lv < c->L; lv++) {
        int i = c->order[lv];
        for (o = 0; o < c->O; o++) if (*w & c->slot[i][o]) { *w &= ~c->slot[i][o]; break; }
    }
    while (k < c->D && !(*w >> (k * c->L) & rowmask)) k++;
    return k;
}

static int sm__ss_same(const sm_skipsched *a, const sm_skipsched *b) {
    int i;
    if (a->lanes != b->lanes || a->depth != b->depth || a->noptions != b->noptions || a->norder != b->norder || a->rows != b->rows ||
        a->side != b->side || a->operand != b->operand || a->stream != b->stream || a->stream_steps != b->stream_steps ||
        a->row_concentration != b->row_concentration || a->row_period != b->row_period || a->method != b->method ||
        a->samples != b->samples || a->seed != b->seed) return 0;
    for (i = 0; i < a->noptions; i++) if (a->option[i].time != b->option[i].time || a->option[i].lane != b->option[i].lane) return 0;
    for (i = 0; i < a->norder; i++) if (a->order[i] != b->order[i]) return 0;
    return 1;
}

/* ---- random numbers (sm__rng): uniform in (0, 1) for logarithms, normal, gamma ---- */
static double sm__ss_unit(sm__rng *r) { return ((double)(sm__next(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
static double sm__ss_normal(sm__rng *r) {
    double u = sm__ss_unit(r), v = sm__ss_unit(r);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}
/* Gamma(a, 1): Marsaglia and Tsang (2000); a < 1 through Gamma(a + 1) x U^(1/a). */
static double sm__ss_gamma(sm__rng *r, double a) {
    double d, c, x, v, u;
    if (a < 1) return sm__ss_gamma(r, a + 1) * pow(sm__ss_unit(r), 1 / a);
    d = a - 1.0 / 3; c = 1 / sqrt(9 * d);
    for (;;) {
        do { x = sm__ss_normal(r); v = 1 + c * x; } while (v <= 0);
        v = v * v * v; u = sm__ss_unit(r);
        if (log(u) < 0.5 * x * x + d - d * v + d * log(v)) return d * v;
    }
}
/* A row's density: the mean, or Beta(k p, k (1 - p)) around it when rows cluster. */
static double sm__ss_row_density(sm__rng *s, double p, double k) {
    double x, y;
    if (k <= 0 || p <= 0 || p >= 1) return p;
    x = sm__ss_gamma(s, k * p); y = sm__ss_gamma(s, k * (1 - p));
    return x + y > 0 ? x / (x + y) : p;
}
/* 2^32 x density, compared with 32 random bits per lane. */
static unsigned long long sm__ss_threshold(double p) { return p >= 1 ? 4294967296ULL : p <= 0 ? 0 : (unsigned long long)(p * 4294967296.0); }
static unsigned sm__ss_fresh(sm__rng *s, int L, unsigned long long thr) {
    unsigned bits = 0;
    int i;
    if (thr == 0) return 0;
    if (thr >= 4294967296ULL) return L >= 32 ? 0xFFFFFFFFu : (1u << L) - 1;
    for (i = 0; i < L; i += 2) {
        unsigned long long r = sm__next(s);
        if ((r & 0xFFFFFFFFULL) < thr) bits |= 1u << i;
        if (i + 1 < L && (r >> 32) < thr) bits |= 1u << (i + 1);
    }
    return bits;
}

/* ---- Monte-Carlo: `rows` lock-stepped windows over random data; n = 0 continuous, else streams
   of n steps. Estimates cycles per dense step with batch means over 32 batches. ---- */
static void sm__ss_montecarlo(sm_skipsched_cache *kc, double p, long n, sm_skipsched_result *out) {
    enum { NB = 32 };
    const sm_skipsched *s = &kc->cfg;
    const sm__ssc *c = &kc->c;
    const unsigned *tab = NULL;
    unsigned long long w[SM_SKIPSCHED_MAX_ROWS], thr[SM_SKIPSCHED_MAX_ROWS];
    sm__rng rs;
    double bc[NB] = {0}, bs[NB] = {0}, cyc = 0, steps = 0, busy = 0, mean, var = 0, per_batch = (double)s->samples / NB;
    long period = s->row_period > 0 ? s->row_period : (n > 0 ? 0 : 256), pos, per, warm = n > 0 ? 0 : 8L * c->D;
    int r, j, b = 0, L = c->L, D = c->D;
    union { double d; unsigned long long u; } key;
    key.d = p;
    rs.s = (unsigned long long)s->seed ^ (key.u * 0x9E3779B97F4A7C15ULL) ^ ((unsigned long long)n * 0xD1B54A32D192ED03ULL);
    sm__next(&rs);
    if (kc->step) {   /* small windows: every cycle is one table lookup */
        if (!kc->step_built) {
            unsigned x, nx = 1u << (L * D);
            for (x = 0; x < nx; x++) {
                unsigned long long y = x;
                int k = sm__ss_cycle_packed(c, &y);
                kc->step[x] = (unsigned)y | (unsigned)k << 24;
            }
            kc->step_built = 1;
        }
        tab = kc->step;
    }
    for (r = 0; r < c->R; r++) thr[r] = sm__ss_threshold(p);
    for (;;) {   /* one stream (continuous: one endless stream) */
        for (r = 0; r < c->R; r++) {
            if (s->row_concentration > 0) thr[r] = sm__ss_threshold(sm__ss_row_density(&rs, p, s->row_concentration));
            for (w[r] = 0, j = 0; j < D && (n == 0 || j < n); j++) w[r] |= (unsigned long long)sm__ss_fresh(&rs, L, thr[r]) << (j * L);
        }
        per = 0;
        pos = 0;
        for (;;) {
            int k = D;
            long done;
            for (r = 0; r < c->R; r++) {
                int kr;
                if (tab) { unsigned y = tab[w[r]]; busy += sm__popcount(w[r]) - sm__popcount(y & 0xFFFFFFu); w[r] = y & 0xFFFFFFu; kr = (int)(y >> 24); }
                else { unsigned long long before = w[r]; kr = sm__ss_cycle_packed(c, &w[r]); busy += sm__popcount(before) - sm__popcount(w[r]); }
                if (kr < k) k = kr;
            }
            done = n > 0 && pos + k > n ? n - pos : k;   /* steps past a stream's end are not work */
            pos += k;
            if (warm > 0) warm--;
            else {
                bc[b] += 1; bs[b] += (double)done; cyc += 1; steps += (double)done;
                if (bs[b] >= per_batch && b < NB - 1) b++;
            }
            if (n > 0 ? pos >= n : steps >= (double)s->samples) break;
            per += k;
            if (period > 0 && s->row_concentration > 0 && per >= period) {   /* the rows take new densities */
                per -= period;
                for (r = 0; r < c->R; r++) thr[r] = sm__ss_threshold(sm__ss_row_density(&rs, p, s->row_concentration));
            }
            for (r = 0; r < c->R; r++) {   /* drop k steps, append the next ones */
                w[r] = k * L >= 64 ? 0 : w[r] >> (k * L);
                for (j = D - k; j < D; j++)
                    if (n == 0 || pos + j < n) w[r] |= (unsigned long long)sm__ss_fresh(&rs, L, thr[r]) << (j * L);
            }
        }
        if (n == 0 || steps >= (double)s->samples) break;
    }
    /* batch means: cycles per step in each batch */
    mean = cyc / steps;
    for (b = 0; b < NB; b++) { double x = bs[b] > 0 ? bc[b] / bs[b] - mean : 0; var += x * x; }
    out->cycles_per_step = mean;
    out->std_error = sqrt(var / (NB * (NB - 1.0)));
    out->lane_busy = busy / (cyc * L * c->R);
    out->exact = 0;
}

/* ---- exact chain for one row: the state is the residual of steps +1..+depth-1 after a cycle.
   From state y the window advances adv(y) steps and adv(y) x lanes fresh bits arrive; a transition's
   probability depends on the density only through the popcount of those bits, so the transitions
   are enumerated once per configuration, merged, and stored by target for Gauss-Seidel sweeps. ---- */
/* Sizes the table for the configuration (allocates; at cache creation). */
static sm_result sm__ss_table_alloc(sm_skipsched_cache *k, sm_error *err) {
    const sm__ssc *c = &k->c;
    int L = c->L, D = c->D;
    unsigned mask = (1u << L) - 1;
    long y;
    k->nstates = 1L << (L * (D - 1));
    k->adv = (unsigned char *)malloc((size_t)k->nstates);
    k->pi = (double *)malloc(sizeof(double) * (size_t)k->nstates);
    k->in_first = (long *)malloc(sizeof(long) * ((size_t)k->nstates + 1));
    if (!k->adv || !k->pi || !k->in_first) return sm__fail(err, SM_ERR_LIMIT, NULL, "[skipsched] out of memory");
    k->total = 0;
    for (y = 0; y < k->nstates; y++) {
        int a = 1;
        while (a < D && !((unsigned long)y >> ((a - 1) * L) & mask)) a++;
        k->adv[y] = (unsigned char)a;
        k->total += 1L << (a * L);
    }
    k->in_from = (unsigned *)malloc(sizeof(unsigned) * (size_t)k->total);
    k->target = (unsigned short *)malloc(sizeof(unsigned short) * (size_t)k->total);
    k->in_count = (double *)malloc(sizeof(double) * (size_t)k->total);
    if (!k->in_from || !k->target || !k->in_count) return sm__fail(err, SM_ERR_LIMIT, NULL, "[skipsched] out of memory");
    return SM_OK;
}

/* Fills the table (no allocation): schedule every (state, fresh pattern) once, bucket the
   transitions by target (counting sort; sources arrive in increasing order), then merge equal
   (source, popcount) pairs inside each bucket. */
static void sm__ss_table_build(sm_skipsched_cache *k) {
    const sm__ssc *c = &k->c;
    int L = c->L, D = c->D;
    unsigned mask = (1u << L) - 1;
    long y, i, at = 0, m = 0, t;
    for (y = 0; y <= k->nstates; y++) k->in_first[y] = 0;
    for (y = 0; y < k->nstates; y++) {
        int a = k->adv[y], j;
        unsigned long f, nf = 1UL << (a * L);
        for (f = 0; f < nf; f++) {
            unsigned w[SM_SKIPSCHED_MAX_DEPTH], ny = 0;
            for (j = 0; j < D; j++)
                w[j] = j + a <= D - 1 ? (unsigned)((unsigned long)y >> ((j + a - 1) * L)) & mask : (unsigned)(f >> ((j - (D - a)) * L)) & mask;
            sm__ss_cycle(c, w, NULL);
            for (j = 1; j < D; j++) ny |= w[j] << ((j - 1) * L);
            k->target[at++] = (unsigned short)ny;
            k->in_first[ny + 1]++;
        }
    }
    for (y = 0; y < k->nstates; y++) k->in_first[y + 1] += k->in_first[y];
    for (y = 0, at = 0; y < k->nstates; y++) {   /* place: in_first[t] runs along bucket t meanwhile */
        unsigned long f, nf = 1UL << (k->adv[y] * L);
        for (f = 0; f < nf; f++, at++) {
            long *pos = &k->in_first[k->target[at]];
            k->in_from[*pos] = (unsigned)y | (unsigned)sm__popcount(f) << 24;
            (*pos)++;
        }
    }
    for (y = k->nstates; y > 0; y--) k->in_first[y] = k->in_first[y - 1];   /* undo the advance */
    k->in_first[0] = 0;
    for (t = 0; t < k->nstates; t++) {   /* merge in place: same source and popcount -> one entry with a count */
        long lo = k->in_first[t], hi = k->in_first[t + 1], run = m;
        k->in_first[t] = m;
        for (i = lo; i < hi; i++) {
            long q;
            if (m > run && (k->in_from[m - 1] & 0xFFFFFF) != (k->in_from[i] & 0xFFFFFF)) run = m;   /* a new source */
            for (q = run; q < m && k->in_from[q] != k->in_from[i]; q++) {}
            if (q < m) { k->in_count[q] += 1; continue; }
            k->in_from[m] = k->in_from[i];
            k->in_count[m] = 1;
            m++;
        }
    }
    k->in_first[k->nstates] = m;
    k->built = 1;
}

/* The stationary distribution by Gauss-Seidel sweeps (highest state first: the residual drains
   toward low states), normalised per sweep; steps per cycle = E[advance]. */
static void sm__ss_exact(sm_skipsched_cache *k, double p, sm_skipsched_result *out) {
    const sm__ssc *c = &k->c;
    double pw[SM_SKIPSCHED_MAX_DEPTH + 1][SM_SKIPSCHED_EXACT_BITS + 1], ek = 0, prev = 0;
    long y, i;
    int a, m, it;
    if (!k->built) sm__ss_table_build(k);
    for (a = 1; a <= c->D; a++)
        for (m = 0; m <= a * c->L; m++) pw[a][m] = pow(p, m) * pow(1 - p, a * c->L - m);
    for (y = 0; y < k->nstates; y++) k->pi[y] = 1 / (double)k->nstates;
    for (it = 0; it < 1000000; it++) {
        double tot = 0;
        for (y = k->nstates - 1; y >= 0; y--) {
            double in = 0, self = 0;
            for (i = k->in_first[y]; i < k->in_first[y + 1]; i++) {
                long from = (long)(k->in_from[i] & 0xFFFFFF);
                double w = k->in_count[i] * pw[k->adv[from]][k->in_from[i] >> 24];
                if (from == y) self += w; else in += k->pi[from] * w;
            }
            if (self < 1) k->pi[y] = in / (1 - self);
            tot += k->pi[y];
        }
        ek = 0;
        for (y = 0; y < k->nstates; y++) { k->pi[y] /= tot; ek += k->pi[y] * k->adv[y]; }
        if (it > 2 && fabs(ek - prev) <= 1e-12 * ek) break;   /* then the error is far below any use of it */
        prev = ek;
    }
    out->cycles_per_step = 1 / ek;
    out->lane_busy = p * ek;
    out->std_error = 0;
    out->exact = 1;
}

#define SM__SS_BAD(...) sm__fail(err, SM_ERR_VALUE, s->loc.file[0] ? &s->loc : NULL, __VA_ARGS__)
SMAPI sm_result sm_skipsched_resolve(const sm_skipsched *s, sm_skipsched *o, sm_error *err) {
    int i, j, maxt = 0, seen[SM_SKIPSCHED_MAX_LANES] = {0};
    *o = *s;
    if (o->lanes == 0) o->lanes = 4;
    if (o->lanes < 1 || o->lanes > SM_SKIPSCHED_MAX_LANES) return SM__SS_BAD("[skipsched] lanes: %d (1..%d)", o->lanes, SM_SKIPSCHED_MAX_LANES);
    if (o->noptions < 0 || o->noptions > SM_SKIPSCHED_MAX_OPTIONS) return SM__SS_BAD("[skipsched] options: %d of them (at most %d)", o->noptions, SM_SKIPSCHED_MAX_OPTIONS);
    if (o->depth < 0 || o->depth > SM_SKIPSCHED_MAX_DEPTH) return SM__SS_BAD("[skipsched] depth: %d (1..%d)", o->depth, SM_SKIPSCHED_MAX_DEPTH);
    for (i = 0; i < o->noptions; i++) {   /* offsets wrap around the ring: keep them in (-lanes/2, lanes/2] */
        int off = sm__ss_lane(0, o->option[i].lane, o->lanes);
        if (o->option[i].time < 0 || o->option[i].time >= SM_SKIPSCHED_MAX_DEPTH)
            return SM__SS_BAD("[skipsched] options: option %d looks %d steps ahead (0..%d)", i + 1, o->option[i].time, SM_SKIPSCHED_MAX_DEPTH - 1);
        o->option[i].lane = 2 * off > o->lanes ? off - o->lanes : off;
        if (o->option[i].time > maxt) maxt = o->option[i].time;
        for (j = 0; j < i; j++)
            if (o->option[j].time == o->option[i].time && o->option[j].lane == o->option[i].lane)
                return SM__SS_BAD("[skipsched] options: option %d reaches the same slot as option %d (lane offsets wrap around %d lanes)", i + 1, j + 1, o->lanes);
    }
    if (o->depth == 0) o->depth = maxt + 1;
    if (maxt >= o->depth) return SM__SS_BAD("[skipsched] options: an option looks %d steps ahead, beyond a depth of %d", maxt, o->depth);
    if (o->lanes * o->depth > 64) return SM__SS_BAD("[skipsched] lanes x depth: %d x %d slots (at most 64)", o->lanes, o->depth);
    if (o->noptions == 0) {   /* lookahead only */
        o->noptions = o->depth;
        for (i = 0; i < o->depth; i++) { o->option[i].time = i; o->option[i].lane = 0; }
    }
    if (o->option[0].time != 0 || o->option[0].lane != 0)
        return SM__SS_BAD("[skipsched] options: the first option must be the dense slot 0:0 (then every step takes at most one cycle)");
    if (o->norder == 0) { o->norder = o->lanes; for (i = 0; i < o->lanes; i++) o->order[i] = i; }
    if (o->norder != o->lanes) return SM__SS_BAD("[skipsched] order: %d lanes listed, need each of the %d lanes once", o->norder, o->lanes);
    for (i = 0; i < o->lanes; i++) {
        if (o->order[i] < 0 || o->order[i] >= o->lanes || seen[o->order[i]]) return SM__SS_BAD("[skipsched] order: lane %d is out of range or listed twice", o->order[i]);
        seen[o->order[i]] = 1;
    }
    if (o->rows == 0) o->rows = 1;
    if (o->rows < 1 || o->rows > SM_SKIPSCHED_MAX_ROWS) return SM__SS_BAD("[skipsched] rows: %d (1..%d)", o->rows, SM_SKIPSCHED_MAX_ROWS);
    if (o->side == SM_SKIPSCHED_OPERAND && (o->operand < 0 || o->operand >= SM_MAX_TENSORS)) return SM__SS_BAD("[skipsched] operand: index %d", o->operand);
    if (o->stream == SM_SKIPSCHED_STREAM_FIXED && o->stream_steps < 1) return SM__SS_BAD("[skipsched] stream: streams of %ld steps (at least 1)", o->stream_steps);
    if (!(o->row_concentration >= 0) || !isfinite(o->row_concentration)) return SM__SS_BAD("[skipsched] row_concentration: %g (>= 0)", o->row_concentration);
    if (o->row_period < 0) return SM__SS_BAD("[skipsched] row_period: %ld (>= 0)", o->row_period);
    if (o->samples == 0) o->samples = 65536;
    if (o->samples < 64 || o->samples > (1L << 24)) return SM__SS_BAD("[skipsched] samples: %ld dense steps (64..16777216: the Monte-Carlo stays bounded)", o->samples);
    if (o->method == SM_SKIPSCHED_EXACT && (o->rows != 1 || o->row_concentration > 0 || o->lanes * o->depth > SM_SKIPSCHED_EXACT_BITS))
        return SM__SS_BAD("[skipsched] method: the exact chain needs one row, no clustering and lanes x depth <= %d", SM_SKIPSCHED_EXACT_BITS);
    return SM_OK;
}
#undef SM__SS_BAD

static int sm__ss_exact_applies(const sm_skipsched *r) {
    return r->method != SM_SKIPSCHED_MONTECARLO && r->rows == 1 && r->row_concentration <= 0 && r->lanes * r->depth <= SM_SKIPSCHED_EXACT_BITS;
}

SMAPI sm_result sm_skipsched_cache_create(const sm_skipsched *s, sm_skipsched_cache **out, sm_error *err) {
    sm_skipsched_cache *k;
    sm_result r;
    *out = NULL;
    if (!(k = (sm_skipsched_cache *)calloc(1, sizeof *k))) return sm__fail(err, SM_ERR_LIMIT, NULL, "skipsched: out of memory");
    if ((r = sm_skipsched_resolve(s, &k->cfg, err)) != SM_OK) { free(k); return r; }
    k->cfg.cache = NULL;
    memset(&k->cfg.loc, 0, sizeof k->cfg.loc);
    sm__ss_compile(&k->cfg, &k->c);
    if (k->cfg.lanes * k->cfg.depth <= SM_SKIPSCHED_EXACT_BITS && !(k->step = (unsigned *)malloc(sizeof(unsigned) << (k->cfg.lanes * k->cfg.depth)))) {
        sm_skipsched_cache_free(k);
        return sm__fail(err, SM_ERR_LIMIT, NULL, "[skipsched] out of memory");
    }
    if (sm__ss_exact_applies(&k->cfg)) {
        if ((r = sm__ss_table_alloc(k, err)) != SM_OK) { sm_skipsched_cache_free(k); return r; }
        k->exact = 1;
    }
    *out = k;
    return SM_OK;
}

SMAPI void sm_skipsched_cache_free(sm_skipsched_cache *k) {
    if (!k) return;
    free(k->adv); free(k->pi); free(k->in_first); free(k->in_from); free(k->target); free(k->in_count); free(k->step);
    free(k);
}

/* One answer, from the cache or computed and cached. */
static const sm_skipsched_result *sm__ss_answer(sm_skipsched_cache *k, double p, long n) {
    int i;
    sm_skipsched_result r;
    for (i = 0; i < k->n; i++) if (k->e[i].density == p && k->e[i].stream == n) return &k->e[i].r;
    memset(&r, 0, sizeof r);
    if (p <= 0 || p >= 1) {   /* no effectual pair: the window drains whole; all effectual: one step per cycle */
        double d = p <= 0 ? (double)k->c.D : 1;
        r.cycles_per_step = n > 0 ? ceil((double)n / d) / (double)n : 1 / d;
        r.lane_busy = p <= 0 ? 0 : 1;
        r.exact = 1;
    } else if (n == 0 && k->exact) sm__ss_exact(k, p, &r);
    else if (n > SM__SS_SHORT) {   /* transients at both ends last a few cycles: short stream + steady state */
        sm_skipsched_result head = *sm__ss_answer(k, p, SM__SS_SHORT), tail = *sm__ss_answer(k, p, 0);
        double c = SM__SS_SHORT * head.cycles_per_step + (double)(n - SM__SS_SHORT) * tail.cycles_per_step;
        r.cycles_per_step = c / (double)n;
        r.std_error = (SM__SS_SHORT * head.std_error + (double)(n - SM__SS_SHORT) * tail.std_error) / (double)n;
        r.lane_busy = p / r.cycles_per_step;
    } else sm__ss_montecarlo(k, p, n, &r);
    r.speedup = 1 / r.cycles_per_step;
    i = k->n < SM__SS_ENTRIES ? k->n++ : (k->slot++ % SM__SS_ENTRIES);
    k->e[i].density = p; k->e[i].stream = n; k->e[i].r = r;
    return &k->e[i].r;
}

SMAPI sm_result sm_skipsched_expect(const sm_skipsched *s, double density, long stream_steps, sm_skipsched_result *out, sm_error *err) {
    sm_skipsched r;
    sm_result rc;
    memset(out, 0, sizeof *out);
    if ((rc = sm_skipsched_resolve(s, &r, err)) != SM_OK) return rc;
    if (!s->cache) return sm__fail(err, SM_ERR_VALUE, s->loc.file[0] ? &s->loc : NULL, "[skipsched] no cache: create one with sm_skipsched_cache_create and set .cache");
    if (!sm__ss_same(&r, &s->cache->cfg)) return sm__fail(err, SM_ERR_VALUE, s->loc.file[0] ? &s->loc : NULL, "[skipsched] the cache was created for another configuration");
    if (!(density >= 0 && density <= 1)) return sm__fail(err, SM_ERR_VALUE, NULL, "[skipsched] density %g is not in [0, 1]", density);
    if (stream_steps < 0) return sm__fail(err, SM_ERR_VALUE, NULL, "[skipsched] stream of %ld steps", stream_steps);
    if (r.method == SM_SKIPSCHED_EXACT && stream_steps != 0) return sm__fail(err, SM_ERR_VALUE, s->loc.file[0] ? &s->loc : NULL, "[skipsched] method exact answers continuous streams only (stream = continuous)");
    *out = *sm__ss_answer(s->cache, density, stream_steps);
    return SM_OK;
}

SMAPI int sm_skipsched_cycle(const sm_skipsched *s, unsigned *win, int *pick) {
    int lv, o, i, k = 0;
    for (i = 0; pick && i < s->lanes; i++) pick[i] = -1;
    for (lv = 0; lv < s->lanes; lv++) {
        i = s->order[lv];
        for (o = 0; o < s->noptions; o++) {
            unsigned b = 1u << sm__ss_lane(i, s->option[o].lane, s->lanes);
            if (win[s->option[o].time] & b) { win[s->option[o].time] &= ~b; if (pick) pick[i] = o; break; }
        }
    }
    while (k < s->depth && !win[k]) k++;
    return k;
}

SMAPI long sm_skipsched_trace(const sm_skipsched *s, const unsigned *masks, int rows, long nsteps) {
    unsigned w[SM_SKIPSCHED_MAX_ROWS][SM_SKIPSCHED_MAX_DEPTH];
    long pos = 0, cycles = 0;
    int r, j, D = s->depth;
    if (rows < 1 || rows > SM_SKIPSCHED_MAX_ROWS) return -1;
    for (r = 0; r < rows; r++) for (j = 0; j < D; j++) w[r][j] = j < nsteps ? masks[(long)r * nsteps + j] : 0;
    while (pos < nsteps) {
        int k = D;
        for (r = 0; r < rows; r++) { int kr = sm_skipsched_cycle(s, w[r], NULL); if (kr < k) k = kr; }
        if (k < 1) return -1;   /* cannot happen with the dense slot first */
        cycles++;
        pos += k;
        for (r = 0; r < rows; r++) {
            for (j = 0; j + k < D; j++) w[r][j] = w[r][j + k];
            for (; j < D; j++) w[r][j] = pos + j < nsteps ? masks[(long)r * nsteps + pos + j] : 0;
        }
    }
    return cycles;
}

SMAPI sm_result sm_skipsched_skip(const sm_skip_query *q, const void *params, sm_skip_answer *out) {
    const sm_skipsched *s = (const sm_skipsched *)params;
    sm_skipsched_result res;
    double p = 1;
    long n = 0;
    int i;
    sm_result rc;
    if (!s || q->noperands < 1) return SM_ERR_VALUE;
    if (s->side == SM_SKIPSCHED_BOTH) for (i = 0; i < q->noperands; i++) p *= q->density[i];
    else if (s->side == SM_SKIPSCHED_OPERAND) { if (s->operand >= q->noperands) return SM_ERR_VALUE; p = q->density[s->operand]; }
    else for (i = 0; i < q->noperands; i++) if (q->density[i] < p) p = q->density[i];
    p = floor(p * 1e6 + 0.5) / 1e6;   /* a tensor's mean density is nnz / size: six places keep the cache small */
    if (s->stream == SM_SKIPSCHED_STREAM_FIXED) n = s->stream_steps;
    else if (s->stream == SM_SKIPSCHED_STREAM_MAPPING) n = q->stream_steps > 0 ? (long)q->stream_steps : 0;
    if ((rc = sm_skipsched_expect(s, p, n, &res, NULL)) != SM_OK) return rc;
    out->cycles = ceil(q->dense_cycles * res.cycles_per_step - 1e-9);
    if (out->cycles < 1 && q->dense_cycles > 0) out->cycles = 1;
    out->effectual = floor(q->computes * p + 0.5);
    return SM_OK;
}

/*=== [@network.impl] DISTRIBUTION AND REDUCTION NETWORKS =======================================*/
static double sm__log2ceil(double n) { return n <= 1 ? 0 : ceil(log2(n) - 1e-9); }

SMAPI double sm_net_latency(const sm_net_desc *n, double m) {
    double p = n->ports > 0 ? (double)n->ports : 1;
    switch (n->kind) {
    case SM_NET_SYSTOLIC: case SM_NET_LINEAR: return p - 1;   /* every hop of the chain, whatever m */
    case SM_NET_TEMPORAL: return m > 0 ? m : 0;
    case SM_NET_BINARY: case SM_NET_ART: case SM_NET_FAN: return sm__log2ceil(p);
    case SM_NET_MESH: return m > 0 ? m : 1;                    /* m = hops */
    case SM_NET_BUS: case SM_NET_CROSSBAR: case SM_NET_BENES: return 1;
    default: return 0;
    }
}

/* One scaled component energy / area (scale 0 -> 1). */
static double sm__ce(const sm_unit_costs *c, double pj) { return pj * (c->energy_scale > 0 ? c->energy_scale : 1); }
static double sm__ca(const sm_unit_costs *c, double um2) { return um2 * (c->area_scale > 0 ? c->area_scale : 1); }

SMAPI sm_result sm_net_parts_eval(const sm_net_desc *n, const sm_unit_costs *c, sm_net_parts *o, sm_error *err) {
    double N = n->ports > 0 ? (double)n->ports : 1, W = n->word_bits > 0 ? n->word_bits : 16, lg = sm__log2ceil(N);
    double add3_pj = c->add3_pj > 0 ? c->add3_pj : 2 * c->add_pj, add3_um2 = c->add3_um2 > 0 ? c->add3_um2 : 2 * c->add_um2;
    double wave_mux = 0, wave_reg = 0, wave_cmp = 0, wave_add = 0, wave_add3 = 0, hop = n->hop_mm > 0 ? n->hop_mm : c->hop_mm;
    memset(o, 0, sizeof *o);
    if (N > 1 << 24) return sm__fail(err, SM_ERR_LIMIT, NULL, "network %s: %.0f ports is more than 2^24", sm_net_kind_name(n->kind), N);
    o->latency = sm_net_latency(n, N);
    switch (n->kind) {
    case SM_NET_SYSTOLIC:   /* a register per hop; a word to every port is written N times */
        o->levels = N; o->reg_bits = N * W; wave_reg = N * W; o->wave_hops = N - 1;
        break;
    case SM_NET_BUS:        /* a buffer tree: N - 1 drivers per bit, all toggled by a broadcast */
        o->levels = lg; o->mux_bits = (N - 1) * W; wave_mux = (N - 1) * W; o->wave_hops = N - 1;
        break;
    case SM_NET_CROSSBAR:   /* an N:1 multiplexer per output; a word passes log2 N of its stages */
        o->levels = lg; o->mux_bits = N * (N - 1) * W; wave_mux = N * lg * W; o->wave_hops = N * (N - 1);
        break;
    case SM_NET_BENES:      /* levels x N switches of two 2:1 multiplexers per bit and two
                               configuration bits; a word passes one multiplexer per level */
        o->levels = 2 * lg + 1;
        o->mux_bits = o->levels * N * 2 * W;
        o->reg_bits = o->levels * N * 2;
        wave_mux = N * o->levels * W; o->wave_hops = N * (N - 1);
        break;
    case SM_NET_MESH:       /* per node a 5-port switch: five 4:1 multiplexers per bit and a link register */
        o->levels = N; o->mux_bits = N * 5 * 3 * W; o->reg_bits = N * W;
        wave_mux = N * 3 * W; wave_reg = N * W; o->wave_hops = N;
        break;
    case SM_NET_LINEAR:     /* a chain: N - 1 adders and a partial-sum register per PE */
        o->levels = N; o->adders = N - 1; o->reg_bits = N * W;
        wave_add = N - 1; wave_reg = N * W; o->wave_hops = N - 1;
        break;
    case SM_NET_TEMPORAL:   /* an accumulator per PE */
        o->levels = 1; o->adders = N; o->reg_bits = N * W;
        wave_add = N; wave_reg = N * W;
        break;
    case SM_NET_BINARY:       /* N - 1 adders, a pipeline register after each */
        o->levels = lg; o->adders = N - 1; o->reg_bits = (N - 1) * W;
        wave_add = N - 1; wave_reg = (N - 1) * W; o->wave_hops = N / 2 * lg;
        break;
    case SM_NET_ART:        /* N - 1 three-input adders (two children and a sibling), registered */
        o->levels = lg; o->adders3 = N - 1; o->reg_bits = (N - 1) * W;
        wave_add3 = N - 1; wave_reg = (N - 1) * W; o->wave_hops = N / 2 * lg;
        break;
    case SM_NET_FAN: {      /* the binary tree plus forwarding links. In-order numbering: adder i sits
                               at level L = trailing ones of i, N / 2^(L+1) adders per level. An adder
                               at level L >= 1 takes links from i +- 2^(l-1), l = 1..L: two tree
                               children and 2(L - 1) forwarded inputs, each delayed by a flop per
                               level it skips (L - l), and picks two with 2(L - 1) 2:1 multiplexers
                               per bit; a level-0 adder bypasses with one multiplexer per bit; one
                               log2 N-bit comparator of vector ids per adder. */
        double L, cnt, ffw = 0, mux = 0;
        o->levels = lg; o->adders = N - 1;
        for (L = 0; L < lg; L++) {
            cnt = N / pow(2, L + 1);
            ffw += cnt * L * (L - 1);
            mux += cnt * (L >= 1 ? 2 * (L - 1) : 1);
        }
        o->reg_bits = (N - 1 + ffw) * W;
        o->mux_bits = mux * W;
        o->cmp_bits = (N - 1) * (lg > 0 ? lg : 1);
        wave_add = N - 1; wave_reg = o->reg_bits; wave_mux = o->mux_bits; wave_cmp = o->cmp_bits; o->wave_hops = N / 2 * lg;
        break;
    }
    default: return sm__fail(err, SM_ERR_VALUE, NULL, "network kind %d is not known", (int)n->kind);
    }
    o->area_um2 = sm__ca(c, o->adders * c->add_um2 + o->adders3 * add3_um2 + o->reg_bits * c->reg_um2_bit +
                            o->mux_bits * c->mux_um2_bit + o->cmp_bits * c->cmp_um2_bit);
    o->wire_pj = sm__ce(c, o->wave_hops * hop * W * c->wire_pj_bit_mm);
    o->wave_pj = sm__ce(c, wave_add * c->add_pj + wave_add3 * add3_pj + wave_reg * c->reg_pj_bit +
                           wave_mux * c->mux_pj_bit + wave_cmp * c->cmp_pj_bit) + o->wire_pj;
    o->word_pj = o->wave_pj / N;
    return SM_OK;
}

/*=== [@array.impl] SPATIAL GEMM ARRAYS: FOLDS, DATAFLOWS, TIMING ===============================*/
SMAPI double sm_run_padding(double p_zero, int run_bits) {
    /* A zero run of length g before a non-zero needs floor(g / 2^b) stored zeros (each one ends a
       maximal run of 2^b - 1 zeros); with geometric runs, E = sum_j P(g >= j 2^b) = q / (1 - q). */
    double q;
    if (run_bits < 0 || run_bits > 30 || !(p_zero >= 0) || p_zero >= 1) return p_zero >= 1 ? HUGE_VAL : 0;
    q = pow(p_zero, ldexp(1, run_bits));
    return q / (1 - q);
}

/* E[ceil(X / q)], X ~ Binomial(n, p), summed over the bulk of the pmf (mode +- 12 sd). */
static double sm__binom_ceil(double n, double p, double q) {
    double mean, sd, lo, hi, k, s = 0, w = 0, lp, lq;
    if (n <= 0 || p <= 0) return 0;
    if (q <= 1) return n * p;
    if (p >= 1) return ceil(n / q - 1e-9);
    mean = n * p;
    sd = sqrt(n * p * (1 - p));
    if (sd > 8 * q) return mean / q + (q - 1) / (2 * q);   /* the remainder mod q is then uniform */
    lo = fmax(0, floor(mean - 12 * sd - 2));
    hi = fmin(n, ceil(mean + 12 * sd + 2));
    lp = log(p); lq = log1p(-p);
    for (k = lo; k <= hi; k++) {
        double pk = exp(sm__lchoose(n, k) + k * lp + (n - k) * lq);
        s += pk * ceil(k / q - 1e-9);
        w += pk;
    }
    return w > 0 ? s / w : ceil(mean / q);
}

/* Expected maximum over `count` independent values of mean mu and standard deviation sd: the
   first-order Gaussian extreme value mu + sd sqrt(2 ln count). */
static double sm__expected_max(double mu, double sd, double count) {
    return count > 1 ? mu + sd * sqrt(2 * log(count)) : mu;
}

/* The array with its defaults resolved (the spec's copy stays as written). */
static void sm__array_resolve(const sm_spec *s, sm_array *a) {
    *a = s->array;
    if (a->rows < 1) a->rows = 1;
    if (a->cols < 1) a->cols = 1;
    if (a->kind == SM_ARRAY_SYSTOLIC) {
        if (a->nshapes == 0) { a->nshapes = 1; a->shape_rows[0] = a->rows; a->shape_cols[0] = a->cols; }
        a->pes = a->shape_rows[0] * a->shape_cols[0];
        a->group = a->shape_rows[0];
        a->distribution = SM_NET_SYSTOLIC;   /* the structure of a systolic array */
        a->reduction = SM_NET_LINEAR;
    } else {
        if (a->pes < 1) a->pes = a->rows * a->cols;
        if (a->group < 1 || a->group > a->pes) a->group = a->pes;
        if (a->reduction == SM_NET_BUS) a->reduction = SM_NET_BINARY;   /* 0, not a reduction: the default */
    }
    if (a->depth <= 0) a->depth = 1;
    if (a->word_bits < 1) a->word_bits = s->problem.word_bits > 0 ? s->problem.word_bits : 16;
    if (a->acc_bits < 1) a->acc_bits = 32;
    if (a->combine < 1) a->combine = 1;
    if (a->pair_bw <= 0) a->pair_bw = a->load_bw;
    if (a->cartesian_f < 1) a->cartesian_f = 1;
    if (a->cartesian_i < 1) a->cartesian_i = 1;
    if (!a->dataflows) a->dataflows = SM_DF_A_STA | SM_DF_B_STA;
    if (!a->outer_split) a->outer_split = 7;
}

/* The networks of a flexible array: distribution and reduction within a group, the mesh between
   groups (links one group wide). A systolic array's are one chain each over all its PEs. */
static int sm__array_nets(const sm_array *a, sm_net_desc *dist, sm_net_desc *red, sm_net_desc *noc) {
    long g = a->kind == SM_ARRAY_SYSTOLIC ? a->pes : a->group;
    memset(dist, 0, sizeof *dist); memset(red, 0, sizeof *red); memset(noc, 0, sizeof *noc);
    dist->kind = a->distribution; dist->ports = g; dist->word_bits = a->word_bits;
    red->kind = a->reduction; red->ports = g; red->word_bits = a->acc_bits;
    noc->kind = a->noc; noc->ports = a->pes / a->group; noc->word_bits = a->word_bits * (int)(a->group > 4096 ? 4096 : a->group);
    return a->kind == SM_ARRAY_FLEXIBLE && a->pes / a->group > 1;   /* a network between groups */
}

static sm_result sm__array_area(const sm_spec *s, const sm_array *a, double *um2, sm_error *err) {
    sm_net_desc dn, rn, nn;
    sm_net_parts dc, rc, nc;
    const sm_unit_costs *c = &s->unit_costs;
    double P = (double)a->pes, groups = a->kind == SM_ARRAY_SYSTOLIC ? 1 : P / (double)a->group;
    sm_result r;
    int has_noc = sm__array_nets(a, &dn, &rn, &nn);
    memset(&nc, 0, sizeof nc);
    if ((r = sm_net_parts_eval(&dn, c, &dc, err)) != SM_OK || (r = sm_net_parts_eval(&rn, c, &rc, err)) != SM_OK ||
        (has_noc && (r = sm_net_parts_eval(&nn, c, &nc, err)) != SM_OK)) return r;
    /* multipliers, the stationary words they hold, one group's networks per group, the mesh */
    *um2 = sm__ca(c, P * c->mult_um2 + P * a->depth * a->word_bits * c->reg_um2_bit) +
           groups * (dc.area_um2 + rc.area_um2) + nc.area_um2 + a->controller_um2;
    return SM_OK;
}

SMAPI sm_result sm_array_area(const sm_spec *s, double *um2, sm_error *err) {
    sm_array a;
    sm__array_resolve(s, &a);
    return sm__array_area(s, &a, um2, err);
}

/* One evaluated candidate (a dataflow, a shape or a fold size). */
typedef struct sm__cand {
    double folds, load, stream, add, performed, mapped, mapped_nz, slots;
    double sram_reads, sram_writes, stream_words, noc_hops, dist_words, red_words;
    double fold_k, merge_cmp;
    long rows, cols;
} sm__cand;

static double sm__cand_cycles(const sm__cand *c) { return c->load + c->stream + c->add; }

/* Fraction of stationary values mapped (which zeros are left out). */
static double sm__mapped_fraction(const sm_array *a, double ds, double dt, double S) {
    switch (a->stationary) {
    case SM_STA_NONZERO: return ds;
    case SM_STA_USEFUL: return ds * (1 - pow(1 - dt, S));
    default: return 1;
    }
}

/* A stationary dataflow on a systolic array of R x C: K along the rows, the stationary operand's
   other dim D along the columns, S vectors streamed per fold. */
static void sm__systolic_sta(const sm_array *a, long R, long C, double D, double S, double K, double B,
                             double ds, double dt, sm__cand *o) {
    double comb = 1, Dp, fd = 1, held;
    (void)dt;
    memset(o, 0, sizeof *o);
    if (a->combine > 1 && ds > 0) comb = fmax(1, fmin(a->combine, floor(1 / ds)));   /* columns sharing a physical column */
    Dp = ceil(D / comb);
    if (comb > 1) fd = 1 - pow(1 - ds, comb);   /* a combined cell holds a value unless all its columns are zero there */
    o->rows = R; o->cols = C;
    o->folds = B * ceil(Dp / (double)C) * ceil(K / (double)R);
    o->load = o->folds * (double)R;                  /* weights shift in row by row */
    o->stream = o->folds * S;
    o->add = o->folds * ((double)C - 1 + (double)R - 1);   /* skew across the columns, drain down the rows */
    held = B * Dp * K;
    o->mapped = held;
    o->mapped_nz = comb > 1 ? held * fd : held * ds;
    o->slots = o->folds * (double)R * (double)C;
    o->performed = held * S;
    o->sram_reads = held + o->folds * S * fmin(K, (double)R);
    o->sram_writes = o->folds * S * fmin(Dp, (double)C);
    o->stream_words = o->folds * S * fmin(K, (double)R);
    o->dist_words = o->performed + held * (double)R / 2;   /* streamed hops, plus weights shifted half the rows on average */
    o->red_words = o->performed;
    o->fold_k = fmin(K, (double)R);
}

/* Output-stationary on a systolic array: outputs in place, both operands streamed K long. */
static void sm__systolic_os(long R, long C, double M, double N, double K, double B, sm__cand *o) {
    memset(o, 0, sizeof *o);
    o->rows = R; o->cols = C;
    o->folds = B * ceil(M / (double)R) * ceil(N / (double)C);
    o->stream = o->folds * K;
    o->add = o->folds * ((double)R + (double)C - 2);
    o->slots = o->folds * (double)R * (double)C;
    o->performed = B * M * N * K;
    o->sram_reads = o->folds * K * ((double)R + (double)C);
    o->sram_writes = B * M * N;
    o->stream_words = o->sram_reads;
    o->dist_words = 2 * o->performed;
    o->red_words = o->performed;
    o->fold_k = K;
}

/* A stationary dataflow on a flexible array whose folds take the stationary matrix in K-slices of
   width w: D rows (dot products) x K, S vectors streamed per fold. A row's share of one slice is
   a dot-product segment; a tree or a chain gives every segment whole groups, FAN and ART pack
   segments back to back. Slots fill fold after fold in order, so a fold holds several whole
   slices (more distinct streamed words per vector) or part of one. */
static void sm__flex_sta(const sm_array *a, double w, double D, double S, double K, double B,
                         double ds, double dt, sm__cand *o) {
    double P = (double)a->pes, g = (double)a->group, cap = P * a->depth;
    double phi = sm__mapped_fraction(a, ds, dt, S), nsl = ceil(K / w - 1e-9), wl = K - (nsl - 1) * w;
    double gam = (a->reduction == SM_NET_BINARY || a->reduction == SM_NET_LINEAR) ? g : 1;
    double seg_w = gam * sm__binom_ceil(w, phi, gam), seg_l = gam * sm__binom_ceil(wl, phi, gam);
    double slots = B * D * ((nsl - 1) * seg_w + seg_l), Z = B * D * K * phi;
    double F, fold_slots, u, sigma, bwt, tv, mu, sd, c, segs, p_seg, dl, rl;
    sm_net_desc dn, rn;
    memset(o, 0, sizeof *o);
    if (Z <= 0 || slots <= 0) return;   /* nothing to map: no fold */
    F = ceil(slots / cap - 1e-9);
    fold_slots = slots / F;
    /* distinct positions a streamed vector needs: several whole slices, some rows of one, or part
       of a single row's slice */
    u = D * seg_w < fold_slots ? fmin(K, w * ceil(fold_slots / (D * seg_w) - 1e-9)) : w * fmin(1, fold_slots / seg_w);
    o->fold_k = u;
    sigma = a->stream_skip ? dt : 1;   /* streamed words sent per position */
    bwt = a->stream_bw > 0 ? ceil(u * sigma / a->stream_bw - 1e-9) : 0;   /* cycles to send one vector's words */
    /* a multiplier holds c stationary words and does c x sigma products per streamed vector. In
       lockstep a vector takes at least a cycle and as long as the busiest multiplier; run-ahead
       PEs (async) keep their own copy of the stream and only meet at the end of the fold, so the
       fold lasts as long as the busiest PE's whole share */
    c = fmax(1, fold_slots / P);
    mu = c * sigma;
    sd = a->stream_skip ? sqrt(c * dt * (1 - dt)) : 0;
    if (a->async) tv = fmax(bwt, sm__expected_max(S * mu, sqrt(S) * sd, P) / S);
    else tv = fmax(fmax(bwt, 1), a->depth > 1 ? fmin(c, ceil(sm__expected_max(mu, sd, P) - 1e-9)) : 1);
    dn.kind = a->distribution; dn.ports = a->group; dn.word_bits = a->word_bits;
    rn.kind = a->reduction; rn.ports = a->group; rn.word_bits = a->acc_bits;
    dl = sm_net_latency(&dn, g);
    /* the drain after the last vector: a tree's levels; a chain's length, which in a flexible array
       is the dot-product segment it carries (O(m)); nothing for in-place accumulation */
    rl = a->reduction == SM_NET_TEMPORAL ? 0 : a->reduction == SM_NET_LINEAR ? fmax(0, ceil(fmin(fold_slots, seg_w) / a->depth - 1e-9) - 1)
                                         : sm_net_latency(&rn, g);
    p_seg = 1 - pow(1 - phi, w);   /* a row's slice holds a segment */
    segs = p_seg > 0 ? fold_slots * p_seg / seg_w : 0;   /* segments per fold: each drains one partial sum per vector */
    o->folds = F;
    o->load = F * (a->load_bw > 0 ? ceil(Z / F / a->load_bw - 1e-9) : 1);
    o->stream = F * ceil(S * tv - 1e-9);
    o->add = F * (dl + 1 + rl);   /* distribution, multiply, reduction drain of the last vector */
    o->mapped = Z;
    o->mapped_nz = B * D * K * ds * (a->stationary == SM_STA_USEFUL ? 1 - pow(1 - dt, S) : 1);
    o->slots = slots;   /* a flexible array frees the PEs a fold leaves empty (another GEMM may take them) */
    o->performed = Z * S * sigma;
    o->stream_words = F * S * u * sigma;
    o->sram_reads = Z + o->stream_words + fmax(0, F * S * segs - B * D * S);   /* loads, streams, partial sums read back */
    o->sram_writes = F * S * segs;
    o->dist_words = Z + o->performed;
    o->red_words = o->performed;
    {   /* a streamed word goes to the groups holding its position: the fold's rows of a slice hold
           phi x rows values at one position, spread over the groups the slice spans */
        double rows_f = fmin(D, fold_slots / seg_w);
        o->noc_hops = o->stream_words * fmax(1, fmin(rows_f * phi, ceil(rows_f * seg_w / g - 1e-9)));
    }
}

/* Only effectual pairs streamed, two operand words each, no reuse in the array. */
static void sm__flex_noreuse(const sm_array *a, double E, sm__cand *o) {
    double P = (double)a->pes, g = (double)a->group;
    sm_net_desc dn, rn;
    memset(o, 0, sizeof *o);
    dn.kind = a->distribution; dn.ports = a->group; dn.word_bits = a->word_bits;
    rn.kind = a->reduction; rn.ports = a->group; rn.word_bits = a->acc_bits;
    o->folds = 1;
    o->stream = ceil(fmax(E / P, a->pair_bw > 0 ? 2 * E / a->pair_bw : 0) - 1e-9);
    o->add = sm_net_latency(&dn, g) + 1 + (a->reduction == SM_NET_TEMPORAL ? 0 : sm_net_latency(&rn, g));
    o->slots = P * o->stream;
    o->performed = E;
    o->stream_words = 2 * E;
    o->sram_reads = 2 * E;
    o->sram_writes = E / fmax(1, fmin(g, 2));
    o->dist_words = 2 * E;
    o->red_words = E;
    o->noc_hops = 2 * E;
}

/* Outer products: column k of A times row k of B, in F x I Cartesian blocks. The GEMM is split
   over the blocks along M, N and K (a power-of-two grid); splitting K leaves partial outputs that
   are sent to their owner (BANKS) or merged as sorted lists (MERGE). */
static void sm__flex_outer(const sm_array *a, double M, double N, double K, double B, double dA, double dB, sm__cand *o) {
    double Fb = (double)a->cartesian_f, Ib = (double)a->cartesian_i, blocks = floor((double)a->pes / (Fb * Ib));
    double E = B * M * N * K * dA * dB, best = HUGE_VAL, gm, gn;
    memset(o, 0, sizeof *o);
    if (blocks < 1) blocks = 1;
    for (gm = 1; gm <= blocks; gm *= 2)
        for (gn = 1; gm * gn <= blocks; gn *= 2) {
            double gk = fmin(floor(blocks / (gm * gn)), K), rows, cols, ks, mul, acc = 0, merge = 0, t, tile_nz;
            if (!(a->outer_split & 4u)) gk = 1;   /* blocks beyond gm x gn x gk stay idle */
            if ((gm > 1 && (!(a->outer_split & 1u) || gm >= 2 * M)) || (gn > 1 && (!(a->outer_split & 2u) || gn >= 2 * N))) continue;
            rows = ceil(M / gm); cols = ceil(N / gn); ks = ceil(K / gk);
            mul = B * ks * sm__binom_ceil(rows, dA, Fb) * sm__binom_ceil(cols, dB, Ib);
            /* both operands are read once, at pair_bw (a split dim's fibers are multicast) */
            if (a->pair_bw > 0) mul = fmax(mul, B * (M * K * dA + K * N * dB) / a->pair_bw);
            tile_nz = rows * cols * (1 - pow(1 - dA * dB, ks));   /* non-zero partial outputs of one block */
            if (a->accumulate == SM_ACC_MERGE) {
                /* every product joins a sorted list per output row; a row merges its K dA lists */
                merge = E * log2(fmax(2, K * dA)) / (blocks * Fb * Ib);
            } else if (gk > 1) acc = B * tile_nz / (a->acc_bw > 0 ? a->acc_bw : HUGE_VAL);
            t = mul + acc + merge;
            if (t < best) {
                best = t;
                o->stream = ceil(mul - 1e-9);
                o->add = ceil(acc + merge - 1e-9);
                o->merge_cmp = a->accumulate == SM_ACC_MERGE ? E * log2(fmax(2, K * dA)) : 0;
                o->sram_writes = B * tile_nz * gm * gn * gk;
                o->fold_k = ks;
                o->rows = (long)gm; o->cols = (long)gn;
            }
        }
    o->folds = 1;
    o->slots = (double)a->pes * o->stream;
    o->performed = E;
    o->stream_words = B * (M * K * dA + K * N * dB);
    o->sram_reads = o->stream_words;
    o->dist_words = E * (1 / Fb + 1 / Ib);
    o->red_words = E;
    o->noc_hops = o->stream_words;
}

SMAPI sm_result sm_gemm_of_spec(const sm_spec *s, sm_gemm *g, sm_error *err) {
    const sm_problem *p = &s->problem;
    unsigned in[3] = {0, 0, 0};
    int t, r, d;
    memset(g, 0, sizeof *g);
    if (p->ntensors != 3) return sm__fail(err, SM_ERR_UNSUPPORTED, &p->einsum_loc, "[problem] einsum: the array model needs two operands and an output (Z[m,n] += A[m,k] * B[k,n]), got %d tensors", p->ntensors);
    for (t = 0; t < 3; t++)
        for (r = 0; r < p->tensors[t].nranks; r++) {
            const sm_rank *rk = &p->tensors[t].ranks[r];
            if (rk->nterms != 1 || rk->terms[0].coef != 1)
                return sm__fail(err, SM_ERR_UNSUPPORTED, &p->einsum_loc, "[problem] einsum: the array model needs every index of %s to be a single dim", p->tensors[t].name);
            in[t] |= 1u << rk->terms[0].dim;
        }
    g->m = g->n = g->k = g->batch = 1;
    for (d = 0; d < p->ndims; d++) {
        unsigned b = 1u << d;
        double v = (double)p->bounds[d];
        int ia = (in[0] & b) != 0, ib = (in[1] & b) != 0, iz = (in[2] & b) != 0;
        if (ia && ib && iz) g->batch *= v;
        else if (ia && ib) g->k *= v;
        else if (ia && iz) g->m *= v;
        else if (ib && iz) g->n *= v;
        else return sm__fail(err, SM_ERR_UNSUPPORTED, &p->einsum_loc, "[problem] einsum: dim %s is not an M, N, K or batch dim of a GEMM", p->dims[d]);
    }
    g->density_a = sm__mean_density(&s->density[0]);
    g->density_b = sm__mean_density(&s->density[1]);
    return SM_OK;
}

SMAPI sm_result sm_array_eval_gemm(const sm_spec *s, const sm_gemm *g, sm_array_stats *o, sm_error *err) {
    sm_array a;
    sm__cand best, c;
    double B = g->batch > 0 ? g->batch : 1, E, bestt = HUGE_VAL, clock = s->clock_ghz > 0 ? s->clock_ghz : 1;
    unsigned bestdf = 0;
    int i, has_noc;
    sm_net_desc dn, rn, nn;
    sm_net_parts dc, rc, nc;
    sm_result r;
    memset(o, 0, sizeof *o);
    memset(&best, 0, sizeof best);
    if (s->array.kind == SM_ARRAY_NONE) return sm__fail(err, SM_ERR_VALUE, NULL, "%s: no [array] section", s->path);
    if (!(g->m >= 1 && g->n >= 1 && g->k >= 1) || !(g->density_a >= 0 && g->density_a <= 1 && g->density_b >= 0 && g->density_b <= 1))
        return sm__fail(err, SM_ERR_VALUE, &s->array.loc, "[array] GEMM %gx%gx%g with densities %g, %g is out of range", g->m, g->n, g->k, g->density_a, g->density_b);
    sm__array_resolve(s, &a);
    E = B * g->m * g->n * g->k * g->density_a * g->density_b;
    for (i = 0; i < 5; i++) {
        unsigned df = 1u << i;
        int sh;
        if (!(a.dataflows & df)) continue;
        if (a.kind == SM_ARRAY_SYSTOLIC) {
            if (df == SM_DF_NO_REUSE || df == SM_DF_OUTER)
                return sm__fail(err, SM_ERR_UNSUPPORTED, &a.loc, "[array] dataflows: a systolic array cannot run %s", df == SM_DF_OUTER ? "outer" : "no_reuse");
            for (sh = 0; sh < a.nshapes; sh++) {
                long R = a.shape_rows[sh], C = a.shape_cols[sh];
                if (df == SM_DF_A_STA) sm__systolic_sta(&a, R, C, g->m, g->n, g->k, B, g->density_a, g->density_b, &c);
                else if (df == SM_DF_B_STA) sm__systolic_sta(&a, R, C, g->n, g->m, g->k, B, g->density_b, g->density_a, &c);
                else sm__systolic_os(R, C, g->m, g->n, g->k, B, &c);
                if (sm__cand_cycles(&c) < bestt) { bestt = sm__cand_cycles(&c); best = c; bestdf = df; }
            }
        } else {
            if (df == SM_DF_OUT_STA) return sm__fail(err, SM_ERR_UNSUPPORTED, &a.loc, "[array] dataflows: out_sta is a systolic dataflow (a flexible array with temporal reduction keeps outputs in place under a_sta/b_sta)");
            if (df == SM_DF_A_STA || df == SM_DF_B_STA) {
                double D = df == SM_DF_A_STA ? g->m : g->n, S = df == SM_DF_A_STA ? g->n : g->m;
                double ds = df == SM_DF_A_STA ? g->density_a : g->density_b, dt = df == SM_DF_A_STA ? g->density_b : g->density_a, w;
                /* the K-slice width: K (rows whole, the paper's left-right walk), then powers of two
                   down to 1. Where cycles tie (streaming not bandwidth-bound), the slice that moves
                   the fewest words (streamed words and partial sums) wins: the energy-better mapping */
                for (w = g->k;; w = w > 1 ? pow(2, ceil(log2(w)) - 1) : 0) {
                    double t;
                    if (w < 1) break;
                    sm__flex_sta(&a, w, D, S, g->k, B, ds, dt, &c);
                    if (c.folds <= 0) continue;
                    t = sm__cand_cycles(&c);
                    if (t < bestt * (1 - 1e-12) || (t <= bestt * (1 + 1e-12) && bestdf == df &&
                                                     c.stream_words + c.sram_writes < best.stream_words + best.sram_writes)) {
                        bestt = t; best = c; bestdf = df;
                    }
                }
            } else if (df == SM_DF_NO_REUSE) {
                sm__flex_noreuse(&a, E, &c);
                if (sm__cand_cycles(&c) < bestt) { bestt = sm__cand_cycles(&c); best = c; bestdf = df; }
            } else {
                sm__flex_outer(&a, g->m, g->n, g->k, B, g->density_a, g->density_b, &c);
                if (sm__cand_cycles(&c) < bestt) { bestt = sm__cand_cycles(&c); best = c; bestdf = df; }
            }
        }
    }
    if (!bestdf) {   /* nothing to map: an all-zero operand under compaction */
        best.folds = 0; bestdf = a.dataflows & (unsigned)-(int)a.dataflows; bestt = 0;
    }
    o->dataflow = bestdf;
    o->rows = best.rows; o->cols = best.cols;
    o->fold_k = best.fold_k;
    o->folds = best.folds;
    o->load_cycles = best.load; o->stream_cycles = best.stream; o->add_cycles = best.add;
    o->cycles = bestt;
    o->computes = B * g->m * g->n * g->k;
    o->effectual = E;
    o->performed = best.performed;
    o->mapped = best.mapped;
    o->mapped_nonzero = best.mapped_nz;
    o->stationary_utilization = best.slots > 0 && best.mapped > 0 ? best.mapped_nz / best.slots : 0;
    o->compute_efficiency = best.stream > 0 ? E / (double)a.pes / best.stream : 0;
    o->overall_efficiency = o->cycles > 0 ? E / (double)a.pes / o->cycles : 0;
    o->sram_reads = best.sram_reads; o->sram_writes = best.sram_writes;
    o->time_s = o->cycles / (clock * 1e9);
    /* energy: every action x its component cost */
    has_noc = sm__array_nets(&a, &dn, &rn, &nn);
    memset(&nc, 0, sizeof nc);
    if ((r = sm_net_parts_eval(&dn, &s->unit_costs, &dc, err)) != SM_OK || (r = sm_net_parts_eval(&rn, &s->unit_costs, &rc, err)) != SM_OK ||
        (has_noc && (r = sm_net_parts_eval(&nn, &s->unit_costs, &nc, err)) != SM_OK)) return r;
    o->mult_pj = sm__ce(&s->unit_costs, best.performed * s->unit_costs.mult_pj);
    o->dist_pj = best.dist_words * dc.word_pj;
    o->reduce_pj = best.red_words * rc.word_pj + sm__ce(&s->unit_costs, best.merge_cmp * s->unit_costs.cmp_pj_bit * a.acc_bits);
    o->noc_pj = has_noc ? best.noc_hops * nc.word_pj / (double)(a.group > 4096 ? 4096 : a.group) : 0;   /* a mesh word is one group wide */
    o->sram_pj = sm__ce(&s->unit_costs, best.sram_reads * s->unit_costs.sram_read_pj + best.sram_writes * s->unit_costs.sram_write_pj);
    o->model_energy_pj = o->mult_pj + o->dist_pj + o->reduce_pj + o->noc_pj + o->sram_pj;
    o->energy_pj = a.power_w > 0 ? a.power_w * o->time_s * 1e12 : o->model_energy_pj;
    if ((r = sm__array_area(s, &a, &o->model_area_um2, err)) != SM_OK) return r;
    o->area_um2 = a.area_mm2 > 0 ? a.area_mm2 * 1e6 : o->model_area_um2;
    return SM_OK;
}

SMAPI sm_result sm_array_eval(const sm_spec *s, sm_array_stats *o, sm_error *err) {
    sm_gemm g;
    sm_result r;
    memset(o, 0, sizeof *o);
    if ((r = sm_gemm_of_spec(s, &g, err)) != SM_OK) return r;
    return sm_array_eval_gemm(s, &g, o, err);
}

/*=== [@opskip.impl] OUTER-PRODUCT BLOCK SKIPPING, STRUCTURED N:M COMPUTE, ACCUMULATION BUFFER ===*/
/* Binomial(n, p) pmf, each k with P > 0 once, walking out from the mode. */
static void sm__binomial(double n, double p, sm__occ_fn fn, void *ctx) {
    double mode, pm, pr, k;
    if (p <= 0 || n <= 0) { fn(0, 1, ctx); return; }
    if (p >= 1) { fn(n, 1, ctx); return; }
    mode = floor((n + 1) * p);
    if (mode > n) mode = n;
    pm = exp(sm__lchoose(n, mode) + mode * log(p) + (n - mode) * log1p(-p));
    fn(mode, pm, ctx);
    for (k = mode, pr = pm; k < n;) { pr *= (n - k) / (k + 1) * p / (1 - p); k++; if (pr < 1e-17 * pm) break; fn(k, pr, ctx); }
    for (k = mode, pr = pm; k > 0;) { pr *= k / (n - k + 1) * (1 - p) / p; k--; if (pr < 1e-17 * pm) break; fn(k, pr, ctx); }
}

/* Ranks of the tensor a density model describes (the parser fills extent[] for every rank). */
static int sm__density_nranks(const sm_density *d) {
    int r = 0;
    while (r < SM_MAX_RANKS && d->extent[r] > 0) r++;
    return r;
}

/* Every occupancy of a fiber (len elements along `rank`, clipped to the tensor) with its
   probability. N:M: exact along its rank (aligned blocks plus a window of one block), binomial
   across it (each element in its own block); the other models through sm__occupancies. */
static void sm__fiber_occ(const sm_density *d, int rank, double len, sm__occ_fn fn, void *ctx) {
    sm__box b;
    int r, nr = sm__density_nranks(d);
    if (d->kind == SM_DENSITY_DENSE || nr == 0 || rank < 0 || rank >= nr) { fn(len, 1, ctx); return; }
    if (len > d->extent[rank]) len = d->extent[rank];   /* beyond the tensor: padding zeros */
    if (d->kind == SM_DENSITY_NM) {
        double full, rest, k;
        if (rank != d->rank) { sm__binomial(len, (double)d->n / d->m, fn, ctx); return; }
        full = floor(len / d->m);
        rest = len - full * d->m;
        if (rest == 0) { fn(full * d->n, 1, ctx); return; }
        for (k = 0; k <= d->n && k <= rest; k++) {
            double pk = sm__hyper(k, d->n, rest, d->m);
            if (pk > 0) fn(full * d->n + k, pk, ctx);
        }
        return;
    }
    b.nranks = nr;
    for (r = 0; r < nr; r++) b.e[r] = 1;
    b.e[rank] = len;
    b.size = len;
    sm__occupancies(d, &b, fn, ctx);
}

typedef struct sm__fiber_ctx { double g, ceil_mean, p0, mean, total; } sm__fiber_ctx;
static void sm__fiber_fn(double k, double p, void *vctx) {
    sm__fiber_ctx *c = (sm__fiber_ctx *)vctx;
    c->ceil_mean += p * ceil(k / c->g - 1e-9);
    c->mean += p * k;
    c->total += p;
    if (k == 0) c->p0 += p;
}

SMAPI void sm_fiber_expect(const sm_density *d, int rank, double len, double g, double *ceil_mean, double *p_empty, double *mean) {
    sm__fiber_ctx c;
    memset(&c, 0, sizeof c);
    c.g = g > 0 ? g : 1;
    sm__fiber_occ(d, rank, len, sm__fiber_fn, &c);
    if (c.total <= 0) c.total = 1;   /* position-averaged models sum to one already */
    if (ceil_mean) *ceil_mean = c.ceil_mean / c.total;
    if (p_empty) *p_empty = c.p0 / c.total;
    if (mean) *mean = c.mean / c.total;
}

SMAPI double sm_box_p_empty(const sm_density *d, int nranks, const double *e) {
    sm__box b;
    int r, nr = sm__density_nranks(d);
    if (d->kind == SM_DENSITY_DENSE || nr == 0) return 0;
    if (nranks > nr) nranks = nr;
    b.nranks = nr;
    b.size = 1;
    for (r = 0; r < nr; r++) {
        b.e[r] = r < nranks && e[r] > 1 ? fmin(e[r], d->extent[r]) : 1;
        b.size *= b.e[r];
    }
    return sm__p_empty(d, &b);
}

static double sm__fiber_tile_p_empty(const sm_density *d, int rank, int krank, double fiber, double tk) {
    double e[SM_MAX_RANKS];
    int r;
    for (r = 0; r < SM_MAX_RANKS; r++) e[r] = 1;
    if (rank >= 0 && rank < SM_MAX_RANKS) e[rank] = fiber;
    if (krank >= 0 && krank < SM_MAX_RANKS) e[krank] = tk;
    return sm_box_p_empty(d, SM_MAX_RANKS, e);
}

SMAPI double sm_series_density(const sm_series *s) {
    double v = 0;
    int i;
    if (!s || s->nterms <= 0) return 1;
    for (i = 0; i < s->nterms && i < SM_MAX_SERIES; i++) v += s->m[i] > 0 ? (double)s->n[i] / s->m[i] : 0;
    return v;
}

static void sm__opskip_defaults(const sm_opskip *o, double *f, double *g, double *tk) {
    f[0] = o->fiber[0] > 0 ? o->fiber[0] : 32;
    f[1] = o->fiber[1] > 0 ? o->fiber[1] : 32;
    g[0] = o->granule[0] > 0 ? o->granule[0] : 8;
    g[1] = o->granule[1] > 0 ? o->granule[1] : 16;
    *tk = o->tile_k > 0 ? o->tile_k : 16;
}

SMAPI sm_result sm_opskip_expect(const sm_skip_desc *desc, const sm_density *d0, const sm_density *d1, sm_opskip_stats *out, sm_error *err) {
    const sm_opskip *o = &desc->outer;
    const sm_density *dd[2];
    double f[2], g[2], tk;
    int a, first, last;
    memset(out, 0, sizeof *out);
    sm__opskip_defaults(o, f, g, &tk);
    if (o->side0 < 0 || o->side0 > 1) return sm__fail(err, SM_ERR_VALUE, &desc->loc, "[skip] side0 must be operand 0 or 1");
    dd[0] = d0; dd[1] = d1;
    first = last = o->side0;
    if (o->auto_side) { first = 0; last = 1; }
    for (a = first; a <= last; a++) {   /* a: the operand on side 0 */
        sm_opskip_stats st;
        int t[2], s;
        t[0] = a; t[1] = 1 - a;
        memset(&st, 0, sizeof st);
        st.side0 = a;
        st.p_fibers = st.p_tiles = 1;
        st.steps = 1;
        for (s = 0; s < 2; s++) {
            double pt = sm__fiber_tile_p_empty(dd[t[s]], desc->rank[t[s]], desc->krank[t[s]], f[s], tk);
            sm_fiber_expect(dd[t[s]], desc->rank[t[s]], f[s], g[s], &st.ceil_mean[s], &st.p_empty[s], &st.nnz[s]);
            st.steps *= st.ceil_mean[s];
            st.p_fibers *= 1 - st.p_empty[s];
            st.p_tiles *= 1 - pt;
        }
        st.dense_steps = ceil(f[0] / g[0] - 1e-9) * ceil(f[1] / g[1] - 1e-9);
        st.products = st.nnz[0] * st.nnz[1];
        st.dense_products = f[0] * f[1];
        st.cycles = st.steps + o->set_cycles * st.p_fibers + o->fixed_cycles * st.p_tiles;
        if (a == first || st.cycles < out->cycles - 1e-12) *out = st;
    }
    return SM_OK;
}

SMAPI unsigned sm_opskip_mask(const sm_opskip *o, double nnz0, double nnz1) {
    double f[2], g[2], tk, a, b;
    double na, nb, per_row;
    unsigned mask = 0;
    sm__opskip_defaults(o, f, g, &tk);
    na = ceil(fmin(nnz0, f[0]) / g[0] - 1e-9);
    nb = ceil(fmin(nnz1, f[1]) / g[1] - 1e-9);
    per_row = ceil(f[1] / g[1] - 1e-9);
    for (a = 0; a < na; a++)
        for (b = 0; b < nb; b++) {
            double bit = a * per_row + b;
            if (bit < 32) mask |= 1u << (unsigned)bit;
        }
    return mask;
}

/* Expected kept non-zeros per element when a structured series (N_i:M_i terms, nested M: each
   M_i a multiple of the one before) approximates the operand along its reduction rank: term 1
   keeps min(X, N_1) of the X non-zeros of each M_1-block (X from the density model along that
   rank); term i keeps min(R_i, N_i) of the residual R_i of its M_i-block, the sum of the
   residuals of its M_i / M_(i-1) sub-blocks (independent blocks: exact for i.i.d. non-zeros).
   Which values are kept does not change how many. An empty series keeps everything. */
#define SM__BLK 257
typedef struct sm__hist_ctx { double *h; } sm__hist_ctx;
static void sm__hist_fn(double k, double p, void *vctx) {
    sm__hist_ctx *c = (sm__hist_ctx *)vctx;
    int i = (int)(k + 0.5);
    if (i >= 0 && i < SM__BLK) c->h[i] += p;
}
/* Run the series on dist (the distribution of non-zeros of an M_1-block, indexed by count; it is
   overwritten); kept_term[i] (optional) = non-zeros per element term i keeps. Returns the sum. */
static double sm__series_run(double *dist, const sm_series *s, double *kept_term) {
    double tmp[SM__BLK], res[SM__BLK], kept = 0;
    int i, k, j, top = s->m[0], mprev = 0;
    memset(res, 0, sizeof res);
    for (i = 0; i < s->nterms && i < SM_MAX_SERIES; i++) {
        double e = 0;
        if (s->m[i] < 1 || s->m[i] >= SM__BLK) break;
        if (i > 0) {   /* the residuals of m[i] / m[i-1] sub-blocks add up */
            int c = s->m[i] / mprev, t;
            if (c < 1 || c * mprev != s->m[i]) break;
            memcpy(tmp, res, sizeof res);
            memcpy(dist, res, sizeof res);
            for (t = 1; t < c; t++) {
                double acc[SM__BLK];
                memset(acc, 0, sizeof acc);
                for (k = 0; k < SM__BLK; k++) if (dist[k] > 0) for (j = 0; j + k < SM__BLK; j++) if (tmp[j] > 0) acc[j + k] += dist[k] * tmp[j];
                memcpy(dist, acc, sizeof acc);
            }
            top = s->m[i];
        }
        memset(res, 0, sizeof res);
        for (k = 0; k <= top && k < SM__BLK; k++) {
            int kk = k < s->n[i] ? k : s->n[i];
            e += dist[k] * kk;
            res[k - kk] += dist[k];
        }
        if (kept_term) kept_term[i] = e / s->m[i];
        kept += e / s->m[i];
        mprev = s->m[i];
    }
    return kept;
}
static double sm__series_kept_ex(const sm_density *d, int krank, const sm_series *s, double *kept_term) {
    double dist[SM__BLK], tot = 0;
    sm__hist_ctx hc;
    int k;
    if (!s || s->nterms <= 0) return sm__mean_density(d);
    if (s->m[0] < 1 || s->m[0] >= SM__BLK) return fmin(sm__mean_density(d), sm_series_density(s));
    memset(dist, 0, sizeof dist);
    hc.h = dist;
    sm__fiber_occ(d, krank, s->m[0], sm__hist_fn, &hc);
    for (k = 0; k < SM__BLK; k++) tot += dist[k];
    if (tot > 0) for (k = 0; k < SM__BLK; k++) dist[k] /= tot;
    return sm__series_run(dist, s, kept_term);
}
static double sm__series_kept(const sm_density *d, int krank, const sm_series *s) { return sm__series_kept_ex(d, krank, s, NULL); }

SMAPI sm_result sm_skip_outer_product(const sm_skip_query *q, const void *params, sm_skip_answer *out) {
    const sm_skip_desc *desc = (const sm_skip_desc *)params;
    sm_opskip_stats st;
    sm_result r;
    if (q->noperands != 2) return SM_ERR_UNSUPPORTED;
    if ((r = sm_opskip_expect(desc, q->model[0], q->model[1], &st, NULL)) != SM_OK) return r;
    out->cycles = ceil(q->dense_cycles * st.cycles / st.dense_steps - 1e-9);
    out->effectual = floor(q->computes * st.products / st.dense_products + 1e-9);
    return SM_OK;
}

SMAPI sm_result sm_skip_structured(const sm_skip_query *q, const void *params, sm_skip_answer *out) {
    const sm_skip_desc *desc = (const sm_skip_desc *)params;
    double rho = sm_series_density(&desc->series), kept, other = 1;
    int i;
    if (desc->op < 0 || desc->op >= q->noperands) return SM_ERR_VALUE;
    kept = sm__series_kept(q->model[desc->op], desc->krank[desc->op], &desc->series);
    for (i = 0; i < q->noperands; i++) if (i != desc->op) other *= q->density[i];
    out->cycles = ceil(q->dense_cycles * rho - 1e-9);
    out->effectual = floor(q->computes * kept * other + 1e-9);
    return SM_OK;
}

/* Uniform in [0, 1) from the header's one generator (sm__rng): the bounded Monte-Carlo estimates. */
static double sm__rand01(sm__rng *r) { return (double)(sm__next(r) >> 11) / 9007199254740992.0; }

SMAPI double sm_accbuf_cycles(double products, double banks, double ports, double window, int trials) {
    enum { MAXB = 4096 };
    unsigned load[MAXB];
    sm__rng seed = { 0x9E3779B97F4A7C15ULL };
    double total = 0, floor_cyc;
    int t, nb;
    if (ports <= 0) ports = 1;
    if (products <= 0) return 0;
    if (banks < 1) return products / ports;    /* conflict-free: ports in total */
    if (window < 1) window = 1;
    if (trials < 1) trials = 256;
    nb = banks > MAXB ? MAXB : (int)banks;
    floor_cyc = products / (nb * ports);
    for (t = 0; t < trials; t++) {
        double balls = products * window, mx = 0, i;
        double whole = floor(balls);
        if (sm__rand01(&seed) < balls - whole) whole += 1;
        memset(load, 0, sizeof(unsigned) * (size_t)nb);
        for (i = 0; i < whole; i++) {
            int b = (int)(sm__rand01(&seed) * nb);
            if (b >= nb) b = nb - 1;
            if (++load[b] > mx) mx = load[b];
        }
        total += ceil(mx / ports - 1e-9) / window;
    }
    total /= trials;
    return total > floor_cyc ? total : floor_cyc;
}

/*=== [@im2col.impl] CONVOLUTION LOWERING =========================================================*/
SMAPI void sm_conv_out(const sm_conv *cv, double *p, double *q) {
    double st = cv->stride > 0 ? cv->stride : 1;
    *p = floor((cv->h + 2 * cv->pad - cv->r) / st) + 1;
    *q = floor((cv->w + 2 * cv->pad - cv->s) / st) + 1;
}

SMAPI void sm_conv_gemm(const sm_conv *cv, double *m, double *k) {
    double p, q;
    sm_conv_out(cv, &p, &q);
    *m = (cv->n > 0 ? cv->n : 1) * p * q;
    *k = cv->c * cv->r * cv->s;
}

SMAPI void sm_im2col_count(const sm_conv *cv, sm_im2col_kind kind, double density, const sm_im2col_costs *costs, sm_im2col_ops *out) {
    double m, k, mk, input = (cv->n > 0 ? cv->n : 1) * cv->c * cv->h * cv->w, d = density;
    double cs = costs && costs->stream > 0 ? costs->stream : 1, cb = costs && costs->bitop > 0 ? costs->bitop : 1;
    double cd = costs && costs->dependent > 0 ? costs->dependent : 4;
    sm_conv_gemm(cv, &m, &k);
    mk = m * k;
    memset(out, 0, sizeof *out);
    switch (kind) {
    case SM_IM2COL_EXPLICIT: out->streamed = 2 * mk; break;   /* read an input element, write a lowered one */
    case SM_IM2COL_BITMAP:
        out->streamed = input + 2 * d * mk;                     /* encode the input; copy each lowered non-zero */
        out->bitops = ceil(input / 32) + 4 * ceil(m / 32) * k;  /* bitmap words; mask, shift, popcount, accumulate per lowered word */
        break;
    case SM_IM2COL_CSR: {
        double p, q;
        sm_conv_out(cv, &p, &q);
        out->streamed = input + 2 * d * input + 2 * d * mk;     /* encode (values, indices); copy each lowered non-zero */
        out->dependent = 2 * d * mk                             /* row pointer and column index per lowered non-zero */
                       + m * cv->c * cv->r * log2(1 + d * cv->w);   /* locate each window's non-zeros in its row (binary search) */
        break;
    }
    default: break;                                             /* none / implicit: folded into the GEMM's loads */
    }
    out->time = out->streamed * cs + out->bitops * cb + out->dependent * cd;
}

/*=== [@gpu.impl] TILED KERNELS ON A GPU-LIKE HIERARCHY ============================================*/
/* A GEMM-like einsum: two operands of two ranks and an output of two ranks, one reduction dim.
   Per operand t: rank[t] is indexed by its output dim (its fiber), krank[t] by the reduction. */
static sm_result sm__gemm_shape(const sm_problem *p, int *dm, int *dn, int *dk, int *rank, int *krank, const sm_loc *where, const char *who, sm_error *err) {
    const sm_tensor *z = &p->tensors[p->ntensors - 1];
    int t, r, od[2] = { -1, -1 }, k = -1;
    unsigned outdims = 0;
    if (p->ntensors != 3 || z->nranks != 2)
        return sm__fail(err, SM_ERR_UNSUPPORTED, where, "%s needs a GEMM-like einsum (Z[m,n] += A[m,k] * B[k,n]: two operands and an output of two ranks)", who);
    for (r = 0; r < 2; r++) {
        if (z->ranks[r].nterms != 1 || z->ranks[r].terms[0].coef != 1)
            return sm__fail(err, SM_ERR_UNSUPPORTED, where, "%s needs a GEMM-like einsum (plain dims in the output)", who);
        outdims |= 1u << z->ranks[r].terms[0].dim;
    }
    for (t = 0; t < 2; t++) {
        const sm_tensor *x = &p->tensors[t];
        rank[t] = krank[t] = -1;
        if (x->nranks != 2) return sm__fail(err, SM_ERR_UNSUPPORTED, where, "%s needs a GEMM-like einsum (%s has %d ranks, not 2)", who, x->name, x->nranks);
        for (r = 0; r < 2; r++) {
            int d;
            if (x->ranks[r].nterms != 1 || x->ranks[r].terms[0].coef != 1)
                return sm__fail(err, SM_ERR_UNSUPPORTED, where, "%s needs a GEMM-like einsum (plain dims in %s)", who, x->name);
            d = x->ranks[r].terms[0].dim;
            if (outdims >> d & 1u) { rank[t] = r; od[t] = d; }
            else { krank[t] = r; if (k >= 0 && k != d) k = -2; else if (k != -2) k = d; }
        }
        if (rank[t] < 0 || krank[t] < 0)
            return sm__fail(err, SM_ERR_UNSUPPORTED, where, "%s needs a GEMM-like einsum (%s needs one output dim and the reduction dim)", who, x->name);
    }
    if (k < 0 || od[0] == od[1]) return sm__fail(err, SM_ERR_UNSUPPORTED, where, "%s needs a GEMM-like einsum (one reduction dim shared by both operands)", who);
    *dm = od[0]; *dn = od[1]; *dk = k;
    return SM_OK;
}

static int sm__gpu_level(const sm_spec *s, int role) {
    int v = s->gpu.level[role];
    if (v > 0) return v - 1 < s->nlevels ? v - 1 : -1;
    if (role == SM_GPU_ACC) return -1;
    return role < s->nlevels ? role : -1;
}

static double sm__wbits(const sm_spec *s, int l) {
    int wb = l >= 0 && s->levels[l].word_bits ? s->levels[l].word_bits : s->problem.word_bits;
    return wb > 0 ? wb : 16;
}

/* Bits of an operand of `elems` elements (`fibers` output-rank fibers for CSR row pointers) in a
   storage format: values and metadata apart. Two-level bitmaps: a bit per tile, a bit per element
   of a non-empty tile. */
static void sm__operand_bits(const sm_density *d, sm_opfmt fmt, double elems, double fibers, double vb, double ib,
                             double p_tile_empty, double tile_elems, double *val, double *meta) {
    double dens = sm__mean_density(d), nnz = elems * dens;
    *meta = 0;
    switch (fmt) {
    case SM_OPFMT_BITMAP:
        *val = nnz * vb;
        *meta = elems * (1 - p_tile_empty) + ceil(elems / (tile_elems > 0 ? tile_elems : 1));
        break;
    case SM_OPFMT_CSR: *val = nnz * vb; *meta = nnz * ib + (fibers + 1) * ib; break;
    case SM_OPFMT_NM: {
        double m = d->kind == SM_DENSITY_NM && d->m > 1 ? d->m : 1;
        *val = nnz * vb;
        *meta = nnz * ceil(log2(m) - 1e-9);
        break;
    }
    default: *val = elems * vb; break;
    }
}

/* Cycles of `reads` and `writes` words at a level (per instance: the caller divides). */
static double sm__bw_cycles(const sm_level *lv, double reads, double writes) {
    double c = 0;
    if (lv->shared_bw > 0) c = fmax(c, (reads + writes) / lv->shared_bw);
    if (lv->read_bw > 0) c = fmax(c, reads / lv->read_bw);
    if (lv->write_bw > 0) c = fmax(c, writes / lv->write_bw);
    return c;
}

static sm_result sm__gpu_esc(const sm_spec *s, const int *lv, double M, double N, double K, sm_gpu_stats *o, sm_error *err) {
    const sm_gpu_desc *g = &s->gpu;
    double vb = s->problem.word_bits > 0 ? s->problem.word_bits : 16, ib = g->index_bits > 0 ? g->index_bits : 32;
    double kb = g->esc_key_bits > 0 ? g->esc_key_bits : 32, eb = g->esc_value_bits > 0 ? g->esc_value_bits : 32;
    double rb = g->esc_radix_bits > 0 ? g->esc_radix_bits : 8;
    double d0 = sm__mean_density(&s->density[0]), d1 = sm__mean_density(&s->density[1]);
    double prod = M * N * K * d0 * d1, out_nnz = M * N * (1 - pow(1 - d0 * d1, K));
    double passes = ceil(kb / rb - 1e-9), entry = kb + eb, interm = prod * entry;
    double in_bits = M * K * d0 * (vb + ib) + (M + 1) * ib + K * N * d1 * (vb + ib) + (K + 1) * ib;
    double out_bits = out_nnz * (vb + ib) + (M + 1) * ib;
    double l2cap = lv[SM_GPU_L2] >= 0 ? s->levels[lv[SM_GPU_L2]].size * sm__wbits(s, lv[SM_GPU_L2]) : 0;
    int where = l2cap > 0 && interm <= l2cap ? SM_GPU_L2 : SM_GPU_DRAM, r;
    double rd[SM_GPU_ROLES] = {0}, wr[SM_GPU_ROLES] = {0};
    (void)err;
    rd[SM_GPU_DRAM] += in_bits;
    wr[SM_GPU_DRAM] += out_bits;
    rd[SM_GPU_L2] += in_bits + prod * (vb + ib);         /* expand: each product reads a B entry */
    wr[where] += interm;                                  /* expand writes (key, value) */
    rd[where] += passes * interm + interm;                /* radix passes read and write; compress reads */
    wr[where] += passes * interm;
    o->computes = M * N * K;
    o->effectual = prod;
    o->bound = SM_GPU_DRAM;
    for (r = 0; r < SM_GPU_ROLES; r++) {
        int l = lv[r];
        double inst;
        if (l < 0) continue;
        o->reads[r] = rd[r] / sm__wbits(s, l);
        o->writes[r] = wr[r] / sm__wbits(s, l);
        inst = (double)(s->levels[l].instances > 0 ? s->levels[l].instances : 1);
        o->role_cycles[r] = sm__bw_cycles(&s->levels[l], o->reads[r] / inst, o->writes[r] / inst);
        if (o->role_cycles[r] > o->cycles) { o->cycles = o->role_cycles[r]; o->bound = r; }
    }
    return SM_OK;
}

SMAPI sm_result sm_gpu_eval(const sm_spec *s, sm_gpu_stats *o, sm_error *err) {
    const sm_gpu_desc *g = &s->gpu;
    const sm_problem *p = &s->problem;
    const sm_density *dn0 = &s->density[0], *dn1 = &s->density[1];
    int lv[SM_GPU_ROLES], r, dm, dnn, dk, rank[2], krank[2];
    double M, N, K, cm, cn, ck, wm, wn, sms, sub, macs_sub, ctas, wt_cta, rr, n_sm, rounds, tiles_round, tiles_sub;
    double vb, ib, ob, dd0, dd1, set_cyc, tk = 16, tiles_total, sets_total;
    double valA, metaA, valB, metaB, qA = 1, qB = 1, qA2 = 1, qB2 = 1, inA_val = 0, inA_meta = 0;
    double rd[SM_GPU_ROLES] = {0}, wr[SM_GPU_ROLES] = {0}, pre_rd = 0, pre_wr = 0, products_set, p_tile_pair = 1;
    sm_result res;
    memset(o, 0, sizeof *o);
    o->bound = -1;
    if (!g->kernel) return sm__fail(err, SM_ERR_VALUE, &g->loc, "[gpu] no kernel: set kernel = tiled or esc");
    for (r = 0; r < SM_GPU_ROLES; r++) lv[r] = sm__gpu_level(s, r);
    for (r = 0; r < SM_GPU_RF + 1; r++)
        if (lv[r] < 0) return sm__fail(err, SM_ERR_VALUE, &g->loc, "[gpu] levels: needs global memory, shared cache, per-SM scratchpad and per-sub-core register levels (%d levels given)", s->nlevels);
    if ((res = sm__gemm_shape(p, &dm, &dnn, &dk, rank, krank, &p->einsum_loc, "[gpu]", err)) != SM_OK) return res;
    M = (double)p->bounds[dm]; N = (double)p->bounds[dnn]; K = (double)p->bounds[dk];
    o->m = M; o->n = N; o->k = K;
    if (g->kernel == SM_GPU_ESC) {
        if ((res = sm__gpu_esc(s, lv, M, N, K, o, err)) != SM_OK) return res;
        o->seconds = o->cycles / ((s->clock_ghz > 0 ? s->clock_ghz : 1) * 1e9);
        return SM_OK;
    }
    cm = g->cta[0] > 0 ? g->cta[0] : 128; cn = g->cta[1] > 0 ? g->cta[1] : 128; ck = g->cta[2] > 0 ? g->cta[2] : 32;
    wm = g->warp[0] > 0 ? g->warp[0] : 32; wn = g->warp[1] > 0 ? g->warp[1] : 32;
    if (fmod(cm, wm) != 0 || fmod(cn, wn) != 0) return sm__fail(err, SM_ERR_VALUE, &g->loc, "[gpu] cta %g x %g is not a whole number of %g x %g warp tiles", cm, cn, wm, wn);
    sms = (double)sm__instances(s, lv[SM_GPU_SMEM]);
    sub = (double)sm__instances(s, lv[SM_GPU_RF]) / sms;
    macs_sub = (double)sm__instances(s, s->nlevels) / (double)sm__instances(s, lv[SM_GPU_RF]);
    if (sub < 1 || macs_sub < 1) return sm__fail(err, SM_ERR_VALUE, &g->loc, "[gpu] levels: the register level needs at least as many instances as the scratchpad, and the MACs at least as many as the registers");
    vb = p->word_bits > 0 ? p->word_bits : 16;
    ib = g->index_bits > 0 ? g->index_bits : 32;
    ob = g->out_bits > 0 ? g->out_bits : vb;
    dd0 = sm__mean_density(dn0); dd1 = sm__mean_density(dn1);
    if (s->skip.kind == SM_SKIP_MODEL_OUTER && s->skip.outer.tile_k > 0) tk = s->skip.outer.tile_k;
    if (g->im2col != SM_IM2COL_NONE) {   /* the problem must be the lowered convolution */
        double lm, lk;
        sm_conv_gemm(&g->conv, &lm, &lk);
        if (lm != M || lk != K)
            return sm__fail(err, SM_ERR_VALUE, &g->loc, "[gpu] conv lowers to M=%g K=%g, but [problem] bounds give M=%g K=%g", lm, lk, M, K);
    }

    /* thread blocks over SMs; warp tiles over sub-cores */
    ctas = ceil(M / cm - 1e-9) * ceil(N / cn - 1e-9);
    wt_cta = (cm / wm) * (cn / wn);
    rr = g->ctas_per_sm > 0 ? g->ctas_per_sm : 1;
    n_sm = ceil(ctas / sms - 1e-9);
    rounds = ceil(n_sm / rr - 1e-9);
    tiles_round = fmin(rr, n_sm) * wt_cta;
    tiles_sub = ceil(tiles_round / sub - 1e-9);
    o->ctas = ctas; o->sms = sms; o->per_sm_ctas = n_sm; o->rounds = rounds;
    o->subcores_busy = fmin(sub, tiles_round);
    o->computes = M * N * K;

    /* compute: cycles per set (one k of one warp tile) */
    set_cyc = wm * wn / macs_sub;
    products_set = wm * wn * dd0 * dd1;
    if (s->skip.kind == SM_SKIP_MODEL_OUTER) {
        sm_skip_desc sd = s->skip;
        double gg = (sd.outer.granule[0] > 0 ? sd.outer.granule[0] : 8) * (sd.outer.granule[1] > 0 ? sd.outer.granule[1] : 16);
        sd.outer.fiber[0] = wm; sd.outer.fiber[1] = wn;   /* the warp tile is the fiber pair */
        for (r = 0; r < 2; r++) { sd.rank[r] = rank[r]; sd.krank[r] = krank[r]; }
        if ((res = sm_opskip_expect(&sd, dn0, dn1, &o->skip, err)) != SM_OK) return res;
        set_cyc = o->skip.cycles * gg / macs_sub;
        products_set = o->skip.products;
        p_tile_pair = o->skip.p_tiles;
    } else if (s->skip.kind == SM_SKIP_MODEL_STRUCTURED) {
        set_cyc *= sm_series_density(&s->skip.series);
        products_set = wm * wn * sm__series_kept(&s->density[s->skip.op], krank[s->skip.op], &s->skip.series) * (s->skip.op ? dd0 : dd1);
    }
    if (g->im2col == SM_IM2COL_BITMAP) set_cyc += g->im2col_set_cycles;
    o->compute_cycles = rounds * tiles_sub * K * set_cyc;
    tiles_total = ctas * wt_cta;
    sets_total = tiles_total * K;
    o->effectual = sets_total * products_set;

    /* operand sizes (bits) */
    {
        double pe0 = sm__fiber_tile_p_empty(dn0, rank[0], krank[0], wm, tk), pe1 = sm__fiber_tile_p_empty(dn1, rank[1], krank[1], wn, tk);
        sm__operand_bits(dn0, g->format[0], M * K, M, vb, ib, pe0, wm * tk, &valA, &metaA);
        sm__operand_bits(dn1, g->format[1], K * N, N, vb, ib, pe1, wn * tk, &valB, &metaB);
        if (g->im2col != SM_IM2COL_NONE) {   /* the input feature map, in A's format */
            double in = (g->conv.n > 0 ? g->conv.n : 1) * g->conv.c * g->conv.h * g->conv.w;
            sm__operand_bits(dn0, g->format[0], in, (g->conv.n > 0 ? g->conv.n : 1) * g->conv.c * g->conv.h, vb, ib, pe0, wm * tk, &inA_val, &inA_meta);
        }
    }
    if (g->skip_partner) {   /* partner tiles: B's CTA k-tile for A, A's for B; per set the partner fiber */
        double e[SM_MAX_RANKS];
        int q;
        for (q = 0; q < SM_MAX_RANKS; q++) e[q] = 1;
        e[rank[1]] = cn; e[krank[1]] = ck;
        qA = 1 - sm_box_p_empty(dn1, SM_MAX_RANKS, e);
        for (q = 0; q < SM_MAX_RANKS; q++) e[q] = 1;
        e[rank[0]] = cm; e[krank[0]] = ck;
        qB = 1 - sm_box_p_empty(dn0, SM_MAX_RANKS, e);
        sm_fiber_expect(dn1, rank[1], wn, 1, NULL, &qA2, NULL); qA2 = 1 - qA2;
        sm_fiber_expect(dn0, rank[0], wm, 1, NULL, &qB2, NULL); qB2 = 1 - qB2;
    }

    /* global memory */
    if (g->im2col == SM_IM2COL_EXPLICIT) {
        pre_rd = inA_val + inA_meta;
        pre_wr = valA + metaA;
        rd[SM_GPU_DRAM] += valA + metaA;
    } else if (g->im2col != SM_IM2COL_NONE) rd[SM_GPU_DRAM] += inA_val + inA_meta;
    else rd[SM_GPU_DRAM] += valA + metaA;
    rd[SM_GPU_DRAM] += valB + metaB;
    wr[SM_GPU_DRAM] += M * N * ob;
    /* shared cache: operand tiles to the SMs; its fills are the global reads */
    rd[SM_GPU_L2] = (valA * qA + metaA) * ceil(N / cn - 1e-9) + (valB * qB + metaB) * ceil(M / cm - 1e-9) + M * N * ob;
    wr[SM_GPU_L2] = rd[SM_GPU_DRAM];
    /* per-SM scratchpad: fragments to the warps; fills from the cache */
    rd[SM_GPU_SMEM] = (valA * qA2 + metaA) * ceil(N / wn - 1e-9) + (valB * qB2 + metaB) * ceil(M / wm - 1e-9);
    wr[SM_GPU_SMEM] = rd[SM_GPU_L2] - M * N * ob;
    /* registers: the condensed operands of every set to the MACs; the output once */
    if (s->skip.kind == SM_SKIP_MODEL_OUTER) rd[SM_GPU_RF] = sets_total * (o->skip.nnz[0] + o->skip.nnz[1]) * vb;
    else rd[SM_GPU_RF] = sets_total * (wm + wn) * vb * (s->skip.kind == SM_SKIP_MODEL_STRUCTURED ? sm_series_density(&s->skip.series) : 1);
    wr[SM_GPU_RF] = M * N * ob;
    /* accumulation buffer: gather and scatter per product; tile swaps when a sub-core owns several */
    if (lv[SM_GPU_ACC] >= 0) {
        double swaps = 0;
        if (tiles_sub > 1) swaps = tiles_total * ceil(K / ck - 1e-9) * wm * wn * p_tile_pair * 32;   /* FP32 accumulators */
        rd[SM_GPU_ACC] = o->effectual * 32 + swaps;
        wr[SM_GPU_ACC] = rd[SM_GPU_ACC];
    }

    /* bandwidth-bound cycles per role: shared levels over their aggregate bandwidth, per-SM and
       per-sub-core levels for the busiest instance */
    o->cycles = o->compute_cycles;
    for (r = 0; r < SM_GPU_ROLES; r++) {
        int l = lv[r];
        const sm_level *L;
        double share, rdw, wrw;
        if (l < 0) continue;
        L = &s->levels[l];
        o->reads[r] = rd[r] / sm__wbits(s, l);
        o->writes[r] = wr[r] / sm__wbits(s, l);
        if (r <= SM_GPU_L2) share = 1 / (double)sm__instances(s, l);
        else if (r == SM_GPU_SMEM) share = n_sm / ctas;
        else share = rounds * tiles_sub / tiles_total;
        rdw = o->reads[r] * share; wrw = o->writes[r] * share;
        o->role_cycles[r] = sm__bw_cycles(L, rdw, wrw);
        if (r == SM_GPU_ACC && g->acc_banks > 0 && L->read_bw > 0 && products_set > 0) {   /* bank conflicts */
            double per_step = fmin(products_set / fmax(1, o->skip.steps > 0 ? o->skip.steps : set_cyc), L->read_bw);
            double ideal = per_step / L->read_bw;
            double real = sm_accbuf_cycles(per_step, g->acc_banks, L->read_bw / g->acc_banks, g->acc_window, 256);
            if (ideal > 0) o->role_cycles[r] *= real / ideal;
        }
        if (o->role_cycles[r] > o->cycles) { o->cycles = o->role_cycles[r]; o->bound = r; }
    }
    if (pre_rd + pre_wr > 0) {
        const sm_level *L = &s->levels[lv[SM_GPU_DRAM]];
        double inst = (double)sm__instances(s, lv[SM_GPU_DRAM]), wb = sm__wbits(s, lv[SM_GPU_DRAM]);
        o->prepass_cycles = sm__bw_cycles(L, pre_rd / wb / inst, pre_wr / wb / inst);
        o->reads[SM_GPU_DRAM] += pre_rd / wb;
        o->writes[SM_GPU_DRAM] += pre_wr / wb;
    }
    o->cycles += o->prepass_cycles;
    o->seconds = o->cycles / ((s->clock_ghz > 0 ? s->clock_ghz : 1) * 1e9);
    return SM_OK;
}

/*=== [@tasd.impl] STRUCTURED DECOMPOSITION (TASD SERIES) AND CONFIGURATION SEARCH ===============*/
SMAPI void sm_tasd_counts(double density, const sm_series *s, sm_tasd_stats *out) {
    double dist[SM__BLK];
    sm__hist_ctx hc;
    int i;
    memset(out, 0, sizeof *out);
    out->density = density;
    out->slots = sm_series_density(s);
    if (!s || s->nterms <= 0 || s->m[0] < 1 || s->m[0] >= SM__BLK) { out->kept = 1; return; }
    memset(dist, 0, sizeof dist);
    hc.h = dist;
    sm__binomial(s->m[0], density, sm__hist_fn, &hc);
    sm__series_run(dist, s, out->kept_term);
    for (i = 0; i < s->nterms; i++) out->kept += out->kept_term[i];
    out->kept = density > 0 ? out->kept / density : 1;
    out->dropped = 1 - out->kept;
    if (out->dropped < 0) out->dropped = 0;
}

/* A signed value of distribution v (its magnitude ranks it). */
static double sm__value(sm_value_dist v, sm__rng *seed) {
    double u1, u2, x;
    if (v == SM_VALUES_UNIFORM) return sm__rand01(seed);
    u1 = sm__rand01(seed); u2 = sm__rand01(seed);
    if (u1 < 1e-300) u1 = 1e-300;
    x = sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
    if (v == SM_VALUES_GELU) x = x * 0.5 * erfc(-x / 1.4142135623730951);
    return x;
}

/* Greedy decomposition of one row segment: `val` (len values, zeros absent), terms of s in order;
   kept[i] += values term i keeps; returns nothing, leaves the dropped ones in val (kept zeroed). */
static void sm__tasd_block(double *val, int len, const sm_series *s, double *kept, double *terms_out, int stride) {
    int i, b, j, c;
    for (i = 0; i < s->nterms; i++) {
        int m = s->m[i];
        for (b = 0; b + m <= len; b += m)
            for (c = 0; c < s->n[i]; c++) {   /* take the largest remaining magnitude, n times */
                int best = -1;
                for (j = b; j < b + m; j++) if (val[j] != 0 && (best < 0 || fabs(val[j]) > fabs(val[best]))) best = j;
                if (best < 0) break;
                if (kept) kept[i] += 1;
                if (terms_out) terms_out[(size_t)i * (size_t)stride + (size_t)best] = val[best];
                val[best] = 0;
            }
    }
}

/* Monte-Carlo over blocks of the series' largest M: counts, magnitudes and the per-block moments
   mom[0..5] = E[r], E[r^2], E[q], E[s], E[s^2], E[p] (r, q: sum and sum of squares of the dropped
   values of a block; s, p: of all its values). */
static void sm__tasd_mc(double density, const sm_series *s, sm_value_dist v, int blocks, unsigned long long seed, sm_tasd_stats *out, double *mom) {
    enum { MAXM = 256 };
    double val[MAXM], kept[SM_MAX_SERIES] = {0}, nnz = 0, mag = 0, dmag = 0;
    int M = s && s->nterms > 0 ? s->m[s->nterms - 1] : 8, t, j, i;
    sm__rng rng;
    memset(out, 0, sizeof *out);
    for (j = 0; j < 6; j++) mom[j] = 0;
    out->density = density;
    out->slots = sm_series_density(s);
    if (M < 1 || M > MAXM) M = 8;
    if (blocks <= 0) blocks = 20000;
    rng.s = seed ? seed : 0x2545F4914F6CDD1DULL;
    for (t = 0; t < blocks; t++) {
        double bs = 0, bp = 0, r = 0, q = 0;
        for (j = 0; j < M; j++) {
            val[j] = sm__rand01(&rng) < density ? sm__value(v, &rng) : 0;
            if (val[j] == 0) continue;
            nnz++; mag += fabs(val[j]); bs += val[j]; bp += val[j] * val[j];
        }
        if (s && s->nterms > 0) sm__tasd_block(val, M, s, kept, NULL, 0);
        else for (j = 0; j < M; j++) val[j] = 0;
        for (j = 0; j < M; j++) if (val[j] != 0) { dmag += fabs(val[j]); r += val[j]; q += val[j] * val[j]; }
        mom[0] += r; mom[1] += r * r; mom[2] += q; mom[3] += bs; mom[4] += bs * bs; mom[5] += bp;
    }
    for (j = 0; j < 6; j++) mom[j] /= blocks;
    for (i = 0; s && i < s->nterms; i++) { out->kept_term[i] = kept[i] / ((double)blocks * M); out->kept += kept[i]; }
    if (!s || s->nterms <= 0) out->kept = nnz;
    out->kept = nnz > 0 ? out->kept / nnz : 1;
    out->dropped = 1 - out->kept;
    out->dropped_magnitude = mag > 0 ? dmag / mag : 0;
}

SMAPI void sm_tasd_values(double density, const sm_series *s, sm_value_dist v, int blocks, unsigned long long seed, sm_tasd_stats *out) {
    double mom[6];
    sm__tasd_mc(density, s, v, blocks, seed, out, mom);
}

SMAPI double sm_tasd_error(double density, const sm_series *s, sm_value_dist v, double row, double b_mean, double b_var, int blocks, unsigned long long seed) {
    sm_tasd_stats st;
    double mom[6], M, nb, er2, es2, num, den;
    sm__tasd_mc(density, s, v, blocks, seed, &st, mom);
    M = s && s->nterms > 0 ? s->m[s->nterms - 1] : 8;
    nb = row / M;   /* blocks per row: independent */
    er2 = nb * (mom[1] - mom[0] * mom[0]) + nb * nb * mom[0] * mom[0];
    es2 = nb * (mom[4] - mom[3] * mom[3]) + nb * nb * mom[3] * mom[3];
    num = b_mean * b_mean * er2 + b_var * nb * mom[2];
    den = b_mean * b_mean * es2 + b_var * nb * mom[5];
    return den > 0 ? sqrt(num / den) : 0;
}

SMAPI double sm_tasd_decompose(const double *values, int rows, int cols, const sm_series *s, double *terms, double *residual) {
    enum { MAXC = 4096 };
    double val[MAXC], kept[SM_MAX_SERIES] = {0}, total = 0;
    int r, j, i;
    if (cols > MAXC || !s) return -1;
    if (terms) memset(terms, 0, sizeof(double) * (size_t)s->nterms * (size_t)rows * (size_t)cols);
    for (r = 0; r < rows; r++) {
        memcpy(val, values + (size_t)r * cols, sizeof(double) * (size_t)cols);
        sm__tasd_block(val, cols, s, kept, terms ? terms + (size_t)r * cols : NULL, rows * cols);
        if (residual) memcpy(residual + (size_t)r * cols, val, sizeof(double) * (size_t)cols);
    }
    for (i = 0; i < s->nterms; i++) total += kept[i];
    (void)j;
    return total;
}

/* E[|x| ; |x| > t] and P(|x| > t) by integration over x (normal, GELU) or closed form (uniform). */
static void sm__tail(sm_value_dist v, double t, double *mass, double *prob) {
    double x, h = 1e-3, m = 0, p = 0;
    if (v == SM_VALUES_UNIFORM) { double a = t < 0 ? 0 : t > 1 ? 1 : t; *mass = (1 - a * a) / 2; *prob = 1 - a; return; }
    for (x = -9; x < 9; x += h) {
        double mid = x + h / 2, phi = exp(-mid * mid / 2) / 2.5066282746310002, y = mid;
        if (v == SM_VALUES_GELU) y = mid * 0.5 * erfc(-mid / 1.4142135623730951);
        if (fabs(y) > t) { m += fabs(y) * phi * h; p += phi * h; }
    }
    *mass = m; *prob = p;
}

SMAPI double sm_tasd_pseudo_density(sm_value_dist v, double keep) {
    double total, p, lo = 0, hi = 10, m;
    int i;
    sm__tail(v, -1, &total, &p);
    for (i = 0; i < 60; i++) {   /* the threshold whose tail holds `keep` of the mass */
        double mid = 0.5 * (lo + hi);
        sm__tail(v, mid, &m, &p);
        if (m > keep * total) lo = mid; else hi = mid;
    }
    sm__tail(v, 0.5 * (lo + hi), &m, &p);
    return p;
}

static double sm__tasd_dropped(const sm_series *o, const sm_tasd_layer *L, sm_tasd_metric metric) {
    sm_tasd_stats st;
    if (metric == SM_TASD_DROPPED_MAGNITUDE) { sm_tasd_values(L->density, o, L->values, 8000, 0, &st); return st.dropped_magnitude; }
    sm_tasd_counts(L->density, o, &st);
    return st.dropped;
}

static double sm__tasd_cost(sm_tasd_cost_fn cost, void *ctx, const sm_series *opts, int i, int j, const sm_tasd_layer *L) {
    if (cost) return cost(i, j, ctx);
    return (j < 0 ? 1 : sm_series_density(&opts[j])) * L->macs;
}

SMAPI void sm_tasd_search_layerwise(const sm_series *opts, int nopt, sm_tasd_metric metric, double budget, sm_tasd_cost_fn cost, void *ctx, sm_tasd_layer *layers, int n) {
    int i, j;
    for (i = 0; i < n; i++) {
        sm_tasd_layer *L = &layers[i];
        L->choice = -1; L->dropped = 0;
        L->cost = sm__tasd_cost(cost, ctx, opts, i, -1, L);
        for (j = 0; j < nopt; j++) {
            double dr = sm__tasd_dropped(&opts[j], L, metric), cj;
            if (dr > budget) continue;
            cj = sm__tasd_cost(cost, ctx, opts, i, j, L);
            if (cj < L->cost) { L->choice = j; L->cost = cj; L->dropped = dr; }
        }
    }
}

SMAPI int sm_tasd_search_networkwise(const sm_series *opts, int nopt, sm_tasd_metric metric, double budget, sm_tasd_cost_fn cost, void *ctx, sm_tasd_layer *layers, int n) {
    int best = -1, i, j;
    double best_cost = 0;
    for (i = 0; i < n; i++) best_cost += sm__tasd_cost(cost, ctx, opts, i, -1, &layers[i]);
    for (j = 0; j < nopt; j++) {
        double total = 0;
        int ok = 1;
        for (i = 0; i < n && ok; i++) ok = sm__tasd_dropped(&opts[j], &layers[i], metric) <= budget;
        if (!ok) continue;
        for (i = 0; i < n; i++) total += sm__tasd_cost(cost, ctx, opts, i, j, &layers[i]);
        if (total < best_cost) { best = j; best_cost = total; }
    }
    for (i = 0; i < n; i++) {
        layers[i].choice = best;
        layers[i].cost = sm__tasd_cost(cost, ctx, opts, i, best, &layers[i]);
        layers[i].dropped = best >= 0 ? sm__tasd_dropped(&opts[best], &layers[i], metric) : 0;
    }
    return best;
}

SMAPI int sm_tasd_select_alpha(const sm_series *opts, int nopt, double sparsity, double alpha) {
    int j, best = -1;
    double best_sp = -1;
    for (j = 0; j < nopt; j++) {
        double asp = 1 - sm_series_density(&opts[j]);
        if (sparsity + alpha > asp && asp > best_sp) { best = j; best_sp = asp; }
    }
    return best;
}

SMAPI double sm_tasd_unit_energy(double elements, const sm_series *s, double compare_pj) {
    double n = 0, M;
    int i;
    if (!s || s->nterms <= 0) return 0;
    M = s->m[s->nterms - 1];
    for (i = 0; i < s->nterms; i++) n += (M / s->m[i]) * s->n[i] * (s->m[i] - 1);   /* comparisons per largest block */
    return elements / M * n * compare_pj;
}

/*=== [@spec.impl] INI LOADER ===================================================================*/
/* Keys are collected first (later wins, each with its file:line), then interpreted. */
typedef struct sm__kv { char *section, *key, *value; sm_loc loc; int dead; } sm__kv;   /* dead: overridden (keep vs bypass) */
typedef struct sm__index { char *key; int value; } sm__index;
typedef struct sm__section { char *name; sm_loc loc; } sm__section;
typedef struct sm__store {
    sm__kv *kvs;                   /* stb_ds array */
    sm__index *index;              /* stb_ds string map "section\x1fkey" -> kvs index */
    sm__section *sections;         /* in order of first appearance */
    char **open_files;             /* include stack, for cycle detection */
    sm_error *err;
    int failed;
} sm__store;

typedef struct sm__source {
    FILE *f;
    const char *text;              /* or a string */
    const char *file;
    const char *dir;               /* for includes */
    int line;
    sm__store *st;
} sm__source;

static char *sm__strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = (char *)malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Open a file the spec names, refusing what is not a regular file (a FIFO or a device such as
   /dev/zero would block or never end). */
static FILE *sm__open_regular(const char *path) {
#if defined(__unix__) || defined(__APPLE__)
    struct stat st;
    if (stat(path, &st) != 0) return NULL;
    if (!S_ISREG(st.st_mode)) { errno = EINVAL; return NULL; }
#endif
    return fopen(path, "r");
}

static void sm__loc_set(sm_loc *l, const char *file, int line) {
    sm__copy(l->file, SM_PATH_LEN, file);
    l->line = line;
}

static void sm__store_put(sm__store *st, const char *section, const char *key, const char *value,
                          const sm_loc *loc) {
    char buf[512];
    ptrdiff_t i;
    sm__kv kv;
    snprintf(buf, sizeof buf, "%s\x1f%s", section, key);
    i = stbds_shgeti(st->index, buf);
    if (i >= 0) {
        sm__kv *old = &st->kvs[st->index[i].value];
        free(old->value);
        old->value = sm__strdup(value);
        old->loc = *loc;
        old->dead = 0;
    } else {
        kv.section = sm__strdup(section);
        kv.key = sm__strdup(key);
        kv.value = sm__strdup(value);
        kv.loc = *loc;
        kv.dead = 0;
        stbds_arrput(st->kvs, kv);
        stbds_shput(st->index, buf, (int)stbds_arrlen(st->kvs) - 1);
    }
    {   /* [mapping] L.keep and L.bypass are one setting: one from another file (an include, --set)
           overrides the other; both in one file stay an error */
        size_t n = strlen(buf);
        const char *other = NULL;
        if (strncmp(buf, "mapping\x1f", 8) != 0) return;
        if (n > 5 && !strcmp(buf + n - 5, ".keep")) { buf[n - 5] = 0; other = ".bypass"; }
        else if (n > 7 && !strcmp(buf + n - 7, ".bypass")) { buf[n - 7] = 0; other = ".keep"; }
        if (!other || strlen(buf) + strlen(other) >= sizeof buf) return;
        strcat(buf, other);
        i = stbds_shgeti(st->index, buf);
        if (i >= 0) {
            sm__kv *sib = &st->kvs[st->index[i].value];
            if (strcmp(sib->loc.file, loc->file) != 0) sib->dead = 1;
        }
    }
}

static void sm__store_section(sm__store *st, const char *name, const sm_loc *loc) {
    ptrdiff_t i;
    sm__section s;
    for (i = 0; i < stbds_arrlen(st->sections); i++)
        if (!strcmp(st->sections[i].name, name)) return;
    s.name = sm__strdup(name);
    s.loc = *loc;
    stbds_arrput(st->sections, s);
}

static void sm__store_free(sm__store *st) {
    ptrdiff_t i;
    for (i = 0; i < stbds_arrlen(st->kvs); i++) {
        free(st->kvs[i].section); free(st->kvs[i].key); free(st->kvs[i].value);
    }
    for (i = 0; i < stbds_arrlen(st->sections); i++) free(st->sections[i].name);
    for (i = 0; i < stbds_arrlen(st->open_files); i++) free(st->open_files[i]);
    stbds_arrfree(st->kvs);
    stbds_shfree(st->index);
    stbds_arrfree(st->sections);
    stbds_arrfree(st->open_files);
}

/* A section name as the loader keys it: trimmed, inner white space runs folded to one space
   ("level  glb " -> "level glb"), so the reader and inih's handler agree. */
static void sm__section_name(const char *in, char *out, size_t cap) {
    size_t n = 0;
    int space = 0;
    while (*in && isspace((unsigned char)*in)) in++;
    for (; *in && n + 1 < cap; in++) {
        if (isspace((unsigned char)*in)) { space = 1; continue; }
        if (space && n + 2 < cap) out[n++] = ' ';
        space = 0;
        out[n++] = *in;
    }
    out[n] = 0;
}

/* inih's reader: one raw line per call. It counts lines, strips comments, refuses indented
   continuation lines and lines too long for the system inih (INI_MAX_LINE), and records
   section headers in file order. Returning NULL ends the parse. */
static char *sm__reader(char *str, int num, void *stream) {
    sm__source *src = (sm__source *)stream;
    char line[4096];
    size_t n = 0;
    int c, too_long = 0;
    char *p, *q;
    sm_loc loc;
    if (src->st->failed) return NULL;
    for (;;) {
        if (src->f) c = getc(src->f);
        else c = *src->text ? (unsigned char)*src->text++ : EOF;
        if (c == EOF) { if (n == 0) return NULL; break; }
        if (c == '\n') break;
        if (n + 1 < sizeof line) line[n++] = (char)c; else { too_long = 1; break; }   /* do not read an endless line */
    }
    line[n] = 0;
    src->line++;
    sm__loc_set(&loc, src->file, src->line);
    if (n && line[n - 1] == '\r') line[--n] = 0;
    if (too_long) { sm__fail(src->st->err, SM_ERR_SYNTAX, &loc, "line longer than %d characters", (int)sizeof line - 1); src->st->failed = 1; return NULL; }
    for (p = line; *p; p++) if (*p == ';' && (p == line || isspace((unsigned char)p[-1]))) { *p = 0; break; }
    n = strlen(line);
    while (n && isspace((unsigned char)line[n - 1])) line[--n] = 0;
    if (n && isspace((unsigned char)line[0])) {
        for (p = line; isspace((unsigned char)*p); p++) {}
        if (*p != '#') {
            sm__fail(src->st->err, SM_ERR_SYNTAX, &loc, "indented line '%s' (continuation lines are not allowed; remove the indent)", p);
            src->st->failed = 1;
            return NULL;
        }
    }
    if ((int)n + 3 > num) {
        sm__fail(src->st->err, SM_ERR_SYNTAX, &loc, "line longer than %d characters (without its comment)", num - 3);
        src->st->failed = 1;
        return NULL;
    }
    if (line[0] == '[') {
        q = strchr(line, ']');
        if (q && q[1]) {
            sm__fail(src->st->err, SM_ERR_SYNTAX, &loc, "unexpected text '%s' after the section header", q + 1);
            src->st->failed = 1;
            return NULL;
        }
        if (q) {
            char name[512];
            size_t k = (size_t)(q - line - 1);
            if (k >= sizeof name) k = sizeof name - 1;
            memcpy(name, line + 1, k);
            name[k] = 0;
            sm__section_name(name, name, sizeof name);
            sm__store_section(src->st, name, &loc);
        }
    }
    memcpy(str, line, n);
    str[n] = '\n';
    str[n + 1] = 0;
    return str;
}

static sm_result sm__parse_source(sm__source *src);

static int sm__handler(void *user, const char *section, const char *name, const char *value) {
    sm__source *src = (sm__source *)user;
    sm__store *st = src->st;
    sm_loc loc;
    if (st->failed) return 0;
    sm__loc_set(&loc, src->file, src->line);
    if (!strcmp(name, "include")) {
        char path[SM_PATH_LEN * 2];
        sm__source sub;
        ptrdiff_t i;
        char *dir, *slash;
        int n;
        if (value[0] == '/' || !src->dir[0]) n = snprintf(path, sizeof path, "%s", value);
        else n = snprintf(path, sizeof path, "%s/%s", src->dir, value);
        if (n >= SM_PATH_LEN) { sm__fail(st->err, SM_ERR_VALUE, &loc, "include: path too long"); st->failed = 1; return 0; }
        for (i = 0; i < stbds_arrlen(st->open_files); i++)
            if (!strcmp(st->open_files[i], path)) {
                sm__fail(st->err, SM_ERR_VALUE, &loc, "include: '%s' includes itself (cycle)", path);
                st->failed = 1;
                return 0;
            }
        memset(&sub, 0, sizeof sub);
        sub.f = sm__open_regular(path);
        if (!sub.f) { sm__fail(st->err, SM_ERR_IO, &loc, "include: cannot open '%s': %s", path, errno == EINVAL ? "not a regular file" : strerror(errno)); st->failed = 1; return 0; }
        dir = sm__strdup(path);
        slash = strrchr(dir, '/');
        if (slash) *slash = 0; else dir[0] = 0;
        sub.file = path;
        sub.dir = dir;
        sub.st = st;
        stbds_arrput(st->open_files, sm__strdup(path));
        sm__parse_source(&sub);
        free(stbds_arrpop(st->open_files));
        fclose(sub.f);
        free(dir);
        return st->failed ? 0 : 1;
    }
    if (!section[0]) { sm__fail(st->err, SM_ERR_SYNTAX, &loc, "key '%s' outside any [section]", name); st->failed = 1; return 0; }
    {
        char sec[512];
        sm__section_name(section, sec, sizeof sec);
        sm__store_section(st, sec, &loc);   /* normally known already from its header line */
        sm__store_put(st, sec, name, value, &loc);
    }
    return 1;
}

static sm_result sm__parse_source(sm__source *src) {
    int rc = ini_parse_stream(sm__reader, src, sm__handler, src);
    if (src->st->failed) return src->st->err ? src->st->err->code : SM_ERR_SYNTAX;
    if (rc != 0) {
        sm_loc loc;
        sm__loc_set(&loc, src->file, rc > 0 ? rc : 0);
        sm__fail(src->st->err, rc > 0 ? SM_ERR_SYNTAX : SM_ERR_IO, &loc,
                 rc > 0 ? "malformed line (expected '[section]' or 'key = value')" : "cannot read");
        src->st->failed = 1;
        return rc > 0 ? SM_ERR_SYNTAX : SM_ERR_IO;
    }
    return SM_OK;
}

/* ---- strict value parsing ---- */
static sm_result sm__num(const sm__kv *kv, double lo, double *out, sm_error *err) {
    char *end;
    double v;
    errno = 0;
    v = strtod(kv->value, &end);
    while (*end && isspace((unsigned char)*end)) end++;
    if (end == kv->value || *end || errno == ERANGE || !isfinite(v))
        return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not a number", kv->section, kv->key, kv->value);
    if (v < lo)
        return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: %s must be at least %g", kv->section, kv->key, kv->value, lo);
    *out = v;
    return SM_OK;
}

static sm_result sm__int(const sm__kv *kv, long lo, long *out, sm_error *err) {
    double v;
    sm_result r = sm__num(kv, (double)lo, &v, err);
    if (r != SM_OK) return r;
    if (v != floor(v)) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not a whole number", kv->section, kv->key, kv->value);
    if (v > 2147483647.0) return sm__fail(err, SM_ERR_OVERFLOW, &kv->loc, "[%s] %s: %s exceeds 2^31-1", kv->section, kv->key, kv->value);
    *out = (long)v;
    return SM_OK;
}

static sm_result sm__unknown(const sm__kv *kv, sm_error *err) {
    return sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[%s] unknown key '%s'", kv->section, kv->key);
}

/* "Q14", "Q=14" or "Q:14": dim and factor. */
static sm_result sm__parse_loops(const sm__kv *kv, const sm_problem *p, sm_loop_list *ll, sm_error *err) {
    const char *s = kv->value;
    ll->n = 0;
    ll->loc = kv->loc;
    for (;;) {
        char tok[128];
        size_t n = 0;
        char *sep, *digits, *end;
        long f;
        int d = -1;
        sm__skip_ws(&s);
        if (!*s) break;
        while (*s && !isspace((unsigned char)*s) && *s != ',') { if (n + 1 < sizeof tok) tok[n++] = *s; s++; }
        if (*s == ',') s++;
        tok[n] = 0;
        sep = strpbrk(tok, "=:");
        if (sep) { *sep = 0; digits = sep + 1; d = sm_problem_dim(p, tok); }
        else {   /* the longest dim name whose remainder is all digits */
            size_t k, j;
            digits = NULL;
            for (k = n; k-- > 1;) {
                char dn[128];
                for (j = k; j < n && isdigit((unsigned char)tok[j]); j++) {}
                if (j < n) continue;
                memcpy(dn, tok, k);
                dn[k] = 0;
                if ((d = sm_problem_dim(p, dn)) >= 0) { digits = tok + k; break; }
            }
        }
        if (d < 0 || !digits)
            return sm__fail(err, SM_ERR_MAPPING, &kv->loc, "[mapping] %s: '%s' is not DIMFACTOR with a dim of the einsum (dims: %s...)", kv->key, tok, p->ndims ? p->dims[0] : "none");
        errno = 0;
        f = strtol(digits, &end, 10);
        if (end == digits || *end || errno || f < 1 || f > 2147483647L)
            return sm__fail(err, SM_ERR_MAPPING, &kv->loc, "[mapping] %s: bad factor '%s' for dim %s (a whole number >= 1)", kv->key, digits, p->dims[d]);
        if (ll->n == SM_MAX_LOOPS) return sm__fail(err, SM_ERR_LIMIT, &kv->loc, "[mapping] %s: more than %d loops", kv->key, SM_MAX_LOOPS);
        ll->loops[ll->n].dim = d;
        ll->loops[ll->n].factor = f;
        ll->n++;
    }
    return SM_OK;
}

/* A list of tensor names ("A B" or "A, B") as a bit mask; on an unknown name, 0 with it in bad. */
static int sm__parse_tensor_set(const char *s, const sm_problem *p, unsigned *mask, char *bad, size_t cap) {
    *mask = 0;
    for (;;) {
        char tok[SM_NAME_LEN * 2];
        size_t n = 0;
        int t;
        sm__skip_ws(&s);
        if (!*s) break;
        while (*s && !isspace((unsigned char)*s) && *s != ',') { if (n + 1 < sizeof tok) tok[n++] = *s; s++; }
        if (*s == ',') s++;
        tok[n] = 0;
        if ((t = sm_problem_tensor(p, tok)) < 0) { sm__copy(bad, cap, tok); return 0; }
        *mask |= 1u << t;
    }
    return 1;
}

static int sm__level_index(const sm_spec *s, const char *name) {
    int l;
    for (l = 0; l < s->nlevels; l++) if (!strcmp(s->levels[l].name, name)) return l;
    return -1;
}

/* "45nm", "45 nm" or "45": a node of the table. */
static sm_result sm__tech(const sm__kv *kv, int *out, sm_error *err) {
    char *end;
    long v;
    errno = 0;
    v = strtol(kv->value, &end, 10);
    while (*end == ' ') end++;
    if (end != kv->value && !strcmp(end, "nm")) end += 2;
    if (end == kv->value || *end || errno || v <= 0 || v > 1000)
        return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not a technology node like 45nm", kv->section, kv->key, kv->value);
    if (sm_tech_energy_scale((int)v) <= 0)
        return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: %ld nm is not in the node table (" SM__NODES_TEXT ")", kv->section, kv->key, v);
    *out = (int)v;
    return SM_OK;
}

/* A name out of a list: its index, or an error listing the choices. */
static sm_result sm__choice(const sm__kv *kv, int (*parse)(const char *), const char *choices, int *out, sm_error *err) {
    int v = parse(kv->value);
    if (v < 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not one of %s", kv->section, kv->key, kv->value, choices);
    *out = v;
    return SM_OK;
}

static sm_result sm__apply_level(sm_level *lv, const sm__kv *kv, sm_error *err) {
    const char *k = kv->key;
    double *dv = NULL;
    long *iv = NULL;
    double lo = 0;
    long ilo = 1;
    if (!strcmp(k, "kind")) {
        int v = 0;
        sm_result r = sm__choice(kv, sm_mem_kind_parse, "sram, regfile, dram, reg", &v, err);
        if (r == SM_OK) { lv->kind = (sm_mem_kind)v; lv->kind_loc = kv->loc; }
        return r;
    }
    if (!strcmp(k, "dram_type")) {
        int v = 0;
        sm_result r = sm__choice(kv, sm_dram_type_parse, "lpddr4, ddr4, hbm2, gddr5", &v, err);
        if (r == SM_OK) { lv->dram_type = (sm_dram_type)v; lv->dram_loc = kv->loc; }
        return r;
    }
    if (!strcmp(k, "technology")) return sm__tech(kv, &lv->tech_nm, err);
    if (!strcmp(k, "size")) dv = &lv->size;
    else if (!strcmp(k, "banks")) iv = &lv->banks;
    else if (!strcmp(k, "instances")) iv = &lv->instances;
    else if (!strcmp(k, "mesh_x")) iv = &lv->mesh_x;
    else if (!strcmp(k, "block_words")) iv = &lv->block_words;
    else if (!strcmp(k, "cluster_size")) iv = &lv->cluster_size;
    else if (!strcmp(k, "word_bits")) { long v; sm_result r = sm__int(kv, 1, &v, err); if (r == SM_OK) lv->word_bits = (int)v; return r; }
    else if (!strcmp(k, "read_bw")) dv = &lv->read_bw;
    else if (!strcmp(k, "write_bw")) dv = &lv->write_bw;
    else if (!strcmp(k, "shared_bw")) dv = &lv->shared_bw;
    else if (!strcmp(k, "multiple_buffering")) { dv = &lv->multiple_buffering; lo = 1; }
    else if (!strcmp(k, "read_pj")) dv = &lv->read_pj;
    else if (!strcmp(k, "write_pj")) dv = &lv->write_pj;
    else if (!strcmp(k, "update_pj")) dv = &lv->update_pj;
    else if (!strcmp(k, "leak_pj")) dv = &lv->leak_pj;
    else if (!strcmp(k, "area_um2")) dv = &lv->area_um2;
    else if (!strcmp(k, "metadata_word_bits")) { long v; sm_result r = sm__int(kv, 0, &v, err); if (r == SM_OK) lv->metadata_word_bits = (int)v; return r; }
    else if (!strcmp(k, "metadata_size")) dv = &lv->metadata_size;
    else if (!strcmp(k, "decompression") || !strcmp(k, "compression")) {
        long v;
        sm_result r = sm__int(kv, 0, &v, err);
        if (r == SM_OK && v > 1) r = sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: expected 0 or 1", kv->section, k);
        if (r == SM_OK) *(k[0] == 'd' ? &lv->decompression : &lv->compression) = (int)v;
        return r;
    }
    else if (!strcmp(k, "decompression_pj")) dv = &lv->decompression_pj;
    else if (!strcmp(k, "compression_pj")) dv = &lv->compression_pj;
    else {   /* [gated_|skipped_][metadata_]read|write|update_pj */
        static const char *const act[3] = { "read_pj", "write_pj", "update_pj" };
        const char *rest = k;
        double *arr;
        int a, cls = 0;
        if (!strncmp(rest, "gated_", 6)) { cls = 1; rest += 6; }
        else if (!strncmp(rest, "skipped_", 8)) { cls = 2; rest += 8; }
        if (!strncmp(rest, "metadata_", 9)) {
            rest += 9;
            arr = cls == 0 ? lv->metadata_pj : cls == 1 ? lv->gated_metadata_pj : lv->skipped_metadata_pj;
        } else if (cls) arr = cls == 1 ? lv->gated_pj : lv->skipped_pj;
        else return sm__unknown(kv, err);
        for (a = 0; a < 3; a++)
            if (!strcmp(rest, act[a])) {
                if (arr == lv->metadata_pj) lv->given |= 1u << (SM_COST_MD_READ + a);
                return sm__num(kv, 0, &arr[a], err);
            }
        return sm__unknown(kv, err);
    }
    if (dv == &lv->read_pj) lv->given |= 1u << SM_COST_READ;
    else if (dv == &lv->write_pj) lv->given |= 1u << SM_COST_WRITE;
    else if (dv == &lv->update_pj) lv->given |= 1u << SM_COST_UPDATE;
    else if (dv == &lv->leak_pj) lv->given |= 1u << SM_COST_LEAK;
    else if (dv == &lv->area_um2) lv->given |= 1u << SM_COST_AREA;
    if (dv) return sm__num(kv, lo, dv, err);
    return sm__int(kv, ilo, iv, err);
}

/* ---- sparse sections ---- */
/* A 0/1 mask file: '0'/'1' characters (white space, commas and '#' comment lines ignored),
   row-major over the tensor's ranks, rank 0 slowest. Kept as inclusive prefix sums over a grid
   of (extent + 1) per rank, so any box's non-zeros cost 2^ranks lookups. */
static sm_result sm__read_mask(const sm__kv *kv, const char *path, sm_density *d, int nranks, unsigned **out, sm_error *err) {
    char full[SM_PATH_LEN * 2];
    const char *slash = strrchr(kv->loc.file, '/');
    FILE *f;
    unsigned *ps;
    double n = 0, cells = 1;
    long stride[SM_MAX_RANKS], idx[SM_MAX_RANKS];
    int c, r, line_start = 1;
    if (path[0] != '/' && slash) snprintf(full, sizeof full, "%.*s/%s", (int)(slash - kv->loc.file), kv->loc.file, path);
    else snprintf(full, sizeof full, "%s", path);
    for (r = nranks - 1; r >= 0; r--) { stride[r] = (long)cells; cells *= d->extent[r] + 1; idx[r] = 0; }
    if (cells > 2e8) return sm__fail(err, SM_ERR_LIMIT, &kv->loc, "[density] %s: a mask of %.4g elements is too large (limit 2e8)", kv->key, d->size);
    if (!(f = sm__open_regular(full))) return sm__fail(err, SM_ERR_IO, &kv->loc, "[density] %s: cannot read mask file '%s': %s", kv->key, full, strerror(errno));
    if (!(ps = (unsigned *)calloc((size_t)cells, sizeof *ps))) { fclose(f); return sm__fail(err, SM_ERR_LIMIT, &kv->loc, "[density] %s: out of memory", kv->key); }
    while ((c = fgetc(f)) != EOF) {
        if (c == '#' && line_start) { while ((c = fgetc(f)) != EOF && c != '\n') {} line_start = 1; continue; }
        line_start = c == '\n';
        if (isspace(c) || c == ',') continue;
        if (c != '0' && c != '1') { fclose(f); free(ps); return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[density] %s: mask file '%s' holds '%c' (only 0 and 1)", kv->key, path, c); }
        if (n < d->size) {   /* element idx goes to grid cell idx + 1 */
            long at = 0;
            for (r = 0; r < nranks; r++) at += (idx[r] + 1) * stride[r];
            ps[at] = (unsigned)(c - '0');
            for (r = nranks - 1; r >= 0; r--) { if (++idx[r] < (long)d->extent[r]) break; idx[r] = 0; }
        }
        n++;
    }
    fclose(f);
    if (n != d->size) { free(ps); return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[density] %s: mask file '%s' has %.0f entries, the tensor has %.0f", kv->key, path, n, d->size); }
    for (r = 0; r < nranks; r++) {   /* prefix sums, one rank at a time */
        long i;
        for (i = 0; i < (long)cells; i++) if ((i / stride[r]) % ((long)d->extent[r] + 1) > 0) ps[i] += ps[i - stride[r]];
    }
    *out = ps;
    return SM_OK;
}

/* T = dense | uniform D | fixed D | nm N:M DIM | banded W | mask PATH */
static sm_result sm__parse_density(const sm__kv *kv, sm_spec *s, sm_error *err) {
    const sm_problem *p = &s->problem;
    const sm_tensor *ten;
    int t = sm_problem_tensor(p, kv->key), r, k;
    sm_density *d;
    char kind[16], arg[SM_PATH_LEN], arg2[SM_NAME_LEN], extra[2];
    int nf;
    if (t < 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[density] '%s' is not a tensor of the einsum", kv->key);
    ten = &p->tensors[t];
    d = &s->density[t];
    free(s->owned[t]);
    s->owned[t] = NULL;
    memset(d, 0, sizeof *d);
    d->loc = kv->loc;
    d->size = 1;
    for (r = 0; r < ten->nranks; r++) {   /* the tensor's box: 1 + sum coef x (bound - 1) per rank */
        d->extent[r] = 1;
        for (k = 0; k < ten->ranks[r].nterms; k++) d->extent[r] += (double)ten->ranks[r].terms[k].coef * (double)(p->bounds[ten->ranks[r].terms[k].dim] - 1);
        d->size *= d->extent[r];
    }
    d->density = 1;
    nf = sscanf(kv->value, "%15s %255s %47s %1s", kind, arg, arg2, extra);
    if (nf == 1 && !strcmp(kind, "dense")) d->kind = SM_DENSITY_DENSE;
    else if (nf == 2 && (!strcmp(kind, "uniform") || !strcmp(kind, "fixed"))) {
        char *end;
        d->kind = kind[0] == 'u' ? SM_DENSITY_UNIFORM : SM_DENSITY_FIXED;
        d->density = strtod(arg, &end);
        if (*end || end == arg || !(d->density >= 0 && d->density <= 1))
            return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[density] %s: density '%s' must be a number in [0, 1]", kv->key, arg);
    } else if (nf == 3 && !strcmp(kind, "nm")) {
        int dim = sm_problem_dim(p, arg2);
        if (sscanf(arg, "%d:%d%1s", &d->n, &d->m, extra) != 2 || d->n < 0 || d->m < 1)
            return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[density] %s: '%s' is not N:M with whole numbers", kv->key, arg);
        if (d->n > d->m) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[density] %s: N:M with N > M (%d:%d)", kv->key, d->n, d->m);
        d->kind = SM_DENSITY_NM;
        d->rank = -1;
        for (r = 0; r < ten->nranks; r++)
            if (ten->ranks[r].nterms == 1 && ten->ranks[r].terms[0].dim == dim && ten->ranks[r].terms[0].coef == 1) d->rank = r;
        if (d->rank < 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[density] %s: '%s' is not a dim that alone indexes a rank of %s", kv->key, arg2, kv->key);
        d->density = (double)d->n / d->m;
    } else if (nf == 2 && !strcmp(kind, "banded")) {
        char *end;
        double w = strtod(arg, &end), rows, cols, nnz = 0, i;
        if (*end || end == arg || w < 0 || w != floor(w) || w > 2147483647.0)
            return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[density] %s: band half-width '%s' must be a whole number >= 0", kv->key, arg);
        if (ten->nranks != 2) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[density] %s: a band needs a tensor of two ranks (%s has %d)", kv->key, kv->key, ten->nranks);
        d->kind = SM_DENSITY_BANDED;
        d->band = (long)w;
        rows = d->extent[0], cols = d->extent[1];
        for (i = 0; i < rows; i++) nnz += fmax(0, fmin(cols, i + w + 1) - fmax(0, i - w));
        d->density = nnz / d->size;
    } else if (nf == 2 && !strcmp(kind, "mask")) {
        sm_result rr = sm__read_mask(kv, arg, d, ten->nranks, &s->owned[t], err);
        long last = 0, stride = 1;
        if (rr != SM_OK) return rr;
        d->kind = SM_DENSITY_MASK;
        d->prefix = s->owned[t];
        for (r = ten->nranks - 1; r >= 0; r--) { last += (long)d->extent[r] * stride; stride *= (long)d->extent[r] + 1; }
        d->density = d->prefix[last] / d->size;
    } else
        return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[density] %s = '%s': expected dense, uniform D, fixed D, nm N:M DIM, banded W or mask PATH", kv->key, kv->value);
    d->nnz = d->kind == SM_DENSITY_UNIFORM ? sm__ceil(d->density * d->size) : d->density * d->size;
    return SM_OK;
}

/* [format LEVEL]: T = KIND[(DIMS)][:MD[:PL]] ...  and  T.order = outer_to_inner|inner_to_outer */
static sm_result sm__parse_format(const sm__kv *kv, sm_spec *s, sm_error *err) {
    const sm_problem *p = &s->problem;
    int l = sm__level_index(s, kv->section + 7), t;
    char tname[SM_NAME_LEN * 2];
    const char *dot = strchr(kv->key, '.'), *v = kv->value;
    sm_format *f;
    if (l < 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s]: no storage level named '%s'", kv->section, kv->section + 7);
    if (strlen(kv->key) >= sizeof tname) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] key '%.40s...' is too long", kv->section, kv->key);
    sm__copy(tname, sizeof tname, kv->key);
    if (dot) tname[dot - kv->key] = 0;
    if ((t = sm_problem_tensor(p, tname)) < 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] '%s' is not a tensor of the einsum", kv->section, tname);
    f = &s->format[l][t];
    if (dot) {
        if (strcmp(dot + 1, "order")) return sm__unknown(kv, err);
        if (!strcmp(v, "inner_to_outer")) f->inner_to_outer = 1;
        else if (!strcmp(v, "outer_to_inner")) f->inner_to_outer = 0;
        else return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: expected inner_to_outer or outer_to_inner", kv->section, kv->key);
        return SM_OK;
    }
    f->nranks = 0;
    f->loc = kv->loc;
    for (;;) {
        static const char *const kinds[] = { "U", "UOP", "CP", "B", "UB", "RLE" };
        sm_format_rank *fr;
        char id[SM_NAME_LEN];
        int k;
        sm__skip_ws(&v);
        if (!*v) break;
        if (f->nranks == SM_MAX_FORMAT_RANKS) return sm__fail(err, SM_ERR_LIMIT, &kv->loc, "[%s] %s: more than %d format ranks", kv->section, kv->key, SM_MAX_FORMAT_RANKS);
        fr = &f->rank[f->nranks++];
        memset(fr, 0, sizeof *fr);
        fr->md_bits = fr->pl_bits = -1;
        if (!sm__ident(&v, id)) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: expected a rank format at '%s'", kv->section, kv->key, v);
        for (k = 0; k < 6 && strcmp(id, kinds[k]); k++) {}
        if (k == 6) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: unknown rank format '%s' (U, UOP, CP, B, UB, RLE)", kv->section, kv->key, id);
        fr->kind = (sm_rank_format)k;
        if (*v == '(') {
            v++;
            for (;;) {
                int d;
                sm__skip_ws(&v);
                if (*v == '|') return sm__fail(err, SM_ERR_UNSUPPORTED, &kv->loc, "[%s] %s: alternative dim groups ('|') are not supported by this version", kv->section, kv->key);
                if (!sm__ident(&v, id) || (d = sm_problem_dim(p, id)) < 0)
                    return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: expected a dim of the einsum inside ( )", kv->section, kv->key);
                fr->dims |= 1u << d;
                sm__skip_ws(&v);
                if (*v == ',') { v++; continue; }
                if (*v == ')') { v++; break; }
                return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: expected ',' or ')' in the dims of rank %d", kv->section, kv->key, f->nranks);
            }
        }
        for (k = 0; k < 2 && *v == ':'; k++) {
            char *end;
            long b;
            v++;
            b = strtol(v, &end, 10);
            if (end == v || b < 0 || b > 64) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: bit width after ':' must be 0..64", kv->section, kv->key);
            *(k == 0 ? &fr->md_bits : &fr->pl_bits) = (int)b;
            v = end;
        }
        if (*v && !isspace((unsigned char)*v)) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: unexpected '%s'", kv->section, kv->key, v);
    }
    if (f->nranks == 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: no ranks", kv->section, kv->key);
    {   /* only U ranks: uncompressed without metadata, as if no format were given */
        int k, meta = 0;
        for (k = 0; k < f->nranks; k++) meta |= f->rank[k].kind != SM_RANK_U;
        if (!meta) f->nranks = 0;
    }
    return SM_OK;
}

/* [saf]: LEVEL.gate.T | LEVEL.skip.T | LEVEL.skip_spatial.T = tensors;  COMPUTE.gate | COMPUTE.skip = tensors */
static sm_result sm__parse_saf(const sm__kv *kv, sm_spec *s, sm_error *err) {
    const sm_problem *p = &s->problem;
    char key[SM_NAME_LEN * 3], *kind, *target = NULL, bad[SM_NAME_LEN * 2];
    sm_saf *f;
    unsigned cond = 0;
    const char *v = kv->value;
    sm__copy(key, sizeof key, kv->key);
    if (!(kind = strchr(key, '.'))) return sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[saf] key '%s' is not LEVEL.gate|skip|skip_spatial.TENSOR or COMPUTE.gate|skip", kv->key);
    *kind++ = 0;
    if ((target = strchr(kind, '.'))) *target++ = 0;
    if (s->nsafs == SM_MAX_SAFS) return sm__fail(err, SM_ERR_LIMIT, &kv->loc, "[saf] more than %d SAFs", SM_MAX_SAFS);
    f = &s->safs[s->nsafs];
    memset(f, 0, sizeof *f);
    f->loc = kv->loc;
    if (!strcmp(kind, "gate")) f->kind = SM_SAF_GATE;
    else if (!strcmp(kind, "skip")) f->kind = SM_SAF_SKIP;
    else if (!strcmp(kind, "skip_spatial")) f->kind = SM_SAF_SKIP_SPATIAL;
    else return sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[saf] %s: unknown SAF '%s' (gate, skip, skip_spatial)", kv->key, kind);
    if (!strcmp(key, s->compute.name)) {
        if (target || f->kind == SM_SAF_SKIP_SPATIAL) return sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[saf] %s: the compute level takes only %s.gate or %s.skip", kv->key, key, key);
        f->level = s->nlevels;
        f->target = -1;
    } else {
        if ((f->level = sm__level_index(s, key)) < 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[saf] %s: no storage or compute level named '%s'", kv->key, key);
        if (!target || (f->target = sm_problem_tensor(p, target)) < 0)
            return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[saf] %s: '%s' is not a tensor of the einsum", kv->key, target ? target : "");
    }
    if (!sm__parse_tensor_set(v, p, &cond, bad, sizeof bad))
        return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[saf] %s: conditioned on '%s', which is not a tensor of the einsum", kv->key, bad);
    if (!cond) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[saf] %s: no tensor to condition on", kv->key);
    f->cond = cond;
    s->nsafs++;
    return SM_OK;
}

/* Sections the evaluation does not read; their keys go to spec->extra for the search layer. */
static int sm__extra_section(const char *name) {
    return !strcmp(name, "constraints") || !strcmp(name, "mapper") || !strcmp(name, "sweep");
}

static sm_result sm__extra_collect(const sm__store *st, sm_spec *s, sm_error *err) {
    ptrdiff_t i, n = stbds_arrlen(st->kvs);
    size_t bytes = 0;
    int cnt = 0;
    char *p;
    for (i = 0; i < n; i++)
        if (sm__extra_section(st->kvs[i].section)) {
            cnt++;
            bytes += strlen(st->kvs[i].section) + strlen(st->kvs[i].key) + strlen(st->kvs[i].value) + 3;
        }
    if (!cnt) return SM_OK;
    s->extra = (sm_kv *)malloc(sizeof(sm_kv) * (size_t)cnt + bytes);
    if (!s->extra) return sm__fail(err, SM_ERR_LIMIT, NULL, "out of memory");
    p = (char *)(s->extra + cnt);
    for (i = 0; i < n; i++) {
        const sm__kv *kv = &st->kvs[i];
        sm_kv *e;
        size_t a, b, c;
        if (!sm__extra_section(kv->section)) continue;
        e = &s->extra[s->nextra++];
        a = strlen(kv->section) + 1; b = strlen(kv->key) + 1; c = strlen(kv->value) + 1;
        memcpy(p, kv->section, a); e->section = p; p += a;
        memcpy(p, kv->key, b); e->key = p; p += b;
        memcpy(p, kv->value, c); e->value = p; p += c;
        e->loc = kv->loc;
    }
    return SM_OK;
}

/* [skipsched]: lanes depth rows samples seed row_period (whole numbers), options = T:D ...,
   order = lanes..., operand = sparsest|both|TENSOR, stream = mapping|continuous|N,
   row_concentration = K, method = auto|exact|montecarlo. Checked as a whole by sm_skipsched_resolve. */
static sm_result sm__parse_skipsched(const sm__kv *kv, sm_spec *s, sm_error *err) {
    sm_skipsched *k = s->skipsched;
    const char *key = kv->key, *v = kv->value;
    long x;
    sm_result r;
    if (!strcmp(key, "lanes") || !strcmp(key, "depth") || !strcmp(key, "rows")) {
        if ((r = sm__int(kv, 1, &x, err)) != SM_OK) return r;
        *(key[0] == 'l' ? &k->lanes : key[0] == 'd' ? &k->depth : &k->rows) = (int)(x > 1024 ? 1024 : x);
    } else if (!strcmp(key, "samples")) return sm__int(kv, 1, &k->samples, err);
    else if (!strcmp(key, "row_period")) return sm__int(kv, 0, &k->row_period, err);
    else if (!strcmp(key, "seed")) { if ((r = sm__int(kv, 0, &x, err)) != SM_OK) return r; k->seed = (unsigned long)x; }
    else if (!strcmp(key, "row_concentration")) return sm__num(kv, 0, &k->row_concentration, err);
    else if (!strcmp(key, "options") || !strcmp(key, "order")) {
        int opt = key[1] == 'p', n = 0;
        for (;;) {
            char *end;
            long a, b = 0;
            sm__skip_ws(&v);
            if (*v == ',') { v++; continue; }
            if (!*v) break;
            errno = 0;
            a = strtol(v, &end, 10);
            if (end == v || errno) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[skipsched] %s: '%s' is not %s", key, v, opt ? "a list of TIME:LANE_OFFSET options" : "a list of lane numbers");
            v = end;
            if (opt) {
                if (*v != ':') return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[skipsched] options: expected ':' after the time of option %d (write TIME:LANE_OFFSET, e.g. 1:-1)", n + 1);
                v++;
                b = strtol(v, &end, 10);
                if (end == v || errno) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[skipsched] options: option %d has no lane offset after ':'", n + 1);
                v = end;
                if (a < 0 || a > 1000 || b < -1000 || b > 1000) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[skipsched] options: option %d is out of range", n + 1);
            }
            if (*v && !isspace((unsigned char)*v) && *v != ',') return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[skipsched] %s: unexpected '%s'", key, v);
            if (n == (opt ? SM_SKIPSCHED_MAX_OPTIONS : SM_SKIPSCHED_MAX_LANES))
                return sm__fail(err, SM_ERR_LIMIT, &kv->loc, "[skipsched] %s: more than %d entries", key, opt ? SM_SKIPSCHED_MAX_OPTIONS : SM_SKIPSCHED_MAX_LANES);
            if (opt) { k->option[n].time = (int)a; k->option[n].lane = (int)b; }
            else k->order[n] = (int)(a < -1 ? -1 : a > 1000 ? 1000 : a);
            n++;
        }
        if (!n) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[skipsched] %s: empty list", key);
        *(opt ? &k->noptions : &k->norder) = n;
    } else if (!strcmp(key, "operand")) {
        if (!strcmp(v, "sparsest")) k->side = SM_SKIPSCHED_SPARSEST;
        else if (!strcmp(v, "both")) k->side = SM_SKIPSCHED_BOTH;
        else {
            int t = sm_problem_tensor(&s->problem, v), i, idx = 0;
            if (t < 0 || s->problem.tensors[t].is_output)
                return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[skipsched] operand: '%s' is not sparsest, both or an operand of the einsum", v);
            for (i = 0; i < t; i++) idx += !s->problem.tensors[i].is_output;
            k->side = SM_SKIPSCHED_OPERAND;
            k->operand = idx;
        }
    } else if (!strcmp(key, "stream")) {
        if (!strcmp(v, "mapping")) k->stream = SM_SKIPSCHED_STREAM_MAPPING;
        else if (!strcmp(v, "continuous")) k->stream = SM_SKIPSCHED_STREAM_CONTINUOUS;
        else {
            if ((r = sm__int(kv, 1, &k->stream_steps, err)) != SM_OK)
                return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[skipsched] stream: '%s' is not mapping, continuous or a whole number of steps >= 1", v);
            k->stream = SM_SKIPSCHED_STREAM_FIXED;
        }
    } else if (!strcmp(key, "method")) {
        if (!strcmp(v, "auto")) k->method = SM_SKIPSCHED_AUTO;
        else if (!strcmp(v, "exact")) k->method = SM_SKIPSCHED_EXACT;
        else if (!strcmp(v, "montecarlo")) k->method = SM_SKIPSCHED_MONTECARLO;
        else return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[skipsched] method: '%s' is not auto, exact or montecarlo", v);
    } else return sm__unknown(kv, err);
    return SM_OK;
}

/* ---- [array] and [unit_costs] ---- */
static sm_result sm__parse_net_kind(const sm__kv *kv, const sm_net_kind *allowed, int nallowed, sm_net_kind *out, sm_error *err) {
    char list[256];
    size_t n = 0;
    int i;
    for (i = 0; i < nallowed; i++) {
        if (!strcmp(kv->value, sm_net_kind_name(allowed[i]))) { *out = allowed[i]; return SM_OK; }
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", sm_net_kind_name(allowed[i]));
        if (n >= sizeof list) n = sizeof list - 1;
    }
    return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not one of %s", kv->section, kv->key, kv->value, list);
}

static sm_result sm__flag(const sm__kv *kv, int *out, sm_error *err) {
    long v;
    sm_result r = sm__int(kv, 0, &v, err);
    if (r == SM_OK && v > 1) r = sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: expected 0 or 1", kv->section, kv->key);
    if (r == SM_OK) *out = (int)v;
    return r;
}

/* "RxC" with whole numbers >= 1. */
static int sm__parse_shape(const char *tok, long *r, long *c) {
    char *x, *end;
    errno = 0;
    *r = strtol(tok, &x, 10);
    if (x == tok || (*x != 'x' && *x != 'X') || errno || *r < 1 || *r > 1L << 24) return 0;
    *c = strtol(x + 1, &end, 10);
    return end != x + 1 && !*end && !errno && *c >= 1 && *c <= 1L << 24;
}

static sm_result sm__apply_array(sm_array *a, const sm__kv *kv, sm_error *err) {
    static const sm_net_kind dist[] = { SM_NET_BUS, SM_NET_CROSSBAR, SM_NET_BENES };
    static const sm_net_kind red[] = { SM_NET_LINEAR, SM_NET_TEMPORAL, SM_NET_BINARY, SM_NET_ART, SM_NET_FAN };
    static const sm_net_kind noc[] = { SM_NET_BUS, SM_NET_MESH };
    const char *k = kv->key, *v = kv->value;
    double *dv = NULL, lo = 0;
    long *iv = NULL;
    if (!strcmp(k, "kind")) {
        if (!strcmp(v, "systolic")) a->kind = SM_ARRAY_SYSTOLIC;
        else if (!strcmp(v, "flexible")) a->kind = SM_ARRAY_FLEXIBLE;
        else return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[array] kind: '%s' is not systolic or flexible", v);
        return SM_OK;
    }
    if (!strcmp(k, "rows")) iv = &a->rows;
    else if (!strcmp(k, "cols")) iv = &a->cols;
    else if (!strcmp(k, "pes")) iv = &a->pes;
    else if (!strcmp(k, "group")) iv = &a->group;
    else if (!strcmp(k, "depth")) { dv = &a->depth; lo = 1; }
    else if (!strcmp(k, "load_bw")) dv = &a->load_bw;
    else if (!strcmp(k, "stream_bw")) dv = &a->stream_bw;
    else if (!strcmp(k, "pair_bw")) dv = &a->pair_bw;
    else if (!strcmp(k, "acc_bw")) dv = &a->acc_bw;
    else if (!strcmp(k, "combine")) { dv = &a->combine; lo = 1; }
    else if (!strcmp(k, "power_w")) dv = &a->power_w;
    else if (!strcmp(k, "area_mm2")) dv = &a->area_mm2;
    else if (!strcmp(k, "controller_um2")) dv = &a->controller_um2;
    else if (!strcmp(k, "word_bits") || !strcmp(k, "acc_bits")) {
        long b;
        sm_result r = sm__int(kv, 1, &b, err);
        if (r == SM_OK) *(k[0] == 'w' ? &a->word_bits : &a->acc_bits) = (int)b;
        return r;
    }
    else if (!strcmp(k, "distribution")) return sm__parse_net_kind(kv, dist, 3, &a->distribution, err);
    else if (!strcmp(k, "reduction")) return sm__parse_net_kind(kv, red, 5, &a->reduction, err);
    else if (!strcmp(k, "noc")) return sm__parse_net_kind(kv, noc, 2, &a->noc, err);
    else if (!strcmp(k, "stream_skip")) return sm__flag(kv, &a->stream_skip, err);
    else if (!strcmp(k, "async")) return sm__flag(kv, &a->async, err);
    else if (!strcmp(k, "stationary")) {
        if (!strcmp(v, "all")) a->stationary = SM_STA_ALL;
        else if (!strcmp(v, "nonzero")) a->stationary = SM_STA_NONZERO;
        else if (!strcmp(v, "useful")) a->stationary = SM_STA_USEFUL;
        else return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[array] stationary: '%s' is not all, nonzero or useful", v);
        return SM_OK;
    }
    else if (!strcmp(k, "accumulate")) {
        if (!strcmp(v, "banks")) a->accumulate = SM_ACC_BANKS;
        else if (!strcmp(v, "merge")) a->accumulate = SM_ACC_MERGE;
        else return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[array] accumulate: '%s' is not banks or merge", v);
        return SM_OK;
    }
    else if (!strcmp(k, "cartesian")) {
        if (!sm__parse_shape(v, &a->cartesian_f, &a->cartesian_i))
            return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[array] cartesian: '%s' is not FxI with whole numbers >= 1", v);
        return SM_OK;
    }
    else if (!strcmp(k, "split")) {   /* OUTER: dims the blocks may split */
        const char *p = v;
        a->outer_split = 0;
        for (; *p; p++) {
            if (isspace((unsigned char)*p) || *p == ',') continue;
            if (*p == 'm') a->outer_split |= 1u; else if (*p == 'n') a->outer_split |= 2u; else if (*p == 'k') a->outer_split |= 4u;
            else return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[array] split: '%s' is not a list of m, n, k", v);
        }
        if (!a->outer_split) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[array] split: empty list");
        return SM_OK;
    }
    else if (!strcmp(k, "shapes") || !strcmp(k, "dataflows")) {
        static const char *const dfn[5] = { "a_sta", "b_sta", "out_sta", "no_reuse", "outer" };
        const char *p = v;
        int shapes = k[0] == 's';
        if (shapes) a->nshapes = 0; else { a->dataflows = 0; a->dataflows_loc = kv->loc; }
        for (;;) {
            char tok[64];
            size_t n = 0;
            int i;
            sm__skip_ws(&p);
            if (!*p) break;
            while (*p && !isspace((unsigned char)*p) && *p != ',') { if (n + 1 < sizeof tok) tok[n++] = *p; p++; }
            if (*p == ',') p++;
            tok[n] = 0;
            if (shapes) {
                if (a->nshapes == SM_MAX_SHAPES) return sm__fail(err, SM_ERR_LIMIT, &kv->loc, "[array] shapes: more than %d shapes", SM_MAX_SHAPES);
                if (!sm__parse_shape(tok, &a->shape_rows[a->nshapes], &a->shape_cols[a->nshapes]))
                    return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[array] shapes: '%s' is not ROWSxCOLS with whole numbers >= 1", tok);
                if (a->shape_rows[a->nshapes] * a->shape_cols[a->nshapes] != a->shape_rows[0] * a->shape_cols[0])
                    return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[array] shapes: %s has %ld PEs, the first shape %ld (one array, reshaped)", tok,
                                    a->shape_rows[a->nshapes] * a->shape_cols[a->nshapes], a->shape_rows[0] * a->shape_cols[0]);
                a->nshapes++;
            } else {
                for (i = 0; i < 5 && strcmp(tok, dfn[i]); i++) {}
                if (i == 5) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[array] dataflows: '%s' is not a_sta, b_sta, out_sta, no_reuse or outer", tok);
                a->dataflows |= 1u << i;
            }
        }
        if (shapes ? !a->nshapes : !a->dataflows) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[array] %s: empty list", k);
        return SM_OK;
    }
    else return sm__unknown(kv, err);
    if (dv) return sm__num(kv, lo, dv, err);
    return sm__int(kv, 1, iv, err);
}

static sm_result sm__apply_unit_costs(sm_unit_costs *c, const sm__kv *kv, sm_error *err) {
    static const char *const names[] = { "mult_pj", "mult_um2", "add_pj", "add_um2", "add3_pj", "add3_um2",
        "reg_pj_bit", "reg_um2_bit", "mux_pj_bit", "mux_um2_bit", "cmp_pj_bit", "cmp_um2_bit",
        "sram_read_pj", "sram_write_pj", "energy_scale", "area_scale", "wire_pj_bit_mm", "hop_mm" };
    double *fields[18];
    int i;
    fields[0] = &c->mult_pj; fields[1] = &c->mult_um2; fields[2] = &c->add_pj; fields[3] = &c->add_um2;
    fields[4] = &c->add3_pj; fields[5] = &c->add3_um2; fields[6] = &c->reg_pj_bit; fields[7] = &c->reg_um2_bit;
    fields[8] = &c->mux_pj_bit; fields[9] = &c->mux_um2_bit; fields[10] = &c->cmp_pj_bit; fields[11] = &c->cmp_um2_bit;
    fields[12] = &c->sram_read_pj; fields[13] = &c->sram_write_pj; fields[14] = &c->energy_scale; fields[15] = &c->area_scale;
    fields[16] = &c->wire_pj_bit_mm; fields[17] = &c->hop_mm;
    for (i = 0; i < 18; i++) if (!strcmp(kv->key, names[i])) return sm__num(kv, 0, fields[i], err);
    if (!strcmp(kv->key, "technology")) {
        long nm;
        sm_result r = sm__int(kv, 1, &nm, err);
        if (r == SM_OK && sm_tech_energy_scale((int)nm) == 0) r = sm__fail(err, SM_ERR_VALUE, &kv->loc, "[unit_costs] technology: %ld nm is not in the node table", nm);
        if (r == SM_OK) c->tech_nm = (int)nm;
        return r;
    }
    if (!strcmp(kv->key, "precision") || !strcmp(kv->key, "acc_precision")) {
        int p = sm_precision_parse(kv->value);
        if (p < 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[unit_costs] %s: '%s' is not a precision (int2 ... int32, fp16, bf16, fp32)", kv->key, kv->value);
        *(kv->key[0] == 'p' ? &c->precision : &c->acc_precision) = (sm_precision)p;
        return SM_OK;
    }
    return sm__unknown(kv, err);
}

/* ---- [skip], [gpu] ---- */
static sm_result sm__gemm_shape(const sm_problem *p, int *dm, int *dn, int *dk, int *rank, int *krank, const sm_loc *where, const char *who, sm_error *err);

/* Exactly n numbers >= lo, separated by white space. */
static sm_result sm__nums(const sm__kv *kv, double *out, int n, double lo, sm_error *err) {
    const char *v = kv->value;
    int i;
    for (i = 0; i < n; i++) {
        char *end;
        double x;
        sm__skip_ws(&v);
        errno = 0;
        x = strtod(v, &end);
        if (end == v || errno == ERANGE || !isfinite(x))
            return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: expected %d numbers, got '%s'", kv->section, kv->key, n, kv->value);
        if (x < lo) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: %g must be at least %g", kv->section, kv->key, x, lo);
        out[i] = x;
        v = end;
    }
    sm__skip_ws(&v);
    if (*v) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: expected %d numbers, got '%s'", kv->section, kv->key, n, kv->value);
    return SM_OK;
}

/* One of the words in `names` (NULL-terminated); its index. */
static sm_result sm__word(const sm__kv *kv, const char *const *names, int *out, sm_error *err) {
    char list[160] = "";
    int i;
    for (i = 0; names[i]; i++) if (!strcmp(kv->value, names[i])) { *out = i; return SM_OK; }
    for (i = 0; names[i]; i++) { strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1); strncat(list, names[i], sizeof list - strlen(list) - 1); }
    return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not one of %s", kv->section, kv->key, kv->value, list);
}

/* An operand of a two-operand einsum: its index 0 or 1. */
static sm_result sm__operand(const sm__kv *kv, const sm_problem *p, const char *name, int *out, sm_error *err) {
    int t = sm_problem_tensor(p, name);
    if (t < 0 || p->tensors[t].is_output || t > 1)
        return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not one of the first two operands of the einsum", kv->section, kv->key, name);
    *out = t;
    return SM_OK;
}

/* "N:M" terms joined by '+', M nested (each a multiple of the one before), M <= 256. */
static sm_result sm__parse_series(const sm__kv *kv, sm_series *s, sm_error *err) {
    const char *v = kv->value;
    memset(s, 0, sizeof *s);
    for (;;) {
        int n, m, used = 0;
        sm__skip_ws(&v);
        if (s->nterms == SM_MAX_SERIES) return sm__fail(err, SM_ERR_LIMIT, &kv->loc, "[%s] %s: more than %d terms", kv->section, kv->key, SM_MAX_SERIES);
        if (sscanf(v, "%d:%d%n", &n, &m, &used) != 2 || n < 0 || m < 1 || n > m || m > 256)
            return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not N:M terms joined by '+' (0 <= N <= M <= 256)", kv->section, kv->key, kv->value);
        if (s->nterms && m % s->m[s->nterms - 1])
            return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: M=%d is not a multiple of the previous term's M=%d (series terms must nest)", kv->section, kv->key, m, s->m[s->nterms - 1]);
        s->n[s->nterms] = n; s->m[s->nterms] = m; s->nterms++;
        v += used;
        sm__skip_ws(&v);
        if (*v == '+') { v++; continue; }
        if (*v) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: unexpected '%s'", kv->section, kv->key, v);
        return SM_OK;
    }
}

static sm_result sm__parse_skip(const sm__kv *kv, sm_spec *s, sm_error *err) {
    static const char *const models[] = { "none", "outer_product", "structured", NULL };
    sm_skip_desc *sd = &s->skip;
    const char *k = kv->key;
    double v2[2];
    int w;
    sm_result r;
    if (!sd->loc.line) sd->loc = kv->loc;
    if (!strcmp(k, "model")) { if ((r = sm__word(kv, models, &w, err)) == SM_OK) { sd->kind = (sm_skip_kind)w; sd->loc = kv->loc; } return r; }
    if (!strcmp(k, "side0")) return sm__operand(kv, &s->problem, kv->value, &sd->outer.side0, err);
    if (!strcmp(k, "auto_side")) return sm__flag(kv, &sd->outer.auto_side, err);
    if (!strcmp(k, "fiber") || !strcmp(k, "granule")) {
        if ((r = sm__nums(kv, v2, 2, 1, err)) != SM_OK) return r;
        memcpy(k[0] == 'f' ? sd->outer.fiber : sd->outer.granule, v2, sizeof v2);
        return SM_OK;
    }
    if (!strcmp(k, "tile_k")) return sm__num(kv, 1, &sd->outer.tile_k, err);
    if (!strcmp(k, "set_cycles")) return sm__num(kv, 0, &sd->outer.set_cycles, err);
    if (!strcmp(k, "fixed_cycles")) return sm__num(kv, 0, &sd->outer.fixed_cycles, err);
    if (!strcmp(k, "operand")) return sm__operand(kv, &s->problem, kv->value, &sd->op, err);
    if (!strcmp(k, "series")) return sm__parse_series(kv, &sd->series, err);
    return sm__unknown(kv, err);
}

static sm_result sm__parse_gpu(const sm__kv *kv, sm_spec *s, sm_error *err) {
    static const char *const kernels[] = { "off", "tiled", "esc", NULL };
    static const char *const fmts[] = { "dense", "bitmap", "csr", "nm", NULL };
    static const char *const lowerings[] = { "none", "explicit", "implicit", "bitmap", "csr", NULL };
    sm_gpu_desc *g = &s->gpu;
    const char *k = kv->key;
    double v[8];
    long iv;
    int w;
    sm_result r;
    if (!g->loc.line) g->loc = kv->loc;
    if (!strcmp(k, "kernel")) { if ((r = sm__word(kv, kernels, &w, err)) == SM_OK) g->kernel = (sm_gpu_kernel)w; return r; }
    if (!strcmp(k, "levels")) {
        const char *p = kv->value;
        int n = 0;
        memset(g->level, 0, sizeof g->level);
        for (;;) {
            char tok[SM_NAME_LEN * 2];
            size_t len = 0;
            int l;
            sm__skip_ws(&p);
            if (!*p) break;
            while (*p && !isspace((unsigned char)*p)) { if (len + 1 < sizeof tok) tok[len++] = *p; p++; }
            tok[len] = 0;
            if (n == SM_GPU_ROLES) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[gpu] levels: at most %d levels (global, cache, scratchpad, registers, accumulation)", SM_GPU_ROLES);
            if ((l = sm__level_index(s, tok)) < 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[gpu] levels: no storage level named '%s'", tok);
            g->level[n++] = l + 1;
        }
        if (n < 4) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[gpu] levels: name global memory, shared cache, per-SM scratchpad and per-sub-core registers (and optionally an accumulation buffer)");
        return SM_OK;
    }
    if (!strcmp(k, "cta")) { if ((r = sm__nums(kv, v, 3, 1, err)) == SM_OK) memcpy(g->cta, v, sizeof g->cta); return r; }
    if (!strcmp(k, "warp")) { if ((r = sm__nums(kv, v, 2, 1, err)) == SM_OK) memcpy(g->warp, v, sizeof g->warp); return r; }
    if (!strcmp(k, "ctas_per_sm")) return sm__num(kv, 1, &g->ctas_per_sm, err);
    if (!strncmp(k, "format.", 7)) {
        int t;
        if ((r = sm__operand(kv, &s->problem, k + 7, &t, err)) != SM_OK) return r;
        if ((r = sm__word(kv, fmts, &w, err)) == SM_OK) g->format[t] = (sm_opfmt)w;
        return r;
    }
    if (!strcmp(k, "index_bits") || !strcmp(k, "out_bits")) {
        if ((r = sm__int(kv, 1, &iv, err)) == SM_OK) *(k[0] == 'i' ? &g->index_bits : &g->out_bits) = (int)iv;
        return r;
    }
    if (!strcmp(k, "skip_partner")) return sm__flag(kv, &g->skip_partner, err);
    if (!strcmp(k, "acc_banks")) return sm__num(kv, 0, &g->acc_banks, err);
    if (!strcmp(k, "acc_window")) return sm__num(kv, 1, &g->acc_window, err);
    if (!strcmp(k, "im2col")) { if ((r = sm__word(kv, lowerings, &w, err)) == SM_OK) g->im2col = (sm_im2col_kind)w; return r; }
    if (!strcmp(k, "conv")) {
        if ((r = sm__nums(kv, v, 8, 0, err)) != SM_OK) return r;
        g->conv.n = v[0]; g->conv.c = v[1]; g->conv.h = v[2]; g->conv.w = v[3];
        g->conv.r = v[4]; g->conv.s = v[5]; g->conv.stride = v[6]; g->conv.pad = v[7];
        if (v[1] < 1 || v[2] < 1 || v[3] < 1 || v[4] < 1 || v[5] < 1)
            return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[gpu] conv: N C H W R S STRIDE PAD with C, H, W, R, S >= 1");
        return SM_OK;
    }
    if (!strcmp(k, "im2col_set_cycles")) return sm__num(kv, 0, &g->im2col_set_cycles, err);
    if (!strcmp(k, "esc_key_bits")) return sm__num(kv, 1, &g->esc_key_bits, err);
    if (!strcmp(k, "esc_value_bits")) return sm__num(kv, 1, &g->esc_value_bits, err);
    if (!strcmp(k, "esc_radix_bits")) return sm__num(kv, 1, &g->esc_radix_bits, err);
    return sm__unknown(kv, err);
}


static sm_result sm__interpret(sm__store *st, sm_spec *s, sm_error *err) {
    ptrdiff_t i, n = stbds_arrlen(st->kvs);
    const sm__kv *einsum = NULL, *bounds = NULL;
    sm_loc whole;
    sm_result r;
    /* sections: kinds and level order */
    for (i = 0; i < stbds_arrlen(st->sections); i++) {
        const char *name = st->sections[i].name;
        const sm_loc *loc = &st->sections[i].loc;
        if (!strcmp(name, "mapping")) { s->mapping_loc = *loc; continue; }
        if (!strcmp(name, "problem") || !strcmp(name, "arch") || !strcmp(name, "density")) continue;
        if (sm__extra_section(name)) continue;   /* read by the search layer */
        if (!strncmp(name, "level ", 6) && name[6]) {
            sm_level *lv;
            if (s->nlevels == SM_MAX_LEVELS) return sm__fail(err, SM_ERR_LIMIT, loc, "[%s] more than %d storage levels", name, SM_MAX_LEVELS);
            if (sm__level_index(s, name + 6) >= 0) return sm__fail(err, SM_ERR_VALUE, loc, "[%s] level defined twice", name);
            lv = &s->levels[s->nlevels++];
            sm__copy(lv->name, SM_NAME_LEN, name + 6);
            lv->loc = *loc;
            continue;
        }
        if (!strncmp(name, "compute ", 8) && name[8]) {
            if (s->compute.name[0]) return sm__fail(err, SM_ERR_VALUE, loc, "[%s] a second compute level (one is allowed)", name);
            sm__copy(s->compute.name, SM_NAME_LEN, name + 8);
            s->compute.loc = *loc;
            continue;
        }
        if ((!strncmp(name, "format ", 7) && name[7]) || !strcmp(name, "saf") || !strcmp(name, "skip") || !strcmp(name, "gpu")) continue;
        if (!strcmp(name, "skipsched")) {
            if (!s->skipsched && !(s->skipsched = (sm_skipsched *)calloc(1, sizeof *s->skipsched))) return sm__fail(err, SM_ERR_LIMIT, loc, "out of memory");
            s->skipsched->loc = *loc;
            continue;
        }
        if (!strncmp(name, "component ", 10) && name[10]) {
            int c;
            for (c = 0; c < s->ncomponents; c++) if (!strcmp(s->components[c].name, name + 10)) return sm__fail(err, SM_ERR_VALUE, loc, "[%s] component defined twice", name);
            if (s->ncomponents == SM_MAX_COMPONENTS) return sm__fail(err, SM_ERR_LIMIT, loc, "[%s] more than %d components", name, SM_MAX_COMPONENTS);
            sm__copy(s->components[s->ncomponents].name, SM_NAME_LEN, name + 10);
            s->components[s->ncomponents++].loc = *loc;
            continue;
        }
        if (!strcmp(name, "array")) { s->array.loc = *loc; continue; }
        if (!strcmp(name, "unit_costs")) { s->unit_costs.loc = *loc; continue; }
        return sm__fail(err, SM_ERR_UNKNOWN, loc, "unknown section [%s]", name);
    }
    for (i = 0; i < n; i++) {
        const sm__kv *kv = &st->kvs[i];
        if (!strcmp(kv->section, "problem")) {
            if (!strcmp(kv->key, "einsum")) einsum = kv;
            else if (!strcmp(kv->key, "bounds")) bounds = kv;
        }
    }
    sm__loc_set(&whole, s->path, 1);   /* errors about the whole file point at its first line */
    if (!einsum) return sm__fail(err, SM_ERR_VALUE, &whole, "[problem] einsum is missing");
    if ((r = sm_einsum_parse(einsum->value, &s->problem, &einsum->loc, err)) != SM_OK) return r;
    s->problem.einsum_loc = einsum->loc;
    if (!bounds) return sm__fail(err, SM_ERR_VALUE, &einsum->loc, "[problem] bounds is missing");
    s->problem.bounds_loc = bounds->loc;
    {   /* bounds = d=size ... */
        const char *p = bounds->value;
        int d;
        for (;;) {
            char id[SM_NAME_LEN];
            char *end;
            double v;
            sm__skip_ws(&p);
            if (!*p) break;
            if (!sm__ident(&p, id)) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: expected dim=size at '%s'", p);
            sm__skip_ws(&p);
            if (*p != '=') return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: expected '=' after %s", id);
            p++;
            d = sm_problem_dim(&s->problem, id);
            if (d < 0) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: dim %s is not in the einsum", id);
            errno = 0;
            v = strtod(p, &end);
            if (end == p || (*end && !isspace((unsigned char)*end) && *end != ',')) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: size of %s is not a number", id);
            if (v < 1 || v != floor(v)) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: size of %s must be a whole number >= 1 (got %.17g)", id, v);
            if (v > 2147483647.0 || errno == ERANGE) return sm__fail(err, SM_ERR_OVERFLOW, &bounds->loc, "[problem] bounds: size of %s exceeds 2^31-1", id);
            if (s->problem.bounds[d]) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: dim %s given twice", id);
            s->problem.bounds[d] = (long)v;
            p = end;
            if (*p == ',') p++;
        }
        for (d = 0; d < s->problem.ndims; d++)
            if (!s->problem.bounds[d]) return sm__fail(err, SM_ERR_VALUE, &bounds->loc, "[problem] bounds: dim %s has no bound", s->problem.dims[d]);
    }
    for (i = 0; i < n; i++) {
        const sm__kv *kv = &st->kvs[i];
        const char *sec = kv->section, *k = kv->key;
        if (kv->dead || sm__extra_section(sec)) continue;
        if (!strcmp(sec, "problem")) {
            if (!strcmp(k, "einsum") || !strcmp(k, "bounds")) continue;
            if (!strcmp(k, "name")) sm__copy(s->problem.name, SM_NAME_LEN, kv->value);
            else if (!strcmp(k, "word_bits")) { long v; if ((r = sm__int(kv, 1, &v, err)) != SM_OK) return r; s->problem.word_bits = (int)v; }
            else return sm__unknown(kv, err);
        } else if (!strcmp(sec, "arch")) {
            if (!strcmp(k, "name")) sm__copy(s->arch_name, SM_NAME_LEN, kv->value);
            else if (!strcmp(k, "clock_ghz")) { if ((r = sm__num(kv, 1e-9, &s->clock_ghz, err)) != SM_OK) return r; }
            else if (!strcmp(k, "technology")) { if ((r = sm__tech(kv, &s->tech_nm, err)) != SM_OK) return r; s->tech_loc = kv->loc; }
            else if (!strcmp(k, "energies")) {
                if (strcmp(kv->value, "spec") && strcmp(kv->value, "library"))
                    return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[arch] energies: '%s' is not one of spec, library", kv->value);
                s->library_energies = kv->value[0] == 'l';
            }
            else if (!strcmp(k, "die_mm2")) { if ((r = sm__num(kv, 0, &s->die_mm2, err)) != SM_OK) return r; }
            else if (!strcmp(k, "tdp_w")) { if ((r = sm__num(kv, 0, &s->tdp_w, err)) != SM_OK) return r; }
            else return sm__unknown(kv, err);
        } else if (!strcmp(sec, "density")) {
            if ((r = sm__parse_density(kv, s, err)) != SM_OK) return r;
        } else if (!strncmp(sec, "format ", 7)) {
            if ((r = sm__parse_format(kv, s, err)) != SM_OK) return r;
        } else if (!strcmp(sec, "saf")) {
            if ((r = sm__parse_saf(kv, s, err)) != SM_OK) return r;
        } else if (!strcmp(sec, "skip")) {
            if ((r = sm__parse_skip(kv, s, err)) != SM_OK) return r;
        } else if (!strcmp(sec, "gpu")) {
            if ((r = sm__parse_gpu(kv, s, err)) != SM_OK) return r;
        } else if (!strcmp(sec, "skipsched")) {
            if ((r = sm__parse_skipsched(kv, s, err)) != SM_OK) return r;
        } else if (!strncmp(sec, "component ", 10)) {
            sm_component *c = s->components;
            while (strcmp(c->name, sec + 10)) c++;
            if (!strcmp(k, "instances")) r = sm__int(kv, 1, &c->instances, err);
            else if (!strcmp(k, "power_mw")) r = sm__num(kv, 0, &c->power_mw, err);
            else if (!strcmp(k, "area_um2")) r = sm__num(kv, 0, &c->area_um2, err);
            else r = sm__unknown(kv, err);
            if (r != SM_OK) return r;
        } else if (!strcmp(sec, "array")) {
            if ((r = sm__apply_array(&s->array, kv, err)) != SM_OK) return r;
        } else if (!strcmp(sec, "unit_costs")) {
            if ((r = sm__apply_unit_costs(&s->unit_costs, kv, err)) != SM_OK) return r;
        } else if (!strncmp(sec, "level ", 6)) {
            if ((r = sm__apply_level(&s->levels[sm__level_index(s, sec + 6)], kv, err)) != SM_OK) return r;
        } else if (!strncmp(sec, "compute ", 8)) {
            sm_compute *c = &s->compute;
            if (!strcmp(k, "instances")) r = sm__int(kv, 1, &c->instances, err);
            else if (!strcmp(k, "mesh_x")) r = sm__int(kv, 1, &c->mesh_x, err);
            else if (!strcmp(k, "mac_pj")) { r = sm__num(kv, 0, &c->mac_pj, err); c->given |= 1u; }
            else if (!strcmp(k, "area_um2")) { r = sm__num(kv, 0, &c->area_um2, err); c->given |= 2u; }
            else if (!strcmp(k, "op") || !strcmp(k, "precision") || !strcmp(k, "acc_precision")) {
                int v = 0;
                if (k[0] == 'o') { r = sm__choice(kv, sm_op_parse, "mac, mul, add", &v, err); if (r == SM_OK) c->op = (sm_op)v; }
                else {
                    r = sm__choice(kv, sm_precision_parse, "int2, int4, int8, int16, int32, fp16, bf16, fp32", &v, err);
                    if (r == SM_OK) *(k[0] == 'p' ? &c->precision : &c->acc_precision) = (sm_precision)v;
                }
                c->use_library = 1;
                if (!c->op_loc.line || k[0] == 'o') c->op_loc = kv->loc;
            }
            else if (!strcmp(k, "technology")) r = sm__tech(kv, &c->tech_nm, err);
            else if (!strcmp(k, "word_bits")) { long v; r = sm__int(kv, 1, &v, err); }
            else if (!strcmp(k, "gated_pj")) r = sm__num(kv, 0, &c->gated_pj, err);
            else if (!strcmp(k, "skipped_pj")) r = sm__num(kv, 0, &c->skipped_pj, err);
            else r = sm__unknown(kv, err);
            if (r != SM_OK) return r;
        } else if (!strcmp(sec, "mapping")) {
            const char *dot = strrchr(k, '.');
            char lname[SM_NAME_LEN];
            int l;
            sm_level_map *m;
            if (!dot || dot == k || (size_t)(dot - k) >= SM_NAME_LEN)
                return sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[mapping] key '%s' is not LEVEL.temporal|spatial_x|spatial_y|keep|bypass", k);
            memcpy(lname, k, (size_t)(dot - k));
            lname[dot - k] = 0;
            l = sm__level_index(s, lname);
            if (l < 0) return sm__fail(err, SM_ERR_MAPPING, &kv->loc, "[mapping] %s: no storage level named '%s'", k, lname);
            m = &s->map[l];
            if (!strcmp(dot + 1, "temporal")) r = sm__parse_loops(kv, &s->problem, &m->temporal, err);
            else if (!strcmp(dot + 1, "spatial_x")) r = sm__parse_loops(kv, &s->problem, &m->spatial_x, err);
            else if (!strcmp(dot + 1, "spatial_y")) r = sm__parse_loops(kv, &s->problem, &m->spatial_y, err);
            else if (!strcmp(dot + 1, "keep") || !strcmp(dot + 1, "bypass")) {
                unsigned mask;
                char bad[SM_NAME_LEN * 2];
                if (!sm__parse_tensor_set(kv->value, &s->problem, &mask, bad, sizeof bad))
                    return sm__fail(err, SM_ERR_MAPPING, &kv->loc, "[mapping] %s: '%s' is not a tensor of the einsum", kv->key, bad);
                if (m->keep_loc.line) return sm__fail(err, SM_ERR_MAPPING, &kv->loc, "[mapping] %s: give either %s.keep or %s.bypass, not both", k, lname, lname);
                m->bypass = dot[1] == 'k' ? (~mask & ((1u << s->problem.ntensors) - 1)) : mask;
                m->keep_loc = kv->loc;
            } else r = sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[mapping] unknown key '%s' (LEVEL.temporal|spatial_x|spatial_y|keep|bypass)", k);
            if (r != SM_OK) return r;
        }
    }
    if (s->skip.kind != SM_SKIP_MODEL_NONE) {   /* resolve the operands' fiber and reduction ranks now, for a file:line error */
        int dm, dn, dk;
        if ((r = sm__gemm_shape(&s->problem, &dm, &dn, &dk, s->skip.rank, s->skip.krank, &s->skip.loc, "[skip]", err)) != SM_OK) return r;
        if (s->skip.kind == SM_SKIP_MODEL_STRUCTURED && s->skip.series.nterms == 0)
            return sm__fail(err, SM_ERR_VALUE, &s->skip.loc, "[skip] model = structured needs series = N:M[+N:M...]");
    }
    if ((r = sm__extra_collect(st, s, err)) != SM_OK) return r;
    if (s->array.loc.line && !s->array.kind) return sm__fail(err, SM_ERR_VALUE, &s->array.loc, "[array] kind is missing (systolic or flexible)");
    if (s->array.kind == SM_ARRAY_SYSTOLIC && (s->array.dataflows & (SM_DF_NO_REUSE | SM_DF_OUTER)))
        return sm__fail(err, SM_ERR_VALUE, &s->array.dataflows_loc, "[array] dataflows: a systolic array cannot run %s (it streams no pairs)", s->array.dataflows & SM_DF_OUTER ? "outer" : "no_reuse");
    if (s->array.kind == SM_ARRAY_FLEXIBLE && (s->array.dataflows & SM_DF_OUT_STA))
        return sm__fail(err, SM_ERR_VALUE, &s->array.dataflows_loc, "[array] dataflows: out_sta is a systolic dataflow (a flexible array with temporal reduction keeps outputs in place under a_sta/b_sta)");
    if (s->unit_costs.precision) {   /* the library fills the component costs not given */
        sm_unit_costs *c = &s->unit_costs;
        if (!c->tech_nm) c->tech_nm = s->tech_nm;
        if ((r = sm_unit_costs_estimate(c, err)) != SM_OK) { sm__fail(err, r, &c->loc, "[unit_costs] %s", err->text); return r; }
    }
    if (!s->array.kind) {   /* an array spec needs no storage levels */
        if (s->nlevels == 0) return sm__fail(err, SM_ERR_VALUE, &whole, "no [level NAME] section");
        if (!s->compute.name[0]) return sm__fail(err, SM_ERR_VALUE, &whole, "no [compute NAME] section");
    }
    {
        int l;
        for (l = 0; l < s->nlevels; l++)
            if (s->levels[l].dram_loc.line && s->levels[l].kind != SM_MEM_DRAM)
                return sm__fail(err, SM_ERR_VALUE, &s->levels[l].dram_loc, "[level %s] dram_type: needs kind = dram", s->levels[l].name);
    }
    if (s->skipsched) {   /* resolved once; the cache is built for that configuration */
        sm_skipsched_cache *cache;
        sm_loc at = s->skipsched->loc;
        if ((r = sm_skipsched_resolve(s->skipsched, s->skipsched, err)) != SM_OK) return r;
        s->skipsched->loc = at;
        if ((r = sm_skipsched_cache_create(s->skipsched, &cache, err)) != SM_OK) return r;
        s->skipsched->cache = cache;
        s->skip_model = sm_skipsched_skip;
        s->skip_params = s->skipsched;
    }
    return sm_spec_resolve_energy(s, err);
}

/* Parse a source into a store (st is initialized here; free it with sm__store_free) and apply
   the --set overrides "section.key=value" after the files. */
static sm_result sm__collect(sm__source *src, const char *const *sets, int nsets, sm__store *st, sm_error *err) {
    sm_result r;
    int i;
    memset(st, 0, sizeof *st);
    stbds_sh_new_strdup(st->index);   /* the map keeps its own copy of every "section\x1fkey" */
    st->err = err;
    src->st = st;
    stbds_arrput(st->open_files, sm__strdup(src->file));
    r = sm__parse_source(src);
    for (i = 0; r == SM_OK && i < nsets; i++) {   /* --set section.key=value */
        const char *eq = strchr(sets[i], '='), *dot;
        char sec[256], key[256];
        sm_loc loc;
        sm__loc_set(&loc, "--set", 0);
        dot = eq ? memchr(sets[i], '.', (size_t)(eq - sets[i])) : NULL;
        if (!eq || !dot || dot == sets[i] || (size_t)(dot - sets[i]) >= sizeof sec || (size_t)(eq - dot - 1) >= sizeof key || eq == dot + 1) {
            r = sm__fail(err, SM_ERR_VALUE, &loc, "--set '%s': expected section.key=value", sets[i]);
            break;
        }
        memcpy(sec, sets[i], (size_t)(dot - sets[i])); sec[dot - sets[i]] = 0;
        sm__section_name(sec, sec, sizeof sec);
        memcpy(key, dot + 1, (size_t)(eq - dot - 1)); key[eq - dot - 1] = 0;
        sm__store_section(st, sec, &loc);
        sm__store_put(st, sec, key, eq + 1, &loc);
    }
    return r;
}

static sm_result sm__load(sm__source *src, const char *const *sets, int nsets, sm_spec **out, sm_error *err) {
    sm__store st;
    sm_spec *s;
    sm_result r;
    sm_error local;
    if (!err) err = &local;
    *out = NULL;
    r = sm__collect(src, sets, nsets, &st, err);
    if (r == SM_OK) {
        s = (sm_spec *)calloc(1, sizeof *s);
        if (!s) r = sm__fail(err, SM_ERR_LIMIT, NULL, "out of memory");
        else {
            sm__copy(s->path, SM_PATH_LEN, src->file);
            r = sm__interpret(&st, s, err);
            if (r == SM_OK) *out = s; else sm_spec_free(s);
        }
    }
    sm__store_free(&st);
    return r;
}

/* A spec or parameter file as a source: opened, with the directory its includes resolve
   against (sm__source_close releases both); or a string, whose includes resolve against the cwd. */
static sm_result sm__source_file(sm__source *src, const char *path, const char *what, sm_error *err) {
    sm_loc loc;
    char *dir, *slash;
    memset(src, 0, sizeof *src);
    sm__loc_set(&loc, path, 0);
    if (strlen(path) >= SM_PATH_LEN) return sm__fail(err, SM_ERR_IO, NULL, "path too long");
    if (!(src->f = fopen(path, "r"))) return sm__fail(err, SM_ERR_IO, &loc, "cannot open %s: %s", what, strerror(errno));
    if (!(dir = sm__strdup(path))) { fclose(src->f); return sm__fail(err, SM_ERR_LIMIT, NULL, "out of memory"); }
    slash = strrchr(dir, '/');
    if (slash) *slash = 0; else dir[0] = 0;
    src->file = path;
    src->dir = dir;
    return SM_OK;
}
static void sm__source_close(sm__source *src) { fclose(src->f); free((char *)src->dir); }
static void sm__source_text(sm__source *src, const char *text, const char *name) {
    memset(src, 0, sizeof *src);
    src->text = text;
    src->file = name ? name : "<string>";
    src->dir = "";
}

SMAPI sm_result sm_spec_load_file(const char *path, const char *const *sets, int nsets, sm_spec **out, sm_error *err) {
    sm__source src;
    sm_result r;
    *out = NULL;
    if ((r = sm__source_file(&src, path, "spec", err)) != SM_OK) return r;
    r = sm__load(&src, sets, nsets, out, err);
    sm__source_close(&src);
    return r;
}

SMAPI sm_result sm_spec_load_string(const char *text, const char *name, const char *const *sets, int nsets,
                                    sm_spec **out, sm_error *err) {
    sm__source src;
    sm__source_text(&src, text, name);
    return sm__load(&src, sets, nsets, out, err);
}

SMAPI void sm_spec_free(sm_spec *spec) {
    int t;
    if (!spec) return;
    for (t = 0; t < SM_MAX_TENSORS; t++) free(spec->owned[t]);
    free(spec->extra);
    if (spec->skipsched) sm_skipsched_cache_free(spec->skipsched->cache);
    free(spec->skipsched);
    free(spec);
}

/*=== [@energy.impl] COMPONENT ENERGY AND AREA LIBRARY ==========================================*/
/* Technology nodes. Energy: Stillmaker & Baas, "Scaling equations for the accurate prediction of
   CMOS device performance from 180 nm to 7 nm", Integration 58 (2017) 74-81: their fitted
   normalized energy a V^2 + b V + c per node (HP devices from 45 nm down; 65 nm has one fit),
   evaluated at the node's supply and divided by 45 nm at 0.9 V, the voltage of Horowitz's table.
   Area: their area factors relative to 45 nm. The supplies are ASSUMPTIONS (typical nominal
   values; the paper's equations take the supply as an input). 28, 22 and 12 nm are not in the
   paper: linear interpolation in feature size between the neighbouring nodes (a fit, as
   Accelergy's scaling does). */
typedef struct sm__node_row { int nm; double vdd, a, b, c, area; } sm__node_row;
static const sm__node_row sm__nodes[] = {
    { 65, 1.10, 3.755, -4.398, 1.975, 1.5 },
    { 45, 0.90, 1.018, -0.3107, 0.1539, 1.0 },
    { 32, 0.90, 0.8367, -0.4341, 0.1701, 0.46 },
    { 20, 0.90, 0.373, -0.1582, 0.04104, 0.21 },
    { 16, 0.80, 0.2958, -0.1241, 0.03024, 0.19 },
    { 14, 0.80, 0.2363, -0.09675, 0.02239, 0.17 },
    { 10, 0.75, 0.2068, -0.09311, 0.02375, 0.10 },
    { 7, 0.70, 0.1776, -0.09097, 0.02447, 0.059 } };

static double sm__node_poly(const sm__node_row *r) { return r->a * r->vdd * r->vdd + r->b * r->vdd + r->c; }

/* Energy and area factors relative to 45 nm and the supply of node nm; 0 if not in the table. */
static int sm__node(int nm, double *e, double *area, double *vdd) {
    const int n = (int)(sizeof sm__nodes / sizeof sm__nodes[0]);
    const double base = sm__node_poly(&sm__nodes[1]);
    int i;
    for (i = 0; i < n; i++)
        if (sm__nodes[i].nm == nm) {
            *e = sm__node_poly(&sm__nodes[i]) / base; *area = sm__nodes[i].area; *vdd = sm__nodes[i].vdd;
            return 1;
        }
    if (nm == 28 || nm == 22 || nm == 12) {
        for (i = 0; i + 1 < n; i++)
            if (sm__nodes[i].nm > nm && sm__nodes[i + 1].nm < nm) {
                const sm__node_row *hi = &sm__nodes[i], *lo = &sm__nodes[i + 1];
                double t = (double)(hi->nm - nm) / (double)(hi->nm - lo->nm);
                *e = (sm__node_poly(hi) + t * (sm__node_poly(lo) - sm__node_poly(hi))) / base;
                *area = hi->area + t * (lo->area - hi->area);
                *vdd = hi->vdd + t * (lo->vdd - hi->vdd);
                return 1;
            }
    }
    *e = *area = *vdd = 0;
    return 0;
}

SMAPI double sm_tech_energy_scale(int nm) { double e, a, v; sm__node(nm, &e, &a, &v); return e; }
SMAPI double sm_tech_area_scale(int nm) { double e, a, v; sm__node(nm, &e, &a, &v); return a; }
SMAPI double sm_tech_vdd(int nm) { double e, a, v; sm__node(nm, &e, &a, &v); return v; }

static const char *const sm__mem_kind_names[] = { "none", "sram", "regfile", "dram", "reg" };
static const char *const sm__dram_names[] = { "lpddr4", "ddr4", "hbm2", "gddr5" };
static const char *const sm__op_names[] = { "mac", "mul", "add" };
static const char *const sm__prec_names[] = { "default", "int2", "int4", "int8", "int16", "int32", "fp16", "bf16", "fp32" };
static const char *const sm__net_names[] = { "bus", "crossbar", "benes", "linear", "binary", "fan", "art", "systolic", "mesh", "temporal" };
static int sm__name_index(const char *const *names, int n, int first, const char *s) {
    int i;
    for (i = first; i < n; i++) if (!strcmp(names[i], s)) return i;
    return -1;
}
#define SM__COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
SMAPI const char *sm_mem_kind_name(sm_mem_kind k) { return (int)k >= 0 && (int)k < SM__COUNT(sm__mem_kind_names) ? sm__mem_kind_names[k] : "?"; }
SMAPI const char *sm_dram_type_name(sm_dram_type t) { return (int)t >= 0 && (int)t < SM__COUNT(sm__dram_names) ? sm__dram_names[t] : "?"; }
SMAPI const char *sm_op_name(sm_op op) { return (int)op >= 0 && (int)op < SM__COUNT(sm__op_names) ? sm__op_names[op] : "?"; }
SMAPI const char *sm_precision_name(sm_precision p) { return (int)p >= 0 && (int)p < SM__COUNT(sm__prec_names) ? sm__prec_names[p] : "?"; }
SMAPI const char *sm_net_kind_name(sm_net_kind k) { return (int)k >= 0 && (int)k < SM__COUNT(sm__net_names) ? sm__net_names[k] : "?"; }
SMAPI int sm_mem_kind_parse(const char *s) { return sm__name_index(sm__mem_kind_names, SM__COUNT(sm__mem_kind_names), 1, s); }
SMAPI int sm_dram_type_parse(const char *s) { return sm__name_index(sm__dram_names, SM__COUNT(sm__dram_names), 0, s); }
SMAPI int sm_op_parse(const char *s) { return sm__name_index(sm__op_names, SM__COUNT(sm__op_names), 0, s); }
SMAPI int sm_precision_parse(const char *s) { return sm__name_index(sm__prec_names, SM__COUNT(sm__prec_names), 1, s); }
SMAPI int sm_net_kind_parse(const char *s) { return sm__name_index(sm__net_names, SM__COUNT(sm__net_names), 0, s); }

/* ---- arithmetic: Horowitz, "Computing's energy problem (and what we can do about it)",
   ISSCC 2014, 45 nm 0.9 V. Published: integer add 8/16/32 bit 0.03/0.05/0.1 pJ, 36/67/137 um^2;
   integer multiply 8/32 bit 0.2/3.1 pJ, 282/3495 um^2; fp16 add 0.4 pJ 1360 um^2, fp32 add 0.9 pJ
   4184 um^2, fp16 multiply 1.1 pJ 1640 um^2, fp32 multiply 3.7 pJ 7700 um^2. Everything else is
   a fit: int16 multiply by a power law through the 8- and 32-bit points (exponent ~2: an array
   multiplier grows with the square of the width); int2/int4 extrapolate the 8-16 bit (add) and
   8-32 bit (multiply) power laws; bf16 multiply = fp16 multiply x (8/11)^2 (ASSUMPTION: the
   significand multiplier, 8 against 11 bits with the hidden bit, dominates); bf16 add = fp16 add
   (ASSUMPTION: alignment and normalization of the same exponent-dominated datapath). */
static const double sm__h_add[3][3] = { { 8, 0.03, 36 }, { 16, 0.05, 67 }, { 32, 0.1, 137 } };   /* bits, pJ, um^2 */
static const double sm__h_mul[2][3] = { { 8, 0.2, 282 }, { 32, 3.1, 3495 } };
static const double sm__h_fp[2][2][2] = { { { 0.4, 1360 }, { 1.1, 1640 } },     /* fp16: add, mul (pJ, um^2) */
                                           { { 0.9, 4184 }, { 3.7, 7700 } } };  /* fp32 */

/* Power law through (x0, y0) and (x1, y1), evaluated at x. */
static double sm__pow_law(double x0, double y0, double x1, double y1, double x) {
    return y0 * pow(x / x0, log(y1 / y0) / log(x1 / x0));
}

static int sm__prec_bits(sm_precision p) {
    static const int bits[] = { 0, 2, 4, 8, 16, 32, 16, 16, 32 };
    return (int)p > 0 && (int)p < SM_PREC_COUNT ? bits[p] : 0;
}
static int sm__prec_float(sm_precision p) { return p == SM_PREC_FP16 || p == SM_PREC_BF16 || p == SM_PREC_FP32; }

/* 45 nm energy and area of one add (mul 0) or multiply (mul 1) at precision p. */
static void sm__op45(int mul, sm_precision p, double *pj, double *area) {
    int b = sm__prec_bits(p), k;
    if (sm__prec_float(p)) {
        const double *v = sm__h_fp[p == SM_PREC_FP32][mul];
        double f = (p == SM_PREC_BF16 && mul) ? (8.0 / 11.0) * (8.0 / 11.0) : 1;
        *pj = v[0] * f; *area = v[1] * f;
        return;
    }
    if (mul) {
        *pj = sm__pow_law(sm__h_mul[0][0], sm__h_mul[0][1], sm__h_mul[1][0], sm__h_mul[1][1], b);
        *area = sm__pow_law(sm__h_mul[0][0], sm__h_mul[0][2], sm__h_mul[1][0], sm__h_mul[1][2], b);
        if (b == 8 || b == 32) { k = b == 32; *pj = sm__h_mul[k][1]; *area = sm__h_mul[k][2]; }   /* the table, exactly */
        return;
    }
    for (k = 0; k < 3; k++) if ((double)b == sm__h_add[k][0]) { *pj = sm__h_add[k][1]; *area = sm__h_add[k][2]; return; }
    *pj = sm__pow_law(sm__h_add[0][0], sm__h_add[0][1], sm__h_add[1][0], sm__h_add[1][1], b);
    *area = sm__pow_law(sm__h_add[0][0], sm__h_add[0][2], sm__h_add[1][0], sm__h_add[1][2], b);
}

SMAPI sm_result sm_op_estimate(const sm_op_desc *d, sm_op_cost *out, sm_error *err) {
    double e, a, v, pj, area, pj2 = 0, area2 = 0;
    int nm = d->tech_nm ? d->tech_nm : 45;
    sm_precision acc = d->acc_precision;
    memset(out, 0, sizeof *out);
    if ((int)d->op < 0 || (int)d->op > SM_OP_ADD) return sm__fail(err, SM_ERR_VALUE, NULL, "unknown operation %d", (int)d->op);
    if ((int)d->precision <= 0 || (int)d->precision >= SM_PREC_COUNT) return sm__fail(err, SM_ERR_VALUE, NULL, "no precision for the %s", sm_op_name(d->op));
    if (!sm__node(nm, &e, &a, &v)) return sm__fail(err, SM_ERR_VALUE, NULL, "technology %d nm is not in the node table (" SM__NODES_TEXT ")", nm);
    if (!acc) acc = sm__prec_float(d->precision) ? SM_PREC_FP32 : SM_PREC_INT32;
    if ((int)acc < 0 || (int)acc >= SM_PREC_COUNT) return sm__fail(err, SM_ERR_VALUE, NULL, "unknown accumulator precision %d", (int)acc);
    if (sm__prec_float(acc) != sm__prec_float(d->precision))
        return sm__fail(err, SM_ERR_VALUE, NULL, "a %s MAC cannot accumulate in %s (integer and floating point do not mix)", sm_precision_name(d->precision), sm_precision_name(acc));
    sm__op45(d->op != SM_OP_ADD, d->precision, &pj, &area);
    if (d->op == SM_OP_MAC) sm__op45(0, acc, &pj2, &area2);
    out->pj = (pj + pj2) * e;
    out->area_um2 = (area + area2) * a;
    return SM_OK;
}

/* ---- storage, per access of `bits` bits at 45 nm. SRAM: power laws in capacity (KB) and access
   width fitted by tools/fit_energy.py to 9 points over 384 B - 2 MB and 16 - 2048 bits: Horowitz
   ISSCC 2014 (8 KB, 32 KB, 1 MB, 64 bit), CACTI 6.5 at 45 nm as recorded in the Timeloop
   reference ERTs (128 KB x 64 b, 64 KB x 256 b, 384 B x 16 b) and CACTI 7 at 28 nm as published
   in ZigZag's example hardware (32 KB, 64 KB x 512 b, 2 MB x 2048 b; converted with the node
   factor). Largest error at a data point: read 1.27x, write 1.52x. Area (1.04x) and leakage
   (1.01x) are fitted to the three 45 nm CACTI points only.
   Register file (flip-flop array: every entry is on the read mux and the write enable tree, so
   energy grows linearly with the entries): bits x (a + b x entries), fitted to the six
   Aladdin-style register-file estimates of the Timeloop reference ERTs (simba 45 nm, eyeriss
   32 nm), largest error 1.62x; area and leakage per bit from the 45 nm points.
   Register: Aladdin (Shao et al., ISCA 2014) 40 nm table as shipped with Accelergy: 0.009 pJ and
   5.98 um^2 per bit, no leakage; used as 45 nm, as Accelergy does. Aladdin charges reads only; a
   flip-flop also spends it when written, so reads, writes and updates all pay it (ASSUMPTION).
   DRAM: energy per bit by type (interface and core, no node scaling, no area): LPDDR4 8 pJ/bit
   (Accelergy's DRAM table, "public data"; the Timeloop reference cases use it), HBM2 3.9 and
   GDDR5 14 pJ/bit (O'Connor et al., "Fine-grained DRAM", MICRO 2017), DDR4 15 pJ/bit
   (ASSUMPTION: within the 12-20 pJ/bit usually quoted for DDR4 DIMMs; no single source here). */
#define SM__SRAM_READ(kb, bits) (0.385559 * pow(kb, 0.540818) * pow(bits, 0.455453))
#define SM__SRAM_WRITE(kb, bits) (0.462632 * pow(kb, 0.400509) * pow(bits, 0.569242))
#define SM__SRAM_AREA(cap_bits) (0.57167 * pow(cap_bits, 0.972774))
#define SM__SRAM_LEAK_UW(cap_bits) (1.14873 + 4.00575e-6 * (cap_bits))
#define SM__RF_READ(bits, entries) ((bits) * (0.014998 + 0.000532807 * (entries)))
#define SM__RF_WRITE(bits, entries) ((bits) * (0.0120667 + 0.000531796 * (entries)))
#define SM__RF_AREA_PER_BIT 6.72316
#define SM__RF_LEAK_UW(cap_bits) (2.10739 + 0.000391533 * (cap_bits))
#define SM__REG_PJ_PER_BIT 0.009
#define SM__REG_AREA_PER_BIT 5.98
static const double sm__dram_pj_per_bit[] = { 8.0, 15.0, 3.9, 14.0 };   /* lpddr4, ddr4, hbm2, gddr5 */

/* Read (write 0) or write (1) energy of one access of `bits` bits to an array of cap_bits, 45 nm. */
static double sm__access45(sm_mem_kind k, sm_dram_type t, double cap_bits, double bits, int write) {
    switch (k) {
    case SM_MEM_SRAM: return write ? SM__SRAM_WRITE(cap_bits / 8192, bits) : SM__SRAM_READ(cap_bits / 8192, bits);
    case SM_MEM_REGFILE: return write ? SM__RF_WRITE(bits, cap_bits / bits) : SM__RF_READ(bits, cap_bits / bits);
    case SM_MEM_REG: return SM__REG_PJ_PER_BIT * bits;
    case SM_MEM_DRAM: return sm__dram_pj_per_bit[t] * bits;
    default: return 0;
    }
}

SMAPI sm_result sm_mem_estimate(const sm_mem_desc *d, sm_mem_cost *out, sm_error *err) {
    double e, a, v, wb = d->word_bits > 0 ? d->word_bits : 16, block = d->block_words > 0 ? (double)d->block_words : 1;
    double bits = wb * block, cap = d->words * wb, clock = d->clock_ghz > 0 ? d->clock_ghz : 1, escale, leak_uw = 0;
    int nm = d->tech_nm ? d->tech_nm : 45;
    memset(out, 0, sizeof *out);
    if ((int)d->kind <= SM_MEM_NONE || (int)d->kind > SM_MEM_REG) return sm__fail(err, SM_ERR_VALUE, NULL, "no memory kind (sram, regfile, dram, reg)");
    if ((int)d->dram_type < 0 || (int)d->dram_type > SM_DRAM_GDDR5) return sm__fail(err, SM_ERR_VALUE, NULL, "unknown DRAM type %d", (int)d->dram_type);
    if (!sm__node(nm, &e, &a, &v)) return sm__fail(err, SM_ERR_VALUE, NULL, "technology %d nm is not in the node table (" SM__NODES_TEXT ")", nm);
    if (d->kind != SM_MEM_DRAM && !(d->words > 0))
        return sm__fail(err, SM_ERR_VALUE, NULL, "a %s needs a size (capacity in words) for its energy and area", sm_mem_kind_name(d->kind));
    if (d->kind != SM_MEM_DRAM && cap < bits)
        return sm__fail(err, SM_ERR_VALUE, NULL, "a %s of %g words cannot deliver %g words per access", sm_mem_kind_name(d->kind), d->words, block);
    escale = d->kind == SM_MEM_DRAM ? 1 : e;   /* off-chip DRAM does not follow the logic node */
    out->read_pj = sm__access45(d->kind, d->dram_type, cap, bits, 0) * escale / block;
    out->write_pj = sm__access45(d->kind, d->dram_type, cap, bits, 1) * escale / block;
    out->update_pj = out->write_pj;
    if (d->metadata_word_bits > 0) {
        double mb = d->metadata_word_bits, mcap = d->metadata_words > 0 ? d->metadata_words * mb : cap;
        if (mcap < mb) mcap = mb;
        out->metadata_pj[SM_READ] = sm__access45(d->kind, d->dram_type, mcap, mb, 0) * escale;
        out->metadata_pj[SM_FILL] = out->metadata_pj[SM_UPDATE] = sm__access45(d->kind, d->dram_type, mcap, mb, 1) * escale;
    }
    switch (d->kind) {
    case SM_MEM_SRAM: out->area_um2 = SM__SRAM_AREA(cap) * a; leak_uw = SM__SRAM_LEAK_UW(cap); break;
    case SM_MEM_REGFILE: out->area_um2 = SM__RF_AREA_PER_BIT * cap * a; leak_uw = SM__RF_LEAK_UW(cap); break;
    case SM_MEM_REG: out->area_um2 = SM__REG_AREA_PER_BIT * cap * a; break;
    default: break;
    }
    /* uW -> pJ per cycle; leakage scaled like dynamic energy (ASSUMPTION: it grows relative to
       dynamic energy at small nodes, so this underestimates it there) */
    out->leak_pj = leak_uw * 1e-3 / clock * e;
    return SM_OK;
}

/* ---- network unit costs at 45 nm 0.9 V, all ASSUMPTIONS derived from the data above, not
   calibrated against a published network:
   - wire: alpha C V^2 per bit per mm with C = 0.2 pF/mm (a typical on-chip wire) and activity
     0.5: 0.081 pJ/bit/mm, scaled with V^2 only (wire capacitance per mm barely changes with node);
   - a 2:1 multiplexer bit costs half a full-adder bit (about half its transistors): half of
     Horowitz's 32-bit adder per bit, 1.56 fJ and 2.14 um^2, scaled with the node;
   - default hop 0.1 mm at 45 nm (a PE pitch of 100 um), scaled with the square root of the
     area factor. */
#define SM__WIRE_PJ_BIT_MM 0.081
#define SM__MUX_PJ_BIT (0.1 / 32 / 2)
#define SM__MUX_UM2_BIT (137.0 / 32 / 2)
#define SM__HOP_MM 0.1

SMAPI sm_result sm_unit_costs_estimate(sm_unit_costs *c, sm_error *err) {
    double e, a, v, pj, um2;
    int nm = c->tech_nm ? c->tech_nm : 45;
    sm_precision acc = c->acc_precision;
    if ((int)c->precision <= 0 || (int)c->precision >= SM_PREC_COUNT) return sm__fail(err, SM_ERR_VALUE, NULL, "no multiplier precision for the component estimate");
    if (!sm__node(nm, &e, &a, &v)) return sm__fail(err, SM_ERR_VALUE, NULL, "technology %d nm is not in the node table (" SM__NODES_TEXT ")", nm);
    if (!acc) acc = sm__prec_float(c->precision) ? SM_PREC_FP32 : SM_PREC_INT32;
    if ((int)acc < 0 || (int)acc >= SM_PREC_COUNT) return sm__fail(err, SM_ERR_VALUE, NULL, "unknown accumulator precision %d", (int)acc);
#define SM__FILL(f, val) do { if (c->f == 0) c->f = (val); } while (0)
    sm__op45(1, c->precision, &pj, &um2);
    SM__FILL(mult_pj, pj * e); SM__FILL(mult_um2, um2 * a);
    sm__op45(0, acc, &pj, &um2);
    SM__FILL(add_pj, pj * e); SM__FILL(add_um2, um2 * a);
    SM__FILL(reg_pj_bit, SM__REG_PJ_PER_BIT * e); SM__FILL(reg_um2_bit, SM__REG_AREA_PER_BIT * a);
    SM__FILL(mux_pj_bit, SM__MUX_PJ_BIT * e); SM__FILL(mux_um2_bit, SM__MUX_UM2_BIT * a);
    SM__FILL(cmp_pj_bit, SM__MUX_PJ_BIT * e); SM__FILL(cmp_um2_bit, SM__MUX_UM2_BIT * a);
    SM__FILL(wire_pj_bit_mm, SM__WIRE_PJ_BIT_MM * (v / 0.9) * (v / 0.9)); SM__FILL(hop_mm, SM__HOP_MM * sqrt(a));
#undef SM__FILL
    return SM_OK;
}

/* ---- resolving a spec's costs ---- */
static double *sm__level_cost(sm_level *lv, int c) {
    switch (c) {
    case SM_COST_READ: return &lv->read_pj;
    case SM_COST_WRITE: return &lv->write_pj;
    case SM_COST_UPDATE: return &lv->update_pj;
    case SM_COST_LEAK: return &lv->leak_pj;
    case SM_COST_AREA: return &lv->area_um2;
    default: return &lv->metadata_pj[c - SM_COST_MD_READ];
    }
}

static int sm__eff_word_bits(const sm_spec *s, const sm_level *lv) {
    return lv->word_bits ? lv->word_bits : s->problem.word_bits ? s->problem.word_bits : 16;
}

SMAPI sm_result sm_spec_resolve_energy(sm_spec *s, sm_error *err) {
    int l, c;
    sm_error local;
    for (l = 0; l < s->nlevels; l++) {
        sm_level *lv = &s->levels[l];
        sm_mem_desc md;
        sm_mem_cost mc;
        const sm_loc *where = lv->kind_loc.line ? &lv->kind_loc : &lv->loc;
        double lib[SM_COST_COUNT];
        for (c = 0; c < SM_COST_COUNT; c++) {   /* a value the library filled last time is not given */
            double *v = sm__level_cost(lv, c);
            if (lv->source[c] == SM_SRC_LIBRARY && !(lv->given >> c & 1u)) *v = 0;
            lv->source[c] = ((lv->given >> c & 1u) || *v != 0) ? SM_SRC_SPEC : SM_SRC_NONE;
        }
        if (!lv->kind) continue;
        memset(&md, 0, sizeof md);
        md.kind = lv->kind;
        md.dram_type = lv->dram_type;
        md.words = lv->size;
        md.word_bits = sm__eff_word_bits(s, lv);
        md.block_words = lv->block_words;
        md.banks = lv->banks;
        md.metadata_word_bits = lv->metadata_word_bits;
        md.metadata_words = lv->metadata_size;
        md.tech_nm = lv->tech_nm ? lv->tech_nm : s->tech_nm;
        md.clock_ghz = s->clock_ghz;
        if (sm_mem_estimate(&md, &mc, &local) != SM_OK)
            return sm__fail(err, local.code, where, "[level %s] kind = %s: %s", lv->name, sm_mem_kind_name(lv->kind), local.text + 7);
        lib[SM_COST_READ] = mc.read_pj; lib[SM_COST_WRITE] = mc.write_pj; lib[SM_COST_UPDATE] = mc.update_pj;
        lib[SM_COST_LEAK] = mc.leak_pj; lib[SM_COST_AREA] = mc.area_um2;
        for (c = 0; c < 3; c++) lib[SM_COST_MD_READ + c] = mc.metadata_pj[c];
        for (c = 0; c < SM_COST_COUNT; c++) {
            if (lv->source[c] == SM_SRC_SPEC && !s->library_energies) continue;
            if (c >= SM_COST_MD_READ && lv->metadata_word_bits <= 0) continue;
            /* update follows write when not given, whichever source write has (one rule with the eval's) */
            if (c == SM_COST_UPDATE && lv->source[c] != SM_SRC_SPEC && lv->source[SM_COST_WRITE] == SM_SRC_SPEC) continue;
            *sm__level_cost(lv, c) = lib[c];
            lv->source[c] = SM_SRC_LIBRARY;
        }
    }
    {
        sm_compute *cp = &s->compute;
        sm_op_desc od;
        sm_op_cost oc;
        int k;
        for (k = 0; k < 2; k++) {
            double *v = k ? &cp->area_um2 : &cp->mac_pj;
            if (cp->source[k] == SM_SRC_LIBRARY && !(cp->given >> k & 1u)) *v = 0;
            cp->source[k] = ((cp->given >> k & 1u) || *v != 0) ? SM_SRC_SPEC : SM_SRC_NONE;
        }
        if (!cp->use_library) return SM_OK;
        memset(&od, 0, sizeof od);
        od.op = cp->op;
        od.precision = cp->precision;
        od.acc_precision = cp->acc_precision;
        od.tech_nm = cp->tech_nm ? cp->tech_nm : s->tech_nm;
        if (!od.precision) {
            int wb = s->problem.word_bits ? s->problem.word_bits : 16;
            od.precision = wb == 8 ? SM_PREC_INT8 : wb == 16 ? SM_PREC_INT16 : wb == 32 ? SM_PREC_INT32 : SM_PREC_DEFAULT;
            if (!od.precision)
                return sm__fail(err, SM_ERR_VALUE, cp->op_loc.line ? &cp->op_loc : &cp->loc, "[compute %s] no precision given and word_bits %d is not 8, 16 or 32: set precision", cp->name, wb);
        }
        if (cp->acc_precision && cp->op != SM_OP_MAC)
            return sm__fail(err, SM_ERR_VALUE, cp->op_loc.line ? &cp->op_loc : &cp->loc, "[compute %s] acc_precision applies to op = mac only", cp->name);
        if (sm_op_estimate(&od, &oc, &local) != SM_OK)
            return sm__fail(err, local.code, cp->op_loc.line ? &cp->op_loc : &cp->loc, "[compute %s] %s", cp->name, local.text + 7);
        for (k = 0; k < 2; k++) {
            if (cp->source[k] == SM_SRC_SPEC && !s->library_energies) continue;
            *(k ? &cp->area_um2 : &cp->mac_pj) = k ? oc.area_um2 : oc.pj;
            cp->source[k] = SM_SRC_LIBRARY;
        }
    }
    return SM_OK;
}

/*=== [@params.impl] PARAMETER FILES ============================================================*/
struct sm_params {
    sm__store st;
    char *read;                    /* one flag per key: read by a loader */
};

static const sm__kv *sm__params_find(sm_params *p, const char *section, const char *key, ptrdiff_t *at) {
    char sec[256], buf[512];
    ptrdiff_t i;
    sm__section_name(section, sec, sizeof sec);
    snprintf(buf, sizeof buf, "%s\x1f%s", sec, key);
    i = stbds_shgeti(p->st.index, buf);
    if (i < 0) return NULL;
    if (at) *at = p->st.index[i].value;
    return &p->st.kvs[p->st.index[i].value];
}

static sm_result sm__params_finish(sm__source *src, const char *const *sets, int nsets, sm_params **out, sm_error *err) {
    sm_params *p = (sm_params *)calloc(1, sizeof *p);
    sm_result r;
    *out = NULL;
    if (!p) return sm__fail(err, SM_ERR_LIMIT, NULL, "out of memory");
    r = sm__collect(src, sets, nsets, &p->st, err);
    if (r == SM_OK && stbds_arrlen(p->st.kvs) > 0 && !(p->read = (char *)calloc((size_t)stbds_arrlen(p->st.kvs), 1)))
        r = sm__fail(err, SM_ERR_LIMIT, NULL, "out of memory");
    p->st.err = NULL;
    if (r != SM_OK) { sm_params_free(p); return r; }
    *out = p;
    return SM_OK;
}

SMAPI sm_result sm_params_load_file(const char *path, const char *const *sets, int nsets, sm_params **out, sm_error *err) {
    sm__source src;
    sm_result r;
    *out = NULL;
    if ((r = sm__source_file(&src, path, "parameter file", err)) != SM_OK) return r;
    r = sm__params_finish(&src, sets, nsets, out, err);
    sm__source_close(&src);
    return r;
}

SMAPI sm_result sm_params_load_string(const char *text, const char *name, const char *const *sets, int nsets,
                                      sm_params **out, sm_error *err) {
    sm__source src;
    sm__source_text(&src, text, name);
    return sm__params_finish(&src, sets, nsets, out, err);
}

SMAPI void sm_params_free(sm_params *p) {
    if (!p) return;
    sm__store_free(&p->st);
    free(p->read);
    free(p);
}

SMAPI int sm_params_count(const sm_params *p, const char *prefix) {
    ptrdiff_t i;
    int n = 0;
    size_t k = strlen(prefix);
    for (i = 0; i < stbds_arrlen(p->st.sections); i++) n += !strncmp(p->st.sections[i].name, prefix, k);
    return n;
}

SMAPI const char *sm_params_section(const sm_params *p, const char *prefix, int at) {
    ptrdiff_t i;
    int n = 0;
    size_t k = strlen(prefix);
    for (i = 0; i < stbds_arrlen(p->st.sections); i++)
        if (!strncmp(p->st.sections[i].name, prefix, k) && n++ == at) return p->st.sections[i].name;
    return NULL;
}

SMAPI const char *sm_params_get(sm_params *p, const char *section, const char *key, sm_loc *where) {
    ptrdiff_t at;
    const sm__kv *kv = sm__params_find(p, section, key, &at);
    if (!kv) return NULL;
    p->read[at] = 1;
    if (where) *where = kv->loc;
    return kv->value;
}

static sm_result sm__params_number(const sm__kv *kv, double lo, double hi, int whole, double *out, sm_error *err) {
    sm_result r = sm__num(kv, lo, out, err);
    if (r != SM_OK) return r;
    if (hi >= lo && *out > hi) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: %s must be at most %g", kv->section, kv->key, kv->value, hi);
    if (whole && *out != floor(*out)) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not a whole number", kv->section, kv->key, kv->value);
    if (whole && fabs(*out) > 2147483647.0) return sm__fail(err, SM_ERR_OVERFLOW, &kv->loc, "[%s] %s: %s exceeds 2^31-1", kv->section, kv->key, kv->value);
    return SM_OK;
}

SMAPI sm_result sm_params_num(sm_params *p, const char *section, const char *key, double lo, double hi, double dflt,
                              double *out, sm_error *err) {
    ptrdiff_t at;
    const sm__kv *kv = sm__params_find(p, section, key, &at);
    if (!kv) { *out = dflt; return SM_OK; }
    p->read[at] = 1;
    return sm__params_number(kv, lo, hi, 0, out, err);
}

SMAPI sm_result sm_params_read(sm_params *p, const char *section, const sm_param_key *keys, int nkeys, void *desc, sm_error *err) {
    int i;
    for (i = 0; i < nkeys; i++) {
        ptrdiff_t at;
        const sm__kv *kv = sm__params_find(p, section, keys[i].key, &at);
        char *field = (char *)desc + keys[i].offset;
        double v;
        sm_result r;
        if (!kv) continue;
        p->read[at] = 1;
        if ((r = sm__params_number(kv, keys[i].lo, keys[i].hi, keys[i].type != SM_PARAM_DOUBLE, &v, err)) != SM_OK) return r;
        if (keys[i].type == SM_PARAM_DOUBLE) memcpy(field, &v, sizeof v);
        else if (keys[i].type == SM_PARAM_LONG) { long l = (long)v; memcpy(field, &l, sizeof l); }
        else { int n = (int)v; memcpy(field, &n, sizeof n); }
    }
    return SM_OK;
}

SMAPI sm_result sm_params_check(const sm_params *p, const char *section, sm_error *err) {
    ptrdiff_t i;
    char sec[256];
    if (section) sm__section_name(section, sec, sizeof sec);
    for (i = 0; i < stbds_arrlen(p->st.kvs); i++)
        if (!p->read[i] && (!section || !strcmp(p->st.kvs[i].section, sec))) return sm__unknown(&p->st.kvs[i], err);
    return SM_OK;
}

/*=== [@twophase.impl] SPECULATIVE TWO-PHASE OPERATOR ===========================================*/
SMAPI long sm_jl_dim(double n, double eps) {
    double den;
    if (!(n >= 2) || !(eps > 0 && eps < 1)) return 0;
    den = eps * eps / 2 - eps * eps * eps / 3;
    return (long)floor(4 * log(n) / den + 1e-9);
}

SMAPI void sm_twophase_work_of(const sm_twophase *op, sm_twophase_work *w) {
    double n = op->n, d = op->d, p = op->p > 0 ? op->p : 1;
    double eps = op->eps > 0 ? op->eps : 0.5;
    double k = op->k > 0 ? op->k : (double)sm_jl_dim(n, eps);
    double pd = op->proj_density > 0 ? op->proj_density : 1.0 / 3;
    double keep = op->keep > 0 ? op->keep : 1, in = op->input_density > 0 ? op->input_density : 1;
    int pb = op->pred_bits > 0 ? op->pred_bits : 4, eb = op->exec_bits > 0 ? op->exec_bits : 16, jb = op->proj_bits > 0 ? op->proj_bits : 2;
    memset(w, 0, sizeof *w);
    if (k > d) k = d;
    w->k = k;
    w->dense_macs = n * d * p;
    w->pred_adds = pd * k * d * p;
    w->pred_macs = n * k * p;
    w->pred_compares = n * p;
    w->pred_weight_bits = n * k * pb;
    w->proj_bits = k * d * jb;
    w->mask_bits = n * p;
    w->exec_fraction = (op->skip & SM_SKIP_OUTPUT ? keep : 1) * (op->skip & SM_SKIP_INPUT ? in : 1);
    w->exec_macs = w->dense_macs * w->exec_fraction;
    w->exec_weight_bits = n * d * eb * (op->row_skip && (op->skip & SM_SKIP_OUTPUT) ? keep : 1);
}

SMAPI double sm_twophase_pipeline(int n, const double *pred, const double *exec, int nshared, const double *pred_use,
                                  const double *exec_use, int pipelined, double *exposed) {
    double t = 0, busy = 0;
    int i, j;
    for (i = 0; i < n; i++) busy += exec[i];
    if (n > 0 && !pipelined)
        for (i = 0; i < n; i++) t += pred[i] + exec[i];
    else if (n > 0) {
        t = pred[0];
        for (i = 0; i < n; i++) {
            double stage = exec[i];
            if (i + 1 < n) {
                stage = fmax(stage, pred[i + 1]);
                for (j = 0; j < nshared && pred_use && exec_use; j++)
                    stage = fmax(stage, exec_use[(size_t)i * nshared + j] + pred_use[(size_t)(i + 1) * nshared + j]);
            }
            t += stage;
        }
    }
    if (exposed) *exposed = t - busy;
    return t;
}

SMAPI double sm_bound(int n, const double *demand, const double *rate, int *which) {
    double t = 0;
    int i, w = -1;
    for (i = 0; i < n; i++)
        if (rate[i] > 0 && demand[i] > 0 && demand[i] / rate[i] > t) { t = demand[i] / rate[i]; w = i; }
    if (which) *which = w;
    return t;
}

SMAPI sm_result sm_twophase_load(sm_params *p, const char *section, sm_twophase *op, sm_error *err) {
    static const sm_param_key keys[] = {
        { "eps", offsetof(sm_twophase, eps), SM_PARAM_DOUBLE, 1e-9, 0.999999, "-", "Johnson-Lindenstrauss distortion for k (default 0.5)" },
        { "k", offsetof(sm_twophase, k), SM_PARAM_DOUBLE, 0, -1, "dims", "reduced dimension (0: from eps)" },
        { "proj_density", offsetof(sm_twophase, proj_density), SM_PARAM_DOUBLE, 1e-9, 1, "-", "non-zero fraction of the ternary projection (default 1/3)" },
        { "pred_bits", offsetof(sm_twophase, pred_bits), SM_PARAM_INT, 1, 64, "bits", "predictor precision (default 4)" },
        { "exec_bits", offsetof(sm_twophase, exec_bits), SM_PARAM_INT, 1, 64, "bits", "executor precision (default 16)" },
        { "proj_bits", offsetof(sm_twophase, proj_bits), SM_PARAM_INT, 1, 64, "bits", "bits per projection entry (default 2)" } };
    return sm_params_read(p, section, keys, (int)(sizeof keys / sizeof keys[0]), op, err);
}

/*=== [@macarray.impl] MULTI-PRECISION MAC ARRAYS ===============================================*/
SMAPI double sm_mac_factor(const sm_mac_array *a, int b) {
    int bits = a->bits > 0 ? a->bits : 16, minb = a->min_bits > 0 ? a->min_bits : bits;
    double f = (double)bits / (b > 0 ? b : 1);
    if (b <= 0 || b > bits || b < minb) return 0;
    return a->rule == SM_MAC_QUADRATIC ? f * f : a->rule == SM_MAC_LINEAR ? f : 1;
}

SMAPI double sm_mac_rate(const sm_mac_array *a, int b) { return (double)(a->units > 0 ? a->units : 1) * sm_mac_factor(a, b); }

SMAPI double sm_mac_pj(const sm_mac_array *a, int b) {
    double f = sm_mac_factor(a, b);
    return f > 0 ? a->mac_pj / f : 0;
}

SMAPI double sm_mac_rows_split(const sm_mac_array *a, long rows, double w1, int b1, double w2, int b2, long *rows1) {
    double per = (double)(a->units > 0 ? a->units : 1) / (double)(rows > 0 ? rows : 1);
    double r1 = per * sm_mac_factor(a, b1), r2 = per * sm_mac_factor(a, b2), best = -1;
    long r, lo = w1 > 0 ? 1 : 0, hi = w2 > 0 ? rows - 1 : rows, pick = lo;
    if (rows < 1) rows = 1;
    for (r = lo; r <= hi; r++) {
        double t1 = w1 > 0 ? (r1 > 0 ? ceil(w1 / (r * r1) - 1e-9) : HUGE_VAL) : 0;
        double t2 = w2 > 0 ? (r2 > 0 ? ceil(w2 / ((rows - r) * r2) - 1e-9) : HUGE_VAL) : 0;
        double t = fmax(t1, t2);
        if (best < 0 || t < best) { best = t; pick = r; }
    }
    if (rows1) *rows1 = pick;
    return best < 0 ? 0 : best;
}

SMAPI sm_result sm_mac_array_load(sm_params *p, const char *section, sm_mac_array *a, sm_error *err) {
    static const sm_param_key keys[] = {
        { "units", offsetof(sm_mac_array, units), SM_PARAM_LONG, 1, -1, "MACs", "multipliers of the native width" },
        { "bits", offsetof(sm_mac_array, bits), SM_PARAM_INT, 1, 64, "bits", "native width (default 16)" },
        { "min_bits", offsetof(sm_mac_array, min_bits), SM_PARAM_INT, 1, 64, "bits", "narrowest width (default bits)" },
        { "mac_pj", offsetof(sm_mac_array, mac_pj), SM_PARAM_DOUBLE, 0, -1, "pJ", "energy per native-width MAC" } };
    sm_loc loc;
    const char *rule = sm_params_get(p, section, "rule", &loc);
    sm_result r = sm_params_read(p, section, keys, (int)(sizeof keys / sizeof keys[0]), a, err);
    if (r != SM_OK || !rule) return r;
    if (!strcmp(rule, "fixed")) a->rule = SM_MAC_FIXED;
    else if (!strcmp(rule, "linear")) a->rule = SM_MAC_LINEAR;
    else if (!strcmp(rule, "quadratic")) a->rule = SM_MAC_QUADRATIC;
    else return sm__fail(err, SM_ERR_VALUE, &loc, "[%s] rule: '%s' is not fixed, linear or quadratic", section, rule);
    return SM_OK;
}

/*=== [@lockstep.impl] LOCK-STEP ROWS ===========================================================*/
/* Uniform in [0, 1) from the header's generator (sm__rng, splitmix64), local to each evaluation. */
static double sm__rng01(sm__rng *r) { return (double)(sm__next(r) >> 11) * (1.0 / 9007199254740992.0); }

/* The binomial pmf of Bin(N, q) (N whole) over [lo, lo + n), where it exceeds 1e-15 of its mode,
   renormalized, in buf[0 .. n) (buf has room for N + 1 values). */
static void sm__binom_range(double N, double q, double *buf, long *lo, long *n) {
    long m, a, b, i;
    double pm, sum = 0;
    if (N <= 0 || q >= 1 || q <= 0) { *lo = q <= 0 ? 0 : (long)N; *n = 1; buf[0] = 1; return; }
    m = (long)floor((N + 1) * q);
    if (m > (long)N) m = (long)N;
    pm = exp(sm__lchoose(N, (double)m) + m * log(q) + (N - m) * log1p(-q));
    buf[m] = pm;
    for (b = m; b < (long)N; b++) {
        double nx = buf[b] * (N - b) / (b + 1) * q / (1 - q);
        if (nx < 1e-15 * pm) break;
        buf[b + 1] = nx;
    }
    for (a = m; a > 0; a--) {
        double nx = buf[a] * a / (N - a + 1) * (1 - q) / q;
        if (nx < 1e-15 * pm) break;
        buf[a - 1] = nx;
    }
    for (i = a; i <= b; i++) sum += buf[i];
    for (i = a; i <= b; i++) buf[i - a] = buf[i] / sum;
    *lo = a;
    *n = b - a + 1;
}

/* The distribution of one row's time given n kept items: support values and cumulative
   probabilities (sorted by value). */
typedef struct sm__rowd { long start, count; } sm__rowd;
typedef struct sm__pt { double v, p; } sm__pt;
static int sm__pt_cmp(const void *a, const void *b) {
    double x = ((const sm__pt *)a)->v, y = ((const sm__pt *)b)->v;
    return x < y ? -1 : x > y;
}

SMAPI sm_result sm_lockstep_eval(const sm_lockstep *d, sm_lockstep_result *o, sm_error *err) {
    long rows = d->rows > 0 ? d->rows : 1, lanes = d->lanes > 0 ? d->lanes : 1, items = d->items > 0 ? d->items : 1;
    long units = d->units > 0 ? d->units : rows, trials = d->trials > 0 ? d->trials : 400, groups, last, n, i, j;
    double keep = d->keep > 0 ? d->keep : 1, rin = d->input_density > 0 ? d->input_density : 1, c = d->skipped_cost;
    double L = d->lane_work, a = d->min_step, maxN, *pn = NULL, *buf = NULL, *vals = NULL, *cdf = NULL;
    sm__rowd *rd = NULL;
    sm__pt *pts = NULL;
    long total = 0, lo, cnt;
    sm_result r = SM_OK;
    memset(o, 0, sizeof *o);
    if (!(L > 0) || keep > 1 || rin > 1 || c < 0 || c > 1 || a < 0 || d->buckets < 0 || items > 100000000L)
        return sm__fail(err, SM_ERR_VALUE, NULL, "lockstep: lane_work must be > 0, keep and input_density in (0, 1], skipped_cost in [0, 1], min_step and buckets >= 0");
    if (rin < 1) L = ceil(L - 1e-9);     /* MAC opportunities of one lane per item: a whole number */
    groups = (units + rows - 1) / rows;
    last = units - (groups - 1) * rows;
    o->steps = (double)groups;
    o->dense_cycles = groups * fmax(items * L, a);
    o->effectual = (double)units * lanes * items * keep * L * rin;
    o->balanced_bound = o->effectual / ((double)rows * lanes);
    maxN = items * L;
    pn = (double *)malloc(sizeof *pn * (size_t)(items + 1));
    rd = (sm__rowd *)malloc(sizeof *rd * (size_t)(items + 1));
    buf = (double *)malloc(sizeof *buf * (size_t)(fmax(maxN, (double)items) + 2));
    if (!pn || !rd || !buf) { r = sm__fail(err, SM_ERR_LIMIT, NULL, "lockstep: out of memory"); goto done; }
    /* kept items per unit: Bin(items, keep) */
    sm__binom_range((double)items, keep, buf, &lo, &cnt);
    for (n = 0; n <= items; n++) pn[n] = n >= lo && n < lo + cnt ? buf[n - lo] : 0;
    /* per n: the support of the row time (max over lanes), sized first */
    for (n = 0; n <= items; n++) {
        rd[n].start = total;
        if (pn[n] <= 0) { rd[n].count = 0; continue; }
        if (rin < 1) { sm__binom_range(n * L, rin, buf, &lo, &cnt); rd[n].count = cnt; }
        else rd[n].count = 1;
        total += rd[n].count;
    }
    vals = (double *)malloc(sizeof *vals * (size_t)(total + 1));
    cdf = (double *)malloc(sizeof *cdf * (size_t)(total + 1));
    pts = (sm__pt *)malloc(sizeof *pts * (size_t)(total + 1));
    if (!vals || !cdf || !pts) { r = sm__fail(err, SM_ERR_LIMIT, NULL, "lockstep: out of memory"); goto done; }
    for (n = 0; n <= items; n++) {
        double shift = (items - n) * c * L * rin, g = 0, hprev = 0;
        if (!rd[n].count) continue;
        if (rin < 1) sm__binom_range(n * L, rin, buf, &lo, &cnt);
        else { lo = 0; cnt = 1; buf[0] = 1; }
        for (i = 0; i < cnt; i++) {
            double h, v = (rin < 1 ? (double)(lo + i) : n * L) + shift;
            long at = rd[n].start + i;
            g += buf[i];
            h = i == cnt - 1 ? 1 : pow(fmin(g, 1), (double)lanes);
            vals[at] = v;
            cdf[at] = h;
            pts[at].v = fmax(v, a);
            pts[at].p = pn[n] * (h - hprev);
            hprev = h;
        }
    }
    if (!d->buckets) {   /* exact: E[max of k i.i.d. rows] = sum_v v (F(v)^k - F(v-)^k) */
        double e_full = 0, e_last = 0, F = 0, prev_full = 0, prev_last = 0;
        qsort(pts, (size_t)total, sizeof *pts, sm__pt_cmp);
        for (i = 0; i < total; i = j) {
            double pf, pl;
            for (j = i; j < total && pts[j].v == pts[i].v; j++) F += pts[j].p;
            if (j == total) F = 1;
            pf = pow(F, (double)rows);
            pl = pow(F, (double)last);
            e_full += pts[i].v * (pf - prev_full);
            e_last += pts[i].v * (pl - prev_last);
            prev_full = pf;
            prev_last = pl;
        }
        o->cycles = (groups - 1) * e_full + e_last;
        o->exact = 1;
    } else {             /* reordered windows: Monte-Carlo over kept counts, exact row-time draws */
        sm__rng state;
        long B = d->buckets, *cnts = (long *)malloc(sizeof(long) * (size_t)units), *order = (long *)malloc(sizeof(long) * (size_t)units);
        long *bstart = (long *)calloc((size_t)B + 1, sizeof(long));
        double sum = 0, *pc = buf;   /* cumulative Bin(items, keep) */
        state.s = d->seed ? (unsigned long long)d->seed : 1ULL;
#define SM__SLOT(k) (B - 1 - ((k) * B / (items + 1) < B ? (k) * B / (items + 1) : B - 1))
        if (!cnts || !order || !bstart) { free(cnts); free(order); free(bstart); r = sm__fail(err, SM_ERR_LIMIT, NULL, "lockstep: out of memory"); goto done; }
        for (n = 0; n <= items; n++) pc[n] = (n ? pc[n - 1] : 0) + pn[n];
        for (i = 0; i < trials; i++) {
            long b, u;
            memset(bstart, 0, sizeof(long) * (size_t)(B + 1));
            for (u = 0; u < units; u++) {   /* draw the kept count of every unit, count per slot */
                double x = sm__rng01(&state);
                long k = 0, hi = items;
                while (k < hi) { long mid = (k + hi) / 2; if (pc[mid] >= x) hi = mid; else k = mid + 1; }
                cnts[u] = k;
                bstart[SM__SLOT(k) + 1]++;
            }
            for (b = 0; b < B; b++) bstart[b + 1] += bstart[b];
            for (u = 0; u < units; u++) order[bstart[SM__SLOT(cnts[u])]++] = u;   /* largest bucket first, index order inside */
            for (u = 0; u < units; u += rows) {
                double t = a;
                long e = u + rows < units ? u + rows : units;
                for (j = u; j < e; j++) {
                    const sm__rowd *q = &rd[cnts[order[j]]];
                    double x = sm__rng01(&state);
                    long k = 0, hi = q->count - 1;
                    while (k < hi) { long mid = (k + hi) / 2; if (cdf[q->start + mid] >= x) hi = mid; else k = mid + 1; }
                    t = fmax(t, vals[q->start + k]);
                }
                sum += t;
            }
        }
        o->cycles = sum / trials;
        free(cnts); free(order); free(bstart);
#undef SM__SLOT
    }
    o->utilization = o->cycles > 0 ? o->effectual / ((double)rows * lanes * o->cycles) : 0;
done:
    free(pn); free(rd); free(buf); free(vals); free(cdf); free(pts);
    return r;
}

SMAPI sm_result sm_lockstep_load(sm_params *p, const char *section, sm_lockstep *d, sm_error *err) {
    static const sm_param_key keys[] = {
        { "rows", offsetof(sm_lockstep, rows), SM_PARAM_LONG, 1, -1, "rows", "rows in lock step" },
        { "lanes", offsetof(sm_lockstep, lanes), SM_PARAM_LONG, 1, -1, "PEs", "PEs per row" },
        { "buckets", offsetof(sm_lockstep, buckets), SM_PARAM_LONG, 0, -1, "-", "reorder buckets (0: no reordering)" },
        { "skipped_cost", offsetof(sm_lockstep, skipped_cost), SM_PARAM_DOUBLE, 0, 1, "-", "work a skipped item still costs" },
        { "min_step", offsetof(sm_lockstep, min_step), SM_PARAM_DOUBLE, 0, -1, "cycles", "least cycles of a step" },
        { "trials", offsetof(sm_lockstep, trials), SM_PARAM_LONG, 1, -1, "windows", "Monte-Carlo windows (default 400)" },
        { "seed", offsetof(sm_lockstep, seed), SM_PARAM_LONG, 0, -1, "-", "Monte-Carlo seed (default 1)" } };
    return sm_params_read(p, section, keys, (int)(sizeof keys / sizeof keys[0]), d, err);   /* seed: an unsigned long read as a long >= 0 */
}

/*=== [@nearmem.impl] NEAR-MEMORY RANKS AND DDR TIMING ==========================================*/
typedef struct sm__ddrv { double tck, bb, tb, tcl, trcd, trp, trc, trrd, tfaw, banks, row; } sm__ddrv;
static void sm__ddr_resolve(const sm_ddr *d, sm__ddrv *v) {
    double ccd = d->tCCD > 0 ? d->tCCD : 4, burst = d->burst > 0 ? d->burst : 8;
    v->tck = sm_ddr_tck(d);
    v->bb = (d->bus_bits > 0 ? d->bus_bits : 64) / 8.0 * burst;
    v->tb = fmax(ccd, burst / 2) * v->tck;
    v->tcl = (d->tCL > 0 ? d->tCL : 16) * v->tck;
    v->trcd = (d->tRCD > 0 ? d->tRCD : 16) * v->tck;
    v->trp = (d->tRP > 0 ? d->tRP : 16) * v->tck;
    v->trc = (d->tRC > 0 ? d->tRC : 55) * v->tck;
    v->trrd = (d->tRRD > 0 ? d->tRRD : 4) * v->tck;
    v->tfaw = (d->tFAW > 0 ? d->tFAW : 4 * (d->tRRD > 0 ? d->tRRD : 4)) * v->tck;
    v->banks = d->bank_parallelism > 0 ? d->bank_parallelism : (d->banks > 0 ? d->banks : 16);
    v->row = d->row_bytes > 0 ? d->row_bytes : 8192;
}

/* acts activations, each holding its bank for tRCD + its bursts + tRP (at least tRC) */
static void sm__ddr_finish(const sm__ddrv *v, double bursts, double acts, double bank_busy, sm_ddr_time *o) {
    memset(o, 0, sizeof *o);
    o->bursts = bursts;
    o->activates = acts;
    if (bursts <= 0) return;
    o->bus_ns = bursts * v->tb;
    o->bank_ns = bank_busy / v->banks;
    o->act_ns = acts * fmax(v->trrd, v->tfaw / 4);
    o->latency_ns = v->trcd + v->tcl;
    o->bound = o->bank_ns > o->bus_ns && o->bank_ns >= o->act_ns ? 1 : o->act_ns > o->bus_ns ? 2 : 0;
    o->ns = fmax(o->bus_ns, fmax(o->bank_ns, o->act_ns)) + o->latency_ns;
}

SMAPI double sm_ddr_tck(const sm_ddr *d) { return 2000.0 / (d->mts > 0 ? d->mts : 2400); }
SMAPI double sm_ddr_peak_gbs(const sm_ddr *d) { return (d->mts > 0 ? d->mts : 2400) * (d->bus_bits > 0 ? d->bus_bits : 64) / 8.0 / 1000.0; }

SMAPI void sm_ddr_stream(const sm_ddr *d, double bytes, sm_ddr_time *o) {
    sm__ddrv v;
    double bursts, rows, per_row;
    sm__ddr_resolve(d, &v);
    bursts = ceil(bytes / v.bb - 1e-9);
    rows = ceil(bytes / v.row - 1e-9);
    per_row = rows > 0 ? bursts / rows : 0;
    sm__ddr_finish(&v, bursts, rows, rows * fmax(v.trc, v.trcd + per_row * v.tb + v.trp), o);
}

SMAPI void sm_ddr_gather(const sm_ddr *d, double rows, double row_bytes, sm_ddr_time *o) {
    sm__ddrv v;
    double per, acts;
    sm__ddr_resolve(d, &v);
    per = ceil(row_bytes / v.bb - 1e-9);
    acts = ceil(row_bytes / v.row - 1e-9);   /* a record longer than a DRAM row opens several */
    if (acts < 1) acts = 1;
    sm__ddr_finish(&v, rows * per, rows * acts, rows * acts * fmax(v.trc, v.trcd + per / acts * v.tb + v.trp), o);
}

SMAPI double sm_ddr_command_ns(const sm_ddr *d, double instructions, double ca_slots, double dq_bytes) {
    sm__ddrv v;
    sm__ddr_resolve(d, &v);
    return fmax(instructions * (ca_slots > 0 ? ca_slots : 1) * v.tck, instructions * ceil(dq_bytes / v.bb - 1e-9) * v.tb);
}

SMAPI sm_result sm_ddr_load(sm_params *p, const char *section, sm_ddr *d, sm_error *err) {
    static const sm_param_key keys[] = {
        { "mts", offsetof(sm_ddr, mts), SM_PARAM_DOUBLE, 1, -1, "MT/s", "data rate (default 2400)" },
        { "bus_bits", offsetof(sm_ddr, bus_bits), SM_PARAM_INT, 1, 1024, "bits", "data bus width (default 64)" },
        { "burst", offsetof(sm_ddr, burst), SM_PARAM_INT, 1, 64, "beats", "burst length (default 8)" },
        { "tCL", offsetof(sm_ddr, tCL), SM_PARAM_DOUBLE, 0, -1, "tCK", "CAS latency (default 16)" },
        { "tRCD", offsetof(sm_ddr, tRCD), SM_PARAM_DOUBLE, 0, -1, "tCK", "activate to read (default 16)" },
        { "tRP", offsetof(sm_ddr, tRP), SM_PARAM_DOUBLE, 0, -1, "tCK", "precharge (default 16)" },
        { "tRC", offsetof(sm_ddr, tRC), SM_PARAM_DOUBLE, 0, -1, "tCK", "row cycle (default 55)" },
        { "tCCD", offsetof(sm_ddr, tCCD), SM_PARAM_DOUBLE, 0, -1, "tCK", "column to column (default 4)" },
        { "tRRD", offsetof(sm_ddr, tRRD), SM_PARAM_DOUBLE, 0, -1, "tCK", "activate to activate (default 4)" },
        { "tFAW", offsetof(sm_ddr, tFAW), SM_PARAM_DOUBLE, 0, -1, "tCK", "four-activate window (default 4 tRRD)" },
        { "banks", offsetof(sm_ddr, banks), SM_PARAM_INT, 1, 4096, "banks", "banks per rank (default 16)" },
        { "bank_parallelism", offsetof(sm_ddr, bank_parallelism), SM_PARAM_DOUBLE, 0, -1, "banks", "banks busy at once (default banks)" },
        { "row_bytes", offsetof(sm_ddr, row_bytes), SM_PARAM_DOUBLE, 1, -1, "bytes", "row (page) per rank (default 8192)" } };
    return sm_params_read(p, section, keys, (int)(sizeof keys / sizeof keys[0]), d, err);
}

SMAPI void sm_nearmem_eval(const sm_nearmem *nm, const sm_nearmem_phase *ph, int nphases, int parallel, sm_nearmem_result *o) {
    double ghz = nm->logic_ghz > 0 ? nm->logic_ghz : 1, share = nm->broadcast ? 1 : (double)(nm->ranks > 0 ? nm->ranks : 1);
    double stream = 0, write = 0, gather_ns = 0, gather_lat = 0, cmax = 0, csum = 0;
    sm_ddr_time t;
    int i;
    memset(o, 0, sizeof *o);
    for (i = 0; i < nphases; i++) {
        double c = ph[i].macs > 0 && ph[i].macs_per_cycle > 0 ? ph[i].macs / ph[i].macs_per_cycle / ghz : 0;
        stream += ph[i].stream_bytes;
        write += ph[i].write_bytes;
        if (ph[i].gather_rows > 0) {
            sm_ddr_gather(&nm->ddr, ph[i].gather_rows, ph[i].gather_row_bytes, &t);
            gather_ns += t.ns - t.latency_ns;
            gather_lat = t.latency_ns;
        }
        o->bytes += ph[i].stream_bytes + ph[i].write_bytes + ph[i].gather_rows * ph[i].gather_row_bytes;
        cmax = fmax(cmax, c);
        csum += c;
    }
    sm_ddr_stream(&nm->ddr, stream + write, &t);   /* reads and spills in turn on the same rank */
    o->dram_ns = t.ns + gather_ns + (t.ns > 0 ? 0 : gather_lat);
    o->compute_ns = parallel ? cmax : csum;
    o->rank_ns = fmax(o->dram_ns, o->compute_ns);
    o->host_ns = sm_ddr_command_ns(&nm->ddr, nm->host_bytes > 0 ? share : 0, 1, nm->host_bytes);
    o->result_ns = sm_ddr_command_ns(&nm->ddr, nm->result_bytes > 0 ? (double)(nm->ranks > 0 ? nm->ranks : 1) : 0, 1, nm->result_bytes);
    o->command_ns = sm_ddr_command_ns(&nm->ddr, nm->host_instr * share, nm->ca_slots, nm->host_instr_bytes);
    o->ns = o->host_ns + fmax(o->rank_ns, o->command_ns) + o->result_ns;
    o->aggregate_gbs = (double)(nm->channels > 0 ? nm->channels : 1) * (double)(nm->ranks > 0 ? nm->ranks : 1) * sm_ddr_peak_gbs(&nm->ddr);
}

/*=== [@roofline.impl] ROOFLINE PROCESSORS ======================================================*/
static const char *const sm__kernel_names[SM_KERNEL_COUNT] = { "gemm", "gemv", "spmm", "sddmm", "softmax", "gather", "conv" };
SMAPI const char *sm_kernel_name(sm_kernel k) { return (int)k >= 0 && k < SM_KERNEL_COUNT ? sm__kernel_names[k] : "?"; }

static double sm__roof_peak(const sm_roofline *r, int bits) {
    int i = bits <= 4 ? 3 : bits <= 8 ? 2 : bits <= 16 ? 1 : 0;
    for (; i >= 0; i--) if (r->tops[i] > 0) return r->tops[i] * 1e12;
    return 0;
}

SMAPI double sm_roofline_time(const sm_roofline *r, sm_kernel k, int bits, double ops, double bytes) {
    double peak = sm__roof_peak(r, bits), ec = r->eff_compute[k] > 0 ? r->eff_compute[k] : 1, em = r->eff_memory[k] > 0 ? r->eff_memory[k] : 1;
    double tc = peak > 0 ? ops / (peak * ec) : 0, tm = r->mem_gbs > 0 ? bytes / (r->mem_gbs * 1e9 * em) : 0;
    return fmax(tc, tm) + r->launch_us * 1e-6;
}

SMAPI double sm_roofline_attainable(const sm_roofline *r, sm_kernel k, int bits, double ai) {
    double peak = sm__roof_peak(r, bits) * (r->eff_compute[k] > 0 ? r->eff_compute[k] : 1);
    double mem = r->mem_gbs * 1e9 * (r->eff_memory[k] > 0 ? r->eff_memory[k] : 1) * ai;
    return fmin(peak, mem) * 1e-12;
}

SMAPI sm_result sm_roofline_load(sm_params *p, const char *section, sm_roofline *r, sm_error *err) {
    static const char *const prec[4] = { "tops_fp32", "tops_fp16", "tops_int8", "tops_int4" };
    sm_result res;
    int i;
    for (i = 0; i < 4; i++) if ((res = sm_params_num(p, section, prec[i], 0, -1, r->tops[i], &r->tops[i], err)) != SM_OK) return res;
    if ((res = sm_params_num(p, section, "mem_gbs", 0, -1, r->mem_gbs, &r->mem_gbs, err)) != SM_OK) return res;
    if ((res = sm_params_num(p, section, "launch_us", 0, -1, r->launch_us, &r->launch_us, err)) != SM_OK) return res;
    for (i = 0; i < SM_KERNEL_COUNT; i++) {
        char key[48];
        snprintf(key, sizeof key, "eff_compute_%s", sm__kernel_names[i]);
        if ((res = sm_params_num(p, section, key, 0, 1, r->eff_compute[i], &r->eff_compute[i], err)) != SM_OK) return res;
        snprintf(key, sizeof key, "eff_memory_%s", sm__kernel_names[i]);
        if ((res = sm_params_num(p, section, key, 0, 1, r->eff_memory[i], &r->eff_memory[i], err)) != SM_OK) return res;
    }
    return SM_OK;
}

/*=== [@attention.impl] ATTENTION, PREDICTED MASKS, TOKEN-PARALLEL KEY LOADING ==================*/
SMAPI void sm_attention_work_of(const sm_attention *a, sm_attention_work *w) {
    double l = a->l, d = a->d, h = a->heads > 0 ? a->heads : 1, keep = a->keep > 0 ? a->keep : 1, k = a->k > 0 ? a->k : d / 4;
    double pairs = a->causal ? l * (l + 1) / 2 : l * l;
    memset(w, 0, sizeof *w);
    w->linear = 3 * l * d * d;
    w->dense_attention = 2 * pairs * d;
    w->scores = w->context = keep * pairs * d;
    w->other = l * d * d + 2 * l * d * a->dff;
    w->softmax = keep * pairs * h;
    {   /* the predictor is the two-phase operator's: X (l x d) projected to k dims, then k x k products */
        sm_twophase op;
        sm_twophase_work t;
        memset(&op, 0, sizeof op);
        op.n = k; op.d = d; op.p = l; op.k = k;
        sm_twophase_work_of(&op, &t);
        w->pred_adds = t.pred_adds;    /* X P: l d k / 3 additions */
        w->pred_qk = 2 * t.pred_macs;  /* Q~ and K~: l k^2 each */
    }
    w->pred_scores = pairs * k;
    w->compares = pairs * h;
    w->connections = keep * pairs;
}

/* Locality-aware scheduling of one group: keys in buckets by the set of the group's rows that still
   need them (bit i: row i), FIFO inside a bucket. */
static double sm__kv_group_ooo(const unsigned char *mask, long cols, long r0, long T, long *next, long *head, long *tail, long *left) {
    long j, i, nb = 1L << T;
    double loads = 0;
    unsigned busy_all = 0;
    for (i = 0; i < nb; i++) head[i] = tail[i] = -1;
    for (i = 0; i < T; i++) left[i] = 0;
    for (j = 0; j < cols; j++) {   /* bucket every key by its rows */
        unsigned m = 0;
        for (i = 0; i < T; i++) if (mask[(r0 + i) * cols + j]) { m |= 1u << i; left[i]++; }
        next[j] = -1;
        if (!m) continue;
        if (tail[m] >= 0) next[tail[m]] = j; else head[m] = j;
        tail[m] = j;
    }
    for (i = 0; i < T; i++) if (left[i]) busy_all |= 1u << i;
    while (busy_all) {   /* one round: every unfinished row takes one key */
        unsigned freeset = busy_all;
        while (freeset) {
            long best = -1, bi = 0, bs = 0, bsz = 0;
            int bsub = 0;
            for (i = 1; i < nb; i++) {
                unsigned m = (unsigned)i, in = m & freeset;
                long c = 0, sz = 0;
                int sub;
                unsigned x;
                if (head[i] < 0 || !in) continue;
                for (x = in; x; x &= x - 1) c++;
                for (x = m; x; x &= x - 1) sz++;
                sub = (m & ~freeset) == 0;
                if (best < 0 || c > bs || (c == bs && sub > bsub) || (c == bs && sub == bsub && sz < bsz) ||
                    (c == bs && sub == bsub && sz == bsz && head[i] < head[bi])) { best = head[i]; bi = i; bs = c; bsub = sub; bsz = sz; }
            }
            if (best < 0) break;
            {   /* issue key `best` to the free rows that need it; the rest keep it for later */
                unsigned m = (unsigned)bi, served = m & freeset, rest = m & ~served;
                head[m] = next[best];
                if (head[m] < 0) tail[m] = -1;
                next[best] = -1;
                if (rest) { if (tail[rest] >= 0) next[tail[rest]] = best; else head[rest] = best; tail[rest] = best; }
                for (i = 0; i < T; i++) if (served >> i & 1u) { if (--left[i] == 0) busy_all &= ~(1u << i); }
                freeset &= ~served;
                loads++;
            }
        }
    }
    return loads;
}

SMAPI double sm_kv_loads(const unsigned char *mask, long rows, long cols, long T, sm_kv_order order) {
    long r, j, i, *scratch = NULL, *pos = NULL;
    double loads = 0;
    unsigned char *seen = NULL;
    if (!mask || rows < 1 || cols < 1 || T < 1 || T > 16) return -1;
    if (order == SM_KV_ROW) {
        for (r = 0; r < rows * cols; r++) loads += mask[r] != 0;
        return loads;
    }
    if (order == SM_KV_OOO) {
        size_t n = (size_t)cols + 2 * ((size_t)1 << T) + (size_t)T;
        if (!(scratch = (long *)malloc(n * sizeof *scratch))) return -1;
        for (r = 0; r < rows; r += T) {
            long t = rows - r < T ? rows - r : T;
            loads += sm__kv_group_ooo(mask, cols, r, t, scratch, scratch + cols, scratch + cols + ((size_t)1 << T), scratch + cols + 2 * ((size_t)1 << T));
        }
        free(scratch);
        return loads;
    }
    if (!(seen = (unsigned char *)calloc((size_t)cols, 1)) || !(pos = (long *)calloc((size_t)T, sizeof *pos))) { free(seen); free(pos); return -1; }
    for (r = 0; r < rows; r += T) {
        long t = rows - r < T ? rows - r : T;
        if (order == SM_KV_UNION) {
            for (j = 0; j < cols; j++) {
                int any = 0;
                for (i = 0; i < t; i++) any |= mask[(r + i) * cols + j] != 0;
                loads += any;
            }
            continue;
        }
        for (i = 0; i < t; i++) pos[i] = 0;
        for (;;) {   /* rounds: each row's next key in key order */
            long used[16], nu = 0, k;
            for (i = 0; i < t; i++) {
                const unsigned char *row = mask + (r + i) * cols;
                while (pos[i] < cols && !row[pos[i]]) pos[i]++;
                if (pos[i] < cols) { if (!seen[pos[i]]) { seen[pos[i]] = 1; used[nu++] = pos[i]; } pos[i]++; }
            }
            if (!nu) break;
            loads += (double)nu;
            for (k = 0; k < nu; k++) seen[used[k]] = 0;
        }
    }
    free(seen);
    free(pos);
    return loads;
}

SMAPI sm_result sm_mask_make(const sm_mask_model *m, unsigned char *mask, sm_error *err) {
    long r, j, c;
    sm__rng state;
    long *pool;
    if (m->rows < 1 || m->cols < 1 || !(m->keep >= 0 && m->keep <= 1) || m->global < 0 || m->local < 0 || m->global + m->local > 1 + 1e-12)
        return sm__fail(err, SM_ERR_VALUE, NULL, "mask model: rows, cols >= 1; keep in [0, 1]; global, local >= 0 with global + local <= 1");
    if (!(pool = (long *)malloc(sizeof(long) * (size_t)m->cols))) return sm__fail(err, SM_ERR_LIMIT, NULL, "mask model: out of memory");
    state.s = m->seed ? (unsigned long long)m->seed : 1ULL;
    memset(mask, 0, (size_t)m->rows * (size_t)m->cols);
    for (r = 0; r < m->rows; r++) {
        unsigned char *row = mask + r * m->cols;
        long cand = m->causal ? (r < m->cols ? r + 1 : m->cols) : m->cols;
        long k = (long)floor(m->keep * cand + 0.5), ng = (long)floor(m->global * k + 0.5), nl = (long)floor(m->local * k + 0.5), got = 0, np = 0, off;
        if (k > cand) k = cand;
        for (j = 0; j < cand && got < ng; j++) if (!row[j]) { row[j] = 1; got++; }          /* global columns */
        for (off = 0, c = 0; c < nl && off < 2 * cand; off++) {                            /* the nearest keys */
            long jj = off % 2 ? r - (off + 1) / 2 : r + off / 2;
            if (jj < 0 || jj >= cand || row[jj]) continue;
            row[jj] = 1; got++; c++;
        }
        for (j = 0; j < cand; j++) if (!row[j]) pool[np++] = j;
        while (got < k && np > 0) {                                                      /* the rest at random */
            long at = (long)(sm__rng01(&state) * (double)np);
            if (at >= np) at = np - 1;
            row[pool[at]] = 1;
            pool[at] = pool[--np];
            got++;
        }
    }
    free(pool);
    return SM_OK;
}

/*=== [@eval.impl] VALIDATION, TIMING, ENERGY ===================================================*/
/* Sparseloop's correction of vector accesses for small compressed tiles (include/model/buffer.hpp,
   VectorWidthCoefficientTable): below these tile sizes (in blocks), a block holds on average fewer
   non-zeros than block x density, so accesses scale by E[ceil(nnz / block)] / (E[nnz] / block). */
typedef struct sm__vec_ctx { double block, total; } sm__vec_ctx;
static void sm__vec_fn(double k, double p, void *vctx) { sm__vec_ctx *c = (sm__vec_ctx *)vctx; if (k >= 1) c->total += sm__ceil(k / c->block) * p; }
static double sm__vector_ratio(const sm_density *d, const sm__lt *lt, double block) {
    static const double table[5][10] = {
        { 251, 125, 84, 63, 51, 42, 36, 32, 28, 1 }, { 375, 188, 125, 94, 75, 63, 54, 47, 42, 1 },
        { 438, 219, 146, 110, 88, 73, 63, 55, 49, 1 }, { 469, 235, 157, 118, 94, 79, 67, 59, 52, 1 },
        { 485, 243, 162, 122, 97, 81, 70, 61, 52, 1 } };
    int row = 0, idx;
    sm__vec_ctx c;
    if (!lt->compressed || lt->shape <= 0 || block <= 1 || lt->density >= 1) return 1;
    while (row < 4 && (double)(2 << row) < block) row++;
    idx = lt->density >= 0.1 ? (int)floor(lt->density / 0.1) - 1 : 0;
    if (idx < 0) idx = 0;
    if (idx > 9) idx = 9;
    if (table[row][idx] <= lt->shape / block) return 1;
    c.block = block; c.total = 0;
    sm__occupancies(d, &lt->tile, sm__vec_fn, &c);
    return lt->occ > 0 ? c.total / (lt->shape * lt->density / block) : 1;
}

/* Format bits of one action and class: sum over ranks of entries x entry width. */
static double sm__fmt_bits(const sm__lt *lt, const double (*f)[2]) {
    double b = 0;
    int r;
    for (r = 0; r < lt->nranks; r++) b += f[r][0] * lt->rk[r].md_bits + f[r][1] * lt->rk[r].pl_bits;
    return b;
}

/* Sparseloop's compute classification for the operand states exists-non-zero / exists-zero /
   not-exist (CalculateFineGrainedComputeAccesses2Operand, generalized to n operands): an operand
   whose SAF reached the compute level conditions the others on its non-empty tiles. */
static void sm__compute_classes(int nop, const double *dens, const int *has_md, const int *saf, const double *saf_p,
                                int gate, int skip, double total, double *cls) {
    double enz[SM_MAX_TENSORS], pz[SM_MAX_TENSORS], pne[SM_MAX_TENSORS], act = 0, gat = 0, skp = 0, non = 0;
    long st, nst = 1;
    int i, j;
    for (i = 0; i < nop; i++) {
        double d = dens[i];
        for (j = 0; j < nop; j++) if (j != i && saf[j] && saf_p[j] < 1) d /= 1 - saf_p[j];
        if (d > 1) d = 1;
        enz[i] = d;
        pz[i] = has_md[i] ? 0 : 1 - d;
        pne[i] = has_md[i] ? 1 - d : 0;
        nst *= 3;
    }
    for (st = 0; st < nst; st++) {
        double pr = 1;
        long x = st;
        int nz = 0, ne = 0;
        for (i = 0; i < nop; i++, x /= 3) {
            int state = (int)(x % 3);   /* 0 non-zero, 1 zero, 2 not there */
            pr *= state == 0 ? enz[i] : state == 1 ? pz[i] : pne[i];
            nz += state == 1; ne += state == 2;
        }
        if (pr == 0) continue;
        if (ne == nop) non += pr;
        else if (ne) { if (skip) skp += pr; else if (gate) gat += pr; else act += pr; }
        else if (nz) { if (gate) gat += pr; else act += pr; }
        else act += pr;
    }
    cls[SM_SKIPPED] = sm__floor(total * skp);
    cls[SM_GATED] = sm__floor(total * gat);
    cls[SM_ACTUAL] = total - cls[SM_SKIPPED] - cls[SM_GATED] - sm__floor(total * non);
    (void)act;
}

static const char *sm__saf_kind_name(sm_saf_kind k) { return k == SM_SAF_GATE ? "gate" : k == SM_SAF_SKIP ? "skip" : "skip_spatial"; }

/* Spatial skipping (Sparseloop): per tensor, X/Y expansion and busy fraction of every level's
   instances. Instances whose tile an upper level knows to be empty (it holds metadata) are idle;
   a skip_spatial SAF gives them other work, so the mapping may fan out beyond the mesh by up to
   1 / density. Sets opt[][].spatial_p and the compute level's average utilized instances. */
static sm_result sm__spatial_skip(const sm_spec *s, const sm__nest *n, const unsigned *dims, const unsigned *kept, const double *util,
                                  sm__spatial *sp, sm__opt (*opt)[SM_MAX_LEVELS], double *comp_avg, sm_error *err) {
    const sm_problem *p = &s->problem;
    int L = s->nlevels, t, x, y, u, i;
    double cx[SM_MAX_TENSORS][SM_MAX_LEVELS + 1], cy[SM_MAX_TENSORS][SM_MAX_LEVELS + 1];   /* expansions the levels were given */
    for (t = 0; t < p->ntensors; t++) {   /* metadata above a level leaves its instances with empty tiles idle */
        sm__spatial *z = &sp[t];
        for (x = 0; x <= L; x++) {
            z->mx[x] = z->my[x] = z->avg[x] = 1;
            z->reduced[x] = 0;
            for (i = 0; i < n->first[x]; i++) { if (n->loops[i].spatial == 2) z->mx[x] *= n->loops[i].f; else if (n->loops[i].spatial) z->my[x] *= n->loops[i].f; }
            cx[t][x] = z->mx[x]; cy[t][x] = z->my[x];
        }
        for (u = L - 1; u >= 0; u--) {
            int in = u;
            double busy, rx, ry;
            while (in > 0 && !(kept[in] >> t & 1u)) in--;
            if (!(kept[in] >> t & 1u) || !s->format[in][t].nranks) continue;
            sm__spatial_loops(s, n, dims, u, t, -1, -1, &busy, &rx, &ry);
            z->mx[u + 1] *= rx; z->my[u + 1] *= ry;
            z->avg[u + 1] = busy;
            z->reduced[u + 1] = busy != 1;
        }
        for (x = 0; x < L; x++) {
            double rx = cx[t][x] > 0 ? z->mx[x] / cx[t][x] : 1, ry = cy[t][x] > 0 ? z->my[x] / cy[t][x] : 1;
            int cross = 0;
            if (rx == 1 && ry == 1) continue;
            cx[t][x] = z->mx[x]; cy[t][x] = z->my[x];
            for (y = x + 1; y <= L; y++) {
                z->mx[y] *= rx; z->my[y] *= ry;
                if (z->reduced[y]) cross = 1;
                if (!cross) z->avg[y] *= z->avg[x];
            }
        }
    }
    for (i = 0; i < s->nsafs; i++) {      /* the skip_spatial SAFs */
        const sm_saf *f = &s->safs[i];
        double agg = 1;
        int ch = -1, cnd;
        if (f->kind != SM_SAF_SKIP_SPATIAL) continue;
        u = f->level;
        for (y = u + 1; y < L && ch < 0; y++) if (kept[y] >> f->target & 1u) ch = y;
        for (cnd = 0; cnd < p->ntensors; cnd++) {
            int in = u;
            double busy, rx, ry;
            if (!(f->cond >> cnd & 1u)) continue;
            while (in > 0 && !(kept[in] >> cnd & 1u)) in--;
            if (!(kept[in] >> cnd & 1u) || !s->format[in][cnd].nranks) continue;   /* no metadata finds its empty tiles */
            sm__spatial_loops(s, n, dims, u, cnd, f->target, ch, &busy, &rx, &ry);
            sp[f->target].mx[u + 1] *= rx; sp[f->target].my[u + 1] *= ry;
            agg *= busy;
        }
        sp[f->target].avg[u + 1] = agg;
        if (opt[f->target][u].kind)
            return sm__fail(err, SM_ERR_UNSUPPORTED, &f->loc, "[saf] %s.skip_spatial.%s: spatial and temporal gating/skipping of one tensor at one level cannot be combined",
                            s->levels[u].name, p->tensors[f->target].name);
        opt[f->target][u].spatial = 1;
    }
    *comp_avg = 0;
    for (t = 0; t < p->ntensors; t++) {   /* propagate each level's reduction inward, up to the next skip_spatial */
        sm__spatial *z = &sp[t];
        for (x = 0; x <= L; x++) {
            double rx = x < L && cx[t][x] > 0 ? z->mx[x] / cx[t][x] : 1, ry = x < L && cy[t][x] > 0 ? z->my[x] / cy[t][x] : 1;
            int cross = 0;
            if (x > 0) opt[t][x - 1].spatial_p = 1 - z->avg[x];
            if (x == L) *comp_avg = fmax(*comp_avg, util[L] * z->avg[L]);
            if (rx == 1 && ry == 1) continue;
            for (y = x + 1; y <= L; y++) {
                if (opt[t][y - 1].spatial) cross = 1;
                if (!cross) z->avg[y] *= z->avg[x];
                z->mx[y] *= rx; z->my[y] *= ry;
            }
        }
    }
    return SM_OK;
}

/* Within their fanout: the spatial loops at each level, or with spatial skipping the instances
   they still need (X: mesh_x ratio). */
static sm_result sm__check_spatial(const sm_spec *s, const sm__spatial *sp, int any_spatial, sm_error *err) {
    int l, i, t;
    for (l = 0; l < s->nlevels; l++) {
        const sm_level *lv = &s->levels[l];
        long fan = sm__instances(s, l + 1) / sm__instances(s, l), fanx = sm__mesh_x(s, l + 1) / sm__mesh_x(s, l);
        const char *cname = sm__level_name(s, l + 1);
        double fx = 1, fy = 1;
        for (i = 0; i < s->map[l].spatial_x.n; i++) fx *= (double)s->map[l].spatial_x.loops[i].factor;
        for (i = 0; i < s->map[l].spatial_y.n; i++) fy *= (double)s->map[l].spatial_y.loops[i].factor;
        if (any_spatial) {
            double nx = 0, ny = 0;
            for (t = 0; t < s->problem.ntensors; t++) {
                if (sp[t].mx[l] > 0) nx = fmax(nx, sp[t].mx[l + 1] / sp[t].mx[l]);
                if (sp[t].my[l] > 0) ny = fmax(ny, sp[t].my[l + 1] / sp[t].my[l]);
            }
            if (nx > (double)fanx + 1e-9)
                return sm__fail(err, SM_ERR_FANOUT, &s->map[l].spatial_x.loc, "[mapping] %s.spatial_x: factors multiply to %.0f, %.4g instances after spatial skipping, but the X fanout from %s to %s is %ld",
                                lv->name, fx, nx, lv->name, cname, fanx);
            if (ny > (double)(fan / fanx) + 1e-9)
                return sm__fail(err, SM_ERR_FANOUT, &s->map[l].spatial_y.loc, "[mapping] %s.spatial_y: factors multiply to %.0f, %.4g instances after spatial skipping, but the Y fanout from %s to %s is %ld",
                                lv->name, fy, ny, lv->name, cname, fan / fanx);
            continue;
        }
        if (fx > (double)fanx)
            return sm__fail(err, SM_ERR_FANOUT, &s->map[l].spatial_x.loc, "[mapping] %s.spatial_x: factors multiply to %.0f, but the X fanout from %s to %s is %ld",
                            lv->name, fx, lv->name, cname, fanx);
        if (fy > (double)(fan / fanx))
            return sm__fail(err, SM_ERR_FANOUT, &s->map[l].spatial_y.loc, "[mapping] %s.spatial_y: factors multiply to %.0f, but the Y fanout from %s to %s is %ld",
                            lv->name, fy, lv->name, cname, fan / fanx);
    }
    return SM_OK;
}

SMAPI sm_result sm_eval(const sm_spec *s, sm_stats *o, sm_error *err) {
    const sm_problem *p = &s->problem;
    sm__nest nest;
    sm__nest *n = &nest;
    sm_result r;
    int l, t, i, d, a, c, L = s->nlevels, any_spatial = 0, gate_compute = 0, skip_compute = 0;
    double util[SM_MAX_LEVELS + 1] = {0};
    double deliv[SM_MAX_LEVELS + 1][SM_MAX_TENSORS];   /* per instance; [nlevels] = compute */
    int child[SM_MAX_LEVELS][SM_MAX_TENSORS], parent[SM_MAX_LEVELS][SM_MAX_TENSORS];
    unsigned kept[SM_MAX_LEVELS];
    sm__opt opt[SM_MAX_TENSORS][SM_MAX_LEVELS];
    sm__spatial sp[SM_MAX_TENSORS];
    sm__lt lts[SM_MAX_LEVELS];
    sm__final fin[SM_MAX_LEVELS];
    double inst[SM_MAX_LEVELS][SM_MAX_TENSORS];          /* average utilized instances */
    double computes = 1, total_cycles, comp_avg = 0, comp_left, used_words[SM_MAX_LEVELS] = {0}, used_md_bits[SM_MAX_LEVELS] = {0};
    double op_p[SM_MAX_TENSORS] = {0}, op_d[SM_MAX_TENSORS] = {0}, t_p[SM_MAX_TENSORS] = {0};
    int op_saf[SM_MAX_TENSORS] = {0}, op_md[SM_MAX_TENSORS] = {0}, t_saf[SM_MAX_TENSORS] = {0}, nop = 0;
    unsigned kept_any = 0, dims[SM_MAX_TENSORS];
    /* clear only what this spec uses: the stats struct is sized for SM_MAX_LEVELS */
    memset(o, 0, offsetof(sm_stats, level));
    for (l = 0; l < (L > 0 && L <= SM_MAX_LEVELS ? L : SM_MAX_LEVELS); l++) {   /* and only its tensors */
        sm_level_stats *ls = &o->level[l];
        memset(ls, 0, offsetof(sm_level_stats, t));
        memset(ls->t, 0, sizeof ls->t[0] * (size_t)(p->ntensors > 0 && p->ntensors <= SM_MAX_TENSORS ? p->ntensors : SM_MAX_TENSORS));
        memset(&ls->read_per_cycle, 0, sizeof *ls - offsetof(sm_level_stats, read_per_cycle));
    }
    o->nlevels = L;
    o->ntensors = p->ntensors;
    if (L < 1 || L > SM_MAX_LEVELS || p->ntensors < 2 || p->ndims < 1)
        return sm__fail(err, SM_ERR_VALUE, NULL, s->array.kind && L < 1 ? "%s: an [array] spec without storage levels: evaluate it with sm_array_eval"
                                                                        : "%s: spec needs an einsum and at least one storage level", s->path);
    for (d = 0; d < p->ndims; d++) {
        if (p->bounds[d] < 1) return sm__fail(err, SM_ERR_VALUE, &p->bounds_loc, "[problem] bounds: dim %s must be >= 1", p->dims[d]);
        computes *= (double)p->bounds[d];
    }
    if (computes > SM__EXACT)
        return sm__fail(err, SM_ERR_OVERFLOW, &p->bounds_loc, "[problem] bounds: %.4g computes exceed 2^53, the largest count held exactly", computes);
    if ((r = sm__build_nest(s, n, err)) != SM_OK) return r;
    if ((r = sm__check_mesh(s, err)) != SM_OK) return r;
    for (t = 0; t < p->ntensors; t++) {   /* which dims index each tensor; is anything sparse */
        int k;
        dims[t] = 0;
        for (i = 0; i < p->tensors[t].nranks; i++)
            for (k = 0; k < p->tensors[t].ranks[i].nterms; k++) dims[t] |= 1u << p->tensors[t].ranks[i].terms[k].dim;
        if (s->density[t].kind != SM_DENSITY_DENSE) o->sparse = 1;
        for (l = 0; l < L; l++) if (s->format[l][t].nranks) o->sparse = 1;
    }
    if (s->nsafs) o->sparse = 1;

    util[0] = 1;   /* spatial factors above each level */
    for (l = 1; l <= L; l++) {
        util[l] = util[l - 1];
        for (i = n->first[l - 1]; i < n->first[l]; i++) if (n->loops[i].spatial) util[l] *= n->loops[i].f;
    }
    for (l = 0; l < L; l++) {
        kept[l] = o->level[l].kept = ~s->map[l].bypass & ((1u << p->ntensors) - 1);
        kept_any |= kept[l];
        /* A level that keeps nothing is a pure spatial stage only if it also costs nothing: a real
           buffer the mapping bypasses entirely still leaks, and Timeloop charges and reports it
           (ISPASS 2020 exercise 05, null mapping: RegisterFile 1.32 pJ, GlobalBuffer 12.24 pJ). */
        o->level[l].is_spatial = kept[l] == 0 && sm__no_costs(&s->levels[l]);
        o->level[l].utilized_instances = kept[l] == 0 ? util[l] : 0;   /* else the most over its tensors */
    }
    for (t = 0; t < p->ntensors; t++) {
        int last = -1;
        if (!(kept_any >> t & 1))
            return sm__fail(err, SM_ERR_MAPPING, &s->mapping_loc, "[mapping] tensor %s is kept by no storage level", p->tensors[t].name);
        for (l = 0; l < L; l++) {   /* nearest keeping levels */
            parent[l][t] = child[l][t] = -1;
            if (!(kept[l] >> t & 1)) continue;
            parent[l][t] = last;
            if (last >= 0) child[last][t] = l;
            last = l;
        }
    }

    /* tiles, partitions and deliveries */
    for (l = 0; l < L; l++) {
        double ext[SM_MAX_DIMS], pext[SM_MAX_DIMS];
        sm__extents(p, n, n->first[l], ext);
        for (d = 0; d < p->ndims; d++) pext[d] = ext[d];
        for (i = 0; i < n->first[l]; i++) if (!n->loops[i].spatial) pext[n->loops[i].dim] *= n->loops[i].f;
        for (t = 0; t < p->ntensors; t++) {
            sm_access *ac = &o->level[l].t[t];
            double rank_size[SM_MAX_RANKS];
            if (!(kept[l] >> t & 1)) continue;
            ac->tile = sm__tile_size(&p->tensors[t], ext, rank_size);
            ac->partition = sm__tile_size(&p->tensors[t], pext, NULL);
            deliv[l][t] = ac->tile < 0 ? -1 : sm__deliveries(p, &p->tensors[t], dims[t], n, n->first[l], ext, ac->tile, rank_size);
            if (ac->partition < 0 || deliv[l][t] < 0)
                return sm__fail(err, SM_ERR_LIMIT, &p->einsum_loc, "[problem] einsum: an index expression of %s is too irregular to count exactly at level %s",
                                p->tensors[t].name, s->levels[l].name);
        }
    }
    for (t = 0; t < p->ntensors; t++) deliv[L][t] = n->temporal_iters;
    for (i = n->nloops - 1; i >= 0 && n->loops[i].spatial; i--) {}   /* i: the innermost temporal loop */
    if (i >= 0 && i < n->nloops - 1 && n->loops[i + 1].level != n->loops[i].level) {
        /* Timeloop counts every iteration of the innermost loops as operand accesses, except where a
           temporal loop sits directly above another level's spatial fan-out to the MACs (a buffer
           feeding the MACs through a spatial stage): there it counts the change of the fanned-out
           operands, as for a one-word tile per MAC, so a loop that does not move T costs nothing
           (nest-analysis accumulates deltas at a temporal loop just above a storage boundary;
           dse2024 cases). Temporal and spatial loops of one level (DSTC's LRF: M4 N2 over M16 N16)
           keep one access per iteration (the 2022 Sparseloop run re-reads A at every N2 step). */
        double one[SM_MAX_DIMS], rs[SM_MAX_RANKS];
        for (d = 0; d < p->ndims; d++) one[d] = 1;
        for (t = 0; t < p->ntensors; t++) {
            double w = sm__tile_size(&p->tensors[t], one, rs);
            deliv[L][t] = w < 0 ? -1 : sm__deliveries(p, &p->tensors[t], dims[t], n, n->nloops, one, w, rs);
            if (deliv[L][t] < 0)
                return sm__fail(err, SM_ERR_LIMIT, &p->einsum_loc, "[problem] einsum: an index expression of %s is too irregular to count exactly at the compute level",
                                p->tensors[t].name);
        }
    }

    /* SAFs: where each acts and how often */
    memset(opt, 0, sizeof opt[0] * (size_t)p->ntensors);
    for (c = 0; c < 2; c++)   /* gating first, then skipping: of two on one tile the stronger wins */
        for (i = 0; i < s->nsafs; i++) {
            const sm_saf *f = &s->safs[i];
            int tl;
            double pr;
            sm__opt *op;
            if (f->level == L) { gate_compute |= f->kind == SM_SAF_GATE; skip_compute |= f->kind == SM_SAF_SKIP; continue; }
            if (f->kind == SM_SAF_SKIP_SPATIAL) { any_spatial = 1; continue; }
            if ((int)f->kind != c) continue;
            for (tl = f->level; tl >= 0 && !(kept[tl] >> f->target & 1); tl--) {}
            if (tl < 0) return sm__fail(err, SM_ERR_MAPPING, &f->loc, "[saf] %s.%s.%s: no level at or above %s keeps %s", s->levels[f->level].name,
                                        sm__saf_kind_name(f->kind), p->tensors[f->target].name, s->levels[f->level].name, p->tensors[f->target].name);
            pr = sm__saf_prob(s, n, dims, child[tl][f->target], f, tl);
            op = &opt[f->target][tl];
            if (!op->kind || op->p < pr) { op->kind = f->kind == SM_SAF_GATE ? 1 : 2; op->p = pr; }
        }
    if (any_spatial && (r = sm__spatial_skip(s, n, dims, kept, util, sp, opt, &comp_avg, err)) != SM_OK) return r;
    if ((r = sm__check_spatial(s, sp, any_spatial, err)) != SM_OK) return r;

    /* per tensor: formats, occupancy, SAFs combined; totals */
    comp_left = computes;
    for (t = 0; t < p->ntensors; t++) {
        const sm_tensor *ten = &p->tensors[t];
        const sm_density *dm = &s->density[t];
        int reach;
        double cp;
        for (l = 0; l < L; l++) {   /* algorithmic reads, fills, updates per instance */
            sm__lt *lt = &lts[l];
            sm_access *ac = &o->level[l].t[t];
            int ch = child[l][t] >= 0 ? child[l][t] : L;
            double distinct = 1, from_child, ext[SM_MAX_DIMS];
            lt->parent = parent[l][t];
            lt->child = child[l][t];
            lt->alg[0] = lt->alg[1] = lt->alg[2] = 0;
            lt->nranks = lt->compressed = 0;
            lt->density = lt->nonempty = 1;
            lt->shape = lt->occ = 0;
            if (!(kept[l] >> t & 1)) continue;
            for (i = n->first[l]; i < n->first[ch]; i++)
                if (n->loops[i].spatial && (dims[t] >> n->loops[i].dim & 1u)) distinct *= n->loops[i].f;
            from_child = deliv[ch][t] * distinct;
            if (ten->is_output) {
                lt->alg[SM_UPDATE] = from_child;
                lt->alg[SM_READ] = from_child - ac->partition;
                lt->alg[SM_FILL] = parent[l][t] >= 0 ? deliv[l][t] - ac->partition : 0;
            } else {
                lt->alg[SM_READ] = from_child;
                lt->alg[SM_FILL] = parent[l][t] >= 0 ? deliv[l][t] : 0;
            }
            for (a = 0; a < 3; a++)
                if (lt->alg[a] * util[l] > SM__EXACT)
                    return sm__fail(err, SM_ERR_OVERFLOW, &p->bounds_loc, "level %s tensor %s: access counts exceed 2^53", s->levels[l].name, ten->name);
            lt->shape = ac->tile;
            if (dm->kind == SM_DENSITY_NM || dm->kind == SM_DENSITY_BANDED || dm->kind == SM_DENSITY_MASK || s->format[l][t].nranks) {
                sm__extents(p, n, n->first[l], ext);   /* models that need the tile's geometry */
                sm__box_of(ten, ext, &lt->tile);
            } else lt->tile.nranks = ten->nranks;
            lt->tile.size = lt->shape;
        }
        for (l = L - 1; l >= 0; l--) {   /* formats and occupancy, inner levels first (pre-tiling needs the child's ranks) */
            sm__lt *lt = &lts[l];
            if (!(kept[l] >> t & 1)) continue;
            if ((r = sm__bind_ranks(s, n, l, t, lts, err)) != SM_OK) return r;
            sm__expected_occupancy(dm, lt, lt->parent >= 0 && s->format[lt->parent][t].nranks);
            for (a = 0; a < 3; a++) {
                int rr;
                for (rr = 0; rr < lt->nranks; rr++) {
                    lt->fmt[a][rr][0] = lt->shape > 0 ? sm__ceil(lt->md[rr][0] * lt->alg[a] / lt->shape) : 0;
                    lt->fmt[a][rr][1] = lt->shape > 0 ? sm__ceil(lt->md[rr][1] * lt->alg[a] / lt->shape) : 0;
                }
            }
            /* capacity: compressed tiles take their largest occupancy, metadata its bits */
            if (lt->compressed) { double lo, hi; sm__occ_range(dm, &lt->tile, &lo, &hi); used_words[l] += hi; }
            else used_words[l] += lt->shape;
            if (lt->nranks) used_md_bits[l] += sm__max_metadata_bits(dm, lt);
            o->level[l].t[t].max_instances = any_spatial ? sp[t].mx[l] * sp[t].my[l] : util[l];
            inst[l][t] = any_spatial ? fmin(util[l] * sp[t].avg[l], o->level[l].t[t].max_instances) : util[l] * lt->nonempty;
        }
        cp = sm__combine(s, t, lts, opt[t], fin, &reach);
        if (reach) { comp_left -= sm__floor(comp_left * cp); t_saf[t] = 1; t_p[t] = floor(cp * 1e6 + 0.5) / 1e6; }
        for (l = 0; l < L; l++) {   /* (de)compression, then totals */
            sm__lt *lt = &lts[l];
            sm_access *ac = &o->level[l].t[t];
            double w = inst[l][t], mwb = s->levels[l].metadata_word_bits, bits;
            if (!(kept[l] >> t & 1)) continue;
            if (!lt->compressed && lt->parent >= 0 && lts[lt->parent].compressed) {
                const sm_level *lv = &s->levels[l];
                if (!lv->decompression)
                    return sm__fail(err, SM_ERR_MAPPING, &lv->loc, "[level %s] holds %s uncompressed but its parent %s holds it compressed: set decompression = 1 on it, or give it a compressed format too",
                                    lv->name, ten->name, s->levels[lt->parent].name);
                if (ten->is_output && !lv->compression)
                    return sm__fail(err, SM_ERR_MAPPING, &lv->loc, "[level %s] must compress %s for its parent %s: set compression = 1", lv->name, ten->name, s->levels[lt->parent].name);
                ac->decompressions = fin[l].data[SM_FILL][SM_ACTUAL] * w;
                if (ten->is_output) ac->compressions = fin[lt->parent].data[SM_UPDATE][SM_ACTUAL] * w;
            }
            ac->reads = lt->alg[SM_READ] * w;
            ac->fills = lt->alg[SM_FILL] * w;
            ac->updates = lt->alg[SM_UPDATE] * w;
            ac->has_format = lt->nranks > 0;
            ac->occupancy = lt->occ;
            ac->instances = w;
            for (a = 0; a < 3; a++)
                for (c = 0; c < 3; c++) {
                    int rr;
                    ac->data[a][c] = fin[l].data[a][c] * w;
                    if (!lt->nranks) continue;
                    for (rr = 0; rr < lt->nranks; rr++) { ac->metadata[a][c] += fin[l].fmt[a][c][rr][0] * w; ac->payload[a][c] += fin[l].fmt[a][c][rr][1] * w; }
                    bits = sm__fmt_bits(lt, (const double (*)[2])fin[l].fmt[a][c]);
                    ac->metadata_words[a][c] = mwb > 0 ? sm__ceil(bits / mwb) * w : 0;
                }
        }
        /* per-tensor energy needs the tile's statistics: keep what the energy stage uses */
        for (l = 0; l < L; l++) {
            const sm_level *lv = &s->levels[l];
            sm__lt *lt = &lts[l];
            sm_access *ac = &o->level[l].t[t];
            double block = (double)(lv->block_words ? lv->block_words : 1), ratio, e = 0, mwb = lv->metadata_word_bits;
            double wb = (double)(lv->word_bits ? lv->word_bits : (p->word_bits ? p->word_bits : 16));
            double clusters, share, rd = 0, wr = 0, maxi = ac->max_instances;
            if (!(kept[l] >> t & 1)) continue;
            ratio = sm__vector_ratio(dm, lt, block);
            for (a = 0; a < 3; a++)
                for (c = 0; c < 3; c++) {
                    double cnt = fin[l].data[a][c], pj, mpj, bits = lt->nranks ? sm__fmt_bits(lt, (const double (*)[2])fin[l].fmt[a][c]) : 0;
                    if (cnt == 0 && bits == 0) continue;
                    if (c == SM_ACTUAL) { pj = a == SM_READ ? lv->read_pj : a == SM_FILL ? lv->write_pj : (lv->update_pj ? lv->update_pj : lv->write_pj); mpj = lv->metadata_pj[a]; }
                    else if (c == SM_GATED) { pj = lv->gated_pj[a]; mpj = lv->gated_metadata_pj[a]; }
                    else { pj = lv->skipped_pj[a] ? lv->skipped_pj[a] : lv->gated_pj[a]; mpj = lv->skipped_metadata_pj[a] ? lv->skipped_metadata_pj[a] : lv->gated_metadata_pj[a]; }
                    e += sm__ceil(cnt / block) * ratio * block * pj;
                    if (mwb > 0) e += sm__ceil(bits / mwb) * mpj;
                    if (c == SM_SKIPPED) continue;   /* skipped accesses take no bandwidth */
                    if (a == SM_READ) rd += cnt + sm__ceil(bits / wb); else wr += cnt + sm__ceil(bits / wb);
                }
            if (!lt->compressed && lt->parent >= 0 && lts[lt->parent].compressed) {
                e += lv->decompression_pj * fin[l].data[SM_FILL][SM_ACTUAL];
                if (ten->is_output) e += lv->compression_pj * fin[lt->parent].data[SM_UPDATE][SM_ACTUAL];
            }
            clusters = fmin(maxi, floor((double)sm__instances(s, l) / (double)(lv->cluster_size ? lv->cluster_size : 1)));
            share = clusters >= 1 ? maxi / clusters : 1;
            ac->energy_pj = e / share * inst[l][t];
            o->level[l].energy_pj += ac->energy_pj;
            if (maxi > 0) { rd *= inst[l][t] / maxi; wr *= inst[l][t] / maxi; }   /* idle instances lend their bandwidth */
            o->level[l].read_per_cycle += rd;
            o->level[l].write_per_cycle += wr;
            if (maxi > o->level[l].utilized_instances) o->level[l].utilized_instances = maxi;
        }
        if (!ten->is_output) {   /* operand state at the innermost level keeping it */
            for (l = L - 1; l >= 0 && !(kept[l] >> t & 1); l--) {}
            op_md[nop] = s->format[l][t].nranks > 0;
            op_d[nop] = floor(sm__mean_density(dm) * 1e6 + 0.5) / 1e6;
            op_saf[nop] = t_saf[t];
            op_p[nop] = t_p[t];
            nop++;
        }
    }
    for (l = 0; l < L; l++) {   /* capacity */
        const sm_level *lv = &s->levels[l];
        double mb = lv->multiple_buffering > 0 ? lv->multiple_buffering : 1, cap = floor(lv->size / mb);
        if (lv->size > 0 && used_words[l] > cap) {
            char list[256] = "";
            for (t = 0; t < p->ntensors; t++)
                if (kept[l] >> t & 1) {
                    char one[96];
                    snprintf(one, sizeof one, "%s%s %.0f", list[0] ? ", " : "", p->tensors[t].name, o->level[l].t[t].tile);
                    strncat(list, one, sizeof list - strlen(list) - 1);
                }
            return sm__fail(err, SM_ERR_CAPACITY, s->map[l].temporal.loc.line ? &s->map[l].temporal.loc : &lv->loc,
                            "level %s: tiles (%s) need %.0f words, capacity is %.0f (size %.0f / multiple_buffering %g)",
                            lv->name, list, used_words[l], cap, lv->size, mb);
        }
        if (lv->metadata_size > 0 && lv->metadata_word_bits > 0 && used_md_bits[l] > floor(lv->metadata_size / mb) * lv->metadata_word_bits)
            return sm__fail(err, SM_ERR_CAPACITY, s->map[l].temporal.loc.line ? &s->map[l].temporal.loc : &lv->loc,
                            "level %s: metadata needs %.0f bits, metadata capacity is %.0f (metadata_size %.0f x metadata_word_bits %d / multiple_buffering %g)",
                            lv->name, used_md_bits[l], floor(lv->metadata_size / mb) * lv->metadata_word_bits, lv->metadata_size, lv->metadata_word_bits, mb);
    }

    /* computes: Sparseloop's operand states, or a skip model */
    o->computes = computes;
    sm__compute_classes(nop, op_d, op_md, op_saf, op_p, gate_compute, skip_compute, comp_left, o->compute_class);
    o->utilized_macs = any_spatial ? comp_avg : util[L];
    o->compute_cycles = o->utilized_macs > 0 ? sm__ceil((o->compute_class[SM_ACTUAL] + o->compute_class[SM_GATED]) / o->utilized_macs) : 0;
    if (s->skip_model || s->skip.kind != SM_SKIP_MODEL_NONE) {
        sm_skip_query q;
        sm_skip_answer ans;
        sm_skip_fn fn = s->skip_model;
        const void *prm = s->skip_params;
        sm_skip_desc local;
        if (!fn) {   /* the built-in mechanism of [skip]: operand ranks from the einsum */
            int dm, dn, dk;
            local = s->skip;
            if ((r = sm__gemm_shape(p, &dm, &dn, &dk, local.rank, local.krank, &s->skip.loc, "[skip]", err)) != SM_OK) return r;
            fn = local.kind == SM_SKIP_MODEL_OUTER ? sm_skip_outer_product : sm_skip_structured;
            prm = &local;
        }
        memset(&q, 0, sizeof q);
        q.noperands = nop;
        for (t = 0, i = 0; t < p->ntensors; t++) if (!p->tensors[t].is_output) { q.density[i] = sm__mean_density(&s->density[t]); q.model[i] = &s->density[t]; i++; }
        q.computes = computes;
        q.effectual = o->compute_class[SM_ACTUAL];
        q.macs_x = q.macs_y = 1;
        for (i = 0; i < n->nloops; i++) { if (n->loops[i].spatial == 2) q.macs_x *= n->loops[i].f; else if (n->loops[i].spatial) q.macs_y *= n->loops[i].f; }
        q.dense_cycles = n->temporal_iters;
        q.cycles = o->compute_cycles;
        q.stream_steps = 1;   /* innermost temporal loops that keep the same output */
        for (i = n->nloops - 1; i >= 0; i--) {
            const sm__loop *lp = &n->loops[i];
            if (lp->spatial) continue;
            if (dims[p->ntensors - 1] >> lp->dim & 1u) break;
            q.stream_steps *= lp->f;
        }
        ans.cycles = q.cycles; ans.effectual = q.effectual;
        if ((r = fn(&q, prm, &ans)) != SM_OK) return sm__fail(err, r, &s->compute.loc, "[compute %s] skip model failed", s->compute.name);
        o->compute_class[SM_SKIPPED] += o->compute_class[SM_ACTUAL] - ans.effectual;
        o->compute_class[SM_ACTUAL] = ans.effectual;
        o->compute_cycles = ans.cycles;
    }

    /* cycles: compute cycles throttled by each level's bandwidth */
    total_cycles = o->compute_cycles;
    for (l = 0; l < L; l++) {   /* a level takes as long as moving its words at its bandwidths, at least */
        const sm_level *lv = &s->levels[l];
        sm_level_stats *ls = &o->level[l];
        double rd = ls->read_per_cycle, wr = ls->write_per_cycle, cyc = o->compute_cycles;   /* words per instance so far */
        if (ls->is_spatial) continue;
        if (lv->read_bw > 0) cyc = fmax(cyc, sm__ceil(rd / lv->read_bw));
        if (lv->write_bw > 0) cyc = fmax(cyc, sm__ceil(wr / lv->write_bw));
        if (lv->shared_bw > 0) cyc = fmax(cyc, sm__ceil((rd + wr) / lv->shared_bw));
        ls->cycles = cyc;
        ls->slowdown = cyc > 0 ? o->compute_cycles / cyc : 1;
        ls->read_per_cycle = o->compute_cycles > 0 ? rd / o->compute_cycles : 0;
        ls->write_per_cycle = o->compute_cycles > 0 ? wr / o->compute_cycles : 0;
        if (ls->cycles > total_cycles) total_cycles = ls->cycles;
    }
    o->cycles = total_cycles;
    o->utilization = o->cycles > 0 ? o->compute_class[SM_ACTUAL] / (o->cycles * (double)sm__instances(s, L)) : 0;

    /* leakage, compute energy, area */
    for (l = 0; l < L; l++) {
        const sm_level *lv = &s->levels[l];
        sm_level_stats *ls = &o->level[l];
        ls->area_um2 = lv->area_um2 * (double)sm__instances(s, l);
        o->area_um2 += ls->area_um2;
        if (ls->is_spatial) continue;
        ls->leak_pj = lv->leak_pj * o->cycles * ls->utilized_instances;
        ls->energy_pj += ls->leak_pj;
        o->energy_pj += ls->energy_pj;
    }
    o->compute_energy_pj = o->compute_class[SM_ACTUAL] * s->compute.mac_pj + o->compute_class[SM_GATED] * s->compute.gated_pj +
                           o->compute_class[SM_SKIPPED] * (s->compute.skipped_pj ? s->compute.skipped_pj : s->compute.gated_pj);
    o->compute_area_um2 = s->compute.area_um2 * (double)sm__instances(s, L);
    o->area_um2 += o->compute_area_um2;
    o->energy_pj += o->compute_energy_pj;
    o->ncomponents = s->ncomponents;
    for (i = 0; i < s->ncomponents && i < SM_MAX_COMPONENTS; i++) {   /* constant power over the run: mW x ns = pJ */
        const sm_component *c = &s->components[i];
        double inst_c = (double)(c->instances ? c->instances : 1);
        o->component_energy_pj[i] = c->power_mw * inst_c * o->cycles / (s->clock_ghz > 0 ? s->clock_ghz : 1);
        o->component_area_um2[i] = c->area_um2 * inst_c;
        o->energy_pj += o->component_energy_pj[i];
        o->area_um2 += o->component_area_um2[i];
    }
    return SM_OK;
}

SMAPI void sm_stats_series(const sm_stats *terms, int n, const int *resident, sm_stats *out) {
    int i, l, t, a, c, L;
    double busy;
    *out = terms[0];
    L = out->nlevels;
    busy = terms[0].utilization * terms[0].cycles;
    for (i = 1; i < n; i++) {
        const sm_stats *s = &terms[i];
        for (l = 0; l < L; l++) {
            sm_level_stats *o = &out->level[l];
            const sm_level_stats *x = &s->level[l];
            for (t = 0; t < out->ntensors; t++) {
                sm_access *oa = &o->t[t];
                const sm_access *xa = &x->t[t];
                if (resident && resident[t] >= 0 && l < resident[t]) continue;   /* moved once */
                oa->reads += xa->reads; oa->fills += xa->fills; oa->updates += xa->updates;
                for (a = 0; a < 3; a++)
                    for (c = 0; c < 3; c++) {
                        oa->data[a][c] += xa->data[a][c];
                        oa->metadata[a][c] += xa->metadata[a][c];
                        oa->payload[a][c] += xa->payload[a][c];
                        oa->metadata_words[a][c] += xa->metadata_words[a][c];
                    }
                oa->decompressions += xa->decompressions;
                oa->compressions += xa->compressions;
                oa->energy_pj += xa->energy_pj;
            }
            o->leak_pj += x->leak_pj;
            o->cycles += x->cycles;
        }
        out->computes += s->computes;
        for (c = 0; c < 3; c++) out->compute_class[c] += s->compute_class[c];
        out->compute_cycles += s->compute_cycles;
        out->compute_energy_pj += s->compute_energy_pj;
        out->cycles += s->cycles;
        busy += s->utilization * s->cycles;
    }
    out->energy_pj = out->compute_energy_pj;
    for (l = 0; l < L; l++) {
        sm_level_stats *o = &out->level[l];
        o->energy_pj = o->leak_pj;
        for (t = 0; t < out->ntensors; t++) o->energy_pj += o->t[t].energy_pj;
        out->energy_pj += o->energy_pj;
    }
    out->utilization = out->cycles > 0 ? busy / out->cycles : 0;
}

/*=== [@report.impl] TEXT, TSV AND JSON =========================================================*/
static void sm__fmt(char *buf, size_t cap, double v) {
    if (v == 0) v = 0;   /* no "-0" */
    if (v == floor(v) && fabs(v) < 1e15) snprintf(buf, cap, "%.0f", v);
    else snprintf(buf, cap, "%.10g", v);
}

static void sm__row(FILE *f, const char *lvl, const char *ten, const char *metric, double v, int energy) {
    char buf[64];
    if (energy) snprintf(buf, sizeof buf, "%.4f", v); else sm__fmt(buf, sizeof buf, v);
    fprintf(f, "%s\t%s\t%s\t%s\n", lvl, ten, metric, buf);
}

static const char *const sm__action_names[3] = { "reads", "fills", "updates" };
static const char *const sm__class_prefix[3] = { "actual_", "gated_", "skipped_" };

/* actual/gated/skipped data words, then metadata and payload entries, per action */
static void sm__sparse_rows(FILE *f, const char *ln, const char *tn, const sm_access *a) {
    char m[64];
    int act, c;
    for (act = 0; act < 3; act++)
        for (c = 0; c < 3; c++) {
            snprintf(m, sizeof m, "%s%s", sm__class_prefix[c], sm__action_names[act]);
            sm__row(f, ln, tn, m, a->data[act][c], 0);
        }
    if (!a->has_format) return;
    for (act = 0; act < 3; act++)
        for (c = 0; c < 3; c++) {
            snprintf(m, sizeof m, "%smetadata_%s", c ? sm__class_prefix[c] : "", sm__action_names[act]);
            sm__row(f, ln, tn, m, a->metadata[act][c], 0);
            snprintf(m, sizeof m, "%spayload_%s", c ? sm__class_prefix[c] : "", sm__action_names[act]);
            sm__row(f, ln, tn, m, a->payload[act][c], 0);
        }
}

SMAPI void sm_report_tsv(FILE *f, const sm_spec *s, const sm_stats *st) {
    int l, t;
    for (l = 0; l < st->nlevels; l++) {
        const sm_level_stats *ls = &st->level[l];
        const char *ln = s->levels[l].name;
        if (ls->is_spatial) continue;
        for (t = 0; t < st->ntensors; t++) {
            const char *tn = s->problem.tensors[t].name;
            if (!(ls->kept >> t & 1)) continue;
            sm__row(f, ln, tn, "reads", ls->t[t].reads, 0);
            sm__row(f, ln, tn, "fills", ls->t[t].fills, 0);
            sm__row(f, ln, tn, "updates", ls->t[t].updates, 0);
            if (st->sparse) sm__sparse_rows(f, ln, tn, &ls->t[t]);
        }
        sm__row(f, ln, "-", "cycles", ls->cycles, 0);
        sm__row(f, ln, "-", "energy_pj", ls->energy_pj, 1);
        if (ls->area_um2 > 0) sm__row(f, ln, "-", "area_um2", ls->area_um2, 1);
    }
    sm__row(f, s->compute.name, "-", "computes", st->computes, 0);
    if (st->sparse) {
        sm__row(f, s->compute.name, "-", "actual_computes", st->compute_class[SM_ACTUAL], 0);
        sm__row(f, s->compute.name, "-", "gated_computes", st->compute_class[SM_GATED], 0);
        sm__row(f, s->compute.name, "-", "skipped_computes", st->compute_class[SM_SKIPPED], 0);
    }
    sm__row(f, s->compute.name, "-", "cycles", st->compute_cycles, 0);
    sm__row(f, s->compute.name, "-", "energy_pj", st->compute_energy_pj, 1);
    if (st->compute_area_um2 > 0) sm__row(f, s->compute.name, "-", "area_um2", st->compute_area_um2, 1);
    for (l = 0; l < st->ncomponents; l++) {
        sm__row(f, s->components[l].name, "-", "energy_pj", st->component_energy_pj[l], 1);
        if (st->component_area_um2[l] > 0) sm__row(f, s->components[l].name, "-", "area_um2", st->component_area_um2[l], 1);
    }
    sm__row(f, "-", "-", "computes", st->computes, 0);
    if (st->sparse) sm__row(f, "-", "-", "actual_computes", st->compute_class[SM_ACTUAL], 0);
    sm__row(f, "-", "-", "cycles", st->cycles, 0);
    sm__row(f, "-", "-", "utilization", st->utilization, 0);
    sm__row(f, "-", "-", "energy_pj", st->energy_pj, 1);
    if (st->area_um2 > 0) sm__row(f, "-", "-", "area_um2", st->area_um2, 1);
}

static const char *sm__source_name(int src) { return src == SM_SRC_SPEC ? "spec" : src == SM_SRC_LIBRARY ? "library" : "-"; }
static const char *const sm__cost_names[SM_COST_COUNT] = { "read_pj", "write_pj", "update_pj", "leak_pj", "area_um2",
                                                           "metadata_read_pj", "metadata_write_pj", "metadata_update_pj" };

/* A level that holds nothing and costs nothing: a pure spatial stage, left out of cost reports. */
static int sm__no_costs(const sm_level *lv) {
    return !lv->kind && !lv->given && lv->size == 0 && !lv->read_pj && !lv->write_pj && !lv->update_pj && !lv->leak_pj && !lv->area_um2;
}

/* A cost's value and source name as reported: an update not given follows the write. */
static const char *sm__cost_src(const sm_level *lv, int c, double *v) {
    sm_level *m = (sm_level *)lv;   /* sm__level_cost only reads here */
    *v = *sm__level_cost(m, c);
    if (c == SM_COST_UPDATE && lv->source[c] == SM_SRC_NONE && lv->write_pj != 0) { *v = lv->write_pj; return "write"; }
    return sm__source_name(lv->source[c]);
}

/* What a level is built from: "sram 65536 words x 16 b, 64 b accesses, 32 banks, 45 nm". */
static void sm__describe_level(const sm_spec *s, const sm_level *lv, char *buf, size_t cap) {
    int wb = sm__eff_word_bits(s, lv), nm = lv->tech_nm ? lv->tech_nm : s->tech_nm ? s->tech_nm : 45;
    double bits = (double)wb * (double)(lv->block_words ? lv->block_words : 1);
    if (!lv->kind) snprintf(buf, cap, "no kind: costs as given");
    else if (lv->kind == SM_MEM_DRAM) snprintf(buf, cap, "dram %s, %.0f b accesses", sm_dram_type_name(lv->dram_type), bits);
    else snprintf(buf, cap, "%s %.6g words x %d b, %.0f b accesses, %ld bank%s, %d nm", sm_mem_kind_name(lv->kind), lv->size, wb, bits,
                  lv->banks ? lv->banks : 1, lv->banks > 1 ? "s" : "", nm);
}

static void sm__describe_compute(const sm_spec *s, char *buf, size_t cap) {
    const sm_compute *cp = &s->compute;
    if (!cp->use_library) snprintf(buf, cap, "no op or precision: costs as given");
    else snprintf(buf, cap, "%s %s%s%s, %d nm", sm_op_name(cp->op), cp->precision ? sm_precision_name(cp->precision) : "(from word_bits)",
                  cp->acc_precision ? " acc " : "", cp->acc_precision ? sm_precision_name(cp->acc_precision) : "",
                  cp->tech_nm ? cp->tech_nm : s->tech_nm ? s->tech_nm : 45);
}

/* One line per level and the compute: the source of each cost. */
static void sm__sources_text(FILE *f, const sm_spec *s) {
    int l, c;
    char d[160];
    double v;
    for (l = 0; l < s->nlevels; l++) {
        const sm_level *lv = &s->levels[l];
        if (sm__no_costs(lv)) continue;
        fprintf(f, "%-24s", lv->name);
        for (c = 0; c < SM_COST_COUNT; c++) {
            if (c >= SM_COST_MD_READ && lv->metadata_word_bits <= 0) continue;
            fprintf(f, " %s=%s", sm__cost_names[c], sm__cost_src(lv, c, &v));
        }
        sm__describe_level(s, lv, d, sizeof d);
        fprintf(f, "  [%s]\n", d);
    }
    sm__describe_compute(s, d, sizeof d);
    fprintf(f, "%-24s mac_pj=%s area_um2=%s  [%s]\n", s->compute.name, sm__source_name(s->compute.source[0]), sm__source_name(s->compute.source[1]), d);
}

SMAPI void sm_report_components(FILE *f, const sm_spec *s) {
    int l, c;
    const sm_compute *cp = &s->compute;
    char d[160];
    double v;
    fprintf(f, "sparsemodel %s: components of %s (technology %d nm unless a component says otherwise; energies from %s)\n", sm_version_string(),
            s->arch_name[0] ? s->arch_name : "arch", s->tech_nm ? s->tech_nm : 45, s->library_energies ? "the library where a kind is given" : "the spec where given");
    fprintf(f, "pJ per word (metadata: per metadata word), leakage pJ per cycle per instance, area um^2 per instance\n");
    fprintf(f, "%-24s %-18s %14s  %s\n", "component", "cost", "value", "source");
    for (l = 0; l < s->nlevels; l++) {
        const sm_level *lv = &s->levels[l];
        if (sm__no_costs(lv)) continue;
        sm__describe_level(s, lv, d, sizeof d);
        fprintf(f, "%s  [%s]\n", lv->name, d);
        for (c = 0; c < SM_COST_COUNT; c++) {
            const char *src;
            if (c >= SM_COST_MD_READ && lv->metadata_word_bits <= 0) continue;
            src = sm__cost_src(lv, c, &v);
            fprintf(f, "%-24s %-18s %14.6g  %s\n", "", sm__cost_names[c], v, src);
        }
    }
    sm__describe_compute(s, d, sizeof d);
    fprintf(f, "%s  [%s]\n", cp->name, d);
    fprintf(f, "%-24s %-18s %14.6g  %s\n", "", "pj_per_compute", cp->mac_pj, sm__source_name(cp->source[0]));
    fprintf(f, "%-24s %-18s %14.6g  %s\n", "", "area_um2", cp->area_um2, sm__source_name(cp->source[1]));
    for (c = 0; c < s->ncomponents; c++) {   /* constant-power blocks: always as given */
        const sm_component *k = &s->components[c];
        fprintf(f, "%s  [constant power, %ld instance%s]\n", k->name, k->instances ? k->instances : 1, k->instances > 1 ? "s" : "");
        fprintf(f, "%-24s %-18s %14.6g  %s\n", "", "power_mw", k->power_mw, "spec");
        fprintf(f, "%-24s %-18s %14.6g  %s\n", "", "area_um2", k->area_um2, "spec");
    }
}

SMAPI void sm_report_text(FILE *f, const sm_spec *s, const sm_stats *st) {
    int l, t;
    char a[32], b[32], c[32];
    fprintf(f, "sparsemodel %s: %s on %s\n", sm_version_string(), s->problem.name[0] ? s->problem.name : "problem",
            s->arch_name[0] ? s->arch_name : "arch");
    fprintf(f, "%-24s %-10s %16s %16s %16s\n", "level", "tensor", "reads", "fills", "updates");
    for (l = 0; l < st->nlevels; l++) {
        const sm_level_stats *ls = &st->level[l];
        if (ls->is_spatial) continue;
        for (t = 0; t < st->ntensors; t++) {
            if (!(ls->kept >> t & 1)) continue;
            sm__fmt(a, sizeof a, ls->t[t].reads); sm__fmt(b, sizeof b, ls->t[t].fills); sm__fmt(c, sizeof c, ls->t[t].updates);
            fprintf(f, "%-24s %-10s %16s %16s %16s\n", s->levels[l].name, s->problem.tensors[t].name, a, b, c);
        }
    }
    if (st->sparse) {   /* what happened to the accesses: actual / gated / skipped, metadata words */
        fprintf(f, "\n%-24s %-10s %-7s %14s %14s %14s %14s %10s\n", "level", "tensor", "action", "actual", "gated", "skipped", "metadata_wds", "instances");
        for (l = 0; l < st->nlevels; l++) {
            const sm_level_stats *ls = &st->level[l];
            int act;
            if (ls->is_spatial) continue;
            for (t = 0; t < st->ntensors; t++) {
                const sm_access *ac = &ls->t[t];
                if (!(ls->kept >> t & 1)) continue;
                for (act = 0; act < 3; act++) {
                    char d[32];
                    double alg = act == SM_READ ? ac->reads : act == SM_FILL ? ac->fills : ac->updates;
                    if (alg == 0) continue;
                    sm__fmt(a, sizeof a, ac->data[act][SM_ACTUAL]); sm__fmt(b, sizeof b, ac->data[act][SM_GATED]); sm__fmt(c, sizeof c, ac->data[act][SM_SKIPPED]);
                    sm__fmt(d, sizeof d, ac->metadata_words[act][SM_ACTUAL] + ac->metadata_words[act][SM_GATED]);
                    fprintf(f, "%-24s %-10s %-7s %14s %14s %14s %14s %10.4g\n", s->levels[l].name, s->problem.tensors[t].name,
                            act == SM_READ ? "read" : act == SM_FILL ? "fill" : "update", a, b, c, d, ac->instances);
                }
            }
        }
        sm__fmt(a, sizeof a, st->compute_class[SM_ACTUAL]); sm__fmt(b, sizeof b, st->compute_class[SM_GATED]); sm__fmt(c, sizeof c, st->compute_class[SM_SKIPPED]);
        fprintf(f, "%-24s %-10s %-7s %14s %14s %14s %14s %10.4g\n", s->compute.name, "-", "compute", a, b, c, "-", st->utilized_macs);
    }
    fprintf(f, "\n%-24s %12s %8s %10s %18s\n", "level", "cycles", "slowdown", "instances", "energy_pj");
    for (l = 0; l < st->nlevels; l++) {
        const sm_level_stats *ls = &st->level[l];
        if (ls->is_spatial) continue;
        fprintf(f, "%-24s %12.0f %8.3f %10.0f %18.2f\n", s->levels[l].name, ls->cycles, ls->slowdown, ls->utilized_instances, ls->energy_pj);
    }
    fprintf(f, "%-24s %12.0f %8s %10.0f %18.2f\n", s->compute.name, st->compute_cycles, "-", st->utilized_macs, st->compute_energy_pj);
    for (l = 0; l < st->ncomponents; l++)
        fprintf(f, "%-24s %12.0f %8s %10ld %18.2f\n", s->components[l].name, st->cycles, "-", s->components[l].instances ? s->components[l].instances : 1, st->component_energy_pj[l]);
    fprintf(f, "\ncomputes     %.0f", st->computes);
    if (st->sparse) fprintf(f, " (actual %.0f, gated %.0f, skipped %.0f)", st->compute_class[SM_ACTUAL], st->compute_class[SM_GATED], st->compute_class[SM_SKIPPED]);
    fprintf(f, "\ncycles       %.0f\nutilization  %.4f\nenergy       %.2f pJ (%.3f pJ/compute)\n",
            st->cycles, st->utilization, st->energy_pj, st->energy_pj / st->computes);
    if (st->area_um2 > 0) fprintf(f, "area         %.1f um^2\n", st->area_um2);
    fprintf(f, "\nenergy sources (spec: given; library: built-in estimate; -: not given, 0)\n");
    sm__sources_text(f, s);
}

static void sm__json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20) fprintf(f, "\\u%04x", *s);
        else fputc(*s, f);
    }
    fputc('"', f);
}

/* "kind", "built_from" and "costs": {"read_pj": {"value": v, "source": "spec|library|-|write"}, ...} of a level. */
static void sm__json_costs(FILE *f, const sm_spec *s, const sm_level *lv) {
    int c, first = 1;
    char d[160];
    double v;
    sm__describe_level(s, lv, d, sizeof d);
    fprintf(f, ", \"kind\": \"%s\", \"built_from\": ", sm_mem_kind_name(lv->kind));
    sm__json_str(f, d);
    fprintf(f, ", \"costs\": {");
    for (c = 0; c < SM_COST_COUNT; c++) {
        const char *src;
        if (c >= SM_COST_MD_READ && lv->metadata_word_bits <= 0) continue;
        src = sm__cost_src(lv, c, &v);
        fprintf(f, "%s\"%s\": {\"value\": %.17g, \"source\": \"%s\"}", first ? "" : ", ", sm__cost_names[c], v, src);
        first = 0;
    }
    fprintf(f, "}");
}


SMAPI void sm_report_json(FILE *f, const sm_spec *s, const sm_stats *st) {
    int l, t, first = 1;
    fprintf(f, "{\n  \"version\": \"%s\",\n  \"problem\": ", sm_version_string());
    sm__json_str(f, s->problem.name);
    fprintf(f, ",\n  \"arch\": ");
    sm__json_str(f, s->arch_name);
    fprintf(f, ",\n  \"levels\": [");
    for (l = 0; l < st->nlevels; l++) {
        const sm_level_stats *ls = &st->level[l];
        int ft = 1;
        if (ls->is_spatial) continue;
        fprintf(f, "%s\n    {\"name\": ", first ? "" : ",");
        first = 0;
        sm__json_str(f, s->levels[l].name);
        fprintf(f, ", \"utilized_instances\": %.17g, \"cycles\": %.17g, \"slowdown\": %.17g, \"energy_pj\": %.17g, \"leak_pj\": %.17g",
                ls->utilized_instances, ls->cycles, ls->slowdown, ls->energy_pj, ls->leak_pj);
        sm__json_costs(f, s, &s->levels[l]);
        fprintf(f, ", \"tensors\": {");
        for (t = 0; t < st->ntensors; t++) {
            if (!(ls->kept >> t & 1)) continue;
            fprintf(f, "%s", ft ? "" : ", ");
            ft = 0;
            sm__json_str(f, s->problem.tensors[t].name);
            fprintf(f, ": {\"reads\": %.17g, \"fills\": %.17g, \"updates\": %.17g, \"tile\": %.17g, \"partition\": %.17g, \"energy_pj\": %.17g",
                    ls->t[t].reads, ls->t[t].fills, ls->t[t].updates, ls->t[t].tile, ls->t[t].partition, ls->t[t].energy_pj);
            if (st->sparse) {   /* [action][class] arrays: actions read, fill, update; classes actual, gated, skipped */
                const sm_access *ac = &ls->t[t];
                const double (*arr[4])[3];
                static const char *const names[4] = { "data", "metadata", "payload", "metadata_words" };
                int k, x, y;
                arr[0] = ac->data; arr[1] = ac->metadata; arr[2] = ac->payload; arr[3] = ac->metadata_words;
                fprintf(f, ", \"occupancy\": %.17g, \"instances\": %.17g, \"max_instances\": %.17g, \"decompressions\": %.17g, \"compressions\": %.17g",
                        ac->occupancy, ac->instances, ac->max_instances, ac->decompressions, ac->compressions);
                for (k = 0; k < 4; k++) {
                    fprintf(f, ", \"%s\": [", names[k]);
                    for (x = 0; x < 3; x++) for (y = 0; y < 3; y++) fprintf(f, "%s%s%.17g%s", y ? "" : (x ? ", " : ""), y ? ", " : "[", arr[k][x][y], y == 2 ? "]" : "");
                    fprintf(f, "]");
                }
            }
            fprintf(f, "}");
        }
        fprintf(f, "}}");
    }
    fprintf(f, "\n  ],\n  \"compute\": {\"name\": ");
    sm__json_str(f, s->compute.name);
    fprintf(f, ", \"computes\": %.17g, \"actual\": %.17g, \"gated\": %.17g, \"skipped\": %.17g, \"utilized\": %.17g, \"cycles\": %.17g, \"energy_pj\": %.17g",
            st->computes, st->compute_class[SM_ACTUAL], st->compute_class[SM_GATED], st->compute_class[SM_SKIPPED], st->utilized_macs, st->compute_cycles, st->compute_energy_pj);
    fprintf(f, ", \"op\": \"%s\", \"precision\": \"%s\", \"costs\": {\"pj_per_compute\": {\"value\": %.17g, \"source\": \"%s\"}, \"area_um2\": {\"value\": %.17g, \"source\": \"%s\"}}},\n",
            s->compute.use_library ? sm_op_name(s->compute.op) : "", s->compute.use_library ? sm_precision_name(s->compute.precision) : "",
            s->compute.mac_pj, sm__source_name(s->compute.source[0]), s->compute.area_um2, sm__source_name(s->compute.source[1]));
    if (st->ncomponents) {
        fprintf(f, "  \"components\": [");
        for (l = 0; l < st->ncomponents; l++) {
            fprintf(f, "%s\n    {\"name\": ", l ? "," : "");
            sm__json_str(f, s->components[l].name);
            fprintf(f, ", \"energy_pj\": %.17g, \"area_um2\": %.17g}", st->component_energy_pj[l], st->component_area_um2[l]);
        }
        fprintf(f, "\n  ],\n");
    }
    fprintf(f, "  \"cycles\": %.17g,\n  \"utilization\": %.17g,\n  \"energy_pj\": %.17g,\n  \"area_um2\": %.17g\n}\n",
            st->cycles, st->utilization, st->energy_pj, st->area_um2);
}

/* The array report's rows: one table, so the three writers agree. */
typedef struct sm__arow { const char *name; double v; } sm__arow;
static int sm__array_rows(const sm_array_stats *st, sm__arow *r) {
    int n = 0;
#define SM__AROW(f) (r[n].name = #f, r[n].v = st->f, n++)
    SM__AROW(folds); SM__AROW(load_cycles); SM__AROW(stream_cycles); SM__AROW(add_cycles); SM__AROW(cycles);
    SM__AROW(computes); SM__AROW(effectual); SM__AROW(performed); SM__AROW(mapped); SM__AROW(mapped_nonzero);
    SM__AROW(fold_k); SM__AROW(stationary_utilization); SM__AROW(compute_efficiency); SM__AROW(overall_efficiency);
    SM__AROW(sram_reads); SM__AROW(sram_writes); SM__AROW(time_s); SM__AROW(energy_pj); SM__AROW(model_energy_pj);
    SM__AROW(mult_pj); SM__AROW(dist_pj); SM__AROW(reduce_pj); SM__AROW(noc_pj); SM__AROW(sram_pj);
    SM__AROW(area_um2); SM__AROW(model_area_um2);
#undef SM__AROW
    return n;
}

static const char *sm__dataflow_name(unsigned df) {
    return df == SM_DF_A_STA ? "a_sta" : df == SM_DF_B_STA ? "b_sta" : df == SM_DF_OUT_STA ? "out_sta" :
           df == SM_DF_NO_REUSE ? "no_reuse" : df == SM_DF_OUTER ? "outer" : "none";
}

SMAPI void sm_array_report_tsv(FILE *f, const sm_spec *s, const sm_array_stats *st) {
    sm__arow r[32];
    int i, n = sm__array_rows(st, r);
    (void)s;
    fprintf(f, "array\t-\tdataflow\t%s\n", sm__dataflow_name(st->dataflow));
    if (st->rows) fprintf(f, "array\t-\tshape\t%ldx%ld\n", st->rows, st->cols);
    for (i = 0; i < n; i++) sm__row(f, "array", "-", r[i].name, r[i].v, 0);
}

SMAPI void sm_array_report_text(FILE *f, const sm_spec *s, const sm_array_stats *st) {
    sm__arow r[32];
    int i, n = sm__array_rows(st, r);
    char buf[64];
    fprintf(f, "sparsemodel %s: %s on %s (array, dataflow %s", sm_version_string(), s->problem.name[0] ? s->problem.name : "problem",
            s->arch_name[0] ? s->arch_name : "arch", sm__dataflow_name(st->dataflow));
    if (st->rows) fprintf(f, ", shape %ldx%ld", st->rows, st->cols);
    fprintf(f, ")\n");
    for (i = 0; i < n; i++) { sm__fmt(buf, sizeof buf, r[i].v); fprintf(f, "%-24s %s\n", r[i].name, buf); }
}

SMAPI void sm_array_report_json(FILE *f, const sm_spec *s, const sm_array_stats *st) {
    sm__arow r[32];
    int i, n = sm__array_rows(st, r);
    fprintf(f, "{\n  \"version\": \"%s\",\n  \"problem\": ", sm_version_string());
    sm__json_str(f, s->problem.name);
    fprintf(f, ",\n  \"arch\": ");
    sm__json_str(f, s->arch_name);
    fprintf(f, ",\n  \"dataflow\": \"%s\",\n  \"rows\": %ld,\n  \"cols\": %ld", sm__dataflow_name(st->dataflow), st->rows, st->cols);
    for (i = 0; i < n; i++) fprintf(f, ",\n  \"%s\": %.17g", r[i].name, r[i].v);
    fprintf(f, "\n}\n");
}

static const char *const sm__gpu_roles[SM_GPU_ROLES] = { "global", "cache", "scratchpad", "registers", "accumulation" };

SMAPI void sm_gpu_report_text(FILE *f, const sm_spec *s, const sm_gpu_stats *st) {
    int r;
    fprintf(f, "sparsemodel %s: %s on %s (GPU kernel model)\n", sm_version_string(), s->problem.name[0] ? s->problem.name : "problem", s->arch_name[0] ? s->arch_name : "arch");
    fprintf(f, "GEMM M=%.0f N=%.0f K=%.0f: %.0f thread blocks over %.0f SMs, %.0f on the busiest SM in %.0f rounds\n", st->m, st->n, st->k, st->ctas, st->sms, st->per_sm_ctas, st->rounds);
    fprintf(f, "%-13s %-16s %16s %16s %14s\n", "role", "level", "reads", "writes", "cycles");
    for (r = 0; r < SM_GPU_ROLES; r++) {
        int l = sm__gpu_level(s, r);
        if (l < 0) continue;
        fprintf(f, "%-13s %-16s %16.0f %16.0f %14.0f\n", sm__gpu_roles[r], s->levels[l].name, st->reads[r], st->writes[r], st->role_cycles[r]);
    }
    fprintf(f, "%-13s %-16s %16s %16s %14.0f\n", "compute", s->compute.name, "-", "-", st->compute_cycles);
    if (st->prepass_cycles > 0) fprintf(f, "%-13s %-16s %16s %16s %14.0f\n", "lowering", "-", "-", "-", st->prepass_cycles);
    fprintf(f, "\ncomputes     %.0f\neffectual    %.0f\ncycles       %.0f (bound: %s)\ntime         %.3f us\n", st->computes, st->effectual, st->cycles,
            st->bound < 0 ? "compute" : sm__gpu_roles[st->bound], st->seconds * 1e6);
}

/* TSV: per role level reads, writes, cycles; compute cycles; totals (rows as sm_report_tsv's). */
SMAPI void sm_gpu_report_tsv(FILE *f, const sm_spec *s, const sm_gpu_stats *st) {
    int r;
    for (r = 0; r < SM_GPU_ROLES; r++) {
        int l = sm__gpu_level(s, r);
        if (l < 0) continue;
        sm__row(f, s->levels[l].name, "-", "reads", st->reads[r], 0);
        sm__row(f, s->levels[l].name, "-", "writes", st->writes[r], 0);
        sm__row(f, s->levels[l].name, "-", "cycles", st->role_cycles[r], 0);
    }
    sm__row(f, s->compute.name, "-", "cycles", st->compute_cycles, 0);
    if (st->prepass_cycles > 0) sm__row(f, "lowering", "-", "cycles", st->prepass_cycles, 0);
    sm__row(f, "-", "-", "computes", st->computes, 0);
    sm__row(f, "-", "-", "effectual_computes", st->effectual, 0);
    sm__row(f, "-", "-", "cycles", st->cycles, 0);
    fprintf(f, "-\t-\tbound\t%s\n", st->bound < 0 ? "compute" : sm__gpu_roles[st->bound]);
}

SMAPI void sm_gpu_report_json(FILE *f, const sm_spec *s, const sm_gpu_stats *st) {
    int r, first = 1;
    fprintf(f, "{\n  \"version\": \"%s\",\n  \"problem\": ", sm_version_string());
    sm__json_str(f, s->problem.name);
    fprintf(f, ",\n  \"arch\": ");
    sm__json_str(f, s->arch_name);
    fprintf(f, ",\n  \"gemm\": [%.17g, %.17g, %.17g],\n  \"thread_blocks\": %.17g,\n  \"sms\": %.17g,\n  \"rounds\": %.17g,\n  \"levels\": [",
            st->m, st->n, st->k, st->ctas, st->sms, st->rounds);
    for (r = 0; r < SM_GPU_ROLES; r++) {
        int l = sm__gpu_level(s, r);
        if (l < 0) continue;
        fprintf(f, "%s\n    {\"role\": \"%s\", \"level\": ", first ? "" : ",", sm__gpu_roles[r]);
        sm__json_str(f, s->levels[l].name);
        fprintf(f, ", \"reads\": %.17g, \"writes\": %.17g, \"cycles\": %.17g}", st->reads[r], st->writes[r], st->role_cycles[r]);
        first = 0;
    }
    fprintf(f, "\n  ],\n  \"compute_cycles\": %.17g,\n  \"lowering_cycles\": %.17g,\n  \"computes\": %.17g,\n  \"effectual_computes\": %.17g,\n"
               "  \"cycles\": %.17g,\n  \"seconds\": %.17g,\n  \"bound\": \"%s\"\n}\n",
            st->compute_cycles, st->prepass_cycles, st->computes, st->effectual, st->cycles, st->seconds, st->bound < 0 ? "compute" : sm__gpu_roles[st->bound]);
}


/*=== [@search.impl] MAPPER AND DESIGN-SPACE SWEEPS =============================================*/
#ifndef SM_NO_THREADS
#include <pthread.h>
#include <sys/time.h>
#else
#include <time.h>
#endif

static double sm__now(void) {
#ifndef SM_NO_THREADS
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + 1e-6 * (double)tv.tv_usec;
#else
    return (double)clock() / CLOCKS_PER_SEC;
#endif
}

/* splitmix64 (sm__rng, [@base.impl]): one 64-bit state per task, seeded from (seed, task) */
static int sm__below(sm__rng *r, int n) { return n <= 1 ? 0 : (int)((sm__next(r) >> 11) % (unsigned long long)n); }
static double sm__unit(sm__rng *r) { return (double)(sm__next(r) >> 11) * (1.0 / 9007199254740992.0); }
static void sm__rng_seed(sm__rng *r, unsigned long long seed, unsigned long long stream) {
    r->s = sm__mix(seed + 0x9E3779B97F4A7C15ULL) ^ sm__mix(stream * 0xD1B54A32D192ED03ULL + 1);
}

/* ---- option and constraint parsing ---- */
static sm_result sm__kv_num(const sm_kv *kv, double lo, double hi, double *out, sm_error *err) {
    char *end;
    double v;
    errno = 0;
    v = strtod(kv->value, &end);
    while (*end && isspace((unsigned char)*end)) end++;
    if (end == kv->value || *end || errno || v != v)
        return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not a number", kv->section, kv->key, kv->value);
    if (v < lo || v > hi) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: %g is outside %g..%g", kv->section, kv->key, v, lo, hi);
    *out = v;
    return SM_OK;
}

/* A list of names (dims or tensors), separated by spaces or commas; calls back with each. */
static sm_result sm__kv_names(const sm_kv *kv, const sm_problem *p, int tensors, unsigned *mask, int *list, int *n, sm_error *err) {
    const char *v = kv->value;
    *mask = 0;
    if (n) *n = 0;
    for (;;) {
        char tok[SM_NAME_LEN * 2];
        size_t k = 0;
        int i;
        sm__skip_ws(&v);
        if (!*v) break;
        while (*v && !isspace((unsigned char)*v) && *v != ',') { if (k + 1 < sizeof tok) tok[k++] = *v; v++; }
        if (*v == ',') v++;
        tok[k] = 0;
        if (!k) continue;
        i = tensors ? sm_problem_tensor(p, tok) : sm_problem_dim(p, tok);
        if (i < 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is not a %s of the einsum", kv->section, kv->key, tok, tensors ? "tensor" : "dim");
        if (*mask >> i & 1u) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[%s] %s: '%s' is listed twice", kv->section, kv->key, tok);
        *mask |= 1u << i;
        if (list) list[(*n)++] = i;
    }
    return SM_OK;
}

SMAPI sm_result sm_constraints_from_spec(const sm_spec *s, sm_constraints *c, sm_error *err) {
    const sm_problem *p = &s->problem;
    int i, d, k;
    unsigned allowed[SM_MAX_LEVELS][3];
    memset(c, 0, sizeof *c);
    for (i = 0; i < SM_MAX_LEVELS; i++) allowed[i][0] = allowed[i][1] = allowed[i][2] = ~0u;
    for (i = 0; i < s->nextra; i++) {
        const sm_kv *kv = &s->extra[i];
        const char *dot;
        char lname[SM_NAME_LEN];
        int l;
        sm_level_constraints *lc;
        sm_result r;
        if (strcmp(kv->section, "constraints")) continue;
        c->loc = kv->loc;
        dot = strrchr(kv->key, '.');
        if (!dot) {
            if (!strcmp(kv->key, "min_utilization")) { if ((r = sm__kv_num(kv, 0, 1, &c->min_utilization, err)) != SM_OK) return r; continue; }
            return sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[constraints] unknown key '%s' (min_utilization, or LEVEL.temporal|spatial_x|spatial_y|temporal_dims|spatial_x_dims|spatial_y_dims|order|keep|bypass|min_utilization|max_capacity)", kv->key);
        }
        if (dot == kv->key || (size_t)(dot - kv->key) >= SM_NAME_LEN)
            return sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[constraints] key '%s' is not LEVEL.what", kv->key);
        memcpy(lname, kv->key, (size_t)(dot - kv->key));
        lname[dot - kv->key] = 0;
        if ((l = sm__level_index(s, lname)) < 0) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[constraints] %s: no storage level named '%s'", kv->key, lname);
        lc = &c->level[l];
        lc->loc = kv->loc;
        dot++;
        if (!strcmp(dot, "temporal") || !strcmp(dot, "spatial_x") || !strcmp(dot, "spatial_y")) {
            sm_loop_list ll;
            sm__kv tmp;
            int kind = dot[0] == 't' ? SM_TEMPORAL : dot[8] == 'x' ? SM_SPATIAL_X : SM_SPATIAL_Y;
            tmp.section = (char *)kv->section; tmp.key = (char *)kv->key; tmp.value = (char *)kv->value; tmp.loc = kv->loc; tmp.dead = 0;
            if ((r = sm__parse_loops(&tmp, p, &ll, err)) != SM_OK) return r;
            for (k = 0; k < ll.n; k++) {
                if (lc->factor[kind][ll.loops[k].dim]) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[constraints] %s: dim %s fixed twice", kv->key, p->dims[ll.loops[k].dim]);
                lc->factor[kind][ll.loops[k].dim] = ll.loops[k].factor;
            }
        } else if (!strcmp(dot, "temporal_dims") || !strcmp(dot, "spatial_x_dims") || !strcmp(dot, "spatial_y_dims")) {
            unsigned m;
            int kind = dot[0] == 't' ? SM_TEMPORAL : dot[8] == 'x' ? SM_SPATIAL_X : SM_SPATIAL_Y;
            if ((r = sm__kv_names(kv, p, 0, &m, NULL, NULL, err)) != SM_OK) return r;
            allowed[l][kind] = m;
        } else if (!strcmp(dot, "order")) {
            unsigned m;
            if ((r = sm__kv_names(kv, p, 0, &m, lc->order, &lc->norder, err)) != SM_OK) return r;
        } else if (!strcmp(dot, "keep") || !strcmp(dot, "bypass")) {
            unsigned m;
            if ((r = sm__kv_names(kv, p, 1, &m, NULL, NULL, err)) != SM_OK) return r;
            if (dot[0] == 'k') lc->keep = m; else lc->bypass = m;
            if (lc->keep & lc->bypass) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[constraints] %s: a tensor is both kept and bypassed at %s", kv->key, lname);
        } else if (!strcmp(dot, "min_utilization")) {
            if ((r = sm__kv_num(kv, 0, 1, &lc->min_utilization, err)) != SM_OK) return r;
        } else if (!strcmp(dot, "max_capacity")) {
            if ((r = sm__kv_num(kv, 1e-9, 1, &lc->max_capacity, err)) != SM_OK) return r;
        } else return sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[constraints] %s: unknown constraint '%s' (temporal, spatial_x, spatial_y, temporal_dims, spatial_x_dims, spatial_y_dims, order, keep, bypass, min_utilization, max_capacity)", kv->key, dot);
    }
    for (i = 0; i < s->nlevels; i++)   /* dims not allowed in a kind: fixed factor 1 */
        for (k = 0; k < 3; k++)
            for (d = 0; d < p->ndims; d++) {
                if (allowed[i][k] >> d & 1u) continue;
                if (c->level[i].factor[k][d] > 1)
                    return sm__fail(err, SM_ERR_VALUE, &c->level[i].loc, "[constraints] %s: dim %s has a fixed %s factor %ld but is not among its allowed dims",
                                    s->levels[i].name, p->dims[d], k == SM_TEMPORAL ? "temporal" : k == SM_SPATIAL_X ? "spatial_x" : "spatial_y", c->level[i].factor[k][d]);
                c->level[i].factor[k][d] = 1;
            }
    return SM_OK;
}

SMAPI sm_result sm_map_desc_from_spec(const sm_spec *s, sm_map_desc *d, sm_error *err) {
    int i;
    memset(d, 0, sizeof *d);
    for (i = 0; i < s->nextra; i++) {
        const sm_kv *kv = &s->extra[i];
        const char *k = kv->key, *v = kv->value;
        double x;
        sm_result r = SM_OK;
        if (strcmp(kv->section, "mapper")) continue;
        if (!strcmp(k, "objective")) {
            if (!strcmp(v, "edp")) d->objective = SM_OBJECTIVE_EDP;
            else if (!strcmp(v, "energy")) d->objective = SM_OBJECTIVE_ENERGY;
            else if (!strcmp(v, "cycles") || !strcmp(v, "delay")) d->objective = SM_OBJECTIVE_CYCLES;
            else if (!strcmp(v, "weighted")) d->objective = SM_OBJECTIVE_WEIGHTED;
            else return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[mapper] objective: '%s' is not edp, energy, cycles or weighted", v);
        } else if (!strcmp(k, "search")) {
            if (!strcmp(v, "auto")) d->search = SM_SEARCH_AUTO;
            else if (!strcmp(v, "exhaustive")) d->search = SM_SEARCH_EXHAUSTIVE;
            else if (!strcmp(v, "random")) d->search = SM_SEARCH_RANDOM;
            else if (!strcmp(v, "anneal")) d->search = SM_SEARCH_ANNEAL;
            else return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[mapper] search: '%s' is not auto, exhaustive, random or anneal", v);
        } else if (!strcmp(k, "energy_weight")) r = sm__kv_num(kv, 1e-9, 100, &d->energy_weight, err);
        else if (!strcmp(k, "cycles_weight")) r = sm__kv_num(kv, 1e-9, 100, &d->cycles_weight, err);
        else if (!strcmp(k, "seed")) { if ((r = sm__kv_num(kv, 0, 1e18, &x, err)) == SM_OK) d->seed = (unsigned long long)x; }
        else if (!strcmp(k, "evals")) r = sm__kv_num(kv, 1, 1e15, &d->evals, err);
        else if (!strcmp(k, "budget")) r = sm__kv_num(kv, 1e-6, 1e9, &d->seconds, err);
        else if (!strcmp(k, "threads")) { if ((r = sm__kv_num(kv, 1, 4096, &x, err)) == SM_OK) d->threads = (int)x; }
        else if (!strcmp(k, "tasks")) { if ((r = sm__kv_num(kv, 1, 1 << 20, &x, err)) == SM_OK) d->tasks = (int)x; }
        else if (!strcmp(k, "victory")) r = sm__kv_num(kv, 1, 1e15, &d->victory, err);
        else return sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[mapper] unknown key '%s' (objective, energy_weight, cycles_weight, search, seed, evals, budget, threads, tasks, victory)", k);
        if (r != SM_OK) return r;
    }
    return SM_OK;
}

SMAPI double sm_map_cost(const sm_map_desc *d, const sm_stats *st) {
    switch (d->objective) {
    case SM_OBJECTIVE_ENERGY: return st->energy_pj;
    case SM_OBJECTIVE_CYCLES: return st->cycles;
    case SM_OBJECTIVE_WEIGHTED:
        return pow(st->energy_pj, d->energy_weight > 0 ? d->energy_weight : 1) * pow(st->cycles, d->cycles_weight > 0 ? d->cycles_weight : 1);
    default: return st->energy_pj * st->cycles;
    }
}

/* ---- mapping output ---- */
static void sm__loops_str(char *buf, size_t cap, const sm_problem *p, const sm_loop_list *ll) {
    size_t n = 0;
    int i;
    buf[0] = 0;
    for (i = 0; i < ll->n && n + 1 < cap; i++) {
        const char *dn = p->dims[ll->loops[i].dim];
        size_t len = strlen(dn);
        int digit = len && isdigit((unsigned char)dn[len - 1]);
        int w = snprintf(buf + n, cap - n, "%s%s%s%ld", i ? " " : "", dn, digit ? "=" : "", ll->loops[i].factor);
        if (w < 0) break;
        n += (size_t)w;
    }
    if (n >= cap) buf[cap - 1] = 0;
}

static void sm__keep_str(char *buf, size_t cap, const sm_problem *p, unsigned bypass) {
    size_t n = 0;
    int t;
    buf[0] = 0;
    for (t = 0; t < p->ntensors && n + 1 < cap; t++) {
        int w;
        if (bypass >> t & 1u) continue;
        w = snprintf(buf + n, cap - n, "%s%s", n ? " " : "", p->tensors[t].name);
        if (w < 0) break;
        n += (size_t)w;
    }
    if (n >= cap) buf[cap - 1] = 0;
}

SMAPI void sm_mapping_write(FILE *f, const sm_spec *s, const sm_level_map *map) {
    static const char *const kinds[4] = { "temporal", "spatial_x", "spatial_y", "keep" };
    int l, k, w = 0;
    char buf[SM_MAX_LOOPS * (SM_NAME_LEN + 24) + SM_MAX_TENSORS * SM_NAME_LEN], key[SM_NAME_LEN + 16];
    for (l = 0; l < s->nlevels; l++) { int n = (int)strlen(s->levels[l].name) + 10; if (n > w) w = n; }
    fprintf(f, "[mapping]\n");
    for (l = 0; l < s->nlevels; l++)
        for (k = 0; k < 4; k++) {
            const sm_level_map *m = &map[l];
            if (k == 3) sm__keep_str(buf, sizeof buf, &s->problem, m->bypass);
            else sm__loops_str(buf, sizeof buf, &s->problem, k == 0 ? &m->temporal : k == 1 ? &m->spatial_x : &m->spatial_y);
            snprintf(key, sizeof key, "%s.%s", s->levels[l].name, kinds[k]);
            fprintf(f, "%-*s =%s%s\n", w, key, buf[0] ? " " : "", buf);
        }
}

SMAPI void sm_mapping_line(char *out, size_t cap, const sm_spec *s, const sm_level_map *map) {
    static const char *const kinds[3] = { "temporal", "spatial_x", "spatial_y" };
    char buf[SM_MAX_LOOPS * (SM_NAME_LEN + 24) + SM_MAX_TENSORS * SM_NAME_LEN];
    size_t n = 0;
    int l, k;
    if (!cap) return;
    out[0] = 0;
    for (l = 0; l < s->nlevels; l++)
        for (k = 0; k < 4; k++) {
            const sm_level_map *m = &map[l];
            int w;
            if (k == 3) sm__keep_str(buf, sizeof buf, &s->problem, m->bypass);
            else {
                const sm_loop_list *ll = k == 0 ? &m->temporal : k == 1 ? &m->spatial_x : &m->spatial_y;
                if (!ll->n) continue;
                sm__loops_str(buf, sizeof buf, &s->problem, ll);
            }
            if (n + 1 >= cap) return;
            w = snprintf(out + n, cap - n, "%s%s.%s=%s", n ? "; " : "", s->levels[l].name, k == 3 ? "keep" : kinds[k], buf);
            if (w < 0 || (size_t)w >= cap - n) { out[cap - 1] = 0; return; }
            n += (size_t)w;
        }
}

/* ---- the mapspace ---- */
#define SM__MAX_PRIMES 64
typedef struct sm__space {
    const sm_spec *spec;
    sm_map_desc d;
    sm_constraints con;
    int L, D, T;
    long fixed[SM_MAX_LEVELS][3][SM_MAX_DIMS];  /* fixed factors (0 = free) */
    long rest[SM_MAX_DIMS];                     /* bound / fixed factors: what the search distributes */
    int nprimes[SM_MAX_DIMS];
    long primes[SM_MAX_DIMS][SM__MAX_PRIMES];   /* prime factors of rest, with multiplicity */
    int nslots[SM_MAX_DIMS];
    short slots[SM_MAX_DIMS][SM_MAX_LEVELS * 3]; /* free slots (l * 3 + kind) of each dim */
    int nactive;
    short active[SM_MAX_DIMS];                  /* dims with rest > 1 */
    long cap[SM_MAX_LEVELS][3];                 /* most product of a level's spatial factors; temporal 0 = none */
    long fan[SM_MAX_LEVELS];                    /* X x Y fanout of each level */
    int spatial_only[SM_MAX_LEVELS];            /* pure spatial stage: no temporal loops, keeps nothing */
    int nfree[SM_MAX_LEVELS];                   /* perm positions [0, nfree) free, the rest fixed (order constraint) */
    int fixed_perm[SM_MAX_LEVELS][SM_MAX_DIMS]; /* the initial permutation: free dims, then the order constraint */
    int nperm_levels;
    short perm_levels[SM_MAX_LEVELS];           /* levels whose temporal order can change the counts */
    unsigned keep_fixed[SM_MAX_LEVELS], keep_val[SM_MAX_LEVELS];
    int nkeepbits;
    short keepbits[SM_MAX_LEVELS * SM_MAX_TENSORS];   /* free (level * SM_MAX_TENSORS + tensor) choices */
    unsigned plain[SM_MAX_LEVELS];              /* tensors held uncompressed: their dense tiles must fit */
    double words[SM_MAX_LEVELS];                /* capacity in words (0 = unbounded) */
    double limit[SM_MAX_LEVELS];                /* max_capacity in words (0 = none) */
    double macs;
} sm__space;

typedef struct sm__genome {
    long f[SM_MAX_LEVELS][3][SM_MAX_DIMS];
    unsigned char perm[SM_MAX_LEVELS][SM_MAX_DIMS];   /* temporal order, outermost first, every dim */
    unsigned keep[SM_MAX_LEVELS];
} sm__genome;

static int sm__factorize(long n, long *out, int cap) {
    int k = 0;
    long q;
    for (q = 2; q * q <= n && k < cap; q++) while (n % q == 0 && k < cap) { out[k++] = q; n /= q; }
    if (n > 1 && k < cap) out[k++] = n;
    return k;
}

static int sm__is_spatial_stage(const sm_spec *s, int l) {
    const sm_level *lv = &s->levels[l];
    int a;
    if (l == 0 || lv->size > 0 || lv->read_pj || lv->write_pj || lv->update_pj || lv->leak_pj || lv->metadata_word_bits || lv->area_um2) return 0;
    for (a = 0; a < 3; a++) if (lv->gated_pj[a] || lv->skipped_pj[a] || lv->metadata_pj[a]) return 0;
    return 1;
}

static sm_result sm__space_build(const sm_spec *s, const sm_map_desc *desc, sm__space *sp, sm_error *err) {
    const sm_problem *p = &s->problem;
    int l, k, d, t, i, sparse = s->nsafs > 0;
    sm_result r;
    unsigned all;
    memset(sp, 0, sizeof *sp);
    sp->spec = s;
    sp->d = *desc;
    sp->L = s->nlevels; sp->D = p->ndims; sp->T = p->ntensors;
    all = (1u << sp->T) - 1;
    if (sp->L < 1 || sp->T < 2 || sp->D < 1) return sm__fail(err, SM_ERR_VALUE, NULL, "%s: spec needs an einsum and at least one storage level", s->path);
    if (desc->constraints) sp->con = *desc->constraints;
    else if ((r = sm_constraints_from_spec(s, &sp->con, err)) != SM_OK) return r;
    if ((r = sm__check_mesh(s, err)) != SM_OK) return r;
    for (t = 0; t < sp->T; t++) {
        if (s->density[t].kind != SM_DENSITY_DENSE) sparse = 1;
        for (l = 0; l < sp->L; l++) if (s->format[l][t].nranks) sparse = 1;
    }
    sp->macs = (double)sm__instances(s, sp->L);
    for (l = 0; l < sp->L; l++) {
        const sm_level *lv = &s->levels[l];
        const sm_level_constraints *lc = &sp->con.level[l];
        long fan = sm__instances(s, l + 1) / sm__instances(s, l), fx = sm__mesh_x(s, l + 1) / sm__mesh_x(s, l);
        double mb = lv->multiple_buffering > 0 ? lv->multiple_buffering : 1, expand = 1;
        sp->spatial_only[l] = sm__is_spatial_stage(s, l);
        for (i = 0; i < s->nsafs; i++) {   /* skip_spatial lets the fanout grow by up to 1 / density */
            const sm_saf *f = &s->safs[i];
            if (f->kind != SM_SAF_SKIP_SPATIAL || f->level != l) continue;
            for (t = 0; t < sp->T; t++)
                if (f->cond >> t & 1u) {
                    double dn = s->density[t].kind == SM_DENSITY_DENSE ? 1 : s->density[t].density;
                    if (dn > 0 && ceil(1 / dn - 1e-9) > expand) expand = ceil(1 / dn - 1e-9);
                }
        }
        sp->fan[l] = fan;
        sp->cap[l][SM_TEMPORAL] = 0;
        sp->cap[l][SM_SPATIAL_X] = (long)((double)fx * expand);
        sp->cap[l][SM_SPATIAL_Y] = (long)((double)(fan / fx) * expand);
        sp->words[l] = lv->size > 0 ? floor(lv->size / mb) : 0;
        sp->limit[l] = lc->max_capacity > 0 && lv->size > 0 ? floor(lv->size / mb) * lc->max_capacity : 0;
        for (t = 0; t < sp->T; t++) {
            const sm_format *fm = &s->format[l][t];
            int comp = 0;
            for (i = 0; i < fm->nranks; i++) comp |= fm->rank[i].kind == SM_RANK_CP || fm->rank[i].kind == SM_RANK_B || fm->rank[i].kind == SM_RANK_RLE;
            if (!comp) sp->plain[l] |= 1u << t;
        }
        /* keep / bypass */
        if (l == 0) {
            if (lc->bypass) return sm__fail(err, SM_ERR_EMPTY, &lc->loc, "[constraints] %s.bypass: the outermost level keeps every tensor", lv->name);
            sp->keep_fixed[l] = all; sp->keep_val[l] = all;
        } else if (sp->spatial_only[l]) {
            if (lc->keep) return sm__fail(err, SM_ERR_EMPTY, &lc->loc, "[constraints] %s.keep: %s is a pure spatial stage (size 0, no energy), it keeps nothing", lv->name, lv->name);
            sp->keep_fixed[l] = all; sp->keep_val[l] = 0;
        } else {
            sp->keep_fixed[l] = (lc->keep | lc->bypass) & all;
            sp->keep_val[l] = lc->keep & all;
            for (t = 0; t < sp->T; t++) if (!(sp->keep_fixed[l] >> t & 1u)) sp->keepbits[sp->nkeepbits++] = (short)(l * SM_MAX_TENSORS + t);
        }
        /* fixed factors */
        for (k = 0; k < 3; k++)
            for (d = 0; d < sp->D; d++) {
                long f = lc->factor[k][d];
                if (k == SM_TEMPORAL && sp->spatial_only[l]) {
                    if (f > 1) return sm__fail(err, SM_ERR_EMPTY, &lc->loc, "[constraints] %s.temporal: %s is a pure spatial stage (no temporal loops)", lv->name, lv->name);
                    f = 1;
                }
                if (k != SM_TEMPORAL && f > sp->cap[l][k])
                    return sm__fail(err, SM_ERR_EMPTY, &lc->loc, "[constraints] %s.%s: factor %ld of %s exceeds the fanout %ld", lv->name, k == SM_SPATIAL_X ? "spatial_x" : "spatial_y", f, p->dims[d], sp->cap[l][k]);
                if (k != SM_TEMPORAL && sp->cap[l][k] <= 1) f = 1;
                sp->fixed[l][k][d] = f;
            }
        /* temporal order: free dims first (any order), then the constrained tail */
        {
            unsigned in_order = 0;
            int n = 0;
            for (i = 0; i < lc->norder; i++) in_order |= 1u << lc->order[i];
            for (d = 0; d < sp->D; d++) if (!(in_order >> d & 1u)) sp->fixed_perm[l][n++] = d;
            sp->nfree[l] = n;
            for (i = 0; i < lc->norder; i++) sp->fixed_perm[l][n++] = lc->order[i];
        }
    }
    for (d = 0; d < sp->D; d++) {   /* what the search distributes, and where */
        long fixed = 1, bound = p->bounds[d];
        for (l = 0; l < sp->L; l++) for (k = 0; k < 3; k++) if (sp->fixed[l][k][d]) {
            fixed *= sp->fixed[l][k][d];
            if (fixed > bound) break;
        }
        if (fixed > bound || bound % fixed)
            return sm__fail(err, SM_ERR_EMPTY, &sp->con.loc, "[constraints] the fixed factors of dim %s multiply to %ld, which does not divide its bound %ld", p->dims[d], fixed, bound);
        sp->rest[d] = bound / fixed;
        sp->nprimes[d] = sm__factorize(sp->rest[d], sp->primes[d], SM__MAX_PRIMES);
        for (l = 0; l < sp->L; l++)
            for (k = 0; k < 3; k++) {
                if (sp->fixed[l][k][d]) continue;
                if (k != SM_TEMPORAL && sp->cap[l][k] <= 1) continue;
                sp->slots[d][sp->nslots[d]++] = (short)(l * 3 + k);
            }
        if (sp->rest[d] > 1) {
            if (!sp->nslots[d]) return sm__fail(err, SM_ERR_EMPTY, &sp->con.loc, "[constraints] dim %s has %ld left to map but every level fixes its factors", p->dims[d], sp->rest[d]);
            sp->active[sp->nactive++] = (short)d;
        }
    }
    for (l = 0; l < sp->L; l++) {   /* where the temporal order can change the counts */
        int below = 0, m;
        if (sp->spatial_only[l]) continue;
        for (m = l + 1; m < sp->L; m++) if (!sp->spatial_only[m]) below = 1;
        if (below || sparse) sp->perm_levels[sp->nperm_levels++] = (short)l;
    }
    return SM_OK;
}

/* The genome as sm_level_maps: temporal loops in perm order, spatial loops in dim order. */
static void sm__to_map(const sm__space *sp, const sm__genome *g, sm_level_map *map) {
    int l, i, d;
    unsigned all = (1u << sp->T) - 1;
    for (l = 0; l < sp->L; l++) {
        sm_level_map *m = &map[l];
        m->temporal.n = m->spatial_x.n = m->spatial_y.n = 0;
        for (i = 0; i < sp->D; i++) {
            d = g->perm[l][i];
            if (g->f[l][SM_TEMPORAL][d] > 1) { m->temporal.loops[m->temporal.n].dim = d; m->temporal.loops[m->temporal.n++].factor = g->f[l][SM_TEMPORAL][d]; }
        }
        for (d = 0; d < sp->D; d++) {
            if (g->f[l][SM_SPATIAL_Y][d] > 1) { m->spatial_y.loops[m->spatial_y.n].dim = d; m->spatial_y.loops[m->spatial_y.n++].factor = g->f[l][SM_SPATIAL_Y][d]; }
            if (g->f[l][SM_SPATIAL_X][d] > 1) { m->spatial_x.loops[m->spatial_x.n].dim = d; m->spatial_x.loops[m->spatial_x.n++].factor = g->f[l][SM_SPATIAL_X][d]; }
        }
        m->bypass = ~g->keep[l] & all;
    }
}

/* The genome with only its fixed parts: fixed factors, 1 elsewhere, initial orders, fixed keeps. */
static void sm__genome_base(const sm__space *sp, sm__genome *g) {
    int l, k, d;
    memset(g, 0, sizeof *g);
    for (l = 0; l < sp->L; l++) {
        for (k = 0; k < 3; k++) for (d = 0; d < sp->D; d++) g->f[l][k][d] = sp->fixed[l][k][d] ? sp->fixed[l][k][d] : 1;
        for (d = 0; d < sp->D; d++) g->perm[l][d] = (unsigned char)sp->fixed_perm[l][d];
        g->keep[l] = sp->keep_val[l];
    }
}

static long sm__spatial_prod(const sm__space *sp, const sm__genome *g, int l, int k) {
    long pr = 1;
    int d;
    for (d = 0; d < sp->D; d++) pr *= g->f[l][k][d];
    return pr;
}

/* May factor m of a dim go into slot (l, k)? */
static int sm__fits(const sm__space *sp, const sm__genome *g, int l, int k, long m) {
    return k == SM_TEMPORAL || (double)sm__spatial_prod(sp, g, l, k) * (double)m <= (double)sp->cap[l][k];
}

/* Make a random genome fit the capacities (uncompressed tiles), inner levels first: while a level
   overflows, bypass one of its free tensors or move a prime factor from that level or below to a
   temporal slot above it. Returns 0 when it gives up. */
static int sm__repair(const sm__space *sp, sm__rng *r, sm__genome *g) {
    const sm_problem *p = &sp->spec->problem;
    int l, d, k, t, it;
    for (l = sp->L - 1; l >= 0; l--) {
        if (!sp->words[l]) continue;
        for (it = 0; it < 64; it++) {
            double ext[SM_MAX_DIMS], used = 0, w;
            int cand[SM_MAX_TENSORS], nc = 0, m;
            for (d = 0; d < sp->D; d++) ext[d] = 1;
            for (m = sp->L - 1; m >= l; m--) for (d = 0; d < sp->D; d++) for (k = 0; k < 3; k++) ext[d] *= (double)g->f[m][k][d];
            for (t = 0; t < sp->T; t++) {
                if (!(g->keep[l] >> t & 1u) || !(sp->plain[l] >> t & 1u)) continue;
                w = sm__tile_size(&p->tensors[t], ext, NULL);
                if (w > 0) used += w;
                if (!(sp->keep_fixed[l] >> t & 1u)) cand[nc++] = t;
            }
            if (used <= sp->words[l]) break;
            if (nc && (l == 0 || sm__below(r, 2))) { g->keep[l] &= ~(1u << cand[sm__below(r, nc)]); continue; }
            {   /* move one prime of a dim from a slot at l or below to a temporal slot above l */
                int tries, moved = 0;
                for (tries = 0; tries < 32 && !moved && sp->nactive; tries++) {
                    int dd = sp->active[sm__below(r, sp->nactive)], n = sp->nslots[dd], src[SM_MAX_LEVELS * 3], dst[SM_MAX_LEVELS * 3], ns = 0, nd = 0, s, q;
                    long f;
                    for (s = 0; s < n; s++) {
                        int sl = sp->slots[dd][s];
                        if (sl / 3 >= l && g->f[sl / 3][sl % 3][dd] > 1) src[ns++] = sl;
                        if (sl / 3 < l && sl % 3 == SM_TEMPORAL) dst[nd++] = sl;
                    }
                    if (!ns || !nd) continue;
                    s = src[sm__below(r, ns)];
                    f = g->f[s / 3][s % 3][dd];
                    for (q = 0; q < sp->nprimes[dd]; q++) if (f % sp->primes[dd][q] == 0) break;
                    if (q == sp->nprimes[dd]) continue;
                    g->f[s / 3][s % 3][dd] /= sp->primes[dd][q];
                    s = dst[sm__below(r, nd)];
                    g->f[s / 3][s % 3][dd] *= sp->primes[dd][q];
                    moved = 1;
                }
                if (!moved) { if (nc) g->keep[l] &= ~(1u << cand[sm__below(r, nc)]); else return 0; }
            }
        }
    }
    return 1;
}

/* A random genome: each prime factor of each dim goes to a random free slot where it fits. */
static void sm__genome_random(const sm__space *sp, sm__rng *r, sm__genome *g) {
    int order[SM_MAX_DIMS], i, j, l;
    sm__genome_base(sp, g);
    for (i = 0; i < sp->nactive; i++) order[i] = sp->active[i];
    for (i = sp->nactive - 1; i > 0; i--) { j = sm__below(r, i + 1); { int t = order[i]; order[i] = order[j]; order[j] = t; } }
    for (i = 0; i < sp->nactive; i++) {
        int d = order[i], q;
        for (q = 0; q < sp->nprimes[d]; q++) {
            short cand[SM_MAX_LEVELS * 3];
            int nc = 0, s;
            for (s = 0; s < sp->nslots[d]; s++) {
                int sl = sp->slots[d][s];
                if (sm__fits(sp, g, sl / 3, sl % 3, sp->primes[d][q])) cand[nc++] = (short)sl;
            }
            if (!nc) { s = sp->slots[d][0]; }   /* cannot happen while a temporal slot exists */
            else s = cand[sm__below(r, nc)];
            g->f[s / 3][s % 3][d] *= sp->primes[d][q];
        }
    }
    for (l = 0; l < sp->L; l++) {
        for (i = sp->nfree[l] - 1; i > 0; i--) { j = sm__below(r, i + 1); { unsigned char t = g->perm[l][i]; g->perm[l][i] = g->perm[l][j]; g->perm[l][j] = t; } }
    }
    for (i = 0; i < sp->nkeepbits; i++) {
        int kb = sp->keepbits[i];
        if (sm__next(r) >> 63) g->keep[kb / SM_MAX_TENSORS] |= 1u << (kb % SM_MAX_TENSORS);
    }
    sm__repair(sp, r, g);
}

/* The always-valid start when nothing else is: every free factor at the outermost temporal slot
   that takes it, every free tensor bypassed (inner tiles of one word). */
static void sm__genome_outer(const sm__space *sp, sm__genome *g) {
    int i, q;
    sm__genome_base(sp, g);
    for (i = 0; i < sp->nactive; i++) {
        int d = sp->active[i];
        for (q = 0; q < sp->nprimes[d]; q++) {
            int s, pick = -1;
            for (s = 0; s < sp->nslots[d] && pick < 0; s++) if (sp->slots[d][s] % 3 == SM_TEMPORAL) pick = sp->slots[d][s];
            for (s = 0; s < sp->nslots[d] && pick < 0; s++) if (sm__fits(sp, g, sp->slots[d][s] / 3, sp->slots[d][s] % 3, sp->primes[d][q])) pick = sp->slots[d][s];
            if (pick < 0) pick = sp->slots[d][0];
            g->f[pick / 3][pick % 3][d] *= sp->primes[d][q];
        }
    }
}

/* Checks before evaluation: fanout, utilization, capacity of uncompressed tiles and max_capacity.
   Returns 0 when the genome cannot be valid. */
static int sm__precheck(const sm__space *sp, const sm__genome *g) {
    const sm_problem *p = &sp->spec->problem;
    double ext[SM_MAX_DIMS], macs = 1;
    int l, d, t, k;
    for (l = 0; l < sp->L; l++) {
        double px = (double)sm__spatial_prod(sp, g, l, SM_SPATIAL_X), py = (double)sm__spatial_prod(sp, g, l, SM_SPATIAL_Y);
        if (px > (double)sp->cap[l][SM_SPATIAL_X] || py > (double)sp->cap[l][SM_SPATIAL_Y]) return 0;
        if (sp->con.level[l].min_utilization > 0 && px * py < sp->con.level[l].min_utilization * (double)sp->fan[l] - 1e-9) return 0;
        macs *= px * py;
    }
    if (sp->con.min_utilization > 0 && macs < sp->con.min_utilization * sp->macs - 1e-9) return 0;
    for (d = 0; d < sp->D; d++) ext[d] = 1;
    for (l = sp->L - 1; l >= 0; l--) {
        double used = 0, all = 0;
        for (d = 0; d < sp->D; d++) for (k = 0; k < 3; k++) ext[d] *= (double)g->f[l][k][d];
        if (!sp->words[l] && !sp->limit[l]) continue;
        for (t = 0; t < sp->T; t++) {
            double w;
            if (!(g->keep[l] >> t & 1u)) continue;
            w = sm__tile_size(&p->tensors[t], ext, NULL);
            if (w < 0) continue;
            all += w;
            if (sp->plain[l] >> t & 1u) used += w;
        }
        if (sp->words[l] && used > sp->words[l]) return 0;
        if (sp->limit[l] && all > sp->limit[l] + 1e-9) return 0;
    }
    return 1;
}

/* ---- exhaustive enumeration ----
   Outer index: one factorization per active dim (mixed radix, first dim slowest) and one keep
   choice; for each, every order of the non-unit free temporal loops at the levels where order
   matters (mixed radix of factorials). Task i takes the outer indices congruent to i. */
typedef struct sm__enum {
    int ndiv;
    long div[2048];                /* divisors of the dim being enumerated, ascending */
    int nf[SM_MAX_DIMS];           /* factorizations of each active dim */
    long *facts[SM_MAX_DIMS];      /* nf x nslots factors, stb_ds array */
    double nouter, size;           /* outer indices; mappings (fanout-valid) */
} sm__enum;

static void sm__enum_dim(const sm__space *sp, const sm__enum *e, int d, long rest, int s, long *cur, long **out, double limit) {
    int k, n = sp->nslots[d], i;
    long f;
    if ((double)stbds_arrlen(*out) > limit * n) return;
    if (s == n - 1) {
        int sl = sp->slots[d][s];
        if (sl % 3 != SM_TEMPORAL && rest > sp->cap[sl / 3][sl % 3]) return;
        cur[s] = rest;
        for (k = 0; k < n; k++) stbds_arrput(*out, cur[k]);
        return;
    }
    for (i = 0; i < e->ndiv && (f = e->div[i]) <= rest; i++) {
        int sl = sp->slots[d][s];
        if (rest % f) continue;
        if (sl % 3 != SM_TEMPORAL && f > sp->cap[sl / 3][sl % 3]) break;
        cur[s] = f;
        sm__enum_dim(sp, e, d, rest / f, s + 1, cur, out, limit);
    }
}

static void sm__enum_free(sm__enum *e) {
    int i;
    for (i = 0; i < SM_MAX_DIMS; i++) stbds_arrfree(e->facts[i]);
}

/* The factor and keep choices of outer index o into g; 0 when the fanout is exceeded. */
static int sm__enum_outer(const sm__space *sp, const sm__enum *e, double o, sm__genome *g) {
    double keeps = ldexp(1.0, sp->nkeepbits), fi = floor(o / keeps), ki = o - fi * keeps;
    int i, s, l;
    sm__genome_base(sp, g);
    for (i = sp->nactive - 1; i >= 0; i--) {
        int d = sp->active[i], n = sp->nslots[d];
        double q = floor(fi / e->nf[i]);
        long idx = (long)(fi - q * e->nf[i]);
        fi = q;
        for (s = 0; s < n; s++) { int sl = sp->slots[d][s]; g->f[sl / 3][sl % 3][d] *= e->facts[i][idx * n + s]; }
    }
    for (i = 0; i < sp->nkeepbits; i++) {
        int kb = sp->keepbits[i];
        if (fmod(floor(ki / ldexp(1.0, i)), 2) == 1) g->keep[kb / SM_MAX_TENSORS] |= 1u << (kb % SM_MAX_TENSORS);
    }
    for (l = 0; l < sp->L; l++)
        if (sm__spatial_prod(sp, g, l, SM_SPATIAL_X) > sp->cap[l][SM_SPATIAL_X] || sm__spatial_prod(sp, g, l, SM_SPATIAL_Y) > sp->cap[l][SM_SPATIAL_Y]) return 0;
    return 1;
}

/* Free non-unit temporal dims of each order-relevant level (in perm position order), their count's
   factorial product = the orders to try. */
static double sm__enum_orders(const sm__space *sp, const sm__genome *g, int nu[SM_MAX_LEVELS], int u[SM_MAX_LEVELS][SM_MAX_DIMS]) {
    double n = 1;
    int i, j, l;
    for (i = 0; i < sp->nperm_levels; i++) {
        l = sp->perm_levels[i];
        nu[l] = 0;
        for (j = 0; j < sp->nfree[l]; j++) if (g->f[l][SM_TEMPORAL][g->perm[l][j]] > 1) u[l][nu[l]++] = g->perm[l][j];
        for (j = 2; j <= nu[l]; j++) n *= j;
    }
    return n;
}

/* Order number k (Lehmer code, mixed radix over the levels) into g's free perm positions. */
static void sm__enum_apply_order(const sm__space *sp, sm__genome *g, double k, const int nu[SM_MAX_LEVELS], const int u[SM_MAX_LEVELS][SM_MAX_DIMS]) {
    int i, j, l;
    for (i = 0; i < sp->nperm_levels; i++) {
        int pool[SM_MAX_DIMS], n, pos = 0;
        unsigned char rest[SM_MAX_DIMS];
        int nrest = 0;
        l = sp->perm_levels[i];
        n = nu[l];
        if (n < 2) continue;
        for (j = 0; j < n; j++) pool[j] = u[l][j];
        for (j = 0; j < sp->nfree[l]; j++) if (g->f[l][SM_TEMPORAL][g->perm[l][j]] <= 1) rest[nrest++] = g->perm[l][j];
        for (j = n; j >= 1; j--) {   /* pick the (k mod j)-th remaining dim */
            double q = floor(k / j);
            int c = (int)(k - q * j), m;
            k = q;
            g->perm[l][pos++] = (unsigned char)pool[c];
            for (m = c; m < j - 1; m++) pool[m] = pool[m + 1];
        }
        for (j = 0; j < nrest; j++) g->perm[l][pos++] = rest[j];
    }
}

static sm_result sm__enum_build(const sm__space *sp, sm__enum *e, double limit) {
    int i, k;
    long cur[SM_MAX_LEVELS * 3];
    double o;
    memset(e, 0, sizeof *e);
    e->nouter = ldexp(1.0, sp->nkeepbits);
    for (i = 0; i < sp->nactive; i++) {
        int d = sp->active[i];
        {   /* the divisors of rest, ascending */
            long q, n = sp->rest[d];
            e->ndiv = 0;
            for (q = 1; q * q <= n && e->ndiv < 2046; q++) if (n % q == 0) e->div[e->ndiv++] = q;
            for (k = e->ndiv - 1; k >= 0 && e->ndiv < 2048; k--) if (e->div[k] * e->div[k] != n) e->div[e->ndiv++] = n / e->div[k];
        }
        sm__enum_dim(sp, e, d, sp->rest[d], 0, cur, &e->facts[i], limit);
        e->nf[i] = (int)(stbds_arrlen(e->facts[i]) / sp->nslots[d]);
        e->nouter *= e->nf[i];
        if (e->nf[i] > limit) { e->size = e->nouter; return SM_ERR_LIMIT; }
        if (e->nouter > limit) { e->size = e->nouter; return SM_ERR_LIMIT; }
    }
    for (o = 0; o < e->nouter; o++) {
        sm__genome g;
        int nu[SM_MAX_LEVELS], u[SM_MAX_LEVELS][SM_MAX_DIMS];
        if (!sm__enum_outer(sp, e, o, &g)) continue;
        e->size += sm__enum_orders(sp, &g, nu, u);
        if (e->size > limit) return SM_ERR_LIMIT;
    }
    return SM_OK;
}

/* An upper bound of the mapspace without enumerating it: ordered factorizations ignoring the
   fanout, keep choices, and every order of the free dims at the order-relevant levels. */
static double sm__space_bound(const sm__space *sp) {
    double n = ldexp(1.0, sp->nkeepbits);
    int i, j, q;
    for (i = 0; i < sp->nactive; i++) {   /* prod over distinct primes p^e of C(e + slots - 1, slots - 1) */
        int d = sp->active[i], s = sp->nslots[d];
        for (q = 0; q < sp->nprimes[d]; ) {
            int e = 0;
            long pr = sp->primes[d][q];
            double c = 1;
            while (q < sp->nprimes[d] && sp->primes[d][q] == pr) { e++; q++; }
            for (j = 1; j <= e; j++) c = c * (double)(s - 1 + j) / j;
            n *= c;
        }
    }
    for (i = 0; i < sp->nperm_levels; i++) for (j = 2; j <= sp->nfree[sp->perm_levels[i]]; j++) n *= j;
    return n;
}

/* ---- workers ---- */
typedef struct sm__task_result {
    int found;
    double cost, edp, t_best;
    sm__genome best;
} sm__task_result;

typedef struct sm__run {
    const sm__space *sp;
    sm_search_kind kind;
    const sm__enum *en;
    int ntasks;                    /* tasks of the whole search */
    int *mine;                     /* the tasks of this shard */
    int nmine;
    double evals_per_task, slice, t0;
    sm__task_result *res;          /* [ntasks] */
    int next;                      /* next index into mine */
    double done, total;            /* evaluations, for progress */
    double cand, pruned, evals, valid;
#ifndef SM_NO_THREADS
    pthread_mutex_t lock;
#endif
} sm__run;

typedef struct sm__worker {
    sm__run *run;
    sm_spec *spec;                 /* own copy; its map is rewritten per candidate */
    sm_skipsched *ss;              /* own skip scheduler and cache when the spec has one (caches are not locked) */
    sm_stats st;
    double cand, pruned, evals, valid, unreported;   /* this task's */
    sm__task_result *tr;
    double t_start, deadline, budget;
    int task;
} sm__worker;

static void sm__lock(sm__run *r) {
#ifndef SM_NO_THREADS
    pthread_mutex_lock(&r->lock);
#else
    (void)r;
#endif
}
static void sm__unlock(sm__run *r) {
#ifndef SM_NO_THREADS
    pthread_mutex_unlock(&r->lock);
#else
    (void)r;
#endif
}

static void sm__report(sm__worker *w, int force) {
    sm__run *r = w->run;
    if (!r->sp->d.progress || (!force && w->unreported < 4096)) return;
    sm__lock(r);
    r->done += w->unreported;
    r->sp->d.progress(r->sp->d.progress_user, r->done, r->total);
    sm__unlock(r);
    w->unreported = 0;
}

/* Out of budget (evaluations or this task's time slice)? */
static int sm__spent(sm__worker *w) {
    if (w->evals >= w->budget) return 1;
    if (w->cand > 64 * w->budget + 100000) return 1;   /* everything pruned: stop anyway */
    if (w->deadline > 0 && ((long)w->cand & 63) == 0 && sm__now() > w->deadline) return 1;
    return 0;
}

/* Evaluate a genome; 1 and its cost when valid. */
static int sm__try(sm__worker *w, const sm__genome *g, double *cost, double *edp) {
    const sm__space *sp = w->run->sp;
    w->cand++;
    if (!sm__precheck(sp, g)) { w->pruned++; return 0; }
    sm__to_map(sp, g, w->spec->map);
    w->evals++;
    w->unreported++;
    if (w->unreported >= 4096) sm__report(w, 0);
    if (sm_eval(w->spec, &w->st, NULL) != SM_OK) return 0;
    w->valid++;
    *cost = sm_map_cost(&sp->d, &w->st);
    *edp = w->st.energy_pj * w->st.cycles;
    if (!(*cost == *cost) || *cost < 0) return 0;
    return 1;
}

static int sm__better(double c1, double e1, double c2, double e2) { return c1 < c2 || (c1 == c2 && e1 < e2); }

/* Record a candidate in the task's best; 1 when it improved. */
static int sm__offer(sm__worker *w, const sm__genome *g, double cost, double edp) {
    sm__task_result *tr = w->tr;
    if (tr->found && !sm__better(cost, edp, tr->cost, tr->edp)) return 0;
    tr->found = 1;
    tr->cost = cost;
    tr->edp = edp;
    tr->best = *g;
    tr->t_best = sm__now() - w->run->t0;
    return 1;
}

/* Flip one choice of g at random. Returns 0 when nothing could change. */
static int sm__mutate(const sm__space *sp, sm__rng *r, sm__genome *g) {
    int tries;
    for (tries = 0; tries < 256; tries++) {
        int kind = sm__below(r, 100);
        if (kind < 50 && sp->nactive) {   /* move a factor (a prime, sometimes more) between two slots of a dim */
            int d = sp->active[sm__below(r, sp->nactive)], n = sp->nslots[d], src[SM_MAX_LEVELS * 3], ns = 0, s, dst, i;
            long m, have;
            if (n < 2) continue;
            for (s = 0; s < n; s++) { int sl = sp->slots[d][s]; if (g->f[sl / 3][sl % 3][d] > 1) src[ns++] = sl; }
            if (!ns) continue;
            s = src[sm__below(r, ns)];
            have = g->f[s / 3][s % 3][d];
            m = 1;
            for (i = 0; i < sp->nprimes[d]; i++) {   /* a random prime of `have`, then maybe more */
                int q = sm__below(r, sp->nprimes[d]);
                long pr = sp->primes[d][q];
                if ((have / m) % pr) continue;
                m *= pr;
                if (sm__below(r, 3)) break;
            }
            if (m == 1) { long pf[SM__MAX_PRIMES]; sm__factorize(have, pf, SM__MAX_PRIMES); m = pf[0]; }
            {   /* a destination where it fits */
                int fit[SM_MAX_LEVELS * 3], nf = 0;
                for (i = 0; i < n; i++) { int sl = sp->slots[d][i]; if (sl != s && sm__fits(sp, g, sl / 3, sl % 3, m)) fit[nf++] = sl; }
                if (!nf) continue;
                dst = fit[sm__below(r, nf)];
            }
            g->f[s / 3][s % 3][d] /= m;
            g->f[dst / 3][dst % 3][d] *= m;
            return 1;
        } else if (kind < 62 && sp->nactive >= 2) {   /* exchange: a prime of one dim moves A -> B, one of another dim B -> A */
            int d1 = sp->active[sm__below(r, sp->nactive)], d2 = sp->active[sm__below(r, sp->nactive)], a, b, i;
            long p1 = 0, p2 = 0;
            if (d1 == d2 || sp->nslots[d1] < 2) continue;
            a = sp->slots[d1][sm__below(r, sp->nslots[d1])];
            b = sp->slots[d1][sm__below(r, sp->nslots[d1])];
            if (a == b || sp->fixed[b / 3][b % 3][d2] || sp->fixed[a / 3][a % 3][d2]) continue;
            if (a % 3 != SM_TEMPORAL && sp->cap[a / 3][a % 3] <= 1) continue;
            if (b % 3 != SM_TEMPORAL && sp->cap[b / 3][b % 3] <= 1) continue;
            for (i = 0; i < sp->nprimes[d1] && !p1; i++) if (g->f[a / 3][a % 3][d1] % sp->primes[d1][i] == 0) p1 = sp->primes[d1][i];
            for (i = 0; i < sp->nprimes[d2] && !p2; i++) if (g->f[b / 3][b % 3][d2] % sp->primes[d2][i] == 0) p2 = sp->primes[d2][i];
            if (!p1 || !p2) continue;
            g->f[a / 3][a % 3][d1] /= p1; g->f[b / 3][b % 3][d2] /= p2;
            if (!sm__fits(sp, g, b / 3, b % 3, p1) || !sm__fits(sp, g, a / 3, a % 3, p2) ||
                (b % 3 != SM_TEMPORAL && (double)sm__spatial_prod(sp, g, b / 3, b % 3) * (double)p1 > (double)sp->cap[b / 3][b % 3])) {
                g->f[a / 3][a % 3][d1] *= p1; g->f[b / 3][b % 3][d2] *= p2;
                continue;
            }
            g->f[b / 3][b % 3][d1] *= p1; g->f[a / 3][a % 3][d2] *= p2;
            return 1;
        } else if (kind < 67 && sp->nactive) {   /* swap the factors of two slots of a dim */
            int d = sp->active[sm__below(r, sp->nactive)], n = sp->nslots[d], a, b;
            long fa, fb;
            if (n < 2) continue;
            a = sp->slots[d][sm__below(r, n)];
            b = sp->slots[d][sm__below(r, n)];
            fa = g->f[a / 3][a % 3][d]; fb = g->f[b / 3][b % 3][d];
            if (a == b || fa == fb) continue;
            g->f[a / 3][a % 3][d] = 1; g->f[b / 3][b % 3][d] = 1;
            if (!sm__fits(sp, g, a / 3, a % 3, fb) || !sm__fits(sp, g, b / 3, b % 3, fa)) { g->f[a / 3][a % 3][d] = fa; g->f[b / 3][b % 3][d] = fb; continue; }
            g->f[a / 3][a % 3][d] = fb; g->f[b / 3][b % 3][d] = fa;
            return 1;
        } else if (kind < 89 && sp->nperm_levels) {   /* swap two non-unit temporal loops of a level */
            int l = sp->perm_levels[sm__below(r, sp->nperm_levels)], pos[SM_MAX_DIMS], np = 0, i, a, b;
            unsigned char t;
            for (i = 0; i < sp->nfree[l]; i++) if (g->f[l][SM_TEMPORAL][g->perm[l][i]] > 1) pos[np++] = i;
            if (np < 2) continue;
            a = sm__below(r, np);
            b = sm__below(r, np - 1);
            if (b >= a) b++;
            t = g->perm[l][pos[a]]; g->perm[l][pos[a]] = g->perm[l][pos[b]]; g->perm[l][pos[b]] = t;
            return 1;
        } else if (sp->nkeepbits) {   /* keep <-> bypass */
            int kb = sp->keepbits[sm__below(r, sp->nkeepbits)];
            g->keep[kb / SM_MAX_TENSORS] ^= 1u << (kb % SM_MAX_TENSORS);
            return 1;
        }
    }
    return 0;
}

/* Random sampling: budget evaluations of random genomes (victory: stop after that many valid
   evaluations without improvement). */
static void sm__task_random(sm__worker *w, sm__rng *r) {
    const sm__space *sp = w->run->sp;
    sm__genome g;
    double cost, edp, since = 0;
    while (!sm__spent(w)) {
        sm__genome_random(sp, r, &g);
        if (!sm__try(w, &g, &cost, &edp)) continue;
        if (sm__offer(w, &g, cost, edp)) since = 0;
        else if (sp->d.victory > 0 && ++since >= sp->d.victory) break;
    }
}

/* Simulated annealing on log(cost): a tenth of the budget samples random starts, the rest walks
   from the best of them; the temperature falls geometrically; after a long time without a new
   best the walk returns to the best. */
static void sm__task_anneal(sm__worker *w, sm__rng *r) {
    const sm__space *sp = w->run->sp;
    sm__genome cur, next;
    double cost, edp, cur_cost = 0, since = 0, stuck = 0, start_evals, T0 = 0.3, T1 = 0.002;
    double sample = w->budget < 1e15 ? w->budget / 10 : 2000, walk;
    int have = 0;
    while (!sm__spent(w)) {   /* random starts; if none is valid, the all-outer mapping */
        if (w->tr->found && w->evals >= sample) break;
        if (!w->tr->found && w->cand >= 8 * sample + 1000) {
            sm__genome_outer(sp, &next);
            if (sm__try(w, &next, &cost, &edp)) sm__offer(w, &next, cost, edp);
            break;
        }
        sm__genome_random(sp, r, &next);
        if (sm__try(w, &next, &cost, &edp)) sm__offer(w, &next, cost, edp);
    }
    if (!w->tr->found) return;
    cur = w->tr->best;
    cur_cost = log(w->tr->cost > 0 ? w->tr->cost : 1e-300);
    have = 1;
    start_evals = w->evals;
    walk = w->budget - start_evals;
    while (have && !sm__spent(w)) {
        double frac = walk < 1e15 ? (w->evals - start_evals) / walk : 0, T, lc;
        if (w->deadline > 0) { double tf = (sm__now() - w->t_start) / (w->deadline - w->t_start); if (tf > frac) frac = tf; }
        if (frac > 1) frac = 1;
        T = T0 * pow(T1 / T0, frac);
        next = cur;
        if (!sm__mutate(sp, r, &next)) break;
        if (sm__below(r, 4) == 0) sm__mutate(sp, r, &next);
        if (!sm__try(w, &next, &cost, &edp)) continue;
        lc = log(cost > 0 ? cost : 1e-300);
        if (lc <= cur_cost || sm__unit(r) < exp((cur_cost - lc) / T)) { cur = next; cur_cost = lc; }
        if (sm__offer(w, &next, cost, edp)) { since = 0; stuck = 0; }
        else {
            if (sp->d.victory > 0 && ++since >= sp->d.victory) break;
            if (++stuck >= fmax(3000, fmin(walk / 20, 50000))) { cur = w->tr->best; cur_cost = log(w->tr->cost > 0 ? w->tr->cost : 1e-300); stuck = 0; }
        }
    }
}

/* Exhaustive: the outer indices congruent to the task, every order of each. */
static void sm__task_exhaustive(sm__worker *w) {
    const sm__space *sp = w->run->sp;
    const sm__enum *e = w->run->en;
    double o, k, cost, edp;
    for (o = w->task; o < e->nouter; o += w->run->ntasks) {
        sm__genome g, h;
        int nu[SM_MAX_LEVELS], u[SM_MAX_LEVELS][SM_MAX_DIMS];
        double norders;
        if (!sm__enum_outer(sp, e, o, &g)) continue;
        norders = sm__enum_orders(sp, &g, nu, u);
        for (k = 0; k < norders; k++) {
            if (w->deadline > 0 && ((long)w->cand & 63) == 0 && sm__now() > w->deadline) return;
            h = g;
            sm__enum_apply_order(sp, &h, k, nu, (const int (*)[SM_MAX_DIMS])u);
            if (sm__try(w, &h, &cost, &edp)) sm__offer(w, &h, cost, edp);
        }
    }
}

static void *sm__worker_main(void *arg) {
    sm__worker *w = (sm__worker *)arg;
    sm__run *r = w->run;
    for (;;) {
        int idx;
        sm__rng rng;
        sm__lock(r);
        idx = r->next < r->nmine ? r->mine[r->next++] : -1;
        sm__unlock(r);
        if (idx < 0) break;
        w->task = idx;
        w->tr = &r->res[idx];
        w->t_start = sm__now();
        w->deadline = r->slice > 0 ? w->t_start + r->slice : 0;
        w->budget = r->evals_per_task;
        w->cand = w->pruned = w->evals = w->valid = 0;
        sm__rng_seed(&rng, r->sp->d.seed, (unsigned long long)idx);
        if (r->kind == SM_SEARCH_EXHAUSTIVE) sm__task_exhaustive(w);
        else if (r->kind == SM_SEARCH_RANDOM) sm__task_random(w, &rng);
        else sm__task_anneal(w, &rng);
        sm__lock(r);
        r->cand += w->cand; r->pruned += w->pruned; r->evals += w->evals; r->valid += w->valid;
        sm__unlock(r);
    }
    sm__report(w, 1);
    return NULL;
}

SMAPI sm_result sm_map(const sm_spec *spec, const sm_map_desc *desc, sm_map_result *out, sm_error *err) {
    sm__space *sp;
    sm__enum en;
    sm__run run;
    sm__worker *ws = NULL;
    sm_result res = SM_OK;
    sm_map_desc d = *desc;
    int i, nthreads, best = -1;
    double t0 = sm__now(), budget;
    memset(out, 0, sizeof *out);
    memset(&en, 0, sizeof en);
    memset(&run, 0, sizeof run);
    if (d.tasks <= 0) d.tasks = 8;
    if (d.threads <= 0) d.threads = 1;
    if (d.nshards <= 0) { d.nshards = 1; d.shard = 0; }
    {
        sm_loc where;
        sm__loc_set(&where, spec->path, 0);
        if (d.shard < 0 || d.shard >= d.nshards) return sm__fail(err, SM_ERR_VALUE, &where, "shard %d is not in 0..%d", d.shard, d.nshards - 1);
        if (d.nshards > d.tasks) return sm__fail(err, SM_ERR_VALUE, &where, "%d shards but the search has %d tasks: set tasks (--tasks) to at least the number of shards", d.nshards, d.tasks);
    }
    budget = d.evals > 0 ? d.evals : d.seconds > 0 ? 1e18 : 200000;
    sp = (sm__space *)malloc(sizeof *sp);
    if (!sp) return sm__fail(err, SM_ERR_LIMIT, NULL, "out of memory");
    if ((res = sm__space_build(spec, &d, sp, err)) != SM_OK) { free(sp); return res; }

    /* strategy: exhaustive when the pruned mapspace fits the budget */
    run.kind = d.search;
    out->mapspace = sm__space_bound(sp);
    if (d.search == SM_SEARCH_AUTO || d.search == SM_SEARCH_EXHAUSTIVE) {
        double limit = d.search == SM_SEARCH_EXHAUSTIVE ? 1e8 : (budget < 1e15 ? budget : 1e6);
        sm_result er = out->mapspace <= limit * 1e4 || d.search == SM_SEARCH_EXHAUSTIVE ? sm__enum_build(sp, &en, limit) : SM_ERR_LIMIT;
        if (er == SM_OK) { run.kind = SM_SEARCH_EXHAUSTIVE; out->mapspace = en.size; }
        else if (d.search == SM_SEARCH_EXHAUSTIVE) {
            sm__enum_free(&en);
            free(sp);
            return sm__fail(err, SM_ERR_LIMIT, NULL, "%s: the mapspace is too large to enumerate (more than %.3g mappings); use search = anneal or random", spec->path, limit);
        } else run.kind = SM_SEARCH_ANNEAL;
    }
    out->search = run.kind;

    run.sp = sp;
    run.en = &en;
    run.ntasks = d.tasks;
    run.t0 = t0;
    run.mine = (int *)malloc(sizeof(int) * (size_t)d.tasks);
    run.res = (sm__task_result *)calloc((size_t)d.tasks, sizeof(sm__task_result));
    for (i = 0; run.mine && i < d.tasks; i++) if (i % d.nshards == d.shard) run.mine[run.nmine++] = i;
    run.evals_per_task = run.kind == SM_SEARCH_EXHAUSTIVE ? 1e18 : ceil(budget / d.tasks);
    nthreads = d.threads < run.nmine ? d.threads : run.nmine;
    if (nthreads < 1) nthreads = 1;
#ifdef SM_NO_THREADS
    nthreads = 1;
#endif
    run.slice = d.seconds > 0 ? d.seconds * nthreads / (run.nmine > 0 ? run.nmine : 1) : 0;
    run.total = run.kind == SM_SEARCH_EXHAUSTIVE ? en.size * run.nmine / d.tasks : (budget < 1e15 ? run.evals_per_task * run.nmine : 0);
    ws = (sm__worker *)calloc((size_t)nthreads, sizeof *ws);
    if (!run.mine || !run.res || !ws) { res = sm__fail(err, SM_ERR_LIMIT, NULL, "out of memory"); goto done; }
    for (i = 0; i < nthreads; i++) {
        ws[i].run = &run;
        ws[i].spec = (sm_spec *)malloc(sizeof(sm_spec));
        if (!ws[i].spec) { res = sm__fail(err, SM_ERR_LIMIT, NULL, "out of memory"); goto done; }
        *ws[i].spec = *spec;
        memset(ws[i].spec->map, 0, sizeof ws[i].spec->map);
        if (spec->skipsched && spec->skip_params == spec->skipsched) {   /* answers are the same from any cache */
            if (!(ws[i].ss = (sm_skipsched *)malloc(sizeof *ws[i].ss))) { res = sm__fail(err, SM_ERR_LIMIT, NULL, "out of memory"); goto done; }
            *ws[i].ss = *spec->skipsched;
            if ((res = sm_skipsched_cache_create(ws[i].ss, &ws[i].ss->cache, err)) != SM_OK) { ws[i].ss->cache = NULL; goto done; }
            ws[i].spec->skip_params = ws[i].ss;
        }
    }
#ifndef SM_NO_THREADS
    pthread_mutex_init(&run.lock, NULL);
    {
        pthread_t *th = (pthread_t *)calloc((size_t)nthreads, sizeof(pthread_t));
        int started = 0;
        for (i = 1; th && i < nthreads; i++) if (pthread_create(&th[i], NULL, sm__worker_main, &ws[i]) == 0) started = i; else break;
        sm__worker_main(&ws[0]);
        for (i = 1; th && i <= started; i++) pthread_join(th[i], NULL);
        free(th);
    }
    pthread_mutex_destroy(&run.lock);
#else
    sm__worker_main(&ws[0]);
#endif
    out->candidates = run.cand; out->pruned = run.pruned; out->evals = run.evals; out->valid = run.valid;
    for (i = 0; i < d.tasks; i++)   /* the lowest (cost, EDP, task) */
        if (run.res[i].found && (best < 0 || sm__better(run.res[i].cost, run.res[i].edp, run.res[best].cost, run.res[best].edp))) best = i;
    if (best < 0) {   /* point at the constraints when there are some, else at the spec */
        sm_loc where = sp->con.loc;
        if (!where.line) sm__loc_set(&where, spec->path, 0);
        if (run.kind == SM_SEARCH_EXHAUSTIVE)
            res = sm__fail(err, SM_ERR_EMPTY, &where, "empty mapspace: none of its %.0f mappings is valid (%.0f pruned before evaluation: capacity, utilization; %.0f invalid in evaluation: capacity, fanout, formats)",
                           en.size, run.pruned, run.evals - run.valid);
        else
            res = sm__fail(err, SM_ERR_EMPTY, &where, "no valid mapping found in %.0f candidates (%.0f pruned before evaluation: capacity, utilization; %.0f invalid in evaluation: capacity, fanout, formats)",
                           run.cand, run.pruned, run.evals - run.valid);
        goto done;
    }
    memset(ws[0].spec->map, 0, sizeof ws[0].spec->map);   /* canonical: nothing stale past each list's n */
    sm__to_map(sp, &run.res[best].best, ws[0].spec->map);
    if ((res = sm_eval(ws[0].spec, &out->stats, err)) != SM_OK) goto done;
    memcpy(out->map, ws[0].spec->map, sizeof out->map);
    out->found = 1;
    out->cost = run.res[best].cost;
    out->edp = run.res[best].edp;
    out->task = best;
    out->seconds_to_best = run.res[best].t_best;
done:
    out->seconds = sm__now() - t0;
    for (i = 0; ws && i < nthreads; i++) {
        free(ws[i].spec);
        if (ws[i].ss) sm_skipsched_cache_free(ws[i].ss->cache);
        free(ws[i].ss);
    }
    free(ws);
    free(run.mine);
    free(run.res);
    sm__enum_free(&en);
    free(sp);
    return res;
}

/* ---- sweeps ---- */
static sm_result sm__sweep_add(sm_sweep_axis *ax, const char *v, size_t n, const sm_kv *kv, sm_error *err) {
    char *s;
    while (n && isspace((unsigned char)*v)) { v++; n--; }
    while (n && isspace((unsigned char)v[n - 1])) n--;
    if (!n) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[sweep] %s: empty value in the list", kv->key);
    if (ax->nvalues >= 1000000) return sm__fail(err, SM_ERR_LIMIT, &kv->loc, "[sweep] %s: more than 1000000 values", kv->key);
    s = (char *)malloc(n + 1);
    if (!s) return sm__fail(err, SM_ERR_LIMIT, NULL, "out of memory");
    memcpy(s, v, n);
    s[n] = 0;
    stbds_arrput(ax->values, s);
    ax->nvalues++;
    return SM_OK;
}

static sm_result sm__sweep_axis(const sm_kv *kv, sm_sweep_axis *ax, sm_error *err) {
    const char *v = kv->value;
    sm_result r;
    int geo;
    memset(ax, 0, sizeof *ax);
    ax->loc = kv->loc;
    if (strlen(kv->key) >= sizeof ax->key) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[sweep] %s: key too long", kv->key);
    sm__copy(ax->key, sizeof ax->key, kv->key);
    sm__skip_ws(&v);
    geo = !strncmp(v, "logrange", 8) && isspace((unsigned char)v[8]);
    if (geo || (!strncmp(v, "range", 5) && isspace((unsigned char)v[5]))) {
        double a, b, step, x, nums[3];
        int n = 0, i;
        char *end;
        v += geo ? 8 : 5;
        for (;;) {
            sm__skip_ws(&v);
            if (!*v) break;
            if (n == 3) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[sweep] %s: %s takes START STOP [%s]", kv->key, geo ? "logrange" : "range", geo ? "FACTOR" : "STEP");
            nums[n] = strtod(v, &end);
            if (end == v) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[sweep] %s: '%s' is not a number", kv->key, v);
            v = end;
            n++;
        }
        if (n < 2) return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[sweep] %s: %s takes START STOP [%s]", kv->key, geo ? "logrange" : "range", geo ? "FACTOR" : "STEP");
        a = nums[0]; b = nums[1]; step = n == 3 ? nums[2] : geo ? 2 : 1;
        if (geo ? (a <= 0 || b < a || step <= 1) : (step <= 0 || b < a))
            return sm__fail(err, SM_ERR_VALUE, &kv->loc, "[sweep] %s: need %s", kv->key, geo ? "0 < START <= STOP and FACTOR > 1" : "START <= STOP and STEP > 0");
        for (i = 0, x = a; geo ? x <= b * (1 + 1e-12) : x <= b + 1e-9 * step; i++, x = geo ? x * step : a + i * step) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.15g", x);
            if ((r = sm__sweep_add(ax, buf, strlen(buf), kv, err)) != SM_OK) return r;
        }
        return SM_OK;
    }
    {
        char sep = strchr(v, '|') ? '|' : ',';
        for (;;) {
            const char *e = strchr(v, sep);
            size_t n = e ? (size_t)(e - v) : strlen(v);
            if ((r = sm__sweep_add(ax, v, n, kv, err)) != SM_OK) return r;
            if (!e) break;
            v = e + 1;
        }
    }
    return SM_OK;
}

SMAPI sm_result sm_sweep_from_spec(const sm_spec *s, sm_sweep *out, sm_error *err) {
    int i;
    sm_result r;
    memset(out, 0, sizeof *out);
    for (i = 0; i < s->nextra; i++) {
        const sm_kv *kv = &s->extra[i];
        double x;
        if (strcmp(kv->section, "sweep")) continue;
        if (!strcmp(kv->key, "mode")) {
            if (!strcmp(kv->value, "cartesian")) out->random = 0;
            else if (!strcmp(kv->value, "random")) out->random = 1;
            else { r = sm__fail(err, SM_ERR_VALUE, &kv->loc, "[sweep] mode: '%s' is not cartesian or random", kv->value); goto fail; }
        } else if (!strcmp(kv->key, "points")) {
            if ((r = sm__kv_num(kv, 1, 1e9, &x, err)) != SM_OK) goto fail;
            out->points = (long)x;
        } else if (!strcmp(kv->key, "seed")) {
            if ((r = sm__kv_num(kv, 0, 1e18, &x, err)) != SM_OK) goto fail;
            out->seed = (unsigned long long)x;
        } else if (!strchr(kv->key, '.')) {
            r = sm__fail(err, SM_ERR_UNKNOWN, &kv->loc, "[sweep] unknown key '%s' (mode, points, seed, or SECTION.KEY to vary, e.g. 'level glb.size')", kv->key);
            goto fail;
        } else {
            sm_sweep_axis ax;
            if (out->naxes >= 64) { r = sm__fail(err, SM_ERR_LIMIT, &kv->loc, "[sweep] more than 64 axes"); goto fail; }
            r = sm__sweep_axis(kv, &ax, err);
            stbds_arrput(out->axes, ax);
            out->naxes++;
            if (r != SM_OK) goto fail;
        }
    }
    if (out->random && out->points <= 0) out->points = 100;
    return SM_OK;
fail:
    sm_sweep_free(out);
    return r;
}

SMAPI long sm_sweep_count(const sm_sweep *sw) {
    double n = 1;
    int a;
    if (sw->random) return sw->points;
    for (a = 0; a < sw->naxes; a++) n *= sw->axes[a].nvalues;
    return n > 2e9 ? 2000000000L : (long)n;
}

SMAPI void sm_sweep_point(const sm_sweep *sw, long i, int *choice) {
    int a;
    if (sw->random) {
        for (a = 0; a < sw->naxes; a++) {
            sm__rng r;
            sm__rng_seed(&r, sw->seed, ((unsigned long long)i << 8) + (unsigned long long)a);
            choice[a] = sm__below(&r, sw->axes[a].nvalues);
        }
        return;
    }
    for (a = sw->naxes - 1; a >= 0; a--) {
        choice[a] = (int)(i % sw->axes[a].nvalues);
        i /= sw->axes[a].nvalues;
    }
}

SMAPI void sm_sweep_free(sm_sweep *sw) {
    int a, v;
    for (a = 0; a < (int)stbds_arrlen(sw->axes); a++) {
        for (v = 0; v < (int)stbds_arrlen(sw->axes[a].values); v++) free(sw->axes[a].values[v]);
        stbds_arrfree(sw->axes[a].values);
    }
    stbds_arrfree(sw->axes);
    memset(sw, 0, sizeof *sw);
}

SMAPI void sm_pareto(long n, const double *x, const double *y, int *front) {
    long i, j;
    for (i = 0; i < n; i++) {
        front[i] = 1;
        for (j = 0; j < n && front[i]; j++) {
            if (j == i) continue;
            if (x[j] <= x[i] && y[j] <= y[i] && (x[j] < x[i] || y[j] < y[i] || j < i)) front[i] = 0;
        }
    }
}

#endif /* SM__IMPLEMENTATION_INCLUDED */
#endif /* SPARSEMODEL_IMPLEMENTATION */

/*
MIT License. Copyright (c) 2026 the sparsemodel authors.
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions: The above copyright notice and this
permission notice shall be included in all copies or substantial portions of the Software.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
*/
