//! The macro that defines the catalogue's keys and texts.

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
