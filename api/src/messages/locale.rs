//! The language of a request, from its `Accept-Language` header (RFC 9110 §12.5.4). Only two
//! languages are spoken, so choosing is a maximum over the header's entries; a crate for full
//! language negotiation would add more than it saves.

/// A language the API speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// English: the default.
    #[default]
    En,
    /// German.
    De,
}

impl Locale {
    /// The language the header prefers among those spoken: the entry with the highest weight
    /// (`q`, 1 when absent; the first of equal weights) whose primary tag is `de` or `en`.
    /// Entries with `q=0`, other languages and `*` do not count; no header, or none counting,
    /// is English.
    pub fn from_accept_language(header: Option<&str>) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for entry in header.unwrap_or_default().split(',') {
            let mut parts = entry.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let primary = tag.split('-').next().unwrap_or_default();
            let locale = if primary.eq_ignore_ascii_case("de") {
                Locale::De
            } else if primary.eq_ignore_ascii_case("en") {
                Locale::En
            } else {
                continue;
            };
            let Some(weight) = weight(parts) else { continue };
            if weight > 0.0 && best.is_none_or(|(highest, _)| weight > highest) {
                best = Some((weight, locale));
            }
        }
        best.map_or_else(Locale::default, |(_, locale)| locale)
    }
}

/// The `q` parameter among an entry's parameters: 1 when absent, `None` when malformed.
fn weight<'a>(parameters: impl Iterator<Item = &'a str>) -> Option<f32> {
    for parameter in parameters {
        let (name, value) = parameter.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("q") {
            let weight: f32 = value.trim().parse().ok()?;
            return (0.0..=1.0).contains(&weight).then_some(weight);
        }
    }
    Some(1.0)
}

#[cfg(test)]
mod tests {
    use super::Locale::{self, De, En};

    #[test]
    fn the_preferred_spoken_language_wins() {
        let cases = [
            (None, En),
            (Some(""), En),
            (Some("de-DE,de;q=0.9,en;q=0.8"), De),
            (Some("en-US,de;q=0.5"), En),
            (Some("de"), De),
            (Some("DE-at"), De),
            (Some("fr-FR,fr;q=0.9,de;q=0.5"), De),
            (Some("en;q=0.4, de;q=0.7"), De),
            (Some("de;q=0,en"), En),
            (Some("de;q=0"), En),
            (Some("*"), En),
            (Some("de;q=abc,en;q=0.1"), En),
            (Some("en,de"), En),
            (Some("de , en"), De),
        ];
        for (header, expected) in cases {
            assert_eq!(Locale::from_accept_language(header), expected, "{header:?}");
        }
    }
}
