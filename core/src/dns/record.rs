//! Resource records, query types and response codes, printed as dig prints them.
//!
//! The model is single-stack IPv4 (README, "Not modeled"): an `AAAA` question about a name that
//! exists is answered NOERROR with no records (NODATA, RFC 2308 section 2.2), never NXDOMAIN.
//! SRV records follow RFC 2782 (`priority weight port target`); `Display` is the presentation
//! format of RFC 1035 section 5.1 as dig's ANSWER section lays it out.

use super::name::Name;
use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

/// The record types a question can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum RecordType {
    #[default]
    A,
    AAAA,
    CNAME,
    PTR,
    SRV,
}

impl RecordType {
    /// The mnemonic dig and the JSON output use.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::A => "A",
            RecordType::AAAA => "AAAA",
            RecordType::CNAME => "CNAME",
            RecordType::PTR => "PTR",
            RecordType::SRV => "SRV",
        }
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RecordType {
    type Err = String;

    /// Case-insensitive, as dig and nslookup accept types.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_uppercase().as_str() {
            "A" => Ok(RecordType::A),
            "AAAA" => Ok(RecordType::AAAA),
            "CNAME" => Ok(RecordType::CNAME),
            "PTR" => Ok(RecordType::PTR),
            "SRV" => Ok(RecordType::SRV),
            _ => Err(format!("unsupported record type \"{s}\" (the model answers A, AAAA, CNAME, PTR and SRV)")),
        }
    }
}

/// The data of a record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RData {
    A(Ipv4Addr),
    Cname(Name),
    Ptr(Name),
    Srv { priority: u16, weight: u16, port: u16, target: Name },
}

/// One resource record (class IN).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Record {
    pub name: Name,
    pub ttl: u32,
    pub data: RData,
}

impl Record {
    /// The record's type.
    pub fn record_type(&self) -> RecordType {
        match self.data {
            RData::A(_) => RecordType::A,
            RData::Cname(_) => RecordType::CNAME,
            RData::Ptr(_) => RecordType::PTR,
            RData::Srv { .. } => RecordType::SRV,
        }
    }

    /// The record data without final dots, as the JSON output carries it
    /// (`10.96.0.12`, `0 100 80 web.default.svc.cluster.local`).
    pub fn data_text(&self) -> String {
        match &self.data {
            RData::A(ip) => ip.to_string(),
            RData::Cname(target) | RData::Ptr(target) => target.as_str().to_string(),
            RData::Srv { priority, weight, port, target } => format!("{priority} {weight} {port} {}", target.as_str()),
        }
    }
}

impl fmt::Display for RData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RData::A(ip) => write!(f, "{ip}"),
            RData::Cname(target) | RData::Ptr(target) => write!(f, "{target}"),
            RData::Srv { priority, weight, port, target } => write!(f, "{priority} {weight} {port} {target}"),
        }
    }
}

impl fmt::Display for Record {
    /// dig's answer line: `web.default.svc.cluster.local. 30 IN A 10.96.0.12`, tab-separated.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\t{}\tIN\t{}\t{}", self.name, self.ttl, self.record_type(), self.data)
    }
}

/// A DNS response code (RFC 1035 section 4.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rcode {
    NoError,
    /// The server could not answer (CoreDNS: no plugin handled the name, or no upstream answered).
    ServFail,
    /// The name does not exist.
    NxDomain,
    /// The server declines: CoreDNS has no server block for the name's zone.
    Refused,
}

impl Rcode {
    /// The mnemonic dig prints in `status:`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rcode::NoError => "NOERROR",
            Rcode::ServFail => "SERVFAIL",
            Rcode::NxDomain => "NXDOMAIN",
            Rcode::Refused => "REFUSED",
        }
    }
}

impl fmt::Display for Rcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
