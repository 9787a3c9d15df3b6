//! The browser benchmark page: kubeplay-core in WebAssembly, timed with `performance.now()` on
//! the workspaces of the criterion benchmarks (`kubeplay_core::bench_fixtures`), so that the
//! native figures and the browser's can be put side by side (README, "Development").
//!
//! Each benchmark runs a warm-up batch, then `samples` batches of `batch` calls; a sample is a
//! batch's time divided by its size (Chromium's timer is coarse, so fast calls are batched).
//! The page shows a table and, when done, writes the figures as JSON into `#json` and sets
//! `data-state="done"` on `<body>` (`error` and the message in `#status` when a workspace
//! fails to apply). `scripts/bench-browser.mjs` reads them.

use kubeplay_core::api::Protocol;
use kubeplay_core::bench_fixtures::{apply_workspaces, dns_workspace, policy_workspace, trace_workspace};
use kubeplay_core::dataplane::{Dataplane, Source, Target, TraceRequest};
use kubeplay_core::diag::Severity;
use kubeplay_core::dns::{Expansion, Name, Network, RecordType};
use kubeplay_core::policy::{self, PolicyIndex};
use kubeplay_core::render::Scope;
use kubeplay_core::simulation::{Simulation, SourceFile};
use serde_json::json;
use std::hint::black_box;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Performance};

/// One measured benchmark.
struct Figure {
    /// The criterion benchmark it mirrors (`group/function`).
    name: &'static str,
    workload: &'static str,
    /// The goal in the browser, where the issues set one (the matrix: 60 ms; an edit on a
    /// lesson-size workspace: one frame). The other goals are native ones (README).
    goal_ms: Option<f64>,
    samples: usize,
    batch: usize,
    median_ms: f64,
    min_ms: f64,
}

/// How a benchmark is run.
struct Plan {
    name: &'static str,
    workload: &'static str,
    goal_ms: Option<f64>,
    samples: usize,
    batch: usize,
}

/// The page's handles.
struct Page {
    document: Document,
    performance: Performance,
}

impl Page {
    fn status(&self, text: &str) {
        if let Some(el) = self.document.get_element_by_id("status") {
            el.set_text_content(Some(text));
        }
    }

    /// Times `f` as `plan` says, adds its row to the table and yields to the browser so the row
    /// is drawn before the next benchmark blocks the page.
    async fn measure(&self, plan: Plan, mut f: impl FnMut()) -> Figure {
        self.status(&format!("running {}…", plan.name));
        yield_to_browser().await;
        for _ in 0..plan.batch {
            f();
        }
        let mut samples: Vec<f64> = (0..plan.samples)
            .map(|_| {
                let start = self.performance.now();
                for _ in 0..plan.batch {
                    f();
                }
                (self.performance.now() - start) / plan.batch as f64
            })
            .collect();
        samples.sort_by(f64::total_cmp);
        let figure = Figure {
            name: plan.name,
            workload: plan.workload,
            goal_ms: plan.goal_ms,
            samples: plan.samples,
            batch: plan.batch,
            median_ms: samples[samples.len() / 2],
            min_ms: samples[0],
        };
        self.add_row(&figure);
        figure
    }

    fn add_row(&self, f: &Figure) {
        let Some(rows) = self.document.get_element_by_id("rows") else { return };
        let Ok(tr) = self.document.create_element("tr") else { return };
        let goal = f.goal_ms.map_or(String::from("—"), |g| format!("< {}", duration(g)));
        let verdict = match f.goal_ms {
            Some(g) if f.median_ms < g => "within",
            Some(_) => "over",
            None => "",
        };
        let cells = [
            (f.name.to_string(), ""),
            (f.workload.to_string(), ""),
            (duration(f.median_ms), "num"),
            (duration(f.min_ms), "num"),
            (format!("{} × {}", f.samples, f.batch), "num"),
            (goal, verdict),
        ];
        for (text, class) in cells {
            if let Ok(td) = self.document.create_element("td") {
                td.set_text_content(Some(&text));
                td.set_class_name(class);
                let _ = tr.append_child(&td);
            }
        }
        let _ = rows.append_child(&tr);
    }
}

/// A duration in milliseconds, in the unit that reads best (µs below 1 ms).
fn duration(ms: f64) -> String {
    if ms < 1.0 {
        format!("{:.1} µs", ms * 1000.0)
    } else {
        format!("{ms:.2} ms")
    }
}

/// Lets the browser run its event loop (draw, handle input) once.
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The simulation after applying `text`, or the first error.
fn applied(text: String) -> Result<Simulation, String> {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("bench.yaml", text)]);
    match outcome.diagnostics.iter().find(|d| d.severity == Severity::Error) {
        Some(d) => Err(format!("a benchmark workspace does not apply: {}", d.message)),
        None => Ok(sim),
    }
}

