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
// swizzled buffers), GROUP_M (tile-order swizzle, 0 for none), COPY16 (1: the 16-byte
// cp.async path below with STAGES buffers, 2 to 4) and MMA_K (8 or 16: the mma shape
// m16n8k8 or m16n8k16 of the COPY16 path; the other paths use m16n8k8) and FRAG_PIPE
// (COPY16 with 3 or 4 stages: the next mma step's B and first FRAG_PIPE A fragments are
// loaded during the current one; 0: off). Experiments only (a
// kernel file read through LAPACK_AI_KERNEL_DIR defines them): PREFETCH 2 (two slices
// in registers), DIAG 1/2 (see below), SPECIALIZE 0 (one generic copy of the tile code).
// The 128x128x8 tile staged through registers uses 246 of the 255 registers a thread may
// have at 256 threads, without spills; a second register-staged slice fits only with the
// transposes specialized and is slower (BENCHMARKS.md, "GPU: DGEMM kernel limits and
// tiles"). The default is now COPY16 on 128x64x8 tiles in 4 stages (226 registers, two
// work-groups an SM; "GPU: 16-byte asynchronous copies and 16-deep slices"), its copies
// on running pointers and issued between the mma of a slice, not before them ("GPU:
// copies off the tensor cores' critical path": 8-11% faster on an H100).

#ifndef COPY16
#define COPY16 0
#endif
#ifndef MMA_K
#define MMA_K 8
#endif
#ifndef FRAG_PIPE
#define FRAG_PIPE 0
#endif
// COPY16 path, defaults measured best on an H100 (BENCHMARKS.md, "GPU: copies off the
// tensor cores' critical path"); kernel files read through LAPACK_AI_KERNEL_DIR may set
// them otherwise. COPY_PTRS 1: the 16-byte copies run on running source pointers (0:
// index arithmetic per copy). ISSUE_AT: the mma tile row of a slice's first step after
// which the copies of a later slice are issued (-1: before the slice's first mma).
// A_K8 1: op(A) fragments in k rows (TN, TT) through 8-byte local loads straight into
// the mma's register order (0: 16-byte loads, then register moves).
#ifndef COPY_PTRS
#define COPY_PTRS 1
#endif
#ifndef ISSUE_AT
#define ISSUE_AT 0
#endif
#ifndef A_K8
#define A_K8 1
#endif
// With COPY_PTRS, op(A)'s copies go in two halves, after tile rows ISSUE_AT and
// ISSUE_A2_AT, and op(B)'s (with the commit) after row ISSUE_B_AT; ISSUE_AT <=
// ISSUE_A2_AT <= ISSUE_B_AT. CP16_CLOBBER 0 drops the "memory" clobber of the copies,
// so that the compiler may hoist later fragment loads above them (the wait and the
// barrier still order every access to a buffer).
#ifndef ISSUE_A2_AT
#define ISSUE_A2_AT ISSUE_AT
#endif
// Measured on an H100: op(B)'s copies one tile row later than op(A)'s pay for NN/NT
// (3-8%) and cost TN/TT 12% at n = 16384 (op(A) in k rows), so the row depends on
// transa (a literal in each specialized copy of the tile code).
#ifndef ISSUE_B_AT_N
#define ISSUE_B_AT_N 1
#endif
#ifndef ISSUE_B_AT_T
#define ISSUE_B_AT_T 0
#endif
#ifndef ISSUE_B_AT
#define ISSUE_B_AT (transa ? ISSUE_B_AT_T : ISSUE_B_AT_N)
#endif
#ifndef CP16_CLOBBER
#define CP16_CLOBBER 1
#endif
// MBAR 1 (experiment; COPY16 without FRAG_PIPE): per-stage mbarriers instead of a
// work-group barrier a slice (2 x STAGES x 8 bytes more local memory).
#ifndef MBAR
#define MBAR 0
#endif
#if MBAR
#define MBAR_PARAM , __local ulong* mbar
#define MBAR_ARG , mbar
#else
#define MBAR_PARAM
#define MBAR_ARG
#endif

