//! `cabe serve`'s request bodies: POST /api/fit or /api/recommend (the first byte picks) with
//! the rest as the body, through the HTTP layer's checks and the body → flags translation to
//! the answer. Every answer must be JSON with a status below 500 (no panic, no 500).
#![no_main]

use axum::body::Body;
use axum::http::Request;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tower::ServiceExt;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let path = if which & 1 == 0 {
        "/api/fit"
    } else {
        "/api/recommend"
    };
    let req = Request::post(path)
        .header("host", "127.0.0.1:8431")
        .header("content-type", "application/json")
        .body(Body::from(body.to_vec()))
        .unwrap();
    let app = cabe_fuzz::serve_router();
    let (status, bytes) = runtime().block_on(async {
        let resp = app.oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 24)
            .await
            .unwrap();
        (status, bytes)
    });
    assert!(
        status.as_u16() < 500 || status.as_u16() == 503,
        "{status}: {bytes:?}"
    );
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("a JSON answer");
    if !status.is_success() {
        let e = v["error"].as_str().expect("an error line");
        assert!(!e.contains('\n'), "{e}");
    }
});
