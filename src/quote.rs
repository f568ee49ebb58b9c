//! Quoting untrusted input for error messages and warnings.
//!
//! Zone files, key files, DS sets and state files are edited by many hands
//! and may be hostile: a message that copies their bytes as they are can
//! carry terminal escape sequences to the operator's terminal, or print
//! megabytes for one bad token. Every message that shows a piece of input
//! goes through [`quote`]: the bytes are escaped the way a zone file would
//! write them (RFC 1035 §5.1 `\DDD`) and cut after [`MAX_SHOWN`] bytes,
//! with the full length said.
//!
//! Text from a file that holds or may hold a private key is never shown at
//! all: callers use [`WITHHELD`] instead.

use std::fmt::Write as _;

/// Most input bytes shown in one quotation.
pub const MAX_SHOWN: usize = 80;

/// What a message says in place of text from a file that may hold secrets.
pub const WITHHELD: &str = "(text not shown: the file may hold a private key)";

/// True for a run of base64 that could be a private key's value (a
/// `.private` file whose header and field names were lost): 16 or more
/// base64 characters mixing upper case, lower case and digits. Such text is
/// never shown, whatever file it came from; a name or a word rarely looks
/// like this, and its position is given all the same.
pub fn looks_like_key_material(bytes: &[u8]) -> bool {
    let b64 = |b: &u8| b.is_ascii_alphanumeric() || b"+/=".contains(b);
    bytes.len() >= 16
        && bytes.iter().all(b64)
        && bytes.iter().any(u8::is_ascii_lowercase)
        && bytes.iter().any(u8::is_ascii_uppercase)
        && bytes.iter().any(u8::is_ascii_digit)
}

/// `bytes` between double quotes, for a message: printable ASCII as is;
/// control bytes, DEL, `"`, `\` and every non-ASCII byte as `\DDD`
/// (decimal, as in a zone file, RFC 1035 §5.1). Input longer than
/// [`MAX_SHOWN`] bytes is cut there, marked `...`, and its length given:
/// `"abc..." (100000000 bytes)`.
pub fn quote(bytes: &[u8]) -> String {
    if looks_like_key_material(bytes) {
        return format!(
            "({} bytes not shown: they look like key material)",
            bytes.len()
        );
    }
    let shown = &bytes[..bytes.len().min(MAX_SHOWN)];
    let mut out = String::with_capacity(shown.len() + 24);
    out.push('"');
    for &b in shown {
        if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\{b:03}");
        }
    }
    if bytes.len() > shown.len() {
        out.push_str("...\"");
        let _ = write!(out, " ({} bytes)", bytes.len());
    } else {
        out.push('"');
    }
    out
}

/// [`quote`] of a string.
pub fn quote_str(s: &str) -> String {
    quote(s.as_bytes())
}

/// True for a file whose name says it holds a private key: BIND's
/// `K<zone>+<alg>+<tag>.private`, or any `.private`, `.pem` or `.p8` file.
/// Nothing read from such a file is quoted in a message.
pub fn name_may_hold_secrets(path: &std::path::Path) -> bool {
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return false;
    };
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "private" | "pem" | "p8" | "key8"
    )
}

/// Field names of the BIND private-key file format (`Private-key-format:`
/// and the fields that follow it), as they stand at the start of a line.
/// A zone-format reader that meets one of these is reading a key file.
const KEY_FILE_FIELDS: &[&[u8]] = &[
    b"private-key-format:",
    b"privatekey:",
    b"privateexponent:",
    b"prime1:",
    b"prime2:",
    b"exponent1:",
    b"exponent2:",
    b"coefficient:",
    b"modulus:",
    b"publicexponent:",
    b"gostasn1:",
];

/// What a line that begins with `first` (its first field) says about the
/// file: `Some(what)` when it is a line of a private-key file (BIND format)
/// or the start of a PEM private key block, with a description of what was
/// recognised that quotes nothing of the file.
pub fn key_material_line(first: &[u8]) -> Option<&'static str> {
    let lower = first.to_ascii_lowercase();
    if lower == b"private-key-format:" {
        return Some("a private key file (\"Private-key-format:\" line)");
    }
    if KEY_FILE_FIELDS.contains(&lower.as_slice()) {
        return Some("a line of a private key file (key field name)");
    }
    if first.starts_with(b"-----BEGIN") {
        return Some("a PEM block (\"-----BEGIN\" line)");
    }
    None
}

