//! BIND's `$GENERATE` directive: `$GENERATE range lhs [ttl] [class] type rhs`.
//!
//! `range` is `start-stop[/step]`. In `lhs` and `rhs`, `$` stands for the
//! current value, `${offset[,width[,base]]}` adds an offset and formats it
//! (base `d`, `o`, `x`, `X`, or `n`/`N` for reversed nibbles as in
//! ip6.arpa), and `\$` (or the older `$$`) is a literal `$`.
//!
//! BIND defines the directive (there is no RFC), so its arithmetic is
//! BIND's: the iterator and `value + offset` are C `int`s. The range ends
//! must lie in 0..=2^31-1, and a sum above 2^31-1 is an error ("out of
//! range" in BIND) rather than a wrapped number. A negative sum is allowed:
//! `d` prints it signed (`-19`, width `-003`), while `o`, `x`, `X`, `n` and
//! `N` print its 32-bit two's complement (`fffffffb`), as BIND's `printf`
//! of an `int` under an unsigned conversion does. An offset that is not an
//! `int` is refused (BIND's `sscanf` would silently truncate it).

/// The largest iterator value and the largest `value + offset`.
pub const MAX_VALUE: u32 = i32::MAX as u32;

/// An iteration range `start-stop[/step]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: u32,
    pub stop: u32,
    pub step: u32,
}

impl Range {
    pub fn parse(text: &[u8]) -> Result<Range, String> {
        let s = std::str::from_utf8(text).map_err(|_| "bad $GENERATE range".to_string())?;
        let q = crate::quote::quote_str(s);
        let (span, step) = match s.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        };
        let (a, b) = span
            .split_once('-')
            .ok_or_else(|| format!("bad $GENERATE range {q}: expected start-stop[/step]"))?;
        let num = |t: &str, what: &str| {
            t.parse::<u32>().map_err(|_| {
                let qt = crate::quote::quote_str(t);
                format!("bad $GENERATE range {q}: {what} {qt} is not a number")
            })
        };
        let start = num(a, "start")?;
        let stop = num(b, "stop")?;
        // BIND reads the ends as C ints and refuses negatives, so nothing
        // above i32::MAX is a valid end there either.
        if stop > MAX_VALUE {
            return Err(format!(
                "bad $GENERATE range {q}: stop is above {MAX_VALUE} (the iterator is a 32-bit signed integer)"
            ));
        }
        let step = match step {
            Some(t) => num(t, "step")?,
            None => 1,
        };
        if start > stop {
            return Err(format!("bad $GENERATE range {q}: start is above stop"));
        }
        if step == 0 {
            return Err(format!("bad $GENERATE range {q}: step must be at least 1"));
        }
        Ok(Range { start, stop, step })
    }

    /// How many values the range yields, computed without expanding it.
    pub fn count(self) -> u64 {
        (u64::from(self.stop) - u64::from(self.start)) / u64::from(self.step) + 1
    }

    pub fn values(self) -> impl Iterator<Item = u32> {
        (u64::from(self.start)..=u64::from(self.stop))
            .step_by(self.step as usize)
            .map(|v| v as u32)
    }
}

