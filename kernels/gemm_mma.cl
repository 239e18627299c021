// DGEMM on NVIDIA tensor cores (sm_90: H100/H200) through inline PTX
// `mma.sync.aligned.m16n8k8.row.col.f64`, column-major:
//   C := alpha * op(A) * op(B) + beta * C,   op(A) M x K, op(B) K x N, C M x N.
// Built only with PRECISION=64 and only for NVIDIA devices; a build failure (another
// vendor, an older architecture) makes the host fall back to gemm.cl.
//
// The host pads: M, N and K are multiples of BM, BN and BK and the padding of op(A) and
// op(B) is zero, so no load or store needs a bounds check. Each work-group computes a
// BM x BN tile of C with (BM / WM) x (BN / WN) warps, each warp a WM x WN tile made of
// 16 x 8 mma tiles. BK-deep slices of op(A) and op(B) are staged in local memory
// (k-major, rows padded by 4 doubles so that the fragment loads of a half-warp hit
// distinct banks); the next slice is fetched into registers while the tensor cores
// work on the current one.
//
// Tuning parameters (prepended as #defines by the host): BM, BN, BK, WM, WN, STAGES
// (1 or 2 local-memory buffers filled through registers; 3: cp.async into three
// swizzled buffers), GROUP_M (tile-order swizzle, 0 for none). Experiments only (a
// kernel file read through LAPACK_AI_KERNEL_DIR defines them): PREFETCH 2 (two slices
// in registers), DIAG 1/2 (see below), SPECIALIZE 0 (one generic copy of the tile code).
// The default 128x128x8 tile uses 246 of the 255 registers a thread may have at 256
// threads, without spills; a second register-staged slice fits only with the transposes
// specialized and is slower (BENCHMARKS.md, "GPU: DGEMM kernel limits and tiles").

#define WARPS_M (BM / WM)
#define WARPS_N (BN / WN)
#define NTHREADS (WARPS_M * WARPS_N * 32)
#define TILES_M (WM / 16)
#define TILES_N (WN / 8)
#if STAGES == 3
// cp.async path: three unpadded slices (3 x 16 KiB fits the 48 KiB of local memory),
// rows XOR-swizzled instead: element i of row l sits at i ^ 4 (l % 4), so that the
// fragment loads of a half-warp (rows kk + t, columns base + g) hit distinct banks.
#define A_LD BM
#define B_LD BN
#define SWZ(l) (((l) & 3) << 2)
#define NBUF 3
#else
#define A_LD (BM + 4)
#define B_LD (BN + 4)
#define SWZ(l) 0
#define NBUF STAGES
#endif
#define AIDX(l, i) ((l) * A_LD + ((i) ^ SWZ(l)))
#define BIDX(l, j) ((l) * B_LD + ((j) ^ SWZ(l)))
#define A_ELEMS (BM * BK)
#define B_ELEMS (BK * BN)
// Elements of a slice a thread moves, rounded up: where a slice does not split evenly
// (12 warps on a 128-wide side), the last round is guarded.
#define A_PER_THREAD ((A_ELEMS + NTHREADS - 1) / NTHREADS)
#define B_PER_THREAD ((B_ELEMS + NTHREADS - 1) / NTHREADS)
#define A_IN(idx) (A_ELEMS % NTHREADS == 0 || (idx) < A_ELEMS)
#define B_IN(idx) (B_ELEMS % NTHREADS == 0 || (idx) < B_ELEMS)
// Kernel experiments only (never set by the host): DIAG 1 reuses the first slice from
// local memory for every step (no global traffic after it), DIAG 2 loads every slice
// but skips the tensor cores. Both apply only when K > 2 BK, so the self-check (K = 2 BK)
// still passes; their results are wrong by design.
#ifndef DIAG
#define DIAG 0
#endif
// Slices in flight in registers ahead of the one in local memory (1 or 2; one stage).
#ifndef PREFETCH
#define PREFETCH 1
#endif

// d := a * b + d on one 16 x 8 tile, a 16 x 8 and b 8 x 8. Lane = 4 g + t holds
// a = A(g, t), A(g + 8, t), A(g, t + 4), A(g + 8, t + 4); b = B(t, g), B(t + 4, g);
// d = D(g, 2t), D(g, 2t + 1), D(g + 8, 2t), D(g + 8, 2t + 1).
#define MMA_16x8x8(d, a, b)                                                          \
  __asm__ __volatile__(                                                              \
      "mma.sync.aligned.m16n8k8.row.col.f64.f64.f64.f64 "                            \
      "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};"              \
      : "+d"(d[0]), "+d"(d[1]), "+d"(d[2]), "+d"(d[3])                               \
      : "d"(a[0]), "d"(a[1]), "d"(a[2]), "d"(a[3]), "d"(b[0]), "d"(b[1]))

