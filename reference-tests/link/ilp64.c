/* The ILP64 (`_64_`, `cblas_*64_`) and scipy_-prefixed entry points, called with 64-bit
 * integers: results, no truncation of a 64-bit value to its low 32 bits (a dimension
 * above 2^32 and a negative value whose low half is a valid size are both rejected through
 * XERBLA, naming the argument), values no array can have rejected rather than wrapped,
 * and I?AMAX's 64-bit result.
 * Build: cc ilp64.c -llapack_ai. Exit status 0 iff every check passes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef int64_t i64;
void dgemm_64_(const char *, const char *, const i64 *, const i64 *, const i64 *,
               const double *, const double *, const i64 *, const double *, const i64 *,
               const double *, double *, const i64 *, size_t, size_t);
void scipy_dgemm_64_(const char *, const char *, const i64 *, const i64 *, const i64 *,
                     const double *, const double *, const i64 *, const double *,
                     const i64 *, const double *, double *, const i64 *, size_t, size_t);
void scipy_dgemm_(const char *, const char *, const int *, const int *, const int *,
                  const double *, const double *, const int *, const double *, const int *,
                  const double *, double *, const int *, size_t, size_t);
void dgemv_64_(const char *, const i64 *, const i64 *, const double *, const double *,
               const i64 *, const double *, const i64 *, const double *, double *,
               const i64 *, size_t);
void daxpy_64_(const i64 *, const double *, const double *, const i64 *, double *,
               const i64 *);
i64 idamax_64_(const i64 *, const double *, const i64 *);
size_t cblas_idamax64_(i64, const double *, i64);
double scipy_cblas_ddot64_(i64, const double *, i64, const double *, i64);
void cblas_dgemm64_(int, int, int, i64, i64, i64, double, const double *, i64,
                    const double *, i64, double, double *, i64);
i64 lsame_64_(const char *, const char *, size_t, size_t);

static int failures = 0;
static char last_routine[16];
static int last_info = 0;

/* The program's own XERBLA wins over the library's, as with reference BLAS; every ABI's
 * entry points report through it. */
void xerbla_(const char *name, const int *info, size_t len) {
    size_t n = len < sizeof last_routine - 1 ? len : sizeof last_routine - 1;
    memcpy(last_routine, name, n);
    last_routine[n] = 0;
    while (n > 0 && last_routine[n - 1] == ' ') last_routine[--n] = 0;
    last_info = *info;
}

static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    if (!ok) failures++;
}

static void expect_error(const char *routine, int info, const char *what) {
    char text[200];
    snprintf(text, sizeof text, "%s (XERBLA got %s %d, want %s %d)", what, last_routine,
             last_info, routine, info);
    check(strcmp(last_routine, routine) == 0 && last_info == info, text);
    last_routine[0] = 0;
    last_info = 0;
}

