/* Calls ILAVER, a name that liblapack_ai forwards: prints the LAPACK version it got. */
#include <stdio.h>
void ilaver_(int *major, int *minor, int *patch);
int main(void) {
    int major = -1, minor = -1, patch = -1;
    ilaver_(&major, &minor, &patch);
    printf("%d.%d.%d\n", major, minor, patch);
    return major < 3;
}
