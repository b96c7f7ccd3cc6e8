//! The normalized view of a log entry that grouping and scoring work on.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::entry::{HttpRequest, LogEntry, Operation, ProtoPayload, Split};
use crate::lenient::Text;
use crate::{Severity, StackTrace};

mod payload;
mod placement;
mod values;

use payload::PayloadParts;
use placement::{Labels, Placement};
use values::{decode_log_name, project_of_log_name};
pub(crate) use values::{parse_duration_seconds, parse_timestamp};

/// A log entry reduced to what matters for triage: when, how bad, where, what.
///
/// Built from a [`LogEntry`] by [`Event::from_entry`], whatever shape the entry
/// had (text, structured, request log, audit log). Borrows from the entry's
/// input where it can; [`Event::into_owned`] detaches it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Event<'a> {
    /// The entry's insertId (or the payload's `logging.googleapis.com/insertId`).
    pub insert_id: Option<Cow<'a, str>>,
    /// When the event happened: `timestamp`, else `receiveTimestamp`, else a
    /// time inside the payload (`timestamp`, `time`, `timestampSeconds` +
    /// `timestampNanos`, `eventTime`).
    pub timestamp: Option<DateTime<Utc>>,
    /// Severity: the level the payload or the line itself states when the
    /// entry's severity is one a platform assigns by output stream (`DEFAULT`,
    /// `INFO`, `ERROR`; see [`Severity::stated_in`]), else the entry's.
    pub severity: Severity,
    /// The severity the entry carried (`DEFAULT` when it had none), before a
    /// stated level replaced it.
    pub entry_severity: Severity,
    /// The monitored resource type (`cloud_run_revision`, ...).
    pub resource_type: Option<Cow<'a, str>>,
    /// Service, job, function, container or App Engine module.
    pub service: Option<Cow<'a, str>>,
    /// Revision, version or execution.
    pub revision: Option<Cow<'a, str>>,
    /// Instance, pod or task.
    pub instance: Option<Cow<'a, str>>,
    /// The LOG_ID, decoded: `run.googleapis.com/stderr`.
    pub log_name: Option<Cow<'a, str>>,
    /// The human-readable message (for request logs: `METHOD path status`).
    pub message: Cow<'a, str>,
    /// Where in the code the entry was written.
    pub call_site: Option<CallSite<'a>>,
    /// The HTTP request, on request logs (and error reports that carry one).
    pub http: Option<HttpInfo<'a>>,
    /// A stack trace found in the payload or message.
    pub stack_trace: Option<StackTrace>,
    /// Error Reporting group ids.
    pub error_groups: Vec<Cow<'a, str>>,
    /// The Cloud Trace the entry belongs to: `projects/P/traces/ID` (not a
    /// stack trace: that is [`stack_trace`](Event::stack_trace)).
    pub trace_id: Option<Cow<'a, str>>,
    /// The project, from `logName` or the resource's `project_id`.
    pub project: Option<Cow<'a, str>>,
    /// Region or zone (`location`, `region`, `zone` resource labels).
    pub location: Option<Cow<'a, str>>,
    /// Span id: 16 hex digits per spec, decimal on some platforms.
    pub span_id: Option<Cow<'a, str>>,
    /// Whether the trace was sampled.
    pub trace_sampled: Option<bool>,
    /// The long-running operation the entry belongs to.
    pub operation: Option<OperationInfo<'a>>,
    /// Set when Cloud Logging split a large entry into parts.
    pub split: Option<SplitInfo<'a>>,
    /// Which payload the entry had.
    pub payload: PayloadKind,
    /// The payload is an Error Reporting event (a ReportedErrorEvent `@type`,
    /// a `serviceContext`, or an Error Reporting `errorEvent`): Error Reporting
    /// counts it as an error even without a stack trace.
    pub reported_error: bool,
    /// When the event was joined from several entries (a stack trace that
    /// Cloud Run logged one line per entry, see [`TraceJoiner`](crate::TraceJoiner)):
    /// the insertIds of all of them, oldest line first. Empty otherwise.
    pub joined_insert_ids: Vec<Cow<'a, str>>,
}

