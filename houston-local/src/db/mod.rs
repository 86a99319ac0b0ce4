//! SQLite access: one writer connection behind a mutex (every mutation is an IMMEDIATE
//! transaction) plus a few read connections for a file database (WAL lets readers run
//! alongside the writer). An in-memory database uses its single connection for both.

pub mod accounts;
pub mod clusters;
mod migrations;
pub mod store;
pub mod teams;

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

const READERS: usize = 4;

pub struct Db {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
    /// Bumped after every committed write that clients can observe (response cache key).
    generation: AtomicU64,
    /// True when the database file did not exist (or is in memory) and was just created.
    pub created: bool,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Databases written by older versions hold stored log lines (up to gigabytes); the lines are
/// computed now, so the rows go and the file shrinks once.
fn drop_stored_logs(conn: &Connection) -> rusqlite::Result<()> {
    if store::drop_stored_logs(conn)? > 0 {
        // In WAL mode VACUUM writes the new file into the WAL: checkpoint to shrink it.
        conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    Ok(())
}

impl Db {
    pub fn open(path: Option<&Path>) -> rusqlite::Result<Db> {
        let (writer, readers) = match path {
            Some(p) => {
                let w = Connection::open(p)?;
                w.execute_batch("PRAGMA journal_mode = WAL;")?;
                configure(&w)?;
                let mut readers = Vec::with_capacity(READERS);
                // Readers are opened after the schema exists (see below).
                migrations::migrate(&w)?;
                drop_stored_logs(&w)?;
                for _ in 0..READERS {
                    let r = Connection::open_with_flags(
                        p,
                        OpenFlags::SQLITE_OPEN_READ_ONLY
                            | OpenFlags::SQLITE_OPEN_NO_MUTEX
                            | OpenFlags::SQLITE_OPEN_URI,
                    )?;
                    configure(&r)?;
                    readers.push(Mutex::new(r));
                }
                (w, readers)
            }
            None => {
                let w = Connection::open_in_memory()?;
                configure(&w)?;
                migrations::migrate(&w)?;
                (w, Vec::new())
            }
        };
        let created = store::count_users(&writer)? == 0 && store::count_workspaces(&writer)? == 0;
        Ok(Db {
            writer: Mutex::new(writer),
            readers,
            next: AtomicUsize::new(0),
            generation: AtomicU64::new(0),
            created,
        })
    }

    /// Run `f` in one IMMEDIATE transaction: committed when it returns Ok, rolled back otherwise.
    pub fn write<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let out = self.write_quiet(f)?;
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(out)
    }

    /// Like `write`, without invalidating cached responses: only for log lines, which no
    /// cacheable query reads.
    pub fn write_quiet<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Run read-only work on a reader (or the writer for an in-memory database).
    pub fn read<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        if self.readers.is_empty() {
            let conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
            return f(&conn);
        }
        let n = self.readers.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..n {
            if let Ok(conn) = self.readers[(start + i) % n].try_lock() {
                return f(&conn);
            }
        }
        let conn = self.readers[start % n]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        f(&conn)
    }
}

#[cfg(test)]
mod tests {
    use super::store;
    use super::*;

    #[test]
    fn migrations_are_versioned_and_health_changes_recorded() {
        let db = Db::open(None).unwrap();
        assert!(db.created);
        let v: i64 = db
            .read(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
            .unwrap();
        assert_eq!(v, migrations::LATEST);
        db.write(|c| {
            let w = store::insert_workspace(c, "w", None)?;
            let row = store::DeploymentRow {
                id: "d1".into(),
                workspace_id: w.id,
                label: "d".into(),
                description: None,
                release_name: "r".into(),
                executor: "LocalExecutor".into(),
                airflow_version: "2.9.2".into(),
                desired_airflow_version: "2.9.2".into(),
                version: "1.10.0".into(),
                config: "{}".into(),
                properties: "{}".into(),
                deploy_count: 0,
                deploying_until: 0,
                unhealthy: false,
                runtime_version: None,
                desired_runtime_version: None,
                namespace: None,
                adopted: false,
                created_at: store::now_ts(),
                updated_at: store::now_ts(),
            };
            store::insert_deployment(c, &row)
        })
        .unwrap();
        let changed = |db: &Db| db.read(|c| store::health_changed_at(c, "d1")).unwrap();
        assert_eq!(changed(&db), None);
        // Setting the value it already has is no change.
        assert_eq!(
            db.write(|c| store::set_unhealthy(c, "r", false)).unwrap(),
            1
        );
        assert_eq!(changed(&db), None);
        let before = store::now_ms();
        db.write(|c| store::set_unhealthy(c, "r", true)).unwrap();
        let at = changed(&db).unwrap();
        assert!(at >= before && at <= store::now_ms());
        db.write(|c| store::delete_deployment(c, "d1")).unwrap();
        assert_eq!(changed(&db), None);
    }

    #[test]
    fn failed_write_rolls_back() {
        let db = Db::open(None).unwrap();
        let r: Result<(), rusqlite::Error> = db.write(|c| {
            store::insert_workspace(c, "half", None)?;
            Err(rusqlite::Error::QueryReturnedNoRows)
        });
        assert!(r.is_err());
        assert_eq!(db.read(store::count_workspaces).unwrap(), 0);
    }
}
