//! iptables rules as data: tables of chains of rules, each rule a list of matches and a
//! target, and their rendering in `iptables-save` syntax.
//!
//! The data is what a trace evaluates and the web app highlights; the text is what
//! `iptables-save` shows. A rule renders exactly as kube-proxy writes it to
//! `iptables-restore` (`pkg/proxy/iptables/proxier.go`; a comment is quoted when it holds a
//! space), matches in the order kube-proxy gives them. Chains print in the order kube-proxy's
//! own tests print them (`sortIPTablesRules` in `proxier_test.go`): the built-in chains
//! first, then `KUBE-NODEPORTS`, `KUBE-SERVICES`, then the others by name.

use crate::api::meta::Protocol;
use ipnet::IpNet;
use std::fmt;
use std::net::{IpAddr, SocketAddr};

/// An iptables table kube-proxy writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TableName {
    Filter,
    Nat,
}

impl TableName {
    /// The table's name as iptables spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            TableName::Filter => "filter",
            TableName::Nat => "nat",
        }
    }
}

/// The rules kube-proxy (and, for `KUBE-FIREWALL`, the kubelet) programmed on one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    /// The node's name.
    pub node: String,
    /// The `filter` table, then the `nat` table.
    pub tables: Vec<Table>,
}

/// One table: its chains in print order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: TableName,
    pub chains: Vec<Chain>,
}

/// A chain and its rules, in evaluation order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub name: String,
    /// Whether it is a built-in chain (`PREROUTING`, `INPUT`, …), whose policy is `ACCEPT`.
    pub builtin: bool,
    pub rules: Vec<Rule>,
}

/// One rule: `-A <chain> <matches> -j <target>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The chain the rule is in.
    pub chain: String,
    /// Every match, in the order iptables evaluates and prints them.
    pub matches: Vec<Match>,
    /// What a matching packet does; `None` for a rule that only counts (the last rule of a
    /// `KUBE-FW-` chain, which lets the packet fall through to `KUBE-PROXY-FIREWALL`).
    pub target: Option<Target>,
}

/// An address match: a single address (printed bare, as kube-proxy writes it) or a network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addr {
    Host(IpAddr),
    Net(IpNet),
}

impl Addr {
    /// Whether `ip` is this address or in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match self {
            Addr::Host(host) => *host == ip,
            Addr::Net(net) => net.contains(&ip),
        }
    }
}

/// Which address of a packet an `addrtype` match looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Source,
    Destination,
}

/// A conntrack state (`-m conntrack --ctstate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnState {
    New,
    Invalid,
    Related,
    Established,
    Dnat,
}

/// One match of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// `-m comment --comment TEXT`: no effect on the packet.
    Comment(String),
    /// `-m tcp -p tcp` (and udp, sctp).
    Protocol(Protocol),
    /// `-s ADDR`, or `! -s ADDR` when negated.
    Source { addr: Addr, negated: bool },
    /// `-d ADDR`, or `! -d ADDR` when negated.
    Destination { addr: Addr, negated: bool },
    /// `--dport N` (after a protocol match).
    DestinationPort(u16),
    /// `-m addrtype --src-type LOCAL` / `--dst-type LOCAL`: an address of this node.
    LocalAddress(Side),
    /// `-m conntrack --ctstate S,…`, or `! --ctstate` when negated.
    ConnState { states: Vec<ConnState>, negated: bool },
    /// `-m mark --mark M/M`, or `! --mark` when negated: the masquerade bit is set.
    Mark { mark: u32, negated: bool },
    /// `-m statistic --mode random --probability 1/N`: matches one packet in `one_in`.
    Random { one_in: usize },
    /// `-m recent --name NAME --rcheck --seconds S --reap`: the source address is in the
    /// recent list `NAME`, seen less than `seconds` ago (ClientIP session affinity).
    RecentCheck { name: String, seconds: u32 },
    /// `-m recent --name NAME --set`: records the source address in the list `NAME`.
    RecentSet { name: String },
    /// `-m nfacct --nfacct-name NAME`: counts the packet in an accounting object.
    Nfacct(String),
}

/// What a matching packet does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `-j CHAIN`: continue in a user chain; come back if nothing there decides.
    Jump(String),
    Accept,
    Drop,
    Reject,
    Return,
    /// `-j DNAT --to-destination IP:PORT`.
    Dnat(SocketAddr),
    /// `-j MASQUERADE --random-fully`: source NAT to the outgoing interface's address, with a
    /// random source port (every iptables a current node ships, 1.6.2 and later, has it).
    Masquerade,
    /// `-j MARK --or-mark M`.
    MarkOr(u32),
    /// `-j MARK --xor-mark M`.
    MarkXor(u32),
}

