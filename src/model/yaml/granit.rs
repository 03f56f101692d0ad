//! The general front end: serde-saphyr's YAML 1.2 parser (granit), for every
//! file the block scanner does not take, and for every syntax error.

use super::build::{Builder, Ev};
use super::{Limits, Parsed, ReadError};
use crate::model::node::{Pos, Scalar, Style};
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span, StrInput};

pub(super) fn parse(text: &str, limits: &Limits) -> Result<Parsed, ReadError> {
    // Comments are skipped (and still checked as syntax) but not captured:
    // nothing reads them, and capturing them costs on every line.
    let options = serde_saphyr::granit_parser::options! { emit_comments: false };
    let mut parser = Parser::with_options(StrInput::new(text), options);
    let mut b = Builder::new(limits);
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(ev)) => ev,
            Some(Err(e)) => {
                let m = e.marker();
                let pos = Pos {
                    line: m.line() as u32,
                    column: m.col() as u32 + 1,
                };
                let message = format!("YAML syntax error: {}", syntax_message(&e.to_string()));
                b.syntax_error(pos, message);
                break;
            }
        };
        let ev = match event {
            Event::DocumentStart(..) => Ev::DocStart,
            Event::DocumentEnd => Ev::DocEnd,
            Event::Scalar(text, style, anchor, tag) => Ev::Scalar {
                scalar: Scalar {
                    text: text.into(),
                    style: scalar_style(style),
                    tag: tag.and_then(|t| t.core_suffix().map(str::to_string)),
                },
                anchor,
            },
            Event::Alias(id) => Ev::Alias(id),
            Event::SequenceStart(_, anchor, _) => Ev::SeqStart { anchor },
            Event::MappingStart(_, anchor, _) => Ev::MapStart { anchor },
            Event::SequenceEnd | Event::MappingEnd => Ev::End,
            _ => continue,
        };
        b.event(ev, pos_of(&span))?;
    }
    Ok(b.finish())
}

fn pos_of(span: &Span) -> Pos {
    Pos {
        line: span.start.line() as u32,
        column: span.start.col() as u32 + 1,
    }
}

fn scalar_style(style: ScalarStyle) -> Style {
    match style {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
        _ => Style::Block,
    }
}

/// The parser's messages are accurate but terse; keep them and drop the
/// position it appends (we print our own).
fn syntax_message(raw: &str) -> String {
    let cut = [" at char ", " at byte ", " at line "]
        .iter()
        .filter_map(|m| raw.find(m))
        .min();
    match cut {
        Some(i) => raw[..i].to_string(),
        None => raw.to_string(),
    }
}
