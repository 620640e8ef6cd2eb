//! A server the tests need, run as a child process on a free loopback port for the nextest
//! step and killed when its guard is dropped, whatever the step's outcome: `redis-server` for
//! the shared rate limits, httpbin as a hostile server this project did not write.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server, killed when dropped (so also when the tests fail).
pub struct LocalServer {
    child: Child,
}

/// A loopback port nothing listens on now.
pub fn free_port(what: &str) -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("error: no free loopback port for {what}: {e}"))
}

impl LocalServer {
    /// Spawns `command` (which must listen on `port`) and waits until it accepts connections.
    pub fn start(what: &str, port: u16, command: &mut Command) -> Result<Self, String> {
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("error: cannot start {what}: {e}"))?;
        // Built before waiting, so that a server that never listens is killed on the way out.
        let server = Self { child };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(format!("error: {what} did not listen on port {port}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(server)
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
