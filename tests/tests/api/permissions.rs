//! Who may do what: every mutation of the schema, tried by every kind of viewer. A mutation
//! added to the schema without a row here fails `every_mutation_of_the_schema_has_a_row`.

use std::collections::BTreeSet;

use dkbm_tests::{PASSWORD, Role, TestServer, data, strings_at};
use serde_json::{Value, json};

mod accompaniment;
mod documents;
mod webhooks;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Passes authorization: no error, or only one of the case's tolerated codes (an input
    /// error its deliberately dummy input provokes).
    Allowed,
    Forbidden,
    Unauthenticated,
    /// NOT_FOUND: what the viewer may not see does not exist for them.
    NotFound,
}
use Expect::{Allowed as A, Forbidden as F, Unauthenticated as U};

const ACTORS: [&str; 7] = [
    "anonymous",
    "member",
    "editor of A",
    "editor of B",
    "agency admin of A",
    "moderator",
    "admin",
];

/// Admin-only, as the directory's mutations are.
const ADMIN_ONLY: [Expect; 7] = [U, F, F, F, F, F, A];
/// The agency's administrators.
const AGENCY_ADMIN: [Expect; 7] = [U, F, F, F, A, F, A];
/// Editors of agency A (and its agency admin, and administrators).
const EDITORS_OF_A: [Expect; 7] = [U, F, A, F, A, F, A];
/// Any signed-in member.
const MEMBERS: [Expect; 7] = [U, A, A, A, A, A, A];
/// Platform moderators and administrators.
const MODERATORS: [Expect; 7] = [U, F, F, F, F, A, A];
/// Only the author (actor "member").
const AUTHOR: [Expect; 7] = [U, A, F, F, F, F, F];
/// The author (actor "member") and moderators.
const AUTHOR_OR_MODERATORS: [Expect; 7] = [U, A, F, F, F, A, A];
/// Anyone.
const PUBLIC: [Expect; 7] = [A, A, A, A, A, A, A];

struct Case {
    mutation: &'static str,
    expect: [Expect; 7],
    /// The document and variables for actor `i`.
    request: Box<dyn Fn(usize) -> (String, Value)>,
    /// Error codes (other than UNAUTHENTICATED and FORBIDDEN) that still count as allowed: what
    /// the case's dummy input provokes once authorization has passed, and why.
    tolerated: (&'static [&'static str], &'static str),
}

fn case(mutation: &'static str, expect: [Expect; 7], request: impl Fn(usize) -> (String, Value) + 'static) -> Case {
    Case {
        mutation,
        expect,
        request: Box::new(request),
        tolerated: (&[], "every allowed call succeeds"),
    }
}

impl Case {
    /// Allowed may also answer one of `codes`, because of the dummy input `why` (never
    /// INTERNAL_SERVER_ERROR).
    fn tolerating(mut self, codes: &'static [&'static str], why: &'static str) -> Case {
        assert!(
            !codes.contains(&"INTERNAL_SERVER_ERROR"),
            "{}: an internal error is never allowed",
            self.mutation
        );
        self.tolerated = (codes, why);
        self
    }
}

/// What a response says about authorization: Allowed (no error, or a tolerated code),
/// Forbidden, Unauthenticated, or the error code nobody expected (an internal error, say).
fn outcome(response: &Value, tolerated: &[&str]) -> Result<Expect, String> {
    let Some(error) = response.get("errors").and_then(|errors| errors.get(0)) else {
        return Ok(A);
    };
    match error["extensions"]["code"].as_str() {
        Some("UNAUTHENTICATED") => Ok(U),
        Some("FORBIDDEN") => Ok(F),
        Some(code) if tolerated.contains(&code) => Ok(A),
        Some("NOT_FOUND") => Ok(Expect::NotFound),
        Some(code) => Err(code.to_owned()),
        None => Err("an error without a code".to_owned()),
    }
}

