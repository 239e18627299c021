//! What INFO > 0 means for the LAPACK drivers that bindings call, as one sentence:
//! `explain("DGESV", 3)` is "DGESV: U(3,3) is exactly zero; the matrix is singular".
//! Keyed by the name without its precision letter (the meaning is the same for s/d/c/z).

/// (routine without precision letter, meaning of INFO = i > 0 with `{i}`, `{i1}` = i+1
/// and `{p}` = the precision letter).
const TABLE: &[(&[&str], &str)] = &[
    (
        &["GETRF", "GESV", "GETF2", "GETRF2"],
        "U({i},{i}) is exactly zero; the matrix is singular. Solving with it would divide \
         by zero: check for repeated rows or columns, or use a least-squares solver \
         ({p}GELSD) or a pseudo-inverse",
    ),
    (
        &["GETRI"],
        "U({i},{i}) is exactly zero; the matrix is singular and its inverse could not be \
         computed (a pseudo-inverse through {p}GESDD exists)",
    ),
    (
        &["POTRF", "POTRF2", "POTF2", "POSV"],
        "the leading minor of order {i} is not positive definite; the factorization could \
         not be completed. Check that A is symmetric (Hermitian) positive definite in the \
         UPLO triangle; otherwise solve with LU ({p}GESV)",
    ),
    (
        &["TRTRI", "TRTRS"],
        "A({i},{i}) is exactly zero; the triangular matrix is singular (nothing was \
         solved or inverted)",
    ),
    (
        &["POTRI"],
        "the ({i},{i}) entry of the Cholesky factor is exactly zero; the inverse could not be computed",
    ),
    (
        &["GESDD", "GESVD"],
        "the bidiagonal SVD did not converge ({i} superdiagonals of the intermediate form \
         did not converge to zero); a NaN or Inf in A does this (LAPACK_AI_CHECK=nan names it)",
    ),
    (
        &["GEEV"],
        "the QR algorithm failed to compute all the eigenvalues; eigenvalues {i1}:N have \
         converged; a NaN or Inf in A does this (LAPACK_AI_CHECK=nan names it)",
    ),
    (
        &["SYEVD", "HEEVD"],
        "the algorithm failed to converge (JOBZ = 'N': {i} off-diagonal elements of an \
         intermediate tridiagonal form did not converge to zero; JOBZ = 'V': it failed on \
         a submatrix, rows and columns INFO/(N+1) to mod(INFO, N+1)); a NaN or Inf in A \
         does this (LAPACK_AI_CHECK=nan names it)",
    ),
    (
        &["GELSD", "GELSS"],
        "the SVD did not converge ({i} off-diagonal elements of an intermediate bidiagonal form did not converge to zero)",
    ),
    (
        &["GELS"],
        "the ({i},{i}) entry of the triangular factor of A is exactly zero; A does not have full rank and no least-squares solution was computed",
    ),
    (
        &["SYGVD", "HEGVD"],
        "INFO = {i}: if {i} <= N the eigensolver did not converge; if {i} = N + k, the leading minor of order k of B is not positive definite",
    ),
    (
        &["SYEVR", "HEEVR"],
        "an internal error: the matrix holds NaN or Inf, or the eigensolver did not converge",
    ),
    (
        &["GEES"],
        "the QR algorithm failed (INFO <= N: eigenvalues {i1}:N have converged), or the Schur form could not be reordered (INFO = N+1: eigenvalues too close to swap; N+2: rounding changed a selected eigenvalue during the reordering)",
    ),
    (
        &["SYTRF", "HETRF", "SYTF2", "HETF2"],
        "D({i},{i}) is exactly zero; the factorization was completed, but the block diagonal matrix D is singular",
    ),
    (
        &["SYSV", "HESV"],
        "D({i},{i}) is exactly zero; the block diagonal matrix D is singular, so the solution could not be computed",
    ),
    (
        &["PSTRF", "PSTF2"],
        "the matrix is rank deficient (its computed rank is returned in RANK) or not positive semidefinite",
    ),
    (
        &["SYEV", "HEEV"],
        "the QL/QR iteration failed to converge: {i} off-diagonal elements of an \
         intermediate tridiagonal form did not converge to zero; a NaN or Inf in A does \
         this (LAPACK_AI_CHECK=nan names it)",
    ),
];

/// The meaning of INFO = `info` returned by `routine` ("DGESV", "zgesdd_", any case), or
/// None when `info` <= 0 or the routine is not in the table.
pub fn explain(routine: &str, info: i32) -> Option<String> {
    let name = routine.trim().trim_end_matches('_').to_ascii_uppercase();
    if info <= 0 || name.len() < 2 || !matches!(&name[..1], "S" | "D" | "C" | "Z") {
        return None;
    }
    let (_, text) = TABLE
        .iter()
        .find(|(names, _)| names.contains(&&name[1..]))?;
    let text = text
        .replace("{p}", &name[..1])
        .replace("{i1}", &(info + 1).to_string())
        .replace("{i}", &info.to_string());
    Some(format!("{name}: {text}"))
}

#[cfg(test)]
mod tests {
    use super::explain;

    #[test]
    fn known_routines_in_any_spelling() {
        assert_eq!(
            explain("DGESV", 3).as_deref(),
            Some(
                "DGESV: U(3,3) is exactly zero; the matrix is singular. Solving with it would \
                 divide by zero: check for repeated rows or columns, or use a least-squares \
                 solver (DGELSD) or a pseudo-inverse"
            )
        );
        assert!(explain("cpotrf", 2)
            .unwrap()
            .ends_with("solve with LU (CGESV)"));
        assert!(explain("zpotrf_", 2)
            .unwrap()
            .contains("leading minor of order 2"));
        assert!(explain("sgeev", 4)
            .unwrap()
            .contains("eigenvalues 5:N have converged"));
        assert!(explain("cheevd", 1).unwrap().starts_with("CHEEVD: "));
    }

    #[test]
    fn nothing_for_success_errors_or_unknown_routines() {
        assert_eq!(explain("DGESV", 0), None);
        assert_eq!(explain("DGESV", -1), None);
        assert_eq!(explain("DFOO", 1), None);
        assert_eq!(explain("XGESV", 1), None);
        assert_eq!(explain("", 1), None);
    }
}
