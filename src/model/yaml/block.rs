//! The fast front end: a scanner for the block YAML that `kubectl get -o
//! yaml` writes and most people type. It takes block mappings and
//! sequences, plain scalars (folded over several lines too), one-line
//! quoted scalars, `|` literals, one-line flow collections of scalars
//! (`[get, list]`, `{app: web}`), comments and `---` between documents. At
//! the first thing outside that subset (anchors, aliases, tags, `>` folded
//! or multi-line quoted scalars, nested flow collections, tabs, carriage
//! returns, anything malformed) it defers, and the general parser reads the
//! whole file. So it never reports a syntax error of its own: whatever it
//! accepts, the general parser accepts with the same tree, positions
//! included.

use super::build::{Builder, Ev};
use super::{Limits, Parsed};
use crate::model::node::{Pos, Scalar, Style};
use compact_str::CompactString;

/// The scanner met something outside its subset; `line` is where in this
/// file it decided so (the tests print it).
pub(super) struct Defer {
    pub(super) line: u32,
}

impl Defer {
    #[track_caller]
    fn here() -> Defer {
        Defer {
            line: std::panic::Location::caller().line(),
        }
    }
}

type Step<T = ()> = Result<T, Defer>;

/// Read `text`, or `None` where the general parser must.
pub(super) fn parse(text: &str, limits: &Limits) -> Option<Parsed> {
    scan(text, limits).ok()
}

pub(super) fn scan(text: &str, limits: &Limits) -> Result<Parsed, Defer> {
    let s = text.as_bytes();
    // Tabs, carriage returns and control characters have rules of their
    // own; so do the few non-ASCII characters YAML treats specially.
    let ascii = s.iter().all(|&b| b == b'\n' || (0x20..0x7f).contains(&b));
    if !ascii && !text.chars().all(|c| c == '\n' || plain_printable(c)) {
        return Err(Defer::here());
    }
    let mut scanner = Scanner {
        ascii,
        t: text,
        s,
        peeked: None,
        next: 0,
        next_no: 1,
        out: Builder::new(limits),
    };
    scanner.stream()?;
    Ok(scanner.out.finish())
}

/// One line of the file. `indent` counts leading spaces.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    /// Offset of the line's `\n`, or the end of the text.
    end: usize,
    indent: usize,
    no: u32,
}

impl Line {
    fn content(&self) -> usize {
        self.start + self.indent
    }
}

/// A mapping key found at the start of some content.
struct Key {
    text: CompactString,
    style: Style,
    /// Offset of the `:` after the key.
    colon: usize,
}

#[derive(Clone, Copy)]
enum Chomp {
    Clip,
    Strip,
    Keep,
}

struct Scanner<'a, 'l> {
    /// Every offset the scanner keeps is next to an ASCII character, so it
    /// is a character boundary of `t` too.
    t: &'a str,
    /// Whether columns (which count characters) equal byte offsets.
    ascii: bool,
    s: &'a [u8],
    /// Start of the first line not yet consumed, and its number.
    next: usize,
    next_no: u32,
    /// The last line `peek` found, so repeated peeks cost nothing.
    peeked: Option<Line>,
    out: Builder<'l>,
}

impl Scanner<'_, '_> {
    /// The 0-based column of `offset` on line `l`, in characters.
    fn col(&self, l: &Line, offset: usize) -> usize {
        if self.ascii {
            offset - l.start
        } else {
            self.t[l.start..offset].chars().count()
        }
    }

    fn emit(&mut self, ev: Ev, line: u32, col: usize) -> Step {
        let pos = Pos {
            line,
            column: col as u32 + 1,
        };
        // A budget the builder refuses is reported by the general parser,
        // which reads the same events.
        self.out.event(ev, pos).map_err(|_| Defer::here())
    }

    fn scalar(&mut self, text: CompactString, style: Style, line: u32, col: usize) -> Step {
        let scalar = Scalar {
            text,
            style,
            tag: None,
        };
        self.emit(Ev::Scalar { scalar, anchor: 0 }, line, col)
    }