// The whole product for one tile of C; `transa` and `transb` are literals at the calls
// below when SPECIALIZE is on, so each transpose case gets its own code and registers.
static inline __attribute__((always_inline))
void dgemm_tile(const int M, const int N, const int K,
                const double alpha, const double beta, const int beta_zero,
                const int transa, const int transb,
                __global const double* restrict A, const int lda,
                __global const double* restrict B, const int ldb,
                __global double* C, const int ldc,
                const ulong a_off, const ulong b_off, const ulong c_off,
                // STAGES slices of op(A) and op(B) in local memory:
                // As[s][l * A_LD + i] = op(A)[i0 + i, l0 + l], Bs likewise for op(B).
                __local double (*As)[BK * A_LD], __local double (*Bs)[BK * B_LD])
{
  // Element offsets of the operands in their buffers (sub-blocks of one upload).
  A += a_off;
  B += b_off;
  C += c_off;

  const int tid = get_local_id(0);
  const int warp = tid / 32;
  const int lane = tid % 32;
  const int g = lane / 4;
  const int t = lane % 4;
  const int wm0 = (warp % WARPS_M) * WM;
  const int wn0 = (warp / WARPS_M) * WN;
  // Tiles in launch order walk GROUP_M tile rows of one tile column before moving
  // right, so that concurrent work-groups share op(B) panels in L2 (0: plain order).
  int tile_m = get_group_id(0);
  int tile_n = get_group_id(1);
#if GROUP_M > 0
  {
    const int tiles_m = get_num_groups(0);
    const int tiles_n = get_num_groups(1);
    const int linear = tile_n * tiles_m + tile_m;
    const int per_group = GROUP_M * tiles_n;
    const int first_m = (linear / per_group) * GROUP_M;
    const int rows = min(tiles_m - first_m, GROUP_M);
    tile_m = first_m + (linear % per_group) % rows;
    tile_n = (linear % per_group) / rows;
  }
#endif
  const int i0 = tile_m * BM;
  const int j0 = tile_n * BN;

  double acc[TILES_M][TILES_N][4];
  #pragma unroll
  for (int mt = 0; mt < TILES_M; ++mt) {
    #pragma unroll
    for (int nt = 0; nt < TILES_N; ++nt) {
      #pragma unroll
      for (int e = 0; e < 4; ++e) { acc[mt][nt][e] = 0.0; }
    }
  }

  // Element r of this thread's share of a slice: (ii, ll) inside the tile, walking the
  // operand's contiguous direction with consecutive threads (coalesced global reads).
  double next_a[A_PER_THREAD];
  double next_b[B_PER_THREAD];
  #define FETCH(l0) FETCH_TO(next_a, next_b, l0)
  #define STORE(s) STORE_FROM(next_a, next_b, s)
  #define FETCH_TO(next_a, next_b, l0)                                               \
    do {                                                                             \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < A_PER_THREAD; ++r) {                                       \
        const int idx = tid + r * NTHREADS;                                          \
        if (A_IN(idx))                                                               \
        next_a[r] = transa ? A[(l0) + idx % BK + (size_t)(i0 + idx / BK) * lda]      \
                           : A[i0 + idx % BM + (size_t)((l0) + idx / BM) * lda];     \
      }                                                                              \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < B_PER_THREAD; ++r) {                                       \
        const int idx = tid + r * NTHREADS;                                          \
        if (B_IN(idx))                                                               \
        next_b[r] = transb ? B[j0 + idx % BN + (size_t)((l0) + idx / BN) * ldb]      \
                           : B[(l0) + idx % BK + (size_t)(j0 + idx / BK) * ldb];     \
      }                                                                              \
    } while (0)
  #define STORE_FROM(next_a, next_b, s)                                              \
    do {                                                                             \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < A_PER_THREAD; ++r) {                                       \
        const int idx = tid + r * NTHREADS;                                          \
        const int ii = transa ? idx / BK : idx % BM;                                 \
        const int ll = transa ? idx % BK : idx / BM;                                 \
        if (A_IN(idx)) { As[s][ll * A_LD + ii] = next_a[r]; }                        \
      }                                                                              \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < B_PER_THREAD; ++r) {                                       \
        const int idx = tid + r * NTHREADS;                                          \
        const int jj = transb ? idx % BN : idx / BK;                                 \
        const int ll = transb ? idx / BN : idx % BK;                                 \
        if (B_IN(idx)) { Bs[s][ll * B_LD + jj] = next_b[r]; }                        \
      }                                                                              \
    } while (0)
  // acc += the slice in buffer s.
  #define COMPUTE(s)                                                                 \
    do {                                                                             \
      _Pragma("unroll")                                                              \
      for (int kk = 0; kk < BK; kk += 8) {                                           \
        double b[TILES_N][2];                                                        \
        _Pragma("unroll")                                                            \
        for (int nt = 0; nt < TILES_N; ++nt) {                                       \
          const int col = wn0 + nt * 8 + g;                                          \
          b[nt][0] = Bs[s][BIDX(kk + t, col)];                                         \
          b[nt][1] = Bs[s][BIDX(kk + t + 4, col)];                                     \
        }                                                                            \
        /* One A fragment live at a time keeps registers for the accumulators. */    \
        _Pragma("unroll")                                                            \
        for (int mt = 0; mt < TILES_M; ++mt) {                                       \
          const int row = wm0 + mt * 16 + g;                                         \
          double a[4];                                                               \
          a[0] = As[s][AIDX(kk + t, row)];                                             \
          a[1] = As[s][AIDX(kk + t, row + 8)];                                         \
          a[2] = As[s][AIDX(kk + t + 4, row)];                                         \
          a[3] = As[s][AIDX(kk + t + 4, row + 8)];                                     \
          _Pragma("unroll")                                                          \
          for (int nt = 0; nt < TILES_N; ++nt) {                                     \
            MMA_16x8x8(acc[mt][nt], a, b[nt]);                                       \
          }                                                                          \
        }                                                                            \
      }                                                                              \
    } while (0)

