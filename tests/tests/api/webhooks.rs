//! Webhooks (Standard Webhooks): an agency's endpoint gets every change it subscribed to and
//! may read — each delivery verified with the specification's reference implementation — and
//! nothing else; a rolled-back change sends nothing; hostile input is refused with nothing
//! written. Outages, order, replicas, rotation and switching off are in `webhooks_delivery`.

use std::time::Duration;

use dkbm_tests::webhooks::{Received, Receiver};
use dkbm_tests::{ApiClient, Role, Session, TestServer, assert_bad_input, data, error_with_code, str_at};
use serde_json::{Value, json};

use super::practices::practice_input;

pub const CREATE: &str = "mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) {
  secret webhook { id url events enabled description agency { slug } } } }";
pub const DELIVERIES: &str = "query ($id: ID!, $status: WebhookDeliveryStatus) { webhookDeliveries(webhookId: $id, status: $status, first: 100) {
  totalCount nodes { id messageId eventType status attempts responseStatus lastError payload } } }";
const TEST: &str = "mutation ($id: ID!) { sendTestWebhook(id: $id) { id status eventType } }";
const CREATE_PRACTICE: &str =
    "mutation ($input: CreateGoodPracticeInput!) { createGoodPractice(input: $input) { id } }";
const PUBLISH: &str = "mutation ($id: ID!) { publishGoodPractice(id: $id) { status } }";
const EVERY_EVENT: [&str; 4] = [
    "PRACTICE_CHANGED",
    "EVENT_CHANGED",
    "REGISTRATION_CHANGED",
    "POST_ADDED",
];

/// The agency whose endpoint the tests make.
pub const AGENCY: &str = "bildungsbuero-bottrop";

/// A server that may deliver to the test's receiver on 127.0.0.1, with the demo data, an API
/// client of [`AGENCY`] and its endpoint to a fresh receiver.
pub struct Hooked {
    pub server: TestServer,
    pub receiver: Receiver,
    pub client: ApiClient,
    pub secret: String,
    pub webhook: Value,
}

/// Lets the server deliver to the test's receivers (plain http on 127.0.0.1), retrying fast.
pub fn local_receivers(config: &mut dkbm_hub::Config) {
    config.webhooks.webhook_allow_private = true;
    config.webhooks.webhook_allow_http_hosts = vec!["127.0.0.1".into()];
    config.webhooks.webhook_retry_base_secs = 1;
}

pub async fn hooked_with(events: &[&str], adjust: impl FnOnce(&mut dkbm_hub::Config)) -> Hooked {
    let server = TestServer::start_with(|config| {
        local_receivers(config);
        adjust(config);
    })
    .await;
    server.seed_demo().await;
    let receiver = Receiver::start().await;
    let client = server.api_client(AGENCY).await;
    let input = json!({ "agencySlug": AGENCY, "url": receiver.url, "events": events, "description": "Spiegel" });
    let response = server
        .gql_with(Some(&client.token()), CREATE, json!({ "input": input }))
        .await;
    let created = data(&response)["createWebhook"].clone();
    Hooked {
        secret: str_at(&created, "/secret").to_owned(),
        webhook: created["webhook"].clone(),
        server,
        receiver,
        client,
    }
}

