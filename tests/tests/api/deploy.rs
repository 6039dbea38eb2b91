//! The deployment examples in `deploy/` name only what exists: every flag of a `dkbm-hub`
//! command line, every environment variable given to the server, and every key of the
//! configuration files (the image's and the Kubernetes ConfigMap's).

use dkbm_tests::run_binary;

fn deploy_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../deploy")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The strings of a JSON-style list (`["serve", "--config", "/etc/dkbm/dkbm.toml"]`).
fn list(line: &str) -> Vec<String> {
    let inner = line
        .split_once('[')
        .and_then(|(_, rest)| rest.rsplit_once(']'))
        .map_or("", |(inner, _)| inner);
    inner
        .split(',')
        .map(|item| item.trim().trim_matches('"').to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

/// The dkbm-hub command lines: the Dockerfile's CMD and the manifests' `args`.
fn command_lines() -> Vec<Vec<String>> {
    let docker = deploy_file("Dockerfile");
    let kubernetes = deploy_file("kubernetes/dkbm-hub.yaml");
    let docker_lines = docker.lines().filter(|line| line.starts_with("CMD "));
    let kubernetes_lines = kubernetes.lines().filter(|line| line.trim_start().starts_with("args:"));
    docker_lines.chain(kubernetes_lines).map(list).collect()
}

/// Environment variables the examples set for the server.
fn environment() -> Vec<String> {
    let upper = |name: &str| !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    let docker = deploy_file("Dockerfile").replace("\\\n", " ");
    let mut names: Vec<String> = docker
        .lines()
        .filter_map(|line| line.strip_prefix("ENV "))
        .flat_map(str::split_whitespace)
        .filter_map(|pair| pair.split_once('=').map(|(name, _)| name.to_owned()))
        .collect();
    let kubernetes = deploy_file("kubernetes/dkbm-hub.yaml");
    let env_names = kubernetes
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("- name: "))
        .filter(|name| upper(name));
    names.extend(env_names.map(str::to_owned));
    names
}

async fn help(command: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = run_binary(&[command, "--help"], &[], dir.path()).await;
    assert!(output.status.success(), "dkbm-hub {command} --help");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn the_deployment_examples_name_only_flags_and_variables_that_exist() {
    let lines = command_lines();
    assert!(lines.len() >= 3, "{lines:?}");
    for line in &lines {
        let command = line.first().expect("a command");
        let help = help(command).await;
        for flag in line.iter().filter(|word| word.starts_with("--")) {
            assert!(
                help.contains(&format!("{flag} ")) || help.contains(&format!("{flag}\n")),
                "dkbm-hub {command} has no {flag}"
            );
        }
    }
    let serve = help("serve").await;
    let names = environment();
    assert_eq!(names.len(), 7, "{names:?}");
    for name in names {
        assert!(serve.contains(&format!("env: {name}")), "no setting reads {name}");
    }
}

/// The ConfigMap's `dkbm.toml: |` block.
fn config_map_file() -> String {
    let manifest = deploy_file("kubernetes/dkbm-hub.yaml");
    let start = manifest.find("dkbm.toml: |").expect("the ConfigMap's file");
    manifest[start..]
        .lines()
        .skip(1)
        .take_while(|line| line.is_empty() || line.starts_with("    "))
        .map(|line| line.strip_prefix("    ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_example_configuration_files_are_accepted() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, content) in [
        ("image.toml", deploy_file("dkbm.toml")),
        ("configmap.toml", config_map_file()),
    ] {
        assert!(content.contains("shutdown_delay_secs"), "{name}: {content}");
        std::fs::write(dir.path().join(name), &content).expect("write");
        let output = run_binary(&["config", "show", "--config", name], &[], dir.path()).await;
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
