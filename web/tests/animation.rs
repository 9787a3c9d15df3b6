//! The animation's parts in the browser: frames cut from core's traces and lookups, the
//! player's stepping, the camera's arithmetic, and the cluster view playing a trace picked by
//! clicking a source and a destination (with the Trace tab listing the same frames).
#![cfg(target_arch = "wasm32")]

use kubeplay_core::dataplane::place::Moment;
use kubeplay_core::dataplane::{render, Dataplane, Source, Target, TraceRequest};
use kubeplay_core::simulation::{Simulation, SourceFile};
use kubeplay_web::components::cluster::zoom::{camera_for_key, Camera, MAX_SCALE, MIN_SCALE};
use kubeplay_web::course::COURSE_STORE;
use kubeplay_web::frames::{frames_of, Event, Spot};
use kubeplay_web::player::{Playback, Player};
use kubeplay_web::storage::{Store, STORAGE_KEY};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SANDBOX: &str = include_str!("../../examples/sandbox/app.yaml");
const CLIENT: &str = "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: client\nspec:\n  containers:\n  - name: c\n    image: curlimages/curl\n";

fn trace(yaml: &str, from: &str, to: &str) -> Playback {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("app.yaml", yaml)]);
    assert!(!outcome.has_errors());
    let cluster = sim.cluster();
    let request = TraceRequest {
        from: Source::parse(cluster, from).expect("source"),
        to: Target::parse(cluster, to).expect("target"),
        port: None,
        protocol: kubeplay_core::api::Protocol::TCP,
        seed: 0,
    };
    let trace = Dataplane::new(cluster).trace(&request).expect("traced");
    Playback::Trace { title: format!("{from} -> {to}"), trace: render::view(cluster, &trace) }
}

#[wasm_bindgen_test]
fn a_trace_is_one_frame_per_hop_then_one_per_reply_hop() {
    let playback = trace(&format!("{SANDBOX}{CLIENT}"), "default/client", "svc/default/web");
    let Playback::Trace { trace: view, .. } = &playback else { unreachable!() };
    let frames = frames_of(&playback);
    assert_eq!(frames.len(), view.hops.len() + view.reply.len());
    assert_eq!(frames[0].spot, Spot::Pod { key: "default/client".into(), part: "eth0".into() });
    assert!(frames.iter().any(|f| f.event == Event::Hop(Moment::Dnat) && f.rule.is_some()), "the DNAT names its rule");
    assert!(frames[..view.hops.len()].iter().all(|f| !f.reply));
    assert!(frames[view.hops.len()..].iter().all(|f| f.reply));
}

#[wasm_bindgen_test]
fn a_name_target_plays_its_lookup_query_by_query_before_the_connection() {
    let playback = trace(&format!("{SANDBOX}{CLIENT}"), "default/client", "web");
    let Playback::Trace { trace: view, .. } = &playback else { unreachable!() };
    let lookup = view.dns.as_ref().expect("a name carries its lookup");
    let frames = frames_of(&playback);
    // Per answered query: the question, kube-proxy's DNAT at kube-dns, CoreDNS, the answer back.
    let queries = frames.iter().filter(|f| f.event == Event::Query).count();
    assert_eq!(queries, lookup.queries.len());
    assert_eq!(frames[0].event, Event::Query);
    assert_eq!(frames[1].spot, Spot::ServiceIp { ip: "10.96.0.10".into() });
    let answers: Vec<_> = frames.iter().filter(|f| matches!(f.event, Event::Answer { .. })).collect();
    assert_eq!(answers.len(), 2 * lookup.queries.len());
    // `web` from default: the first search domain answers NOERROR (A: the ClusterIP; AAAA:
    // no records, NODATA, which is no error).
    assert!(answers.iter().all(|f| f.event == Event::Answer { ok: true }), "{answers:?}");
    assert_eq!(frames.len(), 4 * lookup.queries.len() + view.hops.len() + view.reply.len());
}

#[wasm_bindgen_test]
fn an_nxdomain_answer_is_a_different_event_from_a_found_one() {
    let playback = trace(&format!("{SANDBOX}{CLIENT}"), "default/client", "nope");
    let frames = frames_of(&playback);
    // `nope` expands through the whole search path: every query is NXDOMAIN.
    assert!(frames.iter().any(|f| f.event == Event::Answer { ok: false }));
    assert!(!frames.iter().any(|f| f.event == Event::Answer { ok: true }));
    assert_ne!(Event::Answer { ok: false }.class(), Event::Answer { ok: true }.class());
}