/// `message` with every quotation in it (a `"..."` span, and the
/// ` (N bytes)` after a cut one) replaced by [`WITHHELD`]: the last guard
/// for messages about a file that may hold secrets, whatever built them.
pub fn withhold_quotations(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('"') else {
            // An unbalanced quote: nothing after it is safe to keep.
            out.push_str(WITHHELD);
            return out;
        };
        out.push_str(WITHHELD);
        rest = &after[close + 1..];
        if let Some(tail) = rest.strip_prefix(" (") {
            if let Some(end) = tail.find(" bytes)") {
                if tail[..end].bytes().all(|b| b.is_ascii_digit()) {
                    rest = &tail[end + " bytes)".len()..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_control_bytes_quotes_backslashes_and_non_ascii() {
        assert_eq!(quote(b"a\x1b[31mb"), "\"a\\027[31mb\"");
        assert_eq!(quote(b"\"\\"), "\"\\034\\092\"");
        assert_eq!(quote("é".as_bytes()), "\"\\195\\169\"");
        assert_eq!(quote(b"\x00\x7f\n"), "\"\\000\\127\\010\"");
        assert_eq!(quote(b"plain.example."), "\"plain.example.\"");
    }

    #[test]
    fn quote_cuts_long_input_and_gives_its_length() {
        let long = vec![b'x'; 100_000];
        let q = quote(&long);
        assert_eq!(
            q,
            format!("\"{}...\" (100000 bytes)", "x".repeat(MAX_SHOWN))
        );
        // Exactly MAX_SHOWN bytes is shown whole, without a length.
        let edge = vec![b'y'; MAX_SHOWN];
        assert_eq!(quote(&edge), format!("\"{}\"", "y".repeat(MAX_SHOWN)));
    }

    #[test]
    fn quote_output_is_printable_ascii_whatever_the_input() {
        let all: Vec<u8> = (0..=255u8).collect();
        for chunk in all.chunks(20) {
            let q = quote(chunk);
            assert!(q.bytes().all(|b| (0x20..0x7f).contains(&b)), "{q}");
        }
    }

    #[test]
    fn base64_runs_are_never_quoted() {
        let key = b"SbId2hzCYvq8r0g89IX4uhQva0JxEX7rfaM4bxZj2Bp=";
        assert!(!quote(key).contains("SbId2hzC"), "{}", quote(key));
        assert_eq!(quote(b"www.example.com."), "\"www.example.com.\"");
    }

    #[test]
    fn withholding_removes_every_quotation() {
        let long = quote(&[b'k'; 200]);
        let msg = format!("bad thing {} and {long} end", quote(b"secret"));
        let w = withhold_quotations(&msg);
        assert_eq!(w, format!("bad thing {WITHHELD} and {WITHHELD} end"));
        assert_eq!(
            withhold_quotations("x \"unbalanced secret"),
            format!("x {WITHHELD}")
        );
    }

    #[test]
    fn key_file_lines_are_recognised() {
        assert!(key_material_line(b"Private-key-format:").is_some());
        assert!(key_material_line(b"PrivateKey:").is_some());
        assert!(key_material_line(b"Prime1:").is_some());
        assert!(key_material_line(b"-----BEGIN").is_some());
        assert!(key_material_line(b"www").is_none());
        assert!(key_material_line(b"@").is_none());
    }

    #[test]
    fn private_file_names_are_recognised() {
        use std::path::Path;
        assert!(name_may_hold_secrets(Path::new(
            "Kexample.+013+12345.private"
        )));
        assert!(name_may_hold_secrets(Path::new("/x/key.PEM")));
        assert!(!name_may_hold_secrets(Path::new("Kexample.+013+12345.key")));
        assert!(!name_may_hold_secrets(Path::new("example.zone")));
    }
}
