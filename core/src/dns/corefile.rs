//! CoreDNS's configuration: the default kubeadm Corefile, and a learner's `coredns` ConfigMap
//! read into the plugins the model runs.
//!
//! Sources: kubeadm's `CoreDNSConfigMap` template (`cmd/kubeadm/app/phases/addons/dns/
//! manifests.go`), CoreDNS's Corefile syntax (Caddyfile: server blocks `ZONE[:PORT] ... { }`,
//! one directive per line, optional `{ }` sub-blocks, `#` comments) and the README and setup
//! code of the plugins modeled:
//! - `kubernetes [ZONES...] { pods insecure|verified|disabled; ttl N; fallthrough [ZONES...] }`
//!   (zones default to the server block's; TTL 5 unless set; 0 to 3600).
//! - `forward FROM TO...`: names within FROM go to the first TO that answers; TO is
//!   `/etc/resolv.conf` (the node's resolver) or an IPv4 address (`:53`, `dns://` allowed).
//!   Several `forward` lines chain, first match first.
//! - `rewrite [continue|stop] name [exact|suffix] FROM TO [answer auto]`: the question's name is
//!   replaced before the other plugins see it; `exact` rewrites answers back automatically,
//!   `suffix` only with `answer auto`. FROM and TO are made lower case and fully qualified.
//!
//! Plugins run in CoreDNS's compiled order (`plugin.cfg`: rewrite, then kubernetes, then
//! forward), not in the order they are written. Directives that do not change answers in the
//! model (errors, health, ready, prometheus, cache, loop, reload, loadbalance, log) are
//! accepted silently; other CoreDNS plugins, and the parts of modeled plugins the model does
//! not run, are ignored with a warning; an unknown directive or a syntax error makes CoreDNS
//! refuse the Corefile, and the model, like CoreDNS's `reload`, keeps the configuration it
//! had: the default one.

use super::index::PodMode;
use super::name::Name;
use crate::diag::Severity;
use std::net::Ipv4Addr;

/// The namespace, name and data key of the ConfigMap CoreDNS reads its Corefile from.
pub const COREFILE_CONFIG_MAP: (&str, &str, &str) = ("kube-system", "coredns", "Corefile");

/// The kubernetes plugin's TTL when `ttl` is not written.
const DEFAULT_TTL: u32 = 5;

/// Directives that change nothing the model answers.
const NO_EFFECT: [&str; 9] =
    ["errors", "health", "ready", "prometheus", "cache", "loop", "reload", "loadbalance", "log"];

/// Every other plugin CoreDNS compiles in (`plugin.cfg`), plus the Caddyfile's `import`.
const NOT_MODELED: [&str; 40] = [
    "metadata",
    "geoip",
    "cancel",
    "tls",
    "timeouts",
    "multisocket",
    "nsid",
    "bufsize",
    "bind",
    "debug",
    "trace",
    "pprof",
    "dnstap",
    "local",
    "dns64",
    "acl",
    "any",
    "chaos",
    "tsig",
    "header",
    "dnssec",
    "autopath",
    "minimal",
    "template",
    "transfer",
    "hosts",
    "route53",
    "azure",
    "clouddns",
    "k8s_external",
    "file",
    "auto",
    "secondary",
    "etcd",
    "grpc",
    "erratic",
    "whoami",
    "sign",
    "view",
    "import",
];

/// The default Corefile kubeadm installs, for the cluster domain `domain`.
pub fn default_corefile(domain: &str) -> String {
    format!(
        ".:53 {{
    errors
    health {{
       lameduck 5s
    }}
    ready
    kubernetes {domain} in-addr.arpa ip6.arpa {{
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }}
    prometheus :9153
    forward . /etc/resolv.conf {{
       max_concurrent 1000
    }}
    cache 30 {{
       disable success {domain}
       disable denial {domain}
    }}
    loop
    reload
    loadbalance
}}
"
    )
}

/// A problem in a Corefile, at a 1-based line of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorefileProblem {
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

