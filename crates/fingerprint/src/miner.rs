//! Template mining: merging masked templates that differ only in a variable
//! position, deterministically and independently of input order.
//!
//! Drain walks lines in arrival order and lets the first similar template
//! absorb each line, so its result depends on the order and its leaves are
//! scanned linearly. Here the input is the *set* of distinct masked templates,
//! and merging is a fixed point over it:
//!
//! 1. Templates are bucketed by domain (service and call site) and token count.
//! 2. In a bucket, two templates that are equal except at one position are
//!    found by hashing each template once per position with that position left
//!    out: equal hashes, equal templates but there. Cost: tokens² per
//!    template, never templates².
//! 3. Such pairs are united (union-find) when the merged template keeps enough
//!    constant tokens; the differing positions become `<*>`.
//!
//! The clusters are the connected components of that relation (single
//! linkage), so `a x`, `b x`, `b y` form one cluster through `b x`. The result
//! is a function of the set of templates, so any input order and
//! any sharding of the input give the same clusters.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

/// The token written where merged templates differ.
pub const WILDCARD: &str = "<*>";

/// Settings of the [`Miner`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MinerConfig {
    /// Templates with fewer tokens are never merged ("VM Started" and "VM
    /// Paused" stay apart).
    pub min_tokens: usize,
    /// A merge must leave at least this share of the tokens that are not
    /// placeholders constant.
    pub min_constant_share: f64,
}

impl Default for MinerConfig {
    fn default() -> Self {
        MinerConfig {
            min_tokens: 3,
            min_constant_share: 0.5,
        }
    }
}

/// Merges templates that differ only in variable positions.
#[derive(Debug, Clone, Default)]
pub struct Miner {
    config: MinerConfig,
}

/// The result of mining: a cluster per group of templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mined {
    /// For each input item, the index of its cluster in `templates`.
    pub assignment: Vec<usize>,
    /// The generalized template of each cluster, sorted by (domain, template).
    pub templates: Vec<String>,
}

impl Miner {
    /// A miner with the given settings.
    pub fn new(config: MinerConfig) -> Miner {
        Miner { config }
    }

    /// The settings.
    pub fn config(&self) -> &MinerConfig {
        &self.config
    }

    /// Mines `(domain, template)` items. Templates only merge within a domain.
    ///
    /// ```
    /// use gardener_fingerprint::Miner;
    /// let items = [("", "user alice logged in"), ("", "user bob logged in"), ("", "disk full")];
    /// let mined = Miner::default().mine(&items);
    /// assert_eq!(mined.assignment[0], mined.assignment[1]);
    /// assert_eq!(mined.templates[mined.assignment[0]], "user <*> logged in");
    /// assert_eq!(mined.templates[mined.assignment[2]], "disk full");
    /// ```
    pub fn mine<D: AsRef<str>, T: AsRef<str>>(&self, items: &[(D, T)]) -> Mined {
        // Work on the sorted set of distinct items: the result cannot depend on input order.
        let mut distinct: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for (domain, template) in items {
            let next = distinct.len();
            distinct
                .entry((domain.as_ref(), template.as_ref()))
                .or_insert(next);
        }
        let keys: Vec<(&str, &str)> = distinct.keys().copied().collect();
        let mut buckets: BTreeMap<(&str, usize), Vec<usize>> = BTreeMap::new();
        let tokens: Vec<Vec<&str>> = keys
            .iter()
            .map(|(_, template)| template.split_ascii_whitespace().collect())
            .collect();
        for (index, (domain, _)) in keys.iter().enumerate() {
            buckets
                .entry((domain, tokens[index].len()))
                .or_default()
                .push(index);
        }

        let mut cluster_of_key = vec![0usize; keys.len()];
        let mut clusters: BTreeMap<(&str, String), Vec<usize>> = BTreeMap::new();
        for ((domain, length), members) in &buckets {
            let groups = if *length >= self.config.min_tokens && members.len() > 1 {
                self.merge_bucket(members, &tokens)
            } else {
                members.iter().map(|&m| vec![m]).collect()
            };
            for group in groups {
                let template = generalize(group.iter().map(|&m| tokens[m].as_slice()));
                clusters
                    .entry((domain, template.join(" ")))
                    .or_default()
                    .extend(group);
            }
        }
        let mut templates = Vec::with_capacity(clusters.len());
        for (cluster, ((_, template), members)) in clusters.into_iter().enumerate() {
            for member in members {
                cluster_of_key[member] = cluster;
            }
            templates.push(template);
        }
        let key_index: HashMap<(&str, &str), usize> =
            keys.iter().enumerate().map(|(i, &key)| (key, i)).collect();
        let assignment = items
            .iter()
            .map(|(domain, template)| {
                cluster_of_key[key_index[&(domain.as_ref(), template.as_ref())]]
            })
            .collect();
        Mined {
            assignment,
            templates,
        }
    }

