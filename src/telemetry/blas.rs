//! The telemetry hooks of the native BLAS entries: routine identity, flop count, bytes
//! and shape of each level-2 and level-3 call, from its (already checked) arguments.
//!
//! Flops: a multiply-add is 2 flops on real scalars and 8 on complex ones; scaling by
//! beta is not counted. Bytes: every operand the call touches, each counted once
//! (the referenced triangle for symmetric/triangular/packed matrices, the band for band
//! matrices, taken at full bandwidth).

use super::call::{begin, Call};
use super::routine::Family;
use crate::abi::blas_level2::{TriangleArgs, UpdateArgs};
use crate::family;
use crate::scalar::Scalar;

/// Flops of one multiply-add.
fn fma<T: Scalar>() -> u64 {
    if T::IS_COMPLEX {
        8
    } else {
        2
    }
}

fn size<T: Scalar>() -> u64 {
    std::mem::size_of::<T>() as u64
}

/// Non-negative (checked) dimension as u64.
fn d(x: i64) -> u64 {
    x.max(0) as u64
}

fn tri(n: u64) -> u64 {
    n * (n + 1) / 2
}

fn up(c: u8) -> char {
    c.to_ascii_uppercase() as char
}

static GEMM: Family = family!("GEMM");
static SYMM: Family = family!("SYMM");
static HEMM: Family = family!("HEMM");
static SYRK: Family = family!("SYRK");
static HERK: Family = family!("HERK");
static SYR2K: Family = family!("SYR2K");
static HER2K: Family = family!("HER2K");
static TRMM: Family = family!("TRMM");
static TRSM: Family = family!("TRSM");

#[inline(always)]
pub fn gemm<T: Scalar>(ta: u8, tb: u8, m: i64, n: i64, k: i64) -> Call {
    let (m_, n_, k_) = (d(m), d(n), d(k));
    let flops = fma::<T>() * m_ * n_ * k_;
    let bytes = (m_ * k_ + k_ * n_ + m_ * n_) * size::<T>();
    begin(GEMM.of::<T>(), flops, bytes, move || {
        format!("m={m} n={n} k={k} {}{}", up(ta), up(tb))
    })
}

#[inline(always)]
pub fn symm<T: Scalar>(hermitian: bool, side: u8, uplo: u8, m: i64, n: i64) -> Call {
    let (m_, n_) = (d(m), d(n));
    let na = if side.eq_ignore_ascii_case(&b'L') {
        m_
    } else {
        n_
    };
    let flops = fma::<T>() * na * m_ * n_;
    let bytes = (tri(na) + 2 * m_ * n_) * size::<T>();
    let family = if hermitian { &HEMM } else { &SYMM };
    begin(family.of::<T>(), flops, bytes, move || {
        format!("m={m} n={n} {}{}", up(side), up(uplo))
    })
}

#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub fn rank_k<T: Scalar>(hermitian: bool, two: bool, uplo: u8, trans: u8, n: i64, k: i64) -> Call {
    let (n_, k_) = (d(n), d(k));
    let operands = if two { 2 } else { 1 };
    let flops = fma::<T>() * tri(n_) * k_ * operands;
    let bytes = (operands * n_ * k_ + tri(n_)) * size::<T>();
    let family = match (hermitian, two) {
        (false, false) => &SYRK,
        (true, false) => &HERK,
        (false, true) => &SYR2K,
        (true, true) => &HER2K,
    };
    begin(family.of::<T>(), flops, bytes, move || {
        format!("n={n} k={k} {}{}", up(uplo), up(trans))
    })
}

#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub fn trxm<T: Scalar>(
    solve: bool,
    side: u8,
    uplo: u8,
    trans: u8,
    diag: u8,
    m: i64,
    n: i64,
) -> Call {
    let (m_, n_) = (d(m), d(n));
    let (na, other) = if side.eq_ignore_ascii_case(&b'L') {
        (m_, n_)
    } else {
        (n_, m_)
    };
    let flops = fma::<T>() * tri(na) * other;
    let bytes = (tri(na) + m_ * n_) * size::<T>();
    let family = if solve { &TRSM } else { &TRMM };
    begin(family.of::<T>(), flops, bytes, move || {
        format!(
            "m={m} n={n} {}{}{}{}",
            up(side),
            up(uplo),
            up(trans),
            up(diag)
        )
    })
}

// Level 2. The symmetric routines are S/D SY.., SB.., SP.. and C/Z HE.., HB.., HP...

static GEMV: Family = family!("GEMV");
static GBMV: Family = family!("GBMV");
static HEMV: Family = Family::new(["SSYMV", "DSYMV", "CHEMV", "ZHEMV"]);
static HBMV: Family = Family::new(["SSBMV", "DSBMV", "CHBMV", "ZHBMV"]);
static HPMV: Family = Family::new(["SSPMV", "DSPMV", "CHPMV", "ZHPMV"]);
static TRMV: Family = family!("TRMV");
static TBMV: Family = family!("TBMV");
static TPMV: Family = family!("TPMV");
static TRSV: Family = family!("TRSV");
static TBSV: Family = family!("TBSV");
static TPSV: Family = family!("TPSV");
static GERU: Family = Family::new(["SGER", "DGER", "CGERU", "ZGERU"]);
static GERC: Family = Family::new(["SGER", "DGER", "CGERC", "ZGERC"]);
static HER: Family = Family::new(["SSYR", "DSYR", "CHER", "ZHER"]);
static HPR: Family = Family::new(["SSPR", "DSPR", "CHPR", "ZHPR"]);
static HER2: Family = Family::new(["SSYR2", "DSYR2", "CHER2", "ZHER2"]);
static HPR2: Family = Family::new(["SSPR2", "DSPR2", "CHPR2", "ZHPR2"]);

