//! Splits zone-file text into entries of tokens (RFC 1035 §5.1).
//!
//! An entry is one logical line: parentheses let it span physical lines,
//! `;` starts a comment anywhere outside a quoted string, and a line that
//! begins with white space has no owner field (it continues the previous
//! owner). Tokens borrow from the input; nothing is copied.

use super::token::Token;

/// A lexical error at a position in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub line: u32,
    pub col: u32,
    pub kind: LexErrorKind,
}

/// What is wrong with the text; readers with messages of their own (key
/// files, DS input) word it themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexErrorKind {
    /// A `(` still open at the end of the text (the error is at the `(`).
    UnclosedParenthesis,
    /// A `)` with no `(` before it.
    StrayParenthesis,
    /// A `"` without its closing quote on the same line.
    UnterminatedQuote,
}

impl LexError {
    /// The zone reader's wording.
    pub fn message(&self) -> &'static str {
        match self.kind {
            LexErrorKind::UnclosedParenthesis => "unbalanced parenthesis: '(' is never closed",
            LexErrorKind::StrayParenthesis => "unbalanced parenthesis: ')' without '('",
            LexErrorKind::UnterminatedQuote => "unterminated quoted string",
        }
    }
}

/// The shape of one entry; its tokens are written to the caller's vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryStart {
    /// The entry's first physical line began with a blank (space or tab):
    /// the owner field is omitted.
    pub blank_owner: bool,
    /// Line of the entry's first byte.
    pub line: u32,
}

const PLAIN: u8 = 0;
const ENDS_TOKEN: u8 = 1;
const ESCAPE: u8 = 2;

/// What each byte does inside an unquoted token (RFC 1035 §5.1).
static BYTE_CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let ends = b" \t\r\n;()\"";
    let mut i = 0;
    while i < ends.len() {
        t[ends[i] as usize] = ENDS_TOKEN;
        i += 1;
    }
    t[b'\\' as usize] = ESCAPE;
    t
};

pub struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
    /// Comments seen, when asked for ([`Lexer::keep_comments`]).
    comments: Option<Vec<Comment<'a>>>,
}