    /// Groups the members of one bucket (same domain, same length): the
    /// connected components of "equal but at one position", each merge
    /// checked against the constant-share guard.
    fn merge_bucket(&self, members: &[usize], tokens: &[Vec<&str>]) -> Vec<Vec<usize>> {
        let length = tokens[members[0]].len();
        let mut parent: Vec<usize> = (0..members.len()).collect();
        let mut generalized: Vec<Vec<&str>> = members.iter().map(|&m| tokens[m].clone()).collect();
        for position in 0..length {
            let mut seen: HashMap<u64, Vec<usize>> = HashMap::new();
            for local in 0..members.len() {
                let original = &tokens[members[local]];
                let candidates = seen.entry(hash_without(original, position)).or_default();
                for &other in candidates.iter() {
                    if !equal_without(original, &tokens[members[other]], position) {
                        continue;
                    }
                    let (a, b) = (find(&mut parent, local), find(&mut parent, other));
                    if a == b {
                        break;
                    }
                    let merged = generalize([generalized[a].as_slice(), generalized[b].as_slice()]);
                    if self.may_merge(&merged) {
                        let (keep, absorb) = (a.min(b), a.max(b));
                        parent[absorb] = keep;
                        generalized[keep] = merged;
                        break;
                    }
                }
                candidates.push(local);
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (local, &member) in members.iter().enumerate() {
            let root = find(&mut parent, local);
            groups.entry(root).or_default().push(member);
        }
        groups.into_values().collect()
    }

    /// Whether a merged template keeps enough constant tokens.
    fn may_merge(&self, merged: &[&str]) -> bool {
        let candidates = merged.iter().filter(|t| !is_placeholder(t)).count();
        let wildcards = merged.iter().filter(|t| **t == WILDCARD).count();
        let constants = candidates - wildcards;
        constants >= 1 && constants as f64 >= self.config.min_constant_share * candidates as f64
    }
}

fn is_placeholder(token: &str) -> bool {
    token.len() > 2 && token.starts_with('<') && token.ends_with('>') && token != WILDCARD
}

fn find(parent: &mut [usize], mut node: usize) -> usize {
    while parent[node] != node {
        parent[node] = parent[parent[node]];
        node = parent[node];
    }
    node
}

fn hash_without(tokens: &[&str], skip: usize) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for (index, token) in tokens.iter().enumerate() {
        if index != skip {
            token.hash(&mut hasher);
        } else {
            0u8.hash(&mut hasher);
        }
    }
    hasher.finish()
}

fn equal_without(a: &[&str], b: &[&str], skip: usize) -> bool {
    a.iter()
        .zip(b)
        .enumerate()
        .all(|(index, (x, y))| index == skip || x == y)
}

/// Token by token: the common token where all agree, else [`WILDCARD`].
fn generalize<'t, 'a: 't, I>(templates: I) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'t [&'a str]>,
{
    let mut iter = templates.into_iter();
    let Some(first) = iter.next() else {
        return Vec::new();
    };
    let mut result: Vec<&'a str> = first.to_vec();
    for template in iter {
        for (slot, token) in result.iter_mut().zip(template) {
            if slot != token {
                *slot = WILDCARD;
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mine(lines: &[&str]) -> Vec<String> {
        let items: Vec<(&str, &str)> = lines.iter().map(|l| ("", *l)).collect();
        let mined = Miner::default().mine(&items);
        mined
            .assignment
            .iter()
            .map(|&c| mined.templates[c].clone())
            .collect()
    }

    #[test]
    fn differing_word_becomes_wildcard() {
        let result = mine(&[
            "session opened for user root",
            "session opened for user alice",
        ]);
        assert_eq!(
            result,
            ["session opened for user <*>", "session opened for user <*>"]
        );
    }

    #[test]
    fn short_templates_never_merge() {
        let result = mine(&["VM Started", "VM Paused"]);
        assert_eq!(result, ["VM Started", "VM Paused"]);
    }

    #[test]
    fn mostly_different_templates_stay_apart() {
        let result = mine(&["a b c d", "a x y z"]);
        assert_eq!(result, ["a b c d", "a x y z"]);
    }

    #[test]
    fn chains_merge_through_intermediates() {
        let result = mine(&["k a b c d", "k x b c d", "k x b c y"]);
        assert!(result.iter().all(|t| t == "k <*> b c <*>"), "{result:?}");
    }

    #[test]
    fn input_order_does_not_matter() {
        let lines = [
            "user a logged in now",
            "user b logged in now",
            "user b logged out now",
            "x y z",
        ];
        let mut reversed = lines;
        reversed.reverse();
        let mut forward = mine(&lines);
        let mut backward = mine(&reversed);
        backward.reverse();
        forward.sort();
        backward.sort();
        assert_eq!(forward, backward);
    }
}
