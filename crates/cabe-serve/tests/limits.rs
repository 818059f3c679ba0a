//! The HTTP layer against a stand-in [`Api`]: the time limit, a panicking request, and that
//! the server answers afterwards.

use cabe_serve::{Api, ApiError, Options};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Duration;

struct Slow;

impl Api for Slow {
    fn models(&self) -> Value {
        json!([])
    }
    fn hardware(&self) -> Value {
        panic!("a bug in an answer must not take the server down")
    }
    fn fit(&self, body: Value) -> Result<Value, ApiError> {
        let ms = body["sleep_ms"].as_u64().unwrap_or(0);
        std::thread::sleep(Duration::from_millis(ms));
        Ok(json!({ "slept_ms": ms }))
    }
    fn recommend(&self, _: Value) -> Result<Value, ApiError> {
        Err(ApiError::not_found("nothing\nhere"))
    }
    fn system(&self, _: Option<&str>) -> Result<Value, ApiError> {
        Ok(json!({ "usable_bytes": 1 }))
    }
    fn curve(&self, body: Value) -> Result<Value, ApiError> {
        Ok(json!({ "curve": body }))
    }
    fn plan(&self, body: Value) -> Result<Value, ApiError> {
        Ok(json!({ "plan": body }))
    }
    fn buy(&self, body: Value) -> Result<Value, ApiError> {
        Ok(json!({ "buy": body }))
    }
    fn route(&self, body: Value) -> Result<Value, ApiError> {
        Ok(json!({ "route": body }))
    }
    fn doctor(&self, body: Value) -> Result<Value, ApiError> {
        Ok(json!({ "doctor": body }))
    }
}

fn start() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut opts = Options::new("127.0.0.1:0".parse().unwrap());
        opts.time_limit = Duration::from_millis(300);
        opts.workers = 1;
        cabe_serve::run(&opts, Slow, |a| tx.send(a).unwrap()).unwrap();
    });
    rx.recv_timeout(Duration::from_secs(10)).expect("bound")
}

fn call(addr: SocketAddr, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let req = ureq::request(method, &format!("http://{addr}{path}"));
    let r = match body {
        Some(b) => req
            .set("Content-Type", "application/json")
            .send_string(&b.to_string()),
        None => req.call(),
    };
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    let status = resp.status();
    let text = resp.into_string().expect("a body");
    (status, serde_json::from_str(&text).expect("a JSON answer"))
}

#[test]
fn slow_or_broken_requests_get_an_error_and_the_server_goes_on() {
    let addr = start();
    let (s, v) = call(addr, "POST", "/api/fit", Some(json!({"sleep_ms": 10})));
    assert_eq!((s, v), (200, json!({"slept_ms": 10})));
    let (s, v) = call(addr, "GET", "/api/hardware", None);
    assert_eq!(s, 500, "{v}");
    let (s, v) = call(addr, "POST", "/api/recommend", Some(json!({})));
    assert_eq!((s, v), (404, json!({"error": "nothing here"})));
    let (s, v) = call(addr, "POST", "/api/fit", Some(json!({"sleep_ms": 2000})));
    assert_eq!(s, 503, "{v}");
    assert!(
        v["error"].as_str().unwrap().contains("longer than 300ms"),
        "{v}"
    );
    // The slow request still holds the one worker for a while; once it is done, answers come.
    std::thread::sleep(Duration::from_millis(2000));
    let (s, _) = call(addr, "POST", "/api/fit", Some(json!({"sleep_ms": 1})));
    assert_eq!(s, 200);
    let (s, v) = call(addr, "GET", "/api/health", None);
    assert_eq!(s, 200);
    assert_eq!(v["status"], "ok");
}

#[test]
fn a_wrong_method_is_405_whatever_its_body_and_a_post_needs_json() {
    let addr = start();
    // A POST without a JSON body to a GET route: the method is what is wrong.
    let (s, v) = call(addr, "POST", "/api/health", None);
    assert_eq!(s, 405, "{v}");
    assert!(v["error"].as_str().unwrap().contains("does not take POST"));
    // A POST route still wants JSON.
    let (s, v) = call(addr, "POST", "/api/fit", None);
    assert_eq!(s, 415, "{v}");
}
