//! The mail templates: one Markdown template per message and language (German by default,
//! English for members who chose it), rendered with minijinja into both bodies of a mail:
//! - the plain-text body is the template rendered as it is (its Markdown is light: paragraphs,
//!   lists, links in angle brackets, all readable as text);
//! - the HTML body is the same template rendered with every value Markdown-escaped, turned into
//!   HTML by the sanitising Markdown renderer and set into one HTML layout.
//!
//! A template's first line is `Subject: …`, then an empty line, then the body. Links are built
//! by the caller from `--public-url` and passed as safe values ([`link`]), so escaping leaves
//! them whole.

use minijinja::{AutoEscape, Environment, Error, Output, State, Value, context};

use crate::error::{AppError, AppResult};

/// The language of a mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    De,
    En,
}

impl Language {
    /// The language of a member's setting (`de`, `en`); German for anything else.
    pub fn from_code(code: &str) -> Language {
        if code.eq_ignore_ascii_case("en") {
            Language::En
        } else {
            Language::De
        }
    }

    /// The setting's code.
    pub fn code(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }
}

/// A rendered mail: subject and both bodies.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

macro_rules! template {
    ($kind:literal) => {
        (
            $kind,
            include_str!(concat!("../../templates/mail/", $kind, ".de.md")),
            include_str!(concat!("../../templates/mail/", $kind, ".en.md")),
        )
    };
}

/// Every template, embedded in the binary: `(kind, German, English)`.
const TEMPLATES: &[(&str, &str, &str)] = &[
    template!("verify_email"),
    template!("email_changed"),
    template!("password_reset"),
    template!("registration_confirmed"),
    template!("registration_waitlisted"),
    template!("registration_promoted"),
    template!("registration_cancelled"),
    template!("event_changed"),
    template!("event_cancelled"),
    template!("event_reminder"),
    template!("event_completed"),
    template!("forum_post"),
    template!("forum_digest"),
    template!("webhook_disabled"),
    template!("agreement_review_reminder"),
];

const LAYOUT: &str = include_str!("../../templates/mail/layout.html");

/// The loaded templates (parsed once per instance).
pub struct Templates {
    text: Environment<'static>,
    markdown: Environment<'static>,
}

/// A link for a template: passed as a safe value, so that neither renderer escapes it.
pub fn link(url: String) -> Value {
    Value::from_safe_string(url)
}

/// Writes values Markdown-escaped (every ASCII punctuation character behind a backslash), so
/// that a title or a name cannot make a link, a heading or HTML; safe values (links) go as they are.
fn markdown_formatter(out: &mut Output, _state: &mut State, value: &Value) -> Result<(), Error> {
    let text = if value.is_undefined() || value.is_none() {
        String::new()
    } else {
        value.to_string()
    };
    if value.is_safe() {
        return out.write_str(&text).map_err(Error::from);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            escaped.push('\\');
        }
        escaped.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out.write_str(&escaped).map_err(Error::from)
}

fn environment(markdown: bool) -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    if markdown {
        env.set_formatter(markdown_formatter);
    }
    for (kind, de, en) in TEMPLATES {
        env.add_template_owned(format!("{kind}.de"), *de)?;
        env.add_template_owned(format!("{kind}.en"), *en)?;
    }
    env.add_template("layout.html", LAYOUT)?;
    Ok(env)
}

impl Templates {
    /// Parses every template; a broken one stops the start.
    pub fn load() -> anyhow::Result<Templates> {
        Ok(Templates {
            text: environment(false)?,
            markdown: environment(true)?,
        })
    }

    /// Renders the template `kind` in `language` with `context`.
    pub fn render(&self, kind: &str, language: Language, context: &Value) -> AppResult<Rendered> {
        let name = format!("{kind}.{}", language.code());
        let render = |env: &Environment<'static>| {
            env.get_template(&name)
                .and_then(|template| template.render(context))
                .map_err(|error| AppError::internal(anyhow::anyhow!("rendering mail {name}: {error:#}")))
        };
        let (subject, text) = split_subject(&render(&self.text)?);
        let (_, markdown) = split_subject(&render(&self.markdown)?);
        let content = crate::markdown::to_safe_html(&markdown);
        let html = self
            .text
            .get_template("layout.html")
            .and_then(|layout| {
                layout.render(context! {
                    lang => language.code(),
                    title => &subject,
                    content => Value::from_safe_string(content),
                })
            })
            .map_err(|error| AppError::internal(anyhow::anyhow!("rendering the mail layout: {error:#}")))?;
        Ok(Rendered { subject, text, html })
    }
}

/// Splits `Subject: …` off a rendered template: the subject on one line, and the body.
fn split_subject(rendered: &str) -> (String, String) {
    let (first, rest) = rendered.split_once('\n').unwrap_or((rendered, ""));
    let subject = first.strip_prefix("Subject:").unwrap_or(first);
    let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
    (
        subject,
        rest.trim_start_matches(['\r', '\n']).trim_end().to_owned() + "\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders_and_escapes_values_in_html() {
        let templates = Templates::load().expect("templates parse");
        let context = context! {
            name => "<b>[Evil](javascript:alert(1))</b>",
            link => link("https://dkbm.example/x?token=a_b".to_owned()),
        };
        let rendered = templates
            .render("verify_email", Language::De, &context)
            .expect("renders");
        assert!(rendered.text.contains("<b>[Evil](javascript:alert(1))</b>"));
        assert!(rendered.text.contains("https://dkbm.example/x?token=a_b"));
        assert!(!rendered.html.contains("<b>"), "{}", rendered.html);
        assert!(!rendered.html.contains("href=\"javascript"), "{}", rendered.html);
        assert!(
            rendered.html.contains("href=\"https://dkbm.example/x?token=a_b\""),
            "{}",
            rendered.html
        );
        assert!(!rendered.subject.is_empty());
    }

    #[test]
    fn every_template_renders_in_both_languages_with_what_its_callers_pass() {
        let templates = Templates::load().expect("templates parse");
        let event = context! {
            title => "Fachtag", when => "1.12.2026", place => "Rathaus",
            online_url => link("https://k.example/r".into()), link => link("https://x.example/e".into()),
        };
        let thread = context! { title => "Kita-Daten", forum => "Austausch", posts => 2, link => link("https://x.example/t".into()) };
        let context = context! {
            name => "Jana", link => link("https://x.example/l".into()), new_email => "neu@example.org",
            event, position => 3, by_organiser => true, moved => true, place_changed => false, reason => "krank",
            forum => "Austausch", thread => "Kita-Daten", author => "Bernd", excerpt => "Text",
            unsubscribe => link("https://x.example/u".into()), threads => vec![thread], count => 2,
            code => "K7QX-2MPA-9RTZ", verify_link => link("https://x.example/certificates/K7QX-2MPA-9RTZ".into()),
            agency => "Bildungsbüro Bottrop", url => "https://partner.example.org/hook", since => "07.12.2026 10:00 UTC",
            error => "HTTP 500", agreement => "Zielvereinbarung Bottrop", municipality => "Bottrop",
            date => "21.12.2026", days => 14,
        };
        for (kind, _, _) in TEMPLATES {
            for language in [Language::De, Language::En] {
                let rendered = templates.render(kind, language, &context).expect(kind);
                assert!(!rendered.subject.is_empty() && rendered.text.contains("Jana"), "{kind}");
                assert!(rendered.html.contains("Jana"), "{kind}");
            }
        }
    }
}
