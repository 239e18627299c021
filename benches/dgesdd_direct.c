/* dgesdd_ called straight from C through liblapack_ai: the baseline of
 * benches/lapack_py_svd.py. Same problem as lap.svd(a) (JOBZ='A', square N x N, the
 * optimal LWORK from a workspace query); the input is copied back before each call,
 * outside the timed region, so only the dgesdd_ call is timed.
 * usage: dgesdd_direct N REPS   -> one line per timed call: seconds
 *        dgesdd_direct N 0      -> one timed call per line read from stdin (so a driver
 *                                  can alternate these calls with its own) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda,
             double *s, double *u, const int *ldu, double *vt, const int *ldvt,
             double *work, const int *lwork, int *iwork, int *info, size_t jobz_len);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 1000, reps = argc > 2 ? atoi(argv[2]) : 5;
    size_t nn = (size_t)n * n;
    double *a0 = malloc(nn * sizeof *a0), *a = malloc(nn * sizeof *a);
    double *s = malloc(n * sizeof *s), *u = malloc(nn * sizeof *u), *vt = malloc(nn * sizeof *vt);
    int *iwork = malloc(8 * (size_t)n * sizeof *iwork), info = 0, query = -1;
    srand(1);
    for (size_t i = 0; i < nn; i++) a0[i] = rand() / (double)RAND_MAX - 0.5;
    double size;
    dgesdd_("A", &n, &n, a, &n, s, u, &n, vt, &n, &size, &query, iwork, &info, 1);
    int lwork = (int)size;
    double *work = malloc((size_t)lwork * sizeof *work);
    char line[64];
    for (int r = -1; reps > 0 ? r < reps : 1; r++) { /* r = -1: warm-up, not printed */
        if (reps == 0 && r >= 0 && !fgets(line, sizeof line, stdin)) break;
        memcpy(a, a0, nn * sizeof *a);
        double t = now();
        dgesdd_("A", &n, &n, a, &n, s, u, &n, vt, &n, work, &lwork, iwork, &info, 1);
        t = now() - t;
        if (info != 0) { fprintf(stderr, "dgesdd_ INFO = %d\n", info); return 1; }
        if (r >= 0) printf("%.6f\n", t), fflush(stdout);
    }
    return 0;
}
