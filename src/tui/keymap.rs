//! Keys → intent. One table per context (screen or overlay), in the
//! habits of k9s and lazygit: arrows and hjkl, Enter, Esc back, `q` quit,
//! `?` help, `/` search, ctrl-c always quits. The help overlay is drawn
//! from the same tables, so it cannot disagree with what the keys do.

use super::app::Msg;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a key asks for; `update` decides what it means on each screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    ForceQuit,
    Back,
    Help,
    Search,
    ToggleLang,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    NextPane,
    Continue,
    Review,
    Progress,
    ExamFilter,
    Contents,
    MarkRead,
    Exercises,
    Edit,
    Recheck,
    Hint,
    Solution,
    Reset,
    NextFile,
    Reveal,
    Digit(u8),
    Yes,
    No,
}

/// Where keys are read: the screen, or the overlay on top of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Home,
    Lesson,
    Exercise,
    Review,
    Progress,
    Help,
    Search,
    Picker,
    Confirm,
    TooSmall,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn ch(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn code(c: KeyCode) -> Key {
    Key {
        code: c,
        ctrl: false,
    }
}

/// One line of the help: the keys, what they are shown as, what they do.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub keys: &'static [Key],
    pub label: &'static str,
    pub action: Action,
    /// (English, Korean); `None` keeps the binding out of the help.
    pub help: Option<(&'static str, &'static str)>,
}

const fn b(
    keys: &'static [Key],
    label: &'static str,
    action: Action,
    en: &'static str,
    ko: &'static str,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        help: Some((en, ko)),
    }
}

const fn hidden(keys: &'static [Key], action: Action) -> Binding {
    Binding {
        keys,
        label: "",
        action,
        help: None,
    }
}

const UP: &[Key] = &[ch('k'), code(KeyCode::Up)];
const DOWN: &[Key] = &[ch('j'), code(KeyCode::Down)];
const LEFT: &[Key] = &[ch('h'), code(KeyCode::Left)];
const RIGHT: &[Key] = &[ch('l'), code(KeyCode::Right)];
const PGUP: &[Key] = &[code(KeyCode::PageUp), ctrl('u'), ctrl('b')];
const PGDN: &[Key] = &[code(KeyCode::PageDown), ctrl('d'), ctrl('f'), ch(' ')];
const TOP: &[Key] = &[ch('g'), code(KeyCode::Home)];
const BOTTOM: &[Key] = &[ch('G'), code(KeyCode::End)];
const ENTER: &[Key] = &[code(KeyCode::Enter)];

/// Keys that work on every screen (after the screen's own).
pub const GLOBAL: &[Binding] = &[
    b(&[ch('?')], "?", Action::Help, "help", "도움말"),
    b(&[ch('/')], "/", Action::Search, "search", "검색"),
    b(
        &[ch('L')],
        "L",
        Action::ToggleLang,
        "language: English/한국어",
        "언어: English/한국어",
    ),
    b(&[code(KeyCode::Esc)], "Esc", Action::Back, "back", "뒤로"),
    b(&[ch('q')], "q", Action::Quit, "quit", "종료"),
    b(
        &[ctrl('c')],
        "ctrl-c",
        Action::ForceQuit,
        "quit, from anywhere",
        "어디서나 종료",
    ),
];

pub const HOME: &[Binding] = &[
    b(UP, "k ↑", Action::Up, "previous", "이전"),
    b(DOWN, "j ↓", Action::Down, "next", "다음"),
    b(LEFT, "h ←", Action::Left, "topics", "주제 목록"),
    b(
        RIGHT,
        "l →",
        Action::Right,
        "lessons and exercises",
        "레슨과 실습",
    ),
    b(
        &[code(KeyCode::Tab)],
        "Tab",
        Action::NextPane,
        "switch pane",
        "창 전환",
    ),
    b(ENTER, "Enter", Action::Open, "open", "열기"),
    b(
        &[ch('c')],
        "c",
        Action::Continue,
        "continue where you left off",
        "이어서 하기",
    ),
    b(&[ch('r')], "r", Action::Review, "review cards", "카드 복습"),
    b(&[ch('p')], "p", Action::Progress, "progress", "진행 상황"),
    b(
        &[ch('f')],
        "f",
        Action::ExamFilter,
        "exam: CKA+CKS / CKA / CKS",
        "시험: CKA+CKS / CKA / CKS",
    ),
    hidden(TOP, Action::Top),
    hidden(BOTTOM, Action::Bottom),
];

