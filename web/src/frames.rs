//! Frames: a playback cut into the moments the cluster view shows one at a time, and the
//! Trace tab lists as rows.
//!
//! A trace gives one frame per hop, then one per reply hop; a name target's lookup (the
//! trace's `dns`) is expanded in place of its "resolve" hop, query by query. A lookup gives,
//! per query: the question leaving the client, kube-proxy's DNAT at the nameserver's Service,
//! the CoreDNS pod answering, and the answer arriving back (or the place it was lost). Every
//! field is copied or composed from core's view strings: nothing here decides anything.

use crate::player::Playback;
use kubeplay_core::dataplane::place::{Moment, PlaceView};
use kubeplay_core::dataplane::render::{HopView, TraceView};
use kubeplay_core::dns::view::{LookupView, QueryView};

/// Where a frame is drawn: an object of the cluster view and its part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spot {
    /// A pod (`namespace/name`); `part` is `eth0` or `veth`.
    Pod { key: String, part: String },
    /// A node by name; `part` as core's `PlaceView::part`.
    Node { name: String, part: String },
    /// The load balancer of Service `key`.
    LoadBalancer { key: String },
    /// The client outside the cluster.
    External,
    /// The Service whose ClusterIP is `ip` (a nameserver address), else the node network.
    ServiceIp { ip: String },
}

impl Spot {
    fn of(place: &PlaceView) -> Spot {
        match place.kind {
            "pod" => Spot::Pod { key: place.key.clone(), part: place.part.to_string() },
            "node" => Spot::Node { name: place.key.clone(), part: place.part.to_string() },
            "load-balancer" => Spot::LoadBalancer { key: place.key.clone() },
            _ => Spot::External,
        }
    }
}

/// What a frame shows happening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Core's moment of a trace hop.
    Hop(Moment),
    /// A DNS question leaves the client.
    Query,
    /// A DNS answer: `ok` for NOERROR (records, or none for that type), else an error such
    /// as NXDOMAIN or SERVFAIL.
    Answer { ok: bool },
    /// A DNS question got no answer where it was lost.
    Lost,
}

impl Event {
    /// A CSS class stem for the event.
    pub fn class(self) -> &'static str {
        match self {
            Event::Hop(Moment::Dnat | Moment::Snat) => "rewrite",
            Event::Hop(Moment::Encapsulate) => "wrap",
            Event::Hop(Moment::Decapsulate) => "unwrap",
            Event::Hop(Moment::PolicyDeny | Moment::Stop) | Event::Lost => "drop",
            Event::Hop(Moment::PolicyAllow) => "allow",
            Event::Hop(Moment::Deliver) => "deliver",
            Event::Hop(Moment::Match) => "match",
            Event::Hop(_) => "move",
            Event::Query => "query",
            Event::Answer { ok: true } => "answer",
            Event::Answer { ok: false } => "nxdomain",
        }
    }

    /// Whether the packet's journey ends badly here (the view bursts).
    pub fn is_drop(self) -> bool {
        self.class() == "drop"
    }
}

/// One frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub spot: Spot,
    pub event: Event,
    /// Where, in words (core's `at`, or the DNS step's place).
    pub at: String,
    /// What happened, in words.
    pub action: String,
    /// The packet's addresses as it leaves the frame: `SRC -> DST`, or the DNS question.
    pub packet: String,
    /// The outer (VXLAN) header while encapsulated.
    pub outer: Option<String>,
    /// The kube-proxy rule that matched, if one did.
    pub rule: Option<String>,
    /// Whether the frame is on the reply's way back.
    pub reply: bool,
}

/// The frames of `playback`.
pub fn frames_of(playback: &Playback) -> Vec<Frame> {
    match playback {
        Playback::Trace { trace, .. } => trace_frames(trace),
        Playback::Lookup { client, lookup, .. } => {
            lookup_frames(&Spot::Pod { key: client.clone(), part: "eth0".into() }, client, lookup)
        }
    }
}

fn trace_frames(trace: &TraceView) -> Vec<Frame> {
    let mut frames = Vec::with_capacity(trace.hops.len() + trace.reply.len());
    for hop in &trace.hops {
        if let (Moment::Resolve, Some(lookup)) = (hop.moment, &trace.dns) {
            frames.extend(lookup_frames(&Spot::of(&hop.place), &hop.place.key, lookup));
        }
        frames.push(hop_frame(hop, false));
    }
    frames.extend(trace.reply.iter().map(|hop| hop_frame(hop, true)));
    if let (Some(last), false) = (frames.last_mut(), trace.verdict == "delivered") {
        // The stopping hop carries the verdict's reason as its words.
        last.action = format!("{}: {}", last.action, trace.reason);
    }
    frames
}

fn hop_frame(hop: &HopView, reply: bool) -> Frame {
    Frame {
        spot: Spot::of(&hop.place),
        event: Event::Hop(hop.moment),
        at: hop.at.clone(),
        action: hop.action.clone(),
        packet: format!("{} → {}", hop.src, hop.dst),
        outer: hop.outer.as_ref().map(|o| format!("{} → {} (VXLAN)", o.src, o.dst)),
        rule: hop.rule.clone(),
        reply,
    }
}

fn lookup_frames(client: &Spot, client_name: &str, lookup: &LookupView) -> Vec<Frame> {
    lookup.queries.iter().flat_map(|q| query_frames(client, client_name, q)).collect()
}

fn query_frames(client: &Spot, client_name: &str, q: &QueryView) -> Vec<Frame> {
    let question = format!("{} {}?", q.name, q.record_type);
    let frame = |spot: Spot, event, at: String, action: String, reply| Frame {
        spot,
        event,
        at,
        action,
        packet: question.clone(),
        outer: None,
        rule: None,
        reply,
    };
    let mut frames = vec![
        frame(client.clone(), Event::Query, client_name.to_string(), format!("ask {} for {question}", q.server), false),
        frame(
            Spot::ServiceIp { ip: q.server.clone() },
            Event::Hop(Moment::Dnat),
            q.server.clone(),
            match &q.answered_by {
                Some(pod) => format!("kube-proxy: DNAT {}:53 to CoreDNS pod {pod}", q.server),
                None => format!("to the nameserver {}:53", q.server),
            },
            false,
        ),
    ];
    let answer = if q.answers.is_empty() {
        q.rcode.to_string()
    } else {
        let data: Vec<&str> = q.answers.iter().map(|a| a.data.as_str()).collect();
        format!("{} {}", q.rcode, data.join(", "))
    };
    let ok = q.rcode == "NOERROR";
    match (&q.answered_by, &q.lost_at) {
        (_, Some(lost)) => {
            frames.push(frame(Spot::of(lost), Event::Lost, lost.key.clone(), format!("no answer: {}", q.rcode), false))
        }
        (Some(pod), None) => {
            frames.push(frame(
                Spot::Pod { key: pod.clone(), part: "eth0".into() },
                Event::Answer { ok },
                pod.clone(),
                format!("CoreDNS answers {answer}"),
                true,
            ));
            frames.push(frame(client.clone(), Event::Answer { ok }, client_name.to_string(), answer, true));
        }
        (None, None) => {
            frames.push(frame(client.clone(), Event::Answer { ok }, client_name.to_string(), answer, true))
        }
    }
    frames
}