/// The demo data, a member for each kind of viewer and something of each kind to act on;
/// the viewers' tokens in the order of [`ACTORS`] and the table of every mutation.
async fn the_table(server: &TestServer) -> (Vec<Option<String>>, Vec<Case>) {
    server.seed_demo().await;
    let member = server.sign_up("member@bottrop.de").await;
    let editor_a = server
        .member_with_role("editor-a@bottrop.de", Role::Editor, Some("transferagentur-nrw"))
        .await;
    let editor_b = server
        .member_with_role("editor-b@bottrop.de", Role::Editor, Some("ruhrfutur"))
        .await;
    let agency_admin = server
        .member_with_role("admin-a@bottrop.de", Role::AgencyAdmin, Some("transferagentur-nrw"))
        .await;
    let moderator = server
        .member_with_role("moderator@bottrop.de", Role::Moderator, None)
        .await;
    let admin = server.member_with_role("admin@bottrop.de", Role::Admin, None).await;
    let tokens: Vec<Option<String>> = std::iter::once(None)
        .chain(
            [&member, &editor_a, &editor_b, &agency_admin, &moderator, &admin]
                .iter()
                .map(|s| Some(s.access_token.clone())),
        )
        .collect();
    let target = server.sign_up("target@bottrop.de").await;
    // Refresh tokens to spend, one per actor and mutation.
    let mut spare = Vec::new();
    for _ in 0..14 {
        spare.push(server.log_in_session("target@bottrop.de", PASSWORD).await.refresh_token);
    }

    let ids = data(
        &server
            .gql(
                r#"{ ruhrfutur: agency(slug: "ruhrfutur") { id }
                     bottrop: municipality(ags: "05512000") { id programmes { id } agreements { id } }
                     programme(slug: "bildungskommunen") { id } }"#,
                json!({}),
            )
            .await,
    )
    .clone();
    let client = data(
        &server
            .gql_as(
                &admin,
                "mutation { createApiClient(input: {agencySlug: \"transferagentur-nrw\", name: \"Sync\"}) { id } }",
                json!({}),
            )
            .await,
    )["createApiClient"]["id"]
        .clone();
    let public_key = {
        let key = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
        ed25519_dalek::pkcs8::EncodePublicKey::to_public_key_pem(
            &key.verifying_key(),
            ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF,
        )
        .expect("pem")
    };
    let key_id = data(
        &server
            .gql_as(
                &admin,
                "mutation ($input: AddApiKeyInput!) { addApiKey(input: $input) { id } }",
                json!({ "input": { "clientId": client, "kid": "shared", "publicKeyPem": public_key } }),
            )
            .await,
    )["addApiKey"]["id"]
        .clone();

    let event_of_a = data(
        &server
            .gql(
                "{ trainingEvent(slug: \"werkstatt-bildungsmonitoring\") { id } }",
                json!({}),
            )
            .await,
    )["trainingEvent"]["id"]
        .clone();
    let registration_of_member = data(
        &server
            .gql_as(
                &member,
                "mutation ($id: ID!) { registerForEvent(eventId: $id) { id } }",
                json!({ "id": event_of_a }),
            )
            .await,
    )["registerForEvent"]["id"]
        .clone();
    // Quotas of A's event: the last for updating, one per actor for removing.
    let mut quotas_of_a = Vec::new();
    for n in 0..8 {
        let input = json!({ "eventId": event_of_a, "name": format!("Kontingent {n}"), "seatsTotal": 1, "municipalityAgs": ["05512000"] });
        let added = server
            .gql_as(
                &admin,
                "mutation ($input: AddEventQuotaInput!) { addEventQuota(input: $input) { id } }",
                json!({ "input": input }),
            )
            .await;
        quotas_of_a.push(data(&added)["addEventQuota"]["id"].clone());
    }
    let forum = data(
        &server
            .gql_as(
                &moderator,
                "mutation { createForum(input: {slug: \"rechte-austausch\", title: \"Austausch\", visibility: PUBLIC}) { id } }",
                json!({}),
            )
            .await,
    )["createForum"]["id"]
        .clone();
    let thread = data(
        &server
            .gql_as(
                &member,
                "mutation ($f: ID!) { startThread(input: {forumId: $f, title: \"Frage\", body: \"Text\"}) { id posts { nodes { id } } } }",
                json!({ "f": forum }),
            )
            .await,
    )["startThread"]
        .clone();
    let post_of_member = thread["posts"]["nodes"][0]["id"].clone();
    let thread = thread["id"].clone();
    let practice_of_a = data(
        &server
            .gql_as(
                &admin,
                "mutation ($input: CreateGoodPracticeInput!) { createGoodPractice(input: $input) { id } }",
                json!({ "input": { "agencySlug": "transferagentur-nrw", "title": "Praxis A", "summary": "S", "body": "B", "status": "PUBLISHED" } }),
            )
            .await,
    )["createGoodPractice"]["id"]
        .clone();
    let agency_id = ids["ruhrfutur"]["id"].clone();
    let municipality_id = ids["bottrop"]["id"].clone();
    let participation_id = ids["bottrop"]["programmes"][0]["id"].clone();
    let agreement_id = ids["bottrop"]["agreements"][0]["id"].clone();
    let programme_id = ids["programme"]["id"].clone();
    let target_id = target.member_id.clone();
    let spare_refresh = spare.clone();
    let spare_logout = spare.split_off(7);

    let portal_of_a = data(
        &server
            .gql("{ portal(slug: \"transferagentur-nrw\") { id } }", json!({}))
            .await,
    )["portal"]["id"]
        .clone();
    let collection_of_a = data(
        &server
            .gql_as(
                &admin,
                "mutation ($p: ID!) { createCollection(input: {portalId: $p, slug: \"rechte\", title: \"Rechte\"}) { id } }",
                json!({ "p": portal_of_a }),
            )
            .await,
    )["createCollection"]["id"]
        .clone();
    let portal_cases = portal_cases(&portal_of_a, &collection_of_a, &practice_of_a);
    let webhook_cases = webhooks::cases(server, &admin).await;
    let accompaniment_cases = accompaniment::cases(server, &admin, &agreement_id).await;
    let document_cases = documents::cases(server, &admin, &practice_of_a, &post_of_member).await;
    let mut cases = vec![
        case("createAgency", ADMIN_ONLY, |i| {
            (
                "mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { id } }".into(),
                json!({ "i": { "slug": format!("perm-{i}"), "name": "P", "kind": "OTHER" } }),
            )
        }),
        case("updateAgency", ADMIN_ONLY, move |_| {
            (
                "mutation ($id: ID!) { updateAgency(id: $id, input: {description: \"x\"}) { id } }".into(),
                json!({ "id": agency_id }),
            )
        }),
        case("saveIndicator", ADMIN_ONLY, |i| {
            (
                "mutation ($i: SaveIndicatorInput!) { saveIndicator(input: $i) { id } }".into(),
                json!({ "i": { "code": format!("PERM_{i}"), "nameDe": "Perm", "nameEn": "Perm", "unit": "%", "source": "Test" } }),
            )
        }),
        case("importIndicatorValues", ADMIN_ONLY, |_| {
            (
                "mutation ($i: ImportIndicatorValuesInput!) { importIndicatorValues(input: $i) { committed } }".into(),
                json!({ "i": { "content": "ags;year;code;value\n05512000;2022;SCHULAB_OHNE;7,0\n", "dryRun": true } }),
            )
        }),
        case("importMunicipalityDirectory", ADMIN_ONLY, |_| {
            (
                "mutation ($i: ImportMunicipalityDirectoryInput!) { importMunicipalityDirectory(input: $i) { created } }".into(),
                json!({ "i": { "file": "#__graphql_file__:0", "dryRun": true } }),
            )
        })
        .tolerating(&["BAD_USER_INPUT"], "a JSON request carries no file"),
        case("recordMunicipalityChange", ADMIN_ONLY, |_| {
            (
                "mutation { recordMunicipalityChange(input: { fromAgs: [\"05562\"], toAgs: [\"05358\"], since: \"2099-01-01\", reason: MERGED }) { successors { ags } } }".into(),
                json!({}),
            )
        }),
        case("recordSuccession", ADMIN_ONLY, |_| {
            (
                "mutation { recordSuccession(input: { kind: AGENCY, fromSlug: \"ruhrfutur\", toSlug: \"isa-ev\", since: \"2099-01-01\", reason: RENAMED }) { successorAgency { slug } } }".into(),
                json!({}),
            )
        }),
        case("createMunicipality", ADMIN_ONLY, |i| {
            (
                "mutation ($i: CreateMunicipalityInput!) { createMunicipality(input: $i) { id } }".into(),
                json!({ "i": { "ags": format!("059990{i:02}"), "name": format!("Perm {i}"), "kind": "KREISFREIE_STADT", "state": "NW" } }),
            )
        }),
        case("updateMunicipality", ADMIN_ONLY, move |_| {
            (
                "mutation ($id: ID!) { updateMunicipality(id: $id, input: {population: 117000}) { id } }".into(),
                json!({ "id": municipality_id }),
            )
        }),
        case("createProgramme", ADMIN_ONLY, |i| {
            (
                "mutation ($i: CreateProgrammeInput!) { createProgramme(input: $i) { id } }".into(),
                json!({ "i": { "slug": format!("perm-{i}"), "name": "P", "funder": "BMBF" } }),
            )
        }),
        case("updateProgramme", ADMIN_ONLY, move |_| {
            (
                "mutation ($id: ID!) { updateProgramme(id: $id, input: {description: \"x\"}) { id } }".into(),
                json!({ "id": programme_id }),
            )
        }),
        case("addProgrammeParticipation", ADMIN_ONLY, |_| {
            ("mutation { addProgrammeParticipation(input: {programmeSlug: \"bildungskommunen\", municipalityAgs: \"05913000\"}) { id } }".into(), json!({}))
        }),
        case("updateProgrammeParticipation", ADMIN_ONLY, move |_| {
            (
                "mutation ($id: ID!) { updateProgrammeParticipation(id: $id, input: {fundingCode: \"X\"}) { id } }"
                    .into(),
                json!({ "id": participation_id }),
            )
        }),
        case("createAgreement", ADMIN_ONLY, |_| {
            ("mutation { createAgreement(input: {kind: TARGET_AGREEMENT, title: \"T\", agencySlug: \"transferagentur-nrw\", municipalityAgs: \"05913000\"}) { id } }".into(), json!({}))
        }),
        case("updateAgreement", ADMIN_ONLY, move |_| {
            (
                "mutation ($id: ID!) { updateAgreement(id: $id, input: {summary: \"x\"}) { id } }".into(),
                json!({ "id": agreement_id }),
            )
        }),
        case("grantRole", AGENCY_ADMIN, {
            let target = target_id.clone();
            move |_| {
                ("mutation ($m: ID!) { grantRole(input: {memberId: $m, role: EDITOR, agencySlug: \"transferagentur-nrw\"}) { id } }".into(), json!({ "m": target }))
            }
        }),
        case("revokeRole", AGENCY_ADMIN, {
            let target = target_id.clone();
            move |_| {
                ("mutation ($m: ID!) { revokeRole(input: {memberId: $m, role: EDITOR, agencySlug: \"transferagentur-nrw\"}) { id } }".into(), json!({ "m": target }))
            }
        }),
        case("createApiClient", AGENCY_ADMIN, |i| {
            ("mutation ($n: String!) { createApiClient(input: {agencySlug: \"transferagentur-nrw\", name: $n}) { id } }".into(), json!({ "n": format!("client {i}") }))
        }),
        case("addApiKey", AGENCY_ADMIN, {
            let client = client.clone();
            let pem = public_key.clone();
            move |i| {
                (
                    "mutation ($input: AddApiKeyInput!) { addApiKey(input: $input) { id } }".into(),
                    json!({ "input": { "clientId": client, "kid": format!("k{i}"), "publicKeyPem": pem } }),
                )
            }
        }),
        case("revokeApiKey", AGENCY_ADMIN, move |_| {
            (
                "mutation ($id: ID!) { revokeApiKey(id: $id) { id } }".into(),
                json!({ "id": key_id }),
            )
        }),
        case("createGoodPractice", EDITORS_OF_A, |i| {
            (
                "mutation ($input: CreateGoodPracticeInput!) { createGoodPractice(input: $input) { id } }".into(),
                json!({ "input": { "agencySlug": "transferagentur-nrw", "title": format!("Praxis {i}"), "summary": "S", "body": "B" } }),
            )
        }),
        case("updateGoodPractice", EDITORS_OF_A, {
            let id = practice_of_a.clone();
            move |_| {
                ("mutation ($id: ID!) { updateGoodPractice(id: $id, expectedVersion: 999, input: {summary: \"x\"}) { id } }".into(), json!({ "id": id }))
            }
        }).tolerating(&["CONFLICT"], "expectedVersion 999"),
        case("publishGoodPractice", EDITORS_OF_A, {
            let id = practice_of_a.clone();
            move |_| {
                (
                    "mutation ($id: ID!) { publishGoodPractice(id: $id) { id } }".into(),
                    json!({ "id": id }),
                )
            }
        }).tolerating(&["CONFLICT"], "the practice is published already"),
        case("archiveGoodPractice", EDITORS_OF_A, {
            let id = practice_of_a.clone();
            move |_| {
                (
                    "mutation ($id: ID!) { archiveGoodPractice(id: $id, expectedVersion: 999) { id } }".into(),
                    json!({ "id": id }),
                )
            }
        }).tolerating(&["CONFLICT"], "expectedVersion 999"),
        case("syncGoodPractices", EDITORS_OF_A, |i| {
            (
                "mutation ($items: [GoodPracticeSyncItem!]!) { syncGoodPractices(items: $items, agencySlug: \"transferagentur-nrw\") { created } }".into(),
                json!({ "items": [{ "externalId": format!("perm-{i}"), "title": "Praxis", "summary": "S", "body": "B" }] }),
            )
        }),
        case("createTrainingEvent", EDITORS_OF_A, |i| {
            (
                "mutation ($input: CreateTrainingEventInput!) { createTrainingEvent(input: $input) { id } }".into(),
                json!({ "input": { "organizerSlug": "transferagentur-nrw", "title": format!("Werkstatt {i}"), "format": "WORKSHOP",
                    "startsAt": "2030-03-01T09:00:00+01:00", "endsAt": "2030-03-01T12:00:00+01:00", "venue": { "city": "Dortmund" } } }),
            )
        }),
        case("updateTrainingEvent", EDITORS_OF_A, {
            let id = event_of_a.clone();
            move |_| {
                ("mutation ($id: ID!) { updateTrainingEvent(id: $id, expectedVersion: 999, input: {title: \"x\"}) { id } }".into(), json!({ "id": id }))
            }
        }).tolerating(&["CONFLICT"], "expectedVersion 999"),
        case("cancelTrainingEvent", EDITORS_OF_A, {
            let id = event_of_a.clone();
            move |_| {
                (
                    "mutation ($id: ID!) { cancelTrainingEvent(id: $id, reason: \"r\", expectedVersion: 999) { id } }"
                        .into(),
                    json!({ "id": id }),
                )
            }
        }).tolerating(&["CONFLICT"], "expectedVersion 999"),
        case("completeTrainingEvent", EDITORS_OF_A, {
            let id = event_of_a.clone();
            move |_| {
                (
                    "mutation ($id: ID!) { completeTrainingEvent(id: $id) { id } }".into(),
                    json!({ "id": id }),
                )
            }
        }).tolerating(&["BAD_USER_INPUT"], "the event has not started"),
        case("registerForEvent", MEMBERS, {
            let id = event_of_a.clone();
            move |_| {
                (
                    "mutation ($id: ID!) { registerForEvent(eventId: $id) { id } }".into(),
                    json!({ "id": id }),
                )
            }
        }).tolerating(&["CONFLICT"], "the member is registered already"),
        case("cancelRegistration", MEMBERS, |_| {
            // A registration nobody may see: NOT_FOUND for the signed-in, after authentication.
            ("mutation { cancelRegistration(registrationId: \"UmVnaXN0cmF0aW9uOjAxOTAwMDAwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA\") { id } }".into(), json!({}))
        }).tolerating(&["NOT_FOUND"], "a registration nobody may see"),
        case("markAttendance", EDITORS_OF_A, {
            let id = registration_of_member.clone();
            move |_| {
                (
                    "mutation ($id: ID!) { markAttendance(registrationId: $id, attended: true) { id } }".into(),
                    json!({ "id": id }),
                )
            }
        }).tolerating(&["BAD_USER_INPUT"], "the event has not begun"),
        case("promoteFromWaitlist", EDITORS_OF_A, {
            let id = registration_of_member.clone();
            move |_| {
                (
                    "mutation ($id: ID!) { promoteFromWaitlist(registrationId: $id) { id } }".into(),
                    json!({ "id": id }),
                )
            }
        }).tolerating(&["BAD_USER_INPUT"], "the registration is not on the waiting list"),
        case("addEventQuota", EDITORS_OF_A, {
            let id = event_of_a.clone();
            move |i| {
                (
                    "mutation ($input: AddEventQuotaInput!) { addEventQuota(input: $input) { id } }".into(),
                    json!({ "input": { "eventId": id, "name": format!("Quote {i}"), "seatsTotal": 1, "programmeSlug": "bildung-integriert" } }),
                )
            }
        }),
        case("updateEventQuota", EDITORS_OF_A, {
            let id = quotas_of_a[7].clone();
            move |i| {
                (
                    "mutation ($id: ID!, $name: String) { updateEventQuota(id: $id, input: {name: $name}) { id } }".into(),
                    json!({ "id": id, "name": format!("Kontingent {i}") }),
                )
            }
        }),
        case("removeEventQuota", EDITORS_OF_A, {
            let ids = quotas_of_a.clone();
            move |i| {
                (
                    "mutation ($id: ID!) { removeEventQuota(id: $id) { id } }".into(),
                    json!({ "id": ids[i] }),
                )
            }
        }),
        case("createForum", MODERATORS, |i| {
            (
                "mutation ($s: String!) { createForum(input: {slug: $s, title: \"Forum\", visibility: PUBLIC}) { id } }".into(),
                json!({ "s": format!("forum-{i}") }),
            )
        }),
        case("setForumRole", MODERATORS, {
            let (forum, target) = (forum.clone(), target.member_id.clone());
            move |_| {
                (
                    "mutation ($f: ID!, $m: ID!) { setForumRole(forumId: $f, memberId: $m, role: MEMBER) { id } }"
                        .into(),
                    json!({ "f": forum, "m": target }),
                )
            }
        }),
        case("startThread", MEMBERS, {
            let forum = forum.clone();
            move |_| {
                (
                    "mutation ($f: ID!) { startThread(input: {forumId: $f, title: \"T\", body: \"B\"}) { id } }".into(),
                    json!({ "f": forum }),
                )
            }
        }),
        case("replyToThread", MEMBERS, {
            let thread = thread.clone();
            move |_| {
                (
                    "mutation ($t: ID!) { replyToThread(input: {threadId: $t, body: \"B\"}) { id } }".into(),
                    json!({ "t": thread }),
                )
            }
        }),
        case("editPost", AUTHOR, {
            let post = post_of_member.clone();
            move |_| {
                (
                    "mutation ($p: ID!) { editPost(postId: $p, body: \"neu\") { id } }".into(),
                    json!({ "p": post }),
                )
            }
        }),
        case("deletePost", AUTHOR_OR_MODERATORS, {
            let post = post_of_member.clone();
            move |_| {
                (
                    "mutation ($p: ID!) { deletePost(postId: $p) { id } }".into(),
                    json!({ "p": post }),
                )
            }
        }).tolerating(&["CONFLICT"], "the author deleted it first"),
        case("pinThread", MODERATORS, {
            let thread = thread.clone();
            move |_| {
                (
                    "mutation ($t: ID!) { pinThread(threadId: $t, pinned: true) { id } }".into(),
                    json!({ "t": thread }),
                )
            }
        }),
        case("lockThread", MODERATORS, {
            let thread = thread.clone();
            move |_| {
                (
                    "mutation ($t: ID!) { lockThread(threadId: $t, locked: false) { id } }".into(),
                    json!({ "t": thread }),
                )
            }
        }),
        case("hidePost", MODERATORS, {
            let post = post_of_member.clone();
            move |_| {
                (
                    "mutation ($p: ID!) { hidePost(postId: $p, reason: \"r\") { id } }".into(),
                    json!({ "p": post }),
                )
            }
        }),
        case("unhidePost", MODERATORS, {
            let post = post_of_member.clone();
            move |_| {
                (
                    "mutation ($p: ID!) { unhidePost(postId: $p) { id } }".into(),
                    json!({ "p": post }),
                )
            }
        }),
        case("moveThread", MODERATORS, {
            let (thread, forum) = (thread.clone(), forum.clone());
            move |_| {
                (
                    "mutation ($t: ID!, $f: ID!) { moveThread(threadId: $t, toForumId: $f) { id } }".into(),
                    json!({ "t": thread, "f": forum }),
                )
            }
        }),
        case("markThreadRead", MEMBERS, {
            let (thread, post) = (thread.clone(), post_of_member.clone());
            move |_| {
                (
                    "mutation ($t: ID!, $p: ID!) { markThreadRead(threadId: $t, upToPostId: $p) { id } }".into(),
                    json!({ "t": thread, "p": post }),
                )
            }
        }),
        case("watchThread", MEMBERS, {
            let thread = thread.clone();
            move |_| {
                (
                    "mutation ($t: ID!) { watchThread(threadId: $t) { id } }".into(),
                    json!({ "t": thread }),
                )
            }
        }),
        case("unwatchThread", MEMBERS, {
            let thread = thread.clone();
            move |_| {
                (
                    "mutation ($t: ID!) { unwatchThread(threadId: $t) { id } }".into(),
                    json!({ "t": thread }),
                )
            }
        }),
        case("markNotificationsRead", MEMBERS, |_| {
            ("mutation { markNotificationsRead }".into(), json!({}))
        }),
        case("updateProfile", MEMBERS, |_| {
            (
                "mutation { updateProfile(input: {displayName: \"Neu\"}) { id } }".into(),
                json!({}),
            )
        }),
        case("changePassword", MEMBERS, |_| {
            ("mutation { changePassword(input: {currentPassword: \"not the password at all\", newPassword: \"x\"}) }".into(), json!({}))
        }).tolerating(&["BAD_USER_INPUT"], "a wrong password"),
        case("deleteMyAccount", MEMBERS, |_| {
            (
                "mutation { deleteMyAccount(password: \"not the password at all\") }".into(),
                json!({}),
            )
        }).tolerating(&["BAD_USER_INPUT"], "a wrong password"),
        case("signUp", PUBLIC, |i| {
            (
                "mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken } }".into(),
                json!({ "i": { "email": format!("new{i}@bottrop.de"), "password": PASSWORD, "displayName": "Neu" } }),
            )
        }),
        case("logIn", PUBLIC, |_| {
            (
                "mutation ($p: String!) { logIn(email: \"target@bottrop.de\", password: $p) { accessToken } }".into(),
                json!({ "p": PASSWORD }),
            )
        }),
        case("verifyEmail", PUBLIC, |_| {
            (
                "mutation { verifyEmail(token: \"not-a-token\") { id } }".into(),
                json!({}),
            )
        }).tolerating(&["BAD_USER_INPUT"], "no such token"),
        case("resendVerification", MEMBERS, |_| {
            ("mutation { resendVerification }".into(), json!({}))
        }),
        case("changeEmail", MEMBERS, |_| {
            (
                "mutation { changeEmail(newEmail: \"new@bottrop.de\", password: \"not the password at all\") { id } }"
                    .into(),
                json!({}),
            )
        }).tolerating(&["BAD_USER_INPUT"], "a wrong password"),
        case("requestPasswordReset", PUBLIC, |i| {
            (
                "mutation ($e: String!) { requestPasswordReset(email: $e) }".into(),
                json!({ "e": format!("nobody-{i}@bottrop.de") }),
            )
        }),
        case("resetPassword", PUBLIC, |_| {
            (
                "mutation { resetPassword(token: \"not-a-token\", newPassword: \"x\") }".into(),
                json!({}),
            )
        }).tolerating(&["BAD_USER_INPUT"], "no such token"),
        case("resetCalendarUrl", MEMBERS, |_| ("mutation { resetCalendarUrl }".into(), json!({}))),
        case("updateNotificationSettings", MEMBERS, |_| {
            (
                "mutation { updateNotificationSettings(input: {forumMail: DAILY}) { id } }".into(),
                json!({}),
            )
        }),
        case("retryMessage", ADMIN_ONLY, |_| {
            (
                "mutation { retryMessage(id: \"0190d5f0-0000-7000-8000-000000000000\") { id } }".into(),
                json!({}),
            )
        }).tolerating(&["NOT_FOUND"], "no such message"),
        case("refreshSession", PUBLIC, move |i| {
            (
                "mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken } }".into(),
                json!({ "t": spare_refresh[i] }),
            )
        }),
        case("logOut", PUBLIC, move |i| {
            (
                "mutation ($t: String!) { logOut(refreshToken: $t) }".into(),
                json!({ "t": spare_logout[i] }),
            )
        }),
    ];
    cases.extend(portal_cases);
    cases.extend(webhook_cases);
    cases.extend(accompaniment_cases);
    // Before the forum rows, which delete the member's post.
    cases.splice(0..0, document_cases);
    (tokens, cases)
}