    /// An empty node, which the parser writes as a plain `~`.
    fn null(&mut self, line: u32, col: usize) -> Step {
        self.scalar("~".into(), Style::Plain, line, col)
    }

    fn line_at(&self, start: usize, no: u32) -> Line {
        let rest = &self.s[start..];
        let end = start + memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let indent = rest.iter().take_while(|&&b| b == b' ').count();
        Line {
            start,
            end,
            indent: indent.min(end - start),
            no,
        }
    }

    /// The next line with content, skipping blank and comment-only lines
    /// for good; the line itself is not consumed.
    fn peek(&mut self) -> Option<Line> {
        if let Some(l) = self.peeked
            && l.start == self.next
        {
            return Some(l);
        }
        while self.next < self.s.len() {
            let l = self.line_at(self.next, self.next_no);
            let c = l.content();
            if c < l.end && self.s[c] != b'#' {
                self.peeked = Some(l);
                return Some(l);
            }
            self.next = l.end + 1;
            self.next_no += 1;
        }
        None
    }

    fn consume(&mut self, l: Line) {
        self.next = l.end + 1;
        self.next_no = l.no + 1;
    }

    /// The next content line inside the current document, if any.
    fn peek_in_document(&mut self) -> Option<Line> {
        self.peek().filter(|l| !self.is_marker(l))
    }

    /// `---` or `...` at the start of a line.
    fn is_marker(&self, l: &Line) -> bool {
        let t = &self.s[l.start..l.end];
        (t.starts_with(b"---") || t.starts_with(b"...")) && (t.len() == 3 || t[3] == b' ')
    }

    /// `-` followed by a space or the end of the line: a sequence entry.
    fn is_dash(&self, at: usize, end: usize) -> bool {
        self.s[at] == b'-' && (at + 1 == end || self.s[at + 1] == b' ')
    }

    fn skip_spaces(&self, mut at: usize, end: usize) -> usize {
        while at < end && self.s[at] == b' ' {
            at += 1;
        }
        at
    }

    /// After a value: nothing but spaces and a comment may follow.
    fn rest_is_empty(&self, at: usize, end: usize) -> Step {
        let r = self.skip_spaces(at, end);
        if r == end || (r > at && self.s[r] == b'#') {
            Ok(())
        } else {
            Err(Defer::here())
        }
    }

    fn stream(&mut self) -> Step {
        while let Some(first) = self.peek() {
            let marker = if self.is_marker(&first) {
                let t = &self.s[first.start..first.end];
                if !t.starts_with(b"---") {
                    return Err(Defer::here());
                }
                self.consume(first);
                Some(first)
            } else {
                None
            };
            self.emit(Ev::DocStart, first.no, 0)?;
            match self.peek_in_document() {
                Some(root) => {
                    if marker.is_some_and(|m| m.end - m.start != 3) {
                        // `--- text`: content on the marker line.
                        return Err(Defer::here());
                    }
                    self.node(root, -1)?;
                    if self.peek_in_document().is_some() {
                        return Err(Defer::here());
                    }
                }
                None => match marker {
                    Some(m) if m.end - m.start == 3 => self.null(m.no, 3)?,
                    _ => return Err(Defer::here()),
                },
            }
            self.emit(Ev::DocEnd, first.no, 0)?;
        }
        Ok(())
    }

    /// A node that starts a line of its own, more indented than its parent
    /// (`parent` is the parent's indentation, -1 at the document root).
    fn node(&mut self, l: Line, parent: isize) -> Step {
        let c = l.content();
        if self.is_dash(c, l.end) {
            return self.sequence(l, false);
        }
        if let Some(key) = self.key_at(c, l.end)? {
            return self.mapping(l, c, key);
        }
        self.inline_value(l, c, parent)
    }

