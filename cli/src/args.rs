//! A small argument reader shared by the subcommands: `--flag value`, `--flag=value`,
//! repeated flags, switches and positionals. Every unknown flag is an error that names it.

use std::collections::VecDeque;

/// The remaining arguments of a command line.
#[derive(Debug, Clone)]
pub struct Args {
    rest: VecDeque<String>,
}

/// A command-line error (bad flags): printed, exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl Args {
    /// The process's arguments without the program name.
    pub fn from_env() -> Args {
        Args {
            rest: std::env::args().skip(1).collect(),
        }
    }

    /// Arguments from a list (tests).
    #[cfg(test)]
    pub fn from(list: &[&str]) -> Args {
        Args {
            rest: list.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The next positional argument, if any.
    pub fn positional(&mut self) -> Option<String> {
        let i = self.rest.iter().position(|a| !a.starts_with("--"))?;
        // A value right after a flag is not a positional.
        if i > 0
            && self
                .rest
                .get(i - 1)
                .is_some_and(|f| f.starts_with("--") && !f.contains('='))
        {
            return None;
        }
        self.rest.remove(i)
    }

    /// All values of `--name` (repeatable).
    pub fn values(&mut self, name: &str) -> Result<Vec<String>, UsageError> {
        let flag = format!("--{name}");
        let prefix = format!("--{name}=");
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.rest.len() {
            let Some(arg) = self.rest.get(i).cloned() else {
                break;
            };
            if arg == flag {
                self.rest.remove(i);
                match self.rest.remove(i) {
                    Some(v) => out.push(v),
                    None => return Err(UsageError(format!("{flag} needs a value"))),
                }
            } else if let Some(v) = arg.strip_prefix(&prefix) {
                out.push(v.to_string());
                self.rest.remove(i);
            } else {
                i += 1;
            }
        }
        Ok(out)
    }

    /// The value of `--name`, if given (the last one wins).
    pub fn value(&mut self, name: &str) -> Result<Option<String>, UsageError> {
        Ok(self.values(name)?.pop())
    }

    /// Whether the switch `--name` is present.
    pub fn switch(&mut self, name: &str) -> bool {
        let flag = format!("--{name}");
        let before = self.rest.len();
        self.rest.retain(|a| *a != flag);
        self.rest.len() != before
    }

    /// Error if anything is left unread.
    pub fn finish(&self) -> Result<(), UsageError> {
        match self.rest.front() {
            Some(a) => Err(UsageError(format!(
                "unexpected argument '{a}' (see `eduaid help`)"
            ))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_flags() {
        let mut a = Args::from(&[
            "--as-of",
            "2024-10-01",
            "--overlay=a.json",
            "--overlay",
            "b.json",
            "--csv",
        ]);
        assert_eq!(a.value("as-of").unwrap().as_deref(), Some("2024-10-01"));
        assert_eq!(a.values("overlay").unwrap(), vec!["a.json", "b.json"]);
        assert!(a.switch("csv"));
        assert!(a.finish().is_ok());
        let b = Args::from(&["--bogus"]);
        assert!(b.finish().is_err());
    }
}
