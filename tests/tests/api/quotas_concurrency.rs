//! Quotas under a burst: 300 members (60 from Bottrop, 60 from Essen, a Bildungskommune, 30
//! from Dortmund, 150 from nowhere in particular) register for 60 seats at the same moment, on
//! PostgreSQL through two server instances on one database. Bottrop's 10 and the programme's
//! 10 seats are reserved; Dortmund's 10 were released (`until` passed) and belong to the
//! general pool. Then quota seats and general seats are cancelled concurrently: each freed seat
//! goes to the first waiting member who may take it, in the order of the one waiting list.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use dkbm_entity::{RegistrationStatus, event_quota, registration, training_event};
use dkbm_tests::{Session, TestServer, data};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::events::{CREATE, REGISTER, event_input};
use crate::quotas::{ADD, programme_and_agreement};

const CANCEL: &str = "mutation ($id: ID!) { cancelRegistration(registrationId: $id) { status } }";

fn uuid_of(global_id: &str) -> Uuid {
    dkbm_hub::graphql::node::decode(global_id).expect("a global id").1
}

/// What is stored: the registrations by member, the event's counters, each quota's seats taken
/// by quota name.
struct Stored {
    rows: HashMap<Uuid, registration::Model>,
    counters: (i32, i32),
    quotas: HashMap<Uuid, (String, i32, i32)>,
}

impl Stored {
    async fn read(server: &TestServer, event_id: Uuid) -> Stored {
        let db = server.state.conn();
        let rows = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event_id))
            .all(db)
            .await
            .expect("registrations");
        let event = training_event::Entity::find_by_id(event_id)
            .one(db)
            .await
            .expect("event")
            .expect("exists");
        let quotas = event_quota::Entity::find()
            .filter(event_quota::Column::EventId.eq(event_id))
            .all(db)
            .await
            .expect("quotas");
        Stored {
            rows: rows.into_iter().map(|r| (r.member_id, r)).collect(),
            counters: (event.seats_taken, event.waitlist_length),
            quotas: quotas
                .into_iter()
                .map(|q| (q.id, (q.name, q.seats_taken, q.seats_total)))
                .collect(),
        }
    }

    /// The members holding a seat of the quota named so (`None`: of the general pool), sorted.
    fn holders(&self, quota: Option<&str>) -> Vec<Uuid> {
        let mut members: Vec<Uuid> = self
            .rows
            .values()
            .filter(|r| r.status == RegistrationStatus::Confirmed)
            .filter(|r| r.quota_id.map(|q| self.quotas[&q].0.as_str()) == quota)
            .map(|r| r.member_id)
            .collect();
        members.sort();
        members
    }

    /// The waiting list in order (checked: positions 1..=n, no gaps).
    fn waiting(&self) -> Vec<Uuid> {
        let mut waiting: Vec<(i32, Uuid)> = self
            .rows
            .values()
            .filter(|r| r.status == RegistrationStatus::Waitlisted)
            .map(|r| (r.waitlist_position.expect("a position"), r.member_id))
            .collect();
        waiting.sort();
        let positions: Vec<i32> = waiting.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            positions,
            (1..=i32::try_from(waiting.len()).expect("fits")).collect::<Vec<_>>()
        );
        waiting.into_iter().map(|(_, member)| member).collect()
    }

    /// The invariants: never oversold, counters in step with the rows.
    fn check(&self) {
        let confirmed = self
            .rows
            .values()
            .filter(|r| r.status == RegistrationStatus::Confirmed)
            .count();
        assert_eq!(i32::try_from(confirmed).expect("fits"), self.counters.0);
        assert!(self.counters.0 <= 60, "oversold: {}", self.counters.0);
        assert_eq!(i32::try_from(self.waiting().len()).expect("fits"), self.counters.1);
        for (name, taken, total) in self.quotas.values() {
            assert!(taken <= total, "{name} oversold");
            assert_eq!(
                self.holders(Some(name)).len(),
                usize::try_from(*taken).expect("fits"),
                "{name}'s counter"
            );
        }
    }

    fn registered_at(&self, member: &Uuid) -> DateTime<Utc> {
        self.rows[member].registered_at
    }
}

fn sorted(mut members: Vec<Uuid>) -> Vec<Uuid> {
    members.sort();
    members
}