/// A `;` comment: its line and the text after the `;`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment<'a> {
    pub line: u32,
    pub text: &'a [u8],
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a [u8]) -> Lexer<'a> {
        Lexer::starting_at_line(src, 1)
    }

    /// A lexer for text that starts at line `line` of its file (a piece of
    /// a file read in parallel), so positions stay those of the file.
    pub fn starting_at_line(src: &'a [u8], line: u32) -> Lexer<'a> {
        Lexer {
            src,
            pos: 0,
            line,
            line_start: 0,
            comments: None,
        }
    }

    /// Keeps the comments from here on, for [`Lexer::take_comments`]: BIND
    /// writes a key's timing into the comment lines of its `.key` file.
    pub fn keep_comments(&mut self) {
        self.comments.get_or_insert_with(Vec::new);
    }

    /// The comments kept so far (see [`Lexer::keep_comments`]).
    pub fn take_comments(&mut self) -> Vec<Comment<'a>> {
        self.comments
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Byte offset of the next unread byte.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// True once the whole text has been consumed.
    pub fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn col(&self, at: usize) -> u32 {
        (at - self.line_start + 1) as u32
    }

    /// Skips the rest of the current logical entry after an error, so the
    /// reader can go on and report later errors too.
    pub fn skip_to_next_line(&mut self) {
        while self.pos < self.src.len() {
            let c = self.src[self.pos];
            self.pos += 1;
            if c == b'\n' {
                self.line += 1;
                self.line_start = self.pos;
                return;
            }
        }
    }

    /// Reads the next non-empty entry into `tokens` (cleared first).
    /// Returns `None` at the end of the text.
    pub fn next_entry(
        &mut self,
        tokens: &mut Vec<Token<'a>>,
    ) -> Result<Option<EntryStart>, LexError> {
        tokens.clear();
        let src = self.src;
        let mut depth = 0u32;
        let mut open_paren: (u32, u32) = (0, 0);
        let mut start: Option<EntryStart> = None;
        let mut at_line_start = self.pos == self.line_start;
        loop {
            if self.pos >= src.len() {
                if depth > 0 {
                    return Err(LexError {
                        line: open_paren.0,
                        col: open_paren.1,
                        kind: LexErrorKind::UnclosedParenthesis,
                    });
                }
                return Ok(if tokens.is_empty() { None } else { start });
            }
            let c = src[self.pos];
            match c {
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.pos;
                    at_line_start = true;
                    if depth == 0 {
                        if !tokens.is_empty() {
                            return Ok(start);
                        }
                        // A blank or comment-only line says nothing about
                        // the next entry's owner.
                        start = None;
                    }
                    continue;
                }
                b' ' | b'\t' | b'\r' => {
                    if at_line_start && depth == 0 && tokens.is_empty() && c != b'\r' {
                        start = Some(EntryStart {
                            blank_owner: true,
                            line: self.line,
                        });
                    }
                    // Zone files pad columns with runs of blanks: skip the
                    // run here rather than one byte per trip round the loop.
                    self.pos += 1;
                    while matches!(src.get(self.pos), Some(b' ' | b'\t' | b'\r')) {
                        self.pos += 1;
                    }
                }
                b';' => {
                    let begin = self.pos + 1;
                    while self.pos < src.len() && src[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                    if let Some(kept) = &mut self.comments {
                        kept.push(Comment {
                            line: self.line,
                            text: &src[begin..self.pos],
                        });
                    }
                }
                b'(' => {
                    if depth == 0 {
                        open_paren = (self.line, self.col(self.pos));
                    }
                    depth += 1;
                    self.note_start(&mut start, tokens.is_empty());
                    self.pos += 1;
                }
                b')' => {
                    if depth == 0 {
                        return Err(LexError {
                            line: self.line,
                            col: self.col(self.pos),
                            kind: LexErrorKind::StrayParenthesis,
                        });
                    }
                    depth -= 1;
                    self.pos += 1;
                }
                b'"' => {
                    self.note_start(&mut start, tokens.is_empty());
                    let (line, col) = (self.line, self.col(self.pos));
                    let begin = self.pos + 1;
                    let mut i = begin;
                    loop {
                        match src.get(i) {
                            None | Some(b'\n') => {
                                return Err(LexError {
                                    line,
                                    col,
                                    kind: LexErrorKind::UnterminatedQuote,
                                })
                            }
                            Some(b'\\') => i += 2,
                            Some(b'"') => break,
                            Some(_) => i += 1,
                        }
                    }
                    if i > src.len() {
                        return Err(LexError {
                            line,
                            col,
                            kind: LexErrorKind::UnterminatedQuote,
                        });
                    }
                    tokens.push(Token::quoted(&src[begin..i], line, col));
                    self.pos = i + 1;
                }
                _ => {
                    self.note_start(&mut start, tokens.is_empty());
                    let begin = self.pos;
                    let mut i = begin;
                    while i < src.len() {
                        // A table lookup per byte: a `match` here became an
                        // indirect jump per byte, the lexer's hottest spot.
                        match BYTE_CLASS[usize::from(src[i])] {
                            PLAIN => i += 1,
                            ESCAPE => {
                                // An escaped newline would hide a line break; keep
                                // line counting honest by stopping before it.
                                if src.get(i + 1) == Some(&b'\n') || i + 1 >= src.len() {
                                    i += 1;
                                    break;
                                }
                                i += 2;
                            }
                            _ => break,
                        }
                    }
                    let end = i.min(src.len());
                    tokens.push(Token::new(&src[begin..end], self.line, self.col(begin)));
                    self.pos = end;
                }
            }
            at_line_start = false;
        }
    }

    fn note_start(&self, start: &mut Option<EntryStart>, first: bool) {
        if first && start.is_none() {
            *start = Some(EntryStart {
                blank_owner: false,
                line: self.line,
            });
        }
    }
}

