//! Exchange forums: visibility (GROUP forums invisible to outsiders everywhere), threads and
//! posts, locked threads, editing and deleting, moderation of threads, the posting rate limit,
//! and live posts across instances.

use std::time::Duration;

use dkbm_tests::ws::WsClient;
use dkbm_tests::{
    Role, Session, TestServer, array_at, assert_bad_input, data, error_with_code, on_postgres, str_at, strings_at,
};
use serde_json::{Value, json};

const CREATE_FORUM: &str = "mutation ($input: CreateForumInput!) { createForum(input: $input) { id slug visibility } }";
const START: &str = "mutation ($input: StartThreadInput!) { startThread(input: $input) { id title tags postCount authorName locked pinned } }";
const REPLY: &str =
    "mutation ($input: ReplyInput!) { replyToThread(input: $input) { id body bodyHtml authorName replyTo { id } } }";
const THREADS: &str =
    "query ($slug: String!, $filter: ThreadFilter) { forum(slug: $slug) { threadCount viewerCanWrite viewerCanModerate
  threads(first: 50, filter: $filter) { totalCount nodes { title pinned locked postCount tags } } } }";
const POSTS: &str = "query ($id: ID!) { node(id: $id) { ... on ForumThread { title posts(first: 50) { totalCount edges { cursor node { id body deleted editedAt authorName } } } } } }";

struct Cast {
    server: TestServer,
    moderator: Session,
    alice: Session,
    bob: Session,
    public: Value,
    group: Value,
}

async fn forum(server: &TestServer, moderator: &Session, slug: &str, visibility: &str) -> Value {
    let response = server
        .gql_as(
            moderator,
            CREATE_FORUM,
            json!({ "input": { "slug": slug, "title": format!("Forum {slug}"), "visibility": visibility } }),
        )
        .await;
    data(&response)["createForum"].clone()
}

async fn cast_on(server: TestServer) -> Cast {
    let moderator = server
        .member_with_role("moderation@dkbm.de", Role::Moderator, None)
        .await;
    let mut members = server.many_members("forum", 2).await;
    let bob = members.remove(1);
    let alice = members.remove(0);
    let public = forum(&server, &moderator, "austausch", "PUBLIC").await;
    let group = forum(&server, &moderator, "ag-bildungsmonitoring", "GROUP").await;
    Cast {
        server,
        moderator,
        alice,
        bob,
        public,
        group,
    }
}

async fn start(server: &TestServer, session: &Session, forum: &Value, title: &str, tags: Value) -> Value {
    let response = server
        .gql_as(
            session,
            START,
            json!({ "input": { "forumId": forum["id"], "title": title, "body": "Wie macht ihr das?", "tags": tags } }),
        )
        .await;
    data(&response)["startThread"].clone()
}

/// The public forum with two threads: Alice's "Bildungsberichte im Vergleich" (tagged, with
/// Bob's reply to its first post, so it has the latest activity) and Bob's "Kita-Daten".
struct TwoThreads {
    cast: Cast,
    /// The `startThread` answers.
    thread: Value,
    other: Value,
    /// The id of the first post of Alice's thread.
    first_post: Value,
    /// The `replyToThread` answer.
    reply: Value,
}

async fn two_threads() -> TwoThreads {
    let cast = cast_on(TestServer::start().await).await;
    let server = &cast.server;
    let thread = start(
        server,
        &cast.alice,
        &cast.public,
        "Bildungsberichte im Vergleich",
        json!(["Monitoring", "monitoring", "Berichte"]),
    )
    .await;
    let other = start(server, &cast.bob, &cast.public, "Kita-Daten", json!([])).await;

    let posts = data(&server.gql(POSTS, json!({ "id": thread["id"] })).await)["node"]["posts"].clone();
    let first_post = posts["edges"][0]["node"]["id"].clone();
    let reply = server
        .gql_as(
            &cast.bob,
            REPLY,
            json!({ "input": { "threadId": thread["id"], "body": "Wir nutzen **Indikatoren**.<script>x()</script>", "replyToPostId": first_post } }),
        )
        .await;
    let reply = data(&reply)["replyToThread"].clone();
    TwoThreads {
        cast,
        thread,
        other,
        first_post,
        reply,
    }
}

#[tokio::test]
async fn members_start_threads_and_reply_in_sanitised_markdown() {
    let TwoThreads {
        thread,
        first_post,
        reply,
        ..
    } = two_threads().await;
    assert_eq!(thread["tags"], json!(["berichte", "monitoring"]));
    assert_eq!(thread["postCount"], 1);
    assert_eq!(thread["authorName"], "Jürgen Müller 0");
    assert_eq!(reply["replyTo"]["id"], first_post);
    assert!(!str_at(&reply, "/bodyHtml").contains("<script"));
}