#define WARPS_M (BM / WM)
#define WARPS_N (BN / WN)
#define NTHREADS (WARPS_M * WARPS_N * 32)
#define TILES_M (WM / 16)
#define TILES_N (WN / 8)
#if COPY16
// 16-byte cp.async path: STAGES unpadded slices. Each operand keeps its storage's
// contiguous direction in local memory, so that every 16-byte copy lands whole: op(A)
// of NN/NT (columns of A) and op(B) of NT/TT (rows of B) as one row per k ("m/n rows",
// BM or BN long), op(A) of TN/TT and op(B) of NN/TN as one row per m or n ("k rows",
// BK long). The mma's k order is free as long as A and B agree: a lane's fragment
// elements k' = t, t + 4 (, t + 8, t + 12) are taken at KSTEP consecutive k, so a k row
// yields two of them in one 16-byte load. On m/n rows the A fragment's rows g and g + 8
// are taken at the adjacent rows 2g and 2g + 1 (one 16-byte load); C is stored back in
// the same order. Swizzles keep a quarter-warp's 16-byte loads and a half-warp's 8-byte
// loads on distinct banks: m/n rows XOR element bits 2-3 with the lane's k group, k rows
// of 16 XOR odd rows by half a row (m16n8k8) or by one 16-byte pair (m16n8k16).
#define A_LD BM
#define B_LD BN
#define SWZ(l) 0
#define NBUF STAGES
#define KSTEP (MMA_K / 4)
#define MN_AT(l, i, len) ((l) * (len) + ((i) ^ ((((l) / KSTEP) & 3) << 2)))
#if BK == 16
#define K_SWZ(r) (((r) & 1) * (MMA_K == 16 ? 2 : 8))
#else
#define K_SWZ(r) 0
#endif
#define K_AT(r, l) ((r) * BK + ((l) ^ K_SWZ(r)))
#define A_AT(i, l) (transa ? K_AT(i, l) : MN_AT(l, i, BM))
#define B_AT(l, j) (transb ? MN_AT(l, j, BN) : K_AT(j, l))
#elif STAGES == 3
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

// d := a * b + d on one 16 x 8 tile, a 16 x 16 and b 16 x 8: as two m16n8k8 in one
// instruction, a[4..7] and b[2..3] holding k' = t + 8, t + 12.
#define MMA_16x8x16(d, a, b)                                                         \
  __asm__ __volatile__(                                                              \
      "mma.sync.aligned.m16n8k16.row.col.f64.f64.f64.f64 "                           \
      "{%0, %1, %2, %3}, {%4, %5, %6, %7, %8, %9, %10, %11}, {%12, %13, %14, %15}, " \
      "{%0, %1, %2, %3};"                                                            \
      : "+d"(d[0]), "+d"(d[1]), "+d"(d[2]), "+d"(d[3])                               \
      : "d"(a[0]), "d"(a[1]), "d"(a[2]), "d"(a[3]), "d"(a[4]), "d"(a[5]), "d"(a[6]), \
        "d"(a[7]), "d"(b[0]), "d"(b[1]), "d"(b[2]), "d"(b[3]))
#if MMA_K == 16
#define MMA_FRAG MMA_16x8x16
#else
#define MMA_FRAG MMA_16x8x8
#endif

// The whole product for one tile of C; `transa` and `transb` are literals at the calls
// below when SPECIALIZE is on, so each transpose case gets its own code and registers.
static inline __attribute__((always_inline))
void dgemm_tile(const int M, const int N, const int K,
                const double alpha, const double beta, const int beta_zero,
                const int transa, const int transb, const int al16,
                __global const double* restrict A, const int lda,
                __global const double* restrict B, const int ldb,
                __global double* C, const int ldc,
                const ulong a_off, const ulong b_off, const ulong c_off,
                // STAGES slices of op(A) and op(B) in local memory:
                // As[s][l * A_LD + i] = op(A)[i0 + i, l0 + l], Bs likewise for op(B).
                __local double (*As)[BK * A_LD], __local double (*Bs)[BK * B_LD]
                MBAR_PARAM)
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

#if COPY16
  // Slices land in local memory through 16-byte cp.async (no registers): STAGES - 1
  // slices in flight while one is multiplied, one barrier a step. Each thread waits for
  // its own copies (wait_group), the barrier makes everyone's visible and frees the
  // buffer multiplied in the previous step for the slice STAGES - 1 ahead. Operands at
  // odd offsets or leading dimensions (not 16-byte aligned) take two 8-byte copies.
  // The 16-byte copies go through L1 (.ca): 12-18% faster than L2 only (.cg, kept as the
  // experiment CP16_CG 1) for the default tiles on an H200 (BENCHMARKS.md).
