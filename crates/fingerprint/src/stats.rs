//! Per-cluster statistics: exact where they can be, bounded where they must be,
//! and mergeable either way.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use gardener_log_model::{Event, Exception, PayloadKind, Severity};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::hash::{FastBuildHasher, Fnv1a};
use crate::Kind;

/// Distinct places (services, revisions, instances, ...) kept per cluster.
pub const MAX_PLACES: usize = 32;
/// Distinct variable values kept per cluster and kind.
pub const MAX_VALUES: usize = 16;
/// Bytes of the representative entry's JSON kept.
pub const MAX_REPRESENTATIVE_BYTES: usize = 16 * 1024;
/// How many frames of a representative's exception are kept, innermost
/// first.
pub const MAX_REPRESENTATIVE_FRAMES: usize = 50;

/// Counts of distinct values, keeping at most `cap` of them.
///
/// Counts saturate at `u64::MAX` instead of overflowing, here and in every
/// statistic of this module: a count read from a crafted state cannot make
/// a merge panic or wrap around.
///
/// Which values are kept does not depend on the order they arrive in, nor on
/// how the input was split: a value is kept when it is among the `cap` values
/// with the smallest (FNV-1a hash, value) of all values ever counted. Kept
/// counts are exact; [`total`](BoundedCounts::total) counts everything, so the
/// share of dropped values is known.
#[derive(Debug, Clone)]
pub struct BoundedCounts {
    cap: usize,
    /// Kept value → (rank, count). At most `cap` values (16 or 32 per
    /// cluster), looked up once per event for each statistic: the fast
    /// hasher, as so few keys leave nothing to flood.
    kept: HashMap<String, (u64, u64), FastBuildHasher>,
    /// The kept (rank, value) that goes first when a smaller one arrives;
    /// cached because most values of a full counter are rejected at once.
    largest: Option<(u64, String)>,
    total: u64,
    distinct_dropped: bool,
}

impl PartialEq for BoundedCounts {
    fn eq(&self, other: &Self) -> bool {
        self.cap == other.cap
            && self.total == other.total
            && self.distinct_dropped == other.distinct_dropped
            && self.kept == other.kept
    }
}

impl Eq for BoundedCounts {}

impl BoundedCounts {
    /// An empty counter keeping at most `cap` distinct values.
    pub fn new(cap: usize) -> BoundedCounts {
        BoundedCounts {
            cap,
            kept: HashMap::default(),
            largest: None,
            total: 0,
            distinct_dropped: false,
        }
    }

    fn rank(value: &str) -> u64 {
        let mut hasher = Fnv1a::new();
        hasher.write(value.as_bytes());
        hasher.finish()
    }

    /// Counts `value` `n` times.
    pub fn add(&mut self, value: &str, n: u64) {
        self.total = self.total.saturating_add(n);
        if let Some((_, count)) = self.kept.get_mut(value) {
            *count = count.saturating_add(n);
            return;
        }
        self.insert_new(BoundedCounts::rank(value), value, n);
    }

    fn update_largest(&mut self) {
        self.largest = self
            .kept
            .iter()
            .map(|(value, &(rank, _))| (rank, value))
            .max()
            .map(|(rank, value)| (rank, value.clone()));
    }

    fn insert_new(&mut self, rank: u64, value: &str, n: u64) {
        if self.kept.len() < self.cap {
            self.kept.insert(value.to_owned(), (rank, n));
            if self.kept.len() == self.cap {
                self.update_largest();
            }
            return;
        }
        self.distinct_dropped = true;
        let Some((largest_rank, largest_value)) = &self.largest else {
            return;
        };
        if (rank, value) < (*largest_rank, largest_value.as_str()) {
            let evicted = largest_value.clone();
            self.kept.remove(&evicted);
            self.kept.insert(value.to_owned(), (rank, n));
            self.update_largest();
        }
    }

    /// Adds another counter's counts.
    pub fn merge(&mut self, other: &BoundedCounts) {
        self.total = self.total.saturating_add(other.total);
        self.distinct_dropped |= other.distinct_dropped;
        for (value, &(rank, n)) in &other.kept {
            self.add_kept(rank, value, n);
        }
    }

    /// Counts `n` more of a value without touching the total.
    fn add_kept(&mut self, rank: u64, value: &str, n: u64) {
        if let Some((_, count)) = self.kept.get_mut(value) {
            *count = count.saturating_add(n);
        } else {
            self.insert_new(rank, value, n);
        }
    }

    /// How many values were counted in all.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Number of distinct values kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Whether some distinct values were not kept (the cap was hit).
    pub fn is_truncated(&self) -> bool {
        self.distinct_dropped
    }

    /// Kept values, most frequent first, ties by value.
    pub fn top(&self) -> Vec<(&str, u64)> {
        let mut values: Vec<(&str, u64)> = self.values().collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        values
    }

