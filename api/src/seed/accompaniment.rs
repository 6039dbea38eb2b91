//! The demo accompaniment: the Transferagentur NRW accompanying the Stadt Bottrop under their
//! Zielvereinbarung, with the request, three goals (two measured by demo indicators), four
//! activities and one submitted review; and two demo members with the roles to see it (a
//! Bildungsbüro member with MUNICIPAL_STAFF for Bottrop, an EDITOR of the Transferagentur).
//! Their passwords are random: to look around as one of them, ask for a password reset; the
//! mail lands in the mail folder. Loaded through the services; a second load adds nothing.

use chrono::{Duration, NaiveDate};
use dkbm_entity::{ActivityKind, AgreementKind, AgreementStatus, GoalStatus, Role, agreement, agreement_goal};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::accompaniment::service::{
    AgreementChanges, Assessment, GoalDraft, NewActivity, NewGoal, ReviewInput, add_goal, record_activity,
    submit_review, update_agreement,
};
use crate::auth::{MemberViewer, Viewer};
use crate::db::{Writer, now};
use crate::directory::service::{municipality_by_ags, require_agency};
use crate::error::AppResult;
use crate::events::service::event_by_slug;
use crate::ids::{AgreementId, GoalId, MemberId};
use crate::members::service::{RoleChange, SignUp, create_member, grant_role, grants_of, member_by_email, new_secret};

const BOTTROP: &str = "05512000";

const REQUEST: &str = "Die Stadt Bottrop möchte ihr Bildungsmonitoring zu einer Steuerungsgrundlage ausbauen: \
Übergänge von der Kita in die Schule und von der Schule in den Beruf sollen mit Daten beobachtet und in \
der Bildungskonferenz gemeinsam bewertet werden.\n\n\
- Welche Kennzahlen zeigen, wo Kinder und Jugendliche verloren gehen?\n\
- Wie werden die Ämter und freien Träger an der Auswertung beteiligt?";

/// A demo member with a grant, created where they do not exist yet; as a viewer.
async fn member(
    writer: &Writer,
    (email, name): (&str, &str),
    change: impl Fn(MemberId) -> RoleChange,
) -> AppResult<Viewer> {
    let member = match member_by_email(writer.conn(), email).await? {
        Some(member) => member,
        None => {
            let input = SignUp {
                email: email.into(),
                password: new_secret(),
                display_name: name.into(),
                municipality_ags: None,
                agency_slug: None,
                language: Some("de".into()),
            };
            create_member(writer, &input, true).await?
        }
    };
    grant_role(writer, &Viewer::Operator, change(member.id.into())).await?;
    let grants = grants_of(writer.conn(), member.id.into()).await?;
    Ok(Viewer::Member(MemberViewer {
        id: member.id,
        session_id: uuid::Uuid::nil(),
        grants,
    }))
}

fn goal(agreement: AgreementId, title: &str, topic: &str, measure: Option<(&str, i32, f64)>) -> NewGoal {
    NewGoal {
        agreement_id: agreement,
        draft: GoalDraft {
            title: title.into(),
            description: None,
            topic: Some(topic.into()),
            indicator_code: measure.map(|m| m.0.into()),
            baseline_year: measure.map(|m| m.1),
            target_value: measure.map(|m| m.2),
            target_year: measure.map(|_| 2027),
        },
    }
}

fn activity(agreement: AgreementId, kind: ActivityKind, on: NaiveDate, title: &str, goals: Vec<GoalId>) -> NewActivity {
    NewActivity {
        agreement_id: agreement,
        kind,
        occurred_on: on,
        title: title.into(),
        notes: None,
        goal_ids: goals,
        training_event_id: None,
        participant_ids: Vec::new(),
    }
}

