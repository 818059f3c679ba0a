//! Where each task of a workload runs: on the local machine (the model fits at a context that
//! holds the prompt and the answer, and the first token and the whole answer arrive in time)
//! or on a hosted model whose context holds it, at its per-token price. Private tasks never
//! leave: one the local machine cannot hold is reported with the smallest change that would
//! make it fit. How it decides: `docs/route.md`.

use crate::assess::{assess, Assessment, CtxChoice, Request, Workload};
use crate::runtime::RuntimeSettings;
use crate::search::{changes_that_fit, ChangeKind};
use crate::speed::SpeedBasis;
use cabe_catalog::cloud::CloudModel;
use cabe_catalog::HardwareEntry;
use cabe_core::hardware::HardwareSpec;
use cabe_core::model::ModelSpec;
use cabe_core::plan::{capacity, plan, Capacity, Verdict};
use cabe_core::speed::{fmt_seconds, Range};
use cabe_core::units::{fmt_bytes, fmt_int};
use cabe_core::weights::Weights;
use serde::Serialize;

/// A month, for monthly costs: 30 days.
pub const DAYS_PER_MONTH: f64 = 30.0;

/// One class of task: how big, how private, how urgent, how often.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Task {
    pub name: String,
    pub prompt_tokens: u64,
    pub output_tokens: u64,
    /// Never sent to a hosted model.
    pub private: bool,
    /// The whole answer is wanted within this many seconds.
    pub deadline_s: Option<f64>,
    /// The client gives up if the first token has not come within this many seconds.
    pub timeout_s: Option<f64>,
    pub per_day: f64,
}

/// The local side: the model, its weights and settings, the machine and its speed basis.
#[derive(Clone, Debug)]
pub struct Local<'a> {
    pub spec: &'a ModelSpec,
    pub weights: &'a Weights,
    pub hardware: &'a HardwareSpec,
    pub capacity: &'a Capacity,
    pub settings: RuntimeSettings,
    pub basis: &'a SpeedBasis,
    /// A measured prefill rate (tok/s) used instead of the prediction.
    pub prefill_rate: Option<f64>,
    /// Catalog machines, for "the cheapest machine that would hold it".
    pub machines: &'a [HardwareEntry],
    pub os_reserve: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    Local,
    Cloud,
    /// Neither: a private task too big for the local machine, or one no hosted model holds.
    NotPlaceable,
}

/// The task on the local machine.
#[derive(Clone, Debug, Serialize)]
pub struct LocalRun {
    /// Tokens of context it needs: prompt and answer.
    pub ctx: u64,
    pub verdict: Verdict,
    /// The model's training context holds the task.
    pub within_native_ctx: bool,
    pub total_bytes: u64,
    pub usable_bytes: u64,
    pub headroom_bytes: i64,
    pub ttft_s: Option<Range>,
    /// Decode at the prompt's position.
    pub decode_tps: Option<Range>,
    /// First token plus the answer.
    pub total_s: Option<Range>,
    /// `Some(false)`: typically misses the timeout / deadline; `None`: not asked or not judged.
    pub meets_timeout: Option<bool>,
    pub meets_deadline: Option<bool>,
    /// The assessment's own lines (memory and speed arithmetic), for `--explain`.
    pub lines: Vec<String>,
    /// The assessment `lines` are worded from (its memory plan and speed report), for wording
    /// them in another language.
    #[serde(skip)]
    pub assessment: Box<Assessment>,
}

impl LocalRun {
    /// The model holds the task here: within its native context, and it fits (with offload
    /// or not).
    pub fn holds(&self) -> bool {
        self.within_native_ctx && self.verdict != Verdict::DoesNotFit
    }
    /// No time limit of the task is known to be missed.
    pub fn in_time(&self) -> bool {
        self.meets_timeout != Some(false) && self.meets_deadline != Some(false)
    }
}

/// The hosted model chosen for a task.
#[derive(Clone, Debug, Serialize)]
pub struct CloudPick {
    pub id: String,
    pub provider: String,
    pub context_tokens: u64,
    /// The rates this task pays (a long prompt may pay a dearer tier).
    pub input_usd_per_m: f64,
    pub output_usd_per_m: f64,
    pub usd_per_task: f64,
    pub usd_per_month: f64,
    pub free_tier: String,
    pub source: String,
    pub date: String,
}

