//! Builds the front end (GOV.UK Frontend, our stylesheet and script) with the
//! npm packages pinned in package-lock.json, into OUT_DIR for embedding.

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(command: &mut Command, what: &str) {
    match command.status() {
        Ok(status) if status.success() => {}
        Ok(status) => panic!("{what} failed ({status}); see the output above"),
        Err(err) => {
            panic!("{what} could not start: {err}. Placeweave's build needs Node.js and npm.")
        }
    }
}

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest.join("../..");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));

    for watched in ["frontend/src", "frontend/build.mjs", "package-lock.json"] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }

    let installed = [
        "govuk-frontend",
        "zxcvbn",
        "sass",
        "esbuild",
        "sigma",
        "graphology",
        "graphology-layout-forceatlas2",
    ]
    .iter()
    .all(|p| Path::new(&root.join("node_modules").join(p).join("package.json")).exists());
    if !installed {
        run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&root),
            "npm ci",
        );
    }
    run(
        Command::new("node")
            .arg(root.join("frontend/build.mjs"))
            .arg(&out)
            .current_dir(&root),
        "building the front end",
    );
}
