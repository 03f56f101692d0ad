//! A reader that goes away early (`kubedojo check ... | head`) is not an
//! error of ours. Rust ignores SIGPIPE, so `println!` panics on the closed
//! pipe; without `unsafe` we cannot restore the default signal, so a panic
//! hook recognises that one panic and ends the process quietly instead.

/// The status a shell reports for a process killed by SIGPIPE (128 + 13):
/// scripts with `pipefail` see a truncated run, not a pass.
pub const BROKEN_PIPE_EXIT: i32 = 141;

/// Install the hook; every other panic still goes to the previous hook.
pub fn quiet_on_broken_pipe() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if is_broken_stdout(message) {
            // The one place a process may end without returning: nothing
            // is left to write, and unwinding would only print the panic.
            #[allow(clippy::disallowed_methods)]
            std::process::exit(BROKEN_PIPE_EXIT);
        }
        previous(info);
    }));
}

/// The standard library's wording when `print!` meets EPIPE
/// (library/std/src/io/stdio.rs: "failed printing to {label}: {e}", where
/// an OS error prints as "... (os error N)"). Any other write failure, such
/// as a full disk behind a redirect, still panics loudly.
fn is_broken_stdout(message: &str) -> bool {
    let epipe = std::io::Error::from_raw_os_error(EPIPE).to_string();
    message.starts_with("failed printing to stdout") && message.ends_with(&epipe)
}

/// EPIPE is 32 on Linux, the BSDs and macOS.
const EPIPE: i32 = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_stdout_broken_pipe_panic_is_recognised() {
        let os = std::io::Error::from_raw_os_error(EPIPE);
        assert_eq!(os.kind(), std::io::ErrorKind::BrokenPipe);
        assert!(is_broken_stdout(&format!(
            "failed printing to stdout: {os}"
        )));
        let full = std::io::Error::from_raw_os_error(28);
        assert!(!is_broken_stdout(&format!(
            "failed printing to stdout: {full}"
        )));
        assert!(!is_broken_stdout(&format!(
            "failed printing to stderr: {os}"
        )));
        assert!(!is_broken_stdout("index out of bounds: Broken pipe"));
    }
}
