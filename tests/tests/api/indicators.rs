//! Education monitoring indicators: defining them, importing both file formats (special signs,
//! decimal commas, a bad line, a re-import), time series, the comparison table, the command
//! line, and the SVG chart.

use dkbm_tests::{TestServer, assert_bad_input, data, error_with_code};
use quick_xml::Reader;
use quick_xml::events::Event;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

pub const SAVE: &str = "mutation ($input: SaveIndicatorInput!) { saveIndicator(input: $input) { id code nameDe unit polarity topic { slug } } }";
pub const IMPORT: &str = "mutation ($input: ImportIndicatorValuesInput!) { importIndicatorValues(input: $input) { committed format lines created updated unchanged rejected { line reason } } }";

/// Defines an indicator (as the administrator).
pub async fn define(server: &TestServer, code: &str, name: &str) {
    let input = json!({ "input": { "code": code, "nameDe": name, "nameEn": name, "unit": "%",
        "source": "Testdaten", "polarity": "LOWER_IS_BETTER", "topic": "education-monitoring" } });
    let response = server.gql_admin(SAVE, input).await;
    assert_eq!(data(&response)["saveIndicator"]["code"], code, "{response}");
}

/// Imports a file (as the administrator) and returns the report.
pub async fn import(server: &TestServer, content: &str) -> Value {
    let response = server
        .gql_admin(IMPORT, json!({ "input": { "content": content } }))
        .await;
    data(&response)["importIndicatorValues"].clone()
}

async fn value_rows(server: &TestServer) -> i64 {
    let db = server.state.conn();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM indicator_value",
        ))
        .await
        .expect("count")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("n")
}

const PLAIN: &str = "ags;year;code;value\n\
    05512000;2021;TEST_OHNE;7,1\n\
    05512000;2022;TEST_OHNE;6,4\n\
    05513000;2022;TEST_OHNE;.\n\
    15083;2022;TEST_OHNE;1.234,5\n";

#[tokio::test]
async fn a_plain_file_is_imported_whole_or_not_at_all_and_again_changes_nothing() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    define(&server, "TEST_OHNE", "Ohne Abschluss").await;
    let before = value_rows(&server).await;

    // A bad line (and an unknown AGS, an unknown code, a value given twice): nothing is written.
    let bad = format!(
        "{PLAIN}05512000;2022;TEST_OHNE;6,0\n05512999;2022;TEST_OHNE;1\n05512000;2022;NOPE;1\n05512000;2023;TEST_OHNE;viel\n"
    );
    let report = import(&server, &bad).await;
    assert_eq!(report["committed"], false);
    assert_eq!(report["format"], "PLAIN");
    let rejected: Vec<(i64, &str)> = report["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|r| (r["line"].as_i64().expect("line"), r["reason"].as_str().expect("reason")))
        .collect();
    assert_eq!(
        rejected.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
        vec![6, 7, 8, 9]
    );
    assert!(rejected[0].1.contains("line 3"), "{rejected:?}");
    assert!(rejected[1].1.contains("05512999"), "{rejected:?}");
    assert!(rejected[2].1.contains("NOPE"), "{rejected:?}");
    assert!(rejected[3].1.contains("viel"), "{rejected:?}");
    assert_eq!(value_rows(&server).await, before);
    // The reasons in the request's language.
    let german = server
        .gql_in(
            "de-DE",
            Some(dkbm_tests::ADMIN_TOKEN),
            IMPORT,
            json!({ "input": { "content": bad } }),
        )
        .await;
    let reason = &data(&german)["importIndicatorValues"]["rejected"][3]["reason"];
    assert_eq!(
        reason,
        "\"viel\" ist weder eine Zahl (etwa 12,5) noch ein Sonderzeichen (-, ., x, /, ...)"
    );

    // The good file: German decimals and grouping, a special sign.
    let report = import(&server, PLAIN).await;
    assert_eq!(report["committed"], true, "{report}");
    assert_eq!(
        (report["created"].as_i64(), report["unchanged"].as_i64()),
        (Some(4), Some(0))
    );
    assert_eq!(value_rows(&server).await, before + 4);

    // The same file again: every value unchanged, nothing written.
    let report = import(&server, PLAIN).await;
    assert_eq!(report["committed"], true);
    assert_eq!(
        (
            report["created"].as_i64(),
            report["updated"].as_i64(),
            report["unchanged"].as_i64()
        ),
        (Some(0), Some(0), Some(4))
    );

    // A changed value is an update.
    let report = import(&server, &PLAIN.replace("6,4", "6,5")).await;
    assert_eq!(
        (report["updated"].as_i64(), report["unchanged"].as_i64()),
        (Some(1), Some(3))
    );

    let series = server
        .gql(
            r#"{ bottrop: municipality(ags: "05512000") { indicators(codes: ["TEST_OHNE"], from: 2022) { indicator { code } year value flag formatted } }
                 gelsenkirchen: municipality(ags: "05513000") { indicators(codes: ["TEST_OHNE"]) { value flag formatted } }
                 boerde: municipality(ags: "15083") { indicators(codes: ["TEST_OHNE"]) { value formatted } } }"#,
            json!({}),
        )
        .await;
    let series = data(&series);
    assert_eq!(
        series["bottrop"]["indicators"],
        json!([{ "indicator": { "code": "TEST_OHNE" }, "year": 2022, "value": 6.5, "flag": null, "formatted": "6,5" }])
    );
    assert_eq!(
        series["gelsenkirchen"]["indicators"],
        json!([{ "value": null, "flag": "UNKNOWN_OR_SECRET", "formatted": "." }])
    );
    assert_eq!(
        series["boerde"]["indicators"],
        json!([{ "value": 1234.5, "formatted": "1.234,5" }])
    );
}

