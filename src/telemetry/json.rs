//! The little JSON we write (trace lines, the stats object) and read back (trace lines:
//! flat objects of strings and numbers). No dependency.

use super::counters::Row;

/// Appends `s` as a JSON string literal.
pub fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A number JSON accepts (NaN and infinities become 0).
pub fn number(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "0".into()
    }
}

/// The counters as one JSON object (the body of `lapack_ai_stats_json`).
pub fn stats(rows: &[Row], timed_min_flops: u64) -> String {
    stats_with(rows, timed_min_flops, "")
}

/// As [`stats`], with `extra` (`"key":value` pairs, comma-separated) appended to the object.
pub fn stats_with(rows: &[Row], timed_min_flops: u64, extra: &str) -> String {
    let mut out = String::from("{\"version\":");
    string(&mut out, env!("CARGO_PKG_VERSION"));
    out.push_str(&format!(
        ",\"timed_min_flops\":{timed_min_flops},\"routines\":["
    ));
    for (i, row) in rows.iter().enumerate() {
        let t = &row.totals;
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"routine\":");
        string(&mut out, &row.routine);
        out.push_str(&format!(
            ",\"backend\":\"{}\",\"calls\":{},\"flops\":{},\"bytes\":{},\"timed_calls\":{},\
             \"timed_flops\":{},\"ns\":{}}}",
            row.backend.name(),
            t.calls,
            t.flops,
            t.bytes,
            t.timed_calls,
            t.timed_flops,
            t.ns
        ));
    }
    out.push(']');
    if !extra.is_empty() {
        out.push(',');
        out.push_str(extra);
    }
    out.push('}');
    out
}

/// A value of a flat JSON object.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Num(x) => Some(*x),
            _ => None,
        }
    }
}

/// Parses one flat JSON object (`{"k": "v", "n": 1.5}`); None if it is not one.
pub fn parse_object(text: &str) -> Option<Vec<(String, Value)>> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    p.ws();
    p.eat(b'{')?;
    let mut fields = Vec::new();
    p.ws();
    if p.eat(b'}').is_some() {
        return p.end(fields);
    }
    loop {
        p.ws();
        let key = p.string()?;
        p.ws();
        p.eat(b':')?;
        p.ws();
        let value = p.value()?;
        fields.push((key, value));
        p.ws();
        if p.eat(b',').is_some() {
            continue;
        }
        p.eat(b'}')?;
        return p.end(fields);
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.s.get(self.i) == Some(&c)).then(|| self.i += 1)
    }
    fn end<T>(&mut self, v: T) -> Option<T> {
        self.ws();
        (self.i == self.s.len()).then_some(v)
    }
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            let c = *self.s.get(self.i)?;
            self.i += 1;
            match c {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = std::str::from_utf8(self.s.get(self.i..self.i + 4)?).ok()?;
                            self.i += 4;
                            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                            out.extend_from_slice(c.to_string().as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                c => out.push(c),
            }
        }
    }
    fn value(&mut self) -> Option<Value> {
        match *self.s.get(self.i)? {
            b'"' => self.string().map(Value::Str),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'n' => self.word("null", Value::Null),
            _ => {
                let start = self.i;
                while self.i < self.s.len() && b"+-.eE0123456789".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i]).ok()?;
                text.parse().ok().map(Value::Num)
            }
        }
    }
    fn word(&mut self, w: &str, v: Value) -> Option<Value> {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Some(v)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut s = String::from("{\"a\":");
        string(&mut s, "x \"y\"\n\\");
        s.push_str(",\"b\": -1.5e3, \"c\":true,\"d\":null}");
        let f = parse_object(&s).unwrap();
        assert_eq!(f[0], ("a".into(), Value::Str("x \"y\"\n\\".into())));
        assert_eq!(f[1].1, Value::Num(-1500.0));
        assert_eq!(f[2].1, Value::Bool(true));
        assert_eq!(f[3].1, Value::Null);
        assert!(parse_object("{\"a\":1} x").is_none());
        assert!(parse_object("[1]").is_none());
        assert_eq!(parse_object(" {} ").unwrap(), vec![]);
    }
}
