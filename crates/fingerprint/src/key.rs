//! What goes into a fingerprint: the grouping key of an event.

use std::fmt::Write as _;

use gardener_log_model::{Event, Exception, Frame, HttpInfo, PayloadKind};
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
    ///
    /// An entry without a message (a DNS query, a VPC flow, an audit record
    /// without text) is keyed by what it is: `call_site` is its source (log
    /// name, else resource type, else payload kind) and `template` reads
    /// `<source> entry without a message`; see [`GroupKey::is_without_message`].
    Message {
        /// Service that logged it.
        service: String,
        /// `module:function`, or empty; the source of an entry without a
        /// message, so that entries of different sources are never mined
        /// into one template.
        call_site: String,
        /// The masked (and, once mined, generalized) message.
        template: String,
    },
}

/// What the template of an entry without a message says after its source.
const WITHOUT_MESSAGE: &str = "entry without a message";

/// Exception types raised where the source cannot be compiled: the frame
/// (or the message) names the offending file itself, not a call chain.
const COMPILE_ERRORS: [&str; 4] = ["SyntaxError", "IndentationError", "TabError", "ParseError"];

/// Extensions of source files, for finding a compile error's file in its message.
const SOURCE_EXTENSIONS: [&str; 18] = [
    "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "java", "kt", "scala", "go", "rb", "php", "cs",
    "rs", "c", "cc", "cpp",
];

impl GroupKey {
    /// A key for a plain log line, with no service or call site: what
    /// `cluster_lines` uses.
    pub fn for_line(masker: &Masker, line: &str) -> GroupKey {
        let mut scratch = KeyBuilder::default();
        GroupKey::Message {
            service: String::new(),
            call_site: String::new(),
            template: scratch.template(masker, line),
        }
    }

