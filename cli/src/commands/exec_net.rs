//! The connection side of `kubeplay exec`: `curl http://TARGET[:PORT][/PATH]` and
//! `nc -zv HOST PORT`, printed as curl 7 and OpenBSD netcat print them, each computed from one
//! trace of the connection (`kubeplay_core::dataplane`).
//!
//! The model runs no server, so a delivered curl prints no body: it says, in curl's verbose
//! style on stderr, where the connection landed. Failures are curl's and nc's own messages and
//! exit codes: refused (curl 7, `Connection refused`), dropped or unanswered (curl 28,
//! `Connection timed out`), no route (curl 7, `No route to host`), a name nothing answers for
//! (curl 6, `Could not resolve host`).

use kubeplay_core::api::Protocol;
use kubeplay_core::cluster::{Cluster, PodId};
use kubeplay_core::dataplane::render;
use kubeplay_core::dataplane::{Dataplane, Reason, Source, Target, TraceError, TraceRequest, Verdict};
use kubeplay_core::dns::tools::ToolOutput;

/// How a connection attempt ended, as a socket API reports it.
enum Outcome {
    Connected(String),
    Refused,
    TimedOut,
    NoRoute,
    Unresolved(String),
}

fn output(stdout: String, stderr: String, exit_code: u8) -> ToolOutput {
    ToolOutput { stdout, stderr, exit_code, lookups: Vec::new() }
}

/// Connects from pod `id` to `host:port`, through one trace.
fn connect(cluster: &Cluster, id: PodId, host: &str, port: u16, protocol: Protocol, seed: u64) -> Outcome {
    let to = match Target::parse(cluster, host) {
        Ok(to) => to,
        Err(TraceError::UnknownHost { name }) => return Outcome::Unresolved(name),
        Err(e) => return Outcome::Unresolved(e.to_string()),
    };
    let request = TraceRequest { from: Source::Pod(id), to, port: Some(port), protocol, seed };
    let trace = match Dataplane::new(cluster).trace(&request) {
        Ok(trace) => trace,
        Err(e) => return Outcome::Unresolved(e.to_string()),
    };
    match &trace.verdict {
        Verdict::Delivered { .. } => Outcome::Connected(render::reason(cluster, &trace.verdict)),
        Verdict::NoRoute(Reason::Unresolved { .. }) | Verdict::Timeout(Reason::Unresolved { .. }) => {
            Outcome::Unresolved(host.to_string())
        }
        Verdict::Refused(_) => Outcome::Refused,
        Verdict::Dropped(_) | Verdict::Timeout(_) => Outcome::TimedOut,
        Verdict::NoRoute(Reason::ExternalName { service }) => {
            let name = cluster.services[service.0 as usize].service.spec.external_name.clone();
            Outcome::Unresolved(name.unwrap_or_else(|| host.to_string()))
        }
        Verdict::NoRoute(Reason::NoAddress { .. } | Reason::LoadBalancerPending { .. }) => {
            Outcome::Unresolved(host.to_string())
        }
        Verdict::NoRoute(_) => Outcome::NoRoute,
    }
}

/// Runs `curl` or `nc` with `args` in pod `id`.
pub fn run(cluster: &Cluster, id: PodId, program: &str, args: &[String], seed: u64) -> Result<ToolOutput, String> {
    match program {
        "curl" => curl(cluster, id, args, seed),
        _ => nc(cluster, id, args, seed),
    }
}

