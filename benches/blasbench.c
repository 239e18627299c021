/* blasbench LIB ROUTINE N [CALLS]: times one BLAS routine of the shared library LIB
 * (loaded with dlopen, so any BLAS can be measured the same way). Prints the median
 * seconds per call over 7 samples. A sample repeats the call until it lasts >= 50 ms,
 * or exactly CALLS times when CALLS is given (the tiny-call benchmark).
 * Level 1 routines use vectors of length N*N (the data of an N x N matrix). Any precision of
 * ?gemv, ?axpy and ?dot/?dotc/?dotu (s, d, c, z); GEMV with TRANS "N", or the
 * BLASBENCH_GEMV_TRANS environment variable's. BLASBENCH_SAMPLES=1..7 takes fewer samples
 * (the median of those; calls of many seconds, such as CPU ZGEMM at n = 8192). */
#include <complex.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*gemm_fn)(const char *, const char *, const int *, const int *, const int *, const void *,
                        const void *, const int *, const void *, const int *, const void *, void *,
                        const int *, size_t, size_t);
typedef void (*syrk_fn)(const char *, const char *, const int *, const int *, const double *, const double *,
                        const int *, const double *, double *, const int *, size_t, size_t);
typedef void (*trsm_fn)(const char *, const char *, const char *, const char *, const int *, const int *,
                        const double *, const double *, const int *, double *, const int *, size_t, size_t,
                        size_t, size_t);
typedef void (*gemv_fn)(const char *, const int *, const int *, const double *, const double *, const int *,
                        const double *, const int *, const double *, double *, const int *, size_t);
typedef double (*dot_fn)(const int *, const double *, const int *, const double *, const int *);
typedef float (*sdot_fn)(const int *, const void *, const int *, const void *, const int *);
typedef float complex (*cdot_fn)(const int *, const void *, const int *, const void *, const int *);
typedef double complex (*zdot_fn)(const int *, const void *, const int *, const void *, const int *);
typedef void (*axpy_fn)(const int *, const void *, const void *, const int *, void *, const int *);
typedef void (*gelsd_fn)(const int *, const int *, const int *, double *, const int *, double *, const int *,
                         double *, const double *, int *, double *, const int *, int *, int *);
