//! The connection side of a pod's commands: `curl http://TARGET[:PORT][/PATH]`, busybox
//! `wget [-O FILE] [-q] URL` and `nc -zv HOST PORT`, printed as curl 7, busybox 1.36 and
//! OpenBSD netcat print them, each computed from one trace of the connection
//! (`crate::dataplane`), which is its [`Play`] (a name's lookup is inside the trace).
//!
//! The model runs no server, so a delivered connection prints no body: curl says, in its
//! verbose style on stderr, where the connection landed, and wget after its `Connecting to`
//! line. Failures are the tools' own messages and exit codes: refused (curl 7, `Connection
//! refused`), dropped or unanswered (curl 28, `Connection timed out`), no route (curl 7, `No
//! route to host`), a name nothing answers for (curl 6, `Could not resolve host`; wget `bad
//! address`).

use super::super::{ConsoleOutput, Play};
use crate::api::Protocol;
use crate::cluster::PodId;
use crate::dataplane::render;
use crate::dataplane::{Dataplane, Reason, Source, Target, TraceError, TraceRequest, Verdict};
use std::net::IpAddr;

/// How a connection attempt ended, as a socket API reports it.
enum Outcome {
    /// Delivered: the address connected to, and the trace's reason in words.
    Connected(Option<IpAddr>, String),
    Refused(Option<IpAddr>),
    TimedOut(Option<IpAddr>),
    NoRoute(Option<IpAddr>),
    Unresolved(String),
}

/// Connects from pod `id` to `host:port` through one trace; the trace's view is pushed on
/// `plays`.
fn connect(
    dataplane: &Dataplane,
    id: PodId,
    (host, port, protocol): (&str, u16, Protocol),
    seed: u64,
    plays: &mut Vec<Play>,
) -> Outcome {
    let cluster = dataplane.cluster();
    let to = match Target::parse(cluster, host) {
        Ok(to) => to,
        Err(TraceError::UnknownHost { name }) => return Outcome::Unresolved(name),
        Err(e) => return Outcome::Unresolved(e.to_string()),
    };
    let request = TraceRequest { from: Source::Pod(id), to, port: Some(port), protocol, seed };
    let trace = match dataplane.trace(&request) {
        Ok(trace) => trace,
        Err(e) => return Outcome::Unresolved(e.to_string()),
    };
    plays.push(Play::Trace(Box::new(render::view(cluster, &trace))));
    let address = trace.hops.first().map(|h| h.packet.dst.ip());
    match &trace.verdict {
        Verdict::Delivered { .. } => Outcome::Connected(address, render::reason(cluster, &trace.verdict)),
        Verdict::NoRoute(Reason::Unresolved { .. }) | Verdict::Timeout(Reason::Unresolved { .. }) => {
            Outcome::Unresolved(host.to_string())
        }
        Verdict::Refused(_) => Outcome::Refused(address),
        Verdict::Dropped(_) | Verdict::Timeout(_) => Outcome::TimedOut(address),
        Verdict::NoRoute(Reason::ExternalName { service }) => {
            let name = cluster.services[service.0 as usize].service.spec.external_name.clone();
            Outcome::Unresolved(name.unwrap_or_else(|| host.to_string()))
        }
        Verdict::NoRoute(Reason::NoAddress { .. } | Reason::LoadBalancerPending { .. }) => {
            Outcome::Unresolved(host.to_string())
        }
        Verdict::NoRoute(_) => Outcome::NoRoute(address),
    }
}

/// Runs `curl`, `wget` or `nc` with `args` in pod `id`.
pub fn run(
    dataplane: &Dataplane,
    id: PodId,
    program: &str,
    args: &[String],
    seed: u64,
) -> Result<ConsoleOutput, String> {
    let mut plays = Vec::new();
    let mut output = match program {
        "curl" => curl(dataplane, id, args, seed, &mut plays)?,
        "wget" => wget(dataplane, id, args, seed, &mut plays)?,
        _ => nc(dataplane, id, args, seed, &mut plays)?,
    };
    output.plays = plays;
    Ok(output)
}

