//! The accompaniment of a municipality under a Zielvereinbarung, through the public API: the
//! agency's staff and the municipality's MUNICIPAL_STAFF work in it (request, goals with
//! progress by the municipality's indicators, activities, reviews, timeline); everyone else
//! sees what an agreement without it shows (`accompaniment/access.rs`); reviews and the
//! drafted practice (`accompaniment/reviews.rs`); the reminder before a review across two
//! instances (`accompaniment/reminders.rs`).

mod access;
mod reminders;
mod reviews;

use dkbm_tests::{Role, Session, TestServer, assert_bad_input, data, error_with_code, str_at};
use serde_json::{Value, json};

use crate::indicators::import;

/// Gelsenkirchen: the accompanied municipality of the tests.
pub const GELSENKIRCHEN: &str = "05513000";

pub const AGREEMENT: &str =
    "query ($id: ID!) { node(id: $id) { ... on Agreement { id title status version request nextReviewOn
  goals { id title status droppedReason baselineYear targetValue targetYear progress progressNote chartUrl
          baseline { year value } latest { year value } indicator { code } topic { slug } }
  activities { id title kind occurredOn trainingEvent { slug } goals { title } participants { id } recordedBy { id } }
  reviews { id status reflection nextReviewOn goals { status note goal { title } } }
  timeline(first: 50) { totalCount nodes { action subject by { id } } } } } }";
pub const UPDATE: &str =
    "mutation ($id: ID!, $input: UpdateAgreementInput!) { updateAgreement(id: $id, input: $input) {
  status version request nextReviewOn } }";
pub const ADD_GOAL: &str = "mutation ($input: AddAgreementGoalInput!) { addAgreementGoal(input: $input) {
  id title status progress progressNote baseline { year value } latest { year value } } }";
pub const RECORD: &str = "mutation ($input: RecordAgreementActivityInput!) { recordAgreementActivity(input: $input) {
  id title trainingEvent { slug } goals { title } participants { id } } }";

/// The people of an accompaniment and those outside it.
pub struct Workspace {
    pub server: TestServer,
    pub agreement: String,
    /// An EDITOR of the accompanying agency.
    pub editor: Session,
    /// Its AGENCY_ADMIN.
    pub agency_admin: Session,
    /// MUNICIPAL_STAFF of the accompanied municipality.
    pub staff: Session,
    /// MUNICIPAL_STAFF of another municipality.
    pub other_staff: Session,
    /// An EDITOR of another agency.
    pub other_editor: Session,
}

/// Grants MUNICIPAL_STAFF for `ags` as `by` (or the operator); the response.
pub async fn grant_staff(server: &TestServer, by: Option<&Session>, member: &Session, ags: Option<&str>) -> Value {
    let query =
        "mutation ($input: GrantRoleInput!) { grantRole(input: $input) { id roles { role municipality { ags } } } }";
    let input = json!({ "input": { "memberId": member.member_id, "role": "MUNICIPAL_STAFF", "municipalityAgs": ags } });
    match by {
        Some(by) => server.gql_as(by, query, input).await,
        None => server.gql_admin(query, input).await,
    }
}

