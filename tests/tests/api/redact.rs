//! Redactions for whole-response snapshots: what differs from run to run and between SQLite
//! and PostgreSQL (ids, timestamps, cursors, generated slug suffixes) is replaced by its kind,
//! after checking that it has that kind's shape, so a redaction never hides a wrong value.

use insta::dynamic_redaction;
use insta::internals::{Content, Redaction};

fn text(value: &Content, path: &str) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{path} is not a string: {value:?}"))
        .to_owned()
}

/// A global id (base64 of `Type:uuid`): `[Type id]`, so the snapshot still shows what the id
/// is of.
pub fn id() -> Redaction {
    dynamic_redaction(|value, path| {
        let path = path.to_string();
        let id = text(&value, &path);
        let (kind, _) =
            dkbm_hub::graphql::node::decode(&id).unwrap_or_else(|| panic!("{path}: {id:?} is not a global id"));
        format!("[{kind} id]")
    })
}

/// An RFC 3339 timestamp.
pub fn timestamp() -> Redaction {
    dynamic_redaction(|value, path| {
        let path = path.to_string();
        let at = text(&value, &path);
        chrono::DateTime::parse_from_rfc3339(&at)
            .unwrap_or_else(|error| panic!("{path}: {at:?} is not RFC 3339: {error}"));
        "[timestamp]"
    })
}

/// An opaque cursor: a non-empty string.
pub fn cursor() -> Redaction {
    dynamic_redaction(|value, path| {
        let path = path.to_string();
        assert!(!text(&value, &path).is_empty(), "{path}: an empty cursor");
        "[cursor]"
    })
}

/// A string that starts with `prefix` and goes on with a generated part (an event's slug,
/// its calendar URL): the generated part is redacted.
pub fn generated_after(prefix: &'static str) -> Redaction {
    dynamic_redaction(move |value, path| {
        let path = path.to_string();
        let whole = text(&value, &path);
        assert!(
            whole.starts_with(prefix) && whole.len() > prefix.len(),
            "{path}: {whole:?} does not continue {prefix:?}"
        );
        format!("{prefix}[generated]")
    })
}
