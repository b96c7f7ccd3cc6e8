//! Read Google Cloud Logging exports into typed entries and normalized events.
//!
//! This is the first stage of the log-gardener pipeline:
//!
//! ```text
//! bytes → LogEntry → Event → Template → Cluster → Assessment → Worklog
//! ^^^^^^^^^^^^^^^^^^^^^^^^
//! ```
//!
//! - [`EventReader`] owns the stage: bytes in, chunk by chunk, normalized
//!   [`Event`]s out, with stack traces that Cloud Run logged one line per
//!   entry re-joined, and bad input reported with its position.
//! - [`Event`] is the normalized view the later stages work on: severity,
//!   time, service, message, call site, HTTP request and [`StackTrace`]
//!   (Python, Java, JavaScript, Go, Ruby, PHP, .NET).
//! - [`BatchCutter`] cuts one input into [`Batch`]es that separate
//!   `EventReader`s read in parallel with the same result.
//! - [`InputKind`] tells from the first bytes what an input is (gzip,
//!   gcloud's YAML or table output, text, binary...), so a caller whose
//!   reader found nothing can say why ([`NothingReadable`]).
//!
//! Its parts are public too: [`LogReader`] finds entries in any shape Cloud
//! Logging tools write (gcloud's JSON array, also unterminated, NDJSON,
//! concatenated objects, API pages; camelCase or snake_case), [`LogEntry`]
//! is the typed, borrowing REST representation of an entry, and
//! [`TraceJoiner`] re-joins split traces.
//!
//! The crate does no I/O: the caller passes bytes in and gets values out.
//! The supported shapes and fields are listed in `docs/input-formats.md`.
//!
//! ```
//! use gardener_log_model::{Error, EventReader, ReadEvent, Severity};
//!
//! let export = br#"[
//!   {"insertId": "1", "severity": "ERROR", "textPayload": "Traceback (most recent call last):\n  File \"/app/main.py\", line 3, in <module>\n    import x\nModuleNotFoundError: No module named 'x'",
//!    "resource": {"type": "cloud_run_revision", "labels": {"service_name": "api"}}, "timestamp": "2025-09-14T00:27:04Z"}
//! ]"#;
//! let mut reader = EventReader::new();
//! let mut events = Vec::new();
//! let mut errors = Vec::new();
//! let mut on_event = |read: Result<ReadEvent<'_>, Error>| match read {
//!     Ok(read) => events.push(read.event.into_owned()),
//!     Err(error) => errors.push(error),
//! };
//! reader.feed(export, &mut on_event);
//! reader.finish(&mut on_event);
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

mod cut;
mod entry;
mod error;
mod event;
mod events;
mod join;
mod lenient;
mod reader;
mod severity;
mod sniff;
mod splitter;
mod stated_level;
mod trace;

pub use cut::{Batch, BatchCutter};
pub use entry::{
    AuthenticationInfo, ErrorContextHttp, ErrorEvent, ErrorGroup, HttpRequest, JsonPayload,
    LogEntry, MonitoredResource, Operation, PayloadContext, PayloadError, PayloadLabels,
    ProtoPayload, ProtoStatus, ReportLocation, RequestLogLine, ServiceContext, SourceLocation,
    Split,
};
pub use error::{Error, ErrorKind, Position};
pub use event::{CallSite, Event, HttpInfo, OperationInfo, PayloadKind, SplitInfo};
pub use events::{EventReader, EventStats, ReadConfig};
pub use join::{JoinLimits, JoinStats, ReadEvent, Ready, TraceJoiner};
pub use lenient::Text;
pub use reader::{LogReader, ReadEntry, ReadStats};
pub use severity::Severity;
pub use sniff::{Compression, InputKind, NothingReadable, SNIFF_BYTES};
pub use splitter::{Checkpoint, RawRecord, RecordSplitter, DEFAULT_MAX_RECORD_BYTES};
pub use trace::{Exception, Frame, Language, StackTrace};
