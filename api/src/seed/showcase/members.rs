//! Four invented members who write in the showcase's forums. Forum posts need a verified member
//! as their author, so the operator creates them as verified accounts with a random password
//! nobody knows (they cannot sign in) and with forum mail switched off (their addresses are
//! under example.org).

use dkbm_entity::{ForumMail, member};

use crate::auth::{MemberViewer, Viewer};
use crate::db::Writer;
use crate::directory::service::municipality_by_ags;
use crate::error::AppResult;
use crate::ids::MemberId;
use crate::members::service::{
    NotificationChanges, SignUp, create_member, grants_of, member_by_email, new_secret, update_notification_settings,
};

/// One entry of [`MEMBERS`].
type Entry = (&'static str, &'static str, Option<&'static str>, Option<&'static str>);

/// (email, display name, municipality AGS, agency slug)
const MEMBERS: [Entry; 4] = [
    (
        "miriam.albrecht@demo.example.org",
        "Miriam Albrecht",
        Some("14713000"),
        None,
    ),
    ("jonas.petersen@demo.example.org", "Jonas Petersen", Some("01058"), None),
    ("aylin.demir@demo.example.org", "Aylin Demir", Some("06412000"), None),
    (
        "thomas.berger@demo.example.org",
        "Thomas Berger",
        None,
        Some("transferagentur-mitteldeutschland"),
    ),
];

/// The demo members as viewers, in the order of [`MEMBERS`], and how many were created now.
pub(super) struct DemoMembers {
    pub viewers: Vec<Viewer>,
    pub created: usize,
}

/// The member acting in this process (no session: the viewer never leaves the seed).
async fn viewer_of(writer: &Writer, member: &member::Model) -> AppResult<Viewer> {
    let grants = grants_of(writer.conn(), MemberId::from(member.id)).await?;
    Ok(Viewer::Member(MemberViewer {
        id: member.id,
        session_id: uuid::Uuid::nil(),
        grants,
    }))
}

/// A new verified account with forum mail and event reminders off.
async fn create(writer: &Writer, (email, name, ags, agency): Entry) -> AppResult<member::Model> {
    // Without the districts on the map (`--no-base-places`) the member has no municipality.
    let municipality = match ags {
        Some(ags) => municipality_by_ags(writer.conn(), ags).await?.map(|_| ags.to_owned()),
        None => None,
    };
    let input = SignUp {
        email: email.into(),
        password: new_secret(),
        display_name: name.into(),
        municipality_ags: municipality,
        agency_slug: agency.map(Into::into),
        language: Some("de".into()),
    };
    let member = create_member(writer, &input, true).await?;
    let quiet = NotificationChanges {
        forum_mail: Some(ForumMail::Off),
        event_reminders: Some(false),
    };
    update_notification_settings(writer, &viewer_of(writer, &member).await?, quiet).await?;
    Ok(member)
}

/// The demo members, created where they do not exist yet.
pub(super) async fn ensure_members(writer: &Writer) -> AppResult<DemoMembers> {
    let mut members = DemoMembers {
        viewers: Vec::new(),
        created: 0,
    };
    for entry in MEMBERS {
        let member = match member_by_email(writer.conn(), entry.0).await? {
            Some(member) => member,
            None => {
                members.created += 1;
                create(writer, entry).await?
            }
        };
        members.viewers.push(viewer_of(writer, &member).await?);
    }
    Ok(members)
}
