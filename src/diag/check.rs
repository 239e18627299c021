//! Argument checks as values: each check carries its argument position, whether it
//! failed, the value the caller passed and the rule that value must follow, so that the
//! first failure can be reported as "DGESV: argument 4 (LDA = 3) must be >= max(1, N) =
//! 5." without a sentence written per routine. Entry points list their checks in the
//! reference order; `first_failed` picks the one XERBLA gets.

use crate::diag::params::argument_name;

/// The choices of the option arguments, as the rule lists them.
pub const TRANS: &str = "'N', 'T' or 'C'";
pub const UPLO: &str = "'U' or 'L'";
pub const DIAG: &str = "'N' or 'U'";
pub const SIDE: &str = "'L' or 'R'";
pub const JOB_NV: &str = "'N' or 'V'";
/// RANGE of the selected-eigenvalue drivers (xSYEVR): all, a value interval, an index range.
pub const RANGE: &str = "'A', 'V' or 'I'";
/// SORT of xGEES: unsorted, or sorted by the SELECT function.
pub const SORT: &str = "'N' or 'S'";

/// The value an argument had, for the message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// Not known (a program calling our XERBLA directly gives only the position).
    Unknown,
    Int(i64),
    /// An option character (TRANS, UPLO, ...).
    Char(u8),
    Real(f64),
    /// Entry (from 1) of an array argument: IPIV(2) = 9.
    Entry(usize, i64),
}