/// What would let the local machine take a task it cannot.
#[derive(Clone, Debug, Serialize)]
pub struct LocalFix {
    /// The engine's first single change of settings that makes it fit (`--kv-type q8_0`,
    /// `--quant Q3_K_M`), a shorter context excluded: the task needs its tokens.
    pub change: Option<String>,
    /// The cheapest priced catalog machine that holds it, with its price.
    pub machine: Option<String>,
    pub machine_usd: Option<f64>,
    pub line: String,
    /// The headroom with `change`, for wording the line in another language.
    #[serde(skip)]
    pub change_headroom_bytes: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TaskRoute {
    pub task: Task,
    pub place: Place,
    /// Why, in the user's terms: context, deadline, privacy, cost.
    pub why: Vec<String>,
    pub local: LocalRun,
    pub cloud: Option<CloudPick>,
    pub fix: Option<LocalFix>,
    /// The local fix `why` names, also when the task goes out (then `fix` is `None`), for
    /// wording `why` in another language.
    #[serde(skip)]
    pub why_fix: Option<LocalFix>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    pub tasks_per_day: f64,
    pub local_per_day: f64,
    pub cloud_per_day: f64,
    pub not_placeable_per_day: f64,
    /// Share of the day's tasks run locally.
    pub local_share: f64,
    pub private_per_day: f64,
    /// Private tasks that run locally (the rest are not placeable: none is ever sent out).
    pub private_local_per_day: f64,
    pub cloud_usd_per_month: f64,
    /// Prompt and answer tokens per day, local and sent out.
    pub local_tokens_per_day: f64,
    pub cloud_tokens_per_day: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct RouteReport {
    pub tasks: Vec<TaskRoute>,
    pub totals: Totals,
    pub notes: Vec<String>,
}

fn check(tasks: &[Task]) -> Result<(), String> {
    if tasks.is_empty() {
        return Err("the workload has no tasks".into());
    }
    for t in tasks {
        if !(t.per_day.is_finite() && t.per_day >= 0.0) {
            return Err(format!(
                "task '{}': per_day must be a non-negative number, not {}",
                t.name, t.per_day
            ));
        }
        for (what, v) in [("deadline", t.deadline_s), ("timeout", t.timeout_s)] {
            if v.is_some_and(|s| !(s.is_finite() && s > 0.0)) {
                return Err(format!(
                    "task '{}': the {what} must be a positive time",
                    t.name
                ));
            }
        }
        if t.prompt_tokens == 0 {
            return Err(format!(
                "task '{}': prompt_tokens must be at least 1",
                t.name
            ));
        }
    }
    Ok(())
}

/// Routes every task. `cloud` is the hosted-model catalog (already filtered to the ones the
/// user allows); it may be empty, and then nothing goes out.
pub fn route(tasks: &[Task], local: &Local, cloud: &[CloudModel]) -> Result<RouteReport, String> {
    check(tasks)?;
    local.settings.check(local.spec)?;
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(route_one(t, local, cloud)?);
    }
    let totals = totals(&out);
    let mut notes = vec![format!(
        "cloud cost: prompt and answer tokens at each provider's standard per-token rate (uncached, not batch; long prompts at the dearer tier where the provider has one), {DAYS_PER_MONTH} days a month; free tiers are named but not counted"
    )];
    notes.push(
        "private tasks are never routed out: one the local machine cannot hold is reported with the change that would let it".into(),
    );
    if cloud.is_empty() {
        notes.push("no hosted model allowed: nothing is sent out".into());
    }
    Ok(RouteReport {
        tasks: out,
        totals,
        notes,
    })
}

fn local_run(t: &Task, l: &Local) -> Result<(LocalRun, Option<LocalFix>), String> {
    let ctx = t.prompt_tokens.saturating_add(t.output_tokens).max(256);
    let within_native = l.spec.native_ctx == 0 || ctx <= l.spec.native_ctx;
    let req = Request {
        spec: l.spec,
        weights: l.weights,
        hardware: l.hardware,
        capacity: l.capacity,
        settings: l.settings.clone(),
        ctx: CtxChoice::Tokens(ctx),
        workload: Workload {
            prompt_tokens: Some(t.prompt_tokens),
            gen_tokens: t.output_tokens,
            timeout_s: t.timeout_s,
            prefill_rate: l.prefill_rate,
            ..Workload::default()
        },
    };
    let a = assess(&req, l.basis, None)?;
    let p = &a.memory.plan;
    let speed = a.speed.as_ref();
    let ttft = speed.and_then(|s| s.ttft_s);
    let total = speed
        .and_then(|s| s.total_s)
        .or(ttft.filter(|_| t.output_tokens == 0));
    let mut lines = cabe_core::plan::explain_totals(p);
    lines.extend(speed.map_or(Vec::new(), |s| s.lines.clone()));
    let meets_deadline = t.deadline_s.and_then(|d| total.map(|x| x.typical <= d));
    if let (Some(d), None) = (t.deadline_s, total) {
        lines.push(format!(
            "deadline {}: not judged (no prefill or decode figure for this machine)",
            fmt_seconds(d)
        ));
    }
    let run = LocalRun {
        ctx,
        verdict: p.verdict,
        within_native_ctx: within_native,
        total_bytes: p.memory.total_bytes,
        usable_bytes: l.capacity.fast_bytes,
        headroom_bytes: p.headroom_bytes,
        ttft_s: ttft,
        decode_tps: speed.map(|s| s.decode_tps).filter(|d| d.typical > 0.0),
        total_s: total,
        meets_timeout: speed.and_then(|s| s.first_token_before_timeout),
        meets_deadline,
        lines,
        assessment: Box::new(a),
    };
    let fix = (!run.holds()).then(|| local_fix(&req, &run, l));
    Ok((run, fix))
}

/// The smallest local change: a model with a longer context when the task is past the
/// model's own; else the engine's first change of settings that fits (not a shorter context),
/// and the cheapest priced catalog machine that holds it as asked.
fn local_fix(req: &Request, run: &LocalRun, l: &Local) -> LocalFix {
    if !run.within_native_ctx {
        return LocalFix {
            change: None,
            machine: None,
            machine_usd: None,
            change_headroom_bytes: None,
            line: format!(
                "the task needs {} tokens of context, past the model's {}: only a model with a longer context can take it",
                fmt_int(run.ctx),
                fmt_int(l.spec.native_ctx)
            ),
        };
    }
    let change = changes_that_fit(req, run.ctx)
        .into_iter()
        .find(|c| c.kind != ChangeKind::ShorterContext);
    let profile = l.settings.profile(l.spec, run.ctx);
    let machine = l
        .machines
        .iter()
        .filter(|m| m.spec.price_usd.is_some())
        .filter(|m| {
            let cap = capacity(&m.spec, l.os_reserve);
            plan(l.spec, l.weights, &profile, &cap).verdict == Verdict::Fits
        })
        .min_by(|a, b| {
            let p = |m: &HardwareEntry| m.spec.price_usd.unwrap_or(f64::INFINITY);
            p(a).total_cmp(&p(b)).then(a.id.cmp(&b.id))
        });
    let mut parts = vec![format!(
        "needs {} of {} here",
        fmt_bytes(run.total_bytes),
        fmt_bytes(run.usable_bytes)
    )];
    match &change {
        Some(c) => parts.push(format!(
            "{} makes it fit ({} to spare)",
            c.flag,
            cabe_core::units::fmt_signed_bytes(c.headroom_bytes)
        )),
        None => parts.push("no single change of settings makes it fit".into()),
    }
    if let Some(m) = machine {
        parts.push(format!(
            "the cheapest catalog machine that holds it: {} (${})",
            m.id,
            fmt_int(m.spec.price_usd.unwrap_or(0.0).round() as u64)
        ));
    }
    LocalFix {
        change_headroom_bytes: change.as_ref().map(|c| c.headroom_bytes),
        change: change.map(|c| c.flag),
        machine: machine.map(|m| m.id.clone()),
        machine_usd: machine.and_then(|m| m.spec.price_usd),
        line: parts.join("; "),
    }
}

/// The cheapest hosted model whose limits hold the task.
fn cheapest_cloud(t: &Task, cloud: &[CloudModel]) -> Option<CloudPick> {
    let m = cloud
        .iter()
        .filter(|m| m.holds(t.prompt_tokens, t.output_tokens))
        .min_by(|a, b| {
            let c = |m: &CloudModel| m.usd_per_request(t.prompt_tokens, t.output_tokens);
            c(a).total_cmp(&c(b)).then(a.id.cmp(&b.id))
        })?;
    let (i, o) = m.rates(t.prompt_tokens);
    let per_task = m.usd_per_request(t.prompt_tokens, t.output_tokens);
    Some(CloudPick {
        id: m.id.clone(),
        provider: m.provider.clone(),
        context_tokens: m.context_tokens,
        input_usd_per_m: i,
        output_usd_per_m: o,
        usd_per_task: per_task,
        usd_per_month: per_task * t.per_day * DAYS_PER_MONTH,
        free_tier: m.free_tier.clone(),
        source: m.source.clone(),
        date: m.date.clone(),
    })
}

fn route_one(t: &Task, l: &Local, cloud: &[CloudModel]) -> Result<TaskRoute, String> {
    let (run, fix) = local_run(t, l)?;
    let why_fix = fix.clone();
    let mut why = Vec::new();
    let tokens = fmt_int(run.ctx);
    if run.holds() {
        let how = if run.verdict == Verdict::FitsWithOffload {
            "fits with offload to system RAM"
        } else {
            "fits"
        };
        why.push(format!(
            "locally the model {how} at {tokens} tokens of context"
        ));
    } else if let Some(f) = &fix {
        why.push(format!("locally it does not fit: {}", f.line));
    }
    if run.holds() {
        if let (Some(limit), Some(ok), Some(t1)) = (t.timeout_s, run.meets_timeout, run.ttft_s) {
            why.push(format!(
                "first token after {} {} the {} timeout",
                fmt_seconds(t1.typical),
                if ok { "within" } else { "past" },
                fmt_seconds(limit)
            ));
        }
        if let (Some(limit), Some(ok), Some(tt)) = (t.deadline_s, run.meets_deadline, run.total_s) {
            why.push(format!(
                "whole answer after {} {} the {} deadline",
                fmt_seconds(tt.typical),
                if ok { "within" } else { "past" },
                fmt_seconds(limit)
            ));
        }
    }
    let (place, pick, fix) = if t.private {
        if run.holds() {
            why.push("private: stays local".into());
            if !run.in_time() {
                why.push(
                    "it misses its time limit here, but private tasks are never sent out".into(),
                );
            }
            (Place::Local, None, None)
        } else {
            why.push("private: never sent out, so it cannot be placed".into());
            (Place::NotPlaceable, None, fix)
        }
    } else if run.holds() && run.in_time() {
        (Place::Local, None, None)
    } else {
        match cheapest_cloud(t, cloud) {
            Some(c) => {
                why.push(format!(
                    "sent out: {} ({}) holds {tokens} tokens in its {}-token window, the cheapest that does at ${:.4} a task",
                    c.id,
                    c.provider,
                    fmt_int(c.context_tokens),
                    c.usd_per_task
                ));
                (Place::Cloud, Some(c), None)
            }
            None if run.holds() => {
                why.push(format!(
                    "no allowed hosted model holds {tokens} tokens: it stays local despite its time limit"
                ));
                (Place::Local, None, None)
            }
            None => {
                why.push(format!("no allowed hosted model holds {tokens} tokens"));
                (Place::NotPlaceable, None, fix)
            }
        }
    };
    Ok(TaskRoute {
        task: t.clone(),
        place,
        why,
        local: run,
        cloud: pick,
        fix,
        why_fix,
    })
}

fn totals(rows: &[TaskRoute]) -> Totals {
    let mut s = Totals::default();
    for r in rows {
        let n = r.task.per_day;
        let tokens = (r.task.prompt_tokens + r.task.output_tokens) as f64 * n;
        s.tasks_per_day += n;
        if r.task.private {
            s.private_per_day += n;
        }
        match r.place {
            Place::Local => {
                s.local_per_day += n;
                s.local_tokens_per_day += tokens;
                if r.task.private {
                    s.private_local_per_day += n;
                }
            }
            Place::Cloud => {
                s.cloud_per_day += n;
                s.cloud_tokens_per_day += tokens;
                s.cloud_usd_per_month += r.cloud.as_ref().map_or(0.0, |c| c.usd_per_month);
            }
            Place::NotPlaceable => s.not_placeable_per_day += n,
        }
    }
    s.local_share = if s.tasks_per_day > 0.0 {
        s.local_per_day / s.tasks_per_day
    } else {
        0.0
    };
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use cabe_core::plan::DEFAULT_OS_RESERVE;
    use cabe_core::quant::FileType;
    use cabe_core::weights::for_file_type;

    fn task(name: &str, prompt: u64, output: u64, private: bool, per_day: f64) -> Task {
        Task {
            name: name.into(),
            prompt_tokens: prompt,
            output_tokens: output,
            private,
            deadline_s: None,
            timeout_s: None,
            per_day,
        }
    }

    /// Qwen3-Coder-30B-A3B at Q4_K_M on a 48 GB Mac mini (36 GiB for the GPU): a few thousand
    /// tokens fit, 218K tokens of f16 cache (~20 GiB) beside ~17 GiB of weights do not.
    fn run(tasks: &[Task], cloud: &[CloudModel]) -> RouteReport {
        let spec = &cabe_catalog::find_model("qwen3-coder-30b-a3b")
            .unwrap()
            .spec;
        let w = for_file_type(spec, FileType::Q4_K_M);
        let hw = &cabe_catalog::find_hardware("mac-mini-m4-pro-48gb")
            .unwrap()
            .spec;
        let cap = capacity(hw, DEFAULT_OS_RESERVE);
        let basis = SpeedBasis::catalog(hw, Some(hw.id.clone()));
        let local = Local {
            spec,
            weights: &w,
            hardware: hw,
            capacity: &cap,
            settings: RuntimeSettings::default(),
            basis: &basis,
            prefill_rate: None,
            machines: cabe_catalog::hardware(),
            os_reserve: DEFAULT_OS_RESERVE,
        };
        route(tasks, &local, cloud).unwrap()
    }

    fn conversation() -> Vec<Task> {
        let mut small = task("small private edits", 6000, 1500, true, 40.0);
        small.timeout_s = Some(300.0);
        let mut large = task("multi-file refactors", 210_000, 8000, false, 10.0);
        large.deadline_s = Some(900.0);
        vec![small, large]
    }

    fn by_name<'r>(r: &'r RouteReport, name: &str) -> &'r TaskRoute {
        r.tasks.iter().find(|t| t.task.name == name).unwrap()
    }

    #[test]
    fn private_small_work_stays_local_and_large_edits_go_to_a_model_that_holds_them() {
        let cloud = cabe_catalog::cloud::cloud_models();
        let r = run(&conversation(), cloud);
        let small = by_name(&r, "small private edits");
        assert_eq!(small.place, Place::Local, "{:?}", small.why);
        assert_eq!(small.local.verdict, Verdict::Fits);
        assert!(small.local.ttft_s.is_some() && small.local.meets_timeout == Some(true));
        let large = by_name(&r, "multi-file refactors");
        assert_eq!(large.place, Place::Cloud, "{:?}", large.why);
        assert_eq!(large.local.verdict, Verdict::DoesNotFit);
        let c = large.cloud.as_ref().unwrap();
        let m = cloud.iter().find(|m| m.id == c.id).unwrap();
        assert!(m.holds(210_000, 8000) && c.context_tokens >= 218_000);
        // The cheapest of those that hold it, and its month is 10 a day for 30 days.
        for other in cloud.iter().filter(|o| o.holds(210_000, 8000)) {
            assert!(c.usd_per_task <= other.usd_per_request(210_000, 8000) + 1e-12);
        }
        assert!((c.usd_per_month - c.usd_per_task * 10.0 * 30.0).abs() < 1e-9);
        let t = &r.totals;
        assert_eq!(
            (t.local_per_day, t.cloud_per_day, t.not_placeable_per_day),
            (40.0, 10.0, 0.0)
        );
        assert!((t.local_share - 0.8).abs() < 1e-12);
        assert_eq!(t.private_local_per_day, t.private_per_day);
        assert!(
            (t.cloud_usd_per_month - c.usd_per_month).abs() < 1e-9 && t.cloud_usd_per_month > 0.0
        );
    }

    #[test]
    fn a_private_task_too_big_for_local_is_reported_with_the_change_never_sent_out() {
        let cloud = cabe_catalog::cloud::cloud_models();
        let big = task("private monorepo audit", 210_000, 8000, true, 1.0);
        let huge = task("private archive", 400_000, 1000, true, 1.0);
        let r = run(&[big, huge], cloud);
        for t in &r.tasks {
            assert_eq!(t.place, Place::NotPlaceable, "{:?}", t.why);
            assert!(t.cloud.is_none());
            assert!(t.why.iter().any(|w| w.contains("never sent out")));
        }
        // 218K tokens fit once the cache is q8_0 (half its bytes); a machine that holds it
        // as asked is named with its price.
        let fix = by_name(&r, "private monorepo audit").fix.as_ref().unwrap();
        assert!(
            fix.change.as_deref().unwrap().contains("--kv-type"),
            "{fix:?}"
        );
        assert!(
            fix.machine.is_some() && fix.machine_usd.unwrap() > 0.0,
            "{fix:?}"
        );
        // Past the model's 262,144-token context no setting helps.
        let fix = by_name(&r, "private archive").fix.as_ref().unwrap();
        assert!(
            fix.change.is_none() && fix.line.contains("longer context"),
            "{fix:?}"
        );
        assert_eq!(r.totals.private_local_per_day, 0.0);
        assert_eq!(r.totals.not_placeable_per_day, 2.0);
        assert_eq!(r.totals.cloud_usd_per_month, 0.0);
    }

    #[test]
    fn only_allowed_models_whose_window_holds_the_task_are_used_and_long_prompts_pay_the_tier() {
        let all = cabe_catalog::cloud::cloud_models();
        let only = |ids: &[&str]| -> Vec<CloudModel> {
            all.iter()
                .filter(|m| ids.contains(&m.id.as_str()))
                .cloned()
                .collect()
        };
        let edits = task("edits", 210_000, 8000, false, 10.0);
        let r = run(std::slice::from_ref(&edits), &only(&["gemini-2.5-pro"]));
        let c = r.tasks[0].cloud.as_ref().unwrap();
        assert_eq!((c.input_usd_per_m, c.output_usd_per_m), (2.5, 15.0));
        // Devstral 2's 262,144 tokens hold 218K but not 300K.
        let r = run(std::slice::from_ref(&edits), &only(&["devstral-2"]));
        assert_eq!(r.tasks[0].cloud.as_ref().unwrap().id, "devstral-2");
        let r = run(
            &[task("bigger", 300_000, 8000, false, 1.0)],
            &only(&["devstral-2"]),
        );
        assert_eq!(r.tasks[0].place, Place::NotPlaceable);
        // No hosted model allowed: nothing goes out.
        let r = run(&[edits], &[]);
        assert_eq!(r.tasks[0].place, Place::NotPlaceable);
        assert!(r.notes.iter().any(|n| n.contains("nothing is sent out")));
    }

    #[test]
    fn a_missed_deadline_sends_a_shared_task_out_but_keeps_a_private_one() {
        let cloud = cabe_catalog::cloud::cloud_models();
        let mut shared = task("urgent", 6000, 1500, false, 5.0);
        shared.deadline_s = Some(0.5);
        let mut private = shared.clone();
        private.name = "urgent private".into();
        private.private = true;
        let r = run(&[shared, private], cloud);
        let s = by_name(&r, "urgent");
        assert_eq!(s.local.meets_deadline, Some(false));
        assert_eq!(s.place, Place::Cloud, "{:?}", s.why);
        assert!(s.why.iter().any(|w| w.contains("past the")), "{:?}", s.why);
        let p = by_name(&r, "urgent private");
        assert_eq!(p.place, Place::Local);
        assert!(
            p.why.iter().any(|w| w.contains("never sent out")),
            "{:?}",
            p.why
        );
    }

    #[test]
    fn bad_workloads_are_refused() {
        let cloud = cabe_catalog::cloud::cloud_models();
        let spec = &cabe_catalog::find_model("qwen3-coder-30b-a3b")
            .unwrap()
            .spec;
        let w = for_file_type(spec, FileType::Q4_K_M);
        let hw = &cabe_catalog::find_hardware("mac-mini-m4-pro-48gb")
            .unwrap()
            .spec;
        let cap = capacity(hw, DEFAULT_OS_RESERVE);
        let basis = SpeedBasis::catalog(hw, None);
        let local = Local {
            spec,
            weights: &w,
            hardware: hw,
            capacity: &cap,
            settings: RuntimeSettings::default(),
            basis: &basis,
            prefill_rate: None,
            machines: cabe_catalog::hardware(),
            os_reserve: DEFAULT_OS_RESERVE,
        };
        assert!(route(&[], &local, cloud).unwrap_err().contains("no tasks"));
        let mut t = task("x", 100, 10, false, f64::NAN);
        assert!(route(&[t.clone()], &local, cloud)
            .unwrap_err()
            .contains("per_day"));
        t.per_day = 1.0;
        t.deadline_s = Some(-1.0);
        assert!(route(&[t.clone()], &local, cloud)
            .unwrap_err()
            .contains("deadline"));
        t.deadline_s = None;
        t.prompt_tokens = 0;
        assert!(route(&[t], &local, cloud)
            .unwrap_err()
            .contains("prompt_tokens"));
    }
}
