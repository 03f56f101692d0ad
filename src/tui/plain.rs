//! `kubedojo --plain`: the app as a conversation of lines, for screen
//! readers and terminals where a full-screen app does not work. No box
//! drawing, no colour, no cursor movement: it prints, reads a command,
//! prints the answer. It reads lines from any input, so it also works
//! piped.

use super::app::{Outcome, ProgressData};
use super::library::Library;
use super::markdown;
use super::session::Session;
use super::theme::Theme;
use crate::content::Lang;
use crate::content::cards::CardType;
use crate::progress::fsrs::Rating;
use crate::progress::ids::now_ms;
use std::io::{BufRead, Write};

struct Plain<W: Write> {
    lib: Library,
    session: Session,
    lang: Lang,
    out: W,
    width: u16,
    lesson: Option<String>,
    exercise: Option<usize>,
    /// "solution" was asked once before any attempt.
    solution_asked: bool,
    review: Option<Review>,
}

struct Review {
    cards: Vec<String>,
    pos: usize,
    shown: bool,
    chosen: Option<usize>,
    shown_at: i64,
}

pub fn run(
    lib: Library,
    session: Session,
    lang: Lang,
    input: impl BufRead,
    out: impl Write,
) -> std::io::Result<()> {
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(80);
    let mut p = Plain {
        lib,
        session,
        lang,
        out,
        width,
        lesson: None,
        exercise: None,
        solution_asked: false,
        review: None,
    };
    p.welcome()?;
    p.prompt()?;
    for line in input.lines() {
        let line = line?;
        if !p.command(line.trim())? {
            break;
        }
        p.prompt()?;
    }
    writeln!(p.out)?;
    Ok(())
}

impl<W: Write> Plain<W> {
    fn t<'a>(&self, en: &'a str, ko: &'a str) -> &'a str {
        super::i18n::t(self.lang, en, ko)
    }

    fn say(&mut self, text: &str) -> std::io::Result<()> {
        writeln!(self.out, "{text}")
    }

    fn prompt(&mut self) -> std::io::Result<()> {
        write!(self.out, "kubedojo> ")?;
        self.out.flush()
    }

    fn progress(&self) -> ProgressData {
        self.session.progress(
            &self.lib,
            self.lang,
            now_ms(),
            &jiff::tz::TimeZone::system(),
        )
    }

    fn markdown(&mut self, text: &str) -> std::io::Result<()> {
        let r = markdown::render(text, self.width, &Theme::mono(), true);
        for l in r.lines {
            let s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            writeln!(self.out, "{}", s.trim_end())?;
        }
        Ok(())
    }

    fn welcome(&mut self) -> std::io::Result<()> {
        let msg = self.t(
            "kubedojo, plain mode. Type help for the commands, quit to leave.",
            "kubedojo 일반 텍스트 모드입니다. 명령은 help, 끝내려면 quit을 입력하세요.",
        );
        self.say(msg)?;
        let p = self.progress();
        if let Some(n) = &p.summary.next {
            let title = self
                .lib
                .exercise_index(&n.exercise)
                .map(|i| self.lib.exercises[i].title.get(self.lang).to_string())
                .unwrap_or_default();
            let msg = format!("{} {title} (open {})", self.t("Next:", "다음:"), n.exercise);
            self.say(&msg)?;
        }
        if let Some(e) = &p.problem {
            let msg = format!(
                "{} {e}",
                self.t(
                    "Progress is not being saved:",
                    "진행 상황이 저장되지 않습니다:"
                )
            );
            self.say(&msg)?;
        }
        Ok(())
    }

    /// Handle one command; `false` ends the session.
    fn command(&mut self, line: &str) -> std::io::Result<bool> {
        let (cmd, arg) = line
            .split_once(' ')
            .map_or((line, ""), |(c, a)| (c, a.trim()));
        if self.review.is_some() && self.review_step(cmd)? {
            return Ok(true);
        }
        match cmd {
            "" => {}
            "quit" | "exit" | "q" => return Ok(false),
            "help" | "?" => self.help()?,
            "lessons" => self.lessons()?,
            "read" => self.read(arg)?,
            "done" => self.done()?,
            "exercises" => self.exercises()?,
            "open" => self.open(arg)?,
            "check" => self.check()?,
            "hint" => self.hint()?,
            "solution" => self.solution()?,
            "reset" => self.reset()?,
            "review" => self.start_review()?,
            "progress" => self.show_progress()?,
            "lang" => match arg {
                "en" => self.lang = Lang::En,
                "ko" => self.lang = Lang::Ko,
                _ => self.say("lang en | lang ko")?,
            },
            other => {
                let msg = format!(
                    "{} \"{other}\". {}",
                    self.t("Unknown command", "알 수 없는 명령"),
                    self.t("Type help for the commands.", "명령 목록은 help입니다.")
                );
                self.say(&msg)?;
            }
        }
        Ok(true)
    }