    /// A block sequence whose first `-` is the content of `l`. An
    /// indentless sequence is a mapping value written at the mapping's own
    /// indentation; the parser places it at its first entry's content.
    fn sequence(&mut self, first: Line, indentless: bool) -> Step {
        let indent = first.indent;
        let mut l = first;
        let mut opened = false;
        loop {
            let dash = l.content();
            let after = self.skip_spaces(dash + 1, l.end);
            if after < l.end && self.s[after] == b'#' {
                return Err(Defer::here());
            }
            if !opened {
                let col = match indentless {
                    true if after == l.end => return Err(Defer::here()),
                    true => self.col(&l, after),
                    false => indent,
                };
                self.emit(Ev::SeqStart { anchor: 0 }, l.no, col)?;
                opened = true;
            }
            self.consume(l);
            if after == l.end {
                match self.peek_in_document() {
                    Some(n) if n.indent > indent => self.node(n, indent as isize)?,
                    // The parser places an empty entry after the spaces that follow `-`.
                    _ => self.null(l.no, after - l.start)?,
                }
            } else if self.is_dash(after, l.end) {
                return Err(Defer::here());
            } else if let Some(key) = self.key_at(after, l.end)? {
                self.mapping(l, after, key)?;
            } else {
                self.inline_value(l, after, indent as isize)?;
            }
            match self.peek_in_document() {
                Some(n) if n.indent == indent && self.is_dash(n.content(), n.end) => l = n,
                Some(n) if n.indent < indent || (n.indent == indent && indentless) => break,
                Some(_) => return Err(Defer::here()),
                None => break,
            }
        }
        self.emit(Ev::End, l.no, 0)
    }

    /// A block mapping whose first key starts at `at` on line `first`.
    fn mapping(&mut self, first: Line, at: usize, first_key: Key) -> Step {
        // Only spaces and `- ` come before a key that starts a mapping, so
        // its byte offset is its column.
        let indent = at - first.start;
        self.emit(Ev::MapStart { anchor: 0 }, first.no, indent)?;
        let (mut l, mut at, mut key) = (first, at, first_key);
        loop {
            self.consume(l);
            let colon = key.colon;
            self.scalar(key.text, key.style, l.no, self.col(&l, at))?;
            let after = self.skip_spaces(colon + 1, l.end);
            if after == l.end || self.s[after] == b'#' {
                match self.peek_in_document() {
                    Some(n) if n.indent > indent => self.node(n, indent as isize)?,
                    Some(n) if n.indent == indent && self.is_dash(n.content(), n.end) => {
                        self.sequence(n, true)?
                    }
                    _ => self.null(l.no, self.col(&l, colon))?,
                }
            } else {
                self.inline_value(l, after, indent as isize)?;
            }
            match self.peek_in_document() {
                Some(n) if n.indent == indent => match self.key_at(n.content(), n.end)? {
                    Some(k) => (l, at, key) = (n, n.content(), k),
                    None => return Err(Defer::here()),
                },
                Some(n) if n.indent < indent => break,
                Some(_) => return Err(Defer::here()),
                None => break,
            }
        }
        self.emit(Ev::End, l.no, 0)
    }

    /// A mapping key at `at`: a one-line plain or quoted scalar followed by
    /// `:` and a space or the end of the line.
    fn key_at(&self, at: usize, end: usize) -> Step<Option<Key>> {
        let s = self.s;
        let colon_follows =
            |i: usize| i < end && s[i] == b':' && (i + 1 == end || s[i + 1] == b' ');
        if self.is_dash(at, end) {
            return Ok(None);
        }
        match s[at] {
            b'"' | b'\'' => {
                let (text, close) = self.quoted(at, end)?;
                Ok(colon_follows(close).then_some(Key {
                    text,
                    style: Style::Quoted,
                    colon: close,
                }))
            }
            b'?' | b':' => Err(Defer::here()),
            c if is_indicator(c) => Ok(None),
            _ => {
                for i in at..end {
                    match s[i] {
                        b':' if colon_follows(i) => {
                            // `key :` and over-long implicit keys have rules of their own.
                            if s[i - 1] == b' ' || i - at > 1024 {
                                return Err(Defer::here());
                            }
                            let text = CompactString::from(&self.t[at..i]);
                            return Ok(Some(Key {
                                text,
                                style: Style::Plain,
                                colon: i,
                            }));
                        }
                        b'#' if s[i - 1] == b' ' => return Ok(None),
                        _ => {}
                    }
                }
                Ok(None)
            }
        }
    }

