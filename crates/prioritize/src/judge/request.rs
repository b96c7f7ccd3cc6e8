//! Judging by status codes: request logs by their HTTP status, audit and API
//! entries by their gRPC code, application entries by the HTTP status of
//! the request they carry.

use gardener_log_model::{PayloadKind, Severity};

use super::{judged, Facts, Judgment};
use crate::{Category, Priority, Rules, RunContext};

/// What a 4xx status names, and its priority on a request log: the
/// service refused a client, which is the client's problem unless many do.
fn client_status(status: u16) -> (Category, Priority) {
    match status {
        401 => (Category::AuthFailure, Priority::P3),
        403 => (Category::PermissionDenied, Priority::P3),
        404 | 410 => (Category::NotFound, Priority::P3),
        408 => (Category::Timeout, Priority::P3),
        // Clients are refused for load: the service's capacity or limits.
        429 => (Category::QuotaExceeded, Priority::P2),
        _ => (Category::ClientError, Priority::P3),
    }
}

/// A request log cluster: one endpoint and status.
pub(super) fn judge_request(
    rules: &Rules,
    facts: &Facts<'_>,
    context: &RunContext,
    (service, method, path): (&String, &String, &String),
    status: u16,
) -> Judgment {
    let count = facts.stats().count;
    let total = context
        .endpoint_requests
        .get(&(service.clone(), method.clone(), path.clone()))
        .copied()
        .unwrap_or(count)
        .max(count);
    let share = count as f64 / total as f64;
    let endpoint = format!("{method} {path}");
    let of_total = format!("{count} of {total} requests ({:.0}%)", share * 100.0);
    let is_health_check = rules
        .health_check_paths
        .iter()
        .any(|prefix| path.starts_with(prefix.as_str()));
    if status >= 500 {
        // Cloud Run answers 504 when a request outlives its timeout.
        let category = if status == 504 {
            Category::Timeout
        } else {
            Category::ServerError
        };
        let reason = format!("HTTP {status} on {endpoint}: {of_total} failed");
        if share >= rules.endpoint_down_share && count >= rules.endpoint_down_min_requests {
            return judged(
                category,
                Priority::P0,
                format!("{reason}: the endpoint is down"),
            );
        }
        return judged(category, Priority::P1, reason);
    }
    if status >= 400 && is_health_check {
        return judged(
            Category::Readiness,
            Priority::P1,
            format!("health check {endpoint} answered {status}: the probe fails (a wrong path or a failing check)"),
        );
    }
    if status >= 400 {
        let (category, priority) = client_status(status);
        return judged(
            category,
            priority,
            format!("HTTP {status} on {endpoint}: {of_total}; the service refused the client"),
        );
    }
    if status == 0 {
        return judged(
            Category::Noise,
            Priority::P4,
            format!("requests to {endpoint} without a status"),
        );
    }
    if is_health_check {
        return judged(
            Category::Noise,
            Priority::P4,
            format!("health check {endpoint} answered {status}"),
        );
    }
    judged(
        Category::Noise,
        Priority::P4,
        format!("successful requests to {endpoint} ({status})"),
    )
}

/// `google.rpc.Code` names (as audit entries and API errors print them,
/// see `Event`), with what they name and the priority at ERROR and below.
const GRPC_CODES: [(&str, Category, [Priority; 2]); 15] = {
    use Category::*;
    use Priority::{P1, P2, P3};
    [
        ("permission_denied", PermissionDenied, [P2, P3]),
        ("unauthenticated", AuthFailure, [P2, P3]),
        ("not_found", NotFound, [P2, P3]),
        ("resource_exhausted", QuotaExceeded, [P1, P2]),
        ("deadline_exceeded", Timeout, [P1, P2]),
        ("unavailable", DependencyFailure, [P1, P2]),
        ("data_loss", DataIntegrity, [P1, P2]),
        ("internal", ServerError, [P2, P3]),
        ("unknown", ServerError, [P2, P3]),
        ("invalid_argument", ClientError, [P3, P3]),
        ("failed_precondition", ClientError, [P3, P3]),
        ("out_of_range", ClientError, [P3, P3]),
        ("already_exists", ClientError, [P3, P3]),
        ("aborted", ClientError, [P3, P3]),
        ("unimplemented", ClientError, [P3, P3]),
    ]
};

/// Audit and API entries by their gRPC code; application entries that
/// carry a request by its status.
pub(super) fn judge_status_codes(facts: &Facts<'_>) -> Option<Judgment> {
    let at = usize::from(facts.severity < Severity::Error);
    if let Some((name, category, priorities)) = grpc_code_in(facts) {
        return Some(judged(
            category,
            priorities[at],
            format!("status {} {}", name.to_uppercase(), facts.level()),
        ));
    }
    let stats = facts.stats();
    let statuses = &stats.statuses;
    if statuses.total() * 2 <= stats.count {
        return None;
    }
    let (status, n) = statuses.top().into_iter().next()?;
    let status: u16 = status.parse().ok()?;
    if !(400..500).contains(&status) || n * 2 <= statuses.total() {
        return None;
    }
    let (category, priority) = client_status(status);
    let priority = if facts.severity >= Severity::Error {
        priority.raised()
    } else {
        priority
    };
    Some(judged(
        category,
        priority,
        format!(
            "{n} of {} entries carry a request answered {status} ({})",
            stats.count,
            facts.level()
        ),
    ))
}

/// A gRPC code the entry's own text names as an upper-case word of its own
/// (`storage.objects.get: PERMISSION_DENIED`). A code of one plain word
/// (`UNAVAILABLE`, `INTERNAL`, `UNKNOWN`) counts only in an audit or API
/// entry or right before a colon (`14 UNAVAILABLE: no connection`), since
/// `state UNKNOWN` is an ordinary word.
fn grpc_code_in(facts: &Facts<'_>) -> Option<(&'static str, Category, [Priority; 2])> {
    let from_api = facts.representative_payload == Some(PayloadKind::Proto);
    let first_line = facts
        .representative_message
        .as_deref()
        .and_then(|message| message.lines().next());
    [facts.title.as_str()]
        .into_iter()
        .chain(first_line)
        .find_map(|text| {
            let mut words =
                text.split_inclusive(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            words.find_map(|piece| {
                let word =
                    piece.trim_end_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
                let before_colon = piece.ends_with(':');
                let upper = word.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
                let distinct = word.contains('_') || from_api || before_colon;
                if !upper || !distinct {
                    return None;
                }
                GRPC_CODES
                    .iter()
                    .find(|(name, ..)| name.eq_ignore_ascii_case(word))
                    .copied()
            })
        })
}

/// Most of a cluster's entries carry a request answered with a 5xx.
pub(super) fn server_error_share(facts: &Facts<'_>) -> Option<Judgment> {
    let stats = facts.stats();
    let server_errors: u64 = stats
        .statuses
        .values()
        .filter(|(status, _)| status.starts_with('5'))
        .map(|(_, n)| n)
        .sum();
    (server_errors * 2 > stats.count).then(|| {
        judged(
            Category::ServerError,
            Priority::P1,
            format!(
                "{server_errors} of {} entries carry a request answered with a 5xx status",
                stats.count
            ),
        )
    })
}