/// Which payload a log entry had.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum PayloadKind {
    /// No payload (a Cloud Run request log).
    #[default]
    None,
    /// `textPayload`.
    Text,
    /// `jsonPayload`.
    Json,
    /// `protoPayload`.
    Proto,
}

/// The code location of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallSite<'a> {
    /// Module, logger or file.
    pub module: Option<Cow<'a, str>>,
    /// Function.
    pub function: Option<Cow<'a, str>>,
    /// Line number (shown, never grouped on).
    pub line: Option<i64>,
}

/// The HTTP part of a request log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HttpInfo<'a> {
    /// Request method.
    pub method: Option<Cow<'a, str>>,
    /// The full URL (for App Engine request logs: the path and query).
    pub url: Option<Cow<'a, str>>,
    /// Response status.
    pub status: Option<u16>,
    /// Latency in seconds (from the Duration string `"0.783137066s"`).
    pub latency_seconds: Option<f64>,
    /// User agent.
    pub user_agent: Option<Cow<'a, str>>,
    /// Client IP, possibly with a port.
    pub remote_ip: Option<Cow<'a, str>>,
    /// Request size in bytes.
    pub request_size: Option<i64>,
    /// Response size in bytes.
    pub response_size: Option<i64>,
    /// `HTTP/1.1`, `HTTP/2`, `websocket`, ...
    pub protocol: Option<Cow<'a, str>>,
    /// Referer header.
    pub referer: Option<Cow<'a, str>>,
    /// Server IP.
    pub server_ip: Option<Cow<'a, str>>,
}

/// `operation`: the long-running operation an entry belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationInfo<'a> {
    /// Operation id.
    pub id: Option<Cow<'a, str>>,
    /// Producer, e.g. `appengine.googleapis.com/request_id`.
    pub producer: Option<Cow<'a, str>>,
    /// First entry of the operation.
    pub first: bool,
    /// Last entry of the operation.
    pub last: bool,
}

/// `split`: this entry is one part of a larger one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SplitInfo<'a> {
    /// Id shared by all the parts.
    pub uid: Option<Cow<'a, str>>,
    /// Index of this part.
    pub index: Option<i64>,
    /// Number of parts.
    pub total_splits: Option<i64>,
}

impl HttpInfo<'_> {
    /// The URL's path, without scheme, host, query or fragment.
    ///
    /// ```
    /// # use gardener_log_model::HttpInfo;
    /// assert_eq!(HttpInfo::path_of("https://h.example/api/x?y=1"), "/api/x");
    /// assert_eq!(HttpInfo::path_of("/ws#top"), "/ws");
    /// ```
    pub fn path_of(url: &str) -> &str {
        // The first `://`, found from the colons (cheaper than a string
        // pattern's searcher on a short URL).
        let scheme_end = url
            .match_indices(':')
            .map(|(index, _)| index)
            .find(|&index| url[index..].starts_with("://"));
        let without_scheme = match scheme_end {
            Some(index) => {
                let rest = &url[index + 3..];
                rest.find('/').map_or("/", |slash| &rest[slash..])
            }
            None => url,
        };
        let end = without_scheme
            .bytes()
            .position(|b| b == b'?' || b == b'#')
            .unwrap_or(without_scheme.len());
        &without_scheme[..end]
    }

    /// The path of [`url`](HttpInfo::url), or `/` when there is none.
    pub fn path(&self) -> &str {
        self.url.as_deref().map_or("/", HttpInfo::path_of)
    }

    /// Detaches the value from the input it borrows.
    pub fn into_owned(self) -> HttpInfo<'static> {
        HttpInfo {
            method: owned(self.method),
            url: owned(self.url),
            status: self.status,
            latency_seconds: self.latency_seconds,
            user_agent: owned(self.user_agent),
            remote_ip: owned(self.remote_ip),
            request_size: self.request_size,
            response_size: self.response_size,
            protocol: owned(self.protocol),
            referer: owned(self.referer),
            server_ip: owned(self.server_ip),
        }
    }

    fn from_request(request: HttpRequest<'_>) -> Option<HttpInfo<'_>> {
        let info = HttpInfo {
            method: request.request_method.and_then(Text::non_empty),
            url: request.request_url.and_then(Text::non_empty),
            status: request
                .status
                .filter(|&status| status != 0)
                .and_then(|status| u16::try_from(status).ok()),
            latency_seconds: request.latency.as_deref().and_then(parse_duration_seconds),
            user_agent: request.user_agent.and_then(Text::non_empty),
            remote_ip: request.remote_ip.and_then(Text::non_empty),
            request_size: request.request_size,
            response_size: request.response_size,
            protocol: request.protocol.and_then(Text::non_empty),
            referer: request.referer.and_then(Text::non_empty),
            server_ip: request.server_ip.and_then(Text::non_empty),
        };
        // `gcloud logging tail` prints an unset request as all defaults.
        (info.method.is_some() || info.url.is_some() || info.status.is_some()).then_some(info)
    }
}