#[tokio::test]
async fn threads_list_latest_activity_first_pinned_on_top_and_filter_by_tag_and_text() {
    let TwoThreads { cast, other, .. } = two_threads().await;
    let server = &cast.server;
    // Latest activity first; a pinned thread before all.
    let list = data(&server.gql(THREADS, json!({ "slug": "austausch" })).await)["forum"].clone();
    assert_eq!(list["threadCount"], 2);
    assert_eq!(list["viewerCanWrite"], false, "anonymous readers cannot write");
    let titles = strings_at(&list, "/threads/nodes", "/title");
    assert_eq!(titles, ["Bildungsberichte im Vergleich", "Kita-Daten"]);
    data(
        &server
            .gql_as(
                &cast.moderator,
                "mutation ($id: ID!) { pinThread(threadId: $id, pinned: true) { pinned } }",
                json!({ "id": other["id"] }),
            )
            .await,
    );
    let list = data(&server.gql(THREADS, json!({ "slug": "austausch" })).await)["forum"].clone();
    assert_eq!(list["threads"]["nodes"][0]["title"], "Kita-Daten");
    let tagged = data(
        &server
            .gql(
                THREADS,
                json!({ "slug": "austausch", "filter": { "tag": "Monitoring" } }),
            )
            .await,
    )["forum"]
        .clone();
    assert_eq!(tagged["threads"]["totalCount"], 1);
    let searched = data(
        &server
            .gql(
                THREADS,
                json!({ "slug": "austausch", "filter": { "search": "bildungsbericht" } }),
            )
            .await,
    )["forum"]
        .clone();
    assert_eq!(
        searched["threads"]["nodes"][0]["title"],
        "Bildungsberichte im Vergleich"
    );
}

#[tokio::test]
async fn only_moderators_lock_threads_and_a_locked_thread_refuses_replies() {
    let TwoThreads { cast, thread, .. } = two_threads().await;
    let server = &cast.server;
    // Only moderators pin and lock; a locked thread refuses replies.
    let not_moderator = server
        .gql_as(
            &cast.alice,
            "mutation ($id: ID!) { lockThread(threadId: $id, locked: true) { locked } }",
            json!({ "id": thread["id"] }),
        )
        .await;
    error_with_code(&not_moderator, "FORBIDDEN");
    data(
        &server
            .gql_as(
                &cast.moderator,
                "mutation ($id: ID!) { lockThread(threadId: $id, locked: true) { locked } }",
                json!({ "id": thread["id"] }),
            )
            .await,
    );
    let locked = server
        .gql_as(
            &cast.bob,
            REPLY,
            json!({ "input": { "threadId": thread["id"], "body": "Noch etwas" } }),
        )
        .await;
    let error = error_with_code(&locked, "FORBIDDEN");
    assert!(str_at(error, "/message").contains("locked"));
}

#[tokio::test]
async fn authors_edit_their_posts_and_deleted_posts_stay_as_placeholders() {
    let TwoThreads {
        cast, thread, reply, ..
    } = two_threads().await;
    let server = &cast.server;
    // Editing is the author's; deleting the author's or a moderator's; deleted posts stay.
    let edit = "mutation ($id: ID!, $b: String!) { editPost(postId: $id, body: $b) { body editedAt } }";
    let foreign = server
        .gql_as(&cast.alice, edit, json!({ "id": reply["id"], "b": "übernommen" }))
        .await;
    error_with_code(&foreign, "FORBIDDEN");
    let edited = server
        .gql_as(
            &cast.bob,
            edit,
            json!({ "id": reply["id"], "b": "Wir nutzen Indikatoren des Bildungsmonitorings." }),
        )
        .await;
    assert!(data(&edited)["editPost"]["editedAt"].is_string());
    let delete = "mutation ($id: ID!) { deletePost(postId: $id) { body deleted } }";
    let by_other = server.gql_as(&cast.alice, delete, json!({ "id": reply["id"] })).await;
    error_with_code(&by_other, "FORBIDDEN");
    let deleted = server
        .gql_as(&cast.moderator, delete, json!({ "id": reply["id"] }))
        .await;
    assert_eq!(
        data(&deleted)["deletePost"],
        json!({ "body": "[deleted]", "deleted": true })
    );
    let posts = data(&server.gql(POSTS, json!({ "id": thread["id"] })).await)["node"]["posts"].clone();
    assert_eq!(posts["totalCount"], 2);
    assert_eq!(posts["edges"][1]["node"]["body"], "[deleted]");
}

#[tokio::test]
async fn bad_thread_and_reply_input_is_answered_precisely() {
    let TwoThreads {
        cast,
        other,
        first_post,
        ..
    } = two_threads().await;
    let server = &cast.server;
    let empty = server
        .gql_as(
            &cast.alice,
            START,
            json!({ "input": { "forumId": cast.public["id"], "title": " ", "body": "x" } }),
        )
        .await;
    assert_bad_input(&empty, "input.title");
    let huge = server
        .gql_as(
            &cast.alice,
            REPLY,
            json!({ "input": { "threadId": other["id"], "body": "x".repeat(50_001) } }),
        )
        .await;
    assert_bad_input(&huge, "input.body");
    let elsewhere = server
        .gql_as(
            &cast.alice,
            REPLY,
            json!({ "input": { "threadId": other["id"], "body": "x", "replyToPostId": first_post } }),
        )
        .await;
    assert_bad_input(&elsewhere, "input.replyToPostId");
    let anonymous = server
        .gql(REPLY, json!({ "input": { "threadId": other["id"], "body": "x" } }))
        .await;
    error_with_code(&anonymous, "UNAUTHENTICATED");
}