/// Loads the demo accompaniment; returns how many records it created (0 when it is there).
pub async fn demo_accompaniment(writer: &Writer) -> AppResult<usize> {
    let db = writer.conn();
    let (Some(bottrop), Ok(agency)) = (
        municipality_by_ags(db, BOTTROP).await?,
        require_agency(db, "agencySlug", "transferagentur-nrw").await,
    ) else {
        return Ok(0);
    };
    let Some(agreement) = agreement::Entity::find()
        .filter(agreement::Column::Kind.eq(AgreementKind::TargetAgreement))
        .filter(agreement::Column::AgencyId.eq(agency.id))
        .filter(agreement::Column::MunicipalityId.eq(bottrop.id))
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let known = agreement_goal::Entity::find()
        .filter(agreement_goal::Column::AgreementId.eq(agreement.id))
        .one(db)
        .await?;
    if known.is_some() {
        return Ok(0);
    }
    let id = AgreementId::from(agreement.id);
    let staff = member(writer, ("sabine.kruse@demo.example.org", "Sabine Kruse"), |member_id| {
        RoleChange {
            member_id,
            role: Some(Role::MunicipalStaff),
            agency_slug: None,
            municipality_ags: Some(BOTTROP.into()),
        }
    })
    .await?;
    let editor = member(
        writer,
        ("daniel.hoffmann@demo.example.org", "Daniel Hoffmann"),
        |member_id| RoleChange {
            member_id,
            role: Some(Role::Editor),
            agency_slug: Some(agency.slug.clone()),
            municipality_ags: None,
        },
    )
    .await?;
    let today = now().date_naive();
    let next_review = today + Duration::days(45);
    let changes = AgreementChanges {
        signed_on: Some(NaiveDate::from_ymd_opt(2023, 3, 15)),
        status: Some(AgreementStatus::Active),
        request: Some(Some(REQUEST.into())),
        next_review_on: Some(Some(next_review)),
        ..AgreementChanges::default()
    };
    update_agreement(writer, &Viewer::Operator, id, changes).await?;
    let goals = [
        goal(
            id,
            "Weniger Jugendliche verlassen die Schule ohne Abschluss",
            "transition-school-work",
            Some(("SCHULAB_OHNE", 2019, 5.5)),
        ),
        goal(
            id,
            "Mehr Kinder unter drei Jahren in Kindertagesbetreuung",
            "early-education",
            Some(("BETREUUNG_U3", 2019, 35.0)),
        ),
        goal(
            id,
            "Bildungsmonitoring als kommunale Daueraufgabe verankern",
            "education-monitoring",
            None,
        ),
    ];
    let mut goal_ids = Vec::new();
    for (index, input) in goals.into_iter().enumerate() {
        let by = if index == 2 { &editor } else { &staff };
        goal_ids.push(GoalId::from(add_goal(writer, by, input).await?.id));
    }
    let mut workshop = activity(
        id,
        ActivityKind::Workshop,
        today - Duration::days(40),
        "Werkstatt: Übergänge datenbasiert beobachten",
        goal_ids.clone(),
    );
    workshop.training_event_id = event_by_slug(db, "werkstatt-bildungsmonitoring")
        .await?
        .map(|e| e.id.into());
    for (by, input) in [
        (
            &editor,
            activity(
                id,
                ActivityKind::Clarification,
                NaiveDate::from_ymd_opt(2023, 4, 12).unwrap_or(today),
                "Auftragsklärung mit dem Bildungsbüro",
                Vec::new(),
            ),
        ),
        (
            &staff,
            activity(
                id,
                ActivityKind::Analysis,
                NaiveDate::from_ymd_opt(2023, 6, 20).unwrap_or(today),
                "Analyse der Schulstatistik 2019–2022",
                vec![goal_ids[0]],
            ),
        ),
        (
            &editor,
            activity(
                id,
                ActivityKind::Consultation,
                today - Duration::days(90),
                "Strategieberatung zur Bildungskonferenz",
                vec![goal_ids[2]],
            ),
        ),
        (&editor, workshop),
    ] {
        record_activity(writer, by, input).await?;
    }
    let review = ReviewInput {
        agreement_id: id,
        held_on: today - Duration::days(30),
        reflection: "Die Kennzahlen zum Übergang Schule–Beruf werden jährlich in der Bildungskonferenz \
                     besprochen. Der Ausbau der U3-Betreuung kommt voran; die Verstetigung des \
                     Monitorings hängt an der Stellenplanung 2026."
            .into(),
        goals: vec![
            Assessment {
                goal_id: goal_ids[0],
                status: GoalStatus::OnTrack,
                note: None,
            },
            Assessment {
                goal_id: goal_ids[1],
                status: GoalStatus::OnTrack,
                note: None,
            },
            Assessment {
                goal_id: goal_ids[2],
                status: GoalStatus::AtRisk,
                note: Some("Stelle bisher befristet.".into()),
            },
        ],
        next_review_on: Some(next_review),
        conclude: false,
    };
    submit_review(writer, &editor, review).await?;
    // Two members, the agreement's process, three goals, four activities, one review.
    Ok(11)
}
