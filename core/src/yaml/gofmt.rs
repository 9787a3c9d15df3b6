//! Go's formatting of scalars, so that messages show values exactly as the API server would.
//!
//! The API server words its messages with Go's `fmt`: strings appear as `%q` (`"abc"`), numbers
//! and booleans as `%v` (`80`, `1.5`, `true`). sigs.k8s.io/yaml turns a float map key into a JSON
//! object key with `strconv.FormatFloat(f, 'g', -1, 32)`. The three functions here reproduce
//! those formats. They are pure and total: every input has an output.

/// Quotes `s` as Go's `strconv.Quote` (and so `%q`) does, as API server messages quote strings.
///
/// Printable characters are kept, `"` and `\` are escaped, the usual control characters get
/// their short escapes and everything else that is not printable becomes `\xHH`, `\uHHHH` or
/// `\UHHHHHHHH`. Go decides "printable" with `unicode.IsPrint`; Rust has no Unicode category
/// table in std, so `is_go_printable` approximates it for the characters a manifest may hold
/// (control characters, spaces other than U+0020, format characters, private use).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x1_0000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Whether Go's `unicode.IsPrint` holds for `c`: letters, marks, numbers, punctuation,
/// symbols and the ASCII space; not controls, other spaces, format characters (Cf), private
/// use (Co) or the noncharacters U+FFFE and U+FFFF.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x1D173..=0x1D17A | 0xE0001
        | 0xE0020..=0xE007F | 0xE000..=0xF8FF | 0xFFFE..=0xFFFF | 0xF_0000..=0x10_FFFF)
}

/// Formats `f` as Go's `%v` does for a `float64` (`strconv.FormatFloat(f, 'g', -1, 64)`): the
/// shortest digits that round-trip, in positional notation unless the decimal exponent is below
/// -4 or at least 6 (`1e+06`).
pub(crate) fn float_v(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    shortest_g(&format!("{f:e}"), 6)
}

/// Formats `f` as `strconv.FormatFloat(f, 'g', -1, 32)`, then maps the infinities and NaN to
/// `.inf`, `-.inf` and `.nan`: exactly how sigs.k8s.io/yaml turns a float map key into a JSON
/// object key.
pub(crate) fn float_key(f: f64) -> String {
    // Rounding to the nearest f32 is the conversion Go's FormatFloat performs for bitSize 32.
    let single = f as f32;
    if single.is_nan() {
        return ".nan".to_string();
    }
    if single.is_infinite() {
        return if single > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    shortest_g(&format!("{single:e}"), 6)
}

/// Turns Rust's shortest scientific form (`-1.25e-7`, `0e0`) into Go's `%g` with the given
/// exponent threshold: scientific (`1.25e-07`) when the exponent is below -4 or at least
/// `threshold`, positional (`0.000125`) otherwise.
fn shortest_g(scientific: &str, threshold: i32) -> String {
    let (negative, unsigned) = match scientific.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, scientific),
    };
    let (mantissa, exponent) = unsigned.split_once('e').unwrap_or((unsigned, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if exponent < -4 || exponent >= threshold {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exponent.unsigned_abs()));
    } else if exponent < 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
        out.push_str(&digits);
    } else {
        // The decimal point goes after `exponent + 1` digits, padding with zeros if needed.
        let point = (exponent + 1) as usize;
        if digits.len() <= point {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', point - digits.len()));
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected strings are what Go prints: fmt.Sprintf("%q", s) and strconv.Quote(s).
    #[test]
    fn quote_matches_go_strconv_quote() {
        assert_eq!(quote("abc"), r#""abc""#);
        assert_eq!(quote(r#"say "hi"\"#), r#""say \"hi\"\\""#);
        assert_eq!(quote("a\tb\nc"), r#""a\tb\nc""#);
        assert_eq!(quote("\u{1b}[0m"), r#""\x1b[0m""#);
        assert_eq!(quote("café ☕"), "\"café ☕\"");
        assert_eq!(quote("no\u{a0}break"), r#""no\u00a0break""#);
        assert_eq!(quote("\u{feff}bom"), r#""\ufeffbom""#);
        assert_eq!(quote("\u{10_0000}"), r#""\U00100000""#);
    }

    // fmt.Sprintf("%v", f) for float64 is %g with the shortest digits, so it switches to the
    // exponent form below 1e-4 and from 1e6 on (fmt.Println(123456789.0) prints 1.23456789e+08).
    #[test]
    fn float_v_matches_go_percent_v() {
        assert_eq!(float_v(1.5), "1.5");
        assert_eq!(float_v(80.0), "80");
        assert_eq!(float_v(-0.0), "-0");
        assert_eq!(float_v(0.0001), "0.0001");
        assert_eq!(float_v(0.00001), "1e-05");
        assert_eq!(float_v(123456.0), "123456");
        assert_eq!(float_v(123456789.0), "1.23456789e+08");
        assert_eq!(float_v(1e21), "1e+21");
        assert_eq!(float_v(1.8446744073709552e19), "1.8446744073709552e+19");
        assert_eq!(float_v(-2.5e-300), "-2.5e-300");
        assert_eq!(float_v(f64::INFINITY), "+Inf");
        assert_eq!(float_v(f64::NEG_INFINITY), "-Inf");
        assert_eq!(float_v(f64::NAN), "NaN");
    }

    // strconv.FormatFloat(f, 'g', -1, 32) switches to %e at exponent < -4 or >= 6.
    #[test]
    fn float_key_matches_go_format_float_g_32() {
        assert_eq!(float_key(1.5), "1.5");
        assert_eq!(float_key(0.1), "0.1");
        assert_eq!(float_key(100000.0), "100000");
        assert_eq!(float_key(1e6), "1e+06");
        assert_eq!(float_key(123456789.0), "1.2345679e+08");
        assert_eq!(float_key(0.00001), "1e-05");
        assert_eq!(float_key(f64::INFINITY), ".inf");
        assert_eq!(float_key(f64::NEG_INFINITY), "-.inf");
        assert_eq!(float_key(f64::NAN), ".nan");
    }
}