const GENESIS: &str = "\u{feff}statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label;value_q\n\
    21111-01-03-4;Absolventen;JAHR;Jahr;2022;KREISE;Kreise und kreisfreie Städte;05512;Bottrop, kreisfreie Stadt;ABSCHL;Abschluss;OHNE;ohne Abschluss;6,4;Prozent;BIL003;Anteil;e\n\
    21111-01-03-4;Absolventen;JAHR;Jahr;2022;KREISE;Kreise und kreisfreie Städte;15083;Börde, Landkreis;ABSCHL;Abschluss;OHNE;ohne Abschluss;-;Prozent;BIL003;Anteil;e\n\
    21111-01-03-4;Absolventen;JAHR;Jahr;2022;KREISE;Kreise und kreisfreie Städte;05562;Recklinghausen, Kreis;ABSCHL;Abschluss;OHNE;ohne Abschluss;;Prozent;BIL003;Anteil;...\n\
    21111-01-03-4;Absolventen;JAHR;Jahr;2022;KREISE;Kreise und kreisfreie Städte;05358;Düren, Kreis;ABSCHL;Abschluss;OHNE;ohne Abschluss;/;Prozent;BIL003;Anteil;e\n";

#[tokio::test]
async fn a_genesis_flat_file_with_special_signs_and_the_districts_key_of_a_city() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    define(&server, "BIL003:OHNE", "Ohne Abschluss").await;
    let unknown = format!(
        "{GENESIS}21111-01-03-4;Absolventen;JAHR;Jahr;2022;DLAND;Länder;05;Nordrhein-Westfalen;ABSCHL;Abschluss;OHNE;ohne;5,9;Prozent;BIL003;Anteil;e\n"
    );
    let report = import(&server, &unknown).await;
    assert_eq!(report["committed"], false);
    assert_eq!(report["format"], "GENESIS");
    assert_eq!(report["rejected"][0]["line"], 6);
    assert!(
        report["rejected"][0]["reason"]
            .as_str()
            .expect("reason")
            .contains("\"05\"")
    );

    let report = import(&server, GENESIS).await;
    assert_eq!(report["committed"], true, "{report}");
    assert_eq!(report["created"], 4);
    let compare = server
        .gql(
            r#"{ compareMunicipalities(ags: ["05512000", "15083", "05562", "05358", "05913000"], codes: ["BIL003:OHNE"]) {
                   year indicators { code } rows { municipality { ags } values { value flag formatted } } } }"#,
            json!({}),
        )
        .await;
    let table = &data(&compare)["compareMunicipalities"];
    assert_eq!(table["year"], 2022);
    let cells: Vec<&Value> = table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| &row["values"][0])
        .collect();
    assert_eq!(cells[0], &json!({ "value": 6.4, "flag": null, "formatted": "6,4" }));
    assert_eq!(cells[1]["flag"], "NOTHING");
    assert_eq!(cells[2]["flag"], "NOT_YET_AVAILABLE");
    assert_eq!(cells[3]["flag"], "TOO_UNCERTAIN");
    assert_eq!(cells[4], &Value::Null, "Dortmund has no value");
}

