//! A response cache for read-only GraphQL requests. Dashboards poll the same documents over
//! and over; re-resolving thousands of fields each time dominates the request cost.
//!
//! Correctness: an entry is served only while (a) no observable write committed since it was
//! computed (`Db::generation`), and (b) no deployment's DEPLOYING period has ended since (the
//! only time-dependent output). Documents that mint tokens, read logs, mutate or subscribe are
//! never cached, nor are responses with errors. `lastUsedAt` is written without bumping the
//! generation, so documents selecting it are not cached either.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;

const MAX_ENTRIES: usize = 512;

struct Entry {
    generation: u64,
    valid_until_ms: i64,
    body: Bytes,
}

#[derive(Default)]
pub(crate) struct ResponseCache {
    map: Mutex<HashMap<(String, Bytes), Entry>>,
}

/// Whether a document may be cached at all (conservative text check).
pub(crate) fn cacheable(query: &str) -> bool {
    ![
        "mutation",
        "subscription",
        "token",
        "logs",
        // Refreshed by API-key requests without invalidating the cache.
        "lastUsedAt",
        "__schema",
        "__type",
    ]
    .iter()
    .any(|w| query.contains(w))
}

impl ResponseCache {
    pub(crate) fn get(
        &self,
        principal: &str,
        request: &Bytes,
        generation: u64,
        now_ms: i64,
    ) -> Option<Bytes> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let e = map.get(&(principal.to_string(), request.clone()))?;
        (e.generation == generation && now_ms < e.valid_until_ms).then(|| e.body.clone())
    }

    pub(crate) fn put(
        &self,
        principal: String,
        request: Bytes,
        generation: u64,
        valid_until_ms: i64,
        body: Bytes,
    ) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, e| e.generation == generation);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(
            (principal, request),
            Entry {
                generation,
                valid_until_ms,
                body,
            },
        );
    }
}
