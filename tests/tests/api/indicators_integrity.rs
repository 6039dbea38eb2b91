//! What the values table promises about its references, on both backends: SQLite keeps them as
//! foreign keys, PostgreSQL as triggers that check once per statement (migration 000011). A value
//! names an existing municipality and indicator; deleting either deletes its values.

use dkbm_entity::{MunicipalityKind, State, indicator, indicator_value, municipality};
use dkbm_tests::TestServer;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::indicators::{define, import};

async fn indicator_id(server: &TestServer, code: &str) -> Uuid {
    indicator::Entity::find()
        .filter(indicator::Column::Code.eq(code))
        .one(server.state.conn())
        .await
        .expect("read")
        .expect("the indicator")
        .id
}

async fn values_of_indicator(server: &TestServer, id: Uuid) -> u64 {
    indicator_value::Entity::find()
        .filter(indicator_value::Column::IndicatorId.eq(id))
        .count(server.state.conn())
        .await
        .expect("count")
}

async fn write_value(server: &TestServer, municipality_id: Uuid, indicator_id: Uuid) -> Result<(), sea_orm::DbErr> {
    indicator_value::ActiveModel {
        municipality_id: Set(municipality_id),
        indicator_id: Set(indicator_id),
        year: Set(2022),
        value: Set(Some(1.0)),
        flag: Set(None),
        updated_at: Set(dkbm_hub::db::now()),
    }
    .insert(server.state.conn())
    .await
    .map(|_| ())
}

#[tokio::test]
async fn a_value_of_a_municipality_or_indicator_that_does_not_exist_is_refused() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    define(&server, "TEST_OHNE", "Ohne Abschluss").await;
    let known_indicator = indicator_id(&server, "TEST_OHNE").await;
    let known_place = municipality::Entity::find()
        .one(server.state.conn())
        .await
        .expect("read")
        .expect("a municipality")
        .id;

    assert!(write_value(&server, Uuid::now_v7(), known_indicator).await.is_err());
    assert!(write_value(&server, known_place, Uuid::now_v7()).await.is_err());
    assert_eq!(values_of_indicator(&server, known_indicator).await, 0);
    write_value(&server, known_place, known_indicator)
        .await
        .expect("a value of what exists");
}

#[tokio::test]
async fn deleting_an_indicator_or_a_municipality_deletes_its_values() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    define(&server, "TEST_OHNE", "Ohne Abschluss").await;
    define(&server, "TEST_QUOTE", "Quote").await;
    let now = dkbm_hub::db::now();
    let place = municipality::ActiveModel {
        id: Set(Uuid::now_v7()),
        ags: Set("05999001".into()),
        slug: Set("probedorf".into()),
        name_sort: Set("probedorf".into()),
        name: Set("Probedorf".into()),
        kind: Set(MunicipalityKind::KreisangehoerigeGemeinde),
        state: Set(State::Nw),
        population: Set(None),
        website: Set(None),
        education_office: Set(None),
        parent_id: Set(None),
        valid_from: Set(None),
        valid_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(server.state.conn())
    .await
    .expect("a municipality");
    let file = "ags;year;code;value\n05512000;2022;TEST_OHNE;6,4\n05999001;2022;TEST_OHNE;5\n\
                05999001;2022;TEST_QUOTE;3\n05512000;2022;TEST_QUOTE;2\n";
    assert_eq!(import(&server, file).await["created"], 4);
    let (ohne, quote) = (
        indicator_id(&server, "TEST_OHNE").await,
        indicator_id(&server, "TEST_QUOTE").await,
    );

    indicator::Entity::delete_by_id(ohne)
        .exec(server.state.conn())
        .await
        .expect("delete the indicator");
    assert_eq!(values_of_indicator(&server, ohne).await, 0);
    assert_eq!(values_of_indicator(&server, quote).await, 2);

    municipality::Entity::delete_by_id(place.id)
        .exec(server.state.conn())
        .await
        .expect("delete the municipality");
    assert_eq!(values_of_indicator(&server, quote).await, 1);
}
