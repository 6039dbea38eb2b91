//! The organisers' participant lists as a spreadsheet reads them: the CSV through a CSV reader
//! (German headers and labels, CRLF, local times, formula-looking cells neutralised) and the
//! XLSX through `calamine` (a valid workbook with the same columns, text never a formula).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{NaiveDate, TimeZone, Utc};
use dkbm_entity::{Attendance, RegistrationStatus, registration};
use dkbm_tests::{Session, data, header};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use serde_json::json;

use crate::events::{Cast, REGISTER, cast, create, event_input, fetch};

const HYPERLINK: &str = r#"=HYPERLINK("http://evil.example/x","klick")"#;
const HEADERS: [&str; 8] = [
    "Name",
    "E-Mail",
    "Organisation",
    "Status",
    "Wartelistenplatz",
    "Angemeldet am",
    "Teilnahme",
    "Anmerkung",
];
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct Fixture {
    cast: Cast,
    slug: String,
    members: Vec<Session>,
}

/// An event with two seats and four registrations: a confirmed one whose name and note look
/// like formulas (registered 29.11.2025 18:28 Berlin time), one that attended (01.07.2025
/// 10:05, summer time), one on the waiting list, one cancelled.
async fn fixture() -> Fixture {
    let cast = cast().await;
    let created = create(&cast, event_input("Werkstatt Übergänge", Some(2), true)).await;
    let members = cast.server.many_members("liste", 4).await;
    let people = [
        (HYPERLINK, Some("=1+1")),
        ("@SUM(1+1)", Some("Rollstuhl; barrierefrei")),
        ("-Gast", Some("+49 170 1234567")),
        ("Storniert Person", None),
    ];
    let mut registrations = Vec::new();
    for (member, (name, note)) in members.iter().zip(people) {
        let profile = "mutation ($name: String!) { updateProfile(input: { displayName: $name }) { displayName } }";
        let renamed = cast.server.gql_as(member, profile, json!({ "name": name })).await;
        assert_eq!(data(&renamed)["updateProfile"]["displayName"], name);
        let registered = cast
            .server
            .gql_as(member, REGISTER, json!({ "id": created["id"], "note": note }))
            .await;
        registrations.push(data(&registered)["registerForEvent"]["id"].clone());
    }
    let cancel = "mutation ($id: ID!) { cancelRegistration(registrationId: $id) { status } }";
    data(
        &cast
            .server
            .gql_as(&members[3], cancel, json!({ "id": registrations[3] }))
            .await,
    );
    let db = cast.server.state.conn();
    let stored = |n: usize| {
        let id = registrations[n].as_str().expect("registration id");
        let uuid = dkbm_hub::graphql::node::decode(id).expect("global id").1;
        registration::Entity::find_by_id(uuid).one(db)
    };
    let mut first = stored(0)
        .await
        .expect("load")
        .expect("registration")
        .into_active_model();
    first.registered_at = Set(Utc.with_ymd_and_hms(2025, 11, 29, 17, 28, 0).unwrap());
    first.update(db).await.expect("update");
    let mut second = stored(1)
        .await
        .expect("load")
        .expect("registration")
        .into_active_model();
    second.registered_at = Set(Utc.with_ymd_and_hms(2025, 7, 1, 8, 5, 0).unwrap());
    second.status = Set(RegistrationStatus::Attended);
    second.attendance = Set(Some(Attendance::Attended));
    second.update(db).await.expect("update");
    Fixture {
        slug: created["slug"].as_str().expect("slug").to_owned(),
        cast,
        members,
    }
}

impl Fixture {
    async fn download(&self, file: &str) -> (String, Vec<u8>) {
        let path = format!("/events/{}/participants.{file}", self.slug);
        let response = self.cast.server.get_as(&self.cast.editor, &path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let (content_type, disposition) = (
            header(&response, "content-type"),
            header(&response, "content-disposition"),
        );
        assert_eq!(
            disposition,
            format!("attachment; filename=\"teilnehmende-{}.{file}\"", self.slug)
        );
        assert_eq!(header(&response, "cache-control"), "private, no-store");
        (content_type, response.bytes().await.expect("body").to_vec())
    }

    /// The CSV's rows (after the header), each found by the member's email.
    async fn csv_rows(&self) -> (Vec<u8>, Vec<csv::StringRecord>) {
        let (content_type, body) = self.download("csv").await;
        assert!(content_type.starts_with("text/csv"), "{content_type}");
        assert!(body.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
        let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(&body[3..]);
        assert_eq!(reader.headers().expect("headers"), HEADERS.as_slice());
        let rows = reader.records().map(|row| row.expect("row")).collect();
        (body, rows)
    }

    fn row_of<'a>(&self, rows: &'a [csv::StringRecord], member: usize) -> &'a csv::StringRecord {
        let email = &self.members[member].email;
        rows.iter().find(|row| &row[1] == email).expect("a row per member")
    }
}

