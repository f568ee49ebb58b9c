//! Splitting one large zone file into pieces that can be read in parallel.
//!
//! A zone file is read in order because each entry may lean on what came
//! before it: `$ORIGIN` and `$TTL` (RFC 1035 §5.1, RFC 2308 §4), the
//! previous owner (a line starting with a blank), the last explicit TTL,
//! the class of the first record, and parentheses that carry an entry over
//! several lines. A piece can still be read on its own when it starts at a
//! line that names its owner and the state before it is known:
//!
//! * split points are line starts whose first byte can begin an owner name
//!   (not a blank, `;`, `$`, `(`, `)` or `"`); whether the line really is
//!   outside parentheses is only known once the piece before it has been
//!   read, so that piece is read up to the split point and must end there
//!   cleanly (an open parenthesis at its end is an error, and the whole
//!   file is then read again in one piece);
//! * the origin and `$TTL` at each split point come from a quick scan of
//!   the directive lines (lines starting with `$`), and are checked against
//!   what reading the piece before it actually ended with;
//! * what the scan cannot know (the last explicit TTL when there is no
//!   `$TTL`, the zone's class) the reader treats as unknown in the later
//!   pieces: a record that would need it sends the whole file back to the
//!   sequential reader. `$INCLUDE` anywhere does the same.
//!
//! So reading in pieces is only ever an optimisation: the records, their
//! order and every error message are those of one sequential read.

use std::ops::Range;

use rayon::prelude::*;

use super::entry::parse_name;
use crate::master::lexer::Lexer;
use crate::master::token::Token;
use crate::master::ttl::parse_ttl;
use crate::name::Name;

/// How far past a planned split point to look for a line that can start a
/// piece, before giving that split up.
const SPLIT_SEARCH: usize = 1 << 20;

/// One piece of the file and the state reading it starts from.
#[derive(Debug, Clone)]
pub(crate) struct Chunk {
    /// Byte range in the file.
    pub range: Range<usize>,
    /// Line number of the range's first byte.
    pub first_line: u32,
    /// Origin in force at the start (from the directive scan).
    pub origin: Option<Name>,
    /// `$TTL` in force at the start (from the directive scan).
    pub default_ttl: Option<u32>,
}

/// Plans at most `pieces` chunks covering all of `src`. `None` when the
/// file has to be read in one go (a `$INCLUDE`, a directive the scan
/// cannot follow, or no usable split point).
pub(crate) fn plan(
    src: &[u8],
    pieces: usize,
    origin: Option<Name>,
    default_ttl: Option<u32>,
) -> Option<Vec<Chunk>> {
    if pieces < 2 || src.is_empty() {
        return None;
    }
    let mut starts = vec![0usize];
    for k in 1..pieces {
        let target = (src.len() as u128 * k as u128 / pieces as u128) as usize;
        // Past the last start, so the starts only grow.
        let from = target.max(*starts.last()? + 1);
        if let Some(p) = split_point(src, from) {
            starts.push(p);
        }
    }
    if starts.len() < 2 {
        return None;
    }
    let ranges: Vec<Range<usize>> = starts
        .iter()
        .enumerate()
        .map(|(i, &s)| s..starts.get(i + 1).copied().unwrap_or(src.len()))
        .collect();
    // Newlines and directive lines of every piece, in parallel: this scan
    // touches every byte, so it must not become the sequential part.
    let scans: Vec<(u32, Vec<usize>)> = ranges.par_iter().map(|r| scan(src, r.clone())).collect();
    let mut chunks = Vec::with_capacity(ranges.len());
    let mut line = 1u32;
    let mut origin = origin;
    let mut ttl = default_ttl;
    for (range, (newlines, directives)) in ranges.into_iter().zip(scans) {
        chunks.push(Chunk {
            range,
            first_line: line,
            origin: origin.clone(),
            default_ttl: ttl,
        });
        line = line.checked_add(newlines)?;
        for d in directives {
            apply_directive(src, d, &mut origin, &mut ttl)?;
        }
    }
    Some(chunks)
}

