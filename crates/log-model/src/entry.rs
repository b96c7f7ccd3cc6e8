//! The typed, borrowing `LogEntry`: the REST representation of a Cloud Logging entry.
//!
//! Field names follow the REST API (camelCase) and also accept the snake_case
//! names that `gcloud logging tail` prints. Every field is optional and lenient
//! (see [`crate::lenient`]): a field of an unexpected type is dropped, never
//! the entry. (Repeated keys in one object fail the entry, as serde does;
//! entries serialized from Cloud Logging's protobufs cannot have them.)

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::lenient::{self, Text};
use crate::Severity;

/// One Cloud Logging entry, borrowing its strings from the input buffer.
///
/// Parse one with [`LogEntry::from_json`], or let a [`LogReader`](crate::LogReader)
/// find the entries in a stream. Turn it into the normalized [`Event`](crate::Event)
/// with [`Event::from_entry`](crate::Event::from_entry).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LogEntry<'a> {
    /// `projects/P/logs/LOG_ID`, with LOG_ID URL-encoded.
    #[serde(borrow, default, alias = "log_name")]
    pub log_name: Option<Text<'a>>,
    /// The monitored resource that wrote the entry.
    #[serde(borrow, default, deserialize_with = "lenient::map")]
    pub resource: Option<MonitoredResource<'a>>,
    /// RFC 3339 time of the event, as written.
    #[serde(borrow, default)]
    pub timestamp: Option<Text<'a>>,
    /// RFC 3339 time Cloud Logging received the entry.
    #[serde(borrow, default, alias = "receive_timestamp")]
    pub receive_timestamp: Option<Text<'a>>,
    /// Severity; [`Severity::Default`] when absent.
    #[serde(default)]
    pub severity: Severity,
    /// Unique id of the entry within its project and timestamp.
    #[serde(borrow, default, alias = "insert_id")]
    pub insert_id: Option<Text<'a>>,
    /// The HTTP request, on request logs.
    #[serde(
        borrow,
        default,
        alias = "http_request",
        deserialize_with = "lenient::map"
    )]
    pub http_request: Option<HttpRequest<'a>>,
    /// User-defined labels (all values strings).
    #[serde(borrow, default, deserialize_with = "lenient::map")]
    pub labels: Option<BTreeMap<Text<'a>, Text<'a>>>,
    /// The operation this entry belongs to.
    #[serde(borrow, default, deserialize_with = "lenient::map")]
    pub operation: Option<Operation<'a>>,
    /// `projects/P/traces/TRACE_ID`.
    #[serde(borrow, default)]
    pub trace: Option<Text<'a>>,
    /// Span id: 16 hex digits per spec, decimal in the wild.
    #[serde(borrow, default, alias = "span_id")]
    pub span_id: Option<Text<'a>>,
    /// Whether the trace was sampled.
    #[serde(
        default,
        alias = "trace_sampled",
        deserialize_with = "lenient::boolean"
    )]
    pub trace_sampled: Option<bool>,
    /// The source location that wrote the entry.
    #[serde(
        borrow,
        default,
        alias = "source_location",
        deserialize_with = "lenient::map"
    )]
    pub source_location: Option<SourceLocation<'a>>,
    /// Present when a large entry was split into several.
    #[serde(default, deserialize_with = "lenient::map")]
    pub split: Option<Split<'a>>,
    /// Error Reporting groups the entry belongs to (reads only, not exports).
    #[serde(
        borrow,
        default,
        alias = "error_groups",
        deserialize_with = "lenient::object"
    )]
    pub error_groups: Option<Vec<ErrorGroup<'a>>>,
    /// Plain-text payload.
    #[serde(borrow, default, alias = "text_payload")]
    pub text_payload: Option<Text<'a>>,
    /// Structured payload (the known fields; the rest stays in the raw entry).
    /// A `jsonPayload` that is not an object is dropped.
    #[serde(
        borrow,
        default,
        alias = "json_payload",
        deserialize_with = "lenient::map"
    )]
    pub json_payload: Option<Box<JsonPayload<'a>>>,
    /// Protocol-buffer payload (audit logs, App Engine request logs).
    #[serde(
        borrow,
        default,
        alias = "proto_payload",
        deserialize_with = "lenient::map"
    )]
    pub proto_payload: Option<Box<ProtoPayload<'a>>>,
}

