//! BIND's `$GENERATE` directive: `$GENERATE range lhs [ttl] [class] type rhs`.
//!
//! `range` is `start-stop[/step]`. In `lhs` and `rhs`, `$` stands for the
//! current value, `${offset[,width[,base]]}` adds an offset and formats it
//! (base `d`, `o`, `x`, `X`, or `n`/`N` for reversed nibbles as in
//! ip6.arpa), and `\$` (or the older `$$`) is a literal `$`.

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
    let mut offset: i64 = 0;
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
                let v = i64::from(value) + offset;
                if v < 0 {
                    return Err(format!(
                        "$GENERATE offset {offset} gives a negative value for {value}"
                    ));
                }
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

/// Writes one `${...}` substitution; returns the offset it used.
fn format_modifier(spec: &[u8], value: u32, out: &mut Vec<u8>) -> Result<i64, String> {
    let s = std::str::from_utf8(spec).map_err(|_| "bad ${...} modifier".to_string())?;
    // The modifier as written, quoted for messages (`${` and `}` around it).
    let q = crate::quote::quote_str(&format!("${{{s}}}"));
    let mut parts = s.split(',');
    let offset: i64 = match parts.next().map(str::trim) {
        None | Some("") => 0,
        Some(t) => t.parse().map_err(|_| {
            format!(
                "bad modifier {q}: offset {} is not a number",
                crate::quote::quote_str(t)
            )
        })?,
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
    let v = i64::from(value) + offset;
    if v < 0 {
        return Err(format!("modifier {q} gives a negative value for {value}"));
    }
    let text = match base {
        "d" => format!("{v:0width$}"),
        "o" => format!("{v:0width$o}"),
        "x" => format!("{v:0width$x}"),
        "X" => format!("{v:0width$X}"),
        "n" | "N" => {
            let hex = if base == "n" {
                format!("{v:0width$x}")
            } else {
                format!("{v:0width$X}")
            };
            let mut t = String::with_capacity(hex.len() * 2);
            for (k, ch) in hex.chars().rev().enumerate() {
                if k > 0 {
                    t.push('.');
                }
                t.push(ch);
            }
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
        let whole = Range::parse(b"0-4294967295").expect("range");
        assert_eq!(whole.count(), 1 << 32);
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
        assert_eq!(sub("${0,4,n}", 0x1a2), "2.a.1.0");
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
        assert!(substitute(b"${-5}", 1, &mut out).is_err());
        assert!(substitute(b"${x}", 1, &mut out).is_err());
    }
}
