//! Writing the directory: the admin token, validation (nothing half-written), conflicts,
//! partial updates, and idempotent seeding.

use dkbm_tests::{ADMIN_TOKEN, TestServer, assert_bad_input, data, error_with_code};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const CREATE_MUNICIPALITY: &str = "mutation ($input: CreateMunicipalityInput!) { createMunicipality(input: $input) { id ags slug name kind state population website } }";
const UPDATE_MUNICIPALITY: &str = "mutation ($id: ID!, $input: UpdateMunicipalityInput!) { updateMunicipality(id: $id, input: $input) { ags name kind state population website educationOffice } }";
const CREATE_AGENCY: &str = "mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { id slug name kind website statesServed carrier { slug } } }";
const CREATE_PROGRAMME: &str =
    "mutation ($input: CreateProgrammeInput!) { createProgramme(input: $input) { id slug startsOn endsOn } }";
const ADD_PARTICIPATION: &str = "mutation ($input: AddProgrammeParticipationInput!) { addProgrammeParticipation(input: $input) { id fundingCode programme { slug } municipality { ags } } }";
const CREATE_AGREEMENT: &str = "mutation ($input: CreateAgreementInput!) { createAgreement(input: $input) { id kind title signedOn agency { slug } municipality { ags } partnerAgency { slug } } }";

async fn count(server: &TestServer, table: &str) -> i64 {
    let db = server.state.conn();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .expect("count")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("n")
}

/// Row counts of every directory table, to show that a refused request wrote nothing.
async fn snapshot(server: &TestServer) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "agency",
        "agency_state",
        "municipality",
        "municipality_name_token",
        "programme",
        "programme_participation",
        "agreement",
    ] {
        counts.push(count(server, table).await);
    }
    counts
}

fn bottrop_like(ags: &str, name: &str) -> Value {
    json!({ "input": { "ags": ags, "name": name, "kind": "KREISFREIE_STADT", "state": "NW", "population": 1000, "website": "https://example.org" } })
}

#[tokio::test]
async fn mutations_need_the_admin_token() {
    let server = TestServer::start().await;
    let mutations = [
        (CREATE_MUNICIPALITY, bottrop_like("05512000", "Stadt Bottrop")),
        (
            CREATE_AGENCY,
            json!({ "input": { "slug": "a-b", "name": "A", "kind": "OTHER" } }),
        ),
        (
            CREATE_PROGRAMME,
            json!({ "input": { "slug": "p-q", "name": "P", "funder": "BMBF" } }),
        ),
        (
            ADD_PARTICIPATION,
            json!({ "input": { "programmeSlug": "p", "municipalityAgs": "05512000" } }),
        ),
        (
            CREATE_AGREEMENT,
            json!({ "input": { "kind": "TARGET_AGREEMENT", "title": "T", "agencySlug": "a", "municipalityAgs": "05512000" } }),
        ),
    ];
    for (mutation, variables) in &mutations {
        let response = server.gql(mutation, variables.clone()).await;
        error_with_code(&response, "UNAUTHENTICATED");
    }
    // A wrong token is refused as a whole request: 401 with no detail.
    let response = server
        .client
        .post(server.graphql_url())
        .bearer_auth("wrong-token")
        .json(&json!({ "query": "{ topics { slug } }" }))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), reqwest::StatusCode::UNAUTHORIZED);
    assert!(response.headers().get("www-authenticate").is_some());
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(snapshot(&server).await, vec![0; 7]);

    // Without a configured admin token, even the right-looking token is refused.
    let server = TestServer::start_with(|config| config.admin_token = None).await;
    let response = server
        .gql_with(
            Some(ADMIN_TOKEN),
            CREATE_MUNICIPALITY,
            bottrop_like("05512000", "Stadt Bottrop"),
        )
        .await;
    error_with_code(&response, "UNAUTHENTICATED");
}

