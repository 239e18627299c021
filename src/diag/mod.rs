//! Errors and explanations: what an argument error means, in words a user can act on.

pub mod check;
pub mod cond_check;
pub mod explain;
pub mod last_error;
pub mod nan_check;
pub mod params;
pub mod warning;
