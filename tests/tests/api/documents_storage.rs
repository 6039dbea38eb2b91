//! The limits and the clean-up of stored files, in both stores: an upload larger than
//! `--max-upload-mb` answered 413 before its body is read, an agency's quota, and an instance
//! killed between storing a file and committing its row: nothing a client can see, and the
//! sweep removes the object.

use std::time::{Duration, Instant};

use dkbm_tests::{ServerProcess, TestServer, Upload, data, multipart_body, pdf};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::documents::{Store, attach, scene};

/// Sends only the head of a multipart upload whose `Content-Length` says `length`; the status
/// line of the answer (which must come without the body).
async fn answer_to_announced(server: &TestServer, length: usize) -> String {
    let address = server.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: multipart/form-data; boundary=x\r\n\
         Apollo-Require-Preflight: true\r\nContent-Length: {length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("send the head");
    let mut answer = vec![0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("an answer before the body")
        .expect("read");
    String::from_utf8_lossy(&answer[..read])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn an_upload_past_the_limit_is_refused_before_its_body_and_stores_nothing() {
    for store in Store::both().await {
        let server = store.server(|config| config.storage.max_upload_mb = 1).await;
        let scene = scene(&server).await;
        let before = store.objects(&server).len();
        assert_eq!(
            answer_to_announced(&server, 30 * 1024 * 1024).await,
            "HTTP/1.1 413 Payload Too Large"
        );
        // Sent whole (a client that does not say its length first): refused as well.
        let big = vec![b'a'; 1024 * 1024 + 10];
        let upload = Upload {
            target_id: &scene.published,
            filename: "gross.txt",
            bytes: &big,
            title: None,
        };
        let operations = json!({ "query": dkbm_tests::ADD_ATTACHMENT,
            "variables": { "input": { "targetId": upload.target_id, "file": null } } });
        let (content_type, body) = multipart_body(&operations, upload.filename, upload.bytes);
        let stream = futures::stream::iter(
            body.chunks(64 * 1024)
                .map(|chunk| Ok::<_, std::io::Error>(chunk.to_vec()))
                .collect::<Vec<_>>(),
        );
        let response = server
            .client
            .post(server.graphql_url())
            .bearer_auth(&scene.editor.access_token)
            .header("content-type", content_type)
            .header("apollo-require-preflight", "true")
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), 413, "{}", store.name());
        assert_eq!(server.attachment_rows().await, scene.rows_before);
        assert_eq!(store.objects(&server).len(), before, "{}", store.name());
        // Within the limit it goes through.
        attach(&server, &scene.editor, &scene.published, "klein.txt", &big[..1000]).await;
    }
}

#[tokio::test]
async fn an_agency_past_its_quota_is_told_so_and_nothing_is_stored() {
    let store = Store::Folder;
    let server = store.server(|config| config.storage.agency_storage_quota_mb = 1).await;
    let scene = scene(&server).await;
    let before = store.objects(&server).len();
    let first = vec![b'x'; 700 * 1024];
    attach(&server, &scene.editor, &scene.published, "eins.txt", &first).await;
    let second = vec![b'y'; 400 * 1024];
    let upload = Upload {
        target_id: &scene.draft,
        filename: "zwei.txt",
        bytes: &second,
        title: None,
    };
    let response = server.upload_json(Some(&scene.editor.access_token), &upload).await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "QUOTA_EXCEEDED",
        "{response:#}"
    );
    assert_eq!(server.attachment_rows().await, scene.rows_before + 1);
    assert_eq!(
        store.objects(&server).len(),
        before + 1,
        "the refused file's object was removed again"
    );
    // Room made by removing the first: the second fits.
    let list = "query ($slug: String!) { goodPractice(slug: $slug) { attachments { id } } }";
    let listed = server.gql(list, json!({ "slug": scene.published_slug })).await;
    let id = data(&listed)["goodPractice"]["attachments"][0]["id"].clone();
    data(
        &server
            .gql_as(
                &scene.editor,
                "mutation ($id: ID!) { removeAttachment(id: $id) }",
                json!({ "id": id }),
            )
            .await,
    );
    data(&server.upload_json(Some(&scene.editor.access_token), &upload).await);
}

/// Waits until `done` holds (at most `limit`).
async fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    done()
}