    /// A value that starts at `at` on line `l` (after a key's `:` or a
    /// `-`, or alone on its line). `owner` is the indentation of the
    /// mapping or sequence that holds it: anything on later lines more
    /// indented than that would continue the value, which is outside the
    /// subset.
    fn inline_value(&mut self, l: Line, at: usize, owner: isize) -> Step {
        let s = self.s;
        let col = self.col(&l, at);
        match s[at] {
            b'"' | b'\'' => {
                let (text, close) = self.quoted(at, l.end)?;
                self.rest_is_empty(close, l.end)?;
                self.scalar(text, Style::Quoted, l.no, col)?;
                self.consume(l);
            }
            b'{' | b'[' => {
                let after = self.flow(&l, at)?;
                self.rest_is_empty(after, l.end)?;
                self.consume(l);
            }
            b'|' => return self.literal(l, at, owner),
            b'-' if self.is_dash(at, l.end) => return Err(Defer::here()),
            b'?' | b':' => return Err(Defer::here()),
            c if is_indicator(c) => return Err(Defer::here()),
            _ => {
                let end = self.plain_end(at, l.end)?;
                let mut text = CompactString::from(&self.t[at..end]);
                self.consume(l);
                if !self.comment_follows(end, l.end) {
                    self.plain_continuation(&mut text, owner)?;
                }
                self.scalar(text, Style::Plain, l.no, col)?;
            }
        }
        match self.peek_in_document() {
            Some(n) if n.indent as isize > owner => Err(Defer::here()),
            _ => Ok(()),
        }
    }

    /// A flow collection of scalars on one line, `[a, "b"]` or
    /// `{k: v}`, starting at `at`; returns the offset after its closing
    /// bracket. Nested collections, empty entries, trailing commas and
    /// keys without values defer.
    fn flow(&mut self, l: &Line, at: usize) -> Step<usize> {
        let (s, end) = (self.s, l.end);
        let map = s[at] == b'{';
        let close = if map { b'}' } else { b']' };
        let start = if map {
            Ev::MapStart { anchor: 0 }
        } else {
            Ev::SeqStart { anchor: 0 }
        };
        self.emit(start, l.no, self.col(l, at))?;
        let mut i = self.skip_spaces(at + 1, end);
        if i < end && s[i] == close {
            self.emit(Ev::End, l.no, 0)?;
            return Ok(i + 1);
        }
        loop {
            i = self.flow_scalar(l, i, map)?;
            if map {
                if !(i + 1 < end && s[i] == b':' && s[i + 1] == b' ') {
                    return Err(Defer::here());
                }
                i = self.flow_scalar(l, self.skip_spaces(i + 1, end), map)?;
            }
            match s.get(i).filter(|_| i < end) {
                Some(b',') => {
                    i = self.skip_spaces(i + 1, end);
                    if i >= end || s[i] == close {
                        return Err(Defer::here());
                    }
                }
                Some(&c) if c == close => {
                    self.emit(Ev::End, l.no, 0)?;
                    return Ok(i + 1);
                }
                _ => return Err(Defer::here()),
            }
        }
    }