#[tokio::test]
async fn create_and_update_a_municipality() {
    let server = TestServer::start().await;
    let response = server
        .gql_admin(CREATE_MUNICIPALITY, bottrop_like("05512000", "Stadt Bottrop"))
        .await;
    let created = &data(&response)["createMunicipality"];
    assert_eq!(created["slug"], "stadt-bottrop");
    assert_eq!(created["ags"], "05512000");
    let id = created["id"].clone();

    // Partial update: rename, clear the website, leave the population.
    let response = server
        .gql_admin(UPDATE_MUNICIPALITY, json!({ "id": id, "input": { "name": "Stadt Bottrop (Ruhr)", "website": null, "educationOffice": "Bildungsbüro" } }))
        .await;
    let updated = &data(&response)["updateMunicipality"];
    assert_eq!(updated["name"], "Stadt Bottrop (Ruhr)");
    assert_eq!(updated["website"], json!(null));
    assert_eq!(updated["population"], 1000);
    assert_eq!(updated["educationOffice"], "Bildungsbüro");

    // The search follows the new name.
    let search = "query ($s: String) { municipalities(filter: { search: $s }) { totalCount } }";
    assert_eq!(
        data(&server.gql(search, json!({ "s": "ruhr" })).await)["municipalities"]["totalCount"],
        1
    );

    // The AGS is checked against kind and state together.
    let response = server
        .gql_admin(UPDATE_MUNICIPALITY, json!({ "id": id, "input": { "state": "BY" } }))
        .await;
    assert_bad_input(&response, "input.state");
    let response = server
        .gql_admin(UPDATE_MUNICIPALITY, json!({ "id": id, "input": { "kind": "KREIS" } }))
        .await;
    assert_bad_input(&response, "input.state");
    let response = server
        .gql_admin(UPDATE_MUNICIPALITY, json!({ "id": id, "input": { "ags": "05512001" } }))
        .await;
    assert_eq!(data(&response)["updateMunicipality"]["ags"], "05512001");
    let response = server
        .gql_admin(UPDATE_MUNICIPALITY, json!({ "id": id, "input": { "population": -5 } }))
        .await;
    assert_bad_input(&response, "input.population");

    // A wrong kind of id.
    let response = server
        .gql_admin(UPDATE_MUNICIPALITY, json!({ "id": "bm9wZQ", "input": {} }))
        .await;
    assert_bad_input(&response, "id");
}

#[tokio::test]
async fn invalid_municipalities_are_refused_and_nothing_is_written() {
    let server = TestServer::start().await;
    let cases = [
        (
            json!({ "ags": "0551200", "name": "Xanten", "kind": "KREISFREIE_STADT", "state": "NW" }),
            "input.ags",
        ),
        (
            json!({ "ags": "05512", "name": "Xanten", "kind": "KREISFREIE_STADT", "state": "NW" }),
            "input.ags",
        ),
        (
            json!({ "ags": "05512000", "name": "Xanten", "kind": "KREIS", "state": "NW" }),
            "input.ags",
        ),
        (
            json!({ "ags": "0551A000", "name": "Xanten", "kind": "KREISFREIE_STADT", "state": "NW" }),
            "input.ags",
        ),
        (
            json!({ "ags": "15083", "name": "Xanten", "kind": "KREIS", "state": "NW" }),
            "input.ags",
        ),
        (
            json!({ "ags": "05512000", "name": "  ", "kind": "KREISFREIE_STADT", "state": "NW" }),
            "input.name",
        ),
        (
            json!({ "ags": "05512000", "name": "x".repeat(301), "kind": "KREISFREIE_STADT", "state": "NW" }),
            "input.name",
        ),
        (
            json!({ "ags": "05512000", "name": "Xanten", "kind": "KREISFREIE_STADT", "state": "NW", "slug": "Not A Slug" }),
            "input.slug",
        ),
        (
            json!({ "ags": "05512000", "name": "Xanten", "kind": "KREISFREIE_STADT", "state": "NW", "website": "ftp://x" }),
            "input.website",
        ),
        (
            json!({ "ags": "05512000", "name": "Xanten", "kind": "KREISFREIE_STADT", "state": "NW", "population": -1 }),
            "input.population",
        ),
    ];
    for (input, field) in cases {
        let response = server.gql_admin(CREATE_MUNICIPALITY, json!({ "input": input })).await;
        assert_bad_input(&response, field);
    }
    assert_eq!(snapshot(&server).await, vec![0; 7]);
}

