//! The bounds of a call in time: each attempt's own timeout within the call's deadline.

use super::send_error::SendError;
use super::Runtime;
use crate::error::TimeoutKind;
use std::time::Duration;
use tokio::time::Instant as Deadline;

impl Runtime {
    pub(super) fn deadline_passed(&self) -> SendError {
        SendError::Timeout {
            kind: TimeoutKind::Deadline,
            limit: self.config.deadline,
        }
    }

    /// The limit of one attempt: its own timeout, or what is left of the call's deadline,
    /// with the error that reaching it gives.
    pub(super) fn attempt_limit(&self, deadline: Deadline) -> (Deadline, TimeoutKind, Duration) {
        let own = Deadline::now() + self.config.timeout;
        if own <= deadline {
            (own, TimeoutKind::Attempt, self.config.timeout)
        } else {
            (deadline, TimeoutKind::Deadline, self.config.deadline)
        }
    }
}
