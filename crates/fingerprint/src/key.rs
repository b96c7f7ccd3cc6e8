//! What goes into a fingerprint: the grouping key of an event.

use std::fmt::Write as _;

use gardener_log_model::{Event, Exception, Frame, HttpInfo};
use serde::{Deserialize, Serialize};

use crate::mask::{Masker, Replacement};
use crate::{Fingerprint, Kind};

/// How many in-app frames, innermost first, identify a stack trace (Cloud
/// Error Reporting uses the top 5).
pub const KEY_FRAMES: usize = 5;
/// Messages longer than this are cut (at the last whitespace before the
/// limit, else at a character boundary) before masking; what follows does
/// not take part in grouping.
pub const MAX_KEY_MESSAGE_BYTES: usize = 2048;

/// The grouping key of an event. Events with equal keys are the same problem.
///
/// Modelled on Cloud Error Reporting and Sentry (see the README):
/// - with a stack trace: the exception type of the root cause and its top
///   in-app frames (module and function, never line numbers); the masked
///   message only when there are no frames;
/// - a request log: method, path with variable segments masked, status;
/// - anything else: the call site (module and function) and the masked
///   message template.
///
/// Every key also carries the service, so one problem in two services is two
/// clusters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GroupKey {
    /// An exception, grouped by type and frames.
    Exception {
        /// Service that raised it.
        service: String,
        /// Exception type of the root cause.
        exception: String,
        /// `module:function` of the top in-app frames, innermost first.
        frames: Vec<String>,
        /// Masked first line of the message, only when there are no frames.
        message: String,
    },
    /// A request log, grouped by endpoint and status.
    Http {
        /// Service that served it.
        service: String,
        /// Request method.
        method: String,
        /// URL path with variable segments masked.
        path: String,
        /// Response status (0 when absent).
        status: u16,
    },
    /// Any other message, grouped by call site and template.
    Message {
        /// Service that logged it.
        service: String,
        /// `module:function`, or empty.
        call_site: String,
        /// The masked (and, once mined, generalized) message.
        template: String,
    },
}

impl GroupKey {
    /// A key for a plain log line, with no service or call site: what
    /// `cluster_lines` uses.
    pub fn for_line(masker: &Masker, line: &str) -> GroupKey {
        let mut scratch = KeyScratch::default();
        GroupKey::Message {
            service: String::new(),
            call_site: String::new(),
            template: scratch.template(masker, line),
        }
    }

    /// The stable fingerprint of this key.
    pub fn fingerprint(&self) -> Fingerprint {
        match self {
            GroupKey::Exception {
                service,
                exception,
                frames,
                message,
            } => Fingerprint::of_fields(
                ["exception", service, exception, message]
                    .into_iter()
                    .chain(frames.iter().map(String::as_str)),
            ),
            GroupKey::Http {
                service,
                method,
                path,
                status,
            } => Fingerprint::of_fields(["http", service, method, path, &status.to_string()]),
            GroupKey::Message {
                service,
                call_site,
                template,
            } => Fingerprint::of_fields(["message", service, call_site, template]),
        }
    }

    /// The service the key belongs to.
    pub fn service(&self) -> &str {
        match self {
            GroupKey::Exception { service, .. }
            | GroupKey::Http { service, .. }
            | GroupKey::Message { service, .. } => service,
        }
    }

    /// A one-line description: `ImportError in app.main:<module>`, `GET /ws 503`, or the template.
    pub fn title(&self) -> String {
        match self {
            GroupKey::Exception {
                exception,
                frames,
                message,
                ..
            } => {
                let mut title = exception.clone();
                if !message.is_empty() {
                    let _ = write!(title, ": {message}");
                }
                if let Some(frame) = frames.first() {
                    let _ = write!(title, " in {frame}");
                }
                title
            }
            GroupKey::Http {
                method,
                path,
                status,
                ..
            } => format!("{method} {path} {status}"),
            GroupKey::Message { template, .. } => template.clone(),
        }
    }
}

/// Reusable buffers for building keys without reallocating per event.
#[derive(Debug, Default)]
pub struct KeyScratch {
    masked: String,
    replacements: Vec<Replacement>,
}

impl KeyScratch {
    /// The masked template of `text`, whitespace runs collapsed to one space.
    pub fn template(&mut self, masker: &Masker, text: &str) -> String {
        let mut template = String::new();
        self.template_into(masker, text, &mut template);
        template
    }

