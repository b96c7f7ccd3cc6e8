//! Template mining: merging masked templates that differ only in variable
//! positions, deterministically and independently of input order.
//!
//! Drain walks lines in arrival order and lets the first similar template
//! absorb each line, so its result depends on the order, its leaves are
//! scanned linearly, a variable part that spans several tokens splits a
//! template, and two lines that differ in one meaningful word merge. Here the
//! input is the *set* of distinct masked templates, each with how often it
//! occurred, and mining is two steps:
//!
//! 1. **Skeletons.** A template is cut into words at spaces and punctuation
//!    (see `words.rs`). Words that are placeholders, contain one
//!    (`host:<num>`, `/user/<id>/part`), are file paths or registry keys, or
//!    are bare punctuation are *variable*; the others are *constant*.
//!    Templates with the same domain and the same sequence of constant words
//!    (the skeleton) are one cluster, however many values sit between those
//!    words: `<num> bytes sent` and `<num> bytes (<size>) sent` agree. A
//!    template with no constant word at all (a message made only of values)
//!    is its own skeleton, so it is never compared with anything.
//! 2. **Word slots.** Skeletons of one domain and length that are equal but
//!    at one position are found by hashing each skeleton once per position
//!    with that position left out (cost: words per skeleton, never
//!    skeletons²). Such a group becomes one cluster, with `<*>` at that
//!    position, when the words seen there look like values of a variable
//!    rather than names of different events. The rules, each in
//!    [`MinerConfig`] with its reason:
//!    - **Evidence scales with frequency.** The more often a template
//!      occurs, the more different words its slot must show: a variable
//!      (a user, a host, a class) keeps bringing new values, while a word
//!      that names the event (`connection opened` / `closed`) does not,
//!      however often it is logged. Two words seen once each are as strong
//!      a sign of a variable as four words over a thousand lines.
//!    - **Enumerations stay apart.** A slot of a few alphabetic words, each
//!      of them frequent (`job Started` / `Paused` / `Stopped`, `state
//!      Active` / `Inactive`), is a set of states, each an event of its own.
//!    - **Less context, more evidence.** A short skeleton needs more
//!      different words: `VM Started` and `VM Paused` share one word only.
//!    - **Operation names never vary.** A word right before a `|` names the
//!      operation of a pipe-delimited record (`getUser|`, `Step_LSC|`).
//!
//!    A skeleton that lacks the slot's word because a value stood there
//!    joins the cluster too.
//!
//! The result is a function of the set of templates and their counts, so any
//! input order and any sharding of the input give the same clusters.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use crate::words::{words, Role, Word};

/// The token written where merged templates differ.
pub const WILDCARD: &str = "<*>";

/// Settings of the [`Miner`]. The defaults were chosen by leave-one-dataset-out
/// evaluation on eight Loghub datasets (`docs/clustering.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MinerConfig {
    /// Skeletons (constant words) shorter than this never get a word
    /// position turned into `<*>` ("VM Started" and "VM Paused" stay apart).
    pub min_tokens: usize,
    /// A merge must leave at least this share of a skeleton's words constant.
    pub min_constant_share: f64,
    /// Different words a slot needs at the least, however rare its template
    /// (in skeletons of [`context_tokens`](MinerConfig::context_tokens) words or more).
    pub min_distinct_words: usize,
    /// How many more different words a slot needs for each tenfold increase
    /// in how often its template occurs: a slot of a template seen `n` times
    /// needs `max(min_distinct_words, ceil(distinct_words_per_decade * log10(n)))`.
    pub distinct_words_per_decade: f64,
    /// Below this many words, a skeleton needs twice as many different words
    /// in a slot per word it lacks: the less context, the more evidence.
    pub context_tokens: usize,
    /// A slot of at most this many alphabetic words, each of them frequent,
    /// is an enumeration of states and never becomes `<*>`.
    pub enumeration_max_words: usize,
    /// A word of an enumeration is frequent when it occurs at least this
    /// share of an even split (`share * n / words`), and at least twice.
    pub enumeration_min_share: f64,
}