#[tokio::test]
async fn the_command_line_imports_a_file_and_names_rejected_lines() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    define(&server, "TEST_OHNE", "Ohne Abschluss").await;
    let initial = value_rows(&server).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("werte.csv");
    std::fs::write(&good, PLAIN).expect("write");
    let bad = dir.path().join("kaputt.csv");
    std::fs::write(&bad, "05512000;2022;TEST_OHNE;1,0\n05512000;zwei;TEST_OHNE;1\n").expect("write");
    let run = |file: std::path::PathBuf| {
        tokio::process::Command::new(dkbm_tests::binary())
            .args(["indicators", "import"])
            .arg(file)
            .args([
                "--database-url",
                &server.db.url,
                "--skip-migrations",
                "--no-base-places",
            ])
            .env_clear()
            .output()
    };
    let output = run(bad).await.expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("line 2: \"zwei\" is not a year"), "{stderr}");
    assert_eq!(value_rows(&server).await, initial);
    let output = run(good).await.expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("imported: 4 lines, 4 created"), "{stderr}");
    assert_eq!(value_rows(&server).await, initial + 4);
}

#[tokio::test]
async fn saving_an_indicator_checks_its_fields_and_updates_by_code() {
    let server = TestServer::start().await;
    let bad = json!({ "input": { "code": "a b", "nameDe": "x", "nameEn": "x", "unit": "%", "source": "s" } });
    assert_bad_input(&server.gql_admin(SAVE, bad).await, "input.code");
    let bad = json!({ "input": { "code": "X", "nameDe": " ", "nameEn": "x", "unit": "%", "source": "s" } });
    assert_bad_input(&server.gql_admin(SAVE, bad).await, "input.nameDe");
    define(&server, "X", "Erst").await;
    define(&server, "X", "Dann").await;
    let ids = server.gql("{ indicators { id } }", json!({})).await;
    let node = server
        .gql(
            "query ($id: ID!) { node(id: $id) { __typename ... on Indicator { code nameDe } } }",
            json!({ "id": data(&ids)["indicators"][0]["id"] }),
        )
        .await;
    assert_eq!(
        data(&node)["node"],
        json!({ "__typename": "Indicator", "code": "X", "nameDe": "Dann" })
    );
    let list = server
        .gql("{ indicators { code nameDe polarity topic { slug } } }", json!({}))
        .await;
    assert_eq!(
        data(&list)["indicators"],
        json!([{ "code": "X", "nameDe": "Dann", "polarity": "LOWER_IS_BETTER", "topic": { "slug": "education-monitoring" } }])
    );
    let unknown = server
        .gql(
            r#"{ municipality(ags: "05512000") { indicators(codes: ["NOPE"]) { year } } }"#,
            json!({}),
        )
        .await;
    // No such municipality without the demo data: null, no error.
    assert_eq!(data(&unknown)["municipality"], Value::Null);
    let reversed = server
        .gql(
            r#"{ compareMunicipalities(ags: ["05512000"], year: 99999) { year } }"#,
            json!({}),
        )
        .await;
    error_with_code(&reversed, "BAD_USER_INPUT");
}

