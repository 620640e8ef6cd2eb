//! Exit codes, one per class of error, and the error a command ends with.

use api_token_runtime::{Error, ErrorKind, RequestError};
use std::fmt;

/// The tool's exit codes. A script tells the classes apart without parsing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Exit {
    /// The call succeeded (or a dry run described it).
    Ok = 0,
    /// Anything else (writing the output failed, say).
    Other = 1,
    /// The command line, the environment or `--body` was wrong; nothing was sent.
    Usage = 2,
    /// The API answered with an error status its spec documents (the body is printed).
    Documented = 3,
    /// The API reported a failure inside a successful (2xx) response.
    Failure = 4,
    /// The API answered with a status its spec does not document, or a redirect not followed.
    Unexpected = 5,
    /// The response did not match the spec (undecodable, over the size cap, or a page cursor
    /// the server had already returned).
    Decode = 6,
    /// No answer: connecting, TLS or the connection failed, or a time limit was reached.
    Transport = 7,
}

/// What `--help` says about exit codes.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success (or a dry run)
  1  another error (writing the output failed)
  2  usage: bad arguments, environment or --body; nothing was sent
  3  the API answered with an error status its spec documents (body on stdout)
  4  the API reported a failure inside a successful (2xx) response
  5  the API answered with a status its spec does not document
  6  the response did not match the spec (undecodable, too large, a repeated page or cursor)
  7  transport: no connection, TLS failure, or a timeout";

impl Exit {
    /// The class of a call's error.
    pub fn of<E>(error: &Error<E>) -> Self {
        match error.kind() {
            ErrorKind::Documented => Exit::Documented,
            ErrorKind::Failure => Exit::Failure,
            ErrorKind::Unexpected => Exit::Unexpected,
            ErrorKind::Decode => Exit::Decode,
            ErrorKind::Request => Exit::Usage,
            ErrorKind::Transport => Exit::Transport,
        }
    }
}

/// Why a command did not succeed: the exit code and the message for stderr.
#[derive(Debug)]
pub struct Failure {
    pub(crate) exit: Exit,
    pub(crate) message: String,
}

impl Failure {
    /// A mistake on the command line or in the environment.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Usage,
            message: message.into(),
        }
    }

    pub(crate) fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
        }
    }

    /// The exit code.
    pub fn exit(&self) -> Exit {
        self.exit
    }

    /// True for the end of a call made in a dry run (not an error).
    pub(crate) fn is_dry_run(&self) -> bool {
        self.exit == Exit::Ok
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<RequestError> for Failure {
    fn from(error: RequestError) -> Self {
        match error {
            RequestError::DryRun => Self::new(Exit::Ok, "dry run"),
            other => Self::usage(other.to_string()),
        }
    }
}

impl<E: fmt::Display> From<Error<E>> for Failure {
    fn from(error: Error<E>) -> Self {
        match error {
            Error::Request(request) => request.into(),
            other => Self::new(Exit::of(&other), other.to_string()),
        }
    }
}