    /// One scalar inside a flow collection; returns the offset after it
    /// and the spaces that follow.
    fn flow_scalar(&mut self, l: &Line, at: usize, in_map: bool) -> Step<usize> {
        let (s, end) = (self.s, l.end);
        if at >= end {
            return Err(Defer::here());
        }
        let col = self.col(l, at);
        let flow_break =
            |i: usize| i >= end || matches!(s[i], b' ' | b',' | b'[' | b']' | b'{' | b'}');
        match s[at] {
            b'"' | b'\'' => {
                let (text, close) = self.quoted(at, end)?;
                self.scalar(text, Style::Quoted, l.no, col)?;
                return Ok(self.skip_spaces(close, end));
            }
            b'-' | b'?' | b':' if flow_break(at + 1) => return Err(Defer::here()),
            b'-' | b'?' | b':' => {}
            c if is_indicator(c) => return Err(Defer::here()),
            _ => {}
        }
        let mut stop = end;
        for i in at..end {
            match s[i] {
                b',' | b'[' | b']' | b'{' | b'}' => {
                    stop = i;
                    break;
                }
                b':' if flow_break(i + 1) => {
                    stop = i;
                    break;
                }
                b':' if in_map => return Err(Defer::here()),
                b'#' if s[i - 1] == b' ' => return Err(Defer::here()),
                _ => {}
            }
        }
        let mut text_end = stop;
        while text_end > at && s[text_end - 1] == b' ' {
            text_end -= 1;
        }
        if text_end == at {
            return Err(Defer::here());
        }
        let text = CompactString::from(&self.t[at..text_end]);
        self.scalar(text, Style::Plain, l.no, col)?;
        Ok(stop)
    }

    /// Whether a comment follows offset `at` (after spaces) on its line.
    fn comment_follows(&self, at: usize, end: usize) -> bool {
        self.skip_spaces(at, end) < end
    }

    /// The lines that continue a plain scalar: more indented than `owner`,
    /// each folded into `text` with a space, or with a line break per
    /// blank line between them (how go-yaml writes long strings with
    /// spaces). A comment ends the scalar.
    fn plain_continuation(&mut self, text: &mut CompactString, owner: isize) -> Step {
        let s = self.s;
        loop {
            let (mut start, mut no, mut blanks) = (self.next, self.next_no, 0);
            let line = loop {
                if start >= s.len() {
                    return Ok(());
                }
                let line = self.line_at(start, no);
                if line.content() < line.end {
                    break line;
                }
                (start, no, blanks) = (line.end + 1, no + 1, blanks + 1);
            };
            let c = line.content();
            if s[c] == b'#' {
                return Ok(());
            }
            if line.indent as isize <= owner {
                // The next node's line: hand it to `peek` (the blank lines
                // before it carry nothing).
                (self.next, self.next_no, self.peeked) = (line.start, line.no, Some(line));
                return Ok(());
            }
            if owner < 0
                || self.is_dash(c, line.end)
                || is_indicator(s[c])
                || matches!(s[c], b'?' | b':')
            {
                return Err(Defer::here());
            }
            let end = self.plain_end(c, line.end)?;
            if blanks == 0 {
                text.push(' ');
            } else {
                text.extend(std::iter::repeat_n('\n', blanks));
            }
            text.push_str(&self.t[c..end]);
            self.consume(line);
            if self.comment_follows(end, line.end) {
                return Ok(());
            }
        }
    }

    /// Where a one-line plain scalar starting at `at` ends: before a
    /// comment and trailing spaces. `: ` inside it would start a mapping.
    fn plain_end(&self, at: usize, end: usize) -> Step<usize> {
        let s = self.s;
        let mut stop = end;
        for i in at..end {
            match s[i] {
                b':' if i + 1 == end || s[i + 1] == b' ' => return Err(Defer::here()),
                b'#' if i > at && s[i - 1] == b' ' => {
                    stop = i;
                    break;
                }
                _ => {}
            }
        }
        while stop > at && s[stop - 1] == b' ' {
            stop -= 1;
        }
        Ok(stop)
    }

    /// A one-line quoted scalar at `at`: its text and the offset just after
    /// the closing quote.
    fn quoted(&self, at: usize, end: usize) -> Step<(CompactString, usize)> {
        let s = self.s;
        let quote = s[at];
        let mut text = CompactString::default();
        let mut i = at + 1;
        loop {
            let run = s[i..end]
                .iter()
                .position(|&b| b == quote || (quote == b'"' && b == b'\\'))
                .ok_or_else(|| Defer::here())?;
            text.push_str(&self.t[i..i + run]);
            i += run;
            if s[i] == quote {
                if quote == b'\'' && i + 1 < end && s[i + 1] == b'\'' {
                    text.push('\'');
                    i += 2;
                    continue;
                }
                return Ok((text, i + 1));
            }
            // A backslash at the end of the line continues the scalar.
            if i + 1 >= end {
                return Err(Defer::here());
            }
            let (c, used) = unescape(s[i + 1], &s[i + 2..end]).ok_or_else(|| Defer::here())?;
            text.push(c);
            i += 2 + used;
        }
    }

