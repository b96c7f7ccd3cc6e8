//! The parts of a `jsonPayload` an event uses: message, stack trace, time,
//! severity, call site and the structured-logging special fields.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::values::{parse_timestamp, seconds_and_nanos};
use super::{call_site_of, CallSite, HttpInfo, OperationInfo};
use crate::entry::JsonPayload;
use crate::lenient::{parse_integer, Text};
use crate::Severity;

/// The fields of a `jsonPayload` that the event uses, taken apart.
#[derive(Default)]
pub(super) struct PayloadParts<'a> {
    pub(super) message: Option<Cow<'a, str>>,
    pub(super) trace_text: Option<Cow<'a, str>>,
    /// `error.type: error.value`, kept even when a `message` stands for the
    /// entry: the exception it reports.
    pub(super) error_text: Option<Cow<'a, str>>,
    pub(super) severity: Option<Severity>,
    pub(super) call_site: Option<CallSite<'a>>,
    pub(super) time: Option<DateTime<Utc>>,
    pub(super) service: Option<Cow<'a, str>>,
    pub(super) version: Option<Cow<'a, str>>,
    pub(super) labels: Option<BTreeMap<Text<'a>, Text<'a>>>,
    pub(super) insert_id: Option<Cow<'a, str>>,
    pub(super) trace: Option<Cow<'a, str>>,
    pub(super) span_id: Option<Cow<'a, str>>,
    pub(super) trace_sampled: Option<bool>,
    pub(super) operation: Option<OperationInfo<'a>>,
    pub(super) http: Option<HttpInfo<'a>>,
    pub(super) reported_error: bool,
}

impl<'a> PayloadParts<'a> {
    pub(super) fn of(payload: JsonPayload<'a>) -> PayloadParts<'a> {
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
            .or_else(|| error_message.clone())
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
            error_text: error_message,
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