/// The demo data, an agency accompanying Gelsenkirchen under a target agreement, and its people.
pub async fn workspace() -> Workspace {
    let server = TestServer::start().await;
    server.seed_demo().await;
    data(
        &server
            .gql_admin(
                "mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { id } }",
                json!({ "input": { "slug": "begleitagentur-ruhr", "name": "Begleitagentur Ruhr", "kind": "TRANSFER_AGENCY" } }),
            )
            .await,
    );
    let created = server
        .gql_admin(
            "mutation ($input: CreateAgreementInput!) { createAgreement(input: $input) { id status } }",
            json!({ "input": { "kind": "TARGET_AGREEMENT", "title": "Zielvereinbarung Gelsenkirchen",
                    "agencySlug": "begleitagentur-ruhr", "municipalityAgs": GELSENKIRCHEN } }),
        )
        .await;
    assert_eq!(
        data(&created)["createAgreement"]["status"],
        "PLANNED",
        "unsigned: planned"
    );
    let agreement = str_at(data(&created), "/createAgreement/id").to_owned();
    let editor = server
        .member_with_role("beraterin@begleitagentur.de", Role::Editor, Some("begleitagentur-ruhr"))
        .await;
    let agency_admin = server
        .member_with_role(
            "leitung@begleitagentur.de",
            Role::AgencyAdmin,
            Some("begleitagentur-ruhr"),
        )
        .await;
    let staff = server.sign_up("bildungsbuero@gelsenkirchen.de").await;
    // The accompanying agency's administrator grants the municipality's staff their role.
    data(&grant_staff(&server, Some(&agency_admin), &staff, Some(GELSENKIRCHEN)).await);
    let me = server
        .gql_as(&staff, "{ me { roles { role municipality { ags } } } }", json!({}))
        .await;
    assert!(
        data(&me)["me"]["roles"].as_array().is_some_and(|roles| roles
            .iter()
            .any(|r| r["role"] == "MUNICIPAL_STAFF" && r["municipality"]["ags"] == GELSENKIRCHEN)),
        "{me}"
    );
    let other_staff = server.sign_up("bildungsbuero@bottrop.de").await;
    data(&grant_staff(&server, None, &other_staff, Some("05512000")).await);
    let other_editor = server
        .member_with_role("redaktion@andere-agentur.de", Role::Editor, Some("transferagentur-nrw"))
        .await;
    Workspace {
        server,
        agreement,
        editor,
        agency_admin,
        staff,
        other_staff,
        other_editor,
    }
}

impl Workspace {
    /// The agreement as `viewer` (or anonymous) sees it.
    pub async fn agreement_as(&self, viewer: Option<&Session>) -> Value {
        let token = viewer.map(|s| s.access_token.as_str());
        let response = self
            .server
            .gql_with(token, AGREEMENT, json!({ "id": self.agreement }))
            .await;
        data(&response)["node"].clone()
    }

    /// Adds a goal as `by`; the payload.
    pub async fn add_goal(&self, by: &Session, input: Value) -> Value {
        let mut input = input;
        input["agreementId"] = json!(self.agreement);
        let response = self.server.gql_as(by, ADD_GOAL, json!({ "input": input })).await;
        data(&response)["addAgreementGoal"].clone()
    }

    /// Changes the agreement as `by`; the response.
    pub async fn update(&self, by: &Session, input: Value) -> Value {
        self.server
            .gql_as(by, UPDATE, json!({ "id": self.agreement, "input": input }))
            .await
    }
}

/// A goal measured by the share of school leavers without a certificate (lower is better):
/// Gelsenkirchen's demo values are 9,0 % in 2019 and 9,8 % in 2022 (2023 is a special sign).
pub fn school_goal() -> Value {
    json!({ "title": "Weniger Jugendliche ohne Abschluss", "topic": "transition-school-work",
            "indicatorCode": "SCHULAB_OHNE", "baselineYear": 2019, "targetValue": 7.0, "targetYear": 2027 })
}