impl Default for MinerConfig {
    fn default() -> Self {
        MinerConfig {
            min_tokens: 4,
            min_constant_share: 0.5,
            min_distinct_words: 3,
            distinct_words_per_decade: 1.5,
            context_tokens: 5,
            enumeration_max_words: 4,
            enumeration_min_share: 0.25,
        }
    }
}

impl MinerConfig {
    /// Different words a slot of a skeleton of `length` words needs, when
    /// its template occurred `occurrences` times.
    fn distinct_words_needed(&self, length: usize, occurrences: u64) -> usize {
        let scaled = (self.distinct_words_per_decade * (occurrences.max(1) as f64).log10()).ceil();
        // Saturating float-to-int conversion; the cap keeps the shift below in range.
        let by_frequency = (scaled as usize).min(1 << 16);
        let missing = self.context_tokens.saturating_sub(length).min(16);
        self.min_distinct_words
            .max(by_frequency)
            .max(2)
            .saturating_mul(1 << missing)
    }

    /// Whether the words of a slot, with how often each occurred, are an
    /// enumeration of states.
    fn is_enumeration(&self, words: &[(&str, u64)]) -> bool {
        let occurrences: u64 = words.iter().map(|&(_, count)| count).sum();
        let frequent =
            (self.enumeration_min_share * occurrences as f64 / words.len() as f64).max(2.0);
        words.len() <= self.enumeration_max_words
            && words
                .iter()
                .all(|&(word, count)| is_alphabetic(word) && count as f64 >= frequent)
    }
}

/// Letters, with `_` or `-` between them (`Started`, `CONTAINER_LAUNCH`,
/// `job-conf`): a word that names something, not a value.
fn is_alphabetic(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.last().is_some_and(u8::is_ascii_alphabetic)
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphabetic() || b == b'_' || b == b'-')
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

/// A distinct template, cut into words.
struct Template<'t> {
    text: &'t str,
    /// Its constant words.
    constants: Vec<Word>,
}

impl<'t> Template<'t> {
    fn new(text: &'t str) -> Template<'t> {
        Template {
            text,
            constants: words(text).into_iter().filter(|w| !w.variable).collect(),
        }
    }

    /// Its constant words, each with its role.
    fn skeleton(&self) -> Skeleton<'t> {
        self.constants
            .iter()
            .map(|word| (&self.text[word.start..word.end], word.role))
            .collect()
    }

    fn constant(&self, index: usize) -> &'t str {
        let word = self.constants[index];
        &self.text[word.start..word.end]
    }

    /// The text between constant `gap - 1` and constant `gap` (the whole
    /// text before the first, after the last).
    fn gap(&self, gap: usize) -> &'t str {
        let start = if gap == 0 {
            0
        } else {
            self.constants[gap - 1].end
        };
        let end = self.constants.get(gap).map_or(self.text.len(), |w| w.start);
        &self.text[start..end]
    }
}

/// What identifies a skeleton: its constant words, each with its role.
/// Empty for templates made only of values.
type Skeleton<'t> = Vec<SkeletonWord<'t>>;

/// A constant word of a skeleton, and its role.
type SkeletonWord<'t> = (&'t str, Role);

impl Miner {
    /// A miner with the given settings.
    pub fn new(config: MinerConfig) -> Miner {
        Miner { config }
    }

    /// The settings.
    pub fn config(&self) -> &MinerConfig {
        &self.config
    }