/// The first line start at or after `from` that can begin an entry with an
/// explicit owner name.
fn split_point(src: &[u8], from: usize) -> Option<usize> {
    let end = src.len().min(from.saturating_add(SPLIT_SEARCH));
    let mut at = from;
    while at < end {
        let nl = memchr::memchr(b'\n', &src[at..end])? + at;
        let p = nl + 1;
        match src.get(p) {
            None => return None,
            Some(b' ' | b'\t' | b'\r' | b'\n' | b';' | b'$' | b'(' | b')' | b'"') => at = p,
            Some(_) => return Some(p),
        }
    }
    None
}

/// Counts the newlines in `range` and lists the directive lines (a `$` as
/// the first byte of a line) that start in it.
fn scan(src: &[u8], range: Range<usize>) -> (u32, Vec<usize>) {
    let mut directives = Vec::new();
    if range.start == 0 && src.first() == Some(&b'$') {
        directives.push(0);
    }
    let mut newlines = 0u32;
    for i in memchr::memchr_iter(b'\n', &src[range.clone()]) {
        newlines += 1;
        let next = range.start + i + 1;
        if next < range.end && src[next] == b'$' {
            directives.push(next);
        }
    }
    (newlines, directives)
}

/// Follows one directive line as the reader would; `None` for anything it
/// cannot follow on its own.
fn apply_directive(
    src: &[u8],
    at: usize,
    origin: &mut Option<Name>,
    ttl: &mut Option<u32>,
) -> Option<()> {
    let line_end = memchr::memchr(b'\n', &src[at..]).map_or(src.len(), |i| at + i);
    let mut lexer = Lexer::new(&src[at..line_end]);
    let mut tokens: Vec<Token<'_>> = Vec::new();
    lexer.next_entry(&mut tokens).ok()??;
    let arg = |i: usize| tokens.get(i).filter(|t| !t.quoted);
    match tokens[0].text.to_ascii_uppercase().as_slice() {
        b"$ORIGIN" if tokens.len() == 2 => {
            *origin = Some(parse_name(arg(1)?, origin.as_ref()).ok()?);
        }
        b"$TTL" if tokens.len() == 2 => *ttl = Some(parse_ttl(arg(1)?.text).ok()?),
        // Records only; the previous-owner state it leaves does not cross
        // a split point, which always names its owner.
        b"$GENERATE" => {}
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> Name {
        Name::from_ascii(s).expect("name")
    }

    #[test]
    fn splits_at_owner_lines_and_tracks_state() {
        let src = b"$ORIGIN a.\n$TTL 60\nx A 192.0.2.1\n  A 192.0.2.2\n$ORIGIN b\n$TTL 2m\ny A 192.0.2.3\n; c\nz A 192.0.2.4\n";
        let chunks = plan(src, 8, None, None).expect("plan");
        assert!(chunks.len() > 2);
        assert_eq!(chunks[0].range.start, 0);
        assert_eq!(chunks.last().expect("last").range.end, src.len());
        for w in chunks.windows(2) {
            assert_eq!(w[0].range.end, w[1].range.start);
        }
        for c in &chunks[1..] {
            let first = src[c.range.start];
            assert!(first.is_ascii_alphabetic(), "split at {:?}", first as char);
            let line = 1 + src[..c.range.start].iter().filter(|&&b| b == b'\n').count();
            assert_eq!(c.first_line as usize, line);
        }
        let y = chunks
            .iter()
            .find(|c| src[c.range.start] == b'y')
            .expect("split at y");
        assert_eq!(y.origin, Some(name("b.a.")));
        assert_eq!(y.default_ttl, Some(120));
        let x = chunks.iter().find(|c| src[c.range.start] == b'x');
        if let Some(x) = x {
            assert_eq!(
                (x.origin.clone(), x.default_ttl),
                (Some(name("a.")), Some(60))
            );
        }
    }

    #[test]
    fn refuses_what_it_cannot_follow() {
        let inc = b"$ORIGIN a.\nx A 192.0.2.1\n$INCLUDE other\ny A 192.0.2.3\nz A 192.0.2.4\n";
        assert!(plan(inc, 4, None, None).is_none());
        let bad = b"x A 192.0.2.1\n$ORIGIN relative\ny A 192.0.2.3\nz A 192.0.2.4\n";
        assert!(plan(bad, 4, None, None).is_none());
        let one_line = b"x A 192.0.2.1";
        assert!(plan(one_line, 4, None, None).is_none());
        assert!(plan(b"x A 192.0.2.1\ny A 192.0.2.2\n", 1, None, None).is_none());
    }
}