#if STAGES == 3
  // Slices land in local memory through cp.async (no registers): slice l + 2 is in
  // flight while slice l is multiplied, one barrier a step. Each thread waits for its
  // own copies (wait_group), the barrier makes everyone's visible and frees the buffer
  // of slice l - 1 for slice l + 2.
  #define CP_ASYNC8(dst, src)                                                        \
    __asm__ __volatile__("cp.async.ca.shared.global [%0], [%1], 8;"                  \
                         :: "r"((uint)(size_t)(dst)), "l"(src) : "memory")
  #define CP_COMMIT() __asm__ __volatile__("cp.async.commit_group;" ::: "memory")
  #define CP_WAIT_ALL_BUT_ONE() __asm__ __volatile__("cp.async.wait_group 1;" ::: "memory")
  #define ISSUE(l0, s)                                                               \
    do {                                                                             \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < A_PER_THREAD; ++r) {                                       \
        const int idx = tid + r * NTHREADS;                                          \
        if (A_IN(idx)) {                                                             \
          const int ii = transa ? idx / BK : idx % BM;                               \
          const int ll = transa ? idx % BK : idx / BM;                               \
          CP_ASYNC8(&As[s][AIDX(ll, ii)], A + (i0 + ii) * (size_t)(transa ? lda : 1) \
                                           + ((l0) + ll) * (size_t)(transa ? 1 : lda)); \
        }                                                                            \
      }                                                                              \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < B_PER_THREAD; ++r) {                                       \
        const int idx = tid + r * NTHREADS;                                          \
        if (B_IN(idx)) {                                                             \
          const int jj = transb ? idx % BN : idx / BK;                               \
          const int ll = transb ? idx / BN : idx % BK;                               \
          CP_ASYNC8(&Bs[s][BIDX(ll, jj)], B + (j0 + jj) * (size_t)(transb ? 1 : ldb) \
                                           + ((l0) + ll) * (size_t)(transb ? ldb : 1)); \
        }                                                                            \
      }                                                                              \
      CP_COMMIT();                                                                   \
    } while (0)
  ISSUE(0, 0);
  if (BK < K) { ISSUE(BK, 1); } else { CP_COMMIT(); }
  int cur = 0;
  for (int l0 = 0; l0 < K; l0 += BK) {
    CP_WAIT_ALL_BUT_ONE();
    barrier(CLK_LOCAL_MEM_FENCE);
    const int nxt = cur == 0 ? 2 : cur - 1;   // (cur + 2) % 3
    if (l0 + 2 * BK < K) { ISSUE(l0 + 2 * BK, nxt); } else { CP_COMMIT(); }
    COMPUTE(cur);
    cur = cur == 2 ? 0 : cur + 1;
  }
#else
  FETCH(0);
#endif
#if STAGES == 3
#elif STAGES == 2
  STORE(0);
  barrier(CLK_LOCAL_MEM_FENCE);
  int cur = 0;
  for (int l0 = 0; l0 < K; l0 += BK) {
    const int more = l0 + BK < K;
    if (more) { FETCH(l0 + BK); }
    COMPUTE(cur);
    // The other buffer was last read in the previous step, which ended in a barrier.
    if (more) { STORE(1 - cur); }
    barrier(CLK_LOCAL_MEM_FENCE);
    cur = 1 - cur;
  }