    /// The key of one event (a [`Clusterer`](crate::Clusterer) computes
    /// keys without this function's allocations).
    pub fn of_event(masker: &Masker, event: &Event<'_>) -> GroupKey {
        KeyBuilder::default().key_for_event(masker, event, &mut Vec::new())
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

    /// Whether the key stands for entries without a message, keyed by their
    /// source (see [`GroupKey::Message`]).
    ///
    /// ```
    /// use gardener_fingerprint::{GroupKey, Masker};
    /// use gardener_log_model::{Event, LogEntry};
    /// let raw = br#"{"logName":"projects/p/logs/dns.googleapis.com%2Fdns_queries","jsonPayload":{"queryName":"example.com."}}"#;
    /// let event = Event::from_entry(LogEntry::from_json(raw)?);
    /// let key = GroupKey::of_event(&Masker::new(), &event);
    /// assert!(key.is_without_message());
    /// assert_eq!(key.title(), "dns.googleapis.com/dns_queries entry without a message");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn is_without_message(&self) -> bool {
        match self {
            GroupKey::Message {
                call_site,
                template,
                ..
            } => {
                template
                    .strip_prefix(call_site.as_str())
                    .and_then(|rest| rest.strip_prefix(' '))
                    == Some(WITHOUT_MESSAGE)
            }
            _ => false,
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
pub(crate) struct KeyBuilder {
    masked: String,
    replacements: Vec<Replacement>,
}

impl KeyBuilder {
    /// The masked template of `text`, whitespace runs collapsed to one space.
    pub fn template(&mut self, masker: &Masker, text: &str) -> String {
        let mut template = String::new();
        self.template_into(masker, text, &mut template);
        template
    }

    /// Writes the masked template of `text` into `out` (cleared first): the
    /// allocation-free form of [`template`](KeyBuilder::template).
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
                // One exception type at one source location is one problem,
                // whatever its message says: the location is its frames, the
                // file that does not compile, or the call site that logged it.
                let frames = location_frames(root, event);
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
        if event.message.trim().is_empty() {
            let source = source_of(event);
            let template = format!("{source} {WITHOUT_MESSAGE}");
            return GroupKey::Message {
                service,
                call_site: source,
                template,
            };
        }
        let call_site = call_site_text(event).unwrap_or_default();
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
    // Eight bytes at a time (this runs on every message): exact masks of the
    // spaces, and a scalar look only at words with a byte below 0x0e.
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut after_space = false;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        // Some byte is below 0x0e: maybe a tab, line feed, form feed or
        // carriage return.
        if word.wrapping_sub(ONES * 0x0e) & !word & HIGH != 0
            && chunk
                .iter()
                .any(|b| matches!(b, b'\t' | b'\n' | b'\r' | b'\x0c'))
        {
            return false;
        }
        // The high bit of each byte that is a space, exactly.
        let x = word ^ (ONES * u64::from(b' '));
        let spaces = !(((x & !HIGH).wrapping_add(!HIGH)) | x) & HIGH;
        if spaces & (spaces << 8) != 0 || (after_space && spaces & 0x80 != 0) {
            return false;
        }
        after_space = spaces >> 63 != 0;
    }
    for &byte in chunks.remainder() {
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

/// `module:function` of the event's call site.
fn call_site_text(event: &Event<'_>) -> Option<String> {
    let site = event.call_site.as_ref()?;
    let mut text = site.module.as_deref().unwrap_or_default().to_owned();
    if let Some(function) = &site.function {
        text.push(':');
        text.push_str(function);
    }
    (!text.is_empty()).then_some(text)
}

/// What an entry without a message is: its log name, else its resource
/// type, else the kind of its payload.
fn source_of(event: &Event<'_>) -> String {
    if let Some(name) = event.log_name.as_deref().filter(|n| !n.trim().is_empty()) {
        return name.to_owned();
    }
    if let Some(kind) = event
        .resource_type
        .as_deref()
        .filter(|k| !k.trim().is_empty())
    {
        return kind.to_owned();
    }
    match event.payload {
        PayloadKind::Json => "jsonPayload",
        PayloadKind::Proto => "protoPayload",
        PayloadKind::Text => "textPayload",
        _ => "log",
    }
    .to_owned()
}

/// The frames that locate an exception: the file of a compile error, else
/// the top in-app frames, else (a trace without frames) the call site that
/// logged it. Empty when nothing locates it; the message then keys it.
fn location_frames(exception: &Exception, event: &Event<'_>) -> Vec<String> {
    let short = exception
        .kind
        .rsplit(['.', '\\', ':'])
        .next()
        .unwrap_or(&exception.kind);
    if COMPILE_ERRORS.contains(&short) {
        // The innermost frame of a compile error is the offending file
        // (Python prints it without a function); a one-line report names it
        // in the message (`... (x.py, line 3)`, `... in /app/x.py line 3`).
        let file = exception
            .frames
            .last()
            .filter(|frame| frame.function.is_none())
            .and_then(|frame| frame.file.as_deref())
            .or_else(|| source_file_in(&exception.message));
        if let Some(file) = file {
            return vec![file_name(file).to_owned()];
        }
    }
    let frames = key_frames(exception);
    if !frames.is_empty() {
        return frames;
    }
    call_site_text(event).into_iter().collect()
}

/// The last path component of `path`.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The source file a message names (`(websocket_ssot.py, line 658)`,
/// `in /app/x.py line 3`, `at /app/x.js:12`), with any `:line` cut off.
fn source_file_in(message: &str) -> Option<&str> {
    message
        .split(|c: char| c.is_whitespace() || "()\"'`,;".contains(c))
        .map(|token| {
            let token = token.trim_end_matches(['.', ':']);
            let mut parts = token.splitn(2, ':');
            let path = parts.next().unwrap_or(token);
            // `C:\\x.py` keeps its drive.
            if path.len() == 1 {
                token
            } else {
                path
            }
        })
        .find(|token| {
            let Some((stem, extension)) = file_name(token).rsplit_once('.') else {
                return false;
            };
            !stem.is_empty() && SOURCE_EXTENSIONS.contains(&extension)
        })
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

    /// [`is_collapsed`] byte by byte, as it was written first.
    fn is_collapsed_bytewise(text: &str) -> bool {
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        #[test]
        fn collapsed_test_agrees_with_the_bytewise_one(
            text in "[a b\\t\\n\\r\\x0b\\x0c\\x00\\x01\\x1f!é]{0,40}|\\PC{0,40}|[a-z ]{0,40}"
        ) {
            proptest::prop_assert_eq!(is_collapsed(&text), is_collapsed_bytewise(&text), "{:?}", text);
        }
    }

    #[test]
    fn collapsed_text_at_every_offset() {
        for offset in 0..16 {
            let pad = "x".repeat(offset);
            for (tail, collapsed) in [
                ("a b", true),
                ("a  b", false),
                ("a\tb", false),
                ("a\x0bb", true),
                ("a\x0cb", false),
            ] {
                let text = format!("{pad}{tail}{pad}y");
                assert_eq!(is_collapsed(&text), collapsed, "{text:?}");
            }
        }
    }
    use gardener_log_model::LogEntry;

    fn key(json: &str) -> GroupKey {
        let event = Event::from_entry(LogEntry::from_json(json.as_bytes()).unwrap());
        KeyBuilder::default().key_for_event(&Masker::new(), &event, &mut Vec::new())
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

    const SYNTAX_TRACE: &str = r#"{"severity":"ERROR","textPayload":"Traceback (most recent call last):\n  File \"/app/netra_backend/app/main.py\", line 5, in <module>\n    from netra_backend.app.routes import websocket_ssot\n  File \"/app/netra_backend/app/routes/websocket_ssot.py\", line 658\n    connection_id = f\"main_{gen(\"ws\")}\"\n                        ^\nSyntaxError: f-string: unmatched '('"}"#;

    #[test]
    fn one_syntax_error_in_two_wordings_is_one_key() {
        let traced = key(SYNTAX_TRACE);
        let one_line = key(
            r#"{"severity":"ERROR","textPayload":"SyntaxError: f-string: unmatched '(' in /app/netra_backend/app/routes/websocket_ssot.py line 658"}"#,
        );
        let python_str = key(
            r#"{"severity":"ERROR","textPayload":"SyntaxError: f-string: expecting '}' (websocket_ssot.py, line 658)"}"#,
        );
        assert_eq!(traced, one_line);
        assert_eq!(traced, python_str);
        assert_eq!(traced.title(), "SyntaxError in websocket_ssot.py");
        let elsewhere =
            key(r#"{"textPayload":"SyntaxError: invalid syntax (handlers.py, line 3)"}"#);
        assert_ne!(traced, elsewhere, "another file is another problem");
    }

    #[test]
    fn one_exception_at_one_call_site_is_one_key_whatever_its_message() {
        let message = |text: &str, line: u32| {
            key(&format!(
                r#"{{"severity":"ERROR","jsonPayload":{{"message":"{text}","error":{{"type":"DeterministicStartupError","value":"CRITICAL STARTUP FAILURE: Database initialization timeout after 8.0s"}},"labels":{{"module":"netra_backend.app.smd","function":"_initialize_database","line":"{line}"}}}}}}"#
            ))
        };
        let critical = message(
            "CRITICAL STARTUP FAILURE: Database initialization timeout after 8.0s",
            1005,
        );
        let phase = message(
            "Phase 3 DATABASE failed after 8.018s - startup aborted (DeterministicStartupError)",
            1018,
        );
        assert_eq!(critical, phase);
        assert_eq!(
            critical.title(),
            "DeterministicStartupError in netra_backend.app.smd:_initialize_database"
        );
    }

    #[test]
    fn frameless_exceptions_without_a_location_keep_their_message() {
        let a = key(r#"{"textPayload":"KeyError: 'timestamp'"}"#);
        let b = key(r#"{"textPayload":"KeyError: 'user'"}"#);
        assert_ne!(a, b);
    }

    #[test]
    fn entries_without_a_message_are_keyed_by_their_source() {
        let dns = key(
            r#"{"logName":"projects/p/logs/dns.googleapis.com%2Fdns_queries","resource":{"type":"dns_query"},"jsonPayload":{"queryName":"example.com.","queryType":"A","responseCode":"NOERROR"},"severity":"INFO"}"#,
        );
        let flow = key(
            r#"{"logName":"projects/p/logs/compute.googleapis.com%2Fvpc_flows","resource":{"type":"gce_subnetwork"},"jsonPayload":{"connection":{"src_ip":"10.0.0.2","dest_ip":"10.0.0.3"},"bytes_sent":"120"}}"#,
        );
        let blank =
            key(r#"{"logName":"projects/p/logs/run.googleapis.com%2Fstdout","textPayload":"   "}"#);
        let unnamed = key(r#"{"resource":{"type":"pubsub_topic"},"jsonPayload":{"data":"x"}}"#);
        let bare = key(r#"{"protoPayload":{"@type":"type.googleapis.com/x.Y"}}"#);
        assert_eq!(
            dns.title(),
            "dns.googleapis.com/dns_queries entry without a message"
        );
        assert_eq!(
            flow.title(),
            "compute.googleapis.com/vpc_flows entry without a message"
        );
        assert_eq!(
            blank.title(),
            "run.googleapis.com/stdout entry without a message"
        );
        assert_eq!(unnamed.title(), "pubsub_topic entry without a message");
        assert_eq!(bare.title(), "protoPayload entry without a message");
        for key in [&dns, &flow, &blank, &unnamed, &bare] {
            assert!(key.is_without_message(), "{key:?}");
        }
        assert_ne!(dns.fingerprint(), flow.fingerprint());
        let said = key(r#"{"textPayload":"entry without a message"}"#);
        assert!(!said.is_without_message());
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
