/* libFuzzer target: mappings. A fixed sparse architecture and problem (Eyeriss-like, with
   densities, formats and SAFs), the fuzzer's text as its [mapping] and [saf] sections. */
#define SPARSEMODEL_IMPLEMENTATION
#include "sparsemodel.h"

static const char *base =
    "[problem]\neinsum = O[n,m,p,q] += W[m,c,r,s] * I[n,c,p+r,q+s]\nbounds = n=1 m=8 c=4 p=6 q=6 r=3 s=3\n"
    "[density]\nW = uniform 0.4\nI = fixed 0.6\n"
    "[level DRAM]\nblock_words = 4\nread_pj = 10\nwrite_pj = 10\nmetadata_word_bits = 8\n"
    "[level glb]\nsize = 4096\nread_bw = 8\nwrite_bw = 8\nread_pj = 1\nwrite_pj = 1\ndecompression = 1\ncompression = 1\n"
    "[level pe]\nsize = 64\ninstances = 16\nmesh_x = 4\nread_pj = 0.1\nmetadata_word_bits = 4\n"
    "[compute mac]\ninstances = 16\nmesh_x = 4\nmac_pj = 0.5\n"
    "[format DRAM]\nI = UOP RLE\n[format pe]\nW = CP\n"
    "[mapping]\n";

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    size_t nb = strlen(base);
    char *text = (char *)malloc(nb + size + 1);
    sm_spec *s;
    sm_stats st;
    sm_error e;
    if (!text) return 0;
    memcpy(text, base, nb);
    memcpy(text + nb, data, size);
    text[nb + size] = 0;
    if (sm_spec_load_string(text, "fuzz_mapping.ini", NULL, 0, &s, &e) == SM_OK) {
        if (sm_eval(s, &st, &e) == SM_OK && !(st.cycles >= 0 && st.energy_pj >= 0)) abort();
        sm_spec_free(s);
    }
    free(text);
    return 0;
}
