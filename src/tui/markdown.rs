//! Lesson markdown → terminal lines, wrapped to a width, with a table of
//! contents. Our own small renderer over pulldown-cmark events, so that
//! the no-colour theme, Korean double-width text and 80 columns stay under
//! our control: headings, paragraphs with emphasis and inline code, lists
//! (ordered, nested, task lists), block quotes, tables (columns shrunk and
//! cells wrapped to fit), code blocks with a small YAML highlighter, rules,
//! and links shown as `text (url)`.
//!
//! `plain` output (for `--plain` and screen readers) uses no box drawing:
//! tables become one line per row, code blocks are indented.

use super::theme::Theme;
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A document laid out for one width.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    pub headings: Vec<Heading>,
}

/// A heading and the line it starts on (for the table of contents).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub line: usize,
}

/// Narrower than this, layout stops making sense; we lay out at this
/// width and let the frame clip.
const MIN_WIDTH: usize = 20;

pub fn render(markdown: &str, width: u16, theme: &Theme, plain: bool) -> Rendered {
    let blocks = parse(markdown);
    let mut w = Writer {
        out: Rendered::default(),
        width: (width as usize).max(MIN_WIDTH),
        theme,
        plain,
    };
    w.blocks(&blocks, &[], &[], Style::new(), Spacing::Loose);
    while w.out.lines.last().is_some_and(|l| l.width() == 0) {
        w.out.lines.pop();
    }
    w.out
}

/// One YAML line, highlighted: keys, strings, numbers and booleans,
/// comments, document markers. A line-local guess (no parser), which is
/// all a code block in a lesson needs.
pub fn highlight_yaml(line: &str, theme: &Theme) -> Vec<Span<'static>> {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') {
        return vec![Span::styled(line.to_string(), theme.yaml_comment)];
    }
    if matches!(line.trim_end(), "---" | "...") {
        return vec![Span::styled(line.to_string(), theme.yaml_marker)];
    }
    let mut out = Vec::new();
    let indent = &line[..line.len() - trimmed.len()];
    if !indent.is_empty() {
        out.push(Span::raw(indent.to_string()));
    }
    let mut rest = trimmed;
    while let Some(r) = rest
        .strip_prefix("- ")
        .or(if rest == "-" { Some("") } else { None })
    {
        out.push(Span::styled(
            rest[..rest.len() - r.len()].to_string(),
            theme.yaml_marker,
        ));
        rest = r;
    }
    if let Some(colon) = key_end(rest) {
        out.push(Span::styled(rest[..colon].to_string(), theme.yaml_key));
        out.push(Span::raw(":"));
        rest = &rest[colon + 1..];
    }
    let (value, comment) = split_comment(rest);
    let lead = &value[..value.len() - value.trim_start().len()];
    let body = value.trim();
    let tail = &value[lead.len() + body.len()..];
    if !lead.is_empty() {
        out.push(Span::raw(lead.to_string()));
    }
    if !body.is_empty() {
        out.push(Span::styled(body.to_string(), scalar_style(body, theme)));
    }
    if !tail.is_empty() {
        out.push(Span::raw(tail.to_string()));
    }
    if !comment.is_empty() {
        out.push(Span::styled(comment.to_string(), theme.yaml_comment));
    }
    out
}

/// Byte index of the `:` ending a mapping key at the start of `s`.
fn key_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let first = *bytes.first()?;
    if matches!(first, b'{' | b'[' | b'|' | b'>' | b'#' | b'&' | b'*' | b'!') {
        return None;
    }
    let start = if first == b'"' || first == b'\'' {
        let close = s[1..].find(first as char)? + 1;
        close + 1
    } else {
        0
    };
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b':' if i + 1 == bytes.len() || bytes[i + 1] == b' ' => {
                return (i > 0).then_some(i);
            }
            b'#' if i > 0 && bytes[i - 1] == b' ' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Split a value from a trailing ` # comment` that is outside quotes.
fn split_comment(s: &str) -> (&str, &str) {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && (prev == ' ' || i == 0) => return (&s[..i], &s[i..]),
            None => {}
        }
        prev = c;
    }
    (s, "")
}

