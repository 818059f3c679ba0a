//! A fixed route table on top of the server core.

use crate::server::{Reply, TestServer};

/// `(method, path, reply)`; the first route whose method and path match answers, else 404.
pub type Route = (&'static str, &'static str, Reply);

impl TestServer {
    /// Serves fixed replies by method and path; anything else gets a JSON 404.
    pub fn replay(routes: Vec<Route>) -> TestServer {
        TestServer::start(move |r| {
            routes
                .iter()
                .find(|(m, p, _)| *m == r.method && *p == r.path)
                .map(|(_, _, reply)| reply.clone())
                .unwrap_or(Reply::Json(404, r#"{"error":"not found"}"#.to_string()))
        })
    }
}