#[inline(always)]
pub fn gemv<T: Scalar>(trans: u8, m: i64, n: i64) -> Call {
    let (m_, n_) = (d(m), d(n));
    let flops = fma::<T>() * m_ * n_;
    let bytes = (m_ * n_ + m_ + n_) * size::<T>();
    begin(GEMV.of::<T>(), flops, bytes, move || {
        format!("m={m} n={n} {}", up(trans))
    })
}

#[inline(always)]
pub fn gbmv<T: Scalar>(trans: u8, m: i64, n: i64, kl: i64, ku: i64) -> Call {
    let (m_, n_) = (d(m), d(n));
    let band = m_.min(d(kl) + d(ku) + 1) * n_;
    let flops = fma::<T>() * band;
    let bytes = (band + m_ + n_) * size::<T>();
    begin(GBMV.of::<T>(), flops, bytes, move || {
        format!("m={m} n={n} kl={kl} ku={ku} {}", up(trans))
    })
}

/// SYMV/HEMV (`k` None, not packed), SBMV/HBMV (`k` Some), SPMV/HPMV (`packed`).
#[inline(always)]
pub fn hemv<T: Scalar>(uplo: u8, n: i64, k: Option<i64>, packed: bool) -> Call {
    let n_ = d(n);
    let (family, work, stored) = match k {
        Some(k) => (&HBMV, n_ * n_.min(2 * d(k) + 1), n_ * n_.min(d(k) + 1)),
        None if packed => (&HPMV, n_ * n_, tri(n_)),
        None => (&HEMV, n_ * n_, tri(n_)),
    };
    let flops = fma::<T>() * work;
    let bytes = (stored + 2 * n_) * size::<T>();
    begin(family.of::<T>(), flops, bytes, move || match k {
        Some(k) => format!("n={n} k={k} {}", up(uplo)),
        None => format!("n={n} {}", up(uplo)),
    })
}

/// TRMV, TBMV, TPMV and (`solve`) TRSV, TBSV, TPSV.
#[inline(always)]
pub fn trxv<T: Scalar>(
    solve: bool,
    storage: TriangleArgs,
    uplo: u8,
    trans: u8,
    diag: u8,
    n: i64,
) -> Call {
    let n_ = d(n);
    let (family, stored, k) = match (storage, solve) {
        (TriangleArgs::Full { .. }, false) => (&TRMV, tri(n_), None),
        (TriangleArgs::Full { .. }, true) => (&TRSV, tri(n_), None),
        (TriangleArgs::Band { k, .. }, s) => {
            let fam = if s { &TBSV } else { &TBMV };
            (fam, n_ * n_.min(d(k) + 1), Some(k))
        }
        (TriangleArgs::Packed, false) => (&TPMV, tri(n_), None),
        (TriangleArgs::Packed, true) => (&TPSV, tri(n_), None),
    };
    let flops = fma::<T>() * stored;
    let bytes = (stored + n_) * size::<T>();
    begin(family.of::<T>(), flops, bytes, move || {
        let ops = format!("{}{}{}", up(uplo), up(trans), up(diag));
        match k {
            Some(k) => format!("n={n} k={k} {ops}"),
            None => format!("n={n} {ops}"),
        }
    })
}

/// GER, GERU and GERC (`base` is the name the entry reports errors under).
#[inline(always)]
pub fn ger<T: Scalar>(base: &str, m: i64, n: i64) -> Call {
    let (m_, n_) = (d(m), d(n));
    let flops = fma::<T>() * m_ * n_;
    let bytes = (m_ * n_ + m_ + n_) * size::<T>();
    let family = if base.as_bytes().last() == Some(&b'C') {
        &GERC
    } else {
        &GERU
    };
    begin(family.of::<T>(), flops, bytes, move || {
        format!("m={m} n={n}")
    })
}

/// SYR/HER, SPR/HPR, and (`two`) SYR2/HER2, SPR2/HPR2.
#[inline(always)]
pub fn her<T: Scalar>(two: bool, storage: UpdateArgs, uplo: u8, n: i64) -> Call {
    let n_ = d(n);
    let packed = matches!(storage, UpdateArgs::Packed);
    let family = match (two, packed) {
        (false, false) => &HER,
        (false, true) => &HPR,
        (true, false) => &HER2,
        (true, true) => &HPR2,
    };
    let vectors = if two { 2 } else { 1 };
    let flops = fma::<T>() * tri(n_) * vectors;
    let bytes = (tri(n_) + vectors * n_) * size::<T>();
    begin(family.of::<T>(), flops, bytes, move || {
        format!("n={n} {}", up(uplo))
    })
}
