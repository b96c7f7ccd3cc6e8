//! Pinned fingerprints. The expected values were computed independently (a
//! ten-line FNV-1a in Python over the documented field encoding). If one of
//! these changes, `FINGERPRINT_VERSION` must change too: issues filed from
//! earlier runs are found again through these values.

use gardener_fingerprint::{GroupKey, Masker};

#[test]
fn golden_fingerprints() {
    let masker = Masker::new();
    let cases = [
        (
            GroupKey::for_line(&masker, "Container called exit(3)."),
            "v1:2db7d60106792e9d",
        ),
        (
            GroupKey::Http {
                service: "netra-backend-staging".into(),
                method: "GET".into(),
                path: "/ws".into(),
                status: 503,
            },
            "v1:e5897bcd29560654",
        ),
        (
            GroupKey::Exception {
                service: "netra-backend-staging".into(),
                exception: "ImportError".into(),
                frames: vec![
                    "netra_backend.app.services.websocket_bridge_factory:<module>".into(),
                    "netra_backend.app.main:<module>".into(),
                ],
                message: String::new(),
            },
            "v1:c164ac2886a57f3d",
        ),
    ];
    for (key, expected) in cases {
        assert_eq!(key.fingerprint().to_string(), expected, "{key:?}");
    }
}