    /// Kept values in value order.
    pub fn values(&self) -> impl Iterator<Item = (&str, u64)> {
        let mut values: Vec<(&str, u64)> = self
            .kept
            .iter()
            .map(|(value, &(_, n))| (value.as_str(), n))
            .collect();
        values.sort_unstable();
        values.into_iter()
    }
}

#[derive(Serialize, Deserialize)]
struct BoundedCountsRepr {
    cap: usize,
    total: u64,
    truncated: bool,
    values: Vec<(String, u64)>,
}

impl Serialize for BoundedCounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        BoundedCountsRepr {
            cap: self.cap,
            total: self.total,
            truncated: self.distinct_dropped,
            values: self.values().map(|(v, n)| (v.to_owned(), n)).collect(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for BoundedCounts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let repr = BoundedCountsRepr::deserialize(deserializer)?;
        let mut counts = BoundedCounts::new(repr.cap);
        for (value, n) in repr.values {
            // A value listed twice is counted once, with both counts.
            counts.add_kept(BoundedCounts::rank(&value), &value, n);
        }
        counts.total = repr.total;
        counts.distinct_dropped = repr.truncated;
        Ok(counts)
    }
}

/// The entry chosen to stand for a cluster: the most severe, then the most
/// recent, then the smallest insertId and text (so the choice is the same
/// whatever the input order).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Representative {
    /// Its severity.
    pub severity: Severity,
    /// Its time.
    pub timestamp: Option<DateTime<Utc>>,
    /// Its insertId, empty if none.
    pub insert_id: String,
    /// The entry's JSON as read (cut at [`MAX_REPRESENTATIVE_BYTES`]).
    pub raw: String,
    /// Whether `raw` was cut.
    pub truncated: bool,
    /// The root-cause exception of its stack trace, as parsed when the entry
    /// was read (whole, even when `raw` was cut): message cut at
    /// [`MAX_REPRESENTATIVE_BYTES`], the innermost [`MAX_REPRESENTATIVE_FRAMES`] frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception: Option<Exception>,
    /// Its message as read (a re-joined trace's whole text), cut at
    /// [`MAX_REPRESENTATIVE_BYTES`]: what the masked template hides.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// Its one-line summary (`Type: message` of a trace, else the message's
    /// first line).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// Which payload its entry had.
    #[serde(default, skip_serializing_if = "is_no_payload")]
    pub payload: PayloadKind,
}

fn is_no_payload(payload: &PayloadKind) -> bool {
    *payload == PayloadKind::None
}

/// The root cause of an event's stack trace, bounded for keeping.
/// Makes `text` a copy of `new`, in its own buffer when that is large enough.
fn replace_text(text: &mut String, new: &str) {
    text.clear();
    text.push_str(new);
}

fn representative_exception(event: &Event<'_>) -> Option<Exception> {
    let root = event.stack_trace.as_ref()?.root_cause();
    let skip = root.frames.len().saturating_sub(MAX_REPRESENTATIVE_FRAMES);
    Some(Exception {
        kind: truncate(&root.kind, MAX_REPRESENTATIVE_BYTES).to_owned(),
        message: truncate(&root.message, MAX_REPRESENTATIVE_BYTES).to_owned(),
        frames: root.frames[skip..].to_vec(),
    })
}

impl Representative {
    fn better_than(&self, other: &Representative) -> bool {
        (
            self.severity,
            self.timestamp,
            std::cmp::Reverse(&self.insert_id),
            std::cmp::Reverse(&self.raw),
        ) > (
            other.severity,
            other.timestamp,
            std::cmp::Reverse(&other.insert_id),
            std::cmp::Reverse(&other.raw),
        )
    }
}

/// Latency of the requests of a cluster, in whole microseconds so that
/// merging is exact (floating-point sums would depend on the merge order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latency {
    /// Requests with a latency.
    pub count: u64,
    /// Sum of latencies, microseconds.
    pub total_micros: u64,
    /// Smallest latency, microseconds.
    pub min_micros: u64,
    /// Largest latency, microseconds.
    pub max_micros: u64,
}

impl Latency {
    fn add(&mut self, seconds: f64) {
        let micros = (seconds.max(0.0) * 1e6).round() as u64;
        self.merge(&Latency {
            count: 1,
            total_micros: micros,
            min_micros: micros,
            max_micros: micros,
        });
    }