fn scalar_style(v: &str, theme: &Theme) -> Style {
    if v.starts_with('"') || v.starts_with('\'') {
        theme.yaml_string
    } else if v.parse::<f64>().is_ok()
        || matches!(
            v,
            "true" | "false" | "True" | "False" | "null" | "~" | "yes" | "no"
        )
    {
        theme.yaml_number
    } else if matches!(v, "|" | ">" | "|-" | ">-" | "|+" | ">+") {
        theme.yaml_marker
    } else {
        Style::new()
    }
}

// ---------------------------------------------------------------- parsing

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Marks {
    strong: bool,
    em: bool,
    code: bool,
    link: bool,
    strike: bool,
}

#[derive(Clone, Debug, PartialEq)]
struct Piece {
    text: String,
    marks: Marks,
}

type Inlines = Vec<Piece>;

#[derive(Clone, Debug, PartialEq)]
enum Block {
    Heading(u8, Inlines),
    Para(Inlines),
    Code {
        lang: String,
        text: String,
    },
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Item>,
    },
    /// Row 0 is the header.
    Table {
        aligns: Vec<Alignment>,
        rows: Vec<Vec<Inlines>>,
    },
    Rule,
}

#[derive(Clone, Debug, PartialEq)]
struct Item {
    task: Option<bool>,
    blocks: Vec<Block>,
}

enum Container {
    Blocks(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Item>,
    },
    Item(Item),
}

enum InlineKind {
    Para,
    Heading(u8),
    Cell,
}

#[derive(Default)]
struct Counters {
    strong: u32,
    em: u32,
    strike: u32,
}

struct Builder {
    stack: Vec<Container>,
    inline: Option<(InlineKind, Inlines)>,
    counters: Counters,
    /// Open links: their URL and where their text starts in the inline run.
    links: Vec<(String, usize)>,
    code: Option<(String, String)>,
    table: Option<OpenTable>,
}

/// A table being read: column alignments, finished rows, the open row.
type OpenTable = (Vec<Alignment>, Vec<Vec<Inlines>>, Vec<Inlines>);

fn parse(markdown: &str) -> Vec<Block> {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    let mut b = Builder {
        stack: vec![Container::Blocks(Vec::new())],
        inline: None,
        counters: Counters::default(),
        links: Vec::new(),
        code: None,
        table: None,
    };
    for ev in Parser::new_ext(markdown, opts) {
        b.event(ev);
    }
    b.close_inline();
    let mut root = Vec::new();
    while let Some(c) = b.stack.pop() {
        let blocks = match c {
            Container::Blocks(v) | Container::Quote(v) => v,
            Container::Item(i) => i.blocks,
            Container::List { .. } => Vec::new(),
        };
        let mut blocks = blocks;
        blocks.append(&mut root);
        root = blocks;
    }
    root
}