pub const LESSON: &[Binding] = &[
    b(UP, "k ↑", Action::Up, "scroll up", "위로 스크롤"),
    b(DOWN, "j ↓", Action::Down, "scroll down", "아래로 스크롤"),
    b(
        PGUP,
        "PgUp ctrl-u",
        Action::PageUp,
        "page up",
        "한 페이지 위로",
    ),
    b(
        PGDN,
        "PgDn ctrl-d Space",
        Action::PageDown,
        "page down",
        "한 페이지 아래로",
    ),
    b(TOP, "g Home", Action::Top, "top", "맨 위"),
    b(BOTTOM, "G End", Action::Bottom, "bottom", "맨 아래"),
    b(
        &[ch('t')],
        "t",
        Action::Contents,
        "table of contents",
        "목차",
    ),
    b(
        &[ch('m')],
        "m",
        Action::MarkRead,
        "mark as read",
        "읽음으로 표시",
    ),
    b(
        &[ch('x')],
        "x",
        Action::Exercises,
        "this lesson's exercises",
        "이 레슨의 실습",
    ),
    b(LEFT, "h ←", Action::Left, "previous lesson", "이전 레슨"),
    b(RIGHT, "l →", Action::Right, "next lesson", "다음 레슨"),
];

pub const EXERCISE: &[Binding] = &[
    b(
        &[ch('e')],
        "e",
        Action::Edit,
        "edit the file in $EDITOR",
        "$EDITOR로 파일 편집",
    ),
    b(
        &[ch('r')],
        "r",
        Action::Recheck,
        "check again (if saving does not)",
        "다시 채점 (저장으로 안 될 때)",
    ),
    b(UP, "k ↑", Action::Up, "previous finding", "이전 결과"),
    b(DOWN, "j ↓", Action::Down, "next finding", "다음 결과"),
    b(
        ENTER,
        "Enter",
        Action::Open,
        "edit at the finding's line",
        "결과의 줄에서 편집",
    ),
    b(
        &[ch('H')],
        "H",
        Action::Hint,
        "reveal the next hint",
        "다음 힌트 보기",
    ),
    b(
        &[ch('S')],
        "S",
        Action::Solution,
        "show the solution",
        "정답 보기",
    ),
    b(
        &[ch('R')],
        "R",
        Action::Reset,
        "reset the file to the starter",
        "파일을 처음 상태로 되돌리기",
    ),
    b(
        &[code(KeyCode::Tab)],
        "Tab",
        Action::NextPane,
        "task / hints / solution",
        "과제 / 힌트 / 정답",
    ),
    b(
        PGUP,
        "PgUp ctrl-u",
        Action::PageUp,
        "scroll the task up",
        "과제 위로 스크롤",
    ),
    b(
        PGDN,
        "PgDn ctrl-d",
        Action::PageDown,
        "scroll the task down",
        "과제 아래로 스크롤",
    ),
    b(
        &[ch('n')],
        "n",
        Action::NextFile,
        "next workspace file",
        "다음 작업 파일",
    ),
];

pub const REVIEW: &[Binding] = &[
    b(
        &[ch(' ')],
        "Space",
        Action::Reveal,
        "show the answer",
        "답 보기",
    ),
    b(UP, "k ↑", Action::Up, "previous choice", "이전 선택지"),
    b(DOWN, "j ↓", Action::Down, "next choice", "다음 선택지"),
    b(
        ENTER,
        "Enter",
        Action::Open,
        "choose / accept the suggested rating",
        "선택 / 제안된 평가 적용",
    ),
    b(
        &[ch('1'), ch('2'), ch('3'), ch('4')],
        "1-4",
        Action::Digit(0),
        "choose; then rate: again, hard, good, easy",
        "선택, 그다음 평가: 다시, 어려움, 좋음, 쉬움",
    ),
];

pub const PROGRESS: &[Binding] = &[
    b(UP, "k ↑", Action::Up, "scroll up", "위로 스크롤"),
    b(DOWN, "j ↓", Action::Down, "scroll down", "아래로 스크롤"),
    b(PGUP, "PgUp", Action::PageUp, "page up", "한 페이지 위로"),
    b(
        PGDN,
        "PgDn",
        Action::PageDown,
        "page down",
        "한 페이지 아래로",
    ),
    hidden(TOP, Action::Top),
    hidden(BOTTOM, Action::Bottom),
];

const LIST: &[Binding] = &[
    hidden(UP, Action::Up),
    hidden(DOWN, Action::Down),
    hidden(PGUP, Action::PageUp),
    hidden(PGDN, Action::PageDown),
    hidden(ENTER, Action::Open),
    hidden(&[code(KeyCode::Esc), ch('q')], Action::Back),
    hidden(&[ctrl('c')], Action::ForceQuit),
];

const HELP: &[Binding] = &[
    hidden(
        &[code(KeyCode::Esc), ch('?'), ch('q'), code(KeyCode::Enter)],
        Action::Back,
    ),
    hidden(&[ctrl('c')], Action::ForceQuit),
];

const CONFIRM: &[Binding] = &[
    hidden(&[ch('y'), ch('Y')], Action::Yes),
    hidden(&[ch('n'), ch('N'), code(KeyCode::Esc), ch('q')], Action::No),
    hidden(&[ctrl('c')], Action::ForceQuit),
];

