//! Scalar resolution: the type a YAML scalar has once `kubectl` has read it.
//!
//! kubectl converts YAML to JSON with sigs.k8s.io/yaml, which decodes with go-yaml v2 (its fork
//! `goyaml.v2`, based on v2.4.0). go-yaml v2 implements YAML 1.1 resolution, so these rules are
//! not YAML 1.2's core schema. They follow `resolve()` in `goyaml.v2/resolve.go` and `scalar()`
//! in `decode.go`:
//!
//! - A quoted or block (`|`, `>`) scalar without a tag is a string.
//! - A plain scalar is looked up by its first byte. `+`, `-` and digits may start a number;
//!   `y Y n N t T f F o O ~` may start a word from the table (YAML 1.1 booleans `y`, `yes`,
//!   `on`, `n`, `no`, `off` in three casings each, and the nulls `~ null Null NULL`); `.` may
//!   start `.inf`/`.nan` or a float. Anything else is a string.
//! - Numbers: underscores are dropped, then Go's `strconv.ParseInt(s, 0, 64)` decides: an
//!   optional sign, then `0x`, `0o`, `0b` or a bare leading `0` (octal, YAML 1.1 style) selects
//!   the base. Integers above `int64` but within `uint64` or beyond (`big.Int` in the fork) are
//!   still integers. Failing that, text matching
//!   `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` is a float (so `08` is the float 8
//!   and `1e3` the float 1000); a float that overflows is a string.
//! - Timestamps (`2001-12-14`) are resolved but then kept as strings when decoding into
//!   `interface{}`, which is what YAML-to-JSON does, so they are strings here too.
//! - Explicit tags: `!!str` forces a string; `!!int`, `!!float`, `!!bool`, `!!null` resolve
//!   the text and fail unless it has that type (an integer is accepted as a `!!float`).
//!   Any other tag (`!custom`, `!`, `!!binary`, `!!timestamp`) leaves the text a string.
//!
//! `kubeplay` keeps integers in `i64`; an integer beyond it is kept as the nearest `f64`, which
//! is enough for everything downstream (it is out of range for every API field either way).

use super::Value;
use std::borrow::Cow;

/// The long form of the YAML core tags, as saphyr and go-yaml both report them.
const CORE: &str = "tag:yaml.org,2002:";

/// What a scalar resolved to, before it becomes a [`Value`]. Integers beyond `i64` are kept
/// apart from floats because `!!float` rejects them (go-yaml only converts `int`/`int64`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    BigInt(f64),
    Float(f64),
    Str,
}

impl Kind {
    /// The short tag go-yaml names this kind by in its messages.
    fn short_tag(self) -> &'static str {
        match self {
            Kind::Null => "!!null",
            Kind::Bool(_) => "!!bool",
            Kind::Int(_) | Kind::BigInt(_) => "!!int",
            Kind::Float(_) => "!!float",
            Kind::Str => "!!str",
        }
    }

    fn into_value(self, text: Cow<'_, str>) -> Value {
        match self {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(b),
            Kind::Int(i) => Value::Int(i),
            Kind::BigInt(f) | Kind::Float(f) => Value::Float(f),
            Kind::Str => Value::Str(text.into_owned()),
        }
    }
}

/// Resolves an untagged plain scalar; a string keeps `text`'s buffer when it owns one.
pub(crate) fn plain<'t>(text: impl Into<Cow<'t, str>>) -> Value {
    let text = text.into();
    resolve(&text).into_value(text)
}

/// Resolves a scalar carrying the explicit tag `tag` (in long form, e.g.
/// `tag:yaml.org,2002:int`, or a local tag such as `!custom`). The error is go-yaml's message.
pub(crate) fn tagged(tag: &str, text: &str) -> Result<Value, String> {
    let Some(wanted) = tag.strip_prefix(CORE) else {
        return Ok(Value::Str(text.to_string()));
    };
    let kind = resolve(text);
    let fits = match (wanted, kind) {
        ("null", Kind::Null)
        | ("bool", Kind::Bool(_))
        | ("int", Kind::Int(_) | Kind::BigInt(_))
        | ("float", Kind::Float(_)) => Some(kind.into_value(Cow::Borrowed(text))),
        // go-yaml converts an `int` (not a `uint64` or `big.Int`) to float64 for `!!float`.
        ("float", Kind::Int(i)) => Some(Value::Float(i as f64)),
        ("null" | "bool" | "int" | "float", _) => None,
        _ => Some(Value::Str(text.to_string())),
    };
    fits.ok_or_else(|| format!("cannot decode {} `{text}` as a !!{wanted}", kind.short_tag()))
}

