//! The normalized view of a log entry that grouping and scoring work on.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::entry::{
    HttpRequest, JsonPayload, LogEntry, MonitoredResource, Operation, ProtoPayload, Split,
};
use crate::lenient::{self, parse_integer, Text};
use crate::{Severity, StackTrace};

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
    /// Severity; for entries without one, the payload's `severity`/`level`.
    pub severity: Severity,
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
    /// `projects/P/traces/ID`.
    pub trace: Option<Cow<'a, str>>,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
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
        let without_scheme = match url.find("://") {
            Some(index) => {
                let rest = &url[index + 3..];
                rest.find('/').map_or("/", |slash| &rest[slash..])
            }
            None => url,
        };
        let end = without_scheme
            .find(['?', '#'])
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

/// The fields of a `jsonPayload` that the event uses, taken apart.
#[derive(Default)]
struct PayloadParts<'a> {
    message: Option<Cow<'a, str>>,
    trace_text: Option<Cow<'a, str>>,
    severity: Option<Severity>,
    call_site: Option<CallSite<'a>>,
    time: Option<DateTime<Utc>>,
    service: Option<Cow<'a, str>>,
    version: Option<Cow<'a, str>>,
    labels: Option<BTreeMap<Text<'a>, Text<'a>>>,
    insert_id: Option<Cow<'a, str>>,
    trace: Option<Cow<'a, str>>,
    span_id: Option<Cow<'a, str>>,
    trace_sampled: Option<bool>,
    operation: Option<OperationInfo<'a>>,
    http: Option<HttpInfo<'a>>,
    reported_error: bool,
}

