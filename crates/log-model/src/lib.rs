//! Read Google Cloud Logging exports into typed entries and normalized events.
//!
//! This is the first stage of the log-gardener pipeline:
//!
//! ```text
//! bytes → LogEntry → Event → Template → Cluster → Assessment → Worklog
//! ^^^^^^^^^^^^^^^^^^^^^^^^
//! ```
//!
//! - [`LogReader`] finds entries in a byte stream of any shape Cloud Logging
//!   tools write (gcloud's JSON array, also unterminated, NDJSON, concatenated
//!   objects, API pages; camelCase or snake_case), chunk by chunk, and reports
//!   bad input with its position.
//! - [`LogEntry`] is the typed, borrowing REST representation of an entry.
//! - [`Event`] is the normalized view the later stages work on: severity,
//!   time, service, message, call site, HTTP request and [`StackTrace`]
//!   (Python, Java, JavaScript, Go, Ruby, PHP, .NET).
//! - [`TraceJoiner`] puts back together the stack traces that Cloud Run
//!   logged one line per entry.
//! - [`InputKind`] tells from the first bytes what an input is (gzip,
//!   gcloud's YAML or table output, text, binary...), so a caller whose
//!   reader found nothing can say why ([`NothingReadable`]).
//!
//! The crate does no I/O: the caller passes bytes in and gets values out.
//! The supported shapes and fields are listed in `docs/input-formats.md`.
//!
//! ```
//! use gardener_log_model::{Error, JoinItem, LogReader, ReadEntry, Severity, TraceJoiner};
//!
//! let export = br#"[
//!   {"insertId": "1", "severity": "ERROR", "textPayload": "Traceback (most recent call last):\n  File \"/app/main.py\", line 3, in <module>\n    import x\nModuleNotFoundError: No module named 'x'",
//!    "resource": {"type": "cloud_run_revision", "labels": {"service_name": "api"}}, "timestamp": "2025-09-14T00:27:04Z"}
//! ]"#;
//! let mut reader = LogReader::new();
//! let mut joiner = TraceJoiner::new();
//! let mut events = Vec::new();
//! let mut errors = Vec::new();
//! let mut on_entry = |read: Result<ReadEntry<'_>, Error>| match read {
//!     Ok(read) => events.extend(joiner.push(JoinItem::from(read)).map(|item| item.event.into_owned())),
//!     Err(error) => errors.push(error),
//! };
//! reader.feed(export, &mut on_entry);
//! reader.finish(&mut on_entry);
//! events.extend(joiner.finish().map(|item| item.event));
//! // Strict reading: stop at the first bad record.
//! if let Some(error) = errors.into_iter().next() {
//!     return Err(error.into());
//! }
//!
//! let event = &events[0];
//! assert_eq!(event.severity, Severity::Error);
//! assert_eq!(event.service.as_deref(), Some("api"));
//! assert_eq!(event.summary(), "ModuleNotFoundError: No module named 'x'");
//! let trace = event.stack_trace.as_ref().ok_or("no trace")?;
//! assert_eq!(trace.root_cause().frames[0].module.as_deref(), Some("main"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod entry;
mod error;
mod event;
mod join;
mod lenient;
mod reader;
mod severity;
mod sniff;
mod splitter;
mod trace;

pub use entry::{
    AuthenticationInfo, ErrorContextHttp, ErrorEvent, ErrorGroup, HttpRequest, JsonPayload,
    LogEntry, MonitoredResource, Operation, PayloadContext, PayloadError, PayloadLabels,
    ProtoPayload, ProtoStatus, ReportLocation, RequestLogLine, ServiceContext, SourceLocation,
    Split,
};
pub use error::{Error, ErrorKind, Position};
pub use event::{CallSite, Event, HttpInfo, OperationInfo, PayloadKind, SplitInfo};
pub use join::{JoinItem, JoinLimits, JoinStats, Ready, TraceJoiner};
pub use lenient::Text;
pub use reader::{LogReader, ReadEntry, ReadStats};
pub use severity::Severity;
pub use sniff::{Compression, InputKind, NothingReadable, SNIFF_BYTES};
pub use splitter::{Checkpoint, RawRecord, RecordSplitter, DEFAULT_MAX_RECORD_BYTES};
pub use trace::{Exception, Frame, Language, StackTrace};
