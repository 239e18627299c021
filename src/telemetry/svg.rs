//! Small inline-SVG charts for the HTML report: stacked horizontal bars, lines over a
//! (log) axis, stacked columns. Each returns one `<svg>` element; no script, no fonts.

use std::fmt::Write;

pub const CPU: &str = "#2f6fdf";
pub const GPU: &str = "#e8590c";
const PALETTE: [&str; 8] = [
    "#2f6fdf", "#e8590c", "#2b9348", "#9c36b5", "#c92a2a", "#1098ad", "#5c940d", "#862e9c",
];

/// The `i`-th colour of a series palette.
pub fn color(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Text for SVG/HTML content and attributes.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const W: f64 = 720.0;

fn legend(out: &mut String, series: &[(&str, &str)], y: f64) {
    let mut x = 10.0;
    for (name, color) in series {
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{}" width="10" height="10" fill="{color}"/><text x="{}" y="{}">{}</text>"#,
            y - 9.0,
            x + 14.0,
            y,
            escape(name)
        );
        x += 24.0 + 7.0 * name.len() as f64;
    }
}

fn open(out: &mut String, h: f64, class: &str) {
    let _ = write!(
        out,
        r#"<svg class="{class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" width="{W}" height="{h}" font-family="sans-serif" font-size="11">"#
    );
}

/// Stacked horizontal bars: one row per `(label, values)`, values in `series` order.
pub fn bars(
    rows: &[(String, Vec<f64>)],
    series: &[(&str, &str)],
    fmt: fn(f64) -> String,
) -> String {
    let row_h = 22.0;
    let (left, right, top) = (110.0, 90.0, 24.0);
    let h = top + row_h * rows.len().max(1) as f64 + 8.0;
    let max = rows
        .iter()
        .map(|r| r.1.iter().sum::<f64>())
        .fold(0.0, f64::max)
        .max(1e-300);
    let mut out = String::new();
    open(&mut out, h, "bars");
    legend(&mut out, series, 14.0);
    for (i, (label, values)) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let _ = write!(
            out,
            r#"<text x="6" y="{}">{}</text>"#,
            y + 15.0,
            escape(label)
        );
        let mut x = left;
        for (v, (name, color)) in values.iter().zip(series) {
            let w = (W - left - right) * v / max;
            if w > 0.0 {
                let _ = write!(
                    out,
                    r#"<rect x="{x:.1}" y="{}" width="{w:.1}" height="{}" fill="{color}"><title>{} {}: {}</title></rect>"#,
                    y + 3.0,
                    row_h - 6.0,
                    escape(label),
                    escape(name),
                    fmt(*v)
                );
            }
            x += w;
        }
        let total: f64 = values.iter().sum();
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{}" fill="#667085">{}</text>"##,
            x + 4.0,
            y + 15.0,
            fmt(total)
        );
    }
    out.push_str("</svg>");
    out
}

/// One line of points.
pub struct Series {
    pub name: String,
    pub color: &'static str,
    pub points: Vec<(f64, f64)>,
}

