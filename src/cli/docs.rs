//! `zonesign completions SHELL` and `zonesign man`: the command line's own
//! definitions (clap) rendered for shells and man(1), so that neither can
//! drift from `--help`.

use std::path::PathBuf;

use clap::{Args, CommandFactory};

use super::error::Error;
use super::Cli;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write zonesign.1 and a page per subcommand (zonesign-sign.1, ...) into this directory
    /// instead of printing zonesign.1 on standard output.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Prints the completion script for `args.shell` on standard output.
pub fn completions(args: CompletionsArgs) -> Result<(), Error> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "zonesign", &mut std::io::stdout());
    Ok(())
}

/// Prints the man page, or writes every page into `--dir`.
pub fn man(args: ManArgs) -> Result<(), Error> {
    let cmd = Cli::command();
    let io = |e: std::io::Error| Error::Usage(format!("cannot write the man page: {e}"));
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(io)?;
            clap_mangen::generate_to(cmd, &dir).map_err(io)
        }
        None => clap_mangen::Man::new(cmd)
            .render(&mut std::io::stdout())
            .map_err(io),
    }
}
