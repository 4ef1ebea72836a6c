//! The operator's mistakes with a SQLite file: serving a damaged one, a
//! second server on it, and a restore through a symbolic link while it is
//! served.

mod common;

use common::*;
use placeweave_store::testing::{self, TempFolder};

/// A generated place in a new SQLite file: its folder, file and URL.
fn generated() -> (TempFolder, std::path::PathBuf, String) {
    let folder = TempFolder::new().expect("folder");
    let file = folder.path().join("place.sqlite3");
    let url = format!("sqlite://{}", file.display());
    let output = output_within_a_minute(placeweave().args([
        "generate",
        "--orgs",
        "300",
        "--place",
        "ops",
        "--database-url",
        &url,
    ]));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (folder, file, url)
}

#[test]
fn serve_refuses_a_damaged_database_file_naming_the_restore() {
    if testing::backend_name() != "sqlite" {
        return;
    }
    let (_folder, file, url) = generated();
    let mut bytes = std::fs::read(&file).expect("read");
    let page = 4096;
    let middle = (bytes.len() / 2 / page) * page;
    for b in bytes.iter_mut().skip(middle).take(8 * page) {
        *b = 0x5a;
    }
    std::fs::write(&file, &bytes).expect("write");
    fails_with_one_line(
        placeweave().args(["serve", "--addr", "127.0.0.1:0", "--database-url", &url]),
        "is damaged (",
    );
    fails_with_one_line(
        placeweave().args(["serve", "--addr", "127.0.0.1:0", "--database-url", &url]),
        &format!(
            "restore the latest backup with `placeweave restore --from BACKUP --database-url sqlite://{}`",
            file.display()
        ),
    );
}

#[test]
fn a_second_server_on_one_sqlite_file_is_refused() {
    if testing::backend_name() != "sqlite" {
        return; // PostgreSQL serves many, each job claimed once per period
    }
    let (folder, file, url) = generated();
    let server = Server::start(&["--database-url", &url]);
    fails_with_one_line(
        placeweave().args(["serve", "--addr", "127.0.0.1:0", "--database-url", &url]),
        "is already served by another placeweave server",
    );
    // The same file through a link is the same file.
    let link = folder.path().join("link.sqlite3");
    std::os::unix::fs::symlink(&file, &link).expect("link");
    let linked = format!("sqlite://{}", link.display());
    fails_with_one_line(
        placeweave().args(["serve", "--addr", "127.0.0.1:0", "--database-url", &linked]),
        "is already served by another placeweave server",
    );
    let (status, _) = request(&server.address, "GET", "/healthz", None, None).expect("health");
    assert_eq!(status, 200);
    drop(server);
    // The lock goes with the server.
    let again = Server::start(&["--database-url", &url]);
    let (status, _) = request(&again.address, "GET", "/healthz", None, None).expect("health");
    assert_eq!(status, 200);
}

#[test]
fn a_restore_through_a_symbolic_link_is_refused_while_the_file_is_served() {
    if testing::backend_name() != "sqlite" {
        return;
    }
    let (folder, file, url) = generated();
    let backup = folder.path().join("nightly.sqlite3");
    let backup_arg = backup.display().to_string();
    let output = output_within_a_minute(placeweave().args([
        "backup",
        "--to",
        &backup_arg,
        "--database-url",
        &url,
    ]));
    assert!(output.status.success());
    let link = folder.path().join("link.sqlite3");
    std::os::unix::fs::symlink(&file, &link).expect("link");
    let linked = format!("sqlite://{}", link.display());
    let server = Server::start(&["--database-url", &url]);
    fails_with_one_line(
        placeweave().args(["restore", "--from", &backup_arg, "--database-url", &linked]),
        "is in use by another placeweave process",
    );
    let (status, _) = request(&server.address, "GET", "/healthz", None, None).expect("health");
    assert_eq!(status, 200, "the served file is untouched");
    server.kill();
    let output = output_within_a_minute(placeweave().args([
        "restore",
        "--from",
        &backup_arg,
        "--database-url",
        &linked,
    ]));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink(),
        "the link still names the restored file"
    );
    let again = Server::start(&["--database-url", &linked]);
    let (status, _) = request(&again.address, "GET", "/healthz", None, None).expect("health");
    assert_eq!(status, 200);
}
