//! The `placeweave` binary as a person runs it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use common::*;
use placeweave_store::testing::TempFolder;

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["demo", "--help"],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["generate", "--help"],
        &["user", "--help"],
        &["backup", "--help"],
        &["restore", "--help"],
        &["copy", "--help"],
        &["analyse", "--help"],
        &["import", "--help"],
        &["import", "measures", "--help"],
        &["import", "kumu", "--help"],
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
        placeweave().args(["serve", "--addr", "127.0.0.1:0", "--database-url", &url]),
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
        placeweave().args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--database-url",
            &url,
            "--place",
            "atlantis",
        ]),
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
fn users_are_added_by_invitation_listed_reset_and_disabled() {
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
    assert!(
        !ok && stderr.contains("already an account with this email"),
        "{stderr}"
    );
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
    assert!(
        !ok && stderr.contains("organisation: Select the partner's organisation"),
        "{stderr}"
    );
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
    assert!(
        !ok && stderr.contains("role: Select a role: admin, staff or partner"),
        "{stderr}"
    );
    let (_, listed, _) = run(&["user", "list"]);
    assert!(
        listed.contains("ruth@camden.example\tstaff\t-\tinvited\tRuth"),
        "{listed}"
    );
    // A new-password link: another one-time link, replacing the first.
    let (ok, stdout, stderr) = run(&["user", "reset", "--email", "Ruth@camden.example"]);
    assert!(ok, "{stderr}");
    let reset = stdout
        .lines()
        .find(|l| l.starts_with("/invite/"))
        .expect("reset link");
    assert_eq!(reset.len(), link.len());
    assert_ne!(reset, link);
    let (ok, _, stderr) = run(&["user", "reset", "--email", "nobody@camden.example"]);
    assert!(
        !ok && stderr.contains("there is no account for nobody@camden.example"),
        "{stderr}"
    );
    let (ok, _, _) = run(&["user", "disable", "--email", "ruth@camden.example"]);
    assert!(ok);
    let (_, listed, _) = run(&["user", "list"]);
    assert!(listed.contains("\tdisabled\t"), "{listed}");
    let (ok, _, stderr) = run(&["user", "reset", "--email", "ruth@camden.example"]);
    assert!(!ok && stderr.contains("disabled"), "{stderr}");
}

/// A running demo: its process, address and printed sign-in links.
struct Demo {
    child: std::process::Child,
    address: String,
    /// (email, path of its one-time link)
    links: Vec<(String, String)>,
}

