/* Links with -llapack_ai (pkg-config) and uses each ABI family once: Fortran BLAS and
 * LAPACK, CBLAS, LAPACKE, and our own API. Exits nonzero on a wrong answer. */
#include <cblas.h>
#include <lapacke.h>
#include <lapack_ai.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv, double *b,
            const int *ldb, int *info);

static int failures = 0;
static void check(int ok, const char *what) {
    printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    failures += !ok;
}

int main(void) {
    double a[4] = {4, 2, 1, 3}; /* column-major [[4, 1], [2, 3]] */
    double b[4] = {1, 0, 0, 1}, c[4] = {0};
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
    check(memcmp(a, c, sizeof a) == 0, "cblas_dgemm A*I == A");

    double lu[4], x[2] = {5, 5};
    int ipiv[2], n = 2, one = 1, info = -99;
    memcpy(lu, a, sizeof a);
    dgesv_(&n, &one, lu, &n, ipiv, x, &n, &info);
    /* [[4,1],[2,3]] x = [5,5] -> x = [1, 1] */
    check(info == 0 && fabs(x[0] - 1) < 1e-14 && fabs(x[1] - 1) < 1e-14, "dgesv_ solves a 2x2 system");

    double y[2] = {5, 5};
    memcpy(lu, a, sizeof a);
    lapack_int info_e = LAPACKE_dgesv(LAPACK_COL_MAJOR, 2, 1, lu, 2, ipiv, y, 2);
    check(info_e == 0 && fabs(y[0] - 1) < 1e-14 && fabs(y[1] - 1) < 1e-14, "LAPACKE_dgesv");

    check(strcmp(lapack_ai_version(), "") != 0, "lapack_ai_version");
    check(lapack_ai_symbol_count() > 4800, "lapack_ai_symbol_count covers every reference name");
    printf("liblapack_ai %s\n", lapack_ai_version());
    return failures != 0;
}
