//! SQLite access: one writer connection behind a mutex (every mutation is an IMMEDIATE
//! transaction) plus a few read connections for a file database (WAL lets readers run
//! alongside the writer). An in-memory database uses its single connection for both.

mod migrations;
pub mod store;

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

const READERS: usize = 4;

pub struct Db {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
    /// True when the database file did not exist (or is in memory) and was just created.
    pub created: bool,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
    conn.set_prepared_statement_cache_capacity(64);
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
            created,
        })
    }

    /// Run `f` in one IMMEDIATE transaction: committed when it returns Ok, rolled back otherwise.
    pub fn write<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
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
