//! The `redis-server` the shared-rate-limit tests run against (`tests/tests/redis_fleet.rs`):
//! installed from Debian's package when missing, started on a free loopback port for the
//! nextest step, and stopped afterwards whatever the step's outcome.

use crate::local_server::{free_port, LocalServer};
use crate::step::run_step;
use std::process::{Command, Stdio};

/// The variable the tests read the server's URL from.
pub const URL_VAR: &str = "API_TOKEN_TEST_REDIS_URL";

/// Installs `redis-server` and libfaketime (Debian's packages, through apt-get) unless both
/// are there: the fleet test runs some of its processes with skewed clocks.
pub fn install() -> Result<(), String> {
    let has_server = Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if has_server && faketime_library().is_some() {
        return Ok(());
    }
    // As root (the CI container) apt-get runs directly; elsewhere through sudo.
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0");
    let mut command = if is_root {
        Command::new("apt-get")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.arg("apt-get");
        sudo
    };
    run_step(
        "install redis-server and faketime (apt-get)",
        command
            .args(["install", "-y", "--no-install-recommends"])
            .args(["redis-server", "faketime"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// libfaketime's preload library, where Debian puts it (`/usr/lib/<triple>/faketime/`).
fn faketime_library() -> Option<std::path::PathBuf> {
    std::fs::read_dir("/usr/lib")
        .ok()?
        .flatten()
        .map(|dir| dir.path().join("faketime/libfaketime.so.1"))
        .find(|library| library.exists())
}

/// A running `redis-server`, killed when dropped (so also when the tests fail).
pub struct Server {
    _process: LocalServer,
    /// `redis://127.0.0.1:<port>`.
    pub url: String,
}

impl Server {
    /// Starts a server on a free loopback port, without persistence, and waits until it
    /// accepts connections.
    pub fn start() -> Result<Self, String> {
        let port = free_port("redis-server")?;
        let process = LocalServer::start(
            "redis-server",
            port,
            Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no"]),
        )?;
        let url = format!("redis://127.0.0.1:{port}");
        eprintln!("==> redis-server on {url}");
        Ok(Self {
            _process: process,
            url,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpStream;

    #[test]
    fn the_server_listens_until_dropped() {
        if Command::new("redis-server")
            .arg("--version")
            .output()
            .is_err()
        {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "redis-server is installed by `cargo xtask test`"
            );
            eprintln!("SKIPPED: redis-server is not installed");
            return;
        }
        let server = Server::start().unwrap();
        let port: u16 = server.url.rsplit(':').next().unwrap().parse().unwrap();
        assert!(TcpStream::connect(("127.0.0.1", port)).is_ok());
        drop(server);
        assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "stopped");
    }
}