impl<'a> PayloadParts<'a> {
    fn of(payload: JsonPayload<'a>) -> PayloadParts<'a> {
        let JsonPayload {
            message,
            msg,
            body,
            event,
            stack_trace,
            exception,
            error,
            error_event,
            logger,
            labels,
            context,
            service_context,
            source_location,
            entry_labels,
            insert_id,
            trace,
            span_id,
            trace_sampled,
            operation,
            http_request,
            severity,
            level,
            timestamp,
            time,
            timestamp_seconds,
            timestamp_nanos,
            event_time,
            type_url,
            ..
        } = payload;

        let severity = severity
            .as_deref()
            .or(level.as_deref())
            .and_then(severity_of_payload);
        let (error_kind, error_message, error_stack) = match error {
            Some(error) => (error.kind, error.message, error.stack),
            None => (None, None, None),
        };
        let error_message = error_message.map(|text| match error_kind.as_deref() {
            Some(kind) if !kind.is_empty() && !text.starts_with(kind) => {
                Cow::Owned(format!("{kind}: {text}"))
            }
            _ => text.into_cow(),
        });
        // Error Reporting reads `stack_trace`, then `exception`, then `message`.
        let trace_text = stack_trace
            .and_then(Text::non_empty)
            .or_else(|| exception.and_then(Text::non_empty))
            .or_else(|| error_stack.and_then(Text::non_empty));
        let reported_error = type_url
            .as_deref()
            .is_some_and(|url| url.ends_with("ReportedErrorEvent"))
            || service_context.is_some()
            || error_event.is_some();
        let (error_event_message, error_event_service) = match error_event {
            Some(event) => (event.message, event.service_context.and_then(|c| c.service)),
            None => (None, None),
        };
        let message = message
            .and_then(Text::non_empty)
            .or_else(|| msg.and_then(Text::non_empty))
            .or_else(|| body.and_then(Text::non_empty))
            .or(error_message)
            .or_else(|| error_event_message.and_then(Text::non_empty))
            .or_else(|| event.and_then(Text::non_empty))
            .or_else(|| trace_text.clone());

        let (context_name, report_location, context_http) = match context {
            Some(context) => (context.name, context.report_location, context.http_request),
            None => (None, None, None),
        };
        let call_site = labels
            .and_then(|labels| call_site_of(labels.module, labels.function, labels.line))
            .or_else(|| {
                source_location.and_then(|location| {
                    call_site_of(location.file, location.function, location.line)
                })
            })
            .or_else(|| {
                report_location.and_then(|location| {
                    call_site_of(
                        location.file_path,
                        location.function_name,
                        location.line_number,
                    )
                })
            })
            .or_else(|| call_site_of(context_name.or(logger), None, None));

        let time = timestamp
            .as_deref()
            .and_then(parse_timestamp)
            .or_else(|| time.as_deref().and_then(parse_timestamp))
            .or_else(|| seconds_and_nanos(timestamp_seconds?, timestamp_nanos.unwrap_or(0)))
            .or_else(|| event_time.as_deref().and_then(parse_timestamp));

        let (service, version) = match service_context {
            Some(context) => (context.service, context.version),
            None => (None, None),
        };
        let http = http_request.and_then(HttpInfo::from_request).or_else(|| {
            let context = context_http?;
            let info = HttpInfo {
                method: context.method.and_then(Text::non_empty),
                url: context.url.and_then(Text::non_empty),
                status: context
                    .response_status_code
                    .and_then(|status| u16::try_from(status).ok())
                    .filter(|&status| status != 0),
                latency_seconds: None,
                user_agent: context.user_agent.and_then(Text::non_empty),
                remote_ip: context.remote_ip.and_then(Text::non_empty),
                request_size: None,
                response_size: None,
                protocol: None,
                referer: context.referrer.and_then(Text::non_empty),
                server_ip: None,
            };
            (info.method.is_some() || info.url.is_some() || info.status.is_some()).then_some(info)
        });

        PayloadParts {
            message,
            trace_text,
            severity,
            call_site,
            time,
            service: service.or(error_event_service).and_then(Text::non_empty),
            version: version.and_then(Text::non_empty),
            labels: entry_labels,
            insert_id: insert_id.and_then(Text::non_empty),
            trace: trace.and_then(Text::non_empty),
            span_id: span_id.and_then(Text::non_empty),
            trace_sampled,
            operation: operation.and_then(OperationInfo::from_operation),
            http,
            reported_error,
        }
    }
}

/// A payload's `severity` or `level`: a name (`warn`), a Cloud Logging number
/// (`400`), or a pino/bunyan level (`10` trace .. `60` fatal).
fn severity_of_payload(text: &str) -> Option<Severity> {
    if let Some(severity) = Severity::from_name(text) {
        return Some(severity);
    }
    let number = parse_integer(text)?;
    Some(match number {
        10 | 20 => Severity::Debug,
        30 => Severity::Info,
        40 => Severity::Warning,
        50 => Severity::Error,
        60 => Severity::Critical,
        _ => Severity::from_number(number),
    })
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
        let mut parts = json_payload.map(PayloadParts::of).unwrap_or_default();
        let mut proto = proto_payload;

        let mut severity = severity;
        if severity == Severity::Default {
            severity = parts.severity.unwrap_or(Severity::Default);
        }

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
            .or_else(|| proto.as_mut().and_then(request_log_http));

        let mut call_site = source_location
            .and_then(|location| call_site_of(location.file, location.function, location.line));
        if call_site.is_none() {
            call_site = parts.call_site.take();
        }

        let message = parts
            .message
            .take()
            .or_else(|| text_payload.map(Text::into_cow))
            .or_else(|| proto.and_then(proto_message));
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
            .or_else(|| StackTrace::parse(&message));

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
            trace: trace.and_then(Text::non_empty).or(parts.trace),
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
            trace: owned(self.trace),
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

/// Entry labels, then the payload's `logging.googleapis.com/labels`.
struct Labels<'x, 'a> {
    entry: Option<&'x BTreeMap<Text<'a>, Text<'a>>>,
    payload: Option<&'x BTreeMap<Text<'a>, Text<'a>>>,
}

impl<'a> Labels<'_, 'a> {
    fn get(&self, key: &str) -> Option<Cow<'a, str>> {
        [self.entry, self.payload]
            .into_iter()
            .flatten()
            .find_map(|labels| labels.get(key))
            .filter(|value| !value.is_empty())
            .map(|value| value.0.clone())
    }
}

#[derive(Default)]
struct Placement<'a> {
    service: Option<Cow<'a, str>>,
    revision: Option<Cow<'a, str>>,
    instance: Option<Cow<'a, str>>,
    location: Option<Cow<'a, str>>,
}

