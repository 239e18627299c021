//! The documented argument lists of the BLAS and the most used LAPACK routines, so that
//! "argument 8" can be reported as "argument 8 (LDA)". Keyed by the name without its
//! precision letter; the lists follow the reference routines' argument order.

/// (routine without precision letter, argument names in order).
const TABLE: &[(&str, &[&str])] = &[
    // Level 1 routines take no option arguments and never call XERBLA.
    // Level 2.
    (
        "GEMV",
        &[
            "TRANS", "M", "N", "ALPHA", "A", "LDA", "X", "INCX", "BETA", "Y", "INCY",
        ],
    ),
    (
        "GBMV",
        &[
            "TRANS", "M", "N", "KL", "KU", "ALPHA", "A", "LDA", "X", "INCX", "BETA", "Y", "INCY",
        ],
    ),
    (
        "SYMV",
        &[
            "UPLO", "N", "ALPHA", "A", "LDA", "X", "INCX", "BETA", "Y", "INCY",
        ],
    ),
    (
        "HEMV",
        &[
            "UPLO", "N", "ALPHA", "A", "LDA", "X", "INCX", "BETA", "Y", "INCY",
        ],
    ),
    (
        "SBMV",
        &[
            "UPLO", "N", "K", "ALPHA", "A", "LDA", "X", "INCX", "BETA", "Y", "INCY",
        ],
    ),
    (
        "HBMV",
        &[
            "UPLO", "N", "K", "ALPHA", "A", "LDA", "X", "INCX", "BETA", "Y", "INCY",
        ],
    ),
    (
        "SPMV",
        &["UPLO", "N", "ALPHA", "AP", "X", "INCX", "BETA", "Y", "INCY"],
    ),
    (
        "HPMV",
        &["UPLO", "N", "ALPHA", "AP", "X", "INCX", "BETA", "Y", "INCY"],
    ),
    (
        "TRMV",
        &["UPLO", "TRANS", "DIAG", "N", "A", "LDA", "X", "INCX"],
    ),
    (
        "TRSV",
        &["UPLO", "TRANS", "DIAG", "N", "A", "LDA", "X", "INCX"],
    ),
    (
        "TBMV",
        &["UPLO", "TRANS", "DIAG", "N", "K", "A", "LDA", "X", "INCX"],
    ),
    (
        "TBSV",
        &["UPLO", "TRANS", "DIAG", "N", "K", "A", "LDA", "X", "INCX"],
    ),
    ("TPMV", &["UPLO", "TRANS", "DIAG", "N", "AP", "X", "INCX"]),
    ("TPSV", &["UPLO", "TRANS", "DIAG", "N", "AP", "X", "INCX"]),
    (
        "GER",
        &["M", "N", "ALPHA", "X", "INCX", "Y", "INCY", "A", "LDA"],
    ),
    (
        "GERU",
        &["M", "N", "ALPHA", "X", "INCX", "Y", "INCY", "A", "LDA"],
    ),
    (
        "GERC",
        &["M", "N", "ALPHA", "X", "INCX", "Y", "INCY", "A", "LDA"],
    ),
    ("SYR", &["UPLO", "N", "ALPHA", "X", "INCX", "A", "LDA"]),
    ("HER", &["UPLO", "N", "ALPHA", "X", "INCX", "A", "LDA"]),
    ("SPR", &["UPLO", "N", "ALPHA", "X", "INCX", "AP"]),
    ("HPR", &["UPLO", "N", "ALPHA", "X", "INCX", "AP"]),
    (
        "SYR2",
        &["UPLO", "N", "ALPHA", "X", "INCX", "Y", "INCY", "A", "LDA"],
    ),
    (
        "HER2",
        &["UPLO", "N", "ALPHA", "X", "INCX", "Y", "INCY", "A", "LDA"],
    ),
    (
        "SPR2",
        &["UPLO", "N", "ALPHA", "X", "INCX", "Y", "INCY", "AP"],
    ),
    (
        "HPR2",
        &["UPLO", "N", "ALPHA", "X", "INCX", "Y", "INCY", "AP"],
    ),
    // Level 3.
    (
        "GEMM",
        &[
            "TRANSA", "TRANSB", "M", "N", "K", "ALPHA", "A", "LDA", "B", "LDB", "BETA", "C", "LDC",
        ],
    ),
    (
        "SYMM",
        &[
            "SIDE", "UPLO", "M", "N", "ALPHA", "A", "LDA", "B", "LDB", "BETA", "C", "LDC",
        ],
    ),
    (
        "HEMM",
        &[
            "SIDE", "UPLO", "M", "N", "ALPHA", "A", "LDA", "B", "LDB", "BETA", "C", "LDC",
        ],
    ),
    (
        "SYRK",
        &[
            "UPLO", "TRANS", "N", "K", "ALPHA", "A", "LDA", "BETA", "C", "LDC",
        ],
    ),
    (
        "HERK",
        &[
            "UPLO", "TRANS", "N", "K", "ALPHA", "A", "LDA", "BETA", "C", "LDC",
        ],
    ),
    (
        "SYR2K",
        &[
            "UPLO", "TRANS", "N", "K", "ALPHA", "A", "LDA", "B", "LDB", "BETA", "C", "LDC",
        ],
    ),
    (
        "HER2K",
        &[
            "UPLO", "TRANS", "N", "K", "ALPHA", "A", "LDA", "B", "LDB", "BETA", "C", "LDC",
        ],
    ),
    (
        "TRMM",
        &[
            "SIDE", "UPLO", "TRANSA", "DIAG", "M", "N", "ALPHA", "A", "LDA", "B", "LDB",
        ],
    ),
    (
        "TRSM",
        &[
            "SIDE", "UPLO", "TRANSA", "DIAG", "M", "N", "ALPHA", "A", "LDA", "B", "LDB",
        ],
    ),
    // LAPACK: what NumPy and SciPy call most.
    (
        "GESV",
        &["N", "NRHS", "A", "LDA", "IPIV", "B", "LDB", "INFO"],
    ),
    ("GETRF", &["M", "N", "A", "LDA", "IPIV", "INFO"]),
    (
        "GETRS",
        &["TRANS", "N", "NRHS", "A", "LDA", "IPIV", "B", "LDB", "INFO"],
    ),
    ("GETRI", &["N", "A", "LDA", "IPIV", "WORK", "LWORK", "INFO"]),
    ("POTRF", &["UPLO", "N", "A", "LDA", "INFO"]),
    (
        "POTRS",
        &["UPLO", "N", "NRHS", "A", "LDA", "B", "LDB", "INFO"],
    ),
    (
        "POSV",
        &["UPLO", "N", "NRHS", "A", "LDA", "B", "LDB", "INFO"],
    ),
    (
        "GEQRF",
        &["M", "N", "A", "LDA", "TAU", "WORK", "LWORK", "INFO"],
    ),
    (
        "ORGQR",
        &["M", "N", "K", "A", "LDA", "TAU", "WORK", "LWORK", "INFO"],
    ),
    (
        "UNGQR",
        &["M", "N", "K", "A", "LDA", "TAU", "WORK", "LWORK", "INFO"],
    ),
    (
        "SYEVD",
        &[
            "JOBZ", "UPLO", "N", "A", "LDA", "W", "WORK", "LWORK", "IWORK", "LIWORK", "INFO",
        ],
    ),
    (
        "HEEVD",
        &[
            "JOBZ", "UPLO", "N", "A", "LDA", "W", "WORK", "LWORK", "RWORK", "LRWORK", "IWORK",
            "LIWORK", "INFO",
        ],
    ),
    (
        "GESDD",
        &[
            "JOBZ", "M", "N", "A", "LDA", "S", "U", "LDU", "VT", "LDVT", "WORK", "LWORK", "IWORK",
            "INFO",
        ],
    ),
    (
        "GELSD",
        &[
            "M", "N", "NRHS", "A", "LDA", "B", "LDB", "S", "RCOND", "RANK", "WORK", "LWORK",
            "IWORK", "INFO",
        ],
    ),
    // LQ/RQ and the least-squares drivers (GELS, GELSY, GELSS).
    (
        "GELQF",
        &["M", "N", "A", "LDA", "TAU", "WORK", "LWORK", "INFO"],
    ),
    (
        "GERQF",
        &["M", "N", "A", "LDA", "TAU", "WORK", "LWORK", "INFO"],
    ),
    (
        "ORGLQ",
        &["M", "N", "K", "A", "LDA", "TAU", "WORK", "LWORK", "INFO"],
    ),
    (
        "UNGLQ",
        &["M", "N", "K", "A", "LDA", "TAU", "WORK", "LWORK", "INFO"],
    ),
    (
        "ORMLQ",
        &[
            "SIDE", "TRANS", "M", "N", "K", "A", "LDA", "TAU", "C", "LDC", "WORK", "LWORK", "INFO",
        ],
    ),
    (
        "UNMLQ",
        &[
            "SIDE", "TRANS", "M", "N", "K", "A", "LDA", "TAU", "C", "LDC", "WORK", "LWORK", "INFO",
        ],
    ),
    (
        "GELS",
        &[
            "TRANS", "M", "N", "NRHS", "A", "LDA", "B", "LDB", "WORK", "LWORK", "INFO",
        ],
    ),
    (
        "GELSY",
        &[
            "M", "N", "NRHS", "A", "LDA", "B", "LDB", "JPVT", "RCOND", "RANK", "WORK", "LWORK",
            "INFO",
        ],
    ),
    (
        "GELSS",
        &[
            "M", "N", "NRHS", "A", "LDA", "B", "LDB", "S", "RCOND", "RANK", "WORK", "LWORK", "INFO",
        ],
    ),
    (
        "SYGVD",
        &[
            "ITYPE", "JOBZ", "UPLO", "N", "A", "LDA", "B", "LDB", "W", "WORK", "LWORK", "IWORK",
            "LIWORK", "INFO",
        ],
    ),
    (
        "HEGVD",
        &[
            "ITYPE", "JOBZ", "UPLO", "N", "A", "LDA", "B", "LDB", "W", "WORK", "LWORK", "RWORK",
            "LRWORK", "IWORK", "LIWORK", "INFO",
        ],
    ),
    (
        "SYGST",
        &["ITYPE", "UPLO", "N", "A", "LDA", "B", "LDB", "INFO"],
    ),
    (
        "HEGST",
        &["ITYPE", "UPLO", "N", "A", "LDA", "B", "LDB", "INFO"],
    ),
    (
        "SYEVR",
        &[
            "JOBZ", "RANGE", "UPLO", "N", "A", "LDA", "VL", "VU", "IL", "IU", "ABSTOL", "M", "W",
            "Z", "LDZ", "ISUPPZ", "WORK", "LWORK", "IWORK", "LIWORK", "INFO",
        ],
    ),
    (
        "HEEVR",
        &[
            "JOBZ", "RANGE", "UPLO", "N", "A", "LDA", "VL", "VU", "IL", "IU", "ABSTOL", "M", "W",
            "Z", "LDZ", "ISUPPZ", "WORK", "LWORK", "RWORK", "LRWORK", "IWORK", "LIWORK", "INFO",
        ],
    ),
    (
        "GEHRD",
        &[
            "N", "ILO", "IHI", "A", "LDA", "TAU", "WORK", "LWORK", "INFO",
        ],
    ),
    (
        "ORGHR",
        &[
            "N", "ILO", "IHI", "A", "LDA", "TAU", "WORK", "LWORK", "INFO",
        ],
    ),
    (
        "UNGHR",
        &[
            "N", "ILO", "IHI", "A", "LDA", "TAU", "WORK", "LWORK", "INFO",
        ],
    ),
    // Symmetric indefinite (Bunch-Kaufman) and pivoted Cholesky.
    (
        "SYTRF",
        &["UPLO", "N", "A", "LDA", "IPIV", "WORK", "LWORK", "INFO"],
    ),
    (
        "HETRF",
        &["UPLO", "N", "A", "LDA", "IPIV", "WORK", "LWORK", "INFO"],
    ),
    (
        "SYTRS",
        &["UPLO", "N", "NRHS", "A", "LDA", "IPIV", "B", "LDB", "INFO"],
    ),
    (
        "HETRS",
        &["UPLO", "N", "NRHS", "A", "LDA", "IPIV", "B", "LDB", "INFO"],
    ),
    (
        "SYSV",
        &[
            "UPLO", "N", "NRHS", "A", "LDA", "IPIV", "B", "LDB", "WORK", "LWORK", "INFO",
        ],
    ),
    (
        "HESV",
        &[
            "UPLO", "N", "NRHS", "A", "LDA", "IPIV", "B", "LDB", "WORK", "LWORK", "INFO",
        ],
    ),
    (
        "PSTRF",
        &[
            "UPLO", "N", "A", "LDA", "PIV", "RANK", "TOL", "WORK", "INFO",
        ],
    ),
    // The other native LAPACK routines (their checks report values and rules).
    (
        "TRTRS",
        &[
            "UPLO", "TRANS", "DIAG", "N", "NRHS", "A", "LDA", "B", "LDB", "INFO",
        ],
    ),
    ("TRTRI", &["UPLO", "DIAG", "N", "A", "LDA", "INFO"]),
    ("POTRI", &["UPLO", "N", "A", "LDA", "INFO"]),
    ("LASWP", &["N", "A", "LDA", "K1", "K2", "IPIV", "INCX"]),
    (
        "ORMQR",
        &[
            "SIDE", "TRANS", "M", "N", "K", "A", "LDA", "TAU", "C", "LDC", "WORK", "LWORK", "INFO",
        ],
    ),
    (
        "UNMQR",
        &[
            "SIDE", "TRANS", "M", "N", "K", "A", "LDA", "TAU", "C", "LDC", "WORK", "LWORK", "INFO",
        ],
    ),
    (
        "GEQP3",
        &["M", "N", "A", "LDA", "JPVT", "TAU", "WORK", "LWORK"],
    ),
    (
        "GECON",
        &["NORM", "N", "A", "LDA", "ANORM", "RCOND", "WORK"],
    ),
    (
        "POCON",
        &["UPLO", "N", "A", "LDA", "ANORM", "RCOND", "WORK"],
    ),
    (
        "TRCON",
        &["NORM", "UPLO", "DIAG", "N", "A", "LDA", "RCOND", "WORK"],
    ),
    ("LANGE", &["NORM", "M", "N", "A", "LDA", "WORK"]),
    ("LANSY", &["NORM", "UPLO", "N", "A", "LDA", "WORK"]),
    ("LANHE", &["NORM", "UPLO", "N", "A", "LDA", "WORK"]),
    (
        "SYEV",
        &[
            "JOBZ", "UPLO", "N", "A", "LDA", "W", "WORK", "LWORK", "INFO",
        ],
    ),
    (
        "HEEV",
        &[
            "JOBZ", "UPLO", "N", "A", "LDA", "W", "WORK", "LWORK", "RWORK", "INFO",
        ],
    ),
    (
        "GESVD",
        &[
            "JOBU", "JOBVT", "M", "N", "A", "LDA", "S", "U", "LDU", "VT", "LDVT", "WORK", "LWORK",
            "INFO",
        ],
    ),
    (
        "GEEV",
        &[
            "JOBVL", "JOBVR", "N", "A", "LDA", "WR", "WI", "VL", "LDVL", "VR", "LDVR", "WORK",
            "LWORK", "INFO",
        ],
    ),
    (
        "GEES",
        &[
            "JOBVS", "SORT", "SELECT", "N", "A", "LDA", "SDIM", "WR", "WI", "VS", "LDVS", "WORK",
            "LWORK", "BWORK", "INFO",
        ],
    ),
];

