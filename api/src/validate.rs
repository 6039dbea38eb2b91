//! Checks of single input values, shared by every area. Each returns the cleaned value or a
//! BAD_USER_INPUT error naming the field.

use crate::error::{AppError, AppResult};
use crate::messages::{Message, MessageKey};

/// Whether `value` holds a control character that text input may not carry: U+0000–U+001F
/// other than tab, line feed and carriage return, and U+007F. The one rule for every text input
/// on both backends (PostgreSQL cannot store NUL at all; SQLite would store it).
pub fn has_forbidden_control(value: &str) -> bool {
    value
        .chars()
        .any(|c| (c < '\u{20}' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}')
}

/// The BAD_USER_INPUT of a text with a forbidden control character.
pub fn control_character(field: &str) -> AppError {
    AppError::bad_input(field, Message::new(MessageKey::ControlCharacter).with("field", field))
}

/// A name or title: one line (no line break, tab or other control character: it goes into mail
/// headers and calendar lines), trimmed, not empty, at most `max` characters.
pub fn one_line(field: &str, value: &str, max: usize) -> AppResult<String> {
    if value.trim().chars().any(char::is_control) || value.contains(['\u{2028}', '\u{2029}']) {
        return Err(AppError::bad_input(
            field,
            Message::new(MessageKey::OneLine).with("field", field),
        ));
    }
    required_text(field, value, max)
}

/// `text` as one line: each control character (line breaks included) a space. For what goes
/// into a header from text stored before names and titles had to be one line.
pub fn folded(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// A required single-line text: trimmed, not empty, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::bad_input(
            field,
            Message::new(MessageKey::NotEmpty).with("field", field),
        ));
    }
    max_chars(field, value, max)?;
    Ok(value.to_owned())
}

/// An optional text: trimmed; empty becomes `None`; at most `max` characters.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => {
            max_chars(field, value, max)?;
            Ok(Some(value.to_owned()))
        }
    }
}

/// Rejects text longer than `max` characters.
pub fn max_chars(field: &str, value: &str, max: usize) -> AppResult<()> {
    let length = value.chars().count();
    if length > max {
        let message = Message::new(MessageKey::TooLong)
            .with("field", field)
            .with("length", length)
            .with("max", max);
        return Err(AppError::bad_input(field, message));
    }
    Ok(())
}

/// An optional absolute http(s) URL.
pub fn optional_url(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    let Some(value) = optional_text(field, value, 2000)? else {
        return Ok(None);
    };
    match url::Url::parse(&value) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {
            Ok(Some(parsed.to_string()))
        }
        _ => Err(AppError::bad_input(
            field,
            Message::new(MessageKey::NotHttpUrl).with("field", field),
        )),
    }
}

/// An email address, trimmed and lower-cased: one `@`, a local part, a domain with a dot, no
/// spaces, at most 254 characters.
pub fn email(field: &str, value: &str) -> AppResult<String> {
    let email = value.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if !valid {
        return Err(AppError::bad_input(
            field,
            Message::new(MessageKey::NotEmail).with("field", field),
        ));
    }
    Ok(email)
}

/// A slug: 2 to 100 characters of lower-case ASCII letters, digits and single hyphens.
pub fn slug(field: &str, value: &str) -> AppResult<String> {
    let value = value.trim();
    let valid = (2..=100).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--");
    if !valid {
        return Err(AppError::bad_input(
            field,
            Message::new(MessageKey::NotSlug).with("field", field),
        ));
    }
    Ok(value.to_owned())
}

/// A period whose end is not before its start.
pub fn period(field: &str, starts: Option<chrono::NaiveDate>, ends: Option<chrono::NaiveDate>) -> AppResult<()> {
    if let (Some(starts), Some(ends)) = (starts, ends)
        && ends < starts
    {
        let message = Message::new(MessageKey::PeriodReversed)
            .with("ends", ends)
            .with("starts", starts);
        return Err(AppError::bad_input(field, message));
    }
    Ok(())
}

/// The rule for control characters in text input (see `graphql/text_input.rs`), for the path
/// and query parameters of plain HTTP routes: the first named text holding one is
/// BAD_USER_INPUT on its name.
pub fn check_texts(texts: &[(&str, Option<&str>)]) -> Result<(), AppError> {
    match texts.iter().find(|(_, text)| text.is_some_and(has_forbidden_control)) {
        Some((field, _)) => Err(control_character(field)),
        None => Ok(()),
    }
}

/// The `Content-Security-Policy` of a file served for download or display (charts, calendars,
/// exports): nothing it holds may run or load anything; inline styles of an SVG may apply.
pub const NO_SCRIPT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(slug("slug", "stadt-bottrop").is_ok());
        assert!(slug("slug", "Stadt").is_err());
        assert!(slug("slug", "a--b").is_err());
        assert!(slug("slug", "-a").is_err());
        assert!(slug("slug", "a").is_err());
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            email("email", "  Elisa.Czernik@Bottrop.DE ").ok().as_deref(),
            Some("elisa.czernik@bottrop.de")
        );
        for bad in [
            "", "no-at.de", "a@b", "a b@c.de", "a@@c.de", "@c.de", "a@.de", "a@c..de",
        ] {
            assert!(email("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert!(optional_url("website", Some("https://www.bottrop.de")).is_ok());
        assert!(optional_url("website", Some("javascript:alert(1)")).is_err());
        assert!(optional_url("website", Some("bottrop.de")).is_err());
        assert_eq!(optional_url("website", Some("  ")).ok(), Some(None));
    }

    #[test]
    fn text_limits_count_characters() {
        assert!(required_text("name", &"ä".repeat(300), 300).is_ok());
        assert!(required_text("name", &"ä".repeat(301), 300).is_err());
        assert!(required_text("name", "   ", 300).is_err());
    }
}
