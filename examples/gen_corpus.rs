//! `gen_corpus`: a deterministic, realistic Cloud Run log corpus of any size, for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --bytes 1000000000 > corpus.ndjson
//! cargo run --release --example gen_corpus -- --bytes 10000000 --format json --seed 7 > corpus.json
//! cargo run --release --example gen_corpus -- --entries 1000000 --messages distinct > distinct.ndjson
//! ```
//!
//! The mix follows a Cloud Run service on a normal day with a few incidents:
//! request logs (mostly 2xx, some 4xx and 5xx), structured `jsonPayload` logs
//! from dozens of call sites, Python tracebacks in one `textPayload`, uvicorn
//! access lines, and platform lines from `varlog/system`. Entries average about
//! 1 KB. Every variable part (ids, users, latencies, sizes, times, instances)
//! varies, so clustering has real work to do. Same `--seed`, same bytes.
//!
//! `--messages distinct` writes the input that unmasked payloads produce
//! instead: every entry's message is a different run of 6 to 12 random
//! pronounceable words (no digits, nothing a masker replaces), so every entry
//! is a template of its own. About 1% are `ERROR`, 9% `WARNING`, the rest
//! `INFO`; entries are small (about 170 bytes). `scripts/bench-distinct.sh`
//! measures the gardener on it.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