/// go-yaml v2's `resolve` for the empty tag.
fn resolve(text: &str) -> Kind {
    let Some(&first) = text.as_bytes().first() else {
        return Kind::Null;
    };
    if !matches!(
        first,
        b'+' | b'-' | b'0'..=b'9' | b'.' | b'~' | b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O'
    ) {
        return Kind::Str;
    }
    if let Some(kind) = from_table(text) {
        return kind;
    }
    match first {
        b'.' => match go_parse_float(text) {
            Some(f) if is_dot_float(text) => Kind::Float(f),
            _ => Kind::Str,
        },
        b'+' | b'-' | b'0'..=b'9' => number(&text.replace('_', "")),
        _ => Kind::Str,
    }
}

/// The words go-yaml v2 resolves by table lookup (`resolveMapList`). `<<` is in that table
/// as the merge tag; as a value it decodes to the string `<<`, so it is left out here.
fn from_table(text: &str) -> Option<Kind> {
    Some(match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Kind::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Kind::Bool(false),
        "~" | "null" | "Null" | "NULL" => Kind::Null,
        ".nan" | ".NaN" | ".NAN" => Kind::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Kind::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Kind::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// The sign/digit branch of `resolve`, on text whose underscores are already removed: Go's
/// `ParseInt`, then `ParseUint`, then the float pattern, then `big.Int` when `ParseUint` only
/// failed because the value was too large.
fn number(plain: &str) -> Kind {
    let literal = GoInt::parse(plain);
    if let Some(int) = &literal {
        if let Some(i) = int.to_i64() {
            return Kind::Int(i);
        }
        if !int.signed && int.to_u64().is_some() {
            return Kind::BigInt(int.approximate());
        }
    }
    if is_yaml_style_float(plain) {
        if let Some(f) = go_parse_float(plain) {
            return Kind::Float(f);
        }
    }
    match literal {
        // `strconv.ParseUint` takes no sign, so only an unsigned literal gets this far.
        Some(int) if !int.signed => Kind::BigInt(int.approximate()),
        _ => Kind::Str,
    }
}

/// An integer literal in the syntax of Go's `strconv.ParseInt(s, 0, 64)`.
struct GoInt<'a> {
    signed: bool,
    negative: bool,
    base: u32,
    digits: &'a str,
}

impl<'a> GoInt<'a> {
    fn parse(s: &'a str) -> Option<GoInt<'a>> {
        let (signed, negative, unsigned) = match s.as_bytes().first() {
            Some(b'+') => (true, false, &s[1..]),
            Some(b'-') => (true, true, &s[1..]),
            _ => (false, false, s),
        };
        let bytes = unsigned.as_bytes();
        let (base, digits) = match bytes {
            [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'x') => (16, &unsigned[2..]),
            [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'o') => (8, &unsigned[2..]),
            [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'b') => (2, &unsigned[2..]),
            [b'0', _, ..] => (8, &unsigned[1..]),
            _ => (10, unsigned),
        };
        let valid = !digits.is_empty() && digits.chars().all(|c| c.is_digit(base));
        valid.then_some(GoInt { signed, negative, base, digits })
    }

    fn to_u64(&self) -> Option<u64> {
        u64::from_str_radix(self.digits, self.base).ok()
    }

    fn to_i64(&self) -> Option<i64> {
        let magnitude = self.to_u64()?;
        if self.negative {
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        }
    }

    /// The value as the nearest `f64`, for integers beyond `i64`.
    fn approximate(&self) -> f64 {
        let magnitude = if self.base == 10 {
            self.digits.parse::<f64>().unwrap_or(f64::INFINITY)
        } else if let Ok(exact) = u128::from_str_radix(self.digits, self.base) {
            exact as f64
        } else {
            self.digits
                .chars()
                .filter_map(|c| c.to_digit(self.base))
                .fold(0.0, |acc, d| acc * f64::from(self.base) + f64::from(d))
        };
        if self.negative {
            -magnitude
        } else {
            magnitude
        }
    }
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && fraction.bytes().all(|b| b.is_ascii_digit()),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// Whether text starting with `.` is a float Go's `strconv.ParseFloat` accepts: `.5`, `.5e3`.
fn is_dot_float(s: &str) -> bool {
    s.starts_with('.') && is_yaml_style_float(s)
}

/// `strconv.ParseFloat(s, 64)` for text already known to be decimal float syntax: the value,
/// or `None` when it overflows (Go reports `ErrRange` and go-yaml keeps the text a string).
fn go_parse_float(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Value {
        plain(text)
    }

    // go-yaml v2 resolve.go resolveMapList: YAML 1.1 booleans, three casings each.
    #[test]
    fn yaml_1_1_booleans_resolve_like_go_yaml_v2() {
        for t in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] {
            assert_eq!(kind(t), Value::Bool(true), "{t}");
        }
        for t in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] {
            assert_eq!(kind(t), Value::Bool(false), "{t}");
        }
        for t in ["yEs", "tRUE", "oN", "nO", "yes please", "Yess"] {
            assert_eq!(kind(t), Value::Str(t.into()), "{t}");
        }
    }

    // go-yaml v2 resolve.go: `~ null Null NULL` and the empty plain scalar are null.
    #[test]
    fn nulls_resolve_like_go_yaml_v2() {
        for t in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(kind(t), Value::Null, "{t:?}");
        }
        assert_eq!(kind("nULL"), Value::Str("nULL".into()));
    }

    // strconv.ParseInt(s, 0, 64) after dropping underscores.
    #[test]
    fn integers_follow_go_parse_int_base_0() {
        let cases = [
            ("80", 80),
            ("-80", -80),
            ("+80", 80),
            ("0", 0),
            ("-0", 0),
            ("0x1F", 31),
            ("0X1f", 31),
            ("-0x10", -16),
            ("0o17", 15),
            ("0O17", 15),
            ("017", 15),
            ("0b101", 5),
            ("1_000", 1000),
            ("0x_ff", 255),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
        ];
        for (t, i) in cases {
            assert_eq!(kind(t), Value::Int(i), "{t}");
        }
    }

    // yamlStyleFloat and strconv.ParseFloat; `08` is not octal, so it falls through to float.
    #[test]
    fn floats_follow_yaml_style_float() {
        let cases = [
            ("1.5", 1.5),
            ("-.5", -0.5),
            ("+.5", 0.5),
            (".5", 0.5),
            ("1.", 1.0),
            ("1e3", 1000.0),
            ("1E+3", 1000.0),
            ("08", 8.0),
            ("1_000.5", 1000.5),
            ("1e-400", 0.0),
        ];
        for (t, f) in cases {
            assert_eq!(kind(t), Value::Float(f), "{t}");
        }
        assert_eq!(kind(".inf"), Value::Float(f64::INFINITY));
        assert_eq!(kind("-.Inf"), Value::Float(f64::NEG_INFINITY));
        assert!(matches!(kind(".NaN"), Value::Float(f) if f.is_nan()));
    }

    // Integers beyond int64 stay numbers (uint64 / big.Int in the fork), except signed
    // non-decimal ones, which neither ParseUint nor the float pattern accept.
    #[test]
    fn integers_beyond_int64_stay_numbers() {
        assert_eq!(kind("9223372036854775808"), Value::Float(9223372036854775808.0));
        assert_eq!(kind("-9223372036854775809"), Value::Float(-9223372036854775809.0));
        assert_eq!(kind("0x1_0000_0000_0000_0000"), Value::Float(18446744073709551616.0));
        assert_eq!(kind("-0x1_0000_0000_0000_0000"), Value::Str("-0x1_0000_0000_0000_0000".into()));
    }

    #[test]
    fn everything_else_is_a_string() {
        for t in [
            "-",
            "+",
            "0x",
            "0b",
            "0b2",
            "1.2.3",
            "12:30",
            "1,000",
            "2001-12-14",
            "1e400",
            ".e5",
            ".inF",
            "<<",
            "_1",
            "abc",
            "é",
            "-a",
            "0x1g",
            "99999999999999999999x",
        ] {
            assert_eq!(kind(t), Value::Str(t.into()), "{t}");
        }
    }

    // decode.go scalar(): a tag forces resolution; mismatches fail with go-yaml's message.
    #[test]
    fn explicit_tags_are_honoured() {
        let t = |tag: &str, text: &str| tagged(&format!("{CORE}{tag}"), text);
        assert_eq!(t("str", "80"), Ok(Value::Str("80".into())));
        assert_eq!(t("str", "true"), Ok(Value::Str("true".into())));
        assert_eq!(t("int", "0x10"), Ok(Value::Int(16)));
        assert_eq!(t("float", "1"), Ok(Value::Float(1.0)));
        assert_eq!(t("bool", "yes"), Ok(Value::Bool(true)));
        assert_eq!(t("null", ""), Ok(Value::Null));
        assert_eq!(t("int", "abc"), Err("cannot decode !!str `abc` as a !!int".into()));
        assert_eq!(t("int", "1.5"), Err("cannot decode !!float `1.5` as a !!int".into()));
        assert_eq!(t("bool", "1"), Err("cannot decode !!int `1` as a !!bool".into()));
        assert_eq!(t("null", "x"), Err("cannot decode !!str `x` as a !!null".into()));
        assert_eq!(t("timestamp", "2001-12-14"), Ok(Value::Str("2001-12-14".into())));
        assert_eq!(tagged("!custom", "80"), Ok(Value::Str("80".into())));
        assert_eq!(tagged("!", "80"), Ok(Value::Str("80".into())));
    }
}