/// The group forum with Alice as a member and her thread "Interne Abstimmung" in it.
struct GroupThread {
    cast: Cast,
    thread: Value,
}

async fn group_thread() -> GroupThread {
    let cast = cast_on(TestServer::start().await).await;
    let server = &cast.server;
    data(
        &server
            .gql_as(
                &cast.moderator,
                "mutation ($f: ID!, $m: ID!) { setForumRole(forumId: $f, memberId: $m, role: MEMBER) { slug } }",
                json!({ "f": cast.group["id"], "m": cast.alice.member_id }),
            )
            .await,
    );
    let thread = start(server, &cast.alice, &cast.group, "Interne Abstimmung", json!([])).await;
    GroupThread { cast, thread }
}

const FORUM_SLUGS: &str = "{ forums { nodes { slug } } }";
const SEARCH_INTERNAL: &str =
    "{ search(query: \"interne Abstimmung\") { totalCount nodes { __typename ... on ForumThread { title } } } }";

fn forum_slugs(response: Value) -> Vec<String> {
    strings_at(data(&response), "/forums/nodes", "/slug")
        .into_iter()
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_groups_members_and_moderators_list_find_and_read_its_forum() {
    let GroupThread { cast, thread } = group_thread().await;
    let server = &cast.server;
    assert_eq!(
        forum_slugs(server.gql_as(&cast.alice, FORUM_SLUGS, json!({})).await),
        ["ag-bildungsmonitoring", "austausch"]
    );
    // The search finds the thread for the group.
    let found = data(&server.gql_as(&cast.alice, SEARCH_INTERNAL, json!({})).await)["search"].clone();
    assert_eq!(
        found["nodes"],
        json!([{ "__typename": "ForumThread", "title": "Interne Abstimmung" }])
    );
    // Moderators see it; the group member reads it.
    assert_eq!(
        forum_slugs(server.gql_as(&cast.moderator, FORUM_SLUGS, json!({})).await).len(),
        2
    );
    let posts = server.gql_as(&cast.alice, POSTS, json!({ "id": thread["id"] })).await;
    assert_eq!(data(&posts)["node"]["posts"]["totalCount"], 1);
}

#[tokio::test]
async fn group_forums_are_invisible_to_outsiders_everywhere() {
    let GroupThread { cast, thread } = group_thread().await;
    let server = &cast.server;
    assert_eq!(
        forum_slugs(server.gql_as(&cast.bob, FORUM_SLUGS, json!({})).await),
        ["austausch"]
    );
    assert_eq!(forum_slugs(server.gql(FORUM_SLUGS, json!({})).await), ["austausch"]);
    let by_slug = server
        .gql_as(
            &cast.bob,
            "{ forum(slug: \"ag-bildungsmonitoring\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(data(&by_slug)["forum"], Value::Null);
    for id in [&cast.group["id"], &thread["id"]] {
        let node = server
            .gql_as(
                &cast.bob,
                "query ($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(data(&node)["node"], Value::Null);
    }
    let write = server
        .gql_as(
            &cast.bob,
            START,
            json!({ "input": { "forumId": cast.group["id"], "title": "t", "body": "b" } }),
        )
        .await;
    assert_bad_input(&write, "input.forumId");
    let mut socket = WsClient::connect_and_init(&server.base, Some(&cast.bob.access_token)).await;
    socket
        .subscribe(
            "p",
            "subscription ($id: ID!) { postAdded(threadId: $id) { id } }",
            json!({ "id": thread["id"] }),
        )
        .await;
    let refused = socket.next_message().await;
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{refused}"
    );
    // The search does not find the thread for outsiders.
    assert_eq!(
        data(&server.gql_as(&cast.bob, SEARCH_INTERNAL, json!({})).await)["search"]["totalCount"],
        0
    );
}

#[tokio::test]
async fn a_deleted_account_leaves_its_posts_by_a_deleted_member() {
    let GroupThread { cast, thread } = group_thread().await;
    let server = &cast.server;
    data(
        &server
            .gql_as(
                &cast.alice,
                "mutation ($p: String!) { deleteMyAccount(password: $p) }",
                json!({ "p": dkbm_tests::PASSWORD }),
            )
            .await,
    );
    let posts = server
        .gql_as(&cast.moderator, POSTS, json!({ "id": thread["id"] }))
        .await;
    assert_eq!(
        data(&posts)["node"]["posts"]["edges"][0]["node"]["authorName"],
        "deleted member"
    );
}

#[tokio::test]
async fn posting_is_rate_limited_per_member() {
    let server = TestServer::start_with(|config| config.forum_posts_per_minute = 3).await;
    let cast = cast_on(server).await;
    let thread = start(&cast.server, &cast.alice, &cast.public, "Viele Fragen", json!([])).await;
    for _ in 0..2 {
        data(
            &cast
                .server
                .gql_as(
                    &cast.alice,
                    REPLY,
                    json!({ "input": { "threadId": thread["id"], "body": "noch eine" } }),
                )
                .await,
        );
    }
    let limited = cast
        .server
        .gql_as(
            &cast.alice,
            REPLY,
            json!({ "input": { "threadId": thread["id"], "body": "zu viel" } }),
        )
        .await;
    error_with_code(&limited, "RATE_LIMITED");
    // Said in German to a client that prefers German.
    let german = cast
        .server
        .gql_in(
            "de-DE,de;q=0.9",
            Some(&cast.alice.access_token),
            REPLY,
            json!({ "input": { "threadId": thread["id"], "body": "zu viel" } }),
        )
        .await;
    assert_eq!(
        error_with_code(&german, "RATE_LIMITED")["message"],
        "höchstens 3 Beiträge pro Minute; warten Sie einen Moment"
    );
    // Others are not affected.
    data(
        &cast
            .server
            .gql_as(
                &cast.bob,
                REPLY,
                json!({ "input": { "threadId": thread["id"], "body": "ich darf" } }),
            )
            .await,
    );
}

#[tokio::test]
async fn posts_arrive_live_on_another_instance() {
    let cast = cast_on(TestServer::start().await).await;
    // On PostgreSQL a second instance on the same database listens; SQLite has one instance.
    let other = cast.server.replica_on_postgres().await;
    let thread = start(&cast.server, &cast.alice, &cast.public, "Live", json!([])).await;
    let listen_on = other
        .as_ref()
        .map_or(cast.server.base.clone(), |other| other.base.clone());
    let mut socket = WsClient::connect_and_init(&listen_on, None).await;
    socket
        .subscribe(
            "p",
            "subscription ($id: ID!) { postAdded(threadId: $id) { body authorName } }",
            json!({ "id": thread["id"] }),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    data(
        &cast
            .server
            .gql_as(
                &cast.bob,
                REPLY,
                json!({ "input": { "threadId": thread["id"], "body": "Hallo aus Dortmund" } }),
            )
            .await,
    );
    let message = socket.next_message().await;
    assert_eq!(message["payload"]["data"]["postAdded"]["body"], "Hallo aus Dortmund");
    assert!(started.elapsed() < Duration::from_secs(1), "delivered within a second");
}

const HIDE: &str = "mutation ($id: ID!) { hidePost(postId: $id, reason: \"Werbung\") { hidden hiddenReason } }";
const UNHIDE: &str = "mutation ($id: ID!) { unhidePost(postId: $id) { hidden } }";

/// Alice's thread "Datenschutzfrage" in the public forum with Bob's advert as a reply.
struct Advert {
    cast: Cast,
    thread: Value,
    /// The id of Bob's reply.
    reply: Value,
}

async fn advert() -> Advert {
    let cast = cast_on(TestServer::start().await).await;
    let server = &cast.server;
    let thread = start(server, &cast.alice, &cast.public, "Datenschutzfrage", json!([])).await;
    let reply = server
        .gql_as(
            &cast.bob,
            REPLY,
            json!({ "input": { "threadId": thread["id"], "body": "Werbung für mein Produkt" } }),
        )
        .await;
    let reply = data(&reply)["replyToThread"]["id"].clone();
    Advert { cast, thread, reply }
}

#[tokio::test]
async fn only_moderators_hide_posts_and_a_hidden_post_shows_only_to_its_author_and_moderators() {
    let Advert { cast, thread, reply } = advert().await;
    let server = &cast.server;
    error_with_code(
        &server.gql_as(&cast.alice, HIDE, json!({ "id": reply })).await,
        "FORBIDDEN",
    );
    let hidden = server.gql_as(&cast.moderator, HIDE, json!({ "id": reply })).await;
    assert_eq!(
        data(&hidden)["hidePost"],
        json!({ "hidden": true, "hiddenReason": "Werbung" })
    );
    let count = |session: Option<&Session>| {
        let token = session.map(|s| s.access_token.clone());
        let id = thread["id"].clone();
        async move {
            let response = server.gql_with(token.as_deref(), POSTS, json!({ "id": id })).await;
            data(&response)["node"]["posts"]["totalCount"].clone()
        }
    };
    assert_eq!(count(None).await, 1, "others do not see a hidden post");
    assert_eq!(count(Some(&cast.alice)).await, 1);
    assert_eq!(count(Some(&cast.bob)).await, 2, "its author sees it");
    assert_eq!(count(Some(&cast.moderator)).await, 2, "moderators see it");
    let node = server
        .gql("query ($id: ID!) { node(id: $id) { id } }", json!({ "id": reply }))
        .await;
    assert_eq!(data(&node)["node"], Value::Null);
    // Nor through a reply to it.
    let answer = server
        .gql_as(
            &cast.alice,
            REPLY,
            json!({ "input": { "threadId": thread["id"], "body": "Bitte nicht", "replyToPostId": reply } }),
        )
        .await;
    let answer = data(&answer)["replyToThread"]["id"].clone();
    let reply_to = "query ($id: ID!) { node(id: $id) { ... on ForumPost { replyTo { body } } } }";
    assert_eq!(
        data(&server.gql(reply_to, json!({ "id": answer })).await)["node"]["replyTo"],
        Value::Null
    );
    assert_eq!(
        data(&server.gql_as(&cast.moderator, reply_to, json!({ "id": answer })).await)["node"]["replyTo"]["body"],
        "Werbung für mein Produkt"
    );
    data(&server.gql_as(&cast.moderator, UNHIDE, json!({ "id": reply })).await);
    assert_eq!(count(None).await, 3);
}

#[tokio::test]
async fn moderators_move_threads_and_every_moderation_is_logged_in_its_forum() {
    let Advert { cast, thread, reply } = advert().await;
    let server = &cast.server;
    data(&server.gql_as(&cast.moderator, HIDE, json!({ "id": reply })).await);
    data(&server.gql_as(&cast.moderator, UNHIDE, json!({ "id": reply })).await);
    let archive = forum(server, &cast.moderator, "archiv", "MEMBERS").await;
    let moved = server
        .gql_as(
            &cast.moderator,
            "mutation ($t: ID!, $f: ID!) { moveThread(threadId: $t, toForumId: $f) { forum { slug } } }",
            json!({ "t": thread["id"], "f": archive["id"] }),
        )
        .await;
    assert_eq!(data(&moved)["moveThread"]["forum"]["slug"], "archiv");
    let forums = data(
        &server
            .gql_as(&cast.alice, "{ forums { nodes { slug threadCount } } }", json!({}))
            .await,
    )["forums"]["nodes"]
        .clone();
    assert_eq!(
        forums,
        json!([{ "slug": "archiv", "threadCount": 1 }, { "slug": "austausch", "threadCount": 0 }])
    );
    data(
        &server
            .gql_as(
                &cast.moderator,
                "mutation ($id: ID!) { deletePost(postId: $id) { deleted } }",
                json!({ "id": reply }),
            )
            .await,
    );

    let log = "query ($slug: String!) { forum(slug: $slug) { moderationLog(first: 20) { nodes { action reason moderator { displayName } } } } }";
    let entries = data(
        &server
            .gql_as(&cast.moderator, log, json!({ "slug": "austausch" }))
            .await,
    )["forum"]["moderationLog"]["nodes"]
        .clone();
    let actions = strings_at(&entries, "", "/action");
    assert_eq!(actions, ["MOVE_OUT", "UNHIDE", "HIDE"]);
    assert_eq!(entries[2]["reason"], "Werbung");
    let entries = data(&server.gql_as(&cast.moderator, log, json!({ "slug": "archiv" })).await)["forum"]["moderationLog"]["nodes"].clone();
    let actions = strings_at(&entries, "", "/action");
    assert_eq!(actions, ["DELETE_POST", "MOVE_IN"]);
    let refused = server.gql_as(&cast.alice, log, json!({ "slug": "archiv" })).await;
    error_with_code(&refused, "FORBIDDEN");
}

const MY_NOTIFICATIONS: &str =
    "{ unreadNotificationCount notifications(first: 10) { totalCount nodes { id kind readAt thread { title } } } }";

/// Alice's thread "Kennzahlen Kita" in the public forum, watched by Carol.
struct WatchedThread {
    cast: Cast,
    carol: Session,
    thread: Value,
}

async fn watched_thread() -> WatchedThread {
    let cast = cast_on(TestServer::start().await).await;
    let server = &cast.server;
    let carol = server.many_members("carol", 1).await.remove(0);
    let thread = start(server, &cast.alice, &cast.public, "Kennzahlen Kita", json!([])).await;
    data(
        &server
            .gql_as(
                &carol,
                "mutation ($id: ID!) { watchThread(threadId: $id) { viewerWatching } }",
                json!({ "id": thread["id"] }),
            )
            .await,
    );
    WatchedThread { cast, carol, thread }
}

impl WatchedThread {
    /// Bob replies to the thread's first post ("Antwort an Alice"), then to the thread ("Noch
    /// ein Gedanke"), then starts "Neues Thema"; the id of his first reply.
    async fn bob_joins_in(&self) -> Value {
        let server = &self.cast.server;
        let first_post = data(&server.gql(POSTS, json!({ "id": self.thread["id"] })).await)["node"]["posts"]["edges"]
            [0]["node"]["id"]
            .clone();
        let reply = server
            .gql_as(
                &self.cast.bob,
                REPLY,
                json!({ "input": { "threadId": self.thread["id"], "body": "Antwort an Alice", "replyToPostId": first_post } }),
            )
            .await;
        let reply = data(&reply)["replyToThread"]["id"].clone();
        data(
            &server
                .gql_as(
                    &self.cast.bob,
                    REPLY,
                    json!({ "input": { "threadId": self.thread["id"], "body": "Noch ein Gedanke" } }),
                )
                .await,
        );
        start(server, &self.cast.bob, &self.cast.public, "Neues Thema", json!([])).await;
        reply
    }
}

#[tokio::test]
async fn notifications_and_forum_activity_arrive_live() {
    let watched = watched_thread().await;
    let (cast, server) = (&watched.cast, &watched.cast.server);
    // Live: Alice's notifications, and the forum's activity.
    let mut notifications = WsClient::connect_and_init(&server.base, Some(&cast.alice.access_token)).await;
    notifications
        .subscribe(
            "n",
            "subscription { notificationAdded { kind post { body } thread { title } } }",
            json!({}),
        )
        .await;
    let mut activity = WsClient::connect_and_init(&server.base, None).await;
    activity
        .subscribe(
            "f",
            "subscription { forumActivity(forumSlug: \"austausch\") { threadStarted thread { title } post { body } } }",
            json!({}),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    watched.bob_joins_in().await;
    let live = notifications.next_message().await;
    assert_eq!(live["payload"]["data"]["notificationAdded"]["kind"], "REPLY", "{live}");
    assert_eq!(
        live["payload"]["data"]["notificationAdded"]["post"]["body"],
        "Antwort an Alice"
    );
    let event = activity.next_message().await;
    assert_eq!(event["payload"]["data"]["forumActivity"]["threadStarted"], false);
    assert_eq!(
        event["payload"]["data"]["forumActivity"]["post"]["body"],
        "Antwort an Alice"
    );
    let event = activity.next_message().await;
    assert_eq!(
        event["payload"]["data"]["forumActivity"]["post"]["body"],
        "Noch ein Gedanke"
    );
    let event = activity.next_message().await;
    assert_eq!(event["payload"]["data"]["forumActivity"]["threadStarted"], true);
    assert_eq!(
        event["payload"]["data"]["forumActivity"]["thread"]["title"],
        "Neues Thema"
    );
}

#[tokio::test]
async fn watchers_and_replied_authors_are_notified_newest_first_but_never_of_their_own_posts() {
    let watched = watched_thread().await;
    watched.bob_joins_in().await;
    let WatchedThread { cast, carol, .. } = watched;
    let server = &cast.server;
    let alice = data(&server.gql_as(&cast.alice, MY_NOTIFICATIONS, json!({})).await).clone();
    assert_eq!(alice["unreadNotificationCount"], 2);
    let kinds = strings_at(&alice, "/notifications/nodes", "/kind");
    assert_eq!(
        kinds,
        ["NEW_POST", "REPLY"],
        "newest first; Alice watches the thread she started"
    );
    let carol_view = data(&server.gql_as(&carol, MY_NOTIFICATIONS, json!({})).await).clone();
    assert_eq!(carol_view["unreadNotificationCount"], 2);
    let bob_view = data(&server.gql_as(&cast.bob, MY_NOTIFICATIONS, json!({})).await).clone();
    assert_eq!(
        bob_view["unreadNotificationCount"], 0,
        "nobody is notified of their own posts"
    );
}

#[tokio::test]
async fn unread_counts_per_thread_and_forum_until_marked_read() {
    let watched = watched_thread().await;
    let reply = watched.bob_joins_in().await;
    let WatchedThread { cast, thread, .. } = watched;
    let server = &cast.server;
    let alice = data(&server.gql_as(&cast.alice, MY_NOTIFICATIONS, json!({})).await).clone();
    // Unread counts: per thread and per forum, not counting one's own posts.
    let unread = "query ($slug: String!) { forum(slug: $slug) { unreadCount threads { nodes { title unreadCount viewerWatching } } } }";
    let view = data(&server.gql_as(&cast.alice, unread, json!({ "slug": "austausch" })).await)["forum"].clone();
    assert_eq!(view["unreadCount"], 3, "two replies and the new thread's first post");
    let kennzahlen = array_at(&view, "/threads/nodes")
        .iter()
        .find(|t| t["title"] == "Kennzahlen Kita")
        .cloned()
        .expect("the thread Kennzahlen Kita in the forum's list");
    assert_eq!(
        (kennzahlen["unreadCount"].clone(), kennzahlen["viewerWatching"].clone()),
        (json!(2), json!(true))
    );
    let read = "mutation ($t: ID!, $p: ID!) { markThreadRead(threadId: $t, upToPostId: $p) { unreadCount } }";
    let marked = server
        .gql_as(&cast.alice, read, json!({ "t": thread["id"], "p": reply }))
        .await;
    assert_eq!(data(&marked)["markThreadRead"]["unreadCount"], 1);
    let elsewhere = server
        .gql_as(
            &cast.alice,
            read,
            json!({ "t": thread["id"], "p": "Rm9ydW1Qb3N0OjAxOTAwMDAwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA" }),
        )
        .await;
    assert_bad_input(&elsewhere, "upToPostId");

    let ids = json!([alice["notifications"]["nodes"][1]["id"]]);
    let left = server
        .gql_as(
            &cast.alice,
            "mutation ($ids: [ID!]) { markNotificationsRead(ids: $ids) }",
            json!({ "ids": ids }),
        )
        .await;
    assert_eq!(data(&left)["markNotificationsRead"], 1);
    let left = server
        .gql_as(&cast.alice, "mutation { markNotificationsRead }", json!({}))
        .await;
    assert_eq!(data(&left)["markNotificationsRead"], 0);
}

#[tokio::test]
async fn unwatching_stops_notifications() {
    let watched = watched_thread().await;
    watched.bob_joins_in().await;
    let WatchedThread { cast, carol, thread } = watched;
    let server = &cast.server;
    // Unwatching stops notifications.
    data(
        &server
            .gql_as(
                &carol,
                "mutation ($id: ID!) { unwatchThread(threadId: $id) { viewerWatching } }",
                json!({ "id": thread["id"] }),
            )
            .await,
    );
    data(
        &server
            .gql_as(
                &cast.bob,
                REPLY,
                json!({ "input": { "threadId": thread["id"], "body": "Letzte Antwort" } }),
            )
            .await,
    );
    let carol_view = data(&server.gql_as(&carol, MY_NOTIFICATIONS, json!({})).await).clone();
    assert_eq!(carol_view["notifications"]["totalCount"], 2);
    let anonymous = server.gql(MY_NOTIFICATIONS, json!({})).await;
    error_with_code(&anonymous, "UNAUTHENTICATED");
}

/// The writing instance restarted: stopped, and a new instance started on the same database
/// (on SQLite the same file); on PostgreSQL also a second instance to listen on, started before
/// the restart (on SQLite the restarted instance is the listener too).
async fn listener_and_restarted_writer(server: TestServer) -> (Option<TestServer>, TestServer) {
    let db = server.db.clone();
    let listener = if on_postgres() {
        Some(TestServer::start_on(db.clone(), |_| {}).await)
    } else {
        let file = db
            .url
            .strip_prefix("sqlite://")
            .and_then(|rest| rest.split('?').next())
            .unwrap_or_else(|| panic!("a SQLite file: {}", db.url));
        assert!(
            std::path::Path::new(file).is_file(),
            "the database is a file: {}",
            db.url
        );
        None
    };
    server.stop().await;
    let writer = TestServer::start_on(db, |_| {}).await;
    (listener, writer)
}

#[tokio::test]
async fn live_posts_survive_a_restart_of_the_writing_instance_and_respect_visibility() {
    let GroupThread { cast, thread } = group_thread().await;
    let Cast {
        server,
        moderator,
        alice,
        group,
        ..
    } = cast;
    let (listener, writer) = listener_and_restarted_writer(server).await;
    // What was written before the restart is there after it, Alice's session too.
    let before = data(&writer.gql_as(&alice, POSTS, json!({ "id": thread["id"] })).await)["node"].clone();
    assert_eq!(
        (&before["title"], &before["posts"]["totalCount"]),
        (&json!("Interne Abstimmung"), &json!(1)),
        "{before}"
    );
    let listen_on = listener.as_ref().map_or(writer.base.clone(), |l| l.base.clone());
    let mut socket = WsClient::connect_and_init(&listen_on, Some(&alice.access_token)).await;
    socket
        .subscribe(
            "p",
            "subscription ($id: ID!) { postAdded(threadId: $id) { body } }",
            json!({ "id": thread["id"] }),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let posts = "query ($id: ID!, $after: String) { node(id: $id) { ... on ForumThread { posts(first: 50, after: $after) { edges { cursor node { body } } } } } }";
    let seen =
        data(&writer.gql_as(&alice, posts, json!({ "id": thread["id"] })).await)["node"]["posts"]["edges"][0]["cursor"]
            .clone();
    data(
        &writer
            .gql_as(
                &moderator,
                REPLY,
                json!({ "input": { "threadId": thread["id"], "body": "Protokoll folgt" } }),
            )
            .await,
    );
    let message = socket.next_message().await;
    assert_eq!(message["payload"]["data"]["postAdded"]["body"], "Protokoll folgt");

    // Removed from the group: the next post is not delivered to Alice any more.
    data(
        &writer
            .gql_as(
                &moderator,
                "mutation ($f: ID!, $m: ID!) { setForumRole(forumId: $f, memberId: $m, role: null) { slug } }",
                json!({ "f": group["id"], "m": alice.member_id }),
            )
            .await,
    );
    data(
        &writer
            .gql_as(
                &moderator,
                REPLY,
                json!({ "input": { "threadId": thread["id"], "body": "Vertraulich" } }),
            )
            .await,
    );
    assert!(
        matches!(
            socket.receive(Duration::from_millis(700)).await,
            dkbm_tests::ws::Received::Nothing
        ),
        "a post Alice may no longer read is not delivered"
    );
    // A client that reconnects catches up with the posts after its last cursor (the moderator
    // still reads the group's thread).
    let missed = data(
        &writer
            .gql_as(&moderator, posts, json!({ "id": thread["id"], "after": seen }))
            .await,
    )["node"]["posts"]["edges"]
        .clone();
    let bodies = strings_at(&missed, "", "/node/body");
    assert_eq!(bodies, ["Protokoll folgt", "Vertraulich"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_rate_limit_holds_for_posts_sent_at_once() {
    let server = TestServer::start_with(|config| config.forum_posts_per_minute = 5).await;
    let second = if on_postgres() {
        Some(TestServer::start_on(server.db.clone(), |config| config.forum_posts_per_minute = 5).await)
    } else {
        None
    };
    let cast = cast_on(server).await;
    let thread = start(
        &cast.server,
        &cast.alice,
        &cast.public,
        "Schnell hintereinander",
        json!([]),
    )
    .await;
    let bases: Vec<&TestServer> = std::iter::once(&cast.server).chain(second.as_ref()).collect();
    let replies = (0..12).map(|n| {
        let server = bases[n % bases.len()];
        let input = json!({ "input": { "threadId": thread["id"], "body": format!("Antwort {n}") } });
        let alice = &cast.alice;
        async move { server.gql_as(alice, REPLY, input).await }
    });
    let answers = futures::future::join_all(replies).await;
    let written = answers.iter().filter(|a| a["errors"].is_null()).count();
    let limited = answers
        .iter()
        .filter(|a| a["errors"][0]["extensions"]["code"] == "RATE_LIMITED")
        .count();
    assert_eq!(
        (written, limited),
        (4, 8),
        "five posts a minute, the thread's first one included"
    );
}

#[tokio::test]
async fn subscribers_a_post_does_not_notify_cost_no_lookup() {
    let cast = cast_on(TestServer::start().await).await;
    let server = &cast.server;
    // Alice watches the thread she started; Bob's replies notify her alone.
    let thread = start(server, &cast.alice, &cast.public, "Ruhige Runde", json!([])).await;
    let reply = |body: &'static str| {
        server.gql_as(
            &cast.bob,
            REPLY,
            json!({ "input": { "threadId": thread["id"], "body": body } }),
        )
    };
    let statements_of = |body: &'static str| async move {
        let before = server.statements();
        data(&reply(body).await);
        // Subscribers work after the commit: give them the time to.
        tokio::time::sleep(Duration::from_millis(300)).await;
        server.statements() - before
    };
    data(&reply("Erste Antwort (Bob beobachtet nun auch)").await);
    let without_subscribers = statements_of("Zweite Antwort").await;

    let listeners = server.many_members("still", 5).await;
    let mut sockets = Vec::new();
    for listener in &listeners {
        let mut socket = WsClient::connect_and_init(&server.base, Some(&listener.access_token)).await;
        socket
            .subscribe("n", "subscription { notificationAdded { kind } }", json!({}))
            .await;
        sockets.push(socket);
    }
    every_socket_hears_of_a_post(server, &cast.alice, &cast.public, &listeners, &mut sockets).await;
    let with_subscribers = statements_of("Dritte Antwort").await;
    assert_eq!(
        with_subscribers, without_subscribers,
        "five subscribers who are not notified must not look anything up"
    );
    for socket in &mut sockets {
        assert_eq!(
            socket.receive(Duration::from_millis(100)).await,
            dkbm_tests::ws::Received::Nothing,
            "the post notifies none of them"
        );
    }
}

/// Proves each listener's subscription live: the first listener starts a thread the others
/// watch (none of them gets forum mail, whose sending would add statements later), the
/// author replies to it, and every socket receives its notification.
async fn every_socket_hears_of_a_post(
    server: &TestServer,
    author: &Session,
    forum: &Value,
    listeners: &[Session],
    sockets: &mut [WsClient],
) {
    let no_mail = "mutation { updateNotificationSettings(input: { forumMail: OFF }) { id } }";
    for listener in listeners {
        data(&server.gql_as(listener, no_mail, json!({})).await);
    }
    let thread = start(server, &listeners[0], forum, "Lauter Faden", json!([])).await;
    let watch = "mutation ($id: ID!) { watchThread(threadId: $id) { viewerWatching } }";
    for listener in &listeners[1..] {
        data(&server.gql_as(listener, watch, json!({ "id": thread["id"] })).await);
    }
    let input = json!({ "input": { "threadId": thread["id"], "body": "Für alle Zuhörer" } });
    data(&server.gql_as(author, REPLY, input).await);
    for socket in sockets {
        let message = socket.next_message().await;
        let kind = message["payload"]["data"]["notificationAdded"]["kind"].as_str();
        assert_eq!(message["type"], "next", "{message}");
        assert!(matches!(kind, Some("REPLY" | "NEW_POST")), "{message}");
    }
}

/// A read position only ever moves forward: calls that arrive together, some for the last
/// post and some for the first, leave it at the last (a read, then a write, let a later call
/// with an earlier post win).
#[tokio::test]
async fn concurrent_marks_never_move_a_read_position_backwards() {
    let cast = cast_on(TestServer::start().await).await;
    let server = &cast.server;
    let thread = start(server, &cast.alice, &cast.public, "Gleichzeitig gelesen", json!([])).await;
    for n in 0..4 {
        let input = json!({ "input": { "threadId": thread["id"], "body": format!("Beitrag {n}") } });
        data(&server.gql_as(&cast.alice, REPLY, input).await);
    }
    let posts = data(&server.gql(POSTS, json!({ "id": thread["id"] })).await)["node"]["posts"]["edges"].clone();
    let posts: Vec<Value> = posts
        .as_array()
        .expect("posts")
        .iter()
        .map(|edge| edge["node"]["id"].clone())
        .collect();
    let (first, last) = (posts[0].clone(), posts[posts.len() - 1].clone());
    let readers = server.many_members("leserin", 12).await;
    let read = "mutation ($t: ID!, $p: ID!) { markThreadRead(threadId: $t, upToPostId: $p) { id } }";
    let unread = "query ($id: ID!) { node(id: $id) { ... on ForumThread { unreadCount } } }";
    for reader in &readers {
        let calls = (0..8).map(|round| {
            let post = if round % 2 == 0 { &last } else { &first };
            server.gql_as(reader, read, json!({ "t": thread["id"], "p": post }))
        });
        for answer in futures::future::join_all(calls).await {
            data(&answer);
        }
        let left = server.gql_as(reader, unread, json!({ "id": thread["id"] })).await;
        assert_eq!(data(&left)["node"]["unreadCount"], 0, "read up to the last post");
    }
}
