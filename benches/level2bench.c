/* level2bench LIB ROUTINE N: times one level-2 BLAS routine of the shared library LIB
 * (loaded with dlopen) on an N x N matrix and prints the median seconds per call of 7
 * samples, each repeating the call for about 50 ms. ROUTINE is any precision (s, d, c,
 * z) of ger/geru/gerc, symv/hemv (UPLO 'L'), syr2/her2 (UPLO 'L'), trmv/trsv (UPLO from
 * LEVEL2BENCH_UPLO, default 'L'; TRANS from LEVEL2BENCH_TRANS, default 'N'; non-unit). GEMV is in blasbench.c. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*ger_fn)(const int *, const int *, const void *, const void *, const int *, const void *,
                       const int *, void *, const int *);
typedef void (*symv_fn)(const char *, const int *, const void *, const void *, const int *, const void *,
                        const int *, const void *, void *, const int *, size_t);
typedef void (*syr2_fn)(const char *, const int *, const void *, const void *, const int *, const void *,
                        const int *, void *, const int *, size_t);
typedef void (*trmv_fn)(const char *, const char *, const char *, const int *, const void *, const int *,
                        void *, const int *, size_t, size_t, size_t);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* count reals (float or double) of a bounded periodic fill. */
static void *filled(size_t count, int single, double scale) {
    void *p = malloc(count * (single ? 4 : 8) + 64);
    for (size_t i = 0; i < count; i++) {
        double v = scale * ((i * 7919 % 1000) / 1000.0 - 0.5);
        if (single)
            ((float *)p)[i] = (float)v;
        else
            ((double *)p)[i] = v;
    }
    return p;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: level2bench LIB ROUTINE N\n");
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    const char *routine = argv[2];
    int n = atoi(argv[3]), inc = 1;
    char sym[64];
    snprintf(sym, sizeof sym, "%s_", routine);
    void *f = dlsym(lib, sym);
    if (!f) {
        fprintf(stderr, "%s: no %s\n", argv[1], sym);
        return 1;
    }
    int single = routine[0] == 's' || routine[0] == 'c';
    size_t parts = routine[0] == 'c' || routine[0] == 'z' ? 2 : 1;
    /* A dominant diagonal keeps TRSV's solutions bounded; tiny alphas keep GER and SYR2
     * from growing A over many calls. */
    void *a = filled(parts * n * n, single, 1.0), *x = filled(parts * n, single, 1.0);
    void *y = filled(parts * n, single, 1.0), *x0 = filled(parts * n, single, 1.0);
    for (int i = 0; i < n; i++) {
        size_t at = parts * ((size_t)i * n + i);
        if (single)
            ((float *)a)[at] += n;
        else
            ((double *)a)[at] += n;
    }
    double alpha_d[2] = {1e-6, 1e-7}, beta_d[2] = {0.5, 0};
    float alpha_s[2] = {1e-6f, 1e-7f}, beta_s[2] = {0.5f, 0};
    const void *alpha = single ? (void *)alpha_s : (void *)alpha_d;
    const void *beta = single ? (void *)beta_s : (void *)beta_d;
    const char *trans = getenv("LEVEL2BENCH_TRANS") ? getenv("LEVEL2BENCH_TRANS") : "N";
    const char *uplo = getenv("LEVEL2BENCH_UPLO") ? getenv("LEVEL2BENCH_UPLO") : "L";

    enum { GER, SYMV, SYR2, TRMV } kind;
    if (strstr(routine, "ger")) kind = GER;
    else if (strstr(routine, "symv") || strstr(routine, "hemv")) kind = SYMV;
    else if (strstr(routine, "syr2") || strstr(routine, "her2")) kind = SYR2;
    else if (strstr(routine, "trmv") || strstr(routine, "trsv")) kind = TRMV;
    else {
        fprintf(stderr, "unknown routine %s\n", routine);
        return 2;
    }
    double samples[7];
    long calls = 1;
    for (int s = -1; s < 7; s++) { /* sample -1 warms up and sizes the batch */
        double start = now();
        for (long i = 0; i < calls; i++) {
            switch (kind) {
            case GER:
                ((ger_fn)f)(&n, &n, alpha, x, &inc, y, &inc, a, &n);
                break;
            case SYMV:
                ((symv_fn)f)("L", &n, alpha, a, &n, x, &inc, beta, y, &inc, 1);
                break;
            case SYR2:
                ((syr2_fn)f)("L", &n, alpha, x, &inc, y, &inc, a, &n, 1);
                break;
            case TRMV: /* x restored first (O(n), timed for every library alike) */
                memcpy(x, x0, parts * n * (single ? 4 : 8));
                ((trmv_fn)f)(uplo, trans, "N", &n, a, &n, x, &inc, 1, 1, 1);
                break;
            }
        }
        double t = now() - start;
        if (s < 0) {
            calls = (long)(0.05 / (t > 1e-9 ? t : 1e-9)) + 1;
            continue;
        }
        samples[s] = t / calls;
    }
    qsort(samples, 7, sizeof(double), cmp);
    printf("%.9e\n", samples[3]);
    return 0;
}
