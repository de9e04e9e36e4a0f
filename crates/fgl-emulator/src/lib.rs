//! The local AWS of the tests: moto in server mode (installed into `.venv` by
//! `scripts/aws-emulator.sh setup`), started on 127.0.0.1 on a free port for one test and
//! killed when dropped, also when the test panics. Without moto, starting fails with a message
//! saying how to install it: a test that needs AWS never skips.
//!
//! moto runs through `tests/emulator/fgl_moto.py`, which makes ECS deployments progress on
//! each DescribeServices and fail on demand (the essential container's `FGL_TEST_FAIL`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Seconds moto's ACM takes to issue a requested certificate (AWS: when the validation
/// record resolves; moto: after this delay, 60 by default).
pub const ACM_VALIDATION_WAIT: &str = "2";

/// A running moto server.
pub struct Moto {
    child: Child,
    /// `http://127.0.0.1:PORT`: what `AWS_ENDPOINT_URL` is set to.
    pub url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The repository's root: two levels above the testing crate (`crates/*`). Read when the
/// test runs (cargo sets it then), not when this crate was built, so that a target directory
/// shared by two clones never sends one clone's tests to the other's files.
pub fn repo_root() -> PathBuf {
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    crate_dir
        .ancestors()
        .nth(2)
        .unwrap_or(&crate_dir)
        .to_path_buf()
}

impl Moto {
    /// Starts moto; panics (fails the test) with the fix when it is not installed or does not
    /// come up.
    pub fn start() -> Moto {
        let server = repo_root().join(".venv/bin/moto_server");
        assert!(
            server.exists(),
            "the local AWS emulator is missing ({}): run scripts/aws-emulator.sh setup",
            server.display()
        );
        // A free port: bind port 0, read what the kernel chose, release it for moto.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("no free local port for moto: {e}"));
        let python = repo_root().join(".venv/bin/python");
        let launcher = repo_root().join("tests/emulator/fgl_moto.py");
        let child = Command::new(&python)
            .arg(&launcher)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_ACM_VALIDATION_WAIT", ACM_VALIDATION_WAIT)
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", launcher.display()));
        let mut moto = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        // Until moto answers, or exits (a broken install), or 30 s have passed (moto imports
        // a lot on start).
        let deadline = Instant::now() + Duration::from_secs(30);
        while !answers(port) {
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("moto exited on start ({status})");
            }
            assert!(
                Instant::now() < deadline,
                "moto did not answer on port {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// The environment a process needs to use this emulator: endpoint, region and dummy
    /// credentials, and no profile or config file of the machine's user.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.url.clone()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
            ("AWS_CONFIG_FILE", "/dev/null".into()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null".into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ]
    }
}

/// Whether moto serves HTTP yet (it listens a little before it answers).
fn answers(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = "GET /moto-api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let mut head = [0u8; 12];
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_exact(&mut head).is_ok()
        && head.starts_with(b"HTTP/1.1 200")
}
