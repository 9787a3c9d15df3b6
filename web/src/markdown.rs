//! The small Markdown subset lesson texts use, turned into elements (never into HTML text, so
//! a lesson cannot inject markup): paragraphs separated by blank lines, `- ` bullet lists
//! (an indented line continues the item), `` `code` ``, `**strong**` and `*emphasis*`.
//! Anything else is shown as written.

use leptos::prelude::*;

/// One block of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    List(Vec<String>),
}

/// A piece of inline text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    Emphasis(String),
}

/// The blocks of `text`.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for chunk in text.split("\n\n").map(str::trim_end).filter(|c| !c.trim().is_empty()) {
        if chunk.trim_start().starts_with("- ") {
            let mut items: Vec<String> = Vec::new();
            for line in chunk.lines() {
                match (line.trim_start().strip_prefix("- "), items.last_mut()) {
                    (Some(item), _) => items.push(item.trim().to_string()),
                    (None, Some(last)) => {
                        last.push(' ');
                        last.push_str(line.trim());
                    }
                    (None, None) => items.push(line.trim().to_string()),
                }
            }
            out.push(Block::List(items));
        } else {
            out.push(Block::Paragraph(chunk.lines().map(str::trim).collect::<Vec<_>>().join(" ")));
        }
    }
    out
}

/// The inline pieces of `text`; an unclosed marker is kept as text.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let marker = if rest.starts_with("**") {
            Some(("**", Inline::Strong as fn(String) -> Inline))
        } else if c == '`' {
            Some(("`", Inline::Code as fn(String) -> Inline))
        } else if c == '*' {
            Some(("*", Inline::Emphasis as fn(String) -> Inline))
        } else {
            None
        };
        if let Some((marker, make)) = marker {
            let after = &rest[marker.len()..];
            if let Some(end) = after.find(marker).filter(|&end| end > 0) {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(make(after[..end].to_string()));
                rest = &after[end + marker.len()..];
                continue;
            }
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

fn inline_view(text: &str) -> impl IntoView {
    inlines(text)
        .into_iter()
        .map(|piece| match piece {
            Inline::Text(t) => t.into_any(),
            Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
            Inline::Strong(t) => view! { <strong>{t}</strong> }.into_any(),
            Inline::Emphasis(t) => view! { <em>{t}</em> }.into_any(),
        })
        .collect_view()
}

/// `text` rendered.
#[component]
pub fn Markdown(text: String) -> impl IntoView {
    blocks(&text)
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(p) => view! { <p>{inline_view(&p)}</p> }.into_any(),
            Block::List(items) => {
                view! { <ul>{items.iter().map(|i| view! { <li>{inline_view(i)}</li> }).collect_view()}</ul> }.into_any()
            }
        })
        .collect_view()
}