#if defined(CP16_CG) && CP16_CG
  #define CP16_OP "cp.async.cg.shared.global"
#else
  #define CP16_OP "cp.async.ca.shared.global"
#endif
#if CP16_CLOBBER
  #define CP16_MEM : "memory"
#else
  #define CP16_MEM
#endif
  #define CP16(dst, src)                                                             \
    do {                                                                             \
      if (al16) {                                                                    \
        __asm__ __volatile__(CP16_OP " [%0], [%1], 16;"                              \
                             :: "r"((uint)(size_t)(dst)), "l"(src) CP16_MEM);        \
      } else {                                                                       \
        __asm__ __volatile__("cp.async.ca.shared.global [%0], [%1], 8;"              \
                             :: "r"((uint)(size_t)(dst)), "l"(src) CP16_MEM);        \
        __asm__ __volatile__("cp.async.ca.shared.global [%0], [%1], 8;"              \
                             :: "r"((uint)(size_t)((dst) + 1)), "l"((src) + 1)       \
                             CP16_MEM);                                              \
      }                                                                              \
    } while (0)
  #define CP16_COMMIT() __asm__ __volatile__("cp.async.commit_group;" ::: "memory")
#if STAGES == 2
  #define CP16_WAIT() __asm__ __volatile__("cp.async.wait_group 0;" ::: "memory")
#elif STAGES == 3
  #define CP16_WAIT() __asm__ __volatile__("cp.async.wait_group 1;" ::: "memory")
#else
  #define CP16_WAIT() __asm__ __volatile__("cp.async.wait_group 2;" ::: "memory")
#endif
  // 16-byte pairs of a slice: along the operand's contiguous direction first.
  #define A_PAIRS (BM * BK / 2)
  #define B_PAIRS (BK * BN / 2)
#if COPY_PTRS && A_PAIRS % NTHREADS == 0 && B_PAIRS % NTHREADS == 0 \
    && NTHREADS % (BM / 2) == 0 && NTHREADS % (BN / 2) == 0
  // Each thread's pairs of a slice are a fixed number of rows (or columns) of the
  // operand apart, so its copies run on two running source pointers (one add a copy,
  // no index arithmetic in the loop): (a_i, a_l) is its first pair of op(A) in the
  // tile, (a_di, a_dl) the step between its pairs, a_rs and a_ks the same step and the
  // step between slices in elements of A; likewise for op(B). ISSUE16 takes the slices
  // in order, the first at l0 = 0.
  const int a_i = transa ? tid / (BK / 2) : 2 * (tid % (BM / 2));
  const int a_l = transa ? 2 * (tid % (BK / 2)) : tid / (BM / 2);
  const int a_di = transa ? NTHREADS / (BK / 2) : 0;
  const int a_dl = transa ? 0 : NTHREADS / (BM / 2);
  const int b_j = transb ? 2 * (tid % (BN / 2)) : tid / (BK / 2);
  const int b_l = transb ? tid / (BN / 2) : 2 * (tid % (BK / 2));
  const int b_dj = transb ? 0 : NTHREADS / (BK / 2);
  const int b_dl = transb ? NTHREADS / (BN / 2) : 0;
  __global const double* a_src =
      A + (size_t)(i0 + a_i) * (transa ? lda : 1) + (size_t)a_l * (transa ? 1 : lda);
  __global const double* b_src =
      B + (size_t)(j0 + b_j) * (transb ? 1 : ldb) + (size_t)b_l * (transb ? ldb : 1);
  const size_t a_rs = (size_t)(a_di + a_dl) * lda;
  const size_t b_rs = (size_t)(b_dj + b_dl) * ldb;
  const size_t a_ks = transa ? BK : (size_t)BK * lda;
  const size_t b_ks = transb ? (size_t)BK * ldb : BK;
  // op(A)'s copies in two parts: rounds [0, A_HALF) and [A_HALF, A_PAIRS / NTHREADS).
  #define A_HALF ((A_PAIRS / NTHREADS + 1) / 2)
  #define ISSUE16_A1(l0, s)                                                          \
    do {                                                                             \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < A_HALF; ++r) {                                             \
        CP16(&As[s][A_AT(a_i + r * a_di, a_l + r * a_dl)], a_src + r * a_rs);       \
      }                                                                              \
    } while (0)
  #define ISSUE16_A2(l0, s)                                                          \
    do {                                                                             \
      _Pragma("unroll")                                                              \
      for (int r = A_HALF; r < A_PAIRS / NTHREADS; ++r) {                            \
        CP16(&As[s][A_AT(a_i + r * a_di, a_l + r * a_dl)], a_src + r * a_rs);       \
      }                                                                              \
      a_src += a_ks;                                                                 \
    } while (0)
  #define ISSUE16_A(l0, s) do { ISSUE16_A1(l0, s); ISSUE16_A2(l0, s); } while (0)
  #define ISSUE16_B(l0, s)                                                           \
    do {                                                                             \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < B_PAIRS / NTHREADS; ++r) {                                 \
        CP16(&Bs[s][B_AT(b_l + r * b_dl, b_j + r * b_dj)], b_src + r * b_rs);       \
      }                                                                              \
      b_src += b_ks;                                                                 \
    } while (0)
  #define ISSUE16(l0, s) do { ISSUE16_A(l0, s); ISSUE16_B(l0, s); } while (0)
