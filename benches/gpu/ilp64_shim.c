/* ilp64_shim.c: LP64 dgemm_/zgemm_/dsyrk_/dtrsm_/dgetrf_/dgesv_/dpotrf_/zgetrf_/dgeqrf_/dsyevd_/
 * zheevd_/dsyevr_/dgesdd_/dgeev_/dgelsd_ over an ILP64 LAPACK with suffixed names (pip
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

/* int64_t copies of INTEGER array arguments other than IPIV (slot 0: ISUPPZ, slot 1: IWORK),
 * grown as needed and kept between calls like pivots(). */
static int64_t *scratch(int slot, int64_t n) {
    static int64_t *buf[2];
    static int64_t cap[2];
    if (n < 1) n = 1;
    if (n > cap[slot]) {
        free(buf[slot]);
        if (!(buf[slot] = malloc(sizeof(int64_t) * (size_t)n))) {
            fprintf(stderr, "ilp64_shim: out of memory\n");
            exit(1);
        }
        cap[slot] = n;
    }
    return buf[slot];
}

/* dgetrf_ and zgetrf_ (complex elements as (re, im) pairs of doubles) share one form. */
typedef void getrf_fn(const int64_t *, const int64_t *, double *, const int64_t *, int64_t *, int64_t *);
static void getrf(getrf_fn *f, const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info) {
    int64_t m8 = *m, n8 = *n, lda8 = *lda, info8 = 0;
    int k = *m < *n ? *m : *n;
    int64_t *p = pivots(k);
    f(&m8, &n8, a, &lda8, p, &info8);
    for (int i = 0; i < k; i++) ipiv[i] = (int)p[i];
    *info = (int)info8;
}

void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info) {
    static getrf_fn *f;
    if (!f) f = (getrf_fn *)resolve("dgetrf");
    getrf(f, m, n, a, lda, ipiv, info);
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

void zgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info) {
    static getrf_fn *f;
    if (!f) f = (getrf_fn *)resolve("zgetrf");
    getrf(f, m, n, a, lda, ipiv, info);
}

void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau, double *work, const int *lwork,
             int *info) {
    static void (*f)(const int64_t *, const int64_t *, double *, const int64_t *, double *, double *,
                     const int64_t *, int64_t *);
    if (!f) f = resolve("dgeqrf");
    int64_t m8 = *m, n8 = *n, lda8 = *lda, lwork8 = *lwork, info8 = 0;
    f(&m8, &n8, a, &lda8, tau, work, &lwork8, &info8);
    *info = (int)info8;
}

/* IWORK in the eigen/SVD/least-squares drivers below is workspace whose only output is
 * IWORK(1) (the optimal / minimum LIWORK, also after a LIWORK = -1 or LWORK = -1 query):
 * the int64_t copy gets IWORK(1) in (so it is unchanged where the routine does not write
 * it) and gives IWORK(1) back. */
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
             const int *lwork, int *iwork, const int *liwork, int *info, size_t jobz_len, size_t uplo_len) {
    static void (*f)(const char *, const char *, const int64_t *, double *, const int64_t *, double *, double *,
                     const int64_t *, int64_t *, const int64_t *, int64_t *, size_t, size_t);
    if (!f) f = resolve("dsyevd");
    int64_t n8 = *n, lda8 = *lda, lwork8 = *lwork, liwork8 = *liwork, info8 = 0;
    int64_t *iw = scratch(1, *liwork);
    iw[0] = iwork[0];
    f(jobz, uplo, &n8, a, &lda8, w, work, &lwork8, iw, &liwork8, &info8, jobz_len, uplo_len);
    iwork[0] = (int)iw[0];
    *info = (int)info8;
}

/* zheevd_: A and WORK complex, (re, im) pairs of doubles; W and RWORK real. */
void zheevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
             const int *lwork, double *rwork, const int *lrwork, int *iwork, const int *liwork, int *info,
             size_t jobz_len, size_t uplo_len) {
    static void (*f)(const char *, const char *, const int64_t *, double *, const int64_t *, double *, double *,
                     const int64_t *, double *, const int64_t *, int64_t *, const int64_t *, int64_t *, size_t,
                     size_t);
    if (!f) f = resolve("zheevd");
    int64_t n8 = *n, lda8 = *lda, lwork8 = *lwork, lrwork8 = *lrwork, liwork8 = *liwork, info8 = 0;
    int64_t *iw = scratch(1, *liwork);
    iw[0] = iwork[0];
    f(jobz, uplo, &n8, a, &lda8, w, work, &lwork8, rwork, &lrwork8, iw, &liwork8, &info8, jobz_len, uplo_len);
    iwork[0] = (int)iw[0];
    *info = (int)info8;
}

/* dsyevr_: ISUPPZ (2*max(1,M) entries) is output only, and only for some RANGEs; its copy
 * takes in the caller's entries the routine may fill (2*N, or 2*(IU-IL+1) for RANGE = 'I')
 * and gives back the first 2*M, so entries the routine leaves alone stay as they were. */