typedef void (*getrf_fn)(const int *, const int *, double *, const int *, int *, int *);
typedef void (*geev_fn)(const char *, const char *, const int *, double *, const int *, double *, double *,
                        double *, const int *, double *, const int *, double *, const int *, int *, size_t,
                        size_t);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static void *filled(size_t count, size_t elem, int diag_n, int single) {
    double *p = malloc(count * elem);
    size_t reals = count * elem / sizeof(double);
    if (single) { /* REAL or COMPLEX: all floats */
        float *f = (float *)p;
        for (size_t i = 0; i < count * elem / sizeof(float); i++)
            f[i] = (float)((i * 7919 % 1000) / 1000.0 - 0.5);
    } else {
        for (size_t i = 0; i < reals; i++) p[i] = (i * 7919 % 1000) / 1000.0 - 0.5;
    }
    if (diag_n) /* make a real square matrix diagonally dominant (for trsm) */
        for (int i = 0; i < diag_n; i++) p[(size_t)i * diag_n + i] += diag_n;
    return p;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: blasbench LIB ROUTINE N [CALLS]\n");
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    const char *routine = argv[2];
    int n = atoi(argv[3]);
    long fixed_calls = argc > 4 ? atol(argv[4]) : 0;
    char sym[64];
    snprintf(sym, sizeof sym, "%s_", routine);
    void *f = dlsym(lib, sym);
    if (!f) {
        fprintf(stderr, "%s: no %s\n", argv[1], sym);
        return 1;
    }
    size_t nn = (size_t)n * n;
    size_t elem = routine[0] == 's' ? 4 : routine[0] == 'z' ? 16 : 8;
    float complex onec = 1, halfc = 0.5;
    int single_complex = routine[0] == 'c';
    int single = routine[0] == 's' || routine[0] == 'c';
    void *a = filled(nn, elem, strcmp(routine, "dtrsm") == 0 ? n : 0, single);
    void *b = filled(nn, elem, 0, single), *c = filled(nn, elem, 0, single);
    double one[2] = {1, 0}, half[2] = {0.5, 0};
    float onef = 1, halff = 0.5;
    const void *alpha = elem == 4 ? (void *)&onef : single_complex ? (void *)&onec : (void *)one;
    const void *beta = elem == 4 ? (void *)&halff : single_complex ? (void *)&halfc : (void *)half;
    int inc = 1, len = (int)nn;
    /* GEMV's TRANS: "N", or "T" from the environment (BLASBENCH_GEMV_TRANS=T). */
    const char *gemv_trans = getenv("BLASBENCH_GEMV_TRANS") ? getenv("BLASBENCH_GEMV_TRANS") : "N";

    /* Which call to make, decided once: the loop below must time the library only. */
    enum { GEMM, SYRK, TRSM, GEMV, DOT, AXPY, GELSD, GEEV, GETRF } kind;
    if (strstr(routine, "gemm")) kind = GEMM;
    else if (!strcmp(routine, "dsyrk")) kind = SYRK;
    else if (!strcmp(routine, "dtrsm")) kind = TRSM;
    else if (strstr(routine, "gemv")) kind = GEMV;
    else if (strstr(routine, "dot")) kind = DOT;
    else if (strstr(routine, "axpy")) kind = AXPY;
    else if (!strcmp(routine, "dgelsd")) kind = GELSD;
    else if (!strcmp(routine, "dgeev")) kind = GEEV;
    else if (!strcmp(routine, "dgetrf")) kind = GETRF;
    else {
        fprintf(stderr, "unknown routine %s\n", routine);
        return 2;
    }

    /* LAPACK drivers (dgelsd with one right-hand side, dgeev with right vectors as
     * numpy's eig, dgetrf): a pseudo-random A (the periodic fill above is structured and
     * rank-deficient), restored before each call since the drivers overwrite it (the
     * copy is timed too, the same for every library). */
    double *orig = NULL, *work = NULL, *s_or_wr = NULL, *wi = NULL, *vr = NULL;
    int *iwork = NULL, lwork = -1, info = 0, rank = 0, nrhs = 1;
    double rcond = -1, query = 0;
    if (kind == GELSD || kind == GEEV || kind == GETRF) {
        orig = malloc(nn * sizeof(double));
        unsigned long long state = 12345;
        for (size_t i = 0; i < nn; i++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            orig[i] = (double)(state >> 11) / 9007199254740992.0 - 0.5;
        }
        s_or_wr = malloc(n * sizeof(double));
        wi = malloc(n * sizeof(double));
        vr = malloc(nn * sizeof(double));
        int iquery = 0;
        iwork = &iquery;
        if (kind == GETRF)
            query = 1;
        else if (kind == GELSD)
            ((gelsd_fn)f)(&n, &n, &nrhs, a, &n, b, &n, s_or_wr, &rcond, &rank, &query, &lwork, iwork, &info);
        else
            ((geev_fn)f)("N", "V", &n, a, &n, s_or_wr, wi, vr, &n, vr, &n, &query, &lwork, &info, 1, 1);
        lwork = (int)query;
        work = malloc((size_t)(lwork > 1 ? lwork : 1) * sizeof(double));
        iwork = malloc((size_t)(iquery > n ? iquery : n > 1 ? n : 1) * sizeof(int)); /* or IPIV */
    }
    double samples[7];
    int nsamples = getenv("BLASBENCH_SAMPLES") ? atoi(getenv("BLASBENCH_SAMPLES")) : 7;
    if (nsamples < 1 || nsamples > 7) nsamples = 7;
    for (int s = -1; s < nsamples; s++) { /* sample -1 warms up and sizes the batch */
        static long calls = 1;
        if (fixed_calls) calls = fixed_calls;
        double start = now();
        for (long i = 0; i < calls; i++) {
            switch (kind) {
            case GEMM:
                ((gemm_fn)f)("N", "N", &n, &n, &n, alpha, a, &n, b, &n, beta, c, &n, 1, 1);
                break;
            case SYRK:
                ((syrk_fn)f)("L", "N", &n, &n, one, a, &n, half, c, &n, 1, 1);
                break;
            case TRSM:
                if (i % 2 == 0) memcpy(c, b, nn * elem); /* keep B bounded */
                ((trsm_fn)f)("L", "L", "N", "N", &n, &n, one, a, &n, c, &n, 1, 1, 1, 1);
                break;
            case GEMV:
                ((gemv_fn)f)(gemv_trans, &n, &n, alpha, a, &n, b, &inc, beta, c, &inc, 1);
                break;
            case DOT: {
                if (routine[0] == 's') {
                    volatile float r = ((sdot_fn)f)(&len, a, &inc, b, &inc);
                    (void)r;
                } else if (routine[0] == 'c') {
                    volatile float complex r = ((cdot_fn)f)(&len, a, &inc, b, &inc);
                    (void)r;
                } else if (routine[0] == 'z') {
                    volatile double complex r = ((zdot_fn)f)(&len, a, &inc, b, &inc);
                    (void)r;
                } else {
                    volatile double r = ((dot_fn)f)(&len, a, &inc, b, &inc);
                    (void)r;
                }
                break;
            }
            case AXPY:
                ((axpy_fn)f)(&len, beta, a, &inc, c, &inc);
                break;
            case GELSD:
                memcpy(a, orig, nn * sizeof(double));
                memcpy(c, orig, n * sizeof(double)); /* b: the first column of A */
                ((gelsd_fn)f)(&n, &n, &nrhs, a, &n, c, &n, s_or_wr, &rcond, &rank, work, &lwork, iwork, &info);
                break;
            case GETRF:
                memcpy(a, orig, nn * sizeof(double));
                ((getrf_fn)f)(&n, &n, a, &n, iwork, &info);
                break;
            case GEEV:
                memcpy(a, orig, nn * sizeof(double));
                ((geev_fn)f)("N", "V", &n, a, &n, s_or_wr, wi, vr, &n, vr, &n, work, &lwork, &info, 1, 1);
                break;
            }
        }
        double t = now() - start;
        if (s < 0 && !fixed_calls) {
            double per_call = t / calls;
            while (calls * per_call < 0.05 && calls < (1L << 30)) calls *= 2;
            continue;
        }
        if (s >= 0) samples[s] = t / calls;
    }
    qsort(samples, nsamples, sizeof(double), cmp);
    printf("%.9e\n", samples[nsamples / 2]);
    return 0;
}
