//! Attachments through the public API, in the folder store and in a real S3 server started in
//! the test process: an Apollo-style multipart upload, the type told by the bytes, downloads
//! (Content-Disposition, ETag and 304, Range and 206), plain links for published practices and
//! signed ones for drafts (404 without, 200 with, 404 once expired), archived practices' files
//! hidden from the public, the same bytes stored once and removed with their last attachment.

use dkbm_tests::s3::{S3Server, files_under};
use dkbm_tests::{
    ADD_ATTACHMENT, Role, Session, TestServer, Upload, assert_bad_input, data, header, path_of, pdf, sha256_hex, str_at,
};
use serde_json::{Value, json};

use super::practices::practice_input;

/// Where a test server keeps its files.
pub enum Store {
    Folder,
    S3(S3Server),
}

impl Store {
    /// Both stores: the folder and a fresh S3 server.
    pub async fn both() -> [Store; 2] {
        [Store::Folder, Store::S3(S3Server::start().await)]
    }

    /// A server on a fresh database keeping its files here; `adjust` changes its configuration.
    pub async fn server(&self, adjust: impl FnOnce(&mut dkbm_hub::Config)) -> TestServer {
        TestServer::start_with(|config| {
            if let Store::S3(s3) = self {
                s3.configure(config);
            }
            adjust(config);
        })
        .await
    }

    /// The objects stored (keys relative to the store's root).
    pub fn objects(&self, server: &TestServer) -> Vec<String> {
        match self {
            Store::Folder => files_under(server.db.files_dir()),
            Store::S3(s3) => files_under(&s3.bucket_dir()),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Store::Folder => "folder",
            Store::S3(_) => "S3",
        }
    }
}

const CREATE: &str = "mutation ($input: CreateGoodPracticeInput!) { createGoodPractice(input: $input) { id slug } }";

/// The Bottrop editor and a published and a draft practice of theirs (global ids).
pub struct Scene {
    /// The demo data's attachment rows (its files), before the test's own.
    pub rows_before: usize,
    pub editor: Session,
    pub published: String,
    pub published_slug: String,
    pub draft: String,
}

pub async fn scene(server: &TestServer) -> Scene {
    server.seed_demo().await;
    let editor = server
        .member_with_role("redaktion@bottrop.de", Role::Editor, Some("bildungsbuero-bottrop"))
        .await;
    let mut input = practice_input("bildungsbuero-bottrop", "Sozialraumorientierte Bildungsplanung");
    input["status"] = json!("PUBLISHED");
    let published =
        data(&server.gql_as(&editor, CREATE, json!({ "input": input })).await)["createGoodPractice"].clone();
    let draft_input = practice_input("bildungsbuero-bottrop", "Entwurf: Bildungsbericht 2026");
    let draft =
        data(&server.gql_as(&editor, CREATE, json!({ "input": draft_input })).await)["createGoodPractice"].clone();
    Scene {
        rows_before: server.attachment_rows().await,
        editor,
        published: str_at(&published, "/id").to_owned(),
        published_slug: str_at(&published, "/slug").to_owned(),
        draft: str_at(&draft, "/id").to_owned(),
    }
}

/// Uploads `bytes` as `filename` to `target` as `session`; the attachment.
pub async fn attach(server: &TestServer, session: &Session, target: &str, filename: &str, bytes: &[u8]) -> Value {
    let upload = Upload {
        target_id: target,
        filename,
        bytes,
        title: None,
    };
    let response = server.upload_json(Some(&session.access_token), &upload).await;
    data(&response)["addAttachment"].clone()
}

