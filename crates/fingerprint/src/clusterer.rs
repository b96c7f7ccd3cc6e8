//! `Clusterer`: the second stage's owning type, events in, clusters out.

use std::collections::HashMap;
use std::hash::Hash;

use gardener_log_model::Event;

use crate::cluster::Clustering;
use crate::hash::FastBuildHasher;
use crate::key::KeyBuilder;
use crate::{Cluster, ClusterSet, GroupKey, Kind, LongTail, Masker, Miner};

/// Groups events into clusters: it owns the masker, the key buffers, the
/// mergeable [`ClusterSet`] and, when asked, which cluster each entry went
/// to.
///
/// Feed it every event with [`push`](Clusterer::push), then
/// [`finish`](Clusterer::finish) mines the message templates and gives the
/// [`Clusters`]. Shards of one input clustered separately combine through
/// [`into_groups`](Clusterer::into_groups) and [`ClusterSet::merge`].
///
/// ```
/// use gardener_fingerprint::{Clusterer, Masker, Miner};
/// use gardener_log_model::{Event, LogEntry};
///
/// let mut clusterer = Clusterer::new(Masker::new()).recording_assignments();
/// for raw in [
///     r#"{"insertId": "a", "textPayload": "Auth unreachable after 0.51s", "severity": "WARNING"}"#,
///     r#"{"insertId": "b", "textPayload": "Auth unreachable after 0.53s", "severity": "WARNING"}"#,
/// ] {
///     let event = Event::from_entry(LogEntry::from_json(raw.as_bytes())?);
///     clusterer.push(&event, raw);
/// }
/// let clusters = clusterer.finish(&Miner::default());
/// let cluster = &clusters.clusters()[0];
/// assert_eq!(cluster.stats.count, 2);
/// assert_eq!(cluster.key.title(), "Auth unreachable after <duration>");
/// let assigned: Vec<(&str, Option<usize>)> = clusters.assignments().collect();
/// assert_eq!(assigned, [("a", Some(0)), ("b", Some(0))]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug)]
pub struct Clusterer {
    masker: Masker,
    scratch: KeyBuilder,
    values: Vec<(Kind, String)>,
    groups: ClusterSet,
    assignments: Option<EntryKeys>,
}

/// Which key each entry got, for [`Clusters::assignments`].
#[derive(Debug, Default)]
struct EntryKeys {
    keys: Interner<GroupKey>,
    insert_ids: Vec<String>,
}

impl Clusterer {
    /// A clusterer that masks with `masker`.
    pub fn new(masker: Masker) -> Clusterer {
        Clusterer::with_groups(masker, ClusterSet::new())
    }

    /// A clusterer that adds to existing clustering state (a shard read
    /// earlier, or one with a cap on distinct groups).
    pub fn with_groups(masker: Masker, groups: ClusterSet) -> Clusterer {
        Clusterer {
            masker,
            scratch: KeyBuilder::default(),
            values: Vec::new(),
            groups,
            assignments: None,
        }
    }

    /// Also keep which cluster each entry went to (memory per entry: its
    /// insertId and four bytes).
    pub fn recording_assignments(mut self) -> Clusterer {
        self.assignments = Some(EntryKeys::default());
        self
    }

    /// Counts one event; `raw` is the entry's JSON text, kept if the event
    /// becomes its cluster's representative.
    pub fn push(&mut self, event: &Event<'_>, raw: &str) {
        let key = self
            .scratch
            .key_for_event(&self.masker, event, &mut self.values);
        if let Some(entries) = &mut self.assignments {
            let id = entries.keys.intern(&key, GroupKey::clone);
            let mut insert_ids = event.insert_ids().peekable();
            if insert_ids.peek().is_none() {
                entries.keys.record(id);
                entries.insert_ids.push(String::new());
            }
            for insert_id in insert_ids {
                entries.keys.record(id);
                entries.insert_ids.push(insert_id.to_owned());
            }
        }
        self.groups.observe(key, event, raw, &self.values);
    }