impl Rule {
    /// The rule's comment, if it has one.
    pub fn comment(&self) -> Option<&str> {
        self.matches.iter().find_map(|m| match m {
            Match::Comment(text) => Some(text.as_str()),
            _ => None,
        })
    }
}

impl RuleSet {
    /// The table `name`.
    pub fn table(&self, name: TableName) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The chain `chain` of table `table`.
    pub fn chain(&self, table: TableName, chain: &str) -> Option<&Chain> {
        self.table(table).and_then(|t| t.chains.iter().find(|c| c.name == chain))
    }

    /// The tables as `iptables-save` prints them: `*filter`, the chain lines, the rules chain
    /// by chain, `COMMIT`; then `*nat` likewise.
    pub fn to_iptables_save(&self) -> String {
        let mut out = String::new();
        for table in &self.tables {
            out.push_str(&format!("*{}\n", table.name.as_str()));
            for chain in &table.chains {
                let policy = if chain.builtin { "ACCEPT" } else { "-" };
                out.push_str(&format!(":{} {policy} [0:0]\n", chain.name));
            }
            for rule in table.chains.iter().flat_map(|c| &c.rules) {
                out.push_str(&format!("{rule}\n"));
            }
            out.push_str("COMMIT\n");
        }
        out
    }
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Addr::Host(ip) => write!(f, "{ip}"),
            Addr::Net(net) => write!(f, "{net}"),
        }
    }
}

impl fmt::Display for ConnState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConnState::New => "NEW",
            ConnState::Invalid => "INVALID",
            ConnState::Related => "RELATED",
            ConnState::Established => "ESTABLISHED",
            ConnState::Dnat => "DNAT",
        })
    }
}

/// `fmt.Sprintf("%0.10f", 1.0/float64(n))`, kube-proxy's `computeProbability`.
fn probability(one_in: usize) -> String {
    format!("{:.10}", 1.0 / one_in as f64)
}

/// A comment argument: quoted when it holds a space, as kube-proxy writes them.
fn quoted(text: &str) -> String {
    if text.contains(' ') {
        format!("\"{text}\"")
    } else {
        text.to_string()
    }
}

fn not(negated: bool) -> &'static str {
    if negated {
        "! "
    } else {
        ""
    }
}

impl fmt::Display for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Match::Comment(text) => write!(f, "-m comment --comment {}", quoted(text)),
            Match::Protocol(p) => {
                let p = super::chains::protocol_lower(*p);
                write!(f, "-m {p} -p {p}")
            }
            Match::Source { addr, negated } => write!(f, "{}-s {addr}", not(*negated)),
            Match::Destination { addr, negated } => write!(f, "{}-d {addr}", not(*negated)),
            Match::DestinationPort(port) => write!(f, "--dport {port}"),
            Match::LocalAddress(Side::Source) => f.write_str("-m addrtype --src-type LOCAL"),
            Match::LocalAddress(Side::Destination) => f.write_str("-m addrtype --dst-type LOCAL"),
            Match::ConnState { states, negated } => {
                let states: Vec<String> = states.iter().map(ToString::to_string).collect();
                write!(f, "-m conntrack {}--ctstate {}", not(*negated), states.join(","))
            }
            Match::Mark { mark, negated } => write!(f, "-m mark {}--mark {mark:#x}/{mark:#x}", not(*negated)),
            Match::Random { one_in } => {
                write!(f, "-m statistic --mode random --probability {}", probability(*one_in))
            }
            Match::RecentCheck { name, seconds } => {
                write!(f, "-m recent --name {name} --rcheck --seconds {seconds} --reap")
            }
            Match::RecentSet { name } => write!(f, "-m recent --name {name} --set"),
            Match::Nfacct(name) => write!(f, "-m nfacct --nfacct-name {name}"),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Jump(chain) => write!(f, "-j {chain}"),
            Target::Accept => f.write_str("-j ACCEPT"),
            Target::Drop => f.write_str("-j DROP"),
            Target::Reject => f.write_str("-j REJECT"),
            Target::Return => f.write_str("-j RETURN"),
            Target::Dnat(to) => write!(f, "-j DNAT --to-destination {to}"),
            Target::Masquerade => f.write_str("-j MASQUERADE --random-fully"),
            Target::MarkOr(mark) => write!(f, "-j MARK --or-mark {mark:#x}"),
            Target::MarkXor(mark) => write!(f, "-j MARK --xor-mark {mark:#x}"),
        }
    }
}

impl fmt::Display for Rule {
    /// The `-A CHAIN …` line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "-A {}", self.chain)?;
        for m in &self.matches {
            write!(f, " {m}")?;
        }
        match &self.target {
            Some(target) => write!(f, " {target}"),
            None => Ok(()),
        }
    }
}
