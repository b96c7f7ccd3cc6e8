//! `ClusterSet`: the mergeable clustering state, and the clusters it yields.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use gardener_log_model::{Event, Severity};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{ClusterStats, Fingerprint, GroupKey, Kind, Miner};

/// Distinct keys a [`ClusterSet`] keeps by default before it folds the least
/// important into its [`LongTail`].
///
/// Services log a few hundred distinct templates, rarely a few thousand; a
/// set of 10,000 groups of ordinary entries (1-2 KB each) holds some tens
/// of megabytes. See [`ClusterSet`] for the bound in the worst case.
pub const DEFAULT_MAX_GROUPS: usize = 10_000;

/// The clustering state: statistics per grouping key, for at most
/// [`max_groups`](ClusterSet::max_groups) keys, and a [`LongTail`] for the
/// rest.
///
/// Build one per shard of input with [`observe`](ClusterSet::observe), combine
/// shards with [`merge`](ClusterSet::merge), serialize it to move it between
/// processes, and turn it into clusters with [`cluster`](ClusterSet::cluster).
///
/// # Bounded memory: the long tail
///
/// Memory grows with the number of distinct keys, never with the number of
/// entries, and the number of keys is capped. When a new key would make the
/// set hold more than `max_groups` keys, the set keeps the three quarters
/// that matter most and folds the others into the long tail, whose count,
/// severities, first and last time are exact (its places and values are
/// bounded like any group's). What matters, in order:
/// 1. keys with an entry at `ERROR` or above,
/// 2. then the keys with the most entries,
/// 3. ties go to the smaller [`Fingerprint`], then the smaller key (a
///    fixed order that favours no service or word).
///
/// Folding a quarter at a time makes the cost per event constant on
/// average (one selection over the set per `max_groups / 4` new keys).
/// The set holds at most `max_groups` keys; a [`merge`](ClusterSet::merge)
/// holds both sets' keys for a moment. Each group is bounded (at most
/// [`MAX_REPRESENTATIVE_BYTES`](crate::MAX_REPRESENTATIVE_BYTES) of entry,
/// a key of at most [`MAX_KEY_MESSAGE_BYTES`](crate::MAX_KEY_MESSAGE_BYTES)
/// before masking, [`MAX_PLACES`](crate::MAX_PLACES) places and
/// [`MAX_VALUES`](crate::MAX_VALUES) values per kind), so the set is too.
///
/// # Merging
///
/// While no key is folded (fewer than `max_groups` distinct keys in all
/// the input), the state is exact: merge is associative and commutative and
/// `build(x ++ y) == merge(build(x), build(y))`, whatever the order of the
/// entries. Once keys are folded:
/// - merge stays commutative, and deterministic: the same input in the same
///   order gives the same state;
/// - totals stay exact under any sharding, order and grouping of merges:
///   [`entries`](ClusterSet::entries) and the entries per severity (groups
///   plus long tail) are those of the whole input;
/// - the count of a kept key is a lower bound of its true count (entries
///   seen before it was folded are in the long tail);
/// - if at most `max_groups - max_groups / 4` distinct keys have an entry
///   at `ERROR` or above, no such entry is ever folded;
/// - which keys are kept may depend on the order of the input and of the
///   merges (keeping exactly the most frequent keys of a stream in bounded
///   memory is impossible), so associativity holds for the totals only.
///
/// A merged set keeps the smaller of the two caps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSet {
    // A hash map: lookups per event compare no strings in the common case.
    // Everything that iterates sorts first, so output stays deterministic.
    groups: HashMap<GroupKey, Group>,
    max_groups: usize,
    long_tail: LongTail,
}

/// A kept group: its statistics, and its key's fingerprint, computed once
/// to rank the group whenever the set folds some.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    stats: ClusterStats,
    fingerprint: Fingerprint,
}

impl Group {
    fn new(key: &GroupKey) -> Group {
        Group {
            stats: ClusterStats::default(),
            fingerprint: key.fingerprint(),
        }
    }
}

impl Default for ClusterSet {
    fn default() -> Self {
        ClusterSet::with_max_groups(DEFAULT_MAX_GROUPS)
    }
}

