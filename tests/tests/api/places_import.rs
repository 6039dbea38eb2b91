//! The official municipality directory (GV100AD) imported through the command line and the
//! administrators' mutation: places and their hierarchy, population and area, an unchanged
//! second import, a newer file retiring a merged place that then answers with its successor,
//! and a malformed line refusing the whole file.

use dkbm_tests::gv100ad::Gv100ad;
use dkbm_tests::{ADMIN_TOKEN, TestServer, assert_bad_input, binary, data, i64_at, str_at};
use serde_json::{Value, json};

use super::places::with_districts;

/// Saarland as of `date`: its six districts, an invented Amt and a few Gemeinden; without
/// Losheim am See when `with_losheim` is false (it merged into Beckingen, in this test).
fn saarland(date: &str, with_losheim: bool) -> Gv100ad {
    let file = Gv100ad::new(date)
        .land("10", "Saarland")
        .kreis("10041", "Regionalverband Saarbrücken", "45")
        .gemeinde("10041100", "0100", "Saarbrücken, Landeshauptstadt", 16_741, 180_374)
        .gemeinde("10041511", "0511", "Völklingen, Stadt", 6_738, 39_519)
        .kreis("10042", "Merzig-Wadern", "44")
        .verband("10042", "9001", "Amt Saarschleife (Testverband)", "51")
        .gemeinde("10042111", "9001", "Beckingen", 5_146, 15_030);
    let file = if with_losheim {
        file.gemeinde("10042112", "9001", "Losheim am See", 9_693, 15_944)
    } else {
        file
    };
    file.kreis("10043", "Neunkirchen", "44")
        .gemeinde("10043111", "0111", "Eppelborn", 4_604, 17_164)
        .kreis("10044", "Saarlouis", "44")
        .gemeinde("10044111", "0111", "Bous", 578, 7_127)
        .kreis("10045", "Saarpfalz-Kreis", "44")
        .gemeinde("10045111", "0111", "Bexbach, Stadt", 3_122, 17_776)
        .kreis("10046", "St. Wendel", "44")
        .gemeinde("10046111", "0111", "Freisen", 4_879, 7_916)
}

/// Runs `dkbm-hub directory import` on the server's database; returns (success, stdout, stderr).
fn cli_import(server: &TestServer, content: &str, dry_run: bool) -> (bool, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("GV100AD_31122018.txt");
    std::fs::write(&path, content).expect("write the file");
    let mut command = std::process::Command::new(binary());
    command
        .current_dir(dir.path())
        .args(["directory", "import"])
        .arg(&path)
        .args(["--database-url", &server.db.url])
        .env("DKBM_LOG", "warn");
    if dry_run {
        command.arg("--dry-run");
    }
    let output = command.output().expect("run the import");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const IMPORT: &str = r#"mutation ($file: Upload!, $dryRun: Boolean) {
  importMunicipalityDirectory(input: { file: $file, dryRun: $dryRun }) {
    referenceDate dryRun created updated unchanged retired valuesCreated valuesUpdated valuesUnchanged
  }
}"#;

/// Sends the mutation as a GraphQL multipart request (operations, map, the file) as the operator.
async fn upload_import(server: &TestServer, content: &str, dry_run: bool) -> Value {
    let boundary = "dkbm-test-boundary-7MA4YWxkTrZu0gW";
    let operations = json!({ "query": IMPORT, "variables": { "file": null, "dryRun": dry_run } });
    let mut body = String::new();
    for (name, value) in [
        ("operations", operations.to_string()),
        ("map", json!({ "0": ["variables.file"] }).to_string()),
    ] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"GV100AD.txt\"\r\n\
         Content-Type: text/plain\r\n\r\n{content}\r\n--{boundary}--\r\n"
    ));
    server
        .client
        .post(server.graphql_url())
        .bearer_auth(ADMIN_TOKEN)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("apollo-require-preflight", "true")
        .body(body)
        .send()
        .await
        .expect("send the upload")
        .json()
        .await
        .expect("a JSON answer")
}

async fn place_count(server: &TestServer) -> i64 {
    let response = server
        .gql(
            r#"{ municipalities(filter: { within: "10", includeRetired: true }) { totalCount } }"#,
            json!({}),
        )
        .await;
    i64_at(data(&response), "/municipalities/totalCount")
}

