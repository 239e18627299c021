//! Which exported names run natively and which are forwarded, derived by build.rs
//! from `symbols/reference.tsv` and `symbols/native.txt`.

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

include!(concat!(env!("OUT_DIR"), "/symbols.rs"));

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
    if list {
        out.push('\n');
        for s in SYMBOLS {
            let how = if s.native { "native" } else { "forwarded" };
            out += &format!("{}\t{}\t{}\n", s.name, s.family.label(), how);
        }
    }
    out
}
