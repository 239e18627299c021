// Portable tiled GEMM, column-major, OpenCL C 1.2:
//   C := alpha * op(A) * op(B) + beta * C,   op(A) M x K, op(B) K x N, C M x N.
// op() is chosen at run time by (trans, conj) flags, so one program serves N/T/C.
// Every work-group computes an MWG x NWG tile of C from KWG-deep slices of op(A) and op(B)
// staged in local memory; every work-item holds an MWI x NWI register block
// (MWI = MWG / MDIMC, NWI = NWG / NDIMC), strided by MDIMC / NDIMC so that neighbours
// read neighbouring local words. Edge tiles are zero-filled on load and masked on store,
// so any M, N, K works. The operands start a_off, b_off, c_off elements into their
// buffers (blocked SYRK/TRSM run on sub-blocks of one upload). beta_zero != 0 means C
// is written without being read (BLAS: NaN or Inf already in C must not leak).
//
// Tuning parameters (prepended as #defines by the host from its device table):
//   MWG, NWG, KWG, MDIMC, NDIMC; PADA/PADB (local-memory padding, default 1).

#ifndef PADA
#define PADA 1
#endif
#ifndef PADB
#define PADB 1
#endif
#define MWI (MWG / MDIMC)
#define NWI (NWG / NDIMC)
#define NTHREADS (MDIMC * NDIMC)

__kernel __attribute__((reqd_work_group_size(MDIMC, NDIMC, 1)))
void xgemm(const int M, const int N, const int K,
           const real alpha, const real beta, const int beta_zero,
           const int transa, const int conja, const int transb, const int conjb,
           __global const real* restrict A, const int lda,
           __global const real* restrict B, const int ldb,
           __global real* C, const int ldc,
           const ulong a_off, const ulong b_off, const ulong c_off)
{
  // Element offsets of op(A), op(B) and C in their buffers: sub-blocks of one upload.
  A += a_off;
  B += b_off;
  C += c_off;
  __local real Alm[KWG][MWG + PADA];   // Alm[l][i] = op(A)[i0 + i, l0 + l]
  __local real Blm[KWG][NWG + PADB];   // Blm[l][j] = op(B)[l0 + l, j0 + j]

  const int tm = get_local_id(0);
  const int tn = get_local_id(1);
  const int tid = tn * MDIMC + tm;
  const int i0 = get_group_id(0) * MWG;
  const int j0 = get_group_id(1) * NWG;

  real acc[MWI][NWI];
  #pragma unroll
  for (int mi = 0; mi < MWI; ++mi) {
    #pragma unroll
    for (int ni = 0; ni < NWI; ++ni) {
      acc[mi][ni] = ZERO;
    }
  }

  for (int l0 = 0; l0 < K; l0 += KWG) {
    // op(A) tile: the contiguous direction of A in memory is the fastest thread index.
    for (int idx = tid; idx < MWG * KWG; idx += NTHREADS) {
      int ii, ll;
      if (transa) { ll = idx % KWG; ii = idx / KWG; } else { ii = idx % MWG; ll = idx / MWG; }
      const int gi = i0 + ii;
      const int gl = l0 + ll;
      real v = ZERO;
      if (gi < M && gl < K) {
        v = transa ? A[gl + (size_t)gi * lda] : A[gi + (size_t)gl * lda];
        if (conja) { v = CONJ(v); }
      }
      Alm[ll][ii] = v;
    }
    // op(B) tile.
    for (int idx = tid; idx < KWG * NWG; idx += NTHREADS) {
      int ll, jj;
      if (transb) { jj = idx % NWG; ll = idx / NWG; } else { ll = idx % KWG; jj = idx / KWG; }
      const int gj = j0 + jj;
      const int gl = l0 + ll;
      real v = ZERO;
      if (gj < N && gl < K) {
        v = transb ? B[gj + (size_t)gl * ldb] : B[gl + (size_t)gj * ldb];
        if (conjb) { v = CONJ(v); }
      }
      Blm[ll][jj] = v;
    }
    barrier(CLK_LOCAL_MEM_FENCE);

    #pragma unroll 4
    for (int l = 0; l < KWG; ++l) {
      real a[MWI];
      real b[NWI];
      #pragma unroll
      for (int mi = 0; mi < MWI; ++mi) { a[mi] = Alm[l][tm + mi * MDIMC]; }
      #pragma unroll
      for (int ni = 0; ni < NWI; ++ni) { b[ni] = Blm[l][tn + ni * NDIMC]; }
      #pragma unroll
      for (int mi = 0; mi < MWI; ++mi) {
        #pragma unroll
        for (int ni = 0; ni < NWI; ++ni) {
          MADD(acc[mi][ni], a[mi], b[ni]);
        }
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }

  #pragma unroll
  for (int ni = 0; ni < NWI; ++ni) {
    const int gj = j0 + tn + ni * NDIMC;
    #pragma unroll
    for (int mi = 0; mi < MWI; ++mi) {
      const int gi = i0 + tm + mi * MDIMC;
      if (gi < M && gj < N) {
        const size_t p = gi + (size_t)gj * ldc;
        real r = MUL(alpha, acc[mi][ni]);
        if (!beta_zero) { r += MUL(beta, C[p]); }
        C[p] = r;
      }
    }
  }
}