#[tokio::test]
async fn both_sides_work_in_the_accompaniment_with_versions_and_a_timeline() {
    let w = workspace().await;
    // The municipality's staff write the request; the agency's staff set the status.
    let response = w
        .update(
            &w.staff,
            json!({ "request": "Übergänge **datenbasiert** begleiten", "expectedVersion": 1 }),
        )
        .await;
    assert_eq!(data(&response)["updateAgreement"]["version"], 2);
    error_with_code(&w.update(&w.staff, json!({ "status": "ACTIVE" })).await, "FORBIDDEN");
    error_with_code(&w.update(&w.staff, json!({ "title": "Neu" })).await, "FORBIDDEN");
    let stale = w
        .update(&w.editor, json!({ "status": "ACTIVE", "expectedVersion": 1 }))
        .await;
    assert_eq!(
        error_with_code(&stale, "CONFLICT")["extensions"]["currentVersion"],
        2,
        "{stale}"
    );
    let active = w
        .update(
            &w.editor,
            json!({ "status": "ACTIVE", "nextReviewOn": "2027-03-01", "expectedVersion": 2 }),
        )
        .await;
    assert_eq!(data(&active)["updateAgreement"]["status"], "ACTIVE");
    let nothing = w.update(&w.staff, json!({ "expectedVersion": 3 })).await;
    assert_eq!(
        data(&nothing)["updateAgreement"]["version"],
        3,
        "nothing changed, the version stays"
    );

    // Goals from both sides: one measured (worse since the baseline: below 0), one not.
    let measured = w.add_goal(&w.staff, school_goal()).await;
    assert_eq!(measured["baseline"], json!({ "year": 2019, "value": 9.0 }));
    assert_eq!(measured["latest"], json!({ "year": 2022, "value": 9.8 }));
    assert_eq!(
        measured["progress"],
        json!(-0.4),
        "(9,8 − 9,0) / (7,0 − 9,0), lower is better"
    );
    let plain = w
        .add_goal(
            &w.editor,
            json!({ "title": "Bildungskonferenz jährlich", "topic": "education-monitoring" }),
        )
        .await;
    assert_eq!(plain["progress"], Value::Null);
    assert!(plain["progressNote"].as_str().is_some_and(|n| !n.is_empty()), "{plain}");

    // An activity held as a training event, towards the measured goal, with the staff member.
    let input = json!({ "agreementId": w.agreement, "kind": "WORKSHOP", "occurredOn": "2026-11-20",
        "title": "Werkstatt Übergänge", "goalIds": [measured["id"]], "participantIds": [w.staff.member_id],
        "trainingEventId": event_id(&w.server, "werkstatt-bildungsmonitoring").await });
    let recorded = w.server.gql_as(&w.editor, RECORD, json!({ "input": input })).await;
    let activity = &data(&recorded)["recordAgreementActivity"];
    assert_eq!(activity["trainingEvent"]["slug"], "werkstatt-bildungsmonitoring");
    assert_eq!(activity["goals"][0]["title"], "Weniger Jugendliche ohne Abschluss");

    // Both sides see all of it, with the timeline of who did what.
    for viewer in [&w.staff, &w.editor, &w.agency_admin] {
        let seen = w.agreement_as(Some(viewer)).await;
        assert_eq!(seen["request"], "Übergänge **datenbasiert** begleiten");
        assert_eq!(seen["nextReviewOn"], "2027-03-01");
        assert_eq!(seen["goals"].as_array().map(Vec::len), Some(2), "{seen}");
        assert_eq!(
            seen["activities"][0]["trainingEvent"]["slug"],
            "werkstatt-bildungsmonitoring"
        );
        assert_eq!(seen["activities"][0]["participants"][0]["id"], json!(w.staff.member_id));
        let actions: Vec<&str> = seen["timeline"]["nodes"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(
            actions,
            [
                "ACTIVITY_RECORDED",
                "GOAL_ADDED",
                "GOAL_ADDED",
                "STATUS_CHANGED",
                "UPDATED",
                "UPDATED"
            ]
        );
        assert_eq!(seen["timeline"]["nodes"][4]["by"]["id"], json!(w.editor.member_id));
        assert_eq!(seen["timeline"]["nodes"][5]["by"]["id"], json!(w.staff.member_id));
    }

    // A goal is changed by either side and dropped with a reason; it stays in the record.
    let update = "mutation ($input: UpdateAgreementGoalInput!) { updateAgreementGoal(input: $input) { title targetValue progress } }";
    let changed = w
        .server
        .gql_as(
            &w.staff,
            update,
            json!({ "input": { "id": measured["id"], "targetValue": 8.2 } }),
        )
        .await;
    assert_eq!(
        data(&changed)["updateAgreementGoal"]["progress"],
        json!(-1.0),
        "(9,8 − 9,0) / (8,2 − 9,0)"
    );
    let drop = "mutation ($id: ID!, $reason: String!) { dropAgreementGoal(id: $id, reason: $reason) { status droppedReason } }";
    let dropped = w
        .server
        .gql_as(
            &w.editor,
            drop,
            json!({ "id": plain["id"], "reason": "im Ziel 1 aufgegangen" }),
        )
        .await;
    assert_eq!(data(&dropped)["dropAgreementGoal"]["status"], "DROPPED");
    let again = w
        .server
        .gql_as(
            &w.staff,
            update,
            json!({ "input": { "id": plain["id"], "title": "x" } }),
        )
        .await;
    error_with_code(&again, "CONFLICT");
    let seen = w.agreement_as(Some(&w.staff)).await;
    assert_eq!(seen["goals"][1]["status"], "DROPPED");
    assert_eq!(seen["goals"][1]["droppedReason"], "im Ziel 1 aufgegangen");
}

/// The global id of a demo event.
pub async fn event_id(server: &TestServer, slug: &str) -> String {
    let response = server
        .gql(
            "query ($s: String!) { trainingEvent(slug: $s) { id } }",
            json!({ "s": slug }),
        )
        .await;
    str_at(data(&response), "/trainingEvent/id").to_owned()
}

#[tokio::test]
async fn progress_follows_a_new_indicator_import_at_once() {
    let w = workspace().await;
    let goal = w.add_goal(&w.editor, school_goal()).await;
    assert_eq!(goal["progress"], json!(-0.4));
    let childcare = w
        .add_goal(
            &w.staff,
            json!({ "title": "Mehr U3-Betreuung", "indicatorCode": "BETREUUNG_U3",
            "baselineYear": 2019, "targetValue": 31.6, "targetYear": 2028 }),
        )
        .await;
    assert_eq!(
        childcare["progress"],
        json!(0.33),
        "(24,9 − 21,6) / (31,6 − 21,6), higher is better"
    );
    let report = import(
        &w.server,
        &format!("ags;year;code;value\n{GELSENKIRCHEN};2024;SCHULAB_OHNE;8,0\n"),
    )
    .await;
    assert_eq!(report["created"], 1, "{report}");
    let seen = w.agreement_as(Some(&w.staff)).await;
    assert_eq!(seen["goals"][0]["latest"], json!({ "year": 2024, "value": 8.0 }));
    assert_eq!(seen["goals"][0]["progress"], json!(0.5), "(8,0 − 9,0) / (7,0 − 9,0)");
    // Without a value in the baseline year: null, and the note says why (in the asked language).
    let early = w
        .add_goal(
            &w.staff,
            json!({ "title": "Früh", "indicatorCode": "SCHULAB_OHNE", "baselineYear": 2010, "targetValue": 5.0 }),
        )
        .await;
    assert_eq!(early["progress"], Value::Null);
    assert!(str_at(&early, "/progressNote").contains("2010"), "{early}");
}

#[tokio::test]
async fn bad_goal_and_activity_input_is_refused_precisely_and_writes_nothing() {
    let w = workspace().await;
    let goal = w.add_goal(&w.staff, school_goal()).await;
    let cases = [
        (
            "input.indicatorCode",
            json!({ "title": "x", "indicatorCode": "GIBT_ES_NICHT" }),
        ),
        (
            "input.topic",
            json!({ "title": "x", "topic": "'; DROP TABLE agreement_goal; --" }),
        ),
        (
            "input.targetYear",
            json!({ "title": "x", "baselineYear": 2020, "targetYear": 2019 }),
        ),
        ("input.baselineYear", json!({ "title": "x", "baselineYear": 20_000 })),
        ("input.title", json!({ "title": "   " })),
        ("input.title", json!({ "title": "zwei\nZeilen" })),
        ("input.title", json!({ "title": "x".repeat(301) })),
        (
            "input.description",
            json!({ "title": "x", "description": "y".repeat(10_001) }),
        ),
    ];
    for (field, input) in cases {
        let mut input = input;
        input["agreementId"] = json!(w.agreement);
        assert_bad_input(
            &w.server.gql_as(&w.staff, ADD_GOAL, json!({ "input": input })).await,
            field,
        );
    }
    let wrong_kind = json!({ "agreementId": goal["id"], "title": "x" });
    assert_bad_input(
        &w.server
            .gql_as(&w.staff, ADD_GOAL, json!({ "input": wrong_kind }))
            .await,
        "input.agreementId",
    );
    let activity = |change: &dyn Fn(&mut Value)| {
        let mut input =
            json!({ "agreementId": w.agreement, "kind": "ANALYSIS", "occurredOn": "2026-10-01", "title": "Analyse" });
        change(&mut input);
        json!({ "input": input })
    };
    for (field, change) in [
        (
            "input.goalIds[1]",
            Box::new(|i: &mut Value| i["goalIds"] = json!([goal["id"], goal["id"]])) as Box<dyn Fn(&mut Value)>,
        ),
        (
            "input.participantIds[0]",
            Box::new(|i: &mut Value| i["participantIds"] = json!([w.agreement])),
        ),
        (
            "input.trainingEventId",
            Box::new(|i: &mut Value| i["trainingEventId"] = json!(w.agreement)),
        ),
        (
            "input.notes",
            Box::new(|i: &mut Value| i["notes"] = json!("n".repeat(20_001))),
        ),
    ] {
        assert_bad_input(&w.server.gql_as(&w.editor, RECORD, activity(&*change)).await, field);
    }
    let seen = w.agreement_as(Some(&w.staff)).await;
    assert_eq!(
        seen["goals"].as_array().map(Vec::len),
        Some(1),
        "nothing written: {seen}"
    );
    assert_eq!(seen["activities"], json!([]));
    assert_eq!(seen["timeline"]["totalCount"], 1, "only the first goal");
}

#[tokio::test]
async fn the_demo_has_one_accompaniment_in_full() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    // A second load adds nothing.
    server.seed_demo().await;
    let query = "{ municipality(ags: \"05512000\") { agreements { kind status request
      goals { title indicator { code } progress } activities { kind trainingEvent { slug } } reviews { status }
      timeline { totalCount } } } }";
    let response = server.gql_admin(query, json!({})).await;
    let agreement = data(&response)["municipality"]["agreements"]
        .as_array()
        .and_then(|all| all.iter().find(|a| a["kind"] == "TARGET_AGREEMENT"))
        .cloned()
        .expect("Bottrop's Zielvereinbarung");
    assert_eq!(agreement["status"], "ACTIVE");
    assert!(str_at(&agreement, "/request").contains("Bildungsmonitoring"));
    let goals = agreement["goals"].as_array().expect("goals");
    assert_eq!(goals.len(), 3);
    assert_eq!(
        goals
            .iter()
            .filter(|g| g["indicator"].is_object() && g["progress"].is_number())
            .count(),
        2,
        "{agreement}"
    );
    assert_eq!(agreement["activities"].as_array().map(Vec::len), Some(4));
    assert!(agreement["activities"].as_array().is_some_and(|a| {
        a.iter()
            .any(|a| a["trainingEvent"]["slug"] == "werkstatt-bildungsmonitoring")
    }));
    assert_eq!(agreement["reviews"], json!([{ "status": "SUBMITTED" }]));
    // The public sees the agreement, not the accompaniment.
    let public = server.gql(query, json!({})).await;
    let public = data(&public)["municipality"]["agreements"]
        .as_array()
        .and_then(|all| all.iter().find(|a| a["kind"] == "TARGET_AGREEMENT"))
        .cloned()
        .expect("public agreement");
    assert_eq!(
        (public["request"].clone(), public["goals"].clone()),
        (Value::Null, json!([]))
    );
}
