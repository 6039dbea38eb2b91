//! `dkbm-hub config show`: the effective configuration (after flags, environment, file and
//! defaults) as a TOML file that `--config` accepts. Each setting carries its help as a comment;
//! secrets (and URLs holding a password) are commented out instead of shown, and so are settings
//! without a value.

use std::fmt::Write as _;

use clap::{Arg, ArgAction, ArgMatches, Command};
use toml_edit::Value;

use super::sections;

/// The configuration `matches` holds for the settings of `settings`, as TOML.
pub fn render(settings: &Command, matches: &ArgMatches) -> String {
    let mut out = String::from("# dkbm-hub configuration (dkbm-hub config show)\n");
    let sections = sections();
    let in_section = |key: &str| sections.iter().any(|(_, keys)| keys.iter().any(|known| known == key));
    let keyed: Vec<(String, &Arg)> = settings
        .get_arguments()
        .filter_map(|arg| Some((arg.get_long()?.replace('-', "_"), arg)))
        .filter(|(key, _)| key != "config" && key != "help" && key != "version")
        .collect();
    for (key, arg) in keyed.iter().filter(|(key, _)| !in_section(key)) {
        entry(&mut out, key, arg, matches);
    }
    for (section, keys) in &sections {
        let _ = write!(out, "\n[{section}]\n");
        for (key, arg) in keyed.iter().filter(|(key, _)| keys.contains(key)) {
            entry(&mut out, key, arg, matches);
        }
    }
    out
}

fn entry(out: &mut String, key: &str, arg: &Arg, matches: &ArgMatches) {
    if let Some(help) = arg.get_help() {
        let _ = writeln!(out, "\n# {help}");
    }
    let raw: Vec<String> = matches
        .get_raw(arg.get_id().as_str())
        .map(|values| values.map(|value| value.to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    if raw.is_empty() {
        let _ = writeln!(out, "# {key} =   (not set)");
        return;
    }
    if arg.is_hide_env_values_set() || raw.iter().any(|value| holds_password(value)) {
        let _ = writeln!(out, "# {key} = …   (set; a secret, not shown)");
        return;
    }
    let _ = writeln!(out, "{key} = {}", value(arg, &raw));
}

/// The TOML spelling of a setting's value.
fn value(arg: &Arg, raw: &[String]) -> String {
    if arg.get_value_delimiter().is_some() {
        let list: toml_edit::Array = raw.iter().map(String::as_str).collect();
        return list.to_string().trim().to_owned();
    }
    let single = raw.join(",");
    let switch = matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::SetFalse);
    if switch || single.parse::<i64>().is_ok() {
        return single;
    }
    Value::from(single).to_string().trim().to_owned()
}

/// Whether `value` is a URL with a password (`scheme://user:password@host`).
fn holds_password(value: &str) -> bool {
    url::Url::parse(value).is_ok_and(|url| url.password().is_some())
}
