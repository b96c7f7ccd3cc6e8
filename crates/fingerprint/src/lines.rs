//! Clustering plain log lines, one message per line.

use std::sync::Arc;

use crate::clusterer::Interner;
use crate::key::KeyBuilder;
use crate::{Masker, Miner};

/// Clusters plain text lines: the clustering core without Cloud Logging.
///
/// Memory holds each distinct masked template once, plus one `u32` per line
/// for the assignment that [`finish`](LineClusterer::finish) returns.
///
/// ```
/// use gardener_fingerprint::{LineClusterer, Masker, Miner};
/// let mut clusterer = LineClusterer::new(Masker::new());
/// for line in [
///     "disk 1 full",
///     "disk 2 full",
///     "session opened for user bob by sshd",
///     "session opened for user amy by sshd",
///     "session opened for user eve by sshd",
/// ] {
///     clusterer.push(line);
/// }
/// let result = clusterer.finish(&Miner::default());
/// assert_eq!(result.cluster_of_line, [0, 0, 1, 1, 1]);
/// assert_eq!(result.templates, ["disk <num> full", "session opened for user <*> by sshd"]);
/// ```
#[derive(Debug)]
pub struct LineClusterer {
    masker: Masker,
    scratch: KeyBuilder,
    template: String,
    templates: Interner<Arc<str>>,
}

/// The clusters of a [`LineClusterer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineClusters {
    /// Cluster index of each line, in input order.
    pub cluster_of_line: Vec<usize>,
    /// Final template of each cluster, sorted.
    pub templates: Vec<String>,
}

impl LineClusterer {
    /// A clusterer using `masker`.
    pub fn new(masker: Masker) -> LineClusterer {
        LineClusterer {
            masker,
            scratch: KeyBuilder::default(),
            template: String::new(),
            templates: Interner::default(),
        }
    }

    /// Adds one line; returns its masked template.
    pub fn push(&mut self, line: &str) -> &str {
        self.scratch
            .template_into(&self.masker, line, &mut self.template);
        let id = self
            .templates
            .intern(self.template.as_str(), |template| Arc::from(template));
        self.templates.record(id);
        &self.templates.keys[id as usize]
    }

    /// Appends the lines `other` clustered after this one's, as if they had
    /// been pushed here in that order: the same templates, numbered alike, and
    /// so the same clusters from [`finish`](LineClusterer::finish). This is
    /// how a file is clustered on several threads: each clusters a contiguous
    /// share of the lines, and the shares are appended in input order. Both
    /// clusterers should use the same masker; the templates `other` made are
    /// kept as they are.
    ///
    /// ```
    /// use gardener_fingerprint::{LineClusterer, Masker, Miner};
    /// let lines = ["disk 1 full", "disk 2 full", "user bob logged in", "disk 3 full"];
    /// let [mut whole, mut first, mut second] = [(); 3].map(|_| LineClusterer::new(Masker::new()));
    /// lines.iter().for_each(|line| { whole.push(line); });
    /// lines[..1].iter().for_each(|line| { first.push(line); });
    /// lines[1..].iter().for_each(|line| { second.push(line); });
    /// first.append(second);
    /// assert_eq!(first.finish(&Miner::default()), whole.finish(&Miner::default()));
    /// ```
    pub fn append(&mut self, other: LineClusterer) {
        let renumbered: Vec<u32> = other
            .templates
            .keys
            .iter()
            .map(|template| self.templates.intern(&**template, |_| Arc::clone(template)))
            .collect();
        self.templates.sequence.extend(
            other
                .templates
                .sequence
                .iter()
                .map(|&id| renumbered[id as usize]),
        );
    }

    /// Number of distinct masked templates so far.
    pub fn distinct_templates(&self) -> usize {
        self.templates.keys.len()
    }

    /// Mines the templates and assigns every line its cluster.
    pub fn finish(self, miner: &Miner) -> LineClusters {
        let mut occurrences = vec![0u64; self.templates.keys.len()];
        for &id in &self.templates.sequence {
            occurrences[id as usize] += 1;
        }
        let items: Vec<(&str, &str, u64)> = self
            .templates
            .keys
            .iter()
            .zip(occurrences)
            .map(|(t, count)| ("", &**t, count))
            .collect();
        let mined = miner.mine(&items);
        LineClusters {
            cluster_of_line: self
                .templates
                .sequence
                .iter()
                .map(|&id| mined.assignment[id as usize])
                .collect(),
            templates: mined.templates,
        }
    }
}
