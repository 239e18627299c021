//! The C ABI surface: the panic boundary every export goes through, and the support
//! symbols reference BLAS/CBLAS define (XERBLA, LSAME, CBLAS's globals).

pub mod boundary;
pub mod cblas_support;
pub mod fortran;
pub mod xerbla;
