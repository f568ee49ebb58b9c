//! Turns zone-file entries into records, following directives and includes.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::chunks::{self, Chunk};
use super::entry::{
    name_error, origin_directive, parse_name, parse_record_head, ttl_directive, EntryError,
    RecordHead, CLASS_IN,
};
use super::generate;
use super::{Limits, ParseError, ParseErrors, SourceLoc};
use crate::master::lexer::{EntryStart, Lexer};
use crate::master::token::Token;
use crate::name::Name;
use crate::rdata::{self, rtype};

/// How much consumed input to let go of at a time.
const RELEASE_STEP: usize = 1 << 20;

/// Most errors reported before the reader gives up on a file.
const MAX_ERRORS: usize = 200;
/// Smallest file [`read_zone_in_pieces`] splits on its own: below this the
/// threads cost more than they save.
const PIECE_MIN_BYTES: usize = 1 << 20;
/// Deepest `$INCLUDE` nesting accepted (a loop is caught before this).
const MAX_INCLUDE_DEPTH: usize = 32;

/// Options for reading a zone.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The initial origin (`--origin`); without one, relative names before
    /// the first `$ORIGIN` are errors.
    pub origin: Option<Name>,
    /// TTL for records without one before any `$TTL`: DS sets and key
    /// files (dnssec-dsfromkey output) carry no TTL.
    pub default_ttl: Option<u32>,
    /// How many pieces [`read_zone_in_pieces`] reads the file in, in
    /// parallel: 0 picks one per rayon thread for files of 1 MiB or more
    /// (tests set it to split even tiny files).
    pub pieces: usize,
    /// Caps on bytes, records and `$GENERATE` ranges.
    pub limits: Limits,
}

/// One record as read, borrowed for the callback's duration.
#[derive(Debug, Clone, Copy)]
pub struct RecordRef<'r> {
    pub owner: &'r Name,
    pub ttl: u32,
    pub class: u16,
    pub rtype: u16,
    /// Uncompressed wire RDATA, in the case it was written.
    pub rdata: &'r [u8],
    /// Index into [`SourceFiles::files`].
    pub file: u32,
    pub line: u32,
    /// Column of the owner (1 for a blank owner: the record inherits it).
    pub col: u32,
    /// Column of the type mnemonic, or 0 when it is not on `line` (a
    /// record whose type follows a `(` on a later line): zone-content
    /// rules about the type point here.
    pub type_col: u32,
}

/// The files a zone was read from, for turning record positions into text.
#[derive(Debug, Clone, Default)]
pub struct SourceFiles {
    /// Display path of each file, in the order first opened.
    pub files: Vec<String>,
    /// For each file, the `$INCLUDE` that opened it (file index, line).
    pub included_from: Vec<Option<(u32, u32)>>,
}

impl SourceFiles {
    /// A zone read from one file, without `$INCLUDE`s.
    fn one_file(display: String) -> SourceFiles {
        SourceFiles {
            files: vec![display],
            included_from: vec![None],
        }
    }

    /// Position of a record for messages.
    pub fn loc(&self, file: u32, line: u32, col: u32) -> SourceLoc {
        let mut chain = Vec::new();
        let mut cur = self.included_from.get(file as usize).copied().flatten();
        while let Some((f, l)) = cur {
            chain.push((self.name(f), l));
            cur = self.included_from.get(f as usize).copied().flatten();
        }
        SourceLoc {
            file: self.name(file),
            line,
            col,
            included_from: chain,
        }
    }

    pub fn name(&self, file: u32) -> String {
        self.files
            .get(file as usize)
            .cloned()
            .unwrap_or_else(|| "<generated>".to_string())
    }
}

