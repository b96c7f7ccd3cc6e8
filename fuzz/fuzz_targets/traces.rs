//! The stack-trace parsers (Python, Java, JavaScript, Go, Ruby, PHP, .NET)
//! over arbitrary text, and everything read from what they return.
#![no_main]

use gardener_log_model::StackTrace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Some(trace) = StackTrace::parse(text) {
        let _ = trace.summary();
        let _ = trace.root_cause();
        let _ = trace.outermost();
        let _ = trace.in_app_frames().count();
    }
});
