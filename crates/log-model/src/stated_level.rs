//! The level a log line states in its own text.
//!
//! Cloud Run stores a raw line written to stderr as `ERROR`, one written to
//! stdout as `INFO` or `DEFAULT`, whatever the program meant: gunicorn's
//! `[INFO] Booting worker with pid: 9` arrives as an error. The program's
//! logger usually wrote the level into the line, and that is the better
//! witness. [`Severity::stated_in`] reads it, in the shapes common loggers
//! print, and only where a logger puts it (the line's prefix, a `level=`
//! field, a JSON key), so a level word inside a sentence is not taken for one.

use std::borrow::Cow;

use serde::Deserialize;

use crate::Severity;

/// Bytes of a line's start searched for a level: a logger's prefix is short.
const PREFIX_BYTES: usize = 200;
/// Tokens of a prefix looked at (timestamp, pid, thread, logger, level).
const PREFIX_TOKENS: usize = 8;
/// Tokens that are neither a timestamp nor bracketed (a logger or thread
/// name) allowed before the level in a timestamped prefix.
const NAME_TOKENS: usize = 3;

impl Severity {
    /// The level `line` states in its text, if it states one.
    ///
    /// Only the first line of `line` is read. Recognised shapes:
    ///
    /// | shape | example |
    /// |---|---|
    /// | level and colon first (Python `logging`, uvicorn, Node) | `INFO:     Started server process [1]`, `WARNING:root:disk low` |
    /// | bracketed level in the prefix (gunicorn, env_logger, log4j) | `[2025-09-14 00:27:04 +0000] [9] [INFO] Booting worker with pid: 9` |
    /// | level word after a timestamp (logback, tracing, zap) | `2025-09-14 00:27:04.123  INFO 1 --- [main] c.e.App : Started` |
    /// | logfmt (Go, Heroku) | `time=2025-09-14T00:27:04Z level=info msg="listening"` |
    /// | klog / glog (Kubernetes, Go) | `E1203 10:00:00.123456       1 reflector.go:138] failed to list` |
    /// | a JSON object with `severity`, `level` or `levelname` | `{"level":"warn","msg":"slow query"}` |
    ///
    /// Lower-case level names count only where a logger writes them (`level=`,
    /// `[info]`, `info:` first, a JSON value); an upper-case level word counts
    /// in the prefix of a line that starts with a timestamp or a bracket.
    ///
    /// ```
    /// use gardener_log_model::Severity;
    /// assert_eq!(Severity::stated_in("[2025-09-14 00:27:04 +0000] [9] [INFO] Booting worker with pid: 9"), Some(Severity::Info));
    /// assert_eq!(Severity::stated_in("INFO:     Shutting down"), Some(Severity::Info));
    /// assert_eq!(Severity::stated_in("CRITICAL STARTUP FAILURE: database timeout"), None);
    /// ```
    pub fn stated_in(line: &str) -> Option<Severity> {
        let line = line.lines().next().unwrap_or_default().trim_start();
        if line.is_empty() {
            return None;
        }
        if line.starts_with('{') {
            return json_level(line.trim_end());
        }
        let prefix = cut(line, PREFIX_BYTES);
        klog_level(prefix)
            .or_else(|| colon_level(prefix))
            .or_else(|| logfmt_level(prefix))
            .or_else(|| prefix_level(prefix))
    }
}

