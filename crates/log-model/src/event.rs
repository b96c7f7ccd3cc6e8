//! The normalized view of a log entry that grouping and scoring work on.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::entry::{LogEntry, MonitoredResource};
use crate::lenient::{parse_integer, Text};
use crate::{Severity, StackTrace};

/// A log entry reduced to what matters for triage: when, how bad, where, what.
///
/// Built from a [`LogEntry`] by [`Event::from_entry`], whatever shape the entry
/// had (text, structured, request log, audit log).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Event<'a> {
    /// The entry's insertId.
    pub insert_id: Option<Cow<'a, str>>,
    /// When the event happened (`timestamp`, else `receiveTimestamp`, else a
    /// timestamp inside the payload).
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
    /// The HTTP request, on request logs.
    pub http: Option<HttpInfo<'a>>,
    /// A stack trace found in the message.
    pub stack_trace: Option<StackTrace>,
    /// Error Reporting group ids.
    pub error_groups: Vec<Cow<'a, str>>,
    /// `projects/P/traces/ID`.
    pub trace: Option<Cow<'a, str>>,
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
#[derive(Debug, Clone, Serialize)]
pub struct HttpInfo<'a> {
    /// Request method.
    pub method: Option<Cow<'a, str>>,
    /// The full URL.
    pub url: Option<Cow<'a, str>>,
    /// Response status.
    pub status: Option<u16>,
    /// Latency in seconds.
    pub latency_seconds: Option<f64>,
    /// User agent.
    pub user_agent: Option<Cow<'a, str>>,
    /// Client IP.
    pub remote_ip: Option<Cow<'a, str>>,
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
            trace,
            source_location,
            error_groups,
            text_payload,
            json_payload,
            proto_payload,
            ..
        } = entry;

        let label = |key: &str| -> Option<Cow<'a, str>> {
            labels
                .as_ref()?
                .iter()
                .find(|(k, _)| k.as_str() == key)
                .map(|(_, v)| v.0.clone())
        };
        let mut placement = resource.as_ref().map(Placement::of).unwrap_or_default();
        if placement.instance.is_none() {
            placement.instance = label("instanceId")
                .or_else(|| label("run.googleapis.com/task_index"))
                .or_else(|| label("execution_id"));
        }

        let http = http_request.map(|request| HttpInfo {
            method: request.request_method.map(Text::into_cow),
            url: request.request_url.map(Text::into_cow),
            status: request.status.and_then(|s| u16::try_from(s).ok()),
            latency_seconds: request.latency.as_deref().and_then(parse_duration_seconds),
            user_agent: request.user_agent.map(Text::into_cow),
            remote_ip: request.remote_ip.map(Text::into_cow),
        });

        let mut severity = severity;
        let mut message: Option<Cow<'a, str>> = None;
        let mut trace_text: Option<Cow<'a, str>> = None;
        let mut call_site = source_location
            .and_then(|location| call_site_of(location.file, location.function, location.line));
        let mut payload_time = None;
        let mut service_from_payload = None;

        if let Some(payload) = json_payload {
            if severity == Severity::Default {
                if let Some(name) = payload.severity.as_deref().or(payload.level.as_deref()) {
                    severity = Severity::from_name(name).unwrap_or_else(|| {
                        parse_integer(name).map_or(Severity::Default, Severity::from_number)
                    });
                }
            }
            let error_message = payload.error.as_ref().and_then(|error| {
                let text = error.message.as_deref()?;
                Some(match error.kind.as_deref() {
                    Some(kind) if !text.starts_with(kind) => Cow::Owned(format!("{kind}: {text}")),
                    _ => Cow::Owned(text.to_owned()),
                })
            });
            trace_text = payload
                .stack_trace
                .clone()
                .map(Text::into_cow)
                .or_else(|| payload.exception.clone().map(Text::into_cow))
                .or_else(|| {
                    payload
                        .error
                        .as_ref()
                        .and_then(|e| e.stack.clone())
                        .map(Text::into_cow)
                });
            message = payload
                .message
                .map(Text::into_cow)
                .or_else(|| payload.msg.map(Text::into_cow))
                .or_else(|| payload.body.map(Text::into_cow))
                .or(error_message)
                .or_else(|| {
                    payload
                        .error_event
                        .as_ref()
                        .and_then(|event| event.message.clone())
                        .map(Text::into_cow)
                })
                .or_else(|| trace_text.clone());
            if call_site.is_none() {
                call_site = payload
                    .labels
                    .and_then(|labels| call_site_of(labels.module, labels.function, labels.line))
                    .or_else(|| {
                        payload.source_location.and_then(|location| {
                            call_site_of(location.file, location.function, location.line)
                        })
                    })
                    .or_else(|| {
                        let location = payload.context.as_ref()?.report_location.as_ref()?;
                        call_site_of(
                            location.file_path.clone(),
                            location.function_name.clone(),
                            location.line_number,
                        )
                    })
                    .or_else(|| {
                        let logger = payload
                            .context
                            .as_ref()
                            .and_then(|context| context.name.clone())
                            .or(payload.logger.clone())?;
                        call_site_of(Some(logger), None, None)
                    });
            }
            payload_time = payload.timestamp.or(payload.time);
            service_from_payload = payload
                .service_context
                .and_then(|context| context.service)
                .map(Text::into_cow);
        }

        if message.is_none() {
            message = text_payload.map(Text::into_cow);
        }
        if message.is_none() {
            if let Some(proto) = proto_payload {
                message = proto_message(proto);
            }
        }
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

        let stack_trace = trace_text
            .as_deref()
            .and_then(StackTrace::parse)
            .or_else(|| StackTrace::parse(&message));

        let timestamp = [timestamp, receive_timestamp, payload_time]
            .into_iter()
            .flatten()
            .find_map(|text| parse_timestamp(&text));

        Event {
            insert_id: insert_id.map(Text::into_cow),
            timestamp,
            severity,
            resource_type: resource.and_then(|r| r.kind).map(Text::into_cow),
            service: placement.service.or(service_from_payload),
            revision: placement.revision,
            instance: placement.instance,
            log_name: log_name.map(|name| decode_log_name(name.into_cow())),
            message,
            call_site,
            http,
            stack_trace,
            error_groups: error_groups
                .unwrap_or_default()
                .into_iter()
                .filter_map(|group| group.id.map(Text::into_cow))
                .collect(),
            trace: trace.map(Text::into_cow),
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
}

