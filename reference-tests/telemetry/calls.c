/* Calls native BLAS through the Fortran ABI from two threads, then prints the telemetry
 * counters (lapack_ai_stats_json) before and after lapack_ai_stats_reset.
 *   calls            17 DGEMM (15 4x4, 2 128x128), 1 DGEMV, 1 ZGEMM, 1 DTRSM; prints JSON
 *   exit-thread      the same calls, then a second thread calls exit(0) while main works */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lapack_ai.h"

void dgemm_(const char *, const char *, const int *, const int *, const int *, const double *,
            const double *, const int *, const double *, const int *, const double *, double *,
            const int *, size_t, size_t);
void zgemm_(const char *, const char *, const int *, const int *, const int *, const double *,
            const double *, const int *, const double *, const int *, const double *, double *,
            const int *, size_t, size_t);
void dgemv_(const char *, const int *, const int *, const double *, const double *, const int *,
            const double *, const int *, const double *, double *, const int *, size_t);
void dtrsm_(const char *, const char *, const char *, const char *, const int *, const int *,
            const double *, const double *, const int *, double *, const int *, size_t, size_t,
            size_t, size_t);

static double a[128 * 128 * 2], b[128 * 128 * 2], c[128 * 128 * 2];

static void gemm(int n) {
    double one = 1, zero = 0;
    dgemm_("N", "N", &n, &n, &n, &one, a, &n, b, &n, &zero, c, &n, 1, 1);
}

static void *worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 5; i++) gemm(4);
    return NULL;
}

static void *exiter(void *arg) {
    (void)arg;
    gemm(4);
    exit(0);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "calls";
    for (int i = 0; i < 128 * 128 * 2; i++) a[i] = b[i] = 1.0 / (1 + i % 7);
    for (int i = 0; i < 10; i++) gemm(4);
    gemm(128);
    gemm(128);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    int n = 8, inc = 1;
    double one = 1, zero = 0, zone[2] = {1, 0}, zzero[2] = {0, 0};
    dgemv_("T", &n, &n, &one, a, &n, b, &inc, &zero, c, &inc, 1);
    zgemm_("N", "C", &n, &n, &n, zone, a, &n, b, &n, zzero, c, &n, 1, 1);
    for (int i = 0; i < n; i++) a[i * n + i] = 4;
    dtrsm_("L", "U", "N", "N", &n, &n, &one, a, &n, c, &n, 1, 1, 1, 1);
    if (strcmp(mode, "exit-thread") == 0) {
        pthread_create(&t, NULL, exiter, NULL);
        for (;;) gemm(4);
    }
    char *s = lapack_ai_stats_json();
    printf("%s\n", s);
    lapack_ai_free_string(s);
    lapack_ai_stats_reset();
    s = lapack_ai_stats_json();
    printf("%s\n", s);
    lapack_ai_free_string(s);
    gemm(4);
    s = lapack_ai_stats_json();
    printf("%s\n", s);
    free(s); /* free() works too: the string comes from malloc */
    return 0;
}
