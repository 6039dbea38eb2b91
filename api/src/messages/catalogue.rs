//! The message catalogue: every text the API shows a person, keyed, in English and German, with
//! `{name}` placeholders for the arguments. A new message is a new line pair here; the test
//! below checks that both texts of every key are there and name the same placeholders.
//!
//! Field paths (`input.title`), slugs, numbers and enum values are arguments and stay as sent:
//! they are the API's words, not the language's.

/// Defines [`MessageKey`] and its texts from `Key: "English" / "Deutsch";` entries.
macro_rules! catalogue {
    ($($key:ident: $en:literal / $de:literal;)*) => {
        /// A message of the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum MessageKey {
            $($key,)*
        }

        impl MessageKey {
            /// Every key of the catalogue.
            #[cfg(test)]
            pub const ALL: &[MessageKey] = &[$(MessageKey::$key,)*];

            /// The text of this message in `locale`, with its `{name}` placeholders.
            pub fn text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((MessageKey::$key, Locale::En) => $en, (MessageKey::$key, Locale::De) => $de,)*
                }
            }
        }
    };
}

#[macro_use]
mod collaboration;
mod entries;

pub use entries::MessageKey;

#[cfg(test)]
mod tests;