/// The operands among `args`: the words that are neither flags nor the value of one of
/// `value_flags`.
fn operands(args: &[String], value_flags: &[&str]) -> Vec<String> {
    let mut operands = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if value_flags.contains(&arg.as_str()) {
            rest.next();
        } else if !arg.starts_with('-') {
            operands.push(arg.clone());
        }
    }
    operands
}

/// A URL's host (as written, with its port when one was written), host name and port.
struct Url<'a> {
    authority: &'a str,
    host: &'a str,
    port: u16,
}

/// Why a URL was refused: curl's exit code and message.
enum UrlError {
    Scheme(String),
    Port,
}

fn parse_url(url: &str) -> Result<Url<'_>, UrlError> {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let default_port = match scheme {
        "http" => 80,
        "https" => 443,
        other => return Err(UrlError::Scheme(other.to_string())),
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    match authority.rsplit_once(':') {
        Some((host, port)) => match port.parse::<u16>() {
            Ok(port) => Ok(Url { authority, host, port }),
            Err(_) => Err(UrlError::Port),
        },
        None => Ok(Url { authority, host: authority, port: default_port }),
    }
}

fn curl(
    dataplane: &Dataplane,
    id: PodId,
    args: &[String],
    seed: u64,
    plays: &mut Vec<Play>,
) -> Result<ConsoleOutput, String> {
    const VALUE_FLAGS: &[&str] = &[
        "-m",
        "--max-time",
        "--connect-timeout",
        "-H",
        "--header",
        "-o",
        "--output",
        "-X",
        "--request",
        "-d",
        "--data",
        "-w",
        "--write-out",
        "-A",
        "--user-agent",
    ];
    let url = operands(args, VALUE_FLAGS)
        .pop()
        .ok_or("error: kubeplay exec: curl needs a URL: curl http://TARGET[:PORT][/PATH]")?;
    let Url { host, port, .. } = match parse_url(&url) {
        Ok(url) => url,
        Err(UrlError::Scheme(other)) => {
            return Ok(ConsoleOutput::failed(format!("curl: (1) Protocol \"{other}\" not supported\n"), 1))
        }
        Err(UrlError::Port) => {
            return Ok(ConsoleOutput::failed(
                "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n".to_string(),
                3,
            ))
        }
    };
    let failed = |code: u8, why: &str| {
        ConsoleOutput::failed(format!("curl: ({code}) Failed to connect to {host} port {port}: {why}\n"), code)
    };
    Ok(match connect(dataplane, id, (host, port, Protocol::TCP), seed, plays) {
        Outcome::Connected(_, reason) => ConsoleOutput {
            stderr: format!(
                "* Connected to {host} port {port}\n* kubeplay: {reason}; the model runs no HTTP server, so there is no response body\n"
            ),
            ..ConsoleOutput::default()
        },
        Outcome::Refused(_) => failed(7, "Connection refused"),
        Outcome::TimedOut(_) => failed(28, "Connection timed out"),
        Outcome::NoRoute(_) => failed(7, "No route to host"),
        Outcome::Unresolved(name) => ConsoleOutput::failed(format!("curl: (6) Could not resolve host: {name}\n"), 6),
    })
}