/// The kubernetes plugin's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubernetesPlugin {
    /// The zones it answers for; the first forward (non-reverse) zone names Services in PTR answers.
    pub zones: Vec<Name>,
    pub pods: PodMode,
    pub ttl: u32,
    /// Zones whose NXDOMAIN answers go to the next plugin instead (`fallthrough`; every zone
    /// when written without zones); `None` when not written.
    pub fallthrough: Option<Vec<Name>>,
}

impl KubernetesPlugin {
    /// Whether an NXDOMAIN for `name` falls through to the next plugin.
    pub fn falls_through(&self, name: &Name) -> bool {
        match &self.fallthrough {
            None => false,
            Some(zones) => zones.is_empty() || zones.iter().any(|z| name.is_within(z)),
        }
    }

    /// The zone names in Service PTR answers (`primaryZone`).
    pub fn primary_zone(&self) -> Option<&Name> {
        self.zones.iter().find(|z| !is_reverse_zone(z))
    }
}

/// Whether `zone` is a reverse-mapping zone (`in-addr.arpa`, `ip6.arpa` or below).
pub fn is_reverse_zone(zone: &Name) -> bool {
    zone.as_str().ends_with("in-addr.arpa") || zone.as_str().ends_with("ip6.arpa")
}

/// Where `forward` sends a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardTo {
    /// `/etc/resolv.conf`: the nameserver of CoreDNS's own pod, the node's resolver.
    ResolvConf,
    Address(Ipv4Addr),
}

/// One `forward` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub from: Name,
    pub to: Vec<ForwardTo>,
}

/// How a `rewrite name` rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch {
    Exact,
    Suffix,
}

/// One `rewrite ... name` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewriteRule {
    /// `continue` (false: `stop`, the default) lets the next rules see the rewritten name.
    pub continues: bool,
    pub matching: NameMatch,
    /// Lower case, with the final dot.
    pub from: String,
    pub to: String,
    /// Whether answers are rewritten back (always for `exact`; `answer auto` for `suffix`).
    pub reverts: bool,
}

impl RewriteRule {
    /// The rewritten form of `name` (lower case with the final dot), if the rule matches.
    pub fn apply(&self, name: &str) -> Option<String> {
        match self.matching {
            NameMatch::Exact => (name == self.from).then(|| self.to.clone()),
            NameMatch::Suffix => name.strip_suffix(self.from.as_str()).map(|stem| format!("{stem}{}", self.to)),
        }
    }

    /// The answer-side rewrite back to what the client asked (`name` with the final dot).
    pub fn revert(&self, name: &str) -> Option<String> {
        if !self.reverts {
            return None;
        }
        match self.matching {
            NameMatch::Exact => (name == self.to).then(|| self.from.clone()),
            NameMatch::Suffix => name.strip_suffix(self.to.as_str()).map(|stem| format!("{stem}{}", self.from)),
        }
    }
}

/// One server block listening on port 53.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerBlock {
    pub zones: Vec<Name>,
    pub rewrites: Vec<RewriteRule>,
    pub kubernetes: Option<KubernetesPlugin>,
    pub forwards: Vec<Forward>,
}

/// A Corefile as the model runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corefile {
    pub servers: Vec<ServerBlock>,
}

/// A directive with its arguments, its line, and its sub-block's lines.
struct Directive {
    line: usize,
    words: Vec<String>,
    block: Vec<(usize, Vec<String>)>,
}

struct Parser {
    problems: Vec<CorefileProblem>,
}

impl Parser {
    fn warn(&mut self, line: usize, message: String) {
        self.problems.push(CorefileProblem { line, severity: Severity::Warning, message });
    }

    fn error(&mut self, line: usize, message: String) {
        self.problems.push(CorefileProblem { line, severity: Severity::Error, message });
    }
}