#else
  #define ISSUE16_A(l0, s) ISSUE16(l0, s)
  #define ISSUE16_A1(l0, s) ISSUE16(l0, s)
  #define ISSUE16_A2(l0, s) do {} while (0)
  #define ISSUE16_B(l0, s) do {} while (0)
  #define ISSUE16(l0, s)                                                             \
    do {                                                                             \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < (A_PAIRS + NTHREADS - 1) / NTHREADS; ++r) {                \
        const int idx = tid + r * NTHREADS;                                          \
        if (A_PAIRS % NTHREADS == 0 || idx < A_PAIRS) {                              \
          const int ii = transa ? idx / (BK / 2) : 2 * (idx % (BM / 2));             \
          const int ll = transa ? 2 * (idx % (BK / 2)) : idx / (BM / 2);             \
          CP16(&As[s][A_AT(ii, ll)], A + (i0 + ii) * (size_t)(transa ? lda : 1)     \
                                      + ((l0) + ll) * (size_t)(transa ? 1 : lda));   \
        }                                                                            \
      }                                                                              \
      _Pragma("unroll")                                                              \
      for (int r = 0; r < (B_PAIRS + NTHREADS - 1) / NTHREADS; ++r) {                \
        const int idx = tid + r * NTHREADS;                                          \
        if (B_PAIRS % NTHREADS == 0 || idx < B_PAIRS) {                              \
          const int jj = transb ? 2 * (idx % (BN / 2)) : idx / (BK / 2);             \
          const int ll = transb ? idx / (BN / 2) : 2 * (idx % (BK / 2));             \
          CP16(&Bs[s][B_AT(ll, jj)], B + (j0 + jj) * (size_t)(transb ? 1 : ldb)     \
                                      + ((l0) + ll) * (size_t)(transb ? ldb : 1));   \
        }                                                                            \
      }                                                                              \
    } while (0)