#[derive(Default)]
struct Placement<'a> {
    service: Option<Cow<'a, str>>,
    revision: Option<Cow<'a, str>>,
    instance: Option<Cow<'a, str>>,
}

impl<'a> Placement<'a> {
    /// Service, revision and instance from the resource labels of each type.
    fn of(resource: &MonitoredResource<'a>) -> Placement<'a> {
        let get = |key: &str| -> Option<Cow<'a, str>> {
            resource
                .labels
                .as_ref()?
                .iter()
                .find(|(k, _)| k.as_str() == key)
                .map(|(_, v)| v.0.clone())
        };
        let kind = resource.kind.as_deref().unwrap_or_default();
        let (service, revision, instance) = match kind {
            "cloud_run_revision" => (get("service_name"), get("revision_name"), None),
            "cloud_run_job" => (get("job_name"), None, None),
            "k8s_container" => (
                get("container_name"),
                get("namespace_name"),
                get("pod_name"),
            ),
            "k8s_pod" => (get("pod_name"), get("namespace_name"), None),
            "gae_app" => (get("module_id"), get("version_id"), None),
            "cloud_function" => (get("function_name"), None, None),
            "gce_instance" => (None, None, get("instance_id")),
            "container" => (get("container_name"), None, get("instance_id")),
            _ => (
                get("service_name").or_else(|| get("service")),
                get("revision_name").or_else(|| get("version")),
                None,
            ),
        };
        Placement {
            service,
            revision,
            instance,
        }
    }
}

fn call_site_of<'a>(
    module: Option<Text<'a>>,
    function: Option<Text<'a>>,
    line: Option<i64>,
) -> Option<CallSite<'a>> {
    let module = module.map(Text::into_cow).filter(|m| !m.is_empty());
    let function = function.map(Text::into_cow).filter(|f| !f.is_empty());
    (module.is_some() || function.is_some()).then_some(CallSite {
        module,
        function,
        line,
    })
}

fn proto_message<'a>(proto: crate::entry::ProtoPayload<'a>) -> Option<Cow<'a, str>> {
    if let Some(line) = proto
        .line
        .into_iter()
        .flatten()
        .max_by_key(|line| line.severity)
        .and_then(|line| line.log_message)
    {
        return Some(line.into_cow());
    }
    if let Some(method) = proto.method_name {
        let status = proto
            .status
            .and_then(|status| status.message)
            .filter(|message| !message.is_empty());
        return Some(match status {
            Some(status) => Cow::Owned(format!("{method}: {status}")),
            None => method.into_cow(),
        });
    }
    let (method, resource) = (proto.method?, proto.resource?);
    Some(Cow::Owned(format!("{method} {resource}")))
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

/// RFC 3339 with 0 to 9 fractional digits and any offset.
pub(crate) fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

/// `"0.783137066s"` → 0.783137066. Also accepts a bare number of seconds.
pub(crate) fn parse_duration_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    let number = text.strip_suffix('s').unwrap_or(text);
    number.parse::<f64>().ok().filter(|s| s.is_finite())
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
