//! The README's configuration table names every flag and environment variable of the server.

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
