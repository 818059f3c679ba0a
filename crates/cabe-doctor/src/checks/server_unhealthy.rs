//! `server-unhealthy`: a server that was asked answered wrongly (hung, HTTP error, garbage),
//! one finding per server and endpoint.

use crate::finding::{Finding, FindingId, Severity};
use crate::format::num;
use crate::resolved::Resolved;
use std::collections::BTreeMap;

pub(super) fn check(r: &Resolved) -> Vec<Finding> {
    r.inp
        .server_issues
        .iter()
        .map(|s| {
            let mut numbers = BTreeMap::new();
            numbers.insert("endpoint".into(), num(s.endpoint.clone()));
            Finding {
                id: FindingId::ServerUnhealthy,
                severity: Severity::Warning,
                title: t!(r.lang, "server-title", server = &s.server),
                message: format!("{} {}: {}. {}", s.server, s.endpoint, s.what, s.consequence),
                numbers,
                fix: t!(r.lang, "server-fix"),
            }
        })
        .collect()
}