fn curl(cluster: &Cluster, id: PodId, args: &[String], seed: u64) -> Result<ToolOutput, String> {
    let mut url = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "-m" | "--max-time" | "--connect-timeout" | "-H" | "--header" | "-o" | "--output" | "-X" | "--request"
            | "-d" | "--data" | "-w" | "--write-out" | "-A" | "--user-agent" => {
                rest.next();
            }
            flag if flag.starts_with('-') => {}
            value => url = Some(value.to_string()),
        }
    }
    let url = url.ok_or("error: kubeplay exec: curl needs a URL: curl http://TARGET[:PORT][/PATH]")?;
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url.as_str()));
    let default_port = match scheme {
        "http" => 80,
        "https" => 443,
        other => return Ok(output(String::new(), format!("curl: (1) Protocol \"{other}\" not supported\n"), 1)),
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => match port.parse::<u16>() {
            Ok(port) => (host, port),
            Err(_) => {
                return Ok(output(
                    String::new(),
                    "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n".to_string(),
                    3,
                ))
            }
        },
        None => (authority, default_port),
    };
    Ok(match connect(cluster, id, host, port, Protocol::TCP, seed) {
        Outcome::Connected(reason) => output(
            String::new(),
            format!(
                "* Connected to {host} port {port}\n* kubeplay: {reason}; the model runs no HTTP server, so there is no response body\n"
            ),
            0,
        ),
        Outcome::Refused => output(String::new(), format!("curl: (7) Failed to connect to {host} port {port}: Connection refused\n"), 7),
        Outcome::TimedOut => output(String::new(), format!("curl: (28) Failed to connect to {host} port {port}: Connection timed out\n"), 28),
        Outcome::NoRoute => output(String::new(), format!("curl: (7) Failed to connect to {host} port {port}: No route to host\n"), 7),
        Outcome::Unresolved(name) => output(String::new(), format!("curl: (6) Could not resolve host: {name}\n"), 6),
    })
}

/// The /etc/services name netcat prints for a port.
fn service_name(port: u16, protocol: Protocol) -> &'static str {
    match (port, protocol) {
        (22, Protocol::TCP) => "ssh",
        (25, Protocol::TCP) => "smtp",
        (53, _) => "domain",
        (80, Protocol::TCP) => "http",
        (443, Protocol::TCP) => "https",
        (5432, Protocol::TCP) => "postgresql",
        (6379, Protocol::TCP) => "redis",
        (8080, Protocol::TCP) => "http-alt",
        _ => "*",
    }
}

fn nc(cluster: &Cluster, id: PodId, args: &[String], seed: u64) -> Result<ToolOutput, String> {
    let mut udp = false;
    let mut operands = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "-w" | "-s" | "-p" => {
                rest.next();
            }
            flags if flags.starts_with('-') => udp |= flags.contains('u'),
            operand => operands.push(operand.to_string()),
        }
    }
    let [host, port] = operands.as_slice() else {
        return Err("error: kubeplay exec: nc takes a host and a port: nc -zv HOST PORT".to_string());
    };
    let Ok(port) = port.parse::<u16>() else {
        return Ok(output(String::new(), format!("nc: port number invalid: {port}\n"), 1));
    };
    let (protocol, proto) = if udp { (Protocol::UDP, "udp") } else { (Protocol::TCP, "tcp") };
    let failed =
        |why: &str| output(String::new(), format!("nc: connect to {host} port {port} ({proto}) failed: {why}\n"), 1);
    Ok(match connect(cluster, id, host, port, protocol, seed) {
        Outcome::Connected(_) => output(
            String::new(),
            format!("Connection to {host} {port} port [{proto}/{}] succeeded!\n", service_name(port, protocol)),
            0,
        ),
        // UDP has no handshake: only an ICMP port unreachable (a refusal) reports a failure.
        Outcome::TimedOut | Outcome::NoRoute if udp => output(
            String::new(),
            format!("Connection to {host} {port} port [{proto}/{}] succeeded!\n", service_name(port, protocol)),
            0,
        ),
        Outcome::Refused => failed("Connection refused"),
        Outcome::TimedOut => failed("Connection timed out"),
        Outcome::NoRoute => failed("No route to host"),
        Outcome::Unresolved(name) => output(
            String::new(),
            format!("nc: getaddrinfo for host \"{name}\" port {port}: Name or service not known\n"),
            1,
        ),
    })
}
