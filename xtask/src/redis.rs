//! The `redis-server` the shared-rate-limit tests run against (`tests/tests/redis_fleet.rs`):
//! installed from Debian's package when missing, started on a free loopback port for the
//! nextest step, and stopped afterwards whatever the step's outcome.

use crate::step::run_step;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The variable the tests read the server's URL from.
pub const URL_VAR: &str = "API_TOKEN_TEST_REDIS_URL";

/// Installs `redis-server` (Debian's package, through apt-get) unless it is on the PATH.
pub fn install() -> Result<(), String> {
    if Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
    {
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
        "install redis-server (apt-get)",
        command
            .args(["install", "-y", "--no-install-recommends", "redis-server"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// A running `redis-server`, killed when dropped (so also when the tests fail).
pub struct Server {
    child: Child,
    /// `redis://127.0.0.1:<port>`.
    pub url: String,
}

impl Server {
    /// Starts a server on a free loopback port, without persistence, and waits until it
    /// accepts connections.
    pub fn start() -> Result<Self, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("error: no free loopback port for redis-server: {e}"))?
            .port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("error: cannot start redis-server: {e}"))?;
        let server = Self {
            child,
            url: format!("redis://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(format!("error: redis-server did not listen on port {port}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!("==> redis-server on {}", server.url);
        Ok(server)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