/// `line` cut to at most `max` bytes at a character boundary.
fn cut(line: &str, max: usize) -> &str {
    if line.len() <= max {
        return line;
    }
    let mut end = max;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

/// A level name a logger writes, any case. `DEFAULT` is Cloud Logging's
/// absence of a level, never a stated one.
fn level_name(word: &str) -> Option<Severity> {
    if word.eq_ignore_ascii_case("default") {
        return None;
    }
    Severity::from_name(word)
}

/// An upper-case level name: the spelling loggers use in a prefix, which a
/// word of a sentence rarely has.
fn upper_level_name(word: &str) -> Option<Severity> {
    let upper = word.len() >= 3 && word.bytes().all(|b| b.is_ascii_uppercase());
    upper.then(|| level_name(word)).flatten()
}

/// klog/glog: `Lmmdd hh:mm:ss.uuuuuu`, with `L` one of `I W E F`.
fn klog_level(line: &str) -> Option<Severity> {
    let bytes = line.as_bytes();
    let severity = match bytes.first()? {
        b'I' => Severity::Info,
        b'W' => Severity::Warning,
        b'E' => Severity::Error,
        b'F' => Severity::Critical,
        _ => return None,
    };
    let shape = b"0000 00:00:00";
    let body = bytes.get(1..1 + shape.len())?;
    let fits = body.iter().zip(shape).all(|(&b, &s)| match s {
        b'0' => b.is_ascii_digit(),
        other => b == other,
    });
    fits.then_some(severity)
}

/// `INFO:` or `warning:` as the first word (Python's `logging.basicConfig`,
/// uvicorn, Node's console helpers).
fn colon_level(line: &str) -> Option<Severity> {
    let (word, _) = line.split_once(':')?;
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    level_name(word)
}

/// A logfmt line (`key=value` pairs) with a `level`, `lvl` or `severity` key.
fn logfmt_level(line: &str) -> Option<Severity> {
    let mut rest = line;
    for _ in 0..PREFIX_TOKENS {
        rest = rest.trim_start();
        let (key, after) = rest.split_once('=')?;
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
        {
            return None;
        }
        let (value, after) = match after.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.find('"')?;
                (&quoted[..end], &quoted[end + 1..])
            }
            None => after.split_at(after.find(char::is_whitespace).unwrap_or(after.len())),
        };
        if ["level", "lvl", "severity", "loglevel"]
            .iter()
            .any(|name| key.eq_ignore_ascii_case(name))
        {
            return level_name(value);
        }
        rest = after;
    }
    None
}

/// A timestamp-like token: starts with a digit and is made of digits and
/// the separators of dates and times (`2025-09-14`, `00:27:04,123`,
/// `2025-09-14T00:27:04.123Z`, `+0000`).
fn is_timestamp_token(token: &str) -> bool {
    let token = token.trim_start_matches('+');
    token.starts_with(|c: char| c.is_ascii_digit())
        && token.bytes().any(|b| b"-:/.".contains(&b))
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-:/.,TZ+".contains(&b))
}

/// The level in a logger's prefix: bracketed (`[INFO]`, `[info]`,
/// `[2025-09-14T00:27:04Z INFO  app]`), or an upper-case level word after a
/// leading timestamp or bracket.
fn prefix_level(line: &str) -> Option<Severity> {
    let mut rest = line;
    let mut saw_timestamp = false;
    let mut saw_bracket = false;
    let mut names = 0;
    for _ in 0..PREFIX_TOKENS {
        rest = rest.trim_start();
        if rest.is_empty() {
            return None;
        }
        if let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']')?;
            let content = inner[..close].trim();
            if let Some(severity) = level_name(content) {
                return Some(severity);
            }
            if let Some(severity) = content.split_whitespace().find_map(upper_level_name) {
                return Some(severity);
            }
            saw_bracket = true;
            rest = &inner[close + 1..];
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..end];
        rest = &rest[end..];
        if is_timestamp_token(token) {
            saw_timestamp = true;
            continue;
        }
        let word = token.trim_matches(|c: char| ":-|,;()<>".contains(c));
        if word.is_empty() || word.bytes().all(|b| b.is_ascii_digit()) {
            // A separator (`-`, `---`, `|`) or a process id.
            continue;
        }
        if saw_timestamp || saw_bracket {
            if let Some(severity) = upper_level_name(word) {
                return Some(severity);
            }
        }
        names += 1;
        if !saw_timestamp || names > NAME_TOKENS {
            return None;
        }
    }
    None
}

