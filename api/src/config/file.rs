//! The configuration file (`--config dkbm.toml`, env `DKBM_CONFIG`): every flag is a key (its
//! name without the dashes, `-` as `_`), the groups of settings are sections (`[database]`,
//! `[auth]`, `[limits]`, `[mail]`), the rest stands at the top. The file's values become the
//! defaults of the command line, so clap's own order gives flag > environment > file > default.
//! A key that names no setting, or stands in the wrong section, is an error naming it and its
//! line; so is a value the setting does not accept.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, Command};
use toml_edit::{Document, Item, Table, Value};

use super::sections;

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("reading the configuration file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("{path}, line {line}: {message}")]
    Key {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// The file named by `--config FILE` (or `--config=FILE`) among `args`, else by `DKBM_CONFIG`.
pub fn path_from(args: &[OsString]) -> Option<PathBuf> {
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == "--" {
            break;
        }
        if text == "--config" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = text.strip_prefix("--config=") {
            return Some(PathBuf::from(path));
        }
    }
    std::env::var_os("DKBM_CONFIG")
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
}

/// The settings of the file at `path`, as (long flag name, value) pairs checked against the
/// arguments of `settings` (the command that holds every setting).
pub fn read(path: &Path, settings: &Command) -> Result<Vec<(String, String)>, FileError> {
    let text = std::fs::read_to_string(path).map_err(|source| FileError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, settings).map_err(|error| error.at(path))
}

/// Gives each argument of `command` and of all its subcommands whose flag the file sets the
/// file's value as its default.
pub fn apply(command: Command, values: &[(String, String)]) -> Command {
    let command = command.mut_args(|arg| {
        let Some(long) = arg.get_long() else { return arg };
        match values.iter().find(|(flag, _)| flag == long) {
            Some((_, value)) => arg.default_value(value.clone()),
            None => arg,
        }
    });
    command.mut_subcommands(|sub| apply(sub, values))
}

/// An error before the file's path is known.
struct Located {
    line: Option<usize>,
    message: String,
}

impl Located {
    fn at(self, path: &Path) -> FileError {
        let path = path.to_owned();
        match self.line {
            Some(line) => FileError::Key {
                path,
                line,
                message: self.message,
            },
            None => FileError::Syntax {
                path,
                message: self.message,
            },
        }
    }
}

fn parse(text: &str, settings: &Command) -> Result<Vec<(String, String)>, Located> {
    let document = Document::parse(text).map_err(|error| Located {
        line: None,
        message: error.to_string(),
    })?;
    let sections = sections();
    let line_of = |table: &Table, key: &str| {
        let offset = table
            .key(key)
            .and_then(toml_edit::Key::span)
            .map_or(0, |span| span.start);
        text[..offset.min(text.len())].matches('\n').count() + 1
    };
    let mut values = Vec::new();
    let root = document.as_table();
    for (key, item) in root.iter() {
        let line = line_of(root, key);
        if let Item::Table(table) = item {
            if !sections.iter().any(|(name, _)| *name == key) {
                return Err(unknown(line, &format!("[{key}]"), "no such section"));
            }
            for (inner, value) in table.iter() {
                let line = line_of(table, inner);
                values.push(setting(settings, Some(key), inner, value, line)?);
            }
        } else {
            values.push(setting(settings, None, key, item, line)?);
        }
    }
    Ok(values)
}

fn unknown(line: usize, key: &str, why: &str) -> Located {
    Located {
        line: Some(line),
        message: format!("unknown key `{key}`: {why}"),
    }
}

/// One key of the file: its flag and its value as the command line would spell it.
fn setting(
    settings: &Command,
    section: Option<&str>,
    key: &str,
    item: &Item,
    line: usize,
) -> Result<(String, String), Located> {
    let flag = key.replace('_', "-");
    let arg = settings
        .get_arguments()
        .find(|arg| arg.get_long() == Some(flag.as_str()) && flag != "config");
    let Some(arg) = arg else {
        return Err(unknown(line, key, "no setting has this name"));
    };
    let belongs = sections()
        .into_iter()
        .find(|(_, keys)| keys.iter().any(|known| *known == key))
        .map(|(name, _)| name);
    if belongs != section {
        let place = belongs.map_or_else(
            || "at the top, outside any section".to_owned(),
            |name| format!("in [{name}]"),
        );
        return Err(unknown(line, key, &format!("it belongs {place}")));
    }
    let value = match item.as_value() {
        Some(value) => spelled(value),
        None => None,
    };
    let Some(value) = value else {
        return Err(Located {
            line: Some(line),
            message: format!("`{key}` takes a string, a number, a boolean or a list of strings"),
        });
    };
    check(arg, &value).map_err(|message| Located {
        line: Some(line),
        message: format!("`{key}`: {message}"),
    })?;
    Ok((flag, value))
}

/// A TOML value as the command line would spell it (a list as comma-separated words).
fn spelled(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.value().clone()),
        Value::Integer(number) => Some(number.value().to_string()),
        Value::Float(number) => Some(number.value().to_string()),
        Value::Boolean(flag) => Some(flag.value().to_string()),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(|items| items.join(",")),
        _ => None,
    }
}

/// Whether `arg` accepts `value`: parsed by the argument's own parser, alone.
fn check(arg: &Arg, value: &str) -> Result<(), String> {
    let switch = matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::SetFalse);
    if switch {
        return match value {
            "true" | "false" => Ok(()),
            _ => Err(format!("expected true or false, found {value:?}")),
        };
    }
    let long = arg.get_long().unwrap_or_default();
    let alone = arg
        .clone()
        .env(None::<&str>)
        .default_value(None::<&str>)
        .required(false);
    Command::new("dkbm-hub")
        .no_binary_name(true)
        .arg(alone)
        .try_get_matches_from([format!("--{long}={value}")])
        .map(|_| ())
        .map_err(|error| {
            let rendered = error.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            first.trim_start_matches("error: ").to_owned()
        })
}
