//! Clustering plain log lines, one message per line.

use std::collections::HashMap;

use crate::key::KeyScratch;
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
    scratch: KeyScratch,
    template_ids: HashMap<String, u32>,
    templates: Vec<String>,
    line_templates: Vec<u32>,
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
            scratch: KeyScratch::default(),
            template_ids: HashMap::new(),
            templates: Vec::new(),
            line_templates: Vec::new(),
        }
    }

    /// Adds one line; returns its masked template.
    pub fn push(&mut self, line: &str) -> &str {
        let template = self.scratch.template(&self.masker, line);
        let next = self.templates.len() as u32;
        let id = *self
            .template_ids
            .entry(template)
            .or_insert_with_key(|template| {
                self.templates.push(template.clone());
                next
            });
        self.line_templates.push(id);
        &self.templates[id as usize]
    }

    /// Number of distinct masked templates so far.
    pub fn distinct_templates(&self) -> usize {
        self.templates.len()
    }

    /// Mines the templates and assigns every line its cluster.
    pub fn finish(self, miner: &Miner) -> LineClusters {
        let items: Vec<(&str, &str)> = self.templates.iter().map(|t| ("", t.as_str())).collect();
        let mined = miner.mine(&items);
        LineClusters {
            cluster_of_line: self
                .line_templates
                .iter()
                .map(|&id| mined.assignment[id as usize])
                .collect(),
            templates: mined.templates,
        }
    }
}