/// Runs `query` for each of these members at once, spread over the servers; the answers by member.
async fn at_once(
    servers: &[Arc<TestServer>],
    sessions: &[&Session],
    query: &'static str,
    id: impl Fn(&Session) -> serde_json::Value,
) -> HashMap<Uuid, serde_json::Value> {
    let tasks: Vec<_> = sessions
        .iter()
        .enumerate()
        .map(|(n, session)| {
            let (server, session) = (servers[n % servers.len()].clone(), (*session).clone());
            let variables = json!({ "id": id(&session) });
            tokio::spawn(async move {
                let response = server.gql_as(&session, query, variables).await;
                (uuid_of(&session.member_id), response)
            })
        })
        .collect();
    let mut answers = HashMap::new();
    for task in tasks {
        let (member, response) = task.await.expect("task");
        assert!(response.get("errors").is_none(), "{response}");
        answers.insert(member, response);
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_keeps_quotas_fifo_never_oversells_and_uses_released_seats() {
    let first = Arc::new(TestServer::start().await);
    first.seed_demo_without_events().await;
    let mut servers = vec![first.clone()];
    servers.extend(first.replica_on_postgres().await.map(Arc::new));
    programme_and_agreement(&first).await;
    let editor = first.event_planner().await;
    let event = first
        .create_event(
            &editor,
            CREATE,
            event_input("Jahreskonferenz Kontingente", Some(60), true),
        )
        .await;
    let past = (Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    for quota in [
        json!({ "name": "Bottrop", "seatsTotal": 10, "municipalityAgs": ["05512000"] }),
        json!({ "name": "Bildungskommunen", "seatsTotal": 10, "programmeSlug": "bildungskommunen-ruhr" }),
        json!({ "name": "Dortmund", "seatsTotal": 10, "municipalityAgs": ["05913000"], "until": past }),
    ] {
        let mut input = quota;
        input["eventId"] = event["id"].clone();
        data(&first.gql_as(&editor, ADD, json!({ "input": input })).await);
    }
    let event_id = uuid_of(event["id"].as_str().expect("id"));
    let bottrop = first.many_members_in("bottrop", 60, Some("05512000")).await;
    let essen = first.many_members_in("essen", 60, Some("05113000")).await;
    let dortmund = first.many_members_in("dortmund", 30, Some("05913000")).await;
    let others = first.many_members_in("andere", 150, None).await;
    let is = |group: &[Session], member: &Uuid| group.iter().any(|s| uuid_of(&s.member_id) == *member);
    // Interleaved, so that every batch mixes the groups.
    let everyone: Vec<&Session> = (0..150)
        .flat_map(|n| [others.get(n), bottrop.get(n), essen.get(n), dortmund.get(n)])
        .flatten()
        .collect();

    let answers = at_once(&servers, &everyone, REGISTER, |_| event["id"].clone()).await;
    let stored = Stored::read(&first, event_id).await;
    stored.check();
    assert_eq!(stored.counters, (60, 240), "exactly the capacity is confirmed");
    let (in_bottrop, in_programme) = (
        stored.holders(Some("Bottrop")),
        stored.holders(Some("Bildungskommunen")),
    );
    assert_eq!((in_bottrop.len(), in_programme.len()), (10, 10));
    assert!(in_bottrop.iter().all(|m| is(&bottrop, m)) && in_programme.iter().all(|m| is(&essen, m)));
    assert!(
        stored.holders(Some("Dortmund")).is_empty(),
        "a released quota takes no seats"
    );
    assert_eq!(
        stored.holders(None).len(),
        40,
        "the general pool has Dortmund's 10 seats too"
    );
    for (member, row) in &stored.rows {
        let told = &data(&answers[member])["registerForEvent"];
        assert_eq!(
            told["waitlistPosition"],
            json!(row.waitlist_position),
            "every member was told what is stored"
        );
    }
    // FIFO per quota: nobody from Bottrop (Essen) who waits registered before a quota holder.
    let waiting = stored.waiting();
    for (holders, group) in [(&in_bottrop, &bottrop), (&in_programme, &essen)] {
        let last_holder = holders.iter().map(|m| stored.registered_at(m)).max().expect("holders");
        assert!(
            waiting
                .iter()
                .filter(|m| is(group, m))
                .all(|m| stored.registered_at(m) >= last_holder)
        );
    }

    // Bottrop's 10 seats freed at once: they go to the first 10 from Bottrop on the list, past
    // everyone else; the list closes up in order.
    let sessions: HashMap<Uuid, &Session> = everyone.iter().map(|s| (uuid_of(&s.member_id), *s)).collect();
    let registration_of = |session: &Session| {
        json!(dkbm_hub::graphql::node::encode("Registration", stored.rows[&uuid_of(&session.member_id)].id).0)
    };
    let leaving: Vec<&Session> = in_bottrop.iter().map(|m| sessions[m]).collect();
    at_once(&servers, &leaving, CANCEL, registration_of).await;
    let after = Stored::read(&first, event_id).await;
    after.check();
    let next_from_bottrop: Vec<Uuid> = waiting.iter().filter(|m| is(&bottrop, m)).take(10).copied().collect();
    assert_eq!(after.holders(Some("Bottrop")), sorted(next_from_bottrop.clone()));
    let rest: Vec<Uuid> = waiting
        .iter()
        .filter(|m| !next_from_bottrop.contains(m))
        .copied()
        .collect();
    assert_eq!(after.waiting(), rest, "nobody else moved; the list closed up in order");
    assert_eq!(after.counters, (60, 230));

    // 10 seats of the general pool freed at once: the first 10 in line get them, whoever they are.
    let general: Vec<&Session> = after.holders(None).iter().take(10).map(|m| sessions[m]).collect();
    at_once(&servers, &general, CANCEL, registration_of).await;
    let last = Stored::read(&first, event_id).await;
    last.check();
    assert_eq!(last.waiting(), rest[10..].to_vec());
    let moved_up: Vec<Uuid> = rest[..10].to_vec();
    assert!(
        moved_up
            .iter()
            .all(|m| last.rows[m].status == RegistrationStatus::Confirmed && last.rows[m].quota_id.is_none())
    );
    assert_eq!(last.counters, (60, 220));
}