/// What a [`ClusterSet`] folded to stay within its cap: the statistics of
/// every entry of the keys it let go, as one group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LongTail {
    /// Statistics of the folded entries: `count`, `severities`, `first_seen`
    /// and `last_seen` are exact; places, values and the representative are
    /// those of any group.
    pub stats: ClusterStats,
    /// How many groups were folded. A key folded, seen again and folded
    /// again counts twice, so this is at least the number of distinct keys
    /// folded.
    pub folded_groups: u64,
}

impl LongTail {
    /// Whether nothing was folded.
    pub fn is_empty(&self) -> bool {
        self.folded_groups == 0 && self.stats.count == 0
    }

    /// The fingerprint that stands for the long tail where a cluster's
    /// would (an entry's assignment, say). Real keys never have it: their
    /// fields start with their kind.
    pub fn fingerprint() -> Fingerprint {
        Fingerprint::of_fields(["long_tail"])
    }

    fn fold(&mut self, stats: &ClusterStats) {
        self.stats.merge(stats);
        self.folded_groups = self.folded_groups.saturating_add(1);
    }

    fn merge(&mut self, other: &LongTail) {
        self.stats.merge(&other.stats);
        self.folded_groups = self.folded_groups.saturating_add(other.folded_groups);
    }
}

/// How much a group matters when the set must fold some: errors first, then
/// entries, then a fixed order. Paired with the key, which breaks the ties
/// of fingerprints, the greater is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Importance {
    has_error: bool,
    count: u64,
    fingerprint: Reverse<Fingerprint>,
}

impl Importance {
    fn of(group: &Group) -> Importance {
        Importance {
            has_error: group
                .stats
                .severities
                .range(Severity::Error..)
                .any(|(_, &n)| n > 0),
            count: group.stats.count,
            fingerprint: Reverse(group.fingerprint),
        }
    }
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

/// The clusters of a [`ClusterSet`], largest first, and its long tail.
#[derive(Debug, Clone, Default)]
pub struct Clustering {
    clusters: Vec<Cluster>,
    index: BTreeMap<GroupKey, usize>,
    long_tail: LongTail,
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

    /// The index in [`clusters`](Clustering::clusters) of the cluster a key
    /// went to; `None` for a key that was folded into the
    /// [`long_tail`](Clustering::long_tail) (or never seen).
    pub fn cluster_of(&self, key: &GroupKey) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// What the set folded to stay within its cap, if anything.
    pub fn long_tail(&self) -> Option<&LongTail> {
        (!self.long_tail.is_empty()).then_some(&self.long_tail)
    }
}

impl ClusterSet {
    /// An empty set keeping at most [`DEFAULT_MAX_GROUPS`] keys.
    pub fn new() -> ClusterSet {
        ClusterSet::default()
    }

    /// An empty set keeping at most `max_groups` keys (at least one).
    pub fn with_max_groups(max_groups: usize) -> ClusterSet {
        ClusterSet {
            groups: HashMap::new(),
            max_groups: max_groups.max(1),
            long_tail: LongTail::default(),
        }
    }

    /// How many keys the set keeps at most.
    pub fn max_groups(&self) -> usize {
        self.max_groups
    }

    /// Counts one event under `key`.
    pub fn observe(
        &mut self,
        key: GroupKey,
        event: &Event<'_>,
        raw: &str,
        values: &[(Kind, String)],
    ) {
        if let Some(group) = self.groups.get_mut(&key) {
            group.stats.observe(event, raw, values);
            return;
        }
        let mut group = Group::new(&key);
        group.stats.observe(event, raw, values);
        self.groups.insert(key, group);
        self.fold_if_full();
    }

    /// Adds statistics under a key (used when importing or merging).
    pub fn insert(&mut self, key: GroupKey, stats: &ClusterStats) {
        match self.groups.get_mut(&key) {
            Some(group) => group.stats.merge(stats),
            None => {
                let mut group = Group::new(&key);
                group.stats.merge(stats);
                self.groups.insert(key, group);
            }
        }
        self.fold_if_full();
    }

    /// Merges another set into this one; the result keeps the smaller cap.
    pub fn merge(&mut self, other: &ClusterSet) {
        self.max_groups = self.max_groups.min(other.max_groups);
        for (key, group) in &other.groups {
            match self.groups.get_mut(key) {
                Some(mine) => mine.stats.merge(&group.stats),
                None => {
                    self.groups.insert(key.clone(), group.clone());
                }
            }
        }
        self.long_tail.merge(&other.long_tail);
        self.fold_if_full();
    }