#endif
  #define LD2(buf, at) (*(__local const double2*)&(buf)[at])
  #define LDS8(x, p)                                                                 \
    __asm__ __volatile__("ld.shared.f64 %0, [%1];"                                   \
                         : "=d"(x) : "r"((uint)(size_t)(p)) : "memory")
  // This lane's B fragment of 8-column tile nt (bb[q]: k' number q) and A fragment of
  // 16-row tile mt (aa[e + 2q]: row e, 0: g, 1: g + 8, k' number q) from buffer s, the
  // lane's first k of the step at kq.
  #define LOAD_B16(s, kq, nt, bb)                                                    \
    do {                                                                             \
      const int col = wn0 + (nt) * 8 + g;                                            \
      _Pragma("unroll")                                                              \
      for (int q = 0; q < KSTEP; q += 2) {                                           \
        if (transb) {                                                                \
          bb[q] = Bs[s][MN_AT((kq) + q, col, BN)];                                   \
          bb[q + 1] = Bs[s][MN_AT((kq) + q + 1, col, BN)];                           \
        } else {                                                                     \
          const double2 v = LD2(Bs[s], K_AT(col, (kq) + q));                         \
          bb[q] = v.x;                                                               \
          bb[q + 1] = v.y;                                                           \
        }                                                                            \
      }                                                                              \
    } while (0)
  #define LOAD_A16(s, kq, mt, aa)                                                    \
    do {                                                                             \
      const int base = wm0 + (mt) * 16;                                              \
      _Pragma("unroll")                                                              \
      for (int q = 0; q < KSTEP; q += 2) {                                           \
        if (transa && A_K8) {                                                        \
          /* 8-byte loads straight into the fragment's order (16-byte ones hold */  \
          /* two k of one row, which the mma wants in different registers). */      \
          /* (asm: the compiler would merge adjacent ones into 16-byte loads) */    \
          LDS8(aa[2 * q], &As[s][K_AT(base + g, (kq) + q)]);                         \
          LDS8(aa[2 * q + 1], &As[s][K_AT(base + g + 8, (kq) + q)]);                 \
          LDS8(aa[2 * q + 2], &As[s][K_AT(base + g, (kq) + q + 1)]);                 \
          LDS8(aa[2 * q + 3], &As[s][K_AT(base + g + 8, (kq) + q + 1)]);             \
        } else if (transa) {                                                         \
          const double2 v0 = LD2(As[s], K_AT(base + g, (kq) + q));                   \
          const double2 v1 = LD2(As[s], K_AT(base + g + 8, (kq) + q));               \
          aa[2 * q] = v0.x;                                                          \
          aa[2 * q + 2] = v0.y;                                                      \
          aa[2 * q + 1] = v1.x;                                                      \
          aa[2 * q + 3] = v1.y;                                                      \
        } else {                                                                     \
          const double2 v0 = LD2(As[s], MN_AT((kq) + q, base + 2 * g, BM));          \
          const double2 v1 = LD2(As[s], MN_AT((kq) + q + 1, base + 2 * g, BM));      \
          aa[2 * q] = v0.x;                                                          \
          aa[2 * q + 1] = v0.y;                                                      \
          aa[2 * q + 2] = v1.x;                                                      \
          aa[2 * q + 3] = v1.y;                                                      \
        }                                                                            \
      }                                                                              \
    } while (0)
#if FRAG_PIPE == 0
  // acc += the slice in buffer s; ISSUE_A and ISSUE_B (the copies of op(A) and op(B)
  // of a later slice) run after the mma of tile rows ISSUE_AT and ISSUE_B_AT of the
  // first step, so that the tensor cores start on this slice before the copy
  // instructions are issued (ISSUE_AT < 0: before any mma).
  #define COMPUTE16(s, ISSUE_A, ISSUE_A2, ISSUE_B)                                   \
    do {                                                                             \
      if (ISSUE_AT < 0) { ISSUE_A; ISSUE_A2; ISSUE_B; }                              \
      _Pragma("unroll")                                                              \
      for (int kk = 0; kk < BK; kk += MMA_K) {                                       \
        const int kq = kk + KSTEP * t;                                               \
        double b[TILES_N][KSTEP];                                                    \
        _Pragma("unroll")                                                            \
        for (int nt = 0; nt < TILES_N; ++nt) { LOAD_B16(s, kq, nt, b[nt]); }         \
        _Pragma("unroll")                                                            \
        for (int mt = 0; mt < TILES_M; ++mt) {                                       \
          double a[2 * KSTEP];                                                       \
          LOAD_A16(s, kq, mt, a);                                                    \
          _Pragma("unroll")                                                          \
          for (int nt = 0; nt < TILES_N; ++nt) {                                     \
            MMA_FRAG(acc[mt][nt], a, b[nt]);                                         \
          }                                                                          \
          if (kk == 0 && mt == (ISSUE_AT < TILES_M ? ISSUE_AT : TILES_M - 1)) {      \
            ISSUE_A;                                                                 \
          }                                                                          \
          if (kk == 0 && ISSUE_AT >= 0                                               \
              && mt == (ISSUE_A2_AT < TILES_M ? ISSUE_A2_AT : TILES_M - 1)) {        \
            ISSUE_A2;                                                                \
          }                                                                          \
          if (kk == 0 && ISSUE_AT >= 0                                               \
              && mt == (ISSUE_B_AT < TILES_M ? ISSUE_B_AT : TILES_M - 1)) {          \
            ISSUE_B;                                                                 \
          }                                                                          \
        }                                                                            \
      }                                                                              \
    } while (0)
