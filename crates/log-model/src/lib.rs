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
//!   tools write (gcloud's JSON array, NDJSON, API pages, ...), chunk by chunk.
//! - [`LogEntry`] is the typed, borrowing REST representation of an entry.
//! - [`Event`] is the normalized view the later stages work on: severity,
//!   time, service, message, call site, HTTP request and [`StackTrace`].
//!
//! The crate does no I/O: the caller passes bytes in and gets values out.
//!
//! ```
//! use gardener_log_model::{Event, LogReader, Severity};
//!
//! let export = br#"[
//!   {"insertId": "1", "severity": "ERROR", "textPayload": "Traceback (most recent call last):\n  File \"/app/main.py\", line 3, in <module>\n    import x\nModuleNotFoundError: No module named 'x'",
//!    "resource": {"type": "cloud_run_revision", "labels": {"service_name": "api"}}}
//! ]"#;
//! let mut events = Vec::new();
//! let mut reader = LogReader::new();
//! let mut on_entry = |read: Result<gardener_log_model::ReadEntry<'_>, gardener_log_model::Error>| {
//!     let event = Event::from_entry(read.expect("valid entry").entry);
//!     events.push((event.severity, event.service.as_deref().map(str::to_owned), event.summary().into_owned()));
//! };
//! reader.feed(export, &mut on_entry);
//! reader.finish(&mut on_entry);
//! assert_eq!(events, [(Severity::Error, Some("api".to_owned()), "ModuleNotFoundError: No module named 'x'".to_owned())]);
//! ```

mod entry;
mod error;
mod event;
mod join;
mod lenient;
mod reader;
mod severity;
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
pub use splitter::{RawRecord, RecordSplitter, DEFAULT_MAX_RECORD_BYTES};
pub use trace::{Exception, Frame, Language, StackTrace};
