/* ilp64_shim.c: LP64 dgemm_/zgemm_/dsyrk_/dtrsm_/dgetrf_/dgesv_/dpotrf_ over an ILP64 LAPACK with suffixed names (pip
 * NumPy's bundled OpenBLAS exports scipy_dgetrf_64_ and the like, 64-bit integers), so that
 * lapackbench (LP64 names, dlopen) can time that library beside ours. The library is
 * dlopen'ed from $ILP64_LIB; names are $ILP64_PREFIX + routine + "_64_" (prefix "scipy_"
 * unless set). Build: cc -O2 -shared -fPIC -o ilp64_shim.so ilp64_shim.c -ldl */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void *resolve(const char *routine) {
    static void *lib;
    const char *path = getenv("ILP64_LIB");
    const char *prefix = getenv("ILP64_PREFIX") ? getenv("ILP64_PREFIX") : "scipy_";
    if (!lib && !(lib = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL)) {
        fprintf(stderr, "ilp64_shim: cannot open ILP64_LIB=%s: %s\n", path ? path : "(unset)", dlerror());
        exit(1);
    }
    char name[64];
    snprintf(name, sizeof name, "%s%s_64_", prefix, routine);
    void *f = dlsym(lib, name);
    if (!f) {
        fprintf(stderr, "ilp64_shim: %s has no %s\n", path, name);
        exit(1);
    }
    return f;
}

static int64_t *pivots(int n) {
    static int64_t *buf;
    static int cap;
    if (n > cap) {
        free(buf);
        buf = malloc(sizeof *buf * (size_t)(n > 0 ? n : 1));
        cap = n;
    }
    return buf;
}

void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info) {
    static void (*f)(const int64_t *, const int64_t *, double *, const int64_t *, int64_t *, int64_t *);
    if (!f) f = resolve("dgetrf");
    int64_t m8 = *m, n8 = *n, lda8 = *lda, info8 = 0;
    int k = *m < *n ? *m : *n;
    int64_t *p = pivots(k);
    f(&m8, &n8, a, &lda8, p, &info8);
    for (int i = 0; i < k; i++) ipiv[i] = (int)p[i];
    *info = (int)info8;
}

void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv, double *b, const int *ldb,
            int *info) {
    static void (*f)(const int64_t *, const int64_t *, double *, const int64_t *, int64_t *, double *,
                     const int64_t *, int64_t *);
    if (!f) f = resolve("dgesv");
    int64_t n8 = *n, nrhs8 = *nrhs, lda8 = *lda, ldb8 = *ldb, info8 = 0;
    int64_t *p = pivots(*n);
    f(&n8, &nrhs8, a, &lda8, p, b, &ldb8, &info8);
    for (int i = 0; i < *n; i++) ipiv[i] = (int)p[i];
    *info = (int)info8;
}

void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_len) {
    static void (*f)(const char *, const int64_t *, double *, const int64_t *, int64_t *, size_t);
    if (!f) f = resolve("dpotrf");
    int64_t n8 = *n, lda8 = *lda, info8 = 0;
    f(uplo, &n8, a, &lda8, &info8, uplo_len);
    *info = (int)info8;
}

void dgemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k, const double *alpha,
            const double *a, const int *lda, const double *b, const int *ldb, const double *beta, double *c,
            const int *ldc, size_t ta_len, size_t tb_len) {
    static void (*f)(const char *, const char *, const int64_t *, const int64_t *, const int64_t *,
                     const double *, const double *, const int64_t *, const double *, const int64_t *,
                     const double *, double *, const int64_t *, size_t, size_t);
    if (!f) f = resolve("dgemm");
    int64_t m8 = *m, n8 = *n, k8 = *k, lda8 = *lda, ldb8 = *ldb, ldc8 = *ldc;
    f(ta, tb, &m8, &n8, &k8, alpha, a, &lda8, b, &ldb8, beta, c, &ldc8, ta_len, tb_len);
}

/* zgemm_: complex elements as (re, im) pairs of doubles. */
void zgemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k, const double *alpha,
            const double *a, const int *lda, const double *b, const int *ldb, const double *beta, double *c,
            const int *ldc, size_t ta_len, size_t tb_len) {
    static void (*f)(const char *, const char *, const int64_t *, const int64_t *, const int64_t *,
                     const double *, const double *, const int64_t *, const double *, const int64_t *,
                     const double *, double *, const int64_t *, size_t, size_t);
    if (!f) f = resolve("zgemm");
    int64_t m8 = *m, n8 = *n, k8 = *k, lda8 = *lda, ldb8 = *ldb, ldc8 = *ldc;
    f(ta, tb, &m8, &n8, &k8, alpha, a, &lda8, b, &ldb8, beta, c, &ldc8, ta_len, tb_len);
}

void dsyrk_(const char *uplo, const char *trans, const int *n, const int *k, const double *alpha,
            const double *a, const int *lda, const double *beta, double *c, const int *ldc, size_t uplo_len,
            size_t trans_len) {
    static void (*f)(const char *, const char *, const int64_t *, const int64_t *, const double *,
                     const double *, const int64_t *, const double *, double *, const int64_t *, size_t,
                     size_t);
    if (!f) f = resolve("dsyrk");
    int64_t n8 = *n, k8 = *k, lda8 = *lda, ldc8 = *ldc;
    f(uplo, trans, &n8, &k8, alpha, a, &lda8, beta, c, &ldc8, uplo_len, trans_len);
}

void dtrsm_(const char *side, const char *uplo, const char *transa, const char *diag, const int *m,
            const int *n, const double *alpha, const double *a, const int *lda, double *b, const int *ldb,
            size_t side_len, size_t uplo_len, size_t transa_len, size_t diag_len) {
    static void (*f)(const char *, const char *, const char *, const char *, const int64_t *,
                     const int64_t *, const double *, const double *, const int64_t *, double *,
                     const int64_t *, size_t, size_t, size_t, size_t);
    if (!f) f = resolve("dtrsm");
    int64_t m8 = *m, n8 = *n, lda8 = *lda, ldb8 = *ldb;
    f(side, uplo, transa, diag, &m8, &n8, alpha, a, &lda8, b, &ldb8, side_len, uplo_len, transa_len, diag_len);
}