#if MBAR
  // Experiment: per-stage mbarriers instead of one work-group barrier a slice. full[s]
  // completes when every thread's copies into stage s have landed (each thread's
  // cp.async.mbarrier.arrive), empty[s] when every thread has read it; a thread waits
  // only for the slice it multiplies and, before refilling a stage, for its readers.
  __local ulong* full = mbar;
  __local ulong* empty = mbar + STAGES;
  #define MB_ADDR(p) ((uint)(size_t)(p))
  #define MB_INIT(p, n)                                                              \
    __asm__ __volatile__("mbarrier.init.shared.b64 [%0], %1;"                        \
                         :: "r"(MB_ADDR(p)), "r"(n) : "memory")
  #define MB_CP_ARRIVE(p)                                                            \
    __asm__ __volatile__("cp.async.mbarrier.arrive.noinc.shared.b64 [%0];"           \
                         :: "r"(MB_ADDR(p)) : "memory")
  #define MB_ARRIVE(p)                                                               \
    __asm__ __volatile__("{ .reg .b64 st; mbarrier.arrive.shared.b64 st, [%0]; }"    \
                         :: "r"(MB_ADDR(p)) : "memory")
  #define MB_WAIT(p, parity)                                                         \
    do {                                                                             \
      uint done_;                                                                    \
      do {                                                                           \
        __asm__ __volatile__("{ .reg .pred q; "                                      \
                             "mbarrier.try_wait.parity.shared.b64 q, [%1], %2; "     \
                             "selp.u32 %0, 1, 0, q; }"                               \
                             : "=r"(done_) : "r"(MB_ADDR(p)), "r"(parity)            \
                             : "memory");                                            \
      } while (!done_);                                                              \
    } while (0)
  if (tid == 0) {
    for (int s = 0; s < STAGES; ++s) {
      MB_INIT(&full[s], NTHREADS);
      MB_INIT(&empty[s], NTHREADS);
    }
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = 0; s < STAGES - 1; ++s) {
    if (s * BK < K) {
      ISSUE16(s * BK, s);
      MB_CP_ARRIVE(&full[s]);
    }
  }
  // Bit s: parity of the next wait on full[s] / empty[s].
  uint full_par = 0, empty_par = 0;
  int cur = 0;
  for (int l0 = 0; l0 < K; l0 += BK) {
    MB_WAIT(&full[cur], (full_par >> cur) & 1);
    full_par ^= 1u << cur;
    const int fill = cur == 0 ? STAGES - 1 : cur - 1;
    const int more = l0 + (STAGES - 1) * BK < K;
    #define MB_ISSUE_A                                                               \
      do {                                                                           \
        if (more) {                                                                  \
          if (l0 > 0) {                                                              \
            MB_WAIT(&empty[fill], (empty_par >> fill) & 1);                          \
            empty_par ^= 1u << fill;                                                 \
          }                                                                          \
          ISSUE16_A(l0 + (STAGES - 1) * BK, fill);                                   \
        }                                                                            \
      } while (0)
    #define MB_ISSUE_B                                                               \
      do {                                                                           \
        if (more) {                                                                  \
          ISSUE16_B(l0 + (STAGES - 1) * BK, fill);                                   \
          MB_CP_ARRIVE(&full[fill]);                                                 \
        }                                                                            \
      } while (0)
    COMPUTE16(cur, MB_ISSUE_A, do {} while (0), MB_ISSUE_B);
    MB_ARRIVE(&empty[cur]);
    cur = cur == STAGES - 1 ? 0 : cur + 1;
  }
#else
  for (int s = 0; s < STAGES - 1; ++s) {
    if (s * BK < K) { ISSUE16(s * BK, s); }
    CP16_COMMIT();
  }
  int cur = 0;
  // DIAG (experiments): 1 issues no copies after the prologue, 2 skips the mma.
  const int diag = DIAG ? K > 2 * BK : 0;
  const int skip_copies = DIAG == 1 ? diag : 0;
  const int skip_mma = DIAG == 2 ? diag : 0;
  for (int l0 = 0; l0 < K; l0 += BK) {
    CP16_WAIT();
    barrier(CLK_LOCAL_MEM_FENCE);
    const int fill = cur == 0 ? STAGES - 1 : cur - 1;
    const int more = (l0 + (STAGES - 1) * BK < K) & !skip_copies;
    #define ISSUE_NEXT_A                                                             \
      do {                                                                           \
        if (more) { ISSUE16_A1(l0 + (STAGES - 1) * BK, fill); }                      \
      } while (0)
    #define ISSUE_NEXT_A2                                                            \
      do {                                                                           \
        if (more) { ISSUE16_A2(l0 + (STAGES - 1) * BK, fill); }                      \
      } while (0)
    #define ISSUE_NEXT_B                                                             \
      do {                                                                           \
        if (more) { ISSUE16_B(l0 + (STAGES - 1) * BK, fill); }                       \
        CP16_COMMIT();                                                               \
      } while (0)
    if (skip_mma) {
      ISSUE_NEXT_A;
      ISSUE_NEXT_A2;
      ISSUE_NEXT_B;
    } else {
      COMPUTE16(cur, ISSUE_NEXT_A, ISSUE_NEXT_A2, ISSUE_NEXT_B);
    }
    cur = cur == STAGES - 1 ? 0 : cur + 1;
  }
