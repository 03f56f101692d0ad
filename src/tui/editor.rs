//! Which editor to run and how to tell it the line: `$VISUAL`, then
//! `$EDITOR`, then `vi` (git's order); values with arguments
//! (`code --wait`) are split as a shell would split them.

use std::path::Path;

/// The editor command from the environment's values, split into words.
pub fn command(visual: Option<&str>, editor: Option<&str>) -> Result<Vec<String>, String> {
    let chosen = [visual, editor]
        .into_iter()
        .flatten()
        .find(|v| !v.trim().is_empty());
    let Some(value) = chosen else {
        return Ok(vec!["vi".to_string()]);
    };
    let words = shell_words::split(value)
        .map_err(|e| format!("cannot read the editor command \"{value}\": {e}"))?;
    if words.is_empty() {
        return Ok(vec!["vi".to_string()]);
    }
    Ok(words)
}

/// The arguments that open `path` (at `line`, for editors whose way of
/// saying so we know; others just get the file).
pub fn args(program: &str, path: &Path, line: Option<u32>) -> Vec<String> {
    let file = path.display().to_string();
    let name = Path::new(program)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.strip_suffix(".exe").unwrap_or(&name);
    let Some(line) = line.filter(|l| *l > 0) else {
        return vec![file];
    };
    match name {
        "vi" | "vim" | "nvim" | "gvim" | "view" | "nano" | "pico" | "emacs" | "emacsclient"
        | "micro" | "kak" | "ne" | "joe" | "mg" | "jed" | "ed" | "mcedit" => {
            vec![format!("+{line}"), file]
        }
        "code" | "code-insiders" | "codium" | "cursor" => {
            vec!["--goto".into(), format!("{file}:{line}")]
        }
        "hx" | "helix" | "subl" | "zed" | "gedit" => vec![format!("{file}:{line}")],
        _ => vec![file],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visual_then_editor_then_vi() {
        assert_eq!(command(Some("nvim"), Some("nano")).unwrap(), ["nvim"]);
        assert_eq!(command(None, Some("nano")).unwrap(), ["nano"]);
        assert_eq!(command(Some("  "), Some("nano")).unwrap(), ["nano"]);
        assert_eq!(command(None, None).unwrap(), ["vi"]);
        assert_eq!(
            command(None, Some("code --wait")).unwrap(),
            ["code", "--wait"]
        );
        assert_eq!(
            command(Some("'/opt/My Editor/bin/ed' -x"), None).unwrap(),
            ["/opt/My Editor/bin/ed", "-x"]
        );
        assert!(command(Some("vim 'unclosed"), None).is_err());
    }

    #[test]
    fn line_numbers_in_each_editors_dialect() {
        let p = Path::new("/w/ns.yaml");
        assert_eq!(args("/usr/bin/vim", p, Some(7)), ["+7", "/w/ns.yaml"]);
        assert_eq!(args("code", p, Some(7)), ["--goto", "/w/ns.yaml:7"]);
        assert_eq!(args("hx", p, Some(7)), ["/w/ns.yaml:7"]);
        assert_eq!(args("unknown-editor", p, Some(7)), ["/w/ns.yaml"]);
        assert_eq!(args("vim", p, None), ["/w/ns.yaml"]);
    }
}
