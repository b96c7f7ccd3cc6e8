//! `ClusterSet`: the mergeable clustering state, and the clusters it yields.

use std::collections::{BTreeMap, HashMap};

use gardener_log_model::Event;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{ClusterStats, Fingerprint, GroupKey, Kind, Miner};

/// The clustering state: statistics per grouping key.
///
/// Build one per shard of input with [`observe`](ClusterSet::observe), combine
/// shards with [`merge`](ClusterSet::merge) (associative and commutative, and
/// `build(x ++ y) == merge(build(x), build(y))`), serialize it to move it
/// between processes, and turn it into clusters with
/// [`cluster`](ClusterSet::cluster). Memory grows with the number of distinct
/// keys, never with the number of entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterSet {
    // A hash map: lookups per event compare no strings in the common case.
    // Everything that iterates sorts first, so output stays deterministic.
    groups: HashMap<GroupKey, ClusterStats>,
}

/// One cluster: a group of keys whose templates mined into one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    /// The stable id of the cluster.
    pub fingerprint: Fingerprint,
    /// The cluster's key, with the mined template for messages.
    pub key: GroupKey,
    /// Statistics of all its entries.
    pub stats: ClusterStats,
    /// How many distinct keys were merged into it.
    pub merged_keys: usize,
}

/// The clusters of a [`ClusterSet`], largest first.
#[derive(Debug, Clone, Default)]
pub struct Clustering {
    clusters: Vec<Cluster>,
    index: BTreeMap<GroupKey, usize>,
}

impl Clustering {
    /// The clusters, by count (descending), then fingerprint.
    pub fn clusters(&self) -> &[Cluster] {
        &self.clusters
    }

    /// Takes the clusters.
    pub fn into_clusters(self) -> Vec<Cluster> {
        self.clusters
    }

    /// The index in [`clusters`](Clustering::clusters) of the cluster a key went to.
    pub fn cluster_of(&self, key: &GroupKey) -> Option<usize> {
        self.index.get(key).copied()
    }
}

impl ClusterSet {
    /// An empty set.
    pub fn new() -> ClusterSet {
        ClusterSet::default()
    }

    /// Counts one event under `key`.
    pub fn observe(
        &mut self,
        key: GroupKey,
        event: &Event<'_>,
        raw: &str,
        values: &[(Kind, String)],
    ) {
        if let Some(stats) = self.groups.get_mut(&key) {
            stats.observe(event, raw, values);
            return;
        }
        self.groups
            .entry(key)
            .or_default()
            .observe(event, raw, values);
    }

    /// Adds statistics under a key (used when importing or merging).
    pub fn insert(&mut self, key: GroupKey, stats: &ClusterStats) {
        self.groups.entry(key).or_default().merge(stats);
    }

    /// Merges another set into this one.
    pub fn merge(&mut self, other: &ClusterSet) {
        for (key, stats) in &other.groups {
            match self.groups.get_mut(key) {
                Some(mine) => mine.merge(stats),
                None => {
                    self.groups.insert(key.clone(), stats.clone());
                }
            }
        }
    }

    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether nothing was observed.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Number of entries observed.
    pub fn entries(&self) -> u64 {
        self.groups.values().map(|stats| stats.count).sum()
    }

    /// Keys and their statistics, in key order.
    pub fn groups(&self) -> impl Iterator<Item = (&GroupKey, &ClusterStats)> {
        let mut groups: Vec<(&GroupKey, &ClusterStats)> = self.groups.iter().collect();
        groups.sort_by(|a, b| a.0.cmp(b.0));
        groups.into_iter()
    }

    /// Mines message templates and returns the clusters.
    pub fn cluster(&self, miner: &Miner) -> Clustering {
        let mut keys: Vec<&GroupKey> = self.groups.keys().collect();
        keys.sort();
        let items: Vec<(String, &str, u64)> = keys
            .iter()
            .filter_map(|key| match key {
                GroupKey::Message {
                    service,
                    call_site,
                    template,
                } => Some((
                    format!("{service}\u{1f}{call_site}"),
                    template.as_str(),
                    self.groups[*key].count,
                )),
                _ => None,
            })
            .collect();
        let mined = miner.mine(&items);

        let mut merged: BTreeMap<GroupKey, (ClusterStats, usize)> = BTreeMap::new();
        let mut final_key_of: Vec<GroupKey> = Vec::with_capacity(keys.len());
        let mut message_index = 0;
        for key in &keys {
            let final_key = match key {
                GroupKey::Message {
                    service, call_site, ..
                } => {
                    let template = mined.templates[mined.assignment[message_index]].clone();
                    message_index += 1;
                    GroupKey::Message {
                        service: service.clone(),
                        call_site: call_site.clone(),
                        template,
                    }
                }
                other => (*other).clone(),
            };
            let entry = merged
                .entry(final_key.clone())
                .or_insert_with(|| (ClusterStats::default(), 0));
            entry.0.merge(&self.groups[*key]);
            entry.1 += 1;
            final_key_of.push(final_key);
        }

        let mut clusters: Vec<Cluster> = merged
            .into_iter()
            .map(|(key, (stats, merged_keys))| Cluster {
                fingerprint: key.fingerprint(),
                key,
                stats,
                merged_keys,
            })
            .collect();
        clusters.sort_by(|a, b| {
            b.stats
                .count
                .cmp(&a.stats.count)
                .then_with(|| a.fingerprint.cmp(&b.fingerprint))
                .then_with(|| a.key.cmp(&b.key))
        });
        let position: BTreeMap<&GroupKey, usize> = clusters
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.key, i))
            .collect();
        let index = keys
            .iter()
            .zip(&final_key_of)
            .map(|(key, final_key)| ((*key).clone(), position[final_key]))
            .collect();
        Clustering { clusters, index }
    }
}

#[derive(Serialize, Deserialize)]
struct GroupRepr {
    key: GroupKey,
    stats: ClusterStats,
}

#[derive(Serialize, Deserialize)]
struct ClusterSetRepr {
    fingerprint_version: u8,
    groups: Vec<GroupRepr>,
}

impl Serialize for ClusterSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ClusterSetRepr {
            fingerprint_version: crate::FINGERPRINT_VERSION,
            groups: self
                .groups()
                .map(|(key, stats)| GroupRepr {
                    key: key.clone(),
                    stats: stats.clone(),
                })
                .collect(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ClusterSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let repr = ClusterSetRepr::deserialize(deserializer)?;
        if repr.fingerprint_version != crate::FINGERPRINT_VERSION {
            return Err(serde::de::Error::custom(format!(
                "clustering state of fingerprint version {} cannot be read by version {}",
                repr.fingerprint_version,
                crate::FINGERPRINT_VERSION
            )));
        }
        let mut set = ClusterSet::new();
        for group in repr.groups {
            set.insert(group.key, &group.stats);
        }
        Ok(set)
    }
}