#[wasm_bindgen_test]
fn the_player_steps_seeks_and_stops_at_the_ends() {
    let owner = Owner::new();
    owner.with(|| {
        let player = Player::new();
        player.reduced_motion.set(false);
        player.play(trace(&format!("{SANDBOX}{CLIENT}"), "default/client", "svc/default/web"));
        let len = player.loaded().expect("loaded").len();
        assert!(player.playing.get_untracked());
        assert_eq!(player.frame.get_untracked(), 0);
        player.step_back();
        assert_eq!(player.frame.get_untracked(), 0, "no frame before the first");
        assert!(!player.playing.get_untracked(), "stepping pauses");
        player.seek(len + 10);
        assert_eq!(player.frame.get_untracked(), len - 1, "seeking clamps to the last frame");
        assert!(!player.step_forward(), "no frame after the last");
        player.toggle();
        assert_eq!(player.frame.get_untracked(), 0, "play at the end starts again");
        assert!(player.playing.get_untracked());
        player.reduced_motion.set(true);
        player.play(trace(&format!("{SANDBOX}{CLIENT}"), "default/client", "svc/default/web"));
        assert!(!player.playing.get_untracked(), "reduced motion waits for a step");
        player.close();
        assert!(player.loaded().is_none());
    });
}

#[wasm_bindgen_test]
fn the_camera_zooms_around_a_point_within_its_limits() {
    let camera = Camera::default();
    let zoomed = camera.zoomed(2.0, 100.0, 50.0);
    assert_eq!(zoomed.scale, 2.0);
    // The point under the pointer stays put: (p - x) / scale is unchanged.
    assert_eq!((100.0 - zoomed.x) * zoomed.scale, 100.0);
    assert_eq!((50.0 - zoomed.y) * zoomed.scale, 50.0);
    assert_eq!(camera.zoomed(100.0, 0.0, 0.0).scale, MAX_SCALE);
    assert_eq!(camera.zoomed(0.001, 0.0, 0.0).scale, MIN_SCALE);
    assert_eq!(camera_for_key(zoomed, "0", 800.0, 600.0), Some(Camera::default()));
    assert_eq!(camera_for_key(camera, "ArrowRight", 800.0, 600.0).map(|c| c.x), Some(40.0));
    assert_eq!(camera_for_key(camera, "q", 800.0, 600.0), None);
    assert_eq!(zoomed.view_box(800.0, 600.0), "50.0 25.0 400.0 300.0");
}

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

fn click(root: &web_sys::HtmlElement, selector: &str) {
    let el: web_sys::Element = root.query_selector(selector).expect("selector").unwrap_or_else(|| panic!("{selector}"));
    // SVG groups are not HTML elements: dispatch the click as an event that bubbles.
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("click", &init).expect("event");
    el.dispatch_event(&event).expect("dispatched");
}

#[wasm_bindgen_test]
async fn picking_a_source_and_a_destination_plays_the_trace_and_lists_it_in_the_trace_tab() {
    Store::new(STORAGE_KEY).clear();
    COURSE_STORE.clear();
    let root: web_sys::HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&root).expect("append");
    let _handle = leptos::mount::mount_to(root.clone(), kubeplay_web::App);
    leptos::task::tick().await;
    let cluster = root.query_selector(".cluster").expect("selector").expect("the view");
    assert_eq!(cluster.get_attribute("data-playing"), None);
    click(&root, ".caption-tools .tool-button");
    leptos::task::tick().await;
    assert!(
        root.query_selector(".picker-bar:not([hidden])").expect("selector").is_some(),
        "the picker asks for a source"
    );
    let first_pod = root.query_selector(".node .pod:not(.system)").expect("selector").expect("a web pod");
    let key = first_pod.get_attribute("data-key").expect("key");
    click(&root, &format!(".pod[data-key='{key}']"));
    leptos::task::tick().await;
    click(&root, ".service[data-key='default/web']");
    leptos::task::tick().await;
    assert!(cluster.get_attribute("data-playing").is_some(), "a trace plays");
    assert!(root.query_selector(".packet").expect("selector").is_some(), "the packet is drawn");
    let title = root.query_selector(".trace-title").expect("selector").expect("the Trace tab shows it");
    assert_eq!(title.text_content().unwrap_or_default(), format!("trace --from {key} --to svc/default/web"));
    let rows = root.query_selector_all(".trace-table tbody tr").expect("selector").length();
    assert!(rows > 5, "one row per frame: {rows}");
    // Clicking a row shows that frame and pauses.
    click(&root, ".trace-table tbody tr:nth-child(3)");
    leptos::task::tick().await;
    let caption = root.query_selector(".player-caption").expect("selector").expect("caption");
    assert!(
        caption.text_content().unwrap_or_default().starts_with(&format!("3/{rows}")),
        "{:?}",
        caption.text_content()
    );
    root.remove();
}

