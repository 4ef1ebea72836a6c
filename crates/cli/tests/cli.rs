//! The `placeweave` binary as a person runs it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use placeweave_store::testing::TempFolder;

fn placeweave() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_placeweave"));
    command.env_remove("DATABASE_URL").env("RUST_LOG", "warn");
    command
}

fn fails_with_one_line(command: &mut Command, expected: &str) {
    let output = command.output().expect("run placeweave");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected, got: {stderr}");
    assert!(lines[0].starts_with("placeweave: "), "{stderr}");
    assert!(lines[0].contains(expected), "{stderr}");
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["demo", "--help"],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["generate", "--help"],
    ] {
        let output = placeweave().args(args).output().expect("run");
        assert!(output.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage:"),
            "{args:?}"
        );
    }
}

#[test]
fn unreachable_databases_fail_with_one_line_naming_them() {
    fails_with_one_line(
        placeweave().args([
            "serve",
            "--database-url",
            "postgres://someone:secret@127.0.0.1:1/nowhere",
        ]),
        "could not open database postgres://someone:***@127.0.0.1:1/nowhere",
    );
    fails_with_one_line(
        placeweave().args([
            "migrate",
            "--database-url",
            "sqlite:///no/such/folder/x.sqlite3",
        ]),
        "could not open database sqlite:///no/such/folder/x.sqlite3",
    );
    fails_with_one_line(
        placeweave().args(["migrate", "--database-url", "mysql://example"]),
        "is not a sqlite: or postgres: URL",
    );
}

#[test]
fn migrate_generate_then_serve_refuses_unknown_place() {
    let folder = TempFolder::new().expect("folder");
    let url = format!("sqlite://{}", folder.path().join("g.sqlite3").display());
    let status = placeweave()
        .args(["migrate", "--database-url", &url])
        .status()
        .expect("run");
    assert!(status.success());
    fails_with_one_line(
        placeweave().args(["serve", "--database-url", &url]),
        "holds no place yet",
    );
    let output = placeweave()
        .args([
            "generate",
            "--orgs",
            "300",
            "--seed",
            "9",
            "--database-url",
            &url,
        ])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("300 organisations"));
    fails_with_one_line(
        placeweave().args(["serve", "--database-url", &url, "--place", "atlantis"]),
        "no place \"atlantis\"",
    );
}

#[test]
fn demo_serves_camden_and_reuses_its_data() {
    let folder = TempFolder::new().expect("folder");
    for expected in [
        "created the Camden demo place",
        "using the Camden demo place",
    ] {
        let mut child = placeweave()
            .args(["demo", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(folder.path())
            .env("RUST_LOG", "warn")
            .stderr(Stdio::piped())
            .spawn()
            .expect("start demo");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut first = String::new();
        stderr.read_line(&mut first).expect("read");
        assert!(first.contains(expected), "{first}");
        let mut serving = String::new();
        let mut accounts = 0;
        while !serving.contains("serving") {
            serving.clear();
            stderr.read_line(&mut serving).expect("read");
            if serving.contains("@demo.placeweave.invalid") {
                accounts += 1;
            }
        }
        assert_eq!(
            accounts, 4,
            "one demo account per role, and a second partner"
        );
        let address = serving
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .expect("address in the serving line")
            .to_owned();
        let mut stream = TcpStream::connect(&address).expect("connect");
        stream
            .write_all(b"GET /missions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .expect("request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("response");
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.contains("everyone eats well every day"));
        child.kill().expect("stop");
        let _ = child.wait();
    }
    assert!(folder.path().join("placeweave-demo.sqlite3").exists());
}

#[test]
fn users_are_added_by_invitation_listed_and_disabled() {
    let folder = TempFolder::new().expect("folder");
    let url = format!("sqlite://{}", folder.path().join("u.sqlite3").display());
    let run = |args: &[&str]| {
        let output = placeweave()
            .args(args)
            .args(["--database-url", &url])
            .output()
            .expect("run");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (ok, stdout, stderr) = run(&[
        "user",
        "add",
        "--email",
        "Ruth@Camden.example",
        "--name",
        "Ruth",
        "--role",
        "staff",
    ]);
    assert!(ok, "{stderr}");
    let link = stdout
        .lines()
        .find(|l| l.starts_with("/invite/"))
        .expect("invitation link");
    assert_eq!(link.len(), "/invite/".len() + 64);
    let (ok, _, stderr) = run(&[
        "user",
        "add",
        "--email",
        "ruth@camden.example",
        "--name",
        "Again",
        "--role",
        "staff",
    ]);
    assert!(!ok && stderr.contains("already exists"), "{stderr}");
    let (ok, _, stderr) = run(&[
        "user",
        "add",
        "--email",
        "p@x.example",
        "--name",
        "P",
        "--role",
        "partner",
    ]);
    assert!(!ok && stderr.contains("needs --organisation"), "{stderr}");
    let (ok, _, stderr) = run(&[
        "user",
        "add",
        "--email",
        "p@x.example",
        "--name",
        "P",
        "--role",
        "owner",
    ]);
    assert!(!ok && stderr.contains("role must be"), "{stderr}");
    let (_, listed, _) = run(&["user", "list"]);
    assert!(
        listed.contains("ruth@camden.example\tstaff\t-\tinvited\tRuth"),
        "{listed}"
    );
    let (ok, _, _) = run(&["user", "disable", "--email", "ruth@camden.example"]);
    assert!(ok);
    let (_, listed, _) = run(&["user", "list"]);
    assert!(listed.contains("\tdisabled\t"), "{listed}");
}