impl CallSite<'_> {
    /// Detaches the value from the input it borrows.
    pub fn into_owned(self) -> CallSite<'static> {
        CallSite {
            module: owned(self.module),
            function: owned(self.function),
            line: self.line,
        }
    }
}

impl OperationInfo<'_> {
    /// Detaches the value from the input it borrows.
    pub fn into_owned(self) -> OperationInfo<'static> {
        OperationInfo {
            id: owned(self.id),
            producer: owned(self.producer),
            first: self.first,
            last: self.last,
        }
    }

    fn from_operation(operation: Operation<'_>) -> Option<OperationInfo<'_>> {
        let info = OperationInfo {
            id: operation.id.and_then(Text::non_empty),
            producer: operation.producer.and_then(Text::non_empty),
            first: operation.first.unwrap_or(false),
            last: operation.last.unwrap_or(false),
        };
        (info.id.is_some() || info.producer.is_some()).then_some(info)
    }
}

impl SplitInfo<'_> {
    /// Detaches the value from the input it borrows.
    pub fn into_owned(self) -> SplitInfo<'static> {
        SplitInfo {
            uid: owned(self.uid),
            index: self.index,
            total_splits: self.total_splits,
        }
    }

    fn from_split(split: Split<'_>) -> Option<SplitInfo<'_>> {
        let info = SplitInfo {
            uid: split.uid.and_then(Text::non_empty),
            index: split.index,
            total_splits: split.total_splits.filter(|&total| total > 0),
        };
        (info.uid.is_some() || info.total_splits.is_some()).then_some(info)
    }
}

