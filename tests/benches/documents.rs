//! Benchmark of documents: a 5 MB PDF (2,250 pages of text and drawing, written with lopdf)
//! uploaded through the API — a GraphQL multipart request, typed by its bytes, its text read,
//! stored in the folder store — and its text read alone (the server's own extraction), in MB/s.
//!
//! Run: `cargo bench -p dkbm-tests --bench documents` (add DKBM_TEST_DATABASE_URL for PostgreSQL).

use std::sync::Arc;
use std::time::Instant;

use dkbm_tests::{Role, TestDb, TestServer, Upload, data};
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};
use serde_json::json;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PAGES: usize = 2_250;
const UPLOADS: usize = 5;

/// A PDF of about 5 MB: each page a line of text (naming `variant`, so each upload's bytes
/// differ) and a drawn path.
fn big_pdf(variant: usize) -> Vec<u8> {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let font = document.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = document.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids: Vec<Object> = Vec::new();
    for page in 0..PAGES {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
            Operation::new("Td", vec![72.into(), 770.into()]),
            Operation::new(
                "Tj",
                vec![Object::string_literal(format!(
                    "Bildungsbericht {variant}, Seite {page}: Uebergang Schule und Beruf im Sozialraum"
                ))],
            ),
            Operation::new("ET", vec![]),
            Operation::new("m", vec![72.into(), 700.into()]),
        ];
        for step in 0..200_i64 {
            operations.push(Operation::new(
                "l",
                vec![(72 + step * 2).into(), (700 - (step % 40) * 3).into()],
            ));
        }
        operations.push(Operation::new("S", vec![]));
        let content = Content { operations }.encode().expect("encode");
        let contents = document.add_object(Stream::new(dictionary! {}, content));
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
    document.save_to(&mut bytes).expect("write");
    bytes
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1_000_000.0
}

async fn run(db: TestDb) {
    let backend = db.backend();
    // The text is read inside the request: give an unoptimised build's uploads time.
    let server = Arc::new(TestServer::start_on(Arc::new(db), |config| config.limits.request_timeout_secs = 600).await);
    server.seed_demo().await;
    let editor = server
        .member_with_role("redaktion@bottrop.de", Role::Editor, Some("bildungsbuero-bottrop"))
        .await;
    let practice = data(
        &server
            .gql(
                "{ goodPractice(slug: \"datengrundlage-bildungsbuero-bottrop\") { id } }",
                json!({}),
            )
            .await,
    )["goodPractice"]["id"]
        .as_str()
        .expect("the demo practice")
        .to_owned();
    let files: Vec<Vec<u8>> = (0..UPLOADS).map(big_pdf).collect();
    let size = files[0].len();

    let started = Instant::now();
    let file_type = dkbm_hub::documents::service::detect(&files[0], "bericht.pdf").expect("a PDF");
    let extracted = dkbm_hub::documents::service::extract(&files[0], file_type);
    let reading = started.elapsed().as_secs_f64();
    assert_eq!(extracted.page_count, Some(i32::try_from(PAGES).expect("pages")));

    let started = Instant::now();
    for (n, bytes) in files.iter().enumerate() {
        let upload = Upload {
            target_id: &practice,
            filename: &format!("bericht-{n}.pdf"),
            bytes,
            title: None,
        };
        let answer = server.upload_json(Some(&editor.access_token), &upload).await;
        assert_eq!(data(&answer)["addAttachment"]["textStatus"], "DONE");
    }
    let uploading = started.elapsed().as_secs_f64();
    println!(
        "{backend}: a {:.1} MB PDF of {PAGES} pages: text read at {:.1} MB/s ({:.2} s, {} characters); \
         {UPLOADS} uploads through the API at {:.1} MB/s ({:.2} s each)",
        mb(size),
        mb(size) / reading,
        reading,
        extracted.text.as_deref().map_or(0, str::len),
        mb(size * UPLOADS) / uploading,
        uploading / UPLOADS as f64,
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    run(TestDb::fresh_sqlite().await).await;
    if let Some(url) = std::env::var("DKBM_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
    {
        run(TestDb::fresh_postgres(&url).await).await;
    } else {
        println!("(set DKBM_TEST_DATABASE_URL to measure PostgreSQL as well)");
    }
}