#if DIAG == 2
  if (diag) { acc[0][0][0] += As[0][tid] + Bs[0][tid]; }
#endif
#endif
#else
  // Fragment pipelining: the B fragments and the first FRAG_PIPE A fragments of the
  // next mma step are loaded while the tensor cores work on the current one; across a
  // slice boundary that needs the next slice in local memory already, so the barrier
  // sits before the last step of a slice and waits for slice l + 1 (STAGES - 2 slices
  // ahead are in flight, one fewer than without). The copies for slice l + STAGES - 1
  // are issued right after that barrier, into the buffer of slice l - 1, which every
  // thread has finished reading by then.
#if STAGES < 3 || BK / MMA_K > 2
#error "FRAG_PIPE needs 3 or 4 stages and at most two mma steps a slice"
#endif
#if STAGES == 3
  #define CP16_WAIT_NEXT() __asm__ __volatile__("cp.async.wait_group 0;" ::: "memory")
#else
  #define CP16_WAIT_NEXT() __asm__ __volatile__("cp.async.wait_group 1;" ::: "memory")
#endif
  double fb0[TILES_N][KSTEP], fb1[TILES_N][KSTEP];
  double fa0[FRAG_PIPE][2 * KSTEP], fa1[FRAG_PIPE][2 * KSTEP];
  #define PREFETCH16(s, kk, FA, FB)                                                  \
    do {                                                                             \
      const int kq = (kk) + KSTEP * t;                                               \
      _Pragma("unroll")                                                              \
      for (int nt = 0; nt < TILES_N; ++nt) { LOAD_B16(s, kq, nt, FB[nt]); }          \
      _Pragma("unroll")                                                              \
      for (int mt = 0; mt < FRAG_PIPE; ++mt) { LOAD_A16(s, kq, mt, FA[mt]); }        \
    } while (0)
  // acc += one mma step of buffer s, its B and first A fragments already in FA, FB.
  #define MMAS16(s, kk, FA, FB)                                                      \
    do {                                                                             \
      const int kq = (kk) + KSTEP * t;                                               \
      _Pragma("unroll")                                                              \
      for (int mt = 0; mt < TILES_M; ++mt) {                                         \
        double a[2 * KSTEP];                                                         \
        if (mt < FRAG_PIPE) {                                                        \
          _Pragma("unroll")                                                          \
          for (int i = 0; i < 2 * KSTEP; ++i) { a[i] = FA[mt < FRAG_PIPE ? mt : 0][i]; } \
        } else {                                                                     \
          LOAD_A16(s, kq, mt, a);                                                    \
        }                                                                            \
        _Pragma("unroll")                                                            \
        for (int nt = 0; nt < TILES_N; ++nt) {                                       \
          MMA_FRAG(acc[mt][nt], a, FB[nt]);                                          \
        }                                                                            \
      }                                                                              \
    } while (0)
  // The slice at L (buffer cur), its first step's fragments in FA, FB; leaves the next
  // slice's first step in FAN, FBN.
  #define BOUNDARY(L, FAN, FBN)                                                      \
    do {                                                                             \
      CP16_WAIT_NEXT();                                                              \
      barrier(CLK_LOCAL_MEM_FENCE);                                                  \
      const int fill = cur == 0 ? STAGES - 1 : cur - 1;                              \
      if ((L) + (STAGES - 1) * BK < K) { ISSUE16((L) + (STAGES - 1) * BK, fill); }   \
      CP16_COMMIT();                                                                 \
      if ((L) + BK < K) { PREFETCH16(nxt, 0, FAN, FBN); }                            \
    } while (0)
  #define PIPE_SLICE(L, FA, FB, FAN, FBN)                                            \
    do {                                                                             \
      const int nxt = cur == STAGES - 1 ? 0 : cur + 1;                               \
      if (BK == MMA_K) {                                                             \
        BOUNDARY(L, FAN, FBN);                                                       \
        MMAS16(cur, 0, FA, FB);                                                      \
      } else {                                                                       \
        PREFETCH16(cur, MMA_K, FAN, FBN);                                            \
        MMAS16(cur, 0, FA, FB);                                                      \
        BOUNDARY(L, FA, FB);                                                         \
        MMAS16(cur, MMA_K, FAN, FBN);                                                \
      }                                                                              \
      cur = nxt;                                                                     \
    } while (0)
  for (int s = 0; s < STAGES - 1; ++s) {
    if (s * BK < K) { ISSUE16(s * BK, s); }
    CP16_COMMIT();
  }
  CP16_WAIT();
  barrier(CLK_LOCAL_MEM_FENCE);
  PREFETCH16(0, 0, fa0, fb0);
  int cur = 0;
  if (BK == MMA_K) {
    // One step a slice: the fragment sets alternate between slices.
    for (int l0 = 0; l0 < K; l0 += 2 * BK) {
      PIPE_SLICE(l0, fa0, fb0, fa1, fb1);
      if (l0 + BK < K) { PIPE_SLICE(l0 + BK, fa1, fb1, fa0, fb0); }
    }
  } else {
    for (int l0 = 0; l0 < K; l0 += BK) { PIPE_SLICE(l0, fa0, fb0, fa1, fb1); }
  }
