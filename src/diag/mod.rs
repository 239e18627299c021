//! Errors and explanations: what an argument error means, in words a user can act on.

pub mod explain;
pub mod last_error;
pub mod params;
