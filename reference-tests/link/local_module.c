/* Built twice: as a shared "extension module" linked with -llapack (BAD_CALL), and as a
 * program that dlopens it RTLD_LOCAL, as Python loads NumPy. An illegal argument to a
 * forwarded routine must be reported and returned, not stop the process through the
 * provider's own XERBLA. */
#include <dlfcn.h>
#include <stdio.h>

#ifdef MODULE
void dorgqr_(const int *m, const int *n, const int *k, double *a, const int *lda, const double *tau,
             double *work, const int *lwork, int *info);
int bad_call(void) {
    double a[1] = {0}, tau[1] = {0}, work[1] = {0};
    int one = 1, zero = 0, info = 0;
    dorgqr_(&one, &one, &one, a, &zero, tau, work, &zero, &info); /* LDA = 0: argument 5 */
    return info;
}
#else
int main(int argc, char **argv) {
    void *module = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!module) {
        fprintf(stderr, "%s\n", dlerror());
        return 2;
    }
    int (*bad_call)(void) = (int (*)(void))dlsym(module, "bad_call");
    int info = bad_call();
    printf("%s: returned with info = %d\n", info == -5 ? "ok" : "FAILED", info);
    return info != -5;
}
#endif