impl<'a> LogEntry<'a> {
    /// Parses one entry from its JSON text.
    ///
    /// ```
    /// use gardener_log_model::{LogEntry, Severity};
    /// let entry = LogEntry::from_json(br#"{"severity":500,"text_payload":"boom"}"#)?;
    /// assert_eq!(entry.severity, Severity::Error);
    /// assert_eq!(entry.text_payload.as_deref(), Some("boom"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_json(json: &'a [u8]) -> Result<LogEntry<'a>, serde_json::Error> {
        serde_json::from_slice(json)
    }

    /// The value of a label in `labels`, if present.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.as_ref()?.get(key).map(Text::as_str)
    }

    /// No LogEntry field is set: the object was something else (an API page,
    /// an empty object).
    pub(crate) fn is_blank(&self) -> bool {
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
        } = self;
        log_name.is_none()
            && resource.is_none()
            && timestamp.is_none()
            && receive_timestamp.is_none()
            && *severity == Severity::Default
            && insert_id.is_none()
            && http_request.is_none()
            && labels.is_none()
            && operation.is_none()
            && trace.is_none()
            && span_id.is_none()
            && trace_sampled.is_none()
            && source_location.is_none()
            && split.is_none()
            && error_groups.is_none()
            && text_payload.is_none()
            && json_payload.is_none()
            && proto_payload.is_none()
    }
}

/// `resource`: the type and labels of the monitored resource.
#[derive(Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct MonitoredResource<'a> {
    /// `cloud_run_revision`, `k8s_container`, `gae_app`, ...
    #[serde(borrow, default, rename = "type")]
    pub kind: Option<Text<'a>>,
    /// Resource labels (`service_name`, `revision_name`, ...).
    #[serde(borrow, default, deserialize_with = "lenient::map")]
    pub labels: Option<BTreeMap<Text<'a>, Text<'a>>>,
}

impl MonitoredResource<'_> {
    /// The value of a resource label, if present.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.as_ref()?.get(key).map(Text::as_str)
    }
}

/// `httpRequest` (see `google/logging/type/http_request.proto`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct HttpRequest<'a> {
    /// `GET`, `POST`, ...
    #[serde(borrow, default, alias = "request_method")]
    pub request_method: Option<Text<'a>>,
    /// The full URL, with scheme, host and query.
    #[serde(borrow, default, alias = "request_url")]
    pub request_url: Option<Text<'a>>,
    /// Request size in bytes (int64, so often a JSON string).
    #[serde(default, alias = "request_size", deserialize_with = "lenient::integer")]
    pub request_size: Option<i64>,
    /// Response status code.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub status: Option<i64>,
    /// Response size in bytes.
    #[serde(
        default,
        alias = "response_size",
        deserialize_with = "lenient::integer"
    )]
    pub response_size: Option<i64>,
    /// The client's user agent.
    #[serde(borrow, default, alias = "user_agent")]
    pub user_agent: Option<Text<'a>>,
    /// Client IP, possibly with a port.
    #[serde(borrow, default, alias = "remote_ip")]
    pub remote_ip: Option<Text<'a>>,
    /// Server IP.
    #[serde(borrow, default, alias = "server_ip")]
    pub server_ip: Option<Text<'a>>,
    /// Referer header.
    #[serde(borrow, default)]
    pub referer: Option<Text<'a>>,
    /// Duration string such as `"0.783137066s"`.
    #[serde(borrow, default)]
    pub latency: Option<Text<'a>>,
    /// `HTTP/1.1`, `HTTP/2`, `websocket`, ...
    #[serde(borrow, default)]
    pub protocol: Option<Text<'a>>,
}