fn owned(text: Option<Cow<'_, str>>) -> Option<Cow<'static, str>> {
    text.map(|text| Cow::Owned(text.into_owned()))
}

impl<'a> Event<'a> {
    /// Normalizes an entry.
    ///
    /// ```
    /// use gardener_log_model::{Event, LogEntry, Severity};
    /// let json = br#"{"httpRequest":{"requestMethod":"GET","requestUrl":"https://x.run.app/ws?a=1","status":503},
    ///                 "severity":"ERROR","timestamp":"2025-09-14T00:27:04.376098Z"}"#;
    /// let event = Event::from_entry(LogEntry::from_json(json)?);
    /// assert_eq!(event.message, "GET /ws 503");
    /// assert_eq!(event.severity, Severity::Error);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_entry(entry: LogEntry<'a>) -> Event<'a> {
        let LogEntry {
            log_name,
            resource,
            timestamp,
            receive_timestamp,
            severity,
            insert_id,
            http_request,
            labels,
            operation,
            trace,
            span_id,
            trace_sampled,
            source_location,
            split,
            error_groups,
            text_payload,
            json_payload,
            proto_payload,
            ..
        } = entry;

        let payload_kind = if text_payload.is_some() {
            PayloadKind::Text
        } else if json_payload.is_some() {
            PayloadKind::Json
        } else if proto_payload.is_some() {
            PayloadKind::Proto
        } else {
            PayloadKind::None
        };
        let mut parts = json_payload
            .map(|payload| PayloadParts::of(*payload))
            .unwrap_or_default();
        let mut proto = proto_payload;

        let entry_severity = severity;
        let payload_severity = parts.severity;

        let labels = Labels {
            entry: labels.as_ref(),
            payload: parts.labels.as_ref(),
        };
        let mut placement = resource
            .as_ref()
            .map(|resource| Placement::of(resource, &labels))
            .unwrap_or_default();
        if let Some(proto) = proto.as_mut() {
            placement.service = placement
                .service
                .or_else(|| proto.module_id.take().and_then(Text::non_empty));
            placement.revision = placement
                .revision
                .or_else(|| proto.version_id.take().and_then(Text::non_empty));
            placement.instance = placement
                .instance
                .or_else(|| proto.instance_id.take().and_then(Text::non_empty));
        }
        placement.instance = placement.instance.or_else(|| {
            labels
                .get("instanceId")
                .or_else(|| labels.get("run.googleapis.com/task_index"))
                .or_else(|| labels.get("execution_id"))
        });
        let service = placement.service.or(parts.service.take());
        let revision = placement.revision.or(parts.version.take());

        let http = http_request
            .and_then(HttpInfo::from_request)
            .or(parts.http.take())
            .or_else(|| proto.as_deref_mut().and_then(request_log_http));

        let mut call_site = source_location
            .and_then(|location| call_site_of(location.file, location.function, location.line));
        if call_site.is_none() {
            call_site = parts.call_site.take();
        }

        let message = parts
            .message
            .take()
            .or_else(|| text_payload.map(Text::into_cow))
            .or_else(|| proto.and_then(|proto| proto_message(*proto)));
        let message = message.unwrap_or_else(|| match &http {
            Some(http) => Cow::Owned(format!(
                "{} {} {}",
                http.method.as_deref().unwrap_or("-"),
                http.path(),
                http.status
                    .map_or_else(|| "-".to_owned(), |s| s.to_string())
            )),
            None => Cow::Borrowed(""),
        });

        let stack_trace = parts
            .trace_text
            .as_deref()
            .and_then(StackTrace::parse)
            .or_else(|| StackTrace::parse(&message))
            .or_else(|| parts.error_text.as_deref().and_then(StackTrace::parse));

        let stated = match payload_kind {
            PayloadKind::Json => payload_severity,
            PayloadKind::Text => Severity::stated_in(&message),
            PayloadKind::None | PayloadKind::Proto => None,
        };
        let severity = match stated {
            Some(stated) if assigned_by_stream(entry_severity) => stated,
            _ => entry_severity,
        };

        let timestamp = timestamp
            .as_deref()
            .and_then(parse_timestamp)
            .or_else(|| receive_timestamp.as_deref().and_then(parse_timestamp))
            .or(parts.time);

        let log_name = log_name.and_then(Text::non_empty);
        let project = log_name
            .as_ref()
            .and_then(|name| match name {
                Cow::Borrowed(name) => project_of_log_name(name).map(Cow::Borrowed),
                Cow::Owned(name) => project_of_log_name(name).map(|p| Cow::Owned(p.to_owned())),
            })
            .or_else(|| {
                let labels = resource.as_ref()?.labels.as_ref()?;
                labels.get("project_id").and_then(|p| p.clone().non_empty())
            });

        Event {
            insert_id: insert_id.and_then(Text::non_empty).or(parts.insert_id),
            timestamp,
            severity,
            entry_severity,
            resource_type: resource.and_then(|r| r.kind).and_then(Text::non_empty),
            service,
            revision,
            instance: placement.instance,
            log_name: log_name.map(decode_log_name),
            message,
            call_site,
            http,
            stack_trace,
            error_groups: error_groups
                .unwrap_or_default()
                .into_iter()
                .filter_map(|group| group.id.and_then(Text::non_empty))
                .collect(),
            trace_id: trace.and_then(Text::non_empty).or(parts.trace),
            project,
            location: placement.location,
            span_id: span_id.and_then(Text::non_empty).or(parts.span_id),
            trace_sampled: trace_sampled.or(parts.trace_sampled),
            operation: operation
                .and_then(OperationInfo::from_operation)
                .or(parts.operation),
            split: split.and_then(SplitInfo::from_split),
            payload: payload_kind,
            reported_error: parts.reported_error,
            joined_insert_ids: Vec::new(),
        }
    }

    /// A one-line summary: the exception for a stack trace, else the first
    /// line of the message.
    pub fn summary(&self) -> Cow<'_, str> {
        if let Some(trace) = &self.stack_trace {
            let exception = trace.outermost();
            if !exception.kind.is_empty() {
                let summary = exception.summary();
                let first_line = summary.lines().next().unwrap_or_default();
                return Cow::Owned(first_line.to_owned());
            }
        }
        Cow::Borrowed(self.message.lines().next().unwrap_or_default())
    }

    /// The insertIds of every entry this event stands for: its own, or, for
    /// a joined event, those of all its lines.
    pub fn insert_ids(&self) -> impl Iterator<Item = &str> {
        let own = self
            .joined_insert_ids
            .is_empty()
            .then_some(self.insert_id.as_deref())
            .flatten();
        own.into_iter()
            .chain(self.joined_insert_ids.iter().map(|id| id.as_ref()))
    }

    /// Detaches the event from the input it borrows.
    pub fn into_owned(self) -> Event<'static> {
        Event {
            insert_id: owned(self.insert_id),
            timestamp: self.timestamp,
            severity: self.severity,
            entry_severity: self.entry_severity,
            resource_type: owned(self.resource_type),
            service: owned(self.service),
            revision: owned(self.revision),
            instance: owned(self.instance),
            log_name: owned(self.log_name),
            message: Cow::Owned(self.message.into_owned()),
            call_site: self.call_site.map(CallSite::into_owned),
            http: self.http.map(HttpInfo::into_owned),
            stack_trace: self.stack_trace,
            error_groups: self
                .error_groups
                .into_iter()
                .map(|id| Cow::Owned(id.into_owned()))
                .collect(),
            trace_id: owned(self.trace_id),
            project: owned(self.project),
            location: owned(self.location),
            span_id: owned(self.span_id),
            trace_sampled: self.trace_sampled,
            operation: self.operation.map(OperationInfo::into_owned),
            split: self.split.map(SplitInfo::into_owned),
            payload: self.payload,
            reported_error: self.reported_error,
            joined_insert_ids: self
                .joined_insert_ids
                .into_iter()
                .map(|id| Cow::Owned(id.into_owned()))
                .collect(),
        }
    }
}