/// Routines whose complex argument list differs from the real one (looked up first
/// for C and Z).
const COMPLEX_TABLE: &[(&str, &[&str])] = &[
    (
        "GEEV",
        &[
            "JOBVL", "JOBVR", "N", "A", "LDA", "W", "VL", "LDVL", "VR", "LDVR", "WORK", "LWORK",
            "RWORK", "INFO",
        ],
    ),
    (
        "GEES",
        &[
            "JOBVS", "SORT", "SELECT", "N", "A", "LDA", "SDIM", "W", "VS", "LDVS", "WORK", "LWORK",
            "RWORK", "BWORK", "INFO",
        ],
    ),
];

/// The name of argument `position` (from 1) of `routine` ("DGEMM", "zgemm", "DGEMM ").
pub fn argument_name(routine: &str, position: i32) -> Option<&'static str> {
    let routine = routine.trim().to_ascii_uppercase();
    let base = routine.get(1..)?;
    let complex = routine.starts_with(['C', 'Z']);
    let (_, names) = COMPLEX_TABLE
        .iter()
        .filter(|_| complex)
        .chain(TABLE)
        .find(|(name, _)| *name == base)?;
    let index = usize::try_from(position).ok()?.checked_sub(1)?;
    names.get(index).copied()
}

#[cfg(test)]
mod tests {
    use super::argument_name;

    #[test]
    fn names_follow_the_reference_argument_order() {
        assert_eq!(argument_name("DGEMM", 8), Some("LDA"));
        assert_eq!(argument_name("zgemm ", 13), Some("LDC"));
        assert_eq!(argument_name("STRSM", 1), Some("SIDE"));
        assert_eq!(argument_name("DGESV", 4), Some("LDA"));
        assert_eq!(argument_name("CHER2K", 10), Some("BETA"));
        assert_eq!(argument_name("DGEMM", 14), None);
        assert_eq!(argument_name("DGEMM", 0), None);
        assert_eq!(argument_name("XYZZY", 1), None);
        assert_eq!(argument_name("DGEEV", 9), Some("LDVL"));
        assert_eq!(argument_name("ZGEEV", 8), Some("LDVL"));
        assert_eq!(argument_name("SORMQR", 10), Some("LDC"));
        assert_eq!(argument_name("DGEES", 11), Some("LDVS"));
        assert_eq!(argument_name("ZGEES", 10), Some("LDVS"));
        assert_eq!(argument_name("CGEES", 12), Some("LWORK"));
    }
}