    /// A `|` literal scalar whose header is at `at` on line `l`.
    fn literal(&mut self, l: Line, at: usize, owner: isize) -> Step {
        let s = self.s;
        if owner < 0 {
            return Err(Defer::here());
        }
        let mut h = at + 1;
        let chomp = match s.get(h).filter(|_| h < l.end) {
            Some(b'-') => Chomp::Strip,
            Some(b'+') => Chomp::Keep,
            _ => Chomp::Clip,
        };
        if !matches!(chomp, Chomp::Clip) {
            h += 1;
        }
        if h < l.end && s[h] != b' ' {
            // An indentation indicator or anything else after the header.
            return Err(Defer::here());
        }
        self.rest_is_empty(h, l.end)?;
        self.consume(l);

        // The first non-blank line sets the indentation; blank lines before
        // it may not be longer.
        let (mut start, mut no) = (self.next, self.next_no);
        let mut widest_blank = 0;
        let first = loop {
            if start >= s.len() {
                return Err(Defer::here());
            }
            let line = self.line_at(start, no);
            if line.content() < line.end {
                break line;
            }
            widest_blank = widest_blank.max(line.end - line.start);
            (start, no) = (line.end + 1, no + 1);
        };
        let indent = first.indent;
        if indent as isize <= owner || widest_blank > indent {
            return Err(Defer::here());
        }

        let mut text = String::new();
        let mut blanks = 0usize;
        let (mut start, mut no) = (self.next, self.next_no);
        while start < s.len() {
            let line = self.line_at(start, no);
            let len = line.end - line.start;
            if line.content() == line.end {
                if len > indent {
                    return Err(Defer::here());
                }
                blanks += 1;
            } else if line.indent < indent {
                break;
            } else {
                for _ in 0..blanks {
                    text.push('\n');
                }
                blanks = 0;
                text.push_str(&self.t[line.start + indent..line.end]);
                text.push('\n');
            }
            if line.end == s.len() {
                // The last line has no line break; its chomping differs.
                return Err(Defer::here());
            }
            (start, no) = (line.end + 1, no + 1);
        }
        match chomp {
            Chomp::Clip => {}
            Chomp::Strip => {
                text.pop();
            }
            Chomp::Keep => text.extend(std::iter::repeat_n('\n', blanks)),
        }
        (self.next, self.next_no) = (start, no);
        self.scalar(text.into(), Style::Block, first.no, indent)?;
        match self.peek_in_document() {
            Some(n) if n.indent as isize > owner => Err(Defer::here()),
            _ => Ok(()),
        }
    }
}

/// A character YAML prints as itself: no control characters, byte order
/// marks, or the next-line and separator characters YAML 1.1 treats as
/// line breaks.
fn plain_printable(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7E | 0xA0..=0x2027 | 0x202A..=0xD7FF | 0xE000..=0xFEFE | 0xFF00..=0xFFFD | 0x10000..)
}

/// Characters that cannot start a plain scalar (YAML 1.2 c-indicator; `-`,
/// `?` and `:` are handled where they may start one).
fn is_indicator(c: u8) -> bool {
    matches!(
        c,
        b',' | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// A double-quoted escape after `\`: the character and how many bytes
/// after `e` it used. The rarer escapes defer to the general parser.
fn unescape(e: u8, rest: &[u8]) -> Option<(char, usize)> {
    let c = match e {
        b'\\' => '\\',
        b'"' => '"',
        b'/' => '/',
        b' ' => ' ',
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b'x' | b'u' | b'U' => {
            let digits = match e {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let hex = std::str::from_utf8(rest.get(..digits)?).ok()?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
            return Some((c, digits));
        }
        _ => return None,
    };
    Some((c, 0))
}