/// The text of the first `<title>` of an SVG document, which must be well-formed XML.
fn svg_title(svg: &str) -> String {
    let mut reader = Reader::from_str(svg);
    let (mut title, mut in_title, mut depth) = (String::new(), false, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(tag) => {
                depth += 1;
                in_title = tag.name().as_ref() == "title";
            }
            Event::End(_) => {
                depth -= 1;
                in_title = false;
            }
            Event::Text(text) if in_title && title.is_empty() => {
                title = text.into_inner().into_owned();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "every element is closed");
    title
}

#[tokio::test]
async fn the_chart_is_svg_with_a_title_and_a_german_description() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let response = server
        .get("/municipalities/05512000/indicators/SCHULAB_OHNE.svg?compare=05513000,05913000")
        .await;
    assert_eq!(response.status(), 200);
    assert!(dkbm_tests::header(&response, "content-type").starts_with("image/svg+xml"));
    let svg = response.text().await.expect("body");
    assert_eq!(
        svg_title(&svg),
        "Schulabgänger/-innen ohne Ersten Schulabschluss – Stadt Bottrop"
    );
    assert!(svg.contains("<desc id=\"chart-desc\">"), "{svg}");
    assert!(svg.contains("2019: 7,0 %"), "German decimals in the description");
    assert!(
        svg.contains("Stadt Gelsenkirchen") && svg.contains("Stadt Dortmund"),
        "the legend"
    );
    assert!(svg.contains("role=\"img\""));

    let median = server
        .get("/municipalities/05512000/indicators/SCHULAB_OHNE.svg?compare=median")
        .await;
    assert_eq!(median.status(), 200);
    let svg = median.text().await.expect("body");
    svg_title(&svg);
    assert!(svg.contains("Median NW (kreisfreie Städte)"), "{svg}");

    for (path, status) in [
        ("/municipalities/05512000/indicators/NOPE.svg", 404),
        ("/municipalities/99999999/indicators/SCHULAB_OHNE.svg", 404),
        ("/municipalities/05512000/indicators/SCHULAB_OHNE.png", 404),
        (
            "/municipalities/05512000/indicators/SCHULAB_OHNE.svg?compare=drop%20table",
            400,
        ),
    ] {
        assert_eq!(server.get(path).await.status(), status, "{path}");
    }
}

async fn statements_for_series(server: &TestServer, first: usize) -> u64 {
    let page = r#"query ($first: Int) { municipalities(first: $first, orderBy: { field: AGS }) { nodes { ags
        indicators(codes: ["SCHULAB_OHNE", "BETREUUNG_U3"], from: 2022) { year value indicator { code topic { slug } } } } } }"#;
    let before = server.statements();
    let response = server.gql(page, json!({ "first": first })).await;
    let nodes = data(&response)["municipalities"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), first);
    assert_eq!(
        nodes[first - 1]["indicators"].as_array().map(Vec::len),
        Some(4),
        "{response}"
    );
    server.statements() - before
}

// Several worker threads, as in production: batching must not depend on a single-threaded executor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_series_of_a_page_of_municipalities_cost_a_constant_number_of_statements() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    // The first request after start-up also reads what the instance caches.
    statements_for_series(&server, 1).await;
    let two = statements_for_series(&server, 2).await;
    let eight = statements_for_series(&server, 8).await;
    assert_eq!(two, eight, "2 municipalities cost {two} statements, 8 cost {eight}");
    // page, all indicators, values, topics.
    assert!(eight <= 5, "{eight} statements");
}

/// A municipality or an indicator code asked for twice is shown twice, in the order asked: a
/// repeated row keeps its values, a repeated code is a column of its own.
#[tokio::test]
async fn a_comparison_repeats_what_was_asked_in_the_order_asked() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let compare = server
        .gql(
            r#"{ compareMunicipalities(ags: ["05512000", "15083", "05512000"], codes: ["SCHULAB_OHNE", "BETREUUNG_U3", "SCHULAB_OHNE"]) {
                   indicators { code } rows { municipality { ags } values { value } } } }"#,
            json!({}),
        )
        .await;
    let table = &data(&compare)["compareMunicipalities"];
    let codes: Vec<&str> = table["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .map(|indicator| indicator["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["SCHULAB_OHNE", "BETREUUNG_U3", "SCHULAB_OHNE"]);
    let rows = table["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2]["municipality"]["ags"], "05512000");
    assert_eq!(
        rows[2]["values"], rows[0]["values"],
        "the repeated row keeps its values: {table}"
    );
    assert!(!rows[0]["values"][0].is_null(), "Bottrop has values: {table}");
    assert_eq!(
        rows[0]["values"][0], rows[0]["values"][2],
        "the repeated column: {table}"
    );
}