#[tokio::test]
async fn the_command_line_imports_the_directory_and_a_second_import_changes_nothing() {
    let server = with_districts().await;
    let file = saarland("20181231", true).crlf();

    let (ok, out, err) = cli_import(&server, &file, true);
    assert!(ok, "dry run: {err}");
    assert_eq!(out.lines().last(), Some("created 9 updated 6 unchanged 1 retired 0"));
    assert_eq!(place_count(&server).await, 7, "a dry run writes nothing");

    let (ok, out, err) = cli_import(&server, &file, false);
    assert!(ok, "import: {err}");
    // The Amt and 8 Gemeinden are new; the six districts get their sums; the Land is as it was.
    assert_eq!(out.lines().last(), Some("created 9 updated 6 unchanged 1 retired 0"));
    let (ok, out, _) = cli_import(&server, &file, false);
    assert!(ok);
    assert_eq!(out.lines().last(), Some("created 0 updated 0 unchanged 16 retired 0"));

    let response = server
        .gql(
            r#"{
              beckingen: municipality(ags: "10042111") {
                name kind level population
                parent { ags kind level parent { ags name level parent { ags level } } }
                indicators(codes: ["BEVOELKERUNG", "FLAECHE_KM2"]) { year value indicator { code } }
              }
              city: municipality(ags: "10041100") { name kind level parent { ags } }
              kreis: municipality(ags: "10042") {
                population children(first: 10) { nodes { ags level } }
                indicators(codes: ["BEVOELKERUNG"], from: 2018, to: 2018) { value }
              }
              towns: municipalities(filter: { within: "10042", level: MUNICIPALITY }) { totalCount }
              associations: municipalities(filter: { level: MUNICIPAL_ASSOCIATION }) { nodes { ags name } }
            }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(str_at(d, "/beckingen/kind"), "KREISANGEHOERIGE_GEMEINDE");
    assert_eq!(str_at(d, "/beckingen/level"), "MUNICIPALITY");
    assert_eq!(i64_at(d, "/beckingen/population"), 15_030);
    assert_eq!(str_at(d, "/beckingen/parent/ags"), "100429001");
    assert_eq!(str_at(d, "/beckingen/parent/level"), "MUNICIPAL_ASSOCIATION");
    assert_eq!(str_at(d, "/beckingen/parent/parent/name"), "Landkreis Merzig-Wadern");
    assert_eq!(str_at(d, "/beckingen/parent/parent/parent/ags"), "10");
    let values = d["beckingen"]["indicators"].as_array().expect("values");
    assert!(values.contains(&json!({ "year": 2018, "value": 15030.0, "indicator": { "code": "BEVOELKERUNG" } })));
    assert!(values.contains(&json!({ "year": 2018, "value": 51.46, "indicator": { "code": "FLAECHE_KM2" } })));
    // Saarbrücken is a Gemeinde of the Regionalverband (not a kreisfreie Stadt).
    assert_eq!(str_at(d, "/city/name"), "Landeshauptstadt Saarbrücken");
    assert_eq!(str_at(d, "/city/parent/ags"), "10041");
    // The district has the sum of its Gemeinden in the file.
    assert_eq!(i64_at(d, "/kreis/population"), 15_030 + 15_944);
    assert_eq!(d["kreis"]["indicators"][0]["value"], json!(30_974.0));
    assert_eq!(
        d["kreis"]["children"]["nodes"],
        json!([{ "ags": "100429001", "level": "MUNICIPAL_ASSOCIATION" }])
    );
    assert_eq!(i64_at(d, "/towns/totalCount"), 2);
    assert_eq!(
        str_at(d, "/associations/nodes/0/name"),
        "Amt Saarschleife (Testverband)"
    );
}