/// The tokens of `text` with their 1-based lines: words, `{` and `}`; `#` comments dropped,
/// double quotes grouping a word.
fn tokens(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let mut word = String::new();
        let mut quoted = false;
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => quoted = !quoted,
                '#' if !quoted && word.is_empty() => break,
                c if c.is_whitespace() && !quoted => {
                    if !word.is_empty() {
                        out.push((i + 1, std::mem::take(&mut word)));
                    }
                }
                '\\' if quoted => word.extend(chars.next()),
                c => word.push(c),
            }
        }
        if !word.is_empty() {
            out.push((i + 1, word));
        }
    }
    out
}

impl Corefile {
    /// Reads a Corefile. `None` when CoreDNS would refuse it (a syntax error, an unknown
    /// directive, a malformed modeled directive); the problems say why, warnings included.
    pub fn parse(text: &str) -> (Option<Corefile>, Vec<CorefileProblem>) {
        let mut p = Parser { problems: Vec::new() };
        let servers = parse_blocks(&mut p, &tokens(text));
        let ok = !p.problems.iter().any(|x| x.severity == Severity::Error);
        (servers.filter(|_| ok).map(|servers| Corefile { servers }), p.problems)
    }
}

/// Groups tokens into server blocks of directives; `None` on unbalanced braces.
fn parse_blocks(p: &mut Parser, tokens: &[(usize, String)]) -> Option<Vec<ServerBlock>> {
    let mut servers = Vec::new();
    let mut seen_zones: Vec<Name> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // Server block keys up to `{`.
        let key_line = tokens[i].0;
        let mut keys = Vec::new();
        while i < tokens.len() && tokens[i].1 != "{" {
            if tokens[i].1 == "}" {
                p.error(tokens[i].0, "unexpected '}'".into());
                return None;
            }
            keys.extend(tokens[i].1.split(',').filter(|k| !k.is_empty()).map(str::to_string));
            i += 1;
        }
        if i == tokens.len() {
            p.error(key_line, "server block without '{'".into());
            return None;
        }
        i += 1;
        // Directives up to the matching `}`.
        let mut directives: Vec<Directive> = Vec::new();
        loop {
            let Some((line, word)) = tokens.get(i) else {
                p.error(key_line, "server block is missing its closing '}'".into());
                return None;
            };
            if word == "}" {
                i += 1;
                break;
            }
            if word == "{" {
                p.error(*line, "unexpected '{'".into());
                return None;
            }
            let mut d = Directive { line: *line, words: Vec::new(), block: Vec::new() };
            while let Some((l, w)) = tokens.get(i) {
                if *l != d.line || w == "}" {
                    break;
                }
                i += 1;
                if w == "{" {
                    loop {
                        let Some((l, w)) = tokens.get(i) else {
                            p.error(d.line, format!("'{}' block is missing its closing '}}'", d.words[0]));
                            return None;
                        };
                        i += 1;
                        if w == "}" {
                            break;
                        }
                        match d.block.last_mut() {
                            Some((bl, words)) if bl == l => words.push(w.clone()),
                            _ => d.block.push((*l, vec![w.clone()])),
                        }
                    }
                    break;
                }
                d.words.push(w.clone());
            }
            directives.push(d);
        }
        let mut zones = Vec::new();
        let mut port_53 = true;
        for key in &keys {
            let key = key.strip_prefix("dns://").unwrap_or(key);
            let (zone, port) = match key.rsplit_once(':') {
                Some((zone, port)) => (zone, port),
                None => (key, "53"),
            };
            if port != "53" {
                port_53 = false;
            }
            match Name::parse(zone) {
                Ok(zone) => zones.push(zone.to_fqdn()),
                Err(e) => p.error(key_line, format!("server block key \"{key}\": {e}")),
            }
        }
        if !port_53 {
            p.warn(
                key_line,
                "this server block does not listen on port 53, where kube-dns sends queries; the model ignores it"
                    .into(),
            );
            continue;
        }
        for z in &zones {
            if seen_zones.contains(z) {
                p.error(key_line, format!("cannot serve dns://{z}:53 - it is already defined"));
            }
        }
        seen_zones.extend(zones.iter().cloned());
        let block = parse_directives(p, &zones, &directives);
        servers.push(block);
    }
    Some(servers)
}