void dsyevr_(const char *jobz, const char *range, const char *uplo, const int *n, double *a, const int *lda,
             const double *vl, const double *vu, const int *il, const int *iu, const double *abstol, int *m,
             double *w, double *z, const int *ldz, int *isuppz, double *work, const int *lwork, int *iwork,
             const int *liwork, int *info, size_t jobz_len, size_t range_len, size_t uplo_len) {
    static void (*f)(const char *, const char *, const char *, const int64_t *, double *, const int64_t *,
                     const double *, const double *, const int64_t *, const int64_t *, const double *,
                     int64_t *, double *, double *, const int64_t *, int64_t *, double *, const int64_t *,
                     int64_t *, const int64_t *, int64_t *, size_t, size_t, size_t);
    if (!f) f = resolve("dsyevr");
    int64_t n8 = *n, lda8 = *lda, il8 = *il, iu8 = *iu, m8 = *m, ldz8 = *ldz, lwork8 = *lwork;
    int64_t liwork8 = *liwork, info8 = 0;
    int64_t most = (*range == 'I' || *range == 'i') ? (int64_t)*iu - *il + 1 : *n;
    if (most > *n) most = *n;
    if (most < 1) most = 1;
    int64_t *sup = scratch(0, 2 * most);
    for (int64_t i = 0; i < 2 * most; i++) sup[i] = isuppz[i];
    int64_t *iw = scratch(1, *liwork);
    iw[0] = iwork[0];
    f(jobz, range, uplo, &n8, a, &lda8, vl, vu, &il8, &iu8, abstol, &m8, w, z, &ldz8, sup, work, &lwork8, iw,
      &liwork8, &info8, jobz_len, range_len, uplo_len);
    int64_t back = m8 < 1 ? 1 : m8 > most ? most : m8;
    for (int64_t i = 0; i < 2 * back; i++) isuppz[i] = (int)sup[i];
    iwork[0] = (int)iw[0];
    *m = (int)m8;
    *info = (int)info8;
}

/* dgesdd_: IWORK has 8*min(M,N) entries (no LIWORK argument). */
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s, double *u,
             const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork, int *iwork, int *info,
             size_t jobz_len) {
    static void (*f)(const char *, const int64_t *, const int64_t *, double *, const int64_t *, double *,
                     double *, const int64_t *, double *, const int64_t *, double *, const int64_t *, int64_t *,
                     int64_t *, size_t);
    if (!f) f = resolve("dgesdd");
    int64_t m8 = *m, n8 = *n, lda8 = *lda, ldu8 = *ldu, ldvt8 = *ldvt, lwork8 = *lwork, info8 = 0;
    int64_t *iw = scratch(1, 8 * (int64_t)(*m < *n ? *m : *n));
    iw[0] = iwork[0];
    f(jobz, &m8, &n8, a, &lda8, s, u, &ldu8, vt, &ldvt8, work, &lwork8, iw, &info8, jobz_len);
    iwork[0] = (int)iw[0];
    *info = (int)info8;
}

void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda, double *wr, double *wi,
            double *vl, const int *ldvl, double *vr, const int *ldvr, double *work, const int *lwork, int *info,
            size_t jobvl_len, size_t jobvr_len) {
    static void (*f)(const char *, const char *, const int64_t *, double *, const int64_t *, double *, double *,
                     double *, const int64_t *, double *, const int64_t *, double *, const int64_t *, int64_t *,
                     size_t, size_t);
    if (!f) f = resolve("dgeev");
    int64_t n8 = *n, lda8 = *lda, ldvl8 = *ldvl, ldvr8 = *ldvr, lwork8 = *lwork, info8 = 0;
    f(jobvl, jobvr, &n8, a, &lda8, wr, wi, vl, &ldvl8, vr, &ldvr8, work, &lwork8, &info8, jobvl_len, jobvr_len);
    *info = (int)info8;
}

/* dgelsd_: no LIWORK argument; the minimum is max(1, 3*MINMN*NLVL + 11*MINMN) with
 * NLVL = max(0, int(log2(MINMN / (SMLSIZ + 1))) + 1), here bounded with SMLSIZ = 0. */
void dgelsd_(const int *m, const int *n, const int *nrhs, double *a, const int *lda, double *b, const int *ldb,
             double *s, const double *rcond, int *rank, double *work, const int *lwork, int *iwork, int *info) {
    static void (*f)(const int64_t *, const int64_t *, const int64_t *, double *, const int64_t *, double *,
                     const int64_t *, double *, const double *, int64_t *, double *, const int64_t *, int64_t *,
                     int64_t *);
    if (!f) f = resolve("dgelsd");
    int64_t m8 = *m, n8 = *n, nrhs8 = *nrhs, lda8 = *lda, ldb8 = *ldb, rank8 = *rank, lwork8 = *lwork;
    int64_t info8 = 0, minmn = *m < *n ? *m : *n, nlvl = 1;
    while (minmn >> nlvl) nlvl++; /* floor(log2(minmn)) + 1 */
    int64_t *iw = scratch(1, 3 * minmn * nlvl + 11 * minmn);
    iw[0] = iwork[0];
    f(&m8, &n8, &nrhs8, a, &lda8, b, &ldb8, s, rcond, &rank8, work, &lwork8, iw, &info8);
    iwork[0] = (int)iw[0];
    *rank = (int)rank8;
    *info = (int)info8;
}
