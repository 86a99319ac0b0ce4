//! The three-way merge behind every edit: what the form was opened from (*base*), what the
//! server holds now (*theirs*) and what the user wants (*mine*). The user's changes against the
//! base are applied to theirs; a field both changed differently is a conflict, never a silent
//! overwrite. Houston has no versions or conditional writes, so this is the only protection a
//! colleague's change has.

use std::collections::{BTreeMap, BTreeSet};

/// A field both sides changed, to different values. `None` means absent (e.g. a variable that
/// was deleted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conflict<K, V> {
    pub(crate) key: K,
    pub(crate) base: Option<V>,
    pub(crate) theirs: Option<V>,
    pub(crate) mine: Option<V>,
}

/// The outcome: theirs with the user's changes applied, and the fields that could not be.
/// Conflicting fields hold theirs in `result` until the user chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Merged<K, V> {
    pub(crate) result: BTreeMap<K, V>,
    pub(crate) conflicts: Vec<Conflict<K, V>>,
}

/// Merge field by field: untouched by me → theirs; untouched by them → mine; both the same →
/// that; else a conflict.
pub(crate) fn merge<K: Ord + Clone, V: PartialEq + Clone>(
    base: &BTreeMap<K, V>,
    theirs: &BTreeMap<K, V>,
    mine: &BTreeMap<K, V>,
) -> Merged<K, V> {
    let keys: BTreeSet<&K> = base
        .keys()
        .chain(theirs.keys())
        .chain(mine.keys())
        .collect();
    let mut result = BTreeMap::new();
    let mut conflicts = Vec::new();
    for key in keys {
        let (b, t, m) = (base.get(key), theirs.get(key), mine.get(key));
        let chosen = if m == b || t == m {
            t
        } else if t == b {
            m
        } else {
            conflicts.push(Conflict {
                key: key.clone(),
                base: b.cloned(),
                theirs: t.cloned(),
                mine: m.cloned(),
            });
            t
        };
        if let Some(v) = chosen {
            result.insert(key.clone(), v.clone());
        }
    }
    Merged { result, conflicts }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&'static str, i32)]) -> BTreeMap<&'static str, i32> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn each_rule_of_the_merge() {
        let base = map(&[("a", 1), ("b", 1), ("c", 1), ("d", 1), ("gone", 1)]);
        let theirs = map(&[("a", 2), ("b", 1), ("c", 3), ("d", 4), ("new", 1)]);
        let mine = map(&[("a", 1), ("b", 5), ("c", 3), ("d", 6), ("gone", 1)]);
        let m = merge(&base, &theirs, &mine);
        // a: only theirs changed; b: only mine; c: both the same; gone: deleted by them.
        assert_eq!(m.result.get("a"), Some(&2));
        assert_eq!(m.result.get("b"), Some(&5));
        assert_eq!(m.result.get("c"), Some(&3));
        assert_eq!(m.result.get("new"), Some(&1));
        assert_eq!(m.result.get("gone"), None);
        assert_eq!(
            m.conflicts,
            vec![Conflict {
                key: "d",
                base: Some(1),
                theirs: Some(4),
                mine: Some(6)
            }]
        );
    }

    /// A small seeded generator (xorshift): thousands of cases, reproducible, no dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        /// A field's value: absent or one of a few (so that sides often agree by chance).
        fn value(&mut self) -> Option<u8> {
            match self.below(4) {
                0 => None,
                _ => Some(self.below(3) as u8),
            }
        }
        /// Often the same as `from`, sometimes changed.
        fn edit(&mut self, from: Option<u8>) -> Option<u8> {
            if self.below(2) == 0 {
                from
            } else {
                self.value()
            }
        }
    }

    fn to_map(values: &[Option<u8>]) -> BTreeMap<usize, u8> {
        values
            .iter()
            .enumerate()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect()
    }

    #[test]
    fn untouched_fields_keep_theirs_touched_ones_are_mine_or_a_conflict() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..5000 {
            let n = 1 + rng.below(8) as usize;
            let base: Vec<Option<u8>> = (0..n).map(|_| rng.value()).collect();
            let theirs: Vec<Option<u8>> = base.iter().map(|v| rng.edit(*v)).collect();
            let mine: Vec<Option<u8>> = base.iter().map(|v| rng.edit(*v)).collect();
            let (b, t, m) = (to_map(&base), to_map(&theirs), to_map(&mine));
            let merged = merge(&b, &t, &m);
            for k in 0..n {
                let got = merged.result.get(&k).copied();
                let conflict = merged.conflicts.iter().find(|c| c.key == k);
                if mine[k] == base[k] {
                    assert_eq!(got, theirs[k], "untouched field {k} keeps theirs");
                    assert!(conflict.is_none());
                } else if let Some(c) = conflict {
                    // Both changed it, differently: shown, never decided silently.
                    assert_ne!(theirs[k], base[k]);
                    assert_ne!(theirs[k], mine[k]);
                    assert_eq!((c.base, c.theirs, c.mine), (base[k], theirs[k], mine[k]));
                } else {
                    assert_eq!(got, mine[k], "touched field {k} is mine");
                }
            }
            // Nothing appears from nowhere.
            assert!(merged.result.keys().all(|k| *k < n));
        }
    }
}
