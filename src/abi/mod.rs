//! The C ABI surface: the panic boundary every export goes through, the support symbols
//! reference BLAS/CBLAS define (XERBLA, LSAME, CBLAS's globals), and the Fortran and
//! CBLAS entry points of the native routines.

pub mod blas_level1;
pub mod blas_level2;
pub mod blas_level3;
pub mod boundary;
pub mod cblas_support;
pub mod fortran;
pub mod int;
pub mod lapack_cholesky;
pub mod lapack_condition;
pub mod lapack_eigen;
pub mod lapack_gees;
pub mod lapack_geev;
pub mod lapack_generalized_eigen;
pub mod lapack_hessenberg;
pub mod lapack_least_squares;
pub mod lapack_lq_rq;
pub mod lapack_lu;
pub mod lapack_norms;
pub mod lapack_numeric_checks;
pub mod lapack_pivoted_cholesky;
pub mod lapack_qr;
pub mod lapack_selected_eigen;
pub mod lapack_support;
pub mod lapack_svd;
pub mod lapack_symmetric_indefinite;
pub mod lapack_triangular;
pub mod xerbla;