/// Whether a severity is one a platform gives a line by the stream it was
/// written to, without reading it: none (`DEFAULT`), stdout (`INFO` on GKE and
/// some Cloud Run setups), stderr (`ERROR` on Cloud Run and GKE). A level the
/// line states is then the better witness; any other severity was chosen by
/// the program or its logging library and stands.
fn assigned_by_stream(severity: Severity) -> bool {
    matches!(
        severity,
        Severity::Default | Severity::Info | Severity::Error
    )
}

fn call_site_of<'a>(
    module: Option<Text<'a>>,
    function: Option<Text<'a>>,
    line: Option<i64>,
) -> Option<CallSite<'a>> {
    let module = module.and_then(Text::non_empty);
    let function = function.and_then(Text::non_empty);
    (module.is_some() || function.is_some()).then_some(CallSite {
        module,
        function,
        line: line.filter(|&line| line != 0),
    })
}

/// The HTTP request of an App Engine RequestLog, whose fields it takes.
fn request_log_http<'a>(proto: &mut ProtoPayload<'a>) -> Option<HttpInfo<'a>> {
    let method = proto.method.take().and_then(Text::non_empty);
    let url = proto.resource.take().and_then(Text::non_empty);
    if method.is_none() && url.is_none() {
        return None;
    }
    Some(HttpInfo {
        method,
        url,
        status: proto
            .status
            .as_ref()
            .and_then(|status| status.http_status)
            .and_then(|status| u16::try_from(status).ok()),
        latency_seconds: proto.latency.as_deref().and_then(parse_duration_seconds),
        user_agent: proto.user_agent.take().and_then(Text::non_empty),
        remote_ip: proto.ip.take().and_then(Text::non_empty),
        request_size: None,
        response_size: None,
        protocol: None,
        referer: None,
        server_ip: None,
    })
}