/// Reads the zone at `path`, calling `sink` for every record in file order.
/// Returns every error found (`file:line:column: message`), or the files read.
pub fn read_zone(
    path: &Path,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(&RecordRef<'_>),
) -> Result<SourceFiles, ParseErrors> {
    let mut r = Reader::new(SourceFiles::default(), opts.default_ttl, opts.limits, sink);
    let origin = opts.origin.clone();
    let mut state = FileState {
        origin,
        owner: None,
    };
    r.read_file(path, None, &mut state);
    if r.errors.is_empty() {
        Ok(r.sources)
    } else {
        Err(ParseErrors { errors: r.errors })
    }
}

/// Reads zone-file text held in memory, like [`read_zone`] reads a file
/// (RFC 1035 §5.1); `display` names it in messages. `$INCLUDE` is an
/// error here: text from memory has no directory to resolve it against,
/// and a caller handing over bytes (a fuzzer, a test) must not have the
/// reader open arbitrary files.
pub fn read_zone_bytes(
    text: &[u8],
    display: &str,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(&RecordRef<'_>),
) -> Result<SourceFiles, ParseErrors> {
    let mut r = Reader::new(
        SourceFiles::one_file(display.to_string()),
        opts.default_ttl,
        opts.limits,
        sink,
    );
    r.in_memory = true;
    r.bytes_read = text.len() as u64;
    let mut state = FileState {
        origin: opts.origin.clone(),
        owner: None,
    };
    let input = Input::Read(text.to_vec());
    r.read_text(&input, 0..text.len(), 1, 0, Path::new(""), &mut state);
    if r.errors.is_empty() {
        Ok(r.sources)
    } else {
        Err(ParseErrors { errors: r.errors })
    }
}

/// Reads the zone at `path` like [`read_zone`], but splits a large file
/// into pieces read in parallel, each into its own sink made by
/// `new_sink(piece index, piece size in bytes)`; the sinks come back in
/// file order. Records, order and errors are exactly those of
/// [`read_zone`]: a file the pieces cannot be trusted on (see
/// `zonefile::chunks`) is read again in one piece, into one sink.
pub fn read_zone_in_pieces<S, N, F>(
    path: &Path,
    opts: &ReadOptions,
    new_sink: N,
    feed: F,
) -> Result<(SourceFiles, Vec<S>), ParseErrors>
where
    S: Send,
    N: Fn(usize, usize) -> S + Sync,
    F: Fn(&mut S, &RecordRef<'_>) + Sync,
{
    if let Some(done) = read_pieces(path, opts, &new_sink, &feed) {
        return Ok(done);
    }
    let size = std::fs::metadata(path).map_or(0, |m| m.len() as usize);
    let mut sink = new_sink(0, size);
    let sources = read_zone(path, opts, &mut |r| feed(&mut sink, r))?;
    Ok((sources, vec![sink]))
}

/// How one piece ended: the state the next piece must have started from.
struct PieceEnd {
    origin: Option<Name>,
    default_ttl: Option<u32>,
    class: Option<u16>,
    failed: bool,
}

/// The parallel read; `None` sends the caller to the sequential reader
/// (every partial result is dropped first).
fn read_pieces<S, N, F>(
    path: &Path,
    opts: &ReadOptions,
    new_sink: &N,
    feed: &F,
) -> Option<(SourceFiles, Vec<S>)>
where
    S: Send,
    N: Fn(usize, usize) -> S + Sync,
    F: Fn(&mut S, &RecordRef<'_>) + Sync,
{
    let pieces = match opts.pieces {
        0 => rayon::current_num_threads(),
        n => n,
    };
    // Only regular files: a pipe could not be read a second time. Small
    // ones are left to the sequential reader before anything is mapped.
    let meta = std::fs::metadata(path).ok()?;
    // A file that may hold a key is read in one piece, where its messages
    // are withheld.
    if crate::quote::name_may_hold_secrets(path) {
        return None;
    }
    if pieces < 2 || !meta.is_file() || (opts.pieces == 0 && meta.len() < PIECE_MIN_BYTES as u64) {
        return None;
    }
    // Over the byte cap: the sequential reader says so.
    let input = Input::open(path, opts.limits.max_input_bytes, None).ok()?;
    let plan = chunks::plan(input.bytes(), pieces, opts.origin.clone(), opts.default_ttl)?;
    let display = path.display().to_string();
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    // Records of all pieces together: a piece fails as soon as the total
    // passes the cap (the sequential read then reports where).
    let records = AtomicU64::new(0);
    let results: Vec<(S, PieceEnd)> = plan
        .par_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let mut sink = new_sink(i, chunk.range.len());
            let shared = SharedCount {
                records: &records,
                limits: opts.limits,
            };
            let end = read_piece(&input, &display, &dir, chunk, i > 0, shared, &mut |r| {
                feed(&mut sink, r)
            });
            (sink, end)
        })
        .collect();
    let mut class = None;
    for (i, (_, end)) in results.iter().enumerate() {
        if end.failed {
            return None;
        }
        if let Some(next) = plan.get(i + 1) {
            if end.origin != next.origin || end.default_ttl != next.default_ttl {
                return None;
            }
        }
        // A later piece whose first record has no class took IN; that is
        // only right if the zone's class, set by the first record, is IN.
        match (class, end.class) {
            (None, c) => class = c,
            (Some(a), Some(b)) if a != b => return None,
            _ => {}
        }
    }
    let sources = SourceFiles::one_file(display);
    Some((sources, results.into_iter().map(|(s, _)| s).collect()))
}

/// Reads one piece from the state the directive scan found for its start.
/// A later piece does not know the last explicit TTL before it.
fn read_piece(
    input: &Input,
    display: &str,
    dir: &Path,
    chunk: &Chunk,
    later: bool,
    shared: SharedCount<'_>,
    sink: &mut dyn FnMut(&RecordRef<'_>),
) -> PieceEnd {
    let sources = SourceFiles::one_file(display.to_string());
    let mut r = Reader::new(sources, chunk.default_ttl, shared.limits, sink);
    r.shared_records = Some(shared.records);
    r.in_piece = true;
    r.last_ttl_known = !later;
    let mut state = FileState {
        origin: chunk.origin.clone(),
        owner: None,
    };
    r.read_text(
        input,
        chunk.range.clone(),
        chunk.first_line,
        0,
        dir,
        &mut state,
    );
    PieceEnd {
        origin: state.origin,
        default_ttl: r.default_ttl,
        class: r.class,
        failed: !r.errors.is_empty(),
    }
}

/// The record count shared by the pieces of one parallel read.
#[derive(Clone, Copy)]
struct SharedCount<'a> {
    records: &'a AtomicU64,
    limits: Limits,
}

/// What a file's entries inherit and change: origin and previous owner.
/// An `$INCLUDE`d file starts from a copy; the includer's are restored after
/// (RFC 1035 §5.1).
#[derive(Clone)]
struct FileState {
    origin: Option<Name>,
    owner: Option<Name>,
}

struct Reader<'s> {
    sources: SourceFiles,
    errors: Vec<ParseError>,
    /// `$TTL` (RFC 2308 §4).
    default_ttl: Option<u32>,
    /// Last explicit TTL, used when there is no `$TTL` (RFC 1035 §5.1).
    last_ttl: Option<u32>,
    /// False in a piece read in parallel until it sees an explicit TTL:
    /// the last TTL before the piece is unknown there.
    last_ttl_known: bool,
    /// Reading one piece of a file in parallel: `$INCLUDE` is refused (the
    /// whole file is then read in one go).
    in_piece: bool,
    /// Reading text from memory ([`read_zone_bytes`]): there is no file
    /// system to resolve `$INCLUDE` against, so it is refused.
    in_memory: bool,
    class: Option<u16>,
    rdata_buf: Vec<u8>,
    owner_buf: Name,
    /// Canonical paths of the files being read, outermost first (loop check).
    chain: Vec<PathBuf>,
    limits: Limits,
    /// Bytes of every file opened so far (includes too).
    bytes_read: u64,
    /// Records handed to the sink so far.
    records: u64,
    /// In a piece of a parallel read: the count of all pieces together.
    shared_records: Option<&'s AtomicU64>,
    /// A cap was reached: nothing more is read.
    stopped: bool,
    /// For each file (by index), whether it may hold a private key: its
    /// messages then quote nothing of it.
    withheld: Vec<bool>,
    sink: &'s mut dyn FnMut(&RecordRef<'_>),
}