#[tokio::test]
async fn a_newer_directory_retires_a_merged_place_that_then_answers_with_its_successor() {
    let server = with_districts().await;
    let response = upload_import(&server, &saarland("20181231", true).lf(), false).await;
    let first = &data(&response)["importMunicipalityDirectory"];
    assert_eq!(first["referenceDate"], "2018-12-31");
    assert_eq!(
        (first["created"].as_i64(), first["retired"].as_i64()),
        (Some(9), Some(0))
    );
    // Population and area of the 8 Gemeinden are new; the six districts' 2018 figures become the
    // sums of their Gemeinden in the file.
    assert_eq!(
        (first["valuesCreated"].as_i64(), first["valuesUpdated"].as_i64()),
        (Some(16), Some(12)),
        "{first}"
    );

    let response = upload_import(&server, &saarland("20191231", false).crlf(), false).await;
    let second = &data(&response)["importMunicipalityDirectory"];
    assert_eq!(second["retired"], 1, "{second}");
    assert_eq!(second["created"], 0);

    let response = server
        .gql_admin(
            r#"mutation {
              recordMunicipalityChange(input: {
                fromAgs: ["10042112"], toAgs: ["10042111"], since: "2019-07-01", reason: MERGED
              }) { predecessors { ags validUntil } successors { ags validUntil } }
            }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(
        d["recordMunicipalityChange"]["predecessors"],
        json!([{ "ags": "10042112", "validUntil": "2019-06-30" }])
    );
    assert_eq!(
        d["recordMunicipalityChange"]["successors"],
        json!([{ "ags": "10042111", "validUntil": null }])
    );

    let response = server
        .gql(
            r#"{
              losheim: municipality(ags: "10042112") { name validUntil successors { municipality { name } reason since } }
              current: municipalities(filter: { within: "10042", level: MUNICIPALITY }) { totalCount }
              all: municipalities(filter: { within: "10042", level: MUNICIPALITY, includeRetired: true }) { totalCount }
            }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(str_at(d, "/losheim/validUntil"), "2019-06-30");
    assert_eq!(str_at(d, "/losheim/successors/0/municipality/name"), "Beckingen");
    assert_eq!(str_at(d, "/losheim/successors/0/reason"), "MERGED");
    assert_eq!(i64_at(d, "/current/totalCount"), 1);
    assert_eq!(i64_at(d, "/all/totalCount"), 2);

    // A place with a new key begins on the day of the change (a merger's successor may be older).
    let response = server
        .gql_admin(
            r#"mutation { recordMunicipalityChange(input: { fromAgs: ["10046111"], toAgs: ["10045111"], since: "2020-01-01", reason: REKEYED }) { predecessors { validUntil } successors { ags validFrom } } }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(
        d["recordMunicipalityChange"]["successors"],
        json!([{ "ags": "10045111", "validFrom": "2020-01-01" }])
    );
    assert_eq!(
        d["recordMunicipalityChange"]["predecessors"],
        json!([{ "validUntil": "2019-12-31" }])
    );
    let response = server
        .gql(r#"{ municipality(ags: "10042111") { validFrom } }"#, json!({}))
        .await;
    assert!(
        data(&response)["municipality"]["validFrom"].is_null(),
        "Beckingen existed before the merger"
    );

    // Recording it twice is a conflict; a place cannot follow itself.
    let again = server
        .gql_admin(
            r#"mutation { recordMunicipalityChange(input: { fromAgs: ["10042112"], toAgs: ["10042111"], since: "2019-07-01", reason: MERGED }) { successors { ags } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(again["errors"][0]["extensions"]["code"], "CONFLICT", "{again}");
    let itself = server
        .gql_admin(
            r#"mutation { recordMunicipalityChange(input: { fromAgs: ["10042111"], toAgs: ["10042111"], since: "2019-07-01", reason: RENAMED }) { successors { ags } } }"#,
            json!({}),
        )
        .await;
    assert_bad_input(&itself, "input.toAgs");
    let unknown = server
        .gql_admin(
            r#"mutation { recordMunicipalityChange(input: { fromAgs: ["10042111", "99999999"], toAgs: ["10042"], since: "2019-07-01", reason: MERGED }) { successors { ags } } }"#,
            json!({}),
        )
        .await;
    assert_bad_input(&unknown, "input.fromAgs[1]");
}

#[tokio::test]
async fn a_malformed_line_refuses_the_whole_file_and_writes_nothing() {
    let server = with_districts().await;
    let broken = saarland("20181231", true)
        .raw("6020181231100461110111Kaputt, zu kurz")
        .lf();
    let response = upload_import(&server, &broken, false).await;
    assert_bad_input(&response, "input.file");
    let message = response["errors"][0]["message"].as_str().expect("message");
    assert!(message.contains("17"), "the line is named: {message}");
    assert_eq!(place_count(&server).await, 7, "nothing written");

    let (ok, _, err) = cli_import(&server, &broken, false);
    assert!(!ok, "the command fails");
    assert!(err.contains("line 17"), "{err}");
    assert_eq!(place_count(&server).await, 7);

    for (file, what) in [
        ("99garbage\n".to_owned(), "an unknown record type"),
        (String::new(), "an empty file"),
        (saarland("20181331", true).lf(), "a month 13"),
        ("\u{0}\u{ff}".to_owned(), "not a directory"),
    ] {
        let response = upload_import(&server, &file, false).await;
        assert_eq!(
            response["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{what}: {response}"
        );
    }
    let mixed = format!("{}{}", saarland("20181231", true).lf(), saarland("20191231", true).lf());
    assert_bad_input(&upload_import(&server, &mixed, false).await, "input.file");

    // A JSON request cannot smuggle a file reference (async-graphql's own scalar would panic on
    // these); each is an input error and the server answers on.
    for reference in ["#__graphql_file__:abc", "#__graphql_file__:5", "#__graphql_file__:0"] {
        let response = server
            .gql_admin(IMPORT, json!({ "file": reference, "dryRun": false }))
            .await;
        let code = &response["errors"][0]["extensions"]["code"];
        assert!(
            code == "BAD_USER_INPUT" || code == "GRAPHQL_VALIDATION_FAILED",
            "{reference}: {response}"
        );
    }

    // Only administrators import; a multipart request without the preflight header is refused.
    let anonymous = server
        .client
        .post(server.graphql_url())
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x--\r\n")
        .send()
        .await
        .expect("send");
    assert_eq!(anonymous.status(), 400);
    assert_eq!(place_count(&server).await, 7);
}