    fn merge(&mut self, other: &Latency) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *other;
            return;
        }
        self.count = self.count.saturating_add(other.count);
        self.total_micros = self.total_micros.saturating_add(other.total_micros);
        self.min_micros = self.min_micros.min(other.min_micros);
        self.max_micros = self.max_micros.max(other.max_micros);
    }

    /// Mean latency in seconds, if any request had one.
    pub fn mean_seconds(&self) -> Option<f64> {
        (self.count > 0).then(|| self.total_micros as f64 / 1e6 / self.count as f64)
    }

    /// Smallest latency in seconds, if any.
    pub fn min_seconds(&self) -> Option<f64> {
        (self.count > 0).then(|| self.min_micros as f64 / 1e6)
    }

    /// Largest latency in seconds, if any.
    pub fn max_seconds(&self) -> Option<f64> {
        (self.count > 0).then(|| self.max_micros as f64 / 1e6)
    }
}

/// Everything known about one cluster's entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterStats {
    /// Number of entries.
    pub count: u64,
    /// Earliest timestamp.
    pub first_seen: Option<DateTime<Utc>>,
    /// Latest timestamp.
    pub last_seen: Option<DateTime<Utc>>,
    /// Entries per severity.
    pub severities: BTreeMap<Severity, u64>,
    /// Services.
    pub services: BoundedCounts,
    /// Revisions.
    pub revisions: BoundedCounts,
    /// Instances.
    pub instances: BoundedCounts,
    /// Call sites, `module:function:line`.
    pub call_sites: BoundedCounts,
    /// Log names (`run.googleapis.com/stderr`, ...).
    pub log_names: BoundedCounts,
    /// HTTP statuses.
    pub statuses: BoundedCounts,
    /// Error Reporting group ids.
    pub error_groups: BoundedCounts,
    /// Variable values of the message, per kind.
    pub values: BTreeMap<Kind, BoundedCounts>,
    /// Request latency.
    pub latency: Latency,
    /// The entry that stands for the cluster.
    pub representative: Option<Representative>,
}

impl Default for ClusterStats {
    fn default() -> Self {
        ClusterStats {
            count: 0,
            first_seen: None,
            last_seen: None,
            severities: BTreeMap::new(),
            services: BoundedCounts::new(MAX_PLACES),
            revisions: BoundedCounts::new(MAX_PLACES),
            instances: BoundedCounts::new(MAX_PLACES),
            call_sites: BoundedCounts::new(MAX_PLACES),
            log_names: BoundedCounts::new(MAX_PLACES),
            statuses: BoundedCounts::new(MAX_PLACES),
            error_groups: BoundedCounts::new(MAX_PLACES),
            values: BTreeMap::new(),
            latency: Latency::default(),
            representative: None,
        }
    }
}