/// The sandbox with its Service made a NodePort: its three pods run on the two workers, so
/// the control-plane node has no local endpoint.
fn sandbox_nodeport() -> String {
    SANDBOX.replace("spec:\n  selector:\n    app: web\n", "spec:\n  type: NodePort\n  selector:\n    app: web\n")
}

fn class_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .expect("selector")
        .unwrap_or_else(|| panic!("no {selector}"))
        .get_attribute("class")
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn comparing_external_traffic_policies_plays_two_labelled_packets_whose_ends_differ() {
    use kubeplay_web::components::cluster::ClusterView;
    use kubeplay_web::components::drawer::{Drawer, DrawerState, DrawerTab};
    use kubeplay_web::components::inspector::Inspector;
    use kubeplay_web::selection::{Selected, Selection};
    use kubeplay_web::state::Playground;
    use std::cell::RefCell;
    use std::rc::Rc;

    const KEY: &str = "kubeplay.test.compare";
    Store::new(KEY).clear();
    let root: web_sys::HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&root).expect("append");
    type Handles = (Playground, Player, DrawerState, Selection);
    let cell: Rc<RefCell<Option<Handles>>> = Rc::new(RefCell::new(None));
    let out = cell.clone();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        let handles = (Playground::restore(Store::new(KEY)), Player::new(), DrawerState::new(), Selection::new());
        provide_context(handles.0);
        provide_context(handles.1);
        provide_context(handles.2);
        provide_context(handles.3);
        *out.borrow_mut() = Some(handles);
        view! {
            <section class="pane cluster-pane"><ClusterView /><Inspector /></section>
            <Drawer />
        }
    });
    leptos::task::tick().await;
    let (playground, player, drawer, selection) = (*cell.borrow()).expect("mounted");
    player.reduced_motion.set(true);
    let id = playground.active_untracked();
    playground.replace_text(id, sandbox_nodeport());
    leptos::task::tick().await;
    selection.toggle(Selected::Service("default/web".into()));
    leptos::task::tick().await;
    click(&root, ".inspector .compare-policies");
    leptos::task::tick().await;

    // Two packets, one per policy, each named on its label and told apart by its lane's class.
    let loaded = player.loaded().expect("a comparison plays");
    let labels: Vec<Option<String>> = loaded.lanes.iter().map(|l| l.label.clone()).collect();
    assert_eq!(labels, [Some("Cluster".to_string()), Some("Local".to_string())]);
    assert_eq!(root.query_selector_all(".packet-overlay .packet").expect("selector").length(), 2);
    let label = |lane: usize| {
        root.query_selector(&format!(".packet.lane-{lane} .label-text"))
            .expect("selector")
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    // Both leave the external client (203.0.113.10, RFC 5737) for the same node's nodePort.
    assert!(label(0).starts_with("Cluster · 203.0.113.10:"), "{}", label(0));
    assert!(label(1).starts_with("Local · 203.0.113.10:"), "{}", label(1));

    // At the end: under Cluster the control-plane node masquerades and forwards to a web pod on
    // a worker (delivered, then the reply); under Local that node has no local endpoint and
    // kube-proxy drops the packet (kubernetes.io, "Virtual IPs and Service Proxies").
    player.seek(loaded.len() + 5);
    leptos::task::tick().await;
    assert!(class_of(&root, ".packet.lane-1").contains("drop"), "{}", class_of(&root, ".packet.lane-1"));
    assert!(!class_of(&root, ".packet.lane-0").contains("drop"), "{}", class_of(&root, ".packet.lane-0"));
    let cluster_lane = &loaded.lanes[0].frames;
    assert!(cluster_lane.iter().any(|f| f.event == Event::Hop(Moment::Deliver)));
    assert!(cluster_lane.iter().any(|f| f.reply), "the delivered connection's reply comes back");
    assert!(loaded.lanes[1].frames.len() < cluster_lane.len(), "the dropped lane ends sooner");
    let delivered_to = cluster_lane.iter().find(|f| f.event == Event::Hop(Moment::Deliver)).expect("delivered");
    assert!(!delivered_to.packet.starts_with("203.0.113.10"), "SNAT: {}", delivered_to.packet);

    // The Trace tab lists both lanes, each headed by its policy; the Local one ends in a drop.
    drawer.show(DrawerTab::Trace);
    leptos::task::tick().await;
    let headings: Vec<String> = {
        let list = root.query_selector_all(".trace-lane .lane-title").expect("selector");
        (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.text_content()).collect()
    };
    assert_eq!(headings, ["Cluster", "Local"]);
    assert!(class_of(&root, ".trace-lane.lane-1 tbody tr:last-child").contains("drop"));
    assert_eq!(root.query_selector_all(".trace-lane.lane-0 tr.drop").expect("selector").length(), 0);
    root.remove();
}