/// `sourceLocation`: where in the code the entry was written.
#[derive(Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct SourceLocation<'a> {
    /// Source file name.
    #[serde(borrow, default)]
    pub file: Option<Text<'a>>,
    /// Line number (int64, so often a JSON string).
    #[serde(default, deserialize_with = "lenient::integer")]
    pub line: Option<i64>,
    /// Function name, qualified as the language does.
    #[serde(borrow, default)]
    pub function: Option<Text<'a>>,
}

/// `operation`: groups the entries of one long-running operation.
#[derive(Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct Operation<'a> {
    /// Operation id.
    #[serde(borrow, default)]
    pub id: Option<Text<'a>>,
    /// Producer, e.g. `appengine.googleapis.com/request_id`.
    #[serde(borrow, default)]
    pub producer: Option<Text<'a>>,
    /// First entry of the operation.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub first: Option<bool>,
    /// Last entry of the operation.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub last: Option<bool>,
}

/// `split`: one part of an entry that was split for size.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Split<'a> {
    /// Shared id of all the parts.
    #[serde(borrow, default)]
    pub uid: Option<Text<'a>>,
    /// Index of this part.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub index: Option<i64>,
    /// Number of parts.
    #[serde(default, alias = "total_splits", deserialize_with = "lenient::integer")]
    pub total_splits: Option<i64>,
}

/// An Error Reporting group id attached to the entry.
#[derive(Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct ErrorGroup<'a> {
    /// The group id, e.g. `CJKUqdjnnpWwTQ`.
    #[serde(borrow, default)]
    pub id: Option<Text<'a>>,
}