/// busybox wget: `Connecting to HOST (IP:PORT)` on stderr (not with `-q`), then the download; its errors are
/// `wget: bad address 'HOST'` and `wget: can't connect to remote host (IP): REASON`, exit 1.
fn wget(
    dataplane: &Dataplane,
    id: PodId,
    args: &[String],
    seed: u64,
    plays: &mut Vec<Play>,
) -> Result<ConsoleOutput, String> {
    const VALUE_FLAGS: &[&str] = &["-O", "-T", "-U", "-P", "--header", "--user-agent", "--post-data"];
    let url = operands(args, VALUE_FLAGS)
        .pop()
        .ok_or("error: kubeplay exec: wget needs a URL: wget -qO- http://TARGET[:PORT][/PATH]")?;
    let Url { authority, host, port } = match parse_url(&url) {
        Ok(url) => url,
        Err(UrlError::Scheme(other)) => {
            return Ok(ConsoleOutput::failed(format!("wget: not an http or ftp url: {other}://\n"), 1))
        }
        Err(UrlError::Port) => return Ok(ConsoleOutput::failed(format!("wget: bad port spec '{url}'\n"), 1)),
    };
    // `-q` (alone or grouped before `O`, as in `-qO-`) silences the progress lines.
    let quiet = args.iter().any(|a| {
        a == "--quiet"
            || a.strip_prefix('-')
                .is_some_and(|f| !f.starts_with('-') && f.split('O').next().is_some_and(|g| g.contains('q')))
    });
    let connecting = |ip: Option<IpAddr>| match ip {
        Some(ip) if !quiet => format!("Connecting to {authority} ({ip}:{port})\n"),
        _ => String::new(),
    };
    let failed = |ip: Option<IpAddr>, why: &str| {
        let shown = ip.map(|ip| ip.to_string()).unwrap_or_else(|| host.to_string());
        ConsoleOutput::failed(format!("{}wget: can't connect to remote host ({shown}): {why}\n", connecting(ip)), 1)
    };
    Ok(match connect(dataplane, id, (host, port, Protocol::TCP), seed, plays) {
        Outcome::Connected(ip, reason) => ConsoleOutput {
            stderr: format!(
                "{}kubeplay: {reason}; the model runs no HTTP server, so there is nothing to download\n",
                connecting(ip)
            ),
            ..ConsoleOutput::default()
        },
        Outcome::Refused(ip) => failed(ip, "Connection refused"),
        Outcome::TimedOut(ip) => failed(ip, "Connection timed out"),
        Outcome::NoRoute(ip) => failed(ip, "No route to host"),
        Outcome::Unresolved(name) => ConsoleOutput::failed(format!("wget: bad address '{name}'\n"), 1),
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

fn nc(
    dataplane: &Dataplane,
    id: PodId,
    args: &[String],
    seed: u64,
    plays: &mut Vec<Play>,
) -> Result<ConsoleOutput, String> {
    let udp = args.iter().any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('u'));
    let operands = operands(args, &["-w", "-s", "-p"]);
    let [host, port] = operands.as_slice() else {
        return Err("error: kubeplay exec: nc takes a host and a port: nc -zv HOST PORT".to_string());
    };
    let Ok(port) = port.parse::<u16>() else {
        return Ok(ConsoleOutput::failed(format!("nc: port number invalid: {port}\n"), 1));
    };
    let (protocol, proto) = if udp { (Protocol::UDP, "udp") } else { (Protocol::TCP, "tcp") };
    let failed =
        |why: &str| ConsoleOutput::failed(format!("nc: connect to {host} port {port} ({proto}) failed: {why}\n"), 1);
    let succeeded = || ConsoleOutput {
        stderr: format!("Connection to {host} {port} port [{proto}/{}] succeeded!\n", service_name(port, protocol)),
        ..ConsoleOutput::default()
    };
    Ok(match connect(dataplane, id, (host, port, protocol), seed, plays) {
        Outcome::Connected(..) => succeeded(),
        // UDP has no handshake: only an ICMP port unreachable (a refusal) reports a failure.
        Outcome::TimedOut(_) | Outcome::NoRoute(_) if udp => succeeded(),
        Outcome::Refused(_) => failed("Connection refused"),
        Outcome::TimedOut(_) => failed("Connection timed out"),
        Outcome::NoRoute(_) => failed("No route to host"),
        Outcome::Unresolved(name) => ConsoleOutput::failed(
            format!("nc: getaddrinfo for host \"{name}\" port {port}: Name or service not known\n"),
            1,
        ),
    })
}
