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
// (1 or 2 local-memory buffers), GROUP_M (tile-order swizzle, 0 for none).

#define WARPS_M (BM / WM)
#define WARPS_N (BN / WN)
#define NTHREADS (WARPS_M * WARPS_N * 32)
#define TILES_M (WM / 16)
#define TILES_N (WN / 8)
#define A_LD (BM + 4)
#define B_LD (BN + 4)
#define A_PER_THREAD (BM * BK / NTHREADS)
#define B_PER_THREAD (BK * BN / NTHREADS)

// d := a * b + d on one 16 x 8 tile, a 16 x 8 and b 8 x 8. Lane = 4 g + t holds
// a = A(g, t), A(g + 8, t), A(g, t + 4), A(g + 8, t + 4); b = B(t, g), B(t + 4, g);
// d = D(g, 2t), D(g, 2t + 1), D(g + 8, 2t), D(g + 8, 2t + 1).
#define MMA_16x8x8(d, a, b)                                                          \
  __asm__ __volatile__(                                                              \
      "mma.sync.aligned.m16n8k8.row.col.f64.f64.f64.f64 "                            \
      "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};"              \
      : "+d"(d[0]), "+d"(d[1]), "+d"(d[2]), "+d"(d[3])                               \
      : "d"(a[0]), "d"(a[1]), "d"(a[2]), "d"(a[3]), "d"(b[0]), "d"(b[1]))

__kernel __attribute__((reqd_work_group_size(NTHREADS, 1, 1)))
void dgemm_mma(const int M, const int N, const int K,
               const double alpha, const double beta, const int beta_zero,
               const int transa, const int transb,
               __global const double* restrict A, const int lda,
               __global const double* restrict B, const int ldb,
               __global double* C, const int ldc,
               const ulong a_off, const ulong b_off, const ulong c_off)
{
  // Element offsets of the operands in their buffers (sub-blocks of one upload).
  A += a_off;
  B += b_off;
  C += c_off;
  // STAGES slices of op(A) and op(B) in local memory: with two, the slice fetched into
  // registers during one step is stored into the other buffer, one barrier a step.
  __local double As[STAGES][BK * A_LD];   // As[s][l * A_LD + i] = op(A)[i0 + i, l0 + l]
  __local double Bs[STAGES][BK * B_LD];   // Bs[s][l * B_LD + j] = op(B)[l0 + l, j0 + j]

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
  #define FETCH(l0)                                                                  \
    do {                                                                             \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < A_PER_THREAD; ++r) {                                       \
        const int idx = tid + r * NTHREADS;                                          \
        next_a[r] = transa ? A[(l0) + idx % BK + (size_t)(i0 + idx / BK) * lda]      \
                           : A[i0 + idx % BM + (size_t)((l0) + idx / BM) * lda];     \
      }                                                                              \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < B_PER_THREAD; ++r) {                                       \
        const int idx = tid + r * NTHREADS;                                          \
        next_b[r] = transb ? B[j0 + idx % BN + (size_t)((l0) + idx / BN) * ldb]      \
                           : B[(l0) + idx % BK + (size_t)(j0 + idx / BK) * ldb];     \
      }                                                                              \
    } while (0)
  #define STORE(s)                                                                   \
    do {                                                                             \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < A_PER_THREAD; ++r) {                                       \
        const int idx = tid + r * NTHREADS;                                          \
        const int ii = transa ? idx / BK : idx % BM;                                 \
        const int ll = transa ? idx % BK : idx / BM;                                 \
        As[s][ll * A_LD + ii] = next_a[r];                                           \
      }                                                                              \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < B_PER_THREAD; ++r) {                                       \
        const int idx = tid + r * NTHREADS;                                          \
        const int jj = transb ? idx % BN : idx / BK;                                 \
        const int ll = transb ? idx / BN : idx % BK;                                 \
        Bs[s][ll * B_LD + jj] = next_b[r];                                           \
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
          b[nt][0] = Bs[s][(kk + t) * B_LD + col];                                   \
          b[nt][1] = Bs[s][(kk + t + 4) * B_LD + col];                               \
        }                                                                            \
        /* One A fragment live at a time keeps registers for the accumulators. */    \
        _Pragma("unroll")                                                            \
        for (int mt = 0; mt < TILES_M; ++mt) {                                       \
          const int row = wm0 + mt * 16 + g;                                         \
          double a[4];                                                               \
          a[0] = As[s][(kk + t) * A_LD + row];                                       \
          a[1] = As[s][(kk + t) * A_LD + row + 8];                                   \
          a[2] = As[s][(kk + t + 4) * A_LD + row];                                   \
          a[3] = As[s][(kk + t + 4) * A_LD + row + 8];                               \
          _Pragma("unroll")                                                          \
          for (int nt = 0; nt < TILES_N; ++nt) {                                     \
            MMA_16x8x8(acc[mt][nt], a, b[nt]);                                       \
          }                                                                          \
        }                                                                            \
      }                                                                              \
    } while (0)

  FETCH(0);
#if STAGES == 2
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
