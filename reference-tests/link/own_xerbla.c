/* A program with its own XERBLA: the library must call it, not ours, and must return. */
#include <stdio.h>
#include <string.h>

void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv, double *b,
            const int *ldb, int *info);

static char seen_name[8];
static int seen_info = 0;

void xerbla_(const char *name, const int *info, size_t len) {
    size_t n = len < 7 ? len : 7;
    memcpy(seen_name, name, n);
    seen_name[n] = 0;
    seen_info = *info;
}

int main(void) {
    double a[1] = {1}, b[1] = {1};
    int ipiv[1], bad_n = -1, one = 1, info = 0;
    dgesv_(&bad_n, &one, a, &one, ipiv, b, &one, &info);
    int ok = info == -1 && seen_info == 1 && strncmp(seen_name, "DGESV", 5) == 0;
    printf("%s: program's xerbla_ saw %s %d, info = %d\n", ok ? "ok" : "FAILED", seen_name, seen_info, info);
    return !ok;
}
