//! What makes a portal's settings valid: its origins and its scope, resolved from slugs to ids
//! (one statement per dimension, whatever the number of values).

use std::collections::HashSet;

use dkbm_entity::{EventFormat, State, agency, forum};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::directory::service::require_topics;
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, ForumId, TopicId};
use crate::messages::{Message, MessageKey};
use crate::portals::service::Scope;

/// The most origins one portal may name.
pub const MAX_ORIGINS: usize = 20;
/// The most values of one scope dimension.
pub const MAX_SCOPE_VALUES: usize = 50;

/// A scope as a client writes it: slugs, not ids.
#[derive(Debug, Clone, Default)]
pub struct ScopeInput {
    pub states: Vec<State>,
    /// Topic slugs.
    pub topics: Vec<String>,
    /// Agency slugs.
    pub agencies: Vec<String>,
    pub formats: Vec<EventFormat>,
    /// Forum slugs.
    pub forums: Vec<String>,
}

fn at_most(field: &str, count: usize, max: usize) -> AppResult<()> {
    if count > max {
        return Err(AppError::bad_input(
            field,
            Message::new(MessageKey::AtMostEntries).with("max", max),
        ));
    }
    Ok(())
}

/// One origin, normalised to `scheme://host[:port]` in lower case; nothing else allowed.
fn origin(field: &str, value: &str) -> AppResult<String> {
    let invalid = || AppError::bad_input(field, Message::new(MessageKey::NotAnOrigin).with("field", field));
    let value = value.trim();
    let url = url::Url::parse(value).map_err(|_| invalid())?;
    let bare = url.username().is_empty()
        && url.password().is_none()
        && matches!(url.path(), "" | "/")
        && url.query().is_none()
        && url.fragment().is_none()
        && !value.ends_with('/');
    if !bare || !matches!(url.scheme(), "http" | "https") {
        return Err(invalid());
    }
    let origin = url.origin();
    if !origin.is_tuple() {
        return Err(invalid());
    }
    Ok(origin.ascii_serialization().to_ascii_lowercase())
}

/// The origins, checked, normalised and without repeats.
pub fn origins(field: &str, values: &[String]) -> AppResult<Vec<String>> {
    at_most(field, values.len(), MAX_ORIGINS)?;
    let mut seen = HashSet::new();
    let mut origins = Vec::new();
    for (index, value) in values.iter().enumerate() {
        let origin = origin(&format!("{field}.{index}"), value)?;
        if seen.insert(origin.clone()) {
            origins.push(origin);
        }
    }
    Ok(origins)
}

fn dedup<T: Ord + Clone>(values: &[T]) -> Vec<T> {
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    values
}

/// The scope with its slugs resolved; an unknown slug is BAD_USER_INPUT on its field.
pub async fn resolve_scope(db: &impl ConnectionTrait, field: &str, input: &ScopeInput) -> AppResult<Scope> {
    for (name, count) in [
        ("states", input.states.len()),
        ("topics", input.topics.len()),
        ("agencies", input.agencies.len()),
        ("formats", input.formats.len()),
        ("forums", input.forums.len()),
    ] {
        at_most(&format!("{field}.{name}"), count, MAX_SCOPE_VALUES)?;
    }
    let topics = if input.topics.is_empty() {
        Vec::new()
    } else {
        require_topics(db, &format!("{field}.topics"), &input.topics).await?
    };
    let agencies = dedup(&input.agencies);
    let agency_rows = if agencies.is_empty() {
        Vec::new()
    } else {
        agency::Entity::find()
            .filter(agency::Column::Slug.is_in(agencies.clone()))
            .all(db)
            .await?
    };
    if let Some(missing) = agencies
        .iter()
        .find(|slug| !agency_rows.iter().any(|a| &&a.slug == slug))
    {
        return Err(AppError::bad_input(
            format!("{field}.agencies"),
            Message::new(MessageKey::NoSuchAgency).with("slug", missing),
        ));
    }
    let forums = dedup(&input.forums);
    let forum_rows = if forums.is_empty() {
        Vec::new()
    } else {
        forum::Entity::find()
            .filter(forum::Column::Slug.is_in(forums.clone()))
            .all(db)
            .await?
    };
    if let Some(missing) = forums.iter().find(|slug| !forum_rows.iter().any(|f| &&f.slug == slug)) {
        return Err(AppError::bad_input(
            format!("{field}.forums"),
            Message::new(MessageKey::NoSuchForumSlug).with("slug", missing),
        ));
    }
    let mut formats = input.formats.clone();
    formats.dedup();
    Ok(Scope {
        states: dedup(&input.states),
        topic_ids: dedup(&topics.iter().map(|t| TopicId::from(t.id)).collect::<Vec<_>>()),
        agency_ids: dedup(&agency_rows.iter().map(|a| AgencyId::from(a.id)).collect::<Vec<_>>()),
        formats,
        forum_ids: dedup(&forum_rows.iter().map(|f| ForumId::from(f.id)).collect::<Vec<_>>()),
    })
}

#[cfg(test)]
mod tests {
    use super::origins;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        let ok = origins("o", &["https://WWW.Example.de".into(), "http://localhost:5173".into()]).expect("valid");
        assert_eq!(ok, vec!["https://www.example.de", "http://localhost:5173"]);
        for bad in [
            "https://x.de/",
            "https://x.de/path",
            "ftp://x.de",
            "x.de",
            "https://u:p@x.de",
            "*",
        ] {
            assert!(origins("o", &[bad.into()]).is_err(), "{bad}");
        }
    }
}