impl<'a> Placement<'a> {
    /// Service, revision, instance and location from the resource labels of
    /// each resource type, and the entry labels that complete them.
    fn of(resource: &MonitoredResource<'a>, labels: &Labels<'_, 'a>) -> Placement<'a> {
        let get = |key: &str| -> Option<Cow<'a, str>> {
            resource
                .labels
                .as_ref()?
                .get(key)
                .filter(|value| !value.is_empty())
                .map(|value| value.0.clone())
        };
        let kind = resource.kind.as_deref().unwrap_or_default();
        let (service, revision, instance) = match kind {
            "cloud_run_revision" => (
                get("service_name"),
                get("revision_name"),
                labels.get("instanceId"),
            ),
            "cloud_run_job" => (
                get("job_name"),
                labels.get("run.googleapis.com/execution_name"),
                labels.get("run.googleapis.com/task_index"),
            ),
            "cloud_run_worker_pool" => (
                get("worker_pool_name"),
                get("revision_name"),
                labels.get("instanceId"),
            ),
            "k8s_container" => (
                get("container_name"),
                labels.get("k8s-pod/pod-template-hash"),
                get("pod_name"),
            ),
            "k8s_pod" => (
                labels
                    .get("k8s-pod/app")
                    .or_else(|| labels.get("k8s-pod/app_kubernetes_io/name")),
                labels.get("k8s-pod/pod-template-hash"),
                get("pod_name"),
            ),
            "container" => (get("container_name"), None, get("pod_id")),
            "gae_app" => (
                get("module_id"),
                get("version_id"),
                labels.get("appengine.googleapis.com/instance_name"),
            ),
            "cloud_function" => (
                get("function_name"),
                None,
                labels
                    .get("instance_id")
                    .or_else(|| labels.get("execution_id")),
            ),
            "gce_instance" => (
                None,
                None,
                labels
                    .get("compute.googleapis.com/resource_name")
                    .or_else(|| get("instance_id")),
            ),
            "generic_task" => (get("job"), None, get("task_id")),
            "generic_node" => (get("namespace"), None, get("node_id")),
            _ => (
                get("service_name")
                    .or_else(|| get("service"))
                    .or_else(|| get("module_id"))
                    .or_else(|| get("function_name"))
                    .or_else(|| get("job_name")),
                get("revision_name")
                    .or_else(|| get("version"))
                    .or_else(|| get("version_id")),
                get("instance_id").or_else(|| get("pod_name")),
            ),
        };
        Placement {
            service,
            revision,
            instance,
            location: get("location")
                .or_else(|| get("region"))
                .or_else(|| get("zone")),
        }
    }
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
    let status = proto
        .status
        .and_then(|status| status.message)
        .filter(|message| !message.is_empty());
    Some(match status {
        Some(status) => Cow::Owned(format!("{method}: {status}")),
        None => method,
    })
}

/// `projects/my-project/logs/x` → `my-project`.
fn project_of_log_name(name: &str) -> Option<&str> {
    let rest = name.trim_start_matches('/').strip_prefix("projects/")?;
    let project = rest.split('/').next()?;
    (!project.is_empty()).then_some(project)
}

/// `projects/p/logs/run.googleapis.com%2Fstderr` → `run.googleapis.com/stderr`.
fn decode_log_name(name: Cow<'_, str>) -> Cow<'_, str> {
    let start = name
        .find("/logs/")
        .map_or(0, |index| index + "/logs/".len());
    let id = &name[start..];
    if !id.contains('%') {
        return match name {
            Cow::Borrowed(name) => Cow::Borrowed(&name[start..]),
            Cow::Owned(name) => Cow::Owned(name[start..].to_owned()),
        };
    }
    Cow::Owned(percent_decode(id))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let decoded = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match decoded {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// RFC 3339 with 0 to 9 fractional digits and any offset, or the JSON of a
/// protobuf Timestamp (`{"seconds": 1726300000, "nanos": 5}`).
pub(crate) fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.starts_with('{') {
        let (seconds, nanos) = seconds_nanos_json(text)?;
        return seconds_and_nanos(seconds, nanos);
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

fn seconds_nanos_json(text: &str) -> Option<(i64, i64)> {
    #[derive(Deserialize)]
    struct SecondsNanos {
        #[serde(default, deserialize_with = "lenient::integer")]
        seconds: Option<i64>,
        #[serde(default, deserialize_with = "lenient::integer")]
        nanos: Option<i64>,
    }
    let value: SecondsNanos = serde_json::from_str(text).ok()?;
    Some((value.seconds?, value.nanos.unwrap_or(0)))
}

fn seconds_and_nanos(seconds: i64, nanos: i64) -> Option<DateTime<Utc>> {
    let nanos = u32::try_from(nanos)
        .ok()
        .filter(|&nanos| nanos < 1_000_000_000)?;
    DateTime::from_timestamp(seconds, nanos)
}

/// `"0.783137066s"` → 0.783137066. Also accepts a bare number of seconds and
/// a protobuf Duration's JSON (`{"seconds": 1, "nanos": 5}`).
pub(crate) fn parse_duration_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.starts_with('{') {
        let (seconds, nanos) = seconds_nanos_json(text)?;
        return Some(seconds as f64 + nanos as f64 / 1e9);
    }
    let number = text.strip_suffix('s').unwrap_or(text);
    number
        .parse::<f64>()
        .ok()
        .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
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
