//! No N+1: a page of municipalities with their programmes, agreements and agreement agencies
//! costs the same small number of SQL statements whatever the page size.

use dkbm_entity::{AgencyKind, AgreementKind, MunicipalityKind, State};
use dkbm_hub::auth::Viewer;
use dkbm_hub::directory::service::{self, NewAgency, NewAgreement, NewMunicipality, NewParticipation, NewProgramme};
use dkbm_tests::{TestServer, data};
use serde_json::json;

const PAGE: &str = r#"
    query ($first: Int) {
      municipalities(first: $first, orderBy: { field: AGS }) {
        edges { cursor node {
          name ags
          programmes { fundingCode startsOn programme { name funder } municipality { ags } }
          agreements { kind title agency { name carrier { name } statesServed } partnerAgency { name } }
        } }
      }
    }"#;

async fn load(server: &TestServer, municipalities: usize) {
    let state = &server.state.writer;
    let operator = Viewer::Operator;
    for (slug, carrier) in [("traeger", None), ("agentur", Some("traeger"))] {
        service::create_agency(
            state,
            &operator,
            NewAgency {
                slug: slug.into(),
                name: slug.into(),
                kind: AgencyKind::TransferAgency,
                description: None,
                website: None,
                contact_email: None,
                carrier_slug: carrier.map(Into::into),
                carrier_name: None,
                states_served: vec![State::Nw],
            },
        )
        .await
        .expect("agency");
    }
    service::create_programme(
        state,
        &operator,
        NewProgramme {
            slug: "programm".into(),
            name: "Programm".into(),
            funder: "BMBF".into(),
            description: None,
            website: None,
            starts_on: None,
            ends_on: None,
        },
    )
    .await
    .expect("programme");
    for i in 0..municipalities {
        let ags = format!("05{:06}", 100_000 + i);
        service::create_municipality(
            state,
            &operator,
            NewMunicipality {
                ags: ags.clone(),
                name: format!("Stadt Nummer {i}"),
                kind: MunicipalityKind::KreisfreieStadt,
                state: State::Nw,
                slug: None,
                population: Some(1000),
                website: None,
                education_office: None,
            },
        )
        .await
        .expect("municipality");
        service::add_participation(
            state,
            &operator,
            NewParticipation {
                programme_slug: "programm".into(),
                municipality_ags: ags.clone(),
                funding_code: Some(format!("01JL{i:04}")),
                project_title: None,
                starts_on: None,
                ends_on: None,
            },
        )
        .await
        .expect("participation");
        service::create_agreement(
            state,
            &operator,
            NewAgreement {
                kind: AgreementKind::TargetAgreement,
                title: format!("Zielvereinbarung {i}"),
                summary: None,
                agency_slug: "agentur".into(),
                municipality_ags: Some(ags),
                partner_agency_slug: None,
                signed_on: None,
            },
        )
        .await
        .expect("agreement");
    }
}

async fn statements_for(server: &TestServer, first: usize) -> u64 {
    let before = server.statements();
    let response = server.gql(PAGE, json!({ "first": first })).await;
    let edges = data(&response)["municipalities"]["edges"].as_array().map(Vec::len);
    assert_eq!(edges, Some(first));
    assert!(
        data(&response)["municipalities"]["edges"][first - 1]["node"]["agreements"][0]["agency"]["carrier"]["name"]
            == "traeger"
    );
    server.statements() - before
}

// Several worker threads, as in production: batching must not depend on a single-threaded executor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_costs_a_constant_number_of_statements() {
    let server = TestServer::start().await;
    load(&server, 100).await;
    let ten = statements_for(&server, 10).await;
    let hundred = statements_for(&server, 100).await;
    assert_eq!(ten, hundred, "10 items cost {ten} statements, 100 items {hundred}");
    // page, participations, programmes, municipalities (back-reference), agreements,
    // agencies, carriers, states served.
    assert!(hundred <= 9, "{hundred} statements");
}