/// The message of a protoPayload: the most severe application line of a
/// RequestLog, or `method: status` of an AuditLog.
fn proto_message(proto: ProtoPayload<'_>) -> Option<Cow<'_, str>> {
    if let Some(line) = proto
        .line
        .into_iter()
        .flatten()
        .rev()
        .max_by_key(|line| line.severity)
        .and_then(|line| line.log_message)
    {
        return Some(line.into_cow());
    }
    let method = proto.method_name.and_then(Text::non_empty)?;
    let (code, status) = match proto.status {
        Some(status) => (status.code, status.message.filter(|m| !m.is_empty())),
        None => (None, None),
    };
    // The code says what went wrong even when the message is absent or vague;
    // it is written as its name so that readers and rules see the outcome.
    let code = code.and_then(grpc_code_name).filter(|name| {
        !status
            .as_deref()
            .is_some_and(|message| message.contains(*name))
    });
    Some(match (code, status) {
        (Some(code), Some(status)) => Cow::Owned(format!("{method}: {code}: {status}")),
        (Some(code), None) => Cow::Owned(format!("{method}: {code}")),
        (None, Some(status)) => Cow::Owned(format!("{method}: {status}")),
        (None, None) => method,
    })
}

/// The name of a non-zero `google.rpc.Code` (`7` is `PERMISSION_DENIED`).
fn grpc_code_name(code: i64) -> Option<&'static str> {
    Some(match code {
        1 => "CANCELLED",
        2 => "UNKNOWN",
        3 => "INVALID_ARGUMENT",
        4 => "DEADLINE_EXCEEDED",
        5 => "NOT_FOUND",
        6 => "ALREADY_EXISTS",
        7 => "PERMISSION_DENIED",
        8 => "RESOURCE_EXHAUSTED",
        9 => "FAILED_PRECONDITION",
        10 => "ABORTED",
        11 => "OUT_OF_RANGE",
        12 => "UNIMPLEMENTED",
        13 => "INTERNAL",
        14 => "UNAVAILABLE",
        15 => "DATA_LOSS",
        16 => "UNAUTHENTICATED",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(json: &str) -> Event<'_> {
        Event::from_entry(LogEntry::from_json(json.as_bytes()).unwrap())
    }

    #[test]
    fn structured_payload_with_labels() {
        let e = event(
            r#"{"jsonPayload":{"labels":{"function":"_main_message_loop","line":"1490","module":"netra_backend.app.routes.websocket_ssot"},"message":"boom"},
                "resource":{"type":"cloud_run_revision","labels":{"service_name":"svc","revision_name":"svc-001"}},
                "labels":{"instanceId":"00abc"},"logName":"projects/p/logs/run.googleapis.com%2Fstderr",
                "severity":"ERROR","timestamp":"2025-09-14T22:44:48.695754Z"}"#,
        );
        assert_eq!(e.message, "boom");
        assert_eq!(e.service.as_deref(), Some("svc"));
        assert_eq!(e.revision.as_deref(), Some("svc-001"));
        assert_eq!(e.instance.as_deref(), Some("00abc"));
        assert_eq!(e.log_name.as_deref(), Some("run.googleapis.com/stderr"));
        let site = e.call_site.unwrap();
        assert_eq!(site.function.as_deref(), Some("_main_message_loop"));
        assert_eq!(site.line, Some(1490));
    }

    #[test]
    fn error_type_and_value() {
        let e = event(
            r#"{"jsonPayload":{"error":{"type":"DeterministicStartupError","value":"timeout after 8.0s"}}}"#,
        );
        assert_eq!(e.message, "DeterministicStartupError: timeout after 8.0s");
        assert_eq!(
            e.stack_trace.unwrap().root_cause().kind,
            "DeterministicStartupError"
        );
    }

    #[test]
    fn timestamp_falls_back_to_receive_timestamp() {
        let e = event(r#"{"receiveTimestamp":"2024-05-05T10:32:19.45570687Z","textPayload":"x"}"#);
        assert_eq!(
            e.timestamp.unwrap().to_rfc3339(),
            "2024-05-05T10:32:19.455706870+00:00"
        );
    }

    #[test]
    fn payload_severity_when_entry_has_none() {
        assert_eq!(
            event(r#"{"jsonPayload":{"severity":"warn","msg":"m"}}"#).severity,
            Severity::Warning
        );
    }

    macro_rules! severity_cases {
        ($($name:ident: $json:expr => ($severity:expr, $entry:expr);)*) => {$(
            #[test]
            fn $name() {
                let e = event($json);
                assert_eq!((e.severity, e.entry_severity), ($severity, $entry), "{}", $json);
            }
        )*};
    }

    severity_cases! {
        stated_info_beats_stderr_error: r#"{"severity":"ERROR","textPayload":"[2025-09-14 00:27:04 +0000] [9] [INFO] Booting worker with pid: 9","logName":"projects/p/logs/run.googleapis.com%2Fstderr"}"#
            => (Severity::Info, Severity::Error);
        stated_info_beats_default: r#"{"textPayload":"INFO:     Started server process [1]"}"#
            => (Severity::Info, Severity::Default);
        stated_error_beats_stdout_info: r#"{"severity":"INFO","textPayload":"E1203 10:00:00.123456       1 reflector.go:138] failed to list"}"#
            => (Severity::Error, Severity::Info);
        logfmt_in_text: r#"{"severity":"ERROR","textPayload":"time=2025-09-14T00:27:04Z level=info msg=listening"}"#
            => (Severity::Info, Severity::Error);
        json_in_text: r#"{"severity":"ERROR","textPayload":"{\"level\":\"warn\",\"msg\":\"slow\"}"}"#
            => (Severity::Warning, Severity::Error);
        chosen_severity_stands: r#"{"severity":"WARNING","textPayload":"[2025-09-14 00:27:04 +0000] [1] [INFO] Shutting down: Master"}"#
            => (Severity::Warning, Severity::Warning);
        nothing_stated: r#"{"severity":"ERROR","textPayload":"Traceback (most recent call last):"}"#
            => (Severity::Error, Severity::Error);
        payload_level_beats_stderr_error: r#"{"severity":"ERROR","jsonPayload":{"level":"info","msg":"ready"}}"#
            => (Severity::Info, Severity::Error);
        payload_level_when_entry_has_none: r#"{"jsonPayload":{"severity":"warn","msg":"m"}}"#
            => (Severity::Warning, Severity::Default);
        payload_message_text_is_not_read: r#"{"severity":"ERROR","jsonPayload":{"message":"INFO: looks like a level"}}"#
            => (Severity::Error, Severity::Error);
    }

    #[test]
    fn audit_status_code_is_named() {
        let denied = event(
            r#"{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","methodName":"storage.objects.get","status":{"code":7}},"severity":"ERROR"}"#,
        );
        assert_eq!(denied.message, "storage.objects.get: PERMISSION_DENIED");
        let described = event(
            r#"{"protoPayload":{"methodName":"SetIamPolicy","status":{"code":7,"message":"Permission 'x' denied"}}}"#,
        );
        assert_eq!(
            described.message,
            "SetIamPolicy: PERMISSION_DENIED: Permission 'x' denied"
        );
        let named = event(
            r#"{"protoPayload":{"methodName":"Get","status":{"code":5,"message":"NOT_FOUND"}}}"#,
        );
        assert_eq!(named.message, "Get: NOT_FOUND");
        let ok = event(r#"{"protoPayload":{"methodName":"Get","status":{}}}"#);
        assert_eq!(ok.message, "Get");
    }

    #[test]
    fn structured_error_is_the_exception_even_with_a_message() {
        let e = event(
            r#"{"jsonPayload":{"message":"Phase 3 failed - startup aborted","error":{"type":"DeterministicStartupError","value":"Database initialization timeout after 8.0s"}}}"#,
        );
        assert_eq!(e.message, "Phase 3 failed - startup aborted");
        let trace = e.stack_trace.unwrap();
        assert_eq!(trace.root_cause().kind, "DeterministicStartupError");
        assert_eq!(
            trace.root_cause().message,
            "Database initialization timeout after 8.0s"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_seconds("0.5s"), Some(0.5));
        assert_eq!(
            parse_duration_seconds("203.678286565s"),
            Some(203.678286565)
        );
        assert_eq!(parse_duration_seconds("soon"), None);
    }
}