impl Hooked {
    /// Sends a `webhook.test` message and waits until it arrived: every delivery queued before
    /// it has arrived too (an endpoint's deliveries go in order). Answers what was accepted
    /// before it.
    pub async fn settle(&self) -> Vec<Received> {
        let tests = |accepted: &[Received]| accepted.iter().filter(|r| r.json()["type"] == "webhook.test").count();
        let sent_before = tests(&self.receiver.accepted());
        let response = self
            .server
            .gql_with(Some(&self.client.token()), TEST, json!({ "id": self.webhook["id"] }))
            .await;
        assert_eq!(data(&response)["sendTestWebhook"]["status"], "PENDING");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let mut accepted = self.receiver.accepted();
            if tests(&accepted) > sent_before {
                // Ours is the last test message; what came before it, the test messages left out.
                let ours = accepted
                    .iter()
                    .rposition(|r| r.json()["type"] == "webhook.test")
                    .unwrap_or_default();
                accepted.truncate(ours);
                accepted.retain(|r| r.json()["type"] != "webhook.test");
                return accepted;
            }
            assert!(tokio::time::Instant::now() < deadline, "the test message never came");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn deliveries(&self, status: Option<&str>) -> Value {
        let variables = json!({ "id": self.webhook["id"], "status": status });
        let response = self
            .server
            .gql_with(Some(&self.client.token()), DELIVERIES, variables)
            .await;
        data(&response)["webhookDeliveries"].clone()
    }
}

async fn editor(server: &TestServer, email: &str, agency: &str) -> Session {
    server.member_with_role(email, Role::Editor, Some(agency)).await
}

async fn draft(server: &TestServer, editor: &Session, agency: &str, title: &str) -> Value {
    let input = json!({ "input": practice_input(agency, title) });
    data(&server.gql_as(editor, CREATE_PRACTICE, input).await)["createGoodPractice"]["id"].clone()
}

#[tokio::test]
async fn deliveries_verify_with_the_reference_implementation_and_carry_only_what_the_agency_may_read() {
    let hooked = hooked_with(&EVERY_EVENT, |_| {}).await;
    let server = &hooked.server;
    assert_eq!(hooked.webhook["enabled"], true);
    assert_eq!(hooked.webhook["agency"]["slug"], AGENCY);
    assert!(hooked.secret.starts_with("whsec_"), "{}", hooked.secret);

    // Practices: the agency's own draft and its publication; another agency's draft is not
    // its business, its publication is.
    let bottrop = editor(server, "redaktion@bottrop.de", AGENCY).await;
    let ruhrfutur = editor(server, "redaktion@ruhrfutur.de", "ruhrfutur").await;
    let own = draft(server, &bottrop, AGENCY, "Berufsorientierung in Bottrop").await;
    let other = draft(server, &ruhrfutur, "ruhrfutur", "Bildungsketten im Revier").await;
    data(&server.gql_as(&bottrop, PUBLISH, json!({ "id": own })).await);
    data(&server.gql_as(&ruhrfutur, PUBLISH, json!({ "id": other })).await);

    // Events: another agency's event is public; a registration for it is not this agency's.
    let planner = server.event_planner().await;
    let create_event = "mutation ($input: CreateTrainingEventInput!) { createTrainingEvent(input: $input) { id } }";
    let event = server
        .create_event(
            &planner,
            create_event,
            super::events::event_input("Werkstatt Übergänge", Some(5), true),
        )
        .await;
    let member = server.sign_up("teilnahme@bottrop.de").await;
    let register = "mutation ($id: ID!) { registerForEvent(eventId: $id) { status } }";
    assert_eq!(
        data(&server.gql_as(&member, register, json!({ "id": event["id"] })).await)["registerForEvent"]["status"],
        "CONFIRMED"
    );

    // Forums: a public forum's post goes out, a working group's does not.
    let moderator = server
        .member_with_role("moderation@dkbm.de", Role::Moderator, None)
        .await;
    let create_forum = "mutation ($input: CreateForumInput!) { createForum(input: $input) { id } }";
    let start = "mutation ($input: StartThreadInput!) { startThread(input: $input) { id } }";
    for (slug, visibility, title) in [
        ("webhook-offen", "PUBLIC", "Offene Frage"),
        ("webhook-intern", "GROUP", "Interna"),
    ] {
        let forum = data(
            &server
                .gql_as(
                    &moderator,
                    create_forum,
                    json!({ "input": { "slug": slug, "title": slug, "visibility": visibility } }),
                )
                .await,
        )["createForum"]
            .clone();
        let input = json!({ "input": { "forumId": forum["id"], "title": title, "body": "Wie macht ihr das?" } });
        data(&server.gql_as(&moderator, start, input).await);
    }

    let accepted = hooked.settle().await;
    let types: Vec<String> = accepted
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        types,
        [
            "practice.changed",
            "practice.changed",
            "practice.changed",
            "event.changed",
            "post.added"
        ],
        "own draft, own publication, the other's publication, the event, the public post"
    );
    for delivery in &accepted {
        assert!(
            delivery.verifies_with(&hooked.secret),
            "verifies: {:?}",
            delivery.headers
        );
        assert!(
            !delivery.verifies_with("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            "not under another secret"
        );
        assert!(delivery.header("webhook-id").starts_with("msg_"));
        assert_eq!(delivery.header("content-type"), "application/json");
        let body = String::from_utf8_lossy(&delivery.body).to_string();
        assert!(!body.contains('@'), "no address in any message: {body}");
        assert!(delivery.json()["timestamp"].is_string());
    }
    let messages: Vec<Value> = accepted.iter().map(|r| r.json()["data"].clone()).collect();
    assert_eq!(messages[0]["id"], own);
    assert_eq!(messages[0]["status"], "DRAFT");
    assert_eq!(messages[0]["cursor"], Value::Null, "a draft is not in the feed");
    assert_eq!(messages[1]["status"], "PUBLISHED");
    assert_eq!(messages[1]["operation"], "UPSERT");
    assert_eq!(messages[2]["id"], other);
    assert_eq!(messages[3]["id"], event["id"]);

    // The feed's cursor: paging from the first publication's gives the second.
    let feed = "query ($after: String) { goodPracticeChanges(after: $after) { entries { id } } }";
    let response = server
        .gql_with(
            Some(&hooked.client.token()),
            feed,
            json!({ "after": messages[1]["cursor"] }),
        )
        .await;
    assert_eq!(data(&response)["goodPracticeChanges"]["entries"][0]["id"], other);

    // The ids are the API's: node() finds them.
    let node = "query ($id: ID!) { node(id: $id) { __typename } }";
    let response = server
        .gql_with(Some(&hooked.client.token()), node, json!({ "id": messages[4]["id"] }))
        .await;
    assert_eq!(data(&response)["node"]["__typename"], "ForumPost");

    // The record of the deliveries.
    let deliveries = hooked.deliveries(Some("DELIVERED")).await;
    assert_eq!(deliveries["totalCount"], 6, "five changes and the test message");
    let newest = &deliveries["nodes"][0];
    assert_eq!(newest["eventType"], "webhook.test");
    assert_eq!(newest["responseStatus"], 200);
    assert_eq!(newest["attempts"], 1);
    assert_eq!(hooked.deliveries(Some("PENDING")).await["totalCount"], 0);
}

#[tokio::test]
async fn a_change_rolled_back_after_it_queued_its_deliveries_sends_nothing() {
    let hooked = hooked_with(&["EVENT_CHANGED", "REGISTRATION_CHANGED"], |_| {}).await;
    let server = &hooked.server;
    // The organiser is the hooked agency, so its registrations are its business.
    let planner = server
        .member_with_role("planung@bottrop.de", Role::Editor, Some(AGENCY))
        .await;
    let mut input = super::events::event_input("Fachtag Bildungsmonitoring", Some(10), false);
    input["organizerSlug"] = json!(AGENCY);
    let create_event = "mutation ($input: CreateTrainingEventInput!) { createTrainingEvent(input: $input) { id } }";
    let event = server.create_event(&planner, create_event, input).await;
    let before = hooked.settle().await;
    assert_eq!(before.len(), 1, "the event's creation");

    // A registration writes its delivery first, then its confirmation mail: the mail's insert
    // fails (a trigger), so the whole change is rolled back after its delivery was queued.
    let member = server.sign_up("teilnahme@bottrop.de").await;
    let db = server.db.connect().await;
    let fail_mail = if dkbm_tests::on_postgres() {
        vec![
            "CREATE FUNCTION refuse_mail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'no mail today'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_mail BEFORE INSERT ON outbox_message FOR EACH ROW EXECUTE FUNCTION refuse_mail()",
        ]
    } else {
        vec![
            "CREATE TRIGGER refuse_mail BEFORE INSERT ON outbox_message BEGIN SELECT RAISE(ABORT, 'no mail today'); END",
        ]
    };
    for statement in fail_mail {
        sea_orm::ConnectionTrait::execute_unprepared(&db, statement)
            .await
            .expect("the trigger");
    }
    let register = "mutation ($id: ID!) { registerForEvent(eventId: $id) { id status } }";
    let refused = server.gql_as(&member, register, json!({ "id": event["id"] })).await;
    assert!(refused["errors"].is_array(), "{refused}");
    let text = refused.to_string();
    assert!(
        !text.contains("no mail today") && !text.contains("INSERT"),
        "no SQL in the answer: {text}"
    );
    sea_orm::ConnectionTrait::execute_unprepared(&db, "DROP TRIGGER refuse_mail ON outbox_message")
        .await
        .or(sea_orm::ConnectionTrait::execute_unprepared(&db, "DROP TRIGGER refuse_mail").await)
        .expect("drop the trigger");

    let after = hooked.settle().await;
    assert_eq!(
        after.len(),
        1,
        "nothing of the rolled-back registration: {:?}",
        hooked.receiver.accepted_types()
    );
    assert_eq!(
        hooked.deliveries(None).await["totalCount"],
        3,
        "the event and the two test messages"
    );

    // The same registration, committed this time, is delivered.
    let accepted =
        data(&server.gql_as(&member, register, json!({ "id": event["id"] })).await)["registerForEvent"].clone();
    let all = hooked.settle().await;
    let last = all.last().expect("a delivery").json();
    assert_eq!(last["type"], "registration.changed");
    assert_eq!(last["data"]["id"], accepted["id"]);
    assert_eq!(last["data"]["status"], "CONFIRMED");
}

#[tokio::test]
async fn hostile_input_is_refused_and_writes_nothing() {
    // Private addresses refused (the default), plain http to 127.0.0.1 allowed.
    let server = TestServer::start_with(|config| {
        local_receivers(config);
        config.webhooks.webhook_allow_private = false;
    })
    .await;
    server.seed_demo().await;
    let server = &server;
    let client = server.api_client(AGENCY).await;
    let create = |input: Value| {
        let token = client.token();
        async move { server.gql_with(Some(&token), CREATE, json!({ "input": input })).await }
    };
    let valid = |url: &str| json!({ "agencySlug": AGENCY, "url": url, "events": ["PRACTICE_CHANGED"] });
    for url in [
        "https://127.0.0.1/hook",
        "https://localhost:8443/hook",
        "https://10.1.2.3/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::ffff:192.168.0.1]/",
    ] {
        let response = create(valid(url)).await;
        assert_bad_input(&response, "input.url");
        let message = error_with_code(&response, "BAD_USER_INPUT")["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(message.contains("private, loopback or link-local"), "{url}: {message}");
    }
    for url in [
        "http://partner.example.org/hook",
        "ftp://partner.example.org/",
        "not a url",
        "https://user:pw@partner.example.org/",
        "https://partner.example.org/#x",
    ] {
        assert_bad_input(&create(valid(url)).await, "input.url");
    }
    let mut no_events = valid("https://partner.example.org/hook");
    no_events["events"] = json!([]);
    assert_bad_input(&create(no_events).await, "input.events");
    let mut long = valid("https://partner.example.org/hook");
    long["description"] = json!("x".repeat(501));
    assert_bad_input(&create(long).await, "input.description");
    let mut unknown = valid("https://partner.example.org/hook");
    unknown["agencySlug"] = json!("no-such-agency");
    assert_bad_input(&create(unknown).await, "input.agencySlug");
    let mut foreign = valid("https://partner.example.org/hook");
    foreign["agencySlug"] = json!("ruhrfutur");
    error_with_code(&create(foreign).await, "FORBIDDEN");
    let member = server.sign_up("neugierig@bottrop.de").await;
    error_with_code(
        &server
            .gql_as(
                &member,
                CREATE,
                json!({ "input": valid("https://partner.example.org/hook") }),
            )
            .await,
        "FORBIDDEN",
    );
    let list = "query ($slug: String!) { webhooks(agencySlug: $slug) { id } }";
    let response = server
        .gql_with(Some(&client.token()), list, json!({ "slug": AGENCY }))
        .await;
    assert_eq!(data(&response)["webhooks"], json!([]), "nothing was written");

    // Ids of the wrong kind, and endpoints of other agencies, are refused.
    let practice_id = draft(
        server,
        &editor(server, "redaktion@bottrop.de", AGENCY).await,
        AGENCY,
        "Ein Entwurf",
    )
    .await;
    assert_bad_input(
        &server
            .gql_with(Some(&client.token()), TEST, json!({ "id": practice_id }))
            .await,
        "id",
    );
    let rotate = "mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret } }";
    let made = data(
        &server
            .gql_with(
                Some(&client.token()),
                CREATE,
                json!({ "input": valid("https://93.184.216.34/hook") }),
            )
            .await,
    )["createWebhook"]
        .clone();
    // A change is checked as a creation is, and writes nothing when refused.
    let update = "mutation ($input: UpdateWebhookInput!) { updateWebhook(input: $input) { url } }";
    for (input, field) in [
        (
            json!({ "id": made["webhook"]["id"], "url": "https://10.0.0.7/hook" }),
            "input.url",
        ),
        (json!({ "id": made["webhook"]["id"], "events": [] }), "input.events"),
    ] {
        assert_bad_input(
            &server
                .gql_with(Some(&client.token()), update, json!({ "input": input }))
                .await,
            field,
        );
    }
    let list = "query ($slug: String!) { webhooks(agencySlug: $slug) { url events } }";
    let response = server
        .gql_with(Some(&client.token()), list, json!({ "slug": AGENCY }))
        .await;
    assert_eq!(
        data(&response)["webhooks"],
        json!([{ "url": "https://93.184.216.34/hook", "events": ["PRACTICE_CHANGED"] }])
    );
    let stranger = server.api_client("ruhrfutur").await;
    for query in [rotate, TEST, "mutation ($id: ID!) { deleteWebhook(id: $id) }"] {
        error_with_code(
            &server
                .gql_with(Some(&stranger.token()), query, json!({ "id": made["webhook"]["id"] }))
                .await,
            "FORBIDDEN",
        );
    }
    let node = "query ($id: ID!) { node(id: $id) { id } }";
    let response = server
        .gql_with(Some(&stranger.token()), node, json!({ "id": made["webhook"]["id"] }))
        .await;
    assert_eq!(
        data(&response)["node"],
        Value::Null,
        "another agency's endpoint is not there for it"
    );
    let unknown =
        "mutation { sendTestWebhook(id: \"V2ViaG9vazowMTkwZDVmMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDA\") { id } }";
    error_with_code(
        &server.gql_with(Some(&client.token()), unknown, json!({})).await,
        "NOT_FOUND",
    );
}
