//! One case per cluster the five hand-written worklogs in `shared/seeds/`
//! describe: the priority the seed gave, or the priority we give and why it
//! differs. The seeds judge with knowledge the logs do not carry (business
//! impact, "golden path", earlier incidents) and disagree with each other
//! (SessionMiddleware warnings are P0, P1 and P3 in three of them); the rules
//! follow what the log itself says.

use gardener_prioritize::{Category, Priority};

use crate::support::{assess, entries, Entries};

const IMPORT_TRACE: &str = "[2025-09-14 00:27:04 +0000] [12] [ERROR] Exception in worker process\nTraceback (most recent call last):\n  File \"/usr/local/lib/python3.11/site-packages/gunicorn/arbiter.py\", line 609, in spawn_worker\n    worker.init_process()\n  File \"/app/netra_backend/app/main.py\", line 37, in <module>\n    app = create_app()\n  File \"/app/netra_backend/app/services/websocket_bridge_factory.py\", line 23, in <module>\n    from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager\nImportError: cannot import name 'UnifiedWebSocketManager' from 'netra_backend.app.websocket_core.unified_manager' (/app/netra_backend/app/websocket_core/unified_manager.py)";
const SYNTAX_TRACE: &str = "Traceback (most recent call last):\n  File \"/app/netra_backend/app/main.py\", line 5, in <module>\n    from netra_backend.app.routes import websocket_ssot\n  File \"/app/netra_backend/app/routes/websocket_ssot.py\", line 658\n    connection_id = f\"main_{UnifiedIdGenerator.generate_base_id(\"ws_conn\").split('_')[-1]}\"\n                                                                 ^\nSyntaxError: f-string: unmatched '('";
const LOGURU_TRACE: &str = "Traceback (most recent call last):\n  File \"/home/netra/.local/lib/python3.11/site-packages/loguru/_handler.py\", line 161, in emit\n    formatted = precomputed_format.format_map(formatter_record)\nKeyError: '\"timestamp\"'";

macro_rules! seed_cases {
    ($($name:ident: $entries:expr => $expected:expr, $category:expr, $why:expr;)*) => {$(
        #[test]
        fn $name() {
            let (clusters, assessments) = assess(&entries(&$entries));
            let assessment = &assessments[0];
            assert_eq!(
                (assessment.priority, assessment.category),
                ($expected, $category),
                "{} ({}): {:#?}",
                clusters[0].key.title(),
                $why,
                assessment.reasons
            );
        }
    )*};
}

fn text(
    severity: &'static str,
    message: &'static str,
    count: usize,
    instances: usize,
    over_seconds: u64,
) -> Entries<'static> {
    Entries::text(severity, message, count, instances, over_seconds)
}

fn logged(
    severity: &'static str,
    message: &'static str,
    site: (&'static str, &'static str),
    count: usize,
    over_seconds: u64,
) -> Entries<'static> {
    Entries {
        severity,
        message,
        site: Some(site),
        request: None,
        count,
        instances: 2,
        over_seconds,
    }
}