impl Builder {
    fn push_block(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Container::Blocks(v) | Container::Quote(v)) => v.push(block),
            Some(Container::Item(i)) => i.blocks.push(block),
            Some(Container::List { items, .. }) => items.push(Item {
                task: None,
                blocks: vec![block],
            }),
            None => self.stack.push(Container::Blocks(vec![block])),
        }
    }

    /// Close an open paragraph (or the implicit one of a tight list item).
    fn close_inline(&mut self) {
        if let Some((kind, inl)) = self.inline.take() {
            match kind {
                InlineKind::Para => self.push_block(Block::Para(inl)),
                InlineKind::Heading(l) => self.push_block(Block::Heading(l, inl)),
                InlineKind::Cell => {
                    if let Some((_, _, row)) = &mut self.table {
                        row.push(inl);
                    }
                }
            }
        }
    }

    fn marks(&self, code: bool) -> Marks {
        Marks {
            strong: self.counters.strong > 0,
            em: self.counters.em > 0,
            code,
            link: !self.links.is_empty(),
            strike: self.counters.strike > 0,
        }
    }

    fn text(&mut self, text: &str, code: bool) {
        if let Some((_, buf)) = &mut self.code {
            buf.push_str(text);
            return;
        }
        let marks = self.marks(code);
        let inl = &mut self
            .inline
            .get_or_insert_with(|| (InlineKind::Para, Vec::new()))
            .1;
        inl.push(Piece {
            text: text.to_string(),
            marks,
        });
    }

    fn event(&mut self, ev: Event<'_>) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t, false),
            Event::Code(t) => self.text(&t, true),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t, true),
            Event::Html(t) | Event::InlineHtml(t) => {
                let t = t.trim_end_matches('\n').to_string();
                self.text(&t, false);
            }
            Event::SoftBreak => self.text(" ", false),
            Event::HardBreak => self.text("\n", false),
            Event::Rule => {
                self.close_inline();
                self.push_block(Block::Rule);
            }
            Event::TaskListMarker(done) => {
                if let Some(Container::Item(i)) = self.stack.last_mut() {
                    i.task = Some(done);
                }
            }
            Event::FootnoteReference(name) => self.text(&format!("[^{name}]"), false),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.close_inline();
                self.inline = Some((InlineKind::Para, Vec::new()));
            }
            Tag::Heading { level, .. } => {
                self.close_inline();
                let l = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.inline = Some((InlineKind::Heading(l), Vec::new()));
            }
            Tag::BlockQuote(_) => {
                self.close_inline();
                self.stack.push(Container::Quote(Vec::new()));
            }
            Tag::CodeBlock(kind) => {
                self.close_inline();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::List(start) => {
                self.close_inline();
                self.stack.push(Container::List {
                    start,
                    items: Vec::new(),
                });
            }
            Tag::Item => {
                self.close_inline();
                self.stack.push(Container::Item(Item {
                    task: None,
                    blocks: Vec::new(),
                }));
            }
            Tag::Table(aligns) => {
                self.close_inline();
                self.table = Some((aligns, Vec::new(), Vec::new()));
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some((_, _, row)) = &mut self.table {
                    row.clear();
                }
            }
            Tag::TableCell => self.inline = Some((InlineKind::Cell, Vec::new())),
            Tag::Emphasis => self.counters.em += 1,
            Tag::Strong => self.counters.strong += 1,
            Tag::Strikethrough => self.counters.strike += 1,
            Tag::Link { dest_url, .. } => {
                let at = self.inline.as_ref().map_or(0, |(_, v)| v.len());
                self.links.push((dest_url.to_string(), at));
            }
            Tag::Image { .. } => self.text("[image: ", false),
            Tag::HtmlBlock => self.close_inline(),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::HtmlBlock => self.close_inline(),
            TagEnd::BlockQuote(_) => {
                self.close_inline();
                if let Some(Container::Quote(v)) = self.stack.pop() {
                    self.push_block(Block::Quote(v));
                }
            }
            TagEnd::CodeBlock => {
                if let Some((lang, text)) = self.code.take() {
                    self.push_block(Block::Code { lang, text });
                }
            }
            TagEnd::List(_) => {
                self.close_inline();
                if let Some(Container::List { start, items }) = self.stack.pop() {
                    self.push_block(Block::List { start, items });
                }
            }
            TagEnd::Item => {
                self.close_inline();
                if let Some(Container::Item(item)) = self.stack.pop()
                    && let Some(Container::List { items, .. }) = self.stack.last_mut()
                {
                    items.push(item);
                }
            }
            TagEnd::TableCell => self.close_inline(),
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some((_, rows, row)) = &mut self.table {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::Table => {
                if let Some((aligns, rows, _)) = self.table.take() {
                    self.push_block(Block::Table { aligns, rows });
                }
            }
            TagEnd::Emphasis => self.counters.em = self.counters.em.saturating_sub(1),
            TagEnd::Strong => self.counters.strong = self.counters.strong.saturating_sub(1),
            TagEnd::Strikethrough => self.counters.strike = self.counters.strike.saturating_sub(1),
            TagEnd::Link => {
                if let Some((url, at)) = self.links.pop() {
                    let shown: String = self
                        .inline
                        .as_ref()
                        .map(|(_, v)| {
                            v[at.min(v.len())..]
                                .iter()
                                .map(|p| p.text.as_str())
                                .collect()
                        })
                        .unwrap_or_default();
                    // In-page anchors mean nothing in a terminal; a URL
                    // that is its own text needs no repeating.
                    if !url.is_empty() && !url.starts_with('#') && shown != url {
                        self.text(&format!(" ({url})"), false);
                    }
                }
            }
            TagEnd::Image => self.text("]", false),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------- layout

#[derive(Clone, Copy, PartialEq, Eq)]
enum Spacing {
    /// A blank line between blocks (documents, quotes).
    Loose,
    /// Blank lines only before code blocks and paragraphs after the first
    /// (list items).
    Item,
}

struct Writer<'t> {
    out: Rendered,
    width: usize,
    theme: &'t Theme,
    plain: bool,
}

type Prefix = [Span<'static>];

fn prefix_width(p: &Prefix) -> usize {
    p.iter().map(|s| s.content.width()).sum()
}

/// A word: pieces glued together with no space between them.
type Word = Vec<(String, Style)>;

enum Token {
    Word(Word),
    Space,
    Newline,
}

impl Writer<'_> {
    fn blank(&mut self, prefix: &Prefix) {
        let spans: Vec<Span<'static>> = prefix
            .iter()
            .map(|s| Span::styled(s.content.trim_end().to_string(), s.style))
            .filter(|s| !s.content.is_empty())
            .collect();
        self.out.lines.push(Line::from(spans));
    }

    fn blocks(
        &mut self,
        blocks: &[Block],
        first: &Prefix,
        rest: &Prefix,
        base: Style,
        spacing: Spacing,
    ) {
        for (i, b) in blocks.iter().enumerate() {
            if i > 0 {
                let gap = match spacing {
                    Spacing::Loose => true,
                    Spacing::Item => !matches!(b, Block::List { .. }),
                };
                if gap {
                    self.blank(rest);
                }
            }
            let p = if i == 0 { first } else { rest };
            self.block(b, p, rest, base);
        }
    }

    fn block(&mut self, b: &Block, first: &Prefix, rest: &Prefix, base: Style) {
        match b {
            Block::Heading(level, inl) => {
                let text: String = inl.iter().map(|p| p.text.as_str()).collect();
                self.out.headings.push(Heading {
                    level: *level,
                    text: text.clone(),
                    line: self.out.lines.len(),
                });
                let style = base.patch(self.theme.heading(*level));
                let mut words = Vec::new();
                if self.plain {
                    words.push(("#".repeat(*level as usize) + " ", style));
                }
                let pieces: Vec<(String, Style)> =
                    words.into_iter().chain(self.styled(inl, style)).collect();
                self.wrap(&pieces, first, rest);
            }
            Block::Para(inl) => {
                let pieces = self.styled(inl, base);
                self.wrap(&pieces, first, rest);
            }
            Block::Code { lang, text } => self.code(lang, text, first, rest),
            Block::Quote(inner) => {
                let bar = if self.plain { "> " } else { "│ " };
                let q = Span::styled(bar, self.theme.quote.remove_modifier(Modifier::ITALIC));
                let f: Vec<Span<'static>> = first.iter().cloned().chain([q.clone()]).collect();
                let r: Vec<Span<'static>> = rest.iter().cloned().chain([q]).collect();
                self.blocks(inner, &f, &r, base.patch(self.theme.quote), Spacing::Loose);
            }
            Block::List { start, items } => {
                for (i, item) in items.iter().enumerate() {
                    let marker = match (item.task, start) {
                        (Some(true), _) => "[x] ".to_string(),
                        (Some(false), _) => "[ ] ".to_string(),
                        (None, Some(n)) => format!("{}. ", n + i as u64),
                        (None, None) if self.plain => "- ".to_string(),
                        (None, None) => "• ".to_string(),
                    };
                    let p = if i == 0 { first } else { rest };
                    let pad = " ".repeat(marker.width());
                    let f: Vec<Span<'static>> = p
                        .iter()
                        .cloned()
                        .chain([Span::styled(marker, self.theme.dim)])
                        .collect();
                    let r: Vec<Span<'static>> =
                        rest.iter().cloned().chain([Span::raw(pad)]).collect();
                    if item.blocks.is_empty() {
                        self.wrap(&[], &f, &r);
                    }
                    self.blocks(&item.blocks, &f, &r, base, Spacing::Item);
                }
            }
            Block::Table { aligns, rows } => {
                if self.plain {
                    self.plain_table(rows, first, rest, base);
                } else {
                    self.table(aligns, rows, first, rest, base);
                }
            }
            Block::Rule => {
                if self.plain {
                    self.blank(first);
                } else {
                    let n = self.width.saturating_sub(prefix_width(first));
                    let mut spans = first.to_vec();
                    spans.push(Span::styled("─".repeat(n), self.theme.border));
                    self.out.lines.push(Line::from(spans));
                }
            }
        }
    }

    fn styled(&self, inl: &[Piece], base: Style) -> Vec<(String, Style)> {
        let t = self.theme;
        inl.iter()
            .map(|p| {
                let mut s = base;
                if p.marks.strong {
                    s = s.patch(t.strong);
                }
                if p.marks.em {
                    s = s.patch(t.emphasis);
                }
                if p.marks.code {
                    s = s.patch(t.code);
                }
                if p.marks.link {
                    s = s.patch(t.link);
                }
                if p.marks.strike {
                    s = s.add_modifier(Modifier::CROSSED_OUT);
                }
                // Without colour, inline code keeps its backticks: nothing
                // else would set it apart from the prose.
                let text = if p.marks.code && (self.plain || !t.color) {
                    format!("`{}`", p.text)
                } else {
                    p.text.clone()
                };
                (text, s)
            })
            .collect()
    }

    fn code(&mut self, lang: &str, text: &str, first: &Prefix, rest: &Prefix) {
        let yaml = matches!(lang, "yaml" | "yml");
        let border = self.theme.border;
        if self.plain {
            let label = if lang.is_empty() {
                "Code:".to_string()
            } else {
                format!("Code ({lang}):")
            };
            self.wrap(&[(label, Style::new())], first, rest);
            for l in text.lines() {
                let mut spans = rest.to_vec();
                spans.push(Span::raw(format!("    {l}")));
                self.out.lines.push(Line::from(spans));
            }
            return;
        }
        let mut head = first.to_vec();
        head.push(Span::styled(
            if lang.is_empty() {
                "┌─".to_string()
            } else {
                format!("┌─ {lang}")
            },
            border,
        ));
        self.out.lines.push(Line::from(head));
        let gutter = Span::styled("│ ", border);
        let avail = self.width.saturating_sub(prefix_width(rest) + 2).max(8);
        for l in text.lines() {
            let l = l.replace('\t', "    ");
            let spans = if yaml {
                highlight_yaml(&l, self.theme)
            } else {
                vec![Span::raw(l)]
            };
            for chunk in hard_wrap(spans, avail) {
                let mut line = rest.to_vec();
                line.push(gutter.clone());
                line.extend(chunk);
                self.out.lines.push(Line::from(line));
            }
        }
        let mut foot = rest.to_vec();
        foot.push(Span::styled("└─", border));
        self.out.lines.push(Line::from(foot));
    }

    fn plain_table(&mut self, rows: &[Vec<Inlines>], first: &Prefix, rest: &Prefix, base: Style) {
        let Some((head, body)) = rows.split_first() else {
            return;
        };
        let header: Vec<String> = head
            .iter()
            .map(|c| c.iter().map(|p| p.text.as_str()).collect())
            .collect();
        for (i, row) in body.iter().enumerate() {
            let mut pieces: Vec<(String, Style)> = Vec::new();
            for (j, cell) in row.iter().enumerate() {
                if j > 0 {
                    pieces.push(("; ".into(), base));
                }
                if let Some(h) = header.get(j).filter(|h| !h.is_empty()) {
                    pieces.push((format!("{h}: "), base));
                }
                pieces.extend(self.styled(cell, base));
            }
            let p = if i == 0 { first } else { rest };
            let f: Vec<Span<'static>> = p.iter().cloned().chain([Span::raw("- ")]).collect();
            let r: Vec<Span<'static>> = rest.iter().cloned().chain([Span::raw("  ")]).collect();
            self.wrap(&pieces, &f, &r);
        }
    }

    fn table(
        &mut self,
        aligns: &[Alignment],
        rows: &[Vec<Inlines>],
        first: &Prefix,
        rest: &Prefix,
        base: Style,
    ) {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        if cols == 0 {
            return;
        }
        let cells: Vec<Vec<Vec<(String, Style)>>> = rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                (0..cols)
                    .map(|c| {
                        let st = if r == 0 {
                            base.patch(self.theme.strong)
                        } else {
                            base
                        };
                        row.get(c)
                            .map(|cell| self.styled(cell, st))
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        let natural: Vec<usize> = (0..cols)
            .map(|c| {
                cells
                    .iter()
                    .map(|row| row[c].iter().map(|(t, _)| t.width()).sum::<usize>())
                    .max()
                    .unwrap_or(0)
                    .max(1)
            })
            .collect();
        let avail = self
            .width
            .saturating_sub(prefix_width(rest) + 3 * cols + 1)
            .max(cols * 3);
        let widths = fit_columns(&natural, avail);
        let border = self.theme.border;
        let rule = |l: &str, m: &str, r: &str| -> String {
            let mut s = l.to_string();
            for (i, w) in widths.iter().enumerate() {
                if i > 0 {
                    s.push_str(m);
                }
                s.push_str(&"─".repeat(w + 2));
            }
            s.push_str(r);
            s
        };
        let push_rule = |me: &mut Self, p: &Prefix, text: String| {
            let mut spans = p.to_vec();
            spans.push(Span::styled(text, border));
            me.out.lines.push(Line::from(spans));
        };
        push_rule(self, first, rule("┌", "┬", "┐"));
        // Cells laid out as lines of their own width.
        let laid: Vec<Vec<Vec<Line<'static>>>> = cells
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&widths)
                    .map(|(cell, &w)| {
                        let mut sub = Writer {
                            out: Rendered::default(),
                            width: w,
                            theme: self.theme,
                            plain: false,
                        };
                        sub.wrap(cell, &[], &[]);
                        sub.out.lines
                    })
                    .collect()
            })
            .collect();
        let wrapped = laid.iter().any(|row| row.iter().any(|c| c.len() > 1));
        for (r, row) in laid.iter().enumerate() {
            // The header is always ruled off; body rows only when a cell
            // wrapped, so the eye can tell the rows apart.
            if r == 1 || (r > 1 && wrapped) {
                push_rule(self, rest, rule("├", "┼", "┤"));
            }
            let height = row.iter().map(Vec::len).max().unwrap_or(1).max(1);
            for k in 0..height {
                let mut spans = rest.to_vec();
                for (c, cell) in row.iter().enumerate() {
                    spans.push(Span::styled(if c == 0 { "│ " } else { " │ " }, border));
                    let line = cell.get(k).cloned().unwrap_or_default();
                    let gap = widths[c].saturating_sub(line.width());
                    let (left, right) = match aligns.get(c) {
                        Some(Alignment::Right) => (gap, 0),
                        Some(Alignment::Center) => (gap / 2, gap - gap / 2),
                        _ => (0, gap),
                    };
                    if left > 0 {
                        spans.push(Span::raw(" ".repeat(left)));
                    }
                    spans.extend(line.spans);
                    if right > 0 {
                        spans.push(Span::raw(" ".repeat(right)));
                    }
                }
                spans.push(Span::styled(" │", border));
                self.out.lines.push(Line::from(spans));
            }
        }
        push_rule(self, rest, rule("└", "┴", "┘"));
    }

    /// Greedy word wrap of styled pieces, by display width.
    fn wrap(&mut self, pieces: &[(String, Style)], first: &Prefix, rest: &Prefix) {
        let tokens = tokenize(pieces);
        let mut line: Vec<Span<'static>> = first.to_vec();
        let mut start = prefix_width(first);
        let mut col = start;
        let mut space = false;
        let width = self.width;
        let flush = |line: &mut Vec<Span<'static>>, out: &mut Vec<Line<'static>>| {
            out.push(Line::from(std::mem::take(line)));
        };
        for tok in tokens {
            match tok {
                Token::Newline => {
                    flush(&mut line, &mut self.out.lines);
                    line = rest.to_vec();
                    start = prefix_width(rest);
                    col = start;
                    space = false;
                }
                Token::Space => space = col > start,
                Token::Word(word) => {
                    let ww: usize = word.iter().map(|(t, _)| t.width()).sum();
                    let need = ww + usize::from(space);
                    if col > start && col + need > width {
                        flush(&mut line, &mut self.out.lines);
                        line = rest.to_vec();
                        start = prefix_width(rest);
                        col = start;
                        space = false;
                    }
                    if space {
                        line.push(Span::raw(" "));
                        col += 1;
                        space = false;
                    }
                    for (text, style) in word {
                        let mut buf = String::new();
                        for ch in text.chars() {
                            let cw = ch.width().unwrap_or(0);
                            if col + cw > width && col > start {
                                if !buf.is_empty() {
                                    line.push(Span::styled(std::mem::take(&mut buf), style));
                                }
                                flush(&mut line, &mut self.out.lines);
                                line = rest.to_vec();
                                start = prefix_width(rest);
                                col = start;
                            }
                            buf.push(ch);
                            col += cw;
                        }
                        if !buf.is_empty() {
                            line.push(Span::styled(buf, style));
                        }
                    }
                }
            }
        }
        flush(&mut line, &mut self.out.lines);
    }
}

