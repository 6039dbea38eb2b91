//! German text analysis, the same on every backend: the server turns text into terms
//! (folded as in [`crate::text::fold`], so case and umlauts do not matter and "Boerde" equals
//! "Börde"; stemmed with the Snowball German stemmer, so "Übergänge" meets "Übergang" and
//! "Schulen" meets "Schule"; common stop words dropped) and both SQLite FTS5 and PostgreSQL's
//! tsvector index and match those terms. Snippets with highlighted hits are made here too.

use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::fold;

/// At most this many terms of a field are indexed (PostgreSQL keeps positions up to 16,383;
/// both backends index the same).
pub const MAX_FIELD_TERMS: usize = 16_000;
/// At most this many words or phrases of a query are used.
pub const MAX_QUERY_UNITS: usize = 8;

const STOP_WORDS: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "und", "oder", "aber",
    "in", "im", "ins", "an", "am", "auf", "aus", "bei", "mit", "nach", "von", "vom", "zu", "zum", "zur", "fur", "uber",
    "unter", "um", "als", "auch", "es", "ist", "sind", "war", "wird", "werden", "wurde", "sich", "sie", "er", "wir",
    "ihr", "ich", "du", "nicht", "noch", "so", "wie", "was", "dass", "da", "hat", "haben", "sein", "seine", "ihre",
    "dies", "diese", "dieser", "dieses", "durch", "bis", "vor", "nur", "man", "the", "and", "of", "to", "for",
];

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::German))
}

fn stop_words() -> &'static HashSet<String> {
    static WORDS: OnceLock<HashSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| STOP_WORDS.iter().map(|word| fold(word)).collect())
}

/// The search term of one (already folded) word, or `None` for a stop word.
fn term_of_folded(word: &str) -> Option<String> {
    if word.is_empty() || stop_words().contains(word) {
        return None;
    }
    Some(stemmer().stem(word).into_owned())
}

/// The search terms of a text, in order.
pub fn terms(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(term_of_folded)
        .take(MAX_FIELD_TERMS)
        .collect()
}

/// The terms of a text joined by spaces: what the index stores.
pub fn indexed(text: &str) -> String {
    terms(text).join(" ")
}

/// A parsed search: words and quoted phrases, each a list of terms; all must match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    /// A unit of one term is a word; of several, a phrase (the terms in this order).
    pub units: Vec<Vec<String>>,
}

impl SearchQuery {
    /// Parses user input: `"…"` marks a phrase; everything else are words.
    pub fn parse(input: &str) -> SearchQuery {
        let mut units = Vec::new();
        for (index, part) in input.split('"').enumerate() {
            let part_terms = terms(part);
            if index % 2 == 1 {
                if !part_terms.is_empty() {
                    units.push(part_terms);
                }
            } else {
                units.extend(part_terms.into_iter().map(|term| vec![term]));
            }
        }
        let mut seen = HashSet::new();
        units.retain(|unit| seen.insert(unit.clone()));
        units.truncate(MAX_QUERY_UNITS);
        SearchQuery { units }
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Every term of the query.
    pub fn all_terms(&self) -> HashSet<&str> {
        self.units.iter().flatten().map(String::as_str).collect()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The text with every word that matches a query term wrapped in `<mark>…</mark>` (HTML-escaped).
pub fn highlight(text: &str, query: &SearchQuery) -> String {
    snippet_of(text, query, usize::MAX)
}

/// A window of about `words` words of `text` where the query's terms are densest, matches
/// wrapped in `<mark>…</mark>`, HTML-escaped, with "…" where the text was cut.
pub fn snippet(text: &str, query: &SearchQuery, words: usize) -> String {
    snippet_of(text, query, words)
}

fn snippet_of(text: &str, query: &SearchQuery, window: usize) -> String {
    let wanted = query.all_terms();
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let hits: Vec<bool> = tokens
        .iter()
        .map(|token| {
            fold(token)
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter_map(term_of_folded)
                .any(|term| wanted.contains(term.as_str()))
        })
        .collect();
    let window = window.min(tokens.len());
    // The window with the most hits (the first such one).
    let mut best_start = 0;
    if window < tokens.len() {
        let mut count: usize = hits[..window].iter().filter(|hit| **hit).count();
        let mut best = count;
        for start in 1..=tokens.len() - window {
            count = count + usize::from(hits[start + window - 1]) - usize::from(hits[start - 1]);
            if count > best {
                best = count;
                best_start = start;
            }
        }
    }
    let mut out = String::new();
    if best_start > 0 {
        out.push_str("… ");
    }
    for (index, token) in tokens.iter().enumerate().skip(best_start).take(window) {
        if index > best_start {
            out.push(' ');
        }
        if hits[index] {
            out.push_str("<mark>");
            out.push_str(&escape(token));
            out.push_str("</mark>");
        } else {
            out.push_str(&escape(token));
        }
    }
    if best_start + window < tokens.len() {
        out.push_str(" …");
    }
    out
}

/// The condition "every word and phrase of the query occurs in `column`", for a column holding
/// search terms ([`indexed`]) padded with a space at each end (` term term `). The terms are
/// `[a-z0-9]+`, so they hold no LIKE wildcards.
pub fn padded_terms_match(column: impl sea_orm::ColumnTrait, query: &SearchQuery) -> sea_orm::sea_query::Condition {
    query
        .units
        .iter()
        .fold(sea_orm::sea_query::Condition::all(), |all, unit| {
            all.add(column.like(format!("% {} %", unit.join(" "))))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_and_spellings_meet() {
        assert_eq!(terms("Übergänge"), terms("Übergang"));
        assert_eq!(terms("Schulen"), terms("Schule"));
        assert_eq!(terms("Börde"), terms("Boerde"));
        assert_eq!(terms("BÖRDE"), terms("Borde"));
        assert_eq!(terms("die Kinder und der Kita"), vec!["kind", "kita"]);
    }

    #[test]
    fn queries_have_words_and_phrases() {
        let query = SearchQuery::parse(r#"Übergänge "Schule und Beruf" Bottrop"#);
        assert_eq!(
            query.units,
            vec![
                vec!["ubergang".to_owned()],
                vec!["schul".to_owned(), "beruf".to_owned()],
                vec!["bottrop".to_owned()]
            ]
        );
        assert!(SearchQuery::parse("  und der  ").is_empty());
    }

    #[test]
    fn snippets_mark_hits_and_escape() {
        let query = SearchQuery::parse("Schulen");
        let text = "Ein Projekt <b>für</b> alle Schule in Bottrop und die Schulen im Umland";
        assert_eq!(
            highlight(text, &query),
            "Ein Projekt &lt;b&gt;für&lt;/b&gt; alle <mark>Schule</mark> in Bottrop und die <mark>Schulen</mark> im Umland"
        );
        let long = format!("{} Schule {}", "wort ".repeat(50), "wort ".repeat(50));
        let cut = snippet(&long, &query, 10);
        assert!(
            cut.starts_with("… ") && cut.ends_with(" …") && cut.contains("<mark>Schule</mark>"),
            "{cut}"
        );
    }
}