    /// Writes the masked template of `text` into `out` (cleared first): the
    /// allocation-free form of [`template`](KeyScratch::template).
    pub fn template_into(&mut self, masker: &Masker, text: &str, out: &mut String) {
        masker.mask_into(
            truncate(text, MAX_KEY_MESSAGE_BYTES),
            &mut self.masked,
            &mut self.replacements,
        );
        if is_collapsed(&self.masked) {
            // The common case: nothing to collapse, so no copy either.
            std::mem::swap(&mut self.masked, out);
            return;
        }
        out.clear();
        for token in self.masked.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(token);
        }
    }

    /// The replacements of the last [`template`](KeyScratch::template) call.
    pub fn replacements(&self) -> &[Replacement] {
        &self.replacements
    }

    /// Computes the key of `event` and the variable values of its message.
    pub fn key_for_event(
        &mut self,
        masker: &Masker,
        event: &Event<'_>,
        values: &mut Vec<(Kind, String)>,
    ) -> GroupKey {
        values.clear();
        let service = event.service.as_deref().unwrap_or_default().to_owned();
        if let Some(trace) = &event.stack_trace {
            let root = trace.root_cause();
            if !root.kind.is_empty() {
                let frames = key_frames(root);
                let message = if frames.is_empty() {
                    let first_line = root.message.lines().next().unwrap_or_default();
                    let template = self.template(masker, first_line);
                    self.collect_values(first_line, values);
                    template
                } else {
                    String::new()
                };
                return GroupKey::Exception {
                    service,
                    exception: root.kind.clone(),
                    frames,
                    message,
                };
            }
        }
        if let Some(http) = &event.http {
            if event.message.is_empty() || is_synthesized_request_line(event, http) {
                let path = HttpInfo::path_of(http.url.as_deref().unwrap_or("/"));
                let masked_path = self.template(masker, path);
                self.collect_values(path, values);
                return GroupKey::Http {
                    service,
                    method: http.method.as_deref().unwrap_or("-").to_owned(),
                    path: masked_path,
                    status: http.status.unwrap_or(0),
                };
            }
        }
        let call_site = event.call_site.as_ref().map_or_else(String::new, |site| {
            let mut text = site.module.as_deref().unwrap_or_default().to_owned();
            if let Some(function) = &site.function {
                text.push(':');
                text.push_str(function);
            }
            text
        });
        let template = self.template(masker, &event.message);
        self.collect_values(&event.message, values);
        GroupKey::Message {
            service,
            call_site,
            template,
        }
    }

    fn collect_values(&self, text: &str, values: &mut Vec<(Kind, String)>) {
        let text = truncate(text, MAX_KEY_MESSAGE_BYTES);
        values.extend(
            self.replacements
                .iter()
                .filter_map(|r| Some((r.kind, text.get(r.start..r.end)?.to_owned()))),
        );
    }
}

/// Whether `text` has single spaces between words and none around them.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut after_space = false;
    for &byte in bytes {
        match byte {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            b'\t' | b'\n' | b'\r' | b'\x0c' => return false,
            _ => after_space = false,
        }
    }
    true
}

/// The message [`Event`] synthesizes for a request log without a payload.
fn is_synthesized_request_line(event: &Event<'_>, http: &HttpInfo<'_>) -> bool {
    let method = http.method.as_deref().unwrap_or("-");
    event.message.starts_with(method) && event.message.contains(http.path())
}

fn key_frames(exception: &Exception) -> Vec<String> {
    let describe = |frame: &Frame| {
        let module = frame
            .module
            .clone()
            .or_else(|| {
                frame.file.as_deref().map(|file| {
                    file.rsplit(['/', '\\'])
                        .next()
                        .unwrap_or(file)
                        .to_lowercase()
                })
            })
            .unwrap_or_default();
        match &frame.function {
            Some(function) => format!("{module}:{function}"),
            None => module,
        }
    };
    let in_app: Vec<String> = exception
        .in_app_frames()
        .take(KEY_FRAMES)
        .map(describe)
        .collect();
    if !in_app.is_empty() {
        return in_app;
    }
    exception
        .frames
        .iter()
        .rev()
        .take(KEY_FRAMES)
        .map(describe)
        .collect()
}

/// Cuts `text` to at most `max` bytes, at the last whitespace before the
/// limit when there is one, so that no value is cut in half (half a block id
/// is no longer recognised as one).
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let cut = crate::stats::truncate(text, max);
    match cut.rfind(|c: char| c.is_ascii_whitespace()) {
        Some(space) if space > 0 => &cut[..space],
        _ => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gardener_log_model::LogEntry;

    fn key(json: &str) -> GroupKey {
        let event = Event::from_entry(LogEntry::from_json(json.as_bytes()).unwrap());
        KeyScratch::default().key_for_event(&Masker::new(), &event, &mut Vec::new())
    }

    #[test]
    fn traces_group_by_type_and_in_app_frames() {
        let a = key(
            r#"{"textPayload":"Traceback (most recent call last):\n  File \"/usr/lib/python3.11/site-packages/g/a.py\", line 1, in run\n    x\n  File \"/app/svc/main.py\", line 37, in <module>\n    y\nImportError: cannot import name 'A' from 'b'"}"#,
        );
        let b = key(
            r#"{"textPayload":"Traceback (most recent call last):\n  File \"/app/svc/main.py\", line 38, in <module>\n    y\nImportError: cannot import name 'Z' from 'q'"}"#,
        );
        assert_eq!(
            a, b,
            "line numbers, library frames and messages do not count"
        );
        match a {
            GroupKey::Exception {
                exception, frames, ..
            } => {
                assert_eq!(exception, "ImportError");
                assert_eq!(frames, ["svc.main:<module>"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn request_logs_group_by_endpoint() {
        let a = key(
            r#"{"httpRequest":{"requestMethod":"GET","requestUrl":"https://h/api/threads/42?x=1","status":503}}"#,
        );
        assert_eq!(a.title(), "GET /api/threads/<num> 503");
    }

    #[test]
    fn messages_group_by_call_site_and_template() {
        let a = key(
            r#"{"jsonPayload":{"message":"Error sending ack to demo-user-001: ","labels":{"module":"h","function":"f","line":"1"}}}"#,
        );
        let b = key(
            r#"{"jsonPayload":{"message":"Error sending ack to demo-user-017: ","labels":{"module":"h","function":"f","line":"2"}}}"#,
        );
        assert_eq!(a, b);
        assert_eq!(a.title(), "Error sending ack to <id>:");
    }
}