#[tokio::test]
async fn csv_cells_that_look_like_formulas_stay_text() {
    let fixture = fixture().await;
    let (_, rows) = fixture.csv_rows().await;
    let first = fixture.row_of(&rows, 0);
    assert_eq!(&first[0], format!("'{HYPERLINK}"));
    assert_eq!(&first[7], "'=1+1");
    assert_eq!(&fixture.row_of(&rows, 1)[0], "'@SUM(1+1)");
    assert_eq!(&fixture.row_of(&rows, 2)[0], "'-Gast");
    assert_eq!(&fixture.row_of(&rows, 2)[7], "'+49 170 1234567");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a spreadsheet would run {cell:?}"
            );
        }
    }
}

#[tokio::test]
async fn csv_reads_as_a_german_spreadsheet_expects() {
    let fixture = fixture().await;
    let (body, rows) = fixture.csv_rows().await;
    let text = String::from_utf8(body[3..].to_vec()).expect("UTF-8");
    assert_eq!(text.matches("\r\n").count(), 5, "a header and four rows, CRLF:\n{text}");
    assert_eq!(text.matches('\n').count(), 5, "no bare LF:\n{text}");
    assert!(text.starts_with("Name;E-Mail;Organisation;Status;Wartelistenplatz;Angemeldet am;Teilnahme;Anmerkung\r\n"));
    let first = fixture.row_of(&rows, 0);
    assert_eq!((&first[3], &first[4], &first[5]), ("Bestätigt", "", "29.11.2025 18:28"));
    let attended = fixture.row_of(&rows, 1);
    assert_eq!(
        (&attended[3], &attended[5], &attended[6], &attended[7]),
        (
            "Teilgenommen",
            "01.07.2025 10:05",
            "Erschienen",
            "Rollstuhl; barrierefrei"
        )
    );
    let waiting = fixture.row_of(&rows, 2);
    assert_eq!((&waiting[3], &waiting[4]), ("Warteliste", "1"));
    assert_eq!(&fixture.row_of(&rows, 3)[3], "Storniert");
    for row in &rows {
        assert!(
            chrono::NaiveDateTime::parse_from_str(&row[5], "%d.%m.%Y %H:%M").is_ok(),
            "{row:?}"
        );
    }
}

/// The Excel serial number of a local date and time (days since 30.12.1899).
fn excel_serial(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> f64 {
    let at = NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|date| date.and_hms_opt(hour, minute, 0))
        .expect("date");
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .expect("epoch");
    (at - epoch).num_seconds() as f64 / 86_400.0
}

#[tokio::test]
async fn xlsx_opens_in_a_spreadsheet_reader_with_the_same_columns() {
    let fixture = fixture().await;
    let (content_type, body) = fixture.download("xlsx").await;
    assert_eq!(content_type, XLSX);
    assert!(body.starts_with(b"PK\x03\x04"), "a zip archive");
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(body)).expect("calamine opens it");
    assert_eq!(workbook.sheet_names(), ["Teilnehmende"]);
    let sheet = workbook.worksheet_range("Teilnehmende").expect("sheet");
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 5, "a header and four rows");
    let header: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    assert_eq!(header, HEADERS, "the CSV's columns");
    let row_of = |member: usize| {
        let email = Data::String(fixture.members[member].email.clone());
        *rows.iter().find(|row| row[1] == email).expect("a row per member")
    };
    let first = row_of(0);
    assert_eq!(first[0], Data::String(HYPERLINK.to_owned()), "text as it was typed");
    assert_eq!(first[3], Data::String("Bestätigt".to_owned()));
    assert_eq!(first[7], Data::String("=1+1".to_owned()));
    let Data::DateTime(registered) = &first[5] else {
        panic!("a date cell: {:?}", first[5]);
    };
    assert!((registered.as_f64() - excel_serial(2025, 11, 29, 18, 28)).abs() < 1e-6);
    let attended = row_of(1);
    assert_eq!(attended[0], Data::String("@SUM(1+1)".to_owned()));
    assert_eq!(attended[6], Data::String("Erschienen".to_owned()));
    let waiting = row_of(2);
    assert_eq!(waiting[3], Data::String("Warteliste".to_owned()));
    assert!(matches!(waiting[4], Data::Float(place) if place == 1.0) || waiting[4] == Data::Int(1));
    assert_eq!(waiting[7], Data::String("+49 170 1234567".to_owned()));
    let formulas = workbook.worksheet_formula("Teilnehmende").expect("formulas");
    assert!(
        formulas.rows().flatten().all(String::is_empty),
        "no cell is a formula: {formulas:?}"
    );

    let path = format!("/events/{}/participants.xlsx", fixture.slug);
    let server = &fixture.cast.server;
    assert_eq!(fetch(server, &path, None).await.0, 401);
    assert_eq!(fetch(server, &path, Some(&fixture.members[0])).await.0, 403);
    let missing = "/events/gibt-es-nicht/participants.xlsx";
    assert_eq!(fetch(server, missing, Some(&fixture.cast.editor)).await.0, 404);
}
