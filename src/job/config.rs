//! What every job's options share, checked once before any input is read:
//! the thread count, and the error a refused option is.

/// Most threads a run may start, per available core: more only adds stacks
/// and scheduling (thousands of threads take seconds to start).
pub const THREADS_PER_CORE: usize = 4;

/// Why a job's options are refused. Nothing has been read or written when
/// this is returned.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// An option value that cannot be used; the message names the flag.
    #[error("{0}")]
    Invalid(String),
    /// The signature window can never be valid, or is unsafe at `now`
    /// (RFC 4034 §3.1.5).
    #[error(transparent)]
    Window(#[from] crate::sign::SignError),
    /// The thread pool could not be started.
    #[error("cannot start threads: {0}")]
    Threads(String),
}

/// The worker threads of a run, the same meaning in every job: the job's
/// parallel work runs in a pool of this many threads that lives for the
/// run (rayon's default, all cores, when unset).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Threads(Option<usize>);

impl Threads {
    /// `requested` threads, at least 1, capped at [`THREADS_PER_CORE`]
    /// times `cores`; the cap comes with a warning.
    pub fn new(
        requested: Option<usize>,
        cores: usize,
    ) -> Result<(Threads, Option<String>), ConfigError> {
        let Some(n) = requested else {
            return Ok((Threads(None), None));
        };
        if n == 0 {
            return Err(ConfigError::Invalid("--threads must be at least 1".into()));
        }
        let cap = cores.max(1).saturating_mul(THREADS_PER_CORE);
        if n > cap {
            let warning = format!(
                "--threads {n} is more than {THREADS_PER_CORE} per core ({cores} cores): using {cap}"
            );
            return Ok((Threads(Some(cap)), Some(warning)));
        }
        Ok((Threads(Some(n)), None))
    }

    /// The thread count, `None` for all cores.
    pub fn count(self) -> Option<usize> {
        self.0
    }

    /// Runs `f` inside a pool of these threads: the library's parallel work
    /// (rayon) uses the pool it is called in.
    pub fn install<R: Send>(self, f: impl FnOnce() -> R + Send) -> Result<R, ConfigError> {
        // The job itself runs on a worker (`pool.install`), so workers get
        // the main thread's usual 8 MiB stack rather than rayon's 2 MiB.
        let mut b = rayon::ThreadPoolBuilder::new().stack_size(8 << 20);
        if let Some(n) = self.0 {
            b = b.num_threads(n);
        }
        let pool = b.build().map_err(|e| ConfigError::Threads(e.to_string()))?;
        Ok(pool.install(f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_counts() {
        assert_eq!(Threads::new(None, 2).unwrap().0.count(), None);
        assert!(Threads::new(Some(0), 2).is_err());
        assert_eq!(Threads::new(Some(1), 2).unwrap(), (Threads(Some(1)), None));
        assert_eq!(Threads::new(Some(8), 2).unwrap(), (Threads(Some(8)), None));
        let (t, w) = Threads::new(Some(9), 2).unwrap();
        assert_eq!(t.count(), Some(8));
        assert!(w.unwrap().contains("using 8"), "the cap is said");
    }

    #[test]
    fn work_runs_in_a_pool_of_that_size() {
        let (t, _) = Threads::new(Some(3), 2).unwrap();
        assert_eq!(t.install(rayon::current_num_threads).unwrap(), 3);
    }
}
