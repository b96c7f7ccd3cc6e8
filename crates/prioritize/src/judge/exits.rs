//! Exits: a clean `exit(0)` is routine, one non-zero exit on one instance
//! is worth a look, many across instances are a crash loop.
//!
//! Each entry is one exit. The exit code is the number right after the exit
//! phrase; other numbers in the line (a process id, a timestamp) are not
//! exits and are never counted as such.

use gardener_fingerprint::Kind;

use super::{
    across_instances, find_phrase, judged, known_instances, on_instances, Facts, Judgment,
};
use crate::{Category, Priority, Rules};

/// The exit codes of a cluster's entries.
struct ExitCodes {
    /// `(code, entries)`, by code.
    counts: Vec<(i64, u64)>,
    /// Whether each entry's code is known; otherwise all are taken to have
    /// the representative entry's code.
    exact: bool,
}

impl ExitCodes {
    fn non_zero(&self) -> u64 {
        self.counts
            .iter()
            .filter(|(code, _)| *code != 0)
            .map(|(_, n)| n)
            .sum()
    }

    /// `code 3`, `codes 1 ×2, 3 ×4`, `code 3 (read from the representative entry)`.
    fn describe(&self) -> String {
        let non_zero: Vec<&(i64, u64)> =
            self.counts.iter().filter(|(code, _)| *code != 0).collect();
        let text = match non_zero.as_slice() {
            [(code, _)] => format!("code {code}"),
            codes => format!(
                "codes {}",
                codes
                    .iter()
                    .map(|(code, n)| format!("{code} ×{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        if self.exact {
            text
        } else {
            format!("{text} (read from the representative entry)")
        }
    }
}

/// The number right after an exit phrase in `message`.
fn code_after_phrase(message: &str, phrases: &[String]) -> Option<i64> {
    let lower = message.to_lowercase();
    phrases.iter().find_map(|phrase| {
        let phrase = phrase.to_lowercase();
        let start = lower.find(&phrase)? + phrase.len();
        let rest = lower[start..].trim_start_matches([' ', ':', '=']);
        let sign = usize::from(rest.starts_with('-'));
        let digits = rest[sign..].bytes().take_while(u8::is_ascii_digit).count();
        rest[..sign + digits].parse().ok()
    })
}

fn exit_codes(rules: &Rules, facts: &Facts<'_>) -> Option<ExitCodes> {
    let stats = facts.stats();
    // With one number in the line, the values recorded for it are the codes,
    // one per entry.
    if facts.title.matches(Kind::Number.placeholder()).count() == 1 {
        if let Some(values) = stats.values.get(&Kind::Number) {
            if !values.is_truncated() && values.total() == stats.count {
                let counts: Option<Vec<(i64, u64)>> = values
                    .values()
                    .map(|(code, n)| Some((code.parse().ok()?, n)))
                    .collect();
                if let Some(counts) = counts {
                    return Some(ExitCodes {
                        counts,
                        exact: true,
                    });
                }
            }
        }
    }
    // The title may show the code itself (no placeholder where it stands).
    let code = code_after_phrase(&facts.title, &rules.exit_phrases).or_else(|| {
        code_after_phrase(
            facts.representative_message.as_deref()?,
            &rules.exit_phrases,
        )
    })?;
    let exact = code_after_phrase(&facts.title, &rules.exit_phrases).is_some();
    Some(ExitCodes {
        counts: vec![(code, stats.count)],
        exact,
    })
}

/// Judges a cluster of exits, if it is one.
pub(super) fn judge_exits(rules: &Rules, facts: &Facts<'_>) -> Option<Judgment> {
    find_phrase(&facts.message_text, &rules.exit_phrases)?;
    let codes = exit_codes(rules, facts)?;
    let stats = facts.stats();
    let exits = |n: u64| {
        if n == 1 {
            "1 exit".to_owned()
        } else {
            format!("{n} exits")
        }
    };
    let non_zero = codes.non_zero();
    if non_zero == 0 {
        return Some(judged(
            Category::Noise,
            Priority::P4,
            format!(
                "{} with code 0: processes ended cleanly",
                exits(stats.count)
            ),
        ));
    }
    let instances = on_instances(stats);
    let what = format!("{} with {} {instances}", exits(non_zero), codes.describe());
    let loop_instances = known_instances(stats).is_none_or(|n| n >= rules.crash_loop_min_instances);
    if non_zero >= rules.crash_loop_min_exits && loop_instances {
        return Some(judged(
            Category::CrashLoop,
            Priority::P0,
            format!("{what}: containers keep crashing"),
        ));
    }
    if across_instances(stats, 2) {
        return Some(judged(
            Category::UnexpectedExit,
            Priority::P1,
            format!("{what}: more than one instance crashed"),
        ));
    }
    if non_zero >= rules.crash_loop_min_exits {
        return Some(judged(
            Category::UnexpectedExit,
            Priority::P1,
            format!("{what}: it keeps crashing there"),
        ));
    }
    Some(judged(
        Category::UnexpectedExit,
        Priority::P2,
        format!("{what}: not an outage by itself; read the lines before it"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_the_number_after_the_phrase() {
        let phrases = Rules::default().exit_phrases;
        let code = |line: &str| code_after_phrase(line, &phrases);
        assert_eq!(code("Container called exit(3)."), Some(3));
        assert_eq!(
            code("[2025-09-15 00:27:07 +0000] [1] [ERROR] Worker (pid:11) exited with code 3"),
            Some(3)
        );
        assert_eq!(code("process exited with code -9"), Some(-9));
        assert_eq!(code("exit status: 137"), Some(137));
        assert_eq!(code("exited with code"), None);
    }
}