#[tokio::test]
async fn an_attached_pdf_is_downloaded_with_its_name_etag_and_ranges() {
    for store in Store::both().await {
        let server = store.server(|_| {}).await;
        let scene = scene(&server).await;
        let before = store.objects(&server).len();
        let bytes = pdf(&["Sozialraum und Schule", "Zweite Seite"]);
        let upload = Upload {
            target_id: &scene.published,
            filename: "../Konzept Übergänge.pdf",
            bytes: &bytes,
            title: Some("Konzeptpapier"),
        };
        let response = server.upload(Some(&scene.editor.access_token), &upload).await;
        assert_eq!(response.status(), 200, "{}", store.name());
        let body: Value = response.json().await.expect("json");
        let attachment = data(&body)["addAttachment"].clone();
        assert_eq!(attachment["filename"], "Konzept Übergänge.pdf");
        assert_eq!(attachment["contentType"], "application/pdf");
        assert_eq!(attachment["byteSize"], bytes.len());
        assert_eq!(attachment["sha256"], sha256_hex(&bytes));
        assert_eq!(attachment["kind"], "DOCUMENT");
        assert_eq!(attachment["title"], "Konzeptpapier");
        assert_eq!(attachment["pageCount"], 2);
        assert_eq!(attachment["textStatus"], "DONE");
        let url = str_at(&attachment, "/url");
        assert!(
            !url.contains("sig="),
            "a published practice's file has a plain link: {url}"
        );
        assert_eq!(
            store.objects(&server).len(),
            before + 1,
            "one object more in the {} store",
            store.name()
        );

        // The practice lists it, for anyone.
        let listed = server
            .gql(
                "query ($slug: String!) { goodPractice(slug: $slug) { attachments { filename url } } }",
                json!({ "slug": scene.published_slug }),
            )
            .await;
        assert_eq!(data(&listed)["goodPractice"]["attachments"][0]["url"], url);

        let path = path_of(url);
        let download = server.get(&path).await;
        assert_eq!(download.status(), 200);
        assert_eq!(header(&download, "content-type"), "application/pdf");
        assert_eq!(header(&download, "x-content-type-options"), "nosniff");
        assert!(header(&download, "cache-control").starts_with("public"));
        assert_eq!(
            header(&download, "content-disposition"),
            "inline; filename=\"Konzept Ubergange.pdf\"; filename*=UTF-8''Konzept%20%C3%9Cberg%C3%A4nge.pdf"
        );
        let etag = header(&download, "etag");
        assert_eq!(etag, format!("\"{}\"", sha256_hex(&bytes)));
        assert_eq!(download.bytes().await.expect("body").as_ref(), bytes.as_slice());

        let again = server
            .get_request(&path)
            .header("if-none-match", &etag)
            .send()
            .await
            .expect("get");
        assert_eq!(again.status(), 304);
        let part = server
            .get_request(&path)
            .header("range", "bytes=0-7")
            .send()
            .await
            .expect("get");
        assert_eq!(part.status(), 206);
        assert_eq!(header(&part, "content-range"), format!("bytes 0-7/{}", bytes.len()));
        assert_eq!(part.bytes().await.expect("body").as_ref(), &bytes[..8]);
        let past = server
            .get_request(&path)
            .header("range", "bytes=999999-")
            .send()
            .await
            .expect("get");
        assert_eq!(past.status(), 416);
        // Another name for the same id is not the file.
        let renamed = path.replace("Konzept%20%C3%9Cberg%C3%A4nge.pdf", "other.pdf");
        assert_eq!(server.get(&renamed).await.status(), 404);
    }
}

#[tokio::test]
async fn a_drafts_file_needs_a_signed_link_that_expires() {
    let store = Store::Folder;
    let server = store.server(|config| config.storage.signed_url_ttl_secs = 2).await;
    let scene = scene(&server).await;
    let bytes = pdf(&["Entwurf"]);
    let attachment = attach(&server, &scene.editor, &scene.draft, "entwurf.pdf", &bytes).await;
    let url = str_at(&attachment, "/url");
    assert!(
        url.contains("?exp=") && url.contains("&sig="),
        "a draft's file has a signed link: {url}"
    );
    let signed = path_of(url);
    let plain = signed.split('?').next().expect("path").to_owned();

    // Without the signature: exactly like a missing file.
    let unsigned = server.get(&plain).await;
    assert_eq!(unsigned.status(), 404);
    let missing = server.get(&plain.replace("entwurf.pdf", "nichts.pdf")).await;
    assert_eq!(missing.status(), 404);
    // The editor's bearer token is permission enough.
    assert_eq!(server.get_as(&scene.editor, &plain).await.status(), 200);
    let member = server.sign_up("mitglied@bottrop.de").await;
    assert_eq!(server.get_as(&member, &plain).await.status(), 404);
    // A tampered signature does not open it.
    let tampered = format!(
        "{plain}?exp=9999999999&sig={}",
        signed.rsplit("sig=").next().expect("sig")
    );
    assert_eq!(server.get(&tampered).await.status(), 404);

    let download = server.get(&signed).await;
    assert_eq!(download.status(), 200);
    assert!(header(&download, "cache-control").starts_with("private"));
    assert_eq!(download.bytes().await.expect("body").as_ref(), bytes.as_slice());

    tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
    assert_eq!(server.get(&signed).await.status(), 404, "an expired link");
}

