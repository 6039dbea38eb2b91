//! What the API says to people, in English and German, from one catalogue
//! ([`catalogue`]): a [`Message`] is a catalogue [`MessageKey`] with named arguments, rendered in the
//! [`Locale`] the request asked for (`Accept-Language`, read once where the request enters:
//! HTTP or the WebSocket upgrade). Errors carry their `Message`; English is their `Display`, and
//! the schema's extension renders them again in the request's locale before the response leaves.

mod catalogue;
mod locale;
mod password;

use std::fmt;

pub use catalogue::MessageKey;
pub use locale::Locale;
pub use password::password_feedback;

/// A catalogue message with its arguments, rendered late (when the locale is known).
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    key: MessageKey,
    args: Vec<(&'static str, Arg)>,
}

/// The value of one `{name}` placeholder.
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    /// Language-neutral text: a field path, a number, a slug someone typed.
    Text(String),
    /// Messages rendered in the same locale, joined by a space.
    Messages(Vec<Message>),
}

impl Message {
    /// The message `key` without arguments (add them with [`Message::with`]).
    pub fn new(key: MessageKey) -> Self {
        Message { key, args: Vec::new() }
    }

    /// Sets the placeholder `{name}` to a language-neutral value.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Sets the placeholder `{name}` to other messages, rendered in the same locale.
    #[must_use]
    pub fn with_messages(mut self, name: &'static str, messages: Vec<Message>) -> Self {
        self.args.push((name, Arg::Messages(messages)));
        self
    }

    /// The catalogue key.
    pub fn key(&self) -> MessageKey {
        self.key
    }

    /// The text in `locale`, placeholders filled in. A placeholder without an argument stays as
    /// written (the catalogue test makes sure every text has the same placeholders in both
    /// languages).
    pub fn render(&self, locale: Locale) -> String {
        let template = self.key.text(locale);
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                rest = &rest[open..];
                break;
            };
            let name = &after[..close];
            match self.args.iter().find(|(arg, _)| *arg == name) {
                Some((_, Arg::Text(text))) => out.push_str(text),
                Some((_, Arg::Messages(messages))) => {
                    let rendered: Vec<String> = messages.iter().map(|message| message.render(locale)).collect();
                    out.push_str(&rendered.join(" "));
                }
                None => out.push_str(&rest[open..open + close + 2]),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

impl From<MessageKey> for Message {
    fn from(key: MessageKey) -> Self {
        Message::new(key)
    }
}

/// English, the default language of the API (logs, exports, clients without a preference).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Locale::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_in_the_requested_language() {
        let message = Message::new(MessageKey::TooLong)
            .with("field", "input.title")
            .with("length", 301)
            .with("max", 300);
        assert_eq!(
            message.to_string(),
            "input.title is 301 characters long; at most 300 are allowed"
        );
        assert_eq!(
            message.render(Locale::De),
            "input.title ist 301 Zeichen lang; höchstens 300 sind erlaubt"
        );
    }

    #[test]
    fn a_missing_argument_stays_visible() {
        assert_eq!(
            Message::new(MessageKey::NotEmpty).to_string(),
            "{field} must not be empty"
        );
    }
}