#elif PREFETCH == 2
  // Two slices in flight in registers: the loads of slice l + 2 are issued while slice l
  // is multiplied (the register sets alternate, so the loop body is written twice).
  double next_a2[A_PER_THREAD];
  double next_b2[B_PER_THREAD];
  if (BK < K) { FETCH_TO(next_a2, next_b2, BK); }
#if DIAG == 2
  const int diag = K > 2 * BK;
#define PF_COMPUTE if (!diag) { COMPUTE(0); }
#else
#define PF_COMPUTE COMPUTE(0)
#endif
  for (int l0 = 0; l0 < K; l0 += 2 * BK) {
    STORE_FROM(next_a, next_b, 0);
    barrier(CLK_LOCAL_MEM_FENCE);
    if (l0 + 2 * BK < K) { FETCH_TO(next_a, next_b, l0 + 2 * BK); }
    PF_COMPUTE;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (l0 + BK < K) {
      STORE_FROM(next_a2, next_b2, 0);
      barrier(CLK_LOCAL_MEM_FENCE);
      if (l0 + 3 * BK < K) { FETCH_TO(next_a2, next_b2, l0 + 3 * BK); }
      PF_COMPUTE;
      barrier(CLK_LOCAL_MEM_FENCE);
    }
  }
#if DIAG == 2
  if (diag) { acc[0][0][0] += As[0][tid % (BK * A_LD)] + Bs[0][tid % (BK * B_LD)]; }
#endif
#elif DIAG == 1
  const int diag = K > 2 * BK;
  for (int l0 = 0; l0 < K; l0 += BK) {
    if (!diag || l0 == 0) { STORE(0); }
    barrier(CLK_LOCAL_MEM_FENCE);
    if (!diag && l0 + BK < K) { FETCH(l0 + BK); }
    COMPUTE(0);
    barrier(CLK_LOCAL_MEM_FENCE);
  }
#elif DIAG == 2
  const int diag = K > 2 * BK;
  for (int l0 = 0; l0 < K; l0 += BK) {
    STORE(0);
    barrier(CLK_LOCAL_MEM_FENCE);
    if (l0 + BK < K) { FETCH(l0 + BK); }
    if (!diag) { COMPUTE(0); }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (diag) { acc[0][0][0] += As[0][tid % (BK * A_LD)] + Bs[0][tid % (BK * B_LD)]; }
#else
  for (int l0 = 0; l0 < K; l0 += BK) {
    STORE(0);
    barrier(CLK_LOCAL_MEM_FENCE);
    if (l0 + BK < K) { FETCH(l0 + BK); }
    COMPUTE(0);
    barrier(CLK_LOCAL_MEM_FENCE);
  }
#endif

  #pragma unroll
  for (int mt = 0; mt < TILES_M; ++mt) {
    #pragma unroll
    for (int nt = 0; nt < TILES_N; ++nt) {
      #pragma unroll
      for (int e = 0; e < 4; ++e) {
        const int gi = i0 + wm0 + mt * 16 + g + (e / 2) * 8;
        const int gj = j0 + wn0 + nt * 8 + 2 * t + e % 2;
        const size_t p = gi + (size_t)gj * ldc;
        double r = alpha * acc[mt][nt][e];
        if (!beta_zero) { r = fma(beta, C[p], r); }
        C[p] = r;
      }
    }
  }
}

// SPECIALIZE 1 (default): one copy of the tile code per transpose case, so that no
// runtime transa/transb selects addresses in the loop (246 registers instead of 254 on
// sm_90, 0.5-1.5% faster); 0 for one generic copy.
#ifndef SPECIALIZE
#define SPECIALIZE 1
#endif

__kernel __attribute__((reqd_work_group_size(NTHREADS, 1, 1)))
void dgemm_mma(const int M, const int N, const int K,
               const double alpha, const double beta, const int beta_zero,
               const int transa, const int transb,
               __global const double* restrict A, const int lda,
               __global const double* restrict B, const int ldb,
               __global double* C, const int ldc,
               const ulong a_off, const ulong b_off, const ulong c_off)
{
  __local double As[NBUF][BK * A_LD];
  __local double Bs[NBUF][BK * B_LD];
#define TILE(ta, tb)                                                                 \
  dgemm_tile(M, N, K, alpha, beta, beta_zero, ta, tb, A, lda, B, ldb, C, ldc,        \
             a_off, b_off, c_off, As, Bs)
#if SPECIALIZE
  if (transa) {
    if (transb) { TILE(1, 1); } else { TILE(1, 0); }
  } else {
    if (transb) { TILE(0, 1); } else { TILE(0, 0); }
  }
#else
  TILE(transa, transb);
#endif
}
