//! Command-line definitions (clap derive) and dispatch. Every flag is
//! documented where it is defined: the doc comment is its `--help` text.

pub mod args;
pub mod check;
pub mod color;
pub mod dnssec;
pub mod docs;
pub mod error;
pub mod keys;
pub mod policy;
pub mod progress;
pub mod sign;
pub mod verify;

use clap::{Parser, Subcommand};

/// Sign and validate DNS zones offline.
#[derive(Debug, Parser)]
#[command(name = "zonesign", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a zone file, check it, and report what is in it (exit 2 on errors).
    #[command(
        after_help = "Examples:\n  zonesign check example.com.zone\n  zonesign check - --origin example.com --emit - < example.com.zone > canonical.zone"
    )]
    Check(check::CheckArgs),
    /// Sign a zone: RRSIGs for every RRset, NSEC or NSEC3, DS records.
    #[command(
        after_help = "Examples:\n  zonesign sign example.com.zone --keys keys --generate-keys\n  zonesign sign example.com.zone -K keys -f example.com.signed --previous example.com.signed --serial date"
    )]
    Sign(Box<sign::SignArgs>),
    /// Verify a signed zone: DS → DNSKEY → RRSIG and the NSEC/NSEC3 chain (exit 1 on problems).
    #[command(
        after_help = "Examples:\n  zonesign verify example.com.signed --ds dsset-example.com.\n  zonesign verify example.com.signed --ds dsset-example.com. --fail-expiring 3d --format json"
    )]
    Verify(verify::VerifyArgs),
    /// Run the key lifecycle offline: enable, status, rollovers, DS confirmation, disable.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  zonesign dnssec enable example.com --state-dir dnssec/example.com\n  zonesign dnssec rotate-zsk example.com --state-dir dnssec/example.com"
    )]
    Dnssec(dnssec::DnssecCommand),
    /// Generate a DNSSEC key pair (BIND file format).
    #[command(
        after_help = "Examples:\n  zonesign keygen -K keys --ksk example.com\n  zonesign keygen -K keys --alg 8 --bits 2048 example.com"
    )]
    Keygen(keys::KeygenArgs),
    /// Print DS records for DNSKEY key files (as dnssec-dsfromkey does).
    #[command(after_help = "Examples:\n  zonesign ds keys/Kexample.com.+013+12345.key")]
    Ds(keys::DsArgs),
    /// Inspect key files.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  zonesign key show keys/Kexample.com.+013+12345 --format json"
    )]
    Key(KeyCommand),
    /// The signing policy (zonesign.yaml): show what is in force and where each value comes from.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  zonesign policy show example.com.zone\n  zonesign policy show example.com.zone --serial increment --format json"
    )]
    Policy(policy::PolicyCommand),
    /// Print a shell completion script (e.g. `zonesign completions bash > /etc/bash_completion.d/zonesign`).
    #[command(
        after_help = "Examples:\n  zonesign completions bash > /etc/bash_completion.d/zonesign"
    )]
    Completions(docs::CompletionsArgs),
    /// Print the man page (roff), or write a page per subcommand with --dir.
    #[command(after_help = "Examples:\n  zonesign man > /usr/local/share/man/man1/zonesign.1")]
    Man(docs::ManArgs),
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Show a key's tag, algorithm, flags, role, timing and DS (never private data).
    Show(keys::KeyShowArgs),
}

/// Runs one command; the error carries its exit code.
pub fn run(cli: Cli) -> Result<(), error::Error> {
    match cli.command {
        Command::Check(a) => check::run(a),
        Command::Sign(a) => sign::run(*a),
        Command::Verify(a) => verify::run(a),
        Command::Dnssec(c) => dnssec::run(c),
        Command::Keygen(a) => keys::keygen(a),
        Command::Ds(a) => keys::ds(a),
        Command::Key(KeyCommand::Show(a)) => keys::key_show(a),
        Command::Policy(c) => policy::run(c),
        Command::Completions(a) => docs::completions(a),
        Command::Man(a) => docs::man(a),
    }
}

/// The current time, read here and only here: the library takes time as a value.
pub fn wall_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_consistent() {
        // clap's own checks: ids, defaults, and every `mut_arg` target.
        <super::Cli as clap::CommandFactory>::command().debug_assert();
    }
}