fn request(path: &'static str, status: u16, count: usize) -> Entries<'static> {
    Entries {
        severity: if status >= 500 { "ERROR" } else { "INFO" },
        message: "",
        site: None,
        request: Some(("GET", path, status)),
        count,
        instances: 3,
        over_seconds: 600,
    }
}

seed_cases! {
    // Seed 000 (2025-09-13).
    s000_import_error_boot_failure: text("ERROR", IMPORT_TRACE, 6, 3, 600)
        => Priority::P0, Category::BootFailure, "agrees";
    s000_http_503: request("/ws", 503, 5)
        => Priority::P1, Category::ServerError, "agrees";
    s000_syntax_error: text("ERROR", SYNTAX_TRACE, 3, 2, 60)
        => Priority::P0, Category::BootFailure, "agrees";
    s000_ssot_manager_classes: logged("WARNING", "SSOT WARNING: Found other WebSocket Manager classes: ['a.b.WebSocketManagerMode', 'a.b.WebSocketManagerProtocol', 'a.c.WebSocketManagerMode']", ("netra_backend.app.websocket_core.websocket_manager", "validate"), 4, 600)
        => Priority::P3, Category::Warning,
        "seed says P1 and seed 003 P2 for the same line: architecture compliance is a judgment about the code base that the warning does not state";
    s000_service_id_whitespace: logged("WARNING", "SERVICE_ID contained whitespace - sanitized from 'netra-backend\\n' to 'netra-backend'", ("shared.logging.unified_logging_ssot", "sanitize"), 3, 600)
        => Priority::P3, Category::Configuration, "seed says P2, seed 003 P3: a sanitized value is configuration hygiene";

    // Seed 001 (2025-09-11).
    s001_session_middleware_burst: text("WARNING", "Failed to extract auth=REDACTED SessionMiddleware must be installed to access request.session", 24, 2, 120)
        => Priority::P2, Category::Configuration,
        "seed says P1 for 20+ in two minutes; the volume rule raises it from P3 to P2, the auth impact it adds is not in the message";
    s001_agent_bridge_missing_module: logged("ERROR", "Agent handler setup failed: No module named 'netra_backend.app.agents.agent_websocket_bridge'", ("netra_backend.app.websocket_core.agent_handler", "setup"), 3, 60)
        => Priority::P1, Category::RequestError,
        "seed says P0 (golden path); the service is up and one handler fails, which the rules rate P1";
    s001_manager_not_awaitable: logged("ERROR", "WebSocket manager creation failed: object UnifiedWebSocketManager can't be used in 'await' expression", ("netra_backend.app.routes.websocket_ssot", "create"), 3, 60)
        => Priority::P1, Category::RequestError, "seed says P0 (golden path); an error on the user path is P1";
    s001_message_signature: text("ERROR", "Connection error: create_server_message() missing 1 required positional argument: 'data'", 3, 2, 60)
        => Priority::P2, Category::RequestError,
        "seed says P0; without a call site on the user path the rules see an ordinary error";
    s001_request_id_format: text("WARNING", "request_id 'defensive_auth_7f3a9c' has invalid format. Expected UUID or UnifiedIDManager structured format.", 6, 2, 600)
        => Priority::P3, Category::Configuration, "seed says P2; a format warning is hygiene";
    s001_redis_degradation: text("WARNING", "Redis readiness: GRACEFUL DEGRADATION - Exception 'bool' object is not callable in staging, allowing basic functionality for user chat value", 2, 2, 60)
        => Priority::P2, Category::DependencyFailure, "seed says P1; a degraded dependency at WARNING is P2";
    s001_loguru_key_error: text("ERROR", LOGURU_TRACE, 24, 2, 660)
        => Priority::P1, Category::RequestError, "seed calls it critical; 24 errors in 11 minutes raise it from P2 to P1";

    // Seed 002 (2025-09-14).
    s002_message_loop_not_connected: logged("ERROR", "[MAIN MODE] Message loop error: WebSocket is not connected. Need to call \"accept\" first.", ("netra_backend.app.routes.websocket_ssot", "_main_message_loop"), 2, 10)
        => Priority::P1, Category::RequestError, "agrees";
    s002_manager_duplication: logged("WARNING", "SSOT validation issues (non-blocking): ['Multiple manager instances for user demo-user-001 - potential duplication']", ("netra_backend.app.websocket_core.ssot_validation_enhancer", "validate_manager_creation"), 8, 120)
        => Priority::P2, Category::DataIntegrity, "agrees";
    s002_unknown_message_ack: logged("ERROR", "Error sending unknown message ack to demo-user-001: ", ("netra_backend.app.websocket_core.handlers", "_send_unknown_message_ack"), 2, 10)
        => Priority::P1, Category::RequestError, "seed says P2; an error in a message handler is on the user path";
    s002_session_middleware: logged("WARNING", "Session access failed (middleware not installed?): SessionMiddleware must be installed to access request.session", ("logging", "callHandlers"), 7, 180)
        => Priority::P3, Category::Configuration, "agrees";
    s002_user_auto_created: logged("WARNING", "[🔑] USER AUTO-CREATED: Created user ***@netrasystems.ai from JWT=REDACTED (env: staging, user_id: 10812417..., demo_mode: False)", ("logging", "callHandlers"), 6, 180)
        => Priority::P3, Category::Warning,
        "seed says P4: it knows auto-creation is routine; logged at WARNING it is P3 unless its phrase is added to noise_phrases";

    // Seed 003 (2025-09-16).
    s003_database_timeout: logged("ERROR", "CRITICAL STARTUP FAILURE: Database initialization timeout after 8.0s in staging environment. This may indicate Cloud SQL connection issues.", ("netra_backend.app.smd", "_initialize_database"), 45, 3600)
        => Priority::P0, Category::Timeout,
        "agrees on P0; the category names what to fix, the timeout the startup fails on, as the seed's actions (Cloud SQL, VPC connector, timeout) do";
    s003_container_exits: text("WARNING", "Container called exit(3).", 39, 5, 3600)
        => Priority::P0, Category::CrashLoop, "agrees";
    s003_sentry_missing: text("INFO", "Sentry SDK not available - install sentry-sdk[fastapi] to enable error tracking", 5, 2, 3600)
        => Priority::P4, Category::Noise, "seed files it under a P3 configuration cluster; logged at INFO it is informational";

    // Seed 004 (2025-09-11).
    s004_race_condition: logged("ERROR", "RACE CONDITION DETECTED: Startup phase 'no_app_state' did not reach 'services' within 1.2s - this would cause WebSocket 1011 errors", ("netra_backend.app.websocket_core.gcp_initialization_validator", "validate_gcp_readiness_for_websocket"), 3, 60)
        => Priority::P1, Category::Readiness,
        "seed says P0; a startup phase not reached in time is readiness, not data integrity, and the line warns of what would happen: no request has failed";
    s004_session_extraction_error: text("ERROR", "Unexpected error in session data extraction: SessionMiddleware must be installed to access request.session", 3, 2, 60)
        => Priority::P2, Category::Configuration, "seed says P0; a missing middleware logged at ERROR is a P2 configuration problem";
    s004_auth_unreachable: text("ERROR", "[MAIN MODE] Authentication failed: auth_service_unreachable | Debug: 473 chars, 2 dots", 4, 2, 60)
        => Priority::P1, Category::DependencyFailure, "seed says P0; an unreachable dependency at ERROR is P1";
    s004_auth_timeout_warning: text("WARNING", "Auth connectivity check timed out after 0.5s", 4, 2, 60)
        => Priority::P2, Category::Timeout, "seed groups it with the P0 auth cluster; alone, at WARNING, it is a P2 timeout";
    s004_close_after_close: logged("WARNING", "Runtime error closing WebSocket: Cannot call \"send\" once a close message has been sent.", ("netra_backend.app.websocket_core.utils", "safe_websocket_close"), 3, 60)
        => Priority::P3, Category::Warning, "seed says P1; a failed close at WARNING is P3";
    s004_optional_service_skipped: logged("INFO", "Redis skipped in staging environment (optional service - infrastructure may not be available)", ("netra_backend.app.routes.health", "_check_readiness_status"), 4, 600)
        => Priority::P4, Category::Noise, "seed says P3 (monitor); logged at INFO it is informational";
    s004_oauth_config: text("INFO", "Auth config requested for staging environment", 4, 1, 600)
        => Priority::P4, Category::Noise, "agrees";
    s004_health_checks: request("/health/ready", 200, 20)
        => Priority::P4, Category::Noise, "agrees";
}
