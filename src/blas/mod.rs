//! Native BLAS, generic over the scalar: one family a file. The `extern "C"` entry points
//! (Fortran and CBLAS) live in `crate::abi::blas_*` and call these bodies.

pub mod args;
pub mod complex_gemv;
pub mod fused_mv;
pub mod gemm_blocked;
pub mod gemm_small;
pub mod hermitian_mv;
pub mod level1;
pub mod level2;
pub mod level3;
pub mod syrk_small;
#[cfg(test)]
pub(crate) mod test_values;
pub mod transposed_mv;
pub mod triangle_update;
pub mod triangular_mv;
pub mod trsm_leaf;
pub mod trsm_small;
pub mod vector;
