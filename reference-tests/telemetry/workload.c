/* A process for the metrics endpoint tests (LAPACK_AI_METRICS set by the caller).
 *   serve   phase A: 1005 DGEMM and 50 DGESV from three threads (one ended, one alive,
 *           main); prints lapack_ai_stats_json() and "ready"; after a line on stdin,
 *           phase B: paced DGEMM/DGESV calls until stdin closes, then exits 0; with
 *           WORKLOAD_GPU set, phase B's 128 x 128 DGEMMs go to the device
 *           (lapack_ai_set_backend, LAPACK_AI_DEVICE names it).
 *   fork N  N times: fork a child that calls DGEMM from a new thread and reads the
 *           counters, and wait for it (10 s each); prints "forks ok" if all exited 0.
 *   gemm N  one N x N DGEMM. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lapack_ai.h"

void dgemm_(const char *, const char *, const int *, const int *, const int *, const double *,
            const double *, const int *, const double *, const int *, const double *, double *,
            const int *, size_t, size_t);
void dgesv_(const int *, const int *, double *, const int *, int *, double *, const int *, int *);

enum { MAX = 256 };

static void gemm(int n) {
    static __thread double a[MAX * MAX], b[MAX * MAX], c[MAX * MAX];
    double one = 1, zero = 0;
    for (int i = 0; i < n * n; i++) a[i] = b[i] = 1.0 / (1 + i % 7);
    dgemm_("N", "N", &n, &n, &n, &one, a, &n, b, &n, &zero, c, &n, 1, 1);
}

static void gesv(int n) {
    static __thread double a[MAX * MAX], b[MAX];
    static __thread int ipiv[MAX];
    int one = 1, info;
    for (int j = 0; j < n; j++) {
        b[j] = j;
        for (int i = 0; i < n; i++) a[i + j * n] = (i == j ? n : 0) + 1.0 / (1 + i + j);
    }
    dgesv_(&n, &one, a, &n, ipiv, b, &n, &info);
    if (info != 0) { fprintf(stderr, "dgesv info %d\n", info); exit(3); }
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int stage = 0; /* 1: the live worker has made its calls; 2: it may end */

static void *ended_worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 300; i++) gemm(4);
    return NULL;
}

static void *live_worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 200; i++) gemm(4);
    for (int i = 0; i < 20; i++) gesv(16);
    pthread_mutex_lock(&lock);
    stage = 1;
    pthread_cond_broadcast(&cond);
    while (stage < 2) pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static volatile int stdin_open = 1;
static void *stdin_reader(void *arg) {
    (void)arg;
    char line[64];
    while (fgets(line, sizeof line, stdin)) {}
    stdin_open = 0;
    return NULL;
}

static void sleep_ms(int ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static int serve(void) {
    pthread_t ended, live, reader;
    pthread_create(&ended, NULL, ended_worker, NULL);
    pthread_join(ended, NULL);
    pthread_create(&live, NULL, live_worker, NULL);
    for (int i = 0; i < 500; i++) gemm(4);
    for (int i = 0; i < 30; i++) gesv(16);
    for (int i = 0; i < 5; i++) gemm(128);
    pthread_mutex_lock(&lock);
    while (stage < 1) pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    char *s = lapack_ai_stats_json();
    printf("%s\nready\n", s);
    fflush(stdout);
    lapack_ai_free_string(s);
    char line[64];
    if (!fgets(line, sizeof line, stdin)) return 0;
    pthread_create(&reader, NULL, stdin_reader, NULL);
    int gpu = getenv("WORKLOAD_GPU") != NULL;
    for (long i = 0; stdin_open && i < 200000; i++) { /* at most about 7 minutes */
        gemm(4);
        if (i % 25 == 0) {
            int previous = gpu ? lapack_ai_set_backend(3) : 0;
            gemm(128);
            if (gpu) lapack_ai_set_backend(previous);
            gesv(64);
        }
        sleep_ms(2);
    }
    pthread_mutex_lock(&lock);
    stage = 2;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    pthread_join(live, NULL);
    return 0;
}

static void *child_thread(void *arg) {
    (void)arg;
    gemm(4);
    char *s = lapack_ai_stats_json();
    int ok = s && strstr(s, "\"DGEMM\"");
    lapack_ai_free_string(s);
    return (void *)(long)ok;
}

static int forks(int n) {
    gemm(4); /* starts the metrics thread */
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            pthread_t t;
            void *ok;
            pthread_create(&t, NULL, child_thread, NULL);
            pthread_join(t, &ok);
            gemm(4);
            _exit(ok ? 0 : 1);
        }
        int status = -1, waited = 0;
        while (waitpid(pid, &status, WNOHANG) == 0) {
            if (++waited > 10000) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                printf("fork %d: the child hung\n", i);
                return 1;
            }
            sleep_ms(1);
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            printf("fork %d: child status %d\n", i, status);
            return 1;
        }
    }
    printf("forks ok\n");
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "serve";
    if (strcmp(mode, "serve") == 0) return serve();
    if (strcmp(mode, "fork") == 0) return forks(argc > 2 ? atoi(argv[2]) : 100);
    if (strcmp(mode, "gemm") == 0) {
        int n = argc > 2 ? atoi(argv[2]) : 512;
        if (n > MAX) {
            double *a = calloc((size_t)n * n, 8), *b = calloc((size_t)n * n, 8), *c = calloc((size_t)n * n, 8);
            double one = 1, zero = 0;
            dgemm_("N", "N", &n, &n, &n, &one, a, &n, b, &n, &zero, c, &n, 1, 1);
            free(a); free(b); free(c);
        } else {
            gemm(n);
        }
        return 0;
    }
    fprintf(stderr, "usage: workload serve | fork N | gemm N\n");
    return 2;
}
