//! Native LAPACK, generic over the scalar: one family a file, each with LAPACK's exact
//! output contract (pivots as row interchanges, INFO > 0 meanings, workspace sizes).
//! The `extern "C"` entry points live in `crate::abi::lapack_*` and call these bodies.

pub mod bidiagonal;
pub mod bidiagonal_least_squares;
pub mod bidiagonal_svd;
pub mod cholesky;
pub mod cholesky_lookahead;
pub mod complete_orthogonal;
pub mod condition;
pub mod dqds;
pub mod gees;
pub mod generalized_eigen;
pub mod hessenberg;
pub mod householder;
pub mod incremental_condition;
pub mod inverse_iteration;
pub mod jacobi_eigen;
pub mod jacobi_svd;
pub mod least_squares;
pub mod lookahead;
pub mod lq_rq;
pub mod lu;
pub mod lu_lookahead;
pub mod nonsymmetric_eigen;
pub mod norms;
pub mod pivoted_cholesky;
pub mod pivoted_qr;
pub mod qr;
pub mod qr_least_squares;
pub mod qr_lookahead;
pub mod raw;
pub mod scaling;
pub mod schur;
pub mod schur_reorder;
pub mod schur_vectors;
pub mod selected_eigen;
pub mod singular_values;
pub mod svd;
pub mod svd_through_bidiagonal;
pub mod symmetric_eigen;
pub mod symmetric_indefinite;
pub mod triangular;
pub mod tridiagonal;
pub mod tridiagonal_eigenvectors;
pub mod tridiagonal_qr;
pub mod widen;