/// Numbers are rounded half up as they are written, alike in `formatted` and in the chart's
/// description; a median of 7,7 and 8,2 is 7,95, shown as 8,0. The legend sits below the plot,
/// where it hides no data point.
#[tokio::test]
async fn numbers_round_as_written_and_the_legend_hides_no_point() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    define(&server, "TEST_RUND", "Rundung").await;
    let values = "ags;year;code;value\n05512000;2021;TEST_RUND;7,95\n05512000;2022;TEST_RUND;7,7\n\
                  05913000;2022;TEST_RUND;8,2\n";
    assert_eq!(import(&server, values).await["committed"], true);
    let series = server
        .gql(
            r#"{ municipality(ags: "05512000") { indicators(codes: ["TEST_RUND"]) { year formatted } } }"#,
            json!({}),
        )
        .await;
    let formatted: Vec<(i64, String)> = data(&series)["municipality"]["indicators"]
        .as_array()
        .expect("values")
        .iter()
        .map(|value| {
            (
                value["year"].as_i64().expect("year"),
                value["formatted"].as_str().expect("text").to_owned(),
            )
        })
        .collect();
    assert!(
        formatted.contains(&(2021, "8,0".to_owned())),
        "7,95 rounds up: {formatted:?}"
    );
    let svg = server
        .get("/municipalities/05512000/indicators/TEST_RUND.svg?compare=median")
        .await
        .text()
        .await
        .expect("svg");
    let description = &svg[svg.find("<desc").expect("desc")..svg.find("</desc>").expect("end")];
    assert!(
        description.contains("Stadt Bottrop: 2021: 8,0 %; 2022: 7,7 %."),
        "{description}"
    );
    // The median of Bottrop's 7,7 and Dortmund's 8,2: 7,95, written 8,0.
    assert!(
        description.contains("2022: 8,0 %"),
        "the median is 7,95 = 8,0: {description}"
    );
    // Every legend label lies below every data point.
    let lowest_point = svg
        .match_indices("<circle")
        .filter_map(|(at, _)| attribute(&svg[at..], "cy"))
        .fold(f64::MIN, f64::max);
    for label in ["Stadt Bottrop", "Median NW"] {
        let at = svg
            .rfind(label)
            .unwrap_or_else(|| panic!("a legend label {label}: {svg}"));
        let text_start = svg[..at].rfind("<text").expect("its text element");
        let y = attribute(&svg[text_start..], "y").expect("its y");
        assert!(y > lowest_point, "{label} at {y} covers points down to {lowest_point}");
    }
}

/// The number in the first `name="…"` of an element.
fn attribute(element: &str, name: &str) -> Option<f64> {
    let marker = format!(" {name}=\"");
    let start = element.find(&marker)? + marker.len();
    let end = start + element[start..].find('"')?;
    element[start..end].parse().ok()
}

/// A value beyond what an indicator can mean (`1e308`) is refused with its line; values as
/// large as allowed still have a spread, and their `formatted` stays a number's length.
#[tokio::test]
async fn values_beyond_what_an_indicator_means_are_refused() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    define(&server, "TEST_GROSS", "Groß").await;
    let report = import(&server, "ags;year;code;value\n05512000;2022;TEST_GROSS;1e308\n").await;
    assert_eq!(report["committed"], false, "{report}");
    assert_eq!(report["rejected"][0]["line"], 2);
    assert!(
        report["rejected"][0]["reason"]
            .as_str()
            .expect("reason")
            .contains("1e15"),
        "{report}"
    );
    let big = "ags;year;code;value\n05512000;2022;TEST_GROSS;1e15\n05913000;2022;TEST_GROSS;-1e15\n05513000;2022;TEST_GROSS;5e14\n";
    assert_eq!(import(&server, big).await["committed"], true);
    let similar = server
        .gql(
            r#"{ similarMunicipalities(ags: "05512000", codes: ["TEST_GROSS"], year: 2022) { indicators { indicator { code } } skipped { reason } } }"#,
            json!({}),
        )
        .await;
    let similar = &data(&similar)["similarMunicipalities"];
    assert_eq!(similar["indicators"][0]["indicator"]["code"], "TEST_GROSS", "{similar}");
    let series = server
        .gql(
            r#"{ municipality(ags: "05512000") { indicators(codes: ["TEST_GROSS"]) { formatted } } }"#,
            json!({}),
        )
        .await;
    let formatted = data(&series)["municipality"]["indicators"][0]["formatted"]
        .as_str()
        .expect("text")
        .to_owned();
    assert_eq!(formatted, "1.000.000.000.000.000,0");
}
