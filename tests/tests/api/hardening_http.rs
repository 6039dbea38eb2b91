//! What real clients, real parsers and an attacker found in the HTTP layer: the scalars'
//! specifications.

use dkbm_tests::{TestServer, data};
use serde_json::json;

#[tokio::test]
async fn scalars_name_their_specification_and_describe_themselves() {
    let server = TestServer::start().await;
    let expected = [
        ("DateTime", "https://datatracker.ietf.org/doc/html/rfc3339"),
        ("Date", "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"),
        ("UUID", "https://datatracker.ietf.org/doc/html/rfc9562"),
    ];
    for (name, url) in expected {
        let response = server
            .gql(
                "query ($name: String!) { __type(name: $name) { kind specifiedByURL description } }",
                json!({ "name": name }),
            )
            .await;
        let scalar = &data(&response)["__type"];
        assert_eq!(scalar["kind"], "SCALAR", "{name}");
        assert_eq!(scalar["specifiedByURL"], url, "{name}");
        let description = scalar["description"].as_str().unwrap_or_default();
        assert!(
            description.contains("RFC") && !description.contains("Implement") && !description.contains("Wikipedia"),
            "{name} has a description of its own: {description:?}"
        );
    }
    let sdl = dkbm_hub::graphql::sdl();
    assert!(sdl.contains("scalar DateTime @specifiedBy(url: \"https://datatracker.ietf.org/doc/html/rfc3339\")"));
    assert!(sdl.contains("scalar UUID @specifiedBy(url: \"https://datatracker.ietf.org/doc/html/rfc9562\")"));
}