/// Lines with markers over x (log2 scale when `log_x`, for sizes), y from 0.
pub fn lines(series: &[Series], log_x: bool, x_label: &str, y_label: &str) -> String {
    let (left, right, top, bottom, h) = (60.0, 16.0, 46.0, 34.0, 316.0);
    let tx = |x: f64| if log_x { x.max(1.0).log2() } else { x };
    let pts = series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64);
    for &(x, y) in pts {
        x0 = x0.min(tx(x));
        x1 = x1.max(tx(x));
        y1 = y1.max(y);
    }
    if !x0.is_finite() {
        (x0, x1) = (0.0, 1.0);
    }
    if x1 - x0 < 1e-9 {
        (x0, x1) = (x0 - 1.0, x1 + 1.0);
    }
    let y1 = if y1 > 0.0 { y1 * 1.1 } else { 1.0 };
    let px = |x: f64| left + (W - left - right) * (tx(x) - x0) / (x1 - x0);
    let py = |y: f64| h - bottom - (h - bottom - top) * y / y1;
    let mut out = String::new();
    open(&mut out, h, "lines");
    let names: Vec<(&str, &str)> = series.iter().map(|s| (s.name.as_str(), s.color)).collect();
    legend(&mut out, &names, 14.0);
    for i in 0..=4 {
        let v = y1 * i as f64 / 4.0;
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#e3e6eb"/><text x="4" y="{:.1}" fill="#667085">{}</text>"##,
            W - right,
            py(v) + 4.0,
            short(v),
            y = py(v)
        );
    }
    let (lo, hi) = if log_x {
        (x0.exp2(), x1.exp2())
    } else {
        (x0, x1)
    };
    let _ = write!(
        out,
        r##"<text x="{left}" y="{}" fill="#667085">{}</text><text x="{}" y="{}" text-anchor="end" fill="#667085">{}</text><text x="{}" y="{}" text-anchor="middle">{}</text><text x="4" y="{}" fill="#667085">{}</text>"##,
        h - bottom + 14.0,
        short(lo),
        W - right,
        h - bottom + 14.0,
        short(hi),
        (left + W - right) / 2.0,
        h - 6.0,
        escape(x_label),
        top - 16.0,
        escape(y_label)
    );
    for s in series {
        let path: Vec<String> = s
            .points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
            .collect();
        let _ = write!(
            out,
            r#"<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>"#,
            s.color,
            path.join(" ")
        );
        for &(x, y) in &s.points {
            let _ = write!(
                out,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{}"><title>{} {}: {}</title></circle>"#,
                px(x),
                py(y),
                s.color,
                escape(&s.name),
                short(x),
                short(y)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Stacked vertical columns: `columns[i][s]` is series `s` in column `i`.
pub fn columns(columns: &[Vec<f64>], series: &[(&str, &str)], x_from: &str, x_to: &str) -> String {
    let (left, right, top, bottom, h) = (60.0, 16.0, 30.0, 24.0, 240.0);
    let max = columns
        .iter()
        .map(|c| c.iter().sum::<f64>())
        .fold(0.0, f64::max)
        .max(1.0);
    let cw = (W - left - right) / columns.len().max(1) as f64;
    let mut out = String::new();
    open(&mut out, h, "columns");
    legend(&mut out, series, 14.0);
    for i in 0..=4 {
        let v = max * i as f64 / 4.0;
        let y = h - bottom - (h - bottom - top) * v / max;
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#e3e6eb"/><text x="4" y="{:.1}" fill="#667085">{}</text>"##,
            W - right,
            y + 4.0,
            short(v)
        );
    }
    for (i, col) in columns.iter().enumerate() {
        let mut y = h - bottom;
        for (v, (name, color)) in col.iter().zip(series) {
            let bh = (h - bottom - top) * v / max;
            if bh > 0.0 {
                y -= bh;
                let _ = write!(
                    out,
                    r#"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{bh:.1}" fill="{color}"><title>{name}: {v}</title></rect>"#,
                    left + i as f64 * cw + 0.5,
                    (cw - 1.0).max(0.5)
                );
            }
        }
    }
    let _ = write!(
        out,
        r##"<text x="{left}" y="{}" fill="#667085">{}</text><text x="{}" y="{}" text-anchor="end" fill="#667085">{}</text>"##,
        h - 6.0,
        escape(x_from),
        W - right,
        h - 6.0,
        escape(x_to)
    );
    out.push_str("</svg>");
    out
}

/// 1234567 -> "1.23M", 0.5 -> "0.5".
pub fn short(x: f64) -> String {
    let a = x.abs();
    let (d, s) = if a >= 1e9 {
        (1e9, "G")
    } else if a >= 1e6 {
        (1e6, "M")
    } else if a >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let v = x / d;
    if v.fract() == 0.0 {
        format!("{v}{s}")
    } else if v.abs() >= 100.0 {
        format!("{v:.0}{s}")
    } else {
        format!("{v:.2}{s}")
    }
}