    /// Above the cap, folds all but the `max_groups - max_groups / 4` most
    /// important groups into the long tail (see the type's docs).
    fn fold_if_full(&mut self) {
        if self.groups.len() <= self.max_groups {
            return;
        }
        let keep = self.max_groups - self.max_groups / 4;
        let mut ranked: Vec<(Importance, Reverse<&GroupKey>)> = self
            .groups
            .iter()
            .map(|(key, group)| (Importance::of(group), Reverse(key)))
            .collect();
        // The `keep` greatest go first; the one at `keep - 1` is the least
        // that stays. No two are equal: they end with the key.
        let (_, &mut (least_importance, Reverse(least_key)), _) =
            ranked.select_nth_unstable_by(keep - 1, |a, b| b.cmp(a));
        let least_kept = (least_importance, least_key.clone());
        let long_tail = &mut self.long_tail;
        self.groups.retain(|key, group| {
            let stays =
                (Importance::of(group), Reverse(key)) >= (least_kept.0, Reverse(&least_kept.1));
            if !stays {
                long_tail.fold(&group.stats);
            }
            stays
        });
    }

    /// Number of distinct keys kept.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether nothing was observed.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.long_tail.is_empty()
    }

    /// Number of entries observed, the long tail's included.
    pub fn entries(&self) -> u64 {
        self.groups
            .values()
            .fold(self.long_tail.stats.count, |sum, group| {
                sum.saturating_add(group.stats.count)
            })
    }

    /// What was folded to stay within the cap.
    pub fn long_tail(&self) -> &LongTail {
        &self.long_tail
    }