/// The rule an argument broke. Bounds carry both the formula as the documentation
/// writes it and its value for this call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// No rule known: "had an illegal value".
    Illegal,
    /// An option character: "must be 'N', 'T' or 'C'".
    OneOf(&'static str),
    /// "must be >= max(1, N) = 5" (the value is left out when the formula is a number).
    AtLeast(&'static str, i64),
    /// "must be between 0 and N = 3".
    Between((&'static str, i64), (&'static str, i64)),
    /// A workspace length: at least the minimum, or -1 for a size query.
    Workspace(&'static str, i64),
    /// An increment: "must not be zero".
    NotZero,
    /// A real that must not be negative (ANORM).
    NotNegative,
    /// The array the argument describes does not fit the address space.
    Addressable,
    /// Any other rule, as a phrase that follows the argument ("must ...").
    Text(&'static str),
}

/// One argument check: `position` (from 1) is reported when `failed`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Check {
    pub position: i32,
    pub failed: bool,
    pub value: Value,
    pub rule: Rule,
}

impl Check {
    /// An option character that parsed (`ok`) or not; `allowed` lists the choices.
    #[inline(always)]
    pub fn option(position: i32, c: u8, ok: bool, allowed: &'static str) -> Check {
        Check {
            position,
            failed: !ok,
            value: Value::Char(c),
            rule: Rule::OneOf(allowed),
        }
    }

    /// A dimension that must not be negative (M, N, K, NRHS).
    #[inline(always)]
    pub fn dim(position: i32, value: i64) -> Check {
        Check::at_least(position, value, 0, "0")
    }

    /// `value >= bound`, where `formula` is how the documentation writes the bound.
    #[inline(always)]
    pub fn at_least(position: i32, value: i64, bound: i64, formula: &'static str) -> Check {
        Check {
            position,
            failed: value < bound,
            value: Value::Int(value),
            rule: Rule::AtLeast(formula, bound),
        }
    }

    /// A leading dimension: `ld >= max(1, rows)`, `formula` = "max(1, N)".
    #[inline(always)]
    pub fn ld(position: i32, ld: i64, rows: i64, formula: &'static str) -> Check {
        Check::at_least(position, ld, rows.max(1), formula)
    }

    /// `low <= value <= high`, each bound with its formula.
    #[inline(always)]
    pub fn between(
        position: i32,
        value: i64,
        low: (&'static str, i64),
        high: (&'static str, i64),
    ) -> Check {
        Check {
            position,
            failed: value < low.1 || value > high.1,
            value: Value::Int(value),
            rule: Rule::Between(low, high),
        }
    }

    /// A workspace length: `len >= minimum`, or -1 (a size query, never a failure).
    #[inline(always)]
    pub fn workspace(position: i32, len: i64, minimum: i64, formula: &'static str) -> Check {
        Check {
            position,
            failed: len != -1 && len < minimum,
            value: Value::Int(len),
            rule: Rule::Workspace(formula, minimum),
        }
    }

    /// An increment (INCX): never zero.
    #[inline(always)]
    pub fn increment(position: i32, inc: i64) -> Check {
        Check {
            position,
            failed: inc == 0,
            value: Value::Int(inc),
            rule: Rule::NotZero,
        }
    }

    /// A real argument that must not be negative (ANORM).
    #[inline(always)]
    pub fn not_negative(position: i32, value: f64) -> Check {
        Check {
            position,
            failed: value < 0.0,
            value: Value::Real(value),
            rule: Rule::NotNegative,
        }
    }

    /// The array argument `position` describes (through its dimension `value`) fits
    /// the address space (`fits`).
    #[inline(always)]
    pub fn addressable(position: i32, value: i64, fits: bool) -> Check {
        Check {
            position,
            failed: !fits,
            value: Value::Int(value),
            rule: Rule::Addressable,
        }
    }

    /// Any other rule: `rule` is the phrase after the argument ("must hold ...").
    #[inline(always)]
    pub fn rule(position: i32, failed: bool, value: Value, rule: &'static str) -> Check {
        Check {
            position,
            failed,
            value,
            rule: Rule::Text(rule),
        }
    }

    /// The sentence for this check's failure in `routine` ("DGESV").
    pub fn message(&self, routine: &str) -> String {
        message(routine, self.position, self.value, self.rule)
    }
}

/// A check known only as `(position, failed)`, with no value or rule to report: the
/// entry points use it for checks that cannot fail in a given case.
impl From<(i32, bool)> for Check {
    #[inline(always)]
    fn from((position, failed): (i32, bool)) -> Check {
        Check {
            position,
            failed,
            value: Value::Unknown,
            rule: Rule::Illegal,
        }
    }
}

/// `first_failure!(check, check, ...)`: the first failed check, in the order given,
/// built one at a time. For the entry points of small, frequent calls (BLAS): a check
/// that passes costs only its comparison, its value and rule are never built.
macro_rules! first_failure {
    ($($check:expr),* $(,)?) => {{
        let mut failed: Option<$crate::diag::check::Check> = None;
        $(
            if failed.is_none() {
                let check: $crate::diag::check::Check = $check;
                if check.failed {
                    failed = Some(check);
                }
            }
        )*
        failed
    }};
}
pub(crate) use first_failure;

/// The first failed check of `checks`, in the order given (the reference order).
/// Inlined so that, for the fixed arrays the entry points pass, the checks that pass
/// cost only their comparison.
#[inline(always)]
pub fn first_failed(checks: &[Check]) -> Option<Check> {
    for check in checks {
        if check.failed {
            return Some(*check);
        }
    }
    None
}

fn show_value(value: Value) -> Option<String> {
    match value {
        Value::Unknown => None,
        Value::Int(v) => Some(v.to_string()),
        Value::Real(v) => Some(v.to_string()),
        Value::Char(c) if c.is_ascii_graphic() || c == b' ' => Some(format!("'{}'", c as char)),
        Value::Char(c) => Some(format!("byte {c}")),
        Value::Entry(_, v) => Some(v.to_string()),
    }
}

/// "max(1, N) = 5", or "0" when the formula is the number itself; a condition in
/// parentheses after the formula goes last: "max(1, K) = 3 (TRANSA = 'T' or 'C')".
fn show_bound((formula, value): (&str, i64)) -> String {
    let (formula, condition) = match formula.find(" (") {
        Some(at) => formula.split_at(at),
        None => (formula, ""),
    };
    if formula == value.to_string() {
        format!("{formula}{condition}")
    } else {
        format!("{formula} = {value}{condition}")
    }
}

fn show_rule(rule: Rule) -> String {
    match rule {
        Rule::Illegal => "had an illegal value".into(),
        Rule::OneOf(allowed) => format!("must be {allowed}"),
        Rule::AtLeast(formula, bound) => format!("must be >= {}", show_bound((formula, bound))),
        Rule::Between(low, high) => format!(
            "must be between {} and {}",
            show_bound(low),
            show_bound(high)
        ),
        Rule::Workspace(formula, bound) => format!(
            "must be >= {}, or -1 to ask for the optimal size",
            show_bound((formula, bound))
        ),
        Rule::NotZero => "must not be zero".into(),
        Rule::NotNegative => "must be >= 0".into(),
        Rule::Addressable => "describes an array too large to address".into(),
        Rule::Text(text) => text.into(),
    }
}

/// What an argument is, from its documented name alone: "LDA is the leading
/// dimension of A: ...". None for names that explain themselves.
pub fn hint(name: &str) -> Option<String> {
    if let Some(array) = name.strip_prefix("LD").filter(|a| !a.is_empty()) {
        return Some(format!(
            "{name} is the leading dimension of {array}: for a NumPy array in Fortran \
             order it is {}.shape[0].",
            array.to_ascii_lowercase()
        ));
    }
    if let Some(vector) = name.strip_prefix("INC").filter(|v| !v.is_empty()) {
        return Some(format!(
            "{name} is the step between elements of {vector} (1 for a contiguous vector, \
             negative to walk it backwards)."
        ));
    }
    if let Some(array) = name.strip_prefix('L').filter(|a| a.ends_with("WORK")) {
        return Some(format!(
            "{name} is the length of {array}: call once with {name} = -1 and use the size \
             returned in {array}(1)."
        ));
    }
    None
}

/// "DGESV: argument 4 (LDA = 3) must be >= max(1, N) = 5. LDA is the leading dimension
/// of A: for a NumPy array in Fortran order it is a.shape[0]."
pub fn message(routine: &str, position: i32, value: Value, rule: Rule) -> String {
    let name = argument_name(routine, position);
    let index = match value {
        Value::Entry(i, _) => format!("({i})"),
        _ => String::new(),
    };
    let argument = match (name, show_value(value)) {
        (Some(name), Some(value)) if !index.is_empty() => {
            format!("argument {position} ({name}{index} = {value})")
        }
        (Some(name), Some(value)) => format!("argument {position} ({name} = {value})"),
        (Some(name), None) => format!("argument {position} ({name})"),
        (None, Some(value)) => format!("argument {position} (value {value})"),
        (None, None) => format!("argument {position}"),
    };
    if rule == Rule::Illegal {
        return format!(
            "{routine}: {argument} had an illegal value (see the {routine} documentation \
             for its argument list); the call returned without computing anything."
        );
    }
    let mut text = format!("{routine}: {argument} {}.", show_rule(rule));
    if let Some(hint) = name.and_then(hint) {
        text.push(' ');
        text.push_str(&hint);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_dimension_message_has_value_rule_and_hint() {
        let check = Check::ld(4, 3, 5, "max(1, N)");
        assert!(check.failed);
        assert_eq!(
            check.message("DGESV"),
            "DGESV: argument 4 (LDA = 3) must be >= max(1, N) = 5. LDA is the leading \
             dimension of A: for a NumPy array in Fortran order it is a.shape[0]."
        );
    }

    #[test]
    fn each_rule_reads_as_a_sentence() {
        let trans = Check::option(1, b'X', false, "'N', 'T' or 'C'");
        assert_eq!(
            trans.message("DGETRS"),
            "DGETRS: argument 1 (TRANS = 'X') must be 'N', 'T' or 'C'."
        );
        assert_eq!(
            Check::dim(1, -1).message("DGETRF"),
            "DGETRF: argument 1 (M = -1) must be >= 0."
        );
        let k = Check::between(3, 5, ("0", 0), ("N", 3));
        assert_eq!(
            k.message("DORGQR"),
            "DORGQR: argument 3 (K = 5) must be between 0 and N = 3."
        );
        let lda = Check::ld(8, 2, 3, "max(1, K) (TRANSA = 'T' or 'C')").message("DGEMM");
        assert!(lda.starts_with(
            "DGEMM: argument 8 (LDA = 2) must be >= max(1, K) = 3 (TRANSA = 'T' or 'C'). LDA is"
        ));
        let lwork = Check::workspace(7, 1, 4, "max(1, N)").message("DGEQRF");
        assert!(lwork.contains("(LWORK = 1) must be >= max(1, N) = 4, or -1"));
        assert!(lwork.contains("LWORK is the length of WORK"));
        let inc = Check::increment(8, 0).message("DGEMV");
        assert!(inc.starts_with("DGEMV: argument 8 (INCX = 0) must not be zero. INCX is"));
        let pivot = Check::rule(6, true, Value::Entry(2, 9), "must be <= N");
        assert_eq!(
            pivot.message("DGETRS"),
            "DGETRS: argument 6 (IPIV(2) = 9) must be <= N."
        );
        let anorm = Check::not_negative(5, -1.0).message("DGECON");
        assert!(anorm.contains("(ANORM = -1) must be >= 0"), "{anorm}");
    }

    #[test]
    fn passing_checks_and_the_first_failure() {
        assert!(!Check::workspace(7, -1, 4, "N").failed);
        assert!(!Check::ld(4, 1, 0, "max(1, N)").failed);
        let checks = [Check::dim(1, 2), Check::from((2, true)), Check::dim(3, -1)];
        assert_eq!(first_failed(&checks).map(|c| c.position), Some(2));
        assert!(first_failed(&checks[..1]).is_none());
        let lazily = first_failure!(Check::dim(1, 2), Check::from((2, true)), Check::dim(3, -1));
        assert_eq!(lazily.map(|c| c.position), Some(2));
        assert_eq!(first_failure!(Check::dim(1, 0)), None);
    }

    #[test]
    fn older_pairs_and_unknown_routines_still_read() {
        let generic = Check::from((3, true)).message("DGESV");
        assert!(generic.starts_with("DGESV: argument 3 (A) had an illegal value"));
        let unknown = Check::dim(2, -4).message("DLAXYZ");
        assert_eq!(unknown, "DLAXYZ: argument 2 (value -4) must be >= 0.");
    }
}
