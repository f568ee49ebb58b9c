//! zonesign's command line: parse, dispatch, map the result to an exit code.

mod cli;

use clap::Parser;

fn main() {
    let parsed = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // clap's own exit code for --help/--version is 0; for usage errors
            // we use ours (2), which happens to be clap's too.
            std::process::exit(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if let Err(e) = cli::run(parsed) {
        match &e {
            // One `file:line:column: message` per line, nothing else, so
            // editors and CI annotators can read them.
            zonesign::error::Error::Parse(p)
            | zonesign::error::Error::Sign(zonesign::sign::pipeline::SignRunError::Parse(p)) => {
                eprintln!("{p}")
            }
            _ => eprintln!("zonesign: {e}"),
        }
        std::process::exit(e.exit_code().code());
    }
}