#[tokio::test]
async fn a_crash_between_storing_and_committing_leaves_nothing_visible_and_the_sweep_removes_the_object() {
    for store in Store::both().await {
        let server = store.server(|_| {}).await;
        let scene = scene(&server).await;
        let before = store.objects(&server).len();
        // A second instance, a process of its own, on the same database and store.
        let mut env: Vec<(String, String)> = vec![("DKBM_NO_BASE_PLACES".into(), "true".into())];
        match &store {
            Store::Folder => env.push(("DKBM_STORAGE_URL".into(), server.db.files_dir().display().to_string())),
            Store::S3(s3) => {
                let mut config = dkbm_hub::Config::from_env().expect("config");
                s3.configure(&mut config);
                let storage = config.storage;
                env.extend([
                    ("DKBM_STORAGE_URL".into(), storage.storage_url.unwrap_or_default()),
                    ("AWS_ENDPOINT_URL".into(), storage.s3_endpoint_url.unwrap_or_default()),
                    ("AWS_ACCESS_KEY_ID".into(), storage.s3_access_key_id.unwrap_or_default()),
                    (
                        "AWS_SECRET_ACCESS_KEY".into(),
                        storage.s3_secret_access_key.unwrap_or_default(),
                    ),
                    ("AWS_REGION".into(), storage.s3_region),
                    ("AWS_ALLOW_HTTP".into(), "true".into()),
                ]);
            }
        }
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let process = ServerProcess::start(&server.db.url, &env).await;
        // Writers wait: the upload stores its object, then waits for the database.
        let lock = server.hold_write_lock().await;
        let bytes = pdf(&["Nie festgeschrieben"]);
        let operations = json!({ "query": dkbm_tests::ADD_ATTACHMENT,
            "variables": { "input": { "targetId": scene.published, "file": null } } });
        let (content_type, body) = multipart_body(&operations, "verloren.pdf", &bytes);
        let request = reqwest::Client::new()
            .post(process.graphql_url())
            .bearer_auth(&scene.editor.access_token)
            .header("content-type", content_type)
            .header("apollo-require-preflight", "true")
            .body(body)
            .send();
        let in_flight = tokio::spawn(request);
        let stored = eventually(Duration::from_secs(20), || store.objects(&server).len() > before).await;
        assert!(stored, "{}: the object was stored before the commit", store.name());
        // The instance dies (SIGKILL) before its change commits.
        drop(process);
        let _ = in_flight.await;
        lock.release().await;

        assert_eq!(server.attachment_rows().await, scene.rows_before, "no row");
        let listed = server
            .gql(
                "query ($slug: String!) { goodPractice(slug: $slug) { attachments { id } } }",
                json!({ "slug": scene.published_slug }),
            )
            .await;
        assert_eq!(data(&listed)["goodPractice"]["attachments"], json!([]));
        assert_eq!(store.objects(&server).len(), before + 1, "the object is left behind");

        // An instance that sweeps every second removes it once it is older than that.
        let sweeper = TestServer::start_on(server.db.clone(), |config| {
            if let Store::S3(s3) = &store {
                s3.configure(config);
            }
            config.storage.storage_sweep_secs = 1;
        })
        .await;
        let swept = eventually(Duration::from_secs(20), || store.objects(&server).len() == before).await;
        assert!(
            swept,
            "{}: the sweep removed {:?}",
            store.name(),
            store.objects(&server)
        );
        sweeper.stop().await;
    }
}

#[tokio::test]
async fn a_deleted_account_takes_the_files_of_its_posts_along() {
    for store in Store::both().await {
        let server = store.server(|config| config.storage.storage_sweep_secs = 1).await;
        let scene = scene(&server).await;
        let member = server.sign_up("schreiberin@bottrop.de").await;
        let forum = data(&server.gql("{ forum(slug: \"austausch\") { id } }", json!({})).await)["forum"]["id"].clone();
        let start = "mutation ($f: ID!) { startThread(input: {forumId: $f, title: \"Notizen\", body: \"Anbei.\"}) { posts { nodes { id } } } }";
        let thread = data(&server.gql_as(&member, start, json!({ "f": forum })).await)["startThread"].clone();
        let post = thread["posts"]["nodes"][0]["id"].as_str().expect("the post").to_owned();
        let before = store.objects(&server).len();
        attach(&server, &member, &post, "notiz.txt", b"Meine Notiz zum Austausch").await;
        assert_eq!(store.objects(&server).len(), before + 1);
        let export = server.gql_as(&member, "{ exportMyData }", json!({})).await;
        assert_eq!(data(&export)["exportMyData"]["files"][0]["filename"], "notiz.txt");

        let delete = "mutation ($p: String!) { deleteMyAccount(password: $p) }";
        data(
            &server
                .gql_as(&member, delete, json!({ "p": dkbm_tests::PASSWORD }))
                .await,
        );
        assert_eq!(
            server.attachment_rows().await,
            scene.rows_before,
            "the post's file is gone"
        );
        let swept = eventually(Duration::from_secs(20), || store.objects(&server).len() == before).await;
        assert!(swept, "{}: its object is removed", store.name());
    }
}