/// Generate a synthetic Cloud Logging export.
#[derive(Debug, Parser)]
#[command(name = "gen_corpus")]
struct Args {
    /// Approximate size of the output in bytes (the last entry completes it).
    #[arg(long, default_value_t = 10_000_000)]
    bytes: u64,
    /// Write exactly this many entries instead (overrides --bytes).
    #[arg(long)]
    entries: Option<u64>,
    /// What the messages are: an ordinary service's mix, or all distinct.
    #[arg(long, value_enum, default_value_t = Messages::Ordinary)]
    messages: Messages,
    /// NDJSON (one entry per line, as Cloud Storage sinks write) or gcloud's JSON array.
    #[arg(long, value_enum, default_value_t = Shape::Ndjson)]
    format: Shape,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Shape {
    Ndjson,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Messages {
    /// Requests, structured logs, tracebacks, platform lines (about 1 KB each).
    Ordinary,
    /// Small entries whose messages are all different runs of random words.
    Distinct,
}

/// xorshift64*: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    fn hex(&mut self, digits: usize) -> String {
        let mut out = String::with_capacity(digits);
        while out.len() < digits {
            out.push_str(&format!("{:016x}", self.next()));
        }
        out.truncate(digits);
        out
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const SERVICE: &str = "orders-api";
const REVISIONS: [&str; 3] = [
    "orders-api-00041-kx2",
    "orders-api-00042-p7d",
    "orders-api-00043-zq9",
];
const PATHS: [&str; 10] = [
    "/api/orders",
    "/api/orders/{id}",
    "/api/orders/{id}/items",
    "/api/users/{id}",
    "/api/cart",
    "/api/checkout",
    "/api/search",
    "/api/products/{id}",
    "/health/ready",
    "/ws",
];
const AGENTS: [&str; 5] = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36",
    "GoogleHC/1.0",
    "curl/8.5.0",
    "python-requests/2.32.3",
];
/// Structured log templates: (severity, module, function, message with `{}` slots).
const TEMPLATES: [(&str, &str, &str, &str); 24] = [
    ("INFO", "orders.routes.orders", "create_order", "Order {id} created for user {user} with {n} items, total {money} EUR"),
    ("INFO", "orders.routes.orders", "get_order", "Fetched order {id} in {ms}ms"),
    ("INFO", "orders.services.payment", "charge", "Charged {money} EUR to customer {user} (payment intent pi_{hex})"),
    ("INFO", "orders.services.cache", "get", "Cache hit for key order:{id} after {ms}ms"),
    ("INFO", "orders.services.cache", "get", "Cache miss for key user:{user}, loading from database"),
    ("INFO", "orders.db.pool", "acquire", "Acquired connection {n} of 20 from pool in {ms}ms"),
    ("INFO", "orders.main", "lifespan", "Application startup complete."),
    ("INFO", "orders.workers.email", "send", "Sent order confirmation to {email} in {ms}ms"),
    ("DEBUG", "orders.routes.search", "search", "Search query '{word}' returned {n} results in {ms}ms"),
    ("NOTICE", "orders.services.inventory", "reserve", "Reserved {n} units of product {id} for order {id}"),
    ("WARNING", "orders.services.inventory", "reserve", "Low stock for product {id}: {n} units left"),
    ("WARNING", "orders.middleware.auth", "verify", "Token for user {user} expires in {n}s, refresh suggested"),
    ("WARNING", "orders.db.pool", "acquire", "Connection pool exhausted, waited {ms}ms for a connection"),
    ("WARNING", "orders.services.payment", "charge", "Payment provider slow: {ms}ms for intent pi_{hex}"),
    ("WARNING", "orders.config", "load", "Environment variable FEATURE_FLAGS not set, using defaults"),
    ("WARNING", "orders.routes.orders", "list_orders", "Deprecated parameter 'page_size' used by client {ip}; use 'limit'"),
    ("ERROR", "orders.services.payment", "charge", "Payment failed for order {id}: card_declined (customer {user})"),
    ("ERROR", "orders.db.session", "execute", "Database query timed out after {ms}ms: SELECT * FROM orders WHERE user_id = {n}"),
    ("ERROR", "orders.services.cache", "connect", "Redis connection refused at {ip}:6379, retrying in {n}s"),
    ("ERROR", "orders.routes.checkout", "checkout", "Checkout failed for cart {uuid}: inventory service unreachable after {sec}s"),
    ("ERROR", "orders.middleware.auth", "verify", "Authentication failed for user {user}: invalid token signature"),
    ("ERROR", "orders.routes.ws", "receive_loop", "WebSocket receive loop error for session {uuid}: connection closed unexpectedly"),
    ("CRITICAL", "orders.main", "lifespan", "Database initialization timeout after {sec}s; check DATABASE_URL and Cloud SQL connectivity"),
    ("INFO", "orders.workers.scheduler", "tick", "Scheduler tick {n}: {n} jobs due, {n} running"),
];
const WORDS: [&str; 8] = [
    "shoes",
    "red dress",
    "laptop bag",
    "coffee",
    "usb-c cable",
    "desk lamp",
    "socks",
    "kettle",
];
const EXCEPTIONS: [(&str, &str, &str); 4] = [
    ("KeyError", "'customer_id'", "orders/services/payment.py"),
    (
        "ValueError",
        "invalid literal for int() with base 10: '{word}'",
        "orders/routes/orders.py",
    ),
    (
        "sqlalchemy.exc.OperationalError",
        "(psycopg2.OperationalError) server closed the connection unexpectedly",
        "orders/db/session.py",
    ),
    (
        "TimeoutError",
        "timed out after {sec}s waiting for inventory",
        "orders/services/inventory.py",
    ),
];

struct Generator {
    rng: Rng,
    time_micros: u64,
    instances: Vec<String>,
}

fn json(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

impl Generator {
    fn fill(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let slot = &rest[open + 1..open + close];
            let value = match slot {
                "id" => (10_000 + self.rng.below(90_000)).to_string(),
                "user" => format!("user-{:05}", self.rng.below(5000)),
                "n" => self.rng.below(200).to_string(),
                "ms" => (1 + self.rng.below(3000)).to_string(),
                "sec" => format!("{}.{}", 1 + self.rng.below(30), self.rng.below(10)),
                "money" => format!("{}.{:02}", self.rng.below(500), self.rng.below(100)),
                "hex" => self.rng.hex(24),
                "uuid" => format!(
                    "{}-{}-4{}-a{}-{}",
                    self.rng.hex(8),
                    self.rng.hex(4),
                    self.rng.hex(3),
                    self.rng.hex(3),
                    self.rng.hex(12)
                ),
                "email" => format!("customer{}@example.com", self.rng.below(100_000)),
                "ip" => format!(
                    "10.{}.{}.{}",
                    self.rng.below(256),
                    self.rng.below(256),
                    self.rng.below(256)
                ),
                "word" => self.rng.pick(&WORDS).to_owned(),
                other => other.to_owned(),
            };
            out.push_str(&value);
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn timestamp(&mut self) -> (String, String) {
        self.time_micros += 1 + self.rng.below(40_000);
        let format = |micros: u64| {
            chrono::DateTime::from_timestamp(
                (micros / 1_000_000) as i64,
                (micros % 1_000_000) as u32 * 1000,
            )
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string())
            .unwrap_or_default()
        };
        let receive = self.time_micros + 2_000 + self.rng.below(500_000);
        (format(self.time_micros), format(receive))
    }

    fn envelope(&mut self, log: &str, severity: Option<&str>, payload: &str) -> String {
        let (timestamp, receive) = self.timestamp();
        let instance = self.instances[self.rng.below(self.instances.len() as u64) as usize].clone();
        let revision = REVISIONS[(self.rng.below(10) / 4).min(2) as usize];
        let insert_id = format!(
            "{:08x}{:08x}{}",
            self.time_micros / 1_000_000,
            self.time_micros % 1_000_000,
            self.rng.hex(8)
        );
        let severity = severity
            .map(|s| format!(r#","severity":"{s}""#))
            .unwrap_or_default();
        format!(
            r#"{{"insertId":"{insert_id}",{payload},"labels":{{"instanceId":"{instance}"}},"logName":"projects/shop-prod/logs/run.googleapis.com%2F{log}","receiveTimestamp":"{receive}","resource":{{"labels":{{"configuration_name":"{SERVICE}","location":"europe-west1","project_id":"shop-prod","revision_name":"{revision}","service_name":"{SERVICE}"}},"type":"cloud_run_revision"}}{severity},"timestamp":"{timestamp}"}}"#
        )
    }

    fn request(&mut self) -> String {
        let path = self.rng.pick(&PATHS);
        let path = path.replace("{id}", &(1000 + self.rng.below(900_000)).to_string());
        let roll = self.rng.below(1000);
        let status = match roll {
            0..=939 => 200,
            940..=969 => 404,
            970..=984 => 401,
            985..=994 => 500,
            _ => 503,
        };
        let severity = if status >= 500 {
            "ERROR"
        } else if status >= 400 {
            "WARNING"
        } else {
            "INFO"
        };
        let method = if path.starts_with("/api/checkout") || path == "/api/cart" {
            "POST"
        } else {
            "GET"
        };
        let payload = format!(
            r#""httpRequest":{{"latency":"{}.{:09}s","protocol":"HTTP/1.1","remoteIp":"{}.{}.{}.{}","requestMethod":"{method}","requestSize":"{}","requestUrl":"https://{SERVICE}-5x2mq3qv4a-ew.a.run.app{path}?trace={}","responseSize":"{}","serverIp":"34.143.75.2","status":{status},"userAgent":{}}},"spanId":"{}","trace":"projects/shop-prod/traces/{}","traceSampled":{}"#,
            self.rng.below(3),
            self.rng.below(1_000_000_000),
            self.rng.below(224) + 1,
            self.rng.below(256),
            self.rng.below(256),
            self.rng.below(256),
            200 + self.rng.below(3000),
            self.rng.hex(8),
            100 + self.rng.below(20_000),
            json(self.rng.pick(&AGENTS)),
            self.rng.hex(16),
            self.rng.hex(32),
            self.rng.chance(10)
        );
        self.envelope("requests", Some(severity), &payload)
    }

    fn structured(&mut self) -> String {
        // Errors are rarer than routine lines, as in life.
        let index = loop {
            let candidate = self.rng.below(TEMPLATES.len() as u64) as usize;
            let severity = TEMPLATES[candidate].0;
            let keep = match severity {
                "ERROR" | "CRITICAL" => self.rng.chance(15),
                "WARNING" => self.rng.chance(40),
                _ => true,
            };
            if keep {
                break candidate;
            }
        };
        let (severity, module, function, template) = TEMPLATES[index];
        let message = self.fill(template);
        let payload = format!(
            r#""jsonPayload":{{"context":{{"name":"{module}","service":"{SERVICE}"}},"labels":{{"function":"{function}","line":"{}","module":"{module}"}},"message":{},"request_id":"{}","timestamp":"{}"}}"#,
            20 + self.rng.below(900),
            json(&message),
            self.rng.hex(32),
            self.time_micros
        );
        self.envelope("stdout", Some(severity), &payload)
    }

    fn traceback(&mut self) -> String {
        let (kind, message, file) = EXCEPTIONS[self.rng.below(EXCEPTIONS.len() as u64) as usize];
        let message = self.fill(message);
        let text = format!(
            "Traceback (most recent call last):\n  File \"/usr/local/lib/python3.12/site-packages/starlette/middleware/errors.py\", line 165, in __call__\n    await self.app(scope, receive, _send)\n  File \"/usr/local/lib/python3.12/site-packages/fastapi/routing.py\", line 301, in app\n    raw_response = await run_endpoint_function(\n  File \"/app/orders/routes/orders.py\", line {}, in create_order\n    result = await service.place(order)\n  File \"/app/{file}\", line {}, in place\n    return await self._commit(order, customer)\n{kind}: {message}",
            40 + self.rng.below(200),
            10 + self.rng.below(400)
        );
        let payload = format!(r#""textPayload":{}"#, json(&text));
        self.envelope("stderr", Some("ERROR"), &payload)
    }

    fn access_line(&mut self) -> String {
        let line = format!(
            "169.254.169.126:{} - \"GET /health/ready HTTP/1.1\" 200",
            30_000 + self.rng.below(30_000)
        );
        let payload = format!(r#""textPayload":{}"#, json(&line));
        self.envelope("stdout", Some("INFO"), &payload)
    }

    fn platform(&mut self) -> String {
        let line = match self.rng.below(10) {
            0 => "Container called exit(1).".to_owned(),
            1 => format!("Memory limit of 512 MiB exceeded with {} MiB used. Consider increasing the memory limit.", 513 + self.rng.below(200)),
            2..=5 => "Starting new instance. Reason: AUTOSCALING - Instance started due to configured scaling factors (e.g. CPU utilization, request throughput, etc.) or no existing capacity for current traffic.".to_owned(),
            _ => "Default STARTUP TCP probe succeeded after 1 attempt for container \"orders-api-1\" on port 8080.".to_owned(),
        };
        let severity = if line.starts_with("Memory") {
            "ERROR"
        } else if line.contains("exit(1)") {
            "WARNING"
        } else {
            "INFO"
        };
        let payload = format!(r#""textPayload":{}"#, json(&line));
        self.envelope("varlog%2Fsystem", Some(severity), &payload)
    }

    /// A word of two to four consonant-vowel syllables, from letters that
    /// make no hex run long enough to be masked as an id.
    fn word(&mut self) -> String {
        const CONSONANTS: &[u8] = b"gklmnprstvz";
        const VOWELS: &[u8] = b"aiou";
        let syllables = 2 + self.rng.below(3);
        let mut word = String::with_capacity(8);
        for _ in 0..syllables {
            word.push(CONSONANTS[self.rng.below(CONSONANTS.len() as u64) as usize] as char);
            word.push(VOWELS[self.rng.below(VOWELS.len() as u64) as usize] as char);
        }
        word
    }

    /// A small entry whose message no other entry shares.
    fn distinct(&mut self) -> String {
        let words = 6 + self.rng.below(7);
        let message: Vec<String> = (0..words).map(|_| self.word()).collect();
        let severity = match self.rng.below(100) {
            0 => "ERROR",
            1..=9 => "WARNING",
            _ => "INFO",
        };
        let (timestamp, _) = self.timestamp();
        format!(
            r#"{{"insertId":"{}","severity":"{severity}","textPayload":{},"timestamp":"{timestamp}"}}"#,
            self.rng.hex(16),
            json(&message.join(" "))
        )
    }

    fn entry(&mut self, messages: Messages) -> String {
        if messages == Messages::Distinct {
            return self.distinct();
        }
        match self.rng.below(100) {
            0..=39 => self.request(),
            40..=79 => self.structured(),
            80..=84 => self.traceback(),
            85..=96 => self.access_line(),
            _ => self.platform(),
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    match generate(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(
                io::stderr().lock(),
                "gen_corpus: cannot write output: {error}"
            );
            ExitCode::from(1)
        }
    }
}

fn generate(args: &Args) -> io::Result<()> {
    let mut rng = Rng(args.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let instances = (0..12)
        .map(|_| format!("0069c7a988{}", rng.hex(90)))
        .collect();
    let mut generator = Generator {
        rng,
        time_micros: 1_757_894_400_000_000,
        instances,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut written: u64 = 0;
    if args.format == Shape::Json {
        out.write_all(b"[\n")?;
    }
    let mut first = true;
    let mut count: u64 = 0;
    let more = |written: u64, count: u64| match args.entries {
        Some(entries) => count < entries,
        None => written < args.bytes,
    };
    while more(written, count) {
        count += 1;
        let entry = generator.entry(args.messages);
        if args.format == Shape::Json {
            if !first {
                out.write_all(b",\n")?;
            }
            // gcloud pretty-prints; re-indent through serde_json for the real shape.
            let value: serde_json::Value =
                serde_json::from_str(&entry).map_err(io::Error::other)?;
            let pretty = serde_json::to_string_pretty(&value).map_err(io::Error::other)?;
            for (i, line) in pretty.lines().enumerate() {
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                out.write_all(b"  ")?;
                out.write_all(line.as_bytes())?;
            }
            written += pretty.len() as u64 + 4;
        } else {
            out.write_all(entry.as_bytes())?;
            out.write_all(b"\n")?;
            written += entry.len() as u64 + 1;
        }
        first = false;
    }
    if args.format == Shape::Json {
        out.write_all(b"\n]\n")?;
    }
    out.flush()
}