/// The fields of a `jsonPayload` that locate, describe or time an event.
///
/// Structured loggers put the message under different keys (`message`, `msg`,
/// `Body`, `error.value`, `errorEvent.message`, `event`); all are read and
/// [`Event`](crate::Event) picks the first present. The special fields of
/// structured logging (`logging.googleapis.com/*`) are read too, for entries
/// whose agent left them in the payload.
#[derive(Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct JsonPayload<'a> {
    /// `message`.
    #[serde(borrow, default)]
    pub message: Option<Text<'a>>,
    /// `msg` (zap, pino, kueue).
    #[serde(borrow, default)]
    pub msg: Option<Text<'a>>,
    /// `Body` (OpenTelemetry-style loggers).
    #[serde(borrow, default, rename = "Body")]
    pub body: Option<Text<'a>>,
    /// `event` (Python structlog's message key).
    #[serde(borrow, default)]
    pub event: Option<Text<'a>>,
    /// `stack_trace`, the first key Error Reporting evaluates.
    #[serde(borrow, default, alias = "stackTrace", alias = "stacktrace")]
    pub stack_trace: Option<Text<'a>>,
    /// `exception`.
    #[serde(borrow, default)]
    pub exception: Option<Text<'a>>,
    /// `error` (or pino's `err`): `{type, value}`, `{message, stack}`, or a
    /// plain string.
    #[serde(borrow, default, alias = "err")]
    pub error: Option<PayloadError<'a>>,
    /// `errorEvent` of Error Reporting insight entries.
    #[serde(
        borrow,
        default,
        rename = "errorEvent",
        deserialize_with = "lenient::map"
    )]
    pub error_event: Option<ErrorEvent<'a>>,
    /// `logger`: the logger name.
    #[serde(borrow, default, alias = "logger_name", alias = "loggerName")]
    pub logger: Option<Text<'a>>,
    /// `labels`: the code location some Python loggers attach.
    #[serde(borrow, default, deserialize_with = "lenient::map")]
    pub labels: Option<PayloadLabels<'a>>,
    /// `context`: logger name, service, and ReportedErrorEvent context.
    #[serde(borrow, default, deserialize_with = "lenient::map")]
    pub context: Option<PayloadContext<'a>>,
    /// `serviceContext` of a ReportedErrorEvent.
    #[serde(
        borrow,
        default,
        rename = "serviceContext",
        deserialize_with = "lenient::map"
    )]
    pub service_context: Option<ServiceContext<'a>>,
    /// `logging.googleapis.com/sourceLocation`, when the agent did not lift it.
    #[serde(
        borrow,
        default,
        rename = "logging.googleapis.com/sourceLocation",
        deserialize_with = "lenient::map"
    )]
    pub source_location: Option<SourceLocation<'a>>,
    /// `logging.googleapis.com/labels`, when the agent did not lift them.
    #[serde(
        borrow,
        default,
        rename = "logging.googleapis.com/labels",
        deserialize_with = "lenient::map"
    )]
    pub entry_labels: Option<BTreeMap<Text<'a>, Text<'a>>>,
    /// `logging.googleapis.com/insertId`.
    #[serde(borrow, default, rename = "logging.googleapis.com/insertId")]
    pub insert_id: Option<Text<'a>>,
    /// `logging.googleapis.com/trace`: `projects/P/traces/ID`.
    #[serde(borrow, default, rename = "logging.googleapis.com/trace")]
    pub trace: Option<Text<'a>>,
    /// `logging.googleapis.com/spanId`.
    #[serde(borrow, default, rename = "logging.googleapis.com/spanId")]
    pub span_id: Option<Text<'a>>,
    /// `logging.googleapis.com/trace_sampled` (fluent-bit spells it `traceSampled`).
    #[serde(
        default,
        rename = "logging.googleapis.com/trace_sampled",
        alias = "logging.googleapis.com/traceSampled",
        deserialize_with = "lenient::boolean"
    )]
    pub trace_sampled: Option<bool>,
    /// `logging.googleapis.com/operation`.
    #[serde(
        borrow,
        default,
        rename = "logging.googleapis.com/operation",
        deserialize_with = "lenient::map"
    )]
    pub operation: Option<Operation<'a>>,
    /// `httpRequest`, when the agent did not lift it.
    #[serde(
        borrow,
        default,
        rename = "httpRequest",
        alias = "logging.googleapis.com/http_request",
        deserialize_with = "lenient::map"
    )]
    pub http_request: Option<HttpRequest<'a>>,
    /// `severity`, when the agent did not lift it.
    #[serde(borrow, default)]
    pub severity: Option<Text<'a>>,
    /// `level` (pino, zap, bunyan).
    #[serde(borrow, default)]
    pub level: Option<Text<'a>>,
    /// `timestamp`, when it stayed in the payload: an RFC 3339 string, or
    /// `{"seconds": .., "nanos": ..}` (kept as its JSON text).
    #[serde(borrow, default)]
    pub timestamp: Option<Text<'a>>,
    /// `time` as an RFC 3339 string.
    #[serde(borrow, default)]
    pub time: Option<Text<'a>>,
    /// `timestampSeconds` (fluent-bit: `timestampSecond`), with `timestampNanos`.
    #[serde(
        default,
        rename = "timestampSeconds",
        alias = "timestampSecond",
        deserialize_with = "lenient::integer"
    )]
    pub timestamp_seconds: Option<i64>,
    /// `timestampNanos`.
    #[serde(
        default,
        rename = "timestampNanos",
        deserialize_with = "lenient::integer"
    )]
    pub timestamp_nanos: Option<i64>,
    /// `eventTime` of a ReportedErrorEvent.
    #[serde(borrow, default, rename = "eventTime")]
    pub event_time: Option<Text<'a>>,
    /// `@type`, e.g. the ReportedErrorEvent type.
    #[serde(borrow, default, rename = "@type")]
    pub type_url: Option<Text<'a>>,
}