fn parse_directives(p: &mut Parser, zones: &[Name], directives: &[Directive]) -> ServerBlock {
    let mut block = ServerBlock { zones: zones.to_vec(), rewrites: Vec::new(), kubernetes: None, forwards: Vec::new() };
    for d in directives {
        let name = d.words[0].as_str();
        let args = &d.words[1..];
        match name {
            "kubernetes" => {
                if block.kubernetes.is_some() {
                    p.error(d.line, "plugin kubernetes: this plugin can only be used once per server block".into());
                }
                block.kubernetes = parse_kubernetes(p, d, zones, args);
            }
            "forward" => block.forwards.extend(parse_forward(p, d, args)),
            "rewrite" => block.rewrites.extend(parse_rewrite(p, d, args)),
            n if NO_EFFECT.contains(&n) => {}
            n if NOT_MODELED.contains(&n) => {
                p.warn(d.line, format!("plugin {n} is not modeled by kubeplay: the model ignores it"));
            }
            n => p.error(d.line, format!("Unknown directive '{n}'")),
        }
    }
    block
}

fn parse_zone_list(p: &mut Parser, line: usize, words: &[String]) -> Vec<Name> {
    words
        .iter()
        .filter_map(|w| match Name::parse(w) {
            Ok(n) => Some(n.to_fqdn()),
            Err(e) => {
                p.error(line, format!("\"{w}\": {e}"));
                None
            }
        })
        .collect()
}

fn parse_kubernetes(p: &mut Parser, d: &Directive, block_zones: &[Name], args: &[String]) -> Option<KubernetesPlugin> {
    let zones = if args.is_empty() { block_zones.to_vec() } else { parse_zone_list(p, d.line, args) };
    let mut plugin = KubernetesPlugin { zones, pods: PodMode::Disabled, ttl: DEFAULT_TTL, fallthrough: None };
    for (line, words) in &d.block {
        let values = &words[1..];
        match words[0].as_str() {
            "pods" => match values.first().map(String::as_str) {
                Some("insecure") => plugin.pods = PodMode::Insecure,
                Some("verified") => plugin.pods = PodMode::Verified,
                Some("disabled") => plugin.pods = PodMode::Disabled,
                _ => p.error(
                    *line,
                    "plugin kubernetes: pods: value must be one of disabled, verified or insecure".into(),
                ),
            },
            "ttl" => match values.first().and_then(|v| v.parse::<u32>().ok()) {
                Some(ttl) if ttl <= 3600 => plugin.ttl = ttl,
                _ => p.error(*line, "plugin kubernetes: ttl must be in range [0, 3600]".into()),
            },
            "fallthrough" => plugin.fallthrough = Some(parse_zone_list(p, *line, values)),
            other => p.warn(
                *line,
                format!("plugin kubernetes: option {other} is not modeled by kubeplay: the model ignores it"),
            ),
        }
    }
    Some(plugin)
}

fn parse_forward(p: &mut Parser, d: &Directive, args: &[String]) -> Option<Forward> {
    let [from, to @ ..] = args else {
        p.error(d.line, "plugin forward: Wrong argument count or unexpected line ending".into());
        return None;
    };
    if to.is_empty() {
        p.error(d.line, "plugin forward: Wrong argument count or unexpected line ending".into());
        return None;
    }
    let from = match Name::parse(from) {
        Ok(n) => n.to_fqdn(),
        Err(e) => {
            p.error(d.line, format!("plugin forward: \"{from}\": {e}"));
            return None;
        }
    };
    let mut targets = Vec::new();
    for t in to {
        if t.starts_with('/') {
            if t != "/etc/resolv.conf" {
                p.warn(d.line, format!("plugin forward: {t}: the model reads every resolv.conf file as the node's"));
            }
            targets.push(ForwardTo::ResolvConf);
            continue;
        }
        let address = t.strip_prefix("dns://").unwrap_or(t);
        let address = address.strip_suffix(":53").unwrap_or(address);
        match address.parse::<Ipv4Addr>() {
            Ok(ip) => targets.push(ForwardTo::Address(ip)),
            Err(_) => p.error(d.line, format!("plugin forward: not an IP address or file: \"{t}\"")),
        }
    }
    for (line, words) in &d.block {
        if words[0] == "except" {
            p.warn(*line, "plugin forward: option except is not modeled by kubeplay: the model ignores it".into());
        }
    }
    Some(Forward { from, to: targets })
}