type EntryResult = Result<(), EntryError>;

impl<'s> Reader<'s> {
    fn new(
        sources: SourceFiles,
        default_ttl: Option<u32>,
        limits: Limits,
        sink: &'s mut dyn FnMut(&RecordRef<'_>),
    ) -> Reader<'s> {
        Reader {
            sources,
            errors: Vec::new(),
            default_ttl,
            last_ttl: None,
            last_ttl_known: true,
            in_piece: false,
            in_memory: false,
            class: None,
            rdata_buf: Vec::with_capacity(512),
            owner_buf: Name::root(),
            chain: Vec::new(),
            limits,
            bytes_read: 0,
            records: 0,
            shared_records: None,
            stopped: false,
            withheld: Vec::new(),
            sink,
        }
    }

    fn too_many_errors(&self) -> bool {
        self.errors.len() >= MAX_ERRORS
    }

    /// Too many errors, or a cap reached: stop reading.
    fn done(&self) -> bool {
        self.stopped || self.too_many_errors()
    }

    fn error(&mut self, file: u32, line: u32, col: u32, message: String) {
        let message = if self.withheld.get(file as usize).copied().unwrap_or(false) {
            crate::quote::withhold_quotations(&message)
        } else {
            message
        };
        self.push_error(file, line, col, message);
    }

    /// Records an error whose message quotes nothing of the input.
    fn push_error(&mut self, file: u32, line: u32, col: u32, message: String) {
        if self.errors.len() == MAX_ERRORS - 1 {
            self.errors.push(ParseError {
                loc: self.sources.loc(file, line, col),
                message: format!("{message} (too many errors; stopping)"),
            });
            return;
        }
        if !self.too_many_errors() {
            self.errors.push(ParseError {
                loc: self.sources.loc(file, line, col),
                message,
            });
        }
    }

    /// Registers a file and reads it. `from` is the including `(file, line)`.
    fn read_file(&mut self, path: &Path, from: Option<(u32, u32, u32)>, state: &mut FileState) {
        let display = path.display().to_string();
        let file_id = self.sources.files.len() as u32;
        self.sources.files.push(display.clone());
        self.withheld
            .push(crate::quote::name_may_hold_secrets(path));
        self.sources
            .included_from
            .push(from.map(|(f, l, _)| (f, l)));
        let report_at = |r: &mut Self, msg: String| match from {
            Some((f, l, c)) => r.error(f, l, c, msg),
            None => r.error(file_id, 1, 1, msg),
        };
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.chain.contains(&canonical) {
            let mut names: Vec<String> =
                self.chain.iter().map(|p| p.display().to_string()).collect();
            names.push(canonical.display().to_string());
            report_at(self, format!("$INCLUDE loop: {}", names.join(" -> ")));
            return;
        }
        if self.chain.len() >= MAX_INCLUDE_DEPTH {
            report_at(
                self,
                format!("$INCLUDE nested deeper than {MAX_INCLUDE_DEPTH} files"),
            );
            return;
        }
        let remaining = self
            .limits
            .max_input_bytes
            .map(|cap| cap.saturating_sub(self.bytes_read));
        let input = match Input::open(path, remaining, self.limits.max_stream_bytes) {
            Ok(i) => i,
            Err(OpenError::Io(e)) => {
                let msg = if from.is_some() {
                    format!("cannot read included file {display}: {e}")
                } else {
                    format!("cannot read file: {e}")
                };
                report_at(self, msg);
                return;
            }
            Err(OpenError::TooLarge { size, cap }) => {
                let file = if from.is_some() {
                    format!("included file {display}")
                } else {
                    "the file".to_string()
                };
                let before = if self.bytes_read > 0 {
                    format!(", after {} bytes read before it", self.bytes_read)
                } else {
                    String::new()
                };
                let what = match size {
                    Some(n) => format!("{file} is {n} bytes{before}"),
                    None => format!(
                        "{file} is not a regular file (it is held in memory) and goes on past {cap} bytes{before}"
                    ),
                };
                let total = self.limits.max_input_bytes.unwrap_or(u64::MAX);
                report_at(
                    self,
                    format!("input above the cap of {total} bytes: {what} (raise the cap with --max-input-bytes)"),
                );
                self.stopped = true;
                return;
            }
            Err(OpenError::NoMemory { read }) => {
                let msg = format!(
                    "cannot hold {display} in memory: out of memory after {read} bytes (not a regular file, so it is read into memory; lower --max-input-bytes to stop sooner)"
                );
                report_at(self, msg);
                self.stopped = true;
                return;
            }
        };
        self.bytes_read += input.bytes().len() as u64;
        self.chain.push(canonical);
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let all = 0..input.bytes().len();
        self.read_text(&input, all, 1, file_id, &dir, state);
        self.chain.pop();
    }

    /// Reads the entries in `range` of `input`, whose first byte is on
    /// line `first_line`.
    fn read_text(
        &mut self,
        input: &Input,
        range: Range<usize>,
        first_line: u32,
        file: u32,
        dir: &Path,
        state: &mut FileState,
    ) {
        let base = range.start;
        let mut lexer = Lexer::starting_at_line(&input.bytes()[range], first_line);
        let mut tokens: Vec<Token<'_>> = Vec::with_capacity(16);
        let mut released = 0usize;
        loop {
            if self.done() {
                return;
            }
            // Everything before the lexer has been turned into records:
            // let the kernel drop those pages from our resident set, so a
            // big zone costs the model's memory, not the model's plus the
            // file's.
            if lexer.position() >= released + RELEASE_STEP {
                released = lexer.position();
                input.release_range(base, base + released);
            }
            let start = match lexer.next_entry(&mut tokens) {
                Ok(Some(s)) => s,
                Ok(None) => return,
                Err(e) => {
                    let line = e.line;
                    self.error(file, line, e.col, e.message().to_string());
                    if message_is_fatal(line, &lexer) {
                        return;
                    }
                    lexer.skip_to_next_line();
                    continue;
                }
            };
            if self.withheld.get(file as usize).copied().unwrap_or(false) {
                for t in tokens.iter_mut() {
                    t.withheld = true;
                }
            }
            // A key file (or a PEM key) read as a zone, alone or through
            // `$INCLUDE`: say what it is and stop, before any of its lines
            // can be quoted in a message about them.
            if let Some(what) = tokens
                .first()
                .filter(|t| !t.quoted)
                .and_then(|t| crate::quote::key_material_line(t.text))
            {
                let t = tokens[0];
                self.push_error(
                    file,
                    t.line,
                    t.col,
                    format!(
                        "this is {what}, not a zone file; nothing of it is shown, and the \
                         rest of the file is not read"
                    ),
                );
                return;
            }
            let res =
                if !start.blank_owner && tokens[0].text.first() == Some(&b'$') && !tokens[0].quoted
                {
                    self.directive(&tokens, file, dir, state)
                } else {
                    self.record(&tokens, start, file, state)
                };
            if let Err(e) = res {
                self.error(file, e.line, e.col, e.message);
            }
        }
    }

    fn directive(
        &mut self,
        tokens: &[Token<'_>],
        file: u32,
        dir: &Path,
        state: &mut FileState,
    ) -> EntryResult {
        let name = tokens[0];
        let args = &tokens[1..];
        match name.text.to_ascii_uppercase().as_slice() {
            b"$ORIGIN" => {
                state.origin = Some(origin_directive(tokens, state.origin.as_ref())?);
                Ok(())
            }
            b"$TTL" => {
                self.default_ttl = Some(ttl_directive(tokens)?);
                Ok(())
            }
            b"$INCLUDE" if self.in_piece => Err(EntryError::at(
                &name,
                "$INCLUDE in a piece read in parallel (read again in one piece)",
            )),
            b"$INCLUDE" if self.in_memory => Err(EntryError::at(
                &name,
                "$INCLUDE is not available when reading a zone from memory",
            )),
            b"$INCLUDE" => {
                let t = args
                    .first()
                    .ok_or_else(|| EntryError::at(&name, "$INCLUDE needs a file name"))?;
                let rel = PathBuf::from(String::from_utf8_lossy(t.text).into_owned());
                let path = if rel.is_absolute() {
                    rel
                } else {
                    dir.join(rel)
                };
                let mut child = state.clone();
                if let Some(o) = args.get(1) {
                    child.origin = Some(parse_name(o, state.origin.as_ref())?);
                }
                if let Some(extra) = args.get(2) {
                    return Err(EntryError::at(
                        extra,
                        format!("unexpected {} after $INCLUDE origin", extra.display()),
                    ));
                }
                self.read_file(&path, Some((file, name.line, t.col)), &mut child);
                Ok(())
            }
            b"$GENERATE" => self.generate(tokens, file, state),
            _ => Err(EntryError::at(
                &name,
                format!(
                    "unknown directive {} (expected $ORIGIN, $TTL, $INCLUDE or $GENERATE)",
                    name.display()
                ),
            )),
        }
    }

    /// `$GENERATE range lhs [ttl] [class] type rhs...`: each value yields
    /// one record entry, read like any other (errors point at the directive).
    fn generate(&mut self, tokens: &[Token<'_>], file: u32, state: &mut FileState) -> EntryResult {
        let dir_tok = tokens[0];
        if tokens.len() < 5 {
            return Err(EntryError::at(
                &dir_tok,
                "$GENERATE needs range, owner template, type and RDATA template",
            ));
        }
        let range =
            generate::Range::parse(tokens[1].text).map_err(|m| EntryError::at(&tokens[1], m))?;
        // Before anything is expanded: a huge range must cost nothing.
        if let Some(cap) = self.limits.max_generate {
            let n = range.count();
            if n > cap {
                return Err(EntryError::at(
                    &tokens[1],
                    format!(
                        "$GENERATE: invalid range '{}': {n} values, above the cap of {cap} (raise it with --max-generate)",
                        String::from_utf8_lossy(tokens[1].text)
                    ),
                ));
            }
        }
        let templates = &tokens[2..];
        let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); templates.len()];
        let saved_owner = state.owner.clone();
        for value in range.values() {
            for (buf, t) in bufs.iter_mut().zip(templates) {
                buf.clear();
                // Only the owner and RDATA fields carry `$`; substituting the
                // TTL, class and type fields as well is harmless.
                generate::substitute(t.text, value, buf).map_err(|m| EntryError::at(t, m))?;
            }
            let gen: Vec<Token<'_>> = bufs
                .iter()
                .zip(templates)
                .map(|(b, t)| Token {
                    text: b.as_slice(),
                    quoted: t.quoted,
                    line: t.line,
                    col: t.col,
                    withheld: t.withheld,
                })
                .collect();
            let start = EntryStart {
                blank_owner: false,
                line: dir_tok.line,
            };
            self.record(&gen, start, file, state)?;
        }
        // $GENERATE does not change the previous-owner state in BIND.
        state.owner = saved_owner;
        Ok(())
    }

    /// One record entry (RFC 1035 §5.1): owner, head, RDATA, TTL, then
    /// handed to the sink.
    fn record(
        &mut self,
        tokens: &[Token<'_>],
        start: EntryStart,
        file: u32,
        state: &mut FileState,
    ) -> EntryResult {
        if !start.blank_owner {
            self.read_owner(&tokens[0], state)?;
        }
        let owner = state.owner.as_ref().ok_or_else(|| EntryError {
            line: start.line,
            col: 1,
            message: "no owner name: the first record cannot start with a blank".into(),
        })?;
        let owner_col = if start.blank_owner { 1 } else { tokens[0].col };
        let head = parse_record_head(tokens, usize::from(!start.blank_owner))?;
        let class = self.record_class(tokens, &head)?;
        let type_tok = tokens[head.type_at];
        let type_col = if type_tok.line == start.line {
            type_tok.col
        } else {
            0
        };
        let root;
        let origin = match &state.origin {
            Some(o) => o,
            None => {
                root = Name::root();
                &root
            }
        };
        // One RDATA buffer for the whole file: no allocation per record.
        let mut buf = std::mem::take(&mut self.rdata_buf);
        buf.clear();
        let done = parse_rdata_of(tokens, &head, origin, &mut buf)
            .and_then(|()| self.record_ttl(head.ttl, head.rtype, &buf, start, owner_col))
            .and_then(|ttl| self.count_record(start, owner_col).map(|()| ttl))
            .map(|ttl| {
                (self.sink)(&RecordRef {
                    owner,
                    ttl,
                    class,
                    rtype: head.rtype,
                    rdata: &buf,
                    file,
                    line: start.line,
                    col: owner_col,
                    type_col,
                })
            });
        self.rdata_buf = buf;
        done
    }

    /// An owner field: `@`, or a name completed with the origin (RFC 1035
    /// §5.1), which becomes the owner of the entries with a blank one.
    fn read_owner(&mut self, t: &Token<'_>, state: &mut FileState) -> EntryResult {
        if t.text == b"@" {
            state.owner = Some(parse_name(t, state.origin.as_ref())?);
            return Ok(());
        }
        // Parse into a reused buffer: no allocation per record.
        if let Err(e) = self.owner_buf.parse_in_place(t.text, state.origin.as_ref()) {
            return Err(name_error(t, e));
        }
        match &mut state.owner {
            Some(o) => std::mem::swap(o, &mut self.owner_buf),
            None => state.owner = Some(self.owner_buf.clone()),
        }
        Ok(())
    }

    /// The entry's class: the zone's (the first record's, IN by default);
    /// a zone has one class.
    fn record_class(&mut self, tokens: &[Token<'_>], head: &RecordHead) -> Result<u16, EntryError> {
        let zone_class = *self.class.get_or_insert(head.class.unwrap_or(CLASS_IN));
        let class = head.class.unwrap_or(zone_class);
        if class != zone_class {
            let t = head.class_at.map_or(tokens[0], |k| tokens[k]);
            return Err(EntryError::at(
                &t,
                format!(
                    "class {} differs from the zone's class {} (a zone has one class)",
                    rdata::class_mnemonic(class),
                    rdata::class_mnemonic(zone_class)
                ),
            ));
        }
        Ok(class)
    }

    /// The record's TTL: its own (which becomes the last one), else
    /// `$TTL`, else the last explicit TTL (RFC 1035 §5.1, RFC 2308 §4),
    /// else, with none yet, an SOA's MINIMUM.
    fn record_ttl(
        &mut self,
        ttl: Option<u32>,
        rtype: u16,
        rdata: &[u8],
        start: EntryStart,
        owner_col: u32,
    ) -> Result<u32, EntryError> {
        if let Some(t) = ttl {
            self.last_ttl = Some(t);
            return Ok(t);
        }
        match (self.default_ttl, self.last_ttl) {
            (Some(t), _) => Ok(t),
            (None, Some(t)) => Ok(t),
            (None, None) if !self.last_ttl_known => Err(EntryError {
                line: start.line,
                col: owner_col,
                message: "TTL depends on text before this piece (read again in one piece)".into(),
            }),
            (None, None) if rtype == rtype::SOA && rdata.len() >= 4 => {
                // RFC 2308 §4 / BIND: with no $TTL, the SOA MINIMUM
                // becomes the default TTL.
                let n = rdata.len();
                let min =
                    u32::from_be_bytes([rdata[n - 4], rdata[n - 3], rdata[n - 2], rdata[n - 1]]);
                self.default_ttl = Some(min);
                Ok(min)
            }
            (None, None) => Err(EntryError {
                line: start.line,
                col: owner_col,
                message: "no TTL: give one, or a $TTL directive, or an SOA before this record"
                    .into(),
            }),
        }
    }

    /// Counts the record against `--max-records` (over every piece of a
    /// split read); past the cap the reader stops.
    fn count_record(&mut self, start: EntryStart, owner_col: u32) -> EntryResult {
        if let Some(cap) = self.limits.max_records {
            let total = match self.shared_records {
                Some(all) => all.fetch_add(1, Ordering::Relaxed) + 1,
                None => self.records + 1,
            };
            if total > cap {
                self.stopped = true;
                return Err(EntryError {
                    line: start.line,
                    col: owner_col,
                    message: format!(
                        "more than {cap} records in the input: stopping here (raise the cap with --max-records)"
                    ),
                });
            }
        }
        self.records += 1;
        Ok(())
    }
}

/// The RDATA of an entry whose head is read, into `buf` (wire form, names
/// completed with `origin`); an error points at the field, or just past
/// the last token when one is missing.
fn parse_rdata_of(
    tokens: &[Token<'_>],
    head: &RecordHead,
    origin: &Name,
    buf: &mut Vec<u8>,
) -> EntryResult {
    let type_tok = tokens[head.type_at];
    let rdata_tokens = &tokens[head.type_at + 1..];
    if let Err(e) = rdata::parse_rdata(head.rtype, rdata_tokens, origin, buf) {
        let (line, col) = match rdata_tokens.get(e.token) {
            Some(t) => (t.line, t.col),
            None => {
                let last = rdata_tokens.last().copied().unwrap_or(type_tok);
                (
                    last.line,
                    last.col + last.text.len() as u32 + u32::from(last.quoted) * 2,
                )
            }
        };
        return Err(EntryError {
            line,
            col,
            message: format!("{}: {}", rdata::type_mnemonic(head.rtype), e.message),
        });
    }
    if buf.len() > usize::from(u16::MAX) {
        return Err(EntryError::at(&type_tok, "RDATA longer than 65535 octets"));
    }
    Ok(())
}

/// An unterminated parenthesis swallows the rest of the file: nothing after
/// it can be read meaningfully.
fn message_is_fatal(_line: u32, lexer: &Lexer<'_>) -> bool {
    lexer.at_end()
}

/// The bytes of one input file: memory-mapped when it is a regular file,
/// read into memory otherwise (pipes, `/dev/stdin`).
enum Input {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

/// Why an input file could not be had.
enum OpenError {
    Io(std::io::Error),
    /// Above the byte cap; `size` for a regular file, `None` for a stream
    /// that went on past `cap`.
    TooLarge {
        size: Option<u64>,
        cap: u64,
    },
    /// A stream's buffer could not grow.
    NoMemory {
        read: u64,
    },
}

impl From<std::io::Error> for OpenError {
    fn from(e: std::io::Error) -> Self {
        OpenError::Io(e)
    }
}

impl Input {
    /// Opens `path`, refusing more than `cap` bytes: a regular file by its
    /// size before it is mapped, anything else (a pipe, `/dev/zero`) by
    /// reading it in steps up to the cap and `stream_cap`, since it is
    /// held in memory.
    fn open(path: &Path, cap: Option<u64>, stream_cap: Option<u64>) -> Result<Input, OpenError> {
        // Non-blocking open: a FIFO without a writer must not hang the run.
        let (file, meta) = crate::limits::open_input(path)?;
        if meta.is_file() && cap.is_some_and(|c| meta.len() > c) {
            return Err(OpenError::TooLarge {
                size: Some(meta.len()),
                cap: cap.unwrap_or(u64::MAX),
            });
        }
        if meta.is_file() && meta.len() > 0 {
            // SAFETY: the map is read-only. If another process truncates the
            // file while we read it, the read faults (SIGBUS); that is the
            // documented price of not copying multi-gigabyte zones, the same
            // trade ripgrep makes. Zone files are not edited during a run.
            let map = unsafe { memmap2::MmapOptions::new().map(&file)? };
            #[cfg(unix)]
            let _ = map.advise(memmap2::Advice::Sequential);
            Ok(Input::Mapped(map))
        } else {
            use crate::limits::{read_capped, ReadCapError};
            let cap = cap.unwrap_or(u64::MAX).min(stream_cap.unwrap_or(u64::MAX));
            match read_capped(file, cap) {
                Ok(v) => {
                    crate::limits::check_fifo_gave_data(&meta, &v)?;
                    Ok(Input::Read(v))
                }
                Err(ReadCapError::Io(e)) => Err(OpenError::Io(e)),
                Err(ReadCapError::TooLarge { cap }) => Err(OpenError::TooLarge { size: None, cap }),
                Err(ReadCapError::NoMemory { read }) => Err(OpenError::NoMemory { read }),
            }
        }
    }

    /// Drops the resident pages inside `from..to` (whole pages only). A
    /// no-op for input read into memory.
    fn release_range(&self, from: usize, to: usize) {
        match self {
            Input::Mapped(m) => {
                let page = 4096;
                let start = from.div_ceil(page) * page;
                let end = to / page * page;
                #[cfg(unix)]
                if end > start {
                    // SAFETY: the map is a read-only view of a file; after
                    // MADV_DONTNEED a later access re-reads the page from
                    // the file, so no data is lost or changed. No token of
                    // a finished entry is used after this point (and a
                    // page another piece's reader still reads is simply
                    // read again).
                    let _ = unsafe {
                        m.unchecked_advise_range(
                            memmap2::UncheckedAdvice::DontNeed,
                            start,
                            end - start,
                        )
                    };
                }
            }
            Input::Read(_) => {}
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Input::Mapped(m) => m,
            Input::Read(v) => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rec = (String, u32, u16, Vec<u8>);

    /// Reads `main` (plus extra files in the same temp dir) and returns
    /// `(owner, ttl, type, rdata)` per record.
    fn read(
        main: &str,
        extra: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Result<Vec<Rec>, ParseErrors> {
        let dir = tempfile::tempdir().expect("tempdir");
        for (n, c) in extra {
            std::fs::write(dir.path().join(n), c).expect("write");
        }
        let p = dir.path().join("main.zone");
        std::fs::write(&p, main).expect("write");
        let mut out = Vec::new();
        let opts = ReadOptions {
            origin: origin.map(|o| Name::from_ascii(o).expect("origin")),
            default_ttl: None,
            pieces: 1,
            ..Default::default()
        };
        read_zone(&p, &opts, &mut |r| {
            out.push((r.owner.to_string(), r.ttl, r.rtype, r.rdata.to_vec()))
        })?;
        Ok(out)
    }

    fn owners_ttls(recs: &[Rec]) -> Vec<(String, u32)> {
        recs.iter().map(|r| (r.0.clone(), r.1)).collect()
    }

    #[test]
    fn origin_and_relative_names() {
        let r = read("$ORIGIN a.example.\n$TTL 5\nx A 192.0.2.1\n$ORIGIN b\ny A 192.0.2.2\nz.abs. A 192.0.2.3\n@ A 192.0.2.4\n", &[], None).expect("read");
        assert_eq!(
            owners_ttls(&r),
            vec![
                ("x.a.example.".into(), 5),
                ("y.b.a.example.".into(), 5),
                ("z.abs.".into(), 5),
                ("b.a.example.".into(), 5)
            ]
        );
    }

    #[test]
    fn ttl_directive_and_defaults() {
        // RFC 1035 §5.1: without $TTL, the last explicit TTL carries on.
        let r = read("a 30 A 192.0.2.1\nb A 192.0.2.2\n$TTL 1h\nc A 192.0.2.3\nd 7 A 192.0.2.4\ne A 192.0.2.5\n", &[], Some("x")).expect("read");
        let ttls: Vec<u32> = r.iter().map(|x| x.1).collect();
        assert_eq!(ttls, vec![30, 30, 3600, 7, 3600]);
    }

    #[test]
    fn soa_minimum_is_default_without_ttl() {
        // RFC 2308 §4 (BIND's behaviour): no $TTL, no explicit TTL.
        let r = read("@ SOA ns hm 1 2 3 4 900\n@ NS ns\n", &[], Some("x")).expect("read");
        assert_eq!(r[0].1, 900);
        assert_eq!(r[1].1, 900);
    }

    #[test]
    fn class_and_ttl_in_either_order() {
        let r = read(
            "a 10 IN A 192.0.2.1\nb IN 20 A 192.0.2.2\nc IN A 192.0.2.3\nd 40 A 192.0.2.4\n",
            &[],
            Some("x"),
        )
        .expect("read");
        assert_eq!(
            r.iter().map(|x| x.1).collect::<Vec<_>>(),
            vec![10, 20, 20, 40]
        );
    }

    #[test]
    fn blank_owner_continues_previous() {
        let r = read(
            "$TTL 1\nwww A 192.0.2.1\n   A 192.0.2.2\n\t; comment\n\tAAAA ::1\n",
            &[],
            Some("x"),
        )
        .expect("read");
        assert!(r.iter().all(|x| x.0 == "www.x."));
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn include_with_and_without_origin() {
        let r = read(
            "$ORIGIN x.\n$TTL 1\na A 192.0.2.1\n$INCLUDE one.inc\n$INCLUDE two.inc sub.x.\n  A 192.0.2.9\nafter A 192.0.2.10\n",
            &[("one.inc", "b A 192.0.2.2\n"), ("two.inc", "@ A 192.0.2.3\nc A 192.0.2.4\n$ORIGIN elsewhere.\nd A 192.0.2.5\n")],
            None,
        )
        .expect("read");
        let owners: Vec<String> = r.iter().map(|x| x.0.clone()).collect();
        // After an include, origin and previous owner revert to the includer's.
        assert_eq!(
            owners,
            vec![
                "a.x.",
                "b.x.",
                "sub.x.",
                "c.sub.x.",
                "d.elsewhere.",
                "a.x.",
                "after.x."
            ]
        );
    }

    #[test]
    fn include_in_subdirectory_is_relative_to_includer() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("d")).expect("mkdir");
        std::fs::write(dir.path().join("d/inner.inc"), "i A 192.0.2.1\n").expect("w");
        std::fs::write(dir.path().join("d/mid.inc"), "$INCLUDE inner.inc\n").expect("w");
        let p = dir.path().join("main.zone");
        std::fs::write(&p, "$ORIGIN x.\n$TTL 1\n$INCLUDE d/mid.inc\n").expect("w");
        let mut n = 0;
        read_zone(&p, &ReadOptions::default(), &mut |_| n += 1).expect("read");
        assert_eq!(n, 1);
    }

    #[test]
    fn generate_expands() {
        let r = read(
            "$ORIGIN x.\n$TTL 1\n$GENERATE 1-3 h$ A 192.0.2.$\n$GENERATE 0-10/5 n${0,2,x} 60 IN CNAME h${+1}\n",
            &[],
            None,
        )
        .expect("read");
        let owners: Vec<String> = r.iter().map(|x| x.0.clone()).collect();
        assert_eq!(
            owners,
            vec!["h1.x.", "h2.x.", "h3.x.", "n00.x.", "n05.x.", "n0a.x."]
        );
        assert_eq!(r[2].3, vec![192, 0, 2, 3]);
        assert_eq!(r[3].1, 60);
    }

    #[test]
    fn escapes_in_owner_names() {
        let r = read(
            "$TTL 1\ndot\\.label A 192.0.2.1\n\\200x A 192.0.2.2\na\\032b A 192.0.2.3\n",
            &[],
            Some("x"),
        )
        .expect("read");
        assert_eq!(r[0].0, "dot\\.label.x.");
        assert_eq!(r[1].0, "\\200x.x.");
        assert_eq!(r[2].0, "a\\032b.x.");
    }

    #[test]
    fn generic_rdata_for_unknown_type() {
        let r = read(
            "$TTL 1\nu TYPE65534 \\# 3 abcdef\nv TYPE1 \\# 4 c0000201\n",
            &[],
            Some("x"),
        )
        .expect("read");
        assert_eq!((r[0].2, r[0].3.clone()), (65534, vec![0xab, 0xcd, 0xef]));
        assert_eq!((r[1].2, r[1].3.clone()), (1, vec![192, 0, 2, 1]));
    }

    #[test]
    fn crlf_line_endings() {
        let r = read("$ORIGIN x.\r\n$TTL 1\r\na A 192.0.2.1\r\n", &[], None).expect("read");
        assert_eq!(r.len(), 1);
    }
}
