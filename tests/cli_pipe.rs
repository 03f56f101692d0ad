//! A reader that stops early (`kubedojo podsec ... | head`) ends the
//! process quietly: no panic message, and the status a shell gives a
//! process killed by SIGPIPE.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn a_closed_pipe_is_not_a_panic() {
    // Far more output than a pipe buffers (64 KiB on Linux), so the
    // process must still be writing when the reader goes away.
    let mut yaml = String::new();
    // (about 70 bytes of verdict per pod).
    for i in 0..3000 {
        yaml.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      privileged: true\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pods.yaml");
    std::fs::write(&file, yaml).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_kubedojo"))
        .env(
            "KUBEDOJO_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/kubedojo-home"),
        )
        .args(["podsec", "-f"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 4];
    stdout.read_exact(&mut first).unwrap();
    assert_ne!(first, [0u8; 4]);
    drop(stdout);

    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
}
