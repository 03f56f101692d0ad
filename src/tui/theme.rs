//! The two looks of the app: a colour theme, and a no-colour theme for
//! `NO_COLOR`, `--no-color` and `TERM=dumb`.
//!
//! The no-colour theme sets no foreground or background at all, not even
//! `Color::Reset`: with `NO_COLOR` set, crossterm suppresses colour codes
//! and the empty escape it leaves behind resets every attribute, so a
//! reverse-video selection styled with a colour would vanish. State is
//! carried by modifiers (reverse, bold, dim, underline) and glyphs instead.

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub color: bool,
    /// The selected row of a list.
    pub selected: Style,
    /// Titles of screens and panes.
    pub title: Style,
    pub border: Style,
    /// Secondary text: counts, paths, key hints.
    pub dim: Style,
    /// A key in the footer (`e`, `Enter`).
    pub key: Style,
    pub pass: Style,
    pub fail: Style,
    pub warn: Style,
    /// The filled part of a progress bar.
    pub bar: Style,
    pub heading: [Style; 3],
    pub strong: Style,
    pub emphasis: Style,
    pub code: Style,
    pub link: Style,
    pub quote: Style,
    /// YAML in code blocks.
    pub yaml_key: Style,
    pub yaml_string: Style,
    pub yaml_number: Style,
    pub yaml_comment: Style,
    pub yaml_marker: Style,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        if color {
            Theme::colour()
        } else {
            Theme::mono()
        }
    }

    pub fn colour() -> Theme {
        let fg = |c: Color| Style::new().fg(c);
        Theme {
            color: true,
            selected: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            title: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            border: fg(Color::DarkGray),
            dim: fg(Color::DarkGray),
            key: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            pass: fg(Color::Green).add_modifier(Modifier::BOLD),
            fail: fg(Color::Red).add_modifier(Modifier::BOLD),
            warn: fg(Color::Yellow),
            bar: fg(Color::Green),
            heading: [
                fg(Color::Cyan).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                fg(Color::Cyan).add_modifier(Modifier::BOLD),
                fg(Color::Blue).add_modifier(Modifier::BOLD),
            ],
            strong: Style::new().add_modifier(Modifier::BOLD),
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            code: fg(Color::Yellow),
            link: fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            quote: fg(Color::Gray).add_modifier(Modifier::ITALIC),
            yaml_key: fg(Color::Cyan),
            yaml_string: fg(Color::Green),
            yaml_number: fg(Color::Magenta),
            yaml_comment: fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
            yaml_marker: fg(Color::Yellow).add_modifier(Modifier::BOLD),
        }
    }

    /// Modifiers only: no cell ever gets a foreground or background.
    pub fn mono() -> Theme {
        let m = |m: Modifier| Style::new().add_modifier(m);
        let none = Style::new();
        Theme {
            color: false,
            selected: m(Modifier::REVERSED | Modifier::BOLD),
            title: m(Modifier::BOLD),
            border: none,
            dim: m(Modifier::DIM),
            key: m(Modifier::BOLD),
            pass: m(Modifier::BOLD),
            fail: m(Modifier::BOLD),
            warn: m(Modifier::BOLD),
            bar: none,
            heading: [
                m(Modifier::BOLD | Modifier::UNDERLINED),
                m(Modifier::BOLD),
                m(Modifier::BOLD | Modifier::ITALIC),
            ],
            strong: m(Modifier::BOLD),
            emphasis: m(Modifier::ITALIC),
            code: none,
            link: m(Modifier::UNDERLINED),
            quote: m(Modifier::ITALIC),
            yaml_key: none,
            yaml_string: none,
            yaml_number: none,
            yaml_comment: m(Modifier::DIM),
            yaml_marker: m(Modifier::BOLD),
        }
    }

    pub fn heading(&self, level: u8) -> Style {
        self.heading[(level.clamp(1, 3) - 1) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mono_sets_no_colour_anywhere() {
        let t = Theme::mono();
        let styles = [
            t.selected,
            t.title,
            t.border,
            t.dim,
            t.key,
            t.pass,
            t.fail,
            t.warn,
            t.bar,
            t.heading[0],
            t.heading[1],
            t.heading[2],
            t.strong,
            t.emphasis,
            t.code,
            t.link,
            t.quote,
            t.yaml_key,
            t.yaml_string,
            t.yaml_number,
            t.yaml_comment,
            t.yaml_marker,
        ];
        for s in styles {
            assert_eq!((s.fg, s.bg), (None, None), "{s:?}");
        }
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
    }
}
