//! liblapack_ai: a drop-in BLAS/LAPACK for Linux processes.
//!
//! Every name of reference BLAS, CBLAS, LAPACK and LAPACKE is exported. Names with a
//! native body (listed in `symbols/native/*.txt`) run our Rust code; every other name is
//! a trampoline into the provider the process would have used without us (`forward`).

pub mod abi;
pub mod api;
pub mod blas;
pub mod cache;
pub mod config;
pub mod coverage;
pub mod diag;
pub mod forward;
pub mod gpu;
pub mod lapack;
pub mod route;
pub mod scalar;
pub mod simd;
pub mod telemetry;
pub mod threads;
