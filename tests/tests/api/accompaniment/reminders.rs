//! The reminder before a review: mailed to both sides of the accompaniment once per date,
//! however many instances make the round (two on one PostgreSQL), again when the date moves,
//! never to those outside.

use dkbm_tests::{ReceivedMail, TestServer, data};
use serde_json::json;

use super::{Workspace, workspace};

/// The review reminders to `address`, once the sender has sent everything queued so far.
async fn reminders_to(w: &Workspace, address: &str) -> Vec<ReceivedMail> {
    use dkbm_entity::{OutboxStatus, outbox_message};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    for _ in 0..500 {
        let waiting = outbox_message::Entity::find()
            .filter(outbox_message::Column::Status.is_in([OutboxStatus::Pending, OutboxStatus::Sending]))
            .count(w.server.state.conn())
            .await
            .expect("count the outbox");
        if waiting == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    w.server
        .mails()
        .into_iter()
        .filter(|m| m.to == address && m.subject.contains("Zielüberprüfung am"))
        .collect()
}

/// One round on each instance at once; how many agreements they reminded of together.
async fn round(server: &TestServer, other: &TestServer) -> usize {
    let days = server.state.config.mail.review_reminder_days;
    let (a, b) = tokio::join!(
        dkbm_hub::accompaniment::service::queue_review_reminders(&server.state.writer, days),
        dkbm_hub::accompaniment::service::queue_review_reminders(&other.state.writer, days)
    );
    a.expect("reminder round") + b.expect("reminder round")
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

#[tokio::test]
async fn the_review_reminder_goes_once_per_date_to_both_sides() {
    let w = workspace().await;
    let replica = w.server.replica_on_postgres().await;
    let other = replica.as_ref().unwrap_or(&w.server);
    assert_eq!(w.server.state.config.mail.review_reminder_days, 14, "the default");
    // Beyond the reminder days: nothing yet.
    data(
        &w.update(&w.editor, json!({ "status": "ACTIVE", "nextReviewOn": in_days(30) }))
            .await,
    );
    assert_eq!(round(&w.server, other).await, 0);
    data(&w.update(&w.staff, json!({ "nextReviewOn": in_days(10) })).await);
    assert_eq!(round(&w.server, other).await, 1, "due once");
    assert_eq!(round(&w.server, other).await, 0, "and reminded");
    for inside in [&w.editor, &w.agency_admin, &w.staff] {
        let mails = reminders_to(&w, &inside.email).await;
        assert_eq!(mails.len(), 1, "{}", inside.email);
        assert!(
            mails[0].text.contains("Zielvereinbarung Gelsenkirchen"),
            "{}",
            mails[0].text
        );
        assert!(mails[0].text.contains("/report.html"), "{}", mails[0].text);
    }
    // The review moves: reminded again, once.
    data(&w.update(&w.editor, json!({ "nextReviewOn": in_days(12) })).await);
    assert_eq!(round(&w.server, other).await, 1);
    assert_eq!(round(&w.server, other).await, 0);
    for inside in [&w.editor, &w.staff] {
        let mails = reminders_to(&w, &inside.email).await;
        assert_eq!(mails.len(), 2, "{}", inside.email);
    }
    let outside: Vec<_> = w
        .server
        .mails()
        .into_iter()
        .filter(|m| {
            m.subject.contains("Zielüberprüfung") && (m.to == w.other_staff.email || m.to == w.other_editor.email)
        })
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
}