    fn help(&mut self) -> std::io::Result<()> {
        let rows: &[(&str, &str, &str)] = &[
            ("lessons", "list the lessons", "레슨 목록"),
            (
                "read N",
                "read lesson N (number or id)",
                "N번 레슨 읽기 (번호 또는 id)",
            ),
            (
                "done",
                "mark the lesson you read as read",
                "읽은 레슨을 읽음으로 표시",
            ),
            ("exercises", "list the exercises", "실습 목록"),
            (
                "open N",
                "open exercise N: the task and your file",
                "N번 실습 열기: 과제와 작업 파일",
            ),
            ("check", "grade your file", "작업 파일 채점"),
            ("hint", "the next hint", "다음 힌트"),
            ("solution", "the solution", "정답"),
            (
                "reset",
                "put the starter file back",
                "작업 파일을 처음 상태로",
            ),
            ("review", "review cards that are due", "복습할 카드 복습"),
            ("progress", "your progress", "진행 상황"),
            ("lang en|ko", "language", "언어"),
            ("quit", "leave", "끝내기"),
        ];
        for (c, en, ko) in rows {
            let line = format!("  {c:<12} {}", self.t(en, ko));
            self.say(&line)?;
        }
        Ok(())
    }

    fn lessons(&mut self) -> std::io::Result<()> {
        let read = self.progress().lessons_read;
        let rows: Vec<String> = self
            .lib
            .lessons(self.lang)
            .enumerate()
            .map(|(i, l)| {
                let mut s = format!(
                    "{}. {} ({}), {} {}",
                    i + 1,
                    l.meta.title,
                    l.meta.id,
                    l.meta.minutes,
                    self.t("min", "분")
                );
                if read.contains(&l.meta.id) {
                    s.push_str(self.t(", read", ", 읽음"));
                }
                s
            })
            .collect();
        for r in rows {
            self.say(&r)?;
        }
        Ok(())
    }

    fn pick<T>(arg: &str, items: &[T], id: impl Fn(&T) -> &str) -> Option<usize> {
        arg.parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .filter(|&i| i < items.len())
            .or_else(|| items.iter().position(|x| id(x) == arg))
    }

    fn read(&mut self, arg: &str) -> std::io::Result<()> {
        let ids: Vec<String> = self
            .lib
            .lessons_en
            .iter()
            .map(|l| l.meta.id.clone())
            .collect();
        let Some(i) = Self::pick(arg, &ids, |s| s.as_str()) else {
            let msg = self.t(
                "No such lesson; lessons lists them.",
                "그런 레슨이 없습니다. lessons로 목록을 보세요.",
            );
            return self.say(msg);
        };
        let Some(l) = self.lib.lesson(self.lang, &ids[i]).cloned() else {
            return Ok(());
        };
        self.say(&format!("# {}", l.meta.title))?;
        self.say("")?;
        self.markdown(&l.body)?;
        self.say("")?;
        let msg = self.t(
            "End of the lesson. done marks it as read; exercises lists the exercises.",
            "레슨 끝. done은 읽음으로 표시하고, exercises는 실습 목록을 보여 줍니다.",
        );
        self.say(msg)?;
        self.lesson = Some(l.meta.id);
        Ok(())
    }

    fn done(&mut self) -> std::io::Result<()> {
        let Some(id) = self.lesson.clone() else {
            let msg = self.t(
                "Read a lesson first: read N.",
                "먼저 레슨을 읽으세요: read N.",
            );
            return self.say(msg);
        };
        match self.session.mark_read(&id, now_ms()) {
            Ok(()) => {
                let msg = self.t("Marked as read.", "읽음으로 표시했습니다.");
                self.say(msg)
            }
            Err(e) => self.say(&format!(
                "{} {e}",
                self.t("Not saved:", "저장하지 못했습니다:")
            )),
        }
    }

