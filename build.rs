//! Derives everything that follows from the symbol table (symbols/reference.tsv and
//! symbols/native/*.txt):
//! the forwarding trampolines, the coverage table (with the ILP64 and `scipy_` names of
//! every native function), and include/lapack_ai.h.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::{env, fs, path::Path};

struct Symbol {
    name: String,
    family: String,
    kind: String,
}

fn read_table(path: &str) -> Vec<Symbol> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "{path}: bad line {l:?}");
            Symbol {
                name: cols[0].into(),
                family: cols[1].into(),
                kind: cols[2].into(),
            }
        })
        .collect()
}

/// Every name listed in the `*.txt` files of `dir` (one name a line, `#` comments).
fn read_native(dir: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .flatten()
        .collect();
    files.sort_by_key(|f| f.path());
    for file in files
        .iter()
        .filter(|f| f.path().extension().is_some_and(|e| e == "txt"))
    {
        let path = file.path();
        let text = fs::read_to_string(&path).unwrap();
        for name in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            assert!(
                names.insert(name.to_string()),
                "{}: {name} is listed twice",
                path.display()
            );
        }
    }
    names
}

/// The names a native function is exported under besides its own: (Abi variant,
/// prefix, suffix), the rule `for_each_abi!` in src/abi/int.rs applies.
const ABI_VARIANTS: [(&str, &str, &str); 3] = [
    ("ScipyLp64", "scipy_", ""),
    ("Ilp64", "", "64_"),
    ("ScipyIlp64", "scipy_", "64_"),
];

fn main() {
    for input in [
        "symbols/reference.tsv",
        "symbols/native",
        "src/api.rs",
        "cbindgen.toml",
    ] {
        println!("cargo:rerun-if-changed={input}");
    }
    let symbols = read_table("symbols/reference.tsv");
    let native = read_native("symbols/native");
    let known: BTreeSet<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
    for name in &native {
        assert!(
            known.contains(name.as_str()),
            "symbols/native: {name} is not in reference.tsv"
        );
    }

    // Trampolines for every name without a native body, and the coverage table.
    let forwarded: Vec<&Symbol> = symbols
        .iter()
        .filter(|s| !native.contains(&s.name))
        .collect();
    for s in &forwarded {
        assert_eq!(
            s.kind, "func",
            "{} is data: data symbols must be native",
            s.name
        );
    }
    let mut out = String::new();
    writeln!(
        out,
        "pub const FORWARDED_COUNT: usize = {};",
        forwarded.len()
    )
    .unwrap();
    writeln!(
        out,
        "pub static FORWARDED_NAMES: [&core::ffi::CStr; {}] = [",
        forwarded.len()
    )
    .unwrap();
    for s in &forwarded {
        writeln!(out, "    c\"{}\",", s.name).unwrap();
    }
    writeln!(out, "];").unwrap();
    for (index, s) in forwarded.iter().enumerate() {
        writeln!(out, "trampoline!({}, {index});", s.name).unwrap();
    }
    let out_dir = env::var("OUT_DIR").unwrap();
    fs::write(Path::new(&out_dir).join("trampolines.rs"), out).unwrap();

    let mut table = String::from("pub static SYMBOLS: &[Symbol] = &[\n");
    for s in &symbols {
        let family = match s.family.as_str() {
            "blas" => "Blas",
            "cblas" => "Cblas",
            "lapack" => "Lapack",
            "lapacke" => "Lapacke",
            other => panic!("unknown family {other}"),
        };
        writeln!(
            table,
            "    Symbol {{ name: {:?}, family: Family::{family}, native: {} }},",
            s.name,
            native.contains(&s.name)
        )
        .unwrap();
    }
    table.push_str("];\n");

    // The other three ABI names of every native function (src/abi/int.rs, for_each_abi!,
    // exports them; forwarded names and data have only their plain name).
    table.push_str("pub static ABI_NAMES: &[AbiName] = &[\n");
    for s in symbols
        .iter()
        .filter(|s| s.kind == "func" && native.contains(&s.name))
    {
        for (abi, prefix, suffix) in ABI_VARIANTS {
            writeln!(
                table,
                "    AbiName {{ name: \"{prefix}{}{suffix}\", base: {:?}, abi: Abi::{abi} }},",
                s.name, s.name
            )
            .unwrap();
        }
    }
    table.push_str("];\n");
    fs::write(Path::new(&out_dir).join("symbols.rs"), table).unwrap();

    // The shared object's soname, so that -llapack_ai links record a versioned name.
    let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap();
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,liblapack_ai.so.{major}");

    write_header();
}

/// include/lapack_ai.h from src/api.rs alone (the BLAS/LAPACK names have their own headers).
fn write_header() {
    let config = cbindgen::Config::from_file("cbindgen.toml").expect("cbindgen.toml");
    let mut header = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src("src/api.rs")
        .generate()
        .expect("cbindgen could not read src/api.rs")
        .write(&mut header);
    let path = Path::new("include/lapack_ai.h");
    if fs::read(path).ok().as_deref() != Some(&header[..]) {
        fs::write(path, header).expect("write include/lapack_ai.h");
    }
}
