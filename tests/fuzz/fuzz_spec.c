/* libFuzzer target: the spec loader on arbitrary text, then evaluation and every report of what
   loads. Includes and mask files resolve relative to the working directory (make fuzz runs it in
   build/fuzz/), so inputs can name real files; non-regular files are refused by the loader. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    char *text = (char *)malloc(size + 1);
    sm_spec *s;
    sm_stats st;
    sm_error e;
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    if (sm_spec_load_string(text, "fuzz.ini", NULL, 0, &s, &e) == SM_OK) {
        sm_array_stats as;
        sm_gpu_stats gs;
        if (sm_eval(s, &st, &e) == SM_OK) {
            FILE *f = fopen("/dev/null", "w");
            if (f) { sm_report_tsv(f, s, &st); sm_report_text(f, s, &st); sm_report_json(f, s, &st); fclose(f); }
        }
        if (s->array.kind && sm_array_eval(s, &as, &e) == SM_OK) {   /* an [array] spec: the fold model */
            FILE *f = fopen("/dev/null", "w");
            if (f) { sm_array_report_tsv(f, s, &as); sm_array_report_text(f, s, &as); sm_array_report_json(f, s, &as); fclose(f); }
        }
        if (s->gpu.kernel != SM_GPU_OFF && sm_gpu_eval(s, &gs, &e) == SM_OK) {   /* a [gpu] spec: the kernel model */
            FILE *f = fopen("/dev/null", "w");
            if (f) { sm_gpu_report_tsv(f, s, &gs); sm_gpu_report_text(f, s, &gs); sm_gpu_report_json(f, s, &gs); fclose(f); }
        }
        sm_spec_free(s);
    }
    free(text);
    return 0;
}