fn min_time(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A number's decimal digits, written without allocating (statuses and line
/// numbers are counted once per event).
struct Decimal {
    /// `i64::MIN` has 19 digits and a sign.
    digits: [u8; 20],
    start: usize,
}

impl Decimal {
    fn new(number: i64) -> Decimal {
        let mut digits = [b'0'; 20];
        let mut start = digits.len();
        let mut n = number.unsigned_abs();
        loop {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if number < 0 {
            start -= 1;
            digits[start] = b'-';
        }
        Decimal { digits, start }
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits were written.
        std::str::from_utf8(&self.digits[self.start..]).unwrap_or_default()
    }
}

impl ClusterStats {
    /// Counts one event. `raw` is its JSON; `values` the variable values of its message.
    pub fn observe(&mut self, event: &Event<'_>, raw: &str, values: &[(Kind, String)]) {
        self.count = self.count.saturating_add(1);
        self.first_seen = min_time(self.first_seen, event.timestamp);
        self.last_seen = self.last_seen.max(event.timestamp);
        add_severity(&mut self.severities, event.severity, 1);
        if let Some(service) = &event.service {
            self.services.add(service, 1);
        }
        if let Some(revision) = &event.revision {
            self.revisions.add(revision, 1);
        }
        if let Some(instance) = &event.instance {
            self.instances.add(instance, 1);
        }
        if let Some(log_name) = &event.log_name {
            self.log_names.add(log_name, 1);
        }
        if let Some(site) = &event.call_site {
            let module = site.module.as_deref().unwrap_or_default();
            let function = site.function.as_deref();
            // One allocation: the line's digits go in without their own String.
            let mut text =
                String::with_capacity(module.len() + function.map_or(0, str::len) + 1 + 21);
            text.push_str(module);
            if let Some(function) = function {
                text.push(':');
                text.push_str(function);
            }
            if let Some(line) = site.line {
                text.push(':');
                text.push_str(Decimal::new(line).as_str());
            }
            self.call_sites.add(&text, 1);
        }
        if let Some(http) = &event.http {
            if let Some(status) = http.status {
                self.statuses
                    .add(Decimal::new(i64::from(status)).as_str(), 1);
            }
            if let Some(latency) = http.latency_seconds {
                self.latency.add(latency);
            }
        }
        for group in &event.error_groups {
            self.error_groups.add(group, 1);
        }
        for (kind, value) in values {
            self.values
                .entry(*kind)
                .or_insert_with(|| BoundedCounts::new(MAX_VALUES))
                .add(value, 1);
        }
        let cut = truncate(raw, MAX_REPRESENTATIVE_BYTES);
        let insert_id = event.insert_id.as_deref().unwrap_or_default();
        // Compare borrowed first: most events do not replace the representative.
        let beats = self.representative.as_ref().is_none_or(|current| {
            (
                event.severity,
                event.timestamp,
                std::cmp::Reverse(insert_id),
                std::cmp::Reverse(cut),
            ) > (
                current.severity,
                current.timestamp,
                std::cmp::Reverse(current.insert_id.as_str()),
                std::cmp::Reverse(current.raw.as_str()),
            )
        });
        if beats {
            // In time order every later event of the same severity beats the
            // last one: the representative is rewritten in its own buffers
            // rather than allocated anew each time.
            let representative = self.representative.get_or_insert_with(|| Representative {
                severity: event.severity,
                timestamp: event.timestamp,
                insert_id: String::new(),
                raw: String::new(),
                truncated: false,
                exception: None,
                message: String::new(),
                summary: String::new(),
                payload: event.payload,
            });
            representative.severity = event.severity;
            representative.timestamp = event.timestamp;
            replace_text(&mut representative.insert_id, insert_id);
            replace_text(&mut representative.raw, cut);
            representative.truncated = cut.len() < raw.len();
            representative.exception = representative_exception(event);
            replace_text(
                &mut representative.message,
                truncate(&event.message, MAX_REPRESENTATIVE_BYTES),
            );
            replace_text(
                &mut representative.summary,
                truncate(&event.summary(), MAX_REPRESENTATIVE_BYTES),
            );
            representative.payload = event.payload;
        }
    }

    fn offer_representative(&mut self, candidate: Representative) {
        let replace = match &self.representative {
            Some(current) => candidate.better_than(current),
            None => true,
        };
        if replace {
            self.representative = Some(candidate);
        }
    }

    /// Adds another cluster's statistics.
    pub fn merge(&mut self, other: &ClusterStats) {
        self.count = self.count.saturating_add(other.count);
        self.first_seen = min_time(self.first_seen, other.first_seen);
        self.last_seen = self.last_seen.max(other.last_seen);
        for (&severity, &n) in &other.severities {
            add_severity(&mut self.severities, severity, n);
        }
        self.services.merge(&other.services);
        self.revisions.merge(&other.revisions);
        self.instances.merge(&other.instances);
        self.call_sites.merge(&other.call_sites);
        self.log_names.merge(&other.log_names);
        self.statuses.merge(&other.statuses);
        self.error_groups.merge(&other.error_groups);
        for (kind, counts) in &other.values {
            self.values
                .entry(*kind)
                .or_insert_with(|| BoundedCounts::new(MAX_VALUES))
                .merge(counts);
        }
        self.latency.merge(&other.latency);
        if let Some(candidate) = &other.representative {
            self.offer_representative(candidate.clone());
        }
    }

    /// The highest severity seen.
    pub fn max_severity(&self) -> Severity {
        self.severities
            .keys()
            .next_back()
            .copied()
            .unwrap_or_default()
    }

    /// Entries of `severity` or above.
    pub fn count_at_least(&self, severity: Severity) -> u64 {
        self.severities
            .range(severity..)
            .fold(0, |sum, (_, &n)| sum.saturating_add(n))
    }
}

fn add_severity(severities: &mut BTreeMap<Severity, u64>, severity: Severity, n: u64) {
    let count = severities.entry(severity).or_default();
    *count = count.saturating_add(n);
}

/// `text` cut to at most `max` bytes, at a character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_writes_what_to_string_writes() {
        for n in [0, 7, 10, 404, 65_535, -1, -42, i64::MAX, i64::MIN] {
            assert_eq!(super::Decimal::new(n).as_str(), n.to_string());
        }
    }

    use super::*;

    #[test]
    fn bounded_counts_keep_the_same_values_in_any_order() {
        let values: Vec<String> = (0..100).map(|i| format!("value-{i}")).collect();
        let mut forward = BoundedCounts::new(5);
        let mut backward = BoundedCounts::new(5);
        for value in &values {
            forward.add(value, 1);
        }
        for value in values.iter().rev() {
            backward.add(value, 1);
        }
        assert_eq!(forward, backward);
        assert_eq!(forward.len(), 5);
        assert_eq!(forward.total(), 100);
        assert!(forward.is_truncated());
    }

    #[test]
    fn bounded_counts_round_trip_through_json() {
        let mut counts = BoundedCounts::new(3);
        for value in ["a", "b", "c", "d", "a"] {
            counts.add(value, 1);
        }
        let json = serde_json::to_string(&counts).unwrap();
        let back: BoundedCounts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, counts);
    }
}