fn parse_rewrite(p: &mut Parser, d: &Directive, args: &[String]) -> Option<RewriteRule> {
    let (continues, rest) = match args.first().map(String::as_str) {
        Some("continue") => (true, &args[1..]),
        Some("stop") => (false, &args[1..]),
        _ => (false, args),
    };
    let Some((field, rest)) = rest.split_first() else {
        if d.block.is_empty() {
            p.error(d.line, "plugin rewrite: missing rule".into());
        } else {
            p.warn(d.line, "plugin rewrite: the block form is not modeled by kubeplay: the model ignores it".into());
        }
        return None;
    };
    match field.as_str() {
        "name" => {}
        "type" | "class" | "ttl" | "edns0" | "cname" | "rcode" => {
            p.warn(
                d.line,
                format!("plugin rewrite: {field} rules are not modeled by kubeplay: the model ignores this rule"),
            );
            return None;
        }
        other => {
            p.error(d.line, format!("plugin rewrite: invalid rule type \"{other}\""));
            return None;
        }
    }
    let normalize = |s: &str| {
        let lower = s.to_ascii_lowercase();
        if lower.ends_with('.') {
            lower
        } else {
            format!("{lower}.")
        }
    };
    let (matching, from, to, options) = match rest {
        [from, to] => (NameMatch::Exact, from, to, &rest[2..]),
        [kind, from, to, options @ ..] => {
            let matching = match kind.to_ascii_lowercase().as_str() {
                "exact" => NameMatch::Exact,
                "suffix" => NameMatch::Suffix,
                "prefix" | "substring" | "regex" => {
                    p.warn(d.line, format!("plugin rewrite: name {kind} rules are not modeled by kubeplay (exact and suffix are): the model ignores this rule"));
                    return None;
                }
                other => {
                    p.error(d.line, format!("plugin rewrite: name rule supports only exact, prefix, suffix, substring, and regex name matching, received: {other}"));
                    return None;
                }
            };
            (matching, from, to, options)
        }
        _ => {
            p.error(d.line, "plugin rewrite: too few arguments for a name rule".into());
            return None;
        }
    };
    let answer_auto = match options {
        [] => false,
        [a, auto] if a == "answer" && auto == "auto" => true,
        [a, ..] if a == "answer" => {
            p.warn(
                d.line,
                "plugin rewrite: answer name and answer value are not modeled by kubeplay: answers are not rewritten"
                    .into(),
            );
            false
        }
        _ => {
            p.error(d.line, "plugin rewrite: unexpected arguments after the name rule".into());
            return None;
        }
    };
    Some(RewriteRule {
        continues,
        matching,
        from: normalize(from),
        to: normalize(to),
        reverts: matching == NameMatch::Exact || answer_auto,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_corefile_parses_without_problems() {
        let (corefile, problems) = Corefile::parse(&default_corefile("cluster.local"));
        assert_eq!(problems, []);
        let corefile = corefile.expect("accepted");
        let k = corefile.servers[0].kubernetes.as_ref().expect("kubernetes plugin");
        assert_eq!(k.ttl, 30);
        assert_eq!(k.pods, PodMode::Insecure);
        assert_eq!(k.primary_zone().map(Name::as_str), Some("cluster.local"));
        assert_eq!(corefile.servers[0].forwards[0].to, [ForwardTo::ResolvConf]);
    }

    #[test]
    fn unbalanced_braces_are_a_syntax_error() {
        let (corefile, problems) = Corefile::parse(".:53 {\n  errors\n");
        assert!(corefile.is_none());
        assert_eq!(problems[0].severity, Severity::Error);
    }
}