#[tokio::test]
async fn duplicates_are_conflicts() {
    let server = TestServer::start().await;
    data(
        &server
            .gql_admin(CREATE_MUNICIPALITY, bottrop_like("05512000", "Stadt Bottrop"))
            .await,
    );
    let before = snapshot(&server).await;
    let response = server
        .gql_admin(CREATE_MUNICIPALITY, bottrop_like("05512000", "Bottrop again"))
        .await;
    assert_eq!(
        error_with_code(&response, "CONFLICT")["extensions"]["field"],
        "input.ags"
    );
    let response = server
        .gql_admin(CREATE_MUNICIPALITY, bottrop_like("05513000", "Stadt Bottrop"))
        .await;
    assert_eq!(
        error_with_code(&response, "CONFLICT")["extensions"]["field"],
        "input.slug"
    );

    data(
        &server
            .gql_admin(
                CREATE_AGENCY,
                json!({ "input": { "slug": "agentur", "name": "Agentur", "kind": "OTHER" } }),
            )
            .await,
    );
    let response = server
        .gql_admin(
            CREATE_AGENCY,
            json!({ "input": { "slug": "agentur", "name": "Andere", "kind": "OTHER" } }),
        )
        .await;
    assert_eq!(
        error_with_code(&response, "CONFLICT")["extensions"]["field"],
        "input.slug"
    );
    data(
        &server
            .gql_admin(
                CREATE_PROGRAMME,
                json!({ "input": { "slug": "prog", "name": "P", "funder": "BMBF" } }),
            )
            .await,
    );
    let response = server
        .gql_admin(
            CREATE_PROGRAMME,
            json!({ "input": { "slug": "prog", "name": "Q", "funder": "BMBF" } }),
        )
        .await;
    error_with_code(&response, "CONFLICT");
    assert_eq!(snapshot(&server).await[2], before[2]);
}

#[tokio::test]
async fn agencies_are_validated() {
    let server = TestServer::start().await;
    let cases = [
        (json!({ "slug": "-bad", "name": "A", "kind": "OTHER" }), "input.slug"),
        (json!({ "slug": "ok-slug", "name": "", "kind": "OTHER" }), "input.name"),
        (
            json!({ "slug": "ok-slug", "name": "A", "kind": "OTHER", "website": "not a url" }),
            "input.website",
        ),
        (
            json!({ "slug": "ok-slug", "name": "A", "kind": "OTHER", "carrierSlug": "nobody" }),
            "input.carrierSlug",
        ),
    ];
    for (input, field) in cases {
        assert_bad_input(&server.gql_admin(CREATE_AGENCY, json!({ "input": input })).await, field);
    }
    assert_eq!(snapshot(&server).await, vec![0; 7]);

    let response = server
        .gql_admin(CREATE_AGENCY, json!({ "input": { "slug": "traeger", "name": "Träger e.V.", "kind": "ASSOCIATION", "statesServed": ["NW", "ST", "NW"] } }))
        .await;
    let id = data(&response)["createAgency"]["id"].clone();
    assert_eq!(data(&response)["createAgency"]["statesServed"], json!(["NW", "ST"]));
    let response = server
        .gql_admin(
            CREATE_AGENCY,
            json!({ "input": { "slug": "agentur", "name": "Agentur", "kind": "TRANSFER_AGENCY", "carrierSlug": "traeger", "website": "https://agentur.example" } }),
        )
        .await;
    assert_eq!(data(&response)["createAgency"]["carrier"]["slug"], "traeger");

    let update = "mutation ($id: ID!, $input: UpdateAgencyInput!) { updateAgency(id: $id, input: $input) { name kind statesServed carrier { slug } } }";
    let response = server
        .gql_admin(
            update,
            json!({ "id": id, "input": { "statesServed": ["BY"], "kind": "FOUNDATION" } }),
        )
        .await;
    assert_eq!(data(&response)["updateAgency"]["statesServed"], json!(["BY"]));
    assert_eq!(data(&response)["updateAgency"]["kind"], "FOUNDATION");
    let response = server
        .gql_admin(update, json!({ "id": id, "input": { "carrierSlug": "traeger" } }))
        .await;
    assert_bad_input(&response, "input.carrierSlug");
}

