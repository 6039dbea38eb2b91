//! The README is true: its configuration table names every flag and environment variable of the
//! server, and its example queries are valid.

use clap::{Args, Command};
use dkbm_hub::Config;

#[test]
fn readme_lists_every_setting() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let command = Config::augment_args(Command::new("dkbm-hub"));
    let mut missing = Vec::new();
    for argument in command.get_arguments() {
        if let Some(long) = argument.get_long() {
            let flag = format!("`--{long}`");
            if !readme.contains(&flag) {
                missing.push(flag);
            }
        }
        if let Some(env) = argument.get_env() {
            let env = format!("`{}`", env.to_string_lossy());
            if !readme.contains(&env) {
                missing.push(env);
            }
        }
    }
    assert!(missing.is_empty(), "README.md's configuration table lacks {missing:?}");
}

/// The operations in the README's `graphql` blocks: each starts at the beginning of a line with
/// `{`, `query`, `mutation` or `subscription`; `#` lines are comments.
fn readme_operations(readme: &str) -> Vec<String> {
    let mut operations = Vec::new();
    let mut in_block = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = line == "```graphql";
            continue;
        }
        if !in_block || line.trim_start().starts_with('#') {
            continue;
        }
        let starts = ["{", "query", "mutation", "subscription"]
            .iter()
            .any(|s| line.starts_with(s));
        match operations.last_mut() {
            Some(operation) if !starts => {
                let operation: &mut String = operation;
                operation.push('\n');
                operation.push_str(line);
            }
            _ => operations.push(line.to_owned()),
        }
    }
    operations
}

/// Every example query of the README is valid against the schema (it may still need a
/// sign-in or real ids to answer).
#[tokio::test]
async fn readme_examples_are_valid() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let operations = readme_operations(&readme);
    assert!(operations.len() >= 10, "found only {} operations", operations.len());
    let server = dkbm_tests::TestServer::start().await;
    server.seed_demo().await;
    for operation in operations {
        let response = server.gql(&operation, serde_json::json!({})).await;
        let invalid = response["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|error| error["extensions"]["field"] == "query");
        assert!(!invalid, "README example does not validate:\n{operation}\n{response:#}");
    }
}
