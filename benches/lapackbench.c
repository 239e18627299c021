/* lapackbench LIB ROUTINE N: times one LAPACK routine of the shared library LIB (loaded
 * with dlopen, so any LAPACK can be measured the same way) on an N x N input. Prints the
 * median seconds per call over 7 samples (LAPACKBENCH_SAMPLES=K: K); a sample repeats
 * (copy the input, call) until it lasts >= 50 ms. The copy is part of every call for
 * every library alike: these routines overwrite their input. Workspace comes from the
 * routine's own LWORK = -1 query, outside the timed loop.
 * Routines: dgetrf dgesv dpotrf dgeqrf dgeqp3 dgelsy dsyevd dsyevr dgesdd dgesvd dgeev dgelsd
 * zgetrf zheevd zgeev dgees zgees dgebrd dsytrd dgehrd, dsyevr_iK: dsyevr with RANGE = 'I', IL..IU =
 * 1..K (vectors), dsyevd_n: eigenvalues only, and dgesdd_n / dgesvd_n: singular values only
 * (JOBZ = 'N' / JOBU = JOBVT = 'N'). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int fint; /* LP64 Fortran INTEGER */
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}
static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Deterministic pseudo-random entries in [-0.5, 0.5) (a hash of the index: the earlier
 * i * 7919 % 1000 repeated every 1000 entries, so for n = 1000 every column was the
 * same); `spd` adds n to the diagonal of a symmetric matrix (positive definite for
 * potrf, symmetric for the eigensolvers). */
static double entry(size_t i) {
    unsigned long long x = i + 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return (double)(x >> 11) / 9007199254740992.0 - 0.5;
}
static void fill(double *p, int n, int reals_per_entry, int spd) {
    size_t count = (size_t)n * n * reals_per_entry;
    for (size_t i = 0; i < count; i++) p[i] = entry(i);
    if (!spd) return;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < j; i++)
            for (int r = 0; r < reals_per_entry; r++) {
                double v = p[((size_t)j * n + i) * reals_per_entry + r];
                p[((size_t)i * n + j) * reals_per_entry + r] = r ? -v : v;
            }
    for (int i = 0; i < n; i++) {
        p[((size_t)i * n + i) * reals_per_entry] += n;
        if (reals_per_entry == 2) p[((size_t)i * n + i) * 2 + 1] = 0;
    }
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: lapackbench LIB ROUTINE N\n");
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    const char *r = argv[2];
    int n = atoi(argv[3]), one = 1, info = 0, lwork = -1, liwork = -1, lrwork = -1, m_found = 0;
    /* dsyevr_iK: the K smallest eigenpairs. */
    int selected = 0;
    if (!strncmp(r, "dsyevr_i", 8)) {
        selected = atoi(r + 8);
        r = "dsyevr";
    }
    const char *job = "A";
    if (!strcmp(r, "dgesdd_n") || !strcmp(r, "dgesvd_n")) {
        job = "N";
        r = r[3] == 'd' ? "dgesdd" : "dgesvd";
    }
    const char *jobz = "V"; /* dsyevd_n: eigenvalues only */
    if (!strcmp(r, "dsyevd_n")) {
        jobz = "N";
        r = "dsyevd";
    }
    char sym[64];
    snprintf(sym, sizeof sym, "%s_", r);
    void (*f)() = (void (*)())dlsym(lib, sym);
    if (!f) {
        fprintf(stderr, "%s: no %s\n", argv[1], sym);
        return 1;
    }
    int cplx = r[0] == 'z', reals = cplx ? 2 : 1;
    int spd = strstr(r, "potrf") || strstr(r, "syev") || strstr(r, "heev") || strstr(r, "sytrd");
    size_t nn = (size_t)n * n;
    double *input = malloc(nn * 16), *a = malloc(nn * 16), *b = malloc(nn * 16);
    double *u = malloc(nn * 16), *vt = malloc(nn * 16), *w = malloc((size_t)n * 16 + 16);
    double *wi = malloc((size_t)n * 8 + 8), *rwork = NULL, query[2] = {0, 0}, abstol = 0, rcond = -1;
    double rcond_gelsy = 1e-10;
    fint *iwork = NULL, *ipiv = malloc((size_t)n * 8 * sizeof(fint) + 8), iquery = 0;
    fill(input, n, reals, spd);
    fill(b, n, reals, 0);
    double vl = 0, vu = 0;
    int il = 1, iu = selected, ldn = n > 0 ? n : 1;
    const char *range = selected ? "I" : "A";
    double *work = NULL;

    /* Workspace queries, then the call itself (`query` mode decides which). */
