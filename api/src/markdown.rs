//! Markdown (CommonMark with tables and strikethrough) to sanitised HTML, and to plain text.
//! HTML in the Markdown is not executed: ammonia keeps a safe subset of tags and attributes,
//! drops scripts, event handlers and `javascript:` URLs, and marks links `rel="noopener noreferrer"`.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown to HTML that is safe to embed in a page.
pub fn to_safe_html(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options()));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&html)
        .to_string()
}

/// The text of a Markdown document without markup (for search snippets).
pub fn to_plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(value) | Event::Code(value) => text.push_str(&value),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock,
            ) => text.push(' '),
            Event::Start(Tag::Item) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_never_executed() {
        let html = to_safe_html(
            "# Titel\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)> **fett**",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(html.contains("<strong>fett</strong>"));
        assert!(html.contains("<h1>Titel</h1>"));
    }

    #[test]
    fn links_get_a_safe_rel() {
        let html = to_safe_html("[Bottrop](https://www.bottrop.de)");
        assert!(
            html.contains(r#"href="https://www.bottrop.de""#) && html.contains("noopener"),
            "{html}"
        );
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            to_plain_text("# Übergang\n\nSchule *und* Beruf\n\n- eins\n- zwei"),
            "Übergang Schule und Beruf eins zwei"
        );
    }
}
