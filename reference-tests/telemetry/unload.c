/* dlopen the library, call DGEMM, dlclose it, exit: the exit work (report, trace flush)
 * must run once, at unload or at exit, without crashing. */
#include <dlfcn.h>
#include <stdio.h>
typedef void (*gemm_fn)(const char *, const char *, const int *, const int *, const int *,
                        const double *, const double *, const int *, const double *,
                        const int *, const double *, double *, const int *, size_t, size_t);
int main(int argc, char **argv) {
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    gemm_fn gemm = (gemm_fn)dlsym(lib, "dgemm_");
    double a[16] = {1}, b[16] = {1}, c[16], one = 1, zero = 0;
    int n = 4;
    for (int i = 0; i < 3; i++) gemm("N", "N", &n, &n, &n, &one, a, &n, b, &n, &zero, c, &n, 1, 1);
    dlclose(lib);
    printf("closed\n");
    return 0;
}