#define CALL(work_, lwork_, iwork_, liwork_, rwork_, lrwork_)                                            \
    do {                                                                                               \
        if (!strcmp(r, "dgetrf") || !strcmp(r, "zgetrf")) f(&n, &n, a, &ldn, ipiv, &info);              \
        else if (!strcmp(r, "dgesv")) f(&n, &one, a, &ldn, ipiv, u, &ldn, &info);                       \
        else if (!strcmp(r, "dpotrf")) f("L", &n, a, &ldn, &info, 1);                                    \
        else if (!strcmp(r, "dgeqrf")) f(&n, &n, a, &ldn, w, work_, &lwork_, &info);                    \
        else if (!strcmp(r, "dgebrd")) f(&n, &n, a, &ldn, w, wi, vt, vt + n, work_, &lwork_, &info);        \
        else if (!strcmp(r, "dsytrd")) f("L", &n, a, &ldn, w, wi, vt, work_, &lwork_, &info, 1);          \
        else if (!strcmp(r, "dgehrd")) f(&n, &one, &n, a, &ldn, vt, work_, &lwork_, &info);              \
        else if (!strcmp(r, "dgeqp3")) f(&n, &n, a, &ldn, ipiv, w, work_, &lwork_, &info);               \
        else if (!strcmp(r, "dgelsy"))                                                                 \
            f(&n, &n, &one, a, &ldn, u, &ldn, ipiv, &rcond_gelsy, &m_found, work_, &lwork_, &info);       \
        else if (!strcmp(r, "dsyevd")) f(jobz, "L", &n, a, &ldn, w, work_, &lwork_, iwork_, &liwork_, &info, 1, 1); \
        else if (!strcmp(r, "zheevd"))                                                                 \
            f("V", "L", &n, a, &ldn, w, work_, &lwork_, rwork_, &lrwork_, iwork_, &liwork_, &info, 1, 1);   \
        else if (!strcmp(r, "dsyevr"))                                                                 \
            f("V", range, "L", &n, a, &ldn, &vl, &vu, &il, &iu, &abstol, &m_found, w, u, &ldn, ipiv, work_, \
              &lwork_, iwork_, &liwork_, &info, 1, 1, 1);                                              \
        else if (!strcmp(r, "dgesdd"))                                                                 \
            f(job, &n, &n, a, &ldn, w, u, &ldn, vt, &ldn, work_, &lwork_, iwork_, &info, 1);              \
        else if (!strcmp(r, "dgesvd"))                                                                 \
            f(job, job, &n, &n, a, &ldn, w, u, &ldn, vt, &ldn, work_, &lwork_, &info, 1, 1);              \
        else if (!strcmp(r, "dgeev"))                                                                  \
            f("N", "V", &n, a, &ldn, w, wi, u, &ldn, vt, &ldn, work_, &lwork_, &info, 1, 1);              \
        else if (!strcmp(r, "dgees"))                                                                  \
            f("V", "N", NULL, &n, a, &ldn, &m_found, w, wi, u, &ldn, work_, &lwork_, ipiv, &info, 1, 1);  \
        else if (!strcmp(r, "zgees"))                                                                  \
            f("V", "N", NULL, &n, a, &ldn, &m_found, w, u, &ldn, work_, &lwork_, rwork_, ipiv, &info, 1, 1); \
        else if (!strcmp(r, "zgeev"))                                                                  \
            f("N", "V", &n, a, &ldn, w, u, &ldn, vt, &ldn, work_, &lwork_, rwork_, &info, 1, 1);           \
        else if (!strcmp(r, "dgelsd"))                                                                 \
            f(&n, &n, &one, a, &ldn, u, &ldn, w, &rcond, &m_found, work_, &lwork_, iwork_, &info);        \
        else {                                                                                         \
            fprintf(stderr, "unknown routine %s\n", r);                                                \
            return 2;                                                                                  \
        }                                                                                              \
    } while (0)

    memcpy(a, input, nn * 8 * reals);
    memcpy(u, b, nn * 8 * reals);
    memset(ipiv, 0, (size_t)n * sizeof(fint));
    CALL(query, lwork, &iquery, liwork, query + 1, lrwork);
    lwork = (int)query[0] + 1;
    liwork = iquery + 1;
    lrwork = (int)query[1] + 1;
    if (!strcmp(r, "dgelsd") || !strcmp(r, "dgesdd")) liwork = 8 * n + 64 > liwork ? 8 * n + 64 : liwork;
    if (!strcmp(r, "zheevd") && lrwork < 1 + 5 * n + 2 * n * n) lrwork = 1 + 5 * n + 2 * n * n;
    if (!strcmp(r, "zgeev")) lrwork = 2 * n + 1;
    if (!strcmp(r, "zgees")) lrwork = n + 1;
    work = malloc((size_t)(lwork > 1 ? lwork : 1) * 8 * reals);
    iwork = malloc((size_t)(liwork > 1 ? liwork : 1) * sizeof(fint));
    rwork = malloc((size_t)(lrwork > 1 ? lrwork : 1) * 8);

    /* LAPACKBENCH_SAMPLES (1-7, default 7): fewer batches for calls of many seconds. */
    const char *env_samples = getenv("LAPACKBENCH_SAMPLES");
    int nsamples = env_samples ? atoi(env_samples) : 7;
    if (nsamples < 1 || nsamples > 7) nsamples = 7;
    double samples[7];
    long calls = 1;
    for (int s = -1; s < nsamples; s++) { /* sample -1 warms up and sizes the batch */
        double start = now();
        for (long i = 0; i < calls; i++) {
            memcpy(a, input, nn * 8 * reals);
            memcpy(u, b, nn * 8 * reals);
            memset(ipiv, 0, (size_t)n * sizeof(fint)); /* GEQP3/GELSY: no fixed columns */
            CALL(work, lwork, iwork, liwork, rwork, lrwork);
        }
        double t = now() - start;
        if (info < 0) {
            fprintf(stderr, "%s: INFO = %d\n", r, info);
            return 1;
        }
        if (s < 0) {
            double per_call = t / calls;
            while (calls * per_call < 0.05 && calls < (1L << 30)) calls *= 2;
            continue;
        }
        samples[s] = t / calls;
    }
    qsort(samples, nsamples, sizeof(double), cmp);
    printf("%.9e\n", samples[nsamples / 2]);
    return 0;
}