    /// The clustering state so far.
    pub fn groups(&self) -> &ClusterSet {
        &self.groups
    }

    /// Takes the clustering state, to merge with other shards'.
    pub fn into_groups(self) -> ClusterSet {
        self.groups
    }

    /// Mines the message templates and returns the clusters, with the
    /// assignments when they were recorded.
    pub fn finish(self, miner: &Miner) -> Clusters {
        let clustering = self.groups.cluster(miner);
        let assignments = match self.assignments {
            None => Vec::new(),
            Some(entries) => {
                let cluster_of_key: Vec<usize> = entries
                    .keys
                    .keys
                    .iter()
                    .map(|key| clustering.cluster_of(key).unwrap_or(usize::MAX))
                    .collect();
                entries
                    .insert_ids
                    .into_iter()
                    .zip(&entries.keys.sequence)
                    .map(|(insert_id, &id)| {
                        let cluster = cluster_of_key.get(id as usize).copied();
                        (insert_id, cluster.filter(|&cluster| cluster != usize::MAX))
                    })
                    .collect()
            }
        };
        Clusters {
            clustering,
            assignments,
        }
    }
}

/// The clusters of one run, largest first, and which cluster each entry
/// went to when that was recorded.
#[derive(Debug, Clone, Default)]
pub struct Clusters {
    clustering: Clustering,
    assignments: Vec<(String, Option<usize>)>,
}

impl Clusters {
    /// The clusters of a clustering state, without assignments.
    pub fn of_groups(groups: &ClusterSet, miner: &Miner) -> Clusters {
        Clusters {
            clustering: groups.cluster(miner),
            assignments: Vec::new(),
        }
    }

    /// The clusters, by count (descending), then fingerprint.
    pub fn clusters(&self) -> &[Cluster] {
        self.clustering.clusters()
    }

    /// Per input entry, in input order: its insertId (empty if it had none)
    /// and the index of its cluster in [`clusters`](Clusters::clusters), or
    /// `None` when its group was folded into the [long tail](Clusters::long_tail).
    /// Every line of a re-joined stack trace is listed. Empty unless
    /// [`Clusterer::recording_assignments`].
    pub fn assignments(&self) -> impl Iterator<Item = (&str, Option<usize>)> {
        self.assignments
            .iter()
            .map(|(insert_id, cluster)| (insert_id.as_str(), *cluster))
    }

    /// What the clustering state folded to stay within its cap, when it
    /// folded anything.
    pub fn long_tail(&self) -> Option<&LongTail> {
        self.clustering.long_tail()
    }

    /// The index of the cluster a grouping key went to.
    pub fn cluster_of(&self, key: &GroupKey) -> Option<usize> {
        self.clustering.cluster_of(key)
    }
}

/// Distinct values numbered in order of first sight, and the sequence of
/// numbers recorded: how both clusterers remember which cluster each input
/// went to without keeping a copy per input.
#[derive(Debug)]
pub(crate) struct Interner<K> {
    ids: HashMap<K, u32, FastBuildHasher>,
    pub(crate) keys: Vec<K>,
    pub(crate) sequence: Vec<u32>,
}

impl<K> Default for Interner<K> {
    fn default() -> Self {
        Interner {
            ids: HashMap::default(),
            keys: Vec::new(),
            sequence: Vec::new(),
        }
    }
}

impl<K: Hash + Eq + Clone> Interner<K> {
    /// The number of `key`, numbering it if it is new (`make` turns the
    /// borrowed form into a stored key only then).
    pub(crate) fn intern<Q>(&mut self, key: &Q, make: impl FnOnce(&Q) -> K) -> u32
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        let key = make(key);
        self.keys.push(key.clone());
        self.ids.insert(key, id);
        id
    }

    /// Appends a number to the sequence.
    pub(crate) fn record(&mut self, id: u32) {
        self.sequence.push(id);
    }
}
