//! Warnings of the opt-in checks (`LAPACK_AI_CHECK`): recorded as this thread's last
//! error and printed like argument errors (`LAPACK_AI_ERRORS=print`, the default), or
//! not (`quiet`). A warning never stops the process, whatever the mode.

use crate::config::{self, ErrorMode};

/// Records `text` ("DGESV: B(3,1) is NaN (argument 6)") and prints it unless quiet.
pub fn warn(text: String) {
    if config::get().errors != ErrorMode::Quiet {
        eprintln!("liblapack_ai: warning: {text}");
    }
    crate::diag::last_error::record(text);
}
