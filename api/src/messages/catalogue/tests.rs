//! The catalogue is complete: both languages, the same placeholders.

use std::collections::BTreeSet;

use super::MessageKey;
use crate::messages::Locale;

/// The `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

#[test]
fn every_message_has_both_texts_with_the_same_placeholders() {
    for key in MessageKey::ALL {
        let (english, german) = (key.text(Locale::En), key.text(Locale::De));
        assert!(!english.trim().is_empty() && !german.trim().is_empty(), "{key:?}");
        assert_eq!(placeholders(english), placeholders(german), "{key:?}");
        for name in placeholders(english) {
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{key:?}: placeholder {{{name}}}"
            );
        }
    }
}

#[test]
fn german_texts_are_german() {
    let untranslated: Vec<&MessageKey> = MessageKey::ALL
        .iter()
        .filter(|key| key.text(Locale::En) == key.text(Locale::De) && **key != MessageKey::PasswordAdvice)
        .collect();
    assert!(
        untranslated.is_empty(),
        "the same text in both languages: {untranslated:?}"
    );
}
