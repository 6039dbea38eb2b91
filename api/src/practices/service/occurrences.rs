//! What a practice's change tells the webhooks: `practice.changed` with the practice's id, its
//! agency, status and version, and — when the feed shows the change — the feed's operation and
//! `cursor` (a receiver that missed deliveries pages the feed from there). A change the feed
//! shows (a published practice, or one that stopped being published) goes to every agency's
//! endpoints; a draft's only to its own agency's.

use std::collections::HashMap;

use dkbm_entity::{good_practice, practice_change};
use sea_orm::ActiveEnum;
use serde_json::json;
use uuid::Uuid;

use super::change_cursor;
use crate::db::UnitOfWork;
use crate::ids::{AgencyId, PracticeId};
use crate::realtime::webhooks::{Audience, Occurrence, Topic, node};

/// Emits one occurrence per change; `entries` are the feed entries the changes recorded.
pub fn emit(
    work: &UnitOfWork,
    changes: &[(&good_practice::Model, Option<&good_practice::Model>)],
    entries: &[practice_change::Model],
) {
    let entries: HashMap<Uuid, &practice_change::Model> =
        entries.iter().map(|entry| (entry.practice_id, entry)).collect();
    for (after, _) in changes {
        let entry = entries.get(&after.id).copied();
        let agency = AgencyId::from(after.owner_agency_id);
        let audience = if entry.is_some() {
            Audience::Everyone
        } else {
            Audience::Agency(agency)
        };
        let data = json!({
            "id": node(PracticeId::from(after.id)),
            "agencyId": node(agency),
            "slug": after.slug,
            "status": after.status.to_value(),
            "version": after.version,
            "operation": entry.map(|entry| entry.operation.clone()),
            "cursor": entry.map(|entry| change_cursor(entry.seq)),
        });
        work.emit(Occurrence::new(Topic::PracticeChanged, audience, data));
    }
}