/// The level of a JSON object written as text: its `severity`, `level`,
/// `levelname`, `log.level` or `lvl`, as a name or a pino/bunyan number.
fn json_level(line: &str) -> Option<Severity> {
    #[derive(Deserialize)]
    struct Levels<'a> {
        #[serde(borrow, default)]
        severity: Option<Level<'a>>,
        #[serde(borrow, default)]
        level: Option<Level<'a>>,
        #[serde(borrow, default)]
        levelname: Option<Level<'a>>,
        #[serde(borrow, default, rename = "log.level")]
        log_level: Option<Level<'a>>,
        #[serde(borrow, default)]
        lvl: Option<Level<'a>>,
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Level<'a> {
        Name(#[serde(borrow)] Cow<'a, str>),
        Number(i64),
        Other(serde::de::IgnoredAny),
    }
    let levels: Levels<'_> = serde_json::from_str(line).ok()?;
    [
        levels.severity,
        levels.level,
        levels.levelname,
        levels.log_level,
        levels.lvl,
    ]
    .into_iter()
    .flatten()
    .find_map(|level| match level {
        Level::Name(name) => level_name(&name),
        Level::Number(number) => Some(pino_level(number)),
        Level::Other(_) => None,
    })
}

/// pino and bunyan number their levels 10 (trace) to 60 (fatal); anything
/// else is read on Cloud Logging's scale.
fn pino_level(number: i64) -> Severity {
    match number {
        10 | 20 => Severity::Debug,
        30 => Severity::Info,
        40 => Severity::Warning,
        50 => Severity::Error,
        60 => Severity::Critical,
        other => Severity::from_number(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! stated {
        ($($name:ident: $line:expr => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(Severity::stated_in($line), $expected, "line: {:?}", $line);
            }
        )*};
    }

    stated! {
        gunicorn_booting_worker: "[2025-09-14 00:27:04 +0000] [9] [INFO] Booting worker with pid: 9" => Some(Severity::Info);
        gunicorn_starting: "[2025-09-14 00:27:04 +0000] [1] [INFO] Starting gunicorn 21.2.0" => Some(Severity::Info);
        gunicorn_listening: "[2025-09-14 00:27:04 +0000] [1] [INFO] Listening at: http://0.0.0.0:8080 (1)" => Some(Severity::Info);
        gunicorn_handling_signal: "[2025-09-14 00:27:04 +0000] [1] [INFO] Handling signal: term" => Some(Severity::Info);
        gunicorn_shutting_down_info: "[2025-09-14 00:27:04 +0000] [1] [INFO] Shutting down: Master" => Some(Severity::Info);
        gunicorn_shutting_down_error: "[2025-09-14 00:27:07 +0000] [1] [ERROR] Shutting down: Master" => Some(Severity::Error);
        gunicorn_worker_trace: "[2025-09-14 00:27:07 +0000] [11] [ERROR] Exception in worker process\nTraceback (most recent call last):" => Some(Severity::Error);
        gunicorn_warning: "[2025-09-14 00:27:07 +0000] [1] [WARNING] Worker with pid 11 was terminated due to signal 15" => Some(Severity::Warning);
        gunicorn_critical: "[2025-09-14 00:27:07 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:11)" => Some(Severity::Critical);
        uvicorn_info: "INFO:     Started server process [1]" => Some(Severity::Info);
        uvicorn_access: "INFO:     169.254.169.126:33159 - \"GET /health/ready HTTP/1.1\" 200 OK" => Some(Severity::Info);
        uvicorn_error: "ERROR:    Exception in ASGI application" => Some(Severity::Error);
        uvicorn_shutdown: "INFO:     Shutting down" => Some(Severity::Info);
        python_basic_config: "WARNING:root:disk almost full" => Some(Severity::Warning);
        python_basic_config_critical: "CRITICAL:app.db:cannot connect" => Some(Severity::Critical);
        python_dash_format: "2025-09-14 00:27:04,123 - app.main - INFO - ready" => Some(Severity::Info);
        python_bracket_format: "2025-09-14 00:27:04,123 [ERROR] app.main: boom" => Some(Severity::Error);
        logback: "2025-09-14 00:27:04.123  INFO 1 --- [           main] c.e.DemoApplication : Started DemoApplication" => Some(Severity::Info);
        log4j: "2025-09-14 00:27:04,123 [main] WARN  com.example.Pool - pool exhausted" => Some(Severity::Warning);
        rust_tracing: "2025-09-14T00:27:04.123456Z  INFO server: listening on 0.0.0.0:8080" => Some(Severity::Info);
        rust_env_logger: "[2025-09-14T00:27:04Z ERROR server] bind failed" => Some(Severity::Error);
        zap_console: "2025-09-14T00:27:04.123Z\tDEBUG\tserver/main.go:42\tconfig loaded" => Some(Severity::Debug);
        bracketed_lower_case: "[info] worker ready" => Some(Severity::Info);
        node_winston: "info: server listening on 8080" => Some(Severity::Info);
        logfmt: "time=2025-09-14T00:27:04Z level=info msg=\"listening\" port=8080" => Some(Severity::Info);
        logfmt_quoted_time: "time=\"2025-09-14 00:27:04\" level=warning msg=\"slow\"" => Some(Severity::Warning);
        logfmt_first: "level=error ts=2025-09-14T00:27:04Z caller=main.go:12 msg=\"exit\"" => Some(Severity::Error);
        klog_info: "I1203 10:00:00.123456       1 leaderelection.go:248] attempting to acquire leader lease" => Some(Severity::Info);
        klog_error: "E1203 10:00:00.123456       1 reflector.go:138] failed to list *v1.Pod" => Some(Severity::Error);
        klog_warning: "W1203 10:00:00.123456       1 warnings.go:70] deprecated API" => Some(Severity::Warning);
        json_level: r#"{"level":"info","msg":"listening","port":8080}"# => Some(Severity::Info);
        json_severity: r#"{"severity":"WARNING","message":"slow"}"# => Some(Severity::Warning);
        json_pino_number: r#"{"level":50,"time":1694650024000,"msg":"failed"}"# => Some(Severity::Error);
        json_levelname: r#"{"levelname":"DEBUG","message":"x"}"# => Some(Severity::Debug);
        json_without_level: r#"{"msg":"x"}"# => None;
        json_broken: r#"{"level":"info""# => None;

        // Not a stated level.
        shouted_words: "CRITICAL STARTUP FAILURE: Database initialization timeout after 8.0s" => None;
        word_in_sentence: "Redis readiness: GRACEFUL DEGRADATION - Exception 'bool' object is not callable" => None;
        bracket_then_words: "[MAIN MODE] Message loop error: WebSocket is not connected" => None;
        emoji_bracket: "[🔑] USER AUTO-CREATED: Created user from JWT=REDACTED" => None;
        shouting_prefix: "SSOT WARNING: Found other WebSocket Manager classes" => None;
        level_word_late: "Phase 3 DATABASE failed after 8.018s - startup aborted (DeterministicStartupError) ERROR" => None;
        traceback: "Traceback (most recent call last):" => None;
        python_warning: "/usr/local/lib/python3.11/site-packages/pydantic/_internal/_config.py:291: UserWarning: Valid config keys have changed" => None;
        exit_line: "Container called exit(3)." => None;
        default_is_no_level: "DEFAULT: something" => None;
        logfmt_without_level: "time=2025-09-14T00:27:04Z msg=x" => None;
        code_line: "    logging.basicConfig(level=logging.INFO)" => None;
        klog_lookalike: "Initializing 12 workers" => None;
        empty: "" => None;
        blank_then_level: "\nINFO: second line only" => None;
    }

    #[test]
    fn only_the_prefix_is_searched() {
        let long = format!("{} [INFO] late", "x".repeat(PREFIX_BYTES));
        assert_eq!(Severity::stated_in(&long), None);
        let multibyte = "é".repeat(PREFIX_BYTES);
        assert_eq!(Severity::stated_in(&multibyte), None);
    }
}