    fn exercises(&mut self) -> std::io::Result<()> {
        let records = self.progress().exercises;
        let rows: Vec<String> = self
            .lib
            .exercises
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let state = match records.get(&e.id) {
                    Some(r) if r.passed => self.t("passed", "통과"),
                    Some(r) if r.attempts > 0 => self.t("tried", "시도함"),
                    _ => self.t("new", "새 실습"),
                };
                format!(
                    "{}. {} ({}), {}, {} {}/3, {state}",
                    i + 1,
                    e.title.get(self.lang),
                    e.id,
                    e.topic,
                    self.t("difficulty", "난이도"),
                    e.difficulty
                )
            })
            .collect();
        for r in rows {
            self.say(&r)?;
        }
        Ok(())
    }

    fn open(&mut self, arg: &str) -> std::io::Result<()> {
        let Some(i) = Self::pick(arg, &self.lib.exercises, |e| e.id.as_str()) else {
            let msg = self.t(
                "No such exercise; exercises lists them.",
                "그런 실습이 없습니다. exercises로 목록을 보세요.",
            );
            return self.say(msg);
        };
        let ex = self.lib.exercises[i].clone();
        let files = match self.session.prepare(&self.lib, &ex) {
            Ok(f) => f,
            Err(e) => return self.say(&e),
        };
        self.exercise = Some(i);
        self.solution_asked = false;
        self.say(&format!("# {}", ex.title.get(self.lang)))?;
        self.say("")?;
        self.markdown(ex.prompt.get(self.lang))?;
        self.say("")?;
        for f in files {
            let msg = format!("{} {}", self.t("Your file:", "작업 파일:"), f.display());
            self.say(&msg)?;
        }
        let msg = self.t(
            "Edit it in your editor, save, then type check.",
            "편집기에서 고쳐 저장한 뒤 check를 입력하세요.",
        );
        self.say(msg)
    }

    fn current(&mut self) -> std::io::Result<Option<crate::content::Exercise>> {
        match self.exercise {
            Some(i) => Ok(Some(self.lib.exercises[i].clone())),
            None => {
                let msg = self.t(
                    "Open an exercise first: open N.",
                    "먼저 실습을 여세요: open N.",
                );
                self.say(msg)?;
                Ok(None)
            }
        }
    }

    fn check(&mut self) -> std::io::Result<()> {
        let Some(ex) = self.current()? else {
            return Ok(());
        };
        let (g, problem) = self
            .session
            .grade(&self.lib, &ex, self.lang, true, now_ms());
        match &g.outcome {
            Outcome::Error(e) => self.say(e)?,
            Outcome::Rejected(problems) => {
                let msg = self.t(
                    "Not graded: the API server would reject your file. Fix these first:",
                    "채점하지 않음: API 서버가 파일을 거부합니다. 먼저 이것을 고치세요:",
                );
                self.say(msg)?;
                for p in problems {
                    self.say(&format!("- {p}"))?;
                    if let Some(h) = &p.hint {
                        self.say(&format!("  {} {h}", self.t("hint:", "힌트:")))?;
                    }
                }
            }
            Outcome::Report(r) => {
                let verdict = if r.passed {
                    self.t("Passed", "통과")
                } else {
                    self.t("Not yet", "아직")
                };
                self.say(&format!("{verdict}: {}/{}", r.score, r.max_score))?;
                for f in &r.findings {
                    let mark = if f.passed {
                        self.t("pass", "통과")
                    } else {
                        self.t("fail", "실패")
                    };
                    let mut line = format!("- {mark}: {}", f.message);
                    if let (false, Some(l)) = (f.passed, &f.location) {
                        line.push_str(&format!(" ({} {l})", self.t("at", "위치")));
                    }
                    self.say(&line)?;
                    if let (false, Some(h)) = (f.passed, &f.hint) {
                        self.say(&format!("  {} {h}", self.t("hint:", "힌트:")))?;
                    }
                }
            }
        }
        if let Some(e) = problem {
            self.say(&format!(
                "{} {e}",
                self.t("Progress not saved:", "진행 상황을 저장하지 못했습니다:")
            ))?;
        }
        Ok(())
    }

    fn hint(&mut self) -> std::io::Result<()> {
        let Some(ex) = self.current()? else {
            return Ok(());
        };
        let files = self.session.files(&ex);
        let seen = self
            .session
            .workspace_info(&self.lib, &ex, files, None)
            .hints_revealed;
        let next = seen.iter().map(|&i| i as usize + 1).max().unwrap_or(0);
        let Some(h) = ex.hints.get(next) else {
            let msg = if ex.hints.is_empty() {
                self.t(
                    "This exercise has no hints.",
                    "이 실습에는 힌트가 없습니다.",
                )
            } else {
                self.t("No more hints.", "더 이상 힌트가 없습니다.")
            };
            return self.say(msg);
        };
        let _ = self.session.reveal_hint(&ex.id, next as u32, now_ms());
        let head = match self.lang {
            Lang::En => format!("Hint {} of {}:", next + 1, ex.hints.len()),
            Lang::Ko => format!("힌트 {}/{}:", next + 1, ex.hints.len()),
        };
        self.say(&head)?;
        let text = h.get(self.lang).to_string();
        self.markdown(&text)
    }

    fn solution(&mut self) -> std::io::Result<()> {
        let Some(ex) = self.current()? else {
            return Ok(());
        };
        let files = self.session.files(&ex);
        let info = self.session.workspace_info(&self.lib, &ex, files, None);
        if info.attempts == 0 && !info.solution_seen && !self.solution_asked {
            self.solution_asked = true;
            let msg = self.t(
                "You have not tried this exercise yet. Type solution again to see it anyway.",
                "아직 이 실습을 시도하지 않았습니다. 그래도 보려면 solution을 한 번 더 입력하세요.",
            );
            return self.say(msg);
        }
        let _ = self.session.reveal_solution(&ex.id, now_ms());
        for (name, text) in info.solution {
            self.say(&format!("{} {name}:", self.t("Solution,", "정답,")))?;
            self.markdown(&format!("```yaml\n{}\n```", text.trim_end()))?;
        }
        Ok(())
    }

    fn reset(&mut self) -> std::io::Result<()> {
        let Some(ex) = self.current()? else {
            return Ok(());
        };
        match self.session.reset(&self.lib, &ex) {
            Ok(()) => {
                let msg = self.t("The starter file is back.", "처음 파일로 되돌렸습니다.");
                self.say(msg)
            }
            Err(e) => self.say(&e),
        }
    }

    fn start_review(&mut self) -> std::io::Result<()> {
        let q = self.progress().queue;
        let cards: Vec<String> = q
            .due
            .iter()
            .map(|c| c.card.clone())
            .chain(
                q.new
                    .iter()
                    .take(super::app::review::NEW_PER_SESSION)
                    .map(|c| c.card.clone()),
            )
            .filter(|c| self.lib.card(c).is_some())
            .collect();
        if cards.is_empty() {
            let msg = self.t(
                "Nothing to review right now.",
                "지금은 복습할 카드가 없습니다.",
            );
            return self.say(msg);
        }
        self.review = Some(Review {
            cards,
            pos: 0,
            shown: false,
            chosen: None,
            shown_at: now_ms(),
        });
        self.show_card()
    }

    fn show_card(&mut self) -> std::io::Result<()> {
        let Some(r) = &self.review else { return Ok(()) };
        let Some(card) = r.cards.get(r.pos).and_then(|c| self.lib.card(c)).cloned() else {
            let msg = self.t("Review done.", "복습을 마쳤습니다.");
            self.review = None;
            return self.say(msg);
        };
        let head = match self.lang {
            Lang::En => format!("Card {} of {}:", r.pos + 1, r.cards.len()),
            Lang::Ko => format!("카드 {}/{}:", r.pos + 1, r.cards.len()),
        };
        self.say(&head)?;
        self.markdown(card.question.get(self.lang))?;
        if let Some(choices) = &card.choices {
            for (i, c) in choices.iter().enumerate() {
                self.say(&format!("{}. {}", i + 1, c.get(self.lang)))?;
            }
            let msg = self.t(
                "Type the number of your answer, or show to see it. stop ends the review.",
                "답의 번호를 입력하거나 show로 답을 보세요. stop은 복습을 끝냅니다.",
            );
            self.say(msg)
        } else {
            let msg = self.t(
                "Answer in your head, then type show. stop ends the review.",
                "머릿속으로 답한 뒤 show를 입력하세요. stop은 복습을 끝냅니다.",
            );
            self.say(msg)
        }
    }

    /// A line during review; `false` when it was not a review answer.
    fn review_step(&mut self, cmd: &str) -> std::io::Result<bool> {
        let Some(r) = &mut self.review else {
            return Ok(false);
        };
        if cmd == "stop" {
            self.review = None;
            let msg = self.t("Review stopped.", "복습을 멈췄습니다.");
            self.say(msg)?;
            return Ok(true);
        }
        let Some(card) = r.cards.get(r.pos).and_then(|c| self.lib.card(c)).cloned() else {
            return Ok(false);
        };
        let n: Option<usize> = cmd.parse().ok();
        if !r.shown {
            let choices = card.choices.as_ref().map_or(0, Vec::len);
            match (cmd, n) {
                ("show", _) => {}
                (_, Some(k)) if (1..=choices).contains(&k) => r.chosen = Some(k - 1),
                _ => return Ok(false),
            }
            r.shown = true;
            let chosen = r.chosen;
            if let (CardType::Choice, Some(k)) = (card.kind, card.correct) {
                let verdict = match chosen {
                    Some(c) if c == k => self.t("Right.", "맞았습니다."),
                    Some(_) => self.t("Not quite.", "아쉽습니다."),
                    None => self.t("The answer:", "정답:"),
                };
                let line = format!(
                    "{verdict} {} {}",
                    self.t("Correct choice:", "정답 번호:"),
                    k + 1
                );
                self.say(&line)?;
            }
            self.markdown(card.answer.get(self.lang))?;
            let msg = self.t(
                "Rate it: 1 again, 2 hard, 3 good, 4 easy.",
                "평가하세요: 1 다시, 2 어려움, 3 좋음, 4 쉬움.",
            );
            return self.say(msg).map(|_| true);
        }
        let Some(rating) = n.and_then(|k| Rating::from_number(k as i64)) else {
            return Ok(false);
        };
        let now = now_ms();
        let duration = u64::try_from(now - r.shown_at).ok();
        r.pos += 1;
        r.shown = false;
        r.chosen = None;
        r.shown_at = now;
        if let Err(e) = self.session.rate(&card.id, rating, now, duration) {
            self.say(&format!(
                "{} {e}",
                self.t("Not saved:", "저장하지 못했습니다:")
            ))?;
        }
        self.show_card()?;
        Ok(true)
    }

    fn show_progress(&mut self) -> std::io::Result<()> {
        let p = self.progress();
        let s = &p.summary;
        let lines = [
            format!("{} {}", self.t("Learner:", "학습자:"), s.learner),
            format!(
                "{} {}/{}. {} {}/{}.",
                self.t("Exercises passed:", "통과한 실습:"),
                s.exercises_passed,
                s.exercises_total,
                self.t("Lessons read:", "읽은 레슨:"),
                s.lessons_read,
                s.lessons_total
            ),
            format!(
                "{} {} ({} {}). {} {} {}.",
                self.t("Streak:", "연속 학습:"),
                s.streak.current,
                self.t("best", "최고"),
                s.streak.longest,
                self.t("Time spent:", "학습 시간:"),
                s.time_spent_ms / 60_000,
                self.t("minutes", "분")
            ),
            format!(
                "{} {}, {} {}.",
                self.t("Cards due:", "복습할 카드:"),
                s.reviews_due,
                self.t("new:", "새 카드:"),
                s.reviews_new
            ),
        ];
        for l in lines {
            self.say(&l)?;
        }
        let topics: Vec<String> = s
            .topics
            .iter()
            .map(|tm| {
                format!(
                    "- {}: {}% ({}/{} {})",
                    tm.topic,
                    (tm.mastery * 100.0).round() as i64,
                    tm.passed,
                    tm.total,
                    self.t("passed", "통과")
                )
            })
            .collect();
        if !topics.is_empty() {
            let h = self.t("Mastery by topic:", "주제별 숙련도:");
            self.say(h)?;
            for t in topics {
                self.say(&t)?;
            }
        }
        let domains: Vec<String> = s
            .domains
            .iter()
            .map(|d| {
                format!(
                    "- {} {}: {}%",
                    d.exam,
                    d.domain,
                    (d.mastery * 100.0).round() as i64
                )
            })
            .collect();
        if !domains.is_empty() {
            let h = self.t("Mastery by exam domain:", "시험 영역별 숙련도:");
            self.say(h)?;
            for d in domains {
                self.say(&d)?;
            }
        }
        Ok(())
    }
}