fn tokenize(pieces: &[(String, Style)]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word: Word = Vec::new();
    for (text, style) in pieces {
        let mut buf = String::new();
        for ch in text.chars() {
            if ch == '\n' || ch == ' ' || ch == '\t' {
                if !buf.is_empty() {
                    word.push((std::mem::take(&mut buf), *style));
                }
                if !word.is_empty() {
                    out.push(Token::Word(std::mem::take(&mut word)));
                }
                out.push(if ch == '\n' {
                    Token::Newline
                } else {
                    Token::Space
                });
            } else {
                buf.push(ch);
            }
        }
        if !buf.is_empty() {
            word.push((buf, *style));
        }
    }
    if !word.is_empty() {
        out.push(Token::Word(word));
    }
    out
}

/// Cut styled spans into lines of at most `width` columns (code is not
/// word-wrapped: every character matters).
fn hard_wrap(spans: Vec<Span<'static>>, width: usize) -> Vec<Vec<Span<'static>>> {
    let mut lines = vec![Vec::new()];
    let mut col = 0;
    for span in spans {
        let mut buf = String::new();
        for ch in span.content.chars() {
            let cw = ch.width().unwrap_or(0);
            if col + cw > width && col > 0 {
                if !buf.is_empty()
                    && let Some(l) = lines.last_mut()
                {
                    l.push(Span::styled(std::mem::take(&mut buf), span.style));
                }
                lines.push(Vec::new());
                col = 0;
            }
            buf.push(ch);
            col += cw;
        }
        if !buf.is_empty()
            && let Some(l) = lines.last_mut()
        {
            l.push(Span::styled(buf, span.style));
        }
    }
    lines
}

/// Column widths that fit `avail`: narrow columns keep their natural
/// width, the rest share what is left (water filling).
fn fit_columns(natural: &[usize], avail: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= avail {
        return natural.to_vec();
    }
    let mut widths = vec![0; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = avail;
    loop {
        if open.is_empty() {
            break;
        }
        let share = (left / open.len()).max(1);
        let (fits, rest): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&c| natural[c] <= share);
        if fits.is_empty() {
            let mut extra = left.saturating_sub(share * rest.len());
            for c in rest {
                widths[c] = share + usize::from(extra > 0);
                extra = extra.saturating_sub(1);
            }
            break;
        }
        for c in fits {
            widths[c] = natural[c];
            left = left.saturating_sub(natural[c]);
        }
        open = rest;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(r: &Rendered) -> Vec<String> {
        r.lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    const DOC: &str = "# Title\n\nSome **bold** and `code`, a [link](https://k8s.io/docs).\n\n## Lists\n\n- one\n- two\n  1. nested\n- [x] done\n\n> quoted *text*\n\n| Mode | What |\n|------|-----:|\n| `Node` | kubelets |\n| RBAC | roles |\n\n```yaml\n# c\nkind: Pod  # x\nmetadata:\n  name: \"web\"\n  port: 80\n---\n```\n";

    #[test]
    fn renders_every_element() {
        let r = render(DOC, 60, &Theme::colour(), false);
        let t = text(&r);
        assert_eq!(t[0], "Title");
        assert!(
            t.contains(&"Some bold and code, a link (https://k8s.io/docs).".to_string()),
            "{t:#?}"
        );
        assert!(t.contains(&"• one".to_string()));
        assert!(t.contains(&"  1. nested".to_string()), "{t:#?}");
        assert!(t.contains(&"[x] done".to_string()));
        assert!(t.contains(&"│ quoted text".to_string()));
        assert!(t.contains(&"│ Mode │     What │".to_string()), "{t:#?}");
        assert!(t.contains(&"│ Node │ kubelets │".to_string()), "{t:#?}");
        assert!(
            t.contains(&"│ RBAC │    roles │".to_string()),
            "right-aligned: {t:#?}"
        );
        assert!(t.contains(&"┌─ yaml".to_string()));
        assert!(t.contains(&"│   name: \"web\"".to_string()));
        assert_eq!(
            r.headings
                .iter()
                .map(|h| (h.level, h.text.as_str()))
                .collect::<Vec<_>>(),
            [(1, "Title"), (2, "Lists")]
        );
        assert_eq!(t[r.headings[1].line], "Lists");
    }

    #[test]
    fn yaml_is_highlighted_by_role() {
        let th = Theme::colour();
        let spans = highlight_yaml("  name: \"web\"  # the name", &th);
        let by: Vec<(&str, Style)> = spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style))
            .collect();
        assert!(by.contains(&("name", th.yaml_key)), "{by:?}");
        assert!(by.contains(&("\"web\"", th.yaml_string)), "{by:?}");
        assert!(by.contains(&("# the name", th.yaml_comment)), "{by:?}");
        let spans = highlight_yaml("- port: 8080", &th);
        assert!(
            spans
                .iter()
                .any(|s| s.content == "8080" && s.style == th.yaml_number)
        );
        assert!(
            spans
                .iter()
                .any(|s| s.content == "- " && s.style == th.yaml_marker)
        );
        assert_eq!(highlight_yaml("---", &th)[0].style, th.yaml_marker);
        // A URL's colon is not a key.
        let spans = highlight_yaml("image: registry.k8s.io/pause:3.10", &th);
        assert_eq!(spans[0].content, "image");
        // Round trip: highlighting never changes the text.
        for l in DOC.lines() {
            let back: String = highlight_yaml(l, &th)
                .iter()
                .map(|s| s.content.as_ref())
                .collect();
            assert_eq!(back, l);
        }
    }

    #[test]
    fn korean_wraps_by_display_width() {
        let para = "네트워크폴리시는 파드 사이의 트래픽을 제어합니다. ".repeat(6);
        let r = render(&para, 40, &Theme::mono(), false);
        assert!(r.lines.len() > 3);
        for l in &r.lines {
            assert!(l.width() <= 40, "{} > 40: {l:?}", l.width());
        }
        let table = "| 이름 | 설명 |\n|---|---|\n| 파드 | 가장 작은 배포 단위이며 하나 이상의 컨테이너를 묶습니다 |\n";
        let r = render(table, 30, &Theme::mono(), false);
        let widths: Vec<usize> = r.lines.iter().map(Line::width).collect();
        assert!(
            widths.iter().all(|&w| w == widths[0]),
            "table rows align: {widths:?}\n{:#?}",
            text(&r)
        );
        assert!(widths[0] <= 30);
    }

    #[test]
    fn nothing_is_wider_than_asked() {
        let r = render(DOC, 24, &Theme::colour(), false);
        for l in &r.lines {
            assert!(l.width() <= 24, "{l:?}");
        }
    }

    #[test]
    fn plain_output_has_no_box_drawing() {
        let r = render(DOC, 60, &Theme::mono(), true);
        let t = text(&r).join("\n");
        for ch in ['│', '─', '┌', '└', '┼', '•'] {
            assert!(!t.contains(ch), "{ch} in\n{t}");
        }
        assert!(t.contains("# Title"));
        assert!(t.contains("- Mode: `Node`; What: kubelets"), "{t}");
        assert!(t.contains("Code (yaml):\n    # c"), "{t}");
        assert!(t.contains("> quoted text"), "{t}");
    }

    #[test]
    fn mono_keeps_backticks_and_sets_no_colour() {
        let r = render(DOC, 60, &Theme::mono(), false);
        let t = text(&r);
        assert!(t.iter().any(|l| l.contains("`code`")));
        for l in &r.lines {
            for s in &l.spans {
                assert_eq!((s.style.fg, s.style.bg), (None, None), "{s:?}");
            }
        }
    }

    #[test]
    fn columns_shrink_to_fit() {
        assert_eq!(fit_columns(&[5, 10], 20), [5, 10]);
        assert_eq!(fit_columns(&[5, 40, 40], 45), [5, 20, 20]);
        let w = fit_columns(&[3, 100], 30);
        assert_eq!(w, [3, 27]);
    }
}