impl Demo {
    fn start(folder: &std::path::Path) -> Demo {
        let mut child = placeweave()
            .args(["demo", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(folder)
            .stderr(Stdio::piped())
            .spawn()
            .expect("start demo");
        let stderr = child.stderr.take().expect("stderr");
        // From here on, a failed assertion still stops the server (Drop).
        let mut demo = Demo {
            child,
            address: String::new(),
            links: Vec::new(),
        };
        let mut stderr = BufReader::new(stderr);
        let mut line = String::new();
        while demo.address.is_empty() {
            line.clear();
            assert!(stderr.read_line(&mut line).expect("read") > 0, "demo ended");
            if let Some(rest) = line.split("serving camden at http://").nth(1) {
                demo.address = rest.split('/').next().expect("address").to_owned();
            }
            if line.contains("@demo.placeweave.invalid") {
                let fields: Vec<&str> = line.split_whitespace().collect();
                let path = fields
                    .get(2)
                    .and_then(|link| link.split_once("/invite/"))
                    .map(|(_, token)| format!("/invite/{token}"))
                    .unwrap_or_else(|| panic!("a one-time link expected: {line}"));
                demo.links.push((fields[1].to_owned(), path));
            }
        }
        demo
    }

    fn link(&self, email: &str) -> &str {
        &self
            .links
            .iter()
            .find(|(e, _)| e == email)
            .expect("a link for the account")
            .1
    }

    fn stop(self) {}
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const STAFF: &str = "staff@demo.placeweave.invalid";

#[test]
fn demo_sign_in_links_work_once_and_are_renewed_at_every_start() {
    let folder = TempFolder::new().expect("folder");
    let demo = Demo::start(folder.path());
    assert_eq!(demo.links.len(), 4, "one link per demo account");
    let link = demo.link(STAFF).to_owned();
    assert_eq!(http(&demo.address, "GET", &link, None).0, 200);
    let form = "password=violet+kettle+harbour&confirm=violet+kettle+harbour";
    assert_eq!(http(&demo.address, "POST", &link, Some(form)).0, 303);
    assert_eq!(
        http(&demo.address, "POST", &link, Some(form)).0,
        404,
        "the link works once"
    );
    let sign_in = format!(
        "email={}&password=violet+kettle+harbour",
        STAFF.replace('@', "%40")
    );
    assert_eq!(
        http(&demo.address, "POST", "/sign-in", Some(&sign_in)).0,
        303
    );
    let unused = demo.link("admin@demo.placeweave.invalid").to_owned();
    demo.stop();

    // A restart withdraws the links and passwords of the last run.
    let demo = Demo::start(folder.path());
    assert_eq!(http(&demo.address, "GET", &unused, None).0, 404);
    assert_eq!(
        http(&demo.address, "POST", "/sign-in", Some(&sign_in)).0,
        401
    );
    assert_eq!(http(&demo.address, "GET", demo.link(STAFF), None).0, 200);
    demo.stop();
}

#[test]
fn a_second_demo_on_a_busy_address_fails_before_changing_anything() {
    let folder = TempFolder::new().expect("folder");
    let demo = Demo::start(folder.path());
    let link = demo.link(STAFF).to_owned();
    fails_with_one_line(
        placeweave()
            .args(["demo", "--addr", &demo.address, "--data-dir"])
            .arg(folder.path()),
        &format!("could not listen on {}", demo.address),
    );
    fails_with_one_line(
        placeweave()
            .args(["demo", "--addr", &demo.address, "--data-dir"])
            .arg(folder.path()),
        "another placeweave already serving there",
    );
    assert_eq!(
        http(&demo.address, "GET", &link, None).0,
        200,
        "the running demo's links still work"
    );
    demo.stop();
}

#[test]
fn user_add_refuses_an_unknown_place_and_creates_nothing() {
    let folder = TempFolder::new().expect("folder");
    let url = format!("sqlite://{}", folder.path().join("u.sqlite3").display());
    for role in ["staff", "partner"] {
        let mut command = placeweave();
        command.args([
            "user",
            "add",
            "--email",
            "someone@x.example",
            "--name",
            "Someone",
            "--role",
            role,
            "--place",
            "nowhere",
            "--database-url",
            &url,
        ]);
        if role == "partner" {
            command.args(["--organisation", "ucl"]);
        }
        fails_with_one_line(&mut command, "There is no place \"nowhere\"");
    }
    // A partner without --place is looked for in camden, which is not there.
    fails_with_one_line(
        placeweave().args([
            "user",
            "add",
            "--email",
            "someone@x.example",
            "--name",
            "Someone",
            "--role",
            "partner",
            "--organisation",
            "ucl",
            "--database-url",
            &url,
        ]),
        "There is no place \"camden\"",
    );
    let output = placeweave()
        .args(["user", "list", "--database-url", &url])
        .output()
        .expect("run");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "",
        "no account made"
    );
}

#[test]
fn generate_refuses_absurd_sizes_and_bad_place_ids() {
    let folder = TempFolder::new().expect("folder");
    let url = format!("sqlite://{}", folder.path().join("g.sqlite3").display());
    for orgs in ["0", "1000001"] {
        fails_with_one_line(
            placeweave().args(["generate", "--orgs", orgs, "--database-url", &url]),
            "--orgs must be from 1 to 1000000",
        );
    }
    for place in ["Bad Place", "-edge", "", "tr\u{e8}s", &"a".repeat(101)] {
        fails_with_one_line(
            placeweave().args([
                "generate",
                "--orgs",
                "3",
                &format!("--place={place}"),
                "--database-url",
                &url,
            ]),
            "--place must be a slug",
        );
    }
    let migrated = placeweave()
        .args(["migrate", "--database-url", &url])
        .output()
        .expect("run");
    assert!(migrated.status.success());
    fails_with_one_line(
        placeweave().args(["serve", "--addr", "127.0.0.1:0", "--database-url", &url]),
        "holds no place yet",
    );
}

/// Runs placeweave as a user without root's power to ignore permissions.
fn placeweave_unprivileged() -> Command {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if root {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "nobody", "--"])
            .arg(env!("CARGO_BIN_EXE_placeweave"))
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "warn");
        command
    } else {
        placeweave()
    }
}

