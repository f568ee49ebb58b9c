//! Colour for findings, only where a person reads them: a terminal, and
//! `NO_COLOR` unset or empty (<https://no-color.org>), unless `--color`
//! says otherwise. Hand-written (three SGR codes) rather than a crate:
//! nothing else here needs one.

use std::io::IsTerminal;

use clap::ValueEnum;
use zonesign::verify::Severity;

/// `--color`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour what goes to a stream that `is_terminal` or not.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }

    pub fn for_stdout(self) -> bool {
        self.enabled(std::io::stdout().is_terminal())
    }

    pub fn for_stderr(self) -> bool {
        self.enabled(std::io::stderr().is_terminal())
    }
}

/// `line` in the colour of `severity` (errors red, warnings yellow,
/// notes as they are) when `on`.
pub fn paint(line: &str, severity: Severity, on: bool) -> String {
    let code = match severity {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Note => return line.to_string(),
    };
    if on {
        format!("\x1b[{code}m{line}\x1b[0m")
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_red_warnings_yellow_and_off_means_plain() {
        assert_eq!(paint("x", Severity::Error, true), "\x1b[31mx\x1b[0m");
        assert_eq!(paint("x", Severity::Warning, true), "\x1b[33mx\x1b[0m");
        assert_eq!(paint("x", Severity::Note, true), "x");
        assert_eq!(paint("x", Severity::Error, false), "x");
        assert!(ColorChoice::Always.enabled(false));
        assert!(!ColorChoice::Never.enabled(true));
        assert!(!ColorChoice::Auto.enabled(false));
    }
}
