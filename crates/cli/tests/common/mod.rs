//! What the command-line tests share: running the binary, and plain HTTP
//! requests to a server it started.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

pub fn placeweave() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_placeweave"));
    command.env_remove("DATABASE_URL").env("RUST_LOG", "warn");
    command
}

/// Runs a command that should end by itself; one that is still running
/// after a minute (a server that started instead of refusing) fails.
pub fn output_within_a_minute(command: &mut Command) -> std::process::Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run placeweave");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after a minute: {command:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

pub fn fails_with_one_line(command: &mut Command, expected: &str) {
    let output = output_within_a_minute(command);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected, got: {stderr}");
    assert!(lines[0].starts_with("placeweave: "), "{stderr}");
    assert!(lines[0].contains(expected), "{stderr}");
}

/// Sends one request; returns the status code and the whole response.
pub fn http(address: &str, method: &str, path: &str, form: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    let body = form.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nOrigin: http://{address}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    (status, response)
}

/// A `placeweave serve` started for a test: killed (SIGKILL) when dropped.
/// Its standard error is collected for the test to read.
pub struct Server {
    pub child: std::process::Child,
    pub address: String,
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts `placeweave serve --addr 127.0.0.1:0 <args>` and waits until
    /// it listens.
    pub fn start(args: &[&str]) -> Server {
        Server::start_with(args, "warn")
    }

    pub fn start_with(args: &[&str], log_level: &str) -> Server {
        use std::io::BufRead;
        let mut child = placeweave()
            .env("RUST_LOG", log_level)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .stderr(Stdio::piped())
            .spawn()
            .expect("start serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        let reader = std::thread::spawn(move || {
            let mut sent = false;
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split(" at http://").nth(1).filter(|_| !sent) {
                    let _ = tx.send(rest.split('/').next().unwrap_or_default().to_owned());
                    sent = true;
                }
                if let Ok(mut log) = sink.lock() {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        });
        let address = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!(
                    "serve did not start: {}",
                    log.lock().map(|l| l.clone()).unwrap_or_default()
                )
            });
        Server {
            child,
            address,
            log,
            reader: Some(reader),
        }
    }

    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Kills the server and returns everything it logged.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.log()
    }

    /// Sends SIGTERM, as a service manager stopping it does, and waits up
    /// to `limit` for the process to exit: how long it took, or None.
    pub fn terminate(&mut self, limit: std::time::Duration) -> Option<std::time::Duration> {
        let started = std::time::Instant::now();
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success(), "kill -TERM failed");
        while started.elapsed() < limit {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Some(started.elapsed());
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        None
    }

    /// Kills the server as `kill -9` does.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends one request with optional cookie and body; returns the status
/// code and the whole response, or None if the server did not answer.
pub fn request(
    address: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<(&str, &str)>,
) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(address).ok()?;
    let (kind, body) = body.unwrap_or(("text/plain", ""));
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nOrigin: http://{address}\r\n{cookie}\
         Content-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, response))
}

/// Adds a staff account by invitation, sets its password and signs in;
/// returns the session cookie (`name=value`).
pub fn staff_session(address: &str, url: &str) -> String {
    let output = placeweave()
        .args([
            "user",
            "add",
            "--email",
            "ops@council.example",
            "--name",
            "Ops",
            "--role",
            "staff",
            "--database-url",
            url,
        ])
        .output()
        .expect("user add");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let link = stdout
        .lines()
        .find(|l| l.starts_with("/invite/"))
        .expect("invitation link");
    let password = "password=violet+kettle+harbour";
    let form = format!("{password}&confirm=violet+kettle+harbour");
    let form_kind = "application/x-www-form-urlencoded";
    let (status, _) =
        request(address, "POST", link, None, Some((form_kind, &form))).expect("invite");
    assert_eq!(status, 303);
    let sign_in = format!("email=ops%40council.example&{password}");
    let (status, response) = request(
        address,
        "POST",
        "/sign-in",
        None,
        Some((form_kind, &sign_in)),
    )
    .expect("sign in");
    assert_eq!(status, 303, "{response}");
    response
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie").then(|| {
                value
                    .trim()
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
        })
        .expect("a session cookie")
}