async fn run(page: &Page) -> Result<Vec<Figure>, String> {
    let mut figures = Vec::new();
    let [(lesson_name, lesson), (large_name, large)] = apply_workspaces();
    let lesson_files = [SourceFile::new("bench.yaml", lesson)];
    let large_files = [SourceFile::new("bench.yaml", large)];
    let plan = |name, workload, goal_ms, samples, batch| Plan { name, workload, goal_ms, samples, batch };
    figures.push(
        page.measure(plan("apply/lesson-30-objects", lesson_name, None, 20, 20), || {
            black_box(Simulation::new().apply(&lesson_files));
        })
        .await,
    );
    figures.push(
        page.measure(plan("apply/large-1000-pods", large_name, None, 10, 1), || {
            black_box(Simulation::new().apply(&large_files));
        })
        .await,
    );
    let mut again = Simulation::new();
    again.apply(&lesson_files);
    figures.push(
        page.measure(plan("reapply/lesson-30-objects", lesson_name, Some(16.0), 20, 20), || {
            black_box(again.apply(&lesson_files));
        })
        .await,
    );

    page.status("building the 1,000-pod, 200-policy cluster…");
    yield_to_browser().await;
    let policies = applied(policy_workspace())?;
    let cluster = policies.cluster();
    let workload = "1,000 pods, 200 policies, 80/TCP";
    figures.push(
        page.measure(plan("policy/matrix-1000-pods-200-policies", workload, Some(60.0), 20, 1), || {
            black_box(policy::matrix(cluster, 80, Protocol::TCP, &Scope::All));
        })
        .await,
    );
    figures.push(
        page.measure(plan("policy/compile-1000-pods-200-policies", workload, None, 20, 1), || {
            black_box(PolicyIndex::new(cluster));
        })
        .await,
    );
    let index = PolicyIndex::new(cluster);
    figures.push(
        page.measure(plan("policy/matrix-from-compiled-index", workload, None, 20, 1), || {
            black_box(index.matrix(80, Protocol::TCP, &Scope::All));
        })
        .await,
    );

    let traced = applied(trace_workspace(6, 3, 2))?;
    let dataplane = Dataplane::new(traced.cluster());
    let request = TraceRequest {
        from: Source::parse(traced.cluster(), "ns0/client").map_err(|e| e.to_string())?,
        to: Target::parse(traced.cluster(), "svc/ns0/app0").map_err(|e| e.to_string())?,
        port: None,
        protocol: Protocol::TCP,
        seed: 0,
    };
    figures.push(
        page.measure(plan("trace/one-trace-lesson-size", "6 Services, 18 pods", None, 20, 500), || {
            black_box(dataplane.trace(&request).ok());
        })
        .await,
    );

    page.status("building the 1,000-Service cluster…");
    yield_to_browser().await;
    let named = applied(dns_workspace())?;
    let cluster = named.cluster();
    let dns_dataplane = Dataplane::new(cluster);
    let (dns, network) = (dns_dataplane.dns(), Network::new(&dns_dataplane));
    let client = Source::Pod(cluster.find_pod("ns0", "client").ok_or("the DNS workspace has no client pod")?);
    let name = Name::parse("svc500").map_err(|e| format!("{e:?}"))?;
    figures.push(
        page.measure(plan("dns-1000-services/short-name", "svc500 from ns0, A", None, 20, 500), || {
            black_box(dns.lookup(&network, client, &name, &[RecordType::A], Expansion::Glibc));
        })
        .await,
    );
    Ok(figures)
}

fn report(page: &Page, figures: &[Figure]) {
    let user_agent = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    let json = json!({
        "userAgent": user_agent,
        "figures": figures.iter().map(|f| json!({
            "name": f.name,
            "workload": f.workload,
            "medianMs": f.median_ms,
            "minMs": f.min_ms,
            "goalMs": f.goal_ms,
            "samples": f.samples,
            "batch": f.batch,
        })).collect::<Vec<_>>(),
    });
    if let Some(el) = page.document.get_element_by_id("json") {
        el.set_text_content(Some(&serde_json::to_string_pretty(&json).unwrap_or_default()));
        let _ = el.remove_attribute("hidden");
    }
}

fn main() {
    let Some(window) = web_sys::window() else { return };
    let (Some(document), Some(performance)) = (window.document(), window.performance()) else { return };
    let page = Page { document, performance };
    wasm_bindgen_futures::spawn_local(async move {
        let state = match run(&page).await {
            Ok(figures) => {
                report(&page, &figures);
                page.status(&format!("done: {} benchmarks", figures.len()));
                "done"
            }
            Err(message) => {
                page.status(&message);
                "error"
            }
        };
        if let Some(body) = page.document.body() {
            let _ = body.set_attribute("data-state", state);
        }
    });
}
