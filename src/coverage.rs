//! Which exported names run natively and which are forwarded, derived by build.rs
//! from `symbols/reference.tsv` and `symbols/native/*.txt`, and the ILP64 and `scipy_`
//! names every native function is exported under too (`crate::for_each_abi!`).

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    Blas,
    Cblas,
    Lapack,
    Lapacke,
}

impl Family {
    pub const ALL: [Family; 4] = [Family::Blas, Family::Cblas, Family::Lapack, Family::Lapacke];

    pub fn label(self) -> &'static str {
        match self {
            Family::Blas => "BLAS",
            Family::Cblas => "CBLAS",
            Family::Lapack => "LAPACK",
            Family::Lapacke => "LAPACKE",
        }
    }
}

#[derive(Debug)]
pub struct Symbol {
    pub name: &'static str,
    pub family: Family,
    pub native: bool,
}

/// The ABI a name serves (see `crate::for_each_abi!`): `Lp64` is the reference name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Abi {
    Lp64,
    ScipyLp64,
    Ilp64,
    ScipyIlp64,
}

impl Abi {
    pub const ALL: [Abi; 4] = [Abi::Lp64, Abi::ScipyLp64, Abi::Ilp64, Abi::ScipyIlp64];

    pub fn label(self) -> &'static str {
        match self {
            Abi::Lp64 => "LP64 dgemm_ cblas_dgemm",
            Abi::ScipyLp64 => "LP64 scipy_dgemm_ scipy_cblas_dgemm",
            Abi::Ilp64 => "ILP64 dgemm_64_ cblas_dgemm64_",
            Abi::ScipyIlp64 => "ILP64 scipy_dgemm_64_ scipy_cblas_dgemm64_",
        }
    }
}

/// A native function's name under another ABI: `name` serves `base` ("scipy_dgemm_64_",
/// "dgemm_").
#[derive(Debug)]
pub struct AbiName {
    pub name: &'static str,
    pub base: &'static str,
    pub abi: Abi,
}

include!(concat!(env!("OUT_DIR"), "/symbols.rs"));

/// Native names of `family` exported for `abi` (data symbols only under `Lp64`).
pub fn abi_count(family: Family, abi: Abi) -> usize {
    let native = SYMBOLS.iter().filter(|s| s.native && s.family == family);
    if abi == Abi::Lp64 {
        return native.count();
    }
    native
        .filter(|s| ABI_NAMES.iter().any(|v| v.abi == abi && v.base == s.name))
        .count()
}

/// (native, total) names of one family.
pub fn counts(family: Family) -> (usize, usize) {
    let of_family = SYMBOLS.iter().filter(|s| s.family == family);
    (
        of_family.clone().filter(|s| s.native).count(),
        of_family.count(),
    )
}

/// The human-readable report: counts per family, then (with `list`) one line a name.
pub fn report(list: bool) -> String {
    let mut out = String::from("family     native  forwarded  total\n");
    let (mut all_native, mut all_total) = (0, 0);
    for family in Family::ALL {
        let (native, total) = counts(family);
        out += &format!(
            "{:<9} {:>7} {:>10} {:>6}\n",
            family.label(),
            native,
            total - native,
            total
        );
        all_native += native;
        all_total += total;
    }
    out += &format!(
        "{:<9} {:>7} {:>10} {:>6}\n",
        "all",
        all_native,
        all_total - all_native,
        all_total
    );
    out += "\nnative names per ABI (forwarded names keep their LP64 reference name only;\n\
             NumPy 2.x pip wheels call the ILP64 scipy_ names, SciPy's the LP64 ones)\n";
    out += &format!("{:<42}", "abi");
    for family in Family::ALL {
        out += &format!(" {:>7}", family.label());
    }
    out += "\n";
    for abi in Abi::ALL {
        out += &format!("{:<42}", abi.label());
        for family in Family::ALL {
            out += &format!(" {:>7}", abi_count(family, abi));
        }
        out += "\n";
    }
    if list {
        out.push('\n');
        for s in SYMBOLS {
            let how = if s.native { "native" } else { "forwarded" };
            out += &format!("{}\t{}\t{}\n", s.name, s.family.label(), how);
        }
        for v in ABI_NAMES {
            let family = SYMBOLS.iter().find(|s| s.name == v.base).unwrap().family;
            out += &format!(
                "{}\t{}\tnative {:?} of {}\n",
                v.name,
                family.label(),
                v.abi,
                v.base
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The LAPACK routines NumPy, SciPy and R call (issue 4's list), in every precision
    /// LAPACK has them: each must be native, never forwarded, so that the Netlib
    /// programs exercise our code for them while the long tail may still be forwarded.
    #[test]
    fn the_everyday_lapack_set_is_native() {
        let every = [
            "getrf", "gesv", "potrf", "geev", "gesdd", "gelsd", "geqrf", "getrs", "getri", "gecon",
            "laswp", "potrs", "posv", "potri", "pocon", "pstrf", "sytrf", "sytrs", "sysv", "geqp3",
            "gerqf", "gelqf", "gels", "gelss", "gelsy", "gesvd", "gees", "gehrd", "trtrs", "trtri",
            "trcon", "lange", "lansy",
        ];
        let real = ["orgqr", "ormqr", "syevd", "syev", "syevr", "sygvd", "orghr"];
        let complex = [
            "ungqr", "unmqr", "heevd", "heev", "heevr", "hegvd", "unghr", "hetrf", "hetrs", "hesv",
            "lanhe",
        ];
        let names = every
            .iter()
            .flat_map(|r| ["s", "d", "c", "z"].map(|p| format!("{p}{r}_")));
        let names = names
            .chain(
                real.iter()
                    .flat_map(|r| ["s", "d"].map(|p| format!("{p}{r}_"))),
            )
            .chain(
                complex
                    .iter()
                    .flat_map(|r| ["c", "z"].map(|p| format!("{p}{r}_"))),
            );
        let forwarded: Vec<String> = names
            .filter(|name| {
                !SYMBOLS
                    .iter()
                    .any(|s| s.native && s.family == Family::Lapack && s.name == name)
            })
            .collect();
        assert!(forwarded.is_empty(), "not native: {forwarded:?}");
    }
}
