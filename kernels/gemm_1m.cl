// Complex GEMM as one real GEMM: the 1m method (Van Zee and Smith, "Implementing
// high-performance complex matrix multiplication via the 1m method"). Built at a complex
// precision (3232 or 6464); the real GEMM of the base precision then runs on
//   C~ (2M x N, the complex C read as reals) := A~ (2M x 2K) B~ (2K x N) + beta C~,
// where B~ is op(B) read as reals and A~ expands every entry a of alpha op(A) into the
// 2x2 block [[re a, -im a], [im a, re a]]: column 2l of A~ holds column l of alpha op(A)
// as reals, column 2l + 1 holds i times it. 8MNK real flops, the complex count.
//
// pack_1m writes alpha op(src) (or, with expand, its A~) into a packed buffer, through a
// local tile so that both the read of src (in its memory order, N or T) and the write run
// along contiguous addresses. scale_1m scales C by a complex beta (the real GEMM then
// adds with beta = 1) or zeroes it without reading it.

#define PACK_TILE 16

// dst[i, l] = scale * op(src)[i, l] for i < rows, l < cols, op by (trans, conj); src
// starts off elements into its buffer. Without expand dst has leading dimension ldd
// (complex elements); with expand it is the real 2 rows x 2 cols matrix A~ with leading
// dimension 2 ldd reals: its complex column 2l + c starts at (2l + c) ldd.
__kernel __attribute__((reqd_work_group_size(PACK_TILE, PACK_TILE, 1)))
void pack_1m(const int rows, const int cols, const real scale,
             const int trans, const int conj, const int expand,
             __global const real* restrict src, const int ld, const ulong off,
             __global real* restrict dst, const int ldd, const ulong dst_off)
{
  __local real tile[PACK_TILE][PACK_TILE + 1];  // tile[i - i0][l - l0]
  const int tx = get_local_id(0);
  const int ty = get_local_id(1);
  const int i0 = get_group_id(0) * PACK_TILE;
  const int l0 = get_group_id(1) * PACK_TILE;
  src += off;
  dst += dst_off;
  // Read: tx runs along src's contiguous direction (rows of op(src), or its columns
  // when transposed).
  const int ri = trans ? i0 + ty : i0 + tx;
  const int rl = trans ? l0 + tx : l0 + ty;
  real v = ZERO;
  if (ri < rows && rl < cols) {
    v = trans ? src[rl + (size_t)ri * ld] : src[ri + (size_t)rl * ld];
    if (conj) { v = CONJ(v); }
    v = MUL(scale, v);
  }
  if (trans) {
    tile[ty][tx] = v;
  } else {
    tile[tx][ty] = v;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  // Write: tx runs down a column of dst.
  const int i = i0 + tx;
  const int l = l0 + ty;
  if (i < rows && l < cols) {
    const real w = tile[tx][ty];
    if (expand) {
      dst[i + (size_t)(2 * l) * ldd] = w;
#if IS_COMPLEX
      dst[i + (size_t)(2 * l + 1) * ldd] = (real)(-w.y, w.x);
#endif
    } else {
      dst[i + (size_t)l * ldd] = w;
    }
  }
}

// C := beta C on rows x cols (leading dimension ldc, off elements in); beta_zero writes
// zero without reading C (NaN in C must not survive).
__kernel void scale_1m(const int rows, const int cols, const real beta, const int beta_zero,
                       __global real* C, const int ldc, const ulong off)
{
  const int i = get_global_id(0);
  const int j = get_global_id(1);
  if (i < rows && j < cols) {
    const size_t p = off + i + (size_t)j * ldc;
    C[p] = beta_zero ? ZERO : MUL(beta, C[p]);
  }
}