int main(void) {
    /* A = [1 3; 2 4], B = [5 7; 6 8] (column-major); A*B = [23 31; 34 46]. */
    const double a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8}, want[4] = {23, 34, 31, 46};
    const double one = 1, zero = 0;
    double c[4];
    i64 two = 2;

    memset(c, 0, sizeof c);
    dgemm_64_("N", "N", &two, &two, &two, &one, a, &two, b, &two, &zero, c, &two, 1, 1);
    check(memcmp(c, want, sizeof c) == 0, "dgemm_64_ computes A*B");
    memset(c, 0, sizeof c);
    scipy_dgemm_64_("N", "N", &two, &two, &two, &one, a, &two, b, &two, &zero, c, &two, 1, 1);
    check(memcmp(c, want, sizeof c) == 0, "scipy_dgemm_64_ computes A*B");
    int two32 = 2;
    memset(c, 0, sizeof c);
    scipy_dgemm_("N", "N", &two32, &two32, &two32, &one, a, &two32, b, &two32, &zero, c,
                 &two32, 1, 1);
    check(memcmp(c, want, sizeof c) == 0, "scipy_dgemm_ (LP64) computes A*B");
    memset(c, 0, sizeof c);
    /* Row-major: the same numbers read row-wise are A^T and B^T; C^T = (B A)^T. */
    cblas_dgemm64_(101, 111, 111, 2, 2, 2, 1.0, b, 2, a, 2, 0.0, c, 2);
    check(memcmp(c, want, sizeof c) == 0, "cblas_dgemm64_ row-major");

    /* M = 2^32 + 2: truncated to 32 bits it would be a valid 2. It is not: LDA = 2 < M. */
    i64 huge = ((i64)1 << 32) + 2;
    memcpy(c, want, sizeof c);
    dgemm_64_("N", "N", &huge, &two, &two, &one, a, &two, b, &two, &zero, c, &two, 1, 1);
    expect_error("DGEMM", 8, "dgemm_64_ M=2^32+2: LDA=2 is illegal, nothing wraps");
    check(memcmp(c, want, sizeof c) == 0, "dgemm_64_ M=2^32+2 left C alone");
    /* N = -2^32 + 2: negative, although its low 32 bits say 2. */
    i64 negative = (i64)0xFFFFFFFF00000002ULL;
    dgemm_64_("N", "N", &two, &negative, &two, &one, a, &two, b, &two, &zero, c, &two, 1, 1);
    expect_error("DGEMM", 4, "dgemm_64_ N=-2^32+2 is negative");
    cblas_dgemm64_(102, 111, 111, negative, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
    expect_error("DGEMM", 3, "cblas_dgemm64_ M=-2^32+2 is negative");
    check(memcmp(c, want, sizeof c) == 0, "rejected calls left C alone");

    /* LDA = 2^61 passes the reference check (LDA >= M) but with K = 4 columns A would
     * span 2^66 bytes: no array can, and the offsets would wrap. Rejected as LDA. */
    i64 four = 4, lda_wild = (i64)1 << 61;
    dgemm_64_("N", "N", &two, &two, &four, &one, a, &lda_wild, b, &four, &zero, c, &two, 1, 1);
    expect_error("DGEMM", 8, "dgemm_64_ LDA=2^61, K=4 spans more than the address space");

    /* An increment of 2^32 is legal (and unused for a 1-vector); truncated it would be 0. */
    i64 inc_huge = (i64)1 << 32, m = 2, n = 1, lda = 2, incy = 1;
    double x = 10, y[2] = {0, 0};
    dgemv_64_("N", &m, &n, &one, a, &lda, &x, &inc_huge, &zero, y, &incy, 1);
    check(last_info == 0 && y[0] == 10 && y[1] == 20, "dgemv_64_ INCX=2^32 is served");
    i64 inc_zero = 0;
    dgemv_64_("N", &m, &n, &one, a, &lda, &x, &inc_zero, &zero, y, &incy, 1);
    expect_error("DGEMV", 8, "dgemv_64_ INCX=0 is illegal");
    i64 inc_wild = -((i64)1 << 62);
    dgemv_64_("T", &m, &two, &one, a, &lda, &x, &inc_wild, &zero, y, &incy, 1);
    expect_error("DGEMV", 8, "dgemv_64_ INCX=-2^62 spans more than the address space");

    /* Level 1 has no XERBLA: a negative N is a quick return, whatever its low bits. */
    double v[3] = {1, 2, 3}, w[3] = {0, 0, 0};
    i64 one64 = 1;
    daxpy_64_(&negative, &one, v, &one64, w, &one64);
    check(w[0] == 0 && w[1] == 0, "daxpy_64_ N=-2^32+2 does nothing");
    i64 three = 3;
    daxpy_64_(&three, &one, v, &one64, w, &one64);
    check(w[2] == 3, "daxpy_64_ N=3");
    check(idamax_64_(&three, v, &one64) == 3, "idamax_64_ returns a 64-bit 3");
    check(cblas_idamax64_(3, v, 1) == 2, "cblas_idamax64_ returns the 0-based size_t 2");
    check(scipy_cblas_ddot64_(3, v, 1, v, 1) == 14, "scipy_cblas_ddot64_");
    check(lsame_64_("a", "A", 1, 1) == 1 && lsame_64_("a", "b", 1, 1) == 0, "lsame_64_");

    printf("%s\n", failures ? "ilp64: FAILED" : "ilp64: all checks passed");
    return failures != 0;
}