const TOO_SMALL: &[Binding] = &[
    hidden(&[ch('q'), code(KeyCode::Esc)], Action::Quit),
    hidden(&[ctrl('c')], Action::ForceQuit),
];

/// The bindings of a screen (not the global ones).
pub fn screen_bindings(ctx: Context) -> &'static [Binding] {
    match ctx {
        Context::Home => HOME,
        Context::Lesson => LESSON,
        Context::Exercise => EXERCISE,
        Context::Review => REVIEW,
        Context::Progress => PROGRESS,
        Context::Help => HELP,
        Context::Search | Context::Picker => LIST,
        Context::Confirm => CONFIRM,
        Context::TooSmall => TOO_SMALL,
    }
}

fn has_global(ctx: Context) -> bool {
    matches!(
        ctx,
        Context::Home | Context::Lesson | Context::Exercise | Context::Review | Context::Progress
    )
}

/// The message a key press means in `ctx`, if any. Key releases and
/// repeats reported by some terminals are ignored.
pub fn map(ev: KeyEvent, ctx: Context) -> Option<Msg> {
    if ev.kind != KeyEventKind::Press {
        return None;
    }
    let pressed = Key {
        code: ev.code,
        ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
    };
    if ctx == Context::Search {
        match (pressed.code, pressed.ctrl) {
            (KeyCode::Char('c'), true) => return Some(Msg::Act(Action::ForceQuit)),
            (KeyCode::Char(c), false) => return Some(Msg::Input(c)),
            (KeyCode::Backspace, _) => return Some(Msg::Erase),
            (KeyCode::Esc, _) => return Some(Msg::Act(Action::Back)),
            _ => {}
        }
    }
    let tables: &[&[Binding]] = if has_global(ctx) {
        &[screen_bindings(ctx), GLOBAL]
    } else {
        &[screen_bindings(ctx)]
    };
    for table in tables {
        for binding in *table {
            if let Some(k) = binding.keys.iter().find(|k| **k == pressed) {
                let action = match (binding.action, k.code) {
                    (Action::Digit(_), KeyCode::Char(c)) => {
                        Action::Digit(c.to_digit(10).unwrap_or(0) as u8)
                    }
                    (a, _) => a,
                };
                return Some(Msg::Act(action));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn vim_keys_and_arrows_mean_the_same() {
        for ctx in [Context::Home, Context::Lesson, Context::Progress] {
            assert_eq!(
                map(key(KeyCode::Char('j'), KeyModifiers::NONE), ctx),
                map(key(KeyCode::Down, KeyModifiers::NONE), ctx)
            );
            assert_eq!(
                map(key(KeyCode::Char('k'), KeyModifiers::NONE), ctx),
                Some(Msg::Act(Action::Up))
            );
        }
    }

    #[test]
    fn ctrl_c_quits_in_every_context() {
        for ctx in [
            Context::Home,
            Context::Lesson,
            Context::Exercise,
            Context::Review,
            Context::Progress,
            Context::Help,
            Context::Search,
            Context::Picker,
            Context::Confirm,
            Context::TooSmall,
        ] {
            assert_eq!(
                map(key(KeyCode::Char('c'), KeyModifiers::CONTROL), ctx),
                Some(Msg::Act(Action::ForceQuit)),
                "{ctx:?}"
            );
        }
    }

    #[test]
    fn search_takes_text_and_screens_take_shortcuts() {
        assert_eq!(
            map(key(KeyCode::Char('q'), KeyModifiers::NONE), Context::Search),
            Some(Msg::Input('q'))
        );
        assert_eq!(
            map(key(KeyCode::Char('q'), KeyModifiers::NONE), Context::Lesson),
            Some(Msg::Act(Action::Quit))
        );
        assert_eq!(
            map(
                key(KeyCode::Char('G'), KeyModifiers::SHIFT),
                Context::Lesson
            ),
            Some(Msg::Act(Action::Bottom))
        );
        assert_eq!(
            map(key(KeyCode::Char('3'), KeyModifiers::NONE), Context::Review),
            Some(Msg::Act(Action::Digit(3)))
        );
        assert_eq!(
            map(
                key(KeyCode::Char('r'), KeyModifiers::NONE),
                Context::Exercise
            ),
            Some(Msg::Act(Action::Recheck))
        );
        assert_eq!(
            map(key(KeyCode::Char('r'), KeyModifiers::NONE), Context::Home),
            Some(Msg::Act(Action::Review))
        );
        let mut release = key(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(map(release, Context::Home), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for ctx in [
            Context::Home,
            Context::Lesson,
            Context::Exercise,
            Context::Review,
            Context::Progress,
        ] {
            let mut seen: Vec<Key> = Vec::new();
            for binding in screen_bindings(ctx).iter().chain(GLOBAL) {
                for k in binding.keys {
                    assert!(!seen.contains(k), "{ctx:?}: {k:?} bound twice");
                    seen.push(*k);
                }
            }
        }
    }
}