#[tokio::test]
async fn every_mutation_of_the_schema_has_a_row() {
    let server = TestServer::start().await;
    let (_, cases) = the_table(&server).await;
    let introspection = server
        .gql("{ __type(name: \"Mutation\") { fields { name } } }", json!({}))
        .await;
    let in_schema: BTreeSet<String> = strings_at(data(&introspection), "/__type/fields", "/name")
        .into_iter()
        .map(str::to_owned)
        .collect();
    let in_table: BTreeSet<String> = cases.iter().map(|c| c.mutation.to_owned()).collect();
    assert_eq!(in_schema, in_table, "every mutation needs a row in this table");
}

#[tokio::test]
async fn every_mutation_with_every_role() {
    let server = TestServer::start().await;
    let (tokens, cases) = the_table(&server).await;
    let mut wrong = Vec::new();
    for case in &cases {
        for (i, (actor, token)) in ACTORS.iter().zip(&tokens).enumerate() {
            let (query, variables) = (case.request)(i);
            let response = server.gql_with(token.as_deref(), &query, variables).await;
            let (tolerated, why) = case.tolerated;
            let got = outcome(&response, tolerated);
            if got != Ok(case.expect[i]) {
                wrong.push(format!(
                    "{} by {actor}: expected {:?} (tolerating {tolerated:?}: {why}), got {got:?}: {response}",
                    case.mutation, case.expect[i]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The portals' mutations on the demo portal of agency A: its administrators manage it, its
/// editors curate it, nobody else; counting a view is anyone's.
fn portal_cases(portal: &Value, collection: &Value, practice: &Value) -> Vec<Case> {
    let (p, c, g) = (portal.clone(), collection.clone(), practice.clone());
    let with = move |document: &'static str| {
        let variables = json!({ "p": p, "c": c, "g": g });
        move |_: usize| (document.to_owned(), variables.clone())
    };
    vec![
        case("createPortal", AGENCY_ADMIN, |i| {
            ("mutation ($s: String!) { createPortal(input: {slug: $s, name: \"P\", agencySlug: \"transferagentur-nrw\"}) { id } }".into(),
             json!({ "s": format!("perm-portal-{i}") }))
        }),
        case(
            "updatePortal",
            AGENCY_ADMIN,
            with("mutation ($p: ID!) { updatePortal(id: $p, expectedVersion: 999, input: {name: \"x\"}) { id } }"),
        )
        .tolerating(&["CONFLICT"], "expectedVersion 999"),
        case(
            "rotatePortalKey",
            AGENCY_ADMIN,
            with("mutation ($p: ID!) { rotatePortalKey(id: $p, graceHours: 0) { id } }"),
        ),
        case(
            "hideInPortal",
            EDITORS_OF_A,
            with("mutation ($p: ID!, $g: ID!) { hideInPortal(portalId: $p, itemId: $g) { id } }"),
        ),
        case(
            "unhideInPortal",
            EDITORS_OF_A,
            with("mutation ($p: ID!, $g: ID!) { unhideInPortal(portalId: $p, itemId: $g) { id } }"),
        ),
        case("createCollection", EDITORS_OF_A, {
            let portal = portal.clone();
            move |i| {
                ("mutation ($p: ID!, $s: String!) { createCollection(input: {portalId: $p, slug: $s, title: \"T\"}) { id } }".into(),
                 json!({ "p": portal, "s": format!("c-{i}") }))
            }
        }),
        case(
            "setCollectionItems",
            EDITORS_OF_A,
            with("mutation ($c: ID!, $g: ID!) { setCollectionItems(collectionId: $c, items: [{itemId: $g}]) { id } }"),
        ),
        case(
            "setPortalTeaser",
            EDITORS_OF_A,
            with(
                "mutation ($p: ID!, $g: ID!) { setPortalTeaser(input: {portalId: $p, practiceId: $g, teaser: \"T\"}) { id } }",
            ),
        ),
        case(
            "recordPortalView",
            PUBLIC,
            with("mutation ($g: ID!) { recordPortalView(itemId: $g, portalKey: \"unknown\") }"),
        )
        .tolerating(&["BAD_USER_INPUT"], "an unknown portal key"),
    ]
}
