//! Attachments in tests: `addAttachment` sent as a GraphQL multipart request (the `operations`,
//! `map` and file parts, with the `Apollo-Require-Preflight` header, as Apollo Upload Client
//! sends it), and small real files (a PDF whose pages say something, written with lopdf).

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};
use serde_json::{Value, json};

use crate::TestServer;

/// `addAttachment` with every field a test looks at.
pub const ADD_ATTACHMENT: &str = "mutation ($input: AddAttachmentInput!) { addAttachment(input: $input) { \
    id filename contentType byteSize sha256 title kind position url pageCount textStatus } }";

/// A file to attach.
pub struct Upload<'a> {
    /// The practice, event or post (global id).
    pub target_id: &'a str,
    pub filename: &'a str,
    pub bytes: &'a [u8],
    pub title: Option<&'a str>,
}

/// The multipart body of `operations` (whose `variables.input.file` is null) with one file.
pub fn multipart_body(operations: &Value, filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "dkbm-upload-boundary-9f2c1e";
    let mut body = Vec::new();
    for (name, value) in [
        ("operations", operations.to_string()),
        ("map", json!({ "0": ["variables.input.file"] }).to_string()),
    ] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"{filename}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl TestServer {
    /// Sends `addAttachment` as a multipart request with `token`; the HTTP response.
    pub async fn upload(&self, token: Option<&str>, upload: &Upload<'_>) -> reqwest::Response {
        let operations = json!({
            "query": ADD_ATTACHMENT,
            "variables": { "input": { "targetId": upload.target_id, "file": null, "title": upload.title } },
        });
        let (content_type, body) = multipart_body(&operations, upload.filename, upload.bytes);
        let mut request = self
            .client
            .post(self.graphql_url())
            .header("content-type", content_type)
            .header("apollo-require-preflight", "true")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("send the upload")
    }

    /// Like [`Self::upload`]; the JSON answer.
    pub async fn upload_json(&self, token: Option<&str>, upload: &Upload<'_>) -> Value {
        self.upload(token, upload).await.json().await.expect("a JSON answer")
    }

    /// The rows of the `attachment` table.
    pub async fn attachment_rows(&self) -> usize {
        use sea_orm::{EntityTrait, PaginatorTrait};
        let count = dkbm_entity::attachment::Entity::find()
            .count(self.state.conn())
            .await
            .expect("count attachments");
        usize::try_from(count).expect("a count")
    }
}

/// A PDF with one page per text (Helvetica, so any PDF reader reads the words back).
pub fn pdf(pages: &[&str]) -> Vec<u8> {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let font = document.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = document.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids: Vec<Object> = Vec::new();
    for text in pages {
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), 770.into()]),
                Operation::new("Tj", vec![Object::string_literal(*text)]),
                Operation::new("ET", vec![]),
            ],
        };
        let stream = Stream::new(dictionary! {}, content.encode().expect("encode the page"));
        let contents = document.add_object(stream);
        kids.push(
            document
                .add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => contents })
                .into(),
        );
    }
    let count = i64::try_from(kids.len()).expect("pages");
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).expect("write the PDF");
    bytes
}

/// The hex SHA-256 of `bytes`, computed here (not by the server).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The path and query of a URL the server gave (its origin is `--public-url`).
pub fn path_of(url: &str) -> String {
    let parsed = url::Url::parse(url).expect("a URL");
    match parsed.query() {
        Some(query) => format!("{}?{query}", parsed.path()),
        None => parsed.path().to_owned(),
    }
}