#[tokio::test]
async fn programmes_and_participations() {
    let server = TestServer::start().await;
    data(
        &server
            .gql_admin(
                CREATE_MUNICIPALITY,
                json!({ "input": { "ags": "15083", "name": "Landkreis Börde", "kind": "KREIS", "state": "ST" } }),
            )
            .await,
    );

    let response = server
        .gql_admin(CREATE_PROGRAMME, json!({ "input": { "slug": "bi", "name": "Bildung integriert", "funder": "BMBF", "startsOn": "2022-01-01", "endsOn": "2021-12-31" } }))
        .await;
    assert_bad_input(&response, "input.endsOn");
    let response = server
        .gql_admin(CREATE_PROGRAMME, json!({ "input": { "slug": "bi", "name": "Bildung integriert", "funder": "BMBF", "startsOn": "2020-03-01" } }))
        .await;
    let programme_id = data(&response)["createProgramme"]["id"].clone();
    let response = server
        .gql_admin(
            CREATE_PROGRAMME,
            json!({ "input": { "slug": "bad-date", "name": "X", "funder": "BMBF", "startsOn": "2020-13-01" } }),
        )
        .await;
    error_with_code(&response, "BAD_USER_INPUT");

    // Updating one end of the period is checked against the other.
    let update = "mutation ($id: ID!, $input: UpdateProgrammeInput!) { updateProgramme(id: $id, input: $input) { startsOn endsOn } }";
    let response = server
        .gql_admin(
            update,
            json!({ "id": programme_id, "input": { "endsOn": "2019-01-01" } }),
        )
        .await;
    assert_bad_input(&response, "input.endsOn");
    let response = server
        .gql_admin(
            update,
            json!({ "id": programme_id, "input": { "endsOn": "2022-03-31" } }),
        )
        .await;
    assert_eq!(data(&response)["updateProgramme"]["endsOn"], "2022-03-31");

    let participation = json!({ "input": { "programmeSlug": "bi", "municipalityAgs": "15083", "fundingCode": "01JL1815", "startsOn": "2020-03-01", "endsOn": "2022-03-31" } });
    let response = server.gql_admin(ADD_PARTICIPATION, participation.clone()).await;
    assert_eq!(data(&response)["addProgrammeParticipation"]["fundingCode"], "01JL1815");
    let participation_id = data(&response)["addProgrammeParticipation"]["id"].clone();
    let response = server.gql_admin(ADD_PARTICIPATION, participation).await;
    error_with_code(&response, "CONFLICT");
    let response = server
        .gql_admin(
            ADD_PARTICIPATION,
            json!({ "input": { "programmeSlug": "nope", "municipalityAgs": "15083" } }),
        )
        .await;
    assert_bad_input(&response, "input.programmeSlug");
    let response = server
        .gql_admin(
            ADD_PARTICIPATION,
            json!({ "input": { "programmeSlug": "bi", "municipalityAgs": "99999" } }),
        )
        .await;
    assert_bad_input(&response, "input.municipalityAgs");

    let update = "mutation ($id: ID!, $input: UpdateProgrammeParticipationInput!) { updateProgrammeParticipation(id: $id, input: $input) { fundingCode projectTitle endsOn } }";
    let response = server.gql_admin(update, json!({ "id": participation_id, "input": { "fundingCode": null, "projectTitle": "Bildungslandschaft Börde" } })).await;
    let updated = &data(&response)["updateProgrammeParticipation"];
    assert_eq!(updated["fundingCode"], json!(null));
    assert_eq!(updated["projectTitle"], "Bildungslandschaft Börde");
    assert_eq!(updated["endsOn"], "2022-03-31");
}

