//! `dkbm-hub backup`: a consistent copy of a SQLite database taken while the server runs, and a
//! copy of a folder of stored files. PostgreSQL is backed up with its own tools (`pg_dump`; the
//! README's backup section).
//!
//! The copy is SQLite's `VACUUM INTO`: it reads the database inside one read transaction (a
//! snapshot: writes committed meanwhile are not in it, none is half in it) and writes a
//! compact, complete database file, without stopping writers (WAL mode).

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};

/// Writes a consistent copy of the database behind `db` to the new file `to`.
pub async fn to_file(db: &DatabaseConnection, to: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        db.get_database_backend() == DbBackend::Sqlite,
        "backup copies SQLite databases; back up PostgreSQL with pg_dump (README, Backups)"
    );
    anyhow::ensure!(!to.exists(), "{} exists already: name a new file", to.display());
    let target = to
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("the backup path is not UTF-8"))?;
    let quoted = target.replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{quoted}'"))
        .await
        .map_err(|error| anyhow::anyhow!("copying the database to {target}: {error}"))?;
    Ok(())
}

/// Copies every file under `from` into `to` (created if missing), keeping the folders; returns
/// how many files were copied. A missing `from` copies nothing.
pub fn copy_folder(from: &Path, to: &Path) -> anyhow::Result<usize> {
    if !from.exists() {
        return Ok(0);
    }
    let mut copied = 0;
    let mut pending: Vec<PathBuf> = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let source = from.join(&relative);
        std::fs::create_dir_all(to.join(&relative))?;
        for entry in std::fs::read_dir(&source)? {
            let entry = entry?;
            let inner = relative.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                pending.push(inner);
            } else {
                std::fs::copy(entry.path(), to.join(&inner))?;
                copied += 1;
            }
        }
    }
    Ok(copied)
}