    /// Mines `(domain, template, occurrences)` items: each template with how
    /// many times it occurred (an item listed twice counts twice). Templates
    /// only merge within a domain.
    ///
    /// ```
    /// use gardener_fingerprint::Miner;
    /// let items = [
    ///     ("", "<host> close, <num> bytes sent, lifetime <ts>", 3),
    ///     ("", "<host> close, <num> bytes (<size>) sent, lifetime <duration>", 1),
    ///     ("", "disk full", 1),
    /// ];
    /// let mined = Miner::default().mine(&items);
    /// assert_eq!(mined.assignment[0], mined.assignment[1]);
    /// assert_eq!(mined.templates[mined.assignment[0]], "<host> close, <num> bytes <*> sent, lifetime <*>");
    /// assert_eq!(mined.templates[mined.assignment[2]], "disk full");
    /// ```
    pub fn mine<D: AsRef<str>, T: AsRef<str>>(&self, items: &[(D, T, u64)]) -> Mined {
        // Work on the sorted set of distinct items: the result cannot depend on input order.
        let mut distinct: BTreeMap<(&str, &str), (usize, u64)> = BTreeMap::new();
        for (domain, template, count) in items {
            let occurrences = &mut distinct
                .entry((domain.as_ref(), template.as_ref()))
                .or_default()
                .1;
            *occurrences = occurrences.saturating_add(*count);
        }
        for (index, (slot, _)) in distinct.values_mut().enumerate() {
            *slot = index;
        }
        let keys: Vec<(&str, &str)> = distinct.keys().copied().collect();
        let counts: Vec<u64> = distinct.values().map(|&(_, count)| count).collect();
        let templates: Vec<Template<'_>> =
            keys.iter().map(|(_, text)| Template::new(text)).collect();

        // Step 1: one group per (domain, skeleton); values-only templates alone.
        let skeleton_keys: Vec<(&str, Skeleton<'_>, &str)> = templates
            .iter()
            .zip(&keys)
            .map(|(template, (domain, _))| {
                let skeleton = template.skeleton();
                let alone = if skeleton.is_empty() {
                    template.text
                } else {
                    ""
                };
                (*domain, skeleton, alone)
            })
            .collect();
        let mut order: Vec<usize> = (0..skeleton_keys.len()).collect();
        order.sort_unstable_by(|&a, &b| skeleton_keys[a].cmp(&skeleton_keys[b]));
        let mut skeleton_of_template = vec![0usize; templates.len()];
        let mut skeletons: Vec<(&str, &Skeleton<'_>)> = Vec::new();
        let mut occurrences: Vec<u64> = Vec::new();
        for (rank, &index) in order.iter().enumerate() {
            if rank == 0 || skeleton_keys[order[rank - 1]] != skeleton_keys[index] {
                skeletons.push((skeleton_keys[index].0, &skeleton_keys[index].1));
                occurrences.push(0);
            }
            skeleton_of_template[index] = skeletons.len() - 1;
            let total = &mut occurrences[skeletons.len() - 1];
            *total = total.saturating_add(counts[index]);
        }

        // Step 2: merge skeletons that differ in one word slot.
        let slots = self.merge_slots(&skeletons, &occurrences);
        let mut parent = slots.parent;

        // Clusters: union-find roots over skeletons, each with its templates.
        let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (index, &skeleton) in skeleton_of_template.iter().enumerate() {
            members
                .entry(find(&mut parent, skeleton))
                .or_default()
                .push(index);
        }
        let mut clusters: BTreeMap<(&str, String), Vec<usize>> = BTreeMap::new();
        for (root, group) in members {
            let shapes: Vec<Shape<'_, '_>> = group
                .iter()
                .map(|&index| Shape {
                    template: &templates[index],
                    missing: slots.missing[skeleton_of_template[index]],
                })
                .collect();
            let text = generalize(&shapes, &slots.wildcards[root]);
            clusters
                .entry((skeletons[root].0, text))
                .or_default()
                .extend(group);
        }
        let mut cluster_of_key = vec![0usize; keys.len()];
        let mut mined_templates = Vec::with_capacity(clusters.len());
        for (cluster, ((_, text), group)) in clusters.into_iter().enumerate() {
            for member in group {
                cluster_of_key[member] = cluster;
            }
            mined_templates.push(text);
        }
        let assignment = items
            .iter()
            .map(|(domain, template, _)| {
                cluster_of_key[distinct[&(domain.as_ref(), template.as_ref())].0]
            })
            .collect();
        Mined {
            assignment,
            templates: mined_templates,
        }
    }

    /// Unites skeletons equal but at one word position, when that position
    /// looks like a slot for values; a skeleton that lacks the slot's word
    /// (it had a value there) joins too. `occurrences` holds how often each
    /// skeleton's templates occurred.
    fn merge_slots(&self, skeletons: &[(&str, &Skeleton<'_>)], occurrences: &[u64]) -> Slots {
        let mut slots = Slots {
            parent: (0..skeletons.len()).collect(),
            wildcards: vec![Vec::new(); skeletons.len()],
            missing: vec![None; skeletons.len()],
            size: vec![1; skeletons.len()],
        };
        let mut buckets: BTreeMap<(&str, usize), Vec<usize>> = BTreeMap::new();
        let mut by_skeleton: HashMap<(&str, &[SkeletonWord<'_>]), usize> = HashMap::new();
        for (index, (domain, skeleton)) in skeletons.iter().enumerate() {
            if !skeleton.is_empty() {
                by_skeleton.insert((domain, skeleton.as_slice()), index);
            }
            if skeleton.len() >= self.config.min_tokens.max(2) {
                buckets
                    .entry((domain, skeleton.len()))
                    .or_default()
                    .push(index);
            }
        }
        for ((domain, length), bucket) in &buckets {
            // The fewest words any slot of this length needs (a template seen once).
            let least = self.config.distinct_words_needed(*length, 1);
            if bucket.len() < least {
                continue;
            }
            for position in 0..*length {
                // Groups of skeletons equal but at `position`.
                let mut by_hash: HashMap<u64, Vec<Vec<usize>>> = HashMap::new();
                for &index in bucket {
                    let skeleton = skeletons[index].1;
                    let groups = by_hash.entry(hash_without(skeleton, position)).or_default();
                    match groups
                        .iter_mut()
                        .find(|group| equal_without(skeletons[group[0]].1, skeleton, position))
                    {
                        Some(group) => group.push(index),
                        None => groups.push(vec![index]),
                    }
                }
                let mut groups: Vec<Vec<usize>> = by_hash.into_values().flatten().collect();
                groups.retain(|group| group.len() >= least);
                groups.sort_unstable();
                for mut group in groups {
                    // An operation name before a `|` is never a value.
                    group.retain(|&index| skeletons[index].1[position].1 != Role::Operation);
                    if !self.is_slot(&group, position, skeletons, occurrences, *length) {
                        continue;
                    }
                    let Some(root) = self.unite(&mut slots, &group, position, *length) else {
                        continue;
                    };
                    let skeleton = skeletons[group[0]].1;
                    let mut shorter: Skeleton<'_> = Vec::with_capacity(length - 1);
                    shorter.extend_from_slice(&skeleton[..position]);
                    shorter.extend_from_slice(&skeleton[position + 1..]);
                    if let Some(&other) = by_skeleton.get(&(*domain, shorter.as_slice())) {
                        // Only a skeleton not merged with others yet: its
                        // words must line up with the root's.
                        if slots.parent[other] == other && slots.size[other] == 1 {
                            slots.parent[other] = root;
                            slots.missing[other] = Some(position);
                            slots.size[root] += 1;
                        }
                    }
                }
            }
        }
        slots
    }

    /// Whether the words at `position` of the skeletons of `group` are values
    /// of one variable: enough different words for how often the template
    /// occurred, and not an enumeration of states.
    fn is_slot(
        &self,
        group: &[usize],
        position: usize,
        skeletons: &[(&str, &Skeleton<'_>)],
        occurrences: &[u64],
        length: usize,
    ) -> bool {
        let total = group
            .iter()
            .fold(0u64, |sum, &index| sum.saturating_add(occurrences[index]));
        if group.len() < self.config.distinct_words_needed(length, total) {
            return false;
        }
        let words: Vec<(&str, u64)> = group
            .iter()
            .map(|&index| (skeletons[index].1[position].0, occurrences[index]))
            .collect();
        !self.config.is_enumeration(&words)
    }

    /// Unites `group` (wildcarding `position`) if the result keeps enough
    /// constant words; returns the root.
    fn unite(
        &self,
        slots: &mut Slots,
        group: &[usize],
        position: usize,
        length: usize,
    ) -> Option<usize> {
        let mut roots: Vec<usize> = group
            .iter()
            .map(|&index| find(&mut slots.parent, index))
            .collect();
        roots.sort_unstable();
        roots.dedup();
        let mut merged: Vec<usize> = roots
            .iter()
            .flat_map(|&root| slots.wildcards[root].iter().copied())
            .collect();
        merged.push(position);
        merged.sort_unstable();
        merged.dedup();
        let constants = length - merged.len();
        if constants == 0 || (constants as f64) < self.config.min_constant_share * length as f64 {
            return None;
        }
        let keep = roots[0];
        for &root in &roots[1..] {
            slots.parent[root] = keep;
            slots.wildcards[root].clear();
            slots.size[keep] += slots.size[root];
        }
        slots.wildcards[keep] = merged;
        Some(keep)
    }
}

/// Union-find over skeletons, with what each merged cluster looks like.
struct Slots {
    parent: Vec<usize>,
    /// Per root: the word positions that became `<*>`.
    wildcards: Vec<Vec<usize>>,
    /// Per skeleton absorbed by a longer one: the position of its root's
    /// skeleton that it has no word for.
    missing: Vec<Option<usize>>,
    /// Per root: how many skeletons it holds.
    size: Vec<usize>,
}

/// A template as seen from its cluster's skeleton, which may have one word
/// more (at `missing`) than the template itself.
struct Shape<'a, 't> {
    template: &'a Template<'t>,
    missing: Option<usize>,
}

impl<'t> Shape<'_, 't> {
    /// The text between the cluster's constants `gap - 1` and `gap`.
    fn gap(&self, gap: usize) -> &'t str {
        match self.missing {
            Some(missing) if gap == missing + 1 => "",
            Some(missing) if gap > missing + 1 => self.template.gap(gap - 1),
            _ => self.template.gap(gap),
        }
    }
}

/// The template shown for a cluster: constant words where all members agree
/// (`<*>` at merged word positions), and between them the members' common
/// text, or `<*>` where they differ. Runs of `<*>` collapse into one.
fn generalize(shapes: &[Shape<'_, '_>], wildcards: &[usize]) -> String {
    let Some(first) = shapes.iter().find(|shape| shape.missing.is_none()) else {
        return String::new();
    };
    let template = first.template;
    if shapes.len() == 1 {
        return template.text.to_owned();
    }
    // What may stay around a `<*>`: spaces, quotes, brackets and list
    // punctuation, never part of a value such as the `/` of a path.
    let separator = |b: &u8| b" \t()[]{},;=\"'|`".contains(b);
    let mut out = String::with_capacity(template.text.len());
    for gap in 0..=template.constants.len() {
        let text = first.gap(gap);
        if shapes.iter().all(|shape| shape.gap(gap) == text) {
            out.push_str(text);
        } else {
            let prefix = common_len(shapes.iter().map(|shape| shape.gap(gap).bytes()), separator);
            let suffix = common_len(
                shapes.iter().map(|shape| shape.gap(gap).bytes().rev()),
                separator,
            );
            let shortest = shapes
                .iter()
                .map(|shape| shape.gap(gap).len())
                .min()
                .unwrap_or(0);
            out.push_str(&text[..prefix]);
            if prefix == 0
                && !out.is_empty()
                && !out.ends_with(char::is_whitespace)
                && text.starts_with(char::is_whitespace)
            {
                out.push(' ');
            }
            push_wildcard(&mut out);
            if prefix + suffix <= shortest {
                out.push_str(&text[text.len() - suffix..]);
            } else if gap < template.constants.len() && text.ends_with(char::is_whitespace) {
                out.push(' ');
            }
        }
        if gap < template.constants.len() {
            if wildcards.binary_search(&gap).is_ok() {
                push_wildcard(&mut out);
            } else {
                out.push_str(template.constant(gap));
            }
        }
    }
    out
}

/// Appends `<*>` unless the text already ends with one (and spaces).
fn push_wildcard(out: &mut String) {
    if !out.trim_end().ends_with(WILDCARD) {
        out.push_str(WILDCARD);
    }
}

/// Length of the common prefix of all `texts` made only of bytes that pass `keep`.
fn common_len<'a, I, B>(mut texts: I, keep: impl Fn(&u8) -> bool) -> usize
where
    I: Iterator<Item = B>,
    B: Iterator<Item = u8> + Clone + 'a,
{
    let Some(first) = texts.next() else {
        return 0;
    };
    let mut len = first.clone().take_while(|b| keep(b)).count();
    for text in texts {
        len = first
            .clone()
            .zip(text)
            .take(len)
            .take_while(|(a, b)| a == b)
            .count();
    }
    len
}

fn find(parent: &mut [usize], mut node: usize) -> usize {
    while parent[node] != node {
        parent[node] = parent[parent[node]];
        node = parent[node];
    }
    node
}

fn hash_without(skeleton: &Skeleton<'_>, skip: usize) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for (index, word) in skeleton.iter().enumerate() {
        if index != skip {
            word.hash(&mut hasher);
        } else {
            0u8.hash(&mut hasher);
        }
    }
    hasher.finish()
}

fn equal_without(a: &Skeleton<'_>, b: &Skeleton<'_>, skip: usize) -> bool {
    a.iter()
        .zip(b)
        .enumerate()
        .all(|(index, (x, y))| index == skip || x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mines `(template, occurrences)` pairs; returns each one's mined template.
    fn mine(templates: &[(&str, u64)]) -> Vec<String> {
        let items: Vec<(&str, &str, u64)> = templates
            .iter()
            .map(|&(template, count)| ("", template, count))
            .collect();
        let mined = Miner::default().mine(&items);
        mined
            .assignment
            .iter()
            .map(|&c| mined.templates[c].clone())
            .collect()
    }

    /// `name: [(template, occurrences), ...] => [mined template of each, ...]`.
    macro_rules! mines {
        ($($name:ident: [$(($template:expr, $count:expr)),* $(,)?] => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let input = [$(($template, $count)),*];
                assert_eq!(mine(&input), $expected, "input {:?}", input);
            }
        )*};
    }

    mines! {
        variable_spans_of_any_length_merge: [
            ("<host> close, <num> bytes sent, lifetime <ts>", 1),
            ("<host> close, <num> bytes (<size>) sent, lifetime <<duration>", 1),
        ] => ["<host> close, <num> bytes <*> sent, lifetime <*>"; 2],
        three_words_in_a_rare_slot_merge: [
            ("session closed for user root now", 1),
            ("session closed for user alice now", 1),
            ("session closed for user bob now", 1),
        ] => ["session closed for user <*> now"; 3],
        a_slot_absorbs_the_template_with_a_value_there: [
            ("domain alpha is no longer served by node <id>", 1),
            ("domain beta is no longer served by node <id>", 1),
            ("domain gamma is no longer served by node <id>", 1),
            ("domain <id> is no longer served by node <id>", 1),
        ] => ["domain <*> is no longer served by node <id>"; 4],
        two_words_in_a_slot_stay_apart: [
            ("Location icon should now be in state Active", 1),
            ("Location icon should now be in state Inactive", 1),
        ] => [
            "Location icon should now be in state Active",
            "Location icon should now be in state Inactive",
        ],
        word_values_after_equals_merge: [
            ("auth failure for a b user=root", 1),
            ("auth failure for a b user=guest", 1),
            ("auth failure for a b user=test", 1),
        ] => ["auth failure for a b user=<*>"; 3],
        dotted_values_after_equals_merge: [
            ("acquire lock, flags, name=com.android.systemui, pid=<num>", 1),
            ("acquire lock, flags, name=com.tencent.mm, pid=<num>", 1),
            ("acquire lock, flags, name=org.example.app, pid=<num>", 1),
        ] => ["acquire lock, flags, name=<*>, pid=<num>"; 3],
        a_frequent_template_needs_more_words: [
            ("auth failure for a b user=root", 351),
            ("auth failure for a b user=guest", 17),
            ("auth failure for a b user=test", 4),
        ] => [
            "auth failure for a b user=root",
            "auth failure for a b user=guest",
            "auth failure for a b user=test",
        ],
        a_frequent_template_with_more_words_merges: [
            ("auth failure for a b user=root", 351),
            ("auth failure for a b user=guest", 17),
            ("auth failure for a b user=test", 4),
            ("auth failure for a b user=admin", 1),
        ] => ["auth failure for a b user=<*>"; 4],
        an_enumeration_stays_apart: [
            ("job <num> of the nightly batch Paused", 25),
            ("job <num> of the nightly batch Started", 30),
            ("job <num> of the nightly batch Stopped", 28),
        ] => [
            "job <num> of the nightly batch Paused",
            "job <num> of the nightly batch Started",
            "job <num> of the nightly batch Stopped",
        ],
        a_rare_word_makes_it_a_variable: [
            ("job <num> of the nightly batch ran by alice", 25),
            ("job <num> of the nightly batch ran by bob", 30),
            ("job <num> of the nightly batch ran by carol", 1),
        ] => ["job <num> of the nightly batch ran by <*>"; 3],
        words_with_digits_are_no_enumeration: [
            ("request sent to upstream pool shard_a1", 25),
            ("request sent to upstream pool shard_b2", 30),
            ("request sent to upstream pool shard_c3", 28),
        ] => ["request sent to upstream pool <*>"; 3],
        operation_names_before_a_pipe_stay_apart: [
            ("getUser|request done in <num> ms", 1),
            ("getOrder|request done in <num> ms", 1),
            ("getCart|request done in <num> ms", 1),
        ] => [
            "getUser|request done in <num> ms",
            "getOrder|request done in <num> ms",
            "getCart|request done in <num> ms",
        ],
        a_settings_dump_is_one_cluster: [
            ("Server environment:java.version=<num>.<num>", 1),
            ("Server environment:java.vendor=Oracle Corporation", 1),
            ("Server environment:os.name=Linux", 1),
            ("Server environment:user.dir=/tmp", 1),
        ] => ["Server environment:<*>"; 4],
        short_templates_never_merge: [
            ("VM Started", 1),
            ("VM Paused", 1),
            ("VM Stopped", 1),
        ] => ["VM Started", "VM Paused", "VM Stopped"],
        values_only_templates_stay_apart: [
            ("<num>", 1),
            ("<ip>", 1),
            ("<num> <num>", 1),
        ] => ["<num>", "<ip>", "<num> <num>"],
        shorter_skeletons_need_more_words: [
            ("Invalid user amy from <ip>", 1),
            ("Invalid user bob from <ip>", 1),
            ("Invalid user eve from <ip>", 1),
        ] => [
            "Invalid user amy from <ip>",
            "Invalid user bob from <ip>",
            "Invalid user eve from <ip>",
        ],
        shorter_skeletons_merge_with_enough_words: [
            ("Invalid user amy from <ip>", 1),
            ("Invalid user bob from <ip>", 1),
            ("Invalid user eve from <ip>", 1),
            ("Invalid user joe from <ip>", 1),
            ("Invalid user kim from <ip>", 1),
            ("Invalid user lee from <ip>", 1),
        ] => ["Invalid user <*> from <ip>"; 6],
        repeated_items_add_up: [
            ("auth failure for a b user=root", 300),
            ("auth failure for a b user=root", 51),
            ("auth failure for a b user=guest", 17),
            ("auth failure for a b user=test", 4),
        ] => [
            "auth failure for a b user=root",
            "auth failure for a b user=root",
            "auth failure for a b user=guest",
            "auth failure for a b user=test",
        ],
    }

    #[test]
    fn values_only_and_one_slot_inputs_stay_linear() {
        // 20,000 distinct messages made only of values, and 20,000 that
        // differ in one word: each is hashed a few times, never compared
        // with all the others.
        let values: Vec<String> = (0..20_000)
            .map(|i| format!("<num> {}", "<ip> ".repeat(i % 50)))
            .collect();
        let words: Vec<String> = (0..20_000)
            .map(|i| format!("session opened for user u{i:05}x by sshd"))
            .collect();
        let items: Vec<(&str, &str, u64)> = values
            .iter()
            .chain(&words)
            .map(|t| ("", t.as_str(), 1))
            .collect();
        let mined = Miner::default().mine(&items);
        assert_eq!(mined.templates.len(), 50 + 1);
        assert!(mined
            .templates
            .contains(&"session opened for user <*> by sshd".to_owned()));
    }

    #[test]
    fn input_order_does_not_matter() {
        let lines = [
            ("user a logged in now ok", 2),
            ("user b logged in now ok", 1),
            ("user c logged in now ok", 1),
            ("user <num> logged out now", 1),
            ("x y z", 1),
        ];
        let mut reversed = lines;
        reversed.reverse();
        let mut forward = mine(&lines);
        let mut backward = mine(&reversed);
        backward.reverse();
        assert_eq!(forward, backward);
        forward.sort();
        assert_eq!(forward[0], "user <*> logged in now ok");
    }
}
