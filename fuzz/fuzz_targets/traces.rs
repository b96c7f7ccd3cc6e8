//! The stack-trace parsers (Python, Java, JavaScript, Go, Ruby, PHP, .NET)
//! over arbitrary text, and everything read from what they return.
#![no_main]

use gardener_log_model::StackTrace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Some(trace) = StackTrace::parse(text) {
        for exception in [trace.root_cause(), trace.outermost()] {
            let _ = exception.summary();
            let _ = exception.in_app_frames().count();
        }
    }
});