/// Substitutes `value` into a template, appending to `out`.
///
/// BIND keeps the offset of a `${offset,...}` modifier for the `$`s that
/// follow it in the same field (its `genname()` never resets it), so
/// `a${10}-$` gives `a10-10` for value 0. We do the same: zones written for
/// BIND must mean the same here.
pub fn substitute(template: &[u8], value: u32, out: &mut Vec<u8>) -> Result<(), String> {
    let mut offset: i32 = 0;
    let mut i = 0;
    while i < template.len() {
        let c = template[i];
        match c {
            b'\\' if template.get(i + 1) == Some(&b'$') => {
                out.push(b'$');
                i += 2;
            }
            b'\\' => {
                // Other escapes belong to the field's own syntax: keep them.
                out.push(c);
                if let Some(&n) = template.get(i + 1) {
                    out.push(n);
                }
                i += 2;
            }
            b'$' if template.get(i + 1) == Some(&b'$') => {
                out.push(b'$');
                i += 2;
            }
            b'$' if template.get(i + 1) == Some(&b'{') => {
                let close = template[i..]
                    .iter()
                    .position(|&b| b == b'}')
                    .ok_or_else(|| "unterminated ${...} in $GENERATE".to_string())?;
                let spec = &template[i + 2..i + close];
                offset = format_modifier(spec, value, out)?;
                i += close + 1;
            }
            b'$' => {
                let v = sum(value, offset, "$")?;
                out.extend_from_slice(v.to_string().as_bytes());
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(())
}

/// `value + offset` as BIND computes it, in a C `int`: a sum above
/// [`MAX_VALUE`] is an error (BIND: "out of range"), never a wrapped value.
/// `what` names the substitution for the message.
fn sum(value: u32, offset: i32, what: &str) -> Result<i32, String> {
    i32::try_from(i64::from(value) + i64::from(offset)).map_err(|_| {
        format!("$GENERATE {what}: {value} + offset {offset} is above {MAX_VALUE} (out of range)")
    })
}

/// BIND's nibble form: hex digits of `v` lowest first, dot-separated, at
/// least `width` characters counting the dots (so an odd width can end in
/// a dot, which makes the name absolute, as in BIND).
fn nibbles(v: u32, width: usize, upper: bool, out: &mut String) {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let (mut v, mut left) = (v, width);
    loop {
        out.push(char::from(digits[(v & 0xf) as usize]));
        v >>= 4;
        left = left.saturating_sub(1);
        if left > 0 || v != 0 {
            out.push('.');
            left = left.saturating_sub(1);
        }
        if v == 0 && left == 0 {
            break;
        }
    }
}

/// Writes one `${...}` substitution; returns the offset it used.
fn format_modifier(spec: &[u8], value: u32, out: &mut Vec<u8>) -> Result<i32, String> {
    let s = std::str::from_utf8(spec).map_err(|_| "bad ${...} modifier".to_string())?;
    // The modifier as written, quoted for messages (`${` and `}` around it).
    let q = crate::quote::quote_str(&format!("${{{s}}}"));
    let mut parts = s.split(',');
    let offset: i32 = match parts.next().map(str::trim) {
        None | Some("") => 0,
        Some(t) => match t.parse::<i64>() {
            Ok(n) => i32::try_from(n).map_err(|_| {
                format!(
                    "bad modifier {q}: offset {n} is outside -2147483648..2147483647 (out of range)"
                )
            })?,
            Err(_) => {
                return Err(format!(
                    "bad modifier {q}: offset {} is not a number",
                    crate::quote::quote_str(t)
                ))
            }
        },
    };
    let width: usize = match parts.next().map(str::trim) {
        None | Some("") => 0,
        Some(t) => t.parse().map_err(|_| {
            format!(
                "bad modifier {q}: width {} is not a number",
                crate::quote::quote_str(t)
            )
        })?,
    };
    if width > 255 {
        return Err(format!("bad modifier {q}: width above 255"));
    }
    let base = match parts.next().map(str::trim) {
        None | Some("") => "d",
        Some(t) => t,
    };
    if parts.next().is_some() {
        return Err(format!("bad modifier {q}: expected offset,width,base"));
    }
    let v = sum(value, offset, &format!("modifier {q}"))?;
    // The unsigned conversions see the int's 32-bit pattern, as C's do.
    let u = v as u32;
    let text = match base {
        "d" => format!("{v:0width$}"),
        "o" => format!("{u:0width$o}"),
        "x" => format!("{u:0width$x}"),
        "X" => format!("{u:0width$X}"),
        "n" | "N" => {
            let mut t = String::with_capacity(width.max(16));
            nibbles(u, width, base == "N", &mut t);
            t
        }
        other => {
            return Err(format!(
                "bad modifier {q}: base {} (use d, o, x, X, n or N)",
                crate::quote::quote_str(other)
            ))
        }
    };
    out.extend_from_slice(text.as_bytes());
    Ok(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(t: &str, v: u32) -> String {
        let mut out = Vec::new();
        substitute(t.as_bytes(), v, &mut out).expect("substitute");
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn ranges() {
        let r = Range::parse(b"10-20/5").expect("range");
        assert_eq!(r.values().collect::<Vec<_>>(), vec![10, 15, 20]);
        assert_eq!(r.count(), 3);
        let r = Range::parse(b"10-21/5").expect("range");
        assert_eq!(r.count(), r.values().count() as u64);
        let whole = Range::parse(b"0-2147483647").expect("range");
        assert_eq!(whole.count(), 1 << 31);
        // BIND: "invalid range" (its ends are C ints).
        assert!(Range::parse(b"0-2147483648").is_err());
        assert!(Range::parse(b"0-4294967295").is_err());
        assert!(Range::parse(b"5-1").is_err());
        assert!(Range::parse(b"1-5/0").is_err());
        assert!(Range::parse(b"a-5").is_err());
        assert!(Range::parse(b"15").is_err());
    }

    #[test]
    fn modifiers() {
        assert_eq!(sub("host-$", 7), "host-7");
        assert_eq!(sub("alias-${0,3,d}", 7), "alias-007");
        assert_eq!(sub("node-${10,2,x}", 2), "node-0c");
        assert_eq!(sub("node-${10,4,X}", 2), "node-000C");
        assert_eq!(sub("host-${+2}", 1), "host-3");
        assert_eq!(sub("h${-1}", 1), "h0");
        // BIND counts the dots in a nibble width: 4 gives 3 nibbles, 7 four.
        assert_eq!(sub("${0,4,n}", 0x1a2), "2.a.1");
        assert_eq!(sub("${0,7,n}", 0x1a2), "2.a.1.0");
        assert_eq!(sub("${0,8,N}", 0x1a2), "2.A.1.0.");
        assert_eq!(sub("${0,0,n}", 0), "0");
        assert_eq!(sub("${0,0,o}", 8), "10");
        assert_eq!(sub("a\\$b$$c", 1), "a$b$c");
        // BIND: the offset carries over to later plain `$`s in the field.
        assert_eq!(sub("node-${10,4,X}-index-$", 0), "node-000A-index-10");
    }

    #[test]
    fn bad_modifiers() {
        let mut out = Vec::new();
        assert!(substitute(b"${1,2", 1, &mut out).is_err());
        assert!(substitute(b"${1,2,q}", 1, &mut out).is_err());
        assert!(substitute(b"${x}", 1, &mut out).is_err());
    }

    /// Written from `named-checkzone -D` output (BIND 9.18) for
    /// `$GENERATE 1-2 ...` lines; the iterator is 1.
    #[test]
    fn negative_offsets_as_bind() {
        assert_eq!(sub("a${-20}", 1), "a-19");
        assert_eq!(sub("a${-5,4,d}", 1), "a-004");
        assert_eq!(sub("a${-5,4,x}", 1), "afffffffc");
        assert_eq!(sub("a${-5,4,o}", 1), "a37777777774");
        assert_eq!(sub("a${-2000,0,n}", 1), "a1.3.8.f.f.f.f.f");
        assert_eq!(sub("a${-5,0,N}-$", 1), "aC.F.F.F.F.F.F.F--4");
        assert_eq!(sub("foo${-2147483648}", 1), "foo-2147483647");
    }

    /// BIND: "$GENERATE: ...: out of range". Before, an i64 offset plus the
    /// iterator overflowed (a panic in debug builds, a wrapped name in
    /// release) and offsets past i32 were accepted.
    #[test]
    fn sums_beyond_32_bits_are_errors() {
        let mut out = Vec::new();
        assert_eq!(sub("foo${2147483647}", 0), "foo2147483647");
        let e = substitute(b"foo${2147483647}", 1, &mut out).unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        let e = substitute(b"foo${2147483646}-$", 2, &mut out).unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        for big in ["${2147483648}", "${-2147483649}", "${9223372036854775807}"] {
            let e = substitute(big.as_bytes(), 1, &mut out).unwrap_err();
            assert!(e.contains("out of range"), "{big}: {e}");
        }
        let e = substitute(b"${99999999999999999999}", 1, &mut out).unwrap_err();
        assert!(e.contains("not a number"), "{e}");
    }
}
