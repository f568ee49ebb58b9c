//! zonesign's command line: parse, dispatch, map the result to an exit code.

mod cli;

use clap::Parser;

use cli::error::{Error, ExitCode};

/// SIGINT and SIGTERM: remove this run's temporary files and exit 130 or
/// 143 (128 + the signal, as shells report it). `signal-hook` rather than
/// `ctrlc`: its iterator tells the two signals apart (ctrlc's termination
/// feature folds SIGTERM into the same callback), and it runs our cleanup
/// on an ordinary thread, so it may take locks and remove files, which a
/// raw signal handler may not. The cleanup waits for a commit in progress
/// (outputs all old or all new) and stops any later one; unnamed O_TMPFILE
/// files vanish with the process anyway.
fn install_signal_cleanup() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            zonesign::fsio::abort_pending();
            std::process::exit(128 + sig);
        }
    });
}

fn main() {
    install_signal_cleanup();
    let parsed = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // clap's own exit code for --help/--version is 0; for usage errors
            // we use ours (2), which happens to be clap's too.
            let code = if e.use_stderr() {
                ExitCode::Usage
            } else {
                ExitCode::Ok
            };
            std::process::exit(code.code());
        }
    };
    if let Err(e) = cli::run(parsed) {
        match &e {
            // One `file:line:column: message` per line, nothing else, so
            // editors and CI annotators can read them.
            Error::Parse(p)
            | Error::Sign(zonesign::job::sign::SignRunError::Parse(p))
            | Error::Verify(zonesign::job::verify::VerifyRunError::Parse(p)) => {
                eprintln!("{p}")
            }
            _ => eprintln!("zonesign: {e}"),
        }
        std::process::exit(e.exit_code().code());
    }
}