/// A whole text split into entries at once, for the readers of small
/// zone-format files (key files, DS input) that look at every entry, for
/// key material, before they report the first error. As in the zone
/// reader, lexing goes on from the next line after an error.
#[derive(Debug, Default)]
pub struct Entries<'a> {
    pub entries: Vec<(EntryStart, Vec<Token<'a>>)>,
    pub comments: Vec<Comment<'a>>,
    /// The first lexical error.
    pub error: Option<LexError>,
}

impl<'a> Entries<'a> {
    pub fn split(src: &'a [u8]) -> Entries<'a> {
        let mut lexer = Lexer::new(src);
        lexer.keep_comments();
        let mut out = Entries::default();
        let mut tokens = Vec::new();
        loop {
            match lexer.next_entry(&mut tokens) {
                Ok(Some(start)) => out.entries.push((start, std::mem::take(&mut tokens))),
                Ok(None) => break,
                Err(e) => {
                    out.error.get_or_insert(e);
                    if lexer.at_end() {
                        break;
                    }
                    lexer.skip_to_next_line();
                }
            }
        }
        out.comments = lexer.take_comments();
        out
    }

    /// The first entry that is a line of a private key file or a PEM block
    /// ([`crate::quote::key_material_line`]): its line and what it is.
    pub fn key_material(&self) -> Option<(u32, &'static str)> {
        self.entries.iter().find_map(|(start, tokens)| {
            let first = tokens.first().filter(|t| !t.quoted)?;
            crate::quote::key_material_line(first.text).map(|what| (start.line, what))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(src: &str) -> Vec<(bool, Vec<String>)> {
        let mut lx = Lexer::new(src.as_bytes());
        let mut toks = Vec::new();
        let mut out = Vec::new();
        while let Some(e) = lx.next_entry(&mut toks).expect("lex") {
            out.push((
                e.blank_owner,
                toks.iter()
                    .map(|t| String::from_utf8_lossy(t.text).into_owned())
                    .collect(),
            ));
        }
        out
    }

    #[test]
    fn splits_lines_and_comments() {
        let e = entries("a 1 IN A 1.2.3.4 ; c\n\n; only comment\n  IN A 5.6.7.8\n");
        assert_eq!(e.len(), 2);
        assert_eq!(
            e[0],
            (
                false,
                vec!["a", "1", "IN", "A", "1.2.3.4"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            )
        );
        assert!(e[1].0);
        let e = entries("a A 1.1.1.1\n   \n  ; c\nb A 2.2.2.2\n");
        assert!(
            !e[1].0,
            "indented empty lines do not make the next owner blank"
        );
    }

    #[test]
    fn parentheses_span_lines() {
        let e = entries("@ SOA a b (\n 1 ; s\n 2 3\n 4 5 )\nx A 1.1.1.1");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].1.len(), 9);
    }

    #[test]
    fn quoted_strings_keep_spaces_and_semicolons() {
        let mut lx = Lexer::new(b"t TXT \"a; b\" \"\" \"x\\\"y\"\n");
        let mut toks = Vec::new();
        lx.next_entry(&mut toks).expect("lex");
        assert_eq!(toks[2].text, b"a; b");
        assert!(toks[2].quoted);
        assert_eq!(toks[3].text, b"");
        assert_eq!(toks[4].text, b"x\\\"y");
        assert_eq!((toks[2].line, toks[2].col), (1, 7));
    }

    #[test]
    fn escaped_specials_stay_in_token() {
        let e = entries("a\\;b\\(c\\ d TXT x\n");
        assert_eq!(e[0].1[0], "a\\;b\\(c\\ d");
    }

    #[test]
    fn errors_have_positions() {
        let mut toks = Vec::new();
        let err = Lexer::new(b"a A (\n1\n")
            .next_entry(&mut toks)
            .expect_err("unbalanced");
        assert_eq!((err.line, err.col), (1, 5));
        let err = Lexer::new(b"a A 1 )\n")
            .next_entry(&mut toks)
            .expect_err("unbalanced");
        assert_eq!((err.line, err.col), (1, 7));
        let err = Lexer::new(b"a TXT \"abc\nx")
            .next_entry(&mut toks)
            .expect_err("quote");
        assert_eq!((err.line, err.col), (1, 7));
    }
}