    /// Keys and their statistics, in key order.
    pub fn groups(&self) -> impl Iterator<Item = (&GroupKey, &ClusterStats)> {
        let mut groups: Vec<(&GroupKey, &ClusterStats)> = self
            .groups
            .iter()
            .map(|(key, group)| (key, &group.stats))
            .collect();
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
                    self.groups[*key].stats.count,
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
            entry.0.merge(&self.groups[*key].stats);
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
        Clustering {
            clusters,
            index,
            long_tail: self.long_tail.clone(),
        }
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
    #[serde(default = "default_max_groups")]
    max_groups: usize,
    groups: Vec<GroupRepr>,
    #[serde(default)]
    long_tail: LongTail,
}

fn default_max_groups() -> usize {
    DEFAULT_MAX_GROUPS
}

impl Serialize for ClusterSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ClusterSetRepr {
            fingerprint_version: crate::FINGERPRINT_VERSION,
            max_groups: self.max_groups,
            groups: self
                .groups()
                .map(|(key, stats)| GroupRepr {
                    key: key.clone(),
                    stats: stats.clone(),
                })
                .collect(),
            long_tail: self.long_tail.clone(),
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
        let mut set = ClusterSet::with_max_groups(repr.max_groups);
        // Merged into fresh statistics, as the groups are, so that caps
        // written in the state cannot raise the built-in ones.
        set.long_tail.merge(&repr.long_tail);
        for group in repr.groups {
            set.insert(group.key, &group.stats);
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use gardener_log_model::LogEntry;

    use super::*;

    fn key(template: &str) -> GroupKey {
        GroupKey::Message {
            service: "api".to_owned(),
            call_site: String::new(),
            template: template.to_owned(),
        }
    }

    /// Observes `times` entries of `severity` under the key `template`.
    fn observe(set: &mut ClusterSet, template: &str, severity: &str, times: usize) {
        let raw = format!(r#"{{"textPayload": "{template}", "severity": "{severity}"}}"#);
        let entry = LogEntry::from_json(raw.as_bytes()).expect("test entries are valid");
        let event = Event::from_entry(entry);
        for _ in 0..times {
            set.observe(key(template), &event, &raw, &[]);
        }
    }

    fn kept(set: &ClusterSet) -> Vec<(String, u64)> {
        set.groups()
            .map(|(key, stats)| (key.title(), stats.count))
            .collect()
    }

    #[test]
    fn a_full_set_keeps_errors_then_the_most_frequent() {
        let mut set = ClusterSet::with_max_groups(4);
        observe(&mut set, "five", "INFO", 5);
        observe(&mut set, "four", "INFO", 4);
        observe(&mut set, "three", "WARNING", 3);
        observe(&mut set, "two", "INFO", 2);
        assert_eq!(set.len(), 4);
        assert!(set.long_tail().is_empty());
        // A fifth key: the set keeps 4 - 4/4 = 3, the error among them.
        observe(&mut set, "rare error", "ERROR", 1);
        assert_eq!(
            kept(&set),
            [
                ("five".to_owned(), 5),
                ("four".to_owned(), 4),
                ("rare error".to_owned(), 1)
            ]
        );
        let tail = set.long_tail();
        assert_eq!(tail.folded_groups, 2);
        assert_eq!(tail.stats.count, 5);
        assert_eq!(
            tail.stats.severities,
            BTreeMap::from([(Severity::Info, 2), (Severity::Warning, 3)])
        );
        assert_eq!(set.entries(), 15);
    }

    #[test]
    fn a_folded_key_comes_back_with_its_new_entries() {
        let mut set = ClusterSet::with_max_groups(1);
        observe(&mut set, "a", "INFO", 2);
        observe(&mut set, "b", "INFO", 1);
        assert_eq!(kept(&set), [("a".to_owned(), 2)]);
        observe(&mut set, "b", "INFO", 3);
        // "b" came back with 1 entry and was folded at once; so were its next two.
        assert_eq!(kept(&set), [("a".to_owned(), 2)]);
        observe(&mut set, "b", "ERROR", 1);
        assert_eq!(kept(&set), [("b".to_owned(), 1)]);
        assert_eq!(set.long_tail().stats.count, 6);
        assert_eq!(set.long_tail().folded_groups, 5);
        assert_eq!(set.entries(), 7);
    }

    #[test]
    fn merge_keeps_the_smaller_cap_and_folds() {
        let mut a = ClusterSet::with_max_groups(8);
        let mut b = ClusterSet::with_max_groups(2);
        observe(&mut a, "x", "INFO", 3);
        observe(&mut a, "y", "INFO", 1);
        observe(&mut b, "y", "INFO", 1);
        observe(&mut b, "z", "ERROR", 1);
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.max_groups(), 2);
        // Three keys above a cap of two: keep 2 - 2/4 = 2.
        assert_eq!(kept(&ab), [("x".to_owned(), 3), ("z".to_owned(), 1)]);
        assert_eq!(ab.long_tail().stats.count, 2);
        assert_eq!(ab.entries(), 6);
    }

    #[test]
    fn clustering_carries_the_long_tail() {
        let mut set = ClusterSet::with_max_groups(1);
        observe(&mut set, "kept", "INFO", 2);
        observe(&mut set, "folded", "INFO", 1);
        let clustering = set.cluster(&Miner::default());
        assert_eq!(clustering.clusters().len(), 1);
        assert_eq!(clustering.cluster_of(&key("folded")), None);
        let tail = clustering.long_tail().expect("one key was folded");
        assert_eq!(tail.stats.count, 1);
        assert_ne!(LongTail::fingerprint(), key("kept").fingerprint());
        assert!(ClusterSet::new()
            .cluster(&Miner::default())
            .long_tail()
            .is_none());
    }

    #[test]
    fn the_cap_and_the_long_tail_survive_json() {
        let mut set = ClusterSet::with_max_groups(2);
        for (template, severity, times) in [("a", "INFO", 3), ("b", "ERROR", 1), ("c", "INFO", 1)] {
            observe(&mut set, template, severity, times);
        }
        let json = serde_json::to_string(&set).expect("serializes");
        let back: ClusterSet = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, set);
    }

    #[test]
    fn a_state_from_before_the_cap_reads_with_the_default_cap() {
        let json = r#"{"fingerprint_version": 1, "groups": []}"#;
        let set: ClusterSet = serde_json::from_str(json).expect("deserializes");
        assert_eq!(set.max_groups(), DEFAULT_MAX_GROUPS);
        assert!(set.is_empty());
    }

    #[test]
    fn a_state_with_more_groups_than_its_cap_is_folded_when_read() {
        let mut big = ClusterSet::with_max_groups(10);
        for (i, template) in ["a", "b", "c", "d", "e"].into_iter().enumerate() {
            observe(&mut big, template, "INFO", i + 1);
        }
        let json = serde_json::to_string(&big)
            .expect("serializes")
            .replace(r#""max_groups":10"#, r#""max_groups":2"#);
        let small: ClusterSet = serde_json::from_str(&json).expect("deserializes");
        assert!(small.len() <= 2);
        assert_eq!(small.entries(), big.entries());
    }
}