#[tokio::test]
async fn an_archived_practices_files_are_hidden_from_the_public() {
    let server = Store::Folder.server(|_| {}).await;
    let scene = scene(&server).await;
    let attachment = attach(
        &server,
        &scene.editor,
        &scene.published,
        "konzept.pdf",
        &pdf(&["Konzept"]),
    )
    .await;
    let path = path_of(str_at(&attachment, "/url"));
    assert_eq!(server.get(&path).await.status(), 200);
    let archived = server
        .gql_as(
            &scene.editor,
            "mutation ($id: ID!) { archiveGoodPractice(id: $id) { status attachments { url } } }",
            json!({ "id": scene.published }),
        )
        .await;
    let signed = str_at(data(&archived), "/archiveGoodPractice/attachments/0/url");
    assert!(
        signed.contains("sig="),
        "an archived practice's file is signed: {signed}"
    );
    assert_eq!(server.get(&path).await.status(), 404);
    assert_eq!(server.get(&path_of(signed)).await.status(), 200);
}

#[tokio::test]
async fn the_type_is_told_by_the_bytes_and_refusals_store_nothing() {
    for store in Store::both().await {
        let server = store.server(|_| {}).await;
        let scene = scene(&server).await;
        let before = store.objects(&server).len();
        for (filename, bytes) in [
            (
                "bericht.pdf",
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec(),
            ),
            (
                "bild.png",
                br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec(),
            ),
            ("seite.txt", b"<!DOCTYPE html><html><body>hi</body></html>".to_vec()),
        ] {
            let upload = Upload {
                target_id: &scene.published,
                filename,
                bytes: &bytes,
                title: None,
            };
            let response = server.upload_json(Some(&scene.editor.access_token), &upload).await;
            assert_bad_input(&response, "input.file");
        }
        assert_eq!(server.attachment_rows().await, scene.rows_before);
        assert_eq!(store.objects(&server).len(), before, "{}", store.name());

        let csv = attach(
            &server,
            &scene.editor,
            &scene.published,
            "werte.csv",
            b"ags;jahr\n05512000;2023\n",
        )
        .await;
        assert_eq!(csv["contentType"], "text/csv; charset=utf-8");
        assert_eq!(csv["kind"], "SPREADSHEET");
        assert_eq!(csv["textStatus"], "DONE");

        // Who may: not a member, not another agency's editor; a JSON request carries no file.
        let member = server.sign_up("mitglied@bottrop.de").await;
        let upload = Upload {
            target_id: &scene.published,
            filename: "a.txt",
            bytes: b"Text",
            title: None,
        };
        let refused = server.upload_json(Some(&member.access_token), &upload).await;
        assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");
        let anonymous = server.upload_json(None, &upload).await;
        assert_eq!(anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
        let draft_by_member = Upload {
            target_id: &scene.draft,
            ..upload
        };
        let hidden = server.upload_json(Some(&member.access_token), &draft_by_member).await;
        assert_eq!(hidden["errors"][0]["extensions"]["code"], "NOT_FOUND");
        let json_request = server
            .gql_as(
                &scene.editor,
                ADD_ATTACHMENT,
                json!({ "input": { "targetId": scene.published, "file": "#__graphql_file__:0" } }),
            )
            .await;
        assert_bad_input(&json_request, "input.file");
        assert_eq!(server.attachment_rows().await, scene.rows_before + 1);
    }
}

#[tokio::test]
async fn the_same_bytes_are_stored_once_and_leave_with_their_last_attachment() {
    for store in Store::both().await {
        let server = store.server(|_| {}).await;
        let scene = scene(&server).await;
        let before = store.objects(&server).len();
        let bytes = pdf(&["Einmal gespeichert"]);
        let first = attach(&server, &scene.editor, &scene.published, "a.pdf", &bytes).await;
        let second = attach(&server, &scene.editor, &scene.draft, "b.pdf", &bytes).await;
        assert_eq!(first["sha256"], second["sha256"]);
        assert_eq!(store.objects(&server).len(), before + 1, "{}", store.name());
        let remove = "mutation ($id: ID!) { removeAttachment(id: $id) }";
        let removed = server.gql_as(&scene.editor, remove, json!({ "id": first["id"] })).await;
        assert_eq!(data(&removed)["removeAttachment"], first["id"]);
        assert_eq!(
            store.objects(&server).len(),
            before + 1,
            "still referred to by the draft's"
        );
        assert_eq!(server.get(&path_of(str_at(&first, "/url"))).await.status(), 404);
        data(
            &server
                .gql_as(&scene.editor, remove, json!({ "id": second["id"] }))
                .await,
        );
        assert_eq!(store.objects(&server).len(), before, "{}", store.name());
        assert_eq!(server.attachment_rows().await, scene.rows_before);
    }
}

#[tokio::test]
async fn attachments_are_renamed_and_reordered() {
    let server = Store::Folder.server(|_| {}).await;
    let scene = scene(&server).await;
    let first = attach(&server, &scene.editor, &scene.published, "eins.txt", b"eins").await;
    let second = attach(&server, &scene.editor, &scene.published, "zwei.txt", b"zwei").await;
    assert_eq!(
        (first["position"].clone(), second["position"].clone()),
        (json!(0), json!(1))
    );
    let update =
        "mutation ($input: UpdateAttachmentInput!) { updateAttachment(input: $input) { title kind position } }";
    let changed = server
        .gql_as(
            &scene.editor,
            update,
            json!({ "input": { "id": second["id"], "title": "Bericht", "kind": "REPORT", "position": 0 } }),
        )
        .await;
    assert_eq!(
        data(&changed)["updateAttachment"],
        json!({ "title": "Bericht", "kind": "REPORT", "position": 0 })
    );
    let listed = server
        .gql(
            "query ($slug: String!) { goodPractice(slug: $slug) { attachments { filename position } } }",
            json!({ "slug": scene.published_slug }),
        )
        .await;
    assert_eq!(
        data(&listed)["goodPractice"]["attachments"],
        json!([{ "filename": "zwei.txt", "position": 0 }, { "filename": "eins.txt", "position": 1 }])
    );
    let node = server
        .gql(
            "query ($id: ID!) { node(id: $id) { ... on Attachment { filename } } }",
            json!({ "id": first["id"] }),
        )
        .await;
    assert_eq!(data(&node)["node"]["filename"], "eins.txt");
}

#[tokio::test]
async fn a_word_only_in_an_attached_pdf_finds_the_practice() {
    let server = Store::Folder.server(|_| {}).await;
    let scene = scene(&server).await;
    let search = "query ($q: String!) { goodPractices(filter: { search: $q }) { totalCount nodes { slug } } }";
    let found = |response: &Value| data(response)["goodPractices"]["nodes"].clone();
    // The demo data's concept paper says "Sozialraum"; its practice does not.
    let demo = server.gql(search, json!({ "q": "Sozialraum" })).await;
    assert_eq!(
        found(&demo),
        json!([{ "slug": "datengrundlage-bildungsbuero-bottrop" }])
    );
    let word = json!({ "q": "Quartiersmanagement" });
    assert_eq!(found(&server.gql(search, word.clone()).await), json!([]));
    let bytes = pdf(&["Seite eins", "Quartiersmanagement im Sozialraum"]);
    let attachment = attach(&server, &scene.editor, &scene.published, "bericht.pdf", &bytes).await;
    let expected = json!([{ "slug": scene.published_slug }]);
    assert_eq!(found(&server.gql(search, word.clone()).await), expected);
    // A change of the practice keeps its files' words in its index.
    let update = "mutation ($id: ID!) { updateGoodPractice(id: $id, expectedVersion: 1, input: { summary: \"Neu gefasst.\" }) { version } }";
    data(
        &server
            .gql_as(&scene.editor, update, json!({ "id": scene.published }))
            .await,
    );
    assert_eq!(found(&server.gql(search, word.clone()).await), expected);
    let remove = "mutation ($id: ID!) { removeAttachment(id: $id) }";
    data(
        &server
            .gql_as(&scene.editor, remove, json!({ "id": attachment["id"] }))
            .await,
    );
    assert_eq!(found(&server.gql(search, word).await), json!([]));
}