#endif
#elif STAGES == 3
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
#if COPY16 || STAGES == 3
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

  // Row (in its 16-row mma tile) of accumulator row e (0: mma row g, 1: g + 8).
#if COPY16
#define FRAG_ROW(e) (transa ? g + 8 * (e) : 2 * g + (e))
#else
#define FRAG_ROW(e) (g + 8 * (e))
#endif
  #pragma unroll
  for (int mt = 0; mt < TILES_M; ++mt) {
    #pragma unroll
    for (int nt = 0; nt < TILES_N; ++nt) {
      #pragma unroll
      for (int e = 0; e < 4; ++e) {
        const int gi = i0 + wm0 + mt * 16 + FRAG_ROW(e / 2);
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

// A register cap (MAX_REGS, the host's -cl-nv-maxrregcount) only takes effect without
// reqd_work_group_size: the assembler then sizes registers for that work-group size.
#if !defined(MAX_REGS) || MAX_REGS == 0
__kernel __attribute__((reqd_work_group_size(NTHREADS, 1, 1)))
#else
__kernel
#endif
void dgemm_mma(const int M, const int N, const int K,
               const double alpha, const double beta, const int beta_zero,
               const int transa, const int transb,
               __global const double* restrict A, const int lda,
               __global const double* restrict B, const int ldb,
               __global double* C, const int ldc,
               const ulong a_off, const ulong b_off, const ulong c_off)
{
  // 16-byte aligned for the 16-byte copies and loads of the COPY16 path.
  __local double As[NBUF][BK * A_LD] __attribute__((aligned(16)));
  __local double Bs[NBUF][BK * B_LD] __attribute__((aligned(16)));
#if MBAR
  __local ulong mbar[2 * STAGES] __attribute__((aligned(8)));
#endif
  // Operands at odd offsets or leading dimensions are not 16-byte aligned: the COPY16
  // path then takes two 8-byte copies for each 16-byte one (its own copy of the code).
  const int al16 = ((a_off | b_off | (ulong)lda | (ulong)ldb) & 1) == 0;
#define TILE(ta, tb, al)                                                             \
  dgemm_tile(M, N, K, alpha, beta, beta_zero, ta, tb, al, A, lda, B, ldb, C, ldc,    \
             a_off, b_off, c_off, As, Bs MBAR_ARG)
#if SPECIALIZE && COPY16
#define TILES_AL(ta, tb) if (al16) { TILE(ta, tb, 1); } else { TILE(ta, tb, 0); }
#else
#define TILES_AL(ta, tb) TILE(ta, tb, al16)
#endif
#if SPECIALIZE
  if (transa) {
    if (transb) { TILES_AL(1, 1) } else { TILES_AL(1, 0) }
  } else {
    if (transb) { TILES_AL(0, 1) } else { TILES_AL(0, 0) }
  }
#else
  TILE(transa, transb, al16);
#endif
}