/// `jsonPayload.error`.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct PayloadError<'a> {
    /// The exception type, e.g. `DeterministicStartupError`.
    pub kind: Option<Text<'a>>,
    /// The exception value or message.
    pub message: Option<Text<'a>>,
    /// A stack trace, when the logger attached one.
    pub stack: Option<Text<'a>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for PayloadError<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fields<'a> {
            #[serde(borrow, default, rename = "type", alias = "name", alias = "kind")]
            kind: Option<Text<'a>>,
            #[serde(borrow, default)]
            value: Option<Text<'a>>,
            #[serde(borrow, default)]
            message: Option<Text<'a>>,
            #[serde(borrow, default, alias = "stack_trace", alias = "stacktrace")]
            stack: Option<Text<'a>>,
        }

        let raw: &'de RawValue = Deserialize::deserialize(deserializer)?;
        if let Ok(fields) = serde_json::from_str::<Fields<'de>>(raw.get()) {
            return Ok(PayloadError {
                kind: fields.kind,
                message: fields.value.or(fields.message),
                stack: fields.stack,
            });
        }
        let text: Text<'de> = serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
        Ok(PayloadError {
            kind: None,
            message: Some(text),
            stack: None,
        })
    }
}

/// `jsonPayload.errorEvent` of Error Reporting insight entries.
#[derive(Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct ErrorEvent<'a> {
    /// The reported message (often a whole stack trace).
    #[serde(borrow, default)]
    pub message: Option<Text<'a>>,
    /// The reporting service.
    #[serde(
        borrow,
        default,
        rename = "serviceContext",
        deserialize_with = "lenient::map"
    )]
    pub service_context: Option<ServiceContext<'a>>,
}

/// `jsonPayload.labels` as some Python loggers write it: the code location.
#[derive(Debug, Default, Deserialize)]
#[non_exhaustive]
pub struct PayloadLabels<'a> {
    /// Python module.
    #[serde(borrow, default)]
    pub module: Option<Text<'a>>,
    /// Function name.
    #[serde(borrow, default)]
    pub function: Option<Text<'a>>,
    /// Line number, often a string.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub line: Option<i64>,
}

/// `jsonPayload.context`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PayloadContext<'a> {
    /// Logger name.
    #[serde(borrow, default)]
    pub name: Option<Text<'a>>,
    /// Service name.
    #[serde(borrow, default)]
    pub service: Option<Text<'a>>,
    /// ReportedErrorEvent `context.reportLocation`.
    #[serde(borrow, default, deserialize_with = "lenient::map")]
    pub report_location: Option<ReportLocation<'a>>,
    /// ReportedErrorEvent `context.httpRequest`.
    #[serde(borrow, default, deserialize_with = "lenient::map")]
    pub http_request: Option<ErrorContextHttp<'a>>,
    /// ReportedErrorEvent `context.user`.
    #[serde(borrow, default)]
    pub user: Option<Text<'a>>,
}

/// ReportedErrorEvent `context.httpRequest`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorContextHttp<'a> {
    /// Request method.
    #[serde(borrow, default)]
    pub method: Option<Text<'a>>,
    /// Request URL.
    #[serde(borrow, default)]
    pub url: Option<Text<'a>>,
    /// User agent.
    #[serde(borrow, default)]
    pub user_agent: Option<Text<'a>>,
    /// Referrer.
    #[serde(borrow, default)]
    pub referrer: Option<Text<'a>>,
    /// Response status code.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub response_status_code: Option<i64>,
    /// Client IP.
    #[serde(borrow, default)]
    pub remote_ip: Option<Text<'a>>,
}

/// ReportedErrorEvent `context.reportLocation`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReportLocation<'a> {
    /// Source file.
    #[serde(borrow, default)]
    pub file_path: Option<Text<'a>>,
    /// Line number.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub line_number: Option<i64>,
    /// Function name.
    #[serde(borrow, default)]
    pub function_name: Option<Text<'a>>,
}

/// ReportedErrorEvent `serviceContext`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceContext<'a> {
    /// Service name.
    #[serde(borrow, default)]
    pub service: Option<Text<'a>>,
    /// Service version.
    #[serde(borrow, default)]
    pub version: Option<Text<'a>>,
    /// Resource type (`cloud_run_revision`, ...), when the reporter set it.
    #[serde(borrow, default)]
    pub resource_type: Option<Text<'a>>,
}

