//! Progress bars on stderr, for people watching: none with `--quiet` or
//! when stderr is not a terminal (a log file or a pipe gets no redraws).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar of `len` steps drawn with `template` (indicatif's syntax) and,
/// if given, `chars` for the filled, current and empty parts.
pub fn bar(quiet: bool, len: u64, template: &str, chars: Option<&str>) -> Option<ProgressBar> {
    if !shown(quiet) {
        return None;
    }
    let b = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(template) {
        b.set_style(match chars {
            Some(c) => style.progress_chars(c),
            None => style,
        });
    }
    Some(b)
}

/// Whether a bar would be drawn: not with `--quiet`, and only on a terminal.
pub fn shown(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}