#[test]
fn serving_a_read_only_database_is_refused_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let folder = TempFolder::new().expect("folder");
    let data = folder.path().join("data");
    std::fs::create_dir(&data).expect("data folder");
    let file = data.join("r.sqlite3");
    let url = format!("sqlite://{}", file.display());
    let output = placeweave()
        .args(["generate", "--orgs", "5", "--database-url", &url])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let serve = |command: &mut Command, url: &str| {
        command.args(["serve", "--addr", "127.0.0.1:0", "--database-url", url]);
    };

    // Opened read-only.
    let mut command = placeweave();
    serve(&mut command, &format!("{url}?mode=ro"));
    fails_with_one_line(
        &mut command,
        &format!("the database file {} is read-only", file.display()),
    );

    let chmod = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    // A read-only file in a writable folder.
    chmod(&data, 0o777);
    chmod(&file, 0o444);
    let mut command = placeweave_unprivileged();
    serve(&mut command, &url);
    fails_with_one_line(
        &mut command,
        &format!("the database file {} is read-only", file.display()),
    );

    // A writable file in a read-only folder: SQLite cannot make its WAL files.
    for suffix in ["-wal", "-shm", ".lock"] {
        let mut leftover = file.clone().into_os_string();
        leftover.push(suffix);
        let _ = std::fs::remove_file(leftover);
    }
    chmod(&file, 0o666);
    chmod(&data, 0o555);
    let mut command = placeweave_unprivileged();
    serve(&mut command, &url);
    let output = output_within_a_minute(&mut command);
    chmod(&data, 0o755); // so that the folder can be removed
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the folder {} must be writable for SQLite's WAL files",
            data.display()
        )),
        "{stderr}"
    );
}

#[test]
fn the_test_script_waits_for_the_dpkg_lock() {
    use std::os::unix::fs::PermissionsExt;
    let folder = TempFolder::new().expect("folder");
    // Stand-ins that record how apt-get was called (sudo just runs it).
    for (name, script) in [
        (
            "apt-get",
            "#!/bin/sh\nprintf '%s\\n' \"$@\" >>\"$APT_ARGS\"\n",
        ),
        ("sudo", "#!/bin/sh\nexec \"$@\"\n"),
    ] {
        let path = folder.path().join(name);
        std::fs::write(&path, script).expect("stub");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let args = folder.path().join("args");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = format!(
        "{}:{}",
        folder.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let status = Command::new("bash")
        .args(["-c", "source scripts/lib.sh && apt_get update -qq"])
        .current_dir(&root)
        .env("PATH", path)
        .env("APT_ARGS", &args)
        .status()
        .expect("bash");
    assert!(status.success());
    let recorded = std::fs::read_to_string(&args).expect("apt-get was called");
    let recorded: Vec<&str> = recorded.lines().collect();
    assert!(
        recorded
            .windows(2)
            .any(|w| w == ["-o", "DPkg::Lock::Timeout=600"]),
        "{recorded:?}"
    );
    assert!(recorded.contains(&"update"), "{recorded:?}");
}