/// The fields of a `protoPayload` that describe what happened.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProtoPayload<'a> {
    /// `@type`, e.g. `type.googleapis.com/google.cloud.audit.AuditLog`.
    #[serde(borrow, default, rename = "@type")]
    pub type_url: Option<Text<'a>>,
    /// AuditLog: the API method called.
    #[serde(borrow, default)]
    pub method_name: Option<Text<'a>>,
    /// AuditLog: the service called.
    #[serde(borrow, default)]
    pub service_name: Option<Text<'a>>,
    /// AuditLog: the resource acted on.
    #[serde(borrow, default)]
    pub resource_name: Option<Text<'a>>,
    /// AuditLog: the outcome.
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub status: Option<ProtoStatus<'a>>,
    /// RequestLog: HTTP method.
    #[serde(borrow, default)]
    pub method: Option<Text<'a>>,
    /// RequestLog: the requested path and query.
    #[serde(borrow, default)]
    pub resource: Option<Text<'a>>,
    /// RequestLog: the application's log lines.
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub line: Option<Vec<RequestLogLine<'a>>>,
    /// RequestLog: latency, a Duration string (`"0.5s"`).
    #[serde(borrow, default)]
    pub latency: Option<Text<'a>>,
    /// RequestLog: client IP.
    #[serde(borrow, default)]
    pub ip: Option<Text<'a>>,
    /// RequestLog: user agent.
    #[serde(borrow, default)]
    pub user_agent: Option<Text<'a>>,
    /// RequestLog: the host the request was sent to.
    #[serde(borrow, default)]
    pub host: Option<Text<'a>>,
    /// RequestLog: the App Engine module (service).
    #[serde(borrow, default)]
    pub module_id: Option<Text<'a>>,
    /// RequestLog: the App Engine version.
    #[serde(borrow, default)]
    pub version_id: Option<Text<'a>>,
    /// RequestLog: the instance that served the request.
    #[serde(borrow, default)]
    pub instance_id: Option<Text<'a>>,
    /// AuditLog: who made the call.
    #[serde(borrow, default, deserialize_with = "lenient::map")]
    pub authentication_info: Option<AuthenticationInfo<'a>>,
}

/// AuditLog `authenticationInfo`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuthenticationInfo<'a> {
    /// The caller's email address.
    #[serde(borrow, default)]
    pub principal_email: Option<Text<'a>>,
}

/// `status` of a protoPayload: a `google.rpc.Status` object in an AuditLog,
/// the HTTP status code (a number) in an App Engine RequestLog.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ProtoStatus<'a> {
    /// AuditLog: gRPC code.
    pub code: Option<i64>,
    /// AuditLog: error message.
    pub message: Option<Text<'a>>,
    /// RequestLog: the HTTP status code.
    pub http_status: Option<i64>,
}

impl<'de: 'a, 'a> Deserialize<'de> for ProtoStatus<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fields<'a> {
            #[serde(default, deserialize_with = "lenient::integer")]
            code: Option<i64>,
            #[serde(borrow, default)]
            message: Option<Text<'a>>,
        }

        let raw: &'de RawValue = Deserialize::deserialize(deserializer)?;
        if raw.get().starts_with('{') {
            let fields: Fields<'de> =
                serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
            return Ok(ProtoStatus {
                code: fields.code,
                message: fields.message,
                http_status: None,
            });
        }
        let text: Text<'de> = serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
        Ok(ProtoStatus {
            code: None,
            message: None,
            http_status: lenient::parse_integer(&text),
        })
    }
}

/// One application log line inside an App Engine RequestLog.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RequestLogLine<'a> {
    /// The line's severity.
    #[serde(default)]
    pub severity: Severity,
    /// The line's text.
    #[serde(borrow, default)]
    pub log_message: Option<Text<'a>>,
}