#[tokio::test]
async fn agreements_are_validated() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let before = snapshot(&server).await;
    let cases = [
        (
            json!({ "kind": "TARGET_AGREEMENT", "title": "T", "agencySlug": "transferagentur-nrw" }),
            "input.municipalityAgs",
        ),
        (
            json!({ "kind": "TARGET_AGREEMENT", "title": "T", "agencySlug": "transferagentur-nrw", "municipalityAgs": "05913000", "partnerAgencySlug": "ruhrfutur" }),
            "input.partnerAgencySlug",
        ),
        (
            json!({ "kind": "COOPERATION_AGREEMENT", "title": "T", "agencySlug": "ruhrfutur" }),
            "input.partnerAgencySlug",
        ),
        (
            json!({ "kind": "COOPERATION_AGREEMENT", "title": "T", "agencySlug": "ruhrfutur", "partnerAgencySlug": "ruhrfutur" }),
            "input.partnerAgencySlug",
        ),
        (
            json!({ "kind": "COOPERATION_AGREEMENT", "title": "T", "agencySlug": "nobody", "partnerAgencySlug": "ruhrfutur" }),
            "input.agencySlug",
        ),
        (
            json!({ "kind": "TARGET_AGREEMENT", "title": "", "agencySlug": "transferagentur-nrw", "municipalityAgs": "05913000" }),
            "input.title",
        ),
    ];
    for (input, field) in cases {
        assert_bad_input(
            &server.gql_admin(CREATE_AGREEMENT, json!({ "input": input })).await,
            field,
        );
    }
    let duplicate = json!({ "input": { "kind": "TARGET_AGREEMENT", "title": "Again", "agencySlug": "transferagentur-nrw", "municipalityAgs": "05512000" } });
    error_with_code(&server.gql_admin(CREATE_AGREEMENT, duplicate).await, "CONFLICT");
    assert_eq!(snapshot(&server).await, before);

    let response = server
        .gql_admin(CREATE_AGREEMENT, json!({ "input": { "kind": "TARGET_AGREEMENT", "title": "Zielvereinbarung Dortmund", "agencySlug": "transferagentur-nrw", "municipalityAgs": "05913000", "signedOn": "2023-05-04" } }))
        .await;
    let agreement = &data(&response)["createAgreement"];
    assert_eq!(agreement["municipality"]["ags"], "05913000");
    let response = server
        .gql(
            r#"{ agency(slug: "transferagentur-nrw") { accompaniedMunicipalities { ags } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data(&response)["agency"]["accompaniedMunicipalities"],
        json!([{ "ags": "05512000" }, { "ags": "05913000" }])
    );

    let update = "mutation ($id: ID!, $input: UpdateAgreementInput!) { updateAgreement(id: $id, input: $input) { title signedOn } }";
    let response = server
        .gql_admin(update, json!({ "id": agreement["id"], "input": { "signedOn": null } }))
        .await;
    assert_eq!(data(&response)["updateAgreement"]["signedOn"], json!(null));
    assert_eq!(data(&response)["updateAgreement"]["title"], "Zielvereinbarung Dortmund");
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let query = r#"{ municipalities(first: 100) { nodes { id updatedAt programmes { id } agreements { id } } } agencies(first: 100) { nodes { id updatedAt statesServed } } programmes { id } topics { id } }"#;
    let first = server.gql(query, json!({})).await;
    let counts = snapshot(&server).await;
    let created = dkbm_hub::seed::demo(&server.app).await.expect("seed again");
    assert_eq!(created, 0);
    assert_eq!(snapshot(&server).await, counts);
    assert_eq!(server.gql(query, json!({})).await, first);
}
